"""The real external tools as fixtures (see fixtures.py). Every test module here is marked slow."""


from .fixtures import (comunica_release, jena_release, kgx_offline, owlapi,  # noqa: F401  (fixtures)
                       oxigraph_release, release_graphs, virtuoso_release)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: real-engine tests (deselect with -m 'not slow')")

