"""Parse one reference string into fields: a rule-based parser for the common citation styles.

The parser reads a reference in the order styles print it: a label, the author list (whose
shape — "Smith JA", "Smith, J. A.", "J. A. Smith", "Smith, John" — is decided from the first
name and then held), an optional year right after the authors (APA, Harvard), the title, and a
numeric block (year;volume(issue):pages, volume, pages (year), vol. x, no. y, ...). The
container is the segment just before that block. Identifiers are taken out first, so a DOI or
URL never leaks into a title. Only the first `MAX_PARSE_CHARS` characters are parsed, which
keeps the work per reference bounded whatever the input.
"""

import html
import re
from dataclasses import dataclass, field

from pipelines.citations.identifiers import find_identifiers
from pipelines.citations.records import Author, Reference, Span, Style

MAX_PARSE_CHARS = 3000

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽΑ-ΩА-ЯЁ"
UP = f"[{_UP}]"
LOW = r"(?:[^\W\d_])"  # any letter; upper case is checked where it matters
_PARTICLE = (
    r"(?:(?:van|von|der|den|de|del|della|dei|di|da|du|dos|das|le|la|ten|ter|zu|bin|al|el)\s+)"
)
_SURNAME = rf"(?:{UP}(?:{LOW}|['’′](?={LOW}))*(?:[-‐]{LOW}(?:{LOW}|['’′](?={LOW}))*)*)"
FAMILY = rf"(?:{_PARTICLE}{{0,3}}{_SURNAME}|{_PARTICLE}{{1,3}}{_SURNAME})"
_SUFFIX = r"(?:,?\s+(?:Jr|Sr|II|III|IV)\b\.?)?"
# Initials: "J.", "J. A.", "J.A.", "M.-P.", "Th.", "J-L"
_DOTTED = rf"(?:{UP}[a-z]?\.(?:\s?[-‐]?\s?{UP}[a-z]?\.){{0,4}})"
_BARE = rf"(?:{UP}{{1,4}}(?:[-‐]{UP}{{1,2}})?)"
_GIVEN_FULL = rf"(?:{UP}[a-zà-ÿā-ž'’]+(?:[\s-]+(?:{UP}[a-zà-ÿā-ž'’]+|{UP}\.))*)"

_NAME_FORMS: dict[str, re.Pattern[str]] = {
    # Vancouver / NLM: "Ruiz-Argüelles GJ", "de la Macorra JC", "Heidegger M."
    "vancouver": re.compile(
        rf"(?P<family>{FAMILY}(?:\s{_SURNAME}){{0,2}}?)\s+(?P<given>{_BARE})\.?(?=[\s,.;:]|$)"
        rf"{_SUFFIX}"
    ),
    # "Witherick, J.", "Brierley, D.I.", "Hayette, M.-P.", "Smith, J. A., Jr."
    "inverted": re.compile(
        rf"(?P<family>{FAMILY}(?:\s{_SURNAME})?),\s?(?P<given>{_DOTTED}|{_BARE}(?=[,.;&\s]))"
        rf"{_SUFFIX}"
    ),
    # "S. E. Han", "H. Fischer"
    "initials_first": re.compile(rf"(?P<given>{_DOTTED})\s?(?P<family>{FAMILY})(?!\w)"),
    # "Adams, Nicholson B."
    "inverted_full": re.compile(rf"(?P<family>{FAMILY}),\s(?P<given>{_GIVEN_FULL})"),
    # "Antonio Astrain", "Nicholson B. Adams"
    "natural": re.compile(rf"(?P<given>{_GIVEN_FULL})\s(?P<family>{FAMILY})(?!\w)"),
}
# Which forms may follow the first name's form in the same list.
_NEXT_FORMS = {
    "vancouver": ("vancouver",),
    "inverted": ("inverted", "initials_first"),
    "initials_first": ("initials_first",),
    "inverted_full": ("natural", "inverted_full", "initials_first"),
    "natural": ("natural",),
}
_SEPARATOR = re.compile(r"\s?(?:[,;]\s?(?:(?:and|&|und|et|y)\s)?|\s?&\s?|\s(?:and|und|et|y)\s)")
_ET_AL = re.compile(r"[,;]?\s?(?:et\.?\s?al\.?|and others|u\.\s?a\.|\[?\.\.\.\]?|…)", re.IGNORECASE)
_EDITORS = re.compile(r",?\s?\(?(?:eds?|Hrsg|dir|coord)\.?\)?(?=[\s.,(]|$)", re.IGNORECASE)

