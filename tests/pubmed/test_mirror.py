"""The local PubMed mirror: indexing, versions, deletions, lookups and candidate search."""

import gzip
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import pipelines.pubmed.mirror as mirror_module
from pipelines.errors import PipelineError
from pipelines.pubmed import DeletedCitation, Paper, iter_papers, iter_pubmed
from pipelines.pubmed.mirror import (
    DB_NAME,
    InvalidIdentifierError,
    Mirror,
    MirrorError,
    MirrorFormatError,
    MirrorNotFoundError,
    normalize_doi,
    normalize_journal,
    normalize_name,
    normalize_pmcid,
    normalize_text,
    title_words,
)

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "mirror"
BASELINE = HERE / "baseline.xml"
UPDATE = HERE / "update.xml"
OLDER = HERE / "older.xml"
TRUNCATED = HERE / "truncated.xml"
NOT_PUBMED = HERE / "not-pubmed.xml"


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[Mirror]:
    with Mirror.open(tmp_path / "mirror", create=True) as m:
        yield m


@pytest.fixture
def indexed(mirror: Mirror) -> Mirror:
    report = mirror.index([BASELINE])
    assert report.ok, report
    return mirror


def _pmids(papers: list[Paper]) -> list[str]:
    return [p.pmid for p in papers]


def _synthetic(path: Path, first: int, count: int, version: int = 1) -> Path:
    """A file of `count` records, large enough together to give the mirror its dictionary."""
    parts = [b"<PubmedArticleSet>"]
    for pmid in range(first, first + count):
        parts.append(
            f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
            f'<PMID Version="{version}">{pmid}</PMID><Article PubModel="Print"><Journal>'
            f"<JournalIssue><Volume>{pmid % 50}</Volume><PubDate><Year>{2000 + pmid % 20}</Year>"
            f"</PubDate></JournalIssue><Title>Journal of synthetic results</Title>"
            f"<ISOAbbreviation>J Synth Res</ISOAbbreviation></Journal>"
            f"<ArticleTitle>Synthetic study number {pmid} of remyelination in mice.</ArticleTitle>"
            f"<Pagination><MedlinePgn>{pmid}-{pmid + 9}</MedlinePgn></Pagination>"
            f"<Abstract><AbstractText>Abstract of record {pmid}, version {version}, with "
            f"enough words to make the record look like a real one.</AbstractText></Abstract>"
            f'<AuthorList><Author ValidYN="Y"><LastName>Author{pmid % 7}</LastName>'
            f"<Initials>X</Initials></Author></AuthorList></Article></MedlineCitation>"
            f'<PubmedData><ArticleIdList><ArticleId IdType="doi">10.5555/synth.{pmid}</ArticleId>'
            f"</ArticleIdList></PubmedData></PubmedArticle>\n".encode()
        )
    parts.append(b"</PubmedArticleSet>\n")
    path.write_bytes(b"".join(parts))
    return path


# ---------------------------------------------------------------------------------------------
# Normalisation


def test_normalisation() -> None:
    assert normalize_text("  Élan   vital: T-cells (CD4+)!  ") == "elan vital t cells cd4"
    assert normalize_text("Straße") == "strasse"
    assert normalize_name("Van-Der Berg") == normalize_name("van der Berg") == "vanderberg"
    assert normalize_name("Müller") == "muller"
    assert normalize_journal("J. Neurol. Sci.") == "j neurol sci"
    assert normalize_doi("https://doi.org/10.1111/CEI.13358") == "10.1111/cei.13358"
    assert normalize_doi("doi: 10.4061/2011/164608") == "10.4061/2011/164608"
    assert normalize_doi("http://dx.doi.org/10.1/X") == "10.1/x"
    assert normalize_doi("not a doi") is None
    assert normalize_pmcid("pmc3010615") == normalize_pmcid("3010615") == "PMC3010615"
    assert normalize_pmcid("PMCX") is None
    assert title_words("The role of T cells in MS, and of B cells") == ["role", "cells", "ms"]


# ---------------------------------------------------------------------------------------------
# Opening


