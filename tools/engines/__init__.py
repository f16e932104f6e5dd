"""Other SPARQL engines as servers of our own on 127.0.0.1, for the developers' checks: Virtuoso
7.2 (``virtuoso``), Comunica (``comunica``) and the Oxigraph server (``oxigraph``), with the
plumbing they share (``servers``) and the release written per named graph for loading them
(``release``). ``tools/catalogue_check.py`` and the slow tests (``tests/engines``) both use them;
they import nothing from the tests."""
