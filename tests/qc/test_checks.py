"""Quality gates: a clean release validates; each broken copy gives exactly the expected findings.

The clean release is the real one (compiled once per session). The rules are tried on a small
slice of it (the statements of document 001 with their evidence, and the entities they and the
tests name; a few thousand triples, checked in process in a fraction of a second), on tiny
golden Turtle files in tests/fixtures/ and on the mini project (through the command line).
"""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graphkit.assemble import curated_lines
from graphkit.namespaces import GK, GKE, GKEV, GKQ, GKSRC, GRAPH_SCHEMA, OA, RELEASE_ONTOLOGY, entity_iri, graph_for_triple
from graphkit.qc.data import QCData
from graphkit.qc.run import run_checks, validate_release
from graphkit.qc.shacl import evaluated_rules
from graphkit.qc.shapes import load_shapes
from graphkit.schema import Schema
from graphkit.reason import infer, reasoning_input
from loaders.statements import QUALIFIERS

from ..conftest import ROOT

SCOPE_QUALIFIERS = {GK[prop] for prop in QUALIFIERS.values()}

FIXTURES = ROOT / "tests" / "fixtures"
ICD = "http://purl.bioontology.org/ontology/ICD10CM/"
# Entities the rule tests name besides those of document 001.
NAMED_BY_TESTS = ("vincristine", "fever", "petechiae", "very_high_risk_slow_response_criterion")


def check(graph: Graph, release):
    """All checks on ``graph`` (reasoned here), as `graphkit validate FILE` runs them."""
    data = QCData.from_graphs(graph, infer(reasoning_input(graph)), release.project.root,
                              lines=curated_lines(release.curation))
    return run_checks(data, release.project, release.schema)


def keys(report, levels=("violation",)):
    return {(f.level, f.rule, f.entity, f.property) for f in report.findings if f.level in levels}


def release_slice(release) -> Graph:
    """The release header, the schema, the source records, the entities of document 001, those the tests name and
    two clinical features no criterion uses, with the edges among them and the evidence of those
    edges; edges to entities outside the slice are left out, so the slice is a release of its own."""
    registry = release.registry
    used_features = {st.obj for st in release.statements if st.prop.name == "criterionFeature"}
    unused_features = sorted(e.id for e in registry.values() if "ClinicalFeature" in e.types
                             and e.id not in used_features)[:2]
    ids = set(NAMED_BY_TESTS) | set(unused_features)
    for st in release.statements:
        if st.source.number == "001" or st.subject == "very_high_risk_slow_response_criterion":
            ids.update([st.subject, *(i for ids_ in st.qualifiers.values() for i in ids_)])
            if st.obj is not None and not st.obj.startswith("gk:"):
                ids.add(st.obj)
    entities = {entity_iri(i) for i in ids}
    every_entity = {entity_iri(i) for i in registry}
    by_subject = defaultdict(list)
    for triple in release.triples:
        by_subject[triple[0]].append(triple)
    # Evidence whose scope qualifiers are all in the slice; an edge keeps the
    # evidence it has there (and its axiom node), and an edge that keeps none is left out.
    evidence, axioms = defaultdict(list), {}
    for subject, triples in by_subject.items():
        if isinstance(subject, BNode) and any(p == GK.evidence for _, p, _ in triples):
            parts = {p: o for _, p, o in triples}
            edge = (parts[OWL.annotatedSource], parts[OWL.annotatedProperty], parts[OWL.annotatedTarget])
            axioms[edge] = subject
            for ev in (o for _, p, o in triples if p == GK.evidence):
                if {o for _, p, o in by_subject[ev] if p in SCOPE_QUALIFIERS} <= entities:
                    evidence[edge].append(ev)
    out = Graph()
    for subject, triples in by_subject.items():
        if graph_for_triple(*triples[0]) == GRAPH_SCHEMA or str(subject).startswith(str(GKSRC)) \
                or subject == RELEASE_ONTOLOGY:
            out.addN((*t, out) for t in triples)
    for entity in entities:
        for s, p, o in by_subject[entity]:
            if (o in every_entity and o not in entities) or ((s, p, o) in axioms and not evidence[(s, p, o)]):
                continue
            out.add((s, p, o))
            if str(o).startswith(str(GKQ)):
                out.addN((*t, out) for t in by_subject[o])
            if (s, p, o) in axioms:
                axiom = axioms[(s, p, o)]
                out.addN((*t, out) for t in by_subject[axiom] if t[1] != GK.evidence)
            for ev in evidence.get((s, p, o), ()):
                out.add((axiom, GK.evidence, ev))
                for part in (ev, URIRef(f"{ev}-target"), URIRef(f"{ev}-quote"), URIRef(f"{ev}-position")):
                    out.addN((*t, out) for t in by_subject[part])
    for subject, triples in by_subject.items():      # the entities' mapping axioms
        if isinstance(subject, BNode) and any(p == GK.mappingJustification for _, p, _ in triples) \
                and any(p == OWL.annotatedSource and o in entities for _, p, o in triples):
            out.addN((*t, out) for t in triples)
    return out


@pytest.fixture(scope="session")
def clean_report(release):
    return validate_release(release)


@pytest.fixture(scope="session")
def base_graph(release):
    return release_slice(release)


@pytest.fixture(scope="session")
def base_report(base_graph, release):
    return check(base_graph, release)


@pytest.fixture
def graph(base_graph):
    copy = Graph()
    for triple in base_graph:
        copy.add(triple)
    return copy


def new_findings(report, base_report, levels=("violation",)):
    return keys(report, levels) - keys(base_report, levels)


