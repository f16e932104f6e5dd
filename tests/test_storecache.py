"""The saved store: what a command opens is what the release holds, it is loaded again only
when the inputs change, never half-written, and the API's default store follows the release."""

from __future__ import annotations

import json
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


def test_a_damaged_store_is_set_aside_and_loaded_anew(mini, cache, capsys):
    """Its table files damaged, every command had failed with RocksDB's "Corruption" and a
    traceback until the cache was removed by hand."""
    counts = _counts(open_store(mini))
    [directory] = [d for d in (cache / "store").iterdir() if d.is_dir()]
    table = _largest(directory, "*.sst")
    data = bytearray(table.read_bytes())
    data[_footer(data)[2] + 8] ^= 0xFF            # its index block: RocksDB's checksum, or the seal, finds it
    table.write_bytes(bytes(data))
    capsys.readouterr()
    assert _counts(open_store(mini)) == counts
    assert capsys.readouterr().err.startswith(f"graphkit: the saved store {directory.name} was damaged (")
    assert [d.name for d in (cache / "store").iterdir() if d.is_dir()] == [directory.name]   # the damaged one removed
    assert _counts(open_store(mini)) == counts and capsys.readouterr().err == ""


def _largest(directory, pattern):
    return max((directory / "db").glob(pattern), key=lambda path: path.stat().st_size)


def _varint(data, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        value, shift, i = value | (byte & 0x7F) << shift, shift + 7, i + 1
        if byte < 0x80:
            return value, i


def _footer(data) -> list[int]:
    """A RocksDB table file's footer (format 5: a checksum type, then the metaindex and index
    blocks' handles as varints): [metaindex offset, size, index offset, size]."""
    values, i = [], len(data) - 53 + 1
    for _ in range(4):
        value, i = _varint(data, i)
        values.append(value)
    return values


def _footer_index_size_of_a_terabyte(path):
    """A table file's footer (format 5, no checksum) naming an index block of 1 TiB: RocksDB
    allocated it on opening and the process aborted (std::bad_alloc), every command after it too."""
    data = bytearray(path.read_bytes())
    metaindex_offset, metaindex_size, index_offset, _ = _footer(data)
    handles = b"".join(bytes(((v >> s) & 0x7F) | (0x80 if v >> (s + 7) else 0) for s in range(0, max(v.bit_length(), 1), 7))
                       for v in (metaindex_offset, metaindex_size, index_offset, 1 << 40))
    data[len(data) - 52:len(data) - 52 + len(handles)] = handles
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, file", [
    (_footer_index_size_of_a_terabyte, "the largest table file"),
    (lambda path: os.truncate(path, path.stat().st_size - 7), "the MANIFEST, cut short"),
])
def test_a_store_whose_files_changed_is_set_aside_before_the_engine_opens_it(mini, cache, capsys, damage, file):
    """A truncated MANIFEST opened as an empty store (every query 'no rows', a build exit 0); a
    damaged footer aborted every command. The store's files are sealed when it is saved."""
    counts = _counts(open_store(mini))
    [directory] = [d for d in (cache / "store").iterdir() if d.is_dir()]
    target = _largest(directory, "*.sst" if "table" in file else "MANIFEST-*")
    damage(target)
    capsys.readouterr()
    assert _counts(open_store(mini)) == counts
    assert capsys.readouterr().err == (f"graphkit: the saved store {directory.name} was damaged (its file "
                                       f"{target.name} has changed since it was saved); it is loaded anew\n")


def test_a_store_a_query_finds_damaged_is_set_aside_and_loaded_anew_by_the_next_command(mini, cache):
    """RocksDB finds a damaged data block only where a query reads it: every later command failed
    the same way until the cache was removed by hand."""
    from graphkit.errors import EnvironmentProblem

    counts = _counts(open_store(mini))
    store = open_store(mini)

    class Damaged:                  # the answer's triples are read from a damaged block
        def query(self, *args, **kwargs):
            return self

        def __iter__(self):
            raise OSError("Corruption: block checksum mismatch: stored = 1, computed = 2")

    directory, store.ox = store.saved_directory, Damaged()
    with pytest.raises(EnvironmentProblem, match=r"^the saved store is damaged \(Corruption: block checksum mismatch"
                                                 r".*it is set aside, and the next command loads it anew"):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert not directory.exists() and list(cache.glob("store/*.damaged-*"))
    assert _counts(open_store(mini)) == counts


