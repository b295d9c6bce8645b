"""Human Disease Ontology, from an OBO file; its MeSH and OMIM xrefs feed the crosswalk."""

from pathlib import Path

from ontologies.sources.obo import OboSource


class DoidSource(OboSource):
    def __init__(self, path: Path) -> None:
        super().__init__("doid", path, id_prefix="DOID")
