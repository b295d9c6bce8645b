"""The Python facade: a knowledge graph you open, build into, query and export."""

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.term import Identifier

from exports.projection import project
from kg import config
from kg.build import Progress
from kg.build import build as run_build
from kg.export import export as run_export
from kg.papers import PaperSources
from kg.queries import named_query
from kg.report import BuildReport
from kg.results import QueryResult
from kg.store import Store, StoreStats
from kg.terms import to_rdflib
from kg.validate import ValidationReport, validate_quads


class KnowledgeGraph:
    """A litkg graph held in a store. Use as a context manager, or call `close()`.

    >>> import kg, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "note.md").write_text("# Remyelination\\n\\nStem cells may help.\\n")
    >>> with kg.open(folder / "store", create=True) as graph:
    ...     report = graph.build([folder / "note.md"])
    ...     rows = graph.query(
    ...         "SELECT ?title WHERE { ?d a litkg:Document ; dcterms:title ?title }").rows
    ...     stats = graph.stats()
    >>> report.counts["added"], str(rows[0][0]), stats.named_graphs
    (1, 'Remyelination', 1)
    """

    def __init__(self, store: Store, settings: config.Settings | None = None) -> None:
        self.store = store
        self.settings = settings or config.Settings()

    def build(
        self,
        inputs: Sequence[str | Path],
        progress: Progress | None = None,
        papers: PaperSources | None = None,
    ) -> BuildReport:
        """Read files, folders and papers (pmid:/doi:/pmcid:) into the graph; see `kg.build`."""
        return run_build(
            inputs, self.store, settings=self.settings, progress=progress, papers=papers
        )

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """SPARQL over all graphs; standard prefixes (litkg:, dcterms:, prov:, ...) predeclared."""
        return self.store.query(sparql, bindings)

    def named(self, name: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run one of the shipped named queries (`kg query --name` lists them)."""
        return self.store.query(named_query(name), bindings)

    def stats(self) -> StoreStats:
        return self.store.stats()

    def validate(self) -> ValidationReport:
        """Check the graph against litkg's SHACL shapes."""
        # A list, not the store's iterator: pySHACL keeps caught exceptions whose frames would
        # hold that iterator, and with it the database lock, until the next garbage collection.
        quads = list(self.store.quads())
        return validate_quads(quads, self.store.prefixes)

    def export(
        self,
        out: str | Path | BinaryIO,
        format: str = "ttl",
        *,
        include_builds: bool = False,
        view: str | None = None,
    ) -> int:
        """Write the graph as ttl, nt, nq, trig, jsonld, graphml, cytoscape or kgx (a folder);
        `view` ("full" or "claims") for graphml and cytoscape. Returns what was written."""
        return run_export(self.store, format, out, include_builds=include_builds, view=view)

    def to_networkx(self, view: str = "full") -> "nx.MultiDiGraph[str]":
        """The graph as networkx nodes and edges: documents, papers, concepts and claims
        ("full"), or concepts with one edge per grounded claim ("claims")."""
        named = (q for q in self.store.quads() if not isinstance(q.graph_name, ox.DefaultGraph))
        return project(named, self.store.prefixes, view=view)

    def to_rdflib(self) -> Dataset:
        """A copy of the graph as an rdflib Dataset (for small graphs and rdflib tooling)."""
        ds = Dataset()
        for q in self.store.quads():
            name = q.graph_name
            graph = (
                ds.default_graph
                if isinstance(name, ox.DefaultGraph)
                else ds.graph(URIRef(name.value))
            )
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return ds

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_graph(
    path: str | Path | None = None, *, create: bool = False, settings: config.Settings | None = None
) -> KnowledgeGraph:
    """Open the store at `path` (made if `create`); with no path, a graph in memory."""
    settings = settings or config.resolve()
    if path is None:
        store = Store.memory(settings.base_iri)
    else:
        store = Store.open(path, create=create, base_iri=settings.base_iri)
    return KnowledgeGraph(store, settings)


def build(
    inputs: Sequence[str | Path], store: str | Path, *, settings: config.Settings | None = None
) -> BuildReport:
    """Build `inputs` into the store directory `store` (created if needed) and close it."""
    with open_graph(store, create=True, settings=settings) as graph:
        return graph.build(inputs)
