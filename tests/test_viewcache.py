"""The view kept beside a saved store: read back, it is the view built anew, node for node and
edge for edge in the same order; another release, another version of the code, a damaged file or a
cache that cannot be written each mean a view built anew, never a stale or failed one."""

from __future__ import annotations

import itertools
import os

import pytest

from graphkit import nxview, viewcache
from graphkit.store import OxigraphStore, open_store


def _same(a, b) -> bool:
    return (list(a.nodes(data=True)) == list(b.nodes(data=True))
            and list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True)) and a.graph == b.graph)


@pytest.mark.parametrize("include_schema, include_provenance, include_inferred, quantities",
                         [options for options in itertools.product((False, True), (False, True), (False, True),
                                                                   ("nodes", "attributes"))
                          if sum(options[:3]) <= 1])
@pytest.mark.slow
def test_the_kept_view_is_the_view_built_anew(mini, cache, include_schema, include_provenance, include_inferred,
                                              quantities):
    options = dict(include_schema=include_schema, include_provenance=include_provenance,
                   include_inferred=include_inferred, quantities=quantities)
    built = nxview.from_store(OxigraphStore.from_project(mini), **options)         # in memory: never kept
    saved = open_store(mini)
    first = nxview.from_store(saved, **options)
    assert viewcache.view_path(saved.saved_directory, options).is_file()
    again = nxview.from_store(saved, **options)
    assert again is not first and _same(again, built) and _same(first, built)


def test_the_real_release_survives_the_round_trip(store, tmp_path):
    """Every attribute of the release's view (str, int, float, bool) comes back as it was, in its order."""
    built = nxview.from_store(store, include_provenance=True)
    viewcache.write(tmp_path, {"include_provenance": True}, built)
    kept = viewcache.read(tmp_path, {"include_provenance": True})
    assert built.number_of_edges() > 1000 and _same(built, kept)


def test_another_version_of_the_code_builds_the_view_anew(mini, cache, monkeypatch):
    saved = open_store(mini)
    nxview.from_store(saved)
    monkeypatch.setattr(viewcache, "code_digest", lambda: "another version")
    calls = []
    real = nxview.build_view
    monkeypatch.setattr(nxview.builder, "build_view", lambda *a, **k: calls.append(1) or real(*a, **k))
    nxview.from_store(saved)
    assert calls == [1]
    nxview.from_store(saved)           # and keeps that one
    assert calls == [1]


def test_a_damaged_view_is_built_anew(mini, cache):
    saved = open_store(mini)
    options = {"include_schema": False, "include_provenance": False, "include_inferred": False, "quantities": "nodes"}
    good = nxview.from_store(saved)
    path = viewcache.view_path(saved.saved_directory, options)
    path.write_text(path.read_text(encoding="utf-8")[:1000], encoding="utf-8")      # cut short
    assert _same(nxview.from_store(saved), good)
    assert viewcache.read(saved.saved_directory, options) is not None             # written again, whole


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_store_whose_directory_cannot_be_written_still_gives_its_view(mini, cache):
    saved = open_store(mini)
    saved.saved_directory.chmod(0o555)
    try:
        view = nxview.from_store(saved)
        assert view.number_of_nodes() and not (saved.saved_directory / viewcache.VIEWS).exists()
    finally:
        saved.saved_directory.chmod(0o755)


def test_a_write_that_fails_is_silent(tmp_path, monkeypatch):
    """A full disk or a read-only cache (as root, whom permissions do not stop) costs the next
    command the time to build the view, nothing else."""
    import networkx as nx

    def failing(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(viewcache, "atomic_write_text", failing)
    viewcache.write(tmp_path, {}, nx.MultiDiGraph())
    assert viewcache.read(tmp_path, {}) is None
