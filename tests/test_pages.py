"""The pages of ``graphkit serve`` over HTTP, through the gateway, on the embedded store of the
release (the same SPARQL a served Oxigraph answers; the slow tier runs the real server and a
browser, ``tests/test_pages_browser.py``): entity pages with their quotes, content negotiation,
source pages, search, the catalogue's forms and downloads, 404s with suggestions, and hostile
input escaped."""

from __future__ import annotations

import csv
import html
import http.client
import io
import json
import re
import urllib.parse

import pytest
from rdflib import Graph, URIRef

from graphkit.catalogue import load_catalogue
from graphkit.gateway import Gateway, Policy
from graphkit.namespaces import GK, GKE, OA
from graphkit.pages import Pages
from graphkit.pages.app import negotiate
from graphkit.schema import Schema
from graphkit.server import free_port
from graphkit.store import Store
from loaders.registry import load_registry

from .httptools import Answer, FakeEndpoint

ICD = URIRef("http://purl.bioontology.org/ontology/ICD10CM/C93.32")
JMML_RELAPSE = GKE.jmml_in_relapse


@pytest.fixture(scope="module")
def upstream():
    with FakeEndpoint(Answer(200, b"n\r\n1\r\n", "text/csv; charset=utf-8")) as fake:
        yield fake


@pytest.fixture(scope="module")
def site(store, project, upstream):
    front = Gateway(upstream.port, "127.0.0.1", free_port(), Policy(query_timeout=30), Pages(store, project)).start()
    yield front
    front.stop()


