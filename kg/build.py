"""The build driver: inputs -> records -> named graphs in the store, one failure at a time."""

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from kg.annotate import matcher_for
from kg.config import Settings
from kg.errors import KgError
from kg.papers import PaperSources
from kg.reading import document_statements, paper_statements, stages_version
from kg.report import BuildReport, ItemOutcome
from kg.store import Store
from kg.version import tool_version
from pipelines import ids
from pipelines.citations import extract_citations
from pipelines.citations.rdf import reference_iri, reference_statements
from pipelines.citations.resolve import Resolution, resolve
from pipelines.documents import discover, read_document
from pipelines.entities.matcher import Matcher
from pipelines.errors import InputError
from pipelines.pubmed.rdf import paper_graph, paper_iri, paper_text
from pipelines.pubmed.records import Paper
from pipelines.pubmed.specs import PaperRef, looks_like_paper_ref, parse_paper_ref
from pipelines.rdf import (
    SourceGraph,
    Statement,
    build_end_quads,
    build_start_quads,
    document_digest,
    document_graph,
)
from pipelines.records import BuildRecord, Document
from pipelines.versions import DOCUMENT_STAGES

log = logging.getLogger(__name__)

# Documents written per store transaction: large enough to amortise the write,
# small enough that an interrupted build loses little.
BATCH_DOCUMENTS = 100

Progress = Callable[[ItemOutcome], None]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _input_iri(given: str) -> str:
    if given.startswith(("http://", "https://")):
        return given
    if looks_like_paper_ref(given):
        try:
            ref = parse_paper_ref(given)
        except ValueError:
            return "urn:litkg:invalid-input:" + ids.key_of(given)
        return {
            "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}",
            "doi": "https://doi.org/{}",
            "pmcid": "https://pmc.ncbi.nlm.nih.gov/articles/{}/",
        }[ref.kind].format(ref.value)
    return Path(given).resolve().as_uri()


class _Writer:
    """Collects source graphs and writes them in batches, reporting each item once written."""

    def __init__(self, store: Store, build_iri: str, report: BuildReport, progress: Progress):
        self.store, self.build_iri, self.report, self.progress = store, build_iri, report, progress
        self.pending: list[tuple[SourceGraph, ItemOutcome]] = []

    def add(self, graph: SourceGraph, outcome: ItemOutcome) -> None:
        self.pending.append((graph, outcome))
        if len(self.pending) >= BATCH_DOCUMENTS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        try:
            self.store.put_source_graphs([g for g, _ in batch], self.build_iri)
            outcomes = [o for _, o in batch]
        except (KgError, OSError) as exc:
            # The store refused the batch; nothing of it was recorded as complete.
            outcomes = [
                replace(o, status="failed", reason=f"store write failed: {exc}") for _, o in batch
            ]
        for outcome in outcomes:
            self.report.items.append(outcome)
            self.progress(outcome)


