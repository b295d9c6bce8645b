"""Our schema and vocabulary: the bottom layer of litkg.

Nothing here imports any other litkg package, and importing it reads no file.
"""

from ontologies.namespace import (
    BIBO,
    BIRO,
    CITO,
    DCAT,
    DCTERMS,
    FABIO,
    LITKG,
    OA,
    PROV,
    SKOS,
    STANDARD_PREFIXES,
)
from ontologies.resources import schema_path, shapes_path

__all__ = [
    "BIBO",
    "BIRO",
    "CITO",
    "DCAT",
    "DCTERMS",
    "FABIO",
    "LITKG",
    "OA",
    "PROV",
    "SKOS",
    "STANDARD_PREFIXES",
    "schema_path",
    "shapes_path",
]
