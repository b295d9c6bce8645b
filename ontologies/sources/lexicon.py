"""Our curated lexicon of mechanisms and interventions (`ontologies/lexicon/*.tsv`).

Columns: id, type, label, synonyms (|), mapped identifiers (|). `#` starts a comment line.
The mapped GO/MeSH identifiers become xrefs, so a lexicon hit carries them.
"""

import hashlib
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from ontologies.sources.terms import Synonym, Term, normalise_curie

ENTITY_TYPES = ("disease", "cell_type", "mechanism", "intervention", "anatomy", "drug")


def default_paths() -> list[Path]:
    folder = Path(str(resources.files("ontologies") / "lexicon"))
    return sorted(folder.glob("*.tsv"))


def parse_lexicon(lines: Iterable[str], *, version: str) -> Iterator[Term]:
    for number, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.rstrip("\n").split("\t")]
        if cells[0] == "id":
            continue
        if len(cells) < 5 or cells[1] not in ENTITY_TYPES:
            raise ValueError(f"lexicon line {number}: want id, type, label, synonyms, ids")
        synonyms = tuple(
            Synonym(s, "abbreviation" if s.isupper() else "exact") for s in cells[3].split("|") if s
        )
        yield Term(
            id=cells[0],
            label=cells[2],
            source="lexicon",
            version=version,
            synonyms=synonyms,
            xrefs=tuple(normalise_curie(x) for x in cells[4].split("|") if x),
            categories=(cells[1],),
        )


class LexiconSource:
    def __init__(self, paths: list[Path] | None = None) -> None:
        self._paths = paths

    @property
    def name(self) -> str:
        return "lexicon"

    def paths(self) -> list[Path]:
        return self._paths if self._paths is not None else default_paths()

    def version(self) -> str:
        digest = hashlib.sha256()
        for path in self.paths():
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]

    def iter_terms(self) -> Iterator[Term]:
        version = self.version()
        for path in self.paths():
            with path.open(encoding="utf-8") as handle:
                yield from parse_lexicon(handle, version=version)


def load_blocklist(path: Path | None = None) -> frozenset[str]:
    """Names never matched on their own (common words that ontologies list as synonyms)."""
    target = path or Path(str(resources.files("ontologies") / "lexicon" / "blocklist.txt"))
    if not target.exists():
        return frozenset()
    words = (line.split("#")[0].strip() for line in target.read_text("utf-8").splitlines())
    return frozenset(w.lower() for w in words if w)
