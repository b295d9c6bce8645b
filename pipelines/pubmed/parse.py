"""Streaming parser from PubMed XML to typed records. Pure: never touches the network.

Reads EFetch responses and baseline/update files (PubmedArticleSet or PubmedBookArticleSet,
plain or gzip-compressed) with `lxml.etree.iterparse`, turning each `<PubmedArticle>` and
`<PubmedBookArticle>` into a `Paper` and each PMID of a `<DeleteCitation>` into a
`DeletedCitation`. Every record's subtree is freed once it has been read, so memory stays flat
however large the file.

Hostile input is inert: no DTD is loaded, no entity is expanded, nothing is fetched, and lxml's
`huge_tree` limits stay on. Malformed or truncated XML raises `PubmedParseError` naming the
position.

>>> papers = list(iter_papers(b'<PubmedArticleSet><PubmedArticle><MedlineCitation>'
...     b'<PMID Version="1">1</PMID><Article><ArticleTitle>A <i>B</i> c.</ArticleTitle>'
...     b'</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>'))
>>> papers[0].pmid, papers[0].title
('1', 'A B c.')
"""

import io
import os
import re
import zlib
from collections.abc import Iterator
from typing import IO, TypeAlias

from lxml import etree

from pipelines.pubmed.errors import PubmedParseError
from pipelines.pubmed.records import (
    AbstractSection,
    Affiliation,
    ArticleId,
    Author,
    Book,
    Chemical,
    CitedReference,
    CommentCorrection,
    DataBank,
    Date,
    DeletedCitation,
    ELocationId,
    Grant,
    Identifier,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    OtherAbstract,
    OtherId,
    Pagination,
    Paper,
    PubDate,
    PublicationType,
    SupplementaryConcept,
)

Source: TypeAlias = "str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]"
Element: TypeAlias = "etree._Element"

__all__ = [
    "Source",
    "iter_deleted",
    "iter_papers",
    "iter_pubmed",
    "iter_record_elements",
    "paper_from_element",
]

_GZIP_MAGIC = b"\x1f\x8b"
_READ_SIZE = 1 << 16  # compressed bytes read at a time
# Decompressed bytes handed to lxml at a time: large enough to keep calls few, far below
# libxml2's 10 MB buffer limit (which huge_tree=False keeps on).
_CHUNK_SIZE = 1 << 18
_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_ROOT_TAGS = frozenset({"PubmedArticleSet", "PubmedBookArticleSet", *_RECORD_TAGS})

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
):
    _MONTHS[str(_i)] = _MONTHS[f"{_i:02d}"] = _i
    _MONTHS[_name] = _MONTHS[_name.title()] = _MONTHS[_name.upper()] = _i
_SEASONS = {"spring": "Spring", "summer": "Summer", "fall": "Fall", "autumn": "Autumn"}
_SEASONS["winter"] = "Winter"
_POSITION_SUFFIX = re.compile(r",? line \d+, column \d+$")  # lxml repeats the position
# Year (of a range of years, the first), then optionally the month or season the range starts
# with, then a day after a month: "1977 Apr 17-21", "1979-1980 Fall", "1977 Jan-Feb".
_MEDLINE_DATE = re.compile(r"(\d{4})(?:-\d{4})?(?:\s+([A-Za-z]+)(?:\s+(\d{1,2})(?!\d))?)?")


# ---------------------------------------------------------------------------------------------
# Public API


def iter_pubmed(source: Source) -> Iterator[Paper | DeletedCitation]:
    """Yield every record of a PubMed XML document in document order.

    `source` is a path (str or PathLike) to a `.xml` or `.xml.gz` file (gzip is recognised by
    its magic bytes, whatever the name), the document as bytes, or a binary file handle (read,
    not closed). Raises `PubmedParseError` for malformed, truncated or non-PubMed XML and for a
    damaged gzip stream; records before the fault have already been yielded.
    """
    name = _source_name(source)
    for el in iter_record_elements(source):
        if el.tag == "DeleteCitation":
            for pmid in el.iterchildren("PMID"):
                yield DeletedCitation(_leaf(pmid) or "", _int(pmid.get("Version")))
            continue
        try:
            paper = _article(el) if el.tag == "PubmedArticle" else _book_article(el)
        except _RecordError as exc:
            line: int | None = getattr(el, "sourceline", None)
            raise PubmedParseError(name, str(exc), line, 0) from exc
        yield paper


