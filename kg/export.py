"""Exporting a store through the writers in `exports/`."""

import os
import sys
import tempfile
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from exports import FOLDER_WRITERS, VIEWS, folder_writer_for, writer_for
from kg.errors import ExportError
from kg.store import Store

EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "graphml", "cytoscape", "kgx")
# Formats that project the graph onto nodes and edges, and can show either view.
VIEW_FORMATS = ("graphml", "cytoscape")
__all__ = ["EXPORT_FORMATS", "VIEWS", "VIEW_FORMATS", "export"]


def _content(store: Store, include_builds: bool) -> chain[ox.Quad]:
    named = (q for q in store.quads() if not isinstance(q.graph_name, ox.DefaultGraph))
    builds = store.quads(default_graph=True) if include_builds else iter(())
    return chain(named, builds)


def export(
    store: Store,
    fmt: str,
    out: str | Path | BinaryIO,
    *,
    include_builds: bool = False,
    view: str | None = None,
) -> int:
    """Write the store's graphs to `out` (a path, '-' for stdout, or a binary handle).

    The store's own bookkeeping (builds with their times, source-graph records) lives in
    the default graph and is left out unless `include_builds`, so exporting the same inputs
    always gives the same bytes. A file is written whole or not at all.

    `view` ("full" or "claims") chooses what graphml and cytoscape show. kgx writes two
    files, nodes.tsv and edges.tsv, into the directory `out`.
    """
    if fmt in FOLDER_WRITERS:
        if view is not None:
            raise ExportError(f"the {fmt} format has no views (they apply to graphml, cytoscape)")
        return _export_folder(store, fmt, out, include_builds)
    try:
        writer = writer_for(fmt, view)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    quads = _content(store, include_builds)
    if not isinstance(out, str | Path):
        return writer(quads, out, prefixes=store.prefixes)
    if str(out) == "-":
        count = writer(quads, sys.stdout.buffer, prefixes=store.prefixes)
        sys.stdout.buffer.flush()
        return count
    target = Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            count = writer(quads, handle, prefixes=store.prefixes)
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return count


def _export_folder(store: Store, fmt: str, out: str | Path | BinaryIO, include_builds: bool) -> int:
    """Write a format of several files into the directory `out`, each file whole or not at all."""
    folder_writer = folder_writer_for(fmt)
    names = ", ".join(folder_writer.files)
    if not isinstance(out, str | Path) or str(out) == "-":
        raise ExportError(f"{fmt} writes {names}: give a directory to --out, not a stream")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{fmt} writes {names} into a directory, and {folder} is a file")
    temporary: dict[str, Path] = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handles: dict[str, BinaryIO] = {}
        try:
            for name in folder_writer.files:
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
                temporary[name] = Path(tmp)
                handles[name] = os.fdopen(fd, "wb")
            count = folder_writer.write(
                _content(store, include_builds), handles, prefixes=store.prefixes
            )
        finally:
            for handle in handles.values():
                handle.close()
        for name, tmp_path in temporary.items():
            os.replace(tmp_path, folder / name)
    except OSError as exc:
        raise ExportError(f"cannot write {folder}: {exc.strerror or exc}") from None
    finally:
        for tmp_path in temporary.values():
            tmp_path.unlink(missing_ok=True)
    return count