@pytest.mark.parametrize("meta", ["[]", "null", '{"superseded": "abc"}', '{"layout": "graphkit-store-1"}'])
def test_a_store_whose_description_is_not_a_stores_is_loaded_anew(mini, cache, capsys, meta):
    """A JSON list ended in a traceback, and an older layout was read as this one: the union of
    the graphs counted twice (71 rows for 37)."""
    counts = _counts(open_store(mini))
    [directory] = [d for d in (cache / "store").iterdir() if d.is_dir()]
    (directory / storecache.META).write_text(meta)
    capsys.readouterr()
    assert _counts(open_store(mini)) == counts
    assert "is not a graphkit-store-3 store's); it is loaded anew" in capsys.readouterr().err
    (cache / "store" / storecache.INDEX).write_text('{"release": [], "with-external": 5}')
    assert _counts(open_store(mini)) == counts


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


def _count_loads(monkeypatch) -> list:
    loads = []
    fill = OxigraphStore.fill

    def counted(self, *args, **kwargs):
        loads.append(kwargs.get("texts") is not None)
        return fill(self, *args, **kwargs)

    monkeypatch.setattr(OxigraphStore, "fill", counted)
    return loads


def test_a_store_prepared_before_the_files_are_written_is_the_one_commands_open(mini, cache, monkeypatch):
    """The build loads the saved store from the products' texts while it validates them; once the
    files are written, the next command finds that store by their contents and loads nothing."""
    texts = {mini.all_ttl: mini.all_ttl.read_text(encoding="utf-8"),
             mini.inferred_ttl: mini.inferred_ttl.read_text(encoding="utf-8") + "\n<http://x/thing> a <http://x/New> .\n"}
    loads = _count_loads(monkeypatch)
    OxigraphStore.prepare_saved(mini, texts)
    assert loads == [True] and not (cache / "store" / storecache.INDEX).exists()   # not published yet
    mini.inferred_ttl.write_text(texts[mini.inferred_ttl], encoding="utf-8")
    store = open_store(mini)
    assert loads == [True]
    assert run("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://x/New> }", store=store).records() == [{"n": 1}]


def test_a_first_build_loads_the_store_of_the_release_as_written_at_its_start(mini, cache, monkeypatch):
    """In a new cache the build loads the store of the files on disk while it compiles (False: not
    from texts about to be written); it writes the same files, so that is the store commands open."""
    from graphkit.build import build

    loads = _count_loads(monkeypatch)
    release = build(mini, saved_store=True)
    assert loads == [False] and release.store_preloader is not None and release.store_preloader.done()
    assert release.store_loader is not None and release.store_loader.done()
    assert _counts(open_store(mini)) == _counts(OxigraphStore.from_project(mini, include_external=False))
    assert loads == [False, False]          # the in-memory comparison; the command's store was ready


def test_a_first_build_after_an_edit_updates_the_store_it_loaded_at_its_start(mini, cache, monkeypatch):
    from graphkit.build import build

    _edit(mini.curation_dir / "entities" / "diseases.yaml", "    label: juvenile myelomonocytic leukemia\n",
          "    label: juvenile myelomonocytic leukaemia\n")
    loads = _count_loads(monkeypatch)
    build(mini, saved_store=True)
    _, notes = _published(mini)
    assert loads == [False] and "updated_from" in notes       # the release before the edit, loaded once
    assert _quads(open_store(mini).ox) == _fresh(mini)


