"""The explicit node/edge projection of a litkg graph that the graph exports draw from.

RDF holds many more resources than a person wants to see. `collect` reads the quads once, in
whatever order the store gives them, and keeps only what a node/edge view needs; `project`
turns that into a networkx MultiDiGraph in one of two views.

View "full"
  Nodes (attribute `type`): document, paper, concept (typed litkg:Concept, or a MeSH/OBO IRI
  a node links to), claim, reference, author, journal, grant. Mentions, their targets and
  selectors, evidence, quantities, source graphs and builds are not nodes; they are folded
  into edges (attribute `relation`):

  - `mentions`    document or paper -> concept, `count` = how many mentions (oa:Annotation ->
                  oa:hasTarget -> oa:hasSource) the text has of it;
  - `supports`, `contradicts`, `evidence`
                  claim -> paper, one per litkg:Evidence node, by its litkg:support, with
                  `support`, `score`, `inferred`, `strength`, `rank`, `evidence_sentence`; a
                  cito:citesAsEvidence / litkg:inferredEvidence link with no Evidence node
                  gives a bare `evidence` edge;
  - `subject`, `object`  claim -> concept; `source`  claim -> the document or paper it was read
                  from; `cites`  document or paper -> paper;
  - any other link between two nodes keeps its predicate's CURIE (`dcterms:creator`, ...).

  skos:exactMatch becomes the attribute `xref`, not an edge; the plain `s litkg:treats o`
  triples written beside claims are left out (the claim node holds them; see the claims view).

View "claims"
  Concepts are the nodes; each claim whose subject and object are grounded concepts is one edge
  subject -> object, keyed by the claim's IRI, with `predicate` ("treats"), `polarity`,
  `certainty`, `certainty_rank`, `sentence`, `source_iri` and `source_label` (the document or
  paper it was read from), `evidence_status`, `evidence_count`, `supports`, `contradicts`,
  `evidence_papers`, `subject_text`, `object_text` and `claim` (its IRI). Claims without a
  grounded subject or object are left out.

Attributes are scalars only. Literals become node attributes named `prefix_local`
(`litkg_polarity`, `dcterms_title`), typed by their datatype (xsd integers -> int, decimals and
floats -> float, booleans -> bool, anything else -> str); several values are joined with " | ".
An attribute whose values differ in type between nodes (or edges) becomes a string everywhere,
so each key has one type. Every node has `iri`, `type`, `curie`, `label`, `name` and a colour per
type (`r`, `g`, `b`, `color`) that Gephi, Cytoscape and yEd pick up; every edge has `relation`
and `label`, and claims-view edges a colour per polarity.

Memory: the projection holds its nodes, edges and node attributes, never the quads. Quads are
read one subject's run at a time; a mention is counted as soon as its concept, target and the
target's document have been seen, then forgotten (a map target -> document stays).
"""

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby

import networkx as nx
import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from ontologies.namespace import (
    CITO,
    CLAIM_RELATIONS,
    DCTERMS,
    FOAF,
    LITKG,
    OA,
    STANDARD_PREFIXES,
    relation_term,
    shorten,
)

VIEWS = ("full", "claims")

Scalar = str | int | float | bool

