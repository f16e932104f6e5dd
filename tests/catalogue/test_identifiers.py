"""Every identifier the graph knows is a parameter: an external identifier an entity carries as an
exact mapping names that entity (every one of the release, in any spelling the prefix map knows);
a loose mapping names its entity with a note; an unknown identifier is an error with a
did-you-mean; code, term and node parameters take ICD-10 codes and ontology terms as themselves."""

import pytest
from pyoxigraph import NamedNode

from graphkit.catalogue import Catalogue, prepare
from graphkit.catalogue.params import resolve_code, resolve_entity, resolve_node, resolve_term
from graphkit.errors import QueryError
from graphkit.identifiers import Mappings
from graphkit.namespaces import GKE, compact

from ..conftest import ROOT

PREFIXES = {"MONDO", "DOID", "NCIT", "HP", "ICD10CM", "ICD10WHO", "UNII", "CHEBI", "HGNC", "NCBIGene", "ORPHA",
            "OMIM", "UMLS", "MESH", "SNOMEDCT"}


@pytest.fixture(scope="module")
def mappings(store):
    return Mappings.from_store(store)


@pytest.mark.slow
def test_every_exact_mapped_identifier_names_its_entity_in_describe_entity(mappings, store, project):
    """The walk of the release: each identifier as CURIE, lower-case CURIE and IRI, bound through
    describe-entity's parameter (resolve only; a sample runs as a command below)."""
    query = Catalogue(project).get("describe-entity")
    exact = mappings.exact()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"all {len(exact)} exact-mapped\nidentifiers of the release name their entity" in readme
    assert PREFIXES <= {compact(iri).split(":")[0] for iri in exact}
    shared = {}
    for iri, carriers in exact.items():
        curie = compact(iri)
        for form in (curie, curie.lower(), iri):
            if len(carriers) == 1:
                assert prepare(query, store, {"entity": form}).bindings["entity"] == NamedNode(carriers[0].entity), form
            else:
                with pytest.raises(QueryError, match="an exact mapping of several entities") as error:
                    prepare(query, store, {"entity": form})
                assert all(compact(c.entity) in str(error.value) for c in carriers)
                shared[curie] = sorted(compact(c.entity) for c in carriers)
    # link --check's mapping cardinality: no two entities exact-match one id (the UNII of E. coli
    # asparaginase is a narrow match of asparaginase in general), so every identifier names one entity.
    assert shared == {}


@pytest.mark.parametrize("identifier, entity", [
    ("MONDO:0011908", "jmml"), ("mondo:0011908", "jmml"), ("http://purl.obolibrary.org/obo/MONDO_0011908", "jmml"),
    ("DOID:0050458", "jmml"), ("Orphanet:86834", "jmml"), ("ICD10CM:C93.32", "jmml_in_relapse"),
    ("icd10cm:c93.32", "jmml_in_relapse"), ("HP:0001945", "fever")])
def test_an_external_identifier_names_the_entity_that_carries_it(store, identifier, entity):
    notes = []
    assert resolve_entity(store, identifier, notes) == NamedNode(GKE[entity])
    # one note, saying which entity the identifier named
    assert len(notes) == 1 and notes[0].startswith(f"{identifier} read as ") and f"(gke:{entity})" in notes[0]
    assert notes[0].endswith("which carries it as an exact mapping")


def test_an_exact_identifier_is_noted_with_the_entity_it_named(store):
    notes = ["a note of another parameter"]
    assert resolve_entity(store, "HGNC:3495", notes) == NamedNode(GKE.etv6)
    assert notes[1:] == ["HGNC:3495 read as ETV6 (gke:etv6), a gene, which carries it as an exact mapping"]


