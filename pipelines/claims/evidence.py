"""Evidence behind a claim: which cited paper says the same thing, how well, and how strong it is.

Pure: takes records, returns records, touches no file or network.

**Strength.** `evidence_strength` reads the study design off PubMed publication type names
(matched without regard to case); a paper with several types takes its strongest. The ranks,
higher is stronger, follow the usual evidence pyramid, with a narrative review placed with
expert opinion (it summarises without a stated method)::

    0 retracted          retracted, or typed "Retracted Publication", whatever else it is
    1 other              Journal Article only, Editorial, Letter, Comment, notices, protocols ...
    2 review             Review, Scoping Review
    3 case-report        Case Reports
    4 observational      Observational Study, Comparative/Multicenter/Evaluation/Validation Study
    5 trial              Clinical Trial, its phases, Controlled/Pragmatic/Adaptive Clinical Trial
    6 randomized-trial   Randomized Controlled Trial (a Phase III/IV trial counts only when it
                         is also typed Randomized Controlled Trial: the phase alone says nothing
                         of randomisation)
    7 systematic-review  Systematic Review
    8 meta-analysis      Meta-Analysis, Network Meta-Analysis

PubMed types many observational papers "Journal Article" only (PMID 31394007, "real-world data
from a single center", is one). `design_from_abstract` spots such designs from a few words of
the title and abstract, and `paper_strength` uses it only when the types say nothing about the
design, with a label that says so: ``"observational (inferred from abstract)"``.

**Matching.** A claim sentence and a paper sentence (its title or one abstract sentence) are
reduced to content words: camelCase split, lower-cased, split at anything not a letter or
digit; "multiple sclerosis" and "central nervous system" made one word each ("ms", "cns", so a
disease named everywhere counts once, not twice) and MSC(s), HSC(s), HSCT expanded to their
words; a few British spellings folded; stop words and reporting words ("shows", "study", ...)
dropped; lightly stemmed (plural -s/-es/-ies, -ing, -ed, -ation/-tion, a final -e).

Each word t weighs how rare it is among the candidate papers: with N sentences (titles and
abstract sentences) in P papers, df(t) of the sentences and pf(t) of the papers holding it::

    w(t) = ln((N + 1) / (df(t) + 0.5)) * (1 + ln(P / max(pf(t), 1)))

so a word in most sentences (the disease name) or in every candidate paper counts little, and
a word found in one paper only counts more. With C the claim's words and S the sentence's::

    words   = sum(w(t) for t in C & S) / sum(w(t) for t in C)
    phrases = the same over adjacent word pairs ("oxidative damage", "immune system"), a pair
              weighing the sum of its two words' weights (0 when the claim has no pair)
    score   = (words + PHRASE_BONUS * phrases * (1 - words)) * (1 - BREADTH_BASE ** |C & S|)

`words` is how much of the claim, by weight, the sentence repeats; `phrases` is a bonus for
shared concepts, multi-word names that loose words would not show; the last factor (0.5, 0.75,
0.875, ... for 1, 2, 3, ... shared words) keeps a sentence that shares one or two rare words
from passing for one that says the same thing. Scores are relative to the candidate pool:
the same claim and paper score differently among other papers.

**Support.** At or above the threshold the sentence supports the claim unless exactly one of
them is negated (the claim by its polarity; the sentence by a cue: not, no, nor, never,
cannot, -n't, without, neither, failed to, lack of, ...), in which case it contradicts it;
below the threshold it is unrelated. The cues are blunt: "there have been no deaths" reads as
a negated sentence.
"""

import itertools
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from syntok import segmenter  # type: ignore[import-untyped, unused-ignore]

from pipelines.claims.records import Claim, Evidence, PaperText, Support

__all__ = [
    "BREADTH_BASE",
    "DEFAULT_THRESHOLD",
    "INFERRED_FROM_ABSTRACT",
    "MAX_INFERRED",
    "PHRASE_BONUS",
    "STRENGTH_RANK",
    "WordWeights",
    "abstract_sentences",
    "assess_support",
    "cited_evidence",
    "content_words",
    "design_from_abstract",
    "evidence_strength",
    "infer_evidence",
    "is_negated",
    "match_claim",
    "paper_strength",
]

