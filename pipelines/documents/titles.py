"""Guessing a title from the first lines of a text that has no markup for one."""

import re

_SENTENCE_END = re.compile(r"[.!:;,]$")
# Alt text of images saved with a page ("Acme Clinic logo", "Image credit: ...")
# is page furniture, not a title.
_IMAGE_LINE = re.compile(r"(\blogo|\bicon|\bbanner)$|^image (credit|source)\b", re.IGNORECASE)
_MAX_TITLE_CHARS = 200
_LOOK_AT_LINES = 3


def _heading_like(line: str) -> bool:
    words = line.split()
    return (
        0 < len(line) <= _MAX_TITLE_CHARS
        and len(words) <= 25
        and not _SENTENCE_END.search(line)
        and not _IMAGE_LINE.search(line)
    )


def guess_title(text: str) -> str | None:
    """The first heading-like line among the first few non-blank lines, if any.

    A line of four words or more wins over a shorter one (a short first line is
    often a section label such as "Stem Cell Research").
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:_LOOK_AT_LINES]
    candidates = [ln for ln in lines if _heading_like(ln)]
    for line in candidates:
        if len(line.split()) >= 4:
            return line
    return candidates[0] if candidates else None