def test_a_loose_mapping_names_its_entity_with_a_note(store):
    notes = []
    assert resolve_entity(store, "MONDO:0035940", notes) == NamedNode(GKE.ph_positive_all)
    assert notes == ["MONDO:0035940 is not an exact mapping of any entity: Philadelphia chromosome-positive acute "
                     "lymphoblastic leukemia (gke:ph_positive_all, skos:closeMatch) carries it as a close match (as "
                     "does childhood Philadelphia chromosome-positive acute lymphoblastic leukemia); "
                     "using gke:ph_positive_all"]
    # carriers at one level of which none is a kind of the other stay an error naming them; an
    # identifier narrower than both is asked for the most specific; carried two ways, an error
    from graphkit.identifiers import Mappings
    rows = [("https://w3id.org/graphkit/entity/a", "A", "close", "http://purl.obolibrary.org/obo/MONDO_1"),
            ("https://w3id.org/graphkit/entity/b", "B", "close", "http://purl.obolibrary.org/obo/MONDO_1")]
    asked = []
    with pytest.raises(QueryError, match="is a mapping of several entities: A .*, B .*; use an id"):
        Mappings(rows).resolve("MONDO:1", lambda entities, narrower: asked.append(narrower))
    narrow = Mappings([(e, label, "narrow", term) for e, label, _, term in rows])
    assert narrow.resolve("MONDO:1", lambda entities, narrower: entities[1] if narrower else None).entity.endswith("/b")
    mixed = Mappings([rows[0], (rows[1][0], "B", "broad", rows[1][3])])
    with pytest.raises(QueryError):
        Mappings([(rows[0][0], "A", "narrow", rows[0][3]), (rows[1][0], "B", "broad", rows[1][3])]).resolve(
            "MONDO:1", lambda entities, narrower: entities[0])
    assert asked == [False] and mixed.resolve("MONDO:1").entity.endswith("/a")


def test_a_loose_mapping_of_several_entities_names_them(store):
    with pytest.raises(QueryError, match=r"ICD10CM:C91.02 is a mapping of several entities: .*"
                                         r"gke:relapsed_childhood_all, skos:broadMatch.*; use an id"):
        resolve_entity(store, "ICD10CM:C91.02")


@pytest.mark.parametrize("identifier, message", [
    ("MONDO:0011909", "no entity carries the identifier MONDO:0011909; did you mean MONDO:0011908"),
    ("HP:0000118", "no entity carries the identifier HP:0000118 (the graph holds it as an imported term, mapped to "
                   "no entity); did you mean")])
