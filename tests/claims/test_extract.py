"""Claim extraction on hand-made sentences and mentions (no ontology files needed)."""

import re

from pipelines.claims.cues import certainty, quantities
from pipelines.claims.extract import extract_claims
from pipelines.claims.records import Claim
from pipelines.claims.sentences import split_sentences
from pipelines.entities.records import EntityType, Mention

LEXICON: dict[str, tuple[EntityType, str]] = {
    "multiple sclerosis": ("disease", "MONDO:0005301"),
    "MS": ("disease", "MONDO:0005301"),
    "stem cell therapy": ("intervention", "MESH:D033581"),
    "HSCT": ("intervention", "MESH:D018380"),
    "mesenchymal stem cells": ("cell_type", "CL:0000134"),
    "MSCs": ("cell_type", "CL:0000134"),
    "stem cells": ("cell_type", "CL:0000034"),
    "oxidative damage": ("mechanism", "GO:0006979"),
    "oxidative stress": ("mechanism", "GO:0006979"),
    "inflammation": ("mechanism", "GO:0006954"),
    "anti-inflammatory": ("mechanism", "GO:0006954"),
    "central nervous system": ("anatomy", "UBERON:0001017"),
    "regulate the immune system": ("mechanism", "MESH:D056747"),
    "bone marrow": ("anatomy", "UBERON:0002371"),
    "neurons": ("cell_type", "CL:0000540"),
    "oligodendrocytes": ("cell_type", "CL:0000128"),
    "taxol": ("drug", "MESH:D017239"),
}


