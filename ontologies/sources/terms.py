"""The record every term source yields, and the interface they share."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

Scope = Literal["exact", "related", "narrow", "broad", "abbreviation"]
SCOPES: tuple[Scope, ...] = ("exact", "related", "narrow", "broad", "abbreviation")


@dataclass(frozen=True, slots=True)
class Synonym:
    text: str
    scope: Scope = "exact"


@dataclass(frozen=True, slots=True)
class Term:
    """One ontology class or descriptor as a source states it.

    `categories` carries what places the term in its source (MeSH tree numbers, an OBO
    namespace, the entity type our lexicon gives), so that typing stays a matcher decision.
    """

    id: str  # CURIE, e.g. MONDO:0005301, MESH:D009103
    label: str
    source: str  # registry name of the source, e.g. "mondo"
    version: str
    synonyms: tuple[Synonym, ...] = ()
    xrefs: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    deprecated: bool = False
    replaced_by: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())


class TermSource(Protocol):
    """What every term source offers: a name, a version, and its terms."""

    @property
    def name(self) -> str: ...

    def version(self) -> str:
        """A string that changes whenever the terms would; goes into cache keys."""
        ...

    def iter_terms(self) -> Iterator[Term]: ...


_PREFIXES = {"mesh": "MESH", "msh": "MESH", "mim": "OMIM", "omim": "OMIM", "doid": "DOID"}


def normalise_curie(curie: str) -> str:
    """One spelling per prefix (`mesh:D1` and `MSH:D1` both become `MESH:D1`).

    >>> normalise_curie("mesh:D009103")
    'MESH:D009103'
    >>> normalise_curie("MIM:126200")
    'OMIM:126200'
    """
    prefix, sep, local = curie.strip().partition(":")
    if not sep:
        return curie.strip()
    return f"{_PREFIXES.get(prefix.lower(), prefix.upper())}:{local}"
