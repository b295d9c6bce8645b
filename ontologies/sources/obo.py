"""A small pure OBO 1.2/1.4 reader: the [Term] stanzas and the header's data-version.

Reads `.obo` and `.obo.gz`. Only what the matcher and crosswalk need is kept.
"""

import gzip
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from ontologies.sources.terms import SCOPES, Scope, Synonym, Term, normalise_curie

_SYNONYM = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*(\w+)?')
_TRAILING_MODIFIERS = re.compile(r"\s*\{[^}]*\}\s*$")


@dataclass(frozen=True, slots=True)
class OboHeader:
    data_version: str | None
    ontology: str | None


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _strip_comment(value: str) -> str:
    # "is_a: GO:1 ! label": the part after " ! " is a comment; modifiers in braces too.
    value = _TRAILING_MODIFIERS.sub("", value)
    at = value.find(" !")
    return value[:at].strip() if at >= 0 else value.strip()


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return cast(IO[str], gzip.open(path, "rt", encoding="utf-8"))
    return path.open(encoding="utf-8")


def parse_header(lines: Iterable[str]) -> OboHeader:
    data_version = ontology = None
    for raw in lines:
        line = raw.strip()
        if line.startswith("["):
            break
        tag, _, value = line.partition(":")
        if tag == "data-version":
            data_version = value.strip()
        elif tag == "ontology":
            ontology = value.strip()
    return OboHeader(data_version, ontology)


def parse_terms(
    lines: Iterable[str], *, source: str, version: str, id_prefix: str | None = None
) -> Iterator[Term]:
    """Terms from OBO text lines; `id_prefix` keeps only ids with that prefix (e.g. "GO")."""
    stanza: str | None = None
    tags: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.rstrip("\n").strip()
        if line.startswith("[") and line.endswith("]"):
            if stanza == "Term" and tags:
                term = _term(tags, source, version)
                if term and (id_prefix is None or term.id.startswith(id_prefix + ":")):
                    yield term
            stanza, tags = line[1:-1], []
            continue
        if stanza is None or not line or line.startswith("!"):
            continue
        tag, sep, value = line.partition(":")
        if sep:
            tags.append((tag.strip(), value.strip()))
    if stanza == "Term" and tags:
        term = _term(tags, source, version)
        if term and (id_prefix is None or term.id.startswith(id_prefix + ":")):
            yield term


def _term(tags: list[tuple[str, str]], source: str, version: str) -> Term | None:
    term_id = label = namespace = replaced_by = None
    synonyms: list[Synonym] = []
    xrefs: list[str] = []
    parents: list[str] = []
    deprecated = False
    for tag, value in tags:
        if tag == "id":
            term_id = normalise_curie(_strip_comment(value))
        elif tag == "name":
            label = _unescape(value)
        elif tag == "namespace":
            namespace = value
        elif tag == "synonym":
            found = _SYNONYM.match(value)
            if found:
                scope = (found.group(2) or "related").lower()
                rest = value[found.end() :]
                # OBO has no abbreviation scope; ontologies mark it with a synonym type.
                if "abbreviation" in rest.split("[")[0].lower():
                    scope = "abbreviation"
                if scope in SCOPES:
                    synonyms.append(Synonym(_unescape(found.group(1)), cast(Scope, scope)))
        elif tag == "xref":
            xref = _strip_comment(value).split(" ")[0].strip('"')
            if ":" in xref and not xref.lower().startswith(("http", "url")):
                xrefs.append(normalise_curie(xref))
        elif tag == "is_a":
            parents.append(normalise_curie(_strip_comment(value)))
        elif tag == "is_obsolete":
            deprecated = value.lower() == "true"
        elif tag == "replaced_by":
            replaced_by = normalise_curie(_strip_comment(value))
    if term_id is None or label is None:
        return None
    return Term(
        id=term_id,
        label=label,
        source=source,
        version=version,
        synonyms=tuple(synonyms),
        xrefs=tuple(xrefs),
        parents=tuple(parents),
        categories=(namespace,) if namespace else (),
        deprecated=deprecated,
        replaced_by=replaced_by,
    )


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


class OboSource:
    """Any OBO file as a term source; the version is its data-version, else its digest."""

    def __init__(self, name: str, path: Path, *, id_prefix: str | None = None) -> None:
        self._name = name
        self.path = Path(path)
        self.id_prefix = id_prefix
        self._version: str | None = None

    @property
    def name(self) -> str:
        return self._name

    def version(self) -> str:
        if self._version is None:
            with _open_text(self.path) as handle:
                header = parse_header(handle)
            # The digest too: a file rebuilt under the same data-version must still bust caches.
            self._version = f"{header.data_version or 'unversioned'}#{file_digest(self.path)}"
        return self._version

    def iter_terms(self) -> Iterator[Term]:
        version = self.version()
        with _open_text(self.path) as handle:
            yield from parse_terms(
                handle, source=self._name, version=version, id_prefix=self.id_prefix
            )
