"""Local PubMed mirror: indexing speed, size on disk and lookup latency.

    python benchmarks/bench_pubmed_mirror.py [--shared PATH] [--lookups N] [--queries N]

Indexes both bulk files of ../shared/pubmed/bulk (the 30,000-record baseline file, then the
20,788-record update file with its DeleteCitation list) into a temporary mirror, then times
lookups of random records by PMID and by DOI (each returning a full `Paper`) and candidate
searches for fuzzy citation matching: by a title with one word misspelt, and by first author,
year, journal, volume and first page. Recall is the share of searches whose own record is among
the candidates. Prints a table with the issue's targets beside the figures.
"""

import argparse
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BULK = ("pubmed20n0014.xml.gz", "pubmed21n1298.xml.gz")
TARGET_INDEX_S = 60.0
TARGET_LOOKUP_MS = 1.0


def default_shared() -> Path:
    configured = os.environ.get("KG_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


def latencies(calls: Sequence[Callable[[], object]]) -> tuple[float, float]:
    """Mean and 99th percentile, in milliseconds, of each call timed alone."""
    times = []
    for call in calls:
        start = time.perf_counter_ns()
        call()
        times.append((time.perf_counter_ns() - start) / 1e6)
    times.sort()
    return statistics.fmean(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def misspell(title: str, rng: random.Random) -> str:
    """The title with one letter dropped from its longest word."""
    words = title.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 3:
        at = rng.randrange(1, len(word) - 1)
        words[longest] = word[:at] + word[at + 1 :]
    return " ".join(words)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--lookups", type=int, default=10_000, help="lookups by PMID and DOI")
    parser.add_argument("--queries", type=int, default=500, help="candidate searches of each kind")
    args = parser.parse_args(argv)
    files = [args.shared / "pubmed" / "bulk" / name for name in BULK]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"error: missing {', '.join(missing)} (set --shared or KG_SHARED)", file=sys.stderr)
        return 2

    sys.path.insert(0, str(REPO))
    # Imported here so that importing this script does nothing and it runs from anywhere.
    from pipelines.pubmed import Paper
    from pipelines.pubmed.mirror import Mirror

    rng = random.Random(14)
    rows: list[tuple[str, str, str]] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-mirror-") as tmp,
        Mirror.open(Path(tmp) / "mirror", create=True) as mirror,
    ):
        start = time.perf_counter()
        report = mirror.index(files)
        seconds = time.perf_counter() - start
        if not report.ok:
            for failed in report.errors:
                print(f"error: {failed.path}: {failed.error}", file=sys.stderr)
            return 1
        stats = mirror.stats()
        rows.append(("index both bulk files (s)", f"{seconds:.1f}", f"< {TARGET_INDEX_S:.0f}"))
        for f in report.files:
            rows.append((f"  {Path(f.path).name} (s)", f"{f.seconds:.1f}", ""))
        rows.append(("records read", f"{report.records:,}", "50,788"))
        rows.append(("records/s", f"{report.records / seconds:,.0f}", ""))
        rows.append(("records in mirror / deleted", f"{stats.records:,} / {stats.deleted}", ""))
        rows.append(("mirror size on disk (MB)", f"{stats.size_bytes / 1e6:.1f}", ""))

        db = sqlite3.connect(mirror.db_path)
        sample = db.execute(
            "SELECT pmid, doi FROM papers WHERE doi IS NOT NULL ORDER BY random() LIMIT ?",
            (args.lookups,),
        ).fetchall()
        db.close()
        pmids = [str(pmid) for pmid, _ in sample]
        dois = [doi for _, doi in sample]
        rng.shuffle(dois)

        mean, p99 = latencies([partial(mirror.by_pmid, p) for p in pmids])
        rows.append(
            (
                f"by_pmid -> Paper, mean / p99 (ms, n={len(pmids):,})",
                f"{mean:.3f} / {p99:.3f}",
                f"< {TARGET_LOOKUP_MS:g}",
            )
        )
        mean, p99 = latencies([partial(mirror.by_doi, d) for d in dois])
        rows.append(
            (
                f"by_doi -> Paper, mean / p99 (ms, n={len(dois):,})",
                f"{mean:.3f} / {p99:.3f}",
                f"< {TARGET_LOOKUP_MS:g}",
            )
        )

        mean, p99 = latencies([partial(mirror.xml, p) for p in pmids])
        rows.append(("xml by PMID (no Paper), mean / p99 (ms)", f"{mean:.3f} / {p99:.3f}", ""))
        mean, p99 = latencies([partial(mirror.pmid_for_doi, d) for d in dois])
        rows.append(("pmid_for_doi, mean / p99 (ms)", f"{mean:.3f} / {p99:.3f}", ""))

        probes = [mirror.by_pmid(p) for p in rng.sample(pmids, min(args.queries, len(pmids)))]
        papers = [p for p in probes if p is not None and p.title]
        hits: list[bool] = []

        def by_title(paper: Paper) -> None:
            found = mirror.candidate_pmids(title=misspell(paper.title or "", rng))
            hits.append(paper.pmid in {pmid for pmid, _ in found})

        mean, p99 = latencies([partial(by_title, p) for p in papers])
        rows.append(("candidates(title with a typo) (ms)", f"{mean:.2f} / {p99:.2f}", ""))
        rows.append(("  recall in top 20", f"{sum(hits) / len(hits):.1%}", ""))

        def by_fields(paper: Paper) -> None:
            found = mirror.candidate_pmids(
                first_author=paper.authors[0].last_name,
                year=paper.year,
                journal=paper.journal.iso_abbreviation if paper.journal else None,
                volume=paper.volume,
                first_page=paper.pagination.first_page if paper.pagination else None,
            )
            hits.append(paper.pmid in {pmid for pmid, _ in found})

        hits.clear()
        fielded = [p for p in papers if p.authors and p.authors[0].last_name and p.journal]
        mean, p99 = latencies([partial(by_fields, p) for p in fielded])
        rows.append(
            ("candidates(author, year, journal, vol, page) (ms)", f"{mean:.2f} / {p99:.2f}", "")
        )
        rows.append(("  recall in top 20", f"{sum(hits) / len(hits):.1%}", ""))
        mean, p99 = latencies([partial(mirror.candidates, p.title) for p in papers[:100]])
        rows.append(("candidates(title) -> 20 Papers (ms)", f"{mean:.2f} / {p99:.2f}", ""))

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak RSS (MB)", f"{rss_mb:.0f}", ""))
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>{vwidth}}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>{vwidth}}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
