"""Exporting a store through the writers in `exports/`."""

import os
import sys
import tempfile
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from exports import writer_for
from kg.errors import ExportError
from kg.store import Store

EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "graphml")


def _content(store: Store, include_builds: bool) -> chain[ox.Quad]:
    named = (q for q in store.quads() if not isinstance(q.graph_name, ox.DefaultGraph))
    builds = store.quads(default_graph=True) if include_builds else iter(())
    return chain(named, builds)


def export(
    store: Store, fmt: str, out: str | Path | BinaryIO, *, include_builds: bool = False
) -> int:
    """Write the store's graphs to `out` (a path, '-' for stdout, or a binary handle).

    The store's own bookkeeping (builds with their times, source-graph records) lives in
    the default graph and is left out unless `include_builds`, so exporting the same inputs
    always gives the same bytes. A file is written whole or not at all.
    """
    try:
        writer = writer_for(fmt)
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
