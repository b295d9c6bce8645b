"""The read-only SPARQL endpoint, tested over loopback with plain HTTP and two SPARQL clients."""

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.build import build
from kg.serve import EndpointConfig, SparqlServer, make_server
from kg.store import Store

TITLES = "SELECT ?t WHERE { ?d a litkg:Document ; dcterms:title ?t } ORDER BY ?t"


@pytest.fixture
def server(tmp_path: Path, fixtures: Path) -> Iterator[SparqlServer]:
    store = Store.open(tmp_path / "s", create=True)
    build([fixtures / "docs"], store)
    srv = make_server(store, config=EndpointConfig(timeout=5, max_rows=2))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    store.close()


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def post(url: str, body: bytes, media: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": media})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def query_url(server: SparqlServer, sparql: str) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": sparql})


def test_get_answers_in_each_negotiated_format(server: SparqlServer) -> None:
    url = query_url(server, "SELECT ?n WHERE { BIND(1 AS ?n) }")
    status, headers, body = get(url, "application/sparql-results+json")
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "1"
    _, headers, body = get(url, "application/sparql-results+xml")
    assert ET.fromstring(body).tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    _, _, body = get(url, "text/csv")
    assert list(csv.reader(io.StringIO(body))) == [["n"], ["1"]]
    _, _, body = get(url, "text/tab-separated-values;q=0.9, text/csv;q=0.1")
    assert body.splitlines()[0] == "?n"
    status, _, _ = get(url, "image/png")
    assert status == 406


def test_post_forms_and_direct_queries(server: SparqlServer) -> None:
    status, body = post(
        server.url,
        urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode(),
        "application/x-www-form-urlencoded",
    )
    assert status == 200
    assert json.loads(body)["boolean"] is True
    status, body = post(server.url, b"ASK { ?s ?p ?o }", "application/sparql-query")
    assert status == 200


def test_updates_are_refused_and_nothing_changes(server: SparqlServer) -> None:
    before = len(server.store.named_graphs())
    status, body = post(server.url, b"DROP ALL", "application/sparql-update")
    assert status == 403
    assert "read-only" in body
    status, _ = post(
        server.url,
        urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
        "application/x-www-form-urlencoded",
    )
    assert status == 403
    status, _, _ = get(query_url(server, "DROP ALL"))
    assert status == 400
    assert len(server.store.named_graphs()) == before


def test_row_limit_cuts_and_flags_the_answer(server: SparqlServer) -> None:
    status, headers, body = get(query_url(server, TITLES), "application/sparql-results+json")
    assert status == 200
    assert headers.get("X-Result-Truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 2


def test_bad_queries_and_paths_get_clear_errors(server: SparqlServer) -> None:
    status, _, body = get(query_url(server, "SELECT WHERE {"))
    assert status == 400
    assert "invalid SPARQL" in body
    status, _, _ = get(server.url.replace("/sparql", "/nowhere"))
    assert status == 404
    status, _, page = get(server.url.replace("/sparql", "/"))
    assert status == 200
    assert "<form" in page


def test_rdflib_sparqlstore_and_sparqlwrapper_as_clients(server: SparqlServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import JSON, SPARQLWrapper

    remote = SPARQLStore(server.url, returnFormat="json")
    rows = list(remote.query("SELECT ?n WHERE { BIND(42 AS ?n) }"))
    assert [int(r[0]) for r in rows] == [42]  # type: ignore[index]
    client = SPARQLWrapper(server.url)
    client.setQuery("SELECT (COUNT(*) AS ?c) WHERE { ?d a litkg:Document }")
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert answer["results"]["bindings"][0]["c"]["value"] == "3"  # type: ignore[index,call-overload]
