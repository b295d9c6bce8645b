"""Claim extraction quality against the hand-annotated set, and speed, printed as tables.

    python benchmarks/bench_claims.py [--shared PATH] [--cache-dir DIR] [--show-errors]

The gold set is benchmarks/claims/gold.jsonl (see benchmarks/claims/README.md): every claim
of 5 seed articles and of PubMed abstracts, annotated exhaustively. Entities come from the
full matcher (bundled sources plus ../shared/ontologies), as in a real build.

A predicted claim matches a gold one (one-to-one, greedily) when they come from the same
sentence (one contains the other) and agree on the predicate, the polarity, the subject and
the object. An argument agrees when its identifiers meet the gold ones, or, when the gold
gives none, when one text contains the other; a gold claim with no subject wants none.
Certainty agreement is counted over the matched pairs. "relaxed" drops the polarity and
lets a predicted argument match on text as well as on identifiers.

Speed: sentences per second through sentence splitting and claim extraction, once entities
are found, over 2,000 abstracts of the 2021 update file.
"""

import argparse
import itertools
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kg.reading import find_mentions  # noqa: E402
from pipelines.claims.extract import extract_claims  # noqa: E402
from pipelines.claims.records import Argument, Claim  # noqa: E402
from pipelines.claims.sentences import split_sentences  # noqa: E402
from pipelines.entities import Matcher, load_matcher  # noqa: E402
from pipelines.pubmed.parse import iter_pubmed  # noqa: E402
from pipelines.pubmed.rdf import paper_text  # noqa: E402
from pipelines.pubmed.records import Paper  # noqa: E402

GOLD = REPO / "benchmarks" / "claims"


@dataclass(frozen=True)
class Gold:
    doc: str
    sentence: str
    subject_text: str
    subject_ids: frozenset[str]
    predicate: str
    object_text: str
    object_ids: frozenset[str]
    polarity: str
    certainty: str


def load_gold() -> list[Gold]:
    rows = [json.loads(line) for line in (GOLD / "gold.jsonl").read_text().splitlines() if line]
    return [
        Gold(
            r["doc"],
            r["sentence"],
            r["subject_text"],
            frozenset(r["subject_ids"]),
            r["predicate"],
            r["object_text"],
            frozenset(r["object_ids"]),
            r["polarity"],
            r["certainty"],
        )
        for r in rows
    ]


def load_texts(shared: Path) -> dict[str, str]:
    entries: list[dict[str, Any]] = json.loads((GOLD / "documents.json").read_text())
    texts: dict[str, str] = {}
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry["doc"].startswith("seed:"):
            texts[entry["doc"]] = (shared / entry["path"]).read_text(encoding="utf-8")
        else:
            wanted.setdefault(entry["path"], set()).add(entry["pmid"])
    for rel, pmids in wanted.items():
        for record in iter_pubmed(shared / rel):
            if isinstance(record, Paper) and record.pmid in pmids:
                texts.setdefault("pmid:" + record.pmid, paper_text(record))
    return texts


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def _text_agrees(predicted: str, gold: str) -> bool:
    p, g = predicted.lower(), gold.lower()
    if p in g or g in p:
        return True
    pw, gw = _words(p), _words(g)
    return bool(pw and gw) and len(pw & gw) / len(pw | gw) >= 0.5


def _argument_agrees(
    arg: Argument | None, text: str, ids: frozenset[str], *, relaxed: bool
) -> bool:
    if not text and not ids:
        return arg is None or arg.implied
    if arg is None:
        return False
    if ids and set(arg.ids) & ids:
        return True
    return (relaxed or not ids) and _text_agrees(arg.text, text)


def _same_sentence(claim: Claim, gold: Gold) -> bool:
    a, b = claim.sentence.text.strip(), gold.sentence.strip()
    return a in b or b in a


def agrees(claim: Claim, gold: Gold, *, relaxed: bool = False) -> bool:
    return (
        _same_sentence(claim, gold)
        and claim.predicate == gold.predicate
        and (relaxed or claim.polarity == gold.polarity)
        and _argument_agrees(claim.subject, gold.subject_text, gold.subject_ids, relaxed=relaxed)
        and _argument_agrees(claim.object, gold.object_text, gold.object_ids, relaxed=relaxed)
    )


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    certainty_same: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def certainty(self) -> float:
        return self.certainty_same / self.tp if self.tp else 0.0


