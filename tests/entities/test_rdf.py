"""Mentions and concepts as statements: annotation shape, determinism, identifiers, SHACL."""

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.namespace import SKOS as RDFLIB_SKOS

from kg.terms import to_rdflib
from kg.validate import load_shapes, validate_quads
from ontologies.namespace import LITKG, OA, SHAPES_IRI, SKOS
from ontologies.sources import LexiconSource, MeshSource, OboSource, TermSource
from pipelines.entities import ENTITY_TYPES, EntityType, Mention
from pipelines.entities import cache as cache_module
from pipelines.entities.cache import load_matcher
from pipelines.entities.iris import concept_iri
from pipelines.entities.rdf import concept_statements, mention_iri, mention_statements
from pipelines.rdf import Statement

BASE = "https://w3id.org/litkg/resource/"
DOC = BASE + "document/" + "a" * 64
TEXT = "Multiple sclerosis (MS) is treated with corticosteroids. MS relapses."
MS_IDS = ("MONDO:0005301", "DOID:2377", "MESH:D009103")
FIXTURES = Path(__file__).parent / "fixtures"
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def mention(
    start: int,
    end: int,
    ids: tuple[str, ...],
    label: str,
    *,
    type: EntityType = "disease",
    score: float = 1.0,
    how: str = "dictionary",
) -> Mention:
    return Mention(
        start=start,
        end=end,
        text=TEXT[start:end],
        type=type,
        ids=ids,
        label=label,
        score=score,
        matcher_version="test-1",
        how=how,
    )


MENTIONS = [
    mention(0, 18, MS_IDS, "multiple sclerosis"),
    mention(20, 22, MS_IDS, "multiple sclerosis", score=0.9, how="abbreviation"),
    mention(40, 55, ("MESH:D000305",), "Adrenal Cortex Hormones", type="drug", score=0.85),
    mention(57, 59, MS_IDS, "multiple sclerosis", score=0.9, how="abbreviation"),
]


def graph_of(statements: list[Statement]) -> Graph:
    graph = Graph()
    for s, p, o in statements:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def quads_of(statements: list[Statement]) -> list[ox.Quad]:
    name = ox.NamedNode(BASE + "graph/document/" + "a" * 64)
    return [ox.Quad(s, p, o, name) for s, p, o in statements]


def one(graph: Graph, subject: object, predicate: object) -> object:
    values = list(graph.objects(subject, predicate))  # type: ignore[arg-type]
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_each_mention_is_a_web_annotation_of_its_span() -> None:
    graph = graph_of(mention_statements(DOC, BASE, MENTIONS))
    oa = {name: URIRef(str(OA[name])) for name in ("hasBody", "hasTarget", "hasSource")}
    for m in MENTIONS:
        node = URIRef(mention_iri(BASE, DOC, m))
        assert node.startswith(BASE + "mention/")
        assert set(graph.objects(node, RDF.type)) == {
            URIRef(str(OA.Annotation)),
            URIRef(str(LITKG.Mention)),
        }
        assert one(graph, node, oa["hasBody"]) == URIRef(concept_iri(m.ids[0]))
        target = one(graph, node, oa["hasTarget"])
        assert target == URIRef(node + "/target")
        assert one(graph, target, oa["hasSource"]) == URIRef(DOC)
        selectors = set(graph.objects(target, URIRef(str(OA.hasSelector))))  # type: ignore[arg-type]
        position, quote = URIRef(target + "/position"), URIRef(target + "/quote")
        assert selectors == {position, quote}
        assert one(graph, position, RDF.type) == URIRef(str(OA.TextPositionSelector))
        start = one(graph, position, URIRef(str(OA.start)))
        end = one(graph, position, URIRef(str(OA.end)))
        assert start == Literal(m.start, datatype=XSD_INTEGER)
        assert end == Literal(m.end, datatype=XSD_INTEGER)
        assert one(graph, quote, RDF.type) == URIRef(str(OA.TextQuoteSelector))
        exact = one(graph, quote, URIRef(str(OA.exact)))
        assert str(exact) == m.text == TEXT[m.start : m.end]
        assert str(one(graph, node, URIRef(str(LITKG.entityType)))) == m.type
        assert str(one(graph, node, URIRef(str(LITKG.matcherVersion)))) == "test-1"
        assert str(one(graph, node, URIRef(str(LITKG.matchMethod)))) == m.how
        score = one(graph, node, URIRef(str(LITKG.matchScore)))
        assert isinstance(score, Literal)
        assert score.datatype == XSD_DECIMAL
        assert float(score) == pytest.approx(m.score)
    count = one(graph, URIRef(DOC), URIRef(str(LITKG.mentionCount)))
    assert count == Literal(len(MENTIONS), datatype=XSD_INTEGER)


