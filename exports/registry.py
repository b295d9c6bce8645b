"""The export formats litkg offers.

- `WRITERS[name](quads, out, *, prefixes)`: formats written to one binary stream (the RDF
  serialisations, graphml, cytoscape);
- `VIEW_WRITERS[name](quads, out, *, prefixes, view)`: those of them that project the graph and
  can show it in either view ("full" or "claims"; see `exports.projection`);
- `FOLDER_WRITERS[name]`: formats made of several files (kgx), written into a directory.

Each writer returns how many items (statements, or nodes + edges) it wrote.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO, Protocol

import pyoxigraph as ox

from exports.cytoscape import write_cytoscape
from exports.graphml import write_graphml
from exports.kgx import KGX_FILES, write_kgx
from exports.projection import VIEWS
from exports.rdf import RDF_FORMATS, write_rdf


class Writer(Protocol):
    def __call__(
        self,
        quads: Iterable[ox.Quad],
        out: BinaryIO,
        *,
        prefixes: Mapping[str, str] | None = None,
    ) -> int: ...


class ViewWriter(Protocol):
    def __call__(
        self,
        quads: Iterable[ox.Quad],
        out: BinaryIO,
        *,
        prefixes: Mapping[str, str] | None = None,
        view: str = "full",
    ) -> int: ...


class FolderWrite(Protocol):
    def __call__(
        self,
        quads: Iterable[ox.Quad],
        outs: Mapping[str, BinaryIO],
        *,
        prefixes: Mapping[str, str] | None = None,
    ) -> int: ...


@dataclass(frozen=True)
class FolderWriter:
    """A format of several files: their names, and the writer that fills them."""

    files: tuple[str, ...]
    write: FolderWrite


VIEW_WRITERS: dict[str, ViewWriter] = {"graphml": write_graphml, "cytoscape": write_cytoscape}
WRITERS: dict[str, Writer] = {name: partial(write_rdf, fmt=name) for name in RDF_FORMATS}
WRITERS.update(VIEW_WRITERS)
FOLDER_WRITERS: dict[str, FolderWriter] = {"kgx": FolderWriter(KGX_FILES, write_kgx)}
FORMATS: tuple[str, ...] = (*WRITERS, *FOLDER_WRITERS)


def writer_for(name: str, view: str | None = None) -> Writer:
    """The writer of format `name`, showing `view` (None: the format's default)."""
    if name not in WRITERS:
        if name in FOLDER_WRITERS:
            raise ValueError(f"{name} writes several files: use folder_writer_for({name!r})")
        raise ValueError(f"unknown export format {name!r} (choose from {', '.join(FORMATS)})")
    if view is None:
        return WRITERS[name]
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    if name not in VIEW_WRITERS:
        raise ValueError(
            f"the {name} format has no views (views apply to {', '.join(VIEW_WRITERS)})"
        )
    return partial(VIEW_WRITERS[name], view=view)


def folder_writer_for(name: str) -> FolderWriter:
    try:
        return FOLDER_WRITERS[name]
    except KeyError:
        raise ValueError(
            f"{name!r} is not a format written to a directory "
            f"(those are: {', '.join(FOLDER_WRITERS)})"
        ) from None
