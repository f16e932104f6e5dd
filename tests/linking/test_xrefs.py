"""Cross-references: curated values, verification, propagation, suggestions, SSSOM, imports."""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest
from rdflib.namespace import RDFS

from graphkit.errors import GraphkitError
from graphkit.iris import compact as curie
from graphkit.linking.check import check_registry
from graphkit.linking.imports import stale_imports
from graphkit.linking.normalize import name_set
from graphkit.linking.propagate import implied_xrefs
from graphkit.linking.reference import Reference
from graphkit.linking.suggest import suggest
from graphkit.linking.yamledit import insert_xrefs
from loaders.registry import Entity, Registry, Xref, load_registry
from graphkit.schema import Schema

from ..conftest import ROOT


@pytest.fixture(scope="session")
def schema(project):
    return Schema.load(project.schema_file)


@pytest.fixture(scope="session")
def registry(project, schema):
    return load_registry(project.entities_dir, schema, project.root)


@pytest.fixture(scope="session")
def reference():
    return Reference()


@pytest.fixture(scope="session")
def checked(registry, reference, schema):
    return check_registry(registry, reference, schema)


def xrefs_of(registry, ident):
    return {(x.curie, x.match) for x in registry[ident].xrefs}


def test_unii_lookups_read_each_line_of_the_list_that_names_the_id(registry, reference):
    """Every UNII of the registry, and one the list does not hold, against the list read line by line."""
    unii = reference.vocabulary("UNII")
    curies = sorted({x.curie for e in registry.values() for x in e.xrefs if x.curie.startswith("UNII:")})
    wanted = {c.split(":", 1)[1] for c in curies}
    names: dict = {}
    for line in unii.path.read_text(encoding="utf-8").splitlines()[1:]:
        name, _type, ident, shown = line.split("\t")
        if ident in wanted:
            names.setdefault(ident, (shown, set()))[1].add(name)
    found = unii.get_many([*curies, "UNII:0000000000"])
    assert len(found) == len(curies) == 47
    assert {c: (t.label, {t.label, *t.synonyms}) for c, t in found.items()} == {
        f"UNII:{ident}": (shown, every | {shown}) for ident, (shown, every) in names.items()}
    assert found["UNII:5J49Q6B70F"].label == "VINCRISTINE"


def test_unii_search_finds_the_names_of_the_list(reference):
    found = reference.vocabulary("UNII").search(name_set(["Vincristine sulfate", "blinatumomab", "no such drug"]))
    assert {name: [(t.curie, t.label, how) for t, how in hits] for name, hits in found.items()} == {
        "blinatumomab": [("UNII:4FR53SIF3A", "BLINATUMOMAB", "label")],
        "vincristine sulfate": [("UNII:T5IRO3534A", "VINCRISTINE SULFATE", "label")]}


# --- curated values ---------------------------------------------------------------------------

def test_all_xrefs(registry):
    assert xrefs_of(registry, "acute_lymphoblastic_leukemia") == {
        ("MONDO:0004967", "exact"), ("DOID:9952", "exact"), ("NCIT:C3167", "exact"), ("ICD10CM:C91.0", "exact"),
        ("ICD10WHO:C91.0", "exact"), ("ORPHA:513", "exact"), ("UMLS:C0023449", "exact"),
        ("SNOMEDCT:91857003", "exact")}


def test_childhood_all_uses_the_childhood_class(registry):
    # MONDO has a childhood-specific class: exact there; ICD-10 has none: broad there.
    assert xrefs_of(registry, "childhood_all") == {
        ("MONDO:0000870", "exact"), ("DOID:0080144", "exact"), ("NCIT:C3168", "exact"), ("UMLS:C0023452", "exact"),
        ("ICD10CM:C91.0", "broad"), ("ICD10WHO:C91.0", "broad")}


def test_b_all_and_t_all_xrefs(registry):
    # MONDO's "B-cell acute lymphoblastic leukemia" is B-lymphoblastic leukemia/lymphoma (its
    # synonyms; exact to DO's and NCIt's classes of that name), the leukemia and the lymphoma
    # presentation: broader than B-ALL, which is the leukemia of B lineage only (as ETV6-RUNX1 ALL
    # is broad to its WHO class), and so are the ids Mondo maps exactly to it (a conflict
    # otherwise); DO's and NCIt's "B-cell ALL" classes are exact to MONDO's precursor B-ALL, which
    # B-cell precursor ALL is; B-ALL is narrow to them, as the guide makes B-cell precursor ALL a kind
    # of B-ALL (audit 30: close, from Mondo's synonyms of mixed scope, contradicted the graph's own
    # hierarchy; QC mapping-against-hierarchy).
    assert xrefs_of(registry, "b_all") == {
        ("MONDO:0004947", "broad"), ("DOID:0080630", "broad"), ("NCIT:C8936", "broad"), ("UMLS:C1292769", "broad"),
        ("SNOMEDCT:277571004", "broad"), ("ICD10CM:C91.0", "broad"), ("MONDO:0020511", "narrow"),
        ("DOID:0080638", "narrow")}
    assert xrefs_of(registry, "b_cell_precursor_all") >= {("MONDO:0020511", "exact"), ("DOID:0080638", "exact"),
                                                          ("NCIT:C8644", "exact")}
    assert xrefs_of(registry, "t_all") == {
        ("MONDO:0004963", "exact"), ("DOID:5603", "exact"), ("NCIT:C3183", "exact"), ("UMLS:C1961099", "exact"),
        ("SNOMEDCT:277575008", "exact"), ("ICD10CM:C91.0", "broad")}


def test_ph_positive_all_has_no_exact_mondo_class(registry):
    assert xrefs_of(registry, "ph_positive_all") == {
        ("MONDO:0035940", "close"), ("MONDO:0004967", "broad"), ("ICD10CM:C91.0", "broad"), ("ICD10WHO:C91.0", "broad")}


def test_the_issues_exact_mappings_rejudged(registry):
    """One exact match per vocabulary, one entity per exact id; chained exact matches judged by labels."""
    assert {(c, m) for c, m in xrefs_of(registry, "cancer") if c.startswith("DOID:")} == {
        ("DOID:162", "exact"), ("DOID:0050686", "narrow"), ("DOID:0050687", "narrow")}
    assert {(c, m) for c, m in xrefs_of(registry, "li_fraumeni_syndrome") if c.startswith("DOID:")} == {
        ("DOID:3012", "exact"), ("DOID:0111503", "narrow")}
    assert {(c, m) for c, m in xrefs_of(registry, "influenza") if c.startswith("MESH:")} == {
        ("MESH:D007251", "exact"), ("MESH:D009976", "broad")}      # MeSH Orthomyxoviridae Infections: above it
    # An exact HPO synonym equal to the label is an exact match (docs/linking.md, rule 4): HPO
    # gives "Skin inflammation" as one of Inflammatory abnormality of the skin.
    assert xrefs_of(registry, "skin_inflammation") == {("HP:0011123", "exact")}
    assert xrefs_of(registry, "e_coli_asparaginase") == {("UNII:G4FQ3CKY5R", "exact")}
    assert xrefs_of(registry, "asparaginase") == {("UNII:G4FQ3CKY5R", "narrow")}