def get(site, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data.decode("utf-8", "replace"), response


def test_home_lists_kinds_sources_and_the_catalogue(site, project):
    status, page, response = get(site, "/")
    assert status == 200 and response.getheader("Content-Type") == "text/html; charset=utf-8"
    kinds = dict(re.findall(r'kind=gk%3A(\w+)">[^<]+</a> <span class="count">(\d+)</span>', page))
    assert kinds["Phenotype"] == "154" and kinds["DiseaseInState"] == "17" and kinds["ICD10CMCode"] == "2"
    # the entities once each (it said the sum of the kinds, 879, where the registry has 795: an
    # entity of two kinds, asparaginase a drug class and a drug, counts under each)
    stated = int(re.search(r'<p class="lead">(\d+) entities', page).group(1))
    assert stated == len(load_registry(project.entities_dir, Schema.of_project(project), project.root))
    # the quantity values, a kind of the list, are no entity of the count: said so (a reader added them)
    assert f'{stated} entities (and {kinds["QuantityValue"]} quantity values their statements give)' in page
    assert len(re.findall(r'href="/source/\w+"', page)) == 5
    assert sorted(re.findall(r'href="/catalogue/([\w-]+)"', page)) == sorted(load_catalogue(project.queries_dir))
    assert "script-src" not in page and "<script>" not in page       # the one script is a file
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")


def test_entity_page_shows_each_edge_with_its_quote_and_source_link(site):
    status, page, _ = get(site, "/entity/jmml_in_relapse")
    assert status == 200
    assert "<h1>juvenile myelomonocytic leukemia, in relapse</h1>" in page
    assert "JMML in relapse" in page                                        # a synonym
    assert 'href="http://purl.bioontology.org/ontology/ICD10CM/C93.32" rel="external">ICD10CM:C93.32</a>' in page
    # the has-ICD-10-code edge, its quote linked to the passage in the ICD-10 page
    edge = page[page.index('<section class="predicate" id="out-has-icd-10-code">'):]
    assert '<a href="/entity/ICD10CM:C93.32">' in edge[:600]
    assert '<a href="/source/icd10_c93_32_page#119-138">ICD-10 code: C93.32</a>' in edge[:1500]
    # scope shown: frequency and certainty of the symptom statements ("may include": often)
    symptoms = page[page.index('<section class="predicate" id="out-has-symptom">'):]
    assert '<span class="certainty">established</span> · <span class="frequency">often</span>' in symptoms[:3000]
    # who says it: the publisher and kind of document, linked to it (001 names no publisher)
    assert ('<p class="cite"><a href="/source/icd10_c93_32_page">health-information condition page, publisher not '
            'named</a> (001), ') in edge[:3000]
    # the IRI path serves the same page
    assert get(site, "/graphkit/entity/jmml_in_relapse")[1] == page


def test_each_fact_once_with_its_quote(site):
    """A relation the reasoner inferred from a quoted statement the other way round is not listed
    again without its quote (hair loss was 'adverse effect of' five drugs, each 'inferred')."""
    page = get(site, "/entity/alopecia")[1]
    assert "inferred (OWL RL)" not in page and "adverse effect of" not in page
    assert '<a href="/entity/gk:Established">established</a>' in page            # the legend, to the definitions
    quoted = page[page.index("… has adverse effect this"):]
    assert '<a href="/entity/vincristine">vincristine</a>' in quoted
    assert '<a href="/source/rxharun_pediatric_all_guide">RxHarun, patient guide</a> (002)' in quoted


def _graph(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=fmt)


@pytest.mark.parametrize("accept,fmt,media", [("text/turtle", "turtle", "text/turtle; charset=utf-8"),
                                              ("application/n-triples", "nt", "application/n-triples"),
                                              ("application/ld+json", "json-ld", "application/ld+json")])
def test_content_negotiation_gives_the_subgraph_with_its_evidence(site, accept, fmt, media):
    status, text, response = get(site, "/graphkit/entity/jmml_in_relapse", {"Accept": f"{accept}, text/html;q=0.5"})
    assert status == 200 and response.getheader("Content-Type") == media and response.getheader("Vary") == "Accept"
    graph = _graph(text, fmt)
    assert (JMML_RELAPSE, GK.hasICD10Code, ICD) in graph
    axioms = [ax for ax in graph.subjects(URIRef("http://www.w3.org/2002/07/owl#annotatedTarget"), ICD)
              if (ax, URIRef("http://www.w3.org/2002/07/owl#annotatedProperty"), GK.hasICD10Code) in graph]
    evidence = [ev for ax in axioms for ev in graph.objects(ax, GK.evidence)]
    quotes = {str(q) for ev in evidence for t in graph.objects(ev, OA.hasTarget) for s in graph.objects(t, OA.hasSelector)
              for q in graph.objects(s, OA.exact)}
    assert quotes == {"ICD-10 code: C93.32"}
    assert (GKE.age_of_child, GK.prognosticFactorFor, JMML_RELAPSE) in graph          # an edge in


def test_every_format_holds_the_same_triples_and_the_query_string_overrides_accept(site):
    sizes = {fmt: len(_graph(get(site, f"/entity/jmml_in_relapse?format={name}")[1], fmt))
             for name, fmt in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"))}
    assert len(set(sizes.values())) == 1 and sizes["nt"] > 500, sizes


@pytest.mark.parametrize("accept,expected", [(None, "html"), ("*/*", "html"), ("text/html,application/xhtml+xml", "html"),
                                             ("text/turtle;q=0.9, application/ld+json", "jsonld"),
                                             ("application/*", "jsonld"), ("text/*;q=0.1, application/n-triples;q=0.2",
                                                                           "ntriples"), ("image/png", None),
                                             # the most specific range decides: HTML refused by q=0
                                             ("text/html;q=0, */*;q=0.1", "turtle"), ("text/turtle;q=abc", None)])
def test_negotiate(accept, expected):
    offered = {"text/html": "html", "text/turtle": "turtle", "application/ld+json": "jsonld",
               "application/n-triples": "ntriples"}
    assert negotiate(accept, offered) == expected


def test_an_unacceptable_type_is_406(site):
    status, text, _ = get(site, "/entity/jmml", {"Accept": "image/png"})
    assert status == 406 and "text/turtle" in text
    status, text, _ = get(site, "/entity/jmml?format=bogus")
    assert (status, text) == (400, "no format 'bogus': ?format=html, turtle, ntriples, jsonld or rdfxml\n")


def test_the_formats_are_named_as_graphkit_export_names_them_and_rdf_xml_is_offered(site):
    """?format=nt and ttl were a 400 and RDF/XML a 406 on the pages, while `graphkit export` writes
    them; a catalogue answer had no TSV download although `graphkit query --format tsv` writes one."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    turtle = Graph().parse(data=get(site, "/entity/jmml?format=turtle")[1], format="turtle")
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("json-ld", "json-ld"), ("rdfxml", "xml"), ("RDF", "xml")):
        status, text, response = get(site, f"/entity/jmml?format={fmt}")
        assert status == 200 and isomorphic(Graph().parse(data=text, format=parser), turtle), fmt
    status, text, response = get(site, "/entity/jmml", {"Accept": "application/rdf+xml"})
    assert status == 200 and response.getheader("Content-Type") == "application/rdf+xml"
    assert isomorphic(Graph().parse(data=text, format="xml"), turtle)
    assert 'href="/entity/jmml?format=rdfxml" type="application/rdf+xml">RDF/XML</a>' in get(site, "/entity/jmml")[1]
    status, text, response = get(site, "/catalogue/symptoms-of-disease.tsv?disease=jmml_in_relapse")
    assert status == 200 and response.getheader("Content-Type").startswith("text/tab-separated-values")
    lines = text.splitlines()
    assert lines[0].split("\t")[:2] == ["symptom", "symptom_label"] and len(lines) == 7, lines[:2]
    assert 'href="/catalogue/symptoms-of-disease.tsv?' in get(site, "/catalogue/symptoms-of-disease")[1]


def test_unknown_entity_is_a_404_page_with_suggestions(site):
    status, page, response = get(site, "/entity/jmml_relaps")
    assert status == 404 and response.getheader("Vary") == "Accept"       # a program is answered in RDF here
    assert "No entity has the id &#x27;jmml_relaps&#x27;." in page
    assert '<a href="/entity/jmml_in_relapse">juvenile myelomonocytic leukemia, in relapse</a>' in page
    # a typo of a whole id is suggested as search suggests it (it had no suggestion), and a word of
    # the id inside other words is none ("no_such_thing" suggested fast breathing: "thing" in "breathing")
    assert '<a href="/entity/jmml">' in get(site, "/entity/jmmll")[1]
    assert "breathing" not in get(site, "/entity/no_such_thing")[1]
    status, page, _ = get(site, "/no/such/page")
    assert status == 404 and "There is no page at /no/such/page." in page


def suggested_by_kind(page: str) -> list[tuple[str, list[str]]]:
    """The "Did you mean" part of a 404 page: each kind's heading with the ids listed under it
    (one heading "" where the hits are of one kind, each labelled with it)."""
    meant = page.split("<h2>Did you mean</h2>", 1)[1].split("</main>", 1)[0]
    parts = re.split(r"<h3>(.*?)</h3>", meant)
    groups = [("", parts[0])] if parts[0].strip() else []
    groups += list(zip(parts[1::2], parts[2::2]))
    return [(html.unescape(kind), re.findall(r'<a href="/entity/([^"]+)"', listed)) for kind, listed in groups]


def test_an_unknown_entity_suggests_the_closest_names_by_kind(site, cli):
    """The 404 page of an entity suggested the entities whose names held the id's longest word
    when nothing held the whole id (relapsed_jmml_after_transplant: ten entities of every kind that
    say "transplant", from the transplant team to a time period) and nothing for a CURIE of a
    misspelled name: it names what the command line's error names (the closest names first), the
    entities of each kind under its name."""
    assert suggested_by_kind(get(site, "/entity/relapsed_jmml_after_transplant")[1]) == [
        ("", ["jmml_early_relapse_after_hsct"])]
    assert suggested_by_kind(get(site, "/entity/gke:vincristen")[1]) == [("", ["vincristine"])]
    status, page, _ = get(site, "/entity/leukemai")
    assert status == 404 and suggested_by_kind(page) == [
        ("disease", ["leukemia", "cns_leukemia"]), ("phenotype or symptom", ["leukopenia"]),
        ("clinical feature", ["leukemia_type"]), ("cell type", ["leukemia_cell"])]
    assert suggested_by_kind(get(site, "/entity/jmml_relaps")[1]) == [
        ("disease in a state", ["jmml_in_relapse", "jmml_relapse_after_hsct"]), ("study finding", ["chang2004_case"]),
        ("disease state", ["relapse"])]
    # the command line names the same, the closest first
    result = cli("query", "describe-entity", "--param", "entity=leukemai")
    assert result.code == 2 and "did you mean 'leukemia' or 'CNS leukemia' or 'leukopenia'?" in result.err, result.err
    # hits of one kind are one list, each saying its kind
    assert '<a href="/entity/vincristine">vincristine</a> <span class="kind">drug</span>' in get(site, "/entity/vincristen")[1]


def test_source_page_statements_carry_their_scope(site):
    """The statements under each passage say how they are stated, as the entity pages do (they
    showed the certainty only: a reader missed 'line of therapy: first-line treatment')."""
    page = get(site, "/source/icd10_c93_32_page")[1]
    assert ('<a href="/entity/incomplete_remission">incomplete remission</a> <span class="certainty">possible</span> · '
            '<span class="scope">line of therapy: <a href="/entity/first_line_treatment">first-line treatment</a></span>') in page
    assert ('<a href="/entity/fatigue">fatigue</a> <span class="certainty">established</span> · '
            '<span class="frequency">often</span>') in page


def test_source_page_marks_every_quoted_passage_and_links_back(site):
    status, page, _ = get(site, "/source/icd10_c93_32_page")
    assert status == 200
    assert '<span class="anchor" id="119-138"></span><a class="q" href="#st-119-138" data-passages="119-138">' \
           'ICD-10 code: C93.32</a>' in page
    item = page[page.index('<li id="st-119-138">'):]
    item = item[:item.index("</ul></li>")]
    assert 'href="/entity/jmml_in_relapse?quote=001-526297e2b904#001-526297e2b904"' in item and "has ICD-10 code" in item
    assert get(site, "/source/001")[1] == page                          # by document number
    status, page, _ = get(site, "/source/nope")
    assert status == 404 and "icd10_c93_32_page (001)" in page


def test_source_text_marks_white_space_between_passages_without_a_link():
    """A blank between two passages inside a third is highlighted but is no link: a link with no
    text has no name a screen reader can say (axe-core's link-name rule, on 45 blanks of the
    ICD-10, RxHarun and NCI pages), and the keyboard stopped on it."""
    from graphkit.pages.lookup import Passage
    from graphkit.pages.render import source_text

    marked = source_text("Ab cd ef", [Passage(0, 8), Passage(0, 2), Passage(3, 5)])
    assert '<a class="q" href="#st-0-2" data-passages="0-8 0-2">Ab</a>' in marked
    assert '<span class="q" data-passages="0-8"> </span>' in marked
    assert not re.search(r'<a class="q"[^>]*>\s*</a>', marked)
    assert html.unescape(re.sub(r"<[^>]+>", "", marked)) == "Ab cd ef"


def test_search_by_label_synonym_id_and_curie(site):
    status, page, _ = get(site, "/search?q=relapse")
    assert status == 200
    assert '<a href="/entity/jmml_in_relapse">juvenile myelomonocytic leukemia, in relapse</a>' in page
    assert page.index('href="/entity/relapse"') < page.index('href="/entity/jmml_in_relapse"')   # exact first
    for curie, target in (("MONDO:0011908", "/entity/jmml"), ("ICD10CM:C93.32", "/entity/jmml_in_relapse"),
                          ("gke:jmml", "/entity/jmml"), ("mondo:0011908", "/entity/jmml"),
                          ("http://purl.obolibrary.org/obo/MONDO_0011908", "/entity/jmml")):
        status, _, response = get(site, "/search?" + urllib.parse.urlencode({"q": curie}))
        assert (status, response.getheader("Location")) == (303, target), curie
    status, page, _ = get(site, "/search?q=" + urllib.parse.quote("JMML relapse"))    # a synonym
    assert 'via">(synonym “JMML relapse”)' in page
    status, page, _ = get(site, "/search?kind=gk:ICD10CMCode")
    assert page.count('<li><a href="/entity/ICD10CM:') == 2


@pytest.mark.parametrize("kind", ["gk:Drug", "Drug", "drug", "drugs", "https://w3id.org/graphkit/schema#Drug"])
def test_a_kind_as_a_reader_names_it(site, kind):
    status, page, _ = get(site, "/search?" + urllib.parse.urlencode({"kind": kind}))
    assert status == 200 and "<h1>Kind: drug (gk:Drug)</h1>" in page and page.count('<li><a href="/entity/') == 34


def test_a_kind_nobody_has(site):
    status, page, _ = get(site, "/search?kind=chemotherapies")
    assert status == 200 and "<h1>Kind: kind of chemotherapy (gk:Chemotherapy)</h1>" in page
    status, page, _ = get(site, "/search?kind=chemo")
    assert status == 404 and "No kind is called “chemo”. Did you mean one of the first?" in page
    first = re.search(r'<ul><li><a href="([^"]+)">([^<]+)</a>', page)
    assert first.group(2) == "kind of chemotherapy" and first.group(1) == "/search?kind=gk%3AChemotherapy"


def test_search_as_a_reader_types(site):
    """British spellings, a hyphen for a space, a bare ICD-10 code; whole words before parts."""
    def found(text):
        page = get(site, "/search?" + urllib.parse.urlencode({"q": text}))[1]
        return re.findall(r'<li><a href="/entity/([^"]+)">', page)

    assert found("leukaemia")[:3] == ["leukemia", "leukemia_cell", "acute_leukemia"]
    assert "jmml" in found("juvenile myelomonocytic leukaemia")
    assert set(found("CAR-T")[:2]) == {"car_t_cell", "car_t_cell_therapy"}     # the cells, the therapy
    assert found("C93.32") == ["jmml_in_relapse", "ICD10CM:C93.32"]       # the entity carrying it, then the code
    assert found("C93.3") == ["jmml", "ICD10CM:C93.3", "ICD10WHO:C93.3"]
    ranked = found("ALL")
    assert ranked.index("b_all") < ranked.index("allergic_reaction") and "pallor" not in ranked     # not inside a word
    # the acronym in capitals: childhood ALL among the first, the word "all" of a phrase after it
    # (childhood ALL was 20th, after "taking all medicines as ordered by the doctor")
    assert ranked[0] == "acute_lymphoblastic_leukemia" and ranked.index("childhood_all") < 8
    assert ranked.index("medication_adherence") > ranked.index("childhood_all")    # "taking all medicines ..."
    # an acronym in capitals is not inside a word either: "T-ALL" in "infant ALL"
    assert "infant_all" not in found("T-ALL") and found("T-ALL")[0] == "t_all"
    # a short text inside a word is no hit: "NCI" in "financial", "deficiencies"
    assert "social_work_counseling" in found("financial") and "antibody_deficiency" in found("deficiencies")
    assert not {"social_work_counseling", "antibody_deficiency"} & set(found("NCI"))


def test_search_reads_typographic_apostrophes_and_hyphens_as_typed_ones(site):
    """"children’s hospitals" (a phone's apostrophe) found nothing, and "CAR‐T" (Unicode's hyphen,
    as a word processor or a copied title writes it) nothing either, not even a suggestion."""
    def found(text):
        page = get(site, "/search?" + urllib.parse.urlencode({"q": text}))[1]
        return re.findall(r'<li><a href="/entity/([^"]+)">', page)

    assert found("children’s hospitals") == found("children's hospitals") == ["childrens_hospitals"]
    assert found("CAR\u2010T") == found("CAR\u2011T") == found("CAR-T") != []


def test_a_search_that_finds_nothing_suggests_the_names_spelled_nearly_so(site):
    """`leukemai`, `blinatumumab`, `vincristen` found nothing and suggested nothing, where the
    404 pages, the CLI and export --seed suggest."""
    def suggested(text):
        status, page, _ = get(site, "/search?" + urllib.parse.urlencode({"q": text}))
        assert status == 200 and ("Did you mean" in page) == bool(re.findall(r'<li><a href="/entity/', page)), text
        return re.findall(r'<li><a href="/entity/([^"]+)">', page)

    assert suggested("vincristen") == ["vincristine"]
    assert suggested("blinatumumab")[0] == "blinatumomab"
    assert "leukemia" in suggested("leukemai")
    assert suggested("zzqqxx") == []


def test_pages_of_quantities_schema_individuals_and_external_terms(site):
    """Every link a page makes leads somewhere: a number (gkq:), gk:AnyOf, and an external
    term's page leads back to the entities it identifies."""
    status, page, _ = get(site, "/entity/jmml")
    quantity = re.search(r'href="/entity/(gkq:[0-9a-f]+)"', page).group(1)
    status, page, _ = get(site, f"/entity/{quantity}")
    assert status == 200 and "quantity value" in page and "year" in page
    status, page, _ = get(site, "/entity/gk:AnyOf")
    assert status == 200 and 'href="/entity/high_risk"' in page
    status, page, _ = get(site, "/entity/MONDO:0011908")
    assert status == 200 and '<a href="/entity/jmml">juvenile myelomonocytic leukemia</a>' in page
    assert "exact match" in page


@pytest.mark.slow
def test_no_link_leads_nowhere(site):
    """Every internal link of the pages that carry every kind of link (the home page, the list
    of numbers, entities with quantities, combinations and external identifiers, a source)
    answers (a reader's crawl had found 54 links to numbers and gk:AnyOf that did not)."""
    starts = ["/", "/search?kind=gk%3AQuantityValue", "/entity/high_risk", "/entity/vincristine", "/entity/jmml",
              "/entity/MONDO:0011908", "/source/icd10_c93_32_page"]
    links = set()
    for start in starts:
        status, page, _ = get(site, start)
        assert status == 200, start
        links |= {html.unescape(h) for h in re.findall(r'href="(/[^"#]*)', page)}
    broken = [link for link in sorted(links) if get(site, link)[0] not in (200, 303)]
    assert len(links) > 200 and broken == []


def test_search_by_a_loosely_mapped_identifier_says_how_loosely(site):
    """The pages resolve identifiers as ``graphkit query`` does (graphkit.identifiers): a close
    or broad mapping finds its entity with a note; one that several entities carry lists them."""
    status, page, _ = get(site, "/search?q=HP:0001977")
    assert status == 200
    assert ('<p class="note" role="note">HP:0001977 is not an exact mapping of any entity: thrombosis '
            '(gke:thrombosis, skos:closeMatch) carries it as a close match') in page
    assert '<li><a href="/entity/thrombosis">thrombosis</a>' in page
    status, page, _ = get(site, "/search?q=ICD10CM:C91.01")           # broad, and a page of its own
    assert "skos:broadMatch) carries it as a broad match" in page
    assert 'href="/entity/mrd_positive_bcp_all_in_remission"' in page and 'href="/entity/ICD10CM:C91.01"' in page
    status, page, _ = get(site, "/search?q=ICD10CM:C91.02")             # ALL in relapse: seven relapse nodes
    assert ("ICD10CM:C91.02 is a mapping of several entities: childhood acute lymphoblastic leukemia relapsed in the "
            "bone marrow (gke:bone_marrow_relapse_childhood_all, skos:broadMatch)") in page
    assert 'href="/entity/relapsed_childhood_all"' in page and 'href="/entity/testicular_relapse_childhood_all"' in page


def test_catalogue_results_read_as_words(site):
    """On a query's page an entity is one column, linked by its name, under a heading in words
    (the CSV and JSON downloads keep the variables as the query has them)."""
    page = get(site, "/catalogue/symptoms-of-disease?disease=jmml")[1]
    assert ('<thead><tr><th scope="col">symptom</th><th scope="col">stated for</th><th scope="col">certainty</th>'
            in page)
    assert '<td><a href="/entity/hepatomegaly">hepatomegaly</a></td>' in page
    text = get(site, "/catalogue/symptoms-of-disease.csv?disease=jmml")[1]
    assert text.splitlines()[0].startswith("symptom,symptom_label,stated_for_label,")


def test_a_query_page_says_why_it_found_nothing(site):
    """A drug given for a disease: the page says what the parameter named, as the command line does."""
    page = get(site, "/catalogue/symptoms-of-disease?disease=vincristine")[1]
    note = html.unescape(re.search(r'<p class="note" role="note">(.*?)</p>', page, re.S).group(1))
    assert note == ("no rows for disease = vincristine (gke:vincristine), a drug (it asks for the disease (id, label, "
                    "synonym, CURIE or IRI))")
    assert 'role="note"' not in get(site, "/catalogue/symptoms-of-disease?disease=jmml")[1]


def test_a_yes_no_parameter_offers_true_and_false_once(site):
    page = get(site, "/catalogue/symptoms-of-disease")[1]
    menu = re.search(r'<select id="param-include_subtypes".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"( selected)?>', menu) == [("true", " selected"), ("false", "")]


def test_catalogue_form_results_and_downloads(site):
    status, page, _ = get(site, "/catalogue/relapse-treatments-by-site?disease=jmml")
    assert status == 200
    assert '<input id="param-disease" name="disease" value="jmml" list="entities-Disease"' in page
    assert '<option value="jmml_in_relapse">juvenile myelomonocytic leukemia, in relapse</option>' in page
    assert ('<td><a href="/entity/second_allogeneic_hsct">second allogeneic hematopoietic stem cell transplantation'
            '</a></td>') in page
    assert "<td>within 6 months of the first transplant</td>" in page
    assert "7 rows." in page
    bound = html.unescape(re.search(r'<pre class="sparql">(.*?)</pre>', page, re.S).group(1))
    assert "(gk:stateOf|^gk:hasStateVariant|gk:subtypeOf|^gk:hasSubtype)* <https://w3id.org/graphkit/entity/jmml>" in bound
    assert 'href="/sparql?query=PREFIX+gk' in page
    status, text, response = get(site, "/catalogue/relapse-treatments-by-site.csv?disease=jmml")
    assert status == 200 and response.getheader("Content-Type") == "text/csv; charset=utf-8"
    assert 'filename="relapse-treatments-by-site_disease-jmml.csv"' in response.getheader("Content-Disposition")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7 and {r["sources"] for r in rows} == {"001", "004"}
    assert [r["period"] for r in rows if r["sources"] == "004"] == ["within 6 months of the first transplant"]
    status, text, response = get(site, "/catalogue/relapse-treatments-by-site.json?disease=jmml")
    data = json.loads(text)
    assert response.getheader("Content-Type") == "application/sparql-results+json"
    assert len(data["results"]["bindings"]) == 7 and "therapy_label" in data["head"]["vars"]


def test_a_catalogue_form_with_defaults_and_a_bad_value(site):
    status, page, _ = get(site, "/catalogue/evidence-for-edge")
    assert status == 200 and 'value="ICD10CM:C93.32"' in page and "ICD-10 code: C93.32" in page
    status, page, _ = get(site, "/catalogue/statements-from-source")
    assert '<option value="004" selected>004: Second allogeneic' in page
    status, page, _ = get(site, "/catalogue/symptoms-of-disease?disease=nonexistent_thing")
    assert status == 400 and "no entity with id, label or synonym" in page
    assert get(site, "/catalogue/symptoms-of-disease.csv?disease=nonexistent_thing")[0] == 400
    assert get(site, "/catalogue/no-such-query")[0] == 404
    status, page, _ = get(site, "/catalogue/drugs-by-target?tgt=CD19")
    assert status == 400 and "query drugs-by-target has no parameter &#x27;tgt&#x27;" in page
    status, text, _ = get(site, "/catalogue/drugs-by-target.csv?tgt=CD19")
    assert status == 400 and text == "query drugs-by-target has no parameter 'tgt' (did you mean 'target'?); its parameters: target\n"


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.mark.parametrize("path", ["/search?q={}", "/entity/{}", "/catalogue/symptoms-of-disease?disease={}",
                                  "/sparql?query={}", "/source/{}", "/{}", "/search?kind={}"])
def test_hostile_input_is_escaped_everywhere(site, path):
    status, page, _ = get(site, path.format(urllib.parse.quote(HOSTILE, safe="")))
    assert status in (200, 400, 404)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count("<script") == 1                                   # the page's own script tag


def test_the_editor_runs_queries_read_only(site):
    status, page, _ = get(site, "/sparql")
    assert status == 200 and "PREFIX gk: &lt;https://w3id.org/graphkit/schema#&gt;" in page
    body = urllib.parse.urlencode({"query": "SELECT ?l WHERE { gke:jmml_in_relapse skos:altLabel ?l } ORDER BY ?l"})
    status, page, _ = get(site, "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, "POST",
                          body.encode())
    assert status == 200 and "<td>JMML in relapse</td>" in page and "4 rows." in page
    status, page, _ = get(site, "/sparql?" + urllib.parse.urlencode({"query": "DROP ALL"}))
    assert status == 400 and html.unescape(re.search(r'<p class="error" role="alert">(.*?)</p>', page, re.S).group(1)) \
        == ("the editor runs queries (SELECT, ASK, CONSTRUCT, DESCRIBE), not updates: this server is read-only "
            "(graphkit serve --writable takes updates at /update)")
    status, text, _ = get(site, "/sparql.csv?" + urllib.parse.urlencode(
        {"query": "SELECT ?l WHERE { gke:jmml_in_relapse skos:altLabel ?l } ORDER BY ?l"}))
    assert text.splitlines() == ["l", "JMML in relapse", "JMML relapse", "juvenile myelomonocytic leukemia in relapse",
                                 "relapsed JMML"]


def test_a_catalogue_file_pasted_into_the_editor_is_bound_to_its_headers_defaults(site, project):
    """symptoms-of-disease.rq pasted in as it is ran with ?disease and ?include_subtypes unbound:
    10 rows about JMML in relapse and infection, no word, where its form gives 79 about childhood
    ALL. Bound as graphkit sparql binds a file with a #+ params header, and said so."""
    text = (project.queries_dir / "symptoms-of-disease.rq").read_text(encoding="utf-8")
    status, page, _ = get(site, "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, "POST",
                          urllib.parse.urlencode({"query": text}).encode())
    assert status == 200 and "79 rows." in page and "10 rows." not in page
    assert html.unescape(re.search(r'<p class="note" role="note">(.*?)</p>', page, re.S).group(1)) == (
        "the #+ params header's parameters are bound to their defaults, as graphkit sparql binds them: "
        "disease = childhood_all, include_subtypes = true (change a default to ask for another value)")
    status, csv_text, _ = get(site, "/sparql.csv?" + urllib.parse.urlencode({"query": text.replace(
        "default: childhood_all", "default: jmml_in_relapse")}))
    assert status == 200 and len(csv_text.splitlines()) == 1 + 6         # the example's six, by its own header
    status, page, _ = get(site, "/sparql?" + urllib.parse.urlencode({"query": text.replace(
        "default: childhood_all", "default: jmmll")}))
    assert status == 400 and "no entity with id, label or synonym &#x27;jmmll&#x27;" in page


def test_the_editors_syntax_error_is_about_the_readers_own_text(project):
    """Behind `graphkit serve` the pages ask Oxigraph's server, which said "error at 1:834" of a
    24-character query (its columns counted the prefixes sent on line 1) from its private address."""
    from graphkit.iris import TURTLE_PREFIXES
    from graphkit.sparql import with_prefixes
    from graphkit.store import EndpointStore

    text = "SELECT * WHERE { ?s ?p }"
    shift = len(with_prefixes(text, TURTLE_PREFIXES)) - len(text)
    answer = Answer(400, f"error at 1:{shift + 23}: expected one of ., ;".encode(), "text/plain")
    with FakeEndpoint(answer) as server:
        pages = Pages(EndpointStore(server.url, timeout=5), project)
        page = pages.respond("GET", "/sparql?" + urllib.parse.urlencode({"query": text}), {}).body.decode()
    error = html.unescape(re.search(r'<p class="error" role="alert">(.*?)</p>', page, re.S).group(1))
    assert error == "the SPARQL server rejected the query (HTTP 400): error at 1:23: expected one of ., ;"


def test_the_gateway_checks_still_hold_for_pages_and_sparql_still_goes_upstream(site, upstream):
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    before = len(upstream.requests)
    status, page, _ = get(site, "/sparql?" + urllib.parse.urlencode({"query": service}))
    assert status == 403 and "<h1>SPARQL editor</h1>" in page       # the query is kept in the editor, with why
    assert html.unescape(re.search(r'<textarea[^>]*>(.*?)</textarea>', page, re.S).group(1)) == service
    error = html.unescape(re.search(r'<p class="error" role="alert">(.*?)</p>', page, re.S).group(1))
    assert error.startswith("SERVICE <http://127.0.0.1:9/x> refused: a query must not make the server fetch")
    status, text, _ = get(site, "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, "POST",
                          urllib.parse.urlencode({"query": service}).encode())
    assert status == 403 and "SERVICE &lt;http://127.0.0.1:9/x&gt; refused" in text
    status, text, _ = get(site, "/sparql.csv?" + urllib.parse.urlencode({"query": service}))
    assert status == 403 and text.startswith("SERVICE <http://127.0.0.1:9/x> refused")
    assert len(upstream.requests) == before                           # nothing was run
    assert get(site, "/", {"Host": "rebound.evil.example"})[0] == 403
    assert get(site, "/entity/jmml", method="PUT", body=b"x")[0] == 405
    # a SPARQL client pointed at the site's root is told where queries go
    status, text, _ = get(site, "/", method="POST", body=b"SELECT * {}")
    assert status == 405 and text.endswith("SPARQL queries go to /query\n")
    before = len(upstream.requests)
    status, text, _ = get(site, "/query?query=" + urllib.parse.quote("ASK {}"))
    assert (status, text) == (200, "n\r\n1\r\n") and len(upstream.requests) == before + 1
    status, _, response = get(site, "/static/pages.css")
    assert status == 200 and response.getheader("Content-Type") == "text/css; charset=utf-8"
    # a page names its icon: a browser asked for /favicon.ico, a 404 in its console on every visit
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in get(site, "/")[1]
    status, _, response = get(site, "/static/favicon.svg")
    assert status == 200 and response.getheader("Content-Type") == "image/svg+xml"
    assert get(site, "/static/../app.py")[0] == 404


def test_head_gives_headers_only(site):
    status, body, response = get(site, "/entity/jmml", method="HEAD")
    assert status == 200 and body == "" and int(response.getheader("Content-Length")) > 1000


def test_literal_edges_keep_their_quotes(site):
    """A statement whose object is a text (JMML in relapse's timing) is shown as that text, not a
    link, with its quote."""
    page = get(site, "/entity/jmml_in_relapse")[1]
    timing = page.split('<section class="predicate" id="out-timing">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<li><span class="value">(.*?)</span>', timing) == [
        "Relapse can happen months or even years after the initial treatment."]
    assert re.findall(r'<blockquote><a href="([^"]*)">(.*?)</a></blockquote>', timing) == [
        ("/source/icd10_c93_32_page#785-853", "Relapse can happen months or even years after the initial treatment.")]
    assert "<a href=\"/entity/" not in timing.split('<ul class="evidence-list">', 1)[0]


@pytest.mark.parametrize("unchanging", [True, False])
def test_what_every_page_asks_is_kept_only_while_the_store_cannot_change(store, project, unchanging):
    """A read-only server's pages ask the kinds, the sources and the entities' names once, and
    the release's term names and quantities, a source's passages and the names a 404 page
    suggests from; the pages of a --writable server ask them again for every page (an update
    shows at once)."""
    asked = []

    class Counting(Store):
        def query(self, sparql):
            asked.append(sparql)
            return store.query(sparql)

    pages = Pages(Counting(), project, unchanging=unchanging)
    for _ in range(2):
        assert pages.respond("GET", "/", {}).status == 200
        assert pages.respond("GET", "/search?q=relapse", {}).status == 200
        assert pages.respond("GET", "/entity/jmml_in_relapse", {}).status == 200
        assert pages.respond("GET", "/source/icd10_c93_32_page", {}).status == 200
        assert pages.respond("GET", "/entity/leukemai", {}).status == 404

    def times(marker: str) -> int:
        return len([q for q in asked if marker in q])

    markers = ("COUNT(?entity) AS ?n", "skos:altLabel ?matched", "UNION { ?term gk:documentNumber ?doc }",
               "?other gk:unit/rdfs:label ?unit", 'GROUP_CONCAT(CONCAT(STR(?start), " "', "?e rdfs:label|skos:altLabel ?name")
    # the term names and quantities: once for the entity page and once for the source page when not kept
    assert [times(marker) for marker in markers] == ([1] * 6 if unchanging else [2, 4, 4, 4, 2, 2])


def test_every_page_names_the_release_and_its_licence(site, store, project):
    """The exports said which release they came from and under which licence; the pages did not.
    Each page's footer names the release (linked to its version IRI, as release.yaml declares it)
    and its licence (``rel="license"``); a page saying that the store failed still answers, without
    it."""
    from graphkit.errors import EndpointError
    from graphkit.header import version_iri

    meta = project.config.ontology
    footer = (f'From <a href="{version_iri(meta, "all")}">{html.escape(meta.title)} {meta.version}</a> '
              f'({meta.date}). Licence: <a rel="license" href="{meta.license}">{meta.license}</a>.')
    for path in ("/", "/entity/jmml", "/source/icd10_c93_32_page", "/catalogue", "/no/such/page"):
        page = get(site, path)[1]
        assert re.search(r"<footer>.*</footer>", page, re.S).group(0).count(footer) == 1, path

    class Failing(Store):
        def query(self, sparql):
            raise EndpointError("the SPARQL server at http://127.0.0.1:9/sparql refused the connection")

    failed = Pages(Failing(), project).respond("GET", "/", {})
    assert failed.status == 502 and b"refused the connection" in failed.body and b'rel="license"' not in failed.body


def test_a_long_entity_page_lists_its_sections(site):
    """A page with many kinds of edges opens with the list of its sections, each linked to its
    place and counted; a short page has none."""
    page = get(site, "/entity/jmml")[1]
    contents = re.search(r'<nav class="contents" aria-label="On this page">.*?</nav>', page, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert len(targets) >= 8 and all(f'<section class="predicate" id="{target}">' in page for target in targets)
    assert '<nav class="contents"' not in get(site, "/entity/alopecia")[1]


def test_the_largest_entity_is_on_pages_by_section_and_nothing_is_lost(site):
    """Childhood ALL's page held its 426 edges and 536 quotes (349 KB, 114 ms to make): its sections are
    on pages, every page lists every page's sections (each linked to its place), the counts are
    the entity's, and every edge and quote is on one of the pages, once."""
    first = get(site, "/entity/childhood_all")[1]
    contents = re.search(r'<nav class="contents" aria-label="Sections and pages">.*?</nav>', first, re.S).group(0)
    total = int(re.search(r"The sections, on (\d+) pages \(this is page 1\)", contents).group(1))
    assert total >= 3 and f"They are on {total} pages" in first
    edges, quotes = (int(n.replace(",", "")) for n in re.search(r"<p>([\d,]+) edges, ([\d,]+) quotes,", first).groups())
    pages = {1: first} | {n: get(site, f"/entity/childhood_all?page={n}")[1] for n in range(2, total + 1)}
    links = re.findall(r'href="(/entity/childhood_all(?:\?page=(\d+))?)?#([^"]+)"', contents)
    assert "out-has-symptom" in {anchor for _, _, anchor in links} and len(links) > 20
    for address, number, anchor in links:          # each section where the list says, once in all
        on = int(number or 1) if address else 1
        assert f'id="{anchor}"' in pages[on], (address, anchor)
        assert sum(f'id="{anchor}"' in text for text in pages.values()) == 1, anchor
    shown_edges = sum(int(n) for text in pages.values()
                      for n in re.findall(r'<section class="predicate" id="(?:out|in)-[^"]*"><h3>[^<]*<span class="count">(\d+)',
                                          text))
    header_quotes = first.split('<nav class="contents"', 1)[0].count('<li class="evidence"')
    shown_quotes = sum(text.split('<nav class="contents"', 1)[1].count('<li class="evidence"') for text in pages.values())
    assert shown_edges == edges and shown_quotes == quotes and header_quotes >= 0
    # each page after the first and before the last links to its neighbours
    assert '<a rel="next" href="/entity/childhood_all?page=2">' in first and 'rel="prev"' not in first
    assert '<a rel="prev" href="/entity/childhood_all">' in pages[2]
    assert 'rel="next"' not in pages[total]
    # a quote's link (as a source page writes it) opens the page that holds it
    anchor = re.findall(r'<li class="evidence" id="([^"]+)"', pages[total])[-1]
    assert f'id="{anchor}"' in get(site, f"/entity/childhood_all?quote={anchor}")[1]
    assert get(site, f"/entity/childhood_all?page={total + 1}")[0] == 404
    assert get(site, "/entity/childhood_all?page=two")[0] == 400


def test_a_large_source_lists_its_statements_on_pages_and_nothing_is_lost(site):
    """NCI's summary listed its 422 passages and 845 statements on one page (506 KB, 111 ms to
    make): its statements are listed 100 passages a page, its text whole and marked on each, and a
    marked passage listed on another page links there."""
    first = get(site, "/source/nci_pdq_childhood_all")[1]
    statements, passages = (int(n) for n in re.search(r"(\d+) statements\s+from (\d+) quoted passages", first).groups())
    total = int(re.search(r"The statements are listed on (\d+) pages", first).group(1))
    assert total == -(-passages // 100)
    pages = {1: first} | {n: get(site, f"/source/nci_pdq_childhood_all?page={n}")[1] for n in range(2, total + 1)}
    listed = [re.findall(r'<li id="st-(\d+-\d+)">', text) for text in pages.values()]
    assert sum(map(len, listed)) == passages and len({a for found in listed for a in found}) == passages
    assert all(text.count('<span class="anchor" id=') == passages for text in pages.values())   # the whole text
    assert sum(len(re.findall(r'<a class="back" href=', text)) for text in pages.values()) == statements
    elsewhere = re.findall(r'<a class="q" href="/source/nci_pdq_childhood_all\?page=(\d+)#st-([\d-]+)"', first)
    assert elsewhere and all(f'<li id="st-{a}">' in pages[int(n)] for n, a in elsewhere)
    past = get(site, f"/source/nci_pdq_childhood_all?page={total + 1}")
    assert past[0] == 404 and f"has {total} pages, not {total + 1}" in past[1] and "links to them all" in past[1]
    status, body, _ = get(site, "/source/nci_pdq_childhood_all?page=0")       # a heading and the way back
    assert status == 400 and "<h1>Bad request</h1>" in body and (
        f'page=0 is no page number: Childhood Acute Lymphoblastic Leukemia (PDQ®)–Patient Version has {total} '
        f'pages, 1 to {total}: <a href="/source/nci_pdq_childhood_all">its first page</a> links to them all.') in body
    status, body, _ = get(site, "/source/icd10_c93_32_page?page=2")       # one page: no "them all" to link to
    assert status == 404 and 'has one page, not 2: <a href="/source/icd10_c93_32_page">its page</a>.' in body


def test_a_large_answer_shows_its_first_rows_and_says_so(site):
    """SELECT * over the graph made a 16.5 MB page of 81,730 rows: a page shows the first 1,000."""
    status, page, _ = get(site, "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1500"}))
    assert status == 200
    assert '<p class="count">1,500 rows; the first 1,000 are shown (the CSV and JSON downloads hold them all).</p>' in page
    assert page.count("<tr>") == 1001                                          # the header row and 1,000
    status, text, _ = get(site, "/sparql.csv?" + urllib.parse.urlencode(
        {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1500"}))
    assert len(list(csv.reader(io.StringIO(text)))) == 1501                  # a download holds them all


def test_a_parameter_given_twice_is_said_not_silently_the_last(site):
    status, page, _ = get(site, "/catalogue/symptoms-of-disease?disease=jmml&disease=childhood_all")
    assert status == 400 and html.unescape(re.search(r'<p class="error" role="alert">(.*?)</p>', page, re.S).group(1)) \
        == "the parameter 'disease' is given more than once ('jmml', 'childhood_all'): give it once"
    assert get(site, "/catalogue/symptoms-of-disease?disease=jmml&disease=jmml")[0] == 200      # the same twice is once


def test_a_statement_of_some_members_only_says_so(site):
    """"certain antibody deficiencies" (gk:forSomeMembersOnly): the pages showed the edge as of
    every antibody deficiency, on the entity page and on the source's."""
    status, page, _ = get(site, "/entity/antibody_deficiency")
    assert status == 200
    item = page.split("48180–48313", 1)[1].split("</li>", 1)[0]
    assert "of some members only" in item
    status, page, _ = get(site, "/source/rxharun_pediatric_all_guide")
    pages = int(re.search(r"The statements are listed on (\d+) pages", page).group(1))
    listed = [get(site, f"/source/rxharun_pediatric_all_guide?page={n}")[1] for n in range(2, pages + 1)]
    assert status == 200 and sum(text.count("of some members only") for text in [page, *listed]) >= 20


def test_a_statement_another_source_disagrees_with_says_so(site):
    """The curated disagreements were on the catalogue page only: tisagenlecleucel's page showed
    "FDA-approved ... established" and no word of NCI's "being studied"."""
    status, page, _ = get(site, "/entity/tisagenlecleucel")
    assert status == 200 and page.count("Sources disagree") == 1
    assert "tisagenlecleucel is FDA-approved for patients up to 25 years old" in page.split("Sources disagree", 1)[1]
    status, page, _ = get(site, "/entity/car_t_cell_therapy")
    assert status == 200 and page.count("Sources disagree") == 2         # NCI's two statements of the record


def test_every_link_from_a_source_page_to_an_entity_page_lands_on_its_evidence(site):
    """124 links of the source pages ("on the entity page") to a definition's or a synonym's
    evidence landed on no element: the header showed them without their quotes."""
    import re

    status, page, _ = get(site, "/source/icd10_c93_32_page")
    links = sorted(set(re.findall(r'href="(/entity/[^"#]+)#([^"]+)"', page)))
    assert status == 200 and len(links) > 40
    pages: dict[str, str] = {}
    for path, anchor in links:
        if path not in pages:
            pages[path] = get(site, path)[1]
        assert f'id="{anchor}"' in pages[path], (path, anchor)
    status, page, _ = get(site, "/entity/jmml")
    header = page.split("<dt>External identifiers</dt>", 1)[0]
    assert 'class="said"' in header and "[document 001]" in header and header.count('class="evidence"') >= 1


def test_an_icd10_code_is_shown_by_its_code_and_title(site):
    """"has ICD-10 code: Juvenile myelomonocytic leukemia" named the code by its title only."""
    status, page, _ = get(site, "/entity/jmml_in_relapse")
    assert status == 200 and "C93.32 – Juvenile myelomonocytic leukemia, in relapse" in page


def test_a_code_page_names_its_notation_by_what_it_is(site):
    """The code's own notation was headed by the bare CURIE "skos:notation"."""
    status, page, _ = get(site, "/entity/ICD10CM:C93.32")
    assert status == 200 and "<h3>code (skos:notation) " in page and "<h3>skos:notation" not in page


def test_an_inferred_skos_restatement_is_not_shown_beside_its_statement(site):
    """tisagenlecleucel's "subtype of immunotherapy" was shown four times: as subtype of, and as
    the reasoner's skos:broaderTransitive, has subtype and skos:narrowerTransitive."""
    status, page, _ = get(site, "/entity/tisagenlecleucel")
    assert status == 200 and "skos:broaderTransitive" not in page and "skos:narrowerTransitive" not in page
    assert "subtype of" in page


def test_catalogue_answers_lead_to_the_sources_and_quotes(site):
    """The sources column was plain "002,003", and evidence-for-edge's quote had its start and end
    beside it but no link to its place in the source."""
    status, page, _ = get(site, "/catalogue/evidence-for-edge")
    assert status == 200 and '<a href="/source/001#119-138">ICD-10 code: C93.32</a>' in page
    status, page, _ = get(site, "/catalogue/symptoms-of-disease")
    assert status == 200 and '<a href="/source/003">003</a>' in page
    assert get(site, "/source/003")[0] == 200


def test_a_code_in_lower_case_is_found(site):
    """`C93.32` found the code, `c93.32` nothing."""
    lower = get(site, "/search?q=c93.32")[1]
    assert "/entity/ICD10CM:C93.32" in lower and "Nothing found" not in lower


@pytest.mark.parametrize("path, headers, status", [
    ("/entity/nonexistent_xyz", {"Accept": "text/turtle"}, 404),
    ("/entity/nonexistent_xyz?format=jsonld", {}, 404),
    ("/catalogue/nonexistent.csv", {}, 404),
    ("/catalogue/symptoms-of-disease.json?disease=jmml&disease=childhood_all", {}, 400),
    ("/sparql.csv?query=ASK%7B%7D&query=x", {}, 400),
])
def test_a_program_gets_its_errors_as_a_line_not_a_page(site, path, headers, status):
    """A client asking for RDF, CSV or JSON got an HTML page as its error."""
    got, text, response = get(site, path, headers)
    assert got == status and response.getheader("Content-Type") == "text/plain; charset=utf-8", text
    assert text.endswith("\n") and "<" not in text


def test_a_browser_still_gets_its_errors_as_pages(site):
    got, text, response = get(site, "/entity/nonexistent_xyz", {"Accept": "text/html,*/*;q=0.8"})
    assert got == 404 and response.getheader("Content-Type").startswith("text/html") and "No entity has the id" in text


def test_a_nul_in_a_search_is_no_nul_in_the_page(site):
    got, text, _ = get(site, "/search?q=%00leuk")
    assert got == 200 and "\0" not in text


def test_the_private_address_of_the_server_behind_the_pages_is_not_shown(project, store):
    """The editor's error named the Oxigraph server's own address ("endpoint http://127.0.0.1:55301/query
    did not return SPARQL JSON results"), which bypasses every check of the gateway."""
    from graphkit.store import ServerStore

    with FakeEndpoint(Answer(200, b"<html>not JSON</html>", "text/html")) as behind:
        pages = Pages(ServerStore(behind.url, timeout=10), project)
        answer = pages.respond("GET", "/sparql.json?query=" + urllib.parse.quote("SELECT * { ?s ?p ?o }"), {})
        assert answer.status >= 400 and str(behind.port) not in answer.body.decode(), answer.body
        assert b"the SPARQL server" in answer.body


def test_a_page_query_past_its_time_has_the_engine_restarted(project):
    """The editor's queries go to Oxigraph directly: one past its time kept a core busy after the
    page gave up (the gateway restarts Oxigraph only for /query)."""
    from graphkit.store import ServerStore

    restarted = []
    with FakeEndpoint(Answer(200, delay=3)) as behind:
        pages = Pages(ServerStore(behind.url, timeout=0.5), project, on_timeout=lambda: restarted.append(1))
        answer = pages.respond("GET", "/sparql?query=" + urllib.parse.quote("SELECT * { ?s ?p ?o }"), {})
    assert answer.status == 503 and restarted == [1]


@pytest.mark.parametrize("download", ["/sparql", "/sparql.csv", "/sparql.json"])
def test_a_page_query_oxigraph_stopped_itself_is_a_503_and_restarts_nothing(project, download):
    """Oxigraph stops a count over two patterns at its query timeout and writes its error text
    after the status 200: the editor showed HTTP 502 "did not return SPARQL JSON results" with
    the engine's text, and the gateway's /query said 503 for the same query."""
    from graphkit.store import ServerStore

    restarted = []
    cut_off = b'{"head":{"vars":["n"]},"results":{"bindings":[The SPARQL operation has been cancelled'
    with FakeEndpoint(Answer(200, cut_off)) as behind:
        pages = Pages(ServerStore(behind.url, timeout=5), project, on_timeout=lambda: restarted.append(1))
        answer = pages.respond("GET", download + "?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) "
                                                                                "{ ?a ?b ?c . ?d ?e ?f }"), {})
    assert answer.status == 503 and restarted == []
    assert "stopped the query at its own query timeout" in answer.body.decode()


def test_a_column_of_names_without_its_entity_links_the_names(site):
    """symptoms-of-disease's "stated for" gave the subtype or state a symptom is stated for as
    plain text: the name of one entity is now its link."""
    status, page, _ = get(site, "/catalogue/symptoms-of-disease?disease=jmml")
    stated_for = re.findall(r'<td><a href="(/entity/[^"]+)">juvenile myelomonocytic leukemia, in relapse</a></td>', page)
    assert status == 200 and stated_for and set(stated_for) == {"/entity/jmml_in_relapse"}


@pytest.mark.parametrize("text, source", [("NCI", "nci_pdq_childhood_all"), ("pdq", "nci_pdq_childhood_all"),
                                          ("Chang", "chang_2004_jmml_second_hsct"), ("004", "chang_2004_jmml_second_hsct")])
def test_search_finds_the_sources(site, text, source):
    """Searching "NCI" or "Chang" found nothing: only entities were searched."""
    status, page, _ = get(site, "/search?q=" + text)
    listed = re.search(r"<h2>Sources</h2>(.*?)</ul>", page, re.S)
    assert status == 200 and listed and re.findall(r'href="/source/([^"]+)"', listed.group(1)) == [source]
    assert get(site, f"/source/{source}")[0] == 200
    # by whole words: "ALL" listed Chang 2004 by its "allogeneic"
    sources = re.search(r"<h2>Sources</h2>(.*?)</ul>", get(site, "/search?q=ALL")[1], re.S)
    assert "chang_2004_jmml_second_hsct" not in (sources.group(1) if sources else "")


def test_a_scope_page_lists_the_statements_stated_for_it(site):
    """A population, state or phase is the scope of statements, and its page said "0 edges,
    0 quotes" (mesna's and hydration's statements are stated for children treated with
    cyclophosphamide)."""
    status, page, _ = get(site, "/entity/children_treated_with_cyclophosphamide")
    assert status == 200
    scoped = page[page.index('<h2 id="scoped">'):]
    assert '<h3>as its population <span class="count">' in scoped
    mesna = re.search(r'<li><a href="/entity/mesna">mesna</a> <span class="predicate">[^<]+</span> '
                      r'<a href="/entity/(\w+)">[^<]+</a> <a class="said" href="/entity/mesna\?quote=([\w-]+)#\2">'
                      r'\[document (\d{3})\]</a></li>', scoped)
    assert mesna, scoped[:2000]
    # the link lands on that quote, whose scope links back here
    _, mesna_page, _ = get(site, "/entity/mesna")
    quote = mesna_page[mesna_page.index(f'id="{mesna.group(2)}"'):]
    assert 'population: <a href="/entity/children_treated_with_cyclophosphamide">' in quote[:3000]
    stated = re.search(r'<a href="#scoped">(\d+) statements? stated for it</a>', page)
    assert stated and int(stated.group(1)) == scoped.count("<li>")
    # the RDF of the page holds them too
    _, turtle, _ = get(site, "/entity/children_treated_with_cyclophosphamide?format=ntriples")
    assert "forPopulation> <https://w3id.org/graphkit/entity/children_treated_with_cyclophosphamide>" in turtle


def test_the_counts_of_a_page_are_its_sections_and_read_as_words(site):
    """"8 edges" stood above 4 edges shown (the inferred inverses shown once), and "1 quotes"."""
    _, page, _ = get(site, "/entity/abdominal_distension")
    shown = sum(int(n) for n in re.findall(r'</h3>|<h3>[^<]*<span class="count">(\d+)</span>', page) if n)
    counts = re.search(r"<p>([\d,]+) edges?, ([\d,]+) quotes?[.,]", page)
    assert counts and int(counts.group(1)) == shown
    assert not re.search(r"\b1 (edges|quotes|statements)\b", page)


def test_a_curators_note_is_the_curators_not_a_sources(site):
    _, page, _ = get(site, "/entity/liver_problems")
    said = page[page.index('<h2 id="out">'):]
    assert "editorial" not in said.lower() and "the timing is the edge" not in said
    assert re.search(r"<dt>Curator's note</dt><dd>[^<]*the timing is the edge", page)


def test_a_unit_is_named_by_its_label_not_its_code(site):
    _, page, _ = get(site, "/entity/jmml_second_transplant_patients")
    assert "mo – month" not in page and "{patients}" not in page


@pytest.mark.parametrize("path,location", [("/entity/C93.32", "/entity/ICD10CM:C93.32"),
                                           ("/entity/jmml/", "/entity/jmml"),
                                           ("/entity/HP:0001903/", "/entity/HP:0001903"),
                                           ("/entity/icd10cm:c93.32", "/entity/ICD10CM:C93.32"),
                                           ("/entity/jmml/?format=turtle", "/entity/jmml?format=turtle"),
                                           ("/entity/mondo:0011908", "/entity/MONDO:0011908"),
                                           ("/entity/UNII:4FR53SIF3A", None),
                                           ("/entity/unii:4fr53sif3a", "/entity/UNII:4FR53SIF3A"),
                                           ("/entity/MESH:D054429", "/entity/jmml"),
                                           ("/entity/mesh:d054429", "/entity/jmml"),
                                           ("/entity/MONDO:0011908", None)])
def test_an_address_search_would_resolve_is_no_404(site, path, location):
    """/entity/C93.32 and /entity/jmml/ were 404s that named no way on, where search finds them;
    an id with a slash or in lower case goes to that id's own address (an imported term's page,
    not the entity that carries it), for a program as for a browser; an id the graph only names,
    as the mapping of one entity (a MeSH id: no import module names MeSH terms), goes to that
    entity in either case (it had a page of one incoming edge, and its lower case went to the
    entity)."""
    for accept in ("text/html", "text/turtle"):
        status, _, response = get(site, path, {"Accept": accept})
        if location is None:
            assert status == 200
        else:
            assert status == 303 and response.getheader("Location") == location


def test_a_bare_code_of_both_editions_lists_them(site):
    status, page, _ = get(site, "/entity/C93.3")
    assert status == 404
    assert '<a href="/entity/ICD10CM:C93.3">' in page and '<a href="/entity/ICD10WHO:C93.3">' in page


def test_json_is_json_ld_and_an_unknown_id_is_404_whatever_the_type(site):
    status, text, response = get(site, "/entity/jmml", {"Accept": "application/json"})
    assert status == 200 and response.getheader("Content-Type") == "application/ld+json"
    assert any(node.get("@id") == "gke:jmml" for node in json.loads(text).get("@graph", []))
    for accept in ("application/json", "image/png", "text/turtle"):
        status, text, _ = get(site, "/entity/no_such_thing", {"Accept": accept})
        assert status == 404 and text == "no entity has the id 'no_such_thing'\n"


def test_look_alike_names_are_told_apart_by_their_ids(site):
    """Under ICD-10-CM C93.3 two entries read "juvenile myelomonocytic leukemia": the graph's JMML
    and MONDO's."""
    _, page, _ = get(site, "/entity/ICD10CM:C93.3")
    assert '<code class="id">gke:jmml</code>' in page and '<code class="id">MONDO:0011908</code>' in page
    _, kinds, _ = get(site, "/search?kind=gk:QuantityValue")
    assert "<h1>Kind: quantity value (gk:QuantityValue)</h1>" in kinds
    # and a value says what states it: "1 time per day" is mercaptopurine's, filgrastim's ...
    assert re.search(r'>1 time per day</a> <code class="id">gkq:\w+</code> <span class="kind">dosing frequency of '
                     r'mercaptopurine</span>', kinds)


def test_a_sources_description_reads_as_words_with_its_links(site):
    """The "About this source" box was keyed by CURIEs (gk:sha256, dcterms:format) and its web
    addresses were text."""
    _, page, _ = get(site, "/source/004")
    facts = page[page.index('<dl class="facts">'):page.index("</dl>")]
    assert '<dt>authors <code class="id">dcterms:creator</code></dt><dd>Yu-Hsiang Chang et al.</dd>' in facts
    assert '<dt>SHA-256 <code class="id">gk:sha256</code></dt>' in facts
    assert ('<dd><a href="https://doi.org/10.1097/00043426-200403000-00009" rel="external">'
            'https://doi.org/10.1097/00043426-200403000-00009</a></dd>') in facts
    assert not re.search(r"<dt>\w+:\w+", facts)             # every field has a name


def test_a_note_proposing_a_value_links_to_the_answer_with_it(site):
    """The pages showed the command line's "--param text=leukemia"."""
    _, page, _ = get(site, "/catalogue/search-entities?text=leukaemia")
    note = re.search(r'<p class="note" role="note">(.*?)</p>', page).group(1)
    assert "--param" not in note
    assert '<a href="/catalogue/search-entities?text=leukemia&amp;whole_words=false">text = leukemia</a>' in note
    # a value in brackets inside a sentence ends before them: the narrower entities with answers
    _, page, _ = get(site, "/catalogue/risk-group-criteria?disease=ALL")
    note = re.search(r'<p class="note" role="note">(.*?)</p>', page).group(1)
    assert ('8 rows (<a href="/catalogue/risk-group-criteria?disease=gke%3Achildhood_all">disease = '
            'gke:childhood_all</a>); childhood B-cell') in note


def test_an_unknown_query_page_leads_to_the_catalogue(site):
    status, page, _ = get(site, "/catalogue/symptom-of-disease")
    assert status == 404 and "graphkit query --list" not in page
    assert '<li><a href="/catalogue/symptoms-of-disease">symptoms-of-disease</a></li>' in page
    assert '<a href="/catalogue">The catalogue</a> lists them all.' in page


def test_a_fact_inferred_both_ways_is_shown_once(site):
    """JMML in relapse listed early relapse after HSCT as "has subtype" and as "... subtype of this",
    both inferred: one fact (gk:hasSubtype owl:inverseOf gk:subtypeOf)."""
    _, page, _ = get(site, "/entity/jmml_in_relapse")
    said = page[page.index('<h2 id="out">'):page.index('<h2 id="scoped">') if 'id="scoped"' in page else None]
    assert said.count('<a href="/entity/jmml_early_relapse_after_hsct">') == 1
    assert '<section class="predicate" id="out-has-subtype">' in said


def test_a_field_left_blank_runs_its_default_and_says_so(site):
    """A form sends a blank field as ``disease=``: the query ran with its default and the page
    did not say so; the menu's boolean default is written as the menu writes it."""
    status, page, _ = get(site, "/catalogue/symptoms-of-disease?disease=&include_subtypes=")
    assert status == 200
    notes = [html.unescape(n) for n in re.findall(r'<p class="note" role="note">(.*?)</p>', page, re.S)]
    assert notes[:2] == ["disease was left blank: the query ran with its default, childhood_all",
                         "include_subtypes was left blank: the query ran with its default, true"]
    assert '<p class="count">79 rows' in page                               # childhood ALL with its subtypes
    page = get(site, "/catalogue/symptoms-of-disease?disease=jmml")[1]
    assert "left blank" not in page


def test_an_imported_terms_page_names_the_graphs_own_entity_for_it(site):
    """/entity/MONDO:0011908 showed MONDO's term with "What the sources say about it: None" and no
    pointer to JMML, whose statements and quotes are the graph's."""
    page = get(site, "/entity/MONDO:0011908")[1]
    assert ('<p class="note" role="note">MONDO:0011908 is a term of another vocabulary, which the graph imports; the '
            'graph\'s own entity with this identifier (an exact mapping), with what the sources say about it, is '
            '<a href="/entity/jmml">juvenile myelomonocytic leukemia</a> (<code>gke:jmml</code>).</p>') in page
    assert "which the graph imports" not in get(site, "/entity/jmml")[1]
    assert "which the graph imports" not in get(site, "/entity/ICD10CM:C93.32")[1]     # a curated code node



def test_the_pages_name_every_scope_qualifier_the_curation_has():
    from graphkit.pages.render import SCOPE_NAMES
    from loaders.statements import QUALIFIERS

    assert set(SCOPE_NAMES) == set(QUALIFIERS.values())


def test_an_edge_asked_the_other_way_round_shows_its_evidence_as_stated(site):
    """The page had no rows and a note whose three --param hints were three links, each changing
    one field; the query now finds the evidence of the edge the source states the other way round."""
    status, page, _ = get(site, "/catalogue/evidence-for-edge?subject=fatigue&predicate=symptomOf&object=JMML+in+relapse")
    assert status == 200 and "Common signs may include fatigue" in page and "<td>has symptom</td>" in page
    assert "the sources state it the other way round" not in page


def test_a_value_the_graph_never_describes_is_text_not_a_link(site):
    """entities-with-xref's justification column linked to /entity/semapv:LexicalMatching and the
    other SEMAPV terms, 31 links to pages that do not exist (a crawl's only broken links)."""
    page = get(site, "/catalogue/entities-with-xref")[1]
    assert "semapv:ManualMappingCuration" in page and 'href="/entity/semapv:' not in page
    links = set(re.findall(r'href="(/entity/[^"#?]+)"', page))
    assert links and all(get(site, html.unescape(link))[0] == 200 for link in sorted(links)[:40])


@pytest.mark.parametrize("path, term", [("/entity/gk:phaseOrder", "xsd:integer"),
                                        ("/catalogue/describe-entity", "owl:NamedIndividual")])
def test_a_standard_vocabulary_term_is_text_not_a_link(site, path, term):
    """A datatype property's range (xsd:integer) and an individual's type (owl:NamedIndividual)
    linked to /entity/xsd:integer and the like, five pages that do not exist (a crawl's only
    broken links): the graph describes no RDF, RDFS, OWL or XSD term."""
    page = get(site, path)[1]
    assert term in page and f'href="/entity/{term}"' not in page
    assert get(site, f"/entity/{term}")[0] == 404


def test_a_query_page_links_its_documented_examples(site):
    """The form showed the default's answer and its expected text, but not the examples the
    query documents (graphkit query drug-profile --param drug=blinatumomab): each is a link that
    runs it, and the expected text after the links says it describes the example; an example
    without parameters (the defaults, already shown) is no link, its expected text the answer's below."""
    page = get(site, "/catalogue/drug-profile")[1]
    assert ('<p class="examples">Try: <a href="/catalogue/drug-profile?drug=blinatumomab">drug=blinatumomab</a></p>'
            '<p class="example">Expected (the example&#x27;s answer): 18 rows, all established: blinatumomab') in page
    page = get(site, "/catalogue/shared-risk-factors")[1]
    assert ('href="/catalogue/shared-risk-factors?disease_a=childhood_all&amp;disease_b=secondary+leukemia">'
            'disease_a=childhood_all, disease_b=secondary leukemia</a>') in page
    page = get(site, "/catalogue/late-effects")[1]
    assert 'class="examples"' not in page and '<p class="example">Expected: 25 rows. NCI (003)' in page
    page = get(site, "/catalogue/what-relieves")[1]
    assert "Expected (the examples&#x27; answers, in order): Neutropenia: 3 rows" in page
    status, page, _ = get(site, "/catalogue/drug-profile?drug=blinatumomab")
    assert status == 200 and "CD19" in page


def test_a_bare_code_lists_its_entity_and_the_codes_by_their_names(site):
    """`C91.0` listed two links reading "ICD10CM:C91.0" and "ICD10WHO:C91.0", with no kind, and
    not acute lymphoblastic leukemia, which carries the code exactly (ICD10CM:C91.0 goes there)."""
    page = get(site, "/search?q=C91.0")[1]
    hits = re.findall(r'<li><a href="/entity/([^"]+)">([^<]+)</a>(?: <code class="id">[^<]*</code>)?'
                      r' <span class="kind">([^<]+)</span>', page)
    assert hits == [("acute_lymphoblastic_leukemia", "acute lymphoblastic leukemia", "disease"),
                    ("ICD10CM:C91.0", "Acute lymphoblastic leukemia [ALL]", "ICD-10-CM code"),
                    ("ICD10WHO:C91.0", "Acute lymphoblastic leukaemia [ALL]", "WHO ICD-10 code")]
    assert get(site, "/search?q=ICD10CM:C91.0")[2].getheader("Location") == "/entity/acute_lymphoblastic_leukemia"
    # a 404 at a bare code of both editions names them so too
    page = get(site, "/entity/C93.3")[1]
    assert '<a href="/entity/ICD10WHO:C93.3">Juvenile myelomonocytic leukaemia</a>' in page


@pytest.mark.parametrize("path", ["/search?q=", "/search?kind=", "/entity/", "/source/", "/catalogue/", "/no-page/"])
def test_a_very_long_text_is_said_shortened(site, path):
    """A search for 30,000 characters had them all in its heading and title (a 60 kB page, a tab
    named by the whole text), as had the 404s of an entity, a source, a kind, a query and a page;
    the catalogue's errors shortened it already. The search box keeps the whole text."""
    text = "leukemia" * 4000
    status, page, _ = get(site, path + text)
    heading, title = re.search(r"<h1>(.*?)</h1>", page).group(1), re.search(r"<title>(.*?)</title>", page).group(1)
    assert len(heading) < 200 and len(title) < 200
    assert page.count(text) <= 1 and "characters)" in page       # once at most: in the search box


@pytest.mark.parametrize("written, found, address", [
    ("MONDO_0011908", "/entity/jmml", "/entity/MONDO:0011908"), ("obo:MONDO_0011908", "/entity/jmml", None),
    ("HP_0001945", "/entity/fever", "/entity/HP:0001945"),
    ("ncit_C9233", "/entity/jmml", "/entity/NCIT:C9233")])    # an NCIt term of the labels module
def test_an_obo_id_written_as_its_purl_ends_is_found(site, written, found, address):
    """`MONDO_0011908`, as OLS and OBO files write a term, said "Nothing found", where
    MONDO:0011908 and the PURL .../obo/MONDO_0011908 went to JMML; as an address it goes to the term."""
    status, _, response = get(site, "/search?" + urllib.parse.urlencode({"q": written}))
    assert (status, response.getheader("Location")) == (303, found)
    if address is not None:
        status, _, response = get(site, f"/entity/{written}")
        assert (status, response.getheader("Location")) == (303, address)


def test_a_posted_query_links_to_its_own_address(site):
    """The editor's form posts, so the address after Run was /sparql alone: a bookmark or a shared
    address opened the empty editor. The answer links to the GET address that runs it again."""
    query = "SELECT ?l WHERE { gke:jmml_in_relapse skos:altLabel ?l } ORDER BY ?l"
    status, page, _ = get(site, "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, "POST",
                          urllib.parse.urlencode({"query": query}).encode())
    link = html.unescape(re.search(r'<p class="share"><a href="([^"]+)">Link to this query', page).group(1))
    assert link == "/sparql?" + urllib.parse.urlencode({"query": query})
    status, again, _ = get(site, link)
    assert status == 200 and "<td>JMML in relapse</td>" in again and "4 rows." in again


def test_search_finds_the_words_of_a_name_in_another_order(site):
    """A clinician's "ALL relapsed" found one entity of the 13 relapsed ALL entities, "leukemia
    juvenile" nothing (not even a 'did you mean'): a name holding each word (a word starting with
    it; an acronym in capitals as that word) comes after those holding the text as typed."""
    def found(text):
        page = get(site, "/search?" + urllib.parse.urlencode({"q": text}))[1]
        return re.findall(r'<li><a href="/entity/([^"]+)">', page)

    assert "jmml" in found("leukemia juvenile") and "jmml_in_relapse" in found("relapsed JMML")
    assert found("ALL relapsed")[:2] == ["second_relapse_childhood_all", "relapsed_childhood_all"]
    relapse = found("ALL relapse")
    assert len(relapse) == 13 and {"relapsed_childhood_all", "bone_marrow_relapse_childhood_all"} <= set(relapse)
    assert not any("allerg" in entity for entity in relapse)        # ALL in capitals is the acronym
    assert found("T-ALL relapse") == ["relapsed_refractory_t_all"]          # not "testicular" for its T


@pytest.mark.parametrize("path, location", [
    ("/catalogue/drug-profile/?drug=blinatumomab", "/catalogue/drug-profile?drug=blinatumomab"),
    ("/source/icd10_c93_32_page/", "/source/icd10_c93_32_page"), ("/search/?q=jmml", "/search?q=jmml"),
    ("/sparql/", "/sparql"), ("/source/ICD10_C93_32_PAGE", "/source/icd10_c93_32_page"),
    ("/source/1", "/source/icd10_c93_32_page"), ("/entity/JMML", "/entity/jmml"),
    ("/entity/Jmml_In_Relapse", "/entity/jmml_in_relapse")])
def test_an_address_written_otherwise_goes_to_the_page(site, path, location):
    """A slash added to a page's address (as some tools and hands write links), a source's id in
    capitals or its number without zeros, and an entity's id in capitals were 404s, where an
    entity's address with a slash and a code in lower case went to their pages."""
    status, _, response = get(site, path)
    assert (status, response.getheader("Location")) == (303, location)
    assert get(site, location)[0] == 200


def test_the_catalogue_and_a_missing_source_keep_their_answers(site):
    assert get(site, "/catalogue/")[0] == 200 and get(site, "/source/99")[0] == 404
    assert get(site, "/static/")[0] == 404


@pytest.mark.parametrize("path", ["////evil.example/", "/x//evil.example/", "/%2F", "/%2F%2Fevil.example/"])
def test_no_slash_is_stripped_into_another_site_or_a_loop(site, path):
    """Location: //evil.example would send a browser to another site; /%2F went to itself."""
    location = get(site, path)[2].getheader("Location")
    assert location is None or (location.startswith("/") and not location.startswith("//") and location != path)


def test_a_saved_query_without_a_header_is_left_out_of_the_catalogue_page(mini, mini_store):
    """A CONSTRUCT saved as queries/NAME.rq for `export --construct NAME` has no catalogue header:
    the pages leave it out (graphkit serve says so) instead of failing to start."""
    (mini.queries_dir / "mine.rq").write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n", encoding="utf-8")
    (mini.queries_dir / "listed.rq").write_text("#+ summary: the listed one\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n",
                                                encoding="utf-8")
    pages = Pages(mini_store, mini)
    assert pages.skipped_queries == ["query mine: the header needs a summary (left out)"]
    page = pages.respond("GET", "/catalogue", {})
    assert page.status == 200 and b"the listed one" in page.body and b"mine" not in page.body


@pytest.mark.parametrize("path, error, suggested", [
    # a therapy for a drug's profile: not the disease brain tumor, which describe-entity (any kind) offers
    ("/catalogue/drug-profile?drug=blinatumomb", "did you mean &#x27;blinatumomab&#x27; or &#x27;BLINCYTO&#x27;?",
     [("/catalogue/drug-profile?drug=blinatumomab", "blinatumomab")]),
    ("/catalogue/describe-entity?entity=blinatumomb", "did you mean &#x27;blinatumomab&#x27; or &#x27;brain tumor&#x27; "
     "or &#x27;BLINCYTO&#x27;?", [("/catalogue/describe-entity?entity=blinatumomab", "blinatumomab"),
                                  ("/catalogue/describe-entity?entity=brain_tumor", "brain tumor")]),
    # no therapy is named like it: the others, saying so
    ("/catalogue/side-effects-of-drug?drug=leukmia", "(no therapy is named like it); did you mean &#x27;leukemia&#x27;",
     [("/catalogue/side-effects-of-drug?drug=leukemia", "leukemia"),
      ("/catalogue/side-effects-of-drug?drug=cns_leukemia", "central nervous system leukemia"),
      ("/catalogue/side-effects-of-drug?drug=leukopenia", "leukopenia")]),
    # a node parameter, with the form's other values kept
    ("/catalogue/evidence-for-edge?subject=blinatumomb&predicate=hasAdverseEffect&object=fever", "&#x27;brain tumor&#x27;",
     [("/catalogue/evidence-for-edge?subject=blinatumomab&amp;predicate=hasAdverseEffect&amp;object=fever", "blinatumomab"),
      ("/catalogue/evidence-for-edge?subject=brain_tumor&amp;predicate=hasAdverseEffect&amp;object=fever", "brain tumor")]),
])
def test_a_forms_value_that_names_nothing_offers_the_entities_of_the_parameters_kinds(site, path, error, suggested):
    """The form said the command line's error and no more: its suggestions are links that run the
    query with each, the parameter's kinds first (its header's `kinds:`), as the message names them."""
    status, page, _ = get(site, path)
    assert status == 400 and error in page
    links = re.findall(r'<li><a href="(/catalogue/[^"]+)">([^<]+)</a>', page.split("<h2>Did you mean</h2>")[1])
    assert links == suggested


def test_an_entity_field_suggests_the_entities_of_its_parameters_kinds(site):
    """Every field had offered all 817 entities: a drug's offered diseases, foods and body parts."""
    def offered(page, ident):
        listed = re.search(rf'<datalist id="{ident}">(.*?)</datalist>', page, re.S).group(1)
        return set(re.findall(r'<option value="([^"]+)">', listed))

    drug = get(site, "/catalogue/drug-profile")[1]
    assert '<input id="param-drug" name="drug" value="mercaptopurine" list="entities-Therapy"' in drug
    therapies = offered(drug, "entities-Therapy")
    assert {"blinatumomab", "mercaptopurine", "hsct", "cranial_radiation"} <= therapies
    assert not {"jmml", "childhood_all", "fever", "blood"} & therapies
    anything = get(site, "/catalogue/describe-entity")[1]           # a parameter of no kind: every entity
    assert '<datalist id="entities">' in anything
    assert therapies < offered(anything, "entities") and {"jmml", "fever", "blood"} <= offered(anything, "entities")
    both = get(site, "/catalogue/shared-symptoms")[1]               # two fields of one kind share one list
    assert both.count('list="entities-Disease-Phenotype"') == 2 and both.count("<datalist") == 1
