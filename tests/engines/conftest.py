"""The real external tools as fixtures (see fixtures.py). Every test module here is marked slow."""

import pytest

from .fixtures import (comunica_release, kgx_offline, owlapi, oxigraph_release,  # noqa: F401  (fixtures)
                       release_graphs, virtuoso_release)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: real-engine tests (deselect with -m 'not slow')")

