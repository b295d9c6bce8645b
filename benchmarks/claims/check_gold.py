"""Validate the hand-annotated claim gold set and print its counts.

    python benchmarks/claims/check_gold.py [--shared PATH] [--no-ids]

Reads `gold.jsonl` and `documents.json` beside this file. The text of each annotated document is
rebuilt from the shared data folder (`--shared`, else $KG_SHARED, else `../shared` next to the
repository): a seed article is its file as stored, a PubMed record is
`title + "\\n\\n" + abstract` as litkg's own parser (`pipelines.pubmed.parse.iter_pubmed`) gives it.

Every line must have the required keys with the right types, a predicate, polarity and certainty
from the closed sets, a `sentence` that occurs verbatim in its document, a `subject_text` and
`object_text` that occur in the sentence (unless empty or flagged `subject_implied` /
`object_implied`), cues that occur in the sentence, and well-formed CURIEs. Unless `--no-ids` is
given, each CURIE is also looked up in the local ontology files (MeSH, GO, CL, DOID, the MONDO
SSSOM mappings) and, for CL/MONDO/UBERON, in the `cellxgene-ontology-guide` package when it is
installed. Exits 1 and lists the problems when anything fails; prints the counts either way.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from ontologies.namespace import CLAIM_RELATIONS as PREDICATES  # noqa: E402

POLARITIES = ("positive", "negative")
CERTAINTIES = ("strong", "asserted", "hedged", "speculative")
CURIE = re.compile(r"^(MONDO|CL|UBERON|GO|DOID):\d{7}$|^DOID:\d+$|^MESH:[CD]\d{6,9}$")
DOC = re.compile(r"^(seed:\d{3}|pmid:\d+)$")

REQUIRED: dict[str, type] = {
    "doc": str,
    "sentence": str,
    "subject_text": str,
    "subject_ids": list,
    "predicate": str,
    "object_text": str,
    "object_ids": list,
    "polarity": str,
    "certainty": str,
    "cues": list,
}
OPTIONAL: dict[str, type] = {"subject_implied": bool, "object_implied": bool}


def shared_dir(explicit: str | None) -> Path:
    """The shared data folder: argument, then $KG_SHARED, then ../shared beside the repository."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KG_SHARED")
    if env:
        return Path(env)
    return REPO.parent / "shared"


