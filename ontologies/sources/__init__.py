"""Term sources behind one interface (`TermSource`: name, version(), iter_terms()).

CL, MONDO and UBERON come from the cellxgene-ontology-guide wheel; MeSH, GO BP and DOID
from files in a folder the caller names; our lexicon from `ontologies/lexicon/`.
Nothing is read until a source is asked for its version or terms.
"""

from collections.abc import Callable
from pathlib import Path

from ontologies.sources.cellxgene import CellxgeneSource
from ontologies.sources.crosswalk import Crosswalk, default_sssom_paths
from ontologies.sources.doid import DoidSource
from ontologies.sources.go import GoSource
from ontologies.sources.lexicon import LexiconSource, load_blocklist
from ontologies.sources.mesh import MeshSource
from ontologies.sources.obo import OboSource, parse_terms
from ontologies.sources.terms import Scope, Synonym, Term, TermSource, normalise_curie


def _first(directory: Path, *patterns: str) -> Path:
    for pattern in patterns:
        found = sorted(directory.glob(pattern))
        if found:
            return found[-1]  # names carry dates; the last sorts newest
    raise FileNotFoundError(f"no file matching {patterns} in {directory}")


# name -> factory taking the folder of term files (ignored by bundled sources).
REGISTRY: dict[str, Callable[[Path | None], TermSource]] = {
    "cl": lambda _d: CellxgeneSource("CL"),
    "mondo": lambda _d: CellxgeneSource("MONDO"),
    "uberon": lambda _d: CellxgeneSource("UBERON"),
    "lexicon": lambda _d: LexiconSource(),
    "mesh": lambda d: MeshSource(_first(_need(d), "mesh/*.tsv.gz", "mesh/*.tsv", "*mesh*.tsv*")),
    "go": lambda d: GoSource(_first(_need(d), "go/*.obo.gz", "go/*.obo", "go*.obo*")),
    "doid": lambda d: DoidSource(_first(_need(d), "doid/*.obo.gz", "doid/*.obo", "doid*.obo*")),
}
DEFAULT_SOURCES = ("lexicon", "mondo", "cl", "uberon", "mesh", "go", "doid")


def _need(directory: Path | None) -> Path:
    if directory is None:
        raise FileNotFoundError("this source reads files: name the folder of term files")
    return directory


def get_source(name: str, directory: Path | None = None) -> TermSource:
    try:
        factory = REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown term source {name!r}; known: {sorted(REGISTRY)}") from None
    return factory(directory)


def load_sources(
    directory: Path | None, names: tuple[str, ...] = DEFAULT_SOURCES
) -> list[TermSource]:
    return [get_source(name, directory) for name in names]


__all__ = [
    "DEFAULT_SOURCES",
    "REGISTRY",
    "CellxgeneSource",
    "Crosswalk",
    "DoidSource",
    "GoSource",
    "LexiconSource",
    "MeshSource",
    "OboSource",
    "Scope",
    "Synonym",
    "Term",
    "TermSource",
    "default_sssom_paths",
    "get_source",
    "load_blocklist",
    "load_sources",
    "normalise_curie",
    "parse_terms",
]