def test_jmml_xrefs(registry):
    assert xrefs_of(registry, "jmml") == {
        ("MONDO:0011908", "exact"), ("DOID:0050458", "exact"), ("NCIT:C9233", "exact"), ("ICD10CM:C93.3", "exact"),
        ("ICD10WHO:C93.3", "exact"), ("ORPHA:86834", "exact"), ("OMIM:607785", "exact"), ("UMLS:C0349639", "exact"),
        ("MESH:D054429", "exact"), ("SNOMEDCT:445227008", "exact")}
    assert xrefs_of(registry, "jmml_in_relapse") == {
        ("ICD10CM:C93.32", "exact"), ("MONDO:0011908", "broad"), ("ICD10WHO:C93.3", "broad")}


@pytest.mark.parametrize("entity, hp, symp", [("fever", "HP:0001945", "SYMP:0000613"),
                                              ("anemia", "HP:0001903", "SYMP:0000208"),
                                              ("thrombocytopenia", "HP:0001873", "SYMP:0000114"),
                                              ("petechiae", "HP:0000967", "SYMP:0000760"),
                                              ("hepatosplenomegaly", "HP:0001433", "SYMP:0000047")])
def test_symptom_hpo_ids(registry, entity, hp, symp):
    """The HPO term, and the Symptom Ontology term of the same label (DO's SYMP import)."""
    assert xrefs_of(registry, entity) == {(hp, "exact"), (symp, "exact")}


def test_every_drug_has_a_unii_where_the_list_names_it(registry):
    drugs = [e for e in registry.values() if "Drug" in e.types]
    without = sorted(e.id for e in drugs if not any(x.curie.startswith("UNII:") for x in e.xrefs))
    assert without == ["eye_drops", "pain_relief_medication"]  # generic descriptions, no substance
    assert xrefs_of(registry, "vincristine") == {("UNII:5J49Q6B70F", "exact")}
    assert ("UNII:4FR53SIF3A", "exact") in xrefs_of(registry, "blinatumomab")
    assert ("UNII:Q6C9WHR03O", "exact") in xrefs_of(registry, "tisagenlecleucel")


def test_genes_link_to_hgnc(registry):
    assert xrefs_of(registry, "tp53") == {("HGNC:11998", "exact"), ("NCBIGene:7157", "exact")}
    assert xrefs_of(registry, "nudt15") == {("HGNC:23063", "exact")}  # no NCBI Gene id in the offline data


# --- verification ------------------------------------------------------------------------------

def test_check_passes_on_the_registry(checked):
    assert checked.failed == []
    assert checked.counts() == {"ok": len(checked.rows)}


def test_coverage_counts_verified_xrefs(checked):
    coverage = {row["type"]: row for row in checked.coverage()}
    assert coverage["Gene"]["with_verified_xref"] == coverage["Gene"]["entities"] == 8
    # inherited bone marrow failure syndrome: broad to MONDO:0000159 bone marrow failure syndrome
    assert coverage["GeneticSyndrome"]["with_verified_xref"] == coverage["GeneticSyndrome"]["entities"] == 8
    assert coverage["ICD10CMCode"]["with_verified_xref"] == 2


def test_the_coverage_the_docs_state_is_link_checks(checked, sssom_text):
    """docs/linking.md's coverage table and the README's sentence are what `link --check` prints."""
    coverage = {row["type"]: (row["entities"], row["with_verified_xref"]) for row in checked.coverage()}
    linking = (ROOT / "docs" / "linking.md").read_text(encoding="utf-8")
    section = linking.split("## Coverage", 1)[1].split("\n\n", 3)
    assert f"`graphkit link --check`: {len(checked.rows)} xrefs" in section[1]
    stated = {}
    for types, entities, verified in re.findall(r"^\| ([A-Z][^|]*?) \| ([\d ,/]+) \| ([\d ,/]+) \|", section[2], re.M):
        names, totals = re.split(r" / |, ", types), re.split(r" / |, ", entities)
        linked = re.split(r" / |, ", verified) * (len(names) if verified == "0" else 1)
        stated.update({name: (int(total), int(n)) for name, total, n in zip(names, totals, linked)})
    assert len(stated) == 20 and stated == {name: coverage[name] for name in stated}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    codes = sum(1 for row in checked.rows if row.xref == row.entity)       # a code node's id is its own xref
    assert len(_sssom_rows(sssom_text)) == len(checked.rows) - codes
    assert (f"the entities' {len(checked.rows) - codes} mappings, which `export-mappings` writes as SSSOM, the "
            f"ICD-10-CM code nodes' two to WHO ICD-10 among them; and the {codes} code nodes' own ids) | "
            f"{len(checked.rows)} |") in " ".join(readme.split())
    sentence = re.search(r"Cross-references with at least one verified xref, by type: (.*?)\(`docs", readme, re.S).group(1)
    said = dict((" ".join(name.split()), (int(total), int(n))) for name, n, total in
                re.findall(r"([a-zA-Z][a-zA-Z0-9\s-]*?)\s(\d+)/(\d+)", sentence))
    names = {"diseases": "Disease", "diseases in a state": "DiseaseInState", "genetic syndromes": "GeneticSyndrome",
             "phenotypes": "Phenotype", "drugs": "Drug", "genes": "Gene", "molecular targets": "MolecularTarget",
             "ICD-10-CM codes": "ICD10CMCode"}
    assert said == {name: coverage[kind] for name, kind in names.items()}
    # the phenotypes' vocabulary: a curator counting entities-with-xref prefix=HP found fewer
    # phenotypes than "125/154 (HPO)" said, since ten carry MONDO, SYMP or NCIt ids only
    in_hpo = {row.entity for row in checked.rows if row.xref.startswith("HP:") and row.status == "ok"
              and "Phenotype" in checked.registry[row.entity].types}
    assert f"phenotypes {coverage['Phenotype'][1]}/{coverage['Phenotype'][0]} ({len(in_hpo)} of them in HPO;" \
        in " ".join(readme.split())


def _entity(ident, label, *xrefs, types=("Phenotype",), synonyms=()):
    return Entity(ident, list(types), label, list(synonyms), list(xrefs))


