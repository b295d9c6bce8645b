"""Records as RDF quads: one named graph per source, deterministic IRIs.

Quads are pyoxigraph terms so they go straight to the store's bulk path.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from ontologies.namespace import DCAT, DCTERMS, LITKG, PROV
from pipelines import ids
from pipelines.records import BuildRecord, Document

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


Statement = tuple[NamedNode, NamedNode, NamedNode | Literal]


def iri(value: str) -> NamedNode:
    return NamedNode(value)


def count(n: int) -> Literal:
    return Literal(str(n), datatype=NamedNode(_XSD + "integer"))


def decimal(value: float) -> Literal:
    """An xsd:decimal with four places, the precision of every score in the graph."""
    return Literal(f"{value:.4f}", datatype=NamedNode(_XSD + "decimal"))


def datetime_literal(value: str) -> Literal:
    return Literal(value, datatype=NamedNode(_XSD + "dateTime"))


@dataclass(frozen=True, slots=True)
class SourceGraph:
    """Everything read from one source, in its own named graph."""

    iri: str
    kind: str  # "document" | "pubmed-record"
    sha256: str
    describes: str  # IRI of the main resource in the graph
    source: str  # IRI of where the source was read from
    quads: tuple[Quad, ...]


def document_digest(sha256: str, version: str) -> str:
    """The digest of a document's graph: its bytes' digest and the stages' version."""
    return ids.sha256_hex(f"{sha256}\x1f{version}".encode()) if version else sha256


def document_graph(
    doc: Document, base: str, extra: Sequence[Statement] = (), *, version: str = ""
) -> SourceGraph:
    """The named graph of one document, with `extra` statements from later stages.

    The graph's digest covers the source bytes and `version` (of the stages that built it),
    so a rebuild with changed stages replaces the graph even when the file did not change.
    """
    graph = iri(ids.document_graph_iri(base, doc.sha256))
    subject = iri(ids.document_iri(base, doc.sha256))
    triples: list[tuple[NamedNode, NamedNode | Literal]] = [
        (_RDF_TYPE, iri(LITKG.Document)),
        (iri(LITKG.text), Literal(doc.text)),
        (iri(LITKG.sha256), Literal(doc.sha256)),
        (iri(LITKG.characterCount), count(len(doc.text))),
        (iri(DCAT.byteSize), count(doc.byte_size)),
        (iri(DCAT.mediaType), iri(_MEDIA_TYPES + doc.media_type)),
        (iri(DCTERMS.source), iri(doc.source)),
    ]
    if doc.title:
        triples.append((iri(DCTERMS.title), Literal(doc.title)))
    if doc.publisher:
        triples.append((iri(LITKG.publisherName), Literal(doc.publisher)))
    triples.extend((iri(LITKG.authorName), Literal(name)) for name in doc.authors)
    quads = [Quad(subject, p, o, graph) for p, o in triples]
    quads.extend(Quad(s, p, o, graph) for s, p, o in extra)
    return SourceGraph(
        iri=graph.value,
        kind="document",
        sha256=document_digest(doc.sha256, version),
        describes=subject.value,
        source=doc.source,
        quads=tuple(quads),
    )


def source_graph_record(graph: SourceGraph, build_iri: str) -> list[Quad]:
    """Bookkeeping for one source graph, kept in the store's default graph.

    Its presence marks the named graph as completely written (the build writes
    it after the graph itself), which is what lets an interrupted build resume.
    """
    g = iri(graph.iri)
    dg = DefaultGraph()
    return [
        Quad(g, _RDF_TYPE, iri(LITKG.SourceGraph), dg),
        Quad(g, iri(LITKG.sha256), Literal(graph.sha256), dg),
        Quad(g, iri(LITKG.sourceKind), Literal(graph.kind), dg),
        Quad(g, iri(LITKG.describes), iri(graph.describes), dg),
        Quad(g, iri(DCTERMS.source), iri(graph.source), dg),
        Quad(g, iri(PROV.wasGeneratedBy), iri(build_iri), dg),
    ]


def build_start_quads(build: BuildRecord) -> Iterator[Quad]:
    """What is known of a build when it starts (written first, so it exists even if killed)."""
    b, agent, dg = iri(build.iri), iri(build.agent_iri), DefaultGraph()
    yield Quad(b, _RDF_TYPE, iri(LITKG.Build), dg)
    yield Quad(b, _RDF_TYPE, iri(PROV.Activity), dg)
    yield Quad(b, iri(PROV.startedAtTime), datetime_literal(build.started_at), dg)
    yield Quad(b, iri(PROV.wasAssociatedWith), agent, dg)
    yield Quad(b, iri(LITKG.inputCount), count(len(build.inputs)), dg)
    for used in build.inputs:
        yield Quad(b, iri(PROV.used), iri(used), dg)
    yield Quad(agent, _RDF_TYPE, iri(PROV.SoftwareAgent), dg)
    yield Quad(agent, _RDFS_LABEL, Literal(f"litkg {build.tool_version}"), dg)
    yield Quad(agent, iri(LITKG.toolVersion), Literal(build.tool_version), dg)


def build_end_quads(build: BuildRecord) -> Iterator[Quad]:
    """The end time and counts of a finished build."""
    b, dg = iri(build.iri), DefaultGraph()
    if build.ended_at is not None:
        yield Quad(b, iri(PROV.endedAtTime), datetime_literal(build.ended_at), dg)
    for prop, value in (
        (LITKG.addedCount, build.added),
        (LITKG.skippedCount, build.skipped),
        (LITKG.failedCount, build.failed),
    ):
        if value is not None:
            yield Quad(b, iri(prop), count(value), dg)