_LABEL = re.compile(r"\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)](?=\s))\s*")
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_YEAR_AFTER_AUTHORS = re.compile(
    rf"[\s.,:]*\(\s?(?P<y>{_YEAR})(?P<s>[a-z])?(?:[,/–-][^()]{{0,24}})?\)[.,:]?"
    rf"|[\s.,]*(?P<y2>{_YEAR})(?P<s2>[a-z])?[.,:](?=\s)"
    r"|[\s.,:]*\(n\.\s?d\.\)[.,]?",
)
_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Spring|Summer|Fall|Autumn|Winter)"
    r"[a-z]*\.?"
)
_VOL = r"(?:[A-Z]?\d{1,5}[A-Za-z]?(?:\s?Suppl\.?\s?(?:\d{1,3}|[A-Z])?)?)"
_ISS = r"(?:\s?[^()\s][^()]{0,18})"
_NO = r"(?:(?:[Ss]uppl\.?\s?)?[\w/–-]{1,12})"
_PAGES = (
    r"(?:[A-Za-z]{0,3}\d{1,7}(?:\.\d{1,4})?"
    r"(?:\s?[-–—‐‑]\s?[A-Za-z]{0,3}\d{1,7}(?:\.\d{1,4})?)?)(?![\d/])"
)
_NUMERIC_BLOCKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Vancouver/AMA: 2019 Dec;198(3):351-358 | 2011;2011:164608 | 2007;5:e12
    (
        "vancouver",
        re.compile(
            rf"(?P<year>{_YEAR})(?:\s{_MONTHS}(?:[-/]{_MONTHS})?(?:\s\d{{1,2}})?)?\s?;\s?"
            rf"(?P<vol>{_VOL})?\s?(?:\((?P<iss>{_ISS})\))?\s?(?::\s?(?P<pages>{_PAGES}))?"
        ),
    ),
    # MLA: vol. 12, no. 3, 2019, pp. 1-10
    (
        "mla",
        re.compile(
            rf"\b[Vv]ol\.\s?(?P<vol>{_VOL})(?:,\s?(?:no|iss|issue)\.?\s?(?P<iss>{_NO}))?"
            rf"(?:,\s?(?:{_MONTHS}\s?)?(?:\d{{1,2}}\s)?(?:{_MONTHS}\s?)?(?P<year>{_YEAR}))?"
            rf"(?:,\s?(?:pp?\.\s?)?(?P<pages>{_PAGES}))?"
        ),
    ),
    # Chicago: 12, no. 3 (2019): 1-10 | 45 (1930), pp. 573–77
    (
        "chicago",
        re.compile(
            rf"(?P<vol>{_VOL})(?:,\s?no\.\s?(?P<iss>{_NO}))?\s?"
            rf"\((?:[^()\d]{{0,16}})?(?P<year>{_YEAR})\)\s?[:,]\s?(?:pp?\.\s?)?(?P<pages>{_PAGES})"
        ),
    ),
    # volume(issue):pages | volume: pages
    (
        "colon",
        re.compile(
            rf"(?<![\w/.-])(?P<vol>{_VOL})\s?(?:\((?P<iss>{_ISS})\))?\s?:\s?(?P<pages>{_PAGES})"
        ),
    ),
    # Vol. 9, pp. 1477-81 | Vol. 3, No. 2, 45-50
    (
        "vol",
        re.compile(
            rf"\b(?:Vol|Bd|Tome|T\.|v\.)\.?\s?(?P<vol>{_VOL})(?:,?\s?(?:No|Nr|Heft|Issue|n°|n\.)\.?\s?"
            rf"(?P<iss>[\w/–-]{{1,12}}))?(?:,\s?(?:pp?\.|S\.)?\s?(?P<pages>{_PAGES}))?"
        ),
    ),
    # ACS: Nano Lett. 2010, 10, 1012
    (
        "acs",
        re.compile(
            rf"(?<![\w/.-])(?P<year>{_YEAR}),\s?(?P<vol>{_VOL})\s?(?:\((?P<iss>{_ISS})\))?,\s?"
            rf"(?:pp?\.\s?)?(?P<pages>{_PAGES})(?=\s?(?:[.;,]|$))"
        ),
    ),
    # APA / Nature: 12(3), 45-67 | 2011, 164608 | 10, 1012 (2010)
    (
        "comma",
        re.compile(
            rf"(?<![\w/.-])(?P<vol>{_VOL})\s?(?:\((?P<iss>{_ISS})\))?,\s?(?:pp?\.\s?)?"
            rf"(?P<pages>{_PAGES})(?=\s?(?:\(|[.;,]|$))"
        ),
    ),
    # PLoS as archived: 6 (3) e1557
    (
        "space",
        re.compile(
            rf"(?<![\w/.-])(?P<vol>{_VOL})\s?\((?P<iss>{_ISS})\)\s(?P<pages>{_PAGES})"
            r"(?=\s?(?:[.;,]|$))"
        ),
    ),
    # pages only: pp. 12-34 | p. 5
    ("pages", re.compile(rf"\b(?:pp?|S)\.?\s?(?P<pages>{_PAGES})")),
)
# How much text may follow a numeric block that ends the bibliographic part.
_TAIL_ROOM = 48
_TAIL_NOISE = re.compile(
    r"\s*(?:\[[^\]]{0,60}\]|\((?:[^()]{0,30})\)|Epub[^.]{0,40}\.?|Review\.?|"
    r"Erratum[^.]{0,80}\.?|PubMed[^.]{0,20}\.?|Google Scholar\.?|Cross[Rr]ef\.?|"
    r"(?:Retrieved|Accessed|Available)[^.]{0,80}\.?|[.,;:]\s*)",
)

