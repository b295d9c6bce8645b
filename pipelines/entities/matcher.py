"""Dictionary matching of ontology labels and synonyms with pyahocorasick.

Build: every label and synonym of every term becomes one or more keys (`normalise.variants`),
each key resolved once to the concept that wins it (precedence below) and stored in an
Aho-Corasick automaton as " key " so that hits fall on word boundaries. Search: the folded
text (same length as the text) is scanned once; acronym-like keys must match with their case;
abbreviations the document defines rebind their short forms; overlapping hits keep the longest.

Precedence for a key: our lexicon, then a label over an exact synonym over a related one, then
the source made for the type (MONDO for diseases, CL for cells, UBERON for anatomy) over MeSH,
GO and DOID. Terms of the same type that share the key lend their identifiers to the winner,
so "mesenchymal stem cells" carries both CL:0000134 and MESH:D059630.
"""

import hashlib
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import ahocorasick  # type: ignore[import-not-found]

from ontologies.sources import Crosswalk, Term
from pipelines.entities.abbreviations import find_definitions
from pipelines.entities.normalise import fold, is_short_form, key, uninvert, variants
from pipelines.entities.records import EntityType, Mention

MATCHER_VERSION = "litkg-entities/3"

_SOURCE_RANK = {"lexicon": 0, "mondo": 1, "cl": 1, "uberon": 1, "go": 2, "mesh": 2, "doid": 3}
_SCOPE_RANK = {"label": 0, "exact": 1, "abbreviation": 1, "related": 2}
_SCORES = (1.0, 0.9, 0.75)
# MeSH branches that name things we type; first match wins (order matters).
_MESH_TREES: tuple[tuple[str, EntityType], ...] = (
    ("C", "disease"),
    ("F03", "disease"),
    ("A11.284", "anatomy"),  # cellular structures (myelin sheath), not cells
    ("A11", "cell_type"),
    ("A", "anatomy"),
    ("E02", "intervention"),
    ("E04", "intervention"),
    ("D", "drug"),
    ("G04", "mechanism"),
    ("G05", "mechanism"),
    ("G06", "mechanism"),
    ("G07", "mechanism"),
    ("G08", "mechanism"),
    ("G09", "mechanism"),
    ("G10", "mechanism"),
    ("G11", "mechanism"),
    ("G12", "mechanism"),
)
_FIXED_TYPES: dict[str, EntityType] = {
    "mondo": "disease",
    "doid": "disease",
    "cl": "cell_type",
    "uberon": "anatomy",
    "go": "mechanism",
}
# Short forms whose other common sense shows in nearby words (within ~40 characters).
CONTEXT_DROPS: dict[str, re.Pattern[str]] = {
    "MS": re.compile(
        r"spectromet|spectra\b|m/z|LC[-/]?MS|MS/MS|GC[-/]?MS|MALDI|\bESI\b|\bions?\b|\bpeptides?\b",
        re.IGNORECASE,
    ),
}


def entity_type(term: Term) -> EntityType | None:
    if term.source == "lexicon":
        return _TYPE_BY_NAME.get(term.categories[0]) if term.categories else None
    if term.source in _FIXED_TYPES:
        return _FIXED_TYPES[term.source]
    if term.source == "mesh":
        for prefix, etype in _MESH_TREES:
            if any(tree.startswith(prefix) for tree in term.categories):
                return etype
    return None


# "disease of the central nervous system" would swallow the organ it names.
_DESCRIPTIVE = re.compile(r"(?i)^(?:diseases?|disorders?|neoplasms?) of (?:the )?")
# "<modifier> and|or|and/or " right before a mention, e.g. "breast and " ovarian cancer.
_COORDINATION = re.compile(r"(?<![\w-])([A-Za-z][\w-]{2,})\s+(?:and/or|and|or|-)\s+$")
_TYPE_ORDER: tuple[EntityType, ...] = (
    "disease",
    "cell_type",
    "mechanism",
    "intervention",
    "anatomy",
    "drug",
)
_TYPE_BY_NAME: dict[str, EntityType] = {t: t for t in _TYPE_ORDER}
_TYPE_CODES = {t: i for i, t in enumerate(_TYPE_ORDER)}


