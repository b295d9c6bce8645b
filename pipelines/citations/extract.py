"""Find references and inline citation markers in a document's text, with spans.

Three passes, each linear in the text: reference sections under a heading ("References",
"Bibliography", "Works Cited", ...) are split into entries; outside them, lines that parse as a
complete reference (or are a bare identifier) are taken as lone references; finally inline
markers ("[3]", "[1-4]", superscripts, "(Smith et al., 2019)") are found outside the references
and linked to them. Prose is never taken for a reference: an entry needs authors, a year, a
title and a place of publication, or a printed identifier.
"""

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace

from pipelines.citations.identifiers import find_identifiers
from pipelines.citations.parse import FAMILY, parse_reference
from pipelines.citations.records import CitationMarker, Citations, Reference, Span

Fence = Callable[[Span], bool]
Linker = Callable[[tuple[int, ...]], tuple[int, ...]]

# Longest line examined as a possible lone reference; longer ones are prose or data.
MAX_REFERENCE_LINE = 2500
# A numbered list this long is real; a range marker wider than this is not a citation.
MAX_RANGE = 200

_HEADINGS = frozenset(
    """references|reference|reference list|references cited|cited references|bibliography
    |works cited|work cited|literature cited|cited literature|literature|sources|source
    |citations|notes and references|references and notes|further reading|selected references
    |sources and references|references and further reading|bibliographie|literatur
    |literaturverzeichnis|referencias|références|références bibliographiques
    |riferimenti bibliografici|bibliografia|bibliografía|scientific references
    |research references|studies cited|sources cited|key references|reading list""".replace(
        "\n", ""
    )
    .replace("    ", "")
    .split("|")
)
_END_HEADINGS = frozenset(
    """acknowledgements|acknowledgments|appendix|about the author|about the authors|comments
    |leave a reply|leave a comment|related posts|related articles|share this|share
    |author information|tags|footnotes|disclaimer|contact us|subscribe|newsletter""".replace(
        "\n", ""
    )
    .replace("    ", "")
    .split("|")
)
_HEADING_DECOR = re.compile(r"^[\s#*_=>|-]*(?:(?:\d{1,2}|[IVX]{1,4})[.)]?\s+)?|[\s#*_:=|-]*$")
_LABEL = re.compile(r"[ \t]*(?:\[(\d{1,5})\]|\((\d{1,5})\)|(\d{1,5})[.)])[ \t]+(?=\S)")
_BULLET = re.compile(r"[ \t]*[-*•·‣◦▪–][ \t]+(?=\S)")
_RUN_LABEL = re.compile(r"(?:^|(?<=\s))(?:\[(\d{1,5})\]|(\d{1,5})\.)(?=\s+\S)")
_YEAR = re.compile(r"(?<!\d)(?:1[6-9]\d\d|20\d\d)(?!\d)")
_LINE = re.compile(r"[^\n]*\n?")


def extract_citations(text: str) -> Citations:
    """References (sections, lists and lone reference lines) and inline markers in `text`."""
    lines = list(_lines(text))
    sections = find_reference_sections(text, lines)
    references: list[Reference] = []
    covered: list[Span] = []
    for start, body_start, end in sections:
        for span, number in split_entries(text, body_start, end):
            ref = _entry(text, span, number, len(references), in_section=True)
            if ref is not None:
                references.append(ref)
        covered.append((start, end))
    for span in find_reference_lines(text, lines, covered):
        ref = _entry(text, span, None, len(references), in_section=False)
        if ref is not None:
            references.append(ref)
            covered.append(span)
    references.sort(key=lambda r: r.span[0] if r.span else 0)
    references = [replace(r, position=i) for i, r in enumerate(references)]
    markers = find_markers(text, references, covered)
    return Citations(
        references=tuple(references),
        markers=tuple(markers),
        sections=tuple((s, e) for s, _, e in sections),
    )


def _lines(text: str) -> Iterator[Span]:
    """(start, end) of each line, newline excluded."""
    for found in _LINE.finditer(text):
        if found.start() == found.end():
            return
        end = found.end()
        while end > found.start() and text[end - 1] in "\r\n":
            end -= 1
        yield found.start(), end


def _heading_text(line: str) -> str:
    if len(line) > 60:
        return ""
    return _HEADING_DECOR.sub("", line).strip().lower()