def test_an_identifier_no_entity_carries_gets_a_did_you_mean(store, identifier, message):
    with pytest.raises(QueryError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        resolve_entity(store, identifier)


def test_code_term_and_node_parameters_take_identifiers_as_themselves(store):
    code = NamedNode("http://purl.bioontology.org/ontology/ICD10CM/C93.32")
    assert resolve_code(store, "ICD10CM:C81-C96") == NamedNode("http://purl.bioontology.org/ontology/ICD10CM/C81-C96")
    assert resolve_code(store, "Juvenile myelomonocytic leukemia, in relapse") == code
    assert resolve_node(store, "ICD10CM:C93.32") == code and resolve_node(store, "MONDO:0011908") == NamedNode(GKE.jmml)
    # the code without its system names the code node too, as its CURIE does (evidence-for-edge
    # of "JMML in relapse hasICD10Code C93.32" had read it as the disease mapped to the code: no rows)
    notes = []
    assert resolve_node(store, "C93.32", notes) == code and notes == ["C93.32 read as ICD10CM:C93.32, the code itself"]
    assert resolve_term(store, "HP:0001871") == NamedNode("http://purl.obolibrary.org/obo/HP_0001871")
    with pytest.raises(QueryError, match="'jmml' is an entity, not an ICD-10 code"):
        resolve_code(store, "jmml")
    # an entity's name is the one term of the graph it maps exactly to ("anaemia" had been refused,
    # naming HP:0001903), several stay an error naming them
    notes = []
    assert resolve_term(store, "anaemia", notes, "HP") == NamedNode("http://purl.obolibrary.org/obo/HP_0001903")
    assert notes == ["'anaemia' read as HP:0001903: anemia (gke:anemia), a phenotype or symptom, maps exactly to it"]
    # only a term of the parameter's vocabulary: JMML's MONDO class is no HPO term (a reviewer found
    # "acute leukemia" read as MONDO:0010643 under an HPO parameter, and no rows)
    with pytest.raises(QueryError, match=r"^'jmml' is an entity of the graph, mapped exactly to no HP term here \(give "
                                         r"the term as CURIE or IRI\); the terms of the graph it maps exactly to: "
                                         r"DOID:0050458, ICD10CM:C93.3, ICD10WHO:C93.3, MONDO:0011908, NCIT:C9233, ORPHA:86834$"):
        resolve_term(store, "jmml", vocabulary="HP")
    with pytest.raises(QueryError, match="did you mean 'petechiae'"):
        resolve_term(store, "petechia", vocabulary="HP")
    with pytest.raises(QueryError, match="HP:9999999 is in neither the import modules"):
        resolve_term(store, "HP:9999999")


def test_a_code_written_without_its_system(store):
    """C93.32 named no entity ('no entity with id, label or synonym'), and C93.3, a code of both
    ICD-10-CM and WHO ICD-10, was 'names several ICD-10 codes'."""
    cm = "http://purl.bioontology.org/ontology/ICD10CM/"
    assert resolve_entity(store, "C93.32") == resolve_entity(store, "c93.32") == NamedNode(GKE.jmml_in_relapse)
    assert resolve_entity(store, "acute lymphoblastic leukaemia") == NamedNode(GKE.acute_lymphoblastic_leukemia)
    notes = []          # which system the code was read in, and what it named, is said
    assert resolve_entity(store, "C91.0", notes) == NamedNode(GKE.acute_lymphoblastic_leukemia)
    assert notes == ["C91.0 read as ICD10CM:C91.0: acute lymphoblastic leukemia (gke:acute_lymphoblastic_leukemia), "
                     "a disease"]
    assert resolve_code(store, "C93.3") == NamedNode(cm + "C93.3")
    assert resolve_code(store, "ICD10WHO:C93.3") == NamedNode("https://icd.who.int/browse10/2019/en#/C93.3")
    assert resolve_code(store, "C93.32") == NamedNode(cm + "C93.32")
    with pytest.raises(QueryError, match="^no entity with id, label or synonym 'C99.99'"):
        resolve_entity(store, "C99.99")


@pytest.mark.parametrize("written, entity, name", [
    ("CAR T cell therapy", "car_t_cell_therapy", "CAR T-cell therapy"),
    ("B cell acute lymphoblastic leukemia", "b_all", "B-cell acute lymphoblastic leukemia"),
    ("intermediate risk B-ALL", "intermediate_risk_childhood_b_all", "intermediate-risk B-ALL"),
    ("JMML, in relapse", "jmml_in_relapse", "JMML in relapse"),
    ("Philadelphia chromosome positive acute lymphoblastic leukemia", "ph_positive_all",
     "Philadelphia chromosome\u2013positive acute lymphoblastic leukemia"),
])
def test_a_name_written_with_spaces_for_hyphens_or_with_a_comma_names_its_entity_with_a_note(store, written, entity,
                                                                                            name):
    """'CAR T cell therapy' was 'no entity with id, label or synonym', and suggested 'heart'."""
    notes = []
    assert resolve_entity(store, written, notes) == NamedNode(GKE[entity])
    assert notes == [f"{written!r} read as {name!r}: {notes[0].split(': ', 1)[1]}"]
    assert notes[0].endswith(f"(gke:{entity})")
    with pytest.raises(QueryError, match="^no entity with id, label or synonym 'CAR T cell therapies'"):
        resolve_entity(store, "CAR T cell therapies")



def test_a_name_read_loosely_never_beats_an_exact_one_or_drops_a_sign(store):
    """'Neurofibromatosis, type 1' is the exact title of an ICD-10-CM code node, which it had named
    until the loose reading found the syndrome first; a hyphen at an end is a sign (CD19-:
    negative), and 'CD19-' had been read as CD19."""
    assert resolve_node(store, "Neurofibromatosis, type 1") == NamedNode("http://purl.bioontology.org/ontology/ICD10CM/Q85.01")
    assert resolve_node(store, "CAR T cell therapy") == NamedNode(GKE.car_t_cell_therapy)
    # the study by the name a reader cites it by (study-findings --param study=chang: "no entity")
    assert resolve_entity(store, "Chang et al. 2004") == resolve_entity(store, "chang 2004") == NamedNode(GKE.chang2004_review)
    for signed in ("CD19-", "MRD-", "-CD19"):
        with pytest.raises(QueryError, match=f"^no entity with id, label or synonym '{signed}'"):
            resolve_entity(store, signed)


# --- as users run them ------------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["MONDO:0011908", "DOID:0050458", "ICD10CM:C93.3", "ORPHA:86834"])
@pytest.mark.slow
def test_cli_symptoms_of_jmml_by_its_identifiers(cli, identifier):
    by_name = cli("query", "symptoms-of-disease", "--param", "disease=jmml", "--format", "csv")
    by_identifier = cli("query", "symptoms-of-disease", "--param", f"disease={identifier}", "--format", "csv")
    assert by_identifier.code == 0, by_identifier
    assert by_identifier.err.startswith(f"graphkit query: note: {identifier} read as juvenile myelomonocytic leukemia "
                                        "(gke:jmml)") and by_identifier.err.count("\n") == 1, by_identifier.err
    assert by_identifier.out == by_name.out and len(by_name.out.splitlines()) > 3


def test_cli_describes_the_graphs_entity_not_the_imported_class(cli):
    result = cli("query", "describe-entity", "--param", "entity=MONDO:0011908", "--format", "csv")
    assert result.code == 0 and "juvenile myelomonocytic leukemia" in result.out.lower()
    assert "https://w3id.org/graphkit/entity/jmml_in_relapse" in result.out      # an edge of the graph's JMML


def test_cli_loose_and_unknown_identifiers(cli):
    loose = cli("query", "symptoms-of-disease", "--param", "disease=MONDO:0035940", "--format", "csv")
    assert loose.code == 0
    assert loose.err.startswith("graphkit query: note: MONDO:0035940 is not an exact mapping of any entity")
    unknown = cli("query", "symptoms-of-disease", "--param", "disease=MONDO:0011909")
    assert unknown.code == 2 and unknown.out == ""
    assert "did you mean MONDO:0011908" in unknown.err and len(unknown.err.splitlines()) == 1


@pytest.mark.slow
def test_cli_export_seed_takes_an_identifier(cli, tmp_path):
    by_name = cli("export", "--seed", "jmml", "--format", "csv", "-o", str(tmp_path / "name"))
    by_identifier = cli("export", "--seed", "MONDO:0011908", "--format", "csv", "-o", str(tmp_path / "id"))
    assert by_name.code == by_identifier.code == 0, by_identifier
    assert (tmp_path / "id" / "edges.csv").read_text() == (tmp_path / "name" / "edges.csv").read_text()
    loose = cli("export", "--seed", "MONDO:0035940", "--format", "csv", "-o", str(tmp_path / "loose"))
    assert loose.code == 0 and "note: MONDO:0035940 is not an exact mapping" in loose.err
    unknown = cli("export", "--seed", "MONDO:0011909", "--format", "csv", "-o", str(tmp_path / "none"))
    assert unknown.code == 2 and "did you mean MONDO:0011908" in unknown.err
    assert not (tmp_path / "none").exists()
