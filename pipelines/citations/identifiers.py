"""Identifiers printed in text: DOIs, PMIDs, PMCIDs, NCT trial numbers and URLs, with spans.

Every pattern here is a single pass with bounded or possessive-free simple repeats, so the
scan is linear in the text; DOI repair looks ahead a bounded number of characters per DOI.
"""

import re
from urllib.parse import unquote

from pipelines.citations.records import Identifier, IdentifierKind, Span

# Resolver and label prefixes that belong to the identifier's span when printed before it.
_DOI_PREFIX = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/|\bdoi\s*:?\s*|\bDOI\s*:?\s*)$",
    re.IGNORECASE,
)
# The registrant part "10.1234/" may itself be broken by spaces in copied text.
_DOI_START = re.compile(r"\b10[ \t]?\.[ \t]?(\d{4,9})(?:\.\d+)*[ \t]?(?:/|%2[Ff])[ \t]?")
_DOI_BODY = re.compile(r"[^\s\"<>{}|\\^`]+")
_DOI_CONTINUATION = re.compile(r"(?:[ \t]{0,2}\r?\n?[ \t]{0,2})([^\s\"<>{}|\\^`]+)")
_TRAILING = ".,;:!?'’\"”»"
_DOI_CHUNK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/()]*")

_PMID = re.compile(
    r"\b(?:PubMed\s+)?PMID\s*[:#]?\s*(\d{1,9})\b"
    r"|\bpubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})\b"
    r"|\bncbi\.nlm\.nih\.gov/(?:entrez/query\.fcgi\?[^\s]{0,80}?list_uids=|pubmed/)(\d{1,9})\b",
    re.IGNORECASE,
)
_PMCID = re.compile(r"\bPMC(?:ID)?\s*[:#]?\s*(?:PMC)?[ \t]?(\d{4,9})\b", re.IGNORECASE)
_NCT = re.compile(r"\bNCT[ \t]?(\d{8})\b", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'{}|\\^`\]]+", re.IGNORECASE)


def _trim(text: str, start: int, end: int) -> int:
    """End of `text[start:end]` without trailing punctuation or an unbalanced bracket."""
    while end > start:
        last = text[end - 1]
        if last in _TRAILING:
            end -= 1
            continue
        if last in ")]":
            opener = "(" if last == ")" else "["
            chunk = text[start:end]
            if chunk.count(opener) < chunk.count(last):
                end -= 1
                continue
        break
    return end


def _joinable(previous: str, chunk: str) -> bool:
    """Whether `chunk`, after a line break or space, continues a DOI that ended in `previous`.

    Wrapping breaks a DOI after a separator: after "/", "-" or "_" a DOI cannot end, so the
    next chunk belongs to it; after "." it may be the end of the sentence, so only a chunk that
    cannot start a new sentence or entry (lower-case, or a long run of digits) is joined.
    """
    core = chunk.rstrip(_TRAILING)
    if not _DOI_CHUNK.fullmatch(core):
        return False
    if previous.endswith(("/", "-", "_")):
        return True
    if not previous.endswith(".") or previous.endswith(".."):
        return False
    if core.isdigit():
        return len(core) >= 5  # "pone. 0000217" yes; "2." (the next entry) or "2019" no
    return core[0].islower() and any(c.isdigit() or c == "." for c in core)


def find_dois(text: str) -> list[Identifier]:
    found: list[Identifier] = []
    position = 0
    while True:
        head = _DOI_START.search(text, position)
        if head is None:
            return found
        body = _DOI_BODY.match(text, head.end())
        if body is None:
            position = head.end()
            continue
        end = body.end()
        # Repair a DOI broken across a line or by a stray space (bounded: a few joins at most).
        for _ in range(4):
            piece = text[head.start() : end]
            if not piece.endswith((".", "-", "/", "_")):
                break
            more = _DOI_CONTINUATION.match(text, end)
            if more is None or more.start(1) == end or not _joinable(piece, more.group(1)):
                break
            end = more.end(1)
        end = _trim(text, head.start(), end)
        raw = text[head.start() : end]
        value = re.sub(r"\s+", "", unquote(raw)).lower()
        if "/" in value and len(value.split("/", 1)[1]) >= 1:
            prefix = _DOI_PREFIX.search(text, max(0, head.start() - 24), head.start())
            start = prefix.start() if prefix else head.start()
            found.append(Identifier("doi", value, (start, end)))
        position = max(end, head.end())


def _simple(pattern: re.Pattern[str], kind: IdentifierKind, text: str) -> list[Identifier]:
    out: list[Identifier] = []
    for match in pattern.finditer(text):
        digits = next(g for g in match.groups() if g)
        if kind == "pmcid":
            value = f"PMC{digits}"
        elif kind == "nct":
            value = f"NCT{digits}"
        else:
            value = digits.lstrip("0") or "0"
        out.append(Identifier(kind, value, (match.start(), match.end())))
    return out


def find_urls(text: str) -> list[Identifier]:
    out: list[Identifier] = []
    for match in _URL.finditer(text):
        end = _trim(text, match.start(), match.end())
        value = text[match.start() : end]
        if value.lower().startswith("www."):
            value = "http://" + value
        out.append(Identifier("url", value, (match.start(), end)))
    return out


def find_identifiers(text: str) -> list[Identifier]:
    """All identifiers in `text`, ordered by position; a URL that is only a resolver link to
    a DOI, PMID or PMCID is reported both as that identifier and as the URL."""
    found = find_dois(text)
    found += _simple(_PMID, "pmid", text)
    found += [i for i in _simple(_PMCID, "pmcid", text) if _not_pmid_echo(text, i.span)]
    found += _simple(_NCT, "nct", text)
    found += find_urls(text)
    found.sort(key=lambda i: (i.span[0], i.kind))
    return found


def _not_pmid_echo(text: str, span: Span) -> bool:
    """A PMCID match must start with the letters PMC (not be digits after "PMCID:" only)."""
    return text[span[0] : span[0] + 3].upper() == "PMC"


def normalize_doi(value: str) -> str:
    """A DOI without resolver prefix, spaces or trailing punctuation, lower-cased."""
    dois = find_dois(value)
    return dois[0].value if dois else value.strip().lower()
