"""Reference sections, lone reference lines, list splitting and inline markers."""

from pathlib import Path

import pytest

from pipelines.citations import extract as extract_module
from pipelines.citations.extract import extract_citations
from pipelines.citations.parse import parse_reference
from pipelines.citations.records import Reference, Span

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "citations"


def test_numbered_section_with_markers() -> None:
    text = (FIXTURES / "numbered-article.md").read_text(encoding="utf-8")
    found = extract_citations(text)
    assert len(found.sections) == 1
    refs = found.references
    assert [r.number for r in refs] == [1, 2, 3]
    assert refs[0].doi == "10.4061/2011/164608"  # repaired across the line break
    assert refs[0].pmid == "21197107"
    assert refs[2].pmid == "28621766"
    assert refs[1].et_al
    for ref in refs:
        assert ref.span is not None
        assert text[ref.span[0] : ref.span[1]] == ref.raw
    assert "Acknowledgements" not in refs[-1].raw
    kinds = [(m.text, m.kind, m.numbers, m.references) for m in found.markers]
    assert kinds == [
        ("[1]", "numeric", (1,), (0,)),
        ("[2-3]", "range", (2, 3), (1, 2)),
        ("[1, 3]", "numeric", (1, 3), (0, 2)),
    ]


def test_author_year_markers_link_to_references() -> None:
    text = (FIXTURES / "author-year.txt").read_text(encoding="utf-8")
    found = extract_citations(text)
    assert [r.first_author for r in found.references] == ["Lee", "Smith", "Witherick"]
    assert found.references[1].doi == "10.1016/j.celrep.2019.01.001"
    markers = [(m.cites, m.references) for m in found.markers]
    assert ((("Witherick", "2011"), ("Lee", "2020")), (2, 0)) in markers
    assert ((("Smith", "2019"),), (1,)) in markers


def test_run_together_numbered_list_is_split() -> None:
    line = " ".join(
        f"{i}. Author{chr(65 + i)} B. Title number {i}. J Test. 20{10 + i};{i}:{i}-{i + 9}."
        for i in range(1, 6)
    )
    found = extract_citations("Text.\n\nReferences\n" + line + "\n")
    assert [r.number for r in found.references] == [1, 2, 3, 4, 5]
    assert [r.year for r in found.references] == [2011, 2012, 2013, 2014, 2015]


@pytest.mark.parametrize(
    "heading", ["REFERENCES", "## Bibliography", "Works Cited:", "Literature cited", "Sources"]
)
def test_headings_and_one_per_line_lists(heading: str) -> None:
    text = (
        "Some prose about stem cells.\n\n"
        f"{heading}\n"
        "- Smith J, Lee K. Cells and myelin. Brain. 2018;141(2):100-110.\n"
        "- Jones, A. (2017). Stem cells. Nature Medicine, 23(1), 1-9.\n"
    )
    found = extract_citations(text)
    assert [r.first_author for r in found.references] == ["Smith", "Jones"]


def test_bare_identifier_lines_are_references() -> None:
    text = "Read more:\nhttps://pubmed.ncbi.nlm.nih.gov/31394007/\nPMID: 21197107\n"
    found = extract_citations(text)
    assert [r.pmid for r in found.references] == ["31394007", "21197107"]


def test_numbers_that_are_not_citations() -> None:
    text = (
        "A trial of 617 patients in 2019 (n = 617) reported 78 % at 12 months (p < 0.05).\n"
        "See Figure 1, Table 2 and [Image Credit: clinic]. Cells grew 2.5-fold in 10 m² dishes.\n"
        "In 2020 (Smithers 2021) the clinic opened; call 555-0199 between 9-5.\n"
        "Dr. Smith, MD (2019). Our clinic. Open daily.\n"
    )
    found = extract_citations(text)
    assert found.references == ()
    assert all(m.kind == "author_year" and m.references == () for m in found.markers)


def test_seed_000_has_exactly_its_two_references(shared: Path) -> None:
    path = next((shared / "corpus" / "seeds").glob("000_*.txt"))
    text = path.read_text(encoding="utf-8")
    found = extract_citations(text)
    assert len(found.references) == 2
    nlm, apa = found.references
    assert (nlm.pmid, nlm.doi, nlm.pmcid) == ("31394007", "10.1111/cei.13358", "PMC6857075")
    assert (nlm.container, nlm.year, nlm.volume, nlm.issue) == (
        "Clin Exp Immunol",
        2019,
        "198",
        "3",
    )
    assert nlm.pages == ("351", "358")
    assert [a[0] for a in apa.authors] == ["Witherick", "Wilkins", "Scolding", "Kemp"]
    assert (apa.year, apa.container, apa.volume) == (2010, "Autoimmune diseases", "2011")
    assert apa.article_number == "164608"
    assert apa.title == (
        "Mechanisms of oxidative damage in multiple sclerosis and a cell therapy approach to "
        "treatment"
    )
    for ref in found.references:
        assert ref.span is not None
        assert text[ref.span[0] : ref.span[1]] == ref.raw
    assert found.markers == ()


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_seeds_without_references(shared: Path, prefix: str) -> None:
    path = next((shared / "corpus" / "seeds").glob(f"{prefix}_*.txt"))
    found = extract_citations(path.read_text(encoding="utf-8"))
    assert found.references == ()
    assert found.markers == ()


def _entry(i: int) -> str:
    return f"{i}. Author{i % 26} AB, Other CD. Title {i} of a study. J Test. 2010;{i}:1-9.\n"


class _CountingParse:
    """Counts calls to the parser: work is measured by operations, not wall-clock time."""

    def __init__(self) -> None:
        self.calls = 0
        self.chars = 0

    def __call__(
        self, raw: str, *, span: Span | None = None, position: int = 0, number: int | None = None
    ) -> Reference:
        self.calls += 1
        self.chars += len(raw)
        return _REAL_PARSE(raw, span=span, position=position, number=number)


_REAL_PARSE = parse_reference


def test_ten_thousand_entries_scale_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    counts = []
    for size in (1000, 10_000):
        counter = _CountingParse()
        monkeypatch.setattr(extract_module, "parse_reference", counter)
        text = "References\n" + "".join(_entry(i) for i in range(1, size + 1))
        found = extract_citations(text)
        assert len(found.references) == size
        counts.append(counter.chars / len(text))
    # Parsed characters per input character stay flat as the list grows tenfold.
    assert counts[1] <= counts[0] * 1.5


def test_megabyte_line_and_noise_do_not_crash() -> None:
    noisy = (
        "[1] " * 50_000
        + "(Smith et al., 2019 " * 10_000
        + "10.1000/" * 20_000
        + "&amp;&#x3b2;&nbsp;" * 5_000
        + "日本語のテキスト Ελληνικά кириллица " * 5_000
    )
    found = extract_citations(noisy)
    assert isinstance(found.references, tuple)
    one_line = "Smith J. Title. J Test. 2010;1:1-9. " * 30_000  # ~1 MB, no newline
    found = extract_citations("References\n" + one_line)
    assert len(found.references) <= 1


def test_unicode_superscripts_only_with_a_numbered_list() -> None:
    body = "Stem cells repair myelin¹,³ in mice. Plates of 10 m² were used.\n\n"
    refs = "References\n" + "".join(_entry(i) for i in range(1, 4))
    with_list = extract_citations(body + refs)
    supers = [m for m in with_list.markers if m.kind == "superscript"]
    assert [(m.numbers, m.references) for m in supers] == [((1, 3), (0, 2))]
    assert extract_citations(body).markers == ()