def _statuses(reference, schema, *entities):
    registry = Registry({e.id: e for e in entities})
    return {(r.entity, r.xref): r.status for r in check_registry(registry, reference, schema).rows}


def test_check_statuses(reference, schema):
    statuses = _statuses(
        reference, schema,
        _entity("fever", "fever", Xref("HP:0001903")),                       # Anemia: wrong id
        _entity("old", "clitoromegaly", Xref("HP:0000057")),                 # obsolete
        _entity("nowhere", "fever", Xref("HP:9999999")),                     # unknown
        _entity("kept", "fever", Xref("UBERON:0000178", unverified=True, note="no UBERON data")),
        _entity("unmarked", "blood", Xref("UBERON:0000178")),                # no reference data, not marked
        _entity("relapse", "juvenile myelomonocytic leukemia, in relapse", Xref("MONDO:0011908", "broad")),
        _entity("vague", "something", Xref("MONDO:0011908", "close")),       # close, no note: review
    )
    assert statuses == {
        ("fever", "HP:0001903"): "contradiction", ("old", "HP:0000057"): "obsolete",
        ("nowhere", "HP:9999999"): "unknown", ("kept", "UBERON:0000178"): "unverified",
        ("unmarked", "UBERON:0000178"): "unverifiable", ("relapse", "MONDO:0011908"): "ok",
        ("vague", "MONDO:0011908"): "review"}


def test_an_hpo_term_is_a_close_match_of_a_disease_at_best(reference, schema):
    """A curator copying JMML -> HP:0012209 (Juvenile myelomonocytic leukemia) by hand as exact
    passed the check: the phenotype of having a disease is not the disease. Exact contradicts,
    for the subclasses of Disease too; close with a note passes; for a phenotype exact is right."""
    checked = check_registry(Registry({e.id: e for e in [
        _entity("jmml", "juvenile myelomonocytic leukemia", Xref("HP:0012209"), types=("Disease",)),
        _entity("jmml_syndrome", "juvenile myelomonocytic leukemia", Xref("HP:0012209"), types=("GeneticSyndrome",)),
        _entity("jmml_close", "juvenile myelomonocytic leukemia",
                Xref("HP:0012209", "close", note="the phenotype of having JMML"), types=("Disease",)),
        _entity("jmml_phenotype", "juvenile myelomonocytic leukemia", Xref("HP:0012209"), types=("Phenotype",)),
    ]}), reference, schema)
    rows = {r.entity: r for r in checked.rows}
    assert {entity: row.status for entity, row in rows.items()} == {
        "jmml": "contradiction", "jmml_syndrome": "contradiction", "jmml_close": "ok", "jmml_phenotype": "ok"}
    assert rows["jmml"].detail.startswith("a HP term is a close match of a Disease at best") and \
        rows["jmml"].detail.endswith("write match: close")


def test_a_broad_or_narrow_match_the_labels_reverse_is_a_contradiction(reference, schema):
    """`severe headache` narrow to HPO's Headache was "review" and passed the check, though the
    labels say Headache is the broader; a real id outside a partial vocabulary's slice says how
    to keep it."""
    registry = Registry({e.id: e for e in (
        _entity("severe_headache", "severe headache", Xref("HP:0002315", "narrow")),
        _entity("severe", "severe headache", Xref("HP:0002315", "broad")),
        _entity("fever", "fever", Xref("NCIT:C3038", "close")))})
    rows = {(r.entity, r.xref): r for r in check_registry(registry, reference, schema).rows}
    reversed_ = rows[("severe_headache", "HP:0002315")]
    assert (reversed_.status, reversed_.detail) == ("contradiction", "the labels say the other way round: broad (the "
                                                    "entity's label holds the term's): write match: broad")
    assert rows[("severe", "HP:0002315")].status == "ok"
    partial = rows[("fever", "NCIT:C3038")]
    assert partial.status == "unknown" and partial.detail.startswith(
        "id not in the reference data (which holds the NCIT ids via MONDO mapping sets") and partial.detail.endswith(
        "only; a real id outside them: mark it unverified with a note)")


def test_a_finding_names_the_line_of_its_xref(mini, cli):
    """The line of the entity (`- id:` of a block entry) was given for every one of its xrefs."""
    path = mini.entities_dir / "diseases.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{id: MONDO:0011908, justification: lexical}", "{id: MONDO:0004947, justification: lexical}", 1),
                    encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    entity = lines.index("  - id: jmml") + 1
    line = next(n for n, content in enumerate(lines, 1) if "MONDO:0004947" in content)
    result = cli("link", "--check", "jmml", root=mini.root)
    assert line > entity and f"ontology/curation/entities/diseases.yaml:{line}: jmml -> MONDO:0004947: contradiction" \
        in result.err, result


def test_ids_without_labels_are_checked_through_their_mondo_term(reference, schema):
    # UMLS ids have no label offline: the names of the MONDO term mapped to them must agree.
    statuses = _statuses(reference, schema,
                         _entity("jmml", "juvenile myelomonocytic leukemia", Xref("UMLS:C0349639"), types=("Disease",)),
                         _entity("all", "acute lymphoblastic leukemia", Xref("UMLS:C0349639"), types=("Disease",)))
    assert statuses == {("jmml", "UMLS:C0349639"): "ok", ("all", "UMLS:C0349639"): "contradiction"}


def test_an_exact_match_that_only_a_chain_supports_needs_the_labels_or_a_note(reference, schema):
    # MONDO maps "cancer" exactly to DO's cancer, organ system cancer and cell type cancer
    statuses = _statuses(reference, schema, _entity(
        "cancer", "cancer", Xref("MONDO:0004992"), Xref("DOID:162", justification="via_mondo"),
        Xref("DOID:0050686", justification="via_mondo"), Xref("NCIT:C9305", justification="via_mondo"),
        types=("Disease",)))
    assert statuses == {("cancer", "MONDO:0004992"): "ok", ("cancer", "DOID:162"): "ok",
                        ("cancer", "DOID:0050686"): "chain-only", ("cancer", "NCIT:C9305"): "chain-only"}
    statuses = _statuses(reference, schema, _entity(
        "cancer", "cancer", Xref("MONDO:0004992"), Xref("DOID:162", justification="via_mondo"),
        Xref("DOID:0050686", "narrow", "manual", note="DO files it under cancer (DOID:162)"),
        Xref("NCIT:C9305", justification="via_mondo", note="NCIt's malignant neoplasm is cancer"),
        types=("Disease",)))
    assert set(statuses.values()) == {"ok"}


