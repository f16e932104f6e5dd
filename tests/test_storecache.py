"""The saved store: what a command opens is what the release holds, it is loaded again only
when the inputs change, never half-written, and the API's default store follows the release."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from graphkit import storecache
from graphkit.catalogue import run
from graphkit.store import OxigraphStore, default_store, open_store

COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _counts(store) -> dict:
    return {r["g"]: r["n"] for r in store.query(COUNTS).records()}


def test_the_saved_store_holds_what_the_release_loads_in_memory(mini, cache):
    saved = open_store(mini)
    assert _counts(saved) == _counts(OxigraphStore.from_project(mini, include_external=False))
    directories = [d for d in (cache / "store").iterdir() if d.is_dir()]
    assert len(directories) == 1 and (directories[0] / "db").is_dir()
    with pytest.raises(RuntimeError, match="read-write"):       # opened read-only: nothing can change it
        saved.ox.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c")))


def test_a_command_takes_the_store_by_its_file_stamps_without_hashing(mini, cache, monkeypatch):
    open_store(mini)

    def no_hashing(*args, **kwargs):
        raise AssertionError("the files were hashed although none changed")

    monkeypatch.setattr(storecache, "fingerprint", no_hashing)
    assert _counts(open_store(mini))


def test_a_changed_release_gets_a_new_store_and_the_old_one_goes(mini, cache):
    first = open_store(mini)
    old = {d.name for d in (cache / "store").iterdir() if d.is_dir()}
    assert run("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://x/New> }", store=first).records() == [{"n": 0}]
    with open(mini.inferred_ttl, "a", encoding="utf-8") as handle:
        handle.write("\n<http://x/thing> a <http://x/New> .\n")
    second = open_store(mini)
    assert run("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://x/New> }", store=second).records() == [{"n": 1}]
    current = {d.name for d in (cache / "store").iterdir() if d.is_dir()}
    assert current - old and old <= current              # the old store is still read by `first`
    del first
    open_store(mini)       # the next command removes it: its last reader closed it
    assert {d.name for d in (cache / "store").iterdir() if d.is_dir()} == current - old


def test_touching_a_file_without_changing_it_keeps_the_store(mini, cache):
    open_store(mini)
    before = sorted(d.name for d in (cache / "store").iterdir() if d.is_dir())
    os.utime(mini.all_ttl)
    open_store(mini)
    assert sorted(d.name for d in (cache / "store").iterdir() if d.is_dir()) == before


def test_an_interrupted_load_leaves_no_store(mini, cache, monkeypatch):
    def failing(self, *args, **kwargs):
        raise SyntaxError("a damaged release")

    monkeypatch.setattr(OxigraphStore, "fill", failing)
    with pytest.raises(SyntaxError):
        open_store(mini)
    assert [p.name for p in (cache / "store").iterdir()] == []


def test_a_cache_that_cannot_be_written_means_a_store_in_memory(mini, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("GRAPHKIT_CACHE", str(blocked))
    store = open_store(mini)
    assert _counts(store) == _counts(OxigraphStore.from_project(mini, include_external=False))


def test_the_default_store_is_kept_until_the_release_changes(mini, cache):
    first = default_store(mini)
    assert default_store(mini) is first
    with open(mini.inferred_ttl, "a", encoding="utf-8") as handle:
        handle.write("\n<http://x/thing> a <http://x/New> .\n")
    second = default_store(mini)
    assert second is not first
    assert run("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://x/New> }", store=second).records() == [{"n": 1}]


def test_every_catalogue_query_answers_the_same_on_the_saved_store(project, store):
    """The saved store answers from a copy of the union of its graphs in its default graph (twice as
    fast on disk as the engine's union): the same answers as the store in memory."""
    from graphkit.catalogue import Catalogue, prepare
    from graphkit.sparql import concat_columns

    saved = OxigraphStore.saved(project, include_external=False)
    assert saved.union_copy and len(saved) == len(store)
    for name, query in Catalogue(project).queries().items():
        text = prepare(query, store).text
        assert saved.query(text).canonical(concat_columns(text)) == store.query(text).canonical(concat_columns(text)), name