@dataclass(frozen=True, slots=True)
class Concept:
    ids: tuple[str, ...]
    type: EntityType
    label: str


@dataclass(frozen=True, slots=True)
class _Short:
    """An acronym-like key: it must match one of `forms` exactly (case kept)."""

    forms: frozenset[str]
    candidates: tuple[int, ...]  # every concept the short form may name, for binding
    unambiguous: bool


class _Hit(NamedTuple):
    # A tuple, not a frozen dataclass: there is one per raw automaton hit, and it is cheaper.
    start: int
    end: int
    concept: int
    score: float
    how: str
    short: bool = False


class Matcher:
    """A compiled dictionary; build with `Matcher.build`, then `annotate(text)`."""

    version = MATCHER_VERSION

    def __init__(
        self,
        automaton: Any,
        keys: tuple["array[int]", "array[float]", "array[int]"],
        shorts: dict[int, _Short],
        concepts: list[Concept],
    ) -> None:
        # Columns rather than one object per key: the pickle loads several times faster.
        self._automaton = automaton
        self._key_concept, self._key_score, self._key_length = keys
        self._shorts = shorts
        self._concept_ids = ["|".join(c.ids) for c in concepts]
        self._concept_types = bytes(_TYPE_CODES[c.type] for c in concepts)
        self._concept_labels = [c.label for c in concepts]
        # What the matcher can find, in one string: graphs built with it record this, so a
        # build with other term sources (say, MeSH added) replaces them.
        digest = hashlib.sha256("\n".join(sorted(self._concept_ids)).encode())
        digest.update(str(len(self._key_concept)).encode())
        self.fingerprint = f"{MATCHER_VERSION}+{digest.hexdigest()[:12]}"
        self._concept_cache: dict[int, Concept] = {}

    def concept(self, index: int) -> Concept:
        found = self._concept_cache.get(index)
        if found is None:
            found = self._concept_cache[index] = Concept(
                tuple(self._concept_ids[index].split("|")),
                _TYPE_ORDER[self._concept_types[index]],
                self._concept_labels[index],
            )
        return found

    def _primary(self, index: int) -> str:
        return self._concept_ids[index].split("|", 1)[0]

    # -- build ---------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        terms: Iterable[Term],
        crosswalk: Crosswalk,
        blocklist: frozenset[str] = frozenset(),
    ) -> "Matcher":
        blocklist = frozenset(v for word in blocklist for v in variants(word))
        term_info: list[tuple[str, EntityType, str, str, tuple[str, ...]]] = []
        # key -> list of (rank tuple, term index, surface name, is short form)
        candidates: dict[str, list[tuple[tuple[int, int], int, str, bool]]] = {}
        for term in terms:
            etype = entity_type(term)
            if etype is None or term.deprecated:
                continue
            index = len(term_info)
            term_info.append((term.id, etype, term.source, term.label, term.xrefs))
            source_rank = _SOURCE_RANK.get(term.source, 3)
            names = [(term.label, "label")]
            names += [(s.text, s.scope) for s in term.synonyms if s.scope in _SCOPE_RANK]
            for name, scope in names:
                if term.source == "mesh":
                    name = uninvert(name)
                if key(name) in blocklist or _DESCRIPTIVE.match(name):
                    continue
                rank = (-1 if term.source == "lexicon" else _SCOPE_RANK[scope], source_rank)
                short = is_short_form(name)
                keys = {key(name)} if short else variants(name)
                for k in keys:
                    if k in blocklist or len(k) < 2 or (not short and len(k) < 4):
                        continue
                    candidates.setdefault(k, []).append((rank, index, name, short))

        concepts: list[Concept] = []
        concept_index: dict[tuple[tuple[str, ...], str], int] = {}

        def concept_of(indices: list[int]) -> int:
            term_id, etype, source, label, xrefs = term_info[indices[0]]
            ids: list[str] = []
            if source == "lexicon":
                ids += [*xrefs, term_id]
            else:
                ids += crosswalk.equivalents(term_id)
            for other in indices[1:]:
                ids += crosswalk.equivalents(term_info[other][0])[:1]
            unique = tuple(dict.fromkeys(ids))
            found = concept_index.get((unique, etype))
            if found is None:
                found = concept_index[(unique, etype)] = len(concepts)
                concepts.append(Concept(unique, etype, label))
            return found

        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        key_concept, key_score, key_length = array("i"), array("f"), array("i")
        shorts: dict[int, _Short] = {}
        for k, found in candidates.items():
            found.sort(key=lambda c: c[0])
            best_rank, winner, _, _ = found[0]
            etype = term_info[winner][1]
            # Same-type terms named by a label or exact synonym lend their identifiers.
            lenders = [i for r, i, _, _ in found[1:] if term_info[i][1] == etype and r[0] <= 1]
            concept = concept_of([winner, *dict.fromkeys(i for i in lenders if i != winner)])
            short = any(c[3] for c in found)
            index = len(key_concept)
            if short:
                surfaces = {c[2] for c in found}
                forms = frozenset(surfaces | {n + "s" for n in surfaces if n[-1:].isupper()})
                by_term = {i: concept_of([i]) for _, i, _, _ in found}
                options = tuple(dict.fromkeys([concept, *by_term.values()]))
                distinct = {concepts[c].ids[0] for c in options}
                lexicon_only = all(term_info[i][2] == "lexicon" for _, i, _, _ in found)
                # Two- and three-letter acronyms collide across fields; only our lexicon's
                # (curated for this domain) and longer unique ones stand without a definition.
                unambiguous = len(distinct) == 1 and (lexicon_only or len(k) >= 4)
                shorts[index] = _Short(forms, options, unambiguous)
            automaton.add_word(f" {k} ", index)
            key_concept.append(concept)
            key_score.append(0.85 if best_rank[0] < 0 else _SCORES[min(best_rank[0], 2)])
            key_length.append(len(k))
        automaton.make_automaton()
        return cls(automaton, (key_concept, key_score, key_length), shorts, concepts)

    # -- search --------------------------------------------------------------------------
    def lookup(self, name: str) -> Concept | None:
        """The concept a whole name resolves to, or None."""
        found = self._lookup_index(name)
        return None if found is None else self.concept(found)

    def _lookup_index(self, name: str) -> int | None:
        first = key(name)
        index = self._automaton.get(f" {first} ", None)
        if index is not None:
            return int(self._key_concept[index])
        for k in sorted(variants(name)):
            index = self._automaton.get(f" {k} ", None)
            if index is not None:
                return int(self._key_concept[index])
        return None

    def _raw_hits(self, text: str) -> tuple[list[_Hit], list[tuple[_Hit, _Short]]]:
        folded = f" {fold(text)} "
        long_hits: list[_Hit] = []
        short_hits: list[tuple[_Hit, _Short]] = []
        concept, score, length, shorts = (
            self._key_concept,
            self._key_score,
            self._key_length,
            self._shorts,
        )
        for end, index in self._automaton.iter(folded):
            # `end` is the key's trailing pad in `folded`, which has one leading pad.
            stop = end - 1
            start = stop - length[index]
            short = shorts.get(index)
            hit = _Hit(start, stop, concept[index], score[index], "dictionary", short is not None)
            if short is None:
                long_hits.append(hit)
            elif text[start:stop] in short.forms:
                short_hits.append((hit, short))
        return long_hits, short_hits

    def annotate(self, text: str) -> list[Mention]:
        long_hits, short_hits = self._raw_hits(text)
        # Identifier -> concept, for the concepts the document names in full; a short form
        # whose candidate is among them is taken to mean it ("Multiple sclerosis ... MS").
        present: dict[str, int] = {}
        for h in long_hits:
            for curie in self._concept_ids[h.concept].split("|"):
                present.setdefault(curie, h.concept)
        bound: dict[str, int | None] = {}
        for definition in find_definitions(text):
            base = definition.short
            if base.endswith("s") and base[:-1].isupper():
                base = base[:-1]
            if base in bound:
                continue
            concept = self._lookup_index(definition.long)
            if concept is None:
                concept = self._expand(definition.long, bound)
            if concept is None:
                inside = [
                    h
                    for h in long_hits
                    if h.start >= definition.long_start and abs(h.end - definition.long_end) <= 1
                ]
                if inside:
                    concept = min(inside, key=lambda h: h.start).concept
            bound[base] = concept

        hits: list[_Hit] = list(long_hits)
        for hit, entry in short_hits:
            surface = text[hit.start : hit.end]
            base = surface[:-1] if surface.endswith("s") and surface[:-1].isupper() else surface
            if base in bound:
                continue  # handled below, from the definition
            chosen: int | None = None
            how = "dictionary"
            known = {present[p] for c in entry.candidates if (p := self._primary(c)) in present}
            if len(known) == 1:
                chosen, how = known.pop(), "long-form"
            elif entry.unambiguous:
                chosen = hit.concept
            if chosen is None:
                continue
            rule = CONTEXT_DROPS.get(base)
            if rule and rule.search(
                text[max(0, hit.start - 40) : hit.end + 40].replace(surface, "", 1)
            ):
                continue
            hits.append(_Hit(hit.start, hit.end, chosen, hit.score, how, True))

        if bound:
            # Every occurrence of a defined short form takes the definition's concept (or,
            # when its long form named nothing we know, no concept at all).
            names = "|".join(sorted(map(re.escape, bound), key=len, reverse=True))
            pattern = re.compile(rf"(?<![\w-])({names})s?(?!\w)")
            occurrences = [(m.start(), m.end(), bound[m.group(1)]) for m in pattern.finditer(text)]
            if occurrences:
                owner = array("i", bytes(4 * (len(text) + 1)))
                for number, (s, e, _) in enumerate(occurrences, 1):
                    owner[s:e] = array("i", [number] * (e - s))
                hits = [
                    h for h in hits if not (owner[h.start] and owner[h.start] == owner[h.end - 1])
                ]
                hits += [
                    _Hit(s, e, concept, 0.9, "abbreviation", True)
                    for s, e, concept in occurrences
                    if concept is not None
                ]
        return self._coordinated(text, self._mentions(text, _longest(hits)))

    def _coordinated(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """ "breast and ovarian cancer": one mention naming both concepts, as curators mark it.

        When the words before "and"/"or" plus the head of the mention that follows name a
        concept of the same type, the mention is widened over them and carries both ids.
        """
        out: list[Mention] = []
        for mention in mentions:
            before = _COORDINATION.search(text, max(0, mention.start - 60), mention.start)
            words = mention.text.split()
            if before is None or len(words) < 2:
                out.append(mention)
                continue
            for size in range(1, min(3, len(words) - 1) + 1):
                head = " ".join(words[-size:])
                other = self._lookup_index(f"{before.group(1)} {head}")
                if other is not None and _TYPE_ORDER[self._concept_types[other]] == mention.type:
                    ids = tuple(dict.fromkeys((*mention.ids, *self.concept(other).ids)))
                    start = before.start(1)
                    mention = replace(mention, start=start, text=text[start : mention.end], ids=ids)
                    while out and out[-1].end > start:
                        out.pop()  # "breast" alone gives way to "breast and ovarian cancer"
                    break
            out.append(mention)
        return out

    def _expand(self, long: str, bound: dict[str, int | None]) -> int | None:
        """Look the long form up again with the short forms it contains spelled out."""
        words = long.replace("-", " - ").split()
        changed = False
        for i, word in enumerate(words):
            concept = bound.get(word)
            if concept is not None:
                words[i] = self._concept_labels[concept]
                changed = True
        return self._lookup_index(" ".join(words).replace(" - ", "-")) if changed else None

    def _mentions(self, text: str, hits: list[_Hit]) -> list[Mention]:
        out = []
        for hit in hits:
            concept = self.concept(hit.concept)
            out.append(
                Mention(
                    start=hit.start,
                    end=hit.end,
                    text=text[hit.start : hit.end],
                    type=concept.type,
                    ids=concept.ids,
                    label=concept.label,
                    score=hit.score,
                    matcher_version=self.version,
                    how=hit.how,
                )
            )
        return out

    def __len__(self) -> int:
        return len(self._key_length)


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Non-overlapping hits, longest first, then leftmost; returned in text order."""
    if not hits:
        return []
    taken: list[_Hit] = []
    occupied = bytearray(max(h.end for h in hits) + 1)
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start, -h.score)):
        if any(occupied[hit.start : hit.end]):
            continue
        taken.append(hit)
        occupied[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
    return sorted(taken, key=lambda h: h.start)
