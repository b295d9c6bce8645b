"""Sentences with offsets: blocks from line structure first, then syntok within each block.

Web text keeps headings, list items and page lines on lines of their own with no final
full stop; syntok alone would run them into the next sentence. So a line break ends a
block when the line ends a sentence, the next line is blank or a list item, or the line is
short and the next one starts a new capitalised line (a heading). Soft-wrapped paragraphs
(long lines ending mid-sentence) stay one block.
"""

import re
from collections.abc import Iterator

from syntok import segmenter  # type: ignore[import-untyped]

from pipelines.claims.records import Sentence

_LIST_ITEM = re.compile(r"\s*(?:[-*•‣◦▪–]|\d{1,3}[.)])\s+")
_ENDS_SENTENCE = re.compile(r"[.!?:;]['\"’”)\]]*\s*$")
# Lines shorter than this that end without punctuation are headings or page lines.
_HEADING_WIDTH = 90


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.splitlines(keepends=True):
        end = start + len(line.rstrip("\r\n"))
        yield start, end
        start += len(line)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of runs of lines that belong to one paragraph."""
    lines = list(_lines(text))
    block_start: int | None = None
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line.strip():
            if block_start is not None:
                yield block_start, lines[i - 1][1]
                block_start = None
            continue
        if block_start is None:
            block_start = start
        nxt = text[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else ""
        if (
            not nxt.strip()
            or _ENDS_SENTENCE.search(line)
            or _LIST_ITEM.match(nxt)
            or (len(line.strip()) < _HEADING_WIDTH and nxt.lstrip()[:1].isupper())
        ):
            yield block_start, end
            block_start = None
    if block_start is not None:
        yield block_start, lines[-1][1]


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of `text`, in order, with `text[s.start:s.end] == s.text`.

    >>> [s.text for s in split_sentences("Smith et al. found 2.5 mg works. MS may relapse.")]
    ['Smith et al. found 2.5 mg works.', 'MS may relapse.']
    >>> [s.text for s in split_sentences("Heading\\nBody text here.")]
    ['Heading', 'Body text here.']
    """
    found: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        for paragraph in segmenter.analyze(block):
            for tokens in paragraph:
                if not tokens:
                    continue
                first, last = tokens[0], tokens[-1]
                start = block_start + first.offset
                end = block_start + last.offset + len(last.value)
                # syntok may start a sentence with a list bullet; keep it out of the claim text.
                bullet = _LIST_ITEM.match(text, start, end)
                if bullet and bullet.end() < end:
                    start = bullet.end()
                found.append(Sentence(start, end, text[start:end]))
    return found
