"""PubMed records as named graphs: fields, links, determinism and SHACL validity."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import Store
from kg.validate import validate_quads
from ontologies import LITKG
from pipelines.pubmed import iter_papers
from pipelines.pubmed.rdf import paper_graph
from pipelines.rdf import SourceGraph, source_graph_record

BASE = "https://w3id.org/litkg/resource/"


@pytest.fixture(scope="module")
def graphs(fixtures_dir: Path) -> list[SourceGraph]:
    return [paper_graph(p, BASE) for p in iter_papers(fixtures_dir / "articles.xml")]


@pytest.fixture(scope="module")
def fixtures_dir() -> Path:
    return Path(__file__).parents[1] / "fixtures" / "pubmed"


def store_of(graphs: list[SourceGraph]) -> Store:
    store = Store.memory()
    build = ox.NamedNode(BASE + "build/test")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.add([ox.Quad(build, rdf_type, ox.NamedNode(str(LITKG.Build)), ox.DefaultGraph())])
    store.put_source_graphs(graphs, build.value)
    return store


def test_each_record_is_one_graph_named_by_its_pmid(graphs: list[SourceGraph]) -> None:
    assert [g.iri.rsplit("/", 1)[1] for g in graphs] == [
        g.describes.rsplit("/", 1)[1] for g in graphs
    ]
    assert all(g.kind == "pubmed-record" for g in graphs)
    assert all(q.graph_name == ox.NamedNode(g.iri) for g in graphs for q in g.quads)


def test_mapping_is_deterministic(fixtures_dir: Path, graphs: list[SourceGraph]) -> None:
    again = [paper_graph(p, BASE) for p in iter_papers(fixtures_dir / "articles.xml")]
    assert [g.quads for g in again] == [g.quads for g in graphs]
    assert [g.sha256 for g in again] == [g.sha256 for g in graphs]


def test_fields_links_and_retraction_are_queryable(graphs: list[SourceGraph]) -> None:
    store = store_of(graphs)
    retracted = store.query(
        "SELECT ?p ?notice WHERE { ?p a litkg:Paper ; litkg:retracted true . "
        "?notice cito:retracts ?p }"
    ).rows
    assert len(retracted) == 1
    orcids = store.query("SELECT ?o WHERE { ?a litkg:orcid ?o }").rows
    assert {str(r[0]) for r in orcids} >= {"https://orcid.org/0000-0002-9335-0653"}
    titles = store.query("SELECT ?t WHERE { ?p a litkg:Paper ; dcterms:title ?t }").rows
    assert len(titles) == 3
    headings = store.query(
        "SELECT ?d ?label WHERE { ?p fabio:hasSubjectTerm ?d . ?d rdfs:label ?label }"
    ).rows
    assert headings
    assert all(str(d).startswith("http://id.nlm.nih.gov/mesh/D") for d, _ in headings)


def test_paper_graphs_conform_to_the_shapes(graphs: list[SourceGraph]) -> None:
    quads = [q for g in graphs for q in g.quads]
    report = validate_quads(quads, {})
    assert report.conforms, [v.line() for v in report.violations]


def test_a_wrong_doi_is_caught_by_the_paper_shape(graphs: list[SourceGraph]) -> None:
    subject = ox.NamedNode(graphs[0].describes)
    bad = ox.Quad(
        subject,
        ox.NamedNode("http://prismstandard.org/namespaces/basic/2.0/doi"),
        ox.Literal("not a doi"),
        ox.NamedNode(graphs[0].iri),
    )
    report = validate_quads([*graphs[0].quads, bad], {"shape": "https://w3id.org/litkg/shapes#"})
    assert not report.conforms
    assert {v.shape for v in report.violations} == {"shape:PaperShape"}


def test_seed_papers_map_with_identifiers(shared: Path) -> None:
    folder = shared / "pubmed" / "reconstructed"
    papers = {p.pmid: p for f in sorted(folder.glob("*.xml")) for p in iter_papers(f)}
    graph = paper_graph(papers["21197107"], BASE)
    text = "\n".join(map(str, graph.quads))
    assert '"10.4061/2011/164608"' in text
    assert '"PMC3010615"' in text
    assert "<http://id.nlm.nih.gov/mesh/D016454>" in text  # Review
    assert source_graph_record(graph, BASE + "build/x")