def test_a_justification_says_how_the_predicate_was_reached(reference, schema):
    """SSSOM's mapping_justification (and all.ttl's) comes from the registry: via_mondo is the
    predicate composed from an exact MONDO xref and a Mondo mapping, lexical an exact label match;
    a predicate a curator chose is manual (16 xrefs said via_mondo or lexical for one)."""
    checked = check_registry(Registry({e.id: e for e in [_entity(
        "cancer", "cancer", Xref("MONDO:0004992"), Xref("DOID:162", justification="via_mondo"),
        Xref("DOID:0050686", "narrow", "via_mondo", note="DO files it under cancer (DOID:162)"),
        types=("Disease",)),
        _entity("asparaginase", "asparaginase", Xref("UNII:G4FQ3CKY5R", "narrow", "lexical", note="the E. coli enzyme"),
                types=("Drug",))]}), reference, schema)
    rows = {(r.entity, r.xref): r for r in checked.rows}
    assert {key: row.status for key, row in rows.items()} == {
        ("cancer", "MONDO:0004992"): "ok", ("cancer", "DOID:162"): "ok", ("cancer", "DOID:0050686"): "justification",
        ("asparaginase", "UNII:G4FQ3CKY5R"): "justification"}
    assert rows["cancer", "DOID:0050686"].detail == ("justification via_mondo, but the chain gives exactMatch: a narrow "
                                                     "match a curator chose is justification: manual")
    assert rows["asparaginase", "UNII:G4FQ3CKY5R"].detail.startswith("a lexical match gives exactMatch; a narrow match")
    assert {r.xref for r in checked.failed} == {"DOID:0050686", "UNII:G4FQ3CKY5R"}


def test_one_exact_match_per_vocabulary_and_one_entity_per_exact_id(reference, schema):
    checked = check_registry(Registry({e.id: e for e in [
        _entity("cancer", "cancer", Xref("DOID:162"), Xref("DOID:0050686", note="kept exact on purpose"),
                types=("Disease",)),
        _entity("asparaginase", "asparaginase", Xref("UNII:G4FQ3CKY5R"), types=("Drug",)),
        _entity("e_coli_asparaginase", "E. coli asparaginase", Xref("UNII:G4FQ3CKY5R"), types=("Drug",)),
        # a disease and its ICD-10 code node are exact matches of each other: they share the WHO code
        _entity("jmml", "juvenile myelomonocytic leukemia", Xref("ICD10CM:C93.3"), Xref("ICD10WHO:C93.3"),
                types=("Disease",)),
        _entity("ICD10CM:C93.3", "Juvenile myelomonocytic leukemia", Xref("ICD10WHO:C93.3"), types=("ICD10CMCode",)),
    ]}), reference, schema)
    statuses = {(r.entity, r.xref): r.status for r in checked.rows}
    assert [key for key, status in statuses.items() if status == "cardinality"] == [
        ("cancer", "DOID:162"), ("cancer", "DOID:0050686"),
        ("asparaginase", "UNII:G4FQ3CKY5R"), ("e_coli_asparaginase", "UNII:G4FQ3CKY5R")]
    assert statuses["jmml", "ICD10WHO:C93.3"] == statuses["ICD10CM:C93.3", "ICD10WHO:C93.3"] == "ok"
    details = {(r.entity, r.xref): r.detail for r in checked.rows}
    assert details["cancer", "DOID:162"].startswith("2 exact matches in DOID (DOID:0050686, DOID:162)")
    assert details["asparaginase", "UNII:G4FQ3CKY5R"].startswith("also the exact match of e_coli_asparaginase")
    assert "UNII:G4FQ3CKY5R" not in checked.verified.get("asparaginase", set())


def test_propagation_writes_only_exact_matches_that_pass_the_check(reference, schema):
    bare = Registry({"cancer": _entity("cancer", "cancer", Xref("MONDO:0004992"), types=("Disease",))})
    implied = {i.xref.curie: i.judge for i in implied_xrefs(bare, reference, check_registry(bare, reference, schema))}
    assert implied["DOID:162"] == ""
    assert implied["DOID:0050686"] == implied["DOID:0050687"] == implied["NCIT:C9305"] == \
        "the label is none of the entity's names"


def _set_xref(project, old: str, new: str) -> None:
    path = project.entities_dir / "phenotypes.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_link_check_fails_on_a_wrong_id(mini, cli):
    _set_xref(mini, "id: HP:0001945,", "id: HP:0001903,")   # fever -> Anemia
    result = cli("link", "--check", "fever", root=mini.root)
    assert result.code == 1, result
    assert "fever -> HP:0001903: contradiction" in result.err
    assert "Anemia" in result.out



def test_link_names_the_registry_id_a_misspelt_entity_stands_for(mini, cli):
    """`graphkit link --check fevr` said only "unknown entity id(s): fevr", where every other
    command suggests the nearest name."""
    result = cli("link", "--check", "fevr", "fever", root=mini.root)
    assert (result.code, result.err) == (2, "graphkit link: command line: unknown entity id(s): fevr (did you mean "
                                            "'fever'?)\n"), result

def test_link_names_the_entity_whose_name_was_given_for_an_id(mini, cli):
    """`graphkit link "JMML in relapse"`, a name query and export take, suggested 'relapse' before
    'jmml_in_relapse'; a label or synonym now names its entity's id."""
    result = cli("link", "--check", "Persistent fever", root=mini.root)
    assert (result.code, result.err) == (2, "graphkit link: command line: unknown entity id(s): Persistent fever "
                                            "(the name of 'fever': link takes registry ids)\n"), result


def test_link_check_fails_on_an_obsolete_hpo_id(mini, cli):
    _set_xref(mini, "id: HP:0001945,", "id: HP:0000057,")
    result = cli("link", "--check", "--format", "json", "fever", root=mini.root)
    assert result.code == 1, result
    assert "fever -> HP:0000057: obsolete: obsolete; use HP:0008665" in result.err


def test_link_check_shows_its_stages_on_standard_error_only_when_asked(mini_built, cli):
    """Each vocabulary read, the entities checked and the import modules compared, as a bar on
    standard error with --progress (or on a terminal); standard output is the same."""
    quiet = cli("link", "--check", root=mini_built.root)
    shown = cli("link", "--check", "--progress", root=mini_built.root)
    assert quiet.code == shown.code, shown            # 1: the mini project's import modules are not its own
    assert shown.out == quiet.out and "xrefs checked" in quiet.out
    assert "\r" not in quiet.err and not [line for line in quiet.err.splitlines() if line.startswith("link: ")]
    bar, _, message = shown.err.partition("\n")      # the bar's line, then the command's messages
    assert message == quiet.err
    drawn = bar.split("\r")
    stages = [part.split(" [")[0] for part in drawn if part.startswith("link: ")]
    assert "link: reading HP" in stages and "link: import modules" in stages
    assert any(s.startswith("link: checking ") and s.endswith(" entities") for s in stages), stages
    total = len({s for s in stages if s.startswith("link: reading")}) + 2
    assert drawn[-1].startswith(f"link: import modules [##############################] {total}/{total}")


