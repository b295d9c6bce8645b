"""Entity recognition: diseases, cell types, mechanisms, interventions, anatomy and drugs,
found by dictionary matching and grounded to ontology identifiers, offline."""

from pipelines.entities.abbreviations import Definition, find_definitions
from pipelines.entities.cache import build_matcher, cache_key, load_matcher
from pipelines.entities.matcher import MATCHER_VERSION, Concept, Matcher, entity_type
from pipelines.entities.records import ENTITY_TYPES, EntityType, Mention

__all__ = [
    "ENTITY_TYPES",
    "MATCHER_VERSION",
    "Concept",
    "Definition",
    "EntityType",
    "Matcher",
    "Mention",
    "build_matcher",
    "cache_key",
    "entity_type",
    "find_definitions",
    "load_matcher",
]
