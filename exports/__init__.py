"""Writers from an RDF graph to formats, by name: `WRITERS[name](quads, out, **options)`.

Imports only `ontologies` among litkg packages.
"""

from exports.rdf import RDF_FORMATS, write_rdf
from exports.registry import WRITERS, Writer, writer_for

__all__ = ["RDF_FORMATS", "WRITERS", "Writer", "write_rdf", "writer_for"]