def test_statements_are_deterministic_and_independent_of_order() -> None:
    first = mention_statements(DOC, BASE, MENTIONS)
    assert mention_statements(DOC, BASE, list(MENTIONS)) == first
    assert mention_statements(DOC, BASE, MENTIONS[::-1]) == first
    assert concept_statements(MENTIONS[::-1]) == concept_statements(MENTIONS)
    iris = [mention_iri(BASE, DOC, m) for m in MENTIONS]
    assert len(set(iris)) == len(MENTIONS)
    # The IRI hashes document, span and concept, nothing else.
    rescored = replace(MENTIONS[0], score=0.5, matcher_version="test-2")
    assert mention_iri(BASE, DOC, rescored) == iris[0]
    assert mention_iri(BASE, DOC + "x", MENTIONS[0]) != iris[0]
    assert mention_iri(BASE, DOC, replace(MENTIONS[0], end=17)) != iris[0]
    assert mention_iri(BASE, DOC, replace(MENTIONS[0], ids=("MONDO:1",))) != iris[0]


def test_a_repeated_mention_is_stated_and_counted_once() -> None:
    statements = mention_statements(DOC, BASE, [*MENTIONS, MENTIONS[1]])
    assert statements == mention_statements(DOC, BASE, MENTIONS)


def test_a_document_without_mentions_says_so() -> None:
    statements = mention_statements(DOC, BASE, [])
    assert statements == [
        (
            ox.NamedNode(DOC),
            ox.NamedNode(str(LITKG.mentionCount)),
            ox.Literal("0", datatype=ox.NamedNode(str(XSD_INTEGER))),
        )
    ]
    assert concept_statements([]) == []


def test_a_concept_carries_every_identifier_and_matches_the_others() -> None:
    graph = graph_of(concept_statements(MENTIONS))
    ms = URIRef("http://purl.obolibrary.org/obo/MONDO_0005301")
    assert set(graph.subjects(RDF.type, URIRef(str(LITKG.Concept)))) == {
        ms,
        URIRef("http://id.nlm.nih.gov/mesh/D000305"),
    }
    assert (ms, RDF.type, RDFLIB_SKOS.Concept) in graph
    assert one(graph, ms, RDFS.label) == Literal("multiple sclerosis")
    assert one(graph, ms, URIRef(str(LITKG.entityType))) == Literal("disease")
    assert {str(n) for n in graph.objects(ms, URIRef(str(SKOS.notation)))} == set(MS_IDS)
    assert set(graph.objects(ms, URIRef(str(SKOS.exactMatch)))) == {
        URIRef("http://purl.obolibrary.org/obo/DOID_2377"),
        URIRef("http://id.nlm.nih.gov/mesh/D009103"),  # a paper's fabio:hasSubjectTerm
    }
    drug = URIRef("http://id.nlm.nih.gov/mesh/D000305")
    assert one(graph, drug, URIRef(str(SKOS.notation))) == Literal("MESH:D000305")
    assert list(graph.objects(drug, URIRef(str(SKOS.exactMatch)))) == []
    assert one(graph, drug, URIRef(str(LITKG.entityType))) == Literal("drug")


def test_concepts_come_sorted_by_identifier() -> None:
    subjects = [s.value for s, _, _ in concept_statements(MENTIONS)]
    primaries = sorted({m.primary_id for m in MENTIONS})
    assert list(dict.fromkeys(subjects)) == [concept_iri(p) for p in primaries]


def test_mentions_and_concepts_conform_to_the_shapes() -> None:
    statements = mention_statements(DOC, BASE, MENTIONS) + concept_statements(MENTIONS)
    report = validate_quads(quads_of(statements), {})
    assert report.conforms, [v.line() for v in report.violations]
    assert report.triples_checked == len(set(statements))


