"""Entity recognition for users: the matcher set up from settings, and mentions as JSON."""

import json
from collections.abc import Iterator
from pathlib import Path

from kg import config
from kg.errors import KgError
from ontologies.sources import DEFAULT_SOURCES
from pipelines.entities.cache import load_matcher
from pipelines.entities.matcher import Matcher
from pipelines.entities.records import Mention

# Sources bundled with litkg's dependencies; the others read term files (KG_ONTOLOGIES).
BUNDLED_SOURCES = ("lexicon", "mondo", "cl", "uberon")


def matcher_for(settings: config.Settings) -> Matcher:
    """The matcher over every source available: the bundled ones, plus MeSH, GO and DOID
    when `ontology_dir` names a folder holding their files. Cached by source versions."""
    folder = Path(settings.ontology_dir) if settings.ontology_dir else None
    if folder is not None and not folder.is_dir():
        raise KgError(f"ontology folder {folder} does not exist (setting KG_ONTOLOGIES)")
    names = DEFAULT_SOURCES if folder is not None else BUNDLED_SOURCES
    try:
        return load_matcher(folder, config.cache_dir(settings) / "matchers", names=names)
    except (OSError, ValueError, KeyError) as exc:
        raise KgError(f"cannot build the entity matcher: {exc}") from None


def mention_json(document: str, mention: Mention) -> str:
    """One JSON object per mention, as `kg annotate --format jsonl` prints it."""
    return json.dumps(
        {
            "doc": document,
            "start": mention.start,
            "end": mention.end,
            "text": mention.text,
            "type": mention.type,
            "ids": list(mention.ids),
            "label": mention.label,
        },
        ensure_ascii=False,
    )


def annotate_text(matcher: Matcher, document: str, text: str) -> Iterator[str]:
    for mention in matcher.annotate(text):
        yield mention_json(document, mention)
