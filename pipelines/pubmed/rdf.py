"""A PubMed record as RDF: one named graph per PMID, the paper at its PubMed IRI.

The graph's name is fixed by the PMID, so a newer version of a record replaces the old one;
its digest is taken over the statements themselves, so an unchanged record is recognised
as unchanged whatever file or response it came from.
"""

from collections.abc import Iterator, Sequence

from pyoxigraph import Literal, NamedNode, Quad

from ontologies.namespace import CITO, DCTERMS, FABIO, FOAF, LITKG, PRISM
from pipelines import ids
from pipelines.pubmed.records import Author, Paper, PubDate
from pipelines.rdf import SourceGraph, Statement, count, iri

PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
MESH = "http://id.nlm.nih.gov/mesh/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_SEE_ALSO = NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")


def paper_iri(pmid: str) -> str:
    return f"{PUBMED}{pmid}"


def paper_graph_iri(base: str, pmid: str) -> str:
    return f"{base}graph/pubmed/{pmid}"


def _typed(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(_XSD + datatype))


def _issued(date: PubDate) -> Literal | None:
    """The most precise typed date PubMed gives: full date, year-month, or year."""
    if date.year is None:
        return None
    if date.month and date.day:
        return _typed(f"{date.year:04d}-{date.month:02d}-{date.day:02d}", "date")
    if date.month:
        return _typed(f"{date.year:04d}-{date.month:02d}", "gYearMonth")
    return _typed(f"{date.year:04d}", "gYear")


def _author(base: str, pmid: str, position: int, author: Author) -> Iterator[Statement]:
    node = iri(ids.mint(base, "author", ids.key_of("pubmed", pmid, str(position))))
    yield node, _RDF_TYPE, iri(LITKG.Author)
    yield node, iri(FOAF.name), Literal(author.name)
    yield node, iri(LITKG.authorPosition), count(position)
    if author.last_name:
        yield node, iri(FOAF.familyName), Literal(author.last_name)
    if author.fore_name:
        yield node, iri(FOAF.givenName), Literal(author.fore_name)
    if author.orcid:
        yield node, iri(LITKG.orcid), iri(f"https://orcid.org/{author.orcid}")
    for affiliation in author.affiliations:
        yield node, iri(LITKG.affiliation), Literal(affiliation.name)
    yield iri(paper_iri(pmid)), iri(DCTERMS.creator), node


def _statements(paper: Paper, base: str) -> Iterator[Statement]:
    p = iri(paper_iri(paper.pmid))
    yield p, _RDF_TYPE, iri(LITKG.Paper)
    yield p, _RDF_TYPE, iri(FABIO.JournalArticle if paper.kind == "article" else FABIO.Book)
    yield p, iri(FABIO.hasPubMedId), Literal(paper.pmid)
    yield p, iri(LITKG.pmidVersion), count(paper.pmid_version)
    if paper.title:
        yield p, iri(DCTERMS.title), Literal(paper.title)
    if paper.abstract:
        yield p, iri(DCTERMS.abstract), Literal(paper.abstract)
    if paper.doi:
        yield p, iri(PRISM.doi), Literal(paper.doi)
        yield p, _SEE_ALSO, iri(f"https://doi.org/{paper.doi}")
    if paper.pmcid:
        yield p, iri(FABIO.hasPubMedCentralId), Literal(paper.pmcid)
        yield p, _SEE_ALSO, iri(f"https://pmc.ncbi.nlm.nih.gov/articles/{paper.pmcid}/")
    for language in paper.languages:
        yield p, iri(DCTERMS.language), Literal(language)
    if paper.pub_date is not None and (issued := _issued(paper.pub_date)) is not None:
        yield p, iri(DCTERMS.issued), issued
    if paper.volume:
        yield p, iri(PRISM.volume), Literal(paper.volume)
    if paper.issue:
        yield p, iri(PRISM.issueIdentifier), Literal(paper.issue)
    if paper.pages:
        yield p, iri(PRISM.pageRange), Literal(paper.pages)
    yield from _journal(paper, base, p)
    for position, author in enumerate(paper.authors, start=1):
        yield from _author(base, paper.pmid, position, author)
    yield from _subjects(paper, p)
    for grant in paper.grants:
        if grant.grant_id or grant.agency:
            key = ids.key_of("grant", grant.agency or "", grant.grant_id or "")
            g = iri(ids.mint(base, "grant", key))
            yield p, iri(LITKG.fundedBy), g
            yield g, _RDF_TYPE, iri(LITKG.Grant)
            if grant.grant_id:
                yield g, iri(DCTERMS.identifier), Literal(grant.grant_id)
            if grant.agency:
                yield g, iri(LITKG.fundingAgency), Literal(grant.agency)
    for trial in paper.clinical_trial_ids:
        yield p, iri(DCTERMS.references), iri(f"https://clinicaltrials.gov/study/{trial}")
    for ref in paper.references:
        if ref.pmid:
            yield p, iri(CITO.cites), iri(paper_iri(ref.pmid))
    yield p, iri(LITKG.retracted), _typed("true" if paper.retracted else "false", "boolean")
    for link in paper.comments_corrections:
        if not link.pmid:
            continue
        other = iri(paper_iri(link.pmid))
        if link.ref_type == "RetractionIn":
            yield other, iri(CITO.retracts), p
        elif link.ref_type == "RetractionOf":
            yield p, iri(CITO.retracts), other
        elif link.ref_type == "ErratumIn":
            yield other, iri(CITO.corrects), p
        elif link.ref_type == "ErratumFor":
            yield p, iri(CITO.corrects), other


