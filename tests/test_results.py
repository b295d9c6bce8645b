"""Query results as table, CSV, TSV and SPARQL JSON."""

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.results import QueryResult, format_result

ROWS = QueryResult.select(
    ["s", "o"],
    [
        (URIRef("https://w3id.org/litkg/vocab#Document"), Literal("chat", lang="fr")),
        (BNode("b1"), Literal("5", datatype=XSD.integer)),
        (URIRef("http://example.org/x"), None),
        (URIRef("http://example.org/y"), Literal('say "hi",\nthen go')),
    ],
)
PREFIXES = {"litkg": "https://w3id.org/litkg/vocab#"}


def test_json_is_sparql_results_json() -> None:
    doc = json.loads(format_result(ROWS, "json", PREFIXES))
    assert doc["head"]["vars"] == ["s", "o"]
    first, second, third, _ = doc["results"]["bindings"]
    assert first["s"] == {"type": "uri", "value": "https://w3id.org/litkg/vocab#Document"}
    assert first["o"] == {"type": "literal", "value": "chat", "xml:lang": "fr"}
    assert second["s"] == {"type": "bnode", "value": "b1"}
    assert second["o"]["datatype"] == str(XSD.integer)
    assert "o" not in third  # unbound stays unbound


def test_csv_round_trips_values_with_commas_quotes_and_newlines() -> None:
    rows = list(csv.reader(io.StringIO(format_result(ROWS, "csv", PREFIXES))))
    assert rows[0] == ["s", "o"]
    assert rows[2] == ["_:b1", "5"]
    assert rows[4] == ["http://example.org/y", 'say "hi",\nthen go']


def test_tsv_writes_terms_in_ntriples_form() -> None:
    lines = format_result(ROWS, "tsv", PREFIXES).splitlines()
    assert lines[0] == "?s\t?o"
    assert lines[1] == '<https://w3id.org/litkg/vocab#Document>\t"chat"@fr'
    assert lines[3] == "<http://example.org/x>\t"


def test_table_shortens_iris_and_counts_rows() -> None:
    table = format_result(ROWS, "table", PREFIXES)
    assert "litkg:Document" in table
    assert table.rstrip().endswith("(4 rows)")


def test_ask_results() -> None:
    assert json.loads(format_result(QueryResult.ask(True), "json", {})) == {
        "head": {},
        "boolean": True,
    }
    assert format_result(QueryResult.ask(False), "table", {}) == "false\n"
