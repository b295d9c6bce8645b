"""Cytoscape.js JSON (`cy.add(json.elements)`, and Cytoscape's own "cyjs" import).

    {"data": {"name": "litkg", "view": "full"},
     "elements": {"nodes": [{"data": {"id": IRI, "label": ..., "type": ..., "color": ...}}],
                  "edges": [{"data": {"id": ..., "source": IRI, "target": IRI,
                                      "relation": ..., ...}}]}}

The nodes and edges are those of the GraphML projection in the same view (`exports.projection`):
the same attributes, the same stable edge ids. Nodes come sorted by id and edges by source,
target and id, and keys are sorted, so the same graph always gives the same bytes. Each
element is written as it is formatted; the projection is the only thing held in memory.
"""

import json
from collections.abc import Iterable, Mapping
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from exports.projection import project


def write_cytoscape(
    quads: Iterable[ox.Quad],
    out: BinaryIO,
    *,
    prefixes: Mapping[str, str] | None = None,
    view: str = "full",
) -> int:
    """Write the projection of `quads` in `view` as Cytoscape.js JSON; returns nodes + edges."""
    return write_networkx_cytoscape(project(quads, prefixes, view=view), out)


def write_networkx_cytoscape(graph: "nx.MultiDiGraph[str]", out: BinaryIO) -> int:
    """Write a projected graph as Cytoscape.js JSON."""

    def put(text: str) -> None:
        out.write(text.encode("utf-8"))

    def element(data: Mapping[str, object]) -> str:
        return json.dumps({"data": data}, ensure_ascii=False, sort_keys=True)

    header = {"name": "litkg", "view": graph.graph.get("view", "full")}
    put('{"data": ' + json.dumps(header, sort_keys=True) + ', "elements": {"nodes": [')
    for index, node in enumerate(sorted(graph.nodes)):
        put(("," if index else "") + "\n  " + element({**graph.nodes[node], "id": node}))
    put('\n], "edges": [')
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    for index, (source, target, key, data) in enumerate(edges):
        fields = {**data, "id": str(key), "source": source, "target": target}
        put(("," if index else "") + "\n  " + element(fields))
    put("\n]}}\n")
    return int(graph.number_of_nodes() + graph.number_of_edges())
