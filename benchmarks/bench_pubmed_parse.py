"""PubMed parsing speed: our streaming parser against Bio.Entrez.read, measured in the same run.

    python benchmarks/bench_pubmed_parse.py [--shared PATH] [--entrez-records N]

Parses ../shared/pubmed/bulk/pubmed20n0014.xml.gz (30,000 records) with every field of our
`Paper` records, each measurement in its own child process so that peak RSS figures are not
mixed. `Bio.Entrez.read` cannot stream and is slow, so it runs on a document holding the first
N records of the file (default 5,000), and our parser runs on that same document too; the speed
ratio compares those two runs. Prints a table with the issue's targets beside the figures.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = Path("pubmed") / "bulk" / "pubmed20n0014.xml.gz"
TARGET_RATE = 8_000  # records/s, whole file, one process
TARGET_RATIO = 5.0  # ours / Bio.Entrez.read on the same records
TARGET_RSS_MB = 300  # peak RSS for the whole file

_OURS = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from pipelines.pubmed import Paper, iter_pubmed
start = time.perf_counter()
records = abstracts = mesh = 0
for record in iter_pubmed(sys.argv[1]):
    records += 1
    if isinstance(record, Paper):
        abstracts += record.abstract is not None
        mesh += bool(record.mesh_headings)
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"records": records, "seconds": seconds, "rss_kb": rss,
                  "abstracts": abstracts, "mesh": mesh}))
"""

_ENTREZ = """
import json, resource, sys, time
from Bio import Entrez
start = time.perf_counter()
with open(sys.argv[1], "rb") as handle:
    result = Entrez.read(handle, validate=False)
records = len(result["PubmedArticle"]) + len(result["PubmedBookArticle"])
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"records": records, "seconds": seconds, "rss_kb": rss}))
"""


def default_shared() -> Path:
    configured = os.environ.get("KG_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


def first_records(source: Path, count: int, target: Path) -> int:
    """Write a PubmedArticleSet holding the first `count` records of `source`; return how many."""
    written = 0
    end = b"</PubmedArticle>"
    with gzip.open(source, "rb") as inp, target.open("wb") as out:
        buffer = b""
        while written < count:
            chunk = inp.read(1 << 20)
            if not chunk:
                break
            if not written and not buffer:
                # Biopython only follows https DTD addresses (it then uses its bundled copy);
                # baseline files still name theirs with http.
                chunk = chunk.replace(b'"http://dtd.nlm.nih.gov/', b'"https://dtd.nlm.nih.gov/', 1)
            buffer += chunk
            while written < count:
                at = buffer.find(end)
                if at < 0:
                    break
                cut = at + len(end)
                out.write(buffer[:cut])
                buffer = buffer[cut:]
                written += 1
        out.write(b"\n</PubmedArticleSet>\n")
    return written


def child(code: str, *args: str) -> dict[str, float]:
    """Run `code` in a fresh interpreter and return its JSON report. Each child reports its own
    peak RSS (RUSAGE_SELF), so the parsers' figures never mix with each other or with ours."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr}")
    report: dict[str, float] = json.loads(done.stdout)
    return report


def row(label: str, report: dict[str, float]) -> tuple[str, int, float, float, float]:
    rate = report["records"] / report["seconds"]
    return label, int(report["records"]), report["seconds"], rate, report["rss_kb"] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--entrez-records", type=int, default=5_000)
    args = parser.parse_args()
    source = args.shared / BASELINE
    if not source.is_file():
        raise SystemExit(f"missing {source}: pass --shared PATH or set KG_SHARED")

    ours_full = child(_OURS, str(source), str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "first.xml"
        n = first_records(source, args.entrez_records, sample)
        ours_n = child(_OURS, str(sample), str(REPO))
        started = time.perf_counter()
        entrez_n = child(_ENTREZ, str(sample))
        entrez_wall = time.perf_counter() - started
    if entrez_n["records"] != n or ours_n["records"] != n:
        raise SystemExit(f"record counts differ: ours {ours_n['records']}, Entrez {entrez_n}")

    rows = [
        row(f"ours, whole file ({source.name})", ours_full),
        row(f"ours, first {n:,} records", ours_n),
        row(f"Bio.Entrez.read, first {n:,} records", entrez_n),
    ]
    full_rate = rows[0][3]
    ratio = rows[1][3] / rows[2][3]
    rss_mb = rows[0][4]

    print(f"PubMed parsing, {source}")
    print(f"{'parser':<44} {'records':>8} {'seconds':>8} {'records/s':>10} {'peak RSS MB':>12}")
    for label, records, seconds, rate, rss in rows:
        print(f"{label:<44} {records:>8,} {seconds:>8.2f} {rate:>10,.0f} {rss:>12.0f}")
    print()
    print(f"{'figure':<44} {'measured':>12} {'target':>12} {'met':>5}")
    checks = [
        (
            "records/s, whole file, every field",
            f"{full_rate:,.0f}",
            f">= {TARGET_RATE:,}",
            full_rate >= TARGET_RATE,
        ),
        (
            f"ours / Bio.Entrez.read ({n:,} records)",
            f"{ratio:.1f}x",
            f">= {TARGET_RATIO:.0f}x",
            ratio >= TARGET_RATIO,
        ),
        (
            "peak RSS, whole file",
            f"{rss_mb:.0f} MB",
            f"< {TARGET_RSS_MB} MB",
            rss_mb < TARGET_RSS_MB,
        ),
    ]
    for label, measured, target, met in checks:
        print(f"{label:<44} {measured:>12} {target:>12} {'yes' if met else 'NO':>5}")
    print()
    print(
        f"whole file: {int(ours_full['abstracts']):,} records with an abstract, "
        f"{int(ours_full['mesh']):,} with MeSH headings; Entrez child ran {entrez_wall:.1f} s "
        "wall including interpreter start"
    )


if __name__ == "__main__":
    main()
