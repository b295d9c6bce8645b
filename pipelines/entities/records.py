"""What entity recognition hands on: one `Mention` per grounded span."""

from dataclasses import dataclass
from typing import Literal

EntityType = Literal["disease", "cell_type", "mechanism", "intervention", "anatomy", "drug"]
ENTITY_TYPES: tuple[EntityType, ...] = (
    "disease",
    "cell_type",
    "mechanism",
    "intervention",
    "anatomy",
    "drug",
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the text as read, with the concept it names.

    `ids` holds every identifier of the concept (crosswalked), the primary one first.
    `how` says why it was found: "dictionary", "abbreviation" (bound by a definition in the
    document), "long-form" (a short form whose long form the document also uses) or
    "named-kind" (a kind named after its class: "stem cells called hematopoietic").
    """

    start: int
    end: int
    text: str
    type: EntityType
    ids: tuple[str, ...]
    label: str
    score: float
    matcher_version: str
    how: str = "dictionary"

    @property
    def primary_id(self) -> str:
        return self.ids[0]
