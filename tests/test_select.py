"""Choosing a subgraph, on the view of the mini project (document 004's statements about 15
entities): seeds and hops, direction, predicates, types, listed entities, CONSTRUCT queries."""

from __future__ import annotations

import pytest

from graphkit.errors import EnvironmentProblem
from graphkit.nxview import PROVENANCE_TYPES, SelectionError
from graphkit.select import Selection, construct_text, read_entity_list, select


def _edges(sub) -> set:
    return {(u, k, v) for u, v, k in sub.edges(keys=True)}


def test_a_seed_and_its_neighbours_with_the_edges_among_them(mini_view):
    sub = select(mini_view, Selection(seeds=["jmml"], hops=1))
    assert set(sub) == {"jmml", "myeloproliferative_disease", "hsct", "jmml_relapse_after_hsct", "chang2004_review"}
    assert _edges(sub) == {("jmml", "subtypeOf", "myeloproliferative_disease"), ("jmml", "curativeTherapy", "hsct"),
                           ("jmml_relapse_after_hsct", "stateOf", "jmml"),
                           ("chang2004_review", "studiesCondition", "jmml")}
    assert sub.graph["selection"] == "1 hop(s) around jmml"
    assert list(sub) == sorted(sub), "nodes in a stable order (reproducible files)"


def test_direction_predicates_and_types(mini_view):
    outgoing = select(mini_view, Selection(seeds=["jmml"], hops=1, direction="out"))
    assert set(outgoing) == {"jmml", "myeloproliferative_disease", "hsct"}
    chain = select(mini_view, Selection(seeds=["second HSCT"], hops=2, predicates=["subtypeOf"]))
    assert _edges(chain) == {("second_allogeneic_hsct", "subtypeOf", "allogeneic_hsct"),
                             ("allogeneic_hsct", "subtypeOf", "hsct")}
    therapies = select(mini_view, Selection(seeds=["chang2004_case"], hops=1, types=["Therapy"]))
    assert set(therapies) == {"chang2004_case", "donor_lymphocyte_infusion", "immunosuppression_withdrawal",
                              "second_allogeneic_hsct"}
    assert therapies.graph["selection"] == "1 hop(s) around chang2004_case; types Therapy"


def test_listed_entities_and_the_edges_among_them(mini_view, tmp_path):
    listed = tmp_path / "entities.txt"
    listed.write_text("# two entities\njmml\n\nJMML relapse after HSCT   # by its synonym\n", encoding="utf-8")
    names = read_entity_list(listed)
    assert names == ["jmml", "JMML relapse after HSCT"]
    sub = select(mini_view, Selection(entities=names))
    assert _edges(sub) == {("jmml_relapse_after_hsct", "stateOf", "jmml")}
    assert sub.graph["selection"] == "2 listed entities"


def test_a_predicate_keeps_the_properties_below_it(mini_view):
    """`--seed jmml --predicate treatedWith` said "jmml has no edge of treatedWith: the selection
    is the seed alone", where document 004 states HSCT its only cure (curativeTherapy, a
    subproperty): a clinician read no treatment. A predicate keeps its subproperties, as a type
    keeps its subclasses, and names one that only its subproperties' edges use."""
    sub = select(mini_view, Selection(seeds=["jmml"], hops=1, predicates=["treatedWith"]))
    assert _edges(sub) == {("jmml", "curativeTherapy", "hsct")}
    listed = select(mini_view, Selection(entities=["jmml", "hsct"], predicates=["gk:treatedWith"]))
    assert _edges(listed) == {("jmml", "curativeTherapy", "hsct")}
    assert _edges(select(mini_view, Selection(seeds=["jmml"], hops=1, predicates=["curativeTherapy"]))) == _edges(sub)


def test_a_predicate_alone_selects_what_it_states(mini_view):
    sub = select(mini_view, Selection(predicates=["noResponseTo"]))
    assert set(sub) == {"chang2004_case", "donor_lymphocyte_infusion", "immunosuppression_withdrawal"}
    assert select(mini_view, Selection()).number_of_nodes() == mini_view.number_of_nodes()


