"""Tests of the PubMed XML parser: every field on hand-written records, hostile and broken
input, and every PubMed file in ../shared."""

import dataclasses
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.pubmed import (
    DeletedCitation,
    Paper,
    PubDate,
    PubmedParseError,
    iter_deleted,
    iter_papers,
    iter_pubmed,
    paper_from_element,
)
from pipelines.pubmed.records import Author, Pagination


@pytest.fixture
def pubmed_dir(fixtures: Path) -> Path:
    return fixtures / "pubmed"


@pytest.fixture
def papers(pubmed_dir: Path) -> dict[str, Paper]:
    return {p.pmid: p for p in iter_papers(pubmed_dir / "articles.xml")}


@pytest.fixture
def full(papers: dict[str, Paper]) -> Paper:
    return papers["90000001"]


def _record(body: str, pmid: str = "1") -> bytes:
    return (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation>"
        f'<PMID Version="1">{pmid}</PMID><Article>{body}</Article>'
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    ).encode()


# --- identifiers, title, abstract -------------------------------------------------------------


def test_identifiers(full: Paper) -> None:
    assert full.kind == "article"
    assert full.pmid == "90000001"
    assert full.pmid_version == 2
    # PubmedData's ids win over the ELocationIDs, which stay available.
    assert full.doi == "10.1111/cei.13358"
    assert full.pmcid == "PMC6857075"
    assert full.pii == "CEI13358"
    assert [(a.id_type, a.value) for a in full.article_ids][-1] == ("mid", "NIHMS000001")
    assert [(o.source, o.value) for o in full.other_ids] == [("NLM", "PMC6857075")]
    assert [(e.eid_type, e.value, e.valid) for e in full.elocation_ids] == [
        ("doi", "10.1111/cei.99999", True),
        ("pii", "S0009-9104(19)00001-X", True),
    ]


def test_doi_falls_back_to_elocation_id() -> None:
    xml = _record('<ArticleTitle>T</ArticleTitle><ELocationID EIdType="doi">10.1/x</ELocationID>')
    assert next(iter_papers(xml)).doi == "10.1/x"


def test_title_keeps_inline_markup_text_and_mathml(full: Paper) -> None:
    # <sup>, <i>, <sub> flattened; MathML layout whitespace dropped ("V2", not "V 2").
    assert full.title == "CD34+ cells and in vitro Treg expansion: V2 kinetics."
    assert full.vernacular_title == "Células CD34."


def test_structured_abstract(full: Paper) -> None:
    assert [(s.label, s.nlm_category) for s in full.abstract_sections] == [
        ("BACKGROUND", "BACKGROUND"),
        ("METHODS", "METHODS"),
        ("RESULTS", "RESULTS"),
    ]
    # Whitespace runs and newlines collapse; <b> text is kept.
    assert full.abstract_sections[0].text == "Stem cells reset the immune system."
    assert full.abstract == (
        "BACKGROUND: Stem cells reset the immune system.\n"
        "METHODS: We enrolled 617 patients (NCT02674217).\n"
        "RESULTS: Survival was 100%."
    )
    assert full.abstract_copyright == "© 2019 British Society for Immunology."
    (other,) = full.other_abstracts
    assert (other.abstract_type, other.language) == ("Publisher", "spa")
    assert other.sections[0].text == "Resumen en español."


def test_empty_abstract_is_no_abstract(papers: dict[str, Paper]) -> None:
    notice = papers["90000003"]
    assert notice.abstract_sections == ()
    assert notice.abstract is None


# --- authors ----------------------------------------------------------------------------------


def test_authors_every_affiliation_orcid_suffix(full: Paper) -> None:
    first, second, _group, _invalid = full.authors
    assert (first.last_name, first.fore_name, first.initials, first.suffix) == (
        "Ruiz-Argüelles",
        "Guillermo J",
        "GJ",
        "Jr",
    )
    assert first.orcid == "0000-0002-9335-0653"  # from the https://orcid.org/ form
    assert first.identifiers[0].value == "https://orcid.org/0000-0002-9335-0653"
    assert first.equal_contrib is True
    assert [a.name for a in first.affiliations] == [
        "Centro de Hematología y Medicina Interna, Clínica Ruiz, Puebla, Mexico.",
        "Universidad Popular Autónoma del Estado de Puebla, Puebla, Mexico.",
    ]
    assert [(i.source, i.value) for i in first.affiliations[0].identifiers] == [
        ("GRID", "grid.441122.3")
    ]
    assert first.name == "Guillermo J Ruiz-Argüelles Jr"
    # A whitespace-only <Suffix> (seen in baseline files) is no suffix; spaced ORCID normalised.
    assert second.suffix is None
    assert second.orcid == "0000-0001-5109-358X"
    assert second.affiliations == ()


