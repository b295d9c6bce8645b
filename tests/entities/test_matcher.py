"""The matcher on a tiny dictionary: grounding, longest match, short forms, context, cache."""

from pathlib import Path

import pytest

from ontologies.sources import LexiconSource, MeshSource, OboSource, TermSource
from pipelines.entities import Matcher, Mention, build_matcher, load_matcher
from pipelines.entities import cache as cache_module

HERE = Path(__file__).parent / "fixtures"
BLOCKED = frozenset({"condition", "lead"})


def sources() -> list[TermSource]:
    return [
        LexiconSource([HERE / "tiny-lexicon.tsv"]),
        OboSource("mondo", HERE / "tiny.obo"),
        MeshSource(HERE / "tiny-mesh.tsv"),
    ]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return build_matcher(sources(), [HERE / "tiny-mondo-mesh.sssom.tsv"], BLOCKED)


def found(matcher: Matcher, text: str) -> list[tuple[str, str, str]]:
    mentions = matcher.annotate(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.type, m.ids[0]) for m in mentions]


def test_a_concept_carries_its_crosswalked_identifiers(matcher: Matcher) -> None:
    (mention,) = matcher.annotate("Disseminated sclerosis.")
    assert isinstance(mention, Mention)
    assert mention.ids == ("MONDO:0005301", "DOID:2377", "MESH:D009103")
    assert mention.type == "disease"
    assert mention.label == "multiple sclerosis"
    assert mention.matcher_version == matcher.version


def test_longest_match_wins_and_spellings_vary(matcher: Matcher) -> None:
    text = "Relapsing-remitting multiple sclerosis; tumours and Corticosteroids."
    assert found(matcher, text) == [
        ("Relapsing-remitting multiple sclerosis", "disease", "MONDO:0005314"),
        ("tumours", "disease", "MESH:D009369"),
        ("Corticosteroids", "drug", "MESH:D000305"),
    ]


def test_a_definition_binds_its_short_form_in_the_document(matcher: Matcher) -> None:
    text = "Multiple sclerosis (MS) is chronic. In MS, and in MSs, myelin is lost."
    ms = [m for m in matcher.annotate(text) if m.text.startswith("MS")]
    assert [m.text for m in ms] == ["MS", "MS", "MSs"]
    assert all(m.ids[0] == "MONDO:0005301" and m.how == "abbreviation" for m in ms)


def test_a_short_form_defined_as_something_else_is_not_linked(matcher: Matcher) -> None:
    text = "Multiple sclerosis samples; mass spectrometry (MS) of the sera. MS peaks."
    assert [m.text for m in matcher.annotate(text)] == ["Multiple sclerosis"]


def test_an_undefined_ambiguous_short_form_is_not_matched(matcher: Matcher) -> None:
    assert found(matcher, "MS is common. SLE too. ms and sle in lower case.") == []


def test_a_short_form_of_a_concept_the_document_names_in_full_is_matched(
    matcher: Matcher,
) -> None:
    text = "Systemic lupus erythematosus is rare. SLE flares."
    assert found(matcher, text)[-1] == ("SLE", "disease", "MONDO:0007915")


def test_context_drops_ms_as_mass_spectrometry(matcher: Matcher) -> None:
    text = "Multiple sclerosis sera were run by LC-MS/MS; MS peaks at m/z 400."
    assert [m.text for m in matcher.annotate(text)] == ["Multiple sclerosis"]


def test_lexicon_phrasings_and_unambiguous_lexicon_short_forms(matcher: Matcher) -> None:
    text = "MSCT may reset the immune system; immunomodulatory effects."
    assert found(matcher, text) == [
        ("MSCT", "intervention", "MESH:D045164"),
        ("reset the immune system", "mechanism", "MESH:D056747"),
        ("immunomodulatory", "mechanism", "MESH:D056747"),
    ]


def test_blocklisted_common_words_and_partial_words_are_not_matched(matcher: Matcher) -> None:
    assert found(matcher, "The condition; lead and leads; tumorigenesis; cancerous.") == []


def test_lookup_resolves_whole_names(matcher: Matcher) -> None:
    concept = matcher.lookup("Multiple Sclerosis")
    assert concept is not None
    assert concept.ids[0] == "MONDO:0005301"
    assert matcher.lookup("nothing like it") is None


def test_the_cache_is_reused_and_keyed_by_what_built_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sssom = [HERE / "tiny-mondo-mesh.sssom.tsv"]
    first = load_matcher(None, tmp_path, sources=sources(), sssom=sssom, blocklist=BLOCKED)
    assert len(list(tmp_path.glob("matcher-*.pickle"))) == 1

    def no_build(*args: object) -> Matcher:
        raise AssertionError("should have come from the cache")

    monkeypatch.setattr(cache_module, "build_matcher", no_build)
    cache_module.forget_loaded_matchers()  # read the file, not the process's memo
    again = load_matcher(None, tmp_path, sources=sources(), sssom=sssom, blocklist=BLOCKED)
    text = "Multiple sclerosis (MS); tumours."
    assert again.annotate(text) == first.annotate(text)
    monkeypatch.undo()
    load_matcher(None, tmp_path, sources=sources(), sssom=sssom, blocklist=frozenset())
    assert len(list(tmp_path.glob("matcher-*.pickle"))) == 2
