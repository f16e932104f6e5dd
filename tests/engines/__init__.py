"""The external tools our users read graphkit's output with, as test fixtures: Virtuoso 7.2,
Comunica and the Oxigraph server as SPARQL endpoints (``virtuoso``, ``comunica``, ``oxigraph``;
shared plumbing in ``servers``), the OWL API with HermiT (``owlapi``), and ``kgx validate`` offline
(``kgx_offline``). ``fixtures`` has the pytest fixtures; ``release`` writes the release per
named graph. Every test in this folder is slow (``pytest -m "not slow"`` leaves them out)."""
