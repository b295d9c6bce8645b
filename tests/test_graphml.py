"""GraphML export: an explicit projection that networkx and igraph read back intact."""

from pathlib import Path

import igraph
import networkx as nx
import pytest
from click.testing import CliRunner

from exports.graphml import project
from kg.build import build
from kg.cli import main
from kg.export import export
from kg.store import Store
from pipelines.pubmed import iter_papers
from pipelines.pubmed.rdf import paper_graph


@pytest.fixture
def store(tmp_path: Path, fixtures: Path) -> Store:
    s = Store.open(tmp_path / "s", create=True)
    build([fixtures / "docs"], s)
    papers = iter_papers(fixtures / "pubmed" / "articles.xml")
    s.put_source_graphs([paper_graph(p, s.base_iri) for p in papers], s.base_iri + "build/t")
    return s


def test_projection_has_typed_nodes_scalar_attributes_and_typed_edges(store: Store) -> None:
    graph = project(store.quads(), store.prefixes)
    kinds = {data["type"] for _, data in graph.nodes(data=True)}
    assert {"document", "paper", "author", "journal", "concept"} <= kinds
    for _, data in graph.nodes(data=True):
        assert all(isinstance(v, str | int) for v in data.values())
        assert data["label"]
        assert data["color"].startswith("#")
    relations = {rel for _, _, rel in graph.edges(data="relation")}
    assert {"dcterms:creator", "dcterms:isPartOf", "fabio:hasSubjectTerm"} <= relations
    assert {"mentions", "subject", "object", "source"} <= relations
    # Literals are attributes, never nodes; long texts stay out.
    assert all(not n.startswith('"') for n in graph.nodes)
    assert not any("litkg_text" in data for _, data in graph.nodes(data=True))
    # Mentions, their targets and selectors are folded into `mentions` edges, not nodes.
    assert not any("/mention/" in n for n in graph.nodes)
    counts = [d["count"] for _, _, d in graph.edges(data=True) if d["relation"] == "mentions"]
    assert counts
    assert all(isinstance(n, int) and n >= 1 for n in counts)


def test_networkx_and_igraph_read_back_the_same_graph(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    written = export(store, "graphml", out)
    expected = project(store.quads(), store.prefixes)
    assert written == expected.number_of_nodes() + expected.number_of_edges()

    back = nx.read_graphml(out, force_multigraph=True)
    assert set(back.nodes) == set(expected.nodes)
    assert sorted((s, o, d["relation"]) for s, o, d in back.edges(data=True)) == sorted(
        (s, o, d["relation"]) for s, o, d in expected.edges(data=True)
    )
    for node, data in expected.nodes(data=True):
        assert back.nodes[node] == data

    ig = igraph.Graph.Read_GraphML(str(out))
    assert ig.vcount() == expected.number_of_nodes()
    assert ig.ecount() == expected.number_of_edges()
    by_id = {v["id"]: v for v in ig.vs}
    for node, data in expected.nodes(data=True):
        assert by_id[node]["label"] == data["label"]
        assert by_id[node]["type"] == data["type"]


def test_claims_view_of_the_seeds_has_both_polarities_of_stem_cell_therapy_treats_ms(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_ONTOLOGIES", str(shared / "ontologies"))
    runner = CliRunner()
    store = tmp_path / "store"
    built = runner.invoke(
        main,
        [
            "build",
            str(shared / "corpus" / "seeds"),
            "--store",
            str(store),
            "--pubmed-mirror",
            str(shared / "pubmed" / "reconstructed"),
        ],
    )
    assert built.exit_code == 0, built.output
    out = tmp_path / "claims.graphml"
    args = ["export", "--store", str(store), "--format", "graphml", "--view", "claims"]
    exported = runner.invoke(main, [*args, "--out", str(out)])
    assert exported.exit_code == 0, exported.output

    graph = nx.read_graphml(out, force_multigraph=True)
    assert {d["type"] for _, d in graph.nodes(data=True)} == {"concept"}
    therapy = "http://id.nlm.nih.gov/mesh/D033581"
    ms = "http://purl.obolibrary.org/obo/MONDO_0005301"
    assert graph.nodes[therapy]["label"] == "stem cell therapy"
    assert graph.nodes[ms]["label"] == "multiple sclerosis"
    claims = [d for s, o, d in graph.edges(data=True) if (s, o) == (therapy, ms)]
    assert {d["polarity"] for d in claims if d["predicate"] == "treats"} == {
        "positive",
        "negative",
    }
    for claim in claims:
        assert claim["sentence"]
        assert claim["source_iri"]
        assert claim["evidence_status"]
