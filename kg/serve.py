"""A read-only SPARQL 1.1 Protocol endpoint over a store (`kg serve`).

Standard library only: one thread per request, queries answered from the shared store.
Updates are refused; every query has a time limit and a row limit; the server listens on
loopback unless told otherwise.
"""

import html
import logging
import time
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kg.backends import Limits
from kg.errors import QueryError, QueryTimeout
from kg.results import QueryResult, format_result
from kg.store import Store

log = logging.getLogger(__name__)

# Media type -> our result format name, in order of preference when the client accepts any.
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {"application/n-triples": "nt", "text/plain": "nt"}
MAX_BODY = 1024 * 1024


@dataclass(frozen=True, slots=True)
class EndpointConfig:
    timeout: float = 30.0  # seconds per query
    max_rows: int = 10_000


def _negotiate(accept: str, offered: dict[str, str]) -> str | None:
    """The offered media type the Accept header prefers most (q-values honoured)."""
    if not accept.strip():
        return next(iter(offered))
    choices: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        for offer in offered:
            kind = offer.partition("/")[0]
            if media in (offer, "*/*", f"{kind}/*") and quality > 0:
                choices.append((-quality, order * 100 + list(offered).index(offer), offer))
    return min(choices)[2] if choices else None


_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>litkg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:60em}}
textarea{{width:100%;height:12em;font-family:monospace}}</style></head>
<body><h1>litkg SPARQL endpoint</h1>
<p>Store: {store}. Read-only; queries stop after {timeout:g} s or {rows:,} rows.
Prefixes such as <code>litkg:</code>, <code>dcterms:</code> and <code>prov:</code>
are predeclared.</p>
<form action="sparql" method="get">
<textarea name="query">SELECT ?document ?title WHERE {{
  ?document a litkg:Document ; dcterms:title ?title .
}} LIMIT 20</textarea>
<p><select name="format"><option value="json">JSON</option><option value="csv">CSV</option>
<option value="tsv">TSV</option><option value="xml">XML</option></select>
<button type="submit">Run</button></p></form></body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    server: "SparqlServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)

    # ------------------------------------------------------------ responses

    def _send(
        self, status: HTTPStatus, body: str, media_type: str, extra: dict[str, str] | None = None
    ) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{media_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, message + "\n", "text/plain")

    # ------------------------------------------------------------ methods

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        if url.path in ("/", "/index.html") and "query" not in params:
            cfg = self.server.config
            page = _PAGE.format(
                store=html.escape(str(self.server.store.path or "(memory)")),
                timeout=cfg.timeout,
                rows=cfg.max_rows,
            )
            self._send(HTTPStatus.OK, page, "text/html")
            return
        if url.path not in ("/", "/sparql"):
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; use /sparql")
            return
        if "update" in params:
            self._refuse_update()
            return
        self._answer(params)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path not in ("/", "/sparql"):
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; use /sparql")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query)
        if media == "application/sparql-update":
            self._refuse_update()
            return
        if media == "application/sparql-query":
            params["query"] = [body]
        elif media in ("application/x-www-form-urlencoded", ""):
            params.update(urllib.parse.parse_qs(body))
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported request type {media}")
            return
        if "update" in params:
            self._refuse_update()
            return
        self._answer(params)

    def do_HEAD(self) -> None:
        self.do_GET()

    def _refuse_update(self) -> None:
        self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")

    def _answer(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._error(HTTPStatus.BAD_REQUEST, "give exactly one non-empty 'query' parameter")
            return
        cfg = self.server.config
        limits = Limits(rows=cfg.max_rows, deadline=time.monotonic() + cfg.timeout)
        try:
            result = self.server.store.query(queries[0], limits=limits)
        except QueryTimeout as exc:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"{exc} ({cfg.timeout:g} s)")
            return
        except QueryError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._write_result(result, params)

    def _write_result(self, result: QueryResult, params: dict[str, list[str]]) -> None:
        offered = GRAPH_TYPES if result.kind == "construct" else SELECT_TYPES
        wanted = params.get("format", [None])[0]
        if wanted:
            media = next((m for m, f in offered.items() if f == wanted or m == wanted), None)
        else:
            media = _negotiate(self.headers.get("Accept", ""), offered)
        if media is None:
            self._error(HTTPStatus.NOT_ACCEPTABLE, "acceptable result types: " + ", ".join(offered))
            return
        # CONSTRUCT results are written as N-Triples whatever the format name.
        body = format_result(result, offered[media], self.server.store.prefixes)
        extra = {"X-Result-Truncated": "true"} if result.truncated else {}
        self._send(HTTPStatus.OK, body, media, extra)


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: Store, host: str, port: int, config: EndpointConfig) -> None:
        super().__init__((host, port), _Handler)
        self.store = store
        self.config = config

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/sparql"


def make_server(
    store: Store, host: str = "127.0.0.1", port: int = 0, config: EndpointConfig | None = None
) -> SparqlServer:
    """A server ready to `serve_forever()`; port 0 picks a free port (see `.url`)."""
    return SparqlServer(store, host, port, config or EndpointConfig())
