"""Normalisation: folded text keeps offsets; names expand to the spellings people write."""

import pytest

from pipelines.entities.abbreviations import find_definitions
from pipelines.entities.normalise import fold, is_short_form, key, uninvert, variants


@pytest.mark.parametrize(
    "text", ["Multiple Sclerosis (MS)", "TNF-α and İstanbul", "Crohn’s disease", "a\tb\nc", ""]
)
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_variants_cover_plurals_hyphens_greek_and_british_spellings() -> None:
    assert {"tumor", "tumors", "tumour", "tumours"} <= variants("tumor")
    assert "haematopoietic stem cells" in variants("hematopoietic stem cell")
    assert "nonhodgkin lymphoma" in variants("non-Hodgkin lymphoma")
    assert "tnf alpha" in variants("TNF-α")
    assert "tnf α" in variants("TNF alpha")
    assert "multiple sclerosis" in variants("Multiple Sclerosis")
    assert "multiple sclerosi" not in variants("multiple sclerosis")
    assert "therapies" in variants("therapy")


def test_keys_and_mesh_inversion() -> None:
    assert key("  Stem-Cell   Therapy ") == "stem cell therapy"
    assert uninvert("Sclerosis, Multiple") == "Multiple Sclerosis"
    assert uninvert("A, B, C") == "A, B, C"


def test_short_forms_are_acronyms() -> None:
    assert is_short_form("MS")
    assert is_short_form("IL-6")
    assert is_short_form("MSCs")
    assert not is_short_form("Ms")
    assert not is_short_form("multiple sclerosis")


def test_definitions_bind_short_to_long_forms() -> None:
    text = (
        "Patients with relapsing-remitting MS (RRMS) and central nervous system (CNS) lesions; "
        "mass spectrometry (MS) was used (see below) and (p < 0.05)."
    )
    pairs = {(d.short, d.long) for d in find_definitions(text)}
    assert pairs == {
        ("RRMS", "relapsing-remitting MS"),
        ("CNS", "central nervous system"),
        ("MS", "mass spectrometry"),
    }
    first = find_definitions(text)[0]
    assert text[first.long_start : first.long_end] == first.long
    assert text[first.short_start : first.short_end] == first.short