def axiom_for(g: Graph, s, p, o=None):
    """The owl:Axiom node that attaches the evidence of s p o (any o when None)."""
    for ax in g.subjects(OWL.annotatedSource, s):
        if (ax, OWL.annotatedProperty, p) in g and (o is None or (ax, OWL.annotatedTarget, o) in g):
            return ax
    raise AssertionError(f"no evidence for {s} {p} {o}")


def evidence_for(g: Graph, s, p, o=None):
    return g.value(axiom_for(g, s, p, o), GK.evidence)


def add_edge_with_evidence(g: Graph, s, p, o, like) -> URIRef:
    """Assert s p o with an evidence node copied from ``like`` (same source, quote, offsets)."""
    g.add((s, p, o))
    ev, ax = GKEV[f"test-{abs(hash((s, p, o)))}"], BNode()
    for _, q, v in g.triples((like, None, None)):
        g.add((ev, q, v))
    for q, v in ((RDF.type, OWL.Axiom), (OWL.annotatedSource, s), (OWL.annotatedProperty, p),
                 (OWL.annotatedTarget, o), (GK.evidence, ev)):
        g.add((ax, q, v))
    return ev


# ---------------------------------------------------------------------------------------------
# the clean release


def test_clean_release_has_no_violations(clean_report):
    assert clean_report.violations == [], "\n".join(f.line() for f in clean_report.violations)
    assert clean_report.findings, "warnings are expected while curation is incomplete"


@pytest.mark.slow
def test_validate_cli_on_the_built_release(cli, project):
    result = cli("validate", root=project.root)
    assert result.code == 0, result
    assert "0 violations" in result.out.splitlines()[0]


def test_validate_cli_on_a_built_project(cli, mini):
    result = cli("validate", root=mini.root)
    assert result.code == 0, result
    assert "0 violations" in result.out.splitlines()[0]


def test_validate_formats(cli, mini):
    tsv = cli("validate", "--format", "tsv", root=mini.root)
    assert tsv.code == 0
    header = tsv.out.splitlines()[0].split("\t")
    assert header == ["level", "rule", "check", "entity", "label", "property", "value", "location", "message"]
    data = json.loads(cli("validate", "--format", "json", root=mini.root).out)
    assert data["summary"]["violation"] == 0
    assert len(data["findings"]) == sum(data["summary"].values())
    assert all(f["location"] for f in data["findings"] if f["check"] != "consistency")
    # Every SPARQL check that ran is a rule of the report, those that found nothing with 0: a check
    # a contributor added could not be seen to run while it found nothing.
    checks = sorted(path.name for path in (mini.root / "queries" / "qc").glob("*.rq"))
    ran = sorted(f"{r['rule']}-{r['level']}.rq" for r in data["rules"] if r["check"] == "query")
    assert ran == checks and {"level": "violation", "rule": "self-edge", "check": "query", "findings": 0} in data["rules"]
    assert sum(r["findings"] for r in data["rules"]) == len(data["findings"])
    quiet = sum(1 for r in data["rules"] if r["check"] == "query" and r["findings"] == 0)
    # So is every SHACL shape evaluated, under the rule name its findings have (the named shape):
    # gksh:NamedIndividual, which only gathers property shapes, is no rule.
    shapes = evaluated_rules(load_shapes(mini.shapes_file, Schema.of_project(mini)))
    shacl = {(r["level"], r["rule"]): r["findings"] for r in data["rules"] if r["check"] == "shacl"}
    assert sorted(shacl) == sorted(shapes) and len(shapes) > 300
    assert shacl[("violation", "entity-label")] == shacl[("violation", "hasSymptom-range")] == 0
    assert shacl[("warning", "entity-kind")] == 0 and ("violation", "NamedIndividual") not in shacl
    shacl_quiet = sum(1 for n in shacl.values() if n == 0)
    table = cli("validate", root=mini.root).out.splitlines()
    assert table[1] == (f"{len(shapes)} SHACL rules ran, {shacl_quiet} found nothing; {len(checks)} SPARQL checks of "
                        f"queries/qc/ ran, {quiet} found nothing (--format json lists every rule with its count)")


def test_every_shacl_finding_is_of_a_rule_listed_as_run(clean_report, release):
    """The SHACL rules the report lists as run (0 findings too) are named as the findings are: a
    finding's rule missing from them would be a rule counted twice, once as found, once as quiet."""
    checked = {key for key in clean_report.checked if key[2] == "shacl"}
    found = {(f.level, f.rule, f.check) for f in clean_report.findings if f.check == "shacl"}
    assert found and found <= checked
    assert ("warning", "entity-definition", "shacl") in found
    line = clean_report.checked_line()
    assert line.startswith(f"{len(checked)} SHACL rules ran, {len(checked - found)} found nothing; ")
    # docs/quality.md gives the release's line as it is
    quality = " ".join((ROOT / "docs" / "quality.md").read_text(encoding="utf-8").split())
    assert f"`{line}`" in quality, line


def test_findings_of_a_rule_are_listed_in_line_order(clean_report):
    """validate sorted locations as text: diseases.yaml:104 came before :41 and :5."""
    for rule in {f.rule for f in clean_report.findings}:
        places = [f.location.split("; ")[0].rpartition(":") for f in clean_report.findings
                  if f.rule == rule and f.level == "warning" and f.location]
        for (path, _, line), (next_path, _, next_line) in zip(places, places[1:]):
            if path == next_path and line.isdigit() and next_line.isdigit():
                assert int(line) <= int(next_line), (rule, path, line, next_line)


