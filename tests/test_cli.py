"""The `kg` command, driven through click's runner (and once as a real process)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def built(tmp_path: Path, fixtures: Path, runner: CliRunner) -> Path:
    store = tmp_path / "store"
    result = runner.invoke(main, ["build", str(fixtures / "docs"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def test_every_command_has_help(runner: CliRunner) -> None:
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, f"kg {name} has no help text"
        assert "Usage: main" in result.output or f"{name} [OPTIONS]" in result.output


def test_build_prints_a_summary_and_stats_count_documents(built: Path, runner: CliRunner) -> None:
    stats = json.loads(runner.invoke(main, ["stats", "--store", str(built)]).output)
    assert stats["named_graphs"] == 3
    assert stats["classes"]["litkg:Document"] == 3
    report = json.loads((built / "last-build.json").read_text())
    assert report["counts"]["added"] == 3


def test_build_failures_exit_non_zero_unless_allowed(
    tmp_path: Path, fixtures: Path, runner: CliRunner
) -> None:
    args = ["build", str(fixtures / "docs"), str(tmp_path / "missing.txt")]
    failed = runner.invoke(main, [*args, "--store", str(tmp_path / "a")])
    assert failed.exit_code == 1
    assert (
        "error: " + str(tmp_path / "missing.txt") + ": no such file or directory" in failed.output
    )
    assert "3 added" in failed.output
    allowed = runner.invoke(main, [*args, "--store", str(tmp_path / "b"), "--allow-failures"])
    assert allowed.exit_code == 0


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_formats(built: Path, runner: CliRunner, fmt: str) -> None:
    sparql = "SELECT ?title WHERE { ?d a litkg:Document ; dcterms:title ?title } ORDER BY ?title"
    result = runner.invoke(main, ["query", sparql, "--store", str(built), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "Hematopoietic Stem Cell Transplantation in MS" in result.output
    if fmt == "json":
        assert len(json.loads(result.output)["results"]["bindings"]) == 3


def test_query_from_file_by_name_and_with_bindings(
    built: Path, runner: CliRunner, tmp_path: Path
) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?d ?t WHERE { ?d dcterms:title ?t }")
    by_file = runner.invoke(
        main,
        [
            "query",
            "-f",
            str(rq),
            "--store",
            str(built),
            "--bind",
            "t=Remyelination After Demyelinating Injury",
            "--format",
            "csv",
        ],
    )
    assert by_file.exit_code == 0, by_file.output
    assert len(by_file.output.strip().splitlines()) == 2
    named = runner.invoke(main, ["query", "--name", "documents", "--store", str(built)])
    assert "(3 rows)" in named.output
    listing = runner.invoke(main, ["query", "--list", "--store", str(built)])
    assert "documents" in listing.output


def test_query_errors_are_one_line(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    bad = runner.invoke(main, ["query", "SELECT WHERE {", "--store", str(built)])
    assert bad.exit_code == 1
    assert bad.output.startswith("error: invalid SPARQL")
    missing = runner.invoke(main, ["stats", "--store", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1
    assert missing.output.count("\n") == 1
    assert "no litkg store" in missing.output


def test_export_formats_parse_back(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    from rdflib import Dataset, Graph

    counts = {}
    for fmt, parser in [
        ("ttl", "turtle"),
        ("nt", "nt"),
        ("nq", "nquads"),
        ("trig", "trig"),
        ("jsonld", "json-ld"),
    ]:
        out = tmp_path / f"g.{fmt}"
        result = runner.invoke(
            main, ["export", "--store", str(built), "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        graph: Graph = Dataset() if fmt in ("nq", "trig", "jsonld") else Graph()
        graph.parse(out, format=parser)
        counts[fmt] = (
            len(graph)
            if isinstance(graph, Graph) and fmt in ("ttl", "nt")
            else sum(len(g) for g in graph.graphs())
        )  # type: ignore[attr-defined]
    assert counts["ttl"] == counts["nt"] > 0
    assert counts["nq"] == counts["trig"] == counts["jsonld"] >= counts["nt"]


def test_validate_passes_then_names_the_shape_a_broken_triple_violates(
    built: Path, runner: CliRunner
) -> None:
    ok = runner.invoke(main, ["validate", "--store", str(built)])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output
    import pyoxigraph as ox

    from kg.store import Store

    with Store.open(built) as store:
        graph = store.named_graphs()[0]
        doc = next(
            q.subject
            for q in store.quads(graph)
            if q.object == ox.NamedNode("https://w3id.org/litkg/vocab#Document")
        )
        store.add(
            [
                ox.Quad(
                    doc,
                    ox.NamedNode("https://w3id.org/litkg/vocab#sha256"),
                    ox.Literal("not-a-digest"),
                    ox.NamedNode(graph),
                )
            ]
        )
    broken = runner.invoke(main, ["validate", "--store", str(built)])
    assert broken.exit_code == 1
    assert "shape:DocumentShape" in broken.output
    assert "litkg:sha256" in broken.output


def test_the_installed_command_runs(built: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "stats", "--store", str(built)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["named_graphs"] == 3
