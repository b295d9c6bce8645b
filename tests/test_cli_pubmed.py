"""`kg pubmed index` and `kg pubmed fetch` on small hand-written records."""

from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from pipelines.pubmed import iter_papers


def test_index_reports_each_file_and_fails_on_a_broken_one(tmp_path: Path, fixtures: Path) -> None:
    runner = CliRunner()
    mirror = tmp_path / "m"
    good = fixtures / "mirror" / "baseline.xml"
    broken = fixtures / "mirror" / "truncated.xml"
    result = runner.invoke(
        main, ["pubmed", "index", str(good), str(broken), "--mirror", str(mirror)]
    )
    assert result.exit_code == 1
    assert f"indexed {good}" in result.output
    assert f"failed {broken}" in result.output
    again = runner.invoke(main, ["pubmed", "index", str(good), "--mirror", str(mirror)])
    assert again.exit_code == 0
    assert f"skipped {good}" in again.output


def test_fetch_writes_records_from_the_mirror_and_names_misses(
    tmp_path: Path, fixtures: Path
) -> None:
    runner = CliRunner()
    mirror = tmp_path / "m"
    source = fixtures / "mirror" / "baseline.xml"
    assert (
        runner.invoke(main, ["pubmed", "index", str(source), "--mirror", str(mirror)]).exit_code
        == 0
    )
    pmids = [p.pmid for p in iter_papers(source)][:2]
    out = tmp_path / "out.xml"
    result = runner.invoke(
        main,
        ["pubmed", "fetch", *pmids, "99999999", "--pubmed-mirror", str(mirror), "--out", str(out)],
    )
    assert result.exit_code == 1
    assert "error: pmid:99999999: not found" in result.output
    assert [p.pmid for p in iter_papers(out)] == pmids
