"""`kg build` with papers from E-utilities (the loopback fake), then offline from the cache."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store import Store

from .fake_eutils import FakeEutils


def test_build_fetches_papers_then_rebuilds_offline_from_the_cache(
    shared_fake: FakeEutils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_EUTILS_URL", shared_fake.base_url)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no config file
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    runner = CliRunner()
    args = ["build", "pmid:31394007", "--store", str(tmp_path / "online")]
    done = runner.invoke(main, [*args, "--email", "tests@example.org"])
    assert done.exit_code == 0, done.output
    assert "1 added" in done.output
    with Store.open(tmp_path / "online") as s:
        assert s.query("ASK { <https://pubmed.ncbi.nlm.nih.gov/31394007> a litkg:Paper }").boolean
    requests = len(shared_fake.seen())

    offline = ["build", "pmid:31394007", "pmid:21197107", "--store", str(tmp_path / "off")]
    again = runner.invoke(main, [*offline, "--offline"])
    assert len(shared_fake.seen()) == requests  # nothing sent
    assert again.exit_code == 1
    assert "1 added" in again.output
    assert "pmid:21197107" in again.output  # the miss is named


def test_pubmed_fetch_writes_records_from_e_utilities(
    shared_fake: FakeEutils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.pubmed import iter_papers

    monkeypatch.setenv("KG_EUTILS_URL", shared_fake.base_url)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    out = tmp_path / "records.xml"
    result = CliRunner().invoke(
        main, ["pubmed", "fetch", "31394007", "--email", "tests@example.org", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert [p.pmid for p in iter_papers(out)] == ["31394007"]
