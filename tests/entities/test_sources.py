"""Term sources: the OBO reader, MeSH TSV, lexicon, cellxgene data, crosswalk, registry."""

import gzip
from pathlib import Path

import pytest

from ontologies.sources import (
    REGISTRY,
    CellxgeneSource,
    Crosswalk,
    LexiconSource,
    MeshSource,
    OboSource,
    Synonym,
    get_source,
    normalise_curie,
)
from ontologies.sources.lexicon import default_paths, load_blocklist

HERE = Path(__file__).parent / "fixtures"


def test_obo_terms_carry_scopes_xrefs_parents_and_obsolescence() -> None:
    source = OboSource("mondo", HERE / "tiny.obo")
    terms = {t.id: t for t in source.iter_terms()}
    ms = terms["MONDO:0005301"]
    assert ms.label == "multiple sclerosis"
    assert Synonym("disseminated sclerosis", "exact") in ms.synonyms
    assert Synonym("MS", "abbreviation") in ms.synonyms
    assert Synonym("insular sclerosis", "related") in ms.synonyms
    assert Synonym("sclerosis group", "broad") in ms.synonyms
    assert ms.xrefs == ("DOID:2377", "MESH:D009103")
    assert ms.parents == ("MONDO:0000001",)
    assert terms["MONDO:0007915"].synonyms[1].text == 'lupus "classic"'
    obsolete = terms["MONDO:9999999"]
    assert obsolete.deprecated
    assert obsolete.replaced_by == "MONDO:0000001"
    assert "part_of" not in terms  # Typedef stanzas are not terms
    assert source.version().startswith("tiny/releases/2026-01-01#")
    assert {t.version for t in terms.values()} == {source.version()}


def test_obo_reads_gzip_and_the_same_terms(tmp_path: Path) -> None:
    packed = tmp_path / "tiny.obo.gz"
    packed.write_bytes(gzip.compress((HERE / "tiny.obo").read_bytes()))
    plain = [t.id for t in OboSource("x", HERE / "tiny.obo").iter_terms()]
    assert [t.id for t in OboSource("x", packed).iter_terms()] == plain


def test_mesh_tsv_keeps_trees_and_marks_qualified_short_forms() -> None:
    terms = {t.id: t for t in MeshSource(HERE / "tiny-mesh.tsv").iter_terms()}
    ms = terms["MESH:D009103"]
    assert ms.label == "Multiple Sclerosis"
    assert Synonym("MS", "abbreviation") in ms.synonyms
    assert "C10.114.375.500" in ms.categories
    assert Synonym("MSC", "abbreviation") in terms["MESH:D059630"].synonyms


def test_lexicon_rows_become_terms_with_their_identifiers() -> None:
    terms = list(LexiconSource([HERE / "tiny-lexicon.tsv"]).iter_terms())
    assert [t.id for t in terms] == ["LITKG:msc-therapy", "LITKG:immunomodulation"]
    assert terms[1].xrefs == ("MESH:D056747", "GO:0002682")
    assert terms[0].categories == ("intervention",)
    assert Synonym("MSCT", "abbreviation") in terms[0].synonyms


def test_shipped_lexicon_parses_and_maps_every_row() -> None:
    paths = default_paths()
    assert paths, "the lexicon ships as package data"
    terms = list(LexiconSource(paths).iter_terms())
    assert len(terms) >= 30
    labels = {t.label for t in terms}
    for wanted in ("immunomodulation", "neuroprotection", "trophic support", "remyelination"):
        assert wanted in labels
    for term in terms:
        assert term.xrefs, term.id
        # A row may list its own id first, to be the primary identifier of its concept.
        mapped = [x for x in term.xrefs if x != term.id]
        assert mapped, term.id
        assert all(x.split(":")[0] in {"GO", "MESH", "CL", "UBERON"} for x in mapped)
    assert "condition" in load_blocklist()


@pytest.mark.shared
def test_lexicon_identifiers_exist_in_the_ontology_files(shared: Path) -> None:
    known = {t.id for t in get_source("mesh", shared / "ontologies").iter_terms()}
    known |= {t.id for t in get_source("go", shared / "ontologies").iter_terms()}
    known |= {t.id for t in get_source("cl").iter_terms()}
    missing = [
        (t.id, x)
        for t in LexiconSource().iter_terms()
        for x in t.xrefs
        if x not in known and x != t.id
    ]
    assert not missing


def test_cellxgene_sources_are_bundled_versioned_and_typed_by_prefix() -> None:
    cl = CellxgeneSource("CL")
    assert cl.version().startswith("v")
    terms = {t.id: t for t in cl.iter_terms()}
    msc = terms["CL:0000134"]
    assert msc.label == "mesenchymal stem cell"
    assert msc.source == "cl"
    assert msc.version == cl.version()
    assert all(i.startswith("CL:") for i in terms)
    with pytest.raises(ValueError, match="not one of"):
        CellxgeneSource("GO")


def test_crosswalk_walks_two_edges_from_sssom_and_xrefs() -> None:
    walk = Crosswalk()
    walk.add_sssom(HERE / "tiny-mondo-mesh.sssom.tsv")
    walk.add_xrefs(OboSource("doid", HERE / "tiny.obo").iter_terms())
    assert walk.equivalents("mesh:D009103") == ("MESH:D009103", "DOID:2377", "MONDO:0005301")
    assert walk.equivalents("MONDO:0005314") == ("MONDO:0005314", "MESH:D020529")
    # closeMatch is not an identity
    assert walk.equivalents("MONDO:0007915") == ("MONDO:0007915",)
    assert walk.equivalents("CL:0000000") == ("CL:0000000",)


def test_registry_names_every_source_and_needs_a_folder_for_files() -> None:
    assert set(REGISTRY) == {"cl", "mondo", "uberon", "mesh", "go", "doid", "lexicon"}
    with pytest.raises(FileNotFoundError):
        get_source("mesh", None)
    with pytest.raises(KeyError, match="unknown term source"):
        get_source("nope")
    assert normalise_curie("MSH:D1") == "MESH:D1"