@pytest.mark.parametrize("text, message", [
    ("#+ summary: s\n#+ description: d\nSELECT ?entity ?property ?value WHERE { ?entity ?property }",
     "queries/qc/zz-broken-violation.rq: malformed SPARQL"),
    ("#+ summary: s\n#+ description: d\nSELECT ?entity ?property ?value WHERE { ?x a ?value BIND(rdf:type AS ?property) } LIMIT 1",
     "queries/qc/zz-broken-violation.rq: a QC query binds ?entity"),
    ("#+ summary: s\n#+ description: d\nSELECT ?property ?value WHERE { ?x a ?value BIND(rdf:type AS ?property) } LIMIT 1",
     "queries/qc/zz-broken-violation.rq: a QC query selects ?entity ?property ?value; it does not select ?entity"),
    ("#+ summry: s\nSELECT ?entity ?property ?value WHERE { ?entity ?property ?value } LIMIT 0",
     "queries/qc/zz-broken-violation.rq: unknown header key 'summry' (a QC query's header has description and "
     "summary)"),
    ("SELECT ?entity ?property ?value WHERE { ?entity ?property ?value } LIMIT 0",
     "queries/qc/zz-broken-violation.rq: the header needs a summary"),
    ("#+ summary: s\nSELECT ?entity ?property ?value WHERE { ?entity ?property ?value } LIMIT 0",
     "queries/qc/zz-broken-violation.rq: the header needs a description (#+ description: ...), what the rule checks"),
])
def test_a_broken_qc_query_is_one_line_naming_its_file(cli, mini, text, message):
    """The QC queries run in a thread beside SHACL; what fails there is reported where it was
    before, as one line naming the query, exit 2."""
    (mini.qc_queries_dir / "zz-broken-violation.rq").write_text(text + "\n", encoding="utf-8")
    result = cli("validate", root=mini.root)
    assert result.code == 2 and message.split(": ", 1)[1] in result.err, result
    assert "zz-broken-violation.rq" in result.err and len(result.err.strip().splitlines()) == 1, result


def test_every_finding_names_entity_rule_and_curated_location(clean_report):
    for f in clean_report.findings:
        assert f.rule and f.entity and f.level in ("violation", "warning", "info")
        assert f.location.startswith(("ontology/", "sources/")), f


def test_the_table_shows_every_location_with_its_line_number(clean_report):
    """`graphkit validate` cut long locations at their end: "...guide.yaml:12…" for line 1227."""
    text = clean_report.render("table", "info", per_rule=0)
    for f in clean_report.findings:
        shown = f.location if len(f.location) <= 70 else "…" + f.location[-69:]
        assert shown in text, f.location


# ---------------------------------------------------------------------------------------------
# one deliberately broken copy per rule


def test_wrong_range(graph, release, base_report):
    like = evidence_for(graph, GKE.jmml_in_relapse, GK.hasSymptom)
    add_edge_with_evidence(graph, GKE.jmml_in_relapse, GK.hasSymptom, GKE.vincristine, like)
    report = check(graph, release)
    assert new_findings(report, base_report) == {
        ("violation", "hasSymptom-range", "gke:jmml_in_relapse", "gk:hasSymptom"),
        ("violation", "disjoint-classes", "gke:vincristine", "rdf:type"),
    }
    # the rule is counted, and the domain shape of the same property, which found nothing, is listed with 0
    rules = report.by_rule(every=True)
    assert {"level": "violation", "rule": "hasSymptom-range", "check": "shacl", "findings": 1} in rules
    assert {"level": "violation", "rule": "hasSymptom-domain", "check": "shacl", "findings": 0} in rules
    # the value shows the classes it has instead of the range's
    assert next(f for f in report.violations if f.rule == "hasSymptom-range").value == "gke:vincristine (gk:Drug)"
    disjoint = next(f for f in report.violations if f.rule == "disjoint-classes")
    # the two triples responsible: vincristine's asserted type and the statement whose range made it a phenotype
    assert "gke:vincristine rdf:type gk:Drug (asserted)" in disjoint.message
    assert "gke:jmml_in_relapse gk:hasSymptom gke:vincristine (range of gk:hasSymptom)" in disjoint.message
    assert "ontology/curation/entities/therapies.yaml:" in disjoint.location
    assert "ontology/curation/statements/001_icd10_c93_32_page.yaml" in disjoint.location     # the test's own evidence


def test_wrong_domain(graph, release, base_report):
    like = evidence_for(graph, GKE.jmml_in_relapse, GK.hasSymptom)
    add_edge_with_evidence(graph, GKE.vincristine, GK.hasSymptom, GKE.fever, like)
    assert new_findings(check(graph, release), base_report) == {
        ("violation", "hasSymptom-domain", "gke:vincristine", "gk:hasSymptom")}


def test_missing_label(graph, release, base_report):
    graph.remove((GKE.fever, RDFS.label, None))
    assert new_findings(check(graph, release), base_report) == {
        ("violation", "entity-label", "gke:fever", "rdfs:label"),
        ("violation", "entity-preflabel", "gke:fever", "skos:prefLabel"),   # no longer equal to a label
    }


def test_missing_evidence(graph, release, base_report):
    ax = axiom_for(graph, GKE.jmml_in_relapse, GK.inState, GKE.relapse)
    for ev in list(graph.objects(ax, GK.evidence)):
        graph.remove((ev, None, None))
    graph.remove((ax, None, None))
    assert new_findings(check(graph, release), base_report) == {
        ("violation", "edge-without-evidence", "gke:jmml_in_relapse", "gk:inState")}


def test_drug_typed_as_disease(graph, release, base_report):
    graph.add((GKE.vincristine, RDF.type, GK.Disease))
    report = check(graph, release)
    assert new_findings(report, base_report) == {("violation", "disjoint-classes", "gke:vincristine", "rdf:type")}
    finding = report.violations[0]
    assert finding.value == "gk:Disease and gk:Therapy"
    assert "gke:vincristine rdf:type gk:Disease (asserted)" in finding.message


