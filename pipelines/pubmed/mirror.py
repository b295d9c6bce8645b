"""A local PubMed mirror: baseline and update files indexed on disk, so lookups need no network.

`Mirror.open(directory, create=True)` holds one SQLite database (WAL mode) in that directory.
`index(files)` reads PubMed XML files (`.xml` or `.xml.gz`) in the order given, each file in one
transaction: a file is either wholly in the mirror or not at all, so a killed run leaves the
mirror consistent and running it again completes it. Each record is kept as its own XML,
zlib-compressed, and parsed again on lookup, so the mirror returns the same full `Paper` as the
parser does on the file.

Which record wins: the highest PMID version; among equal versions, the one indexed last (a later
file, or later in the same file). A `<DeleteCitation>` removes the PMID, whatever its version,
until a later file brings it back. A file whose content (size and SHA-256) is already indexed is
skipped. A file that cannot be read is reported in the `IndexReport`; the others still index.

Lookups: `by_pmid`, `by_doi`, `by_pmcid`, `by_title` (exact normalised title) and `candidates`
(titles by word, and first author, year, journal, volume and first page) for fuzzy citation
matching; the caller verifies and scores what `candidates` returns.
"""

import hashlib
import logging
import re
import sqlite3
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeAlias

from lxml import etree

from pipelines.errors import PipelineError
from pipelines.pubmed.errors import PubmedParseError
from pipelines.pubmed.parse import iter_record_elements, paper_from_element
from pipelines.pubmed.records import Paper

__all__ = [
    "DB_NAME",
    "FileReport",
    "FileStatus",
    "IndexReport",
    "InvalidIdentifierError",
    "Mirror",
    "MirrorError",
    "MirrorFormatError",
    "MirrorNotFoundError",
    "MirrorStats",
    "normalize_doi",
    "normalize_journal",
    "normalize_name",
    "normalize_pmcid",
    "normalize_pmid",
    "normalize_text",
    "title_words",
]

log = logging.getLogger(__name__)

DB_NAME = "pubmed-mirror.sqlite"
SCHEMA_VERSION = 1

PathLike: TypeAlias = "str | Path"
FileStatus = Literal["indexed", "skipped", "failed"]

_BATCH = 2_000  # records per executemany: few round trips, bounded memory
_DICT_SIZE = 32 * 1024  # zlib's window: a longer preset dictionary is not used
_LEVEL = 3  # level 6 saves 8% of space at half the speed
_CODEC_PLAIN = 0  # zlib without a dictionary
_CODEC_DICT = 1  # zlib with the mirror's preset dictionary
_MAX_RECORD_ERRORS = 20  # messages kept per file; the count is exact
_DRIVER_CAP = 2_000  # rows one structured candidate query may return
# An entity reference the parser left unexpanded (it never expands them): dropped from the
# stored XML, as the parser drops it from the text, so the record parses again on its own.
_ENTITY_REF = re.compile(rb"&(?!amp;|lt;|gt;|quot;|apos;|#)[^;<&\s]*;")
_STOPWORDS = frozenset(
    "a an and are as at by for from in into is of on or the to with was were".split()  # noqa: SIM905
)

# ---------------------------------------------------------------------------------------------
# Errors


class MirrorError(PipelineError):
    """Base of the mirror's errors."""


class MirrorNotFoundError(MirrorError):
    """The directory holds no mirror (and `create` was not asked for)."""


class MirrorFormatError(MirrorError):
    """The database is not a mirror, is damaged, or was written by another schema version."""


class InvalidIdentifierError(MirrorError, ValueError):
    """A PMID, DOI or PMCID given to a lookup is not one."""


# ---------------------------------------------------------------------------------------------
# Normalisation (public: resolvers must normalise their queries the same way)

_NON_WORD = re.compile(r"[\W_]+")
_DOI_PREFIX = re.compile(r"^(?:https?://)?(?:dx\.)?(?:doi\.org/)|^doi:\s*", re.IGNORECASE)
_PMCID = re.compile(r"(?:PMC)?(\d+)")


