"""Smoke tests of offline ``kgx validate``: a tiny valid KGX TSV pair passes with the Biolink model
of the biolink-model package, and the defects graphkit's export had are reported exactly."""

from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

KGX = Path(__file__).parent / "data" / "kgx"


def kinds(errors):
    return Counter((e["level"], e["type"], e["entity"]) for e in errors)


def test_a_valid_pair_passes(kgx_offline):
    files = [KGX / "tiny_nodes.tsv", KGX / "tiny_edges.tsv"]
    assert kgx_offline(files, extra_prefixes={}) == []
    assert kgx_offline(files) == []                                   # with graphkit's prefixes added


def test_local_prefixes_and_a_pipe_in_an_edge_id(kgx_offline, tmp_path):
    nodes = (KGX / "tiny_nodes.tsv").read_text().replace("MONDO:0011908", "gke:jmml")
    edges = (KGX / "tiny_edges.tsv").read_text().replace("MONDO:0011908", "gke:jmml").replace(
        "urn:uuid:6f9f1f5e-2d1c-4b8e-9a57-1b2f3c4d5e6f", "gke:jmml|hasSymptom|HP:0001945")
    (tmp_path / "x_nodes.tsv").write_text(nodes)
    (tmp_path / "x_edges.tsv").write_text(edges)
    files = [tmp_path / "x_nodes.tsv", tmp_path / "x_edges.tsv"]
    # '|' is KGX's list separator: the edge id is read as a list of three values.
    list_valued_id = ("ERROR", "INVALID_EDGE_PROPERTY_VALUE_TYPE", "gke:jmml->HP:0001945")
    assert kinds(kgx_offline(files)) == Counter([list_valued_id])
    assert kinds(kgx_offline(files, extra_prefixes={})) == Counter([
        ("ERROR", "INVALID_NODE_PROPERTY_VALUE", "gke:jmml"),
        ("ERROR", "INVALID_EDGE_PROPERTY_VALUE", "gke:jmml->HP:0001945"),
        list_valued_id])


# ---------------------------------------------------------------------------------------------
# The release's KGX export, read by kgx and bmt


@pytest.fixture(scope="module")
def release_kgx(tmp_path_factory):
    from graphkit import nxview
    from graphkit.export import Context, render
    from graphkit.select import Selection, select

    view = nxview.load()
    directory = tmp_path_factory.mktemp("kgx")
    for name, text in render("kgx", select(view, Selection()), Context(view, progress=False)).items():
        (directory / name).write_text(text, encoding="utf-8")
    return view, [directory / "nodes.tsv", directory / "edges.tsv"]


def _rows(path):
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_kgx_validate_passes_on_the_release(kgx_offline, release_kgx):
    _, files = release_kgx
    assert kgx_offline(files) == []
    # with the Biolink prefixes alone, only graphkit's own prefixes are unknown
    errors = kgx_offline(files, extra_prefixes={})
    assert {e["type"] for e in errors} == {"INVALID_NODE_PROPERTY_VALUE", "INVALID_EDGE_PROPERTY_VALUE"}
    prefixes = {word.strip("'").split(":")[0] for e in errors for word in e["message"].split() if word.startswith("'")
                and ":" in word}
    assert prefixes <= {"gke", "ICD10CM", "gkrelease"}, prefixes