_BOUNDARY = re.compile(r"[.?!][\"”’']?\s+(?=\S)")
_ABBREVIATIONS = frozenset(
    [
        "vs",
        "e.g",
        "i.e",
        "al",
        "no",
        "nos",
        "vol",
        "vols",
        "pp",
        "ed",
        "eds",
        "st",
        "dr",
        "mr",
        "mrs",
        "ms",
        "inc",
        "co",
        "ltd",
        "jr",
        "sr",
        "fig",
        "figs",
        "ch",
        "chap",
        "sect",
        "ser",
        "suppl",
        "dept",
        "univ",
        "approx",
        "ca",
        "cf",
    ]
)
_QUOTE_OPEN = "\"“‘«„'"
_QUOTE_CLOSE = {'"': '"', "“": "”", "‘": "’", "«": "»", "„": "“", "'": "'"}
_IN_BOOK = re.compile(r"^(?:In|Dans|En|Im)\s?:?\s+", re.IGNORECASE)
_EDS_END = re.compile(
    r"(?:\(?\s?(?:eds?|editors?|Hrsg|dir|coords?)\.?\s?\)?|\(?Hg\.\)?)\s*[.,:]?\s*",
    re.IGNORECASE,
)
_LEADING_JUNK = " .,;:-–—"
_TRAILING_JUNK = " .,;:-–—/"
_YEAR_ANY = re.compile(rf"(?<!\d)({_YEAR})(?:[a-z])?(?!\d)")
_NOISE_WORDS = re.compile(
    r"\b(?:PubMed(?:\s+Central)?|Google Scholar|CrossRef|Crossref|Full Text|Abstract|"
    r"\[(?:Epub ahead of print|PubMed|CrossRef|Google Scholar)\]|Epub ahead of print)\b\.?",
)
_EPUB = re.compile(
    rf"\bEpub\s(?:ahead of print\s?)?(?:{_YEAR}(?:\s{_MONTHS})?(?:\s\d{{1,2}})?)?\.?"
)


@dataclass(slots=True)
class _Parse:
    """Mutable state while one reference is read; frozen into a Reference at the end."""

    authors: list[Author] = field(default_factory=list)
    et_al: bool = False
    year: int | None = None
    title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: tuple[str, str | None] | None = None
    article_number: str | None = None
    style: Style = "unknown"
    confidence: dict[str, float] = field(default_factory=dict)