# --- propagation and suggestions ---------------------------------------------------------------

def test_propagation_adds_doid_and_ncit_for_jmml(registry, reference, schema):
    bare = Registry({"jmml": dataclasses.replace(registry["jmml"], xrefs=[Xref("MONDO:0011908")])})
    implied = {(i.xref.curie, i.xref.match, i.xref.justification, i.via)
               for i in implied_xrefs(bare, reference, check_registry(bare, reference, schema))}
    assert ("DOID:0050458", "exact", "via_mondo", "MONDO:0011908") in implied
    assert ("NCIT:C9233", "exact", "via_mondo", "MONDO:0011908") in implied
    assert {c for c, *_ in implied} == {"DOID:0050458", "NCIT:C9233", "ICD10CM:C93.3", "ORPHA:86834", "OMIM:607785",
                                        "UMLS:C0349639", "MESH:D054429", "SNOMEDCT:445227008"}


def test_propagation_is_complete_in_the_registry(registry, reference, checked):
    assert implied_xrefs(registry, reference, checked) == []


def test_propagate_write_updates_the_yaml(mini, cli, schema):
    shutil.copytree(ROOT / "ontology" / "imports", mini.imports_dir)
    (mini.entities_dir / "x_test.yaml").write_text(
        "entities:\n  - {id: test_aml, type: Disease, label: acute myeloid leukemia, xrefs: [MONDO:0018874]}\n",
        encoding="utf-8")
    result = cli("link", "--propagate", "--write", "test_aml", root=mini.root)
    assert result.code == 0, result
    text = (mini.entities_dir / "x_test.yaml").read_text(encoding="utf-8")
    assert "{id: DOID:9119, justification: via_mondo}" in text
    # an implied exact match whose label is none of the entity's names is listed, not written
    assert "ICD10CM:C92.0" in result.out and "ICD10CM:C92.0" not in text
    entity = load_registry(mini.entities_dir, schema, mini.root)["test_aml"]
    assert Xref("NCIT:C3171", justification="via_mondo") in entity.xrefs
    # what it says it wrote is what it wrote; the import modules follow (the build checks xrefs against them)
    implied = [line.split()[1] for line in result.out.splitlines()[2:] if line.startswith("test_aml")]
    written = [x for x in implied if x in text]
    judged = len(implied) - len(written)
    assert written and judged
    assert f"{len(implied)} implied xrefs: {len(written)} written to the registry, {judged} left to judge" in result.err
    assert "DOID:9119" in (mini.imports_dir / "doid.ttl").read_text(encoding="utf-8")


@pytest.mark.slow
def test_suggest_proposes_hpo_by_label(registry, schema, reference):
    # "persistent fever" was a synonym of fever until audit 30 found it narrower (HPO has it as a term
    # of its own); given here, it shows that the label match wins over a synonym's.
    bare = Registry({"fever": dataclasses.replace(registry["fever"], xrefs=[], synonyms=["persistent fever"])})
    candidates = suggest(bare, schema, reference)
    hp = [(c.xref, c.how, c.name, c.writable) for c in candidates if c.xref.startswith("HP:")]
    # The label match wins over the synonym "persistent fever" (HP:0033399 Persistent fever).
    assert hp == [("HP:0001945", "label", "fever", True), ("HP:0033399", "label", "persistent fever", False)]
    assert any(c.xref == "SYMP:0000613" and not c.writable for c in candidates)


def test_suggest_matches_an_abbreviation_only_in_capitals(registry, schema, reference, cli):
    """The synonym ALL was proposed as HPO's root term HP:0000001 "All" (the case normalized away);
    an abbreviation matches only a name the reference writes in capitals. The machine formats
    carry the table's writable column."""
    candidates = suggest(registry, schema, reference, {"acute_lymphoblastic_leukemia"}, missing_only=False)
    assert [(c.xref, c.name) for c in candidates if c.xref.startswith("HP:")] == [
        ("HP:0006721", "acute lymphoblastic leukemia")]
    result = cli("link", "--suggest", "--all", "--format", "csv", "acute_lymphoblastic_leukemia")
    assert result.code == 0, result
    assert result.out.splitlines()[:2] == [
        "entity,xref,reference_label,how,name,proposed_match,location,writable",
        "acute_lymphoblastic_leukemia,HP:0006721,Acute lymphoblastic leukemia,label,acute lymphoblastic leukemia,"
        "close,ontology/curation/entities/diseases.yaml:5,false"]


def test_suggest_writes_mondo_not_hpo_for_a_disease(registry, schema, reference):
    """A new disease named like an HPO term (HP:0005506 Chronic myelogenous leukemia) got the HPO
    term written as exact: a phenotype is a close match of a disease at best. MONDO's is written."""
    entity = dataclasses.replace(registry["jmml"], id="test_aml", label="acute myeloid leukemia", synonyms=[], xrefs=[])
    candidates = suggest(Registry({"test_aml": entity}), schema, reference)
    assert {(c.xref, c.how, c.writable) for c in candidates if c.how == "label"} >= {
        ("HP:0004808", "label", False), ("MONDO:0018874", "label", True)}
    assert [c.xref for c in candidates if c.writable] == ["MONDO:0018874"]


def test_suggest_proposes_an_hpo_term_for_a_disease_as_close_not_exact(registry, schema, reference):
    """The HPO term named like a disease was listed with proposed_match exact (HP:0012209
    Juvenile myelomonocytic leukemia for JMML), though docs/linking.md says it is a close match
    at best, never exact: a curator adding it by hand copied "exact", and link --check accepts it."""
    entity = dataclasses.replace(registry["jmml"], id="test_aml", label="acute myeloid leukemia", synonyms=[], xrefs=[])
    proposed = {c.xref: c.proposed_match for c in suggest(Registry({"test_aml": entity}), schema, reference)}
    assert proposed["HP:0004808"] == "close"
    assert proposed["MONDO:0018874"] == "exact"
    # a phenotype keeps its HPO terms as exact
    bare = Registry({"fever": dataclasses.replace(registry["fever"], xrefs=[])})
    assert {c.xref: c.proposed_match for c in suggest(bare, schema, reference)}["HP:0001945"] == "exact"


