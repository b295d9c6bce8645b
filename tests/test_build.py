"""The build driver: one graph per document, failures isolated, reruns incremental."""

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

import kg
from kg.build import build
from kg.store import Store


@pytest.fixture
def docs(tmp_path: Path, fixtures: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(fixtures / "docs", folder)
    return folder


def nquads(store: Store) -> list[str]:
    return sorted(
        str(q) for q in store.quads() if q.graph_name.__class__.__name__ != "DefaultGraph"
    )


def test_each_document_gets_its_own_named_graph(tmp_path: Path, docs: Path) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        report = build([docs], store)
        assert report.counts["added"] == 3
        assert report.ok
        stats = store.stats()
        assert stats.named_graphs == 3
        assert stats.graphs_by_kind == {"document": 3}
        assert stats.classes["litkg:Document"] == 3
        titles = {
            str(r[0])
            for r in store.query("SELECT ?t WHERE { ?d a litkg:Document ; dcterms:title ?t }").rows
        }
        assert "Remyelination After Demyelinating Injury" in titles


def test_the_build_is_recorded_with_prov(tmp_path: Path, docs: Path) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        report = build([docs], store)
        rows = store.query(
            """SELECT ?started ?ended ?version ?added ?used WHERE {
                 ?b a litkg:Build ; prov:startedAtTime ?started ; prov:endedAtTime ?ended ;
                    prov:wasAssociatedWith/litkg:toolVersion ?version ;
                    litkg:addedCount ?added ; prov:used ?used }"""
        ).rows
    assert len(rows) == 1
    started, _ended, version, added, used = rows[0]
    assert started is not None
    assert started.toPython() == datetime.fromisoformat(report.started_at)  # type: ignore[union-attr]
    assert str(version) == report.tool_version
    assert added is not None
    assert added.toPython() == 3
    assert str(used) == docs.resolve().as_uri()


def test_same_inputs_give_the_same_graph(tmp_path: Path, docs: Path) -> None:
    exports = []
    for name in ("one", "two"):
        with Store.open(tmp_path / name, create=True) as store:
            build([docs], store)
            exports.append(nquads(store))
    assert exports[0] == exports[1]
    assert len(exports[0]) > 10


def test_rebuild_skips_unchanged_and_replaces_exactly_the_changed(
    tmp_path: Path, docs: Path
) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        build([docs], store)
        before = {g: sorted(map(str, store.quads(g))) for g in store.named_graphs()}
        again = build([docs], store)
        assert again.counts["unchanged"] == 3
        assert again.counts["added"] == 0
        (docs / "notes.md").write_text("# A New Title\n\nNew content.\n", encoding="utf-8")
        third = build([docs], store)
        assert third.counts == {
            "added": 0,
            "replaced": 1,
            "unchanged": 2,
            "duplicate": 0,
            "failed": 0,
        }
        after = {g: sorted(map(str, store.quads(g))) for g in store.named_graphs()}
        assert len(after) == 3
        kept = set(before) & set(after)
        assert len(kept) == 2
        assert all(before[g] == after[g] for g in kept)
        titles = {str(r[0]) for r in store.query("SELECT ?t WHERE { ?d dcterms:title ?t }").rows}
        assert "A New Title" in titles
        assert "Mesenchymal Stem Cells and Inflammation" not in titles
        assert store.stats().builds == 3


def test_bad_inputs_are_reported_and_the_rest_still_built(tmp_path: Path, docs: Path) -> None:
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(b"\x89PNG\x00\x00")
    (docs / "copy.txt").write_bytes((docs / "remyelination.txt").read_bytes())
    with Store.open(tmp_path / "s", create=True) as store:
        report = build([docs, tmp_path / "nowhere"], store)
        assert store.stats().named_graphs == 3
    counts = report.counts
    assert counts["added"] == 3
    assert counts["duplicate"] == 1
    assert counts["failed"] == 3
    reasons = {Path(i.path or i.input).name: i.reason for i in report.failures}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["nowhere"] == "no such file or directory"
    written = json.loads((tmp_path / "s" / "last-build.json").read_text())
    assert written["counts"] == counts
    assert len(list((tmp_path / "s" / "reports").glob("build-*.json"))) == 1


def test_facade_builds_and_queries(tmp_path: Path, docs: Path) -> None:
    report = kg.build([docs / "article.html"], tmp_path / "s")
    assert report.counts["added"] == 1
    with kg.open(tmp_path / "s") as graph:
        rows = graph.named("documents").to_dicts()
        assert rows[0]["title"] == "Hematopoietic Stem Cell Transplantation in MS"
        assert graph.validate().conforms
        assert len(graph.to_rdflib()) > 0