_RDF_TYPE = str(RDF.type)
_XSD = STANDARD_PREFIXES["xsd"]
_INTEGER_TYPES = frozenset(
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
_FLOAT_TYPES = frozenset(_XSD + t for t in ("decimal", "double", "float"))
_BOOLEAN = _XSD + "boolean"

# rdf:type -> node type shown to the user, in order of precedence.
NODE_TYPES: dict[str, str] = {
    str(LITKG.Claim): "claim",
    str(LITKG.Document): "document",
    str(LITKG.Paper): "paper",
    str(LITKG.Reference): "reference",
    str(LITKG.Concept): "concept",
    str(LITKG.Author): "author",
    "http://purl.org/spar/fabio/Journal": "journal",
    str(LITKG.Grant): "grant",
}
_PRECEDENCE = {kind: rank for rank, kind in enumerate(NODE_TYPES.values())}
# Resources that carry details of nodes but are not nodes themselves.
AUXILIARY_CLASSES = frozenset(
    {
        str(LITKG.Mention),
        str(OA.Annotation),
        str(OA.SpecificResource),
        str(OA.TextPositionSelector),
        str(OA.TextQuoteSelector),
        str(LITKG.Evidence),
        str(LITKG.Quantity),
        str(LITKG.SourceGraph),
        str(LITKG.Build),
    }
)
# IRIs under these namespaces are concepts even when the graph does not type them.
CONCEPT_NAMESPACES = ("http://id.nlm.nih.gov/mesh/", "http://purl.obolibrary.org/obo/")
# The attribute used as a node's label, in order of preference.
LABEL_PROPERTIES = (
    str(RDFS.label),
    str(SKOS.prefLabel),
    str(DCTERMS.title),
    str(FOAF.name),
)
PALETTE: dict[str, tuple[int, int, int]] = {
    "document": (31, 119, 180),
    "paper": (255, 127, 14),
    "concept": (44, 160, 44),
    "claim": (214, 39, 40),
    "reference": (148, 103, 189),
    "author": (140, 86, 75),
    "journal": (227, 119, 194),
    "grant": (127, 127, 127),
}
POLARITY_COLOURS: dict[str, tuple[int, int, int]] = {
    "positive": (44, 160, 44),
    "negative": (214, 39, 40),
}
# Relation names of the edges the views are about; other links keep their predicate's CURIE.
RELATIONS: dict[str, str] = {
    str(CITO.cites): "cites",
    str(LITKG.claimSubject): "subject",
    str(LITKG.claimObject): "object",
    str(PROV.wasDerivedFrom): "source",
}
# The plain concept -> concept triples written beside claims (positive and not- forms).
_PLAIN_CLAIM_TRIPLES = frozenset(
    relation_term(r, negated=negated) for r in CLAIM_RELATIONS for negated in (False, True)
)
_HAS_BODY = str(OA.hasBody)
_HAS_TARGET = str(OA.hasTarget)
_HAS_SOURCE = str(OA.hasSource)
_HAS_CLAIM = str(LITKG.hasClaim)
_WAS_DERIVED_FROM = str(PROV.wasDerivedFrom)
_CLAIM_SUBJECT = str(LITKG.claimSubject)
_CLAIM_OBJECT = str(LITKG.claimObject)
_CLAIM_PREDICATE = str(LITKG.claimPredicate)
_HAS_EVIDENCE = str(LITKG.hasEvidence)
_EVIDENCE_PAPER = str(LITKG.evidencePaper)
_EXACT_MATCH = str(SKOS.exactMatch)
_CITED_EVIDENCE = frozenset({str(CITO.citesAsEvidence), str(LITKG.inferredEvidence)})
_INFERRED_EVIDENCE = str(LITKG.inferredEvidence)
# Links that only tie auxiliary resources together.
_IGNORED_LINKS = frozenset(
    {str(OA.hasSelector), str(LITKG.viaReference), str(LITKG.hasQuantity), _RDF_TYPE}
)
# Literals of an Evidence node -> edge attribute.
_EVIDENCE_FIELDS: dict[str, str] = {
    str(LITKG.support): "support",
    str(LITKG.evidenceScore): "score",
    str(LITKG.inferred): "inferred",
    str(LITKG.evidenceStrength): "strength",
    str(LITKG.evidenceRank): "rank",
    str(LITKG.evidenceSentence): "evidence_sentence",
}
# Long texts stay in the RDF graph, as do the offsets and quotes of mention selectors.
_SKIPPED_LITERALS = frozenset(
    {
        str(LITKG.text),
        str(DCTERMS.abstract),
        str(OA.start),
        str(OA.end),
        str(OA.exact),
        str(LITKG.matchScore),
        str(LITKG.matchMethod),
        str(LITKG.matcherVersion),
    }
)
_OBO = "http://purl.obolibrary.org/obo/"
# Namespace -> the CURIE prefix Biolink and the ontologies themselves use.
_CURIE_PREFIXES = (
    ("http://id.nlm.nih.gov/mesh/", "MESH"),
    ("https://pubmed.ncbi.nlm.nih.gov/", "PMID"),
    ("https://doi.org/", "doi"),
    ("https://w3id.org/litkg/concept/", "LITKG"),
)
_MAX_ATTRIBUTE = 1000
_MAX_LABEL = 200
# Characters XML 1.0 cannot hold: dropped so that GraphML readers get back what was written.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def curie(iri: str, prefixes: Mapping[str, str]) -> str:
    """`MONDO:0005301` for an OBO PURL, `MESH:D009103`, `PMID:31394007`, `LITKG:remyelination`
    (as skos:notation writes them); else the CURIE under `prefixes`, else the IRI itself.

    >>> curie("http://purl.obolibrary.org/obo/CL_0000034", {})
    'CL:0000034'
    >>> curie("https://w3id.org/litkg/resource/document/ab", {"res": "https://w3id.org/litkg/resource/"})
    'res:document/ab'
    """
    if iri.startswith(_OBO):
        prefix, underscore, local = iri[len(_OBO) :].partition("_")
        if underscore and prefix and local:
            return f"{prefix}:{local}"
    for namespace, prefix in _CURIE_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :].rstrip('/')}"
    return shorten(iri, prefixes) or iri


