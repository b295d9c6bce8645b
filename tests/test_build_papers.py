"""Papers as build inputs (pmid:, doi:, pmcid:) resolved from a local PubMed mirror."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.papers import MirrorSource, PaperSources, open_mirror
from kg.store import Store
from pipelines.pubmed.specs import parse_paper_ref


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("pmid:31394007", "pmid", "31394007"),
        ("doi:10.4061/2011/164608", "doi", "10.4061/2011/164608"),
        ("DOI:https://doi.org/10.1111/CEI.13358", "doi", "10.1111/cei.13358"),
        ("pmcid:pmc3010615", "pmcid", "PMC3010615"),
        ("pmcid:3010615", "pmcid", "PMC3010615"),
    ],
)
def test_paper_refs_parse_and_normalise(text: str, kind: str, value: str) -> None:
    ref = parse_paper_ref(text)
    assert (ref.kind, ref.value) == (kind, value)


@pytest.mark.parametrize("text", ["pmid:abc", "pmid:", "doi:11.1/x", "pmcid:PMCX", "isbn:123"])
def test_bad_paper_refs_say_what_is_wrong(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a|unknown identifier kind"):
        parse_paper_ref(text)


def test_papers_and_documents_build_together_and_rebuild_unchanged(
    tmp_path: Path, fixtures: Path
) -> None:
    xml = tmp_path / "records"
    xml.mkdir()
    shutil.copy(fixtures / "pubmed" / "articles.xml", xml)
    runner = CliRunner()
    store = tmp_path / "s"
    with Store.open(store, create=True) as s, open_mirror(xml, s.path) as mirror:
        pmids = list(mirror.pmids())
    assert pmids
    args = [
        "build",
        f"pmid:{pmids[0]}",
        "pmid:999999999",
        str(fixtures / "docs"),
        "--pubmed-mirror",
        str(xml),
        "--store",
        str(store),
    ]
    first = runner.invoke(main, args)
    assert first.exit_code == 1  # the unknown PMID
    assert "error: pmid:999999999: not found in the local mirror" in first.output
    assert "4 added" in first.output
    second = runner.invoke(main, [*args, "--allow-failures"])
    assert second.exit_code == 0
    assert "4 unchanged" in second.output


def test_seed_papers_from_the_reconstructed_records(shared: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "s"
    result = runner.invoke(
        main,
        [
            "build",
            "pmid:31394007",
            "doi:10.4061/2011/164608",
            "--pubmed-mirror",
            str(shared / "pubmed" / "reconstructed"),
            "--store",
            str(store),
        ],
    )
    assert result.exit_code == 0, result.output
    with Store.open(store) as s:
        rows = s.query(
            "SELECT ?pmid ?doi ?type WHERE { ?p a litkg:Paper ; fabio:hasPubMedId ?pmid ; "
            "prism:doi ?doi ; litkg:publicationType/rdfs:label ?type } ORDER BY ?pmid ?type"
        ).rows
        found = {(str(a), str(b)) for a, b, _ in rows}
        assert found == {("21197107", "10.4061/2011/164608"), ("31394007", "10.1111/cei.13358")}
        assert ("21197107", "Review") in {(str(a), str(c)) for a, _, c in rows}
        graphs = s.source_graphs()
        assert sorted(g.kind for g in graphs.values()) == ["pubmed-record", "pubmed-record"]
    assert runner.invoke(main, ["validate", "--store", str(store)]).exit_code == 0


def test_no_source_means_a_clear_failure() -> None:
    from kg.papers import PaperNotFound

    with pytest.raises(PaperNotFound, match="no paper source"):
        PaperSources([]).lookup(parse_paper_ref("pmid:1"))
    assert MirrorSource.name == "the local mirror"


def test_seed_references_resolve_and_cited_papers_join_the_graph(
    shared: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    store = tmp_path / "s"
    result = runner.invoke(
        main,
        [
            "build",
            str(shared / "corpus" / "seeds"),
            "--pubmed-mirror",
            str(shared / "pubmed" / "reconstructed"),
            "--store",
            str(store),
        ],
    )
    assert result.exit_code == 0, result.output
    with Store.open(store) as s:
        counts = {
            str(src).rsplit("/", 1)[-1][:3]: int(str(n))
            for src, n in s.query(
                "SELECT ?src ?n WHERE { ?d a litkg:Document ; dcterms:source ?src ; "
                "litkg:referenceCount ?n }"
            ).rows
        }
        assert counts == {"000": 2, "001": 0, "002": 0, "003": 0, "004": 0}
        cited = s.query(
            "SELECT ?pmid ?method WHERE { ?d cito:cites ?p . ?p fabio:hasPubMedId ?pmid . "
            "?d litkg:hasReference ?r . ?r biro:references ?p ; litkg:resolutionMethod ?method }"
        ).rows
        assert {(str(a), str(b)) for a, b in cited} == {
            ("31394007", "pmid"),
            ("21197107", "search"),
        }
    assert runner.invoke(main, ["validate", "--store", str(store)]).exit_code == 0


def test_references_without_a_mirror_stay_unresolved_and_say_why(
    shared: Path, tmp_path: Path
) -> None:
    import kg

    kg.build([shared / "corpus" / "seeds" / "000_19bd9705d3e8dda9.txt"], tmp_path / "s")
    with kg.open(tmp_path / "s") as graph:
        rows = graph.query(
            "SELECT ?status ?why WHERE { ?r a litkg:Reference ; litkg:resolutionStatus ?status ;"
            " litkg:resolutionEvidence ?why }"
        ).to_dicts()
    assert [r["status"] for r in rows] == ["unresolved", "unresolved"]
    assert all("no paper source" in r["why"] for r in rows)