# Calibrated on seed 000 against its two references (tests/claims/test_evidence.py): the four
# sentences seeds-expected.md ties score 0.265-0.722 against the right paper, 0.043-0.141
# against the other; no sentence that should tie to neither scores above 0.203.
DEFAULT_THRESHOLD = 0.25
MAX_INFERRED = 2
PHRASE_BONUS = 0.2
BREADTH_BASE = 0.5

STRENGTH_RANK: dict[str, int] = {
    "retracted": 0,
    "other": 1,
    "review": 2,
    "case-report": 3,
    "observational": 4,
    "trial": 5,
    "randomized-trial": 6,
    "systematic-review": 7,
    "meta-analysis": 8,
}
INFERRED_FROM_ABSTRACT = " (inferred from abstract)"

_DESIGNS: dict[str, str] = {
    "meta-analysis": "meta-analysis",
    "network meta-analysis": "meta-analysis",
    "systematic review": "systematic-review",
    "randomized controlled trial": "randomized-trial",
    "randomized controlled trial, veterinary": "randomized-trial",
    "clinical trial": "trial",
    "clinical trial, phase i": "trial",
    "clinical trial, phase ii": "trial",
    "clinical trial, phase iii": "trial",
    "clinical trial, phase iv": "trial",
    "clinical trial, veterinary": "trial",
    "controlled clinical trial": "trial",
    "pragmatic clinical trial": "trial",
    "adaptive clinical trial": "trial",
    "equivalence trial": "trial",
    "observational study": "observational",
    "observational study, veterinary": "observational",
    "comparative study": "observational",
    "multicenter study": "observational",
    "evaluation study": "observational",
    "validation study": "observational",
    "twin study": "observational",
    "review": "review",
    "scoping review": "review",
    "case reports": "case-report",
}
_RETRACTED_TYPE = "retracted publication"
# Types that say a paper is no study report, so no design is read into its abstract.
_NOT_STUDIES = frozenset(
    {
        "editorial",
        "letter",
        "comment",
        "news",
        "newspaper article",
        "interview",
        "lecture",
        "biography",
        "historical article",
        "published erratum",
        "retraction of publication",
        "expression of concern",
        "guideline",
        "practice guideline",
        "clinical trial protocol",
    }
)

# Words of a title or abstract that name an observational design.
_OBSERVATIONAL_CUES = re.compile(
    r"\b(?:single[- ]cent(?:er|re)|real[- ]world|retrospective(?:ly)?"
    r"|cohort stud(?:y|ies)|case[- ]control|cross[- ]sectional|registry|consecutive patients)\b",
    re.IGNORECASE,
)


def evidence_strength(publication_types: Sequence[str], retracted: bool) -> tuple[str, int]:
    """The study design behind a paper and its rank, from PubMed publication type names.

    >>> evidence_strength(["Journal Article", "Review"], False)
    ('review', 2)
    >>> evidence_strength(["Randomized Controlled Trial"], True)
    ('retracted', 0)
    """
    names = {name.strip().lower() for name in publication_types}
    if retracted or _RETRACTED_TYPE in names:
        return "retracted", STRENGTH_RANK["retracted"]
    designs = [_DESIGNS[name] for name in names if name in _DESIGNS]
    best = max(designs, key=STRENGTH_RANK.__getitem__, default="other")
    return best, STRENGTH_RANK[best]


def design_from_abstract(title: str, abstract: str) -> str | None:
    """The design a title and abstract name in words, when the types do not: "observational"
    for single centre, real-world data, retrospective, cohort study, case-control,
    cross-sectional, registry or consecutive patients; else None. A hint, not a typing.

    >>> design_from_abstract("Outcomes: real-world data from a single center.", "")
    'observational'
    """
    return "observational" if _OBSERVATIONAL_CUES.search(f"{title}\n{abstract}") else None