@dataclass(frozen=True)
class EvidenceRecord:
    """One litkg:Evidence node of a claim, as edge attributes."""

    paper: str | None
    attrs: Mapping[str, Scalar]


@dataclass(frozen=True)
class ClaimEdge:
    """A claim with a grounded subject and object: one edge of the claims view (and of KGX)."""

    claim: str
    subject: str
    object: str
    predicate: str | None
    literals: Mapping[str, list[Scalar]]
    source: str | None
    evidence: tuple[EvidenceRecord, ...]
    cited: tuple[str, ...]

    def first(self, predicate: str) -> Scalar | None:
        values = self.literals.get(predicate)
        return min(values, key=str) if values else None

    @property
    def negative(self) -> bool:
        return self.first(str(LITKG.polarity)) == "negative"

    @property
    def relation(self) -> str:
        """The predicate's local name ("treats"), or "related_to" when the claim names none."""
        if self.predicate is None:
            return "related_to"
        return self.predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class Collected:
    """What the projection keeps of a graph: node resources, their literals and links."""

    prefixes: Mapping[str, str]
    kinds: dict[str, str] = field(default_factory=dict)
    literals: dict[str, dict[str, list[Scalar]]] = field(default_factory=dict)
    links: set[tuple[str, str, str]] = field(default_factory=set)
    xrefs: dict[str, set[str]] = field(default_factory=dict)
    mentions: Counter[tuple[str, str]] = field(default_factory=Counter)
    evidence: dict[str, list[EvidenceRecord]] = field(default_factory=dict)
    cited: set[tuple[str, str, str]] = field(default_factory=set)
    claim_predicates: dict[str, str] = field(default_factory=dict)

    def short(self, iri: str) -> str:
        # With no known namespace, the IRI's last segment still makes a readable name.
        return shorten(iri, self.prefixes) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def first(self, iri: str, predicate: str) -> Scalar | None:
        values = self.literals.get(iri, {}).get(predicate)
        return min(values, key=str) if values else None

    def label(self, iri: str) -> str:
        for p in LABEL_PROPERTIES:
            value = self.first(iri, p)
            if value is not None and str(value).strip():
                return _clean(str(value))[:_MAX_LABEL]
        return self.short(iri)

    def linked(self, predicate: str) -> dict[str, str]:
        """subject -> object of `predicate` (the least object when there are several)."""
        found: dict[str, str] = {}
        for s, p, o in self.links:
            if p == predicate and (s not in found or o < found[s]):
                found[s] = o
        return found

    def claim_edges(self) -> Iterator[ClaimEdge]:
        """Claims whose subject and object are concepts, in IRI order."""
        subjects = self.linked(_CLAIM_SUBJECT)
        objects = self.linked(_CLAIM_OBJECT)
        sources = self.linked(_WAS_DERIVED_FROM)
        for s, p, o in self.links:
            if p == _HAS_CLAIM and o not in sources:
                sources[o] = s
        cited: dict[str, set[str]] = defaultdict(set)
        for claim, paper, _ in self.cited:
            cited[claim].add(paper)
        for claim in sorted(k for k, kind in self.kinds.items() if kind == "claim"):
            subject, obj = subjects.get(claim), objects.get(claim)
            if subject is None or obj is None:
                continue
            if self.kinds.get(subject) != "concept" or self.kinds.get(obj) != "concept":
                continue
            yield ClaimEdge(
                claim=claim,
                subject=subject,
                object=obj,
                predicate=self.claim_predicates.get(claim),
                literals=self.literals.get(claim, {}),
                source=sources.get(claim),
                evidence=tuple(self.evidence.get(claim, ())),
                cited=tuple(sorted(cited.get(claim, ()))),
            )


