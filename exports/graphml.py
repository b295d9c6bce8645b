"""GraphML for Gephi, Cytoscape, yEd, networkx and igraph, from the projection in `projection`.

Two views: "full" (documents, papers, concepts, claims, ... as nodes) and "claims" (concepts
as nodes, one edge per claim); `exports.projection` describes both.

The file is written here rather than by networkx so that every key is declared once with its
type and a unique id: node keys use their attribute name as id (Gephi finds `label`, `r`, `g`,
`b` by it), edge keys too unless a node key has the name already, then `edge_<name>`. Every
key's `attr.name` is the plain attribute name, which networkx and igraph read. Edge ids are
stable (a hash of source, relation and target; in the claims view the claim's IRI), so the
same graph gives the same bytes.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import pyoxigraph as ox

from exports.projection import (
    CONCEPT_NAMESPACES,
    LABEL_PROPERTIES,
    NODE_TYPES,
    PALETTE,
    VIEWS,
    Scalar,
    project,
)

__all__ = [
    "CONCEPT_NAMESPACES",
    "LABEL_PROPERTIES",
    "NODE_TYPES",
    "PALETTE",
    "VIEWS",
    "project",
    "write_graphml",
    "write_networkx_graphml",
]

_GRAPHML_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}
_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_TEXT_ENTITIES = {"\r": "&#13;"}


def write_graphml(
    quads: Iterable[ox.Quad],
    out: BinaryIO,
    *,
    prefixes: Mapping[str, str] | None = None,
    view: str = "full",
) -> int:
    """Write the projection of `quads` in `view` as GraphML; returns nodes + edges written."""
    return write_networkx_graphml(project(quads, prefixes, view=view), out)


def write_networkx_graphml(graph: "nx.MultiDiGraph[str]", out: BinaryIO) -> int:
    """Write a projected graph (scalar attributes, one type per key) as GraphML."""
    node_types = _key_types(data for _, data in graph.nodes(data=True))
    edge_types = _key_types(data for _, _, data in graph.edges(data=True))
    node_ids = {name: name for name in node_types}
    edge_ids: dict[str, str] = {}
    for name in edge_types:
        key_id = name
        while key_id in node_ids:
            key_id = f"edge_{key_id}"
        edge_ids[name] = key_id

    def put(text: str) -> None:
        out.write(text.encode("utf-8"))

    put(_HEADER)
    for domain, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
        for name in sorted(types):
            put(
                f'  <key id={quoteattr(ids[name])} for="{domain}"'
                f' attr.name={quoteattr(name)} attr.type="{types[name]}"/>\n'
            )
    view = graph.graph.get("view", "full")
    put(f'  <graph id={quoteattr(f"litkg-{view}")} edgedefault="directed">\n')
    for node in sorted(graph.nodes):
        put(f"    <node id={quoteattr(node)}>\n")
        _put_data(put, graph.nodes[node], node_ids)
        put("    </node>\n")
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=_edge_order):
        put(
            f"    <edge id={quoteattr(str(key))} source={quoteattr(source)}"
            f" target={quoteattr(target)}>\n"
        )
        _put_data(put, data, edge_ids)
        put("    </edge>\n")
    put("  </graph>\n</graphml>\n")
    return int(graph.number_of_nodes() + graph.number_of_edges())


def _edge_order(edge: tuple[str, str, object, dict[str, Scalar]]) -> tuple[str, str, str]:
    return edge[0], edge[1], str(edge[2])


def _key_types(records: Iterable[Mapping[str, object]]) -> dict[str, str]:
    types: dict[str, str] = {}
    for record in records:
        for name, value in record.items():
            kind = _GRAPHML_TYPES.get(type(value), "string")
            # The projection gives each key one type; anything else is written as text.
            types[name] = kind if types.get(name, kind) == kind else "string"
    return types


def _put_data(
    put: Callable[[str], None], data: Mapping[str, object], ids: Mapping[str, str]
) -> None:
    for name in sorted(data):
        put(f"      <data key={quoteattr(ids[name])}>{_format(data[name])}</data>\n")


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return escape(str(value), _TEXT_ENTITIES)
