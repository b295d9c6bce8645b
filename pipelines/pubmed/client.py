"""The one door to NCBI E-utilities: `EutilsClient`.

Bio.Entrez builds and sends every request; around it this module adds what Bio.Entrez lacks:

- a configurable base URL (for mirrors, proxies and loopback test servers) and a separate one for
  the PMC ID Converter, which lives on another host; no other host is ever contacted;
- a timeout on every request;
- one rate limiter for every thread of the process (3 requests/s, 10/s with an API key);
- exponential backoff with jitter on 429, 5xx, timeouts and broken connections, honouring
  Retry-After, instead of Bio.Entrez's immediate retries (its own retry is switched off);
- validation of every response before use: the XML parses with no DTD, no entity expansion and
  no network; no `<ERROR>` element; no HTML page sent with status 200; EFetch payloads end with
  their closing root element; JSON and text answers are complete;
- a raw-response cache (`pipelines.pubmed.cache`) holding only validated responses, an offline
  mode that answers from it and names each miss, and a refresh mode that fetches again.

Failures raise `EutilsError` subclasses carrying the request, the reason and whether the failure
is transient; a failure is never returned as "no results".

Bio.Entrez is configured through module globals. The client never relies on them: identity
(email, tool, API key) is passed with each request, and the hooks it needs (`_build_request`,
`urlopen`, `max_tries`, Bio's own spacing sleep) are swapped in only while one of our calls is
in flight and restored, identical, when the last one ends. Other threads using Bio.Entrez
directly in the meantime keep their own behaviour, except that Bio's retries are off.
"""

from __future__ import annotations

import email.utils
import http.client
import io
import json
import logging
import math
import random
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from Bio import Entrez as _bio_entrez
from lxml import etree

from pipelines.errors import PipelineError
from pipelines.pubmed.cache import Request, ResponseCache
from pipelines.pubmed.parse import iter_pubmed
from pipelines.pubmed.records import Paper

__all__ = [
    "NCBI_EUTILS_URL",
    "NCBI_IDCONV_URL",
    "Citation",
    "CitationMatch",
    "EutilsBadResponse",
    "EutilsClient",
    "EutilsConnectionError",
    "EutilsError",
    "EutilsHTTPError",
    "EutilsRefused",
    "EutilsTimeout",
    "IdRecord",
    "OfflineMiss",
    "PaperStream",
    "RateLimiter",
    "shared_rate_limiter",
]

log = logging.getLogger(__name__)

NCBI_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
NCBI_IDCONV_URL = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"

EFETCH_BATCH = 200  # NCBI's advice for EFetch; Bio.Entrez POSTs lists this long
IDCONV_BATCH = 200  # the ID Converter's limit per request
ECITMATCH_BATCH = 100
SEARCH_PAGE = 10_000  # ESearch's largest retmax for PubMed
# Spacing between requests: NCBI allows 3/s without a key, 10/s with one; a little margin
# because NCBI counts on its side of the network.
INTERVAL_NO_KEY = 0.35
INTERVAL_WITH_KEY = 0.105

# Any Bio.Entrez call goes through this alias, typed Any: Biopython is typed but these
# functions are not annotated.
_E: Any = _bio_entrez
_PMID = re.compile(r"^[1-9][0-9]{0,9}$")
_PMCID = re.compile(r"^PMC[0-9]+$", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# `<ERROR>` texts NCBI sends when its back end is overloaded: worth retrying.
_TRANSIENT_ERROR_TEXT = re.compile(
    r"backend|back-end|temporar|unavailable|timeout|timed out|try again|busy|"
    r"unable to obtain query|server error|internal error",
    re.IGNORECASE,
)
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s/>]")
_PROLOG_BYTES = 1 << 16  # a DOCTYPE comes before the root element, so near the start
# Hosts whose DTDs NCBI names in its DOCTYPEs; we never fetch them, but another host there
# means the document did not come from NCBI as sent.
_NCBI_DTD_HOST = re.compile(r"(^|\.)(ncbi\.nlm\.nih\.gov|nlm\.nih\.gov)$", re.IGNORECASE)
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


# ---------------------------------------------------------------------------------------------
# Errors


class EutilsError(PipelineError):
    """An E-utilities request failed. `transient` says whether trying again later may succeed;
    `request` names the request (never with the API key) and `reason` says what went wrong."""

    def __init__(
        self, request: str, reason: str, *, transient: bool, attempts: int | None = None
    ) -> None:
        super().__init__(f"{request}: {reason}{_after(attempts or 1)}")
        self.request = request
        self.reason = reason
        self.transient = transient
        self.attempts = attempts

    def after(self, attempts: int) -> EutilsError:
        """This error, its message saying how many attempts were made."""
        self.attempts = attempts
        self.args = (f"{self.request}: {self.reason}{_after(attempts)}",)
        return self


