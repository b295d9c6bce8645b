"""MeSH descriptors from a TSV: id, heading, entry terms (|), tree numbers (|), [extra].

Entry terms in MeSH's inverted form ("Sclerosis, Multiple") are kept as NLM gives them;
the matcher decides which forms people write. A qualifier in parentheses, as in
"MS (Multiple Sclerosis)", marks an ambiguous short form and is kept as an abbreviation.
"""

import gzip
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from ontologies.sources.obo import file_digest
from ontologies.sources.terms import Synonym, Term

_QUALIFIED = re.compile(r"^(\S{1,10}) \((.+)\)$")


def parse_mesh_tsv(lines: Iterable[str], *, version: str) -> Iterator[Term]:
    for raw in lines:
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.rstrip("\n").split("\t")
        if len(cells) < 2:
            continue
        descriptor, heading = cells[0].strip(), cells[1].strip()
        entries = [e.strip() for e in cells[2].split("|")] if len(cells) > 2 else []
        trees = tuple(t for t in cells[3].split("|") if t) if len(cells) > 3 else ()
        synonyms: list[Synonym] = []
        for entry in entries:
            if not entry or entry == heading:
                continue
            qualified = _QUALIFIED.match(entry)
            if qualified and qualified.group(1).isupper():
                synonyms.append(Synonym(qualified.group(1), "abbreviation"))
            elif entry.isupper() and len(entry) <= 8 and " " not in entry:
                synonyms.append(Synonym(entry, "abbreviation"))
            else:
                synonyms.append(Synonym(entry, "exact"))
        yield Term(
            id=f"MESH:{descriptor}",
            label=heading,
            source="mesh",
            version=version,
            synonyms=tuple(synonyms),
            categories=trees,
        )


class MeshSource:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._version: str | None = None

    @property
    def name(self) -> str:
        return "mesh"

    def version(self) -> str:
        if self._version is None:
            # The TSV carries no release year: its name and digest stand for it.
            self._version = f"{self.path.name}#{file_digest(self.path)}"
        return self._version

    def _open(self) -> IO[str]:
        if self.path.suffix == ".gz":
            return cast(IO[str], gzip.open(self.path, "rt", encoding="utf-8"))
        return self.path.open(encoding="utf-8")

    def iter_terms(self) -> Iterator[Term]:
        version = self.version()
        with self._open() as handle:
            yield from parse_mesh_tsv(handle, version=version)
