"""KGX TSV: the graph as `nodes.tsv` and `edges.tsv` in the Biolink KGX layout.

`kg export --format kgx --out DIR` writes DIR/nodes.tsv and DIR/edges.tsv (the names KGX's
TSV reader recognises). Tab-separated, one header line, no quoting (KGX reads with
`quoting=QUOTE_NONE`): tabs and line breaks inside values become spaces; list-valued columns
(`category`, `xref`, `publications`) are joined with "|". Rows are sorted by id and columns
fixed, so the same graph always gives the same bytes.

Nodes: concepts, documents and papers of the projection (`exports.projection`). Identifiers are
CURIEs as Biolink writes them (MONDO:0005301, CL:0000034, MESH:D009103, PMID:31394007,
LITKG:remyelination); resources of our own store keep the store's prefix (res:document/...).

    litkg:entityType  ->  category
    disease              biolink:Disease
    cell_type            biolink:Cell
    mechanism            biolink:BiologicalProcess
    intervention         biolink:Treatment (the domain of biolink:treats, unlike Procedure)
    anatomy              biolink:AnatomicalEntity
    drug                 biolink:ChemicalEntity (MeSH "drugs" include classes such as
                         Antioxidants; biolink:Drug is a product)
    (none)               biolink:NamedThing
    document, paper      biolink:Publication

Edges:
- one per claim with a grounded subject and object (category biolink:Association), id the
  claim's CURIE, `negated` True when the source denies the relation, `publications` the source
  document or paper and the papers given as evidence, `supporting_text` the sentence;
- one `biolink:mentions` per document or paper and concept it mentions
  (biolink:InformationContentEntityToNamedThingAssociation), `has_count` mentions.
All edges: knowledge_level knowledge_assertion (a source asserts it), agent_type
text_mining_agent, primary_knowledge_source and provided_by infores:litkg.

    litkg predicate     ->  Biolink predicate            object_direction_qualifier
    treats, cures           biolink:treats
    reduces                 biolink:affects                 decreased
    promotes                biolink:affects                 increased
    causes                  biolink:causes
    prevents                biolink:preventative_for_condition
    regulates               biolink:regulates
    differentiatesInto      biolink:develops_into
    produces                biolink:produces
    isA                     biolink:subclass_of
    associatedWith          biolink:associated_with
    locatedIn               biolink:located_in
    (anything else)         biolink:related_to

The litkg predicate stays in `original_predicate`; `certainty` and `evidence_status` are
litkg's own columns.
"""

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO

import pyoxigraph as ox
from rdflib.namespace import SKOS

from exports.projection import ClaimEdge, Collected, collect, curie
from ontologies.namespace import FABIO, LITKG, PRISM

KGX_FILES = ("nodes.tsv", "edges.tsv")
NODE_COLUMNS = ("id", "category", "name", "xref", "provided_by", "iri")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "category",
    "negated",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "provided_by",
    "publications",
    "object_direction_qualifier",
    "original_predicate",
    "supporting_text",
    "certainty",
    "evidence_status",
    "has_count",
)
_LIST_COLUMNS = frozenset({"category", "xref", "publications"})
ENTITY_CATEGORIES: dict[str, str] = {
    "disease": "biolink:Disease",
    "cell_type": "biolink:Cell",
    "mechanism": "biolink:BiologicalProcess",
    "intervention": "biolink:Treatment",
    "anatomy": "biolink:AnatomicalEntity",
    "drug": "biolink:ChemicalEntity",
}
DEFAULT_CATEGORY = "biolink:NamedThing"
PUBLICATION = "biolink:Publication"
# litkg relation -> (Biolink predicate, object direction qualifier)
PREDICATES: dict[str, tuple[str, str | None]] = {
    "treats": ("biolink:treats", None),
    "cures": ("biolink:treats", None),
    "reduces": ("biolink:affects", "decreased"),
    "promotes": ("biolink:affects", "increased"),
    "causes": ("biolink:causes", None),
    "prevents": ("biolink:preventative_for_condition", None),
    "regulates": ("biolink:regulates", None),
    "differentiatesInto": ("biolink:develops_into", None),
    "produces": ("biolink:produces", None),
    "isA": ("biolink:subclass_of", None),
    "associatedWith": ("biolink:associated_with", None),
    "locatedIn": ("biolink:located_in", None),
}
FALLBACK_PREDICATE = "biolink:related_to"
INFORES = "infores:litkg"
_CLAIM_CATEGORY = "biolink:Association"
_MENTION_CATEGORY = "biolink:InformationContentEntityToNamedThingAssociation"
_SHARED_EDGE_FIELDS = {
    "knowledge_level": "knowledge_assertion",
    "agent_type": "text_mining_agent",
    "primary_knowledge_source": INFORES,
    "provided_by": INFORES,
}
_NODE_KINDS = frozenset({"concept", "document", "paper"})

