"""Evidence: study-design strength, sentence matching, support, and inferred ties on seed 000."""

from pathlib import Path

import pytest

from pipelines.claims.evidence import (
    DEFAULT_THRESHOLD,
    MAX_INFERRED,
    STRENGTH_RANK,
    WordWeights,
    abstract_sentences,
    assess_support,
    cited_evidence,
    content_words,
    design_from_abstract,
    evidence_strength,
    infer_evidence,
    match_claim,
    paper_strength,
)
from pipelines.claims.records import Argument, Claim, PaperText, Polarity, Sentence

OXIDATIVE = PaperText(
    pmid="1",
    title="Oxidative damage in multiple sclerosis and a cell therapy approach.",
    abstract=(
        "BACKGROUND: Disability in multiple sclerosis (MS) remains a problem.\n"
        "RESULTS: Inflammation and oxidative stress within the central nervous system cause "
        "ongoing tissue damage in MS. Mesenchymal stem cells have antioxidant properties and "
        "reduce oxidative damage in MS models."
    ),
    publication_types=("Journal Article", "Review"),
)
TRANSPLANT = PaperText(
    pmid="2",
    title="Autologous transplants in patients with multiple sclerosis.",
    abstract=(
        "Autologous hematopoietic stem cell transplantation resets the immune system in MS. "
        "We transplanted 412 consecutive patients with MS in our center. "
        "No deaths were attributable to the transplant."
    ),
    publication_types=("Journal Article",),
)
NEGATIVE = PaperText(
    pmid="3",
    title="A trial of mesenchymal stem cells in multiple sclerosis.",
    abstract="Mesenchymal stem cells did not reduce oxidative damage in patients with MS.",
    publication_types=("Randomized Controlled Trial",),
)


def claim(text: str, polarity: Polarity = "positive") -> Claim:
    return Claim(
        sentence=Sentence(0, len(text), text),
        subject=Argument("mesenchymal stem cells", ("CL:0000134",)),
        predicate="reduces",
        predicate_text="reduce",
        object=Argument("oxidative damage", ("GO:0006979",)),
        polarity=polarity,
        certainty="hedged",
    )


# --- strength -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("types", "label"),
    [
        (["Journal Article", "Meta-Analysis", "Systematic Review"], "meta-analysis"),
        (["Systematic Review", "Review"], "systematic-review"),
        (["Clinical Trial, Phase III", "Randomized Controlled Trial"], "randomized-trial"),
        (["Clinical Trial, Phase III"], "trial"),
        (["Controlled Clinical Trial"], "trial"),
        (["Pragmatic Clinical Trial"], "trial"),
        (["Clinical Trial"], "trial"),
        (["Observational Study"], "observational"),
        (["Journal Article", "Comparative Study", "Multicenter Study"], "observational"),
        (["Validation Study"], "observational"),
        (["Review", "Journal Article"], "review"),
        (["Scoping Review"], "review"),
        (["Case Reports", "Review"], "case-report"),
        (["Journal Article"], "other"),
        (["Editorial"], "other"),
        (["Letter", "Comment"], "other"),
        ([], "other"),
        (["journal article", "REVIEW"], "review"),
    ],
)
def test_strength_from_publication_types(types: list[str], label: str) -> None:
    assert evidence_strength(types, retracted=False) == (label, STRENGTH_RANK[label])


def test_retraction_trumps_every_design() -> None:
    assert evidence_strength(["Meta-Analysis"], retracted=True) == ("retracted", 0)
    assert evidence_strength(["Retracted Publication", "Randomized Controlled Trial"], False) == (
        "retracted",
        0,
    )
    assert min(STRENGTH_RANK.values()) == STRENGTH_RANK["retracted"] == 0


def test_ranks_follow_the_evidence_pyramid() -> None:
    order = sorted(STRENGTH_RANK, key=STRENGTH_RANK.__getitem__)
    assert order == [
        "retracted",
        "other",
        "review",
        "case-report",
        "observational",
        "trial",
        "randomized-trial",
        "systematic-review",
        "meta-analysis",
    ]


def test_design_inferred_from_the_abstract_says_so() -> None:
    assert design_from_abstract("Outcomes: real-world data from a single center", "") == (
        "observational"
    )
    assert design_from_abstract("A retrospective cohort study", "") == "observational"
    assert design_from_abstract("Stem cells reduce oxidative damage", "In mice.") is None
    assert paper_strength(TRANSPLANT) == ("observational (inferred from abstract)", 4)
    # Typed papers keep their type, and an editorial is not read as a study.
    assert paper_strength(OXIDATIVE) == ("review", 2)
    editorial = PaperText("9", "Real-world data from a single center", "", ("Editorial",))
    assert paper_strength(editorial) == ("other", 1)


