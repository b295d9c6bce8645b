"""Concept identifiers as IRIs: the ontology's own PURL, MeSH's RDF address, or ours."""

_OBO = "http://purl.obolibrary.org/obo/"
_MESH = "http://id.nlm.nih.gov/mesh/"
_OMIM = "https://omim.org/entry/"
LITKG_CONCEPTS = "https://w3id.org/litkg/concept/"


def concept_iri(curie: str) -> str:
    """The IRI of a concept identifier.

    >>> concept_iri("MONDO:0005301")
    'http://purl.obolibrary.org/obo/MONDO_0005301'
    >>> concept_iri("MESH:D009103")
    'http://id.nlm.nih.gov/mesh/D009103'
    >>> concept_iri("LITKG:oxidative-stress")
    'https://w3id.org/litkg/concept/oxidative-stress'
    """
    prefix, _, local = curie.partition(":")
    if not local:
        raise ValueError(f"not a CURIE: {curie!r}")
    upper = prefix.upper()
    if upper == "MESH":
        return _MESH + local
    if upper == "LITKG":
        return LITKG_CONCEPTS + local
    if upper == "OMIM":
        return _OMIM + local
    return f"{_OBO}{upper}_{local}"
