"""What every document loader shares: the interface and the checks on raw bytes."""

from dataclasses import dataclass
from typing import Protocol

from pipelines.errors import InputError
from pipelines.ids import sha256_hex
from pipelines.records import Document


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a loader extracts from decoded content."""

    text: str
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()


class Loader(Protocol):
    """One module per input format, each behind this interface."""

    media_type: str
    suffixes: tuple[str, ...]

    def parse(self, data: bytes, source: str) -> Parsed:
        """Turn raw bytes into text and metadata; raise InputError on unusable content."""
        ...


# Bytes that never appear in text files; a NUL is the classic sign of a binary file.
_CONTROL = {b for b in range(32) if b not in (9, 10, 12, 13)} | {127}
_SNIFF = 8192


def check_text_bytes(data: bytes, source: str) -> None:
    """Raise InputError if `data` is empty or looks binary."""
    if not data.strip():
        raise InputError(source, "empty file")
    head = data[:_SNIFF]
    if b"\x00" in head:
        raise InputError(source, "binary file (contains NUL bytes), not text")
    controls = sum(1 for b in head if b in _CONTROL)
    if controls > len(head) // 100 + 2:
        raise InputError(source, f"binary file ({controls} control bytes in the first {len(head)})")


def decode_utf8(data: bytes, source: str) -> str:
    """Decode UTF-8 (a BOM is dropped) or raise InputError naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            source, f"not UTF-8 text (byte 0x{bad} at offset {exc.start} cannot be decoded)"
        ) from None


def to_document(parsed: Parsed, data: bytes, shown: str, source: str, media_type: str) -> Document:
    """The Document for `parsed`; `shown` names the input in errors, `source` is its IRI."""
    if not parsed.text.strip():
        raise InputError(shown, "no text content")
    return Document(
        text=parsed.text,
        source=source,
        sha256=sha256_hex(data),
        byte_size=len(data),
        media_type=media_type,
        title=parsed.title,
        publisher=parsed.publisher,
        authors=parsed.authors,
    )
