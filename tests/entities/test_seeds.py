"""The seed articles: every "must" entity of seeds-expected.md, nothing from page furniture."""

from pathlib import Path

import pytest

from pipelines.entities import Matcher, Mention, load_matcher

HERE = Path(__file__).parent / "fixtures"


def rows(name: str) -> list[list[str]]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def matcher(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    return load_matcher(shared / "ontologies", tmp_path_factory.mktemp("matcher-cache"))


@pytest.fixture(scope="module")
def seeds(shared: Path, matcher: Matcher) -> dict[str, tuple[str, list[Mention]]]:
    out = {}
    for path in sorted((shared / "corpus" / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.name[:3]] = (text, matcher.annotate(text))
    return out


@pytest.mark.shared
@pytest.mark.slow
def test_every_must_entity_is_found_with_its_identifiers(
    seeds: dict[str, tuple[str, list[Mention]]],
) -> None:
    missing = []
    for seed, surface, etype, ids in rows("seeds-must.tsv"):
        wanted = set(ids.split("|"))
        mentions = seeds[seed][1]
        if not any(
            m.text.lower() == surface.lower() and m.type == etype and wanted <= set(m.ids)
            for m in mentions
        ):
            near = sorted({(m.text, m.ids) for m in mentions if m.text.lower() == surface.lower()})
            missing.append(f"{seed} {surface!r} {etype} {sorted(wanted)}; got {near}")
    assert not missing, "\n".join(missing)


@pytest.mark.shared
@pytest.mark.slow
def test_ms_means_multiple_sclerosis_in_every_seed(
    seeds: dict[str, tuple[str, list[Mention]]],
) -> None:
    for seed, (_, mentions) in seeds.items():
        ms = [m for m in mentions if m.text == "MS"]
        assert ms, seed
        assert {m.ids[0] for m in ms} == {"MONDO:0005301"}, seed


@pytest.mark.shared
@pytest.mark.slow
def test_nothing_is_found_on_page_furniture(seeds: dict[str, tuple[str, list[Mention]]]) -> None:
    wrong = []
    for seed, line in rows("seeds-furniture.tsv"):
        text, mentions = seeds[seed]
        at = text.find(line)
        assert at >= 0, f"{seed}: furniture line not in the text: {line!r}"
        wrong += [
            f"{seed}: {m.text!r} in {line!r}" for m in mentions if at <= m.start < at + len(line)
        ]
    assert not wrong, "\n".join(wrong)