def test_a_construct_query_selects_nodes_and_edges(mini_view, mini_store):
    sub = select(mini_view, Selection(construct="CONSTRUCT { ?a gk:subtypeOf ?b } WHERE { ?a gk:subtypeOf ?b }"),
                 mini_store)
    assert _edges(sub) == {("jmml", "subtypeOf", "myeloproliferative_disease"),
                           ("jmml_relapse_after_hsct", "subtypeOf", "jmml_in_relapse"),
                           ("second_allogeneic_hsct", "subtypeOf", "allogeneic_hsct"),
                           ("allogeneic_hsct", "subtypeOf", "hsct")}
    with pytest.raises(SelectionError, match="the selection is empty"):
        select(mini_view, Selection(construct="CONSTRUCT { ?s ?p ?o } WHERE { ?s gk:noSuchThing ?o }"), mini_store)
    with pytest.raises(SelectionError, match="needs a store"):
        select(mini_view, Selection(construct="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))


def test_construct_text_from_text_file_or_catalogue(tmp_path):
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert construct_text(text) == text
    (tmp_path / "q.rq").write_text(text, encoding="utf-8")
    assert construct_text(str(tmp_path / "q.rq")) == text
    assert construct_text("q", tmp_path) == text
    with pytest.raises(EnvironmentProblem, match="cannot read the query file .*missing.rq: No such file"):
        construct_text(str(tmp_path / "missing.rq"))


def test_bad_selections_are_clear_errors(mini_view, tmp_path):
    with pytest.raises(SelectionError, match="--hops must be 0 or more, not -1"):
        select(mini_view, Selection(seeds=["jmml"], hops=-1))
    with pytest.raises(SelectionError, match="unknown entity 'jml'"):
        select(mini_view, Selection(seeds=["jml"]))
    with pytest.raises(EnvironmentProblem, match="cannot read the entity list .*none.txt: No such file"):
        read_entity_list(tmp_path / "none.txt")


def test_describe_says_what_was_selected():
    selection = Selection(seeds=["jmml"], hops=2, predicates=["subtypeOf"], types=["Disease"],
                          sources=["chang_2004_jmml_second_hsct"], direction="in", construct="CONSTRUCT {} WHERE {}")
    assert selection.describe() == ("2 hop(s) around jmml + a CONSTRUCT query; predicates subtypeOf; types Disease; "
                                    "stated by chang_2004_jmml_second_hsct; direction in")
    assert Selection().describe() == "the whole graph" and Selection(sources=["x"]).describe() == "everything; stated by x"


@pytest.fixture(scope="module")
def mini_full_view(mini_store):
    """The mini project's view with its evidence, documents and classes (--include-provenance
    --include-schema)."""
    from graphkit import nxview

    return nxview.from_store(mini_store, include_provenance=True, include_schema=True)


CONTEXT_TYPES = (*PROVENANCE_TYPES, "Class")


@pytest.mark.parametrize("selection", [
    Selection(seeds=["jmml"], hops=1),
    Selection(seeds=["chang2004_case"], hops=1, types=["Therapy"]),
    Selection(seeds=["jmml"], hops=2, predicates=["subtypeOf"]),
    Selection(seeds=["jmml"], hops=1, sources=["chang_2004_jmml_second_hsct"]),
    Selection(predicates=["noResponseTo"]),
    Selection(sources=["chang_2004_jmml_second_hsct"]),
    Selection(types=["Therapy"]),
    Selection(entities=["jmml", "hsct", "myeloproliferative_disease"], predicates=["treatedWith"]),
    Selection(construct="CONSTRUCT { ?a gk:subtypeOf ?b } WHERE { ?a gk:subtypeOf ?b }"),
], ids=["seed", "seed-type", "seed-predicate", "seed-source", "predicate", "source", "type", "entities-predicate",
        "construct"])
def test_every_selection_brings_its_evidence_and_classes_tied_to_it(mini_full_view, mini_store, selection):
    """--include-provenance and --include-schema bring each selected edge's evidence (tied to its
    subject, object and document) and each node's classes (tied by instanceOf and subClassOf),
    whatever selected it. A --type, --predicate or --source filter took them away, since an
    evidence node is of no type asked for and its edges of no predicate or source: `--seed jmml
    --type Therapy` had no evidence at all, `--source 004` alone or a CONSTRUCT query neither,
    and with `--predicate` or `--source` after a seed the evidence nodes were left without an
    edge (isolated nodes in Gephi)."""
    full = mini_full_view
    sub = select(full, selection, mini_store)
    entities = {n for n, kind in sub.nodes(data="type") if kind not in CONTEXT_TYPES}
    stated = [d for u, v, d in sub.edges(data=True) if u in entities and v in entities and d["evidence"]]
    assert stated, "a selection with edges"
    for evidence in {ev for d in stated for ev in d["evidence"].split("|")}:
        assert set(full.out_edges(evidence, keys=True)) <= set(sub.out_edges(evidence, keys=True)), evidence
    for node in entities | {n for n, kind in sub.nodes(data="type") if kind == "Class"}:
        tied = {(u, v, k) for u, v, k in full.out_edges(node, keys=True) if k in ("instanceOf", "subClassOf")}
        assert tied <= set(sub.out_edges(node, keys=True)), node
    assert not [n for n, kind in sub.nodes(data="type") if kind in CONTEXT_TYPES and sub.degree(n) == 0]


def test_a_biolink_predicate_no_edge_of_the_view_is_of_names_the_aligned_properties(mini_view, mini_store):
    """Document 004 states no side effect: the Biolink predicate is known and aligned, the view has
    none of its edges (the full release's selection is tested with the KGX export)."""
    with pytest.raises(SelectionError, match=r"^no edge of the view is of a property aligned with "
                                             r"'biolink:has_adverse_event' \(the schema aligns gk:\w+.* with it\)$"):
        select(mini_view, Selection(predicates=["biolink:has_adverse_event"]), mini_store)
    notes = []
    therapies = select(mini_view, Selection(predicates=["biolink:subclass_of"]), mini_store, notes)
    assert {k for *_, k in therapies.edges(keys=True)} == {"subtypeOf", "stateOf"}
    assert notes == ["predicate 'biolink:subclass_of' is stateOf, subtypeOf (the schema's alignments with Biolink)"]


def test_certainty_keeps_the_edges_one_evidence_of_which_is_of_it(mini_view):
    """Document 004 states one edge as possible (a second transplant for JMML relapsing after the first)."""
    possible = select(mini_view, Selection(certainties=["possible"]))
    assert _edges(possible) == {("jmml_relapse_after_hsct", "treatedWith", "second_allogeneic_hsct")}
    assert possible.graph["selection"] == "everything; certainty possible"
    walked = select(mini_view, Selection(seeds=["second HSCT"], hops=2, certainties=["Possible"]))
    assert _edges(walked) == _edges(possible), "the walk follows only the kept edges"
    notes = []
    alone = select(mini_view, Selection(seeds=["jmml"], hops=2, certainties=["under study"]), notes=notes)
    assert set(alone) == {"jmml"} and notes == [
        "jmml has no edge of certainty under study: the selection is the seed alone"]
    with pytest.raises(SelectionError, match=r"^unknown certainty 'sure'; the levels are Established, Possible, "
                                             r"UnderStudy, Unclear$"):
        select(mini_view, Selection(certainties=["sure"]))
    with pytest.raises(SelectionError, match="^the selection is empty"):
        select(mini_view, Selection(certainties=["Unclear"]))


def test_a_predicate_with_certainty_or_scope_is_read_in_the_whole_view(mini_view):
    """--certainty or --scope with --predicate read the predicate among the kept edges: a predicate
    none of whose edges was kept was "unknown predicate 'subtypeOf' (not used by any edge)"."""
    kept = select(mini_view, Selection(certainties=["possible"], predicates=["treatedWith"]))
    assert _edges(kept) == {("jmml_relapse_after_hsct", "treatedWith", "second_allogeneic_hsct")}
    with pytest.raises(SelectionError) as empty:
        select(mini_view, Selection(certainties=["possible"], predicates=["subtypeOf"]))
    assert str(empty.value) == "the selection is empty (no edge of subtypeOf of certainty possible): nothing to export"
    notes = []
    alone = select(mini_view, Selection(seeds=["jmml"], certainties=["possible"], predicates=["subtypeOf"]),
                   notes=notes)
    assert set(alone) == {"jmml"} and notes == [
        "jmml has no edge of subtypeOf of certainty possible: the selection is the seed alone"]
    typed = select(mini_view, Selection(seeds=["jmml_relapse_after_hsct"], certainties=["possible"],
                                        predicates=["treatedWith"], types=["Therapy"]))
    assert _edges(typed) == _edges(kept)
    with pytest.raises(SelectionError, match=r"^unknown predicate 'subtypeOff' \(not used by any edge\); did you mean"):
        select(mini_view, Selection(certainties=["possible"], predicates=["subtypeOff"]))


def test_an_empty_selection_names_the_filters_that_left_nothing(mini_view):
    """"the selection is empty: nothing to export" did not say why: --source 004 --certainty unclear."""
    with pytest.raises(SelectionError) as stated:
        select(mini_view, Selection(sources=["004"], certainties=["Unclear"]))
    assert str(stated.value) == ("the selection is empty (no edge stated by chang_2004_jmml_second_hsct of "
                                 "certainty Unclear): nothing to export")
