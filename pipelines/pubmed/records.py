"""Typed records for PubMed citations, as the parser yields them.

Every record is frozen with slots; lists are tuples and an absent value is None, so records
hash, compare and pickle cheaply and nothing downstream can mutate what the parser read.
Identifiers (PMID, DOI, PMCID, MeSH UIs) are strings exactly as PubMed writes them, except
where a field's docstring says it is normalised.
"""

import dataclasses
from dataclasses import dataclass
from typing import Literal

RecordKind = Literal["article", "book"]

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class ArticleId:
    """One identifier of an article: `id_type` is PubMed's IdType (pubmed, doi, pmc, pii, ...)."""

    id_type: str
    value: str


@dataclass(frozen=True, slots=True)
class OtherId:
    """An `<OtherID>` of a citation, e.g. a NASA or PIP accession; `source` is its Source."""

    source: str
    value: str


@dataclass(frozen=True, slots=True)
class Identifier:
    """A person or organisation identifier: `source` is e.g. ORCID, GRID, ISNI or RINGGOLD."""

    source: str
    value: str


@dataclass(frozen=True, slots=True)
class Affiliation:
    """One `<AffiliationInfo>`: the affiliation as written plus any institution identifiers."""

    name: str
    identifiers: tuple[Identifier, ...] = ()


@dataclass(frozen=True, slots=True)
class Author:
    """A person or a collective (group) author, or an investigator or book editor.

    `orcid` is normalised to the bare 0000-0000-0000-000X form when the record's ORCID holds
    sixteen digits in any of the spellings PubMed carries (URL, spaces, no hyphens); the value
    as written stays in `identifiers`.
    """

    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    suffix: str | None = None
    collective_name: str | None = None
    orcid: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    valid: bool = True
    equal_contrib: bool | None = None

    @property
    def is_collective(self) -> bool:
        return self.collective_name is not None and self.last_name is None

    @property
    def name(self) -> str:
        """Display name: "Fore Last Suffix", or the collective name."""
        if self.last_name is None:
            return self.collective_name or ""
        parts = (self.fore_name or self.initials, self.last_name, self.suffix)
        return " ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Journal:
    """The journal of an article; `issn_type` is Print or Electronic."""

    title: str | None = None
    iso_abbreviation: str | None = None
    issn: str | None = None
    issn_type: str | None = None
    issn_linking: str | None = None
    nlm_unique_id: str | None = None
    medline_ta: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class PubDate:
    """A publication date as PubMed gives it: Year/Month/Day, a Season, or a free MedlineDate.

    `month` is 1-12 whether the XML spells it as a number or a name. For a MedlineDate such as
    "1977 Jan-Feb" or "1979-1980 Fall" the year (and the month, day or season the range starts
    with) are parsed out, and the text stays in `medline_date`.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: str | None = None
    medline_date: str | None = None

    @property
    def text(self) -> str:
        """Human-readable form, e.g. "2019 Dec 5", "1978 Spring", or the MedlineDate."""
        if self.medline_date is not None:
            return self.medline_date
        parts: list[str] = [] if self.year is None else [str(self.year)]
        if self.month is not None:
            parts.append(_MONTH_NAMES[self.month - 1])
            if self.day is not None:
                parts.append(str(self.day))
        elif self.season is not None:
            parts.append(self.season)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Date:
    """A full calendar date (ArticleDate, DateCompleted, DateRevised, history dates).

    `date_type` is the ArticleDate's DateType (e.g. Electronic) or a history date's PubStatus
    (received, accepted, pubmed, ...); None for DateCompleted and DateRevised.
    """

    year: int
    month: int | None = None
    day: int | None = None
    date_type: str | None = None
    hour: int | None = None
    minute: int | None = None

    @property
    def iso(self) -> str:
        """ISO 8601 date, as precise as the record: 2019-08-19, 2019-08 or 2019."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Pagination:
    """Pages: `medline_pgn` as written (e.g. "1865-76"); start and end only where given."""

    medline_pgn: str | None = None
    start_page: str | None = None
    end_page: str | None = None

    @property
    def first_page(self) -> str | None:
        """StartPage, else the first page of MedlinePgn ("1865-76" -> "1865")."""
        if self.start_page is not None:
            return self.start_page
        if not self.medline_pgn:
            return None
        head = self.medline_pgn.split(",", 1)[0].split("-", 1)[0].strip()
        return head or None


@dataclass(frozen=True, slots=True)
class ELocationId:
    """An electronic location: `eid_type` is doi or pii."""

    eid_type: str
    value: str
    valid: bool = True


@dataclass(frozen=True, slots=True)
class AbstractSection:
    """One `<AbstractText>`: text with inline markup flattened, its Label and NlmCategory."""

    text: str
    label: str | None = None
    nlm_category: str | None = None