def test_collective_and_invalid_authors(full: Paper) -> None:
    group, invalid = full.authors[2], full.authors[3]
    assert group.collective_name == "Mexican HSCT Study Group"
    assert group.is_collective
    assert group.last_name is None
    assert group.name == "Mexican HSCT Study Group"
    assert invalid.valid is False
    assert invalid.fore_name is None
    assert invalid.initials == "AA"
    assert full.authors_complete is False
    (investigator,) = full.investigators
    assert investigator.last_name == "Priesca-Marin"
    assert investigator.affiliations[0].name == "Clínica Ruiz, Puebla, Mexico."


@pytest.mark.parametrize(
    ("raw", "orcid"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("000000021825009x", "0000-0002-1825-009X"),
        ("0000-0002-1825-009", None),  # truncated in the source: not an ORCID
    ],
)
def test_orcid_spellings(raw: str, orcid: str | None) -> None:
    xml = _record(
        "<AuthorList><Author><LastName>A</LastName>"
        f'<Identifier Source="ORCID">{raw}</Identifier></Author></AuthorList>'
    )
    author = next(iter_papers(xml)).authors[0]
    assert author.orcid == orcid
    assert author.identifiers[0].value == raw


# --- journal, pages, dates ----------------------------------------------------------------------


def test_journal_volume_issue_pages(full: Paper) -> None:
    j = full.journal
    assert j is not None
    assert (j.title, j.iso_abbreviation, j.issn, j.issn_type) == (
        "Clinical and experimental immunology",
        "Clin Exp Immunol",
        "0009-9104",
        "Print",
    )
    assert (j.nlm_unique_id, j.issn_linking, j.medline_ta, j.country) == (
        "0057202",
        "0009-9104",
        "Clin Exp Immunol",
        "England",
    )
    assert (full.volume, full.issue, full.cited_medium) == ("198", "3 Suppl 1", "Internet")
    assert full.pagination == Pagination("351-8", "351", "358")
    assert full.pages == "351-8"
    assert full.pagination.first_page == "351"
    assert Pagination("1865-76").first_page == "1865"


def test_dates(full: Paper) -> None:
    assert full.pub_date == PubDate(2019, 12, 5)
    assert full.pub_date.text == "2019 Dec 5"
    assert full.year == 2019
    (electronic,) = full.article_dates
    assert (electronic.iso, electronic.date_type) == ("2019-08-19", "Electronic")
    assert full.date_completed is not None
    assert full.date_completed.iso == "2020-01-15"
    assert full.date_revised is not None
    assert full.date_revised.iso == "2023-11-02"
    assert [(d.date_type, d.iso) for d in full.history] == [
        ("received", "2019-03-11"),
        ("accepted", "2019-07-29"),
        ("entrez", "2019-08-09"),
    ]
    assert (full.history[2].hour, full.history[2].minute) == (6, 0)
    assert full.pub_model == "Print-Electronic"
    assert full.publication_status == "ppublish"
    assert full.citation_status == "MEDLINE"


def test_medline_date_and_season(papers: dict[str, Paper]) -> None:
    medline = papers["90000002"].pub_date
    assert medline == PubDate(1977, 1, None, None, "1977 Jan-Feb")
    assert medline.text == "1977 Jan-Feb"
    season = papers["90000003"].pub_date
    assert season == PubDate(1978, None, None, "Winter")
    assert season.text == "1978 Winter"


@pytest.mark.parametrize(
    ("medline_date", "expected"),
    [
        ("1977 Apr 17-21", PubDate(1977, 4, 17)),
        ("1977-1978", PubDate(1977)),
        ("1979-1980 Fall", PubDate(1979, None, None, "Fall")),
        ("1977 Fall-Winter", PubDate(1977, None, None, "Fall")),
        ("1979 Nov-1980 May", PubDate(1979, 11)),
        ("2021 3rd Quarter", PubDate(2021)),
        ("Spring 1990", PubDate(1990)),
    ],
)
def test_medline_date_forms(medline_date: str, expected: PubDate) -> None:
    xml = _record(
        "<Journal><JournalIssue><PubDate>"
        f"<MedlineDate>{medline_date}</MedlineDate>"
        "</PubDate></JournalIssue></Journal>"
    )
    got = next(iter_papers(xml)).pub_date
    assert got == dataclasses.replace(expected, medline_date=medline_date)


