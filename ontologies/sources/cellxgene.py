"""CL, MONDO and UBERON from the data bundled in the `cellxgene-ontology-guide` wheel.

The wheel ships each ontology as zstd-compressed JSON keyed by CURIE, several releases
side by side; `latest_ontology_info.json` names the current one. Offline and versioned.
The package keeps synonyms without their OBO scope, so they are given as "related".
"""

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import zstandard

from ontologies.sources.terms import Synonym, Term, normalise_curie

ONTOLOGIES = ("CL", "MONDO", "UBERON")


def data_dir() -> Path:
    return Path(str(resources.files("cellxgene_ontology_guide") / "data"))


def latest_version(ontology: str, directory: Path | None = None) -> str:
    info = json.loads((directory or data_dir()).joinpath("latest_ontology_info.json").read_text())
    return str(info["ontologies"][ontology]["version"])


def load_json(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        raw = zstandard.ZstdDecompressor().stream_reader(handle).read()
    data: dict[str, Any] = json.loads(raw)
    return data


class CellxgeneSource:
    """One of CL, MONDO, UBERON; `version` None means the wheel's latest release."""

    def __init__(self, ontology: str, version: str | None = None, directory: Path | None = None):
        if ontology not in ONTOLOGIES:
            raise ValueError(f"not one of {ONTOLOGIES}: {ontology}")
        self.ontology = ontology
        self._version = version
        self.directory = directory

    @property
    def name(self) -> str:
        return self.ontology.lower()

    def version(self) -> str:
        if self._version is None:
            self._version = latest_version(self.ontology, self.directory)
        return self._version

    def path(self) -> Path:
        return (
            self.directory or data_dir()
        ) / f"{self.ontology}-ontology-{self.version()}.json.zst"

    def iter_terms(self) -> Iterator[Term]:
        version = self.version()
        prefix = self.ontology + ":"
        for curie, entry in load_json(self.path()).items():
            # Imported classes of other ontologies are not this source's terms.
            if not curie.startswith(prefix):
                continue
            ancestors: dict[str, int] = entry.get("ancestors") or {}
            replaced = entry.get("replaced_by")
            yield Term(
                id=curie,
                label=str(entry.get("label") or curie),
                source=self.name,
                version=version,
                synonyms=tuple(Synonym(s, "related") for s in entry.get("synonyms") or ()),
                parents=tuple(sorted(a for a, depth in ancestors.items() if depth == 1)),
                categories=tuple(sorted(ancestors)),
                deprecated=bool(entry.get("deprecated")),
                replaced_by=normalise_curie(replaced) if isinstance(replaced, str) else None,
            )