def pubmed_texts(path: Path, pmids: set[str]) -> dict[str, str]:
    """Title + blank line + abstract of the first record with an abstract for each wanted PMID."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from pipelines.pubmed.parse import iter_pubmed
    from pipelines.pubmed.records import Paper

    found: dict[str, str] = {}
    for record in iter_pubmed(path):
        if isinstance(record, Paper) and record.pmid in pmids and record.pmid not in found:
            abstract = record.abstract
            if abstract:
                found[record.pmid] = (record.title or "") + "\n\n" + abstract
                if len(found) == len(pmids):
                    break
    return found


def load_documents(shared: Path, documents: list[dict[str, str]]) -> dict[str, str]:
    """Map each annotated document id to its text."""
    texts: dict[str, str] = {}
    by_file: dict[str, set[str]] = {}
    for entry in documents:
        doc, rel = entry["doc"], entry["path"]
        if doc.startswith("seed:"):
            texts[doc] = (shared / rel).read_text(encoding="utf-8")
        else:
            by_file.setdefault(rel, set()).add(entry["pmid"])
    for rel, pmids in by_file.items():
        for pmid, text in pubmed_texts(shared / rel, pmids).items():
            texts["pmid:" + pmid] = text
    return texts


def _obo_ids(path: Path) -> Iterator[str]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("id: "):
                yield line[4:].strip()


def known_ids(shared: Path) -> tuple[set[str], set[str]]:
    """CURIEs found in the local ontology files, and the prefixes those files cover."""
    ont = shared / "ontologies"
    ids: set[str] = set()
    covered: set[str] = set()
    with gzip.open(ont / "mesh" / "mesh_id_label_mappings.tsv.gz", "rt", encoding="utf-8") as fh:
        ids.update("MESH:" + line.split("\t", 1)[0] for line in fh)
    covered.add("MESH")
    for prefix, pattern in (("GO", "go/*.obo.gz"), ("CL", "cl/*.obo"), ("DOID", "doid/*.obo.gz")):
        for path in ont.glob(pattern):
            ids.update(_obo_ids(path))
            covered.add(prefix)
    for path in (ont / "mondo").glob("*.sssom.tsv"):
        with open(path, encoding="utf-8") as fh:
            ids.update(line.split("\t", 1)[0] for line in fh if line.startswith("MONDO:"))
    try:
        from cellxgene_ontology_guide.ontology_parser import (  # type: ignore[import-untyped]
            OntologyParser,
        )
    except ImportError:
        return ids, covered
    parser = OntologyParser()
    for prefix in ("CL", "MONDO", "UBERON"):
        ids.update(parser.get_term_label_to_id_map(prefix).values())
        covered.add(prefix)
    return ids, covered


def check_line(n: int, rec: dict[str, Any], texts: dict[str, str], problems: list[str]) -> None:
    """Append to `problems` everything wrong with one gold line."""

    def bad(msg: str) -> None:
        problems.append(f"line {n}: {msg}")

    for key, kind in REQUIRED.items():
        if key not in rec:
            bad(f"missing key {key!r}")
            return
        if not isinstance(rec[key], kind):
            bad(f"{key!r} should be {kind.__name__}")
            return
    for key, kind in OPTIONAL.items():
        if key in rec and not isinstance(rec[key], kind):
            bad(f"{key!r} should be {kind.__name__}")
    unknown = set(rec) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        bad(f"unknown keys {sorted(unknown)}")
    if not DOC.match(rec["doc"]):
        bad(f"bad doc id {rec['doc']!r}")
    if rec["predicate"] not in PREDICATES:
        bad(f"predicate {rec['predicate']!r} not in the closed set")
    if rec["polarity"] not in POLARITIES:
        bad(f"polarity {rec['polarity']!r}")
    if rec["certainty"] not in CERTAINTIES:
        bad(f"certainty {rec['certainty']!r}")
    sentence: str = rec["sentence"]
    text = texts.get(rec["doc"])
    if text is None:
        bad(f"document {rec['doc']!r} is not listed in documents.json or could not be read")
    elif not sentence.strip() or sentence not in text:
        bad("sentence is not an exact substring of the document")
    for role in ("subject", "object"):
        words: str = rec[f"{role}_text"]
        implied = rec.get(f"{role}_implied", False)
        if implied and not words:
            bad(f"{role}_implied set but {role}_text is empty")
        if words and not implied and words not in sentence:
            bad(f"{role}_text {words!r} is not in the sentence (flag {role}_implied if implied)")
        if not words and rec[f"{role}_ids"]:
            bad(f"{role}_ids given for an empty {role}")
        for curie in rec[f"{role}_ids"]:
            if not isinstance(curie, str) or not CURIE.match(curie):
                bad(f"malformed CURIE {curie!r} in {role}_ids")
        if len(set(rec[f"{role}_ids"])) != len(rec[f"{role}_ids"]):
            bad(f"repeated CURIE in {role}_ids")
    if not rec["object_text"]:
        bad("object_text is empty")
    for cue in rec["cues"]:
        if not isinstance(cue, str) or cue not in sentence:
            bad(f"cue {cue!r} is not in the sentence")
    if rec["polarity"] == "negative" and not rec["cues"]:
        bad("a negative claim needs the cue that negates it")


def counts(records: Iterable[dict[str, Any]], n_docs: int) -> str:
    """A small plain-text report of the gold set's make-up."""
    recs = list(records)
    out = [f"documents: {n_docs}", f"claims: {len(recs)}"]
    for key, order in (
        ("predicate", PREDICATES),
        ("polarity", POLARITIES),
        ("certainty", CERTAINTIES),
    ):
        c = Counter(r[key] for r in recs)
        out.append(f"{key}: " + ", ".join(f"{k} {c[k]}" for k in order))
    seeds = sum(1 for r in recs if r["doc"].startswith("seed:"))
    out.append(f"source: seed articles {seeds}, PubMed abstracts {len(recs) - seeds}")
    grounded = sum(1 for r in recs if r["subject_ids"] and r["object_ids"])
    out.append(f"both arguments grounded: {grounded}")
    implied = sum(1 for r in recs if r.get("subject_implied") or r.get("object_implied"))
    no_subject = sum(1 for r in recs if not r["subject_text"])
    out.append(f"implied argument: {implied}; no subject: {no_subject}")
    per_doc = Counter(r["doc"] for r in recs)
    out.append("per document: " + ", ".join(f"{d} {k}" for d, k in sorted(per_doc.items())))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    ap.add_argument("--shared", help="the shared data folder (default: $KG_SHARED or ../shared)")
    ap.add_argument("--gold", default=str(HERE / "gold.jsonl"))
    ap.add_argument("--documents", default=str(HERE / "documents.json"))
    ap.add_argument("--no-ids", action="store_true", help="skip looking CURIEs up")
    args = ap.parse_args(argv)

    shared = shared_dir(args.shared)
    if not shared.is_dir():
        print(f"shared data folder not found: {shared} (set KG_SHARED or --shared)")
        return 2
    documents: list[dict[str, str]] = json.loads(Path(args.documents).read_text("utf-8"))
    problems: list[str] = []
    listed = [d["doc"] for d in documents]
    for doc, k in Counter(listed).items():
        if k > 1:
            problems.append(f"documents.json: {doc} listed {k} times")
    texts = load_documents(shared, documents)
    for doc in listed:
        if doc not in texts:
            problems.append(f"documents.json: no text found for {doc}")

    records: list[dict[str, Any]] = []
    with open(args.gold, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"line {n}: not JSON ({exc})")
                continue
            if not isinstance(rec, dict):
                problems.append(f"line {n}: not a JSON object")
                continue
            check_line(n, rec, texts, problems)
            records.append(rec)

    seen: set[tuple[str, ...]] = set()
    for n, rec in enumerate(records, 1):
        key = tuple(
            str(rec.get(k, "")).lower()
            for k in ("doc", "sentence", "subject_text", "predicate", "object_text")
        )
        if key in seen:
            problems.append(f"claim {n}: duplicate of an earlier line")
        seen.add(key)
    annotated = {r.get("doc") for r in records}
    for doc in listed:
        if doc not in annotated:
            problems.append(f"documents.json: {doc} has no claims")

    if not args.no_ids:
        ids, covered = known_ids(shared)
        for n, rec in enumerate(records, 1):
            for role in ("subject_ids", "object_ids"):
                for curie in rec.get(role, []):
                    prefix = str(curie).split(":", 1)[0]
                    if prefix in covered and curie not in ids:
                        problems.append(f"claim {n}: {curie} not found in the {prefix} sources")

    complete = [r for r in records if all(isinstance(r.get(k), t) for k, t in REQUIRED.items())]
    print(counts(complete, len(documents)))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("\nOK: every line passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
