"""How many E-utilities requests fetching 10,000 PMIDs takes (target: <= 50).

Runs `EutilsClient.fetch_papers` against the loopback fake E-utilities server (synthetic records,
no network), first cold, then again from the cache, then with a 429 and a 503 injected, and
prints a table. Run: .venv/bin/python benchmarks/bench_pubmed_client.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pubmed.fake_eutils import FakeEutils  # noqa: E402

from pipelines.pubmed.cache import ResponseCache  # noqa: E402
from pipelines.pubmed.client import EutilsClient, RateLimiter  # noqa: E402

N_PMIDS = 10_000
TARGET = 50


def run(client: EutilsClient, server: FakeEutils, pmids: list[int]) -> tuple[int, int, float, int]:
    before = len(server.seen("efetch"))
    started = time.perf_counter()
    stream = client.fetch_papers(pmids)
    papers = sum(1 for _ in stream)
    elapsed = time.perf_counter() - started
    return papers, len(server.seen("efetch")) - before, elapsed, len(stream.missing)


def main() -> int:
    pmids = list(range(30_000_000, 30_000_000 + N_PMIDS))
    rows = []
    with FakeEutils(synthesize=True) as server, tempfile.TemporaryDirectory() as tmp:
        cache = ResponseCache(Path(tmp) / "eutils.sqlite")

        def client(**options: object) -> EutilsClient:
            # The rate limiter's waits are skipped: this measures requests, not NCBI's clock.
            return EutilsClient(
                "bench@example.org",
                base_url=server.base_url,
                idconv_url=server.idconv_url,
                timeout=5,
                cache=cache,
                rate_limiter=RateLimiter(sleep=lambda s: None),
                sleep=lambda s: None,
                **options,  # type: ignore[arg-type]
            )

        rows.append(("cold (empty cache)", *run(client(), server, pmids)))
        rows.append(("warm (from cache)", *run(client(), server, pmids)))
        server.fail("efetch", "429", retry_after="1")
        server.fail("efetch", "503")
        rows.append(("refresh, 429 + 503 injected", *run(client(refresh=True), server, pmids)))
        cache.close()

    print(f"Fetching {N_PMIDS:,} PMIDs through EutilsClient (fake E-utilities on loopback)")
    print()
    header = f"{'run':<30} {'papers':>8} {'EFetch requests':>16} {'missing':>8} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    for name, papers, requests, elapsed, missing in rows:
        print(f"{name:<30} {papers:>8,} {requests:>16} {missing:>8} {elapsed:>8.2f}")
    print()
    cold = rows[0][2]
    verdict = "ok" if cold <= TARGET else "TOO MANY"
    print(f"requests for {N_PMIDS:,} PMIDs: {cold} (target <= {TARGET}): {verdict}")
    return 0 if cold <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
