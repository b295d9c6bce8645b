"""Typed records passed between stages. Raw dicts live only inside parsers."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Document:
    """A text read from one source, ready for the later stages.

    `text` is the text as read (decoded, not normalised further), so every
    character offset a later stage records counts into this exact string.
    """

    text: str
    source: str  # IRI of where it was read from (file: or http(s):)
    sha256: str  # of the bytes read, lower-case hex
    byte_size: int
    media_type: str
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """One run of litkg over its inputs, as its provenance records it."""

    iri: str
    agent_iri: str
    tool_version: str
    started_at: str  # xsd:dateTime, UTC, e.g. 2026-11-21T10:00:00Z
    inputs: tuple[str, ...]  # IRIs of the inputs as given (file: or http(s):)
    ended_at: str | None = None
    added: int | None = None
    skipped: int | None = None
    failed: int | None = None
