"""The export formats litkg offers, each a writer `write(quads, out, **options) -> count`."""

from collections.abc import Iterable, Mapping
from functools import partial
from typing import BinaryIO, Protocol

import pyoxigraph as ox

from exports.graphml import write_graphml
from exports.rdf import RDF_FORMATS, write_rdf


class Writer(Protocol):
    def __call__(
        self,
        quads: Iterable[ox.Quad],
        out: BinaryIO,
        *,
        prefixes: Mapping[str, str] | None = None,
    ) -> int: ...


WRITERS: dict[str, Writer] = {name: partial(write_rdf, fmt=name) for name in RDF_FORMATS}
WRITERS["graphml"] = write_graphml


def writer_for(name: str) -> Writer:
    try:
        return WRITERS[name]
    except KeyError:
        raise ValueError(
            f"unknown export format {name!r} (choose from {', '.join(sorted(WRITERS))})"
        ) from None