def normalize_text(raw: str) -> str:
    """Entities decoded, soft hyphens and zero-width characters dropped, spaces collapsed."""
    text = html.unescape(raw) if "&" in raw else raw
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def parse_reference(
    raw: str,
    *,
    span: Span | None = None,
    position: int = 0,
    number: int | None = None,
) -> Reference:
    """Parse one reference string; never raises on odd input, only lowers the confidence."""
    text = normalize_text(raw[: MAX_PARSE_CHARS * 2])[:MAX_PARSE_CHARS]
    label = _LABEL.match(text)
    if label is not None and (number is None):
        number = int(next(g for g in label.groups() if g))
    if label is not None:
        text = text[label.end() :]

    ids = find_identifiers(text)
    doi = next((i.value for i in ids if i.kind == "doi"), None)
    pmid = next((i.value for i in ids if i.kind == "pmid"), None)
    pmcid = next((i.value for i in ids if i.kind == "pmcid"), None)
    ncts = tuple(dict.fromkeys(i.value for i in ids if i.kind == "nct"))
    urls = tuple(dict.fromkeys(i.value for i in ids if i.kind == "url"))
    work = _without_identifiers(text, [i.span for i in ids])

    state = _Parse()
    rest = _read_authors(work, state)
    rest = _read_leading_year(rest, state)
    _read_body(rest, state)
    if doi and state.style == "unknown":
        state.style = "vancouver"
    if state.style == "vancouver" and re.search(r"\bdoi:10\.", text):
        state.style = "ama"

    confidence = _overall(state)
    fields = tuple(sorted(state.confidence.items()))
    return Reference(
        raw=raw,
        span=span,
        position=position,
        number=number,
        authors=tuple(state.authors),
        et_al=state.et_al,
        year=state.year,
        title=state.title,
        container=state.container,
        volume=state.volume,
        issue=state.issue,
        pages=state.pages,
        article_number=state.article_number,
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
        nct_ids=ncts,
        urls=urls,
        style=state.style,
        confidence=confidence,
        field_confidence=fields,
    )


def _without_identifiers(text: str, spans: list[Span]) -> str:
    """`text` with identifier spans, their labels and e-publication notes removed."""
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            cursor = max(cursor, end)
            continue
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    work = " ".join(pieces)
    work = re.sub(
        r"\b(?:doi|DOI|PMCID|PMID|URL|Available (?:from|at)|Retrieved from|Accessed|"
        r"available online)\s?:?\s*(?=[\s.;,]|$)",
        " ",
        work,
    )
    work = _EPUB.sub(" ", work)
    work = _NOISE_WORDS.sub(" ", work)
    work = re.sub(r"\[\s*\]|\(\s*\)|<\s*>", " ", work)
    work = " ".join(work.split())
    # Identifier removal leaves runs like ". ; ." behind.
    work = re.sub(r"(?:\s[.;,:]){1,}\s?$", "", work)
    return re.sub(r"([.;,:])(?:\s[.;,:])+(?=\s|$)", r"\1", work)


# --- authors -------------------------------------------------------------------------------


def _read_authors(work: str, state: _Parse) -> str:
    """Read the author list at the start of `work`; return the text after it."""
    form = None
    first = None
    for name in ("vancouver", "inverted", "initials_first", "inverted_full", "natural"):
        found = _NAME_FORMS[name].match(work)
        if found is not None and _plausible_name(found, name, work):
            form, first = name, found
            break
    if form is None or first is None:
        return _group_author(work, state)
    state.authors.append(_author_of(first))
    end = first.end()
    allowed = _NEXT_FORMS[form]
    while True:
        et_al = _ET_AL.match(work, end)
        if et_al is not None:
            state.et_al = True
            end = et_al.end()
            break
        sep = _SEPARATOR.match(work, end)
        if sep is None:
            break
        nxt = None
        for name in allowed:
            nxt = _NAME_FORMS[name].match(work, sep.end())
            if nxt is not None and _plausible_name(nxt, name, work):
                break
            nxt = None
        if nxt is None:
            break
        state.authors.append(_author_of(nxt))
        end = nxt.end()
    eds = _EDITORS.match(work, end)
    if eds is not None and eds.end() > end:
        end = eds.end()
    state.style = "vancouver" if form == "vancouver" else state.style
    state.confidence["authors"] = 0.9 if form in ("vancouver", "inverted") else 0.7
    return work[end:]