def test_dangling_reference(graph, release, base_report):
    ax = axiom_for(graph, GKE.jmml_in_relapse, GK.inState, GKE.relapse)
    [ev] = graph.objects(ax, GK.evidence)
    graph.remove((GKE.jmml_in_relapse, GK.inState, GKE.relapse))
    graph.add((GKE.jmml_in_relapse, GK.inState, GKE.relaps))
    graph.set((ax, OWL.annotatedTarget, GKE.relaps))
    report = check(graph, release)
    assert new_findings(report, base_report) == {
        ("violation", "dangling-reference", "gke:jmml_in_relapse", "gk:inState"),
        ("violation", "dangling-reference", str(ev).replace(str(GKEV), "gkev:"), "owl:annotatedTarget"),
        ("violation", "inState-range", "gke:jmml_in_relapse", "gk:inState"),
    }
    dangling = next(f for f in report.violations if f.rule == "dangling-reference" and f.property == "gk:inState")
    assert dangling.value == "gke:relaps"
    assert dangling.location.startswith("ontology/curation/statements/001_icd10_c93_32_page.yaml:")


def test_bad_icd_code(graph, release, base_report):
    old, new = URIRef(ICD + "C93.32"), URIRef(ICD + "C93.3X2Y9")
    for s, p, o in list(graph):
        if old in (s, o):
            graph.remove((s, p, o))
            graph.add((new if s == old else s, p, new if o == old else o))
    report = check(graph, release)
    assert new_findings(report, base_report) == {("violation", "icd10cm-code-syntax", "ICD10CM:C93.3X2Y9", ""),
                                                 ("violation", "xref-not-in-import", "gke:jmml_in_relapse", "skos:exactMatch")}
    # the renamed code is in no curated line: the file its gk:curationFile names
    assert report.violations[0].location == str(release.registry["ICD10CM:C93.32"].location.path)


@pytest.mark.parametrize("old, new", [("https://precision.fda.gov/uniisearch/srs/unii/5J49Q6B70F",
                                       "https://precision.fda.gov/uniisearch/srs/unii/5J49Q6B70X"),
                                      ("http://purl.obolibrary.org/obo/NCIT_C9233", "http://purl.obolibrary.org/obo/NCIT_C9233999")])
def test_an_invented_id_of_a_labels_module_is_not_in_its_import(graph, release, base_report, old, new):
    """The labels modules (UNII, NCIt ...) let every build catch an id the reference data lacks."""
    old, new = URIRef(old), URIRef(new)
    for s, p, o in list(graph):
        if o == old:
            graph.remove((s, p, o))
            graph.add((s, p, new))
    findings = {f[:2] + f[3:] for f in new_findings(check(graph, release), base_report)}
    assert findings == {("violation", "xref-not-in-import", "skos:exactMatch")}


def test_quote_not_at_its_offsets(graph, release, base_report):
    ev = evidence_for(graph, GKE.jmml_in_relapse, GK.inState, GKE.relapse)
    position = next(s for s in graph.objects(graph.value(ev, OA.hasTarget), OA.hasSelector)
                    if (s, RDF.type, OA.TextPositionSelector) in graph)
    start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
    graph.set((position, OA.start, Literal(start + 1)))
    graph.set((position, OA.end, Literal(end + 1)))
    report = check(graph, release)
    assert new_findings(report, base_report) == {
        ("violation", "quote-not-in-source", str(ev).replace(str(GKEV), "gkev:"), "oa:exact")}
    assert f"(it occurs at offset {start})" in report.violations[0].message


def test_quote_not_in_the_source_at_all(graph, release, base_report):
    ev = evidence_for(graph, GKE.jmml_in_relapse, GK.inState, GKE.relapse)
    quote = next(s for s in graph.objects(graph.value(ev, OA.hasTarget), OA.hasSelector)
                 if (s, RDF.type, OA.TextQuoteSelector) in graph)
    graph.set((quote, OA.exact, Literal("JMML relapse never occurs.")))
    report = check(graph, release)
    assert new_findings(report, base_report) == {
        ("violation", "quote-not-in-source", str(ev).replace(str(GKEV), "gkev:"), "oa:exact")}
    assert "does not occur anywhere" in report.violations[0].message


@pytest.mark.parametrize("part, where", [(OA.prefix, "before"), (OA.suffix, "after")])
def test_text_around_the_quote_differs(graph, release, base_report, part, where):
    ev = evidence_for(graph, GKE.jmml_in_relapse, GK.inState, GKE.relapse)
    quote = next(s for s in graph.objects(graph.value(ev, OA.hasTarget), OA.hasSelector)
                 if (s, RDF.type, OA.TextQuoteSelector) in graph)
    recorded = str(graph.value(quote, part))
    graph.set((quote, part, Literal(recorded[:-1] + "#" if part == OA.prefix else "#" + recorded[1:])))
    report = check(graph, release)
    assert new_findings(report, base_report) == {
        ("violation", "quote-not-in-source", str(ev).replace(str(GKEV), "gkev:"), "oa:exact")}
    assert f"the text {where} the quote" in report.violations[0].message


