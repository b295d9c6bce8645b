"""Resolution of parsed references against a paper index, verified locally into a score."""

from dataclasses import replace

import pytest

from pipelines.citations.parse import parse_reference
from pipelines.citations.resolve import resolve, score, title_similarity
from pipelines.pubmed.records import Author, Journal, Pagination, Paper, PubDate

WITHERICK = Paper(
    pmid="21197107",
    doi="10.4061/2011/164608",
    title="Mechanisms of oxidative damage in multiple sclerosis and a cell therapy approach "
    "to treatment.",
    authors=tuple(Author(last_name=n) for n in ("Witherick", "Wilkins", "Scolding", "Kemp")),
    journal=Journal(title="Autoimmune diseases", iso_abbreviation="Autoimmune Dis"),
    volume="2011",
    pagination=Pagination(medline_pgn="164608"),
    pub_date=PubDate(year=2010, month=12, day=15),
)
OTHER = Paper(
    pmid="1000",
    title="Oxidative stress in the ageing brain.",
    authors=(Author(last_name="Smith"),),
    journal=Journal(title="Brain"),
    pub_date=PubDate(year=2010),
)
APA = (
    "Witherick, J., Wilkins, A., Scolding, N., & Kemp, K. (2010). Mechanisms of oxidative "
    "damage in multiple sclerosis and a cell therapy approach to treatment. Autoimmune "
    "diseases, 2011, 164608."
)


class Index:
    """A paper index over a few records: every paper is a candidate, scoring decides."""

    def __init__(self, *papers: Paper) -> None:
        self.papers = {p.pmid: p for p in papers}

    def by_pmid(self, pmid: str) -> Paper | None:
        return self.papers.get(pmid)

    def by_doi(self, doi: str) -> Paper | None:
        return next((p for p in self.papers.values() if p.doi == doi.lower()), None)

    def by_pmcid(self, pmcid: str) -> Paper | None:
        return next((p for p in self.papers.values() if p.pmcid == pmcid), None)

    def candidates(self, **_fields: object) -> list[Paper]:
        return list(self.papers.values())


def test_title_similarity_ignores_case_accents_and_punctuation() -> None:
    assert title_similarity("Études: a TEST.", "etudes a test") == 1.0
    assert title_similarity("a b c d", "w x y z") < 0.3


def test_an_apa_reference_resolves_from_title_and_authors_alone() -> None:
    result = resolve(parse_reference(APA), Index(WITHERICK, OTHER))
    assert result.status == "resolved"
    assert result.pmid == "21197107"
    assert result.method == "search"
    assert result.score > 0.9
    assert any(e.startswith("title") for e in result.evidence)
    assert result.candidates[0][0] == "21197107"


def test_a_typo_and_a_missing_author_still_resolve() -> None:
    damaged = APA.replace("oxidative damage", "oxidativ damage").replace("Kemp, K.", "")
    result = resolve(parse_reference(damaged), Index(WITHERICK, OTHER))
    assert (result.status, result.pmid) == ("resolved", "21197107")


def test_a_printed_pmid_wins_and_is_checked_against_the_title() -> None:
    ref = parse_reference(APA + " PMID: 21197107.")
    result = resolve(ref, Index(WITHERICK, OTHER))
    assert (result.status, result.pmid, result.method) == ("resolved", "21197107", "pmid")
    wrong = parse_reference(APA + " PMID: 1000.")
    flagged = resolve(wrong, Index(WITHERICK, OTHER))
    assert flagged.status == "conflict"
    assert flagged.reason is not None
    assert "do not match" in flagged.reason


def test_two_equally_good_candidates_are_ambiguous() -> None:
    twin = replace(WITHERICK, pmid="21197108")
    result = resolve(parse_reference(APA), Index(WITHERICK, twin))
    assert result.status == "ambiguous"
    assert {pmid for pmid, _ in result.candidates} == {"21197107", "21197108"}


@pytest.mark.parametrize("text", ["Smith J. 2010.", "Anonymous. Unpublished notes."])
def test_too_little_printed_is_unresolved_with_a_reason(text: str) -> None:
    result = resolve(parse_reference(text), Index(WITHERICK, OTHER))
    assert result.status == "unresolved"
    assert result.reason


def test_a_year_alone_never_scores_high() -> None:
    ref = parse_reference("Smith J. 2010.")
    assert score(ref, WITHERICK)[0] < 0.5