def normalize_text(text: str) -> str:
    """Casefolded, accents folded, punctuation removed, whitespace collapsed:
    "Müller's  T-cells." -> "muller s t cells"."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def normalize_name(name: str) -> str:
    """A family name as one token: "van der Berg" and "Van-Der Berg" -> "vanderberg"."""
    return normalize_text(name).replace(" ", "")


def normalize_journal(name: str) -> str:
    """A journal title or abbreviation: "J. Neurol. Sci." -> "j neurol sci"."""
    return normalize_text(name)


def normalize_doi(doi: str) -> str | None:
    """Lower-case DOI without a resolver prefix, or None when it does not start with "10."."""
    value = _DOI_PREFIX.sub("", doi.strip()).strip().lower()
    return value if value.startswith("10.") and len(value) > 3 else None


def normalize_pmcid(pmcid: str) -> str | None:
    """ "PMC1234" from "pmc1234", "PMC1234" or "1234"; None when it is not a PMCID."""
    match = _PMCID.fullmatch(pmcid.strip().upper())
    return f"PMC{int(match.group(1))}" if match else None


def normalize_pmid(pmid: str | int) -> int | None:
    """The PMID as an integer, or None when it is not a positive decimal number."""
    if isinstance(pmid, int):
        return pmid if pmid > 0 else None
    text = pmid.strip()
    if not text.isdecimal() or not text.isascii():
        return None
    value = int(text)
    return value if value > 0 else None


def title_words(title: str) -> list[str]:
    """The distinct words of a normalised title worth searching for, in order."""
    seen: dict[str, None] = {}
    for word in normalize_text(title).split():
        if word not in _STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def _title_key(norm: str) -> int:
    # 64 bits of a hash keep the exact-title index small; the title itself is compared after.
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _norm_or_none(value: str | None, fn: Callable[[str], str]) -> str | None:
    if value is None:
        return None
    out = fn(value)
    return out or None


# ---------------------------------------------------------------------------------------------
# Reports


@dataclass(frozen=True, slots=True)
class FileReport:
    """What indexing one file did.

    `records`: records read; `written`: records stored (new or replacing one); `stale`: records
    not stored because the mirror holds a newer version; `deletions`: PMIDs the file's
    DeleteCitation lists; `removed`: of those, PMIDs that were in the mirror; `record_errors`:
    records skipped as unreadable, with up to 20 `messages`.
    """

    path: str
    status: FileStatus
    records: int = 0
    written: int = 0
    stale: int = 0
    deletions: int = 0
    removed: int = 0
    record_errors: int = 0
    messages: tuple[str, ...] = ()
    seconds: float = 0.0
    error: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class IndexReport:
    files: tuple[FileReport, ...] = ()

    def _count(self, status: FileStatus) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def indexed(self) -> int:
        return self._count("indexed")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def written(self) -> int:
        return sum(f.written for f in self.files)

    @property
    def deletions(self) -> int:
        return sum(f.deletions for f in self.files)

    @property
    def errors(self) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.status == "failed")

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True, slots=True)
class MirrorStats:
    records: int
    books: int
    with_doi: int
    with_pmcid: int
    deleted: int
    files: int
    size_bytes: int
    schema_version: int
    file_names: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------------------------
# Schema

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    indexed_at TEXT NOT NULL,
    records INTEGER NOT NULL,
    written INTEGER NOT NULL,
    deletions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS files_sha256 ON files (sha256, size);
CREATE TABLE IF NOT EXISTS papers (
    pmid INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    file_id INTEGER NOT NULL,
    doi TEXT,
    pmcid TEXT,
    title_norm TEXT,
    title_key INTEGER,
    first_author TEXT,
    year INTEGER,
    journal_abbr TEXT,
    journal_title TEXT,
    volume TEXT,
    first_page TEXT,
    codec INTEGER NOT NULL,
    xml BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS deleted (
    pmid INTEGER PRIMARY KEY,
    version INTEGER,
    file_id INTEGER NOT NULL
);
"""

_FTS_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5(
    title_norm, content='papers', content_rowid='pmid', detail='none'
)
"""

_INDEXES = (
    "CREATE INDEX IF NOT EXISTS papers_doi ON papers (doi)",
    "CREATE INDEX IF NOT EXISTS papers_pmcid ON papers (pmcid)",
    "CREATE INDEX IF NOT EXISTS papers_title ON papers (title_key)",
    "CREATE INDEX IF NOT EXISTS papers_author ON papers (first_author, year)",
    "CREATE INDEX IF NOT EXISTS papers_page ON papers (first_page, volume)",
    "CREATE INDEX IF NOT EXISTS papers_jabbr ON papers (journal_abbr, volume)",
    "CREATE INDEX IF NOT EXISTS papers_jtitle ON papers (journal_title, volume)",
)
_INDEX_NAMES = tuple(sql.split()[5] for sql in _INDEXES)

# The title search index follows the papers table through triggers (an UPSERT's update runs
# the update trigger).
_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS papers_ai AFTER INSERT ON papers BEGIN
        INSERT INTO titles (rowid, title_norm) VALUES (new.pmid, new.title_norm); END""",
    """CREATE TRIGGER IF NOT EXISTS papers_ad AFTER DELETE ON papers BEGIN
        INSERT INTO titles (titles, rowid, title_norm) VALUES ('delete', old.pmid, old.title_norm);
        END""",
    """CREATE TRIGGER IF NOT EXISTS papers_au AFTER UPDATE OF title_norm ON papers BEGIN
        INSERT INTO titles (titles, rowid, title_norm) VALUES ('delete', old.pmid, old.title_norm);
        INSERT INTO titles (rowid, title_norm) VALUES (new.pmid, new.title_norm); END""",
)
_TRIGGER_NAMES = ("papers_ai", "papers_ad", "papers_au")