class _Reader:
    """Folds quads, one subject's run at a time, into a `Collected`."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.out = Collected(prefixes)
        self.literals: dict[str, dict[str, list[Scalar]]] = {}
        # Mentions waiting for their concept, target or the target's source.
        self.body: dict[str, str] = {}
        self.target: dict[str, str] = {}
        self.source: dict[str, str] = {}
        self.waiting: dict[str, list[str]] = defaultdict(list)
        self.counted: set[int] = set()
        # Evidence nodes, joined to their claims at the end.
        self.claim_evidence: dict[str, list[str]] = defaultdict(list)
        self.evidence_paper: dict[str, str] = {}
        self.evidence_attrs: dict[str, dict[str, Scalar]] = defaultdict(dict)

    def read(self, subject: str, quads: list[ox.Quad]) -> None:
        types = {
            q.object.value
            for q in quads
            if q.predicate.value == _RDF_TYPE and isinstance(q.object, ox.NamedNode)
        }
        kinds = [NODE_TYPES[t] for t in types if t in NODE_TYPES]
        known = self.out.kinds.get(subject)
        if known is not None:
            kinds.append(known)
        if kinds:
            self.out.kinds[subject] = min(kinds, key=_PRECEDENCE.__getitem__)
        auxiliary = not kinds and bool(types & AUXILIARY_CLASSES)
        if auxiliary:
            self.literals.pop(subject, None)
        for q in quads:
            p, o = q.predicate.value, q.object
            if isinstance(o, ox.Literal):
                # Only Evidence nodes have these, whether or not their type was seen yet.
                key = _EVIDENCE_FIELDS.get(p)
                if key is not None:
                    self.evidence_attrs[subject][key] = _scalar(o)
                elif not auxiliary and p not in _SKIPPED_LITERALS:
                    self.literals.setdefault(subject, {}).setdefault(p, []).append(_scalar(o))
            elif isinstance(o, ox.NamedNode):
                self._link(subject, p, o.value)

    def _link(self, s: str, p: str, o: str) -> None:
        if p == _HAS_BODY:
            self.body[s] = o
            self._count(s)
        elif p == _HAS_TARGET:
            self.target[s] = o
            if o not in self.source:
                self.waiting[o].append(s)
            self._count(s)
        elif p == _HAS_SOURCE:
            self.source[s] = o
            for mention in self.waiting.pop(s, ()):
                self._count(mention)
        elif p == _HAS_EVIDENCE:
            self.claim_evidence[s].append(o)
        elif p == _EVIDENCE_PAPER:
            self.evidence_paper[s] = o
        elif p == _CLAIM_PREDICATE:
            self.out.claim_predicates[s] = o
        elif p == _EXACT_MATCH:
            self.out.xrefs.setdefault(s, set()).add(o)
        elif p in _CITED_EVIDENCE:
            self.out.cited.add((s, o, p))
        elif p not in _IGNORED_LINKS:
            self.out.links.add((s, p, o))

    def _count(self, mention: str) -> None:
        concept, target = self.body.get(mention), self.target.get(mention)
        if concept is None or target is None:
            return
        document = self.source.get(target)
        if document is None:
            return
        # A mention repeated in another named graph is still one mention.
        if hash(mention) not in self.counted:
            self.counted.add(hash(mention))
            self.out.mentions[(document, concept)] += 1
        del self.body[mention], self.target[mention]

    def finish(self) -> Collected:
        out = self.out
        for claim, nodes in self.claim_evidence.items():
            out.evidence[claim] = sorted(
                (
                    EvidenceRecord(self.evidence_paper.get(n), dict(self.evidence_attrs.get(n, {})))
                    for n in set(nodes)
                ),
                key=lambda e: (e.paper or "", sorted(e.attrs.items(), key=str)),
            )
        # Untyped MeSH/OBO IRIs that nodes point at are concepts.
        pointed = {o for _, _, o in out.links} | {c for _, c in out.mentions}
        for iri in sorted(pointed):
            if iri not in out.kinds and iri.startswith(CONCEPT_NAMESPACES):
                out.kinds[iri] = "concept"
        out.literals = {s: v for s, v in self.literals.items() if s in out.kinds}
        out.xrefs = {s: v for s, v in out.xrefs.items() if s in out.kinds}
        return out


def collect(quads: Iterable[ox.Quad], prefixes: Mapping[str, str] | None = None) -> Collected:
    """Read `quads` once (named graphs merged) and keep what the views need."""
    reader = _Reader(dict(prefixes or STANDARD_PREFIXES))
    for subject, run in groupby(_by_subject(quads), key=lambda pair: pair[0]):
        reader.read(subject, [q for _, q in run])
    return reader.finish()


def _by_subject(quads: Iterable[ox.Quad]) -> Iterator[tuple[str, ox.Quad]]:
    # Resources with IRIs only: litkg writes no blank nodes.
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            yield q.subject.value, q


def project(
    quads: Iterable[ox.Quad], prefixes: Mapping[str, str] | None = None, *, view: str = "full"
) -> "nx.MultiDiGraph[str]":
    """The node/edge projection of an RDF graph in `view` ("full" or "claims")."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    collected = collect(quads, prefixes)
    return full_view(collected) if view == "full" else claims_view(collected)