def test_open_missing_mirror_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MirrorNotFoundError):
        Mirror.open(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()
    assert issubclass(MirrorNotFoundError, MirrorError)
    assert issubclass(MirrorError, PipelineError)


def test_open_rejects_a_database_that_is_not_a_mirror(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.execute("CREATE TABLE other (x)")
    db.commit()
    db.close()
    with pytest.raises(MirrorFormatError, match="not a mirror"):
        Mirror.open(tmp_path)


def test_open_rejects_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(MirrorFormatError):
        Mirror.open(tmp_path)


def test_mirror_persists_across_opens(tmp_path: Path) -> None:
    with Mirror.open(tmp_path / "m", create=True) as m:
        m.index([BASELINE])
    with Mirror.open(tmp_path / "m") as m:
        paper = m.by_pmid("1001")
        assert paper is not None
        assert paper.title == "Mesenchymal stem cells for multiple sclerosis: a phase II trial."
        assert len(m) == 5


# ---------------------------------------------------------------------------------------------
# Indexing


def test_index_reports_and_stores_every_record(mirror: Mirror) -> None:
    report = mirror.index([BASELINE])
    assert report.ok
    assert (report.indexed, report.skipped, report.failed) == (1, 0, 0)
    [file] = report.files
    assert (file.status, file.records, file.written, file.stale) == ("indexed", 5, 5, 0)
    assert file.sha256 is not None
    assert len(file.sha256) == 64
    assert list(mirror.pmids()) == ["1001", "1002", "1003", "1005", "1006"]
    stats = mirror.stats()
    assert (stats.records, stats.books, stats.with_doi, stats.with_pmcid) == (5, 1, 2, 1)
    assert stats.files == 1
    assert stats.size_bytes > 0


def test_lookups_return_the_same_paper_as_the_parser(indexed: Mirror) -> None:
    for paper in iter_papers(BASELINE):
        assert indexed.by_pmid(paper.pmid) == paper
        assert indexed.by_pmid(int(paper.pmid)) == paper
    book = indexed.by_pmid("1005")
    assert book is not None
    assert book.kind == "book"


def test_stored_xml_is_the_record_element(indexed: Mirror) -> None:
    xml = indexed.xml("1001")
    assert xml is not None
    assert xml.startswith(b"<PubmedArticle>")
    assert xml.endswith(b"</PubmedArticle>")
    assert "Müller".encode() in xml
    assert indexed.xml("424242") is None


def test_gzip_files_index_like_plain_ones(mirror: Mirror, tmp_path: Path) -> None:
    packed = tmp_path / "baseline.xml.gz"
    packed.write_bytes(gzip.compress(BASELINE.read_bytes()))
    report = mirror.index([packed])
    assert report.ok
    assert report.records == 5
    assert mirror.by_pmid("1003") == next(p for p in iter_papers(BASELINE) if p.pmid == "1003")


def test_newer_version_replaces_and_delete_citation_removes(indexed: Mirror) -> None:
    report = indexed.index([UPDATE])
    [file] = report.files
    assert (file.records, file.deletions, file.removed) == (4, 2, 1)
    # 1007 version 1 comes after version 2 in the file: it is read, but not stored.
    assert (file.written, file.stale) == (3, 1)

    newer = indexed.by_pmid("1001")
    assert newer is not None
    assert newer.pmid_version == 2
    assert (
        newer.title == "Mesenchymal stem cells for multiple sclerosis: a phase II trial, revised."
    )
    corrected = indexed.by_pmid("1002")  # same version, later file: the later record wins
    assert corrected is not None
    assert corrected.volume == "401"
    kept = indexed.by_pmid("1007")
    assert kept is not None
    assert (kept.pmid_version, kept.title) == (2, "Astrocytes second version.")

    assert indexed.by_pmid("1003") is None
    assert "1003" not in indexed
    assert indexed.is_deleted("1003")
    assert indexed.is_deleted("9999")  # deleted before the mirror ever held it
    assert not indexed.is_deleted("1001")
    assert indexed.by_title("Élan vital: remyelination revisited.") == []
    assert indexed.candidate_pmids(title="Elan vital remyelination revisited") == []
    assert indexed.stats().deleted == 2


def test_older_version_in_a_later_file_does_not_replace(indexed: Mirror) -> None:
    indexed.index([UPDATE])
    report = indexed.index([OLDER])
    [file] = report.files
    assert (file.records, file.written, file.stale) == (2, 1, 1)
    paper = indexed.by_pmid("1001")
    assert paper is not None
    assert paper.pmid_version == 2
    # A deleted PMID that a later file brings back is in the mirror again.
    assert indexed.by_pmid("1003") is not None
    assert not indexed.is_deleted("1003")


def test_title_search_follows_replacements(indexed: Mirror) -> None:
    indexed.index([UPDATE])
    assert _pmids(indexed.by_title("phase II trial, revised", year=None)) == []
    revised = indexed.by_title(
        "mesenchymal stem cells for multiple sclerosis a phase ii trial revised"
    )
    assert _pmids(revised) == ["1001"]
    assert (
        indexed.by_title("Mesenchymal stem cells for multiple sclerosis: a phase II trial.") == []
    )
    ranked = indexed.candidate_pmids(title="mesenchymal stem cells multiple sclerosis revised")
    assert ranked[0][0] == "1001"


def test_reindexing_the_same_file_is_skipped(indexed: Mirror, tmp_path: Path) -> None:
    again = indexed.index([BASELINE])
    assert (again.indexed, again.skipped) == (0, 1)
    assert "already indexed" in again.files[0].messages[0]
    # Same content under another name and time is the same file.
    copy = tmp_path / "copy.xml"
    shutil.copyfile(BASELINE, copy)
    assert indexed.index([copy]).skipped == 1
    forced = indexed.index([BASELINE], force=True)
    assert forced.indexed == 1
    assert forced.files[0].written == 5
    assert indexed.stats().files == 2


def test_a_bad_file_is_reported_and_the_others_still_index(mirror: Mirror, tmp_path: Path) -> None:
    broken_gz = tmp_path / "broken.xml.gz"
    broken_gz.write_bytes(gzip.compress(UPDATE.read_bytes())[:-40])
    missing = tmp_path / "missing.xml"
    seen: list[str] = []
    report = mirror.index(
        [TRUNCATED, BASELINE, NOT_PUBMED, broken_gz, missing],
        progress=lambda r: seen.append(r.status),
    )
    assert seen == ["failed", "indexed", "failed", "failed", "failed"]
    assert (report.indexed, report.failed) == (1, 4)
    by_name = {Path(f.path).name: f for f in report.files}
    assert (by_name["truncated.xml"].error or "").startswith("line 5, column 1: ")
    assert "not PubMed XML" in (by_name["not-pubmed.xml"].error or "")
    assert "damaged gzip stream" in (by_name["broken.xml.gz"].error or "")
    assert "cannot read" in (by_name["missing.xml"].error or "")
    # Nothing of a failed file is kept, not even the records read before the fault.
    assert mirror.by_pmid("2001") is None
    assert mirror.by_pmid("1007") is None
    assert len(mirror) == 5
    assert mirror.stats().files == 1


def test_an_interrupted_file_leaves_the_mirror_as_it_was(
    mirror: Mirror, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror.index([BASELINE])
    big = _synthetic(tmp_path / "big.xml", 5000, 300)
    real = mirror_module.paper_from_element
    calls = Counter[str]()

    def dies_midway(element: object) -> Paper:
        calls["n"] += 1
        if calls["n"] == 250:
            raise KeyboardInterrupt  # as good as a kill for the transaction
        return real(element)  # type: ignore[arg-type]

    monkeypatch.setattr(mirror_module, "_BATCH", 100)  # some batches are written before
    monkeypatch.setattr(mirror_module, "paper_from_element", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        mirror.index([big])
    monkeypatch.setattr(mirror_module, "paper_from_element", real)
    assert len(mirror) == 5
    assert mirror.by_pmid("5000") is None
    assert mirror.stats().files == 1
    report = mirror.index([big])  # running again completes the work
    assert report.indexed == 1
    assert len(mirror) == 305


def test_records_compress_with_the_mirror_dictionary(mirror: Mirror, tmp_path: Path) -> None:
    first = _synthetic(tmp_path / "a.xml", 1, 200)
    second = _synthetic(tmp_path / "b.xml", 150, 100, version=2)
    assert mirror.index([first, second]).ok
    expected = {p.pmid: p for p in iter_papers(first)}
    expected.update({p.pmid: p for p in iter_papers(second)})
    assert len(mirror) == len(expected) == 249
    for pmid, paper in expected.items():
        assert mirror.by_pmid(pmid) == paper
    db = sqlite3.connect(mirror.db_path)
    codecs = dict(db.execute("SELECT codec, count(*) FROM papers GROUP BY codec").fetchall())
    raw, packed = db.execute(
        "SELECT sum(length(xml)), (SELECT length(value) FROM meta WHERE key='zdict') FROM papers"
    ).fetchone()
    db.close()
    assert codecs == {1: 249}
    assert packed == 32 * 1024
    assert raw < sum(len(mirror.xml(p) or b"") for p in expected) / 5


def test_two_handles_on_one_mirror_see_each_others_work(tmp_path: Path) -> None:
    with (
        Mirror.open(tmp_path / "m", create=True) as writer,
        Mirror.open(tmp_path / "m") as reader,
        Mirror.open(tmp_path / "m") as other_writer,
    ):
        assert writer.index([_synthetic(tmp_path / "a.xml", 1, 200)]).ok
        assert reader.by_pmid("7") == writer.by_pmid("7")
        assert other_writer.index([_synthetic(tmp_path / "b.xml", 300, 200)]).ok
        assert writer.by_pmid("350") == reader.by_pmid("350") is not None


def test_unexpanded_entities_are_dropped_as_the_parser_drops_them(
    mirror: Mirror, tmp_path: Path
) -> None:
    source = tmp_path / "entities.xml"
    source.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;">]><PubmedArticleSet><PubmedArticle><MedlineCitation>'
        b"<PMID>5</PMID><Article><ArticleTitle>X &b; Y &amp; Z &#233;</ArticleTitle></Article>"
        b"</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    assert mirror.index([source]).ok
    [paper] = iter_papers(source)
    assert mirror.by_pmid("5") == paper
    assert b"aaaa" not in (mirror.xml("5") or b"")


def test_a_directory_stands_for_its_xml_files(mirror: Mirror, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copyfile(BASELINE, folder / "a.xml")
    shutil.copyfile(UPDATE, folder / "b.xml")
    (folder / "notes.txt").write_text("ignored")
    report = mirror.index([folder])
    assert [Path(f.path).name for f in report.files] == ["a.xml", "b.xml"]
    assert mirror.is_deleted("1003")


# ---------------------------------------------------------------------------------------------
# Lookups


def test_lookup_by_identifiers(indexed: Mirror) -> None:
    for doi in ("10.1177/1352458518000001", "https://doi.org/10.1177/1352458518000001"):
        paper = indexed.by_doi(doi)
        assert paper is not None
        assert paper.pmid == "1001"
    # Stored upper-case in the record, found in any case.
    paper = indexed.by_doi("10.1016/j.jns.2018.01.001")
    assert paper is not None
    assert paper.pmid == "1002"
    for pmcid in ("PMC6000001", "pmc6000001", "6000001"):
        paper = indexed.by_pmcid(pmcid)
        assert paper is not None
        assert paper.pmid == "1001"
    assert indexed.pmid_for_doi("DOI:10.1177/1352458518000001") == "1001"
    assert indexed.pmid_for_pmcid("6000001") == "1001"
    assert indexed.ids("1001") == ("10.1177/1352458518000001", "PMC6000001")
    assert indexed.ids("1003") == (None, None)
    assert indexed.ids("424242") is None
    assert indexed.pmid_for_doi("10.9999/none") is None
    assert indexed.by_doi("10.9999/none") is None
    assert indexed.by_pmcid("PMC1") is None
    assert indexed.by_pmid("424242") is None


@pytest.mark.parametrize(
    ("call", "value"),
    [("by_pmid", "abc"), ("by_pmid", "0"), ("by_doi", "nonsense"), ("by_pmcid", "PMC")],
)
def test_malformed_identifiers_are_errors_not_misses(
    indexed: Mirror, call: str, value: str
) -> None:
    with pytest.raises(InvalidIdentifierError):
        getattr(indexed, call)(value)


def test_lookup_by_exact_title(indexed: Mirror) -> None:
    assert _pmids(indexed.by_title("ELAN VITAL -- remyelination, revisited")) == ["1003"]
    both = indexed.by_title("Oxidative stress in demyelinating disease")
    assert _pmids(both) == ["1002", "1006"]
    assert _pmids(indexed.by_title("oxidative stress in demyelinating disease.", year=2020)) == [
        "1006"
    ]
    assert indexed.by_title("Oxidative stress") == []
    assert indexed.by_title("   ") == []


def test_candidates_by_title_with_a_typo(indexed: Mirror) -> None:
    found = indexed.candidates(title="Mesenchymal stem cels for multiple sclerosis, phase 2 trial")
    assert found
    assert found[0].pmid == "1001"
    ranked = indexed.candidate_pmids(title="oxidative stress in demyelinating diseases", year=2020)
    assert [pmid for pmid, _ in ranked[:2]] == ["1006", "1002"]


def test_candidates_by_citation_fields(indexed: Mirror) -> None:
    # Journal abbreviation, volume and first page, as in an ECitMatch query.
    ranked = indexed.candidate_pmids(journal="Mult. Scler.", volume="25", first_page="1234")
    assert ranked[0][0] == "1001"
    # First author and year, the year one off (print against electronic publication).
    ranked = indexed.candidate_pmids(first_author="Muller", year=2020)
    assert [pmid for pmid, _ in ranked] == ["1001"]
    # Full journal title, a wrong volume: still found through the other fields.
    ranked = indexed.candidate_pmids(
        first_author="O’Brien",
        journal="Journal of the Neurological Sciences",
        volume="999",
        first_page="1",
        year=2018,
    )
    assert ranked[0][0] == "1002"
    # One field alone still finds records when it is selective.
    assert [pmid for pmid, _ in indexed.candidate_pmids(first_author="dupont")] == ["1003"]
    # Year or volume alone would match too much: nothing is proposed.
    assert indexed.candidate_pmids(year=2019) == []
    assert indexed.candidate_pmids() == []
    assert indexed.candidate_pmids(title="Mesenchymal", limit=0) == []


def test_candidates_combine_title_and_fields(indexed: Mirror) -> None:
    found = indexed.candidates(
        title="Oxidative stress in demyelinating disease", first_author="Tanaka", year=2020
    )
    assert _pmids(found)[:2] == ["1006", "1002"]
    assert len(indexed.candidates(title="disease", limit=1)) == 1


# ---------------------------------------------------------------------------------------------
# Real records from ../shared

SEED_PAPERS = {
    "31394007": ("10.1111/cei.13358", "PMC6857075"),
    "21197107": ("10.4061/2011/164608", "PMC3010615"),
}


@pytest.mark.shared
def test_reconstructed_records(shared: Path, mirror: Mirror) -> None:
    folder = shared / "pubmed" / "reconstructed"
    report = mirror.index([folder])
    assert report.ok
    assert report.indexed == len(list(folder.glob("*.xml")))
    originals = {p.pmid: p for f in sorted(folder.glob("*.xml")) for p in iter_papers(f)}
    for pmid, (doi, pmcid) in SEED_PAPERS.items():
        paper = originals[pmid]
        assert mirror.by_pmid(pmid) == paper
        assert mirror.by_doi(doi) == paper
        assert mirror.by_doi(f"https://doi.org/{doi.upper()}") == paper
        assert mirror.by_pmcid(pmcid) == paper
        assert paper.title is not None
        assert mirror.by_title(paper.title, year=paper.year) == [paper]
        assert mirror.candidates(title=paper.title.upper().rstrip("."))[0] == paper
        first = paper.authors[0].last_name
        assert first is not None
        assert mirror.candidate_pmids(first_author=first, year=paper.year)[0][0] == pmid


@pytest.mark.shared
@pytest.mark.slow
def test_bulk_files(shared: Path, tmp_path: Path) -> None:
    bulk = shared / "pubmed" / "bulk"
    baseline, update = bulk / "pubmed20n0014.xml.gz", bulk / "pubmed21n1298.xml.gz"
    versions: dict[str, int] = {}
    deleted: list[str] = []
    for path in (baseline, update):
        for record in iter_pubmed(path):
            if isinstance(record, DeletedCitation):
                deleted.append(record.pmid)
            else:
                versions[record.pmid] = max(versions.get(record.pmid, 0), record.pmid_version)
    with Mirror.open(tmp_path / "bulk", create=True) as m:
        report = m.index([baseline, update])
        assert report.ok, report.errors
        assert report.records == 50_788
        assert [f.records for f in report.files] == [30_000, 20_788]
        assert report.deletions == len(deleted) == 20
        expected = set(versions) - set(deleted)
        assert len(m) == len(expected)
        assert set(m.pmids()) == expected
        for pmid in deleted:
            assert m.by_pmid(pmid) is None
            assert m.is_deleted(pmid)
        latest = m.by_pmid("30271887")
        assert latest is not None
        assert latest.pmid_version == 4 == versions["30271887"]
        stats = m.stats()
        assert stats.deleted == 20
        assert stats.files == 2
        # Every record comes back as the parser reads it (a sample of the baseline).
        for i, paper in enumerate(iter_papers(baseline)):
            if i % 997 == 0 and paper.pmid not in deleted and versions[paper.pmid] == 1:
                stored = m.by_pmid(paper.pmid)
                assert stored is not None
                assert stored.title == paper.title
                assert stored.authors == paper.authors
                if paper.doi:
                    found = m.by_doi(paper.doi)
                    assert found is not None
                    assert found.doi is not None
                    assert found.doi.lower() == paper.doi.lower()
        assert m.index([baseline, update]).skipped == 2
