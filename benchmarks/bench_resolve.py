"""Reference resolution against a local mirror of the bulk PubMed files.

    python benchmarks/bench_resolve.py [--shared PATH] [--mirror DIR] [--n 1000]

References are rendered from real records of the mirror in seven citation styles, with
realistic damage (abbreviated or full journal names, missing title, year off by one,
missing pages, typos, dropped authors), parsed back by our parser, and resolved. Prints
precision, recall and references/s per style and overall. Targets: precision >= 0.99,
recall >= 0.95, >= 500 references/s.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from pipelines.citations.parse import parse_reference
from pipelines.citations.resolve import resolve
from pipelines.pubmed.mirror import Mirror
from pipelines.pubmed.records import Author, Paper

STYLES = ("vancouver", "apa", "ama", "harvard", "mla", "chicago", "nature")


def _authors(paper: Paper, style: str, rng: random.Random) -> str:
    people = [a for a in paper.authors if a.last_name]
    if len(people) > 2 and rng.random() < 0.3:
        people = people[:1]  # "et al." after the first author
        suffix = " et al."
    else:
        suffix = ""
    if style in ("vancouver", "ama", "nature"):
        names = [f"{a.last_name} {a.initials or ''}".strip() for a in people]
    elif style == "apa":
        names = [f"{a.last_name}, {'. '.join(a.initials or '')}." for a in people]
    else:
        # Full fore names where PubMed has them, else initials with periods ("W. G.").
        def given(a: Author) -> str:
            if a.fore_name and len(a.fore_name.replace(" ", "")) > len(a.initials or ""):
                return a.fore_name
            return " ".join(f"{c}." for c in (a.initials or ""))

        names = [f"{a.last_name}, {given(a)}".strip(", ") for a in people]
    return ", ".join(names) + suffix


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 10:
        return text
    i = rng.randrange(2, len(text) - 2)
    return text[:i] + text[i + 1 :]


def render(paper: Paper, style: str, rng: random.Random) -> str:
    """A citation of `paper` in `style`, with a random mix of damage."""
    title = (paper.title or "").rstrip(".")
    if rng.random() < 0.2:
        title = _typo(title, rng)
    if rng.random() < 0.1:
        title = ""
    journal = paper.journal
    name = (journal.iso_abbreviation if rng.random() < 0.5 else journal.title) if journal else ""
    year = paper.year or 0
    if rng.random() < 0.15:
        year += rng.choice((-1, 1))
    pages = "" if rng.random() < 0.2 else (paper.pages or "")
    volume, issue = paper.volume or "", paper.issue or ""
    who = _authors(paper, style, rng)
    if style in ("vancouver", "ama"):  # the same in plain text (AMA italicises the journal)
        text = f"{who}. {title}. {name}. {year};{volume}({issue}):{pages}."
    elif style == "apa":
        text = f"{who} ({year}). {title}. {name}, {volume}({issue}), {pages}."
    elif style == "harvard":
        text = f"{who} ({year}) '{title}', {name}, {volume}({issue}), pp. {pages}."
    elif style == "mla":
        text = f'{who}. "{title}." {name}, vol. {volume}, no. {issue}, {year}, pp. {pages}.'
    elif style == "chicago":
        text = f'{who}. "{title}." {name} {volume}, no. {issue} ({year}): {pages}.'
    else:
        text = f"{who} {title}. {name} {volume}, {pages} ({year})."
    # A dropped title leaves no empty quotes or doubled full stops behind.
    for empty in ('"."', "''", '""', ". ."):
        text = text.replace(empty, "." if empty == ". ." else "")
    return " ".join(text.replace("()", "").replace(" ,", ",").split())


def main() -> int:
    default = Path(os.environ.get("KG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=default)
    parser.add_argument("--mirror", type=Path, help="an existing mirror of the bulk files")
    parser.add_argument("--n", type=int, default=1000, help="references per run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        mirror_dir = args.mirror or Path(tmp) / "mirror"
        with Mirror.open(mirror_dir, create=True) as mirror:
            if args.mirror is None:
                bulk = args.shared / "pubmed" / "bulk"
                if not bulk.is_dir():
                    print(f"no bulk files at {bulk}", file=sys.stderr)
                    return 1
                started = time.perf_counter()
                mirror.index(sorted(bulk.glob("*.xml.gz")))
                print(f"indexed the bulk files in {time.perf_counter() - started:.1f} s")
            rng = random.Random(20261121)
            pmids = sorted(mirror.pmids())
            sample = [
                p
                for p in (mirror.by_pmid(x) for x in rng.sample(pmids, args.n * 2))
                if p is not None and p.title and p.authors and p.journal
            ][: args.n]
            tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # total, resolved, right
            seconds = 0.0
            for i, paper in enumerate(sample):
                style = STYLES[i % len(STYLES)]
                text = render(paper, style, rng)
                started = time.perf_counter()
                result = resolve(parse_reference(text), mirror)
                seconds += time.perf_counter() - started
                for key in (style, "overall"):
                    tally[key][0] += 1
                    tally[key][1] += result.status == "resolved"
                    tally[key][2] += result.status == "resolved" and result.pmid == paper.pmid
    print(f"{'style':<10}{'refs':>6}{'precision':>11}{'recall':>9}")
    for key in (*STYLES, "overall"):
        total, resolved, right = tally[key]
        precision = right / resolved if resolved else 0.0
        print(f"{key:<10}{total:>6}{precision:>11.3f}{right / max(total, 1):>9.3f}")
    print(f"references/s (parse + resolve): {len(sample) / seconds:,.0f}")
    print("targets: precision >= 0.99, recall >= 0.95, >= 500 references/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