def test_numeric_and_named_months() -> None:
    xml = _record(
        "<Journal><JournalIssue><PubDate><Year>2020</Year><Month>06</Month></PubDate>"
        "</JournalIssue></Journal><ArticleDate><Year>2020</Year><Month>Jun</Month></ArticleDate>"
    )
    paper = next(iter_papers(xml))
    assert paper.pub_date == PubDate(2020, 6)
    assert paper.article_dates[0].iso == "2020-06"


# --- classification: languages, types, MeSH, keywords, chemicals -------------------------------


def test_languages_and_publication_types(full: Paper) -> None:
    assert full.languages == ("eng", "spa")
    assert [(t.ui, t.name) for t in full.publication_types] == [
        ("D016428", "Journal Article"),
        ("D052061", "Research Support, N.I.H., Extramural"),
    ]
    assert full.citation_subsets == ("IM",)


def test_mesh_headings(full: Paper) -> None:
    humans, ms, hsct, mexico = full.mesh_headings
    assert (humans.descriptor_ui, humans.descriptor_name, humans.major) == (
        "D006801",
        "Humans",
        False,
    )
    assert humans.qualifiers == ()
    assert not humans.major_topic
    assert [(q.ui, q.name, q.major) for q in ms.qualifiers] == [
        ("Q000628", "therapy", True),
        ("Q000379", "methods", False),
    ]
    assert ms.major is False
    assert ms.major_topic is True
    assert hsct.major is True
    assert mexico.descriptor_type == "Geographic"
    assert full.major_mesh == (ms, hsct)
    (suppl,) = full.supplementary_concepts
    assert (suppl.ui, suppl.concept_type) == ("C536943", "Disease")


def test_keywords_chemicals_grants_databanks(full: Paper) -> None:
    assert [(k.text, k.major, k.owner) for k in full.keywords] == [
        ("autologous transplant", False, "NOTNLM"),
        ("multiple sclerosis", True, "NOTNLM"),
        ("EDSS", False, "NLM"),
    ]
    assert [(c.registry_number, c.ui, c.name) for c in full.chemicals] == [
        ("8N3DW7272P", "D003520", "Cyclophosphamide"),
        (None, "D018941", "Antigens, CD34"),  # registry number "0" means none
    ]
    assert [(g.grant_id, g.acronym, g.agency, g.country) for g in full.grants] == [
        ("R01 AI123456", "AI", "NIAID NIH HHS", "United States"),
        (None, None, "Wellcome Trust", None),
    ]
    assert [(d.name, d.accession_numbers) for d in full.databanks] == [
        ("ClinicalTrials.gov", ("NCT02674217", "NCT03000000")),
        ("GENBANK", ("MT123456",)),
    ]
    assert full.clinical_trial_ids == ("NCT02674217", "NCT03000000")
    assert full.accession_numbers == ("NCT02674217", "NCT03000000", "MT123456")
    assert full.coi_statement == "The authors declare no conflicts."


# --- references, comments, retraction ----------------------------------------------------------


def test_reference_list_with_ids_and_nested_list(full: Paper) -> None:
    first, second, nested = full.references
    assert first.citation == "Burt RK, et al. JAMA. 2019;321:165-74."
    assert (first.pmid, first.doi, first.pmcid) == (
        "30644983",
        "10.1001/jama.2018.18743",
        "PMC6439765",
    )
    assert second.citation == "Muraro PA. Nat Rev Neurol. 2017;13:391. with CD34+."
    assert second.article_ids == ()
    assert second.pmid is None
    assert nested.pmid == "27291994"


def test_comments_corrections(full: Paper) -> None:
    erratum, comment = full.comments_corrections
    assert (erratum.ref_type, erratum.pmid, erratum.pmid_version, erratum.note) == (
        "ErratumIn",
        "90000009",
        1,
        "Author name corrected.",
    )
    assert erratum.ref_source == "Clin Exp Immunol. 2020 Jan;199(1):120"
    assert (comment.ref_type, comment.pmid) == ("CommentIn", None)
    assert full.errata == (erratum,)
    assert not full.retracted
    assert not full.is_retraction_notice