def test_functional_property_with_two_values(graph, release, base_report):
    # A criterion whose feature no other criterion shares, and two features no criterion uses:
    # OWL RL equates the three values (prp-fp), so only this criterion may be reported.
    criterion = GKE.very_high_risk_slow_response_criterion
    used = set(graph.objects(None, GK.criterionFeature))
    first, second = sorted(f for f in graph.subjects(RDF.type, GK.ClinicalFeature) if f not in used)[:2]
    like = evidence_for(graph, GKE.jmml_in_relapse, GK.inState)
    add_edge_with_evidence(graph, criterion, GK.criterionFeature, first, like)
    add_edge_with_evidence(graph, criterion, GK.criterionFeature, second, like)
    report = check(graph, release)
    assert new_findings(report, base_report) == {
        ("violation", "functional-property", "gke:very_high_risk_slow_response_criterion", "gk:criterionFeature")}
    finding = report.violations[0]
    assert finding.value == ", ".join(sorted(f"gke:{str(x)[len(str(GKE)):]}" for x in (first, second)))
    # the test's evidence nodes, copies of one of 001's, are in no curated file's lines: its file
    assert finding.location.count("ontology/curation/statements/001_icd10_c93_32_page.yaml") == 1


@pytest.mark.parametrize("declaration", ["propertyDisjointWith", "AllDisjointProperties"])
def test_disjoint_properties_relating_the_same_pair(graph, release, base_report, declaration):
    state = graph.value(GKE.jmml_in_relapse, GK.inState)
    if declaration == "propertyDisjointWith":
        graph.add((GK.inState, OWL.propertyDisjointWith, GK.relapseSite))
    else:
        members, axiom = BNode(), BNode()
        Collection(graph, members, [GK.inState, GK.relapseSite])
        graph.add((axiom, RDF.type, OWL.AllDisjointProperties))
        graph.add((axiom, OWL.members, members))
    graph.add((GKE.jmml_in_relapse, GK.relapseSite, state))
    report = check(graph, release)
    value = f"gke:{str(state)[len(str(GKE)):]}"
    found = [f for f in report.violations if f.rule == "disjoint-properties"]
    assert [(f.entity, f.value) for f in found] == [("gke:jmml_in_relapse", f"{value}, {value}")]
    assert found[0].property in ("gk:inState", "gk:relapseSite")     # a list of members names them both ways


def test_icd10_parent_code_that_does_not_contain_the_code(graph, release, base_report):
    child, parent, other = URIRef(ICD + "C93.32"), URIRef(ICD + "C93.3"), URIRef(ICD + "C92.0")
    for triple in [(other, RDF.type, GK.ICD10CMCode), (other, RDF.type, URIRef("http://www.w3.org/2002/07/owl#NamedIndividual")),
                   (other, RDFS.label, Literal("Acute myeloblastic leukemia")),
                   (other, SKOS.prefLabel, Literal("Acute myeloblastic leukemia")),
                   (other, GK.curationFile, Literal("ontology/curation/entities/people_studies_codes.yaml"))]:
        graph.add(triple)
    ax = axiom_for(graph, child, GK.parentCode, parent)
    graph.remove((child, GK.parentCode, parent))
    graph.add((child, GK.parentCode, other))
    graph.set((ax, OWL.annotatedTarget, other))
    report = check(graph, release)
    assert new_findings(report, base_report) == {("violation", "icd10-parent-code", "ICD10CM:C93.32", "gk:parentCode")}
    assert report.violations[0].location.startswith("ontology/curation/statements/001_icd10_c93_32_page.yaml:")


def _relabel(graph, entity, label):
    graph.set((entity, RDFS.label, Literal(label)))
    graph.set((entity, SKOS.prefLabel, Literal(label)))


def test_duplicate_label(graph, release, base_report):
    _relabel(graph, GKE.petechiae, "fever")
    assert new_findings(check(graph, release), base_report) == {
        ("violation", "duplicate_label", "gke:fever", "rdfs:label"),
        ("violation", "duplicate_label", "gke:petechiae", "rdfs:label"),
    }


def test_duplicate_label_across_schema_and_entities(graph, release, base_report):
    """ROBOT's duplicate_label looks at every term: an entity named like a schema class (ignoring case)."""
    _relabel(graph, GKE.petechiae, "Disease")
    assert new_findings(check(graph, release), base_report) == {
        ("violation", "duplicate_label", "gk:Disease", "rdfs:label"),
        ("violation", "duplicate_label", "gke:petechiae", "rdfs:label"),
    }


def test_one_definition_per_entity_and_none_shared(graph, release, base_report):
    """ROBOT's multiple_definitions and duplicate_definition, with skos:definition (and its evidence)."""
    like = evidence_for(graph, GKE.relapse, SKOS.definition)
    add_edge_with_evidence(graph, GKE.petechiae, SKOS.definition, graph.value(GKE.relapse, SKOS.definition), like)
    assert new_findings(check(graph, release), base_report) == {
        ("violation", "multiple_definitions", "gke:petechiae", "skos:definition"),
        ("violation", "duplicate_definition", "gke:petechiae", "skos:definition"),
        ("violation", "duplicate_definition", "gke:relapse", "skos:definition"),
    }


def _quantity(graph):
    return sorted(graph.subjects(RDF.type, GK.QuantityValue))[0]


def test_a_deprecated_entity_with_a_mapping_is_not_its_own_reference(graph, release, base_report):
    """The axiom annotating a deprecated entity's own cross-reference (owl:annotatedSource) had
    made deprecating any entity with an xref fail the build, and the axiom of each statement
    naming it was a second finding beside the statement's."""
    graph.add((GKE.fatigue, URIRef("http://www.w3.org/2002/07/owl#deprecated"), Literal(True)))
    found = new_findings(check(graph, release), base_report)
    assert found == {("violation", "deprecated_class_reference", "gke:jmml_in_relapse", "gk:hasSymptom")}


