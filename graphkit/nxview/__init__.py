"""The knowledge graph as a :class:`networkx.MultiDiGraph`, and graph algorithms on it.

One node per entity of the registry, one edge per asserted relation (a plain triple of the
asserted graph between two entities, or from an entity to a quantity value). Schema and
provenance are left out unless asked for. Every attribute is a plain scalar (str, int,
float, bool) so the graph writes to GraphML and GEXF unchanged; multi-valued attributes are
``|``-joined, sorted strings (``G.nodes[n]["synonyms"].split("|")``).

Node keys are registry ids (``jmml_in_relapse``, ``ICD10CM:C93.32``); quantity values are
nodes too, keyed by their CURIE (``gkq:0d5d6bebb70b``) and labelled with their number and
unit (``13 patients``), so the edge ``finding --cohortSize--> 13 patients`` keeps its
evidence. Pass ``quantities="attributes"`` to fold them into attributes of their subject
instead (``G.nodes["chang2004_overall_finding"]["cohortSize"] == "13 patients"``).

>>> G = load()
>>> jmml_docs = filtered(G, sources=["icd10_c93_32_page", "chang_2004_jmml_second_hsct"])  # documents 001, 004
>>> G.nodes["jmml_in_relapse"]["label"]
'juvenile myelomonocytic leukemia, in relapse'
>>> G.nodes["jmml_in_relapse"]["category"]
'biolink:Disease'
>>> G.edges["jmml_in_relapse", "fatigue", "hasSymptom"]["sources"]
'icd10_c93_32_page'
>>> sorted(neighbourhood(G, "jmml_in_relapse", hops=1, predicates=["hasSymptom"]))[:3]
['bone_pain', 'fatigue', 'frequent_infections']
>>> print(format_path(G, explain(jmml_docs, "second_allogeneic_hsct", "fatigue")))
second_allogeneic_hsct second allogeneic hematopoietic stem cell transplantation <-[successfully treated with]- chang2004_case Chang et al. 2004 case: 5-year-old girl with JMML relapse after first transplant -[patient condition]-> jmml_relapse_after_hsct juvenile myelomonocytic leukemia relapsed after hematopoietic stem cell transplantation -[subtype of]-> jmml_in_relapse juvenile myelomonocytic leukemia, in relapse -[has symptom (often)]-> fatigue fatigue

The modules: :mod:`~graphkit.nxview.builder` (the view from a store), :mod:`~graphkit.nxview.names`
(a user's words as nodes, predicates, sources, types), :mod:`~graphkit.nxview.subgraphs`,
:mod:`~graphkit.nxview.paths` and :mod:`~graphkit.nxview.measures`; this package gives them all.
"""

from __future__ import annotations

from .builder import (CERTAINTY_ORDER, ENTITY_FIELDS, EVIDENCE_FIELDS, FREQUENCY_ORDER, LOGICAL_OPERATORS,
                      MAPPING_FIELDS, MAPPING_PROPERTIES, NONE_STATED, PROVENANCE_TYPES, QUOTE_SEP,
                      SCOPE_ATTRIBUTES, SEP, SelectionError, build_view, from_store, joined, load, node_key,
                      schema_view)
from .measures import MEASURES, components, project, rank
from .names import resolve, resolve_certainty, resolve_predicate, resolve_source, resolve_type
from .paths import Step, edge_qualifiers, explain, explain_all, format_path
from .subgraphs import (classes_of, context_of, evidence_kept, evidence_of, filtered, has_type, is_context, neighbourhood, stated_by,
                        scoped_to, subtypes_of, SUBTYPE_EDGES, with_context, with_narrower)

__all__ = ["build_view", "CERTAINTY_ORDER", "classes_of", "components", "context_of", "edge_qualifiers",
           "ENTITY_FIELDS", "EVIDENCE_FIELDS", "evidence_kept", "evidence_of", "explain", "explain_all", "filtered", "format_path",
           "FREQUENCY_ORDER", "from_store", "has_type", "is_context", "joined", "load", "LOGICAL_OPERATORS",
           "MAPPING_FIELDS", "MAPPING_PROPERTIES", "MEASURES", "neighbourhood", "node_key", "NONE_STATED", "project",
           "PROVENANCE_TYPES", "QUOTE_SEP", "rank", "resolve",
           "resolve_certainty", "resolve_predicate", "resolve_source", "resolve_type", "scoped_to",
           "schema_view", "SCOPE_ATTRIBUTES", "SelectionError", "SEP", "stated_by", "Step", "SUBTYPE_EDGES", "subtypes_of",
           "with_context",
           "with_narrower"]
