"""Our namespace, schema and shapes agree with each other."""

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from ontologies import LITKG, schema_path, shapes_path
from ontologies.namespace import VOCAB_IRI


@pytest.fixture(scope="module")
def schema() -> Graph:
    return Graph().parse(schema_path(), format="turtle")


def declared_terms(schema: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.DatatypeProperty, OWL.ObjectProperty)
    return {
        str(s)[len(VOCAB_IRI) :]
        for kind in kinds
        for s in schema.subjects(RDF.type, kind)
        if str(s).startswith(VOCAB_IRI)
    }


def test_namespace_and_turtle_declare_the_same_terms(schema: Graph) -> None:
    in_python = set(LITKG.__annotations__)
    assert in_python == declared_terms(schema)


def test_every_term_has_a_label_and_a_comment(schema: Graph) -> None:
    for name in declared_terms(schema):
        term = URIRef(VOCAB_IRI + name)
        assert schema.value(term, RDFS.label), f"{name} has no rdfs:label"
        assert schema.value(term, RDFS.comment), f"{name} has no rdfs:comment"


def test_a_misspelt_term_raises() -> None:
    assert str(LITKG.Document) == VOCAB_IRI + "Document"
    with pytest.raises(AttributeError):
        _ = LITKG.Documnet


def test_shapes_use_only_declared_litkg_terms(schema: Graph) -> None:
    shapes = Graph().parse(shapes_path(), format="turtle")
    used = {
        str(o)[len(VOCAB_IRI) :]
        for o in shapes.objects()
        if isinstance(o, URIRef) and str(o).startswith(VOCAB_IRI)
    }
    assert used, "the shapes name no litkg term at all"
    assert used <= declared_terms(schema)
    assert set(shapes.subjects(RDF.type, SH.NodeShape))


def test_claim_relations_are_vocabulary_terms_and_the_extractors_predicates() -> None:
    from ontologies.namespace import CLAIM_RELATIONS, relation_term
    from pipelines.claims.records import PREDICATES

    assert PREDICATES == CLAIM_RELATIONS
    declared = set(LITKG.__annotations__)
    for name in CLAIM_RELATIONS:
        for negated in (False, True):
            assert relation_term(name, negated=negated)[len(VOCAB_IRI) :] in declared