def iter_record_elements(source: Source) -> Iterator[Element]:
    """Each `<PubmedArticle>`, `<PubmedBookArticle>` and `<DeleteCitation>` element of
    `source` (as for `iter_pubmed`), parsed safely: no DTD, no entities, no network.

    Read what you need from an element before asking for the next: it is then freed, with
    every earlier sibling, so memory stays flat. Raises `PubmedParseError` for malformed,
    truncated or non-PubMed XML, a damaged gzip stream, or a file that cannot be opened.
    """
    name = _source_name(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield from _iter_elements(io.BytesIO(source), name)
    elif isinstance(source, (str, os.PathLike)):
        try:
            handle = open(source, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise PubmedParseError(name, f"cannot open: {exc.strerror or exc}") from exc
        try:
            yield from _iter_elements(handle, name)
        finally:
            handle.close()
    else:
        yield from _iter_elements(source, name)


def iter_papers(source: Source) -> Iterator[Paper]:
    """Yield only the `Paper` records of `source` (see `iter_pubmed`)."""
    for record in iter_pubmed(source):
        if isinstance(record, Paper):
            yield record


def iter_deleted(source: Source) -> Iterator[DeletedCitation]:
    """Yield only the `<DeleteCitation>` PMIDs of `source` (see `iter_pubmed`)."""
    for record in iter_pubmed(source):
        if isinstance(record, DeletedCitation):
            yield record


def paper_from_element(element: Element) -> Paper:
    """The `Paper` of one `<PubmedArticle>` or `<PubmedBookArticle>` element already parsed."""
    if element.tag == "PubmedArticle":
        return _article(element)
    if element.tag == "PubmedBookArticle":
        return _book_article(element)
    raise ValueError(f"not a PubMed record element: <{element.tag}>")


# ---------------------------------------------------------------------------------------------
# Input handling


def _source_name(source: Source) -> str:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


class _Prefixed:
    """A reader that returns `head` before the rest of `stream`; used after sniffing bytes
    from a handle that cannot seek back."""

    __slots__ = ("head", "stream")

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.stream.read(size)


class _GunzipReader:
    """Decompresses a gzip stream in large chunks (faster than `gzip.GzipFile`); handles
    concatenated members and reports a truncated or damaged stream."""

    __slots__ = ("decomp", "done", "name", "stream")

    def __init__(self, stream: "IO[bytes] | _Prefixed", name: str) -> None:
        self.stream = stream
        self.name = name
        self.decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self.done = False

    def read(self, size: int = -1) -> bytes:
        decomp = self.decomp
        try:
            while not self.done:
                if decomp.unconsumed_tail:
                    out = decomp.decompress(decomp.unconsumed_tail, _CHUNK_SIZE)
                elif decomp.eof and decomp.unused_data:
                    # A further gzip member follows: decompress it with a fresh object.
                    rest = decomp.unused_data
                    decomp = self.decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
                    out = decomp.decompress(rest, _CHUNK_SIZE)
                else:
                    chunk = self.stream.read(_READ_SIZE)
                    if not chunk:
                        self.done = True
                        if not decomp.eof:
                            raise PubmedParseError(
                                self.name,
                                "damaged gzip stream: truncated gzip stream (it ends part-way)",
                            )
                        return b""
                    if decomp.eof:
                        decomp = self.decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
                    out = decomp.decompress(chunk, _CHUNK_SIZE)
                if out:
                    return out
        except zlib.error as exc:
            self.done = True
            raise PubmedParseError(self.name, f"damaged gzip stream: {exc}") from exc
        return b""


def _open_stream(stream: IO[bytes], name: str) -> "IO[bytes] | _Prefixed | _GunzipReader":
    peek = getattr(stream, "peek", None)
    if peek is not None:
        head = peek(2)[:2]
        base: IO[bytes] | _Prefixed = stream
    else:
        head = stream.read(2)
        if not isinstance(head, bytes):
            raise TypeError(f"{name}: expected a binary file handle, got text")
        base = _Prefixed(head, stream)
    if head == _GZIP_MAGIC:
        return _GunzipReader(base, name)
    return base


def _iter_elements(stream: IO[bytes], name: str) -> Iterator[Element]:
    reader = _open_stream(stream, name)
    events = etree.iterparse(
        reader,
        events=("end",),
        tag=_RECORD_TAGS,
        # Safety: no DTD, no entity expansion, no network, default size limits.
        load_dtd=False,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    checked_root = False
    try:
        for _event, el in events:
            if not checked_root:
                _check_root(el.getroottree().getroot().tag, name)
                checked_root = True
            yield el
            # Free the record and every earlier sibling so the tree never grows.
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
        root = events.root
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        reason = _POSITION_SUFFIX.sub("", exc.msg or "") or "malformed XML"
        raise PubmedParseError(name, reason, line, column) from exc
    if root is not None and not checked_root:
        _check_root(root.tag, name)


class _RecordError(ValueError):
    """A record lacking a part every record has; reported as `PubmedParseError` with its line."""


def _check_root(tag: object, name: str) -> None:
    if tag not in _ROOT_TAGS:
        raise PubmedParseError(name, f"not PubMed XML: root element is <{tag}>")


# ---------------------------------------------------------------------------------------------
# Text helpers
#
# The extraction below is the hot loop (about a hundred elements per record, tens of thousands
# of records per file), so it favours inline `.text` reads, positional access where the DTD
# fixes the order, and few Python calls per element.

_MATHML = "{http://www.w3.org/1998/Math/MathML}"


def _text(el: Element) -> str | None:
    """Text of `el` with inline markup (<i>, <sup>, MathML...) flattened and runs of whitespace
    collapsed to one space; None when empty."""
    if len(el):
        parts: list[str] = []
        _collect(el, parts, False)
        text = "".join(parts)
    else:
        text = el.text  # type: ignore[assignment]
        if not text:
            return None
    return " ".join(text.split()) or None


def _collect(el: Element, parts: list[str], in_math: bool) -> None:
    # Inside MathML, whitespace-only text is layout, not content: "T<sub>1</sub>" written as
    # <mi>T</mi>\n<mn>1</mn> must read "T1". Unexpanded entity references are left out.
    text = el.text
    if text and not (in_math and text.isspace()):
        parts.append(text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            _collect(child, parts, in_math or tag.startswith(_MATHML))
        tail = child.tail
        if tail and not (in_math and tail.isspace()):
            parts.append(tail)


def _leaf(el: Element) -> str | None:
    """Stripped text of a leaf element (names, identifiers, codes); None when empty."""
    text = el.text
    if not text:
        return None
    return text.strip() or None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Dates


def _pub_date(el: Element) -> PubDate:
    year = month = day = None
    season = medline = None
    for c in el:
        tag = c.tag
        if tag == "Year":
            year = _int(c.text)
        elif tag == "Month":
            month = _month(c.text)
        elif tag == "Day":
            day = _int(c.text)
        elif tag == "Season":
            season = _leaf(c)
        elif tag == "MedlineDate":
            medline = _text(c)
    if medline is not None:
        m = _MEDLINE_DATE.search(medline)
        if m is not None:
            year = int(m.group(1))
            word = m.group(2)
            if word is not None:
                month = _MONTHS.get(word[:3].lower())
                if month is None:
                    season = _SEASONS.get(word.lower())
                elif m.group(3) is not None:
                    day = int(m.group(3))
    return PubDate(year, month, day, season, medline)


def _date(el: Element, date_type: str | None) -> Date | None:
    # The DTD fixes Year, Month, Day[, Hour[, Minute[, Second]]], all digits in practice: read
    # them by position after checking the tags, else match tags one by one.
    kids = [(c.tag, c.text) for c in el]
    n = len(kids)
    try:
        if n >= 3 and kids[0][0] == "Year" and kids[1][0] == "Month" and kids[2][0] == "Day":
            if n == 3:
                return Date(int(kids[0][1]), int(kids[1][1]), int(kids[2][1]), date_type)  # type: ignore[arg-type]
            if kids[3][0] == "Hour" and n >= 5 and kids[4][0] == "Minute":
                return Date(
                    int(kids[0][1]),  # type: ignore[arg-type]
                    int(kids[1][1]),  # type: ignore[arg-type]
                    int(kids[2][1]),  # type: ignore[arg-type]
                    date_type,
                    int(kids[3][1]),  # type: ignore[arg-type]
                    int(kids[4][1]),  # type: ignore[arg-type]
                )
    except (TypeError, ValueError):
        pass
    year = month = day = hour = minute = None
    for tag, text in kids:
        if tag == "Year":
            year = _int(text)
        elif tag == "Month":
            month = _month(text)
        elif tag == "Day":
            day = _int(text)
        elif tag == "Hour":
            hour = _int(text)
        elif tag == "Minute":
            minute = _int(text)
    if year is None:
        return None
    return Date(year, month, day, date_type, hour, minute)


def _month(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    month = _MONTHS.get(text)
    return month if month is not None else _MONTHS.get(text[:3].lower())


# ---------------------------------------------------------------------------------------------
# Parts shared by articles and books


def _orcid(value: str) -> str | None:
    """Bare ORCID from the spellings found in PubMed: URL, spaces, missing hyphens."""
    text = value.rsplit("/", 1)[-1].replace("-", "").replace(" ", "").upper()
    if len(text) == 16 and text[:15].isdigit() and (text[15].isdigit() or text[15] == "X"):
        return f"{text[:4]}-{text[4:8]}-{text[8:12]}-{text[12:]}"
    return None


def _author(el: Element) -> Author:
    last = fore = initials = suffix = collective = orcid = None
    identifiers: list[Identifier] | None = None
    affiliations: list[Affiliation] | None = None
    for c in el:
        tag = c.tag
        text = c.text
        if tag == "LastName":
            last = text.strip() or None if text else None
        elif tag == "ForeName":
            fore = text.strip() or None if text else None
        elif tag == "Initials":
            initials = text.strip() or None if text else None
        elif tag == "AffiliationInfo":
            if affiliations is None:
                affiliations = []
            affiliations.append(_affiliation(c))
        elif tag == "Identifier":
            if text and not text.isspace():
                text = text.strip()
                source = c.get("Source", "")
                if identifiers is None:
                    identifiers = []
                identifiers.append(Identifier(source, text))
                if orcid is None and source == "ORCID":
                    orcid = _orcid(text)
        elif tag == "Suffix":
            suffix = text.strip() or None if text else None
        elif tag == "CollectiveName":
            collective = _text(c)
    eq = el.get("EqualContrib")
    return Author(
        last,
        fore,
        initials,
        suffix,
        collective,
        orcid,
        () if identifiers is None else tuple(identifiers),
        () if affiliations is None else tuple(affiliations),
        el.get("ValidYN") != "N",
        None if eq is None else eq == "Y",
    )


def _affiliation(el: Element) -> Affiliation:
    name = ""
    identifiers: list[Identifier] = []
    for c in el:
        if c.tag == "Affiliation":
            name = _text(c) or ""
        elif c.tag == "Identifier":
            value = _leaf(c)
            if value is not None:
                identifiers.append(Identifier(c.get("Source", ""), value))
    return Affiliation(name, tuple(identifiers))


def _abstract(el: Element) -> tuple[tuple[AbstractSection, ...], str | None]:
    sections: list[AbstractSection] = []
    copyright_ = None
    for c in el:
        tag = c.tag
        if tag == "AbstractText":
            text = _text(c)
            label = c.get("Label")
            if text is not None or label:
                sections.append(AbstractSection(text or "", label or None, c.get("NlmCategory")))
        elif tag == "CopyrightInformation":
            copyright_ = _text(c)
    return tuple(sections), copyright_


def _pagination(el: Element) -> Pagination:
    medline = start = end = None
    for c in el:
        tag = c.tag
        if tag == "MedlinePgn":
            medline = _leaf(c)
        elif tag == "StartPage":
            start = _leaf(c)
        elif tag == "EndPage":
            end = _leaf(c)
    return Pagination(medline, start, end)


def _elocation(el: Element) -> ELocationId | None:
    value = _leaf(el)
    if value is None:
        return None
    return ELocationId(el.get("EIdType", ""), value, el.get("ValidYN") != "N")


def _publication_type(el: Element) -> PublicationType | None:
    name = _leaf(el)
    return None if name is None else PublicationType(name, el.get("UI"))


def _keywords(el: Element, out: list[Keyword]) -> None:
    owner = el.get("Owner")
    for c in el.iterchildren("Keyword"):
        text = _text(c)
        if text is not None:
            out.append(Keyword(text, c.get("MajorTopicYN") == "Y", owner))


def _grants(el: Element) -> tuple[Grant, ...]:
    grants: list[Grant] = []
    for g in el.iterchildren("Grant"):
        gid = acronym = agency = country = None
        for c in g:
            tag = c.tag
            if tag == "GrantID":
                gid = _leaf(c)
            elif tag == "Agency":
                agency = _text(c)
            elif tag == "Country":
                country = _leaf(c)
            elif tag == "Acronym":
                acronym = _leaf(c)
        grants.append(Grant(gid, acronym, agency, country))
    return tuple(grants)


def _article_ids(el: Element) -> tuple[ArticleId, ...]:
    ids: list[ArticleId] = []
    for c in el.iterchildren("ArticleId"):
        value = c.text
        if value:
            value = value.strip()
            if value:
                ids.append(ArticleId(c.get("IdType", "pubmed"), value))
    return tuple(ids)


def _references(el: Element, out: list[CitedReference]) -> None:
    """Every `<Reference>` of a `<ReferenceList>`, including nested (titled) sub-lists."""
    # Flat pass: a Reference opens an entry; its Citation and ArticleIds follow it.
    citation: str | None = None
    ids: list[ArticleId] | None = None
    for e in el.iter("Reference", "Citation", "ArticleId"):
        tag = e.tag
        if tag == "Reference":
            if ids is not None:
                out.append(CitedReference(citation, tuple(ids)))
            citation = None
            ids = []
        elif ids is None:
            continue  # a Citation or ArticleId outside any Reference: not DTD-valid, ignored
        elif tag == "Citation":
            citation = _text(e)
        else:
            value = e.text
            if value:
                value = value.strip()
                if value:
                    ids.append(ArticleId(e.get("IdType", "pubmed"), value))
    if ids is not None:
        out.append(CitedReference(citation, tuple(ids)))


def _history(el: Element) -> tuple[Date, ...]:
    # One flat pass with the tags matched in C; the DTD puts Year, Month, Day, Hour, Minute in
    # that order inside each PubMedPubDate. Anything unexpected (a month name, a missing part)
    # falls back to reading each date on its own.
    dates: list[Date] = []
    status = None
    parts: list[int] = []
    expected = _HISTORY_ORDER
    try:
        for e in el.iter("PubMedPubDate", "Year", "Month", "Day", "Hour", "Minute"):
            tag = e.tag
            if tag == "PubMedPubDate":
                if parts:
                    dates.append(_history_date(status, parts))
                    parts = []
                status = e.get("PubStatus")
            elif tag == expected[len(parts)]:
                parts.append(int(e.text))  # type: ignore[arg-type]
            else:
                raise ValueError(tag)
        if parts:
            dates.append(_history_date(status, parts))
    except (IndexError, TypeError, ValueError):
        return tuple(
            [
                date
                for c in el.iterchildren("PubMedPubDate")
                if (date := _date(c, c.get("PubStatus"))) is not None
            ]
        )
    return tuple(dates)


_HISTORY_ORDER = ("Year", "Month", "Day", "Hour", "Minute")


def _history_date(status: str | None, parts: list[int]) -> Date:
    n = len(parts)
    if n == 3:
        return Date(parts[0], parts[1], parts[2], status)
    if n == 5:
        return Date(parts[0], parts[1], parts[2], status, parts[3], parts[4])
    raise ValueError("incomplete history date")


def _investigators(el: Element) -> tuple[Author, ...]:
    return tuple([_author(c) for c in el.iterchildren("Investigator")])


def _pick_ids(
    article_ids: tuple[ArticleId, ...], elocations: list[ELocationId]
) -> tuple[str | None, str | None, str | None]:
    doi = pmcid = pii = None
    for aid in article_ids:
        t = aid.id_type
        if t == "doi":
            if doi is None:
                doi = aid.value
        elif t == "pmc":
            if pmcid is None:
                pmcid = aid.value
        elif t == "pii" and pii is None:
            pii = aid.value
    if doi is None or pii is None:
        for e in elocations:
            if e.eid_type == "doi" and doi is None:
                doi = e.value
            elif e.eid_type == "pii" and pii is None:
                pii = e.value
    return doi, pmcid, pii


def _comment(el: Element) -> CommentCorrection:
    source = pmid = note = None
    version = None
    for c in el:
        tag = c.tag
        if tag == "RefSource":
            source = _text(c)
        elif tag == "PMID":
            pmid = _leaf(c)
            version = _int(c.get("Version"))
        elif tag == "Note":
            note = _text(c)
    return CommentCorrection(el.get("RefType", ""), source, pmid, version, note)


def _databank(el: Element) -> DataBank:
    name = ""
    numbers: list[str] = []
    for c in el:
        if c.tag == "DataBankName":
            name = _leaf(c) or ""
        elif c.tag == "AccessionNumberList":
            for a in c.iterchildren("AccessionNumber"):
                value = _leaf(a)
                if value is not None:
                    numbers.append(value)
    return DataBank(name, tuple(numbers))


# ---------------------------------------------------------------------------------------------
# <PubmedArticle>

# Headings without qualifiers repeat across records ("Humans", "Female"...), and qualifiers
# repeat everywhere: sharing one immutable record per distinct element saves building it again,
# and memory in consumers that keep papers. Keys are the element's text and attributes.
_MeshKey = tuple[object, ...]
_MESH_CACHE: dict[_MeshKey, MeshHeading] = {}
_QUALIFIER_CACHE: dict[_MeshKey, MeshQualifier] = {}
_CACHE_LIMIT = 100_000  # MeSH has ~30,000 descriptors; the bound only guards odd input


def _mesh(el: Element) -> tuple[MeshHeading, ...]:
    # One flat pass over the list: each descriptor opens a heading, and the qualifiers after it
    # (the DTD fixes DescriptorName, QualifierName*) belong to it. A single iterator over the
    # list is much cheaper than one per heading.
    headings: list[MeshHeading] = []
    qcache = _QUALIFIER_CACHE
    descriptor: Element | None = None
    key: _MeshKey = ()
    quals: list[MeshQualifier] = []
    for e in el.iter("DescriptorName", "QualifierName"):
        if e.tag == "DescriptorName":
            if descriptor is not None:
                headings.append(_mesh_heading(descriptor, key, quals))
                quals = []
            descriptor = e
            key = (e.text, *e.items())
        elif descriptor is not None:
            qkey = (e.text, *e.items())
            qual = qcache.get(qkey)
            if qual is None:
                qual = MeshQualifier(e.get("UI"), _leaf(e) or "", e.get("MajorTopicYN") == "Y")
                if len(qcache) < _CACHE_LIMIT:
                    qcache[qkey] = qual
            quals.append(qual)
    if descriptor is not None:
        headings.append(_mesh_heading(descriptor, key, quals))
    return tuple(headings)


def _mesh_heading(d: Element, key: _MeshKey, quals: list[MeshQualifier]) -> MeshHeading:
    if quals:
        return MeshHeading(
            d.get("UI"), _leaf(d) or "", d.get("MajorTopicYN") == "Y", tuple(quals), d.get("Type")
        )
    heading = _MESH_CACHE.get(key)
    if heading is None:
        heading = MeshHeading(
            d.get("UI"), _leaf(d) or "", d.get("MajorTopicYN") == "Y", (), d.get("Type")
        )
        if len(_MESH_CACHE) < _CACHE_LIMIT:
            _MESH_CACHE[key] = heading
    return heading


def _chemicals(el: Element) -> tuple[Chemical, ...]:
    # Flat pass; the DTD fixes Chemical = (RegistryNumber, NameOfSubstance).
    chemicals: list[Chemical] = []
    registry = None
    for e in el.iter("RegistryNumber", "NameOfSubstance"):
        text = e.text
        if e.tag == "RegistryNumber":
            registry = text.strip() or None if text else None
            if registry == "0":  # NLM's placeholder for "no registry number"
                registry = None
        else:
            name = text.strip() if text else ""
            if name:
                chemicals.append(Chemical(name, registry, e.get("UI")))
            registry = None
    return tuple(chemicals)


class _ArticleParts:
    """What `<Article>` holds, gathered by `_article_element`."""

    __slots__ = (
        "article_dates",
        "authors",
        "authors_complete",
        "cited_medium",
        "copyright",
        "databanks",
        "elocations",
        "grants",
        "issue",
        "journal",
        "languages",
        "pagination",
        "pub_date",
        "pub_model",
        "pub_types",
        "sections",
        "title",
        "vernacular",
        "volume",
    )

    def __init__(self) -> None:
        self.article_dates: list[Date] = []
        self.authors: tuple[Author, ...] = ()
        self.authors_complete = True
        self.cited_medium: str | None = None
        self.copyright: str | None = None
        self.databanks: tuple[DataBank, ...] = ()
        self.elocations: list[ELocationId] = []
        self.grants: tuple[Grant, ...] = ()
        self.issue: str | None = None
        self.journal: Journal | None = None
        self.languages: list[str] = []
        self.pagination: Pagination | None = None
        self.pub_date: PubDate | None = None
        self.pub_model: str | None = None
        self.pub_types: list[PublicationType] = []
        self.sections: tuple[AbstractSection, ...] = ()
        self.title: str | None = None
        self.vernacular: str | None = None
        self.volume: str | None = None


def _article_element(a: Element) -> _ArticleParts:
    parts = _ArticleParts()
    parts.pub_model = a.get("PubModel")
    for c in a:
        tag = c.tag
        if tag == "AuthorList":
            parts.authors = tuple([_author(x) for x in c])
            parts.authors_complete = c.get("CompleteYN") != "N"
        elif tag == "ArticleTitle":
            parts.title = _text(c)
        elif tag == "Journal":
            _journal(c, parts)
        elif tag == "Abstract":
            parts.sections, parts.copyright = _abstract(c)
        elif tag == "PublicationTypeList":
            for p in c:
                ptype = _publication_type(p)
                if ptype is not None:
                    parts.pub_types.append(ptype)
        elif tag == "Language":
            lang = _leaf(c)
            if lang is not None:
                parts.languages.append(lang)
        elif tag == "Pagination":
            parts.pagination = _pagination(c)
        elif tag == "ELocationID":
            loc = _elocation(c)
            if loc is not None:
                parts.elocations.append(loc)
        elif tag == "ArticleDate":
            date = _date(c, c.get("DateType"))
            if date is not None:
                parts.article_dates.append(date)
        elif tag == "GrantList":
            parts.grants = _grants(c)
        elif tag == "DataBankList":
            parts.databanks = tuple([_databank(d) for d in c.iterchildren("DataBank")])
        elif tag == "VernacularTitle":
            parts.vernacular = _text(c)
    return parts


def _journal(el: Element, parts: _ArticleParts) -> None:
    title = iso = issn = issn_type = None
    for c in el:
        tag = c.tag
        if tag == "JournalIssue":
            parts.cited_medium = c.get("CitedMedium")
            for j in c:
                jtag = j.tag
                if jtag == "PubDate":
                    parts.pub_date = _pub_date(j)
                elif jtag == "Volume":
                    parts.volume = _leaf(j)
                elif jtag == "Issue":
                    parts.issue = _leaf(j)
        elif tag == "Title":
            title = _text(c)
        elif tag == "ISOAbbreviation":
            iso = _leaf(c)
        elif tag == "ISSN":
            issn = _leaf(c)
            issn_type = c.get("IssnType")
    parts.journal = Journal(title, iso, issn, issn_type)


def _article(el: Element) -> Paper:
    mc = pd = None
    for part in el:  # cheaper than two find() calls, which go through ElementPath
        if part.tag == "MedlineCitation":
            mc = part
        elif part.tag == "PubmedData":
            pd = part
    if mc is None:
        raise _RecordError("<PubmedArticle> without <MedlineCitation>")
    pmid = ""
    pmid_version = 1
    parts: _ArticleParts | None = None
    other_abstracts: list[OtherAbstract] = []
    investigators: tuple[Author, ...] = ()
    date_completed = date_revised = None
    mesh: tuple[MeshHeading, ...] = ()
    suppl: list[SupplementaryConcept] = []
    keywords: list[Keyword] = []
    chemicals: tuple[Chemical, ...] = ()
    comments: tuple[CommentCorrection, ...] = ()
    subsets: list[str] = []
    other_ids: list[OtherId] = []
    coi = None
    medline_ta = nlm_id = issn_linking = country = None

    for c in mc:
        tag = c.tag
        if tag == "Article":
            parts = _article_element(c)
        elif tag == "MeshHeadingList":
            mesh = _mesh(c)
        elif tag == "PMID":
            pmid = _leaf(c) or ""
            pmid_version = _int(c.get("Version")) or 1
        elif tag == "MedlineJournalInfo":
            for j in c:
                jtag = j.tag
                text = j.text
                text = text.strip() or None if text else None
                if jtag == "MedlineTA":
                    medline_ta = text
                elif jtag == "NlmUniqueID":
                    nlm_id = text
                elif jtag == "ISSNLinking":
                    issn_linking = text
                elif jtag == "Country":
                    country = text
        elif tag == "DateRevised":
            date_revised = _date(c, None)
        elif tag == "DateCompleted":
            date_completed = _date(c, None)
        elif tag == "ChemicalList":
            chemicals = _chemicals(c)
        elif tag == "CitationSubset":
            subset = _leaf(c)
            if subset is not None:
                subsets.append(subset)
        elif tag == "KeywordList":
            _keywords(c, keywords)
        elif tag == "CommentsCorrectionsList":
            comments = tuple([_comment(x) for x in c.iterchildren("CommentsCorrections")])
        elif tag == "CoiStatement":
            coi = _text(c)
        elif tag == "OtherID":
            value = _leaf(c)
            if value is not None:
                other_ids.append(OtherId(c.get("Source", ""), value))
        elif tag == "OtherAbstract":
            osections, ocopyright = _abstract(c)
            other_abstracts.append(
                OtherAbstract(osections, c.get("Type"), c.get("Language"), ocopyright)
            )
        elif tag == "InvestigatorList":
            investigators = _investigators(c)
        elif tag == "SupplMeshList":
            for s in c.iterchildren("SupplMeshName"):
                name = _leaf(s)
                if name is not None:
                    suppl.append(SupplementaryConcept(s.get("UI"), name, s.get("Type")))
    if parts is None:
        parts = _ArticleParts()

    journal = parts.journal
    if medline_ta or nlm_id or issn_linking or country:
        if journal is None:
            journal = Journal()
        journal = Journal(
            journal.title,
            journal.iso_abbreviation,
            journal.issn,
            journal.issn_type,
            issn_linking,
            nlm_id,
            medline_ta,
            country,
        )

    article_ids: tuple[ArticleId, ...] = ()
    history: tuple[Date, ...] = ()
    publication_status = None
    references: list[CitedReference] = []
    if pd is not None:
        for c in pd:
            tag = c.tag
            if tag == "ArticleIdList":
                article_ids = _article_ids(c)
            elif tag == "History":
                history = _history(c)
            elif tag == "PublicationStatus":
                publication_status = _leaf(c)
            elif tag == "ReferenceList":
                _references(c, references)
    elocations = parts.elocations
    doi, pmcid, pii = _pick_ids(article_ids, elocations)

    return Paper(
        pmid,
        "article",
        pmid_version,
        doi,
        pmcid,
        pii,
        article_ids,
        tuple(other_ids),
        parts.title,
        parts.vernacular,
        parts.sections,
        parts.copyright,
        tuple(other_abstracts),
        parts.authors,
        parts.authors_complete,
        investigators,
        journal,
        parts.volume,
        parts.issue,
        parts.cited_medium,
        parts.pagination,
        tuple(elocations),
        parts.pub_date,
        tuple(parts.article_dates),
        date_completed,
        date_revised,
        history,
        parts.pub_model,
        publication_status,
        mc.get("Status"),
        tuple(parts.languages),
        tuple(parts.pub_types),
        mesh,
        tuple(suppl),
        tuple(keywords),
        chemicals,
        parts.grants,
        parts.databanks,
        tuple(references),
        comments,
        tuple(subsets),
        coi,
        None,
    )


# ---------------------------------------------------------------------------------------------
# <PubmedBookArticle>


def _book_article(el: Element) -> Paper:
    doc = el.find("BookDocument")
    if doc is None:
        raise _RecordError("<PubmedBookArticle> without <BookDocument>")
    pmid = ""
    pmid_version = 1
    doc_ids: tuple[ArticleId, ...] = ()
    book = None
    title = vernacular = None
    sections: tuple[AbstractSection, ...] = ()
    abstract_copyright = None
    authors: list[Author] = []
    authors_complete = True
    investigators: tuple[Author, ...] = ()
    pagination = None
    languages: list[str] = []
    pub_types: list[PublicationType] = []
    keywords: list[Keyword] = []
    grants: tuple[Grant, ...] = ()
    references: list[CitedReference] = []
    date_revised = None
    contribution: list[Date] = []
    elocations: list[ELocationId] = []
    for c in doc:
        tag = c.tag
        if tag == "PMID":
            pmid = _leaf(c) or ""
            pmid_version = _int(c.get("Version")) or 1
        elif tag == "ArticleIdList":
            doc_ids = _article_ids(c)
        elif tag == "Book":
            book, book_elocations = _book(c)
            elocations.extend(book_elocations)
        elif tag == "ArticleTitle":
            title = _text(c)
        elif tag == "VernacularTitle":
            vernacular = _text(c)
        elif tag == "Pagination":
            pagination = _pagination(c)
        elif tag == "Language":
            lang = _leaf(c)
            if lang is not None:
                languages.append(lang)
        elif tag == "AuthorList":
            # A book document's own AuthorList has Type "authors" (or none); editors belong
            # to the Book.
            if c.get("Type", "authors") == "authors":
                authors.extend(_author(x) for x in c.iterchildren("Author"))
                authors_complete = authors_complete and c.get("CompleteYN", "Y") == "Y"
        elif tag == "InvestigatorList":
            investigators = _investigators(c)
        elif tag == "PublicationType":
            ptype = _publication_type(c)
            if ptype is not None:
                pub_types.append(ptype)
        elif tag == "Abstract":
            sections, abstract_copyright = _abstract(c)
        elif tag == "KeywordList":
            _keywords(c, keywords)
        elif tag == "ContributionDate":
            date = _date(c, "Contribution")
            if date is not None:
                contribution.append(date)
        elif tag == "DateRevised":
            date_revised = _date(c, None)
        elif tag == "GrantList":
            grants = _grants(c)
        elif tag == "ReferenceList":
            _references(c, references)
        elif tag == "ELocationID":
            loc = _elocation(c)
            if loc is not None:
                elocations.append(loc)

    article_ids = doc_ids
    history: tuple[Date, ...] = ()
    publication_status = None
    data = el.find("PubmedBookData")
    if data is not None:
        for c in data:
            if c.tag == "ArticleIdList":
                seen = set(article_ids)
                article_ids += tuple(a for a in _article_ids(c) if a not in seen)
            elif c.tag == "History":
                history = _history(c)
            elif c.tag == "PublicationStatus":
                publication_status = _leaf(c)
    doi, pmcid, pii = _pick_ids(article_ids, elocations)

    return Paper(
        pmid=pmid,
        kind="book",
        pmid_version=pmid_version,
        doi=doi,
        pmcid=pmcid,
        pii=pii,
        article_ids=article_ids,
        title=title if title is not None else (book.title if book is not None else None),
        vernacular_title=vernacular,
        abstract_sections=sections,
        abstract_copyright=abstract_copyright,
        authors=tuple(authors),
        authors_complete=authors_complete,
        investigators=investigators,
        volume=book.volume if book is not None else None,
        pagination=pagination,
        elocation_ids=tuple(elocations),
        pub_date=book.pub_date if book is not None else None,
        article_dates=tuple(contribution),
        date_revised=date_revised,
        history=history,
        publication_status=publication_status,
        languages=tuple(languages),
        publication_types=tuple(pub_types),
        keywords=tuple(keywords),
        grants=grants,
        references=tuple(references),
        book=book,
    )


def _book(el: Element) -> tuple[Book, list[ELocationId]]:
    title = book_id = publisher = location = None
    pub_date = beginning = ending = None
    editors: list[Author] = []
    volume = volume_title = edition = collection = medium = report = None
    isbns: list[str] = []
    elocations: list[ELocationId] = []
    for c in el:
        tag = c.tag
        if tag == "Publisher":
            for p in c:
                if p.tag == "PublisherName":
                    publisher = _text(p)
                elif p.tag == "PublisherLocation":
                    location = _text(p)
        elif tag == "BookTitle":
            title = _text(c)
            book_id = c.get("book")
        elif tag == "PubDate":
            pub_date = _pub_date(c)
        elif tag == "BeginningDate":
            beginning = _pub_date(c)
        elif tag == "EndingDate":
            ending = _pub_date(c)
        elif tag == "AuthorList":
            editors.extend(_author(x) for x in c.iterchildren("Author"))
        elif tag == "Volume":
            volume = _leaf(c)
        elif tag == "VolumeTitle":
            volume_title = _text(c)
        elif tag == "Edition":
            edition = _text(c)
        elif tag == "CollectionTitle":
            collection = _text(c)
        elif tag == "Isbn":
            isbn = _leaf(c)
            if isbn is not None:
                isbns.append(isbn)
        elif tag == "ELocationID":
            loc = _elocation(c)
            if loc is not None:
                elocations.append(loc)
        elif tag == "Medium":
            medium = _leaf(c)
        elif tag == "ReportNumber":
            report = _leaf(c)
    book = Book(
        title,
        book_id,
        publisher,
        location,
        pub_date,
        beginning,
        ending,
        tuple(editors),
        volume,
        volume_title,
        edition,
        collection,
        tuple(isbns),
        medium,
        report,
    )
    return book, elocations
