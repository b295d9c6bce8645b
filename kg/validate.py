"""Checking a store against our SHACL shapes (ontologies/schema/shapes.ttl) with pySHACL."""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from kg.terms import to_rdflib
from ontologies.namespace import shorten
from ontologies.resources import shapes_path


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: which shape, which node, which property, and what is wrong."""

    shape: str  # the named node shape (e.g. shape:DocumentShape)
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.shape}: <{self.focus}>{where}: {self.message}{value}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    triples_checked: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "triples_checked": self.triples_checked,
            "violations": [asdict(v) for v in self.violations],
        }


def load_shapes() -> Graph:
    shapes = Graph()
    shapes.parse(shapes_path(), format="turtle")
    return shapes


def _name(node: object, shapes: Graph, prefixes: Mapping[str, str]) -> str:
    """A readable name for a shape: property shapes are blank nodes, so name their parent."""
    if isinstance(node, BNode):
        parent = next(shapes.subjects(SH.property, node), None)
        if parent is not None:
            return _name(parent, shapes, prefixes)
    return _short(str(node), prefixes)


def _short(iri: str, prefixes: Mapping[str, str]) -> str:
    return shorten(iri, prefixes) or iri


def validate_quads(quads: Iterable[ox.Quad], prefixes: Mapping[str, str]) -> ValidationReport:
    """Validate the union of all graphs in `quads` (shapes may relate nodes across graphs)."""
    data = Graph()
    for q in quads:
        data.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    shapes = load_shapes()
    names = {**prefixes, "shape": "https://w3id.org/litkg/shapes#"}
    conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    violations: list[Violation] = []

    def get(result: object, prop: URIRef) -> object:
        return results.value(result, prop)

    for result in results.subjects(URIRef(str(SH.resultSeverity)), None):
        path, value = get(result, SH.resultPath), get(result, SH.value)
        violations.append(
            Violation(
                shape=_name(get(result, SH.sourceShape), shapes, names),
                focus=str(get(result, SH.focusNode)),
                path=_short(str(path), names) if path is not None else None,
                value=str(value)[:80] if value is not None else None,
                message=str(get(result, SH.resultMessage) or "constraint not met"),
                severity=_short(str(get(result, SH.resultSeverity)), {"sh": str(SH)}),
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus, v.path or "", v.message))
    return ValidationReport(bool(conforms), tuple(violations), len(data))