def _plausible_name(found: re.Match[str], form: str, work: str) -> bool:
    """Reject matches that are title words, not names."""
    family = found.group("family")
    given = found.group("given")
    words = family.split()
    if any(w.lower() in _NOT_NAMES for w in words):
        return False
    if form in ("natural", "inverted_full") and given.split()[0].lower() in _NOT_NAMES:
        return False
    after = work[found.end() : found.end() + 2]
    if form == "vancouver":
        # "Smith JA," / "Smith JA." / "Smith JA and": the initials end the name.
        return after[:1] in ("", ",", ".", ";", ":", " ", "(") and not (
            after[:1] == " " and after[1:2].islower() and work[found.end() :][1:4] != "and"
        )
    if form == "natural" and found.start() == 0 and after[:1] != ",":
        return False  # "American Cancer Society." is an organisation, not a person
    if form in ("natural", "inverted_full"):
        return after[:1] in ("", ",", ".", ";", ":", " ", "(")
    return True


_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "for",
        "and",
        "to",
        "with",
        "by",
        "from",
        "is",
        "are",
        "was",
        "at",
        "as",
        "its",
        "this",
        "new",
        "journal",
        "proceedings",
        "review",
        "university",
        "press",
        "report",
        "chapter",
        "vol",
        "volume",
        "no",
    ]
)


def _author_of(found: re.Match[str]) -> Author:
    return (found.group("family").strip(), found.group("given").strip())


_ORGANISATION = re.compile(
    r"\b(?:Society|Organi[sz]ation|Association|Institutes?|Cent(?:er|re)|Council|Committee|"
    r"Agency|Network|Initiative|Group|Department|Ministry|Foundation|Board|College|Consortium|"
    r"Collaboration|Commission|Office|Service|Federation|Union|Programme|Program|Bureau|"
    r"Administration|Trust|Academy|Authority|Coalition|Alliance|Panel)\b"
)


def _group_author(work: str, state: _Parse) -> str:
    """A corporate author: a name of an organisation ending the first sentence, or the text
    before "(year)" when that comes early, as APA prints it."""
    first = re.match(r"([^.()\d:;]{3,100}?)\.\s", work)
    if first is not None and _ORGANISATION.search(first.group(1)):
        words = first.group(1).split()
        if all(w[:1].isupper() or w in ("of", "for", "and", "the", "on", "&") for w in words):
            state.authors.append((first.group(1).strip(), ""))
            state.confidence["authors"] = 0.6
            return work[first.end(1) :]
    paren = re.match(rf"([^().]{{3,120}}?)\s?\((?:{_YEAR}|n\.\s?d\.)", work)
    if paren is not None:
        state.authors.append((paren.group(1).strip(" .,;"), ""))
        state.confidence["authors"] = 0.5
        return work[paren.end(1) :]
    return work


# --- year, title, container, numbers ---------------------------------------------------------


def _read_leading_year(rest: str, state: _Parse) -> str:
    found = _YEAR_AFTER_AUTHORS.match(rest)
    if found is None:
        return rest
    year = found.group("y") or found.group("y2")
    if year:
        state.year = int(year)
        state.confidence["year"] = 0.95
    state.style = "apa" if found.group("y") else "harvard"
    if state.style == "apa" and not any(g for _, g in state.authors) and state.authors:
        state.style = "harvard"
    return rest[found.end() :]


