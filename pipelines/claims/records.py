"""What claim extraction hands on: sentences, claims, quantities and evidence as typed records."""

from dataclasses import dataclass, field
from typing import Literal, get_args

Predicate = Literal[
    "treats",
    "cures",
    "reduces",
    "promotes",
    "causes",
    "prevents",
    "regulates",
    "differentiatesInto",
    "produces",
    "isA",
    "associatedWith",
    "locatedIn",
]
# The same names as ontologies.namespace.CLAIM_RELATIONS (tests/test_vocabulary.py checks).
PREDICATES: tuple[Predicate, ...] = get_args(Predicate)
Polarity = Literal["positive", "negative"]
Span = tuple[int, int]
Certainty = Literal["strong", "asserted", "hedged", "speculative"]
# Ordered: a higher rank is a firmer statement.
CERTAINTY_RANK: dict[Certainty, int] = {"speculative": 0, "hedged": 1, "asserted": 2, "strong": 3}
Support = Literal["supports", "contradicts", "unrelated"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the text as read: `text == source[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Argument:
    """A claim's subject or object: the words of the sentence, and the concept when grounded.

    `ids` holds every identifier of the concept (primary first), empty when not grounded;
    `start`/`end` are offsets into the whole text; `implied` marks an argument resolved from
    context ("this disorder" -> the document's disease) or supplied by a rule.
    """

    text: str
    ids: tuple[str, ...] = ()
    type: str = ""
    label: str = ""
    start: int = -1
    end: int = -1
    implied: bool = False

    @property
    def grounded(self) -> bool:
        return bool(self.ids)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number the sentence states: kind is patients, percentage or duration."""

    kind: str
    value: float
    unit: str
    text: str


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement of a source: subject -> predicate -> object, with how it is said."""

    sentence: Sentence
    subject: Argument | None
    predicate: Predicate
    predicate_text: str
    object: Argument
    polarity: Polarity
    certainty: Certainty
    cues: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    # Offsets (into the whole text) of inline citation markers inside the sentence.
    markers: tuple[tuple[int, int], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class PaperText:
    """What evidence matching needs to know of a cited paper."""

    pmid: str
    title: str
    abstract: str
    publication_types: tuple[str, ...] = ()
    retracted: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    """A paper behind (or against) a claim.

    `inferred` is True when the tie comes from comparing what the claim and the paper say,
    False when the sentence cites the paper. `sentence` is the paper's best-matching
    sentence (title or abstract) and `score` how well it matches (0..1).
    """

    pmid: str
    inferred: bool
    score: float
    sentence: str
    support: Support
    strength: str
    strength_rank: int
    reference_position: int | None = None
