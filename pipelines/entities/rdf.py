"""Mentions and concepts as RDF.

A mention is a W3C Web Annotation: its body is the concept, its target the document's span,
chosen twice over, by character offsets and by the quoted text. A concept is the node of its
primary identifier, with every identifier it carries as a notation and the other identifiers'
IRIs as exact matches, so a paper's MeSH heading and a document's MONDO mention meet.
"""

from collections.abc import Iterator, Sequence

from pyoxigraph import Literal, NamedNode

from ontologies.namespace import LITKG, OA, SKOS
from pipelines import ids
from pipelines.entities.iris import concept_iri
from pipelines.entities.records import Mention
from pipelines.rdf import Statement, count, decimal, iri

_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def mention_iri(base: str, document: str, mention: Mention) -> str:
    """The IRI of a mention: a hash of its document, span and concept, whatever else it holds."""
    key = ids.key_of(document, str(mention.start), str(mention.end), mention.primary_id)
    return ids.mint(base, "mention", key)


def _annotation(document: NamedNode, node: NamedNode, mention: Mention) -> Iterator[Statement]:
    target = iri(node.value + "/target")
    position = iri(target.value + "/position")
    quote = iri(target.value + "/quote")
    yield node, _RDF_TYPE, iri(OA.Annotation)
    yield node, _RDF_TYPE, iri(LITKG.Mention)
    yield node, iri(OA.hasBody), iri(concept_iri(mention.primary_id))
    yield node, iri(OA.hasTarget), target
    yield node, iri(LITKG.entityType), Literal(mention.type)
    yield node, iri(LITKG.matcherVersion), Literal(mention.matcher_version)
    yield node, iri(LITKG.matchMethod), Literal(mention.how)
    yield node, iri(LITKG.matchScore), decimal(mention.score)
    yield target, _RDF_TYPE, iri(OA.SpecificResource)
    yield target, iri(OA.hasSource), document
    yield target, iri(OA.hasSelector), position
    yield target, iri(OA.hasSelector), quote
    yield position, _RDF_TYPE, iri(OA.TextPositionSelector)
    yield position, iri(OA.start), count(mention.start)
    yield position, iri(OA.end), count(mention.end)
    yield quote, _RDF_TYPE, iri(OA.TextQuoteSelector)
    yield quote, iri(OA.exact), Literal(mention.text)


def _distinct(base: str, document: str, mentions: Sequence[Mention]) -> dict[str, Mention]:
    """Mentions by IRI, one per span and concept, in offset order whatever the input order.

    Two mentions with one IRI are the same span of the same concept; the one kept is chosen
    by all its fields, so the choice does not depend on the order either.
    """
    chosen: dict[str, Mention] = {}
    for mention in sorted(mentions, key=_order):
        chosen.setdefault(mention_iri(base, document, mention), mention)
    return chosen


def _order(mention: Mention) -> tuple[int, int, str, str, str, float, str, str, str]:
    return (
        mention.start,
        mention.end,
        mention.primary_id,
        "|".join(mention.ids),
        mention.text,
        -mention.score,
        mention.how,
        mention.matcher_version,
        mention.label,
    )


def mention_statements(document: str, base: str, mentions: Sequence[Mention]) -> list[Statement]:
    """Statements for a document's mentions, and the document's mention count (also 0).

    The same mentions in any order give the same statements; a mention repeated (same span,
    same concept) is stated once and counted once.
    """
    doc = iri(document)
    distinct = _distinct(base, document, mentions)
    out: list[Statement] = [(doc, iri(LITKG.mentionCount), count(len(distinct)))]
    for node, mention in distinct.items():
        out.extend(_annotation(doc, iri(node), mention))
    return out


def concept_statements(mentions: Sequence[Mention]) -> list[Statement]:
    """One node per concept the mentions name (by primary identifier), sorted by identifier.

    Each carries its label, its entity type, a `skos:notation` for every identifier and a
    `skos:exactMatch` to the IRI of every identifier but its own. When mentions of one concept
    disagree, the identifiers are pooled and the smallest label and type are kept, so the
    result does not depend on the mentions' order.
    """
    by_concept: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_concept.setdefault(mention.primary_id, []).append(mention)
    out: list[Statement] = []
    for primary in sorted(by_concept):
        group = by_concept[primary]
        node = iri(concept_iri(primary))
        curies = sorted({curie for m in group for curie in m.ids})
        out.append((node, _RDF_TYPE, iri(LITKG.Concept)))
        out.append((node, _RDF_TYPE, iri(SKOS.Concept)))
        out.append((node, _RDFS_LABEL, Literal(min(m.label for m in group))))
        out.append((node, iri(LITKG.entityType), Literal(min(m.type for m in group))))
        out.extend((node, iri(SKOS.notation), Literal(curie)) for curie in curies)
        matches = sorted({concept_iri(c) for c in curies} - {node.value})
        out.extend((node, iri(SKOS.exactMatch), iri(match)) for match in matches)
    return out