@pytest.mark.parametrize("change, expected", [
    (lambda g: _relabel(g, GKE.fever, "fever "), {("violation", "label_whitespace", "gke:fever", "rdfs:label")}),
    (lambda g: _relabel(g, GKE.fever, "fever\tpersistent"),
     {("violation", "label_formatting", "gke:fever", "rdfs:label")}),
    (lambda g: _relabel(g, GKE.fever, "obsolete fever"),
     {("violation", "misused_obsolete_label", "gke:fever", "rdfs:label")}),
    (lambda g: g.remove((_quantity(g), RDFS.label, None)), {("violation", "missing_label", "gkq:", "rdfs:label")}),
    (lambda g: g.add((_quantity(g), RDFS.label, Literal("thirteen"))),
     {("violation", "multiple_labels", "gkq:", "rdfs:label")}),
    (lambda g: g.remove((RELEASE_ONTOLOGY, URIRef("http://purl.org/dc/terms/license"), None)),
     {("violation", "missing_ontology_license", "https://w3id.org/graphkit/all", "dcterms:license")}),
    (lambda g: g.add((GK.RiskFactor, URIRef("http://www.w3.org/2002/07/owl#deprecated"), Literal(True))),
     {("violation", "deprecated_class_reference", "gk:hasRiskFactor", "rdfs:range")}),
    (lambda g: g.add((GK.hasSymptom, URIRef("http://www.w3.org/2002/07/owl#deprecated"), Literal(True))),
     {("violation", "deprecated_property_reference", "gke:jmml_in_relapse", "gk:hasSymptom")}),
])
@pytest.mark.slow
def test_robot_report_rules(graph, release, base_report, change, expected):
    change(graph)
    found = {(level, rule, entity[:4] if entity.startswith("gkq:") else entity, prop)
             for level, rule, entity, prop in new_findings(check(graph, release), base_report)}
    assert found == expected


@pytest.mark.parametrize("change, expected", [
    (lambda g: g.add((GKE.petechiae, SKOS.altLabel, Literal("Feeling tired"))),
     {("warning", "duplicate_exact_synonym", "gke:petechiae", "skos:altLabel"),
      ("warning", "duplicate_exact_synonym", "gke:fatigue", "skos:altLabel")}),
    (lambda g: g.add((GKE.petechiae, SKOS.altLabel, Literal("Petechiae"))),
     {("warning", "duplicate_label_synonym", "gke:petechiae", "skos:altLabel")}),
    (lambda g: g.set((RELEASE_ONTOLOGY, URIRef("http://purl.org/dc/terms/title"),
                      Literal("graphkit schema "))),
     {("warning", "annotation_whitespace", "https://w3id.org/graphkit/all", "dcterms:title")}),
    (lambda g: [g.set((axiom, GK.mappingCurie, Literal("HP 0001945")))
                for axiom in g.subjects(OWL.annotatedSource, GKE.fever)
                if g.value(axiom, GK.mappingCurie)],                                # its mapping axioms
     {("warning", "invalid_xref", "gke:fever", "gk:mappingCurie"),               # the blank axiom: named by its entity
      ("warning", "missing-xref", "gke:fever", "skos:exactMatch")}),                # its HP id no longer reads as one
    # JMML is a childhood cancer: its exact match MONDO:0011908 is narrower than childhood cancer, not close
    # (audit 30 found B-ALL close to the exact match of B-cell precursor ALL, a kind of B-ALL)
    (lambda g: g.add((GKE.childhood_cancer, SKOS.closeMatch, URIRef("http://purl.obolibrary.org/obo/MONDO_0011908"))),
     {("warning", "mapping-against-hierarchy", "gke:childhood_cancer", "skos:closeMatch")}),
])
@pytest.mark.slow
def test_robot_report_warnings(graph, release, base_report, change, expected):
    change(graph)
    found = {(level, rule, entity, prop)
             for level, rule, entity, prop in new_findings(check(graph, release), base_report, ("warning",))}
    assert found == expected


def test_robot_report_info(graph, release, base_report):
    graph.remove((GKE.relapse, SKOS.definition, None))
    found = new_findings(check(graph, release), base_report, ("info",))
    assert ("info", "missing_definition", "gke:relapse", "skos:definition") in found


def test_hierarchy_cycle(graph, release, base_report):
    child, parent = next((s, o) for s, o in graph.subject_objects(GK.subtypeOf) if str(s).startswith(str(GKE)))
    add_edge_with_evidence(graph, parent, GK.subtypeOf, child, evidence_for(graph, child, GK.subtypeOf, parent))
    found = new_findings(check(graph, release), base_report)
    assert {(rule, prop) for _, rule, _, prop in found} == {("hierarchy-cycle", "gk:subtypeOf"),
                                                           ("hierarchy-cycle", "gk:hasSubtype")}


def test_self_edge(graph, release, base_report):
    # the slice holds document 001's entities (and NAMED_BY_TESTS): JMML in relapse is treated with supportive care
    care = GKE.supportive_care
    like = evidence_for(graph, GKE.jmml_in_relapse, GK.treatedWith, care)
    add_edge_with_evidence(graph, care, GK.usedWith, care, like)
    assert new_findings(check(graph, release), base_report) == {("violation", "self-edge", "gke:supportive_care",
                                                                 "gk:usedWith")}


def test_missing_xref_warning(graph, release, base_report):
    for axiom in list(graph.subjects(OWL.annotatedSource, GKE.jmml_in_relapse)):   # its ICD10CM:C93.32 xref
        if graph.value(axiom, GK.mappingCurie):
            graph.remove((axiom, None, None))
    assert new_findings(check(graph, release), base_report, ("violation", "warning")) == {
        ("warning", "missing-xref", "gke:jmml_in_relapse", "skos:exactMatch")}