def edge_id(source: str, relation: str, target: str) -> str:
    """A short, stable identifier of an edge (the same edge gets it in every build)."""
    digest = hashlib.blake2b(f"{source}\n{relation}\n{target}".encode(), digest_size=8)
    return "e" + digest.hexdigest()


def full_view(c: Collected) -> "nx.MultiDiGraph[str]":
    """Documents, papers, concepts, claims, references, authors, journals and grants, linked."""
    nodes = {iri: node_attributes(c, iri) for iri in c.kinds}
    edges: dict[tuple[str, str, str], dict[str, Scalar]] = {}
    for s, p, o in c.links:
        if p in _PLAIN_CLAIM_TRIPLES:
            continue
        if p == _HAS_CLAIM:  # the same link as the claim's prov:wasDerivedFrom
            s, p, o = o, _WAS_DERIVED_FROM, s
        if s in nodes and o in nodes:
            relation = RELATIONS.get(p) or c.short(p)
            edges[(s, relation, o)] = {"relation": relation, "predicate": p}
    for (document, concept), count in c.mentions.items():
        if document in nodes and concept in nodes:
            edges[(document, "mentions", concept)] = {"relation": "mentions", "count": count}
    covered: set[tuple[str, str]] = set()
    for claim, records in c.evidence.items():
        for record in records:
            if claim not in nodes or record.paper is None or record.paper not in nodes:
                continue
            support = record.attrs.get("support")
            relation = (
                support
                if isinstance(support, str) and support in ("supports", "contradicts")
                else "evidence"
            )
            edges[(claim, relation, record.paper)] = {
                "relation": relation,
                "predicate": _HAS_EVIDENCE,
                **record.attrs,
            }
            covered.add((claim, record.paper))
    for claim, paper, p in c.cited:
        if claim in nodes and paper in nodes and (claim, paper) not in covered:
            edges[(claim, "evidence", paper)] = {
                "relation": "evidence",
                "predicate": p,
                "inferred": p == _INFERRED_EVIDENCE,
            }
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(view="full")
    _fill(graph, nodes, {(s, o, edge_id(s, r, o)): attrs for (s, r, o), attrs in edges.items()})
    return graph


def claims_view(c: Collected) -> "nx.MultiDiGraph[str]":
    """Concepts as nodes, each claim with a grounded subject and object as one edge."""
    nodes: dict[str, dict[str, Scalar]] = {}
    edges: dict[tuple[str, str, str], dict[str, Scalar]] = {}
    for claim in c.claim_edges():
        for concept in (claim.subject, claim.object):
            if concept not in nodes:
                nodes[concept] = node_attributes(c, concept)
        edges[(claim.subject, claim.object, claim.claim)] = claim_attributes(c, claim)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(view="claims")
    _fill(graph, nodes, edges)
    return graph


def claim_attributes(c: Collected, claim: ClaimEdge) -> dict[str, Scalar]:
    """The attributes of a claim as a claims-view edge."""
    polarity = claim.first(str(LITKG.polarity))
    supports = sum(1 for e in claim.evidence if e.attrs.get("support") == "supports")
    contradicts = sum(1 for e in claim.evidence if e.attrs.get("support") == "contradicts")
    papers = {e.paper for e in claim.evidence if e.paper} | set(claim.cited)
    attrs: dict[str, Scalar | None] = {
        "relation": claim.relation,
        "label": f"not {claim.relation}" if claim.negative else claim.relation,
        "predicate": claim.relation,
        "predicate_iri": claim.predicate,
        "polarity": polarity,
        "certainty": claim.first(str(LITKG.certainty)),
        "certainty_rank": claim.first(str(LITKG.certaintyRank)),
        "sentence": claim.first(str(LITKG.sentence)),
        "source_iri": claim.source,
        "source_label": c.label(claim.source) if claim.source else None,
        "evidence_status": claim.first(str(LITKG.evidenceStatus)),
        "evidence_count": len(papers),
        "supports": supports,
        "contradicts": contradicts,
        "evidence_papers": " | ".join(sorted(curie(p, c.prefixes) for p in papers)),
        "subject_text": claim.first(str(LITKG.subjectText)),
        "object_text": claim.first(str(LITKG.objectText)),
        "claim": claim.claim,
    }
    r, g, b = POLARITY_COLOURS.get(str(polarity), (127, 127, 127))
    attrs.update(r=r, g=g, b=b, color=f"#{r:02x}{g:02x}{b:02x}")
    return {k: _attribute(v) for k, v in attrs.items() if v is not None and v != ""}