def _journal(paper: Paper, base: str, p: NamedNode) -> Iterator[Statement]:
    journal = paper.journal
    if journal is None or not (journal.nlm_unique_id or journal.title):
        return
    key = journal.nlm_unique_id or ids.key_of("journal", journal.title or "")
    j = iri(ids.mint(base, "journal", key))
    yield p, iri(DCTERMS.isPartOf), j
    yield j, _RDF_TYPE, iri(FABIO.Journal)
    if journal.title:
        yield j, iri(DCTERMS.title), Literal(journal.title)
    if journal.iso_abbreviation:
        yield j, iri(FABIO.hasNLMJournalTitleAbbreviation), Literal(journal.iso_abbreviation)
    if journal.nlm_unique_id:
        yield j, iri(FABIO.hasNationalLibraryOfMedicineJournalId), Literal(journal.nlm_unique_id)
    if journal.issn:
        prop = PRISM.eIssn if journal.issn_type == "Electronic" else PRISM.issn
        yield j, iri(prop), Literal(journal.issn)


def _subjects(paper: Paper, p: NamedNode) -> Iterator[Statement]:
    for ptype in paper.publication_types:
        if ptype.ui:
            t = iri(MESH + ptype.ui)
            yield p, iri(LITKG.publicationType), t
            yield t, _LABEL, Literal(ptype.name)
    for heading in paper.mesh_headings:
        if heading.descriptor_ui:
            d = iri(MESH + heading.descriptor_ui)
            yield p, iri(FABIO.hasSubjectTerm), d
            yield d, _LABEL, Literal(heading.descriptor_name)
            if heading.major_topic:
                yield p, iri(LITKG.majorTopic), d
    for chemical in paper.chemicals:
        if chemical.ui:
            c = iri(MESH + chemical.ui)
            yield p, iri(LITKG.chemical), c
            yield c, _LABEL, Literal(chemical.name)
    for keyword in paper.keywords:
        yield p, iri(PRISM.keyword), Literal(keyword.text)


def paper_text(paper: Paper) -> str:
    """The text later stages read in a paper: its title, a blank line, its abstract."""
    abstract = paper.abstract
    title = paper.title or ""
    return f"{title}\n\n{abstract}" if abstract else title


def paper_graph(paper: Paper, base: str, extra: Sequence[Statement] = ()) -> SourceGraph:
    """The named graph of one PubMed record, with `extra` statements read from its text.

    With `extra`, the paper also carries `litkg:text` (`paper_text`), the string every
    offset of those statements counts into.
    """
    graph = iri(paper_graph_iri(base, paper.pmid))
    statements = list(_statements(paper, base))
    if extra:
        statements.append((iri(paper_iri(paper.pmid)), iri(LITKG.text), Literal(paper_text(paper))))
        statements.extend(extra)
    quads = sorted({Quad(s, p, o, graph) for s, p, o in statements}, key=str)
    digest = ids.sha256_hex("\n".join(map(str, quads)).encode("utf-8"))
    return SourceGraph(
        iri=graph.value,
        kind="pubmed-record",
        sha256=digest,
        describes=paper_iri(paper.pmid),
        source=paper_iri(paper.pmid),
        quads=tuple(quads),
    )