def build(
    inputs: Sequence[str | Path],
    store: Store,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    papers: PaperSources | None = None,
    matcher: Matcher | None = None,
) -> BuildReport:
    """Read every input into its own named graph in `store` and return the run report.

    A bad input is reported (and logged) with its reason; the others are still processed.
    Inputs whose content is already in the store are left as they are, and a file whose
    content changed replaces its previous graph. Inputs written `pmid:N`, `doi:X` or
    `pmcid:PMCN` are papers, looked up in `papers` (a mirror, then E-utilities).
    `matcher` finds entities; without one, the one the settings describe is loaded
    (from its on-disk cache) when the first text needs it.
    """
    settings = settings or Settings()
    notify: Progress = progress or (lambda _outcome: None)
    given = tuple(str(i) for i in inputs)
    started, clock = _now(), time.perf_counter()
    version = tool_version()
    # A build is an event, not content: its IRI must differ between two runs in one second.
    event = f"{time.time_ns()}-{os.getpid()}"
    build_iri = ids.build_iri(store.base_iri, ids.key_of(started, event, *given))
    record = BuildRecord(
        iri=build_iri,
        agent_iri=ids.agent_iri(store.base_iri, version),
        tool_version=version,
        started_at=started,
        inputs=tuple(sorted({_input_iri(g) for g in given})),
    )
    store.add(build_start_quads(record))
    report = BuildReport(build_iri, str(store.path or "(memory)"), version, started, given)
    known = store.source_graphs()
    by_source = {info.source: info for info in known.values()}
    seen: dict[str, str] = {}
    writer = _Writer(store, build_iri, report, notify)

    def finish(outcome: ItemOutcome) -> None:
        if outcome.status == "failed":
            log.error("%s", f"{outcome.path or outcome.input}: {outcome.reason}")
        report.items.append(outcome)
        notify(outcome)

    def settled(name: str, digest: str, outcome: ItemOutcome, shown: str) -> bool:
        """Report a graph this build already has, or the store holds exactly; True if so.

        Decided from the name and digest alone, before the graph is built, so a rebuild
        does not extract and resolve what it is going to skip.
        """
        if digest in seen:
            reason = f"same content as {seen[digest]}"
            finish(replace(outcome, status="duplicate", reason=reason))
            return True
        seen[digest] = shown
        stored = known.get(name)
        if stored is not None and stored.sha256 == digest:
            finish(replace(outcome, status="unchanged"))
            return True
        return False

    def queue(graph: SourceGraph, outcome: ItemOutcome) -> None:
        previous = known.get(graph.iri) or by_source.get(graph.source)
        writer.add(graph, replace(outcome, status="replaced") if previous else outcome)

    sources = papers or PaperSources([])
    cited: dict[str, str] = {}  # PMID -> the document citing it, for papers to add
    loaded: list[Matcher] = [matcher] if matcher is not None else []
    fetched: dict[str, Paper | None] = {}

    def entity_matcher() -> Matcher:
        if not loaded:
            loaded.append(matcher_for(settings))
        return loaded[0]

    def lookup(pmid: str) -> Paper | None:
        """A paper for evidence, asked of the sources once per build."""
        if pmid not in fetched:
            try:
                fetched[pmid] = sources.lookup(PaperRef("pmid", pmid))
            except KgError as exc:
                log.warning("evidence paper PMID %s unavailable: %s", pmid, exc)
                fetched[pmid] = None
        return fetched[pmid]

    def read_paper(paper: Paper) -> SourceGraph:
        text = paper_text(paper)
        extra = paper_statements(entity_matcher(), paper_iri(paper.pmid), store.base_iri, text)
        return paper_graph(paper, store.base_iri, extra)

    for given_input in given:
        if looks_like_paper_ref(given_input):
            try:
                ref = parse_paper_ref(given_input)
                paper = sources.lookup(ref)
            except (ValueError, KgError) as exc:
                finish(ItemOutcome(given_input, "failed", reason=str(exc)))
                continue
            fetched[paper.pmid] = paper
            graph = read_paper(paper)
            outcome = ItemOutcome(
                given_input, "added", document=graph.describes, graph=graph.iri, title=paper.title
            )
            if not settled(graph.iri, graph.sha256, outcome, given_input):
                queue(graph, outcome)
            continue
        for item in discover([given_input]):
            if isinstance(item, InputError):
                finish(ItemOutcome(input=item.source, status="failed", reason=item.reason))
                continue
            shown = str(item.path)
            try:
                doc = read_document(item.path, max_bytes=settings.max_file_bytes)
            except InputError as exc:
                finish(ItemOutcome(item.given, "failed", path=shown, reason=exc.reason))
                continue
            name = ids.document_graph_iri(store.base_iri, doc.sha256)
            outcome = ItemOutcome(
                item.given,
                "added",
                path=shown,
                document=ids.document_iri(store.base_iri, doc.sha256),
                graph=name,
                title=doc.title,
            )
            version = f"{DOCUMENT_STAGES};{stages_version(entity_matcher())}"
            if settled(name, document_digest(doc.sha256, version), outcome, shown):
                continue
            extra = _read(doc, store.base_iri, sources, cited, entity_matcher(), lookup)
            queue(document_graph(doc, store.base_iri, extra, version=version), outcome)
    for pmid, citing in sorted(cited.items()):
        name = f"pmid:{pmid}"
        try:
            found = fetched.get(pmid) or sources.lookup(PaperRef("pmid", pmid))
        except KgError as exc:
            finish(ItemOutcome(name, "failed", reason=f"cited by {citing}: {exc}"))
            continue
        graph = read_paper(found)
        outcome = ItemOutcome(
            name,
            "added",
            document=graph.describes,
            graph=graph.iri,
            title=found.title,
            reason=f"cited by {citing}",
        )
        if not settled(graph.iri, graph.sha256, outcome, name):
            queue(graph, outcome)
    writer.flush()

    report.ended_at = _now()
    report.seconds = time.perf_counter() - clock
    counts = report.counts
    store.add(
        build_end_quads(
            replace(
                record,
                ended_at=report.ended_at,
                added=counts["added"] + counts["replaced"],
                skipped=counts["unchanged"] + counts["duplicate"],
                failed=counts["failed"],
            )
        )
    )
    store.flush()
    if store.path is not None:
        _write_reports(report, store.path)
    return report


def _read(
    doc: Document,
    base: str,
    sources: PaperSources,
    cited: dict[str, str],
    matcher: Matcher,
    lookup: Callable[[str], Paper | None],
) -> list[Statement]:
    """Everything read in a document: references with their resolutions, then mentions and
    claims with their evidence. Resolved PMIDs go into `cited`."""
    citations = extract_citations(doc.text)
    found = citations.references
    if sources.index is None:
        unresolved = Resolution("unresolved", reason="no paper source to resolve against")
        resolutions = [unresolved] * len(found)
    else:
        resolutions = [resolve(ref, sources.index) for ref in found]
    resolved: dict[int, str] = {}
    for ref, result in zip(found, resolutions, strict=True):
        if result.status == "resolved" and result.pmid:
            cited.setdefault(result.pmid, doc.source)
            resolved[ref.position] = result.pmid
    document = ids.document_iri(base, doc.sha256)
    positions = {ref.position: reference_iri(base, doc.sha256, ref.position) for ref in found}
    return [
        *reference_statements(document, doc.sha256, base, found, resolutions),
        *document_statements(
            matcher, document, base, doc.text, citations, resolved, positions, lookup
        ),
    ]


def _write_reports(report: BuildReport, root: Path) -> None:
    folder = root / "reports"
    folder.mkdir(exist_ok=True)
    stamp = report.started_at.replace(":", "").replace("-", "")
    report.write(folder / f"build-{stamp}-{report.build.rsplit('/', 1)[-1][:8]}.json")
    report.write(root / "last-build.json")
