"""Where the build gets papers from: a local mirror first, then E-utilities (when allowed)."""

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from kg.config import Settings
from kg.errors import KgError
from pipelines.citations.resolve import PaperIndex
from pipelines.errors import PipelineError
from pipelines.pubmed.cache import ResponseCache
from pipelines.pubmed.client import EutilsClient
from pipelines.pubmed.mirror import DB_NAME, Mirror
from pipelines.pubmed.records import Paper
from pipelines.pubmed.specs import PaperRef

log = logging.getLogger(__name__)


class PaperNotFound(KgError):
    """No source knows the paper; `str()` says which sources were asked."""


class PaperSource(Protocol):
    name: str

    def lookup(self, ref: PaperRef) -> Paper | None:
        """The paper, None when this source does not have it; raise on a failure."""
        ...


class MirrorSource:
    """Answers from a local mirror of PubMed baseline/update files."""

    name = "the local mirror"

    def __init__(self, mirror: Mirror) -> None:
        self.mirror = mirror

    def lookup(self, ref: PaperRef) -> Paper | None:
        if ref.kind == "pmid":
            return self.mirror.by_pmid(ref.value)
        if ref.kind == "doi":
            return self.mirror.by_doi(ref.value)
        return self.mirror.by_pmcid(ref.value)


class PaperSources:
    """Sources asked in order; the first that has the paper answers.

    `index`, when given, is what references are resolved against (candidates by title,
    authors, journal...); without one, references are recorded but stay unresolved.
    """

    def __init__(self, sources: Sequence[PaperSource], index: PaperIndex | None = None) -> None:
        self.sources = list(sources)
        self.index = index

    def lookup(self, ref: PaperRef) -> Paper:
        errors: list[str] = []
        for source in self.sources:
            try:
                paper = source.lookup(ref)
            except (PipelineError, KgError) as exc:
                errors.append(f"{source.name}: {exc}")
                continue
            if paper is not None:
                return paper
        asked = ", ".join(s.name for s in self.sources) or "no paper source (give --pubmed-mirror)"
        detail = f" ({'; '.join(errors)})" if errors else ""
        raise PaperNotFound(f"not found in {asked}{detail}")


def open_mirror(path: Path, store_dir: Path | None) -> Mirror:
    """The mirror at `path`, or, when `path` holds PubMed XML files, a mirror of them.

    XML is indexed into STORE/pubmed-mirror on first use; later builds find those files
    already indexed (same size and digest) and skip them.
    """
    if (path / DB_NAME).is_file():
        return Mirror.open(path)
    if not path.exists():
        raise KgError(f"{path}: no such PubMed mirror or XML file")
    if store_dir is None:
        raise KgError(f"{path}: indexing XML files needs an on-disk store to keep the mirror in")
    try:
        mirror = Mirror.open(store_dir / "pubmed-mirror", create=True)
        report = mirror.index([path])
    except PipelineError as exc:
        raise KgError(f"{path}: {exc}") from None
    for failed in report.errors:
        log.error("%s: not indexed: %s", failed.path, failed.error)
    return mirror


class EutilsSource:
    """Answers from NCBI E-utilities through the client (cached; offline reads the cache only)."""

    name = "PubMed E-utilities"

    def __init__(self, client: EutilsClient) -> None:
        self.client = client

    def lookup(self, ref: PaperRef) -> Paper | None:
        pmid = ref.value
        if ref.kind != "pmid":
            record = self.client.convert_ids([ref.value]).get(ref.value)
            if record is None or record.pmid is None:
                return None
            pmid = record.pmid
        return next(iter(self.client.fetch_papers([pmid])), None)


def eutils_client(settings: Settings, cache_dir: Path) -> EutilsClient:
    """A client set up from resolved settings, with its response cache in `cache_dir`."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    return EutilsClient(
        settings.ncbi_email,
        settings.ncbi_api_key,
        base_url=settings.eutils_url,
        cache=ResponseCache(cache_dir / "eutils-cache.sqlite"),
        offline=settings.offline,
    )
