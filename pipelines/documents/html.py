"""HTML documents: visible text of the page, with page chrome dropped.

Blocks (paragraphs, headings, list items, table cells) become paragraphs
separated by blank lines, so later stages see the same shape as in plain text.
"""

import re

import lxml.html
from lxml import etree

from pipelines.documents.base import Parsed, check_text_bytes
from pipelines.errors import InputError

# Elements that carry no article content at all.
_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "form",
        "button",
        "select",
        "nav",
        "header",
        "footer",
        "aside",
        "head",
        "object",
        "canvas",
    }
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "figcaption",
        "figure",
        "address",
        "hr",
        "br",
        "body",
    }
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _walk(el: etree._Element, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag.lower() in _DROP or el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        if el.tail:
            out.append(el.tail)
        return
    block = tag.lower() in _BLOCKS
    if block:
        out.append("\n\n")
    if el.text and isinstance(el.tag, str):
        out.append(el.text)
    for child in el:
        _walk(child, out)
    if block:
        out.append("\n\n")
    if el.tail:
        out.append(el.tail)


def _normalise(raw: str) -> str:
    lines = [_SPACES.sub(" ", ln).strip() for ln in raw.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"


def _meta(root: etree._Element, *names: str) -> str | None:
    for name in names:
        for el in root.iter("meta"):
            key = (el.get("name") or el.get("property") or "").lower()
            if key == name and (el.get("content") or "").strip():
                return (el.get("content") or "").strip()
    return None


class HtmlLoader:
    media_type: str = "text/html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")

    def parse(self, data: bytes, source: str) -> Parsed:
        check_text_bytes(data, source)
        try:
            root = lxml.html.document_fromstring(data)
        except (etree.ParserError, ValueError) as exc:
            raise InputError(source, f"unreadable HTML ({exc})") from None
        title = _meta(root, "og:title", "citation_title")
        for path in (".//title", ".//h1"):
            if title is None:
                el = root.find(path)
                title = (
                    ("".join(str(t) for t in el.itertext()).strip() or None)
                    if el is not None
                    else None
                )
        body = root.find("body")
        out: list[str] = []
        _walk(body if body is not None else root, out)
        authors = _meta(root, "author", "citation_author")
        return Parsed(
            text=_normalise("".join(out)),
            title=_SPACES.sub(" ", title) if title else None,
            publisher=_meta(root, "og:site_name", "citation_publisher", "publisher"),
            authors=(authors,) if authors else (),
        )
