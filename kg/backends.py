"""The two places a graph can live: an on-disk Oxigraph database, or rdflib's memory store.

Both take and give pyoxigraph quads, and answer SPARQL as a QueryResult of rdflib
terms, so the Store above them does not care which one it holds.
"""

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from kg.errors import QueryError, QueryTimeout, StoreError, StoreLockedError
from kg.results import QueryResult, Row, Triple
from kg.terms import to_ox, to_rdflib

GraphName = ox.NamedNode | ox.DefaultGraph
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a query may return and until when (a time.monotonic() deadline) it may run.

    Rows are checked as they are produced, so a limit or deadline stops a long result early;
    an operator that must see all input before its first row (ORDER BY, GROUP BY) is only
    stopped once it yields.
    """

    rows: int | None = None
    deadline: float | None = None


NO_LIMITS = Limits()


def _bounded(rows: Iterable[T], limits: Limits) -> tuple[list[T], bool]:
    """Take rows up to the limit; raise QueryTimeout past the deadline. Returns (rows, cut)."""
    taken: list[T] = []
    for n, row in enumerate(rows):
        if limits.rows is not None and n >= limits.rows:
            return taken, True
        if limits.deadline is not None and n % 256 == 0 and time.monotonic() > limits.deadline:
            raise QueryTimeout("query ran past its time limit")
        taken.append(row)
    if limits.deadline is not None and time.monotonic() > limits.deadline:
        raise QueryTimeout("query ran past its time limit")
    return taken, False


class Backend(Protocol):
    name: str

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads atomically: all of them or none."""

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add many quads fast, without the all-or-none guarantee."""

    def replace(
        self,
        drops: Iterable[ox.NamedNode],
        quads: Iterable[ox.Quad],
        removals: Iterable[ox.Quad] = (),
    ) -> None:
        """Drop graphs, remove quads and add quads in one atomic step."""

    def remove_graph(self, graph: ox.NamedNode) -> None: ...

    def named_graphs(self) -> list[ox.NamedNode]: ...

    def quads(
        self,
        graph: GraphName | None = None,
        subject: ox.NamedNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.Literal | None = None,
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern; None matches anything (graph None: every graph)."""

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier],
        prefixes: Mapping[str, str],
        limits: Limits = NO_LIMITS,
    ) -> QueryResult: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


def _data_block(quads: Iterable[ox.Quad]) -> str:
    body: list[str] = []
    for q in quads:
        triple = f"{q.subject} {q.predicate} {q.object} ."
        in_default = isinstance(q.graph_name, ox.DefaultGraph)
        body.append(triple if in_default else f"GRAPH {q.graph_name} {{ {triple} }}")
    return "\n".join(body)


def _update_text(
    drops: Iterable[ox.NamedNode], quads: Iterable[ox.Quad], removals: Iterable[ox.Quad]
) -> str:
    """One SPARQL Update for a whole transaction (terms print in N-Triples syntax)."""
    parts = [f"DROP SILENT GRAPH {g}" for g in drops]
    deletes = _data_block(removals)
    if deletes:
        parts.append("DELETE DATA {\n" + deletes + "\n}")
    inserts = _data_block(quads)
    if inserts:
        parts.append("INSERT DATA {\n" + inserts + "\n}")
    return " ;\n".join(parts)


