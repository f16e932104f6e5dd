"""OWL RL reasoning: the two engines agree, and the inferences are the expected ones."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import OWL, RDF

from graphkit.namespaces import GK, GKE
from graphkit.reason import closure_owlrl, closure_reasonable, informative, reasoning_input


@pytest.fixture(scope="module")
def reasoning_graph(release):
    graph = Graph()
    for triple in reasoning_input(release.triples):
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def built_inferred(project):
    return Graph().parse(project.inferred_ttl, format="turtle")


def test_reasoning_leaves_out_provenance(release, reasoning_graph):
    assert not list(reasoning_graph.subjects(RDF.type, GK.Evidence))
    assert list(reasoning_graph.subjects(GK.hasSymptom, None))
    # the blank owl:Axiom nodes that attach evidence are provenance: not reasoned over, not inferred
    assert any(p == GK.evidence for _, p, _ in release.triples)
    assert not list(reasoning_graph.subjects(RDF.type, OWL.Axiom))
    assert not [t for t in reasoning_graph if t[1] in (OWL.annotatedSource, OWL.annotatedTarget, GK.evidence)]
    assert not [t for t in release.inferred if isinstance(t[0], BNode) or t[1] == GK.evidence]


def test_the_schema_annotates_no_axiom(release):
    """graph_for_triple puts every blank owl:Axiom node in the provenance graph: none is the schema's."""
    assert not list(release.schema.graph.subjects(RDF.type, OWL.Axiom))
    assert not list(release.schema.graph.subjects(OWL.annotatedSource, None))


@pytest.fixture(scope="module")
def closures(reasoning_graph):
    """The full closures of both engines (owlrl, the reference, takes seconds: computed once)."""
    return set(closure_owlrl(reasoning_graph)), set(closure_reasonable(reasoning_graph))


@pytest.mark.slow
def test_reasonable_and_owlrl_give_the_same_inferences(closures, reasoning_graph, release):
    reference, fast = ({t for t in closed if t not in reasoning_graph and informative(t)} for closed in closures)
    assert reference and fast == reference
    assert set(release.inferred) == fast            # what the build wrote comes from the fast engine


@pytest.mark.slow
def test_engines_differ_only_in_padding(closures, reasoning_graph):
    """owlrl adds padding (sameAs x x, literal typing, schema-level closure) and reasonable adds
    owl:Thing typing; none of it is an informative triple."""
    reference, fast = closures
    assert not {t for t in reference ^ fast if informative(t) and t not in reasoning_graph}


def test_every_subtype_has_all_its_ancestors(release, reasoning_graph):
    graph, inferred = reasoning_graph, release.inferred
    parents: dict = {}
    for s, o in graph.subject_objects(GK.subtypeOf):
        parents.setdefault(s, set()).add(o)
    assert parents
    for child in parents:
        ancestors, todo = set(), list(parents[child])
        while todo:
            node = todo.pop()
            if node not in ancestors:
                ancestors.add(node)
                todo.extend(parents.get(node, ()))
        for ancestor in ancestors:
            assert (child, GK.subtypeOf, ancestor) in graph or (child, GK.subtypeOf, ancestor) in inferred
            # Both directions are asserted where two sources state one link each way.
            assert (ancestor, GK.hasSubtype, child) in inferred or (ancestor, GK.hasSubtype, child) in graph


def test_inverse_edges_are_inferred(release, reasoning_graph):
    symptoms = list(reasoning_graph.subject_objects(GK.hasSymptom))
    assert symptoms
    for disease, symptom in symptoms:
        assert (symptom, GK.symptomOf, disease) in release.inferred


def test_roles_and_superclasses_are_inferred(release, reasoning_graph):
    for _, factor in reasoning_graph.subject_objects(GK.hasRiskFactor):
        assert (factor, RDF.type, GK.RiskFactor) in release.inferred
    assert (GKE.jmml_in_relapse, RDF.type, GK.MedicalCondition) in release.inferred


def test_nothing_asserted_is_lost_or_repeated(release, release_graph, built_inferred, reasoning_graph):
    asserted = release_graph
    for triple in reasoning_graph:
        if not any(isinstance(term, BNode) for term in triple):
            assert triple in asserted
    inferred = {t for t in built_inferred if str(t[0]) != "https://w3id.org/graphkit/inferred"}
    assert inferred == set(release.inferred)
    assert not inferred & set(asserted)


def test_inferred_file_is_marked(built_inferred):
    header = next(built_inferred.subjects(RDF.type, OWL.Ontology))
    assert str(header) == "https://w3id.org/graphkit/inferred"


def test_ctrl_c_while_the_reasoner_reads_the_graph_is_an_interrupt_after_it():
    """A Ctrl-C while the Rust reasoner called back into Python made it panic (PanicException, a
    100-line traceback, exit 1): it is held back and raised when the reasoner returns."""
    import os
    import signal

    from rdflib import RDF, RDFS, URIRef

    from graphkit.reason import closure_reasonable

    class Interrupting:
        """Triples whose first reading sends this process SIGINT halfway."""
        sent = read_to_the_end = False

        def __iter__(self):
            yield URIRef("urn:a"), RDF.type, URIRef("urn:B")
            if not Interrupting.sent:
                Interrupting.sent = True
                os.kill(os.getpid(), signal.SIGINT)
            yield URIRef("urn:B"), RDFS.subClassOf, URIRef("urn:C")
            Interrupting.read_to_the_end = True

    with pytest.raises(KeyboardInterrupt):
        closure_reasonable(Interrupting())
    assert Interrupting.sent and Interrupting.read_to_the_end      # raised after the reasoner, not inside it
    assert (URIRef("urn:a"), RDF.type, URIRef("urn:C")) in closure_reasonable(Interrupting())


def test_sigterm_while_the_reasoner_runs_is_raised_after_it_as_terminated():
    """SIGTERM is held back as Ctrl-C is, then raised as `Terminated` (an interrupt: the same
    clean-up, then `terminated` and exit 143), once the command has asked for it."""
    import os
    import signal

    from graphkit import interrupts

    previous = signal.getsignal(signal.SIGTERM)
    interrupts.terminate_as_interrupt()
    finished = False
    try:
        with pytest.raises(interrupts.Terminated):
            with interrupts.deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                finished = True
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert finished and signal.getsignal(signal.SIGTERM) is previous