def test_the_build_with_a_store_of_its_files_loads_none(mini, cache, monkeypatch):
    """With the cache a build left, a build that changes nothing loads nothing."""
    from graphkit.build import build

    build(mini, saved_store=True)
    loads = _count_loads(monkeypatch)
    build(mini, saved_store=True)
    assert loads == []


def test_a_build_that_fails_validation_publishes_no_store(mini, cache, monkeypatch):
    """The store prepared for a release that fails validation is never published, no partial
    one is left, and the next command removes it."""
    from graphkit import build as building
    from graphkit.errors import CheckFailed

    open_store(mini)
    index = (cache / "store" / storecache.INDEX).read_text(encoding="utf-8")
    before = {d.name for d in (cache / "store").iterdir() if d.is_dir()}
    serialize = building.serialize

    def another_release(release):
        serialize(release)
        release.texts[mini.inferred_ttl] += "\n<http://x/thing> a <http://x/New> .\n"

    def failing(release):
        raise CheckFailed("a QC finding at the fail level")

    monkeypatch.setattr(building, "serialize", another_release)
    monkeypatch.setattr(building, "validate", failing)
    with pytest.raises(CheckFailed):
        building.build(mini, saved_store=True)
    directories = {d.name for d in (cache / "store").iterdir() if d.is_dir()}
    assert len(directories - before) == 1 and not any(d.endswith(storecache.PARTIAL) for d in directories)
    assert (cache / "store" / storecache.INDEX).read_text(encoding="utf-8") == index
    store = open_store(mini)
    assert run("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://x/New> }", store=store).records() == [{"n": 0}]
    assert {d.name for d in (cache / "store").iterdir() if d.is_dir()} == before


# ---------------------------------------------------------------------------------------------
# A build after an edit updates the saved store of the release it replaces


def _quads(database) -> set:
    """The quads of a store, blank nodes named canonically (two loads name them apart)."""
    dataset = ox.Dataset(database)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _published(mini) -> tuple[str, dict]:
    """The key and the notes of the saved store commands open (published by opening it)."""
    open_store(mini)
    root = storecache.store_root(mini)
    key = json.loads((root / storecache.INDEX).read_text(encoding="utf-8"))["with-external"]["key"]
    return key, json.loads((root / key / storecache.META).read_text(encoding="utf-8"))


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _fresh(mini) -> set:
    memory = OxigraphStore(union_copy=True)
    memory.fill(mini)
    return _quads(memory.ox)


