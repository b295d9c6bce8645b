"""An on-disk SQLite cache of raw E-utilities responses.

Raw data only: each entry is the bytes that came off the wire for one request, stored after the
client validated them (complete, parseable, no `<ERROR>`, not an HTML page). Parsed records are
never stored here; they are rebuilt from these bytes.

An entry's key is a SHA-256 of the normalised request: the endpoint, the parameters sorted by
name with the caller's identity (`api_key`, `email`, `tool`) left out, and `CACHE_FORMAT`, so a
change of format simply stops old entries from matching. The database runs in WAL mode with a
busy timeout, and each thread uses its own connection, so several threads and processes can
share one file.

Opening the cache does I/O; importing this module does none.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import PipelineError

__all__ = [
    "CACHE_FORMAT",
    "CacheError",
    "CacheStats",
    "CachedResponse",
    "Request",
    "ResponseCache",
]

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
# Parameters that identify the caller, not the data asked for; never part of a key nor stored.
_IDENTITY_PARAMS = frozenset({"api_key", "email", "tool"})
_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    endpoint TEXT NOT NULL,
    request TEXT NOT NULL,
    body BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT,
    stored_at REAL NOT NULL
)
"""


class CacheError(PipelineError):
    """The cache file cannot be opened, read or written."""


@dataclass(frozen=True, slots=True)
class Request:
    """A normalised E-utilities request: what was asked, without who asked.

    `params` holds (name, value) pairs sorted by name; identity parameters are dropped.
    """

    endpoint: str
    params: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, endpoint: str, params: Mapping[str, object]) -> Request:
        """Normalise `params` (values as strings, lists joined by commas, None dropped)."""
        pairs: list[tuple[str, str]] = []
        for name, value in params.items():
            if value is None or name in _IDENTITY_PARAMS:
                continue
            if isinstance(value, (list, tuple)):
                text = ",".join(str(v) for v in value)
            else:
                text = str(value)
            pairs.append((name, text))
        return cls(endpoint, tuple(sorted(pairs)))

    @property
    def key(self) -> str:
        """The cache key: a hash of the format version, the endpoint and the parameters."""
        blob = json.dumps([CACHE_FORMAT, self.endpoint, self.params], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def describe(self, limit: int = 200) -> str:
        """A one-line, human-readable form for messages (long values shortened)."""
        parts = []
        for name, value in self.params:
            if len(value) > 60:
                count = value.count(",") + 1
                value = f"{value[:40]}...({count} values)" if count > 1 else value[:57] + "..."
            parts.append(f"{name}={value}")
        text = f"{self.endpoint}?{'&'.join(parts)}"
        return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True, slots=True)
class CachedResponse:
    body: bytes
    content_type: str | None
    stored_at: float


@dataclass(frozen=True, slots=True)
class CacheStats:
    entries: int
    bytes: int
    by_endpoint: dict[str, int]


class ResponseCache:
    """Raw responses on disk, keyed by `Request`. Safe to share between threads and processes."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"{self.path}: cannot open the response cache: {exc}") from exc

    # -- connections -------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # One connection per thread; check_same_thread is off only so `close` can reach
            # them all from whichever thread closes the cache.
            conn = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
            # WAL lets readers proceed while one writer commits; NORMAL sync is safe under WAL.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._connection()
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: {exc}") from exc

    def close(self) -> None:
        """Close every connection this object opened (in any thread)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- operations ----------------------------------------------------------------------------

    def get(self, request: Request) -> CachedResponse | None:
        """The stored response for `request`, or None. A damaged entry is dropped and missed."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT body, sha256, content_type, stored_at FROM responses WHERE key = ?",
                (request.key,),
            ).fetchone()
        if row is None:
            return None
        body, digest, content_type, stored_at = row
        if hashlib.sha256(body).hexdigest() != digest:
            log.warning("cache entry damaged, dropped: %s", request.describe())
            self.delete(request)
            return None
        return CachedResponse(bytes(body), content_type, float(stored_at))

    def put(self, request: Request, body: bytes, content_type: str | None = None) -> None:
        """Store (or replace) the response to `request`. Callers store only validated bodies."""
        row = (
            request.key,
            request.endpoint,
            json.dumps(request.params, ensure_ascii=False),
            body,
            hashlib.sha256(body).hexdigest(),
            content_type,
            time.time(),
        )
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?)", row)

    def delete(self, request: Request) -> bool:
        """Drop the entry for `request`; True when there was one."""
        with self._connect() as conn:
            cursor = conn.execute("DELETE FROM responses WHERE key = ?", (request.key,))
        return cursor.rowcount > 0

    def requests(self, endpoint: str | None = None) -> Iterable[Request]:
        """The requests held (optionally of one endpoint), for inspection."""
        sql = "SELECT endpoint, request FROM responses"
        args: tuple[str, ...] = ()
        if endpoint is not None:
            sql += " WHERE endpoint = ?"
            args = (endpoint,)
        with self._connect() as conn:
            rows = conn.execute(sql + " ORDER BY endpoint, key", args).fetchall()
        return [Request(ep, tuple((n, v) for n, v in json.loads(params))) for ep, params in rows]

    def stats(self) -> CacheStats:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT endpoint, COUNT(*), COALESCE(SUM(LENGTH(body)), 0) "
                "FROM responses GROUP BY endpoint ORDER BY endpoint"
            ).fetchall()
        return CacheStats(
            entries=sum(r[1] for r in rows),
            bytes=sum(r[2] for r in rows),
            by_endpoint={r[0]: r[1] for r in rows},
        )