def find_reference_sections(text: str, lines: list[Span]) -> list[tuple[int, int, int]]:
    """(heading start, body start, end) of each reference section."""
    sections: list[tuple[int, int, int]] = []
    index = 0
    while index < len(lines):
        start, end = lines[index]
        if _heading_text(text[start:end]) not in _HEADINGS:
            index += 1
            continue
        body_start = end
        last_end = end
        entries = 0
        previous_blank = False
        index += 1
        while index < len(lines):
            line_start, line_end = lines[index]
            line = text[line_start:line_end]
            stripped = line.strip()
            if not stripped:
                previous_blank = True
                index += 1
                continue
            heading = _heading_text(line)
            if heading in _END_HEADINGS or heading in _HEADINGS:
                break
            if entries and previous_blank and _looks_like_heading(stripped):
                break
            entries += 1
            last_end = line_end
            previous_blank = False
            index += 1
        if entries:
            sections.append((start, body_start, last_end))
    return sections


def _looks_like_heading(line: str) -> bool:
    """A short line with no year, identifier or label, not ending like a sentence or entry."""
    return (
        len(line) <= 60
        and not _YEAR.search(line)
        and not line.endswith((".", ",", ";"))
        and _LABEL.match(line) is None
        and "http" not in line
        and "doi" not in line.lower()
    )