def test_retraction(papers: dict[str, Paper]) -> None:
    retracted, notice = papers["90000002"], papers["90000003"]
    assert retracted.retracted
    assert [c.pmid for c in retracted.retraction_notices] == ["90000003"]
    assert notice.is_retraction_notice
    assert not notice.retracted
    assert notice.comments_corrections[0].ref_type == "RetractionOf"
    # The publication type alone marks a record retracted.
    by_type = dataclasses.replace(retracted, comments_corrections=())
    assert by_type.retracted
    by_link = dataclasses.replace(retracted, publication_types=())
    assert by_link.retracted


# --- books ------------------------------------------------------------------------------------


def test_book_articles(pubmed_dir: Path) -> None:
    chapter, report = iter_papers(pubmed_dir / "book.xml")
    assert chapter.kind == "book"
    assert chapter.pmid == "90000101"
    assert chapter.title == "Cystic Fibrosis"
    assert chapter.journal is None
    book = chapter.book
    assert book is not None
    assert (book.title, book.book_id, book.publisher, book.publisher_location) == (
        "GeneReviews®",
        "gene",
        "University of Washington, Seattle",
        "Seattle (WA)",
    )
    assert [e.last_name for e in book.editors] == ["Adam", "Feldman"]
    assert [a.last_name for a in chapter.authors] == ["Ong"]
    assert chapter.authors[0].affiliations[0].name == "Seattle Children's Hospital"
    assert (book.beginning_date, book.ending_date) == (PubDate(1993), PubDate(2025))
    assert chapter.pub_date == PubDate(1993)
    assert chapter.year == 1993
    assert book.medium == "Internet"
    assert chapter.abstract_sections[1].label == "DIAGNOSIS/TESTING"
    assert chapter.abstract_copyright is not None
    assert [(d.date_type, d.iso) for d in chapter.article_dates] == [("Contribution", "2001-03-26")]
    assert chapter.date_revised is not None
    assert chapter.date_revised.iso == "2024-02-09"
    assert [(a.id_type, a.value) for a in chapter.article_ids] == [
        ("bookaccession", "NBK9001"),
        ("pubmed", "90000101"),
    ]
    assert chapter.history[0].date_type == "pubmed"
    assert chapter.publication_types[0].name == "Review"

    assert report.title == "Screening for anxiety"  # no ArticleTitle: the book's title
    rb = report.book
    assert rb is not None
    assert (rb.volume, rb.volume_title, rb.edition, rb.collection_title) == (
        "2",
        "Evidence tables",
        "2nd",
        "AHRQ Evidence Syntheses",
    )
    assert rb.isbns == ("978-0-00-000000-2",)
    assert rb.report_number == "22-05293-EF-1"
    assert report.doi == "10.23970/AHRQEPC0001"
    assert report.pub_date == PubDate(2022, 6)


# --- update files, sources ---------------------------------------------------------------------


def test_delete_citation_and_versions(pubmed_dir: Path) -> None:
    records = list(iter_pubmed(pubmed_dir / "update.xml"))
    assert isinstance(records[0], Paper)
    assert records[0].pmid_version == 3
    assert records[1:] == [DeletedCitation("90000301", 1), DeletedCitation("90000302", 2)]
    assert [d.pmid for d in iter_deleted(pubmed_dir / "update.xml")] == ["90000301", "90000302"]


class _NoPeek:
    """A binary stream with only read(): no peek, no seek."""

    def __init__(self, data: bytes) -> None:
        self._buffer = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._buffer.read(size)


def test_every_kind_of_source_gives_the_same_records(pubmed_dir: Path, tmp_path: Path) -> None:
    path = pubmed_dir / "articles.xml"
    data = path.read_bytes()
    gz = gzip.compress(data)
    disguised = tmp_path / "articles.xml"  # gzip content under a plain .xml name
    disguised.write_bytes(gz)
    (tmp_path / "articles.xml.gz").write_bytes(gz)
    expected = list(iter_pubmed(path))
    assert len(expected) == 3
    with path.open("rb") as handle:
        assert list(iter_pubmed(handle)) == expected
    assert list(iter_pubmed(str(path))) == expected
    assert list(iter_pubmed(data)) == expected
    assert list(iter_pubmed(gz)) == expected
    assert list(iter_pubmed(disguised)) == expected
    assert list(iter_pubmed(tmp_path / "articles.xml.gz")) == expected
    assert list(iter_pubmed(_NoPeek(data))) == expected  # type: ignore[arg-type]
    assert list(iter_pubmed(_NoPeek(gz))) == expected  # type: ignore[arg-type]
    # Concatenated gzip members are one stream.
    half = data.index(b"<PubmedArticle>", 400)
    two_members = gzip.compress(data[:half]) + gzip.compress(data[half:])
    assert list(iter_pubmed(two_members)) == expected


