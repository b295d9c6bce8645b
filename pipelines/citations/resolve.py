"""Resolving a parsed reference to a PubMed record, most certain evidence first.

1. Printed identifiers (PMID, DOI, PMCID) are looked up, then checked against the printed
   title and authors: an identifier that contradicts them is flagged, not trusted.
2. Otherwise candidates are gathered by title words, first author, year, journal, volume
   and page, and each is verified locally into a score (title similarity, author overlap,
   year within one, journal, volume, pages). The best is accepted when it scores well and
   clearly beats the runner-up; close calls are reported as ambiguous with the candidates.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from rapidfuzz import fuzz

from pipelines.citations.records import Reference
from pipelines.pubmed.mirror import normalize_text
from pipelines.pubmed.records import Paper

Status = Literal["resolved", "ambiguous", "unresolved", "conflict"]

ACCEPT = 0.75  # score a candidate needs to be taken
MARGIN = 0.10  # lead it needs over the runner-up
CONTRADICTION = 0.45  # below this, a printed identifier's paper is not the one described
RESOLVER_VERSION = "1"


class PaperIndex(Protocol):
    """What resolution needs from a paper source (a local mirror, or a client with a cache)."""

    def by_pmid(self, pmid: str) -> Paper | None: ...

    def by_doi(self, doi: str) -> Paper | None: ...

    def by_pmcid(self, pmcid: str) -> Paper | None: ...

    def candidates(
        self,
        title: str | None = None,
        first_author: str | None = None,
        year: int | None = None,
        journal: str | None = None,
        volume: str | None = None,
        first_page: str | None = None,
        limit: int = 20,
    ) -> list[Paper]: ...


@dataclass(frozen=True, slots=True)
class Resolution:
    status: Status
    pmid: str | None = None
    score: float = 0.0
    method: str | None = None  # "pmid", "doi", "pmcid" or "search"
    evidence: tuple[str, ...] = ()  # why the match was accepted, one reason per entry
    candidates: tuple[tuple[str, float], ...] = ()  # (PMID, score), best first
    reason: str | None = None  # why it is unresolved, ambiguous or a conflict


# Titles, names and journals are compared in the form the mirror indexes them.
_fold = normalize_text


def title_similarity(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    fa, fb = _fold(a), _fold(b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    words_a, words_b = set(fa.split()), set(fb.split())
    overlap = len(words_a & words_b) / max(len(words_a), len(words_b))
    # Spaces would match between any two titles; compare the letters alone.
    chars = fuzz.ratio(fa.replace(" ", ""), fb.replace(" ", "")) / 100.0
    return max(overlap, chars)


def _author_overlap(ref: Reference, paper: Paper) -> float | None:
    printed = {_fold(family) for family, _ in ref.authors if family}
    if not printed:
        return None
    recorded = {_fold(a.last_name or a.collective_name or "") for a in paper.authors}
    recorded.discard("")
    if not recorded:
        return None
    hits = len(printed & recorded)
    first_ok = (
        bool(ref.first_author)
        and paper.authors
        and _fold(ref.first_author or "") == _fold(paper.authors[0].last_name or "")
    )
    return min(1.0, hits / len(printed) * 0.8 + (0.2 if first_ok else 0.0))


_STOP = {"and", "of", "the", "for", "in", "on", "de", "la", "le", "des", "und", "der"}


def _abbreviates(short: str, full: str) -> bool:
    """True when each word of `short` begins a successive word of `full` (ISO abbreviations:
    "Clin Exp Immunol" for "Clinical and experimental immunology")."""
    words = [w for w in full.split() if w not in _STOP]
    parts = [w for w in short.split() if w not in _STOP]
    if not parts or len(parts) > len(words):
        return False
    position = 0
    for part in parts:
        while position < len(words) and not words[position].startswith(part):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def _journal_match(ref: Reference, paper: Paper) -> float | None:
    if not ref.container or paper.journal is None:
        return None
    printed = _fold(ref.container)
    names = [paper.journal.title, paper.journal.iso_abbreviation, paper.journal.medline_ta]
    known = [_fold(n) for n in names if n]
    if not known or not printed:
        return None
    if printed in known:
        return 1.0
    if any(_abbreviates(printed, k) or _abbreviates(k, printed) for k in known):
        return 0.9
    return 0.0


def _year_match(ref: Reference, paper: Paper) -> float | None:
    if ref.year is None or paper.year is None:
        return None
    gap = abs(ref.year - paper.year)
    # Printed years are often the e-publication year, one off the year.
    return 1.0 if gap == 0 else 0.7 if gap == 1 else 0.0


def _pages_match(ref: Reference, paper: Paper) -> float | None:
    printed = ref.article_number or (ref.pages[0] if ref.pages else None)
    recorded = paper.pagination.first_page if paper.pagination else None
    elocations = {e.value for e in paper.elocation_ids}
    if printed is None or (recorded is None and not elocations):
        return None
    return 1.0 if printed == recorded or printed in elocations else 0.0


def _volume_match(ref: Reference, paper: Paper) -> float | None:
    if not ref.volume or not paper.volume:
        return None
    return 1.0 if ref.volume.strip() == paper.volume.strip() else 0.0


# field -> weight in the score; a field missing on either side does not count.
_WEIGHTS = {
    "title": 0.5,
    "authors": 0.2,
    "year": 0.1,
    "journal": 0.1,
    "volume": 0.05,
    "pages": 0.05,
}


def score(ref: Reference, paper: Paper) -> tuple[float, tuple[str, ...]]:
    """How well `paper` matches what `ref` prints (0..1), and the evidence, field by field."""
    parts: dict[str, float | None] = {
        "title": title_similarity(ref.title, paper.title) if ref.title else None,
        "authors": _author_overlap(ref, paper),
        "year": _year_match(ref, paper),
        "journal": _journal_match(ref, paper),
        "volume": _volume_match(ref, paper),
        "pages": _pages_match(ref, paper),
    }
    known = {k: v for k, v in parts.items() if v is not None}
    if not known:
        return 0.0, ()
    weight = sum(_WEIGHTS[k] for k in known)
    total = sum(_WEIGHTS[k] * v for k, v in known.items()) / weight
    # Little printed means little certainty: a year alone must not resolve anything.
    coverage = min(1.0, weight / 0.6)
    evidence = tuple(f"{k} {v:.2f}" for k, v in known.items())
    return round(total * coverage, 4), evidence


def _by_identifier(ref: Reference, index: PaperIndex) -> Resolution | None:
    for method, value, lookup in (
        ("pmid", ref.pmid, index.by_pmid),
        ("doi", ref.doi, index.by_doi),
        ("pmcid", ref.pmcid, index.by_pmcid),
    ):
        if not value:
            continue
        paper = lookup(value)
        if paper is None:
            continue
        value_score, evidence = score(ref, paper)
        title = title_similarity(ref.title, paper.title) if ref.title else None
        authors = _author_overlap(ref, paper)
        if title is not None and title < CONTRADICTION and (authors is None or authors < 0.5):
            return Resolution(
                "conflict",
                paper.pmid,
                value_score,
                method,
                evidence,
                ((paper.pmid, value_score),),
                reason=f"printed {method.upper()} {value} is PMID {paper.pmid}, whose title and "
                "authors do not match the reference",
            )
        return Resolution(
            "resolved",
            paper.pmid,
            max(value_score, 0.99),
            method,
            (f"printed {method.upper()} {value}", *evidence),
        )
    return None


def resolve(ref: Reference, index: PaperIndex, *, limit: int = 5) -> Resolution:
    """Resolve one reference against `index`."""
    found = _by_identifier(ref, index)
    if found is not None:
        return found
    if not ref.title and not (ref.first_author and ref.year):
        return Resolution("unresolved", reason="neither a title nor author and year to search by")
    first_page = ref.article_number or (ref.pages[0] if ref.pages else None)
    papers = index.candidates(
        title=ref.title,
        first_author=ref.first_author,
        year=ref.year,
        journal=ref.container,
        volume=ref.volume,
        first_page=first_page,
        limit=limit,
    )
    ranked = sorted(((score(ref, p), p.pmid) for p in papers), key=lambda x: (-x[0][0], x[1]))
    scored: Sequence[tuple[str, float]] = [(pmid, s) for (s, _), pmid in ranked]
    if not ranked:
        return Resolution("unresolved", reason="no candidate found")
    (best, evidence), best_pmid = ranked[0]
    runner_up = ranked[1][0][0] if len(ranked) > 1 else 0.0
    top = tuple(scored[:5])
    if best < ACCEPT:
        return Resolution(
            "unresolved",
            score=best,
            method="search",
            candidates=top,
            reason=f"best candidate PMID {best_pmid} scores {best:.2f} < {ACCEPT}",
        )
    if best - runner_up < MARGIN:
        return Resolution(
            "ambiguous",
            score=best,
            method="search",
            candidates=top,
            reason=f"{len([s for _, s in scored if best - s < MARGIN])} candidates "
            f"score within {MARGIN} of {best:.2f}",
        )
    return Resolution("resolved", best_pmid, best, "search", evidence, top)