def test_a_kgx_round_trip_keeps_every_node_and_edge(kgx_offline, release_kgx, tmp_path):
    from .kgx_offline import kgx_transform

    view, files = release_kgx
    nodes, edges = _rows(files[0]), _rows(files[1])
    written = kgx_transform(files, tmp_path / "roundtrip")
    back_nodes, back_edges = (_rows(p) for p in sorted(written, key=lambda p: "nodes" not in p.name))
    quantities = {n for n, d in view.nodes(data=True) if d["kind"] == "QuantityValue"}     # columns, not nodes
    assert len(back_nodes) == len(nodes) == view.number_of_nodes() - len(quantities) + 1     # + the release's
    assert len(back_edges) == len(edges)
    assert {r["id"] for r in back_nodes} == {r["id"] for r in nodes}
    assert {(r["id"], r["subject"], r["predicate"], r["object"]) for r in back_edges} == \
        {(r["id"], r["subject"], r["predicate"], r["object"]) for r in edges}
    key = {r["id"]: r for r in edges}
    for row in back_edges:     # lists come back as the same sets of values
        for column in ("publications", "supporting_text", "evidence", "evidence_details", "graphkit_statements",
                       "for_population", "in_phase", "scope_note"):
            assert set(row[column].split("|")) == set(key[row["id"]][column].split("|")), (row["id"], column)
        # each evidence's source, certainty and quote come back together, one value per evidence
        details = row["evidence_details"].split("|") if row["evidence"] else []
        assert len(details) == int(row["evidence_count"])
        assert {d.split(";", 1)[0] for d in details} == set(row["evidence"].split("|")) - {""}
    node = {r["id"]: r for r in nodes}
    release = nodes[0]["id"]          # the release's own node keeps its licence, version and rights
    assert {c: v for c, v in node[release].items() if v} == {c: v for c, v in
                                                          next(r for r in back_nodes if r["id"] == release).items() if v}
    for row in back_nodes:
        for column in (c for c in row if c.startswith(("quantity_", "route_", "attribute_")) or
                       c in ("routes_of_delivery", "has_attribute")):
            assert set(row[column].split("|")) == set(node[row["id"]][column].split("|")), (row["id"], column)
    # every curated edge of the view is one of the KGX edges or a quantity, route or attribute column
    # of its subject
    folded = sum(len(r["quantity_statements"].split("|")) for r in back_nodes if r["quantity_statements"])
    assert folded == sum(1 for _, v in view.edges() if v in quantities) > 0
    folded += sum(len(r[f"{group}_statements"].split("|")) for r in back_nodes for group in ("route", "attribute")
                  if r[f"{group}_statements"])
    assert sum(len(r["graphkit_statements"].split("|")) for r in back_edges) + folded == view.number_of_edges()


def test_kgx_json_lines_keep_the_release_only_as_a_node(kgx_offline, tmp_path, project):
    """kgx 2.6 writes and reads no graph-level metadata (its JSON and JSON Lines hold nodes and
    edges only): what kgx transform keeps of the release is its node, a biolink:Dataset with the
    declared licence, version and title."""
    import json

    from graphkit import nxview
    from graphkit.export import Context, render
    from graphkit.select import Selection, select

    from .kgx_offline import kgx_transform

    view = nxview.load()
    for name, text in render("kgx", select(view, Selection(seeds=["jmml_in_relapse"], hops=1)),
                             Context(view, progress=False)).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    inputs = [tmp_path / "nodes.tsv", tmp_path / "edges.tsv"]
    [document] = kgx_transform(inputs, tmp_path / "document.json", output_format="json")
    assert set(json.loads(document.read_text())) == {"nodes", "edges"}
    written = kgx_transform(inputs, tmp_path / "lines", output_format="jsonl")
    nodes, edges = ([json.loads(line) for line in path.read_text().splitlines()]
                    for path in sorted(written, key=lambda p: "nodes" not in p.name))
    meta = project.config.ontology
    [release] = [n for n in nodes if n["category"] == ["biolink:Dataset"]]
    assert (release["id"], release["name"], release["version"], release["license"], release["creation_date"]) == (
        f"gkrelease:{meta.version}", meta.title, meta.version, meta.license, meta.date)
    assert edges and not any("has_evidence" in e for e in edges)


@pytest.fixture(scope="module")
def bmt_toolkit():
    """bmt on the Biolink model YAML of the biolink-model package (no network)."""
    from .kgx_offline import biolink_model_yaml, kgx_missing

    if kgx_missing():
        pytest.skip(kgx_missing())
    from bmt import Toolkit

    return Toolkit(str(biolink_model_yaml()), {"predicate mappings": []})


def test_categories_and_predicates_are_what_biolink_allows_on_nodes_and_edges(bmt_toolkit, release_kgx):
    tk = bmt_toolkit
    _, files = release_kgx
    nodes, edges = _rows(files[0]), _rows(files[1])
    for category in {r["category"] for r in nodes}:
        element = tk.get_element(category)
        assert tk.is_category(category) and not tk.is_mixin(category) and not element.abstract, category
    for predicate in {r["predicate"] for r in edges}:
        element = tk.get_element(predicate)
        assert tk.is_predicate(predicate) and not tk.is_mixin(predicate), predicate
        inverse = element.inverse and tk.get_element(element.inverse)
        canonical = lambda e: "canonical_predicate" in (e.annotations or {})     # noqa: E731
        assert not (inverse and canonical(inverse)), f"{predicate}: its inverse {inverse.name} is the canonical one"