def test_records_are_frozen_and_hashable(full: Paper) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        full.pmid = "2"  # type: ignore[misc]
    assert hash(full) == hash(dataclasses.replace(full))
    assert Author(last_name="A") == Author("A")


def test_paper_from_element(pubmed_dir: Path) -> None:
    from lxml import etree

    root = etree.parse(str(pubmed_dir / "articles.xml")).getroot()
    assert paper_from_element(root[0]) == next(iter_papers(pubmed_dir / "articles.xml"))
    with pytest.raises(ValueError, match="not a PubMed record"):
        paper_from_element(root)


def test_is_lazy_and_streams() -> None:
    record = _record("<ArticleTitle>T</ArticleTitle>").decode()
    body = record.split("<PubmedArticleSet>")[1].split("</PubmedArticleSet>")[0]
    big = ("<PubmedArticleSet>" + body * 5000 + "</PubmedArticleSet>").encode()

    def chunks() -> Iterator[Paper | DeletedCitation]:
        return iter_pubmed(big)

    it = chunks()
    assert isinstance(next(it), Paper)  # a first record without reading everything
    it.close()
    assert sum(1 for _ in chunks()) == 5000


# --- broken and hostile input -------------------------------------------------------------------


def test_truncated_xml_names_the_position(pubmed_dir: Path) -> None:
    data = (pubmed_dir / "articles.xml").read_bytes()
    cut = data[: data.index(b"<PubmedArticle>", 1000) + 200]
    seen: list[Paper | DeletedCitation] = []
    with pytest.raises(PubmedParseError) as info:
        seen.extend(iter_pubmed(cut))
    assert len(seen) == 1  # the complete record before the cut was yielded
    err = info.value
    assert isinstance(err, ValueError)
    assert err.line is not None
    assert err.line > 1
    assert str(err).startswith(f"<bytes>: line {err.line}, column ")


def test_malformed_xml() -> None:
    with pytest.raises(PubmedParseError, match="line 1, column"):
        list(iter_pubmed(b"<PubmedArticleSet><PubmedArticle></Oops></PubmedArticleSet>"))
    with pytest.raises(PubmedParseError):
        list(iter_pubmed(b""))