# --- sentences and words --------------------------------------------------------------------


def test_abstract_sentences_start_with_the_title_and_drop_section_labels() -> None:
    assert abstract_sentences(OXIDATIVE) == [
        "Oxidative damage in multiple sclerosis and a cell therapy approach.",
        "Disability in multiple sclerosis (MS) remains a problem.",
        "Inflammation and oxidative stress within the central nervous system cause ongoing "
        "tissue damage in MS.",
        "Mesenchymal stem cells have antioxidant properties and reduce oxidative damage in MS "
        "models.",
    ]
    assert abstract_sentences(PaperText("4", "", "")) == []
    labelled = PaperText("5", " T. ", "Methods: We counted: cells.\nCONCLUSIONS: Fewer.")
    assert abstract_sentences(labelled) == ["T.", "We counted: cells.", "Fewer."]


def test_content_words_fold_abbreviations_and_inflections() -> None:
    assert content_words("MS") == content_words("multiple sclerosis") == ["ms"]
    assert content_words("the CNS") == content_words("central nervous system")
    assert content_words("MSCs") == content_words("mesenchymal stem cells")
    assert content_words("reduces") == content_words("reduced") == content_words("reduce")
    assert content_words("Research shows that it is not") == []


# --- matching -------------------------------------------------------------------------------


def test_best_sentence_is_the_one_saying_the_claim() -> None:
    text = "Mesenchymal stem cells can reduce the oxidative damage caused by MS."
    score, sentence = match_claim(text, ("CL:0000134",), OXIDATIVE)
    assert sentence.startswith("Mesenchymal stem cells have antioxidant properties")
    assert 0 < score <= 1


def test_the_disease_name_alone_is_no_match() -> None:
    weights = WordWeights.of([OXIDATIVE, TRANSPLANT])
    text = "Common symptoms of MS include vision troubles, numbness and fatigue."
    for paper in (OXIDATIVE, TRANSPLANT):
        score, _ = match_claim(text, (), paper, weights=weights)
        assert score < DEFAULT_THRESHOLD


def test_rarer_shared_words_decide() -> None:
    weights = WordWeights.of([OXIDATIVE, TRANSPLANT])
    text = "Hematopoietic stem cells could reset the immune system in MS."
    reset = match_claim(text, (), TRANSPLANT, weights=weights)
    other = match_claim(text, (), OXIDATIVE, weights=weights)
    assert reset[1].startswith("Autologous hematopoietic stem cell transplantation resets")
    assert reset[0] >= DEFAULT_THRESHOLD > other[0]


def test_empty_claim_or_paper_scores_zero() -> None:
    assert match_claim("", (), OXIDATIVE)[0] == 0.0
    assert match_claim("Stem cells reduce damage.", (), PaperText("6", "", "")) == (0.0, "")


# --- support --------------------------------------------------------------------------------


def test_negated_sentence_contradicts_a_positive_claim() -> None:
    assert assess_support("positive", "MSCs did not reduce damage.", 0.9) == "contradicts"
    assert assess_support("positive", "MSCs failed to reduce damage.", 0.9) == "contradicts"
    assert assess_support("positive", "There was a lack of effect.", 0.9) == "contradicts"
    assert assess_support("positive", "MSCs reduced damage.", 0.9) == "supports"
    assert assess_support("negative", "MSCs did not reduce damage.", 0.9) == "supports"
    assert assess_support("negative", "MSCs reduced damage.", 0.9) == "contradicts"


def test_support_threshold() -> None:
    assert assess_support("positive", "MSCs reduced damage.", DEFAULT_THRESHOLD) == "supports"
    below = DEFAULT_THRESHOLD - 0.01
    assert assess_support("positive", "MSCs did not reduce damage.", below) == "unrelated"
    assert assess_support("positive", "x", 0.5, threshold=0.6) == "unrelated"


# --- evidence -------------------------------------------------------------------------------