class OxigraphBackend:
    """An Oxigraph (RocksDB) database in a directory."""

    name = "oxigraph"

    def __init__(self, path: Path) -> None:
        try:
            self._store = ox.Store(str(path))
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise StoreLockedError(
                    f"store {path.parent} is in use by another process (its database is locked)"
                ) from None
            raise StoreError(f"cannot open the database in {path}: {message}") from None

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        self._store.extend(quads)

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        self._store.bulk_extend(quads)

    def replace(
        self,
        drops: Iterable[ox.NamedNode],
        quads: Iterable[ox.Quad],
        removals: Iterable[ox.Quad] = (),
    ) -> None:
        update = _update_text(drops, quads, removals)
        if update:
            # Oxigraph applies one update request as one transaction.
            self._store.update(update)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self._store.remove_graph(graph)

    def named_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def quads(
        self,
        graph: GraphName | None = None,
        subject: ox.NamedNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.Literal | None = None,
    ) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(subject, predicate, obj, graph))

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier],
        prefixes: Mapping[str, str],
        limits: Limits = NO_LIMITS,
    ) -> QueryResult:
        try:
            result = self._store.query(
                sparql,
                use_default_graph_as_union=True,
                prefixes=dict(prefixes),
                substitutions={ox.Variable(k): to_ox(v) for k, v in bindings.items()},
            )
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from None
        except RuntimeError as exc:
            # e.g. a bound variable that the SELECT does not project (Oxigraph requires it).
            raise QueryError(f"query failed: {exc}") from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult.ask(bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = tuple(v.value for v in result.variables)
            solutions, cut = _bounded(result, limits)
            rows = [
                tuple(None if term is None else to_rdflib(term) for term in solution)
                for solution in solutions
            ]
            return QueryResult.select(names, rows, truncated=cut)
        produced, cut = _bounded(result, limits)
        triples = [
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in produced
        ]
        return QueryResult.construct(triples, truncated=cut)

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        self._store.flush()
        del self._store


class MemoryBackend:
    """rdflib's in-memory Dataset: for small graphs and for checking parity with Oxigraph."""

    name = "memory"

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)

    def _add(self, quads: Iterable[ox.Quad]) -> None:
        for q in quads:
            graph = (
                DATASET_DEFAULT_GRAPH_ID
                if isinstance(q.graph_name, ox.DefaultGraph)
                else URIRef(q.graph_name.value)
            )
            s, p, o = to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)
            self._ds.graph(graph).add((s, p, o))

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        # Materialise first so a bad quad fails before anything is added.
        self._add(list(quads))

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        self._add(quads)

    def replace(
        self,
        drops: Iterable[ox.NamedNode],
        quads: Iterable[ox.Quad],
        removals: Iterable[ox.Quad] = (),
    ) -> None:
        pending = list(quads)
        for g in drops:
            self.remove_graph(g)
        for q in removals:
            graph = (
                DATASET_DEFAULT_GRAPH_ID
                if isinstance(q.graph_name, ox.DefaultGraph)
                else URIRef(q.graph_name.value)
            )
            s, p, o = to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)
            self._ds.graph(graph).remove((s, p, o))
        self._add(pending)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self._ds.remove_graph(URIRef(graph.value))

    def named_graphs(self) -> list[ox.NamedNode]:
        return [
            ox.NamedNode(str(g.identifier))
            for g in self._ds.graphs()
            if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g) > 0
        ]

    def quads(
        self,
        graph: GraphName | None = None,
        subject: ox.NamedNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.Literal | None = None,
    ) -> Iterator[ox.Quad]:
        if graph is None:
            ctx: Identifier | None = None
        elif isinstance(graph, ox.DefaultGraph):
            ctx = DATASET_DEFAULT_GRAPH_ID
        else:
            ctx = URIRef(graph.value)
        terms = [None if t is None else to_rdflib(t) for t in (subject, predicate, obj)]
        pattern = cast(Any, (*terms, ctx))
        for s, p, o, g in self._ds.quads(pattern):
            name = g if isinstance(g, Identifier) else getattr(g, "identifier", None)
            gname: GraphName = (
                ox.DefaultGraph()
                if name in (None, DATASET_DEFAULT_GRAPH_ID)
                else ox.NamedNode(str(name))
            )
            qs, qp, qo = (to_ox(cast(Identifier, t)) for t in (s, p, o))
            if isinstance(qp, ox.NamedNode) and not isinstance(qs, ox.Literal):
                yield ox.Quad(qs, qp, qo, gname)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier],
        prefixes: Mapping[str, str],
        limits: Limits = NO_LIMITS,
    ) -> QueryResult:
        try:
            result: Result = self._ds.query(
                sparql,
                initNs=dict(prefixes),
                initBindings={Variable(k): v for k, v in bindings.items()},
            )
        except Exception as exc:  # rdflib raises pyparsing and assorted errors
            raise QueryError(f"invalid SPARQL: {exc}") from None
        if result.type == "ASK":
            return QueryResult.ask(bool(result.askAnswer))
        if result.type == "SELECT":
            names = tuple(str(v) for v in result.vars or ())
            rows, cut = _bounded((cast(Row, tuple(cast(Any, row))) for row in result), limits)
            return QueryResult.select(names, rows, truncated=cut)
        triples, cut = _bounded((cast(Triple, tuple(cast(Any, t))) for t in result), limits)
        return QueryResult.construct(triples, truncated=cut)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None