# ---------------------------------------------------------------------------------------------
# golden files, through the command line


def test_golden_clean_file_has_no_violations(cli, project):
    result = cli("validate", str(FIXTURES / "qc-clean.ttl"), "--level", "violation", root=project.root)
    assert result.code == 0, result
    assert "0 violations" in result.out


@pytest.mark.parametrize("name, rule", [
    ("qc-drug-as-disease.ttl", "disjoint-classes"),
    ("qc-bad-icd-code.ttl", "icd10cm-code-syntax"),
])
def test_golden_broken_files(cli, project, name, rule):
    result = cli("validate", str(FIXTURES / name), "--format", "json", root=project.root)
    assert result.code == 1, result
    violations = [f for f in json.loads(result.out)["findings"] if f["level"] == "violation"]
    # the broken entity is the file's own (its gk:curationFile): the project's line for the same
    # IRI, in another file, is not its location
    assert [(f["rule"], f["location"]) for f in violations] == [(rule, f"tests/fixtures/{name}")]


def test_a_clash_in_a_file_without_curated_lines_says_so_not_inferred(cli, project):
    """The reasons of a disjointness named an asserted type and an asserted edge "[inferred]"
    when the file checked has no curated lines (it is not the release)."""
    result = cli("validate", str(FIXTURES / "qc-range-clash.ttl"), "--format", "json", root=project.root)
    [finding] = [f for f in json.loads(result.out)["findings"] if f["rule"] == "disjoint-classes"]
    assert result.code == 1 and finding["entity"] == "gke:y"
    assert finding["message"].endswith(": gke:x gk:hasSymptom gke:y (range of gk:hasSymptom) [no curated line]; "
                                       "gke:y rdf:type gk:Drug (asserted) [no curated line]")