def _read_body(rest: str, state: _Parse) -> None:
    rest = rest.lstrip(_LEADING_JUNK)
    title_end = 0
    quoted = _quoted_title(rest)
    if quoted is not None:
        title, title_end = quoted
        state.title = title
        state.confidence["title"] = 0.95
        if state.style in ("unknown", "vancouver"):
            state.style = "mla"
    kind, block = _numeric_block(rest, title_end)
    if block is not None:
        _take_numbers(kind, block, state)
        head = rest[: block.start()]
        tail = rest[block.end() :]
    else:
        head, tail = rest, ""
    if quoted is not None:
        container = _clean(head[title_end:])
        container = _IN_BOOK.sub("", container)
        if block is None:
            container = _first_segment(container)
        state.container = container or None
    else:
        _split_title_container(head, block is not None, state)
    if state.year is None:
        _find_year(tail, head, state)
    if kind == "comma" and block is not None and re.match(rf"\s?\({_YEAR}\)", tail):
        state.style = "nature"
    if kind == "chicago" and state.style == "mla":
        state.style = "chicago"
    if state.container:
        state.confidence.setdefault("container", 0.8 if block is not None else 0.5)
    if state.title:
        state.confidence.setdefault("title", 0.8 if block is not None else 0.6)


def _quoted_title(rest: str) -> tuple[str, int] | None:
    """A title in quotation marks at the start: (title, end offset after the closing quote)."""
    if not rest or rest[0] not in _QUOTE_OPEN:
        return None
    close = _QUOTE_CLOSE[rest[0]]
    end = rest.find(close, 1)
    if rest[0] == "'":
        # An apostrophe inside a title is not its end: the closing quote precedes a boundary.
        found = re.search(r"[.?!]'|'(?=[,.;:]|$)", rest[1:])
        end = found.end() if found else -1
    if end < 2:
        return None
    title = rest[1:end].strip().rstrip(",.;: ")
    return title, end + 1


def _numeric_block(rest: str, start: int) -> tuple[str, re.Match[str] | None]:
    """The volume/issue/pages block that ends the bibliographic part, strongest form first."""
    for kind, pattern in _NUMERIC_BLOCKS:
        best = None
        for found in pattern.finditer(rest, start):
            if found.start() < 3 or not any(
                found.group(g) for g in ("vol", "pages", "iss") if g in pattern.groupindex
            ):
                continue
            if _tail_is_short(rest, found.end()):
                best = found
        if best is not None:
            return kind, best
    return "", None


def _tail_is_short(rest: str, end: int) -> bool:
    """Whether only notes, a year in brackets or punctuation follow position `end`."""
    position = end
    for _ in range(8):
        noise = _TAIL_NOISE.match(rest, position)
        if noise is None or noise.end() == position:
            break
        position = noise.end()
    return len(rest) - position <= _TAIL_ROOM and not re.search(
        rf"[\w)]\s?[.,;]?\s?{_VOL}\s?\(?[^()]{{0,8}}\)?\s?:\s?\d", rest[position:]
    )


def _take_numbers(kind: str, block: re.Match[str], state: _Parse) -> None:
    groups = block.groupdict()
    if groups.get("year") and state.year is None:
        state.year = int(groups["year"])
        state.confidence["year"] = 0.9
    volume = groups.get("vol")
    if (
        kind == "colon"
        and volume
        and re.fullmatch(_YEAR, volume)
        and state.year in (None, int(volume))
    ):
        # "Book title. 1989:185-234": a year before the pages, not a volume.
        state.year = int(volume)
        volume = None
    if volume:
        state.volume = volume.strip()
        state.confidence["volume"] = 0.85
    issue = groups.get("iss")
    if issue:
        state.issue = issue.strip()
        state.confidence["issue"] = 0.8
    pages = groups.get("pages")
    if pages:
        first, last = _page_range(pages)
        if last is None and (len(first) >= 5 or first[:1] in "eE") and kind != "pages":
            state.article_number = first
            state.confidence["article_number"] = 0.7
        else:
            state.pages = (first, last)
            state.confidence["pages"] = 0.85
    if kind == "vancouver" and state.style in ("unknown", "vancouver"):
        state.style = "vancouver"
    elif kind == "mla":
        state.style = "mla"
    elif kind == "chicago" and state.style in ("unknown", "mla"):
        state.style = "chicago"