@pytest.mark.parametrize(
    "broken",
    [
        replace(MENTIONS[0], end=0, text="x"),  # ends before it starts
        replace(MENTIONS[0], text=""),
        replace(MENTIONS[0], score=1.5),
        replace(MENTIONS[0], how="guess"),
    ],
)
def test_a_broken_mention_is_caught_by_the_mention_shape(broken: Mention) -> None:
    statements = mention_statements(DOC, BASE, [broken]) + concept_statements([broken])
    report = validate_quads(quads_of(statements), {"shape": SHAPES_IRI})
    assert not report.conforms
    assert [v.shape for v in report.violations] == ["shape:MentionShape"]


def test_a_concept_without_notation_is_caught_by_the_concept_shape() -> None:
    statements = [
        s for s in concept_statements(MENTIONS) if s[1] != ox.NamedNode(str(SKOS.notation))
    ]
    report = validate_quads(quads_of(statements), {"shape": SHAPES_IRI})
    assert {v.shape for v in report.violations} == {"shape:ConceptShape"}
    assert len(report.violations) == 2


def test_the_shapes_know_every_entity_type() -> None:
    shapes = load_shapes()
    for name in ("MentionShape", "ConceptShape"):
        shape = URIRef(SHAPES_IRI + name)
        allowed = [
            [str(v) for v in shapes.items(shapes.value(p, SH["in"]))]  # type: ignore[arg-type]
            for p in shapes.objects(shape, SH.property)
            if shapes.value(p, SH.path) == URIRef(str(LITKG.entityType))
        ]
        assert allowed == [list(ENTITY_TYPES)]


def tiny_sources() -> list[TermSource]:
    return [
        LexiconSource([FIXTURES / "tiny-lexicon.tsv"]),
        OboSource("mondo", FIXTURES / "tiny.obo"),
        MeshSource(FIXTURES / "tiny-mesh.tsv"),
    ]


def test_a_cache_file_is_read_once_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sssom = [FIXTURES / "tiny-mondo-mesh.sssom.tsv"]
    blocked = frozenset({"condition"})
    cache_module.forget_loaded_matchers()
    built = load_matcher(None, tmp_path, sources=tiny_sources(), sssom=sssom, blocklist=blocked)
    cache_module.forget_loaded_matchers()
    first = load_matcher(None, tmp_path, sources=tiny_sources(), sssom=sssom, blocklist=blocked)
    assert first is not built  # read from the file

    def no_unpickle(*args: object, **kwargs: object) -> object:
        raise AssertionError("should have come from the process's memo")

    monkeypatch.setattr(cache_module.pickle, "load", no_unpickle)
    monkeypatch.chdir(tmp_path.parent)  # the same file by another name
    again = load_matcher(
        None, Path(tmp_path.name), sources=tiny_sources(), sssom=sssom, blocklist=blocked
    )
    assert again is first
    other = load_matcher(None, tmp_path, sources=tiny_sources(), sssom=sssom, blocklist=None)
    assert other is not first  # another cache key: built, not unpickled, then remembered
    assert load_matcher(None, tmp_path, sources=tiny_sources(), sssom=sssom) is other
    monkeypatch.undo()
    cache_module.forget_loaded_matchers()
    reread = load_matcher(None, tmp_path, sources=tiny_sources(), sssom=sssom, blocklist=blocked)
    assert reread is not first
    text = "Multiple sclerosis (MS); tumours."
    assert reread.annotate(text) == first.annotate(text)


def test_a_mention_without_its_quote_selector_is_caught() -> None:
    statements = [
        s for s in mention_statements(DOC, BASE, MENTIONS[:1]) if not s[0].value.endswith("/quote")
    ]
    report = validate_quads(quads_of(statements), {"shape": SHAPES_IRI})
    assert {v.shape for v in report.violations} == {"shape:MentionShape"}
    assert {v.message for v in report.violations} == {
        "a mention's target needs exactly one oa:TextQuoteSelector",
        "a mention needs exactly one oa:exact, a non-empty string",
    }
