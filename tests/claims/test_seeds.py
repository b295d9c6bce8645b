"""The "must" claims of ../shared/corpus/seeds-expected.md, read by a full build of the seeds
(entities with the shared ontology files, references resolved against the two PubMed records)."""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from pipelines.entities.iris import concept_iri

MS = ("MONDO:0005301", "MESH:D009103")
SCT = ("MESH:D033581",)
MSC = ("CL:0000134", "MESH:D059630")


@dataclass(frozen=True)
class Must:
    seed: str
    fragment: str  # a piece of the sentence
    subject: tuple[str, ...]  # acceptable identifiers; () = no subject named
    predicates: tuple[str, ...]
    object: tuple[str, ...]
    polarity: str
    certainty: str


MUST = (
    Must("000", "has proven to be an effective", SCT, ("treats",), MS, "positive", "strong"),
    Must(
        "000",
        "can reduce the oxidative damage",
        MSC,
        ("reduces",),
        ("GO:0006979",),
        "positive",
        "hedged",
    ),
    Must(
        "000",
        "could reset the body",
        ("CL:0000037", "MESH:D006412"),
        ("regulates",),
        ("MESH:D056747", "UBERON:0002405", "MESH:D007107"),
        "positive",
        "hedged",
    ),
    Must(
        "000",
        "primary causes of continued tissue damage",
        ("GO:0006979",),
        ("causes",),
        MS,
        "positive",
        "asserted",
    ),
    Must(
        "000",
        "primary causes of continued tissue damage",
        ("GO:0006954",),
        ("causes",),
        MS,
        "positive",
        "asserted",
    ),
    Must(
        "000",
        "617 MS patients",
        ("MESH:D018380", "MESH:D033581", "MESH:D014182"),
        ("treats",),
        MS,
        "positive",
        "asserted",
    ),
    Must("000", "no known cure for MS", (), ("cures",), MS, "negative", "asserted"),
    Must(
        "001",
        "promote the growth of new myelin",
        ("CL:0000034",),
        ("promotes",),
        ("CL:0000128", "GO:0042552", "MESH:D000074586"),
        "positive",
        "hedged",
    ),
    Must(
        "001",
        "stem cells have been shown to have anti-inflammatory",
        ("CL:0000034",),
        ("regulates", "reduces"),
        ("GO:0006954", "MESH:D056747"),
        "positive",
        "asserted",
    ),
    Must(
        "002",
        "HSCT may significantly reduce MS progression",
        ("MESH:D018380",),
        ("reduces", "treats"),
        MS,
        "positive",
        "hedged",
    ),
    Must(
        "003", "is not a cure for Multiple Sclerosis", SCT, ("cures",), MS, "negative", "asserted"
    ),
    Must(
        "003",
        "regulate the immune system and support",
        MSC,
        ("regulates",),
        ("MESH:D056747", "UBERON:0002405"),
        "positive",
        "asserted",
    ),
    Must(
        "003",
        "potential to become other cells",
        MSC,
        ("differentiatesInto",),
        ("CL:0001035", "CL:0000136", "MESH:D017667", "CL:0000540"),
        "positive",
        "hedged",
    ),
    Must(
        "004",
        "successfully repaired with the help of",
        SCT,
        ("promotes",),
        ("MESH:D000074586", "GO:0042552", "MESH:D009186"),
        "positive",
        "hedged",
    ),
    Must(
        "004",
        "chances of successful results are very low",
        SCT,
        ("treats",),
        MS,
        "negative",
        "asserted",
    ),
)


