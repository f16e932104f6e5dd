"""The entities' names as search reads them (graphkit.entitynames), on a store holding the release
in named graphs and on one holding it in its default graph alone."""

import pyoxigraph as ox
import pytest

from graphkit import entitynames
from graphkit.store import OxigraphStore


def _default_graph_store(*paths) -> OxigraphStore:
    store = OxigraphStore()
    for path in paths:
        store.ox.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _rows(names) -> set[tuple]:
    return {(n.iri, n.label, n.name, n.kind) for n in names}


@pytest.mark.parametrize("with_inferences", [False, True], ids=["release", "release and inferences"])
def test_the_default_graph_gives_the_names_the_asserted_graph_gives(store, project, with_inferences):
    """A store with the release in its default graph alone (a triple store's bulk load of
    all.ttl, with inferred.ttl or without) had no names to read: an empty search suggested
    nothing. It reads the same names, with the same kinds (not the roles the reasoner adds:
    "risk factor", "adverse effect"), as the asserted graph gives."""
    paths = [project.all_ttl] + ([project.inferred_ttl] if with_inferences else [])
    default_only = _default_graph_store(*paths)
    assert default_only.graph_names() == []
    expected = _rows(entitynames.names(store))
    assert ("https://w3id.org/graphkit/entity/jmml", "juvenile myelomonocytic leukemia", "JMML", "disease") in expected
    assert _rows(entitynames.names(default_only)) == expected