def test_inferred_evidence_keeps_papers_above_the_threshold_best_first() -> None:
    text = "Mesenchymal stem cells can reduce the oxidative damage caused by MS."
    papers = [(0, TRANSPLANT), (1, OXIDATIVE), (2, NEGATIVE)]
    found = infer_evidence(claim(text), papers)
    assert {e.pmid for e in found} == {"1", "3"}  # not the transplant paper
    assert all(e.inferred for e in found)
    assert found[0].score >= found[1].score >= DEFAULT_THRESHOLD
    by_pmid = {e.pmid: e for e in found}
    assert by_pmid["3"].support == "contradicts"
    assert by_pmid["3"].strength == "randomized-trial"
    assert by_pmid["1"].support == "supports"
    assert by_pmid["1"].sentence.startswith("Mesenchymal stem cells have antioxidant")
    assert by_pmid["1"].reference_position == 1
    assert len(infer_evidence(claim(text), papers, threshold=0.0)) == MAX_INFERRED
    assert infer_evidence(claim(text), papers, threshold=1.01) == []
    assert infer_evidence(claim(text), []) == []


def test_cited_evidence_keeps_every_cited_paper() -> None:
    text = "Mesenchymal stem cells can reduce the oxidative damage caused by MS [1, 2]."
    found = cited_evidence(claim(text), [(4, OXIDATIVE), (7, TRANSPLANT)])
    assert [(e.pmid, e.reference_position, e.inferred) for e in found] == [
        ("1", 4, False),
        ("2", 7, False),
    ]
    assert found[0].support == "supports"
    assert found[1].support == "unrelated"
    assert found[1].strength == "observational (inferred from abstract)"


# --- seed 000 -------------------------------------------------------------------------------

WITHERICK, RUIZ = "21197107", "31394007"
SEED_TIES = {
    "Research shows that oxidative stress and inflammation in the central nervous system are "
    "the primary causes of continued tissue damage in MS.": WITHERICK,
    "The latest scientific study reveals that mesenchymal stem cells can reduce the oxidative "
    "damage caused by MS.": WITHERICK,
    "Furthermore, another type of stem cells called hematopoietic could reset the body’s "
    "immune system.": RUIZ,
    "A clinical trial conducted of 617 MS patients showed promising results.": RUIZ,
}
SEED_UNTIED = (
    "Some of the most common symptoms of MS include vision troubles, numbness, fatigue, and "
    "weakness.",
    "The exact cause of MS remains unknown.",
    "Unfortunately, there is no known cure for MS as of yet.",
    "Multiple sclerosis is an unpredictable disease of the central nervous system in which the "
    "body’s immune system begins to target healthy brain cells.",
    "But scientists believe that it may involve genetic susceptibility, environmental factors, "
    "and anomalies of the immune system.",
    "Myelin is the protective, fatty substance that insulates the nerve fibers.",
)


@pytest.fixture(scope="module")
def seed_papers(shared: Path) -> list[tuple[int, PaperText]]:
    from pipelines.pubmed.parse import iter_pubmed

    out = []
    for position, pmid in enumerate((RUIZ, WITHERICK)):
        (paper,) = iter_pubmed(shared / "pubmed" / "reconstructed" / f"pubmed-{pmid}.xml")
        text = PaperText(
            pmid=paper.pmid,
            title=paper.title or "",
            abstract=paper.abstract or "",
            publication_types=tuple(t.name for t in paper.publication_types),
            retracted=paper.retracted,
        )
        out.append((position, text))
    return out


@pytest.mark.shared
def test_seed_000_claims_tie_to_the_paper_that_says_them(
    shared: Path, seed_papers: list[tuple[int, PaperText]]
) -> None:
    article = next((shared / "corpus" / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    by_pmid = {paper.pmid: paper for _, paper in seed_papers}
    for text, pmid in SEED_TIES.items():
        assert text in article
        found = infer_evidence(claim(text), seed_papers)
        assert [e.pmid for e in found] == [pmid], text
        assert found[0].inferred
        assert found[0].support == "supports"
        assert found[0].sentence in abstract_sentences(by_pmid[pmid])
    for text in SEED_UNTIED:
        assert text in article
        assert infer_evidence(claim(text), seed_papers) == [], text


@pytest.mark.shared
def test_seed_000_strengths(seed_papers: list[tuple[int, PaperText]]) -> None:
    strengths = {paper.pmid: paper_strength(paper) for _, paper in seed_papers}
    assert strengths[WITHERICK] == ("review", 2)
    # PubMed types 31394007 "Journal Article" only; the design comes from its title.
    assert strengths[RUIZ] == ("observational (inferred from abstract)", 4)
    assert all(rank < STRENGTH_RANK["randomized-trial"] for _, rank in strengths.values())
