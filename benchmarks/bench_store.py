"""Store speed: Oxigraph (our default) against rdflib's memory store, measured in the same run.

    python benchmarks/bench_store.py [--triples N]

Prints a table; ratios matter, absolute times depend on the machine.
"""

import argparse
import io
import random
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

import pyoxigraph as ox

from exports import write_rdf
from kg.store import Store

EX = "http://example.org/"
# Queries see the union of all graphs (as `kg query` does).
JOIN = """SELECT ?d ?p WHERE { ?d <http://example.org/mentions> ?c .
                              ?c <http://example.org/broader> ?p }"""
GROUP = """SELECT ?c (COUNT(?d) AS ?n) WHERE { ?d <http://example.org/mentions> ?c }
           GROUP BY ?c ORDER BY DESC(?n) LIMIT 10"""


def synthetic(triples: int) -> list[ox.Quad]:
    """Documents mentioning concepts (one graph per document), concepts with parents."""
    rng = random.Random(7)
    concepts = max(10, triples // 50)
    mentions, broader = ox.NamedNode(EX + "mentions"), ox.NamedNode(EX + "broader")
    quads = [
        ox.Quad(
            ox.NamedNode(f"{EX}c{i}"), broader, ox.NamedNode(f"{EX}c{i // 10}"), ox.DefaultGraph()
        )
        for i in range(concepts)
    ]
    for n in range(triples - concepts):
        doc = n // 20
        quads.append(
            ox.Quad(
                ox.NamedNode(f"{EX}d{doc}"),
                mentions,
                ox.NamedNode(f"{EX}c{rng.randrange(concepts)}"),
                ox.NamedNode(f"{EX}g{doc}"),
            )
        )
    return quads


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    args = parser.parse_args()
    quads = synthetic(args.triples)
    rows: list[tuple[str, float, float]] = []
    with TemporaryDirectory() as tmp:
        oxi = Store.open(Path(tmp) / "s", create=True)
        mem = Store.memory()
        t_ox, _ = timed(lambda: oxi.add(quads, bulk=True))
        t_mem, _ = timed(lambda: mem.add(quads, bulk=True))
        rows.append(("load (quads/s)", len(quads) / t_ox, len(quads) / t_mem))
        for name, sparql in (("2-hop join (s)", JOIN), ("GROUP BY (s)", GROUP)):
            t_ox, a = timed(lambda q=sparql: oxi.query(q))
            t_mem, b = timed(lambda q=sparql: mem.query(q))
            assert len(a) == len(b), f"{name}: backends disagree"  # type: ignore[arg-type]
            rows.append((name, t_ox, t_mem))
        t_ox, n = timed(lambda: write_rdf(oxi.quads(), io.BytesIO(), "nq"))
        t_mem, _ = timed(lambda: write_rdf(mem.quads(), io.BytesIO(), "nq"))
        rows.append(("N-Quads export (quads/s)", float(n) / t_ox, float(n) / t_mem))  # type: ignore[arg-type]
        oxi.close()
    print(f"store benchmark, {len(quads):,} quads")
    print(f"{'measure':<26}{'oxigraph':>14}{'rdflib memory':>16}{'oxigraph gain':>16}")
    for name, a, b in rows:
        gain = a / b if "/s" in name else b / a
        print(f"{name:<26}{a:>14,.2f}{b:>16,.2f}{gain:>15.1f}x")


if __name__ == "__main__":
    main()
