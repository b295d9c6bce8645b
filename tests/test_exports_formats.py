"""GraphML, Cytoscape.js and KGX exports of a small hand-built graph: each read back intact."""

import csv
import io
import json
import random
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from exports.cytoscape import write_cytoscape
from exports.graphml import write_graphml
from exports.kgx import EDGE_COLUMNS, KGX_FILES, NODE_COLUMNS, write_kgx
from exports.projection import project
from kg.cli import main
from kg.store import Store
from ontologies.namespace import STANDARD_PREFIXES

V = STANDARD_PREFIXES["litkg"]
OA = STANDARD_PREFIXES["oa"]
XSD = STANDARD_PREFIXES["xsd"]
RDF_TYPE = STANDARD_PREFIXES["rdf"] + "type"
RDFS_LABEL = STANDARD_PREFIXES["rdfs"] + "label"
SKOS = STANDARD_PREFIXES["skos"]
TITLE = STANDARD_PREFIXES["dcterms"] + "title"
CITO = STANDARD_PREFIXES["cito"]
RES = "https://w3id.org/litkg/resource/"
PREFIXES = {**STANDARD_PREFIXES, "res": RES}

DOC = RES + "document/d1"
PAPER = "https://pubmed.ncbi.nlm.nih.gov/111"
PAPER2 = "https://pubmed.ncbi.nlm.nih.gov/222"
SCT = "http://id.nlm.nih.gov/mesh/D033581"
MS = "http://purl.obolibrary.org/obo/MONDO_0005301"
REMYELINATION = "http://id.nlm.nih.gov/mesh/D000074586"
C_TREATS, C_DENIES, C_UNGROUNDED, C_ABSTRACT = (RES + f"claim/c{i}" for i in range(1, 5))
DOC_TITLE = 'Stem cells & MS: "hope" <or> hype'
DENIAL = "Stem cell therapy does not\ttreat MS,\nsay the authors."


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _lit(value: object) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=_iri(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=_iri(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(str(value), datatype=_iri(XSD + "decimal"))
    return ox.Literal(str(value))


def _quads(graph: str, triples: list[tuple[str, str, object]]) -> Iterator[ox.Quad]:
    for s, p, o in triples:
        obj = _iri(o) if isinstance(o, str) and o.startswith("http") else _lit(o)
        yield ox.Quad(_iri(s), _iri(p), obj, _iri(graph))


def _concept(iri: str, label: str, kind: str, notation: str) -> list[tuple[str, str, object]]:
    return [
        (iri, RDF_TYPE, V + "Concept"),
        (iri, RDF_TYPE, SKOS + "Concept"),
        (iri, RDFS_LABEL, label),
        (iri, V + "entityType", kind),
        (iri, SKOS + "notation", notation),
    ]


def _mention(name: str, concept: str, source: str) -> list[tuple[str, str, object]]:
    m = RES + f"mention/{name}"
    t = m + "/target"
    return [
        (m, RDF_TYPE, OA + "Annotation"),
        (m, RDF_TYPE, V + "Mention"),
        (m, OA + "hasBody", concept),
        (m, OA + "hasTarget", t),
        (m, V + "entityType", "disease"),
        (m, V + "matchScore", 1.0),
        (t, RDF_TYPE, OA + "SpecificResource"),
        (t, OA + "hasSource", source),
        (t, OA + "hasSelector", t + "/position"),
        (t + "/position", RDF_TYPE, OA + "TextPositionSelector"),
        (t + "/position", OA + "start", 3),
        (t + "/position", OA + "end", 9),
    ]


def _claim(
    iri: str, source: str, predicate: str, polarity: str, sentence: str
) -> list[tuple[str, str, object]]:
    return [
        (iri, RDF_TYPE, V + "Claim"),
        (source, V + "hasClaim", iri),
        (iri, STANDARD_PREFIXES["prov"] + "wasDerivedFrom", source),
        (iri, V + "claimPredicate", V + predicate),
        (iri, V + "polarity", polarity),
        (iri, V + "certainty", "asserted"),
        (iri, V + "certaintyRank", 2),
        (iri, V + "sentence", sentence),
    ]


def sample_quads() -> list[ox.Quad]:
    """A document and two papers, three concepts, four claims, mentions and evidence."""
    evidence = C_TREATS + "/evidence/111"
    against = C_TREATS + "/evidence/222"
    document = [
        (DOC, RDF_TYPE, V + "Document"),
        (DOC, TITLE, DOC_TITLE),
        (DOC, V + "text", "A very long text " * 50),
        (DOC, V + "mentionCount", 3),
        (DOC, CITO + "cites", PAPER),
        *_concept(SCT, "stem cell therapy", "intervention", "MESH:D033581"),
        *_concept(MS, "multiple sclerosis", "disease", "MONDO:0005301"),
        (MS, SKOS + "exactMatch", "http://id.nlm.nih.gov/mesh/D009103"),
        *_claim(C_TREATS, DOC, "treats", "positive", "Stem cell therapy treats MS [1]."),
        (C_TREATS, V + "claimSubject", SCT),
        (C_TREATS, V + "claimObject", MS),
        (C_TREATS, V + "subjectText", "stem cell therapy"),
        (C_TREATS, V + "objectText", "MS"),
        (C_TREATS, V + "evidenceStatus", "inferred"),
        (C_TREATS, V + "hasEvidence", evidence),
        (C_TREATS, V + "hasEvidence", against),
        (C_TREATS, V + "inferredEvidence", PAPER),
        (C_TREATS, V + "hasQuantity", C_TREATS + "/quantity/0"),
        (C_TREATS + "/quantity/0", RDF_TYPE, V + "Quantity"),
        (C_TREATS + "/quantity/0", RDFS_LABEL, "617 patients"),
        (evidence, RDF_TYPE, V + "Evidence"),
        (evidence, V + "evidencePaper", PAPER),
        (evidence, V + "support", "supports"),
        (evidence, V + "inferred", True),
        (evidence, V + "evidenceScore", 0.62),
        (evidence, V + "evidenceRank", 2),
        (evidence, V + "evidenceStrength", "review"),
        (against, RDF_TYPE, V + "Evidence"),
        (against, V + "evidencePaper", PAPER2),
        (against, V + "support", "contradicts"),
        (against, V + "inferred", False),
        (against, V + "evidenceScore", 0.4),
        *_claim(C_DENIES, DOC, "treats", "negative", DENIAL),
        (C_DENIES, V + "claimSubject", SCT),
        (C_DENIES, V + "claimObject", MS),
        (C_DENIES, V + "evidenceStatus", "cited"),
        (C_DENIES, CITO + "citesAsEvidence", PAPER2),
        *_claim(C_UNGROUNDED, DOC, "promotes", "positive", "It promotes remyelination."),
        (C_UNGROUNDED, V + "claimObject", REMYELINATION),
        (SCT, V + "treats", MS),
        (SCT, V + "notTreats", MS),
        *_mention("m1", MS, DOC),
        *_mention("m2", MS, DOC),
        *_mention("m3", SCT, DOC),
    ]
    paper = [
        (PAPER, RDF_TYPE, V + "Paper"),
        (PAPER, TITLE, "Autologous stem cells in MS"),
        (PAPER, STANDARD_PREFIXES["prism"] + "doi", "10.1000/xyz"),
        (PAPER, V + "retracted", False),
        *_concept(REMYELINATION, "remyelination", "mechanism", "MESH:D000074586"),
        *_claim(C_ABSTRACT, PAPER, "promotes", "positive", "Stem cells promote remyelination."),
        (C_ABSTRACT, V + "claimSubject", SCT),
        (C_ABSTRACT, V + "claimObject", REMYELINATION),
        *_mention("m4", MS, PAPER),
    ]
    other = [(PAPER2, RDF_TYPE, V + "Paper"), (PAPER2, TITLE, "A negative trial")]
    return [
        *_quads(DOC, document),
        *_quads(RES + "graph/p111", paper),
        *_quads(RES + "graph/p222", other),
    ]


def shuffled(quads: list[ox.Quad]) -> list[ox.Quad]:
    copy = list(quads)
    random.Random(7).shuffle(copy)
    return copy


def _edges(graph: "nx.MultiDiGraph[str]") -> dict[tuple[str, str, str], dict[str, object]]:
    return {(s, o, str(k)): d for s, o, k, d in graph.edges(keys=True, data=True)}


# ------------------------------------------------------------------ projection


def test_full_view_keeps_documents_papers_concepts_claims_and_folds_the_rest() -> None:
    graph = project(sample_quads(), PREFIXES)
    kinds = {n: d["type"] for n, d in graph.nodes(data=True)}
    assert kinds == {
        DOC: "document",
        PAPER: "paper",
        PAPER2: "paper",
        SCT: "concept",
        MS: "concept",
        REMYELINATION: "concept",
        C_TREATS: "claim",
        C_DENIES: "claim",
        C_UNGROUNDED: "claim",
        C_ABSTRACT: "claim",
    }
    for _, data in graph.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
        assert data["label"]
        assert data["color"].startswith("#")
    assert "litkg_text" not in graph.nodes[DOC]  # long texts stay in RDF
    assert graph.nodes[DOC]["label"] == DOC_TITLE
    assert graph.nodes[PAPER]["litkg_retracted"] is False
    assert graph.nodes[MS]["xref"] == "MESH:D009103"
    assert graph.nodes[C_TREATS]["label"] == "stem cell therapy treats MS"

    by_relation: dict[str, set[tuple[str, str]]] = {}
    for s, o, rel in graph.edges(data="relation"):
        by_relation.setdefault(rel, set()).add((s, o))
    assert by_relation["mentions"] == {(DOC, MS), (DOC, SCT), (PAPER, MS)}
    assert by_relation["cites"] == {(DOC, PAPER)}
    assert by_relation["subject"] == {(C_TREATS, SCT), (C_DENIES, SCT), (C_ABSTRACT, SCT)}
    assert (C_UNGROUNDED, REMYELINATION) in by_relation["object"]
    assert by_relation["source"] == {
        (C_TREATS, DOC),
        (C_DENIES, DOC),
        (C_UNGROUNDED, DOC),
        (C_ABSTRACT, PAPER),
    }
    assert by_relation["supports"] == {(C_TREATS, PAPER)}
    assert by_relation["contradicts"] == {(C_TREATS, PAPER2)}
    assert by_relation["evidence"] == {(C_DENIES, PAPER2)}
    # The plain concept -> concept triples are the claims' business (see the claims view).
    assert not {"litkg:treats", "litkg:notTreats"} & set(by_relation)

    edges = {(s, d["relation"], o): d for s, o, d in graph.edges(data=True)}
    assert edges[(DOC, "mentions", MS)]["count"] == 2
    assert edges[(PAPER, "mentions", MS)]["count"] == 1
    supports = edges[(C_TREATS, "supports", PAPER)]
    assert (supports["score"], supports["inferred"], supports["strength"]) == (0.62, True, "review")
    assert edges[(C_TREATS, "contradicts", PAPER2)]["inferred"] is False
    assert edges[(C_DENIES, "evidence", PAPER2)]["inferred"] is False


def test_claims_view_is_one_edge_per_grounded_claim() -> None:
    graph = project(sample_quads(), PREFIXES, view="claims")
    assert set(graph.nodes) == {SCT, MS, REMYELINATION}
    assert {d["type"] for _, d in graph.nodes(data=True)} == {"concept"}
    edges = _edges(graph)
    assert set(edges) == {
        (SCT, MS, C_TREATS),
        (SCT, MS, C_DENIES),
        (SCT, REMYELINATION, C_ABSTRACT),
    }
    treats = edges[(SCT, MS, C_TREATS)]
    assert treats["predicate"] == "treats"
    assert treats["polarity"] == "positive"
    assert treats["certainty"] == "asserted"
    assert treats["sentence"] == "Stem cell therapy treats MS [1]."
    assert treats["source_iri"] == DOC
    assert treats["source_label"] == DOC_TITLE
    assert treats["evidence_status"] == "inferred"
    assert (treats["supports"], treats["contradicts"], treats["evidence_count"]) == (1, 1, 2)
    assert treats["evidence_papers"] == "PMID:111 | PMID:222"
    denial = edges[(SCT, MS, C_DENIES)]
    assert (denial["polarity"], denial["label"]) == ("negative", "not treats")
    assert denial["color"] != treats["color"]
    assert edges[(SCT, REMYELINATION, C_ABSTRACT)]["source_iri"] == PAPER


@pytest.mark.parametrize("view", ["full", "claims"])
def test_projection_does_not_depend_on_quad_order(view: str) -> None:
    quads = sample_quads()
    first = project(iter(quads), PREFIXES, view=view)
    second = project(iter(shuffled(quads)), PREFIXES, view=view)
    assert dict(first.nodes(data=True)) == dict(second.nodes(data=True))
    assert _edges(first) == _edges(second)


def test_unknown_view_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown view"):
        project(sample_quads(), PREFIXES, view="mentions")


# ------------------------------------------------------------------ GraphML


@pytest.mark.parametrize("view", ["full", "claims"])
def test_graphml_reads_back_in_networkx_and_igraph(view: str, tmp_path: Path) -> None:
    expected = project(sample_quads(), PREFIXES, view=view)
    out = tmp_path / "g.graphml"
    with out.open("wb") as handle:
        written = write_graphml(iter(sample_quads()), handle, prefixes=PREFIXES, view=view)
    assert written == expected.number_of_nodes() + expected.number_of_edges()

    back = nx.read_graphml(out, force_multigraph=True)
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(back) == _edges(expected)

    ig = igraph.Graph.Read_GraphML(str(out))
    assert ig.vcount() == expected.number_of_nodes()
    assert ig.ecount() == expected.number_of_edges()
    by_id = {v["id"]: v for v in ig.vs}
    for node, data in expected.nodes(data=True):
        assert by_id[node]["label"] == data["label"]
        assert by_id[node]["type"] == data["type"]
    ig_edges = Counter((ig.vs[e.source]["id"], ig.vs[e.target]["id"], e["relation"]) for e in ig.es)
    assert ig_edges == Counter((s, o, d["relation"]) for s, o, d in expected.edges(data=True))
    if view == "claims":
        polarity = {e["claim"]: e["polarity"] for e in ig.es}
        assert polarity[C_DENIES] == "negative"
        assert polarity[C_TREATS] == "positive"


def test_graphml_declares_each_key_once_with_a_unique_id(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_graphml(sample_quads(), buffer, prefixes=PREFIXES, view="claims")
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    root = ET.fromstring(buffer.getvalue())
    keys = root.findall(f"{ns}key")
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids))
    declared = [(k.get("for"), k.get("attr.name")) for k in keys]
    assert len(declared) == len(set(declared))
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert types[("node", "label")] == types[("edge", "label")] == "string"
    assert types[("edge", "certainty_rank")] == "long"
    edge_ids = [e.get("id") for e in root.iter(f"{ns}edge")]
    assert len(edge_ids) == len(set(edge_ids))


def test_graphml_is_the_same_bytes_whatever_the_quad_order() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    write_graphml(sample_quads(), first, prefixes=PREFIXES)
    write_graphml(shuffled(sample_quads()), second, prefixes=PREFIXES)
    assert first.getvalue() == second.getvalue()


def test_exports_stream_quads_without_building_an_rdflib_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an export built an rdflib graph")

    monkeypatch.setattr(rdflib.Graph, "__init__", refuse)
    consumed = []

    def once() -> Iterator[ox.Quad]:
        consumed.append(True)
        yield from sample_quads()

    write_graphml(once(), io.BytesIO(), prefixes=PREFIXES)
    write_cytoscape(once(), io.BytesIO(), prefixes=PREFIXES, view="claims")
    write_kgx(once(), {name: io.BytesIO() for name in KGX_FILES}, prefixes=PREFIXES)
    assert len(consumed) == 3


# ------------------------------------------------------------------ KGX


def _kgx(quads: list[ox.Quad]) -> dict[str, bytes]:
    outs = {name: io.BytesIO() for name in KGX_FILES}
    write_kgx(quads, outs, prefixes=PREFIXES)
    return {name: out.getvalue() for name, out in outs.items()}


def _rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    lines = data.decode("utf-8").splitlines()
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header, *rows = list(reader)
    assert all(len(row) == len(header) for row in rows)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def test_kgx_tables_have_the_kgx_columns_and_biolink_terms() -> None:
    files = _kgx(sample_quads())
    node_header, nodes = _rows(files["nodes.tsv"])
    edge_header, edges = _rows(files["edges.tsv"])
    assert {"id", "category", "name", "xref", "provided_by"} <= set(node_header)
    assert list(node_header) == list(NODE_COLUMNS)
    assert {
        "id",
        "subject",
        "predicate",
        "object",
        "category",
        "knowledge_level",
        "agent_type",
        "provided_by",
        "negated",
        "publications",
    } <= set(edge_header)
    assert list(edge_header) == list(EDGE_COLUMNS)

    by_id = {n["id"]: n for n in nodes}
    assert len(by_id) == len(nodes)
    assert by_id["MESH:D033581"]["category"] == "biolink:Treatment"
    assert by_id["MONDO:0005301"]["category"] == "biolink:Disease"
    assert by_id["MONDO:0005301"]["xref"] == "MESH:D009103"
    assert by_id["MESH:D000074586"]["category"] == "biolink:BiologicalProcess"
    assert by_id["PMID:111"]["category"] == "biolink:Publication"
    assert by_id["PMID:111"]["xref"] == "doi:10.1000/xyz"
    assert by_id["res:document/d1"]["name"] == DOC_TITLE
    assert all(n["provided_by"] == "infores:litkg" for n in nodes)

    for edge in edges:
        assert edge["subject"] in by_id, edge
        assert edge["object"] in by_id, edge
        assert edge["predicate"].startswith("biolink:")
        assert edge["negated"] in ("True", "False")
    claims = {e["id"]: e for e in edges if e["category"] == "biolink:Association"}
    assert set(claims) == {"res:claim/c1", "res:claim/c2", "res:claim/c4"}
    treats, denial = claims["res:claim/c1"], claims["res:claim/c2"]
    assert (treats["subject"], treats["predicate"], treats["object"]) == (
        "MESH:D033581",
        "biolink:treats",
        "MONDO:0005301",
    )
    assert treats["negated"] == "False"
    assert denial["negated"] == "True"
    assert denial["predicate"] == "biolink:treats"
    assert treats["publications"].split("|") == ["PMID:111", "PMID:222", "res:document/d1"]
    assert treats["agent_type"] == "text_mining_agent"
    # A tab and a line break in the sentence do not break the row.
    assert denial["supporting_text"] == "Stem cell therapy does not treat MS, say the authors."
    promotes = claims["res:claim/c4"]
    assert (promotes["predicate"], promotes["object_direction_qualifier"]) == (
        "biolink:affects",
        "increased",
    )
    mentions = {
        (e["subject"], e["object"]): e["has_count"]
        for e in edges
        if e["predicate"] == "biolink:mentions"
    }
    assert mentions == {
        ("res:document/d1", "MONDO:0005301"): "2",
        ("res:document/d1", "MESH:D033581"): "1",
        ("PMID:111", "MONDO:0005301"): "1",
    }


def test_kgx_is_the_same_bytes_whatever_the_quad_order() -> None:
    assert _kgx(sample_quads()) == _kgx(shuffled(sample_quads()))


# ------------------------------------------------------------------ Cytoscape.js


@pytest.mark.parametrize("view", ["full", "claims"])
def test_cytoscape_json_references_only_its_own_nodes(view: str) -> None:
    buffer = io.BytesIO()
    count = write_cytoscape(sample_quads(), buffer, prefixes=PREFIXES, view=view)
    document = json.loads(buffer.getvalue())
    assert document["data"]["view"] == view
    nodes = [n["data"] for n in document["elements"]["nodes"]]
    edges = [e["data"] for e in document["elements"]["edges"]]
    assert count == len(nodes) + len(edges)
    ids = [n["id"] for n in nodes]
    edge_ids = [e["id"] for e in edges]
    assert len(set(ids)) == len(ids)
    assert len(set(edge_ids)) == len(edge_ids)
    assert not set(ids) & set(edge_ids)
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    assert all(n["label"] and n["color"].startswith("#") for n in nodes)

    expected = project(sample_quads(), PREFIXES, view=view)
    assert {n["id"]: {k: v for k, v in n.items() if k != "id"} for n in nodes} == dict(
        expected.nodes(data=True)
    )
    assert {
        (e["source"], e["target"], e["id"]): {
            k: v for k, v in e.items() if k not in ("id", "source", "target")
        }
        for e in edges
    } == _edges(expected)


# ------------------------------------------------------------------ CLI


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    s = Store.open(path, create=True)
    try:
        s.add(sample_quads())
    finally:
        s.close()
    return path


def test_cli_exports_each_format_and_view(store: Path, tmp_path: Path) -> None:
    runner = CliRunner()

    def export(*args: str) -> str:
        result = runner.invoke(main, ["export", "--store", str(store), *args])
        assert result.exit_code == 0, result.output
        return result.output

    export("--format", "graphml", "--view", "claims", "--out", str(tmp_path / "c.graphml"))
    claims = nx.read_graphml(tmp_path / "c.graphml", force_multigraph=True)
    assert {d["polarity"] for s, o, d in claims.edges(data=True) if (s, o) == (SCT, MS)} == {
        "positive",
        "negative",
    }

    export("--format", "cytoscape", "--out", str(tmp_path / "g.cyjs"))
    assert json.loads((tmp_path / "g.cyjs").read_text("utf-8"))["data"]["view"] == "full"

    said = export("--format", "kgx", "--out", str(tmp_path / "kgx"))
    assert "nodes.tsv" in said
    assert sorted(p.name for p in (tmp_path / "kgx").iterdir()) == ["edges.tsv", "nodes.tsv"]
    _, edges = _rows((tmp_path / "kgx" / "edges.tsv").read_bytes())
    assert {e["negated"] for e in edges if e["subject"] == "MESH:D033581"} == {"True", "False"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "kgx", "--out", "-"], "give a directory"),
        (["--format", "ttl", "--view", "claims", "--out", "-"], "has no views"),
        (["--format", "kgx", "--view", "claims", "--out", "x"], "has no views"),
    ],
)
def test_cli_export_refuses_what_a_format_cannot_do(
    store: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(main, ["export", "--store", str(store), *args])
    assert result.exit_code == 1
    assert result.output.startswith("error: ")
    assert message in result.output
    assert result.output.count("\n") == 1


def test_the_facade_gives_both_views_as_networkx(tmp_path: Path) -> None:
    import kg

    text = "Mesenchymal stem cells reduce inflammation. Stem cell therapy is not a cure for MS.\n"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Multiple sclerosis (MS)\n\n" + text)
    kg.build([tmp_path / "docs"], tmp_path / "store")
    with kg.open(tmp_path / "store") as graph:
        full = graph.to_networkx()
        claims = graph.to_networkx(view="claims")
    kinds = {data["type"] for _, data in full.nodes(data=True)}
    assert {"document", "concept", "claim"} <= kinds
    polarities = {data["polarity"] for _, _, data in claims.edges(data=True)}
    assert polarities == {"positive", "negative"}
