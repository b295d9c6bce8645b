"""GraphML: an explicit projection of the RDF graph for Gephi, Cytoscape, yEd, networkx, igraph.

Not every RDF resource becomes a node. Nodes are the things a person wants to see —
documents, papers, concepts (MeSH/ontology IRIs), claims, references, authors, journals;
literals become scalar attributes of their node (several values joined with " | "), never
nodes; edges are the object properties between nodes, with the property's short name as `relation`.
Every node carries `label`, `type`, `iri` and colour attributes (`r`, `g`, `b`, `color`)
that the viewers pick up.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from ontologies.namespace import STANDARD_PREFIXES, shorten

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_V = STANDARD_PREFIXES["litkg"]

# rdf:type -> node type shown to the user, in order of precedence.
NODE_TYPES: dict[str, str] = {
    _V + "Claim": "claim",
    _V + "Document": "document",
    _V + "Paper": "paper",
    _V + "Reference": "reference",
    _V + "Concept": "concept",
    _V + "Author": "author",
    "http://purl.org/spar/fabio/Journal": "journal",
    _V + "Grant": "grant",
}
# IRIs under these namespaces are concepts even when the graph does not type them.
CONCEPT_NAMESPACES = ("http://id.nlm.nih.gov/mesh/", "http://purl.obolibrary.org/obo/")
# The attribute used as a node's label, in order of preference.
LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)
# Long texts stay in the RDF graph; a viewer needs only a preview.
_OMIT = {_V + "text", "http://purl.org/dc/terms/abstract"}
_MAX_ATTRIBUTE = 500
_INTEGER = re.compile(r"-?[0-9]{1,15}")
PALETTE: dict[str, tuple[int, int, int]] = {
    "document": (31, 119, 180),
    "paper": (255, 127, 14),
    "concept": (44, 160, 44),
    "claim": (214, 39, 40),
    "reference": (148, 103, 189),
    "author": (140, 86, 75),
    "journal": (227, 119, 194),
    "grant": (127, 127, 127),
}


def _short(iri: str, prefixes: Mapping[str, str]) -> str:
    # With no known namespace, the IRI's last segment still makes a readable name.
    return shorten(iri, prefixes) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _attribute_name(predicate: str, prefixes: Mapping[str, str]) -> str:
    # GraphML keys must be plain names: "dcterms:title" -> "dcterms_title".
    return _short(predicate, prefixes).replace(":", "_").replace("-", "_")


def project(
    quads: Iterable[ox.Quad], prefixes: Mapping[str, str] | None = None
) -> "nx.MultiDiGraph[str]":
    """The explicit node/edge projection of an RDF graph (named graphs merged)."""
    names = dict(prefixes or STANDARD_PREFIXES)
    types: dict[str, str] = {}
    literals: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    links: set[tuple[str, str, str]] = set()
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == _RDF_TYPE and isinstance(o, ox.NamedNode):
            kind = NODE_TYPES.get(o.value)
            current = types.get(s.value)
            order = list(NODE_TYPES.values())
            if kind and (current is None or order.index(kind) < order.index(current)):
                types[s.value] = kind
        elif isinstance(o, ox.Literal):
            if p not in _OMIT:
                literals[s.value][p].append(o.value)
        elif isinstance(o, ox.NamedNode):
            links.add((s.value, p, o.value))
    for _s, _p, o_iri in links:
        if o_iri not in types and o_iri.startswith(CONCEPT_NAMESPACES):
            types[o_iri] = "concept"
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, kind in sorted(types.items()):
        attrs: dict[str, str | int] = {"iri": node, "type": kind, "curie": _short(node, names)}
        values = literals.get(node, {})
        for predicate in sorted(values):
            joined = " | ".join(sorted(set(values[predicate])))
            attrs[_attribute_name(predicate, names)] = joined[:_MAX_ATTRIBUTE]
        label = next((values[p][0] for p in LABEL_PROPERTIES if p in values), None)
        attrs["label"] = (label or str(attrs["curie"]))[:200]
        attrs["name"] = attrs["label"]
        r, g, b = PALETTE[kind]
        attrs.update(r=r, g=g, b=b, color=f"#{r:02x}{g:02x}{b:02x}")
        graph.add_node(node, **attrs)
    for s_iri, p, o_iri in sorted(links):
        if s_iri in types and o_iri in types:
            relation = _short(p, names)
            graph.add_edge(s_iri, o_iri, key=relation, relation=relation, predicate=p)
    _type_numbers(graph)
    return graph


def _type_numbers(graph: "nx.MultiDiGraph[str]") -> None:
    """Make an attribute an integer where every node's value of it is one (counts, years)."""
    keys = {k for _, data in graph.nodes(data=True) for k in data}
    for key in sorted(keys):
        values = [data[key] for _, data in graph.nodes(data=True) if key in data]
        if all(
            isinstance(v, int) or (isinstance(v, str) and _INTEGER.fullmatch(v)) for v in values
        ):
            for _, data in graph.nodes(data=True):
                if key in data:
                    data[key] = int(data[key])


def write_graphml(
    quads: Iterable[ox.Quad], out: BinaryIO, *, prefixes: Mapping[str, str] | None = None
) -> int:
    """Write the projection as GraphML; returns the number of nodes and edges written."""
    graph = project(quads, prefixes)
    nx.write_graphml(graph, out, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return int(graph.number_of_nodes() + graph.number_of_edges())