@dataclass(frozen=True, slots=True)
class OtherAbstract:
    """An `<OtherAbstract>`: e.g. a publisher's, a translation, or a plain-language summary."""

    sections: tuple[AbstractSection, ...]
    abstract_type: str | None = None
    language: str | None = None
    copyright: str | None = None


@dataclass(frozen=True, slots=True)
class PublicationType:
    name: str
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class MeshQualifier:
    ui: str | None
    name: str
    major: bool = False


@dataclass(frozen=True, slots=True)
class MeshHeading:
    """A MeSH heading: the descriptor with its UI, MajorTopicYN and Type, and its qualifiers."""

    descriptor_ui: str | None
    descriptor_name: str
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()
    descriptor_type: str | None = None  # e.g. "Geographic"

    @property
    def major_topic(self) -> bool:
        """True when the descriptor or any of its qualifiers is marked a major topic."""
        return self.major or any(q.major for q in self.qualifiers)


@dataclass(frozen=True, slots=True)
class SupplementaryConcept:
    """A `<SupplMeshName>` (supplementary concept record): UI, name and Type (Disease, ...)."""

    ui: str | None
    name: str
    concept_type: str | None = None


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword; `owner` is its KeywordList's Owner (NOTNLM for author keywords, NLM, PIP...)."""

    text: str
    major: bool = False
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Chemical:
    """A substance; PubMed's placeholder registry number "0" (none assigned) becomes None."""

    name: str
    registry_number: str | None = None
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    grant_id: str | None = None
    acronym: str | None = None
    agency: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class DataBank:
    """A `<DataBank>`: its name (e.g. ClinicalTrials.gov, GENBANK) and accession numbers."""

    name: str
    accession_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CitedReference:
    """An entry of the article's reference list: the citation as printed and its identifiers."""

    citation: str | None
    article_ids: tuple[ArticleId, ...] = ()

    def _id(self, id_type: str) -> str | None:
        for aid in self.article_ids:
            if aid.id_type == id_type:
                return aid.value
        return None

    @property
    def pmid(self) -> str | None:
        return self._id("pubmed")

    @property
    def doi(self) -> str | None:
        return self._id("doi")

    @property
    def pmcid(self) -> str | None:
        """The PMCID; reference lists label it IdType "pmcid" (article lists say "pmc")."""
        return self._id("pmcid") or self._id("pmc")


@dataclass(frozen=True, slots=True)
class CommentCorrection:
    """A `<CommentsCorrections>` link: RefType (e.g. RetractionIn, ErratumFor), source, PMID."""

    ref_type: str
    ref_source: str | None = None
    pmid: str | None = None
    pmid_version: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Book:
    """The book of a `<PubmedBookArticle>` (e.g. a GeneReviews chapter or an NCBI Bookshelf book).

    `book_id` is the BookTitle's `book` attribute, the Bookshelf identifier (e.g. "gene").
    """

    title: str | None = None
    book_id: str | None = None
    publisher: str | None = None
    publisher_location: str | None = None
    pub_date: PubDate | None = None
    beginning_date: PubDate | None = None
    ending_date: PubDate | None = None
    editors: tuple[Author, ...] = ()
    volume: str | None = None
    volume_title: str | None = None
    edition: str | None = None
    collection_title: str | None = None
    isbns: tuple[str, ...] = ()
    medium: str | None = None
    report_number: str | None = None


