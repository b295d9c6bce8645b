"""RDF serialisations: Turtle, N-Triples, N-Quads, TriG and JSON-LD, in a deterministic order.

Output is sorted (by the statement's N-Quads form), so the same graph always gives the
same bytes: exports can be compared with `cmp` and diffed between builds.
"""

from collections.abc import Iterable, Mapping
from typing import BinaryIO

import pyoxigraph as ox

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_TRIPLE_FORMATS = frozenset({"ttl", "nt"})


def write_rdf(
    quads: Iterable[ox.Quad],
    out: BinaryIO,
    fmt: str,
    *,
    prefixes: Mapping[str, str] | None = None,
) -> int:
    """Write `quads` to `out` in format `fmt`; return the number of statements written.

    Triple formats (ttl, nt) merge the named graphs and drop duplicates.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r} (choose from {', '.join(RDF_FORMATS)})")
    items: list[ox.Quad] | list[ox.Triple]
    if fmt in _TRIPLE_FORMATS:
        unique = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        items = sorted(unique, key=str)
    else:
        items = sorted(quads, key=str)
    use_prefixes = dict(prefixes) if prefixes and fmt in ("ttl", "trig") else None
    ox.serialize(items, out, format=RDF_FORMATS[fmt], prefixes=use_prefixes)
    return len(items)