def test_unreadable_file_is_bad_input(cli, project, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    result = cli("validate", str(bad), root=project.root)
    assert result.code == 2 and "not valid Turtle" in result.err


def test_a_turtle_error_names_its_line_and_column(cli, project, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://x/> .\n\nx:a x:b x:c .\nx:d x:e "ok" .\nx:f x:g x:h x:i .\nx:j x:k x:l .\n')
    result = cli("validate", str(bad), root=project.root)
    assert result.code == 2
    assert result.err == f"{bad}:5: not valid Turtle (column 13): A dot is expected at the end of statements\n"
    missing = cli("validate", str(tmp_path / "missing.ttl"), root=project.root)
    assert missing.code == 3 and missing.err.endswith("missing.ttl: No such file or directory\n")


def test_a_damaged_built_file_is_one_line_at_its_line_and_column(cli, mini):
    """`graphkit validate` on a built project whose release was damaged by hand."""
    lines = mini.all_ttl.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("gke:"))
    lines[number - 1] = lines[number - 1].replace("gke:", "gke:{", 1)
    mini.all_ttl.write_text("".join(lines), encoding="utf-8")
    result = cli("validate", root=mini.root)
    assert result.code == 2, result
    assert re.fullmatch(rf"ontology/all\.ttl:{number}: not valid Turtle \(column \d+\): .+\n", result.err), result.err


# ---------------------------------------------------------------------------------------------
# the build runs the checks


def test_build_with_a_violation_fails_and_writes_nothing(mini, cli):
    registry = mini.root / "ontology/curation/entities/phenotypes.yaml"
    text = registry.read_text(encoding="utf-8")
    line = text.count("\n") + 1
    registry.write_text(text + "  - {id: fever_again, type: Phenotype, label: Fever}\n", encoding="utf-8")
    before = mini.all_ttl.read_bytes()
    result = cli("build", root=mini.root)
    assert result.code == 1, result
    assert (f"ontology/curation/entities/phenotypes.yaml:{line}: violation [duplicate_label] gke:fever_again"
            in result.err), result
    assert "nothing was written; the findings that fail are above (graphkit validate checks the release last " \
           "written, not this build)" in result.err     # it said validate lists them: validate reads the old release
    assert mini.all_ttl.read_bytes() == before


def test_build_summary_counts_findings(cli, mini):
    result = cli("build", root=mini.root)
    assert result.code == 0
    assert "QC: 0 violations" in result.out


# ---------------------------------------------------------------------------------------------
# scope and hedge checks: each fires on its fixture statement, and a curator's scope note silences it


SCOPE_FIXTURE = FIXTURES / "qc-scope.ttl"


@pytest.mark.parametrize("rule, expected", [
    ("scope-restriction-in-quote", {("002-345190cf3e88", "high doses or long use")}),  # cytarabine "At higher doses"
    ("scope-broad-and-narrow", {("002-203eb451d783", "gke:relapsed_refractory_t_all")}),  # nelarabine for T-ALL
    ("hedge-without-frequency", {("002-bc38474e39fa", "can"),             # bone pain "can build up"
                                 ("002-7bd324c44130", "can"), ("002-7bd324c44130", "often")}),  # a cause of dyspnea
    ("frequency-hedge-as-certainty", {("001-e7832cda1adb", "may include"),  # JMML "Common signs may include"
                                      ("002-345190cf3e88", "can cause")}),  # cytarabine, recorded as possible
])
@pytest.mark.slow
def test_scope_checks_fire_and_a_scope_note_silences_them(project, tmp_path, rule, expected):
    from graphkit.qc.run import validate_file

    def findings(path):
        found = [f for f in validate_file(path, project).findings if f.rule == rule]
        assert all(f.level == "warning" and f.location.startswith("ontology/curation/statements/") for f in found)
        return {(f.entity[len("gkev:"):], f.value) for f in found}

    assert findings(SCOPE_FIXTURE) == expected
    notes = "".join(f'<{GKEV}{ev}> <{GK}scopeNote> "checked: right as the source states it" .\n' for ev, _ in expected)
    explained = tmp_path / "explained.ttl"
    explained.write_text(SCOPE_FIXTURE.read_text(encoding="utf-8") + "\n" + notes, encoding="utf-8")
    assert findings(explained) == set()


def test_a_broad_statement_made_for_some_members_only_is_scoped(project, tmp_path):
    """`members: some` (gk:forSomeMembersOnly) says the broad subject holds it only for some of its
    members: NCI's "targeted therapies are only used in specific ALL subtypes" was flagged as scope loss."""
    from graphkit.qc.run import validate_file

    marked = tmp_path / "some-members.ttl"
    marked.write_text(SCOPE_FIXTURE.read_text(encoding="utf-8")
                      + f'\n<{GKEV}002-203eb451d783> <{GK}forSomeMembersOnly> true .\n', encoding="utf-8")
    assert not [f for f in validate_file(marked, project).findings if f.rule == "scope-broad-and-narrow"]


def test_validate_draws_its_checks_only_when_asked(mini_built, capsys):
    from graphkit.qc import validate_built

    report = validate_built(mini_built, progress=True)
    drawn = capsys.readouterr().err.split("\r")
    assert drawn[-1].startswith("validate: imports      [##############################] 5/5")
    assert list(report.timings) == ["load", "shacl", "consistency", "queries", "sources", "imports"]
    validate_built(mini_built)
    assert capsys.readouterr().err == ""


def test_many_members_of_a_class_are_not_a_lost_frequency(project, tmp_path, clean_report, release):
    """"Many herbs ... affect the liver and kidneys" (002) is stated for some herbs (members: some):
    its "many" counts herbs, not patients, so no frequency is asked for. A statement's other hedge
    words still are: the fixture's "can" and "often" fire with the flag added too."""
    from graphkit.qc.run import validate_file

    herbs = [st for st in release.statements if st.subject == "herbal_traditional_medicines"
             and st.prop.name == "hasAdverseEffect"]
    assert herbs and all(st.some_members and not st.frequency for st in herbs)
    assert not [f for f in clean_report.findings if f.rule == "hedge-without-frequency"]
    flagged = tmp_path / "flagged.ttl"
    flagged.write_text(SCOPE_FIXTURE.read_text(encoding="utf-8") + "\n" + "".join(
        f'<{GKEV}{ev}> <{GK}forSomeMembersOnly> true .\n' for ev in ("002-bc38474e39fa", "002-7bd324c44130")),
        encoding="utf-8")
    found = {(f.entity[len("gkev:"):], f.value) for f in validate_file(flagged, project).findings
             if f.rule == "hedge-without-frequency"}
    assert found == {("002-bc38474e39fa", "can"), ("002-7bd324c44130", "can"), ("002-7bd324c44130", "often")}


def test_readme_states_the_releases_qc_counts(clean_report, project):
    readme = (project.root / "README.md").read_text(encoding="utf-8")
    assert (f"| QC | {clean_report.count('violation')} violations, {clean_report.count('warning')} warnings, "
            f"{clean_report.count('info')} info") in readme


def test_validate_names_a_missing_turtle_file_as_every_command_names_a_missing_file(cli, mini, tmp_path):
    """validate said `cannot read X`, sparql `cannot read the query file X`, load-external `X: no such file`."""
    result = cli("validate", str(tmp_path / "nothere.ttl"), root=mini.root)
    assert result.code == 3 and result.err == (
        f"graphkit validate: cannot read the Turtle file {tmp_path / 'nothere.ttl'}: No such file or directory\n"), result


def test_validate_says_a_compressed_file_is_compressed(cli, mini, tmp_path):
    """A .ttl.gz was 'not valid Turtle (column 1): invalid UTF-8'."""
    import gzip

    path = tmp_path / "all.ttl.gz"
    path.write_bytes(gzip.compress(mini.all_ttl.read_bytes()))
    result = cli("validate", str(path), root=mini.root)
    assert result.code == 2 and result.err == f"{path}:1: a gzip-compressed file, not Turtle: decompress it first (gunzip)\n"


def test_an_xref_its_import_module_does_not_hold_is_a_violation(mini, cli):
    """An invented HPO id (HP:9999999) built with 0 violations: only `link --check`, with the
    reference data, found it. Every build now checks each xref against the module of its prefix."""
    shutil.copytree(ROOT / "ontology" / "imports", mini.imports_dir)
    assert cli("build", root=mini.root).code == 0
    assert cli("validate", "--format", "json", root=mini.root).code == 0
    phenotypes = mini.entities_dir / "phenotypes.yaml"
    phenotypes.write_text(phenotypes.read_text(encoding="utf-8").replace("HP:0001945", "HP:9999999"), encoding="utf-8")
    built = cli("build", root=mini.root)
    assert built.code == 1 and built.err.startswith(
        'ontology/curation/entities/phenotypes.yaml:3: violation [xref-not-in-import] gke:fever "fever" ')
    assert "HP:9999999 is not a term of ontology/imports/hp.ttl: not in the reference data" in built.err


def test_docs_quality_names_every_rule():
    """docs/quality.md lists the rules (README): a QC query it does not name is a rule nobody reads about."""
    from graphkit.qc.queries import load_queries, parse_name

    text = (ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    rules = [parse_name(query.path.name)[0] for query in load_queries(ROOT / "queries" / "qc")]
    assert len(rules) >= 37 and [rule for rule in rules if rule not in text] == []