_UPSERT = """
INSERT INTO papers (pmid, version, kind, file_id, doi, pmcid, title_norm, title_key,
                    first_author, year, journal_abbr, journal_title, volume, first_page, codec, xml)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (pmid) DO UPDATE SET
    version = excluded.version, kind = excluded.kind, file_id = excluded.file_id,
    doi = excluded.doi, pmcid = excluded.pmcid, title_norm = excluded.title_norm,
    title_key = excluded.title_key, first_author = excluded.first_author, year = excluded.year,
    journal_abbr = excluded.journal_abbr, journal_title = excluded.journal_title,
    volume = excluded.volume, first_page = excluded.first_page, codec = excluded.codec,
    xml = excluded.xml
WHERE excluded.version >= papers.version
"""

_Row: TypeAlias = tuple[
    int,
    int,
    str,
    int,
    "str | None",
    "str | None",
    "str | None",
    "int | None",
    "str | None",
    "int | None",
    "str | None",
    "str | None",
    "str | None",
    "str | None",
]
_FieldRow: TypeAlias = tuple[
    int,
    "str | None",
    "str | None",
    "int | None",
    "str | None",
    "str | None",
    "str | None",
    "str | None",
]


def _fields_of(paper: Paper, pmid: int, file_id: int) -> _Row:
    """The indexed columns of a paper (everything but the codec and the XML)."""
    title = _norm_or_none(paper.title, normalize_text)
    first_author = None
    if paper.authors:
        a = paper.authors[0]
        first_author = _norm_or_none(a.last_name or a.collective_name, normalize_name)
    journal_abbr = journal_title = None
    if paper.journal is not None:
        j = paper.journal
        journal_abbr = _norm_or_none(j.iso_abbreviation or j.medline_ta, normalize_journal)
        journal_title = _norm_or_none(j.title, normalize_journal)
    elif paper.book is not None:
        journal_title = _norm_or_none(paper.book.title, normalize_journal)
    first_page = None
    if paper.pagination is not None:
        first_page = _norm_or_none(paper.pagination.first_page, normalize_text)
    return (
        pmid,
        paper.pmid_version,
        paper.kind,
        file_id,
        _norm_or_none(paper.doi, lambda d: normalize_doi(d) or ""),
        _norm_or_none(paper.pmcid, lambda p: normalize_pmcid(p) or ""),
        title,
        None if title is None else _title_key(title),
        first_author,
        paper.year,
        journal_abbr,
        journal_title,
        _norm_or_none(paper.volume, normalize_text),
        first_page,
    )


