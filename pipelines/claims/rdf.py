"""Claims as RDF: a node per claim with how it is said and where, its evidence, and one plain
subject-predicate-object triple between grounded concepts (the `not` form for a denial).

Provenance: each claim is `prov:wasDerivedFrom` its document or paper, keeps its sentence and
offsets, and names the extractor version; the time it was read is the build that wrote its
named graph (`?graph prov:wasGeneratedBy ?build` in the default graph), which keeps the
graph itself identical between two builds of the same input.
"""

from collections.abc import Iterator, Mapping, Sequence

from pyoxigraph import Literal, NamedNode

from ontologies.namespace import CITO, LITKG, PROV, relation_term
from pipelines import ids
from pipelines.claims.extract import EXTRACTOR_VERSION
from pipelines.claims.records import CERTAINTY_RANK, Argument, Claim, Evidence
from pipelines.entities.iris import concept_iri
from pipelines.rdf import Statement, count, decimal, iri

PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDF_VALUE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
_RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=NamedNode(_XSD + "boolean"))


def relation_iri(predicate: str, polarity: str = "positive") -> str:
    """The property of the plain triple: `litkg:treats`, or `litkg:notTreats` for a denial."""
    return relation_term(predicate, negated=polarity != "positive")


def _argument_key(arg: Argument | None) -> str:
    if arg is None:
        return ""
    return arg.ids[0] if arg.ids else arg.text.lower()


def claim_iri(base: str, source: str, claim: Claim) -> str:
    """Stable for the same claim read from the same source."""
    key = ids.key_of(
        source,
        str(claim.sentence.start),
        _argument_key(claim.subject),
        claim.predicate,
        _argument_key(claim.object),
        claim.polarity,
    )
    return ids.mint(base, "claim", key)


def evidence_status(evidence: Sequence[Evidence]) -> str:
    """cited, inferred or unsupported, from what backs a claim."""
    if any(not e.inferred for e in evidence):
        return "cited"
    return "inferred" if evidence else "unsupported"


def _evidence(node: NamedNode, e: Evidence, reference: str | None) -> Iterator[Statement]:
    paper = iri(PUBMED + e.pmid)
    ev = iri(f"{node.value}/evidence/{e.pmid}")
    yield node, iri(LITKG.hasEvidence), ev
    yield node, iri(LITKG.inferredEvidence if e.inferred else CITO.citesAsEvidence), paper
    yield ev, _RDF_TYPE, iri(LITKG.Evidence)
    yield ev, iri(LITKG.evidencePaper), paper
    yield ev, iri(LITKG.inferred), _boolean(e.inferred)
    yield ev, iri(LITKG.evidenceScore), decimal(e.score)
    if e.sentence:
        yield ev, iri(LITKG.evidenceSentence), Literal(e.sentence)
    yield ev, iri(LITKG.support), Literal(e.support)
    yield ev, iri(LITKG.evidenceStrength), Literal(e.strength)
    yield ev, iri(LITKG.evidenceRank), count(e.strength_rank)
    if reference:
        yield ev, iri(LITKG.viaReference), iri(reference)


def claim_statements(
    source: str,
    base: str,
    claims: Sequence[Claim],
    evidence: Mapping[int, Sequence[Evidence]] | None = None,
    references: Mapping[int, str] | None = None,
    *,
    with_status: bool = True,
) -> list[Statement]:
    """Statements for the claims read from `source` (a document or paper IRI).

    `evidence` maps a claim's index in `claims` to what backs it; `references` maps a
    reference position to its IRI. `with_status` adds litkg:evidenceStatus (a document's
    claims; a paper's own findings are not judged by what it cites).
    """
    evidence = evidence or {}
    references = references or {}
    doc = iri(source)
    out: list[Statement] = [(doc, iri(LITKG.claimCount), count(len(claims)))]
    seen: set[str] = set()
    for index, claim in enumerate(claims):
        node_iri = claim_iri(base, source, claim)
        if node_iri in seen:
            continue
        seen.add(node_iri)
        node = iri(node_iri)
        out.append((doc, iri(LITKG.hasClaim), node))
        out.append((node, _RDF_TYPE, iri(LITKG.Claim)))
        out.append((node, iri(PROV.wasDerivedFrom), doc))
        out.append((node, iri(LITKG.sentence), Literal(claim.sentence.text)))
        out.append((node, iri(LITKG.charStart), count(claim.sentence.start)))
        out.append((node, iri(LITKG.charEnd), count(claim.sentence.end)))
        out.append((node, iri(LITKG.claimPredicate), iri(relation_iri(claim.predicate))))
        out.append((node, iri(LITKG.predicateText), Literal(claim.predicate_text)))
        if claim.subject is not None:
            out.append((node, iri(LITKG.subjectText), Literal(claim.subject.text)))
            if claim.subject.ids:
                out.append((node, iri(LITKG.claimSubject), iri(concept_iri(claim.subject.ids[0]))))
        out.append((node, iri(LITKG.objectText), Literal(claim.object.text)))
        if claim.object.ids:
            out.append((node, iri(LITKG.claimObject), iri(concept_iri(claim.object.ids[0]))))
        out.append((node, iri(LITKG.polarity), Literal(claim.polarity)))
        out.append((node, iri(LITKG.certainty), Literal(claim.certainty)))
        out.append((node, iri(LITKG.certaintyRank), count(CERTAINTY_RANK[claim.certainty])))
        out.extend((node, iri(LITKG.cue), Literal(cue)) for cue in sorted(set(claim.cues)))
        out.append((node, iri(LITKG.extractorVersion), Literal(EXTRACTOR_VERSION)))
        for n, quantity in enumerate(claim.quantities):
            q = iri(f"{node_iri}/quantity/{n}")
            out.append((node, iri(LITKG.hasQuantity), q))
            out.append((q, _RDF_TYPE, iri(LITKG.Quantity)))
            out.append((q, iri(LITKG.quantityKind), Literal(quantity.kind)))
            out.append((q, _RDF_VALUE, decimal(quantity.value)))
            out.append((q, iri(LITKG.unit), Literal(quantity.unit)))
            out.append((q, _RDFS_LABEL, Literal(quantity.text)))
        backing = evidence.get(index, ())
        if with_status:
            out.append((node, iri(LITKG.evidenceStatus), Literal(evidence_status(backing))))
        for e in backing:
            position = e.reference_position
            out.extend(
                _evidence(node, e, references.get(position) if position is not None else None)
            )
        if claim.subject is not None and claim.subject.ids and claim.object.ids:
            out.append(
                (
                    iri(concept_iri(claim.subject.ids[0])),
                    iri(relation_iri(claim.predicate, claim.polarity)),
                    iri(concept_iri(claim.object.ids[0])),
                )
            )
    return out
