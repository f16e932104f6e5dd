"""Two xrefs of one entity that Mondo's mapping sets relate otherwise (graphkit.linking.conflicts)."""

from __future__ import annotations

import pytest

from graphkit.linking.check import check_registry
from graphkit.linking.conflicts import Conflict, find_conflicts, implied
from graphkit.linking.reference import Reference
from graphkit.schema import Schema
from loaders.registry import Entity, Registry, Xref, load_registry


@pytest.fixture(scope="module")
def reference():
    return Reference()


@pytest.fixture(scope="module")
def schema(project):
    return Schema.load(project.schema_file)


def _entity(ident, label, *xrefs, types=("Disease",), synonyms=()):
    return Entity(ident, list(types), label, list(synonyms), list(xrefs))


def _registry(*entities):
    return Registry({e.id: e for e in entities})


def _found(reference, *entities):
    return {(c.entity, c.xref, c.via, c.implied, c.settled) for c in find_conflicts(_registry(*entities), reference)}


def test_composition():
    assert {(p, s): implied(p, s) for p in ("exact", "broad", "narrow", "close", "related")
            for s in ("exact", "broad", "narrow", "close", "related") if implied(p, s)} == {
        ("exact", "exact"): "exact", ("exact", "broad"): "broad", ("exact", "narrow"): "narrow",
        ("exact", "close"): "close", ("exact", "related"): "related",
        ("broad", "exact"): "broad", ("narrow", "exact"): "narrow", ("close", "exact"): "close",
        ("related", "exact"): "related", ("broad", "broad"): "broad", ("narrow", "narrow"): "narrow"}


def test_the_audits_mucositis_pair_is_found_from_both_sides(reference):
    """The registry had gastrointestinal mucositis exact to MONDO:0000888 and broad to DO's
    mucositis, which Mondo maps exactly (one to one) to MONDO:0000888."""
    found = find_conflicts(_registry(_entity(
        "gut", "gastrointestinal mucositis", Xref("MONDO:0000888"),
        Xref("DOID:0080178", "broad", "manual", note="DO's mucositis also covers the mouth"), types=("Phenotype",))),
        reference)
    assert found == [
        Conflict("gut", "MONDO:0000888", "exact", "DOID:0080178", "broad", "MONDO:0000888 skos:exactMatch DOID:0080178",
                 "broad"),
        Conflict("gut", "DOID:0080178", "broad", "MONDO:0000888", "exact", "MONDO:0000888 skos:exactMatch DOID:0080178",
                 "exact")]


def test_each_rule(reference):
    found = _found(
        reference,
        # exact against close: MONDO:0011908 is exactly NCIT:C9233
        _entity("close", "juvenile myelomonocytic leukemia", Xref("MONDO:0011908"), Xref("NCIT:C9233", "close")),
        # two exact matches Mondo says are broader and narrower: MONDO:0012391 broadMatch ICD10CM:G40.3
        _entity("two_exact", "northern epilepsy", Xref("MONDO:0012391"), Xref("ICD10CM:G40.3")),
        # a related row: MONDO:0005249 pneumonia relatedMatch ICD10CM:J15
        _entity("related", "pneumonia", Xref("MONDO:0005249"), Xref("ICD10CM:J15", "narrow")),
        # broad then exact is broad: B-ALL broad to Mondo's leukemia/lymphoma class, close to DO's
        _entity("broad", "B-cell acute lymphoblastic leukemia", Xref("MONDO:0004947", "broad"),
                Xref("DOID:0080630", "close")),
        # two ids one MONDO term maps exactly, the entity not mapping that term
        _entity("siblings", "gastrointestinal mucositis", Xref("NCIT:C3853"), Xref("DOID:0080178", "broad")),
        # a code node is exactly its own id: Mondo maps JMML exactly to C93.3
        _entity("ICD10CM:C93.3", "Juvenile myelomonocytic leukemia", Xref("MONDO:0011908", "broad"),
                types=("ICD10CMCode",)),
    )
    assert found == {
        ("close", "MONDO:0011908", "NCIT:C9233", "close", False), ("close", "NCIT:C9233", "MONDO:0011908", "exact", False),
        ("two_exact", "MONDO:0012391", "ICD10CM:G40.3", "narrow", False),
        ("two_exact", "ICD10CM:G40.3", "MONDO:0012391", "broad", False),
        ("related", "ICD10CM:J15", "MONDO:0005249", "related", False),     # narrow then related: nothing
        ("broad", "MONDO:0004947", "DOID:0080630", "close", False),
        ("broad", "DOID:0080630", "MONDO:0004947", "broad", False),
        ("siblings", "NCIT:C3853", "DOID:0080178", "broad", False),
        ("siblings", "DOID:0080178", "NCIT:C3853", "exact", False),
        ("ICD10CM:C93.3", "ICD10CM:C93.3", "MONDO:0011908", "broad", False),
        ("ICD10CM:C93.3", "MONDO:0011908", "ICD10CM:C93.3", "exact", False)}


def test_what_is_no_conflict(reference):
    assert _found(
        reference,
        # agreeing predicates: exact and exact, broad and broad through an exact row
        _entity("jmml", "juvenile myelomonocytic leukemia", Xref("MONDO:0011908"), Xref("DOID:0050458"),
                Xref("ICD10CM:C93.3")),
        _entity("relapse", "JMML in relapse", Xref("MONDO:0011908", "broad"), Xref("DOID:0050458", "broad")),
        # a one-to-many exact row: Mondo maps cancer exactly to three DO classes
        _entity("cancer", "cancer", Xref("MONDO:0004992"), Xref("DOID:162"), Xref("DOID:0050686", "narrow")),
        # close then anything but exact implies nothing; broad then narrow neither
        _entity("vague", "something", Xref("MONDO:0012391", "close"), Xref("ICD10CM:G40.3", "broad")),
        # the entity maps the MONDO term: the siblings' row is not asked again (its own rows agree)
        _entity("gut", "gastrointestinal mucositis", Xref("MONDO:0000888"), Xref("NCIT:C3853"),
                Xref("DOID:0080178")),
    ) == set()


