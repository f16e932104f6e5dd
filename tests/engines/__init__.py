"""The external tools our users read graphkit's output with, as test fixtures: Virtuoso 7.2,
Comunica and the Oxigraph server as SPARQL endpoints (their servers are in ``tools/engines``,
which the developers' ``tools/catalogue_check.py`` uses too), Apache Jena's ARQ (``jena``), the
OWL API with HermiT (``owlapi``), and ``kgx validate`` offline (``kgx_offline``). ``fixtures``
has the pytest fixtures. Every test in this folder is slow (``pytest -m "not slow"`` leaves them
out)."""
