"""The `kg` command: a thin layer over the library. Each command calls one library function;
library errors become one `error: ...` line and a non-zero exit status."""

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from kg import config
from kg.errors import KgError
from kg.export import EXPORT_FORMATS, VIEW_FORMATS, VIEWS
from kg.export import export as export_store
from kg.graph import KnowledgeGraph, open_graph
from kg.papers import (
    EutilsSource,
    MirrorSource,
    PaperSource,
    PaperSources,
    eutils_client,
    open_mirror,
)
from kg.queries import named_queries, named_query, parse_binding
from kg.report import ItemOutcome
from kg.results import FORMATS, format_result
from kg.version import tool_version
from pipelines.documents import read_document
from pipelines.errors import InputError, PipelineError
from pipelines.pubmed.mirror import Mirror
from pipelines.pubmed.parse import iter_record_elements

P = ParamSpec("P")
R = TypeVar("R")


class _LowerLevel(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


def _configure_logging(verbose: int, quiet: bool) -> None:
    # Only the application sets up logging; library modules just log.
    level = (
        logging.ERROR
        if quiet
        else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LowerLevel())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def _fail_cleanly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn litkg errors into one line on stderr and exit status 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper


def _open(store: Path, *, create: bool = False, base_iri: str | None = None) -> KnowledgeGraph:
    settings = config.resolve(base_iri=base_iri)
    return open_graph(store, create=create, settings=settings)


store_option = click.option(
    "--store",
    "-s",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory of the litkg store.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(tool_version(), "--version", prog_name="litkg")
@click.option("-v", "--verbose", count=True, help="Say more (-vv for debugging output).")
@click.option("-q", "--quiet", is_flag=True, help="Only print errors.")
def main(verbose: int, quiet: bool) -> None:
    """litkg: build a knowledge graph of the papers, concepts and claims in documents."""
    _configure_logging(verbose, quiet)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@store_option
@click.option("--base-iri", help="Base IRI of the store's own resources (fixed at creation).")
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    metavar="BYTES",
    help="Refuse files larger than this (default 50 MB, or KG_MAX_FILE_BYTES).",
)
@click.option(
    "--allow-failures", is_flag=True, help="Exit 0 even when some inputs could not be read."
)
@click.option(
    "--pubmed-mirror",
    type=click.Path(path_type=Path),
    help="PubMed mirror directory, or PubMed XML files/folder (indexed into STORE/pubmed-mirror).",
)
@click.option("--email", help="Your e-mail for NCBI E-utilities (or NCBI_EMAIL); enables them.")
@click.option(
    "--offline",
    is_flag=True,
    default=None,
    help="Answer PubMed lookups from the mirror and cache only; name every miss.",
)
@_fail_cleanly
def build(
    inputs: tuple[str, ...],
    store: Path,
    base_iri: str | None,
    max_file_size: int | None,
    allow_failures: bool,
    pubmed_mirror: Path | None,
    email: str | None,
    offline: bool | None,
) -> None:
    """Read files and folders (.txt, .md, .html) and papers (pmid:N, doi:X, pmcid:PMCN)
    into the store, one named graph each.

    Prints a summary; the full run report is written as JSON into STORE/reports/
    and STORE/last-build.json. Exits 1 if any input failed, unless --allow-failures.
    """
    settings = config.resolve(
        base_iri=base_iri, max_file_bytes=max_file_size, ncbi_email=email, offline=offline
    )
    log = logging.getLogger("kg.cli")

    def progress(outcome: ItemOutcome) -> None:
        if outcome.status != "failed":
            log.info("%s %s", outcome.status, outcome.path or outcome.input)

    with open_graph(store, create=True, settings=settings) as graph:
        report = graph.build(
            list(inputs), progress=progress, papers=paper_sources(settings, pubmed_mirror, graph)
        )
    click.echo(report.summary().splitlines()[0])
    click.echo(f"report: {store / 'last-build.json'}")
    if report.failures and not allow_failures:
        sys.exit(1)


def paper_sources(
    settings: config.Settings, mirror_path: Path | None, graph: KnowledgeGraph
) -> PaperSources:
    """The mirror first (also what references are resolved against), then E-utilities when
    an e-mail is configured or in offline mode (answered from the cache)."""
    sources: list[PaperSource] = []
    mirror = None
    if mirror_path is not None:
        mirror = open_mirror(mirror_path, graph.store.path)
        sources.append(MirrorSource(mirror))
    if settings.ncbi_email or settings.offline:
        sources.append(EutilsSource(eutils_client(settings, config.cache_dir(settings))))
    return PaperSources(sources, index=mirror)


@main.command()
@click.argument("sparql", required=False)
@store_option
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read the query from this file.",
)
@click.option("-n", "--name", help="Run a named query shipped with litkg (see --list).")
@click.option("--list", "list_names", is_flag=True, help="List the named queries and exit.")
@click.option(
    "--param",
    "--bind",
    "bind",
    multiple=True,
    metavar="VAR=VALUE",
    help="Bind a query variable (a parameter of a named query): VAR=<iri> or VAR=text. Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Result format; json is the SPARQL 1.1 results JSON format.",
)
@_fail_cleanly
def query(
    sparql: str | None,
    store: Path,
    query_file: Path | None,
    name: str | None,
    list_names: bool,
    bind: tuple[str, ...],
    fmt: str,
) -> None:
    """Run a SPARQL query over all graphs of the store.

    Give the query as an argument, with -f FILE, or by --name. Common prefixes
    (litkg, dcterms, prov, rdfs, skos, fabio, cito, oa, ...) are predeclared.
    """
    if list_names:
        for key, text in named_queries().items():
            first = text.splitlines()[0].lstrip("# ") if text else ""
            click.echo(f"{key}\t{first}")
        return
    given = [x for x in (sparql, query_file, name) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE or --name NAME")
    if query_file is not None:
        try:
            text = query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.UsageError(f"cannot read query file {query_file}: {exc}") from None
    elif name is not None:
        text = named_query(name)
    else:
        text = sparql or ""
    bindings = dict(parse_binding(b) for b in bind)
    with _open(store) as graph:
        result = graph.query(text, bindings)
        click.echo(format_result(result, fmt, graph.store.prefixes), nl=False)


@main.command()
@store_option
@_fail_cleanly
def stats(store: Path) -> None:
    """Print counts as JSON: triples, named graphs, instances per class."""
    with _open(store) as graph:
        click.echo(json.dumps(graph.stats().to_dict(), indent=1))


@main.command()
@store_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_fail_cleanly
def validate(store: Path, fmt: str) -> None:
    """Check the store against litkg's SHACL shapes; exit 1 if anything violates them."""
    with _open(store) as graph:
        report = graph.validate()
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=1))
    else:
        for violation in report.violations:
            click.echo(violation.line())
        verdict = "conforms" if report.conforms else f"{len(report.violations)} violation(s)"
        click.echo(f"{verdict} ({report.triples_checked} triples checked)")
    if not report.conforms:
        sys.exit(1)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "--out",
    "-o",
    required=True,
    metavar="PATH",
    help="Output file, or - for stdout; for kgx, a directory that gets nodes.tsv and edges.tsv.",
)
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    help=(
        f"What {' and '.join(VIEW_FORMATS)} show: full (documents, papers, concepts and claims "
        "as nodes; the default) or claims (concepts as nodes, one edge per claim)."
    ),
)
@click.option(
    "--include-builds",
    is_flag=True,
    help="Also write the build log (its times make exports differ between builds).",
)
@_fail_cleanly
def export(store: Path, fmt: str, out: str, view: str | None, include_builds: bool) -> None:
    """Write the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD (sorted, stable), or as
    nodes and edges: GraphML, Cytoscape.js JSON, KGX TSV."""
    with _open(store) as graph:
        count = export_store(graph.store, fmt, out, include_builds=include_builds, view=view)
    if out != "-":
        noun = "statements" if fmt in ("ttl", "nt", "nq", "trig", "jsonld") else "nodes and edges"
        where = f"{out} (nodes.tsv, edges.tsv)" if fmt == "kgx" else out
        click.echo(f"wrote {count} {noun} to {where}", err=True)