def _page_range(pages: str) -> tuple[str, str | None]:
    """("1477", "1481") from "1477-81"; the last page is written out in full."""
    parts = re.split(r"\s?[-–—‐‑]\s?", pages.strip(), maxsplit=1)
    first = parts[0]
    if len(parts) == 1 or not parts[1]:
        return first, None
    last = parts[1]
    if last.isdigit() and first.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


def _segments(text: str) -> list[str]:
    """`text` cut at sentence ends that are not initials or abbreviations."""
    out: list[str] = []
    start = 0
    for found in _BOUNDARY.finditer(text):
        word = text[start : found.start()].rsplit(" ", 1)[-1]
        core = word.strip("([{\"'“‘")
        if text[found.start()] == "." and (
            len(core) <= 1
            or (core.lower() in _ABBREVIATIONS and not core.isupper())
            or ("." in core and len(core) <= 8)  # "U.S.A", "e.g"
        ):
            continue
        out.append(text[start : found.end()].strip())
        start = found.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _abbreviation_piece(segment: str) -> bool:
    """Whether a segment is a piece of a dotted journal abbreviation ("Proc.", "Natl. Acad.")."""
    words = segment.split()
    return (
        0 < len(words) <= 3
        and all((w[:1].isupper() or w[:1] == "&") and len(w.rstrip(".")) <= 7 for w in words)
        and segment.endswith(".")
    )


def _split_title_container(head: str, has_block: bool, state: _Parse) -> None:
    parts = _segments(head)
    if not parts:
        return
    book = next((i for i, p in enumerate(parts) if i > 0 and _IN_BOOK.match(p)), None)
    if book is not None:
        state.title = _clean(" ".join(parts[:book])) or None
        inside = _IN_BOOK.sub("", parts[book])
        rest_parts = parts[book + 1 :]
        eds = _EDS_END.search(inside)
        if eds is not None and eds.end() >= len(inside) - 1 and rest_parts:
            inside = rest_parts[0]
        elif eds is not None:
            inside = inside[eds.end() :]
        state.container = _clean(_strip_publisher(inside)) or None
        state.confidence["container"] = 0.6
        return
    if not has_block:
        state.title = _clean(parts[0]) or None
        # A book: title then edition, place and publisher; no container to report.
        return
    if len(parts) == 1:
        only = _clean(parts[0])
        if _looks_like_journal(only):
            state.container = only
        else:
            state.title = only or None
        return
    cut = len(parts) - 1
    if parts[cut].split()[0].endswith("."):
        while cut > 1 and _abbreviation_piece(parts[cut - 1]):
            cut -= 1
    state.title = _clean(" ".join(parts[:cut])) or None
    state.container = _clean(" ".join(parts[cut:])) or None


def _looks_like_journal(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and all(w[:1].isupper() or w in ("of", "&", "and") for w in words)


def _strip_publisher(text: str) -> str:
    """A book title without a trailing "City: Publisher" that some styles run into it."""
    return re.split(r"\.\s[^.:]{2,40}:\s", text, maxsplit=1)[0]


def _first_segment(text: str) -> str:
    parts = _segments(text)
    return _clean(parts[0]) if parts else ""


def _clean(text: str) -> str:
    text = text.strip(_LEADING_JUNK)
    text = text.rstrip(_TRAILING_JUNK)
    if text[:1] in _QUOTE_OPEN and text[-1:] in _QUOTE_CLOSE.values():
        text = text[1:-1].strip(" ,.")
    return " ".join(text.split())


def _find_year(tail: str, head: str, state: _Parse) -> None:
    """The year from what follows the numeric block, else the last year outside the title."""
    for text in (tail, head):
        found = list(_YEAR_ANY.finditer(text))
        if text is head and state.title:
            cut = text.find(state.title)
            found = [f for f in found if cut < 0 or f.start() >= cut + len(state.title)] or found
        if found:
            state.year = int(found[0 if text is tail else -1].group(1))
            state.confidence["year"] = 0.7
            return


def _overall(state: _Parse) -> float:
    core = ("authors", "year", "title", "container")
    found = [state.confidence.get(name, 0.0) for name in core]
    numbers = 1.0 if (state.volume or state.pages or state.article_number) else 0.5
    return round(sum(found) / len(core) * (0.8 + 0.2 * numbers), 3)