Row = dict[str, str | Sequence[str] | None]


def write_kgx(
    quads: Iterable[ox.Quad],
    outs: Mapping[str, BinaryIO],
    *,
    prefixes: Mapping[str, str] | None = None,
) -> int:
    """Write `outs["nodes.tsv"]` and `outs["edges.tsv"]`; returns the rows (nodes + edges)."""
    collected = collect(quads, prefixes)
    nodes = sorted(node_rows(collected), key=lambda r: str(r["id"]))
    edges = sorted(edge_rows(collected), key=lambda r: str(r["id"]))
    _write_table(outs["nodes.tsv"], NODE_COLUMNS, nodes)
    _write_table(outs["edges.tsv"], EDGE_COLUMNS, edges)
    return len(nodes) + len(edges)


def node_rows(c: Collected) -> Iterator[Row]:
    """Concepts, documents and papers as KGX node rows."""
    for iri, kind in c.kinds.items():
        if kind not in _NODE_KINDS:
            continue
        own = curie(iri, c.prefixes)
        xrefs: set[str] = {curie(x, c.prefixes) for x in c.xrefs.get(iri, ())}
        literals = c.literals.get(iri, {})
        if kind == "concept":
            types = {str(t) for t in literals.get(str(LITKG.entityType), ())}
            categories = sorted({ENTITY_CATEGORIES.get(t, DEFAULT_CATEGORY) for t in types})
            xrefs.update(str(n) for n in literals.get(str(SKOS.notation), ()))
        else:
            categories = [PUBLICATION]
            xrefs.update(f"doi:{d}" for d in literals.get(str(PRISM.doi), ()))
            xrefs.update(f"PMCID:{p}" for p in literals.get(str(FABIO.hasPubMedCentralId), ()))
        yield {
            "id": own,
            "category": categories or [DEFAULT_CATEGORY],
            "name": c.label(iri),
            "xref": sorted(xrefs - {own}),
            "provided_by": INFORES,
            "iri": iri,
        }


def edge_rows(c: Collected) -> Iterator[Row]:
    """Claims and aggregated mentions as KGX edge rows."""
    for claim in c.claim_edges():
        yield _claim_row(c, claim)
    for (source, concept), count in c.mentions.items():
        if c.kinds.get(source) not in ("document", "paper") or c.kinds.get(concept) != "concept":
            continue
        subject, obj = curie(source, c.prefixes), curie(concept, c.prefixes)
        digest = hashlib.blake2b(f"{subject}\nbiolink:mentions\n{obj}".encode(), digest_size=16)
        yield {
            "id": f"urn:litkg:mentions:{digest.hexdigest()}",
            "subject": subject,
            "predicate": "biolink:mentions",
            "object": obj,
            "category": [_MENTION_CATEGORY],
            "negated": "False",
            **_SHARED_EDGE_FIELDS,
            "publications": [subject],
            "has_count": str(count),
        }


def _claim_row(c: Collected, claim: ClaimEdge) -> Row:
    predicate, direction = PREDICATES.get(claim.relation, (FALLBACK_PREDICATE, None))
    papers = {e.paper for e in claim.evidence if e.paper} | set(claim.cited)
    publications = {curie(p, c.prefixes) for p in papers}
    if claim.source:
        publications.add(curie(claim.source, c.prefixes))
    return {
        "id": curie(claim.claim, c.prefixes),
        "subject": curie(claim.subject, c.prefixes),
        "predicate": predicate,
        "object": curie(claim.object, c.prefixes),
        "category": [_CLAIM_CATEGORY],
        "negated": str(claim.negative),
        **_SHARED_EDGE_FIELDS,
        "publications": sorted(publications),
        "object_direction_qualifier": direction,
        "original_predicate": c.short(claim.predicate) if claim.predicate else None,
        "supporting_text": _text(claim.first(str(LITKG.sentence))),
        "certainty": _text(claim.first(str(LITKG.certainty))),
        "evidence_status": _text(claim.first(str(LITKG.evidenceStatus))),
    }


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _cell(column: str, value: str | Sequence[str] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _flat(value)
    joined = (_flat(v).replace("|", "/") for v in value)
    return "|".join(joined) if column in _LIST_COLUMNS else _flat(" ".join(value))


def _flat(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines()) if text else ""


def _write_table(out: BinaryIO, columns: Sequence[str], rows: Iterable[Row]) -> None:
    out.write(("\t".join(columns) + "\n").encode("utf-8"))
    for row in rows:
        line = "\t".join(_cell(column, row.get(column)) for column in columns)
        out.write((line + "\n").encode("utf-8"))