def score(
    predicted: dict[str, list[Claim]],
    gold: list[Gold],
    docs: Iterable[str],
    *,
    relaxed: bool = False,
    errors: list[str] | None = None,
) -> Score:
    result = Score()
    for doc in docs:
        wanted = [g for g in gold if g.doc == doc]
        free = list(range(len(wanted)))
        for claim in predicted.get(doc, []):
            hit = next((i for i in free if agrees(claim, wanted[i], relaxed=relaxed)), None)
            if hit is None:
                result.fp += 1
                if errors is not None:
                    errors.append(f"FP {doc}: {_show(claim)}")
                continue
            free.remove(hit)
            result.tp += 1
            result.certainty_same += claim.certainty == wanted[hit].certainty
        result.fn += len(free)
        if errors is not None:
            errors.extend(f"FN {doc}: {_show_gold(wanted[i])}" for i in free)
    return result


def _show(c: Claim) -> str:
    subject = c.subject.text if c.subject else "-"
    return (
        f"{subject} -{c.predicate}/{c.polarity}/{c.certainty}-> {c.object.text}"
        f"  | {c.sentence.text[:90]}"
    )


def _show_gold(g: Gold) -> str:
    return (
        f"{g.subject_text or '-'} -{g.predicate}/{g.polarity}/{g.certainty}-> {g.object_text}"
        f"  | {g.sentence[:90]}"
    )


def speed(matcher: Matcher, shared: Path, n: int = 2000) -> tuple[int, int, float, float]:
    path = shared / "pubmed" / "bulk" / "pubmed21n1298.xml.gz"
    papers = (p for p in iter_pubmed(path) if isinstance(p, Paper) and p.abstract)
    texts = [paper_text(p) for p in itertools.islice(papers, n)]
    mentions = [find_mentions(matcher, t) for t in texts]
    start = time.perf_counter()
    count = claims = 0
    for text, found in zip(texts, mentions, strict=True):
        sentences = split_sentences(text)
        count += len(sentences)
        claims += len(extract_claims(text, found, sentences=sentences))
    seconds = time.perf_counter() - start
    return len(texts), count, seconds, claims


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/litkg-bench-cache"))
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    if not (args.shared / "corpus" / "seeds").is_dir():
        print(f"shared data not found at {args.shared}; nothing measured")
        return 0
    matcher = load_matcher(args.shared / "ontologies", args.cache_dir / "matchers")
    gold = load_gold()
    texts = load_texts(args.shared)
    predicted = {
        doc: extract_claims(text, find_mentions(matcher, text)) for doc, text in texts.items()
    }
    seeds = sorted(d for d in texts if d.startswith("seed:"))
    abstracts = sorted(d for d in texts if d.startswith("pmid:"))
    print(f"gold: {len(gold)} claims in {len(texts)} documents ({len(seeds)} seeds)")
    print(f"{'set':<22}{'P':>7}{'R':>7}{'F1':>7}{'certainty':>11}{'tp':>6}{'fp':>6}{'fn':>6}")
    errors: list[str] = []
    for name, docs, relaxed in (
        ("all, strict", seeds + abstracts, False),
        ("seeds, strict", seeds, False),
        ("abstracts, strict", abstracts, False),
        ("all, relaxed", seeds + abstracts, True),
    ):
        s = score(predicted, gold, docs, relaxed=relaxed, errors=errors if not relaxed else None)
        print(
            f"{name:<22}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.certainty:>11.3f}"
            f"{s.tp:>6}{s.fp:>6}{s.fn:>6}"
        )
    negative = [g for g in gold if g.polarity == "negative"]
    found = score(predicted, negative, seeds + abstracts)
    print(f"negative gold claims recovered: {found.tp}/{len(negative)}")
    by_predicate = Counter(g.predicate for g in gold)
    print("gold by predicate: " + ", ".join(f"{k} {v}" for k, v in by_predicate.most_common()))
    docs, sentences, seconds, claims = speed(matcher, args.shared)
    print(
        f"speed: {sentences} sentences of {docs} abstracts split and read in {seconds:.2f} s: "
        f"{sentences / seconds:,.0f} sentences/s ({claims} claims); target >= 2,000"
    )
    if args.show_errors:
        print("\n".join(sorted(set(errors))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