def node_attributes(c: Collected, iri: str) -> dict[str, Scalar]:
    """A node's attributes: identity, type, colour, label and its literals."""
    kind = c.kinds[iri]
    attrs: dict[str, Scalar] = {"iri": iri, "type": kind, "curie": c.short(iri)}
    values = c.literals.get(iri, {})
    for predicate in sorted(values):
        attrs[_attribute_name(c.short(predicate))] = _joined(values[predicate])
    if iri in c.xrefs:
        attrs["xref"] = " | ".join(sorted(curie(x, c.prefixes) for x in c.xrefs[iri]))
    if kind == "claim" and iri in c.claim_predicates:
        attrs["litkg_claimPredicate"] = c.short(c.claim_predicates[iri])
    attrs["label"] = _claim_label(c, iri) if kind == "claim" else c.label(iri)
    attrs["name"] = attrs["label"]
    r, g, b = PALETTE[kind]
    attrs.update(r=r, g=g, b=b, color=f"#{r:02x}{g:02x}{b:02x}")
    return {k: v for k, v in attrs.items() if v != ""}


def _claim_label(c: Collected, claim: str) -> str:
    """'stem cell therapy treats MS', or '... not treats ...' for a denial."""
    predicate = c.claim_predicates.get(claim)
    relation = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if predicate else "related to"
    if c.first(claim, str(LITKG.polarity)) == "negative":
        relation = f"not {relation}"
    subject = c.first(claim, str(LITKG.subjectText)) or "?"
    obj = c.first(claim, str(LITKG.objectText)) or "?"
    return _clean(f"{subject} {relation} {obj}")[:_MAX_LABEL]


def _attribute_name(curie: str) -> str:
    # GraphML keys must be plain names: "dcterms:title" -> "dcterms_title".
    return re.sub(r"[^A-Za-z0-9_]", "_", curie)


def _scalar(literal: ox.Literal) -> Scalar:
    datatype, text = literal.datatype.value, literal.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(text)
        if datatype in _FLOAT_TYPES:
            return float(text)
    except ValueError:
        return text
    if datatype == _BOOLEAN:
        return text.strip() in ("true", "1")
    return text


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _attribute(value: Scalar) -> Scalar:
    return _clean(value)[:_MAX_ATTRIBUTE] if isinstance(value, str) else value


def _joined(values: list[Scalar]) -> Scalar:
    distinct = sorted({(type(v).__name__, v) for v in values}, key=lambda tv: (tv[0], str(tv[1])))
    if len(distinct) == 1:
        return _attribute(distinct[0][1])
    return _attribute(" | ".join(str(v) for _, v in distinct))


def _fill(
    graph: "nx.MultiDiGraph[str]",
    nodes: dict[str, dict[str, Scalar]],
    edges: dict[tuple[str, str, str], dict[str, Scalar]],
) -> None:
    """Add nodes and edges in a stable order, each attribute key with one type."""
    _one_type_per_key(nodes.values())
    _one_type_per_key(edges.values())
    for node in sorted(nodes):
        graph.add_node(node, **nodes[node])
    for s, o, key in sorted(edges):
        graph.add_edge(s, o, key=key, **edges[(s, o, key)])


def _one_type_per_key(records: Iterable[dict[str, Scalar]]) -> None:
    """Bring each key's values to one type: int and float -> float, any other mix -> str."""
    records = list(records)
    seen: dict[str, set[type]] = defaultdict(set)
    for record in records:
        for key, value in record.items():
            seen[key].add(type(value))
    casts = {
        key: float if types == {int, float} else str
        for key, types in seen.items()
        if len(types) > 1
    }
    for record in records:
        for key, cast in casts.items():
            if key in record:
                record[key] = cast(record[key])
