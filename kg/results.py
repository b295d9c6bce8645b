"""SPARQL results, and writing them as a table, CSV, TSV or SPARQL 1.1 results JSON."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Literal, URIRef

from ontologies.namespace import shorten

Term = URIRef | BNode | Literal
Row = tuple[Term | None, ...]
Triple = tuple[Term, Term, Term]

FORMATS = ("table", "csv", "tsv", "json", "xml")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer to one query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT."""

    kind: TypingLiteral["select", "ask", "construct"]
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = field(default=())
    truncated: bool = False  # True when a row limit cut the result short

    @classmethod
    def select(
        cls, variables: Sequence[str], rows: Sequence[Row], *, truncated: bool = False
    ) -> "QueryResult":
        return cls("select", tuple(variables), tuple(rows), truncated=truncated)

    @classmethod
    def ask(cls, answer: bool) -> "QueryResult":
        return cls("ask", boolean=answer)

    @classmethod
    def construct(cls, triples: Sequence[Triple], *, truncated: bool = False) -> "QueryResult":
        return cls("construct", triples=tuple(triples), truncated=truncated)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (str, int, float, bool, datetime...)."""
        return [
            {
                name: (None if term is None else term.toPython())
                for name, term in zip(self.variables, row, strict=True)
            }
            for row in self.rows
        ]


def _compact(term: Term, prefixes: Mapping[str, str]) -> str:
    if isinstance(term, URIRef):
        return shorten(term, prefixes) or f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(result: QueryResult, prefixes: Mapping[str, str], width: int = 60) -> str:
    """Aligned columns for a person to read; IRIs shortened with the known prefixes."""
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    if result.kind == "construct":
        return format_ntriples(result)
    cells = [
        [_clip(_compact(t, prefixes), width) if t is not None else "" for t in row]
        for row in result.rows
    ]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    noun = "row" if len(cells) == 1 else "rows"
    lines.append(f"({len(cells)} {noun})")
    return "\n".join(lines) + "\n"


def _csv_value(term: Term | None) -> str:
    # SPARQL 1.1 CSV: plain lexical forms, blank nodes as _:label.
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def format_csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        writer.writerows([_csv_value(t) for t in row] for row in result.rows)
    return out.getvalue()


def format_tsv(result: QueryResult) -> str:
    # SPARQL 1.1 TSV: terms in their N-Triples/Turtle form, header of ?variables.
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else t.n3() for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        value["datatype"] = str(term.datatype)
    return value


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def format_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    ns = "http://www.w3.org/2005/sparql-results#"
    root = ET.Element("sparql", xmlns=ns)
    head = ET.SubElement(root, "head")
    if result.kind == "ask":
        ET.SubElement(root, "boolean").text = "true" if result.boolean else "false"
    else:
        for name in result.variables:
            ET.SubElement(head, "variable", name=name)
        results = ET.SubElement(root, "results")
        for row in result.rows:
            solution = ET.SubElement(results, "result")
            for name, term in zip(result.variables, row, strict=True):
                if term is None:
                    continue
                binding = ET.SubElement(solution, "binding", name=name)
                if isinstance(term, URIRef):
                    ET.SubElement(binding, "uri").text = str(term)
                elif isinstance(term, BNode):
                    ET.SubElement(binding, "bnode").text = str(term)
                else:
                    literal = ET.SubElement(binding, "literal")
                    literal.text = str(term)
                    if term.language:
                        literal.set("xml:lang", term.language)
                    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
                        literal.set("datatype", str(term.datatype))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def format_ntriples(result: QueryResult) -> str:
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in result.triples)


def format_result(result: QueryResult, fmt: str, prefixes: Mapping[str, str]) -> str:
    if result.kind == "construct" and fmt != "table":
        return format_ntriples(result)
    if fmt == "table":
        return format_table(result, prefixes)
    if fmt == "csv":
        return format_csv(result)
    if fmt == "tsv":
        return format_tsv(result)
    if fmt == "json":
        return format_json(result)
    if fmt == "xml":
        return format_xml(result)
    raise ValueError(f"unknown result format {fmt!r} (choose from {', '.join(FORMATS)})")
