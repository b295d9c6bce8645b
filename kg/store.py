"""The store a user holds: named graphs on disk (Oxigraph) or in memory (rdflib).

A store directory holds:
    litkg-store.json   what this directory is (format version, base IRI)
    oxigraph/          the database
    reports/           one JSON report per build (latest also as last-build.json)

Every source lives in its own named graph. The default graph holds the store's
own bookkeeping: one record per source graph (written after the graph, so its
presence means "complete") and the builds that wrote them.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox
from rdflib.term import Identifier

from kg.backends import NO_LIMITS, Backend, Limits, MemoryBackend, OxigraphBackend
from kg.config import DEFAULT_BASE_IRI
from kg.errors import StoreError
from kg.results import QueryResult
from ontologies.namespace import DCTERMS, LITKG, STANDARD_PREFIXES, shorten
from pipelines.ids import check_base_iri
from pipelines.rdf import SourceGraph, source_graph_record

MANIFEST = "litkg-store.json"
_SOURCE = ox.NamedNode(str(DCTERMS.source))
STORE_FORMAT = 1
# Below this many quads a write goes through one transaction; above, the bulk loader.
BULK_THRESHOLD = 50_000


@dataclass(frozen=True, slots=True)
class SourceGraphInfo:
    """What the default graph records of one complete source graph."""

    graph: str
    sha256: str
    kind: str
    describes: str
    source: str


@dataclass(frozen=True, slots=True)
class StoreStats:
    triples: int
    quads: int
    named_graphs: int
    graphs_by_kind: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    builds: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "triples": self.triples,
            "quads": self.quads,
            "named_graphs": self.named_graphs,
            "graphs_by_kind": self.graphs_by_kind,
            "classes": self.classes,
            "builds": self.builds,
        }


class Transaction:
    """Writes collected in a `with store.transaction():` block, applied all or none."""

    def __init__(self) -> None:
        self.drops: list[ox.NamedNode] = []
        self.quads: list[ox.Quad] = []
        self.removals: list[ox.Quad] = []

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self.quads.extend(quads)

    def remove(self, quads: Iterable[ox.Quad]) -> None:
        self.removals.extend(quads)

    def drop_graph(self, graph: str) -> None:
        self.drops.append(ox.NamedNode(graph))


class Store:
    """A litkg store. Open with `Store.open(path)` or `Store.memory()`; close when done."""

    def __init__(self, backend: Backend, base_iri: str, path: Path | None = None) -> None:
        self._backend = backend
        self.base_iri = base_iri
        self.path = path
        self.prefixes: dict[str, str] = {**STANDARD_PREFIXES, "res": base_iri}

    # ------------------------------------------------------------ lifecycle

    @classmethod
    def memory(cls, base_iri: str | None = None) -> "Store":
        """A store in rdflib's memory store (nothing written to disk)."""
        return cls(MemoryBackend(), check_base_iri(base_iri or DEFAULT_BASE_IRI))

    @classmethod
    def open(
        cls, path: str | Path, *, create: bool = False, base_iri: str | None = None
    ) -> "Store":
        """Open the store in directory `path`; with `create`, make it if it does not exist.

        `base_iri` is fixed when the store is created; opening it with another one is an error,
        because IRIs under two bases would name the same resource twice.
        """
        root = Path(path)
        manifest = root / MANIFEST
        if manifest.exists():
            recorded = _read_manifest(manifest)
            if base_iri is not None and base_iri != recorded:
                raise StoreError(
                    f"store {root} was built with base IRI {recorded}; got {base_iri} "
                    "(use a new store, or drop the setting)"
                )
            base = recorded
        elif not create:
            raise StoreError(f"no litkg store at {root} (run `kg build ... --store {root}` first)")
        elif root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise StoreError(f"{root} exists and is not a litkg store; choose a new directory")
        else:
            base = check_base_iri(base_iri or DEFAULT_BASE_IRI)
            try:
                root.mkdir(parents=True, exist_ok=True)
                (root / "reports").mkdir(exist_ok=True)
                tmp = manifest.with_suffix(".tmp")
                tmp.write_text(json.dumps({"format": STORE_FORMAT, "base_iri": base}, indent=1))
                tmp.replace(manifest)
            except OSError as exc:
                raise StoreError(f"cannot create store {root}: {exc.strerror or exc}") from None
        return cls(OxigraphBackend(root / "oxigraph"), base, root)

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def backend(self) -> str:
        return self._backend.name

    # ------------------------------------------------------------ writing

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Collect writes; they are applied atomically when the block ends without error."""
        tx = Transaction()
        yield tx
        self._backend.replace(tx.drops, tx.quads, tx.removals)

    def add(self, quads: Iterable[ox.Quad], *, bulk: bool = False) -> None:
        """Add quads: atomically, or through the bulk loader (fast, not atomic)."""
        if bulk:
            self._backend.bulk_extend(quads)
        else:
            self._backend.extend(quads)

    def _records_of(self, graphs: Iterable[str]) -> list[ox.Quad]:
        """The bookkeeping quads of these graphs (looked up by subject, not scanned)."""
        return [
            q
            for g in sorted(set(graphs))
            for q in self._backend.quads(ox.DefaultGraph(), subject=ox.NamedNode(g))
        ]

    def _graphs_from(self, source: str) -> list[str]:
        """Names of the recorded source graphs read from `source`."""
        found = self._backend.quads(ox.DefaultGraph(), predicate=_SOURCE, obj=ox.NamedNode(source))
        return [q.subject.value for q in found if isinstance(q.subject, ox.NamedNode)]

    def drop_graph(self, graph: str) -> None:
        """Remove one named graph and its bookkeeping record, atomically."""
        with self.transaction() as tx:
            tx.drop_graph(graph)
            tx.remove(self._records_of([graph]))

    def put_source_graphs(self, graphs: list[SourceGraph], build_iri: str) -> None:
        """Write complete source graphs, replacing any graph of the same name or source.

        Small batches go in one transaction. Large ones go through the bulk loader,
        then their records are written in a transaction: a graph without its
        record is incomplete, and the next build replaces it.
        """
        if not graphs:
            return
        # One lookup per graph: scanning every record per batch would make a large
        # build quadratic in the size of the store.
        drops = {g.iri for g in graphs} | {
            name for g in graphs for name in self._graphs_from(g.source)
        }
        stale = self._records_of(drops)
        records = [q for g in graphs for q in source_graph_record(g, build_iri)]
        if sum(len(g.quads) for g in graphs) < BULK_THRESHOLD:
            with self.transaction() as tx:
                for name in sorted(drops):
                    tx.drop_graph(name)
                tx.remove(stale)
                for graph in graphs:
                    tx.add(graph.quads)
                tx.add(records)
            return
        with self.transaction() as tx:
            for name in sorted(drops):
                tx.drop_graph(name)
            tx.remove(stale)
        self._backend.bulk_extend(q for g in graphs for q in g.quads)
        self._backend.extend(records)

    def flush(self) -> None:
        self._backend.flush()

    # ------------------------------------------------------------ reading

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        limits: Limits = NO_LIMITS,
    ) -> QueryResult:
        """Run SPARQL over the union of all graphs; `bindings` fill variables safely."""
        return self._backend.query(sparql, bindings or {}, self.prefixes, limits)

    def quads(self, graph: str | None = None, *, default_graph: bool = False) -> Iterator[ox.Quad]:
        """Quads of one named graph, of the default graph, or (neither given) of all."""
        if default_graph:
            return self._backend.quads(ox.DefaultGraph())
        return self._backend.quads(None if graph is None else ox.NamedNode(graph))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._backend.named_graphs())

    def source_graphs(self) -> dict[str, SourceGraphInfo]:
        """Complete source graphs by name: those with a record and a non-empty graph."""
        fields: dict[ox.NamedNode, dict[str, str]] = {}
        wanted = {
            LITKG.sha256: "sha256",
            LITKG.sourceKind: "kind",
            LITKG.describes: "describes",
            DCTERMS.source: "source",
        }
        keys = {ox.NamedNode(str(k)): v for k, v in wanted.items()}
        for q in self._backend.quads(ox.DefaultGraph()):
            key = keys.get(q.predicate)
            if key is not None and isinstance(q.subject, ox.NamedNode):
                fields.setdefault(q.subject, {})[key] = str(getattr(q.object, "value", ""))
        present = {g.value for g in self._backend.named_graphs()}
        infos: dict[str, SourceGraphInfo] = {}
        for subject, found in fields.items():
            if subject.value in present and len(found) == len(wanted):
                infos[subject.value] = SourceGraphInfo(subject.value, **found)
        return dict(sorted(infos.items()))

    def stats(self) -> StoreStats:
        """Counts of triples, quads, named graphs by kind, instances per class, builds."""

        def scalar(sparql: str) -> int:
            rows = self.query(sparql).rows
            return int(str(rows[0][0])) if rows and rows[0][0] is not None else 0

        # Queries see the union of all graphs, so the default graph is counted directly.
        in_default = sum(1 for _ in self._backend.quads(ox.DefaultGraph()))
        quads = in_default + scalar("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        triples = scalar(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        )
        kinds: dict[str, int] = {}
        for info in self.source_graphs().values():
            kinds[info.kind] = kinds.get(info.kind, 0) + 1
        classes: dict[str, int] = {}
        rows = self.query(
            "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY ?c"
        ).rows
        for c, n in rows:
            if c is not None and n is not None:
                classes[shorten(str(c), self.prefixes) or str(c)] = int(str(n))
        builds = classes.get("litkg:Build", 0)
        return StoreStats(
            triples=triples,
            quads=quads,
            named_graphs=len(self.named_graphs()),
            graphs_by_kind=dict(sorted(kinds.items())),
            classes=classes,
            builds=builds,
        )


def _read_manifest(path: Path) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != STORE_FORMAT:
            raise StoreError(
                f"store {path.parent} has format {data.get('format')!r}; "
                f"this litkg reads format {STORE_FORMAT}"
            )
        return check_base_iri(str(data["base_iri"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"store {path.parent} has an unreadable {MANIFEST}: {exc}") from None


__all__ = ["LITKG", "SourceGraphInfo", "Store", "StoreStats", "Transaction"]