def paper_strength(paper: PaperText) -> tuple[str, int]:
    """`evidence_strength` of the paper's types; when they name no design ("other") and do not
    make it an editorial, letter, comment or the like, the design `design_from_abstract`
    finds, labelled as inferred (same rank as the typed one)."""
    label, rank = evidence_strength(paper.publication_types, paper.retracted)
    types = {name.strip().lower() for name in paper.publication_types}
    if label == "other" and not types & _NOT_STUDIES:
        design = design_from_abstract(paper.title, paper.abstract)
        if design is not None:
            return design + INFERRED_FROM_ABSTRACT, STRENGTH_RANK[design]
    return label, rank


# --- sentences ------------------------------------------------------------------------------

# A section label before a sentence: upper case ("MATERIALS AND METHODS: ") or a usual label
# in any case ("Results: "); a plain sentence with a colon ("Two were compared: ...") stays.
_SECTION_LABEL = re.compile(
    r"^(?:[A-Z][A-Z0-9/&,\- ]{2,}"
    r"|(?i:background|introduction|context|importance|objectives?|aims?|purpose|design"
    r"|setting|participants|patients|interventions?|(?:materials and )?methods|measurements"
    r"|main outcome measures?|results|findings|discussion|limitations|significance"
    r"|conclusions?(?: and relevance)?|interpretation|funding)):\s+"
)


def _split(text: str) -> Iterable[str]:
    for line in text.splitlines():
        for paragraph in segmenter.analyze(line):
            for sentence in paragraph:
                if sentence:
                    last = sentence[-1]
                    yield line[sentence[0].offset : last.offset + len(last.value)]


def abstract_sentences(paper: PaperText) -> list[str]:
    """The title, then each abstract sentence, stripped and without section labels.

    >>> abstract_sentences(PaperText("1", "A title.", "BACKGROUND: One thing. Another."))
    ['A title.', 'One thing.', 'Another.']
    """
    out = [paper.title.strip()] if paper.title.strip() else []
    for sentence in _split(paper.abstract):
        stripped = _SECTION_LABEL.sub("", sentence.strip(), count=1).strip()
        if stripped:
            out.append(stripped)
    return out


# --- words ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # ClinicalTrials -> Clinical Trials
# Names whose words mean little apart become one word (their abbreviation), so that a
# disease named in every sentence counts once, not twice; names built of meaningful words
# go the other way, abbreviations expanded to the words.
_NAMES: dict[tuple[str, ...], str] = {
    ("multiple", "sclerosis"): "ms",
    ("central", "nervous", "system"): "cns",
}
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "msc": ("mesenchymal", "stem", "cell"),
    "mscs": ("mesenchymal", "stem", "cells"),
    "hsc": ("hematopoietic", "stem", "cell"),
    "hscs": ("hematopoietic", "stem", "cells"),
    "hsct": ("hematopoietic", "stem", "cell", "transplantation"),
}
_SPELLINGS = {
    "haematopoietic": "hematopoietic",
    "haemopoietic": "hematopoietic",
    "hemopoietic": "hematopoietic",
    "centre": "center",
    "randomised": "randomized",
}
_STOP_TEXT = """
    a about above after again against all also although am an and any are as at be because
    been before being below between both but by can could did do does doing down during each
    either else ever few for from further had has have having he her here hers him his how
    however i if in into is it its itself just may me might more most much must my neither
    no nor not of off on once one only or other our ours out over own per same shall she
    should since so some such than that the their them then there these they this those
    through thus to too under until up upon us very via was we were what when where whether
    which while who whom whose why will with within without would yet you your
    another furthermore moreover therefore hence indeed called
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
# Words that frame a claim rather than carry it ("research shows that ...").
_REPORTING_TEXT = """
    evidence find finding findings found latest new recent research researcher researchers
    result results reveal reveals revealed scientific scientist scientists show showed shown
    shows studies study suggest suggested suggests