class EutilsHTTPError(EutilsError):
    """An HTTP error status; 429 and 5xx are transient. `retry_after` is in seconds."""

    def __init__(
        self, request: str, status: int, reason: str, *, retry_after: float | None = None
    ) -> None:
        transient = status == 429 or status >= 500
        super().__init__(request, f"HTTP {status}: {reason}", transient=transient)
        self.status = status
        self.retry_after = retry_after


class EutilsTimeout(EutilsError):
    """No complete answer within the timeout."""

    def __init__(self, request: str, reason: str) -> None:
        super().__init__(request, reason, transient=True)


class EutilsConnectionError(EutilsError):
    """The connection failed or broke off mid-response."""

    def __init__(self, request: str, reason: str) -> None:
        super().__init__(request, reason, transient=True)


class EutilsBadResponse(EutilsError):
    """A response that arrived but cannot be trusted: an HTML page sent with 200, an `<ERROR>`
    element, truncated or malformed XML/JSON/text, or hostile XML (entity declarations, a
    DOCTYPE naming a DTD outside NCBI)."""


class EutilsRefused(EutilsError):
    """The client refused to contact a host other than the configured ones."""

    def __init__(self, request: str, reason: str) -> None:
        super().__init__(request, reason, transient=False)


class OfflineMiss(EutilsError):
    """Offline mode and the cache does not hold this request."""

    def __init__(self, request: str) -> None:
        super().__init__(request, "offline and not in the cache", transient=False)


# ---------------------------------------------------------------------------------------------
# Records returned by the calls


@dataclass(frozen=True, slots=True)
class IdRecord:
    """The identifiers of one article; fields are None when unknown. `source` names the service
    that answered ("idconv", "esearch", "efetch"), None when nothing was found."""

    requested: str
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    source: str | None = None

    @property
    def found(self) -> bool:
        return self.pmid is not None or self.pmcid is not None or self.doi is not None


@dataclass(frozen=True, slots=True)
class Citation:
    """One ECitMatch query: journal title or abbreviation, year, volume, first page, an author
    ("mann bj") and a key of the caller's choosing that comes back with the answer."""

    journal: str = ""
    year: str = ""
    volume: str = ""
    first_page: str = ""
    author: str = ""
    key: str = ""

    def bdata(self) -> str:
        fields = (self.journal, self.year, self.volume, self.first_page, self.author, self.key)
        # The pipe separates fields and CR/LF separate citations: neither may appear inside.
        return "|".join(re.sub(r"[|\r\n]+", " ", f).strip() for f in fields) + "|"


@dataclass(frozen=True, slots=True)
class CitationMatch:
    """ECitMatch's answer for one citation: `status` is "found" (with `pmid`), "not_found" or
    "ambiguous"; `detail` is NCBI's text for the last two."""

    citation: Citation
    status: Literal["found", "not_found", "ambiguous"]
    pmid: str | None = None
    detail: str | None = None


# ---------------------------------------------------------------------------------------------
# Rate limiting


class RateLimiter:
    """Spaces requests at least `interval` seconds apart across every thread using it.

    Slots are reserved under a lock and waited for outside it, so threads queue in order without
    holding the lock while they sleep. `defer` pushes the next slot back (after a 429).
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = -math.inf

    def acquire(self, interval: float) -> float:
        """Wait for the next slot; return the seconds waited."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + interval
        wait = start - now
        if wait > 0:
            self._sleep(wait)
        return wait

    def defer(self, seconds: float) -> None:
        """Let no request start in the next `seconds` seconds."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


_SHARED_LIMITER: RateLimiter | None = None
_SHARED_LIMITER_LOCK = threading.Lock()


def shared_rate_limiter() -> RateLimiter:
    """The process-wide limiter every client uses unless given one (created on first use)."""
    global _SHARED_LIMITER
    with _SHARED_LIMITER_LOCK:
        if _SHARED_LIMITER is None:
            _SHARED_LIMITER = RateLimiter()
        return _SHARED_LIMITER


# ---------------------------------------------------------------------------------------------
# Scoped hooks into Bio.Entrez


@dataclass
class _CallContext:
    """What the Bio.Entrez hooks need to know about the call running in this thread."""

    eutils_url: str
    opener: urllib.request.OpenerDirector
    timeout: float
    allowed_hosts: frozenset[str]
    describe: str


_local = threading.local()
_scope_lock = threading.Lock()
_scope_depth = 0
_saved: dict[str, Any] = {}
_HOOKED = ("_build_request", "urlopen", "max_tries", "time")
# Bio's own builder, for a foreign Bio.Entrez call that outlives our hooks' saved state.
_BIO_BUILD_REQUEST: Any = _E._build_request


def _current() -> _CallContext | None:
    ctx: _CallContext | None = getattr(_local, "ctx", None)
    return ctx


def _hook_build_request(
    cgi: str,
    params: dict[str, Any] | None = None,
    post: bool | None = None,
    ecitmatch: bool = False,
    join_ids: bool = True,
) -> urllib.request.Request:
    ctx = _current()
    if ctx is not None and cgi.startswith(NCBI_EUTILS_URL):
        cgi = ctx.eutils_url + cgi[len(NCBI_EUTILS_URL) :]
    build = _saved.get("_build_request", _BIO_BUILD_REQUEST)
    request: urllib.request.Request = build(
        cgi, params, post=post, ecitmatch=ecitmatch, join_ids=join_ids
    )
    return request


def _hook_urlopen(request: urllib.request.Request, *args: Any, **kwargs: Any) -> Any:
    ctx = _current()
    if ctx is None:  # a Bio.Entrez call that is not ours, made while ours are in flight
        return _saved.get("urlopen", urllib.request.urlopen)(request, *args, **kwargs)
    host = urlsplit(request.full_url).hostname or ""
    if host not in ctx.allowed_hosts:
        raise EutilsRefused(ctx.describe, f"refusing to contact {host!r}: not a configured host")
    return ctx.opener.open(request, timeout=ctx.timeout)


class _BioTime:
    """Stands in for Bio.Entrez's `time` module: Bio's own spacing sleep is skipped for our
    calls, whose spacing the shared `RateLimiter` already governs."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def time(self) -> float:
        return float(self._real.time())

    def sleep(self, seconds: float) -> None:
        if _current() is None:
            self._real.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@contextmanager
