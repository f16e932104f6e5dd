"""Document loaders: curated YAML files and source texts in, validated records out (no RDF).

A package of its own beside ``graphkit``: ``graphkit`` imports the loaders (its build turns
their records into triples, :mod:`graphkit.assemble`), and the loaders import only graphkit's
ground floor: :mod:`graphkit.errors`, :mod:`graphkit.yamlio` (YAML that keeps line numbers),
:mod:`graphkit.iris` (a statement's digest), :mod:`graphkit.namespaces` (CURIE checks) and
:mod:`graphkit.schema` (what a statement may say); ``tests/test_architecture.py`` holds them to
that. Each loader reports every problem it finds as a :class:`graphkit.errors.CurationError`
whose lines name the file and line, so a curator can fix a whole batch at once.

- :mod:`.sources` reads ``sources/manifest.yaml``, checks each text's SHA-256, and finds
  quotes and sections in the texts.
- :mod:`.registry` reads the entity registry (``ontology/curation/entities/*.yaml``).
- :mod:`.statements` reads the per-document statement files and checks every statement
  against the schema, the registry and the source text.
- :mod:`.disagreements` reads ``ontology/curation/disagreements.yaml``.
"""
