"""The five seed articles (../shared/corpus/seeds): the foundation's acceptance checks."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture(scope="module")
def seeds(shared: Path) -> Path:
    return shared / "corpus" / "seeds"


def build_and_export(runner: CliRunner, seeds: Path, store: Path, out: Path) -> bytes:
    assert runner.invoke(main, ["build", str(seeds), "--store", str(store)]).exit_code == 0
    result = runner.invoke(
        main, ["export", "--store", str(store), "--format", "nq", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_seeds_build_into_five_graphs_identically_twice(seeds: Path, tmp_path: Path) -> None:
    import json

    runner = CliRunner()
    first = build_and_export(runner, seeds, tmp_path / "s1", tmp_path / "1.nq")
    second = build_and_export(runner, seeds, tmp_path / "s2", tmp_path / "2.nq")
    assert first == second
    assert b"\n".join(sorted(first.splitlines())) == b"\n".join(first.splitlines())
    stats = json.loads(runner.invoke(main, ["stats", "--store", str(tmp_path / "s1")]).output)
    assert stats["named_graphs"] == 5
    assert stats["classes"]["litkg:Document"] == 5
    assert runner.invoke(main, ["validate", "--store", str(tmp_path / "s1")]).exit_code == 0


def test_seed_titles_skip_page_furniture(seeds: Path, tmp_path: Path) -> None:
    import kg

    kg.build([seeds], tmp_path / "s")
    with kg.open(tmp_path / "s") as graph:
        titles = [r["title"] for r in graph.named("documents").to_dicts()]
    assert "Beverly Hills Wellness Center logo" not in titles
    assert "Can Stem Cell Therapy Cure Multiple Sclerosis?" in titles
