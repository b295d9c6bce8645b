"""Gene Ontology biological process, from an OBO file (go-basic or its BP branch)."""

from collections.abc import Iterator
from pathlib import Path

from ontologies.sources.obo import OboSource
from ontologies.sources.terms import Term


class GoSource(OboSource):
    def __init__(self, path: Path, *, namespace: str = "biological_process") -> None:
        super().__init__("go", path, id_prefix="GO")
        self.namespace = namespace

    def iter_terms(self) -> Iterator[Term]:
        for term in super().iter_terms():
            if not term.categories or self.namespace in term.categories:
                yield term