@dataclass(frozen=True, slots=True)
class Paper:
    """One PubMed citation: a `<PubmedArticle>` (kind "article") or `<PubmedBookArticle>` ("book").

    `doi`, `pmcid` and `pii` come from PubmedData's ArticleIdList, falling back to the
    ELocationIDs for DOI and PII; every identifier as written stays in `article_ids`.
    """

    pmid: str
    kind: RecordKind = "article"
    pmid_version: int = 1
    doi: str | None = None
    pmcid: str | None = None
    pii: str | None = None
    article_ids: tuple[ArticleId, ...] = ()
    other_ids: tuple[OtherId, ...] = ()
    title: str | None = None
    vernacular_title: str | None = None
    abstract_sections: tuple[AbstractSection, ...] = ()
    abstract_copyright: str | None = None
    other_abstracts: tuple[OtherAbstract, ...] = ()
    authors: tuple[Author, ...] = ()
    authors_complete: bool = True
    investigators: tuple[Author, ...] = ()
    journal: Journal | None = None
    volume: str | None = None
    issue: str | None = None
    cited_medium: str | None = None
    pagination: Pagination | None = None
    elocation_ids: tuple[ELocationId, ...] = ()
    pub_date: PubDate | None = None
    article_dates: tuple[Date, ...] = ()
    date_completed: Date | None = None
    date_revised: Date | None = None
    history: tuple[Date, ...] = ()
    pub_model: str | None = None
    publication_status: str | None = None
    citation_status: str | None = None  # MedlineCitation Status: MEDLINE, In-Process, ...
    languages: tuple[str, ...] = ()
    publication_types: tuple[PublicationType, ...] = ()
    mesh_headings: tuple[MeshHeading, ...] = ()
    supplementary_concepts: tuple[SupplementaryConcept, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    chemicals: tuple[Chemical, ...] = ()
    grants: tuple[Grant, ...] = ()
    databanks: tuple[DataBank, ...] = ()
    references: tuple[CitedReference, ...] = ()
    comments_corrections: tuple[CommentCorrection, ...] = ()
    citation_subsets: tuple[str, ...] = ()
    coi_statement: str | None = None
    book: Book | None = None

    @property
    def abstract(self) -> str | None:
        """The whole abstract as one text: sections on their own lines, "LABEL: " before labelled
        ones; None when the record has no abstract text."""
        lines = [f"{s.label}: {s.text}" if s.label else s.text for s in self.abstract_sections]
        text = "\n".join(line for line in lines if line)
        return text or None

    @property
    def pages(self) -> str | None:
        """MedlinePgn as written, else "start-end" from StartPage/EndPage."""
        p = self.pagination
        if p is None:
            return None
        if p.medline_pgn:
            return p.medline_pgn
        if p.start_page and p.end_page:
            return f"{p.start_page}-{p.end_page}"
        return p.start_page

    @property
    def year(self) -> int | None:
        """Publication year: from the journal issue (or book) date, else the first article date."""
        if self.pub_date is not None and self.pub_date.year is not None:
            return self.pub_date.year
        return self.article_dates[0].year if self.article_dates else None

    @property
    def retracted(self) -> bool:
        """True when PubMed links a retraction notice (RetractionIn) or types the record
        "Retracted Publication"."""
        return any(c.ref_type == "RetractionIn" for c in self.comments_corrections) or any(
            t.name == "Retracted Publication" for t in self.publication_types
        )

    @property
    def is_retraction_notice(self) -> bool:
        """True for the notice itself (RetractionOf, or type "Retraction of Publication")."""
        return any(c.ref_type == "RetractionOf" for c in self.comments_corrections) or any(
            t.name == "Retraction of Publication" for t in self.publication_types
        )

    @property
    def retraction_notices(self) -> tuple[CommentCorrection, ...]:
        return tuple(c for c in self.comments_corrections if c.ref_type == "RetractionIn")

    @property
    def errata(self) -> tuple[CommentCorrection, ...]:
        return tuple(c for c in self.comments_corrections if c.ref_type == "ErratumIn")

    @property
    def accession_numbers(self) -> tuple[str, ...]:
        return tuple(a for d in self.databanks for a in d.accession_numbers)

    @property
    def clinical_trial_ids(self) -> tuple[str, ...]:
        """ClinicalTrials.gov NCT numbers from the databank list, in record order."""
        return tuple(
            a
            for d in self.databanks
            if d.name.lower() == "clinicaltrials.gov"
            for a in d.accession_numbers
        )

    @property
    def major_mesh(self) -> tuple[MeshHeading, ...]:
        return tuple(h for h in self.mesh_headings if h.major_topic)


@dataclass(frozen=True, slots=True)
class DeletedCitation:
    """A PMID listed in an update file's `<DeleteCitation>`: remove it from any mirror."""

    pmid: str
    version: int | None = None


def _fast_init(cls: type) -> None:
    """Give a frozen slotted dataclass an equivalent `__init__` that stores each field through
    its slot descriptor instead of `object.__setattr__`: about twice as fast, which matters for
    records built by the million. Fields, defaults, order and immutability are unchanged."""
    fields = dataclasses.fields(cls)
    params: list[str] = []
    namespace: dict[str, object] = {}
    for f in fields:
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            params.append(f"{f.name}=_default_{f.name}")
            namespace[f"_default_{f.name}"] = f.default
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
    body = "".join(f"    _set_{f.name}(self, {f.name})\n" for f in fields)
    source = f"def __init__(self, {', '.join(params)}):\n{body}"
    exec(source, namespace)  # the same technique dataclasses itself uses to build __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]


for _cls in (
    ArticleId,
    OtherId,
    Identifier,
    Affiliation,
    Author,
    Journal,
    PubDate,
    Date,
    Pagination,
    ELocationId,
    AbstractSection,
    OtherAbstract,
    PublicationType,
    MeshQualifier,
    MeshHeading,
    SupplementaryConcept,
    Keyword,
    Chemical,
    Grant,
    DataBank,
    CitedReference,
    CommentCorrection,
    Book,
    Paper,
    DeletedCitation,
):
    _fast_init(_cls)
del _cls