"""
_REPORTING_WORDS = frozenset(_REPORTING_TEXT.split())


def _stem(word: str) -> str:
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, shortest in (("ing", 6), ("ed", 5), ("ation", 8), ("tion", 7)):
        if word.endswith(suffix) and len(word) >= shortest:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _replace_run(tokens: list[str], run: tuple[str, ...], word: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tuple(tokens[i : i + len(run)]) == run:
            out.append(word)
            i += len(run)
        else:
            out.append(tokens[i])
            i += 1
    return out


def content_words(text: str) -> list[str]:
    """The text's content words in order: expanded, folded, stop words dropped, stemmed.

    >>> content_words("MSCs reduced the oxidative damage")
    ['mesenchymal', 'stem', 'cell', 'reduc', 'oxidativ', 'damag']
    """
    words: list[str] = []
    tokens: list[str] = _TOKEN.findall(_CAMEL_CASE.sub(" ", text).lower())
    for name, short in _NAMES.items():
        tokens = _replace_run(tokens, name, short)
    for token in tokens:
        for expanded in _ABBREVIATIONS.get(token, (token,)):
            word = _SPELLINGS.get(expanded, expanded)
            if len(word) < 2 or word in _STOP_WORDS or word in _REPORTING_WORDS:
                continue
            words.append(_stem(word))
    return words


def _pairs(words: Sequence[str]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in itertools.pairwise(words) if a != b}


@dataclass(frozen=True, slots=True)
class WordWeights:
    """How rare words are among the candidate papers: in how many of their `sentences`, and
    in how many of the `papers`, each word occurs."""

    sentences: int
    frequency: dict[str, int]
    papers: int = 1
    paper_frequency: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, papers: Iterable[PaperText]) -> "WordWeights":
        """Weights over every title and abstract sentence of the papers."""
        count = paper_count = 0
        frequency: Counter[str] = Counter()
        paper_frequency: Counter[str] = Counter()
        for paper in papers:
            paper_count += 1
            seen: set[str] = set()
            for sentence in abstract_sentences(paper):
                count += 1
                words = set(content_words(sentence))
                frequency.update(words)
                seen |= words
            paper_frequency.update(seen)
        return cls(count, dict(frequency), max(paper_count, 1), dict(paper_frequency))

    def weight(self, word: str) -> float:
        """ln((N + 1) / (df + 0.5)) over sentences times 1 + ln(P / max(pf, 1)) over papers."""
        idf = math.log((self.sentences + 1) / (self.frequency.get(word, 0) + 0.5))
        pf = self.paper_frequency.get(word, 0)
        return idf * (1 + math.log(self.papers / max(pf, 1)))


def _coverage(wanted: Iterable[str], found: Collection[str], weights: WordWeights) -> float:
    total = shared = 0.0
    for word in wanted:
        w = weights.weight(word)
        total += w
        if word in found:
            shared += w
    return shared / total if total else 0.0


def _pair_coverage(
    wanted: Iterable[tuple[str, str]], found: Collection[tuple[str, str]], weights: WordWeights
) -> float:
    total = shared = 0.0
    for pair in wanted:
        w = weights.weight(pair[0]) + weights.weight(pair[1])
        total += w
        if pair in found:
            shared += w
    return shared / total if total else 0.0


def _sentence_score(claim_words: Sequence[str], sentence: str, weights: WordWeights) -> float:
    words = content_words(sentence)
    wanted, found = set(claim_words), set(words)
    score = _coverage(wanted, found, weights)
    claim_pairs = _pairs(claim_words)
    if claim_pairs:
        phrases = _pair_coverage(claim_pairs, _pairs(words), weights)
        score += PHRASE_BONUS * phrases * (1 - score)
    return score * (1 - BREADTH_BASE ** len(wanted & found))


def match_claim(
    claim_text: str,
    claim_ids: Collection[str],
    paper: PaperText,
    *,
    weights: WordWeights | None = None,
) -> tuple[float, str]:
    """The paper's sentence (title or abstract) that best matches the claim, and its score.

    `weights` gives word rarity over all candidate papers (default: this paper's sentences).
    `claim_ids` (the concept identifiers of the claim's arguments) are accepted for when
    papers carry concept identifiers of their own; PaperText has none, so they are unused.
    Ties go to the earlier sentence; a paper with no text gives (0.0, "").
    """
    del claim_ids  # PaperText holds no identifiers to compare them with.
    sentences = abstract_sentences(paper)
    if weights is None:
        weights = WordWeights.of([paper])
    claim_words = content_words(claim_text)
    best_score, best_sentence = 0.0, ""
    for sentence in sentences:
        score = _sentence_score(claim_words, sentence, weights)
        if score > best_score or not best_sentence:
            best_score, best_sentence = score, sentence
    return round(best_score, 4), best_sentence


# --- support --------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|no|nor|never|none|neither|cannot|without|fail(?:s|ed)? to|lack(?:s|ed)? of"
    r"|absence of|\w+n['’]t)\b",
    re.IGNORECASE,
)


def is_negated(sentence: str) -> bool:
    """True when the sentence holds a negation cue (not, no, without, failed to, lack of ...).

    >>> is_negated("Treatment did not reduce relapses."), is_negated("It reduced relapses.")
    (True, False)
    """
    return _NEGATION.search(sentence) is not None


def assess_support(
    claim_polarity: str, sentence: str, score: float, *, threshold: float = DEFAULT_THRESHOLD
) -> Support:
    """What the sentence does to the claim: unrelated below the threshold; else it contradicts
    the claim when its negation differs from the claim's polarity ("positive"/"negative"),
    and supports it when they agree.

    >>> assess_support("positive", "MSCs did not reduce damage.", 0.6)
    'contradicts'
    >>> assess_support("negative", "There is no cure.", 0.6), assess_support("positive", "x", 0.1)
    ('supports', 'unrelated')"""
    if score < threshold:
        return "unrelated"
    claim_negated = claim_polarity == "negative"
    return "contradicts" if is_negated(sentence) != claim_negated else "supports"


# --- evidence -------------------------------------------------------------------------------


def _claim_ids(claim: Claim) -> list[str]:
    arguments = (claim.subject, claim.object)
    return [i for argument in arguments if argument is not None for i in argument.ids]


def _evidence(
    claim: Claim,
    position: int,
    paper: PaperText,
    weights: WordWeights,
    *,
    inferred: bool,
    threshold: float,
) -> Evidence:
    score, sentence = match_claim(claim.sentence.text, _claim_ids(claim), paper, weights=weights)
    strength, rank = paper_strength(paper)
    return Evidence(
        pmid=paper.pmid,
        inferred=inferred,
        score=score,
        sentence=sentence,
        support=assess_support(claim.polarity, sentence, score, threshold=threshold),
        strength=strength,
        strength_rank=rank,
        reference_position=position,
    )


def infer_evidence(
    claim: Claim,
    papers: Sequence[tuple[int, PaperText]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Evidence]:
    """Evidence inferred from content, for a document whose sentences carry no citation markers.

    Every (reference position, paper) is matched against the claim's sentence, word rarity
    taken over all the papers; those scoring at or above the threshold are returned, best
    first (ties in the order given), at most `MAX_INFERRED`.
    """
    weights = WordWeights.of(paper for _, paper in papers)
    found = [
        _evidence(claim, position, paper, weights, inferred=True, threshold=threshold)
        for position, paper in papers
    ]
    ranked = sorted(
        (-evidence.score, order, evidence)
        for order, evidence in enumerate(found)
        if evidence.score >= threshold
    )
    return [evidence for _, _, evidence in ranked[:MAX_INFERRED]]


def cited_evidence(
    claim: Claim,
    cited: Sequence[tuple[int, PaperText]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Evidence]:
    """Evidence for a claim whose sentence cites these (reference position, paper) pairs.

    Every cited paper is kept, in the order given, with its best sentence and score; its
    support is "unrelated" when the abstract does not say what the claim says.
    """
    weights = WordWeights.of(paper for _, paper in cited)
    return [
        _evidence(claim, position, paper, weights, inferred=False, threshold=threshold)
        for position, paper in cited
    ]