@main.command()
@store_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback exposes the store to others.",
)
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may run.",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows (or triples) one answer may carry; more are cut and flagged.",
)
@_fail_cleanly
def serve(store: Path, host: str, port: int, timeout: float, max_rows: int) -> None:
    """Serve the store read-only over the SPARQL 1.1 Protocol (GET and POST on /sparql).

    Results by content negotiation: SPARQL JSON, XML, CSV or TSV (N-Triples for CONSTRUCT).
    Updates are refused with 403. Open the address in a browser for a query form.
    """
    from kg.serve import EndpointConfig, make_server

    with _open(store) as graph:
        try:
            server = make_server(graph.store, host, port, EndpointConfig(timeout, max_rows))
        except OSError as exc:
            raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        click.echo(f"serving {store} at {server.url} (Ctrl-C to stop)", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


@main.group()
def pubmed() -> None:
    """PubMed records: index XML files into a local mirror, fetch records by PMID."""


@pubmed.command("index")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--mirror",
    "-m",
    "mirror_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Mirror directory (created if needed).",
)
@click.option("--force", is_flag=True, help="Index files again even if already indexed.")
@_fail_cleanly
def pubmed_index(files: tuple[Path, ...], mirror_dir: Path, force: bool) -> None:
    """Index PubMed baseline/update XML (.xml, .xml.gz, or folders of them) into a mirror.

    Newer versions replace older ones; DeleteCitation removes records. Exits 1 if any file
    could not be indexed (the others still are).
    """
    try:
        with Mirror.open(mirror_dir, create=True) as mirror:
            report = mirror.index(list(files), force=force)
            stats = mirror.stats()
    except PipelineError as exc:
        raise KgError(str(exc)) from None
    for item in report.files:
        detail = f": {item.error}" if item.error else ""
        click.echo(
            f"{item.status} {item.path}: {item.records} records, {item.written} written, "
            f"{item.deletions} deletions{detail}"
        )
    click.echo(
        f"mirror {mirror_dir}: {stats.records} records, {stats.deleted} deleted, "
        f"{stats.files} files"
    )
    if not report.ok:
        sys.exit(1)