def split_entries(text: str, start: int, end: int) -> list[tuple[Span, int | None]]:
    """Entries of the reference list in `text[start:end]`: numbered, bulleted, one per
    paragraph or per line, and numbered entries run together on one line."""
    lines = [(s + start, e + start) for s, e in _lines(text[start:end])]
    lines = [(s, e) for s, e in lines if text[s:e].strip()]
    if not lines:
        return []
    labelled = sum(1 for s, _ in lines if _LABEL.match(text, s))
    bulleted = sum(1 for s, _ in lines if _BULLET.match(text, s))
    blocks: list[list[Span]] = []
    if labelled >= max(1, len(lines) // 4) or bulleted >= max(1, len(lines) // 4):
        marker = _LABEL if labelled >= bulleted else _BULLET
        for span in lines:
            if marker.match(text, span[0]) or not blocks:
                blocks.append([span])
            else:
                blocks[-1].append(span)
    else:
        blocks = _paragraph_blocks(text, start, end)
    entries: list[tuple[Span, int | None]] = []
    for block in blocks:
        span = (block[0][0], block[-1][1])
        for piece in _split_run_together(text, span):
            entries.append(piece)
    return entries


def _paragraph_blocks(text: str, start: int, end: int) -> list[list[Span]]:
    """Blank-line separated blocks; a block whose lines each read as a reference is split."""
    blocks: list[list[Span]] = []
    current: list[Span] = []
    for span in _lines(text[start:end]):
        s, e = span[0] + start, span[1] + start
        if not text[s:e].strip():
            if current:
                blocks.append(current)
            current = []
            continue
        current.append((s, e))
    if current:
        blocks.append(current)
    out: list[list[Span]] = []
    for block in blocks:
        starts = [i for i, (s, e) in enumerate(block) if i == 0 or _starts_reference(text[s:e])]
        if len(block) > 1 and len(starts) == len(block):
            out.extend([line] for line in block)
        else:
            out.append(block)
    return out


def _starts_reference(line: str) -> bool:
    head = line[:400]
    return bool(_YEAR.search(head)) and len(head) >= 30 and parse_reference(head).authors != ()


def _split_run_together(text: str, span: Span) -> Iterator[tuple[Span, int | None]]:
    """Cut "1. A ... 2. B ..." on one line at labels that count up by one."""
    start, end = span
    chunk = text[start:end]
    label = _LABEL.match(chunk)
    number = int(next(g for g in label.groups() if g)) if label else None
    cuts: list[tuple[int, int]] = []
    expected = (number or 0) + 1
    if label is not None or len(chunk) > 300:
        for found in _RUN_LABEL.finditer(chunk, label.end() if label else 0):
            value = int(found.group(1) or found.group(2))
            if value == expected and found.start() > 0 and chunk[found.start() - 1] in " \t":
                before = chunk[: found.start()].rstrip()
                if before.endswith((".", "]", ")")) or before[-1:].isdigit():
                    cuts.append((found.start(), value))
                    expected += 1
    if not cuts:
        yield span, number
        return
    previous, previous_number = 0, number
    for cut, value in cuts:
        yield (start + previous, start + len(chunk[:cut].rstrip())), previous_number
        previous, previous_number = cut, value
    yield (start + previous, end), previous_number


def find_reference_lines(text: str, lines: list[Span], excluded: list[Span]) -> list[Span]:
    """Lines outside reference sections that are each a whole reference."""
    found: list[Span] = []
    fences = sorted(excluded)
    fence = 0
    for start, end in lines:
        while fence < len(fences) and fences[fence][1] <= start:
            fence += 1
        if fence < len(fences) and fences[fence][0] <= start < fences[fence][1]:
            continue
        line = text[start:end]
        stripped = line.strip()
        if len(stripped) < 8 or len(stripped) > MAX_REFERENCE_LINE:
            continue
        if _lone_reference(stripped):
            offset = len(line) - len(line.lstrip())
            found.append((start + offset, start + offset + len(stripped)))
    return found


def _lone_reference(line: str) -> bool:
    body = _LABEL.sub("", line, count=1) if _LABEL.match(line) else line
    body = _BULLET.sub("", body, count=1) if _BULLET.match(body) else body
    ids = [i for i in find_identifiers(body) if i.kind in ("doi", "pmid", "pmcid")]
    if ids and _mostly_identifier(body, ids[0].span):
        return True
    if not _YEAR.search(body):
        return False
    ref = parse_reference(body)
    person = any(given for _, given in ref.authors)
    located = bool(ref.container) and bool(ref.volume or ref.pages or ref.article_number)
    return (person and ref.year is not None and bool(ref.title) and located) or (
        bool(ids) and person and ref.year is not None
    )


def _mostly_identifier(line: str, span: Span) -> bool:
    """A line that is an identifier with at most a label or a few words around it."""
    outside = line[: span[0]] + line[span[1] :]
    return len(outside.split()) <= 3


def _entry(
    text: str, span: Span, number: int | None, position: int, *, in_section: bool
) -> Reference | None:
    """The parsed reference at `span`, or None when the entry has no sign of being one."""
    raw = text[span[0] : span[1]]
    label = _LABEL.match(raw) or _BULLET.match(raw)
    if label is not None:
        span = (span[0] + label.end(), span[1])
        raw = text[span[0] : span[1]]
    stripped = raw.rstrip()
    span = (span[0], span[0] + len(stripped))
    if len(stripped) < 8:
        return None
    ref = parse_reference(stripped, span=span, position=position, number=number)
    evidence = ref.year is not None or ref.doi or ref.pmid or ref.pmcid or ref.urls or ref.nct_ids
    if in_section and not evidence:
        return None
    return ref


# --- inline markers -----------------------------------------------------------------------

_BRACKET = re.compile(r"\[(\d{1,4}(?:[ \t]?[-–—,;][ \t]?\d{1,4}){0,40})\]")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT = re.compile(r"(?<=[^\s\d⁰¹²³⁴⁵⁶⁷⁸⁹])([⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,⁻‐–-][⁰¹²³⁴⁵⁶⁷⁸⁹]+){0,20})")
_PLAIN_SUPER = re.compile(r"(?<=[a-z)][.,;:])(\d{1,3}(?:[,–-]\d{1,3}){0,20})(?=\s+[A-Z(]|\s*$)")
_UNITS = re.compile(r"(?:m|cm|mm|km|µm|μm|nm|ft|in|kg|mg|ml|mL|s|x|n|r|R|χ|p)$")
_NOT_AFTER = re.compile(r"(?:Fig|Figs|Table|No|Vol|vol|pp|p|Ref|Eq|Chap|Sect|ver|v)[.,;:]$")
_NAME = rf"(?:{FAMILY})"
_YEARS = r"(?:1[6-9]\d\d|20\d\d)[a-z]?(?:,\s?(?:1[6-9]\d\d|20\d\d)[a-z]?){0,5}"
_AUTHOR_YEAR = re.compile(
    rf"^(?P<name>{_NAME})(?P<more>\s(?:et\s?al\.?|(?:and|&)\s{_NAME}))?,?\s(?P<years>{_YEARS})$"
)
_NARRATIVE = re.compile(
    rf"(?P<name>{_NAME})(?P<more>\s(?:et\s?al\.?|(?:and|&)\s{_NAME}))?\s\((?P<years>{_YEARS})\)"
)
_PARENS = re.compile(r"\(([^()\n]{6,300})\)")
_CITE_PREFIX = re.compile(r"^(?:e\.g\.,?|see(?: also)?|cf\.|i\.e\.,?|reviewed in)\s", re.I)
_NOT_NAMES = frozenset({"In", "The", "See", "And", "For", "From", "Since", "Until", "By", "On"})


def find_markers(
    text: str, references: list[Reference], excluded: list[Span]
) -> list[CitationMarker]:
    """Inline citation markers outside `excluded` spans, linked to `references`."""
    fences = _merged(excluded)
    starts = [s for s, _ in fences]
    by_number = {r.number: r.position for r in references if r.number is not None}
    numbered = bool(by_number) or bool(references)
    count = max(by_number) if by_number else len(references)

    def outside(span: Span) -> bool:
        at = bisect.bisect_right(starts, span[0]) - 1
        return at < 0 or span[0] >= fences[at][1]

    def link(numbers: tuple[int, ...]) -> tuple[int, ...]:
        if by_number:
            return tuple(by_number[n] for n in numbers if n in by_number)
        return tuple(n - 1 for n in numbers if 0 < n <= len(references))

    markers: list[CitationMarker] = []
    for found in _BRACKET.finditer(text):
        numbers = _expand(found.group(1))
        if numbers and outside(found.span()):
            ranged = any(c in found.group(1) for c in "-–—")
            markers.append(
                CitationMarker(
                    found.span(),
                    found.group(0),
                    "range" if ranged else "numeric",
                    numbers,
                    references=link(numbers),
                )
            )
    if numbered:
        markers += _superscripts(text, count, outside, link)
    markers += _author_year(text, references, outside)
    markers.sort(key=lambda m: m.span)
    return markers


def _merged(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same text."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _expand(group: str) -> tuple[int, ...]:
    numbers: list[int] = []
    for part in re.split(r"[ \t]?[,;][ \t]?", group):
        bounds = re.split(r"[ \t]?[-–—][ \t]?", part)
        if not all(b.isdigit() for b in bounds):
            return ()
        low, high = int(bounds[0]), int(bounds[-1])
        if high < low or high - low > MAX_RANGE:
            return ()
        numbers.extend(range(low, high + 1))
    return tuple(dict.fromkeys(numbers))


def _superscripts(
    text: str,
    count: int,
    outside: Fence,
    link: Linker,
) -> list[CitationMarker]:
    """Superscript numbers where they can only be citations: Unicode superscripts not after a
    unit, and digits glued to sentence punctuation, both within the list's numbering."""
    out: list[CitationMarker] = []
    table = str.maketrans(_SUPERSCRIPT_DIGITS + "⁻", "0123456789-")
    for found in _SUPERSCRIPT.finditer(text):
        before = text[max(0, found.start() - 12) : found.start()].split()
        if before and _UNITS.fullmatch(before[-1].lstrip("0123456789.,(")):
            continue
        numbers = _expand(found.group(1).translate(table))
        if numbers and max(numbers) <= count and outside(found.span()):
            out.append(
                CitationMarker(
                    found.span(), found.group(0), "superscript", numbers, (), link(numbers)
                )
            )
    for found in _PLAIN_SUPER.finditer(text):
        word = text[max(0, found.start() - 8) : found.start()].split()
        if word and _NOT_AFTER.search(word[-1]):
            continue
        numbers = _expand(found.group(1))
        if numbers and max(numbers) <= count and outside(found.span()):
            out.append(
                CitationMarker(
                    found.span(), found.group(0), "superscript", numbers, (), link(numbers)
                )
            )
    return out


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _author_year(text: str, references: list[Reference], outside: Fence) -> list[CitationMarker]:
    index: dict[tuple[str, int], list[int]] = {}
    for ref in references:
        if ref.authors and ref.year:
            index.setdefault((_fold(ref.authors[0][0]), ref.year), []).append(ref.position)

    def resolve(name: str, years: str) -> tuple[tuple[tuple[str, str], ...], tuple[int, ...]]:
        cites: list[tuple[str, str]] = []
        linked: list[int] = []
        for year in re.split(r",\s?", years):
            cites.append((name, year))
            hits = index.get((_fold(name), int(year[:4])), [])
            suffix = year[4:]
            if suffix and len(hits) > 1 and ord(suffix) - ord("a") < len(hits):
                hits = [hits[ord(suffix) - ord("a")]]
            linked.extend(hits)
        return tuple(cites), tuple(dict.fromkeys(linked))

    out: list[CitationMarker] = []
    taken: set[int] = set()
    for found in _PARENS.finditer(text):
        if not outside(found.span()) or not _YEAR.search(found.group(1)):
            continue
        cites: list[tuple[str, str]] = []
        linked: list[int] = []
        for part in found.group(1).split(";"):
            part = _CITE_PREFIX.sub("", part.strip())
            match = _AUTHOR_YEAR.match(part)
            if match is None or match.group("name") in _NOT_NAMES:
                continue
            more_cites, more_links = resolve(match.group("name"), match.group("years"))
            cites.extend(more_cites)
            linked.extend(more_links)
        if cites:
            out.append(
                CitationMarker(
                    found.span(), found.group(0), "author_year", (), tuple(cites), tuple(linked)
                )
            )
            taken.update(range(found.start(), found.end()))
    for found in _NARRATIVE.finditer(text):
        if not outside(found.span()) or found.group("name") in _NOT_NAMES:
            continue
        if found.start() in taken or found.end() - 1 in taken:
            continue
        cites_found, linked_found = resolve(found.group("name"), found.group("years"))
        if linked_found or found.group("more"):
            out.append(
                CitationMarker(
                    found.span(), found.group(0), "author_year", (), cites_found, linked_found
                )
            )
    return out
