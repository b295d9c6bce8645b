"""MONDO <-> MeSH <-> DOID (and OMIM): which identifiers name the same concept.

Edges come from MONDO's SSSOM mapping files (exactMatch, hasDbXref) and from ontology
xrefs (DOID lists MESH and OMIM). `equivalents` walks at most two edges, so MeSH reaches
DOID through MONDO, but one loose xref cannot chain unrelated diseases together.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from ontologies.sources.terms import Term, normalise_curie

# Prefixes whose identifiers name diseases in the crosswalk; xrefs to others are ignored.
LINKED_PREFIXES = frozenset({"MONDO", "MESH", "DOID", "OMIM"})
_PREDICATES = frozenset({"skos:exactMatch", "oboInOwl:hasDbXref"})


def parse_sssom(lines: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(subject, predicate, object) rows of an SSSOM TSV; the YAML header is skipped."""
    columns: list[str] | None = None
    for raw in lines:
        if raw.startswith("#") or not raw.strip():
            continue
        cells = raw.rstrip("\n").split("\t")
        if columns is None:
            columns = cells
            continue
        row = dict(zip(columns, cells, strict=False))
        yield (
            normalise_curie(row.get("subject_id", "")),
            row.get("predicate_id", ""),
            normalise_curie(row.get("object_id", "")),
        )


class Crosswalk:
    def __init__(self) -> None:
        self._edges: dict[str, set[str]] = defaultdict(set)
        self._digest = hashlib.sha256()

    def add(self, left: str, right: str) -> None:
        left, right = normalise_curie(left), normalise_curie(right)
        if left != right:
            self._edges[left].add(right)
            self._edges[right].add(left)

    def add_sssom(self, path: Path) -> None:
        self._digest.update(path.name.encode() + path.read_bytes())
        with path.open(encoding="utf-8") as handle:
            for subject, predicate, obj in parse_sssom(handle):
                if predicate in _PREDICATES:
                    self.add(subject, obj)

    def add_xrefs(self, terms: Iterable[Term]) -> None:
        for term in terms:
            if term.id.split(":")[0] not in LINKED_PREFIXES or term.deprecated:
                continue
            for xref in term.xrefs:
                if xref.split(":")[0] in LINKED_PREFIXES:
                    self.add(term.id, xref)

    def equivalents(self, curie: str) -> tuple[str, ...]:
        """The identifier itself first, then those within two edges, sorted."""
        curie = normalise_curie(curie)
        near = self._edges.get(curie, set())
        found = set(near)
        for other in near:
            found |= self._edges.get(other, set())
        found.discard(curie)
        return (curie, *sorted(found))

    def version(self) -> str:
        return self._digest.hexdigest()[:16]

    def __len__(self) -> int:
        return sum(len(v) for v in self._edges.values()) // 2


def default_sssom_paths(directory: Path) -> list[Path]:
    return sorted(directory.glob("mondo*/*.sssom.tsv")) + sorted(directory.glob("*.sssom.tsv"))