@pytest.mark.slow
def test_a_note_that_names_the_other_id_settles_it(reference, schema):
    note = "ICD-10-CM codes the other AMLs apart, so Mondo's exact row from MONDO:0018874 takes one category for all"
    settled = _entity("aml", "acute myeloid leukemia", Xref("MONDO:0018874"),
                      Xref("ICD10CM:C92.0", "narrow", "manual", note=note))
    unsettled = _entity("aml2", "acute myeloid leukemia", Xref("MONDO:0018874"),
                        Xref("ICD10CM:C92.0", "narrow", "manual", note="the myeloblastic types; see MONDO:00188740"))
    assert _found(reference, settled, unsettled) == {
        ("aml", "MONDO:0018874", "ICD10CM:C92.0", "narrow", True), ("aml", "ICD10CM:C92.0", "MONDO:0018874", "exact", True),
        ("aml2", "MONDO:0018874", "ICD10CM:C92.0", "narrow", False),
        ("aml2", "ICD10CM:C92.0", "MONDO:0018874", "exact", False)}
    rows = {(r.entity, r.xref): r for entity in (settled, unsettled)          # one entity per exact id
            for r in check_registry(_registry(entity), reference, schema).rows}
    assert {key: row.status for key, row in rows.items()} == {
        ("aml", "MONDO:0018874"): "ok", ("aml", "ICD10CM:C92.0"): "ok",
        ("aml2", "MONDO:0018874"): "conflict", ("aml2", "ICD10CM:C92.0"): "conflict"}
    assert rows["aml", "ICD10CM:C92.0"].detail.endswith(
        "Mondo's MONDO:0018874 skos:exactMatch ICD10CM:C92.0 and exactMatch MONDO:0018874 make it exactMatch: a curated "
        "disagreement with Mondo's row (the note of one of the two names the other)")
    assert rows["aml2", "ICD10CM:C92.0"].detail == (
        "Mondo's MONDO:0018874 skos:exactMatch ICD10CM:C92.0 and exactMatch MONDO:0018874 make it exactMatch, the "
        "registry says narrowMatch: this xref, MONDO:0018874 or Mondo's row is wrong; fix the xref, or say in a note "
        "that names MONDO:0018874 why the row does not hold here")


def test_a_conflict_fails_link_check_and_is_not_verified(reference, schema):
    checked = check_registry(_registry(_entity(
        "gut", "gastrointestinal mucositis", Xref("MONDO:0000888"),
        Xref("DOID:0080178", "broad", "manual", note="DO's mucositis also covers the mouth"), types=("Phenotype",))),
        reference, schema)
    assert {(r.xref, r.status) for r in checked.failed} == {("MONDO:0000888", "conflict"), ("DOID:0080178", "conflict")}
    assert checked.verified.get("gut", set()) == set()


@pytest.mark.slow
def test_link_check_names_the_line_of_a_conflicting_xref(mini, cli):
    path = mini.entities_dir / "diseases.yaml"
    old = "{id: DOID:0050458, justification: via_mondo}"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, '{id: DOID:0050458, match: broad, justification: manual, note: "wider?"}'),
                    encoding="utf-8")
    line = next(n for n, content in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "DOID:0050458" in content)
    result = cli("link", "--check", "jmml", root=mini.root)
    assert result.code == 1
    assert f"ontology/curation/entities/diseases.yaml:{line}: jmml -> DOID:0050458: conflict: Mondo's MONDO:0011908 " \
        "skos:exactMatch DOID:0050458 and exactMatch MONDO:0011908 make it exactMatch, the registry says broadMatch" \
        in result.err, result


def test_the_releases_conflicts_are_the_curated_disagreements(project, reference):
    """Every conflict of the registry is settled: a note of the pair names the other id and says
    why Mondo's row does not hold for this entity. Gastrointestinal mucositis (exact to
    MONDO:0000888, broad to DO's mucositis, which Mondo maps exactly to it) was fixed: DO's
    mucositis is a gastrointestinal system disease, exact."""
    registry = load_registry(project.entities_dir, Schema.load(project.schema_file), project.root)
    found = find_conflicts(registry, reference)
    assert [c for c in found if not c.settled] == []
    assert {(c.entity, c.xref, c.match, c.via) for c in found} == {
        ("acute_leukemia", "MONDO:0010643", "exact", "DOID:12603"),
        ("acute_leukemia", "DOID:12603", "narrow", "MONDO:0010643"),           # DO's is a lymphoid leukemia
        ("hematologic_malignancy", "DOID:2531", "exact", "MONDO:0002334"),
        ("hematologic_malignancy", "MONDO:0002334", "broad", "DOID:2531"),     # Mondo's class: any neoplasm
        ("acute_myeloid_leukemia", "MONDO:0018874", "exact", "ICD10CM:C92.0"),
        ("acute_myeloid_leukemia", "ICD10CM:C92.0", "narrow", "MONDO:0018874"),  # the myeloblastic types only
        ("pneumonia", "MONDO:0005249", "exact", "ICD10CM:J18.9"),
        ("pneumonia", "ICD10CM:J18.9", "narrow", "MONDO:0005249")}              # organism not specified
