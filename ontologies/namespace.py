"""Namespaces of the graph, with our own terms as a namespace that fails on typos.

`LITKG.Documnet` raises AttributeError instead of minting a wrong IRI;
tests/test_vocabulary.py checks that this class and schema/litkg.ttl agree.
"""

from collections.abc import Mapping

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, SKOS, DefinedNamespace

VOCAB_IRI = "https://w3id.org/litkg/vocab#"
SHAPES_IRI = "https://w3id.org/litkg/shapes#"


class LITKG(DefinedNamespace):
    """Terms of the litkg vocabulary (ontologies/schema/litkg.ttl)."""

    _NS = Namespace(VOCAB_IRI)
    _fail = True

    # classes
    Document: URIRef
    Reference: URIRef
    Paper: URIRef
    Author: URIRef
    Concept: URIRef
    Mention: URIRef
    Claim: URIRef
    Evidence: URIRef
    Build: URIRef
    Grant: URIRef
    SourceGraph: URIRef

    # properties
    text: URIRef
    sha256: URIRef
    characterCount: URIRef
    sourceKind: URIRef
    describes: URIRef
    toolVersion: URIRef
    inputCount: URIRef
    addedCount: URIRef
    skippedCount: URIRef
    failedCount: URIRef
    publisherName: URIRef
    authorName: URIRef
    pmidVersion: URIRef
    publicationType: URIRef
    majorTopic: URIRef
    chemical: URIRef
    retracted: URIRef
    authorPosition: URIRef
    affiliation: URIRef
    orcid: URIRef
    fundedBy: URIRef
    fundingAgency: URIRef
    hasReference: URIRef
    referenceCount: URIRef
    position: URIRef
    charStart: URIRef
    charEnd: URIRef
    resolutionStatus: URIRef
    resolutionScore: URIRef
    resolutionMethod: URIRef
    resolutionEvidence: URIRef
    candidate: URIRef

    # mentions, concepts, claims and evidence
    Quantity: URIRef
    entityType: URIRef
    matcherVersion: URIRef
    matchMethod: URIRef
    matchScore: URIRef
    mentionCount: URIRef
    claimCount: URIRef
    hasClaim: URIRef
    claimSubject: URIRef
    claimObject: URIRef
    claimPredicate: URIRef
    subjectText: URIRef
    objectText: URIRef
    predicateText: URIRef
    polarity: URIRef
    certainty: URIRef
    certaintyRank: URIRef
    cue: URIRef
    sentence: URIRef
    extractorVersion: URIRef
    evidenceStatus: URIRef
    hasQuantity: URIRef
    quantityKind: URIRef
    unit: URIRef
    hasEvidence: URIRef
    evidencePaper: URIRef
    viaReference: URIRef
    inferred: URIRef
    evidenceScore: URIRef
    evidenceSentence: URIRef
    support: URIRef
    evidenceStrength: URIRef
    evidenceRank: URIRef
    inferredEvidence: URIRef
    treats: URIRef
    notTreats: URIRef
    cures: URIRef
    notCures: URIRef
    reduces: URIRef
    notReduces: URIRef
    promotes: URIRef
    notPromotes: URIRef
    causes: URIRef
    notCauses: URIRef
    prevents: URIRef
    notPrevents: URIRef
    regulates: URIRef
    notRegulates: URIRef
    differentiatesInto: URIRef
    notDifferentiatesInto: URIRef
    produces: URIRef
    notProduces: URIRef
    isA: URIRef
    notIsA: URIRef
    associatedWith: URIRef
    notAssociatedWith: URIRef
    locatedIn: URIRef
    notLocatedIn: URIRef


FABIO = Namespace("http://purl.org/spar/fabio/")
BIRO = Namespace("http://purl.org/spar/biro/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
CITO = Namespace("http://purl.org/spar/cito/")
OA = Namespace("http://www.w3.org/ns/oa#")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

# Prefixes offered to every SPARQL query and used by compact output.
STANDARD_PREFIXES: dict[str, str] = {
    "litkg": VOCAB_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "prov": str(PROV),
    "skos": str(SKOS),
    "fabio": str(FABIO),
    "biro": str(BIRO),
    "bibo": str(BIBO),
    "cito": str(CITO),
    "oa": str(OA),
    "prism": str(PRISM),
    "foaf": str(FOAF),
    "obo": "http://purl.obolibrary.org/obo/",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "pubmed": "https://pubmed.ncbi.nlm.nih.gov/",
}


# The relations a claim can assert, as LITKG property names. Each has a not- form
# (`notTreats`) for the plain triple of a denial.
CLAIM_RELATIONS: tuple[str, ...] = (
    "treats",
    "cures",
    "reduces",
    "promotes",
    "causes",
    "prevents",
    "regulates",
    "differentiatesInto",
    "produces",
    "isA",
    "associatedWith",
    "locatedIn",
)


def relation_term(name: str, *, negated: bool = False) -> str:
    """The IRI of relation `name` (one of CLAIM_RELATIONS), or of its not- form.

    >>> relation_term("treats", negated=True)
    'https://w3id.org/litkg/vocab#notTreats'
    """
    local = f"not{name[0].upper()}{name[1:]}" if negated else name
    return str(getattr(LITKG, local))


def shorten(iri: str, prefixes: Mapping[str, str]) -> str | None:
    """`prefix:local` for `iri` under the longest matching namespace, None if none matches."""
    best = max(
        (p for p, ns in prefixes.items() if iri.startswith(ns)),
        key=lambda p: len(prefixes[p]),
        default=None,
    )
    return None if best is None else f"{best}:{iri[len(prefixes[best]) :]}"


__all__ = [
    "BIBO",
    "BIRO",
    "CITO",
    "CLAIM_RELATIONS",
    "DCAT",
    "DCTERMS",
    "FABIO",
    "FOAF",
    "LITKG",
    "OA",
    "PRISM",
    "PROV",
    "SHAPES_IRI",
    "SKOS",
    "STANDARD_PREFIXES",
    "VOCAB_IRI",
    "relation_term",
    "shorten",
]
