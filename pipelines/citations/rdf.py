"""A document's references as RDF: one node per reference, its parsed fields, its resolution,
and `cito:cites` from the document to every paper a reference resolved to."""

from collections.abc import Iterator, Sequence

from pyoxigraph import Literal, NamedNode

from ontologies.namespace import BIRO, CITO, DCTERMS, FABIO, LITKG, PRISM
from pipelines import ids
from pipelines.citations.records import Reference
from pipelines.citations.resolve import Resolution
from pipelines.rdf import Statement, count, decimal, iri

PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD = "http://www.w3.org/2001/XMLSchema#"


def reference_iri(base: str, document_sha256: str, position: int) -> str:
    return ids.mint(base, "reference", ids.key_of(document_sha256, str(position)))


def _fields(node: NamedNode, ref: Reference) -> Iterator[Statement]:
    yield node, iri(DCTERMS.bibliographicCitation), Literal(ref.raw)
    yield node, iri(LITKG.position), count(ref.position)
    if ref.span is not None:
        yield node, iri(LITKG.charStart), count(ref.span[0])
        yield node, iri(LITKG.charEnd), count(ref.span[1])
    if ref.title:
        yield node, iri(DCTERMS.title), Literal(ref.title)
    for family, given in ref.authors:
        yield node, iri(LITKG.authorName), Literal(f"{family}, {given}" if given else family)
    if ref.year is not None:
        yield (
            node,
            iri(FABIO.hasPublicationYear),
            Literal(f"{ref.year:04d}", datatype=NamedNode(_XSD + "gYear")),
        )
    if ref.container:
        yield node, iri(PRISM.publicationName), Literal(ref.container)
    if ref.volume:
        yield node, iri(PRISM.volume), Literal(ref.volume)
    if ref.issue:
        yield node, iri(PRISM.issueIdentifier), Literal(ref.issue)
    if ref.pages:
        yield node, iri(PRISM.startingPage), Literal(ref.pages[0])
        if ref.pages[1]:
            yield node, iri(PRISM.endingPage), Literal(ref.pages[1])
    if ref.article_number:
        yield node, iri(PRISM.pageRange), Literal(ref.article_number)
    if ref.doi:
        yield node, iri(PRISM.doi), Literal(ref.doi)
    if ref.pmid:
        yield node, iri(FABIO.hasPubMedId), Literal(ref.pmid)
    if ref.pmcid:
        yield node, iri(FABIO.hasPubMedCentralId), Literal(ref.pmcid)


def _resolution(document: NamedNode, node: NamedNode, result: Resolution) -> Iterator[Statement]:
    yield node, iri(LITKG.resolutionStatus), Literal(result.status)
    yield (
        node,
        iri(LITKG.resolutionScore),
        decimal(result.score),
    )
    if result.method:
        yield node, iri(LITKG.resolutionMethod), Literal(result.method)
    for reason in (*result.evidence, *((result.reason,) if result.reason else ())):
        yield node, iri(LITKG.resolutionEvidence), Literal(reason)
    if result.status == "resolved" and result.pmid:
        paper = iri(PUBMED + result.pmid)
        yield node, iri(BIRO.references), paper
        yield document, iri(CITO.cites), paper
    elif result.status in ("ambiguous", "conflict"):
        for pmid, _score in result.candidates:
            yield node, iri(LITKG.candidate), iri(PUBMED + pmid)


def reference_statements(
    document: str,
    document_sha256: str,
    base: str,
    references: Sequence[Reference],
    resolutions: Sequence[Resolution],
) -> list[Statement]:
    """Statements for a document's references (resolutions in the same order)."""
    doc = iri(document)
    out: list[Statement] = [(doc, iri(LITKG.referenceCount), count(len(references)))]
    for ref, result in zip(references, resolutions, strict=True):
        node = iri(reference_iri(base, document_sha256, ref.position))
        out.append((doc, iri(LITKG.hasReference), node))
        out.append((node, _RDF_TYPE, iri(LITKG.Reference)))
        out.extend(_fields(node, ref))
        out.extend(_resolution(doc, node, result))
    return out