def _entrez_call(ctx: _CallContext) -> Iterator[None]:
    """Install the hooks (first caller in) and restore Bio.Entrez as it was (last caller out)."""
    global _scope_depth
    with _scope_lock:
        if _scope_depth == 0:
            _saved.clear()
            _saved.update({name: getattr(_E, name) for name in _HOOKED})
            _E._build_request = _hook_build_request
            _E.urlopen = _hook_urlopen
            _E.max_tries = 1  # our backoff governs retries
            _E.time = _BioTime(_saved["time"])
        _scope_depth += 1
    _local.ctx = ctx
    try:
        yield
    finally:
        _local.ctx = None
        with _scope_lock:
            _scope_depth -= 1
            if _scope_depth == 0:
                for name, value in _saved.items():
                    setattr(_E, name, value)
                _saved.clear()


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to the configured hosts."""

    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        host = urlsplit(newurl).hostname or ""
        if host not in self.allowed:
            raise urllib.error.URLError(f"redirect to {host!r} refused: not a configured host")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# ---------------------------------------------------------------------------------------------
# Validation


def _looks_html(body: bytes, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _safe_parser() -> etree.XMLParser:
    # A parser per call: lxml parsers must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _parse_xml(
    body: bytes, content_type: str | None, describe: str, roots: Sequence[str]
) -> etree._Element:
    """Parse and check an XML response; raise `EutilsBadResponse` when it cannot be trusted."""
    if _looks_html(body, content_type):
        raise EutilsBadResponse(describe, "an HTML page instead of XML", transient=True)
    if not body.strip():
        raise EutilsBadResponse(describe, "empty response", transient=True)
    if _INTERNAL_SUBSET.search(body[:_PROLOG_BYTES]):
        # NCBI never sends an internal DTD subset; one is how entity bombs and external
        # entities arrive, so it is refused before the parser sees it.
        raise EutilsBadResponse(
            describe, "XML declares its own DTD (entities or elements); refused", transient=False
        )
    try:
        root = etree.fromstring(body, _safe_parser())
    except etree.XMLSyntaxError as exc:
        message = (exc.msg or "").strip() or "unreadable"
        # A document that never closes the element it opened with was cut off.
        opened = _FIRST_ELEMENT.search(body[:_PROLOG_BYTES])
        closed = opened is not None and body.rstrip().endswith(b"</" + opened.group(1) + b">")
        kind = "malformed XML" if closed else "truncated XML"
        raise EutilsBadResponse(describe, f"{kind}: {message}", transient=True) from exc
    docinfo: Any = root.getroottree().docinfo  # lxml-stubs lack system_url and DTD iteration
    dtd: Any = docinfo.internalDTD
    if dtd is not None and (any(True for _ in dtd.iterentities()) or any(dtd.iterelements())):
        raise EutilsBadResponse(
            describe, "XML declares its own DTD entities or elements; refused", transient=False
        )
    system_url = docinfo.system_url
    if system_url and not _NCBI_DTD_HOST.search(urlsplit(system_url).hostname or ""):
        raise EutilsBadResponse(
            describe, f"DOCTYPE names a DTD outside NCBI ({system_url}); refused", transient=False
        )
    errors = [(" ".join((e.text or "").split()) or "empty <ERROR>") for e in root.iter("ERROR")]
    if errors:
        text = "; ".join(errors)
        transient = bool(_TRANSIENT_ERROR_TEXT.search(text))
        raise EutilsBadResponse(describe, f"NCBI <ERROR>: {text}", transient=transient)
    if root.tag not in roots:
        raise EutilsBadResponse(describe, f"unexpected root element <{root.tag}>", transient=False)
    return root


# ---------------------------------------------------------------------------------------------
# The client


@dataclass
class ClientStats:
    """Counters of what a client did (for benchmarks and reports)."""

    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    by_endpoint: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Answer:
    body: bytes
    from_cache: bool


Validator = Callable[[bytes, str | None, str], None]


class PaperStream(Iterator[Paper]):
    """The papers of `EutilsClient.fetch_papers`, in batches as they arrive. Once iteration has
    finished, `missing` lists the requested PMIDs PubMed did not return (also logged)."""

    def __init__(self, batches: Iterator[tuple[list[str], bytes]]) -> None:
        self._batches = batches
        self._papers: Iterator[Paper] = iter(())
        self.missing: list[str] = []
        self.returned = 0

    def __iter__(self) -> PaperStream:
        return self

    def __next__(self) -> Paper:
        while True:
            paper = next(self._papers, None)
            if paper is not None:
                self.returned += 1
                return paper
            batch, body = next(self._batches)  # StopIteration ends the stream
            self._papers = iter(self._parse(batch, body))

    def _parse(self, batch: list[str], body: bytes) -> list[Paper]:
        papers = [r for r in iter_pubmed(body) if isinstance(r, Paper)]
        seen = {p.pmid for p in papers}
        for pmid in batch:
            if pmid not in seen:
                log.warning("[pmid:%s] not returned by EFetch", pmid)
                self.missing.append(pmid)
        return papers


class EutilsClient:
    """All E-utilities traffic goes through here. See the module docstring.

    Settings are plain parameters; `kg` resolves them from arguments, environment and config.
    `sleep`, `clock` (wall-clock time, for Retry-After dates), `rng` and `rate_limiter` are
    injectable for tests; by default every client of the process shares one rate limiter.
    """

    def __init__(
        self,
        email: str | None = None,
        api_key: str | None = None,
        tool: str = "litkg",
        *,
        base_url: str = NCBI_EUTILS_URL,
        idconv_url: str = NCBI_IDCONV_URL,
        timeout: float = 30.0,
        max_retries: int = 5,
        backoff_base: float = 1.0,
        max_backoff: float = 60.0,
        max_retry_after: float = 300.0,
        cache: ResponseCache | None = None,
        offline: bool = False,
        refresh: bool = False,
        search_page_size: int = SEARCH_PAGE,
        rate_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        if not base_url.endswith("/"):
            base_url += "/"
        if offline and refresh:
            raise ValueError("offline and refresh exclude each other")
        self.email = email
        self.tool = tool
        self._api_key = api_key or None
        self.base_url = base_url
        self.idconv_url = idconv_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.cache = cache
        self.offline = offline
        self.refresh = refresh
        self.search_page_size = max(1, min(search_page_size, SEARCH_PAGE))
        self.interval = INTERVAL_WITH_KEY if self._api_key else INTERVAL_NO_KEY
        self._limiter = rate_limiter or shared_rate_limiter()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._stats_lock = threading.Lock()
        self.stats = ClientStats()
        hosts = {urlsplit(base_url).hostname or "", urlsplit(idconv_url).hostname or ""}
        self.allowed_hosts = frozenset(h for h in hosts if h)
        handlers: list[urllib.request.BaseHandler] = [_GuardedRedirects(self.allowed_hosts)]
        if self.allowed_hosts <= _LOOPBACK:
            handlers.append(urllib.request.ProxyHandler({}))  # loopback never goes via a proxy
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:  # never shows the key
        key = "set" if self._api_key else "none"
        return f"EutilsClient(base_url={self.base_url!r}, api_key={key}, offline={self.offline})"

    @property
    def has_api_key(self) -> bool:
        return self._api_key is not None

    # -- public calls --------------------------------------------------------------------------

    def fetch_xml(self, pmids: Iterable[str | int]) -> Iterator[bytes]:
        """PubMed XML (EFetch) for `pmids`, one validated `<PubmedArticleSet>` per batch of at
        most 200 IDs. IDs are deduplicated and sorted so the same set always makes the same
        requests (and cache entries)."""
        for _batch, body in self._efetch_batches(pmids):
            yield body

    def fetch_papers(self, pmids: Iterable[str | int]) -> PaperStream:
        """The `Paper` records of `pmids`; the stream's `missing` names PMIDs not returned."""
        return PaperStream(self._efetch_batches(pmids))

    def search(self, query: str, retmax: int | None = None) -> list[str]:
        """Every PMID matching a PubMed query (or the first `retmax`), in PubMed's order.

        Uses the history server: the first ESearch stores the result (usehistory=y) and later
        pages read it through WebEnv/query_key with retstart. A search is answered from the
        cache only if every page is there; otherwise it is run again from the start, since a
        stored WebEnv expires.
        """
        if not query.strip():
            raise ValueError("empty query")
        if retmax is not None and retmax < 0:
            raise ValueError("retmax must be >= 0")
        if not self.refresh and (self.cache is not None or self.offline):
            # Offline, a miss raises OfflineMiss here.
            cached = self._search_pages(query, retmax, cache_only=True)
            if cached is not None:
                return cached
        result = self._search_pages(query, retmax, cache_only=False)
        assert result is not None
        return result

    def convert_ids(self, ids: Iterable[str | int]) -> dict[str, IdRecord]:
        """PMID <-> DOI <-> PMCID for each ID (types may be mixed), keyed by the ID as given.

        The PMC ID Converter answers for articles in PMC; for the rest, a DOI or PMCID is looked
        up with ESearch (`"doi"[doi]`, `PMCID[pmc]`) and a PMID's DOI and PMCID are read from
        its EFetch record. An ID found nowhere gets an `IdRecord` with `found` False.
        """
        given = list(dict.fromkeys(str(i).strip() for i in ids))
        kinds: dict[str, list[str]] = {"pmid": [], "pmcid": [], "doi": []}
        for value in given:
            kinds[_id_kind(value)].append(value)
        result: dict[str, IdRecord] = {}
        for kind, values in kinds.items():
            for batch in _chunks(values, IDCONV_BATCH):
                result.update(self._idconv(kind, batch))
        self._convert_fallback(result)
        return {value: result[value] for value in given}

    def ecitmatch(self, citations: Iterable[Citation]) -> list[CitationMatch]:
        """PMIDs for journal/year/volume/page/author citations (ECitMatch), in input order."""
        cites = list(citations)
        out: list[CitationMatch] = []
        for batch in _chunks(cites, ECITMATCH_BATCH):
            lines = [c.bdata() for c in batch]
            params = {"db": "pubmed", "retmode": "xml", "bdata": "\r".join(lines)}
            answer = self._request("ecitmatch", params, _validate_ecitmatch(lines))
            out.extend(_parse_ecitmatch(batch, lines, answer.body))
        return out

    def elink_references(self, pmid: str | int) -> list[str]:
        """PMIDs of the papers `pmid` cites (ELink pubmed_pubmed_refs)."""
        return self._elink(str(pmid), "pubmed_pubmed_refs")

    def elink_cited_by(self, pmid: str | int) -> list[str]:
        """PMIDs of the papers citing `pmid` (ELink pubmed_pubmed_citedin)."""
        return self._elink(str(pmid), "pubmed_pubmed_citedin")

    def einfo(self, db: str | None = None) -> bytes:
        """EInfo's validated XML: the database list, or one database's fields and links."""
        params = {} if db is None else {"db": db}
        return self._request("einfo", params, _xml_validator(("eInfoResult",))).body

    # -- the calls' internals ------------------------------------------------------------------

    def _efetch_batches(self, pmids: Iterable[str | int]) -> Iterator[tuple[list[str], bytes]]:
        wanted = sorted({_pmid(p) for p in pmids}, key=int)
        for batch in _chunks(wanted, EFETCH_BATCH):
            params = {"db": "pubmed", "id": ",".join(batch), "rettype": "xml", "retmode": "xml"}
            yield batch, self._request("efetch", params, _validate_efetch).body

    def _search_pages(
        self, query: str, retmax: int | None, *, cache_only: bool
    ) -> list[str] | None:
        page = self.search_page_size if retmax is None else min(self.search_page_size, retmax)
        base = {"db": "pubmed", "term": query, "usehistory": "y"}
        first = {**base, "retstart": 0, "retmax": page}
        answer = self._fetch_or_lookup("esearch", first, Request.of("esearch", first), cache_only)
        if answer is None:
            return None
        count, ids, webenv, query_key = _parse_esearch(answer.body)
        target = count if retmax is None else min(count, retmax)
        found = ids[:target]
        while len(found) < target:
            if not webenv or not query_key:
                raise EutilsBadResponse(
                    Request.of("esearch", first).describe(),
                    "ESearch gave no WebEnv/query_key to page through the results",
                    transient=False,
                )
            start = len(found)
            params = {**base, "retstart": start, "retmax": min(page, target - start)}
            # WebEnv and query_key are session handles: the data asked for is query + range.
            key = Request.of("esearch", params)
            params.update({"WebEnv": webenv, "query_key": query_key})
            answer = self._fetch_or_lookup("esearch", params, key, cache_only)
            if answer is None:
                return None
            _count, more, _w, _q = _parse_esearch(answer.body)
            if not more:
                raise EutilsBadResponse(
                    key.describe(),
                    f"ESearch page at retstart {start} is empty; Count said {count}",
                    transient=True,
                )
            found.extend(more[: target - start])
        return found

    def _fetch_or_lookup(
        self, endpoint: str, params: Mapping[str, Any], key: Request, cache_only: bool
    ) -> _Answer | None:
        if cache_only:
            return self._lookup(key)
        return self._request(endpoint, params, _validate_esearch, key=key, fresh=True)

    def _elink(self, pmid: str, linkname: str) -> list[str]:
        pmid = _pmid(pmid)
        params = {
            "dbfrom": "pubmed",
            "db": "pubmed",
            "id": pmid,
            "linkname": linkname,
            "cmd": "neighbor",
        }
        answer = self._request("elink", params, _xml_validator(("eLinkResult",)))
        root = etree.fromstring(answer.body, _safe_parser())
        describe = Request.of("elink", params).describe()
        linksets = root.findall("LinkSet")
        if not linksets:
            raise EutilsBadResponse(describe, "ELink answer has no <LinkSet>", transient=True)
        ids: list[str] = []
        for linkset in linksets:
            for db in linkset.iterfind("LinkSetDb"):
                if (db.findtext("LinkName") or "").strip() == linkname:
                    ids.extend((i.text or "").strip() for i in db.iterfind("Link/Id"))
        return [i for i in dict.fromkeys(ids) if i]

    def _idconv(self, kind: str, values: list[str]) -> dict[str, IdRecord]:
        sent = [_normalise_doi(v) if kind == "doi" else v.upper() for v in values]
        params = {"ids": ",".join(sent), "idtype": kind, "format": "json", "versions": "no"}
        answer = self._request("idconv", params, _validate_idconv)
        data = json.loads(answer.body)
        by_id: dict[str, IdRecord] = {}
        for rec in data.get("records", []):
            if not isinstance(rec, dict) or rec.get("status") == "error":
                continue
            pmid = _str_or_none(rec.get("pmid"))
            pmcid = _str_or_none(rec.get("pmcid"))
            doi = _str_or_none(rec.get("doi"))
            requested = _str_or_none(rec.get("requested-id")) or {
                "pmid": pmid,
                "pmcid": pmcid,
                "doi": doi,
            }.get(kind)
            if requested:
                by_id[requested.lower()] = IdRecord("", pmid, pmcid, doi, "idconv")
        out: dict[str, IdRecord] = {}
        for value, key in zip(values, sent, strict=True):
            hit = by_id.get(key.lower())
            out[value] = (
                IdRecord(value, hit.pmid, hit.pmcid, hit.doi, "idconv")
                if hit and hit.found
                else IdRecord(value)
            )
        return out

    def _convert_fallback(self, result: dict[str, IdRecord]) -> None:
        # DOIs and PMCIDs the converter did not know: ESearch by field tag.
        for value, rec in list(result.items()):
            if rec.pmid is not None:
                continue
            kind = _id_kind(value)
            if kind == "doi":
                term = f'"{_normalise_doi(value).replace(chr(34), "")}"[doi]'
            elif kind == "pmcid":
                term = f"{value.upper()}[pmc]"
            else:
                continue
            params = {"db": "pubmed", "term": term, "retmax": 2}
            answer = self._request("esearch", params, _validate_esearch)
            _count, ids, _w, _q = _parse_esearch(answer.body)
            if len(ids) == 1:
                pmcid = value.upper() if kind == "pmcid" else rec.pmcid
                doi = _normalise_doi(value) if kind == "doi" else rec.doi
                result[value] = IdRecord(value, ids[0], pmcid, doi, "esearch")
            elif len(ids) > 1:
                log.warning("%s matches several PMIDs (%s); left unresolved", term, ids)
        # PMIDs still lacking a DOI or PMCID: read them from the PubMed record.
        need: dict[str, str] = {}  # PMID -> the ID it was asked for
        for value, rec in result.items():
            if rec.pmid is not None and rec.source != "idconv":
                if rec.doi is None or rec.pmcid is None:
                    need[rec.pmid] = value
            elif not rec.found and _PMID.match(value):
                need[value] = value
        if not need:
            return
        stream = self.fetch_papers(need)
        for paper in stream:
            asked = need.get(paper.pmid)
            if asked is None:
                continue
            old = result[asked]
            result[asked] = IdRecord(
                asked,
                paper.pmid,
                old.pmcid or paper.pmcid,
                old.doi or paper.doi,
                old.source or "efetch",
            )

    # -- one request: cache, offline, rate limit, retries, validation --------------------------

    def _lookup(self, key: Request) -> _Answer | None:
        """The cached answer to `key` (unless refreshing); raises `OfflineMiss` when offline."""
        if self.cache is not None and not self.refresh:
            hit = self.cache.get(key)
            if hit is not None:
                with self._stats_lock:
                    self.stats.cache_hits += 1
                return _Answer(hit.body, True)
        if self.offline:
            raise OfflineMiss(key.describe())
        return None

    def _request(
        self,
        endpoint: str,
        params: Mapping[str, Any],
        validate: Validator,
        *,
        key: Request | None = None,
        fresh: bool = False,
    ) -> _Answer:
        """The validated answer to one request: from the cache when allowed, else fetched with
        rate limiting and retries, and cached once validated. `fresh` skips the cache read."""
        key = key or Request.of(endpoint, params)
        cached = None if fresh and not self.offline else self._lookup(key)
        if cached is not None:
            return cached
        describe = key.describe()
        attempt = 0
        while True:
            attempt += 1
            self._limiter.acquire(self.interval)
            try:
                body, content_type = self._send(endpoint, params, describe)
                validate(body, content_type, describe)
            except EutilsError as exc:
                delay = self._retry_delay(exc, attempt)
                if delay is None:
                    exc.reason = self._redact(exc.reason)
                    raise exc.after(attempt) from None
                log.warning(
                    "%s: %s; retry %d of %d in %.1f s",
                    describe,
                    exc.reason,
                    attempt,
                    self.max_retries,
                    delay,
                )
                with self._stats_lock:
                    self.stats.retries += 1
                if isinstance(exc, EutilsHTTPError) and exc.status == 429:
                    self._limiter.defer(delay)  # every thread holds off, not just this one
                self._sleep(delay)
                continue
            if self.cache is not None:
                self.cache.put(key, body, content_type)
            return _Answer(body, False)

    def _retry_delay(self, exc: EutilsError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if not exc.transient or attempt > self.max_retries:
            return None
        backoff = min(self.max_backoff, self.backoff_base * 2.0 ** (attempt - 1))
        delay = backoff * (0.5 + 0.5 * self._rng.random())  # jitter: threads do not align
        retry_after = exc.retry_after if isinstance(exc, EutilsHTTPError) else None
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                exc.reason += f" (Retry-After {retry_after:.0f} s is longer than we wait)"
                exc.args = (f"{exc.request}: {exc.reason}",)
                return None
            delay = max(delay, retry_after)
        return delay

    def _send(
        self, endpoint: str, params: Mapping[str, Any], describe: str
    ) -> tuple[bytes, str | None]:
        """One HTTP exchange through Bio.Entrez; errors mapped to `EutilsError`."""
        with self._stats_lock:
            self.stats.requests += 1
            self.stats.by_endpoint[endpoint] = self.stats.by_endpoint.get(endpoint, 0) + 1
        ctx = _CallContext(self.base_url, self._opener, self.timeout, self.allowed_hosts, describe)
        # Identity goes with every request, so Bio.Entrez's globals are never read for it.
        who = {"tool": self.tool, "email": self.email, "api_key": self._api_key}
        args = {**params, **who}
        try:
            with _entrez_call(ctx):
                handle = self._invoke(endpoint, args)
            raw = handle.buffer if isinstance(handle, io.TextIOWrapper) else handle
            try:
                body = raw.read()
                content_type = raw.headers.get("Content-Type")
            finally:
                raw.close()
        except EutilsError:
            raise
        except urllib.error.HTTPError as exc:
            raise self._http_error(describe, exc) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise EutilsTimeout(describe, f"no answer within {self.timeout} s") from None
            raise EutilsConnectionError(describe, f"connection failed: {exc.reason}") from None
        except TimeoutError:
            raise EutilsTimeout(describe, f"no answer within {self.timeout} s") from None
        except http.client.IncompleteRead as exc:
            raise EutilsConnectionError(
                describe, f"connection closed mid-response ({len(exc.partial)} bytes read)"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise EutilsConnectionError(describe, f"connection failed: {exc!r}") from None
        return bytes(body), content_type

    def _invoke(self, endpoint: str, args: dict[str, Any]) -> Any:
        if endpoint == "idconv":
            request = _E._build_request(self.idconv_url, {**args, "api_key": None})
            return _E._open(request)
        function = {
            "efetch": _E.efetch,
            "esearch": _E.esearch,
            "elink": _E.elink,
            "ecitmatch": _E.ecitmatch,
            "einfo": _E.einfo,
            "esummary": _E.esummary,
        }[endpoint]
        return function(**args)

    def _http_error(self, describe: str, exc: urllib.error.HTTPError) -> EutilsHTTPError:
        retry_after = _retry_after(exc.headers.get("Retry-After"), self._clock())
        try:
            detail = exc.read(300).decode("utf-8", "replace")
        except Exception:  # the body of an error is a courtesy; its absence is no error
            detail = ""
        finally:
            exc.close()
        text = " ".join(re.sub(r"<[^>]*>", " ", detail).split())[:160]
        reason = self._redact(f"{exc.reason}" + (f" - {text}" if text else ""))
        return EutilsHTTPError(describe, exc.code, reason, retry_after=retry_after)

    def _redact(self, text: str) -> str:
        # NCBI echoes the key in some error bodies (e.g. its 429 JSON).
        return text.replace(self._api_key, "***") if self._api_key else text


# ---------------------------------------------------------------------------------------------
# Helpers


def _after(attempts: int) -> str:
    return f" (after {attempts} attempts)" if attempts > 1 else ""


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _pmid(value: str | int) -> str:
    text = str(value).strip()
    if not _PMID.match(text):
        raise ValueError(f"not a PMID: {value!r}")
    return text


def _id_kind(value: str) -> str:
    if _PMID.match(value):
        return "pmid"
    if _PMCID.match(value):
        return "pmcid"
    if _normalise_doi(value).startswith("10."):
        return "doi"
    raise ValueError(f"not a PMID, PMCID or DOI: {value!r}")


def _normalise_doi(value: str) -> str:
    return _DOI_PREFIX.sub("", value.strip())


def _str_or_none(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _retry_after(value: str | None, now: float) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None when absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _xml_validator(roots: Sequence[str]) -> Validator:
    def validate(body: bytes, content_type: str | None, describe: str) -> None:
        _parse_xml(body, content_type, describe, roots)

    return validate


_validate_esearch_roots = ("eSearchResult",)


def _validate_esearch(body: bytes, content_type: str | None, describe: str) -> None:
    root = _parse_xml(body, content_type, describe, _validate_esearch_roots)
    count = root.findtext("Count")
    if count is None or not count.strip().isdigit() or root.find("IdList") is None:
        raise EutilsBadResponse(describe, "ESearch answer lacks Count or IdList", transient=True)


def _parse_esearch(body: bytes) -> tuple[int, list[str], str | None, str | None]:
    root = etree.fromstring(body, _safe_parser())
    ids = [(i.text or "").strip() for i in root.iterfind("IdList/Id")]
    webenv = root.findtext("WebEnv")
    query_key = root.findtext("QueryKey")
    return int(root.findtext("Count") or 0), [i for i in ids if i], webenv, query_key


def _validate_efetch(body: bytes, content_type: str | None, describe: str) -> None:
    root = _parse_xml(body, content_type, describe, ("PubmedArticleSet", "PubmedBookArticleSet"))
    tail = body.rstrip()
    if not tail.endswith((f"</{root.tag}>".encode(), b"/>")):
        raise EutilsBadResponse(
            describe, f"EFetch answer does not end with </{root.tag}>", transient=True
        )


def _validate_idconv(body: bytes, content_type: str | None, describe: str) -> None:
    if _looks_html(body, content_type):
        raise EutilsBadResponse(describe, "an HTML page instead of JSON", transient=True)
    try:
        data = json.loads(body)
    except UnicodeDecodeError as exc:
        raise EutilsBadResponse(describe, f"not UTF-8 JSON: {exc}", transient=True) from None
    except json.JSONDecodeError as exc:
        # Failing at the very end, or in a string never closed, means the text stopped early.
        cut = exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated")
        kind = "truncated JSON" if cut else "malformed JSON"
        raise EutilsBadResponse(describe, f"{kind}: {exc}", transient=True) from None
    if not isinstance(data, dict):
        raise EutilsBadResponse(describe, "ID Converter answer is not an object", transient=False)
    status = data.get("status")
    if status != "ok":
        message = data.get("message") or data.get("errmsg") or f"status {status!r}"
        raise EutilsBadResponse(describe, f"ID Converter error: {message}", transient=False)
    if not isinstance(data.get("records"), list):
        raise EutilsBadResponse(describe, "ID Converter answer lacks records", transient=True)


def _validate_ecitmatch(lines: list[str]) -> Validator:
    def validate(body: bytes, content_type: str | None, describe: str) -> None:
        if _looks_html(body, content_type) or body.lstrip().startswith(b"<"):
            raise EutilsBadResponse(describe, "an HTML or XML page instead of text", transient=True)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EutilsBadResponse(describe, f"not UTF-8 text: {exc}", transient=True) from None
        got = [line for line in text.splitlines() if line.strip()]
        if len(got) != len(lines):
            raise EutilsBadResponse(
                describe,
                f"ECitMatch answered {len(got)} lines for {len(lines)} citations",
                transient=True,
            )
        for sent, line in zip(lines, got, strict=True):
            if line.split("|")[5:6] != sent.split("|")[5:6]:
                raise EutilsBadResponse(
                    describe, f"ECitMatch line out of step: {line[:80]!r}", transient=True
                )

    return validate


def _parse_ecitmatch(batch: list[Citation], lines: list[str], body: bytes) -> list[CitationMatch]:
    got = [line for line in body.decode("utf-8").splitlines() if line.strip()]
    out: list[CitationMatch] = []
    for cite, line in zip(batch, got, strict=True):
        answer = line.split("|", 6)[6].strip() if line.count("|") >= 6 else ""
        if _PMID.match(answer):
            out.append(CitationMatch(cite, "found", answer))
        elif answer.upper().startswith("AMBIGUOUS"):
            out.append(CitationMatch(cite, "ambiguous", None, answer))
        else:
            out.append(CitationMatch(cite, "not_found", None, answer or None))
    return out
