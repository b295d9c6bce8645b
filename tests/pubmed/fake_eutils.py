"""A loopback fake of NCBI E-utilities and the PMC ID Converter, with fault injection.

`FakeEutils` is a small threaded `http.server` on 127.0.0.1 (port 0: the OS picks one). It
answers esearch, efetch, esummary, elink, ecitmatch, einfo and ID conversion from records it was
given: real recorded responses and records from ../shared/pubmed (`load_shared`) and small records
written in tests (`add_article`, `add_search`, `add_links`, `add_citation`, `add_ids`), or, with
`synthesize=True`, a minimal record for any PMID (for benchmarks).

Faults are scheduled per endpoint for the next N requests (`fail`); once used up, the server
answers normally again, so a test can show that work completes once the faults stop. Every
request is recorded (`requests`), including any to paths a hostile document points at.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from lxml import etree

FaultKind = Literal[
    "429",
    "500",
    "502",
    "503",
    "slow",
    "html",
    "error",
    "truncated",
    "disconnect",
    "malformed",
    "entity_bomb",
    "external_entity",
    "foreign_doctype",
]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "429",
    "500",
    "502",
    "503",
    "slow",
    "html",
    "error",
    "truncated",
    "disconnect",
    "malformed",
    "entity_bomb",
    "external_entity",
    "foreign_doctype",
)

ENDPOINTS = {
    "esearch.fcgi": "esearch",
    "efetch.fcgi": "efetch",
    "esummary.fcgi": "esummary",
    "elink.fcgi": "elink",
    "ecitmatch.cgi": "ecitmatch",
    "einfo.fcgi": "einfo",
}
_ROOTS = {
    "esearch": "eSearchResult",
    "efetch": "eFetchResult",
    "esummary": "eSummaryResult",
    "elink": "eLinkResult",
    "einfo": "eInfoResult",
    "ecitmatch": "eCitMatchResult",
}
_PUBMED_DOCTYPE = (
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)
_ESEARCH_DOCTYPE = (
    b'<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
    b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">'
)
_ELINK_DOCTYPE = (
    b'<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD elink 20101123//EN" '
    b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">'
)
_HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>NCBI - Service unavailable</title></head><body>"
    b"<h1>An error has occurred</h1><p>The server is temporarily unable to service your "
    b"request. Please try again later.</p></body></html>"
)


@dataclass
class Fault:
    kind: FaultKind
    retry_after: str | None = None  # the Retry-After header of a 429, as sent
    delay: float = 2.0  # seconds a "slow" answer waits before it is sent
    message: str = "Search Backend failed: temporarily unavailable"  # of an "error" answer


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    endpoint: str
    params: dict[str, str]
    fault: FaultKind | None
    at: float = field(default_factory=time.monotonic)

    @property
    def ids(self) -> list[str]:
        return [i for i in self.params.get("id", "").split(",") if i]


class FakeEutils:
    """See the module docstring. Use as a context manager or call `start`/`stop`."""

    def __init__(self, *, synthesize: bool = False) -> None:
        self.synthesize = synthesize
        self.articles: dict[str, bytes] = {}
        self.dois: dict[str, str] = {}  # lower-cased DOI -> PMID
        self.pmcids: dict[str, str] = {}  # PMCID -> PMID
        self.searches: dict[str, list[str]] = {}
        self.canned: dict[tuple[str, str], bytes] = {}  # (endpoint, key) -> recorded response
        self.links: dict[tuple[str, str], list[str]] = {}
        self.citations: dict[str, str] = {}
        self.idconv: dict[str, dict[str, str]] = {}  # any of the IDs -> record
        self.requests: list[Seen] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._histories: dict[str, list[str]] = {}
        self._webenvs = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeEutils:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # wake any "slow" answer still waiting
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeEutils:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    @property
    def base_url(self) -> str:
        return self.url("entrez/eutils/")

    @property
    def idconv_url(self) -> str:
        return self.url("idconv/v1/articles/")

    # -- data ----------------------------------------------------------------------------------

    def add_article(self, xml: bytes | str) -> str:
        """Add one `<PubmedArticle>` (or a whole article set: every article in it); returns the
        (last) PMID. Its DOI and PMCID are indexed for searches and ID conversion."""
        data = xml.encode() if isinstance(xml, str) else xml
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(data, parser)
        articles = [root] if root.tag == "PubmedArticle" else root.findall("PubmedArticle")
        pmid = ""
        for article in articles:
            pmid = (article.findtext("MedlineCitation/PMID") or "").strip()
            self.articles[pmid] = etree.tostring(article)
            record = {"pmid": pmid}
            for aid in article.iterfind("PubmedData/ArticleIdList/ArticleId"):
                kind, value = aid.get("IdType"), (aid.text or "").strip()
                if kind == "doi":
                    self.dois[value.lower()] = pmid
                    record["doi"] = value
                elif kind == "pmc":
                    self.pmcids[value.upper()] = pmid
                    record["pmcid"] = value
            if "pmcid" in record:  # the ID Converter knows only articles in PMC
                self.add_ids(**record)
        return pmid

    def add_search(self, term: str, pmids: list[str]) -> None:
        self.searches[term] = list(pmids)

    def add_links(self, pmid: str, linkname: str, pmids: list[str]) -> None:
        self.links[(pmid, linkname)] = list(pmids)

    def add_citation(self, bdata_line: str, answer: str) -> None:
        """`answer` is a PMID, "NOT_FOUND" or e.g. "AMBIGUOUS (2 citations)"."""
        self.citations[_citation_key(bdata_line)] = answer

    def add_ids(self, pmid: str, pmcid: str | None = None, doi: str | None = None) -> None:
        record = {
            "pmid": pmid,
            **({"pmcid": pmcid} if pmcid else {}),
            **({"doi": doi} if doi else {}),
        }
        for value in record.values():
            self.idconv[value.lower()] = record

    def add_canned(self, endpoint: str, key: str, body: bytes) -> None:
        """Serve a recorded response: for esearch `key` is the term, for elink and esummary the
        ID, for einfo the db ("" for the database list)."""
        self.canned[(endpoint, key)] = body

    def load_shared(self, shared: Path) -> None:
        """Load the real records and responses of ../shared/pubmed."""
        pubmed = shared / "pubmed"
        for path in sorted([*pubmed.glob("efetch/*.xml"), *pubmed.glob("reconstructed/*.xml")]):
            self.add_article(path.read_bytes())
        eutils = pubmed / "eutils"
        self.add_canned("einfo", "", (eutils / "einfo1.xml").read_bytes())
        self.add_canned("einfo", "pubmed", (eutils / "einfo2.xml").read_bytes())
        self.add_canned("esearch", "biopython", (eutils / "esearch1.xml").read_bytes())
        self.add_canned("esearch", "abcXYZ", (eutils / "esearch8.xml").read_bytes())
        stem = "stem cells AND hasabstract"
        self.add_canned("esearch", stem, (eutils / "esearch5.xml").read_bytes())
        for name in ("elink1.xml", "elink3.xml", "elink4.xml"):
            body = (eutils / name).read_bytes()
            first = etree.fromstring(body, etree.XMLParser(load_dtd=False, no_network=True))
            self.add_canned("elink", (first.findtext("LinkSet/IdList/Id") or "").strip(), body)
        summary = (eutils / "esummary1.xml").read_bytes()
        self.add_canned("esummary", "11850928", summary)
        ecit = pubmed / "ecitmatch"
        request = (ecit / "request_bdata.txt").read_text().strip()
        response = (ecit / "response.txt").read_text().strip()
        self.add_citation(request, response.rsplit("|", 1)[1])

    # -- faults and inspection -----------------------------------------------------------------

    def fail(
        self,
        endpoint: str,
        kind: FaultKind,
        times: int = 1,
        *,
        retry_after: str | None = None,
        delay: float = 2.0,
        message: str | None = None,
    ) -> None:
        """Answer the next `times` requests to `endpoint` ("efetch", "idconv", ... or "*" for
        any) with fault `kind`."""
        fault = Fault(kind, retry_after, delay)
        if message is not None:
            fault.message = message
        with self._lock:
            self._faults.setdefault(endpoint, deque()).extend([fault] * times)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending_faults(self) -> int:
        with self._lock:
            return sum(len(q) for q in self._faults.values())

    def seen(self, endpoint: str | None = None) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if endpoint is None or r.endpoint == endpoint]

    def _take_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            for name in (endpoint, "*"):
                queue = self._faults.get(name)
                if queue:
                    return queue.popleft()
        return None

    # -- answers -------------------------------------------------------------------------------

    def answer(self, endpoint: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        """(status, content type, body) of a normal answer."""
        if endpoint == "efetch":
            return 200, "text/xml; charset=UTF-8", self._efetch(params)
        if endpoint == "esearch":
            return 200, "text/xml; charset=UTF-8", self._esearch(params)
        if endpoint == "elink":
            return 200, "text/xml; charset=UTF-8", self._elink(params)
        if endpoint == "ecitmatch":
            return 200, "text/plain; charset=UTF-8", self._ecitmatch(params)
        if endpoint == "idconv":
            return 200, "application/json", self._idconv(params)
        if endpoint in ("einfo", "esummary"):
            key = params.get("db", "") if endpoint == "einfo" else params.get("id", "")
            body = self.canned.get((endpoint, key))
            if body is None:
                root = _ROOTS[endpoint]
                return 200, "text/xml", f"<{root}><ERROR>Unknown: {key}</ERROR></{root}>".encode()
            return 200, "text/xml; charset=UTF-8", body
        return 404, "text/html", _HTML_PAGE

    def _efetch(self, params: dict[str, str]) -> bytes:
        parts = [b'<?xml version="1.0" ?>\n', _PUBMED_DOCTYPE, b"\n<PubmedArticleSet>\n"]
        for pmid in (i.strip() for i in params.get("id", "").split(",")):
            article = self.articles.get(pmid)
            if article is None and self.synthesize and pmid.isdigit():
                article = synthetic_article(pmid)
            if article is not None:
                parts += [article, b"\n"]
        parts.append(b"</PubmedArticleSet>\n")
        return b"".join(parts)

    def _esearch(self, params: dict[str, str]) -> bytes:
        term = params.get("term", "")
        canned = self.canned.get(("esearch", term))
        if canned is not None:
            return canned
        webenv, query_key = params.get("WebEnv"), params.get("query_key")
        if webenv:
            ids = self._histories.get(f"{webenv}#{query_key}")
            if ids is None:
                msg = f"Unable to obtain query #{query_key}"
                return f"<eSearchResult><ERROR>{msg}</ERROR></eSearchResult>".encode()
        else:
            ids = self._lookup_term(term)
        start = int(params.get("retstart", "0") or 0)
        count = int(params.get("retmax", "20") or 20)
        page = ids[start : start + count]
        history = b""
        if params.get("usehistory") == "y":
            if not webenv:
                webenv, query_key = f"MCID_fake{next(self._webenvs)}", "1"
                with self._lock:
                    self._histories[f"{webenv}#{query_key}"] = ids
            history = f"<QueryKey>{query_key}</QueryKey><WebEnv>{webenv}</WebEnv>".encode()
        id_xml = "".join(f"<Id>{i}</Id>\n" for i in page).encode()
        return b"".join(
            [
                b'<?xml version="1.0" encoding="UTF-8" ?>\n',
                _ESEARCH_DOCTYPE,
                f"\n<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(page)}</RetMax>".encode(),
                f"<RetStart>{start}</RetStart>".encode(),
                history,
                b"<IdList>\n",
                id_xml,
                b"</IdList><TranslationSet/></eSearchResult>\n",
            ]
        )

    def _lookup_term(self, term: str) -> list[str]:
        if term in self.searches:
            return self.searches[term]
        stripped = term.strip()
        if stripped.endswith("[doi]"):
            pmid = self.dois.get(stripped[: -len("[doi]")].strip('"').lower())
            return [pmid] if pmid else []
        if stripped.endswith("[pmc]"):
            pmid = self.pmcids.get(stripped[: -len("[pmc]")].strip('"').upper())
            return [pmid] if pmid else []
        if stripped.endswith("[uid]") or stripped.isdigit():
            pmid = stripped.removesuffix("[uid]")
            return [pmid] if pmid in self.articles else []
        return []

    def _elink(self, params: dict[str, str]) -> bytes:
        pmid = params.get("id", "")
        linkname = params.get("linkname", "")
        if (pmid, linkname) not in self.links and ("elink", pmid) in self.canned:
            return self.canned[("elink", pmid)]
        links = self.links.get((pmid, linkname), [])
        link_db = b""
        if links:
            ids = "".join(f"<Link><Id>{i}</Id></Link>" for i in links)
            link_db = (
                f"<LinkSetDb><DbTo>pubmed</DbTo><LinkName>{linkname}</LinkName>{ids}</LinkSetDb>"
            ).encode()
        return b"".join(
            [
                b'<?xml version="1.0" encoding="UTF-8" ?>\n',
                _ELINK_DOCTYPE,
                b"\n<eLinkResult><LinkSet><DbFrom>pubmed</DbFrom>",
                f"<IdList><Id>{pmid}</Id></IdList>".encode(),
                link_db,
                b"</LinkSet></eLinkResult>\n",
            ]
        )

    def _ecitmatch(self, params: dict[str, str]) -> bytes:
        lines = [ln for ln in params.get("bdata", "").replace("\r", "\n").split("\n") if ln]
        out = []
        for line in lines:
            answer = self.citations.get(_citation_key(line), "NOT_FOUND")
            out.append(line.rstrip("|") + "|" + answer)
        return ("\n".join(out) + "\n").encode()

    def _idconv(self, params: dict[str, str]) -> bytes:
        records = []
        for value in (v.strip() for v in params.get("ids", "").split(",") if v.strip()):
            rec = self.idconv.get(value.lower())
            if rec is None:
                records.append(
                    {"requested-id": value, "status": "error", "errmsg": "invalid article id"}
                )
            else:
                records.append({"requested-id": value, **rec})
        data = {"status": "ok", "responseDate": "2025-01-01 00:00:00", "records": records}
        return json.dumps(data, indent=1).encode()

    # -- faulty answers ------------------------------------------------------------------------

    def faulty(
        self, endpoint: str, params: dict[str, str], fault: Fault
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a fault other than "slow" and "disconnect"."""
        kind = fault.kind
        xml = {"Content-Type": "text/xml; charset=UTF-8"}
        if kind == "429":
            headers = {"Content-Type": "application/json"}
            if fault.retry_after is not None:
                headers["Retry-After"] = fault.retry_after
            # NCBI echoes the API key in this body: the client must not repeat it.
            body = {"error": "API rate limit exceeded", "api-key": params.get("api_key", "")}
            return 429, headers, json.dumps(body).encode()
        if kind in ("500", "502", "503"):
            return int(kind), {"Content-Type": "text/html"}, _HTML_PAGE
        if kind == "html":
            return 200, {"Content-Type": "text/html; charset=UTF-8"}, _HTML_PAGE
        if endpoint == "idconv":
            return 200, {"Content-Type": "application/json"}, _bad_json(kind, fault)
        if endpoint == "ecitmatch" and kind in ("truncated", "malformed"):
            return 200, {"Content-Type": "text/plain"}, b"garbled|1991\n" * (kind == "malformed")
        root = _ROOTS.get(endpoint, "eSearchResult")
        if kind == "error":
            return 200, xml, f"<{root}><ERROR>{fault.message}</ERROR></{root}>".encode()
        _status, _ctype, normal = self.answer(endpoint, params)
        if kind == "truncated":
            return 200, xml, normal[: max(1, len(normal) * 2 // 3)]
        root = "PubmedArticleSet" if endpoint == "efetch" else root
        if kind == "malformed":  # tags closed in the wrong order
            doc = f'<?xml version="1.0"?>\n<{root}><a><b>1</a></b></{root}>'
            return 200, xml, doc.encode()
        if kind == "entity_bomb":
            entities = '<!ENTITY lol0 "lol">' + "".join(
                f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
            )
            return 200, xml, f"<!DOCTYPE {root} [{entities}]><{root}>&lol9;</{root}>".encode()
        if kind == "external_entity":
            target = self.url("secret")
            doc = f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{target}">]><{root}>&xxe;</{root}>'
            return 200, xml, doc.encode()
        if kind == "foreign_doctype":
            body = normal.replace(
                _PUBMED_DOCTYPE if endpoint == "efetch" else _ESEARCH_DOCTYPE,
                f'<!DOCTYPE {root} SYSTEM "{self.url("evil.dtd")}">'.encode(),
            )
            if body == normal:
                body = f'<!DOCTYPE {root} SYSTEM "{self.url("evil.dtd")}">'.encode() + normal
            return 200, xml, body
        raise ValueError(f"unknown fault {kind!r}")


def _bad_json(kind: FaultKind, fault: Fault) -> bytes:
    if kind == "error":
        return json.dumps({"status": "error", "message": fault.message}).encode()
    if kind == "truncated":
        return b'{"status": "ok", "records": [{"pmid": "1", "pmc'
    return b"{status: ok, records: [}"


def _citation_key(line: str) -> str:
    return "|".join(f.strip().lower() for f in line.split("|")[:5])


def synthetic_article(pmid: str) -> bytes:
    """A minimal, valid `<PubmedArticle>` for `pmid`."""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}'
        f"</PMID><Article><Journal><Title>Journal of Tests</Title></Journal><ArticleTitle>Paper "
        f"{pmid}.</ArticleTitle></Article></MedlineCitation><PubmedData><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{pmid}</ArticleId></ArticleIdList></PubmedData>'
        f"</PubmedArticle>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeEutils/1"

    def log_message(self, format: str, *args: object) -> None:  # quiet in test output
        return

    def do_GET(self) -> None:
        self._handle(urlsplit(self.path).query)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length).decode("utf-8"))

    def _handle(self, query: str) -> None:
        fake: FakeEutils = self.server.fake  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        folder, _, name = path.rpartition("/")
        if path.startswith("/idconv/"):
            endpoint = "idconv"
        elif folder == "/entrez/eutils":
            endpoint = ENDPOINTS.get(name, name)
        else:
            endpoint = path  # not an E-utility: answered 404
        fault = fake._take_fault(endpoint) if endpoint in (*ENDPOINTS.values(), "idconv") else None
        with fake._lock:
            fake.requests.append(
                Seen(self.command, path, endpoint, params, fault.kind if fault else None)
            )
        try:
            if fault is None:
                status, ctype, body = fake.answer(endpoint, params)
                self._send(status, {"Content-Type": ctype}, body)
            elif fault.kind == "slow":
                fake._release.wait(fault.delay)
                status, ctype, body = fake.answer(endpoint, params)
                self._send(status, {"Content-Type": ctype}, body)
            elif fault.kind == "disconnect":
                _status, ctype, body = fake.answer(endpoint, params)
                self._send(200, {"Content-Type": ctype}, body[: len(body) // 2], len(body))
            else:
                status, headers, body = fake.faulty(endpoint, params, fault)
                self._send(status, headers, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (a "slow" answer after its timeout)

    def _send(
        self, status: int, headers: dict[str, str], body: bytes, length: int | None = None
    ) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
