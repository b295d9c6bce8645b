"""Identifiers printed in text: DOIs (with repairs), PMIDs, PMCIDs, NCT numbers, URLs."""

import pytest

from pipelines.citations.identifiers import find_dois, find_identifiers, normalize_doi


def values(text: str, kind: str) -> list[str]:
    return [i.value for i in find_identifiers(text) if i.kind == kind]


def test_nlm_tail_gives_doi_pmid_and_pmcid_with_spans() -> None:
    text = "doi: 10.1111/cei.13358. Epub 2019 Aug 19. PMID: 31394007; PMCID: PMC6857075."
    found = {i.kind: i for i in find_identifiers(text)}
    assert found["doi"].value == "10.1111/cei.13358"
    assert text[slice(*found["doi"].span)] == "doi: 10.1111/cei.13358"
    assert found["pmid"].value == "31394007"
    assert found["pmcid"].value == "PMC6857075"
    assert text[slice(*found["pmcid"].span)] == "PMCID: PMC6857075"


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("https://doi.org/10.1016/S0888-7543(02)00039-3).", "10.1016/s0888-7543(02)00039-3"),
        ("(doi:10.1038/nrmicro1460)", "10.1038/nrmicro1460"),
        ("http://dx.doi.org/10.4061/2011/164608,", "10.4061/2011/164608"),
        ("doi:10.1371/journal.pone.\n0000217", "10.1371/journal.pone.0000217"),
        ("10.1000/abc-\ndef.", "10.1000/abc-def"),
        ("DOI 10. 1111/ cei.13358", "10.1111/cei.13358"),
        ("10.1000%2Fxyz", "10.1000/xyz"),
    ],
)
def test_doi_repairs(text: str, doi: str) -> None:
    assert values(text, "doi") == [doi]


def test_doi_at_end_of_entry_does_not_swallow_the_next_entry() -> None:
    assert values("1. A. Cell. doi:10.1000/x.\n2. Smith J. Next.", "doi") == ["10.1000/x"]
    assert values("doi: 10.1111/cei.13358. Epub 2019", "doi") == ["10.1111/cei.13358"]


def test_pubmed_and_pmc_urls() -> None:
    text = (
        "https://pubmed.ncbi.nlm.nih.gov/31394007/ and "
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3010615/ and "
        "http://www.ncbi.nlm.nih.gov/pubmed/21197107"
    )
    assert values(text, "pmid") == ["31394007", "21197107"]
    assert values(text, "pmcid") == ["PMC3010615"]
    assert len(values(text, "url")) == 3


def test_nct_and_plain_numbers() -> None:
    assert values("registered as NCT01234567.", "nct") == ["NCT01234567"]
    assert find_identifiers("617 patients in 2019, 78 % at 12 months") == []


def test_normalize_doi() -> None:
    assert normalize_doi("https://doi.org/10.1111/CEI.13358.") == "10.1111/cei.13358"


def test_long_noise_is_linear() -> None:
    # A megabyte of DOI-looking noise must finish; count work, not time.
    text = "10.1000/" + "a. " * 300_000
    assert len(find_dois(text)) == 1