def test_truncated_and_damaged_gzip(pubmed_dir: Path, tmp_path: Path) -> None:
    gz = gzip.compress((pubmed_dir / "articles.xml").read_bytes())
    with pytest.raises(PubmedParseError, match="truncated gzip"):
        list(iter_pubmed(gz[: len(gz) // 2]))
    damaged = gz[:40] + bytes(200) + gz[240:]
    with pytest.raises(PubmedParseError, match="gzip"):
        list(iter_pubmed(damaged))
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gz[:100])
    with pytest.raises(PubmedParseError, match=str(path)):
        list(iter_pubmed(path))


def test_not_pubmed_xml() -> None:
    for doc in (
        b"<eFetchResult><ERROR>Empty id list</ERROR></eFetchResult>",
        b"<html><body>Service unavailable</body></html>",
        b"<Other><PubmedArticle><MedlineCitation><PMID>1</PMID></MedlineCitation>"
        b"</PubmedArticle></Other>",
    ):
        with pytest.raises(PubmedParseError, match="not PubMed XML"):
            list(iter_pubmed(doc))
    assert list(iter_pubmed(b"<PubmedArticleSet/>")) == []


def test_missing_file() -> None:
    with pytest.raises(PubmedParseError, match="cannot open"):
        list(iter_pubmed("/nonexistent/pubmed.xml"))


def test_entity_expansion_bomb_is_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b"]>"
        + _record("<ArticleTitle>x&i;y</ArticleTitle>").replace(b"<?xml", b"")
    )
    try:
        papers = list(iter_papers(bomb))
    except PubmedParseError:
        return  # refusing the document is as good as not expanding it
    assert papers[0].title is not None
    assert len(papers[0].title) < 100


def test_external_entity_and_remote_dtd_are_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY title "FROM-DTD">')
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet SYSTEM "{dtd.as_uri()}" ['
        f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
        '<!ENTITY remote SYSTEM "http://127.0.0.1:9/never">]>'
    ).encode() + _record("<ArticleTitle>a&xxe;b&title;c&remote;d</ArticleTitle>")
    try:
        papers = list(iter_papers(doc))
    except PubmedParseError:
        return
    title = papers[0].title or ""
    assert "TOP-SECRET" not in title
    assert "FROM-DTD" not in title
    assert title.startswith("a")
    assert title.endswith("d")


def test_missing_medline_citation_is_a_typed_error() -> None:
    with pytest.raises(PubmedParseError, match="without <MedlineCitation>"):
        list(iter_pubmed(b"<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>"))


# --- real files in ../shared --------------------------------------------------------------------


def test_every_efetch_file(shared: Path) -> None:
    files = sorted((shared / "pubmed" / "efetch").glob("*.xml"))
    assert files
    for path in files:
        papers = list(iter_papers(path))
        assert papers, path
        for paper in papers:
            assert paper.pmid.isdigit()
            assert paper.title
            assert paper.journal is not None
            assert paper.journal.title


def test_efetch_details(shared: Path) -> None:
    (paper,) = iter_papers(shared / "pubmed" / "efetch" / "pubmed-29768149.xml")
    assert paper.doi == "10.1056/NEJMoa1715274"
    assert paper.journal is not None
    assert paper.journal.iso_abbreviation == "N Engl J Med"
    assert paper.abstract_sections[0].label == "BACKGROUND"
    assert "β 2-agonist" in paper.abstract_sections[0].text  # the file's own line break
    math = next(iter_papers(shared / "pubmed" / "efetch" / "pubmed6.xml"))
    # Pretty-printed MathML for V-dot-O2max reads as its symbols, without layout spaces.
    assert math.abstract is not None
    assert "maximal oxygen uptake ( V.O2max )" in math.abstract


def test_reconstructed_records(shared: Path) -> None:
    folder = shared / "pubmed" / "reconstructed"
    assert sorted(p.name for p in folder.glob("*.xml")) == [
        "pubmed-21197107.xml",
        "pubmed-31394007.xml",
    ]
    (a,) = iter_papers(folder / "pubmed-31394007.xml")
    assert (a.pmid, a.doi, a.pmcid) == ("31394007", "10.1111/cei.13358", "PMC6857075")
    assert a.title is not None
    assert a.title.startswith("Self-reported changes")
    assert a.journal is not None
    assert a.journal.iso_abbreviation == "Clin Exp Immunol"
    assert (a.volume, a.issue, a.pages) == ("198", "3", "351-358")
    assert a.pub_date == PubDate(2019, 12)
    (b,) = iter_papers(folder / "pubmed-21197107.xml")
    assert (b.pmid, b.doi, b.pmcid) == ("21197107", "10.4061/2011/164608", "PMC3010615")
    assert b.title
    assert b.authors
    assert b.abstract


@pytest.mark.slow
def test_baseline_file_counts(shared: Path) -> None:
    path = shared / "pubmed" / "bulk" / "pubmed20n0014.xml.gz"
    records = with_abstract = with_mesh = 0
    for record in iter_pubmed(path):
        records += 1
        assert isinstance(record, Paper)  # a baseline file deletes nothing
        with_abstract += record.abstract is not None
        with_mesh += bool(record.mesh_headings)
    assert (records, with_abstract, with_mesh) == (30_000, 14_832, 29_998)


@pytest.mark.slow
def test_update_file_counts_and_deletions(shared: Path) -> None:
    path = shared / "pubmed" / "bulk" / "pubmed21n1298.xml.gz"
    papers: list[Paper] = []
    deleted: list[DeletedCitation] = []
    for record in iter_pubmed(path):
        if isinstance(record, Paper):
            papers.append(record)
        else:
            deleted.append(record)
    assert len(papers) == 20_788
    # Versioned citations (e.g. F1000Research) come once per version in the same file: PMID
    # 30271887 as versions 1 to 4. (PMID, version) is unique, the PMID alone is not.
    assert len({(p.pmid, p.pmid_version) for p in papers}) == 20_788
    assert len({p.pmid for p in papers}) == 20_783
    assert [p.pmid_version for p in papers if p.pmid == "30271887"] == [1, 2, 3, 4]
    assert len(deleted) == 20
    assert deleted[0] == DeletedCitation("31688362", 1)
    assert deleted[-1] == DeletedCitation("34096142", 1)
    assert not {p.pmid for p in papers} & {d.pmid for d in deleted}
