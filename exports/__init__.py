"""Writers from an RDF graph to formats, by name: `WRITERS[name](quads, out, **options)`.

Imports only `ontologies` among litkg packages.
"""

from exports.projection import VIEWS, project
from exports.rdf import RDF_FORMATS, write_rdf
from exports.registry import (
    FOLDER_WRITERS,
    FORMATS,
    VIEW_WRITERS,
    WRITERS,
    FolderWriter,
    ViewWriter,
    Writer,
    folder_writer_for,
    writer_for,
)

__all__ = [
    "FOLDER_WRITERS",
    "FORMATS",
    "RDF_FORMATS",
    "VIEWS",
    "VIEW_WRITERS",
    "WRITERS",
    "FolderWriter",
    "ViewWriter",
    "Writer",
    "folder_writer_for",
    "project",
    "write_rdf",
    "writer_for",
]
