"""Reference strings in the common styles parse into their fields."""

import pytest

from pipelines.citations.parse import MAX_PARSE_CHARS, parse_reference

NLM = (
    "Ruiz-Argüelles GJ, Olivares-Gazca JC, Olivares-Gazca M, Leon-Peña AA, Murrieta-Alvarez I, "
    "Cantero-Fortiz Y, Gomez-Cruz GB, Ruiz-Argüelles A, Priesca-Marin M, Ruiz-Delgado GJ. "
    "Self-reported changes in the expanded disability status scale score in patients with "
    "multiple sclerosis after autologous stem cell transplants: real-world data from a single "
    "center. Clin Exp Immunol. 2019 Dec;198(3):351-358. doi: 10.1111/cei.13358. Epub 2019 Aug "
    "19. PMID: 31394007; PMCID: PMC6857075."
)
APA = (
    "Witherick, J., Wilkins, A., Scolding, N., & Kemp, K. (2010). Mechanisms of oxidative damage "
    "in multiple sclerosis and a cell therapy approach to treatment. Autoimmune diseases, 2011, "
    "164608."
)


def test_seed_nlm_reference() -> None:
    ref = parse_reference(NLM)
    assert ref.pmid == "31394007"
    assert ref.doi == "10.1111/cei.13358"
    assert ref.pmcid == "PMC6857075"
    assert ref.container == "Clin Exp Immunol"
    assert (ref.year, ref.volume, ref.issue, ref.pages) == (2019, "198", "3", ("351", "358"))
    assert len(ref.authors) == 10
    assert ref.authors[0] == ("Ruiz-Argüelles", "GJ")
    assert ref.authors[-1] == ("Ruiz-Delgado", "GJ")
    assert ref.title is not None
    assert ref.title.startswith("Self-reported changes")
    assert ref.title.endswith("single center")
    assert ref.style == "vancouver"


def test_seed_apa_reference() -> None:
    ref = parse_reference(APA)
    assert [a[0] for a in ref.authors] == ["Witherick", "Wilkins", "Scolding", "Kemp"]
    assert ref.year == 2010
    assert ref.title == (
        "Mechanisms of oxidative damage in multiple sclerosis and a cell therapy approach to "
        "treatment"
    )
    assert ref.container == "Autoimmune diseases"
    assert ref.volume == "2011"
    assert ref.article_number == "164608"
    assert ref.pages is None
    assert ref.style == "apa"
    assert ref.confidence > 0.7


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Still, I. H., Hamilton, M. & Vince, P. Cloning of TACC1. Oncogene 18, 4032–4038 "
            "(1999).",
            {
                "first": "Still",
                "n": 3,
                "year": 1999,
                "title": "Cloning of TACC1",
                "container": "Oncogene",
                "volume": "18",
                "pages": ("4032", "4038"),
                "style": "nature",
            },
        ),
        (
            "Still IH, Vince P, Cowell JK. The third member. J. Biol. Chem. 1999;58:165-70.",
            {
                "first": "Still",
                "n": 3,
                "year": 1999,
                "title": "The third member",
                "container": "J. Biol. Chem",
                "volume": "58",
                "pages": ("165", "170"),
            },
        ),
        (
            'Smith, John, and Mary Jones. "Cell fate." Nature Reviews, vol. 12, no. 3, 2019, '
            "pp. 1-10.",
            {
                "first": "Smith",
                "n": 2,
                "year": 2019,
                "title": "Cell fate",
                "container": "Nature Reviews",
                "volume": "12",
                "pages": ("1", "10"),
                "style": "mla",
            },
        ),
        (
            'Lee, L. L., W. E. Howard, and R. E. Marsh. "Acquired tolerance." Journal of '
            "Wildlife 14, no. 2 (1990): 87–90.",
            {
                "first": "Lee",
                "n": 3,
                "year": 1990,
                "title": "Acquired tolerance",
                "container": "Journal of Wildlife",
                "volume": "14",
                "pages": ("87", "90"),
                "style": "chicago",
            },
        ),
        (
            "Bishop, A.L. and Avery, S.V. (2007) 'Phenotypic heterogeneity can enhance "
            "rare-cell survival', Mol Microbiol, 63(2), pp. 507–520.",
            {
                "first": "Bishop",
                "n": 2,
                "year": 2007,
                "title": "Phenotypic heterogeneity can enhance rare-cell survival",
                "container": "Mol Microbiol",
                "volume": "63",
                "pages": ("507", "520"),
            },
        ),
        (
            "Smith JA, Jones B. Stem cells in MS. JAMA. 2020;323(4):e201234. doi:10.1001/x.1",
            {
                "first": "Smith",
                "n": 2,
                "year": 2020,
                "container": "JAMA",
                "volume": "323",
                "style": "ama",
            },
        ),
        (
            "Swanepoel R, Coetzer JAW (2004) Rift Valley fever. In: Coetzer JAW, Tustin RC, "
            "eds. Infectious diseases of livestock. Southern Africa: Oxford University Press. "
            "pp 1037–1070.",
            {
                "first": "Swanepoel",
                "n": 2,
                "year": 2004,
                "title": "Rift Valley fever",
                "container": "Infectious diseases of livestock",
                "pages": ("1037", "1070"),
            },
        ),
        (
            "World Health Organization. Multiple sclerosis atlas. Geneva: WHO; 2008.",
            {
                "first": "World Health Organization",
                "n": 1,
                "year": 2008,
                "title": "Multiple sclerosis atlas",
            },
        ),
    ],
)
def test_styles(raw: str, expected: dict[str, object]) -> None:
    ref = parse_reference(raw)
    assert ref.first_author == expected["first"]
    assert len(ref.authors) == expected["n"]
    for name in ("year", "title", "container", "volume", "pages", "style"):
        if name in expected:
            assert getattr(ref, name) == expected[name], name


def test_label_html_entities_and_short_last_page() -> None:
    ref = parse_reference("[12] Brown&nbsp;T, Green&amp;Co A. A title. Gut. 1995;36:1477-81.")
    assert ref.number == 12
    assert ref.pages == ("1477", "1481")
    assert ref.container == "Gut"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "2019",
        "Figure 1",
        "((((((((((",
        "10.1/",
        "和田 太郎. 多発性硬化症. 医学. 2019;1:1-2.",
        "Иванов И. И. Заголовок. Журнал. 2010;5:10-20.",
    ],
)
def test_odd_input_never_raises(raw: str) -> None:
    ref = parse_reference(raw)
    assert ref.raw == raw


def test_huge_input_is_bounded() -> None:
    # Only MAX_PARSE_CHARS are parsed, so a megabyte costs the same as a long reference.
    raw = "Smith J, " * 120_000 + "Title. J. 2019;1:1-2."
    ref = parse_reference(raw)
    assert ref.raw == raw
    assert len(ref.authors) <= MAX_PARSE_CHARS
