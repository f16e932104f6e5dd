"""Document loaders: curated YAML files and source texts in, validated records out.

Installed as ``graphkit.loaders``. Each loader reports every problem it finds as a
:class:`graphkit.errors.CurationError` whose lines name the file and line, so a curator can
fix a whole batch at once.

- :mod:`.yamlio` reads YAML keeping line numbers and rejecting duplicate keys.
- :mod:`.sources` reads ``sources/manifest.yaml``, checks each text's SHA-256, and finds
  quotes and sections in the texts.
- :mod:`.registry` reads the entity registry (``ontology/curation/entities/*.yaml``).
- :mod:`.statements` reads the per-document statement files and checks every statement
  against the schema, the registry and the source text.
"""