def test_insert_xrefs_into_block_entries():
    text = "entities:\n  - id: a\n    label: A\n    xrefs:\n      - X:1\n  # next\n  - id: b\n    label: B\n"
    out = insert_xrefs(text, {"a": [Xref("MONDO:1", "broad")], "b": [Xref("DOID:2", justification="via_mondo")]})
    assert out == ("entities:\n  - id: a\n    label: A\n    xrefs:\n      - X:1\n      - {id: MONDO:1, match: broad}\n"
                   "  # next\n  - id: b\n    label: B\n    xrefs:\n      - {id: DOID:2, justification: via_mondo}\n")


# --- SSSOM and imports -------------------------------------------------------------------------

def test_every_import_method_release_yaml_may_name_has_an_extractor():
    """ontology/release.yaml's methods (checked by graphkit.config) and the extractors that make
    the modules (graphkit.linking.imports) are one list: a new method is added to both."""
    from graphkit.config import IMPORT_METHODS
    from graphkit.linking.imports import METHODS

    assert sorted(METHODS) == sorted(IMPORT_METHODS)


@pytest.fixture(scope="module")
def sssom_text(project, registry, reference):
    from graphkit.linking.sssom import render

    return render(registry, reference, "0.1.0", "https://creativecommons.org/licenses/by/4.0/", project.root)


def _sssom_rows(text):
    import csv

    return list(csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t"))


def test_sssom_rows_carry_their_provenance(sssom_text, registry):
    """Author on every row; tool, tool version and reviewer on the rows a tool proposed; the
    intermediate of every chained row; object labels wherever the reference data has one."""
    import re

    import subprocess

    rows = _sssom_rows(sssom_text)
    assert len(rows) == sum(len(e.xrefs) for e in registry.values())
    # every registry line has its commit day, in a git checkout whose registry is committed
    committed = (ROOT / ".git").exists() and subprocess.run(
        ["git", "diff", "--quiet", "HEAD", "--", "ontology/curation/entities"], cwd=ROOT).returncode == 0
    assert "# creator_label:\n#   - graphkit curators\n" in sssom_text
    assert "# license: https://creativecommons.org/licenses/by/4.0/\n" in sssom_text
    tools = {"semapv:LexicalMatching": "graphkit link --suggest", "semapv:MappingChaining": "graphkit link --propagate",
             "semapv:ManualMappingCuration": ""}
    for row in rows:
        assert row["author_label"] == "graphkit curators"
        assert row["mapping_tool"] == tools[row["mapping_justification"]]
        assert (row["reviewer_label"], row["mapping_tool_version"]) == (("graphkit curators", "0.1.0") if
                                                                        row["mapping_tool"] else ("", ""))
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["mapping_date"]) or not committed, row
        if row["mapping_justification"] == "semapv:MappingChaining":
            via = re.match(r"chained via (MONDO:\d{7}): ", row["comment"])
            assert via and row["see_also"].startswith("http://purl.obolibrary.org/obo/mondo/releases/"), row
            subject = registry[row["subject_id"].removeprefix("gke:")]
            assert any(x.curie == via.group(1) for x in subject.xrefs)
        # the reference data has no label offline for MeSH, UMLS and SNOMED CT ids only, and OMIM's
        # titles (under OMIM's terms of use) are not republished: 8 rows had them from Mondo's set
        assert bool(row["object_label"]) != (row["object_id"].split(":")[0] in ("MESH", "UMLS", "SNOMEDCT", "OMIM")), row
    doid = next(r for r in rows if (r["subject_id"], r["object_id"]) == ("gke:jmml", "DOID:0050458"))
    assert doid["comment"].startswith("chained via MONDO:0011908: ")
    assert doid["see_also"].endswith("/mappings/mondo_exactmatch_doid.sssom.tsv")


def test_sssom_rows_state_the_release_of_the_reference_data_of_their_object(sssom_text, project):
    """A curator reading the mapping set could not tell which MONDO, HPO or ICD-10-CM release an
    id and its label were checked against. ``object_source_version`` is the version the import
    module of the object's vocabulary states, and empty for ids known only from Mondo's mapping
    sets and DO's xrefs (their release is not NCIt's, MeSH's ...)."""
    from rdflib import Graph
    from rdflib.namespace import OWL

    modules = {}
    for module in project.config.imports:
        graph = Graph().parse(project.imports_dir / f"{module.id}.ttl")
        modules[module.prefix] = str(next(graph.objects(None, OWL.versionInfo)))
    versions = {}
    for row in _sssom_rows(sssom_text):
        versions.setdefault(row["object_id"].split(":")[0], set()).add(row["object_source_version"])
    unversioned = {"NCIT", "ORPHA", "OMIM", "MESH", "UMLS", "SNOMEDCT"}
    assert {p: v for p, v in versions.items() if p not in unversioned} == {
        p: {modules[p]} for p in versions if p not in unversioned}
    assert all(versions[p] == {""} for p in unversioned & set(versions))
    assert versions["MONDO"] == {"2026-08-04"} and versions["HP"] == {"2025-01-16"}


def test_the_sssom_row_counts_docs_linking_states_are_the_sets(sssom_text, project):
    """docs/linking.md said 142 rows without an object_source_version where the set had 143 (no
    test read the figures of its SSSOM section)."""
    import re

    doc = (project.root / "docs" / "linking.md").read_text(encoding="utf-8")
    rows = _sssom_rows(sssom_text)

    def prefix(row):
        return row["object_id"].split(":")[0]

    stated = {
        "own": re.search(r"`gke:\.\.\.`, (\d+) rows\)", doc),
        "no label": re.search(r"so their rows \((\d+)\)\s+leave it empty", doc),
        "omim": re.search(r"OMIM's rows \((\d+)\) leave it empty", doc),
        "unversioned": re.search(r"UMLS and SNOMED CT ids \((\d+) rows\)", doc),
    }
    assert all(stated.values()), stated
    assert {name: int(match.group(1)) for name, match in stated.items()} == {
        "own": sum(row["subject_id"].startswith("gke:") for row in rows),
        "no label": sum(prefix(row) in ("MESH", "UMLS", "SNOMEDCT") for row in rows),
        "omim": sum(prefix(row) == "OMIM" for row in rows),
        "unversioned": sum(not row["object_source_version"] for row in rows)}


