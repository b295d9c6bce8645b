"""Entity recognition quality and speed, printed as one table.

    python benchmarks/bench_entities.py [--shared PATH] [--cache-dir DIR] [--split dev|train|test]

Builds the matcher from every source (CL, MONDO, UBERON from the cellxgene wheel; MeSH, GO BP,
DOID and MONDO's SSSOM mappings from ../shared/ontologies; our lexicon), timing the cold build
and, in a fresh process, the warm start from the on-disk cache. Then scores:

- NCBI Disease and BC5CDR (PubTator; gold IDs are MeSH/OMIM): "strict" = exact span and the
  mention's MeSH/OMIM identifier equal to a gold one; "mention" = exact span only; "ids" =
  per-document sets of identifiers. A mention's identifier is the first MESH (else OMIM) of its
  crosswalked ids, so crosswalking cannot inflate the score by offering several.
- CRAFT (Knowtator XML, the 67 annotated articles): CL, GO-BP and MONDO annotations, exact
  span + identifier; only our mentions carrying an id of that ontology are scored.
- Seeds: recall of the "must" rows in tests/entities/fixtures/seeds-must.tsv.
- Throughput over the PubTator abstracts (abstracts/s and MB/s), and peak RSS.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ontologies.sources import Term, load_sources  # noqa: E402
from pipelines.entities import Matcher, Mention, load_matcher  # noqa: E402

FIXTURES = REPO / "tests" / "entities" / "fixtures"

_WARM = """
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
start = time.perf_counter()
from pipelines.entities import load_matcher
matcher = load_matcher(Path(sys.argv[2]), Path(sys.argv[3]))
matcher.annotate("Multiple sclerosis (MS) is treated with stem cells.")
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def default_shared() -> Path:
    configured = os.environ.get("KG_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def row(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def add(self, gold: set[object], predicted: set[object]) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)


@dataclass
class Doc:
    id: str
    text: str
    gold: list[tuple[int, int, str, frozenset[str]]] = field(default_factory=list)


def read_pubtator(path: Path) -> Iterator[Doc]:
    doc: Doc | None = None
    title = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            if doc:
                yield doc
            doc = None
            continue
        if "|t|" in raw[:20]:
            pmid, _, title = raw.split("|", 2)
            doc = Doc(pmid, title)
        elif "|a|" in raw[:20] and doc:
            doc.text = title + " " + raw.split("|", 2)[2]
        elif doc:
            cells = raw.split("\t")
            if len(cells) >= 6:
                ids = frozenset(
                    i.strip()
                    for i in re.split(r"[|+,]", cells[5])
                    if i.strip() and i.strip() != "-1"
                )
                doc.gold.append((int(cells[1]), int(cells[2]), cells[4], ids))
    if doc:
        yield doc


def pubtator_id(mention: Mention) -> str | None:
    for curie in mention.ids:
        if curie.startswith("MESH:"):
            return curie[5:]
    for curie in mention.ids:
        if curie.startswith("OMIM:"):
            return curie
    return None


def score_pubtator(
    docs: list[Doc], results: dict[str, list[Mention]], gold_types: set[str], our_type: str
) -> tuple[Score, Score, Score, Score]:
    strict, spans, ids, any_id = Score(), Score(), Score(), Score()
    for doc in docs:
        gold = [g for g in doc.gold if g[2] in gold_types]
        mentions = [m for m in results[doc.id] if m.type == our_type]
        predicted_ids = {(m.start, m.end): pubtator_id(m) for m in mentions}
        gold_spans = {(s, e) for s, e, _, _ in gold}
        spans.add(set(gold_spans), set(predicted_ids))
        # strict: a gold mention is found when the span matches and our id is among its ids
        gold_by_span = defaultdict(set)
        for s, e, _, g in gold:
            gold_by_span[(s, e)] |= g
        hit = {
            sp for sp, i in predicted_ids.items() if i is not None and i in gold_by_span.get(sp, ())
        }
        strict.tp += len(hit)
        strict.fp += len(predicted_ids) - len(hit)
        strict.fn += len(gold_by_span) - len(hit)
        # lenient: any of the mention's crosswalked MeSH/OMIM ids is a gold one
        loose = {
            (m.start, m.end)
            for m in mentions
            if {i.removeprefix("MESH:") for i in m.ids} & gold_by_span.get((m.start, m.end), set())
        }
        any_id.tp += len(loose)
        any_id.fp += len(predicted_ids) - len(loose)
        any_id.fn += len(gold_by_span) - len(loose)
        ids.add(
            {i for g in gold for i in g[3]},
            {i for i in predicted_ids.values() if i is not None},
        )
    return strict, spans, ids, any_id


class TrainNames:
    """Names learned from the training splits' gold mentions, as one more term source.

    Only the train files are read. A surface form becomes a synonym of the MeSH/OMIM concept
    curators gave it when they agree on it at least 80 % of the time. Not shipped: it shows
    what tuning on the train split adds, beside the dictionary alone.
    """

    def __init__(self, docs: list[Doc], types: dict[str, str]) -> None:
        votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for doc in docs:
            for start, end, gold_type, ids in doc.gold:
                if gold_type in types and len(ids) == 1:
                    votes[(doc.text[start:end], types[gold_type])][next(iter(ids))] += 1
        self.names: list[tuple[str, str, str]] = []
        for (surface, tree), counter in votes.items():
            best, count = counter.most_common(1)[0]
            if count / sum(counter.values()) >= 0.8:
                self.names.append((surface, tree, best))

    @property
    def name(self) -> str:
        return "mesh"

    def version(self) -> str:
        return f"train-names-{len(self.names)}"

    def iter_terms(self) -> Iterator[Term]:
        for surface, tree, gold_id in self.names:
            curie = gold_id if gold_id.startswith("OMIM:") else f"MESH:{gold_id}"
            yield Term(curie, surface, "mesh", self.version(), categories=(tree,))


def read_craft(root: Path, ontology: str) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    folder = root / "concept-annotation" / ontology
    for path in sorted(folder.glob("*.xml")):
        tree = ET.parse(path)
        doc_id = path.name.split(".")[0]
        found: list[tuple[int, int, str]] = []
        if tree.getroot().tag == "knowtator-project":
            for annotation in tree.getroot().iter("annotation"):
                cls = annotation.find("class")
                spans = annotation.findall("span")
                if cls is None or len(spans) != 1:
                    continue
                curie = cls.get("id", "").rsplit("/", 1)[-1].replace("_", ":", 1)
                found.append((int(spans[0].get("start", 0)), int(spans[0].get("end", 0)), curie))
        else:
            classes = {
                c.get("id"): c.find("mentionClass").get("id")  # type: ignore[union-attr]
                for c in tree.getroot().iter("classMention")
            }
            for annotation in tree.getroot().iter("annotation"):
                mention = annotation.find("mention")
                spans = annotation.findall("span")
                if mention is None or len(spans) != 1:
                    continue  # discontinuous spans are beyond a dictionary matcher; still gold
                curie = classes.get(mention.get("id"), "")
                found.append(
                    (int(spans[0].get("start", 0)), int(spans[0].get("end", 0)), curie or "")
                )
        yield doc_id, found


def score_craft(root: Path, matcher: Matcher, ontology: str, prefix: str) -> Score:
    score = Score()
    texts: dict[str, str] = {}
    for doc_id, gold in read_craft(root, ontology):
        if doc_id not in texts:
            texts[doc_id] = (root / "articles" / "txt" / f"{doc_id}.txt").read_text(
                encoding="utf-8"
            )
        gold_set = {(s, e, c) for s, e, c in gold if c.startswith(prefix + ":")}
        predicted = set()
        for m in matcher.annotate(texts[doc_id]):
            ours = [i for i in m.ids if i.startswith(prefix + ":")]
            if ours:
                predicted.add((m.start, m.end, ours[0]))
        score.add(gold_set, predicted)  # type: ignore[arg-type]
    return score


def seeds_recall(shared: Path, matcher: Matcher) -> tuple[int, int, list[str]]:
    rows = [
        line.split("\t")
        for line in (FIXTURES / "seeds-must.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    found = 0
    missing = []
    cache: dict[str, list[Mention]] = {}
    for seed, surface, etype, ids in rows:
        if seed not in cache:
            path = next((shared / "corpus" / "seeds").glob(f"{seed}_*.txt"))
            cache[seed] = matcher.annotate(path.read_text(encoding="utf-8"))
        wanted = set(ids.split("|"))
        if any(
            m.text.lower() == surface.lower() and m.type == etype and wanted <= set(m.ids)
            for m in cache[seed]
        ):
            found += 1
        else:
            missing.append(f"{seed}:{surface}")
    return found, len(rows), missing


def fmt(name: str, score: Score, target: str = "") -> str:
    p, r, f = score.row()
    return f"| {name:<52} | {p:5.3f} | {r:5.3f} | {f:5.3f} | {target:>8} |"


def annotate_all(matcher: Matcher, docs: list[Doc]) -> tuple[dict[str, list[Mention]], float, int]:
    """Mentions per document, the seconds it took, and the bytes of text read."""
    results: dict[str, list[Mention]] = {}
    start = time.perf_counter()
    characters = 0
    for doc in docs:
        results[doc.id] = matcher.annotate(doc.text)
        characters += len(doc.text.encode("utf-8"))
    return results, time.perf_counter() - start, characters


def print_pubtator(
    ncbi: list[Doc], cdr: list[Doc], results: dict[str, list[Mention]], tag: str
) -> None:
    strict, spans, ids, any_id = score_pubtator(
        ncbi,
        results,
        {"SpecificDisease", "DiseaseClass", "Modifier", "CompositeMention"},
        "disease",
    )
    print(fmt(f"{tag}NCBI Disease: mention + MeSH/OMIM id (strict)", strict, ">= 0.80"))
    print(fmt(f"{tag}NCBI Disease: mention + any of its ids", any_id))
    print(fmt(f"{tag}NCBI Disease: mention span only", spans))
    print(fmt(f"{tag}NCBI Disease: ids per document", ids))
    for label, gold_type, ours in (
        ("disease", "Disease", "disease"),
        ("chemical", "Chemical", "drug"),
    ):
        strict, spans, ids, any_id = score_pubtator(cdr, results, {gold_type}, ours)
        print(fmt(f"{tag}BC5CDR {label}: mention + MeSH id (strict)", strict))
        print(fmt(f"{tag}BC5CDR {label}: mention + any of its ids", any_id))
        print(fmt(f"{tag}BC5CDR {label}: mention span only", spans))
        print(fmt(f"{tag}BC5CDR {label}: ids per document", ids))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    args = parser.parse_args(list(argv) if argv is not None else None)
    shared: Path = args.shared
    ontologies = shared / "ontologies"

    with tempfile.TemporaryDirectory() as scratch:
        cache_dir = args.cache_dir or Path(scratch)
        start = time.perf_counter()
        matcher = load_matcher(ontologies, cache_dir / "fresh")  # builds, then writes the cache
        cold = time.perf_counter() - start
        cache_dir = cache_dir / "fresh"
        warm_run = subprocess.run(
            [sys.executable, "-c", _WARM, str(REPO), str(ontologies), str(cache_dir)],
            capture_output=True,
            text=True,
            check=True,
        )
        warm, warm_rss = (float(x) for x in warm_run.stdout.split())

    split = args.split
    ncbi_file = {"dev": "NCBIdevelopset_corpus.txt", "train": "NCBItrainset_corpus.txt"}[split]
    cdr_file = {"dev": "CDR_DevelopmentSet.PubTator.txt", "train": "CDR_TrainingSet.PubTator.txt"}[
        split
    ]
    ncbi = list(read_pubtator(shared / "eval" / "ncbi-disease" / ncbi_file))
    cdr = list(read_pubtator(shared / "eval" / "bc5cdr" / cdr_file))

    results, seconds, characters = annotate_all(matcher, ncbi + cdr)
    n_docs = len(ncbi) + len(cdr)
    head = f"measure ({split} splits)"
    print(f"| {head:<52} | {'P':>5} | {'R':>5} | {'F1':>5} | {'target':>8} |")
    print(f"|{'-' * 54}|{'-' * 7}|{'-' * 7}|{'-' * 7}|{'-' * 10}|")
    print_pubtator(ncbi, cdr, results, "")
    craft = shared / "eval" / "craft"
    print(fmt("CRAFT CL: mention + CL id", score_craft(craft, matcher, "CL", "CL"), ">= 0.75"))
    print(fmt("CRAFT GO-BP: mention + GO id", score_craft(craft, matcher, "GO_BP", "GO")))
    print(fmt("CRAFT MONDO: mention + MONDO id", score_craft(craft, matcher, "MONDO", "MONDO")))
    found, total, missing = seeds_recall(shared, matcher)
    share = f"{found} of {total} ({found / total:.3f})"
    print(f"| {'seeds: must rows found':<52} | {share:>21} | {'all':>8} |")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {'cold build, all sources (s)':<52} | {cold:>21.1f} | {'< 60':>8} |")
    print(f"| {'warm start from cache, new process (s)':<52} | {warm:>21.2f} | {'< 3':>8} |")
    print(f"| {'warm process peak RSS (MB)':<52} | {warm_rss / 1024:>21.0f} | {'< 1500':>8} |")
    print(f"| {'benchmark process peak RSS (MB)':<52} | {rss:>21.0f} | {'':>8} |")
    print(f"| {'throughput (abstracts/s)':<52} | {n_docs / seconds:>21.0f} | {'':>8} |")
    print(
        f"| {'throughput (MB/s of text)':<52} | {characters / seconds / 1e6:>21.2f} | {'>= 5':>8} |"
    )
    if split == "train":
        return 0  # names learned from the train split say nothing when scored on it
    # The same dictionary plus names learned from the training splits (see TrainNames).
    train_docs = list(read_pubtator(shared / "eval" / "ncbi-disease" / "NCBItrainset_corpus.txt"))
    cdr_train = list(read_pubtator(shared / "eval" / "bc5cdr" / "CDR_TrainingSet.PubTator.txt"))
    disease_types = {"SpecificDisease": "C", "DiseaseClass": "C", "Modifier": "C"}
    extra = [
        TrainNames(train_docs, disease_types),
        TrainNames(cdr_train, {"Disease": "C", "Chemical": "D"}),
    ]
    tuned = load_matcher(ontologies, None, sources=[*load_sources(ontologies), *extra])
    tuned_results = annotate_all(tuned, ncbi + cdr)[0]
    print(f"| {'with names learned from the train splits:':<52} |")
    print_pubtator(ncbi, cdr, tuned_results, "+train ")
    if missing:
        print("seeds missing:", ", ".join(missing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