def _safe_parser() -> etree.XMLParser:
    # Records come from our own database, but the same guards as the file parser cost nothing.
    return etree.XMLParser(
        load_dtd=False,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _expand(files: Iterable[PathLike]) -> Iterator[Path]:
    """Files as given; a directory stands for its .xml and .xml.gz files in name order."""
    for item in files:
        path = Path(item)
        if path.is_dir():
            yield from sorted(
                p for p in path.iterdir() if p.is_file() and p.name.endswith((".xml", ".xml.gz"))
            )
        else:
            yield path


class _FileFailed(Exception):
    """Ends the indexing of one file; its transaction is rolled back."""


# ---------------------------------------------------------------------------------------------
# The mirror


class Mirror:
    """A PubMed mirror in one directory. Not thread-safe: open one per thread."""

    def __init__(self, directory: Path, connection: sqlite3.Connection) -> None:
        self.directory = directory
        self._db = connection
        self._parser = _safe_parser()
        self._zdict: bytes | None = self._load_zdict()

    # -- opening and closing

    @classmethod
    def open(cls, path: PathLike, *, create: bool = False) -> "Mirror":
        """Open the mirror in directory `path`; with `create`, make the directory and an empty
        mirror when there is none. Raises MirrorNotFoundError or MirrorFormatError."""
        directory = Path(path)
        db_path = directory / DB_NAME
        if not db_path.is_file():
            if not create:
                raise MirrorNotFoundError(f"{directory}: no PubMed mirror here ({DB_NAME})")
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise MirrorError(f"{directory}: cannot create: {exc.strerror or exc}") from exc
        try:
            connection = sqlite3.connect(db_path, isolation_level=None, timeout=30.0)
        except sqlite3.Error as exc:
            raise MirrorFormatError(f"{db_path}: cannot open: {exc}") from exc
        try:
            cls._prepare(connection, db_path)
        except BaseException:
            connection.close()
            raise
        return cls(directory, connection)

    @staticmethod
    def _prepare(db: sqlite3.Connection, db_path: Path) -> None:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA cache_size=-65536")  # 64 MB page cache
            db.execute("PRAGMA temp_store=MEMORY")
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'"
                ).fetchone()
                if row is None:
                    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                    if tables:
                        raise MirrorFormatError(f"{db_path}: a database that is not a mirror")
                    for sql in _TABLES.split(";"):
                        if sql.strip():
                            db.execute(sql)
                    db.execute(_FTS_TABLE)
                    for sql in (*_INDEXES, *_TRIGGERS):
                        db.execute(sql)
                    db.execute(
                        "INSERT INTO meta VALUES ('schema_version', ?), ('created', ?)",
                        (SCHEMA_VERSION, datetime.now(UTC).isoformat(timespec="seconds")),
                    )
                else:
                    version = db.execute(
                        "SELECT value FROM meta WHERE key='schema_version'"
                    ).fetchone()
                    if version is None or version[0] != SCHEMA_VERSION:
                        found = None if version is None else version[0]
                        raise MirrorFormatError(
                            f"{db_path}: mirror schema version {found}, this code reads "
                            f"{SCHEMA_VERSION}; index the files into a new mirror"
                        )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise MirrorFormatError(f"{db_path}: not a readable mirror: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Mirror":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db_path(self) -> Path:
        return self.directory / DB_NAME

    # -- compression

    def _load_zdict(self) -> bytes | None:
        row = self._db.execute("SELECT value FROM meta WHERE key='zdict'").fetchone()
        return None if row is None else bytes(row[0])

    def _compress(self, raws: Sequence[bytes]) -> list[tuple[int, bytes]]:
        zdict = self._zdict
        if zdict is None:
            sample = b"".join(raws)
            if len(sample) >= _DICT_SIZE:
                # The mirror's first records become its preset dictionary: PubMed records share
                # most of their markup, so small records compress about 45% smaller with it.
                zdict = self._zdict = sample[-_DICT_SIZE:]
                self._db.execute("INSERT INTO meta VALUES ('zdict', ?)", (zdict,))
        if zdict is None:
            return [(_CODEC_PLAIN, zlib.compress(raw, _LEVEL)) for raw in raws]
        # Copying a compressor primed with the dictionary is cheaper than priming one per record.
        base = zlib.compressobj(_LEVEL, zdict=zdict)
        out = []
        for raw in raws:
            comp = base.copy()
            out.append((_CODEC_DICT, comp.compress(raw) + comp.flush()))
        return out

    def _decompress(self, codec: int, data: bytes) -> bytes:
        if codec == _CODEC_PLAIN:
            return zlib.decompress(data)
        if codec == _CODEC_DICT and self._zdict is None:
            self._zdict = self._load_zdict()  # another process may have indexed since we opened
        if codec == _CODEC_DICT and self._zdict is not None:
            decomp = zlib.decompressobj(zdict=self._zdict)
            return decomp.decompress(data) + decomp.flush()
        raise MirrorFormatError(f"{self.db_path}: record stored with unknown codec {codec}")

    # -- indexing

    def index(
        self,
        files: Iterable[PathLike],
        *,
        force: bool = False,
        progress: Callable[[FileReport], None] | None = None,
    ) -> IndexReport:
        """Index PubMed XML files (.xml or .xml.gz; a directory stands for those in it) in the
        order given. Files already indexed (same size and SHA-256) are skipped unless `force`.
        Never raises for a bad file: it is reported with status "failed" and nothing of it is
        kept. `progress` is called with each file's report."""
        reports = []
        for path in _expand(files):
            report = self._index_one(path, force)
            level = logging.WARNING if report.status == "failed" else logging.INFO
            log.log(
                level,
                "[%s] %s: %d records, %d written, %d deletions%s",
                path,
                report.status,
                report.records,
                report.written,
                report.deletions,
                f": {report.error}" if report.error else "",
            )
            reports.append(report)
            if progress is not None:
                progress(report)
        if any(r.status == "indexed" for r in reports):
            # Fold the WAL back into the database so the directory holds one compact file.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return IndexReport(tuple(reports))

    def _index_one(self, path: Path, force: bool) -> FileReport:
        name = str(path)
        start = time.perf_counter()
        try:
            stat = path.stat()
            sha = _sha256(path)
        except OSError as exc:
            return FileReport(name, "failed", error=f"cannot read: {exc.strerror or exc}")
        if not force:
            row = self._db.execute(
                "SELECT path FROM files WHERE sha256=? AND size=?", (sha, stat.st_size)
            ).fetchone()
            if row is not None:
                return FileReport(
                    name,
                    "skipped",
                    sha256=sha,
                    error=None,
                    messages=(f"already indexed as {row[0]}",),
                )
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            return FileReport(name, "failed", error=f"mirror busy: {exc}", sha256=sha)
        self._zdict = zdict_before = self._load_zdict()  # another process may have set it
        try:
            counts = self._load_file(path, stat.st_size, stat.st_mtime_ns, sha)
            db.execute("COMMIT")
        except (_FileFailed, sqlite3.Error, OSError) as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            self._zdict = zdict_before
            reason = str(exc) if isinstance(exc, _FileFailed) else f"{type(exc).__name__}: {exc}"
            return FileReport(
                name, "failed", error=reason, sha256=sha, seconds=time.perf_counter() - start
            )
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            self._zdict = zdict_before
            raise
        records, written, deletions, removed, errors, messages = counts
        return FileReport(
            name,
            "indexed",
            records=records,
            written=written,
            stale=records - errors - written,
            deletions=deletions,
            removed=removed,
            record_errors=errors,
            messages=tuple(messages),
            seconds=time.perf_counter() - start,
            sha256=sha,
        )

    def _load_file(
        self, path: Path, size: int, mtime_ns: int, sha: str
    ) -> tuple[int, int, int, int, int, list[str]]:
        db = self._db
        file_id = db.execute(
            "INSERT INTO files (path, size, mtime_ns, sha256, indexed_at, records, written,"
            " deletions) VALUES (?, ?, ?, ?, ?, 0, 0, 0)",
            (
                str(path.resolve()),
                size,
                mtime_ns,
                sha,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        ).lastrowid
        assert file_id is not None
        # An empty mirror loads faster without its secondary indexes; they are built at the end
        # of this same transaction, so no reader ever sees the mirror without them.
        bulk = db.execute("SELECT 1 FROM papers LIMIT 1").fetchone() is None
        if bulk:
            for name in (*_TRIGGER_NAMES, *_INDEX_NAMES):
                kind = "TRIGGER" if name in _TRIGGER_NAMES else "INDEX"
                db.execute(f"DROP {kind} IF EXISTS {name}")
        has_deleted = db.execute("SELECT 1 FROM deleted LIMIT 1").fetchone() is not None

        records = written = deletions = removed = errors = 0
        messages: list[str] = []
        rows: list[_Row] = []
        raws: list[bytes] = []

        def flush() -> None:
            nonlocal written
            if not rows:
                return
            packed = self._compress(raws)
            params = [(*row, codec, data) for row, (codec, data) in zip(rows, packed, strict=True)]
            cursor = db.executemany(_UPSERT, params)
            written += cursor.rowcount
            if has_deleted:
                db.executemany("DELETE FROM deleted WHERE pmid=?", [(r[0],) for r in rows])
            rows.clear()
            raws.clear()

        for kind, payload in self._iter_records(path):
            if kind == "error" or kind == "bad-delete":
                if kind == "error":  # a bad DeleteCitation entry is no record
                    errors += 1
                    records += 1
                if len(messages) < _MAX_RECORD_ERRORS:
                    messages.append(str(payload))
                continue
            if kind == "delete":
                flush()
                assert isinstance(payload, list)
                deletions += len(payload)
                for pmid, version in payload:
                    removed += db.execute("DELETE FROM papers WHERE pmid=?", (pmid,)).rowcount
                    db.execute(
                        "INSERT OR REPLACE INTO deleted VALUES (?, ?, ?)",
                        (pmid, version, file_id),
                    )
                has_deleted = has_deleted or bool(payload)
                continue
            assert isinstance(payload, tuple)
            paper, raw = payload
            records += 1
            key = normalize_pmid(paper.pmid)
            if key is None:
                errors += 1
                if len(messages) < _MAX_RECORD_ERRORS:
                    messages.append(f"[pmid:{paper.pmid}] not a PMID; record skipped")
                continue
            rows.append(_fields_of(paper, key, file_id))
            raws.append(raw)
            if len(rows) >= _BATCH:
                flush()
        flush()

        if bulk:
            for sql in _INDEXES:
                db.execute(sql)
            db.execute("INSERT INTO titles (titles) VALUES ('rebuild')")
            for sql in _TRIGGERS:
                db.execute(sql)
        db.execute(
            "UPDATE files SET records=?, written=?, deletions=? WHERE id=?",
            (records, written, deletions, file_id),
        )
        return records, written, deletions, removed, errors, messages

    def _iter_records(
        self, path: Path
    ) -> Iterator[
        tuple[Literal["paper"], tuple[Paper, bytes]]
        | tuple[Literal["delete"], list[tuple[int, int | None]]]
        | tuple[Literal["error", "bad-delete"], str]
    ]:
        """Each record of the file: its Paper and XML, a DeleteCitation's PMIDs, or a message
        for a record that cannot be read. Raises _FileFailed when the file itself is bad."""
        try:
            for el in iter_record_elements(path):
                if el.tag == "DeleteCitation":
                    pmids: list[tuple[int, int | None]] = []
                    for child in el.iterchildren("PMID"):
                        pmid = normalize_pmid(child.text or "")
                        version = child.get("Version")
                        if pmid is None:
                            yield "bad-delete", f"DeleteCitation: not a PMID: {child.text!r}"
                        else:
                            v = normalize_pmid(version) if version else None
                            pmids.append((pmid, v))
                    yield "delete", pmids
                    continue
                try:
                    paper = paper_from_element(el)
                except ValueError as exc:
                    yield "error", f"line {el.sourceline}: {exc}"
                    continue
                raw = etree.tostring(el, encoding="UTF-8", xml_declaration=False, with_tail=False)
                if b"&" in raw:
                    raw = _ENTITY_REF.sub(b"", raw)
                yield "paper", (paper, raw)
        except PubmedParseError as exc:
            # The parser reads the file (gzip by its magic bytes) and says what is wrong.
            raise _FileFailed(exc.reason) from exc

    # -- lookups

    def _paper(self, codec: int, data: bytes) -> Paper:
        raw = self._decompress(codec, data)
        try:
            element = etree.fromstring(raw, self._parser)
            return paper_from_element(element)
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise MirrorFormatError(f"{self.db_path}: a stored record is damaged: {exc}") from exc

    def _papers(self, sql: str, params: Sequence[object]) -> list[Paper]:
        return [self._paper(codec, data) for codec, data in self._db.execute(sql, params)]

    def xml(self, pmid: str | int) -> bytes | None:
        """The stored `<PubmedArticle>` (or `<PubmedBookArticle>`) element as UTF-8 XML."""
        key = self._pmid(pmid)
        row = self._db.execute("SELECT codec, xml FROM papers WHERE pmid=?", (key,)).fetchone()
        return None if row is None else self._decompress(row[0], row[1])

    @staticmethod
    def _pmid(pmid: str | int) -> int:
        key = normalize_pmid(pmid)
        if key is None:
            raise InvalidIdentifierError(f"not a PMID: {pmid!r}")
        return key

    def by_pmid(self, pmid: str | int) -> Paper | None:
        """The paper with this PMID (its latest version), or None."""
        key = self._pmid(pmid)
        row = self._db.execute("SELECT codec, xml FROM papers WHERE pmid=?", (key,)).fetchone()
        return None if row is None else self._paper(row[0], row[1])

    def by_doi(self, doi: str) -> Paper | None:
        """The paper with this DOI (any case, with or without a doi.org prefix), or None.
        When several records carry the DOI, the lowest PMID (usually the original) is taken."""
        key = normalize_doi(doi)
        if key is None:
            raise InvalidIdentifierError(f"not a DOI: {doi!r}")
        found = self._papers(
            "SELECT codec, xml FROM papers WHERE doi=? ORDER BY pmid LIMIT 1", (key,)
        )
        return found[0] if found else None

    def by_pmcid(self, pmcid: str) -> Paper | None:
        """The paper with this PMCID ("PMC3010615", "pmc3010615" or "3010615"), or None."""
        key = normalize_pmcid(pmcid)
        if key is None:
            raise InvalidIdentifierError(f"not a PMCID: {pmcid!r}")
        found = self._papers(
            "SELECT codec, xml FROM papers WHERE pmcid=? ORDER BY pmid LIMIT 1", (key,)
        )
        return found[0] if found else None

    def pmid_for_doi(self, doi: str) -> str | None:
        """The PMID `by_doi` would return, without building the Paper (ID conversion)."""
        key = normalize_doi(doi)
        if key is None:
            raise InvalidIdentifierError(f"not a DOI: {doi!r}")
        row = self._db.execute(
            "SELECT pmid FROM papers WHERE doi=? ORDER BY pmid LIMIT 1", (key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def pmid_for_pmcid(self, pmcid: str) -> str | None:
        """The PMID `by_pmcid` would return, without building the Paper (ID conversion)."""
        key = normalize_pmcid(pmcid)
        if key is None:
            raise InvalidIdentifierError(f"not a PMCID: {pmcid!r}")
        row = self._db.execute(
            "SELECT pmid FROM papers WHERE pmcid=? ORDER BY pmid LIMIT 1", (key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def ids(self, pmid: str | int) -> tuple[str | None, str | None] | None:
        """(DOI, PMCID) of a PMID in the mirror, normalised as indexed; None when absent."""
        row = self._db.execute(
            "SELECT doi, pmcid FROM papers WHERE pmid=?", (self._pmid(pmid),)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def by_title(self, title: str, year: int | None = None) -> list[Paper]:
        """Papers whose normalised title equals that of `title` (and published in `year`),
        by PMID."""
        norm = normalize_text(title)
        if not norm:
            return []
        sql = "SELECT codec, xml FROM papers WHERE title_key=? AND title_norm=?"
        params: list[object] = [_title_key(norm), norm]
        if year is not None:
            sql += " AND year=?"
            params.append(year)
        return self._papers(sql + " ORDER BY pmid", params)

    def is_deleted(self, pmid: str | int) -> bool:
        """True when a DeleteCitation removed this PMID and no later file brought it back."""
        key = self._pmid(pmid)
        return self._db.execute("SELECT 1 FROM deleted WHERE pmid=?", (key,)).fetchone() is not None

    def pmids(self) -> Iterator[str]:
        """Every PMID in the mirror, ascending."""
        for (pmid,) in self._db.execute("SELECT pmid FROM papers ORDER BY pmid"):
            yield str(pmid)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM papers").fetchone()[0])

    def __contains__(self, pmid: object) -> bool:
        if not isinstance(pmid, (str, int)):
            return False
        key = normalize_pmid(pmid)
        if key is None:
            return False
        return self._db.execute("SELECT 1 FROM papers WHERE pmid=?", (key,)).fetchone() is not None

    # -- candidates for fuzzy citation matching

    def candidate_pmids(
        self,
        title: str | None = None,
        first_author: str | None = None,
        year: int | None = None,
        journal: str | None = None,
        volume: str | None = None,
        first_page: str | None = None,
        limit: int = 20,
    ) -> list[tuple[str, float]]:
        """PMIDs worth verifying against a citation, best first, each with a rough score.

        `title` is searched by its words (any of them; a misspelt word only loses its own
        weight); `first_author` is a family name; `journal` an abbreviation or a full title.
        Without a title, records matching at least two of the other fields are found (the year
        within one either way). A single field alone finds records by author, page or journal.
        """
        if limit <= 0:
            return []
        given = {
            "author": _norm_or_none(first_author, normalize_name),
            "journal": _norm_or_none(journal, normalize_journal),
            "volume": _norm_or_none(volume, normalize_text),
            "page": _norm_or_none(first_page, normalize_text),
        }
        words = title_words(title) if title else []
        found: set[int] = set()
        if words:
            # The longest words are the rarest: eight of them find the title as surely as
            # all of them, and ranking a long OR query over common words is what costs.
            searched = sorted(set(words), key=lambda w: (-len(w), w))[:8]
            query = " OR ".join(f'"{w}"' for w in searched)
            found.update(
                pmid
                for (pmid,) in self._db.execute(
                    "SELECT rowid FROM titles WHERE titles MATCH ? ORDER BY rank LIMIT ?",
                    (query, max(limit * 3, 50)),
                )
            )
        found.update(self._structured(given, year))
        if not found:
            return []
        rows = self._field_rows(found)
        qwords = set(words)
        scored = []
        for row in rows:
            score = self._score(row, qwords, given, year)
            scored.append((score, row[0]))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [(str(pmid), round(score, 4)) for score, pmid in scored[:limit]]

    def candidates(
        self,
        title: str | None = None,
        first_author: str | None = None,
        year: int | None = None,
        journal: str | None = None,
        volume: str | None = None,
        first_page: str | None = None,
        limit: int = 20,
    ) -> list[Paper]:
        """The papers of `candidate_pmids`, best first."""
        ranked = self.candidate_pmids(
            title, first_author, year, journal, volume, first_page, limit=limit
        )
        out = []
        for pmid, _score in ranked:
            paper = self.by_pmid(pmid)
            if paper is not None:
                out.append(paper)
        return out

    def _structured(self, given: dict[str, str | None], year: int | None) -> set[int]:
        """PMIDs matching two of the given fields, each query led by an indexed column."""
        conds: dict[str, tuple[str, list[object]]] = {}
        if given["author"]:
            conds["author"] = ("first_author=?", [given["author"]])
        if given["page"]:
            conds["page"] = ("first_page=?", [given["page"]])
        if given["journal"]:
            conds["journal"] = ("(journal_abbr=? OR journal_title=?)", [given["journal"]] * 2)
        if given["volume"]:
            conds["volume"] = ("volume=?", [given["volume"]])
        if year is not None:
            conds["year"] = ("year BETWEEN ? AND ?", [year - 1, year + 1])
        leads = [k for k in ("author", "page", "journal") if k in conds]
        queries: list[tuple[str, list[object]]] = []
        if len(conds) == 1:
            if leads:
                queries.append(conds[leads[0]])
        else:
            for lead in leads:
                for other, cond in conds.items():
                    if other == lead or (other in leads and leads.index(other) < leads.index(lead)):
                        continue  # each pair once
                    sql = f"{conds[lead][0]} AND {cond[0]}"
                    queries.append((sql, conds[lead][1] + cond[1]))
        found: set[int] = set()
        for where, params in queries:
            found.update(
                pmid
                for (pmid,) in self._db.execute(
                    f"SELECT pmid FROM papers WHERE {where} LIMIT {_DRIVER_CAP}", params
                )
            )
        return found

    def _field_rows(self, pmids: set[int]) -> list[_FieldRow]:
        out: list[_FieldRow] = []
        ordered = sorted(pmids)
        for i in range(0, len(ordered), 500):
            chunk = ordered[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.extend(
                self._db.execute(
                    "SELECT pmid, title_norm, first_author, year, journal_abbr, journal_title,"
                    f" volume, first_page FROM papers WHERE pmid IN ({marks})",
                    chunk,
                )
            )
        return out

    @staticmethod
    def _score(
        row: _FieldRow, qwords: set[str], given: dict[str, str | None], year: int | None
    ) -> float:
        _pmid, title_norm, author, ryear, jabbr, jtitle, volume, page = row
        score = 0.0
        if qwords and title_norm:
            have = set(title_norm.split())
            # Share of the query's words in the title, and of the title's in the query: a short
            # title inside a long query scores as well as the reverse.
            hits = len(qwords & have)
            content = {w for w in have if w not in _STOPWORDS}
            score += 3.0 * hits / len(qwords) + (hits / len(content) if content else 0.0)
        if given["author"] and author == given["author"]:
            score += 1.0
        if year is not None and ryear is not None:
            score += 1.0 if ryear == year else 0.5 if abs(ryear - year) == 1 else 0.0
        if given["journal"] and given["journal"] in (jabbr, jtitle):
            score += 1.0
        if given["volume"] and volume == given["volume"]:
            score += 1.0
        if given["page"] and page == given["page"]:
            score += 1.0
        return score

    # -- statistics

    def stats(self) -> MirrorStats:
        db = self._db
        records, books, with_doi, with_pmcid = db.execute(
            "SELECT count(*), count(*) FILTER (WHERE kind='book'), count(doi), count(pmcid)"
            " FROM papers"
        ).fetchone()
        deleted = db.execute("SELECT count(*) FROM deleted").fetchone()[0]
        names = tuple(p for (p,) in db.execute("SELECT path FROM files ORDER BY id"))
        size = sum(
            p.stat().st_size
            for p in self.directory.iterdir()
            if p.name.startswith(DB_NAME) and p.is_file()
        )
        return MirrorStats(
            records=records,
            books=books,
            with_doi=with_doi,
            with_pmcid=with_pmcid,
            deleted=deleted,
            files=len(names),
            size_bytes=size,
            schema_version=SCHEMA_VERSION,
            file_names=names,
        )