@pytest.mark.slow
def test_a_build_after_an_edit_updates_the_store_to_what_a_load_gives(mini, cache, monkeypatch):
    from graphkit.build import build

    build(mini, saved_store=True)
    first, notes = _published(mini)
    assert "updated_from" not in notes                   # the first build of this cache loads it
    statements = mini.curation_dir / "statements" / "004_chang_2004_jmml_second_hsct.yaml"
    _edit(statements, "  - s: jmml\n    p: prevalence\n    value: rare\n    quote: \"Juvenile myelomonocytic "
          "leukemia (JMML) is a rare clonal myeloproliferative disease in young childhood.\"\n", "")
    _edit(mini.curation_dir / "entities" / "diseases.yaml", "    label: juvenile myelomonocytic leukemia\n",
          "    label: juvenile myelomonocytic leukaemia\n")
    loads = _count_loads(monkeypatch)
    build(mini, saved_store=True)
    second, notes = _published(mini)
    assert loads == [] and second != first and notes["updated_from"] == first
    saved = open_store(mini)
    assert _quads(saved.ox) == _fresh(mini)
    assert notes["union_copy"] == sum(1 for _ in saved.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    jmml = "<https://w3id.org/graphkit/entity/jmml>"
    assert run(f"SELECT ?l WHERE {{ {jmml} rdfs:label ?l }}", store=saved).records() == [
        {"l": "juvenile myelomonocytic leukaemia"}]
    assert run(f"ASK {{ {jmml} gk:prevalence ?v }}", store=saved).boolean is False


def _prepare(mini, texts: dict) -> dict:
    """Prepare the store of ``texts``, write them, and return the notes of the store commands open."""
    OxigraphStore.prepare_saved(mini, texts)
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    return _published(mini)[1]


def test_a_change_that_cannot_be_told_from_its_statements_loads_the_store(mini, cache, monkeypatch):
    open_store(mini)
    inferred = mini.inferred_ttl.read_text(encoding="utf-8")
    loads = _count_loads(monkeypatch)
    notes = _prepare(mini, {mini.inferred_ttl: inferred + "\n<http://x/a> <http://x/p> [ <http://x/q> <http://x/b> ] .\n"})
    assert loads == [True] and "updated_from" not in notes
    assert _quads(open_store(mini).ox) == _fresh(mini)


def test_an_update_that_fails_loads_the_store_and_leaves_no_partial_one(mini, cache, monkeypatch):
    from graphkit import turtlediff

    open_store(mini)
    ghost = frozenset({(ox.NamedNode("http://x/p"), ox.NamedNode("http://x/never-stored"))})
    monkeypatch.setattr(turtlediff, "changes", lambda old, new: turtlediff.Changes(removed_nodes=[ghost]))
    loads = _count_loads(monkeypatch)
    all_ttl = mini.all_ttl.read_text(encoding="utf-8")
    notes = _prepare(mini, {mini.all_ttl: all_ttl + "\n<http://x/a> <http://x/p> <http://x/b> .\n"})
    assert loads == [True] and "updated_from" not in notes
    assert not any(d.name.endswith(storecache.PARTIAL) for d in (cache / "store").iterdir())
    assert _quads(open_store(mini).ox) == _fresh(mini)


@pytest.mark.slow
def test_the_update_keeps_an_external_ontology_loaded_beside_the_release(mini, cache):
    """With `graphkit load-external`'s ontologies in the saved store (a load of all of them took
    seconds for the full HPO), an edit updates the store too, the external graph untouched."""
    from pathlib import Path

    from graphkit.build import build
    from graphkit.external import load_external

    load_external(mini, Path(__file__).parent / "fixtures" / "mini.obo")
    build(mini, saved_store=True)
    first, _ = _published(mini)
    _edit(mini.curation_dir / "entities" / "diseases.yaml", "    label: juvenile myelomonocytic leukemia\n",
          "    label: juvenile myelomonocytic leukaemia\n")
    build(mini, saved_store=True)
    _, notes = _published(mini)
    assert notes["updated_from"] == first
    saved = open_store(mini)
    assert run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/graphkit/graph/external/mini> "
               "{ ?s ?p ?o } }", store=saved).records() == [{"n": 105}]
    assert _quads(saved.ox) == _fresh(mini)


def test_an_external_ontology_bulk_loaded_from_its_file_is_what_a_load_in_memory_gives(mini, cache):
    """The saved store's external graphs come from their N-Triples files straight into the bulk
    loader: the same quads as the release and the external ontology loaded in memory, each in its
    named graph and once in the union copy, and the store's size counts the named graphs only."""
    from pathlib import Path

    from graphkit.external import load_external

    load_external(mini, Path(__file__).parent / "fixtures" / "mini.obo")
    saved = open_store(mini)
    assert _quads(saved.ox) == _fresh(mini)
    in_memory = OxigraphStore.from_project(mini)
    assert len(saved) == len(in_memory) == sum(_counts(in_memory).values())
    _, notes = _published(mini)
    assert notes["union_copy"] == sum(1 for _ in saved.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_a_curation_error_stops_the_build_before_any_store_is_loaded(mini, cache, monkeypatch):
    """The preload starts once the curation has loaded: a typo exits at once, not after a load."""
    from graphkit.build import build
    from graphkit.errors import CurationError

    _edit(mini.curation_dir / "entities" / "diseases.yaml", "    label: juvenile myelomonocytic leukemia\n",
          "    label: [juvenile myelomonocytic leukemia\n")
    loads = _count_loads(monkeypatch)
    with pytest.raises(CurationError):
        build(mini, saved_store=True)
    assert loads == [] and not (cache / "store").exists()
