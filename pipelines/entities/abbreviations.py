"""Abbreviations a document defines: "long form (SF)" binds SF in that document.

The pairing follows the well-known idea of walking the short form's characters backwards
through the words before the parenthesis, the first character starting a word; the code is
ours. Pure functions over the text; nothing is looked up here.
"""

import re
from dataclasses import dataclass

_PAREN = re.compile(r"\(\s*([^()\n]{1,14}?)\s*[)]")
_STOP = re.compile(r"[.;:!?\n\[\]()]")


@dataclass(frozen=True, slots=True)
class Definition:
    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def _plausible_short(short: str) -> bool:
    if not 2 <= len(short) <= 10 or not short[0].isalnum() or len(short.split()) > 2:
        return False
    if not any(c.isalpha() for c in short):
        return False
    # A lower-case word in parentheses is a gloss ("(see below)"), not an abbreviation.
    return any(c.isupper() for c in short) or any(c.isdigit() for c in short)


def _find_long(short: str, before: str) -> int | None:
    """Start offset in `before` of the long form whose letters spell `short`, or None."""
    letters = [c.lower() for c in short if c.isalnum()]
    if letters and short.endswith("s") and len(letters) > 2 and short[:-1].isupper():
        letters = letters[:-1]  # "MSCs": the plural s is not in the long form
    i = len(before) - 1
    for position in range(len(letters) - 1, -1, -1):
        wanted = letters[position]
        while i >= 0:
            c = before[i].lower()
            at_word_start = i == 0 or not before[i - 1].isalnum()
            if c == wanted and (position > 0 or at_word_start):
                break
            i -= 1
        if i < 0:
            return None
        i -= 1
    start = i + 1
    while start > 0 and before[start - 1].isalnum():
        start -= 1
    return start


def find_definitions(text: str) -> list[Definition]:
    """Every "long form (SF)" pair in `text`.

    >>> d = find_definitions("patients with multiple sclerosis (MS) and MS-like signs")
    >>> (d[0].short, d[0].long)
    ('MS', 'multiple sclerosis')
    >>> [x.long for x in find_definitions("mesenchymal stem cells (MSCs) were used")]
    ['mesenchymal stem cells']
    """
    found: list[Definition] = []
    for match in _PAREN.finditer(text):
        short = match.group(1).strip()
        if not _plausible_short(short):
            continue
        window_start = max(0, match.start() - 120)
        before = text[window_start : match.start()]
        # The long form cannot reach back over a sentence or clause boundary.
        stops = [m.end() for m in _STOP.finditer(before)]
        if stops:
            window_start += stops[-1]
            before = text[window_start : match.start()]
        trimmed = before.rstrip()
        start = _find_long(short, trimmed)
        if start is None:
            continue
        long = trimmed[start:]
        words = len(long.split())
        letters = sum(c.isalnum() for c in short)
        if words > min(letters + 5, letters * 2) or len(long) <= len(short):
            continue
        found.append(
            Definition(
                short=short,
                long=long,
                short_start=match.start(1),
                short_end=match.start(1) + len(short),
                long_start=window_start + start,
                long_end=window_start + len(trimmed),
            )
        )
    return found