@pytest.fixture(scope="module")
def store(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("claims") / "store"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_ONTOLOGIES", str(shared / "ontologies"))
        result = CliRunner().invoke(
            main,
            [
                "build",
                str(shared / "corpus" / "seeds"),
                "--store",
                str(path),
                "--pubmed-mirror",
                str(shared / "pubmed" / "reconstructed"),
            ],
        )
    assert result.exit_code == 0, result.output
    return path


def _claims(store: Path) -> list[dict[str, str]]:
    query = """
    SELECT ?claim ?file ?sentence ?s ?p ?o ?polarity ?certainty ?status WHERE {
      ?claim a litkg:Claim ; prov:wasDerivedFrom ?doc ; litkg:sentence ?sentence ;
             litkg:claimPredicate ?p ; litkg:polarity ?polarity ; litkg:certainty ?certainty .
      ?doc dcterms:source ?file .
      OPTIONAL { ?claim litkg:claimSubject ?s }
      OPTIONAL { ?claim litkg:claimObject ?o }
      OPTIONAL { ?claim litkg:evidenceStatus ?status }
    }"""
    with kg.open(store) as graph:
        return [
            {k: str(v) for k, v in row.items() if v is not None}
            for row in graph.query(query).to_dicts()
        ]


def _names(store: Path) -> dict[str, set[str]]:
    """Every concept IRI -> itself and the IRIs of its other identifiers."""
    names: dict[str, set[str]] = defaultdict(set)
    with kg.open(store) as graph:
        rows = graph.query(
            "SELECT ?c ?m WHERE { ?c a litkg:Concept OPTIONAL { ?c skos:exactMatch ?m } }"
        ).to_dicts()
    for row in rows:
        names[str(row["c"])].add(str(row["c"]))
        if row.get("m") is not None:
            names[str(row["c"])].add(str(row["m"]))
    return names


def _matches(row: dict[str, str], must: Must, names: dict[str, set[str]]) -> bool:
    def grounded(value: str | None, wanted: tuple[str, ...]) -> bool:
        if not wanted:
            return value is None
        iris = {concept_iri(c) for c in wanted}
        return value is not None and bool(names.get(value, {value}) & iris)

    return (
        f"/{must.seed}_" in row["file"]
        and must.fragment in row["sentence"]
        and row["p"].rsplit("#", 1)[-1] in must.predicates
        and grounded(row.get("s"), must.subject)
        and grounded(row.get("o"), must.object)
        and row["polarity"] == must.polarity
        and row["certainty"] == must.certainty
    )


def test_every_must_claim_is_read_with_its_attributes(store: Path) -> None:
    rows, names = _claims(store), _names(store)
    missing = [m for m in MUST if not any(_matches(r, m, names) for r in rows)]
    assert not missing, "\n".join(f"{m.seed} {m.fragment!r}" for m in missing)


def test_claims_of_uncited_seeds_are_unsupported_and_seed_000_ties_are_inferred(
    store: Path,
) -> None:
    rows = _claims(store)
    for row in rows:
        if "/000_" in row.get("file", ""):
            assert row["status"] in ("inferred", "unsupported")
        elif row["file"].startswith("file:"):
            assert row["status"] == "unsupported", row
    assert any(r["status"] == "inferred" for r in rows if "/000_" in r["file"])


def test_inferred_evidence_names_the_paper_its_sentence_and_its_design(store: Path) -> None:
    query = """
    SELECT ?sentence ?paper ?strength ?score ?evidence ?inferred WHERE {
      ?claim litkg:sentence ?sentence ; litkg:hasEvidence ?e .
      ?e litkg:evidencePaper ?paper ; litkg:evidenceStrength ?strength ;
         litkg:evidenceScore ?score ; litkg:evidenceSentence ?evidence ; litkg:inferred ?inferred .
    }"""
    with kg.open(store) as graph:
        rows = [{k: str(v) for k, v in r.items()} for r in graph.query(query).to_dicts()]
    by_sentence = {(r["sentence"][:40], r["paper"].rsplit("/", 1)[-1]): r for r in rows}
    assert rows
    assert all(r["inferred"] == "True" for r in rows)
    oxidative = [r for (s, p), r in by_sentence.items() if p == "21197107" and "oxidative" in s]
    assert oxidative
    assert all(r["strength"] == "review" for r in oxidative)
    trial = [r for (s, p), r in by_sentence.items() if p == "31394007" and "617" in s]
    assert trial
    assert "randomized" not in trial[0]["strength"]


def test_contested_query_surfaces_the_proven_versus_very_low_pair(store: Path) -> None:
    with kg.open(store) as graph:
        rows = graph.named("contested-claims").to_dicts()
    pairs = {(str(r["assertion"]), str(r["denial"])) for r in rows}
    assert any("has proven" in a and "chances of successful" in d for a, d in pairs), pairs


def test_no_claim_comes_from_page_furniture_or_bylines(store: Path) -> None:
    furniture = (
        "Share with your friends",
        "Leave a Reply",
        "This post was written by",
        "At Stemedix we provide",
        "Image Credit",
        "logo",
        "Ebook",
    )
    for row in _claims(store):
        assert not any(f in row["sentence"] for f in furniture), row["sentence"]
