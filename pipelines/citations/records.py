"""Records of the citations stage: references, identifiers and inline citation markers.

Spans are (start, end) character offsets into `Document.text`, end exclusive.
"""

from dataclasses import dataclass, field
from typing import Literal

Span = tuple[int, int]
# (family name, given names or initials as printed, "" when none); a group author has no given.
Author = tuple[str, str]

IdentifierKind = Literal["doi", "pmid", "pmcid", "nct", "url"]
MarkerKind = Literal["numeric", "range", "superscript", "author_year"]
Style = Literal["vancouver", "ama", "apa", "harvard", "mla", "chicago", "nature", "unknown"]


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier printed in a text: normalised value and where it was found."""

    kind: IdentifierKind
    value: str  # doi lower-case without resolver prefix; pmid digits; pmcid "PMC123"; nct "NCT…"
    span: Span  # of the identifier as printed, resolver prefix and URL included


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a reference list (or a lone reference-like line), raw and parsed.

    Missing fields are None or empty. `confidence` is the parser's overall belief in its
    segmentation (0..1); `field_confidence` gives it per field as (name, value) pairs.
    """

    raw: str
    span: Span | None = None
    position: int = 0  # 0-based index in the document's reference list
    number: int | None = None  # the label printed before the entry ("12." -> 12)
    authors: tuple[Author, ...] = ()
    et_al: bool = False
    year: int | None = None
    title: str | None = None
    container: str | None = None  # journal, book or proceedings the work appeared in
    volume: str | None = None
    issue: str | None = None
    pages: tuple[str, str | None] | None = None  # (first, last); last None for a single page
    article_number: str | None = None  # e-location such as 164608 or e1000123
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    nct_ids: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    style: Style = "unknown"
    confidence: float = 0.0
    field_confidence: tuple[tuple[str, float], ...] = field(default=())

    @property
    def first_author(self) -> str | None:
        return self.authors[0][0] if self.authors else None


@dataclass(frozen=True, slots=True)
class CitationMarker:
    """An inline pointer to references: "[3]", "[1-4]", "¹²", "(Smith et al., 2019)"."""

    span: Span
    text: str
    kind: MarkerKind
    numbers: tuple[int, ...] = ()  # reference numbers, ranges expanded
    cites: tuple[tuple[str, str], ...] = ()  # (first author family name, year as printed)
    references: tuple[int, ...] = ()  # positions of the linked references, when known


@dataclass(frozen=True, slots=True)
class Citations:
    """What the citations stage found in one text."""

    references: tuple[Reference, ...] = ()
    markers: tuple[CitationMarker, ...] = ()
    sections: tuple[Span, ...] = ()  # spans of the reference sections found (heading included)
