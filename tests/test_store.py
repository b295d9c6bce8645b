"""The store: directories, transactions, replacing one graph, bulk loads, both backends."""

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError, StoreLockedError
from kg.store import MANIFEST, Store
from pipelines.rdf import SourceGraph

EX = "http://example.org/"


def quad(s: str, o: str, g: str | None) -> ox.Quad:
    graph = ox.NamedNode(EX + g) if g else ox.DefaultGraph()
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), graph)


def source(name: str, *values: str, src: str | None = None) -> SourceGraph:
    graph = EX + "graph/" + name
    return SourceGraph(
        iri=graph,
        kind="document",
        sha256=(name * 64)[:64],
        describes=EX + name,
        source=src or f"file:///{name}.txt",
        quads=tuple(quad(name, v, "graph/" + name) for v in values),
    )


@pytest.fixture(params=["oxigraph", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store.open(tmp_path / "s", create=True) if request.param == "oxigraph" else Store.memory()
    yield s
    s.close()


def test_a_new_store_records_its_base_iri_and_refuses_another(tmp_path: Path) -> None:
    Store.open(tmp_path / "s", create=True, base_iri="https://example.org/kg/").close()
    manifest = json.loads((tmp_path / "s" / MANIFEST).read_text())
    assert manifest["base_iri"] == "https://example.org/kg/"
    with Store.open(tmp_path / "s") as reopened:
        assert reopened.base_iri == "https://example.org/kg/"
    with pytest.raises(StoreError, match=r"was built with base IRI https://example\.org/kg/"):
        Store.open(tmp_path / "s", base_iri="https://other.org/")


def test_open_refuses_missing_stores_and_foreign_directories(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no litkg store at"):
        Store.open(tmp_path / "absent")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("keep me")
    with pytest.raises(StoreError, match="is not a litkg store"):
        Store.open(tmp_path / "mine", create=True)
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "keep me"


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    store.add([quad("a", "1", "g1")])

    def interrupted() -> None:
        with store.transaction() as tx:
            tx.drop_graph(EX + "g1")
            tx.add([quad("b", "2", "g2")])
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted()
    assert {q.object.value for q in store.quads()} == {"1"}


def test_putting_a_source_graph_replaces_exactly_that_graph(store: Store) -> None:
    store.put_source_graphs([source("a", "1", "2"), source("b", "3")], EX + "build/1")
    assert sorted(store.source_graphs()) == [EX + "graph/a", EX + "graph/b"]
    # The same source with new content: its old graph goes, the other stays untouched.
    store.put_source_graphs([source("c", "4", src="file:///a.txt")], EX + "build/2")
    assert store.named_graphs() == [EX + "graph/b", EX + "graph/c"]
    assert {q.object.value for q in store.quads(EX + "graph/b")} == {"3"}
    records = store.source_graphs()
    assert set(records) == {EX + "graph/b", EX + "graph/c"}
    assert records[EX + "graph/c"].source == "file:///a.txt"


def test_drop_graph_removes_its_record_too(store: Store) -> None:
    store.put_source_graphs([source("a", "1"), source("b", "2")], EX + "build/1")
    store.drop_graph(EX + "graph/a")
    assert store.named_graphs() == [EX + "graph/b"]
    assert list(store.source_graphs()) == [EX + "graph/b"]


def test_bulk_path_writes_the_same_as_the_transactional_one(tmp_path: Path) -> None:
    big = [source(f"d{i}", *[str(j) for j in range(600)]) for i in range(100)]
    with Store.open(tmp_path / "bulk", create=True) as s:
        s.put_source_graphs(big, EX + "build/1")  # 60,000 quads: over the bulk threshold
        assert len(s.source_graphs()) == 100
        assert s.stats().named_graphs == 100
        assert (
            s.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0].toPython()
            == 60_000
        )  # type: ignore[union-attr]


def test_a_graph_without_its_record_is_not_complete(store: Store) -> None:
    store.add([quad("x", "1", "graph/x")])  # as left by a bulk load that was killed
    assert store.source_graphs() == {}
    store.put_source_graphs([source("x", "2")], EX + "build/1")
    assert {q.object.value for q in store.quads(EX + "graph/x")} == {"2"}


def test_query_bindings_are_values_not_text(store: Store) -> None:
    from rdflib import Literal

    store.add([quad("a", "x' } ; DROP ALL ; {", "g")])
    hit = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": Literal("x' } ; DROP ALL ; {")})
    assert [str(r[0]) for r in hit.rows] == [EX + "a"]


def test_oxigraph_and_memory_give_the_same_answers(tmp_path: Path) -> None:
    graphs = [source("a", "1", "2"), source("b", "3")]
    answers = []
    for s in (Store.open(tmp_path / "o", create=True), Store.memory()):
        with s:
            s.put_source_graphs(graphs, EX + "build/1")
            rows = s.query("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o").rows
            answers.append((rows, s.stats().to_dict(), sorted(map(str, s.quads()))))
    assert answers[0] == answers[1]


def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    Store.open(tmp_path / "s", create=True).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom kg.store import Store\n"
            f"s = Store.open({str(tmp_path / 's')!r})\nprint('open', flush=True)\nsys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreLockedError, match="in use by another process"):
            Store.open(tmp_path / "s")
    finally:
        holder.communicate("")
