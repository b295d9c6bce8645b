"""ResponseCache: keys, storage, integrity, WAL, and sharing between threads and processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipelines.pubmed import cache as cache_module
from pipelines.pubmed.cache import Request, ResponseCache

ROOT = Path(__file__).resolve().parents[2]


def req(n: int, endpoint: str = "efetch") -> Request:
    return Request.of(endpoint, {"db": "pubmed", "id": str(n)})


def test_key_ignores_order_and_identity() -> None:
    a = Request.of("esearch", {"term": "x", "db": "pubmed", "api_key": "k", "email": "e"})
    b = Request.of("esearch", {"db": "pubmed", "term": "x", "tool": "t"})
    assert a.key == b.key
    assert a.params == (("db", "pubmed"), ("term", "x"))
    assert Request.of("esearch", {"db": "pubmed", "term": "y"}).key != a.key
    assert Request.of("efetch", {"db": "pubmed", "term": "x"}).key != a.key


def test_key_normalises_values() -> None:
    assert Request.of("efetch", {"id": ["1", "2"], "x": None}) == Request.of(
        "efetch", {"id": "1,2"}
    )
    assert Request.of("efetch", {"retmax": 5}).params == (("retmax", "5"),)


def test_key_carries_the_format_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = req(1).key
    monkeypatch.setattr(cache_module, "CACHE_FORMAT", cache_module.CACHE_FORMAT + 1)
    assert req(1).key != before


def test_describe_shortens_long_id_lists() -> None:
    long = Request.of("efetch", {"id": ",".join(str(n) for n in range(10_000, 10_200))})
    text = long.describe()
    assert "(200 values)" in text
    assert len(text) <= 200


def test_put_get_delete_stats(cache: ResponseCache) -> None:
    assert cache.get(req(1)) is None
    cache.put(req(1), b"<x/>", "text/xml")
    cache.put(req(2), b"<yy/>")
    cache.put(req(3, "esearch"), b"<z/>")
    hit = cache.get(req(1))
    assert hit is not None
    assert (hit.body, hit.content_type) == (b"<x/>", "text/xml")
    stats = cache.stats()
    assert (stats.entries, stats.bytes) == (3, 4 + 5 + 4)
    assert stats.by_endpoint == {"efetch": 2, "esearch": 1}
    cache.put(req(1), b"<new/>")  # overwrite
    assert cache.get(req(1)).body == b"<new/>"  # type: ignore[union-attr]
    assert cache.delete(req(1)) is True
    assert cache.delete(req(1)) is False
    assert cache.get(req(1)) is None
    assert [r.endpoint for r in cache.requests()] == ["efetch", "esearch"]
    assert cache.requests("esearch") == [req(3, "esearch")]


def test_persists_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "c.sqlite"
    with ResponseCache(path) as first:
        first.put(req(1), b"body")
    with ResponseCache(path) as second:
        assert second.get(req(1)).body == b"body"  # type: ignore[union-attr]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_damaged_entry_is_a_miss(cache: ResponseCache) -> None:
    cache.put(req(1), b"<PubmedArticleSet></PubmedArticleSet>")
    with sqlite3.connect(cache.path) as conn:
        conn.execute("UPDATE responses SET body = ?", (b"<PubmedArticleSet></Pub",))
    assert cache.get(req(1)) is None
    assert cache.stats().entries == 0


def test_unusable_path_is_a_cache_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(cache_module.CacheError, match="cannot open the response cache"):
        ResponseCache(blocker / "c.sqlite")


def test_threads_share_one_cache(cache: ResponseCache) -> None:
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(50):
                cache.put(req(worker * 1000 + n), f"{worker}-{n}".encode())
                assert cache.get(req(worker * 1000 + n)) is not None
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.stats().entries == 400


_WRITER = """
import sys
from pipelines.pubmed.cache import Request, ResponseCache
with ResponseCache(sys.argv[1]) as cache:
    for n in range(int(sys.argv[2]), int(sys.argv[2]) + 100):
        cache.put(Request.of("efetch", {"id": str(n)}), str(n).encode())
"""


def test_processes_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    ResponseCache(path).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(start)], cwd=ROOT)
        for start in (0, 100, 200, 300)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    with ResponseCache(path) as cache:
        assert cache.stats().entries == 400
        assert cache.get(Request.of("efetch", {"id": "250"})).body == b"250"  # type: ignore[union-attr]
