"""Markdown documents. The text is kept as written, so offsets point into the file's own text."""

import re

from pipelines.documents.base import Parsed, check_text_bytes, decode_utf8
from pipelines.documents.titles import guess_title

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SETEXT_H1 = re.compile(r"^(?P<title>[^\n]+)\n=+[ \t]*$", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---\n(?P<body>.*?)\n---\n", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:\s*[\"']?(?P<title>.+?)[\"']?\s*$", re.MULTILINE)
_INLINE_MARKUP = re.compile(r"[*_`]+|\[([^\]]*)\]\([^)]*\)")


def _plain(heading: str) -> str:
    return _INLINE_MARKUP.sub(lambda m: m.group(1) or "", heading).strip()


def markdown_title(text: str) -> str | None:
    front = _FRONT_MATTER.match(text)
    if front:
        found = _FRONT_TITLE.search(front.group("body"))
        if found:
            return found.group("title").strip()
    headings = [(len(m.group(1)), m.start(), m.group(2)) for m in _ATX_HEADING.finditer(text)]
    headings += [(1, m.start(), m.group("title")) for m in _SETEXT_H1.finditer(text)]
    if headings:
        # The highest-level heading, the first of its level.
        _, _, heading = min(headings)
        return _plain(heading) or None
    return guess_title(text)


class MarkdownLoader:
    media_type: str = "text/markdown"
    suffixes: tuple[str, ...] = (".md", ".markdown")

    def parse(self, data: bytes, source: str) -> Parsed:
        check_text_bytes(data, source)
        text = decode_utf8(data, source)
        return Parsed(text=text, title=markdown_title(text))