def test_sssom_description_names_every_vocabulary_its_objects_are_checked_against(sssom_text):
    """The set's description names the reference data of each vocabulary its rows use (it had
    named 8 of the 18), by how they are checked: their terms, or ids Mondo and DO know."""
    import yaml

    from graphkit.linking.reference import VOCABULARIES, Mapped

    header = yaml.safe_load("\n".join(line[2:] for line in sssom_text.splitlines() if line.startswith("# ")))
    description = header["mapping_set_description"]
    prefixes = {row["object_id"].split(":")[0] for row in _sssom_rows(sssom_text)}
    assert len(prefixes) >= 18 and prefixes <= set(VOCABULARIES)
    terms, ids = description.split("; and against the ids of ")
    for prefix in prefixes:
        assert VOCABULARIES[prefix].title in (ids if VOCABULARIES[prefix].kind is Mapped else terms), prefix
    assert "Human Phenotype Ontology" in terms and "NCI Thesaurus" in ids and "Gene Ontology" not in description


@pytest.mark.slow
def test_sssom_validate_passes(tmp_path, sssom_text, registry):
    """sssom-py reads the file and its validator (``sssom validate``, every check it offers on a
    file) finds nothing."""
    import subprocess
    import sys

    from sssom.parsers import parse_sssom_table

    path = tmp_path / "mappings.sssom.tsv"
    path.write_text(sssom_text, encoding="utf-8")
    for check in ("JsonSchema", "PrefixMapCompleteness", "StrictCurieFormat"):
        proc = subprocess.run([sys.executable, "-m", "sssom.cli", "validate", "-V", check, str(path)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0 and "error" not in (proc.stdout + proc.stderr).lower(), (check, proc.stderr)
    # its RDF conversion accepts every slot (subject_source was a namespace URL: "incorrect value")
    proc = subprocess.run([sys.executable, "-m", "sssom.cli", "convert", "-O", "rdf", "-o", str(tmp_path / "m.ttl"),
                           str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "incorrect value" not in proc.stdout + proc.stderr, proc.stderr
    msdf = parse_sssom_table(path)
    # each row's subject_source as read back (the set had said graphkit:all, which sssom-py
    # propagated to every row, the two ICD-10-CM code nodes too: their ids are ICD-10-CM's)
    sources = {(row.subject_id, row.subject_source, row.subject_source_version) for row in msdf.df.itertuples()
               if not row.subject_id.startswith("gke:")}
    assert sources == {(code, "graphkit:imports/icd10cm", "April 1, 2026 tabular (simple-icd-10-cm 1.5.0)")
                       for code in ("ICD10CM:C93.3", "ICD10CM:C93.32")}
    ours = msdf.df[msdf.df.subject_id.str.startswith("gke:")]
    assert set(zip(ours.subject_source, ours.subject_source_version)) == {("graphkit:all", "0.1.0")}
    assert "subject_source" not in msdf.metadata
    assert msdf.converter.expand("graphkit:imports/icd10cm") == "https://w3id.org/graphkit/imports/icd10cm"
    assert len(msdf.df) == sum(len(e.xrefs) for e in registry.values())
    row = msdf.df[(msdf.df.subject_id == "gke:jmml_in_relapse") & (msdf.df.object_id == "ICD10CM:C93.32")].iloc[0]
    assert (row.predicate_id, row.object_label) == ("skos:exactMatch", "Juvenile myelomonocytic leukemia, in relapse")
    assert row.author_label == "graphkit curators" and row.mapping_date
    assert row.object_source_version == "April 1, 2026 tabular (simple-icd-10-cm 1.5.0)"
    assert msdf.metadata["mapping_set_id"] == "https://w3id.org/graphkit/mappings/graphkit.sssom.tsv"
    assert msdf.metadata["creator_label"] == ["graphkit curators"]
    assert msdf.converter.expand("MONDO:0011908") == "http://purl.obolibrary.org/obo/MONDO_0011908"


@pytest.mark.slow
def test_export_mappings_cli_to_stdout(cli):
    result = cli("export-mappings", "--no-labels", "-o", "-")
    assert result.code == 0, result
    assert result.out.startswith("# curie_map:\n")
    assert "gke:jmml\tjuvenile myelomonocytic leukemia\tgraphkit:all\t0.1.0\tskos:exactMatch\tMONDO:0011908\t" in result.out


def test_export_mappings_to_a_directory_is_refused_before_the_work_and_writes_nothing(cli, tmp_path):
    """-o out/ wrote a file named out (Path() drops the slash); -o DIR said "Is a directory" (exit
    3) after the five seconds of the mapping set's rendering."""
    (tmp_path / "existing").mkdir()
    for output in (f"{tmp_path / 'new.sssom.tsv'}/", str(tmp_path / "existing")):
        result = cli("export-mappings", "--no-labels", "-o", output)
        assert (result.code, result.err) == (2, f"graphkit export-mappings: -o {output} is a directory; give a file "
                                                f"name\n"), result
    assert [p.name for p in tmp_path.iterdir()] == ["existing"] and not list((tmp_path / "existing").iterdir())
    empty = cli("export-mappings", "--no-labels", "-o", "")          # -o "$OUT" with OUT unset
    assert (empty.code, empty.err) == (2, "graphkit export-mappings: -o is empty; give a file name, or - for standard "
                                          "output\n"), empty


def test_imports_are_up_to_date(project, registry, reference):
    assert stale_imports(project, registry, reference) == []


def test_labels_modules_name_every_id_of_their_vocabulary_the_registry_uses(project, registry, reference):
    """NCIt, ChEBI, UNII ... (a label each, as the reference data gives it), and no labels module for
    a vocabulary whose ids the data names only through the terms mapped to them."""
    from graphkit.linking.imports import build_imports

    modules = {m.id: m for m in project.config.imports if m.method == "labels"}
    assert sorted(modules) == ["chebi", "ecto", "hgnc", "maxo", "ncbigene", "ncit", "orpha", "symp", "unii"]
    graphs = build_imports(project.config, registry, reference)
    labels = {name: {curie(s): str(o) for s, o in graphs[name].subject_objects(RDFS.label)} for name in modules}
    for name, module in modules.items():
        used = {x.curie for e in registry.values() for x in e.xrefs if x.curie.startswith(module.prefix + ":")}
        assert set(labels[name]) == used, name
    assert (labels["unii"]["UNII:5J49Q6B70F"], labels["ncit"]["NCIT:C9233"], labels["hgnc"]["HGNC:1014"]) == (
        "VINCRISTINE", "Juvenile Myelomonocytic Leukemia", "BCR")
    mesh = dataclasses.replace(next(iter(modules.values())), id="mesh", prefix="MESH")
    with pytest.raises(GraphkitError, match=r"import module mesh: the reference data has no MESH label of its own"):
        build_imports(dataclasses.replace(project.config, imports=(mesh,)), registry, reference)


def test_every_term_a_module_maps_to_is_described(store):
    """The code modules and the doid module cover the targets of the MONDO mappings
    (docs/linking.md). MONDO also maps to the ICD-10-CM chapter A00-B99, no code of the tabular:
    the module kept it, an IRI nothing in the release or the imports described; and its DOID
    targets (DOID:12286 testicular leukemia, of testicular relapse) were in no module."""
    rows = store.query("""
        SELECT DISTINCT ?target WHERE {
          GRAPH ?module { ?term skos:exactMatch|skos:broadMatch|skos:narrowMatch ?target }
          FILTER(STRSTARTS(STR(?module), "https://w3id.org/graphkit/graph/imports/"))
          FILTER NOT EXISTS { ?target rdfs:label|skos:notation ?described }
        }""").records()
    assert len(store.query("SELECT * WHERE { ?m skos:exactMatch ?code FILTER(CONTAINS(STR(?code), 'ICD10')) }").records()) > 10
    assert len(store.query("SELECT * WHERE { ?m skos:exactMatch ?t FILTER(CONTAINS(STR(?t), 'DOID_')) }").records()) > 10
    assert rows == []


def test_the_release_and_its_imports_read_together_do_not_contradict_themselves(store):
    """SKOS makes exactMatch symmetric and transitive, and disjoint with broadMatch and
    relatedMatch (S46): no two terms one chain of exact matches joins may also be broader,
    narrower or related. The MONDO module had republished MONDO's row "cancer exactMatch DOID's
    organ system cancer", the graph's cancer being exactly MONDO's and only narrower than DOID's
    (8 such rows; an independent audit found them)."""
    rows = store.query("""
        SELECT ?a ?match ?b WHERE {
          VALUES ?match { skos:exactMatch skos:broadMatch skos:narrowMatch skos:relatedMatch }
          ?a ?match ?b }""").texts()
    parent: dict[str, str] = {}

    def find(term):
        while parent.setdefault(term, term) != term:
            term = parent[term]
        return term

    for row in rows:
        if row["match"].endswith("exactMatch"):
            parent[find(row["a"])] = find(row["b"])
    assert sum(row["match"].endswith("exactMatch") for row in rows) > 400
    assert [row for row in rows if not row["match"].endswith("exactMatch") and find(row["a"]) == find(row["b"])] == []


def test_the_doid_module_has_one_root_disease(store):
    """HumanDO.tsv has no row for DOID:4 "disease"; its eight top classes had no parent in the module."""
    rows = store.query("""
        SELECT ?top ?label WHERE {
          GRAPH <https://w3id.org/graphkit/graph/imports/doid> {
            ?top a owl:Class ; rdfs:label ?label FILTER NOT EXISTS { ?top rdfs:subClassOf ?parent } } }""").texts()
    assert rows == [{"top": "http://purl.obolibrary.org/obo/DOID_4", "label": "disease"}]


def test_hpo_hierarchy_query(store):
    rows = store.query("""
        SELECT DISTINCT ?e WHERE {
          ?e skos:exactMatch ?hp .
          ?hp rdfs:subClassOf* <http://purl.obolibrary.org/obo/HP_0001871> .
        }""").rows
    assert {str(r["e"]).rsplit("/", 1)[-1] for r in rows} == {
        "anemia", "blood_problems", "circulating_blasts", "coagulation_abnormality", "easy_bleeding", "easy_bruising",
        "epistaxis", "gum_bleeding", "hematochezia", "leukocytosis", "leukopenia", "neutropenia", "neutrophilia",
        "petechiae", "thrombocytopenia"}


def test_icd10_block_query(store):
    rows = store.query("""
        SELECT DISTINCT ?e WHERE {
          ?e skos:exactMatch ?code .
          ?code gk:parentCode* <http://purl.bioontology.org/ontology/ICD10CM/C81-C96> .
          FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/"))
        }""").rows
    assert {str(r["e"]).rsplit("/", 1)[-1] for r in rows} == {
        "acute_lymphoblastic_leukemia", "jmml", "jmml_in_relapse"}      # AML: narrowMatch to C92.0


def test_icd10_code_hierarchy_in_imports(store):
    rows = store.query("""
        SELECT ?code ?title WHERE {
          <http://purl.bioontology.org/ontology/ICD10CM/C93.32> gk:parentCode+ ?code .
          ?code rdfs:label ?title .
        }""").records()
    assert {r["code"].rsplit("/", 1)[-1]: r["title"] for r in rows} == {
        "C93.3": "Juvenile myelomonocytic leukemia", "C93": "Monocytic leukemia",
        "C81-C96": "Malignant neoplasms of lymphoid, hematopoietic and related tissue (C81-C96)",
        "2": "Neoplasms (C00-D49)"}


def test_the_independent_xref_audit(registry):
    """An audit against the reference data: DO's acute leukemia is lymphoid only (narrower); an
    HPO phenotype is close to a disease, not exact; codes and HPO terms with the entity's meaning."""
    assert ("DOID:12603", "narrow") in xrefs_of(registry, "acute_leukemia")
    assert ("HP:0030692", "close") in xrefs_of(registry, "brain_tumor")
    assert ("ICD10CM:D61.03", "exact") in xrefs_of(registry, "fanconi_anemia")
    assert ("ICD10CM:C91.00", "broad") in xrefs_of(registry, "refractory_childhood_all")
    assert ("HP:6000181", "exact") in xrefs_of(registry, "prior_radiation_therapy")
    assert ("HP:6000019", "broad") in xrefs_of(registry, "high_cumulative_anthracycline_dose")
    assert ("HP:0034382", "exact") in xrefs_of(registry, "remission")


@pytest.mark.slow
def test_icd10cm_codes_not_in_the_tabular_are_looked_up_only_with_a_seventh_character():
    """Importing simple-icd-10-cm takes seconds; the tabular XML holds every chapter, block and
    code but those whose seventh character a rule gives, so only those need the package
    (Mondo's ranges such as A00-B99 imported it on every ``link --check``)."""
    icd10cm = Reference().vocabulary("ICD10CM")
    found = icd10cm.get_many(["ICD10CM:C93.32", "ICD10CM:A00-B99", "ICD10CM:C93.99", "ICD10CM:C81-C96"])
    assert {curie: term.label for curie, term in found.items()} == {
        "ICD10CM:C93.32": "Juvenile myelomonocytic leukemia, in relapse",
        "ICD10CM:C81-C96": "Malignant neoplasms of lymphoid, hematopoietic and related tissue (C81-C96)"}
    assert "module" not in vars(icd10cm)            # not imported
    fracture = icd10cm.term("S52.521A")          # a seventh character: the package
    assert fracture is not None and fracture.parents == ("ICD10CM:S52.521",) and "module" in vars(icd10cm)