@pubmed.command("fetch")
@click.argument("pmids", nargs=-1, required=True)
@click.option("--out", "-o", required=True, metavar="FILE", help="Output XML file, or - .")
@click.option(
    "--pubmed-mirror",
    type=click.Path(path_type=Path, file_okay=False),
    help="Answer from this mirror first.",
)
@click.option("--email", help="Your e-mail for NCBI E-utilities (or NCBI_EMAIL).")
@click.option("--offline", is_flag=True, default=None, help="Mirror and cache only.")
@_fail_cleanly
def pubmed_fetch(
    pmids: tuple[str, ...],
    out: str,
    pubmed_mirror: Path | None,
    email: str | None,
    offline: bool | None,
) -> None:
    """Write the PubMed XML records of PMIDs as one PubmedArticleSet (mirror, then E-utilities)."""
    settings = config.resolve(ncbi_email=email, offline=offline)
    wanted = [p.strip() for p in pmids]
    bad = [p for p in wanted if not p.isdigit()]
    if bad:
        raise click.UsageError(f"not a PMID: {', '.join(bad)}")
    records: dict[str, bytes] = {}
    if pubmed_mirror is not None:
        with Mirror.open(pubmed_mirror) as mirror:
            for pmid in wanted:
                xml = mirror.xml(pmid)
                if xml is not None:
                    records[pmid] = xml
    missing = [p for p in wanted if p not in records]
    if missing and (settings.ncbi_email or settings.offline):
        client = eutils_client(settings, config.cache_dir(settings))
        try:
            for chunk in client.fetch_xml(missing):
                records.update(_split_articles(chunk))
        except PipelineError as exc:
            raise KgError(str(exc)) from None
    body = b"".join(records[p] for p in wanted if p in records)
    data = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n'
        + body
        + (b"\n</PubmedArticleSet>\n")
    )
    if out == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(out).write_bytes(data)
    still = [p for p in wanted if p not in records]
    for pmid in still:
        click.echo(f"error: pmid:{pmid}: not found", err=True)
    if still:
        sys.exit(1)


def _split_articles(chunk: bytes) -> dict[str, bytes]:
    """The record elements of an EFetch response as XML, by PMID."""
    from lxml import etree

    found: dict[str, bytes] = {}
    for el in iter_record_elements(chunk):
        pmid = el.findtext(".//PMID")
        if pmid and el.tag != "DeleteCitation":
            found[pmid.strip()] = etree.tostring(el)
    return found


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option(
    "--ontologies",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of MeSH/GO/DOID files and MONDO SSSOM mappings (or KG_ONTOLOGIES).",
)
@_fail_cleanly
def annotate(files: tuple[str, ...], fmt: str, ontologies: Path | None) -> None:
    """Print the diseases, cell types, mechanisms, interventions, anatomy and drugs in FILES
    (or - for standard input), one JSON object per mention: doc, start, end, text, type, ids.

    Offsets count into the text as read. Without --ontologies, the bundled sources (CL,
    MONDO, UBERON and litkg's lexicon) are used.
    """
    from kg.annotate import annotate_text, matcher_for

    settings = config.resolve(ontology_dir=str(ontologies) if ontologies else None)
    matcher = matcher_for(settings)
    failed = False
    for name in files:
        if name == "-":
            text = sys.stdin.read()
        else:
            try:
                text = read_document(Path(name), max_bytes=settings.max_file_bytes).text
            except InputError as exc:
                click.echo(f"error: {exc}", err=True)
                failed = True
                continue
        for line in annotate_text(matcher, name, text):
            click.echo(line)
    if failed:
        sys.exit(1)