def test_the_release_node_uses_biolink_slots_of_a_dataset(bmt_toolkit, release_kgx):
    """bmt: the release's node is a concrete Dataset; license, rights, creation_date and version are
    slots whose domain (if any) is the Dataset or one of its ancestors."""
    tk = bmt_toolkit
    _, files = release_kgx
    release = _rows(files[0])[0]
    assert release["category"] == "biolink:Dataset" and not tk.get_element("dataset").abstract
    dataset = tk.get_ancestors("dataset", reflexive=True)
    for slot in ("license", "rights", "creation_date", "version"):
        element = tk.get_element(slot)
        assert release[slot] and tk.is_node_property(slot) and element.domain in (None, *dataset), (slot, element.domain)


def _domain_range_mismatches(tk, nodes, edges):
    """(curated property, Biolink predicate, end, category) -> edges whose subject (object) category
    is outside the predicate's domain (range), by bmt (domains and ranges read with ancestors and
    mixins)."""
    from collections import Counter

    category = {row["id"]: row["category"] for row in nodes}
    found: Counter = Counter()
    for row in edges:
        predicate = row["predicate"]
        for end, allowed in (("subject", tk.get_slot_domain(predicate, include_ancestors=True, formatted=True)),
                             ("object", tk.get_slot_range(predicate, include_ancestors=True, formatted=True))):
            have = category[row[end]]
            if allowed and not set(allowed) & set(tk.get_ancestors(have, mixin=True, formatted=True, reflexive=True)):
                found[(row["original_predicate"], predicate, end, have)] += 1
    return found


def _documented_mismatches():
    """The table of docs/export.md, "Domain and range": one row per kind of mismatch."""
    from graphkit.project import Project

    text = (Project.locate().root / "docs" / "export.md").read_text(encoding="utf-8")
    section = text.split("#### Domain and range", 1)[1].split("\n#", 1)[0]
    out = {}
    for line in section.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("gk:"):
            out[tuple(cells[:4])] = int(cells[4])
    return out


def test_every_domain_and_range_mismatch_is_documented(bmt_toolkit, release_kgx):
    """bmt's domains and ranges against the export: each kind of mismatch is a row of the table in
    docs/export.md with its reason, and the table lists no other; related_to stays rare."""
    _, files = release_kgx
    nodes, edges = _rows(files[0]), _rows(files[1])
    assert _domain_range_mismatches(bmt_toolkit, nodes, edges) == _documented_mismatches()
    related = sum(row["predicate"] == "biolink:related_to" for row in edges)
    # the share docs/export.md states (tests/export/test_formats.py checks its figure and table)
    assert related / len(edges) < 0.12, f"{related} of {len(edges)} edges are biolink:related_to"


@pytest.mark.parametrize("seeds, hops", [(["jmml_in_relapse"], 2), ([], 1)])
def test_kgx_of_a_view_with_the_schema_and_the_evidence_validates(kgx_offline, tmp_path, seeds, hops):
    """With --include-schema a selection reaching a quantity value brought the class
    gk:QuantityValue, which the export took for a quantity (KeyError), and with
    --include-provenance the evidence nodes' offsets were not text (AttributeError)."""
    from graphkit import nxview
    from graphkit.export import Context, render
    from graphkit.select import Selection, select

    view = nxview.load(include_schema=True, include_provenance=True)
    files = render("kgx", select(view, Selection(seeds=seeds, hops=hops)), Context(view, progress=False))
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    nodes = _rows(tmp_path / "nodes.tsv")
    assert any(r["id"] == "gk:QuantityValue" for r in nodes)
    assert any(r.get("quote_start", "").isdigit() for r in nodes)
    assert kgx_offline([tmp_path / "nodes.tsv", tmp_path / "edges.tsv"]) == []
