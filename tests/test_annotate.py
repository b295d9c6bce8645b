"""`kg annotate`: mentions as JSON lines, offsets into the text as read."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_seed_mentions_with_identifiers_and_offsets(
    shared: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    seed = shared / "corpus" / "seeds" / "003_5992842b49b9cccd.txt"
    result = CliRunner().invoke(
        main, ["annotate", str(seed), "--ontologies", str(shared / "ontologies")]
    )
    assert result.exit_code == 0, result.output
    mentions = [json.loads(line) for line in result.output.splitlines()]
    text = seed.read_text(encoding="utf-8")
    assert all(text[m["start"] : m["end"]] == m["text"] for m in mentions)
    by_text = {m["text"].lower(): m for m in mentions}
    assert {"MONDO:0005301", "MESH:D009103"} <= set(by_text["multiple sclerosis"]["ids"])
    assert by_text["multiple sclerosis"]["type"] == "disease"
    assert "MESH:D033581" in by_text["stem cell therapy"]["ids"]
    ms = [m for m in mentions if m["text"] == "MS"]
    assert ms
    assert all("MONDO:0005301" in m["ids"] for m in ms)


def test_a_missing_file_is_one_error_line_and_others_still_print(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    note = tmp_path / "note.txt"
    note.write_text("Oligodendrocytes make myelin in the central nervous system.\n")
    result = CliRunner().invoke(main, ["annotate", str(tmp_path / "absent.txt"), str(note)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"error: {tmp_path / 'absent.txt'}")
    found = [json.loads(line) for line in lines[1:]]
    assert {"cell_type", "anatomy"} <= {m["type"] for m in found}