def mentions_of(text: str) -> list[Mention]:
    """Longest-first dictionary hits over LEXICON, like the real matcher but tiny."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(LEXICON, key=len, reverse=True):
        etype, cid = LEXICON[name]
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            if name == "MS" and m.group(0) != "MS":
                continue
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Mention(m.start(), m.end(), m.group(0), etype, (cid,), name, 1.0, "t"))
    return sorted(found, key=lambda m: m.start)


def claims(text: str) -> list[Claim]:
    return extract_claims(text, mentions_of(text))


def triples(text: str) -> set[tuple[str, str, str, str, str]]:
    return {
        (
            c.subject.ids[0] if c.subject and c.subject.ids else "-",
            c.predicate,
            c.object.ids[0] if c.object.ids else c.object.text,
            c.polarity,
            c.certainty,
        )
        for c in claims(text)
    }


def test_sentences_keep_offsets_and_split_headings_and_list_items() -> None:
    text = (
        "Stem Cell Therapy for MS\n\nDr. Smith et al. found 2.5 mg works.\n- first item\n- second"
    )
    found = split_sentences(text)
    assert [s.text for s in found] == [
        "Stem Cell Therapy for MS",
        "Dr. Smith et al. found 2.5 mg works.",
        "first item",
        "second",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_hedged_active_claim_with_its_cue() -> None:
    [claim] = claims("Mesenchymal stem cells can reduce the oxidative damage.")
    assert (claim.subject and claim.subject.ids) == ("CL:0000134",)
    assert claim.predicate == "reduces"
    assert claim.object.ids == ("GO:0006979",)
    assert (claim.polarity, claim.certainty) == ("positive", "hedged")
    assert "can" in claim.cues


def test_negated_cure_and_a_cure_with_no_subject() -> None:
    assert triples("Stem cell therapy is not a cure for multiple sclerosis.") == {
        ("MESH:D033581", "cures", "MONDO:0005301", "negative", "asserted")
    }
    assert triples("Unfortunately, there is no known cure for MS as of yet.") == {
        ("-", "cures", "MONDO:0005301", "negative", "asserted")
    }


def test_strong_certainty_and_the_disease_anaphor() -> None:
    text = (
        "Multiple sclerosis is a disease of the central nervous system. "
        "Stem cell therapy has proven to be an effective treatment to slow down the "
        "progression of this disorder."
    )
    found = [c for c in claims(text) if c.predicate == "treats"]
    assert len(found) == 1
    assert found[0].certainty == "strong"
    assert found[0].object.implied
    assert found[0].object.ids == ("MONDO:0005301",)


def test_coordination_modifier_and_passive() -> None:
    text = (
        "Research shows that oxidative stress and inflammation in the central nervous "
        "system are the primary causes of continued tissue damage in MS. "
        "MSCs reduce the oxidative damage caused by MS."
    )
    got = triples(text)
    assert ("GO:0006979", "causes", "MONDO:0005301", "positive", "asserted") in got
    assert ("GO:0006954", "causes", "MONDO:0005301", "positive", "asserted") in got
    # the place is a modifier, not a cause
    assert not any(s == "UBERON:0001017" for s, *_ in got)
    # "damage caused by MS": passive, MS is the subject
    assert ("MONDO:0005301", "causes", "GO:0006979", "positive", "asserted") in got
    assert ("CL:0000134", "reduces", "GO:0006979", "positive", "asserted") in got


def test_verb_phrase_mention_and_cell_anaphor() -> None:
    text = "MSCs are adult cells. These cells regulate the immune system."
    assert ("CL:0000134", "regulates", "MESH:D056747", "positive", "asserted") in triples(text)


def test_differentiation_over_a_list() -> None:
    text = "Stem cells can differentiate into neurons, oligodendrocytes, and bone marrow."
    got = {(s, p, o) for s, p, o, *_ in triples(text)}
    assert ("CL:0000034", "differentiatesInto", "CL:0000540") in got
    assert ("CL:0000034", "differentiatesInto", "CL:0000128") in got


def test_low_chance_of_success_denies_treatment() -> None:
    text = (
        "As per the studies conducted on the effect of stem cell therapy on MS, "
        "the chances of successful results are very low."
    )
    assert ("MESH:D033581", "treats", "MONDO:0005301", "negative", "asserted") in triples(text)


def test_questions_headings_and_bylines_are_not_claims() -> None:
    assert claims("Can stem cell therapy cure multiple sclerosis?") == []
    assert claims("Stem Cell Therapy for MS") == []
    assert claims("This post was written by a clinic. Stem cell therapy treats MS.") == []


def test_no_claim_without_two_arguments_of_fitting_types() -> None:
    # the central nervous system cannot be "treated" as a disease
    assert claims("Stem cell therapy treats the central nervous system.") == []
    assert claims("Patients were treated with care.") == []


def test_certainty_scale_and_quantities() -> None:
    assert certainty("it is hypothesised that X might help")[0] == "speculative"
    assert certainty("X may reduce Y")[0] == "hedged"
    assert certainty("X has been proven to reduce Y")[0] == "strong"
    assert certainty("X reduces Y")[0] == "asserted"
    assert certainty("a trial showed promising results")[0] == "asserted"
    found = quantities("A trial of 617 MS patients (n = 617): 78% improved after 12 months.")
    assert [(q.kind, q.value, q.unit) for q in found] == [
        ("patients", 617.0, "patients"),
        ("patients", 617.0, "patients"),
        ("percentage", 78.0, "percent"),
        ("duration", 12.0, "month"),
    ]


def test_extraction_is_deterministic_and_offsets_point_into_the_text() -> None:
    text = "MSCs reduce inflammation. HSCT may reduce MS progression."
    first, second = claims(text), claims(text)
    assert first == second
    for claim in first:
        assert text[claim.sentence.start : claim.sentence.end] == claim.sentence.text
        for arg in (claim.subject, claim.object):
            assert arg is not None
            assert text[arg.start : arg.end] == arg.text


def test_an_ungrounded_side_is_read_as_a_short_noun_phrase() -> None:
    [claim] = claims("Taxol significantly decreased proliferation of neural cells in vitro.")
    assert claim.subject is not None
    assert claim.subject.ids == ("MESH:D017239",)
    assert (claim.predicate, claim.object.text, claim.object.ids) == (
        "reduces",
        "proliferation of neural cells",
        (),
    )
    # both sides ungrounded: no claim
    assert claims("Exercise decreased fatigue.") == []


def test_nouns_and_compounds_are_not_relation_verbs() -> None:
    assert claims("The exact cause of MS remains unknown.") == []
    assert claims("Taxol-treated multiple sclerosis patients were seen.") == []


def test_anti_effects_reduce_their_process() -> None:
    found = claims("MSCs have anti-inflammatory effects.")
    assert [(c.predicate, c.object.ids) for c in found] == [("reduces", ("GO:0006954",))]
