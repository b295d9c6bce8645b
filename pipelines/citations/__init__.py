"""Citations: references and their identifiers, reference parsing, inline citation markers."""

from pipelines.citations.extract import extract_citations, find_markers, split_entries
from pipelines.citations.identifiers import find_identifiers, normalize_doi
from pipelines.citations.parse import parse_reference
from pipelines.citations.records import (
    Author,
    CitationMarker,
    Citations,
    Identifier,
    Reference,
    Span,
)

__all__ = [
    "Author",
    "CitationMarker",
    "Citations",
    "Identifier",
    "Reference",
    "Span",
    "extract_citations",
    "find_identifiers",
    "find_markers",
    "normalize_doi",
    "parse_reference",
    "split_entries",
]
