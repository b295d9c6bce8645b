"""Field-level accuracy and speed of the reference parser, printed as a table.

    python benchmarks/bench_refparse.py [SHARED_DIR]

Corpora (under the shared data folder, $KG_SHARED or ../shared beside the checkout):
- anystyle: eval/refstrings/anystyle/*.xml, tagged reference strings. The string parsed is the
  tagged segments joined by spaces; gold is each field's segment, normalised.
- craft, pmc-jats: the reference lists of eval/craft/articles/nxml/*.nxml and
  eval/refstrings/pmc-jats/*.nxml. Gold is the JATS citation's fields. The string parsed is the
  text of a mixed-citation when it carries its own punctuation; otherwise (element-citation,
  NLM <citation>, or a mixed-citation that is only tags) a rendering of its fields in one of seven
  styles, rotated by position (Vancouver, APA, Nature, Harvard, MLA, Chicago, AMA). The table
  says how many strings of each kind were parsed.

A field counts as a true positive when the parsed value equals the gold value after
normalisation (case, accents and punctuation removed); a parsed value that differs is a false
positive and a false negative; a value with no gold counterpart is a false positive.
"""

import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipelines.citations.identifiers import normalize_doi
from pipelines.citations.parse import parse_reference
from pipelines.citations.records import Reference

FIELDS = ("authors", "year", "title", "container", "volume", "issue", "pages", "doi", "pmid")
_AUTHOR_NOISE = frozenset({"and", "et", "al", "eds", "ed", "hrsg", "dir", "by", "u", "a", "jr"})


@dataclass
class Sample:
    text: str
    gold: dict[str, str]
    source: str  # "text" (as printed) or "rendered:<style>"


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    strings: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    count: int = 0


def norm(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def first_number(text: str | None) -> str:
    found = re.search(r"[A-Za-z]?\d+[A-Za-z]?", text or "")
    return found.group(0).lower() if found else ""


def first_year(text: str | None) -> str:
    found = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text or "")
    return found.group(1) if found else ""


def author_tokens(text: str) -> str:
    words = [w for w in norm(text).split() if w not in _AUTHOR_NOISE]
    return " ".join(sorted(words))


# --- predictions ------------------------------------------------------------------------------


def predicted(ref: Reference, author_mode: str) -> dict[str, str]:
    if author_mode == "tokens":
        authors = author_tokens(" ".join(f"{f} {g}" for f, g in ref.authors))
    else:
        authors = "|".join(norm(f) for f, _ in ref.authors)
    first_page = ref.pages[0] if ref.pages else ref.article_number
    return {
        "authors": authors,
        "year": str(ref.year) if ref.year else "",
        "title": norm(ref.title),
        "container": norm(ref.container),
        "volume": first_number(ref.volume),
        "issue": norm(ref.issue),
        "pages": first_number(first_page),
        "doi": ref.doi or "",
        "pmid": ref.pmid or "",
    }


# --- anystyle ---------------------------------------------------------------------------------


def anystyle_samples(folder: Path) -> Iterator[Sample]:
    for path in sorted(folder.glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        for seq in root.iter("sequence"):
            parts: list[str] = []
            first: dict[str, str] = {}
            for child in seq:
                if not isinstance(child.tag, str):
                    continue
                value = " ".join((child.text or "").split())
                parts.append(value)
                first.setdefault(child.tag, value)
            gold: dict[str, str] = {}
            if "author" in first:
                gold["authors"] = author_tokens(first["author"])
            if first_year(first.get("date")):
                gold["year"] = first_year(first.get("date"))
            if "title" in first:
                gold["title"] = norm(first["title"])
            container = first.get("journal") or first.get("container-title")
            if container:
                gold["container"] = norm(re.sub(r"^\s*(?:In|in)\s?:?\s", "", container))
            if first_number(first.get("volume")):
                gold["volume"] = first_number(first.get("volume"))
            if first_number(first.get("pages")):
                gold["pages"] = first_number(first.get("pages"))
            if "doi" in first:
                gold["doi"] = normalize_doi(first["doi"])
            gold = {k: v for k, v in gold.items() if v}
            if gold:
                yield Sample(" ".join(parts), gold, "text")


# --- JATS -------------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.split("}")[-1] if isinstance(tag, str) else ""


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return " ".join("".join(str(t) for t in el.itertext()).split())


def _find(el: etree._Element, name: str) -> etree._Element | None:
    for child in el.iter():
        if _local(child.tag) == name:
            return child
    return None


def _jats_gold(cit: etree._Element) -> tuple[dict[str, str], list[tuple[str, str]], bool]:
    names: list[tuple[str, str]] = []
    etal = False
    groups = [g for g in cit if _local(g.tag) == "person-group"]
    holders = [g for g in groups if g.get("person-group-type", "author") == "author"] or [cit]
    for holder in holders[:1]:
        for child in holder:
            tag = _local(child.tag)
            if tag == "name":
                names.append((_text(_find(child, "surname")), _text(_find(child, "given-names"))))
            elif tag == "collab":
                names.append((_text(child), ""))
            elif tag == "etal":
                etal = True
    article = _find(cit, "article-title")
    if article is None:
        article = _find(cit, "chapter-title")
    source = _find(cit, "source")
    gold: dict[str, str] = {}
    if names:
        gold["authors"] = "|".join(norm(f) for f, _ in names)
    year = first_year(_text(_find(cit, "year")))
    if year:
        gold["year"] = year
    if article is not None:
        gold["title"] = norm(_text(article))
        if source is not None:
            gold["container"] = norm(_text(source))
    elif source is not None:
        gold["title"] = norm(_text(source))
    for tag, key in (("volume", "volume"), ("issue", "issue")):
        value = _text(_find(cit, tag))
        if value:
            gold[key] = first_number(value) if key == "volume" else norm(value)
    page = _text(_find(cit, "fpage")) or _text(_find(cit, "elocation-id"))
    if page:
        gold["pages"] = first_number(page)
    for pub_id in cit.iter():
        if _local(pub_id.tag) == "pub-id":
            kind = pub_id.get("pub-id-type")
            if kind == "doi":
                gold["doi"] = normalize_doi(_text(pub_id))
            elif kind == "pmid":
                gold["pmid"] = _text(pub_id).lstrip("0")
    return {k: v for k, v in gold.items() if v}, names, etal


def _has_own_punctuation(cit: etree._Element) -> bool:
    """Whether a mixed-citation carries the separators between its fields itself."""
    between = (cit.text or "") + "".join((child.tail or "") for child in cit)
    return len(re.sub(r"\s", "", between)) >= 4


def _printed_text(cit: etree._Element) -> str:
    """The mixed-citation as a reader sees it. Adjacent elements ("<surname>Egmond</surname>
    <given-names>MR</given-names>") are displayed with a space between them; an unlabelled
    pub-id is a link the archive added, not part of the printed reference, so it is left out."""
    parts: list[str] = []

    def add(piece: str) -> None:
        if piece and parts and parts[-1][-1:].isalnum() and piece[0].isalnum():
            parts.append(" ")
        if piece:
            parts.append(piece)

    def walk(el: etree._Element) -> None:
        add(el.text or "")
        for child in el:
            before = "".join(parts[-3:]).rstrip().lower()
            labelled = before.endswith((":", "doi", "pmid", "pmcid"))
            if _local(child.tag) != "pub-id" or labelled:
                walk(child)
            add(child.tail or "")

    walk(cit)
    return " ".join("".join(parts).split())


def jats_samples(paths: list[Path]) -> Iterator[Sample]:
    counter = 0
    for path in paths:
        root = etree.parse(str(path)).getroot()
        for ref in root.iter():
            if _local(ref.tag) != "ref":
                continue
            cit = next(
                (
                    c
                    for c in ref.iter()
                    if _local(c.tag) in ("mixed-citation", "element-citation", "citation")
                ),
                None,
            )
            if cit is None:
                continue
            gold, names, etal = _jats_gold(cit)
            if _local(cit.tag) == "mixed-citation" and _has_own_punctuation(cit):
                text = _printed_text(cit)
                for key in ("doi", "pmid"):
                    if key in gold and gold[key] not in text.lower():
                        del gold[key]
                if gold:
                    yield Sample(text, gold, "text")
                continue
            if len(gold) < 2:
                continue
            style, render = RENDERERS[counter % len(RENDERERS)]
            counter += 1
            text = render(_fields(cit, names, etal))
            yield Sample(text, _printed(gold, names, etal, style, text), f"rendered:{style}")


def _printed(
    gold: dict[str, str], names: list[tuple[str, str]], etal: bool, style: str, text: str
) -> dict[str, str]:
    """Gold restricted to what the rendering printed: the names before "et al.", the ids shown."""
    shown = len(names)
    limit = {"vancouver": 6, "ama": 6, "apa": 20, "nature": 5, "harvard": 8, "mla": 3}.get(style, 3)
    if etal or len(names) > limit:
        shown = 1 if style in ("nature", "mla", "chicago") else min(limit, len(names))
    out = dict(gold)
    if names:
        out["authors"] = "|".join(norm(f) for f, _ in names[:shown])
    for key in ("doi", "pmid"):
        if key in out and out[key] not in text.lower():
            del out[key]
    return out


@dataclass
class _Fields:
    names: list[tuple[str, str]]
    etal: bool
    year: str
    title: str
    source: str
    volume: str
    issue: str
    fpage: str
    lpage: str
    doi: str
    pmid: str
    publisher: str


def _fields(cit: etree._Element, names: list[tuple[str, str]], etal: bool) -> _Fields:
    article = _find(cit, "article-title")
    if article is None:
        article = _find(cit, "chapter-title")
    title = _text(article) if article is not None else _text(_find(cit, "source"))
    source = _text(_find(cit, "source")) if article is not None else ""
    ids = {p.get("pub-id-type"): _text(p) for p in cit.iter() if _local(p.tag) == "pub-id"}
    loc = _text(_find(cit, "publisher-loc"))
    pub = _text(_find(cit, "publisher-name"))
    return _Fields(
        names=names,
        etal=etal,
        year=first_year(_text(_find(cit, "year"))),
        title=title.rstrip("."),
        source=source,
        volume=_text(_find(cit, "volume")),
        issue=_text(_find(cit, "issue")),
        fpage=_text(_find(cit, "fpage")) or _text(_find(cit, "elocation-id")),
        lpage=_text(_find(cit, "lpage")),
        doi=ids.get("doi", ""),
        pmid=ids.get("pmid", ""),
        publisher=f"{loc}: {pub}" if loc and pub else pub or loc,
    )


def _initials(given: str, dots: bool) -> str:
    letters = [c for c in given if c.isupper()] or list(given[:1])
    return " ".join(f"{c}." for c in letters) if dots else "".join(letters)


def _pages(f: _Fields, sep: str = "-") -> str:
    return f"{f.fpage}{sep}{f.lpage}" if f.lpage and f.lpage != f.fpage else f.fpage


def _vancouver(f: _Fields) -> str:
    names = ", ".join(f"{s} {_initials(g, False)}".strip() for s, g in f.names[:6])
    if f.etal or len(f.names) > 6:
        names += ", et al"
    out = f"{names}. {f.title}. "
    if f.source:
        out += f"{f.source}. {f.year}"
        out += f";{f.volume}" if f.volume else ""
        out += f"({f.issue})" if f.issue else ""
        out += f":{_pages(f)}" if f.fpage else ""
        out += "."
    else:
        out += f"{f.publisher + '; ' if f.publisher else ''}{f.year}."
    return out + (f" PMID: {f.pmid}." if f.pmid else "")


def _ama(f: _Fields) -> str:
    out = _vancouver(f).split(" PMID:")[0]
    return out + (f" doi:{f.doi}" if f.doi else "")


def _apa_names(f: _Fields) -> str:
    parts = [f"{s}, {_initials(g, True)}".rstrip(", ") for s, g in f.names[:20]]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + ", & " + parts[-1]
    return parts[0] if parts else ""


def _apa(f: _Fields) -> str:
    out = f"{_apa_names(f)} ({f.year}). {f.title}. "
    if f.source:
        out += f.source
        out += f", {f.volume}" if f.volume else ""
        out += f"({f.issue})" if f.issue else ""
        out += f", {_pages(f, '–')}" if f.fpage else ""
        out += "."
    elif f.publisher:
        out += f"{f.publisher}."
    return out + (f" https://doi.org/{f.doi}" if f.doi else "")


def _nature(f: _Fields) -> str:
    parts = [f"{s}, {_initials(g, True)}".rstrip(", ") for s, g in f.names[:5]]
    names = parts[0] if parts else ""
    if len(parts) > 1:
        names = ", ".join(parts[:-1]) + " & " + parts[-1]
    if f.etal or len(f.names) > 5:
        names = parts[0] + " et al."
    out = f"{names} {f.title}. "
    if f.source:
        out += f"{f.source} {f.volume}, {_pages(f, '–')} ({f.year})."
    else:
        out += f"({f.publisher + ', ' if f.publisher else ''}{f.year})."
    return out


def _harvard(f: _Fields) -> str:
    parts = [f"{s}, {_initials(g, True).replace(' ', '')}".rstrip(", ") for s, g in f.names[:8]]
    names = parts[0] if parts else ""
    if len(parts) > 1:
        names = ", ".join(parts[:-1]) + " and " + parts[-1]
    out = f"{names} ({f.year}) '{f.title}', "
    if f.source:
        out += f.source
        out += f", {f.volume}" if f.volume else ""
        out += f"({f.issue})" if f.issue else ""
        out += f", pp. {_pages(f, '–')}" if f.fpage else ""
        return out + "."
    return out + (f"{f.publisher}." if f.publisher else "")


def _later_names(f: _Fields) -> str:
    first = f"{f.names[0][0]}, {_initials(f.names[0][1], True)}".rstrip(", ") if f.names else ""
    if len(f.names) > 3 or f.etal:
        return f"{first}, et al."
    others = [f"{_initials(g, True)} {s}".strip() for s, g in f.names[1:]]
    if not others:
        return f"{first}."
    if len(others) == 1:
        return f"{first}, and {others[0]}."
    return f"{first}, {others[0]}, and {others[1]}."


def _mla(f: _Fields) -> str:
    out = f'{_later_names(f)} "{f.title}." '
    if f.source:
        out += f"{f.source}"
        out += f", vol. {f.volume}" if f.volume else ""
        out += f", no. {f.issue}" if f.issue else ""
        out += f", {f.year}"
        out += f", pp. {_pages(f)}" if f.fpage else ""
        return out + "."
    return out + f"{f.publisher + ', ' if f.publisher else ''}{f.year}."


def _chicago(f: _Fields) -> str:
    out = f'{_later_names(f)} "{f.title}." '
    if f.source:
        out += f"{f.source} {f.volume}"
        out += f", no. {f.issue}" if f.issue else ""
        out += f" ({f.year})"
        out += f": {_pages(f, '–')}" if f.fpage else ""
        return out + "." + (f" https://doi.org/{f.doi}." if f.doi else "")
    return out + f"{f.publisher + ', ' if f.publisher else ''}{f.year}."


RENDERERS: tuple[tuple[str, Callable[[_Fields], str]], ...] = (
    ("vancouver", _vancouver),
    ("apa", _apa),
    ("nature", _nature),
    ("harvard", _harvard),
    ("mla", _mla),
    ("chicago", _chicago),
    ("ama", _ama),
)


# --- scoring ----------------------------------------------------------------------------------


def score(samples: list[Sample], author_mode: str) -> Score:
    result = Score()
    started = time.perf_counter()
    parsed = [parse_reference(s.text) for s in samples]
    result.seconds = time.perf_counter() - started
    result.count = len(samples)
    for sample, ref in zip(samples, parsed, strict=True):
        result.strings[sample.source.split(":")[0]] += 1
        guess = predicted(ref, author_mode)
        for name in FIELDS:
            want, got = sample.gold.get(name, ""), guess.get(name, "")
            if got and want and got == want:
                result.tp[name] += 1
                continue
            if got:
                result.fp[name] += 1
            if want:
                result.fn[name] += 1
    return result


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def table(name: str, result: Score) -> list[str]:
    lines = [
        f"{name}: {result.count} references "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(result.strings.items()))}), "
        f"{result.count / result.seconds if result.seconds else 0:,.0f} references/s",
        f"  {'field':<10} {'gold':>6} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for f in FIELDS:
        gold = result.tp[f] + result.fn[f]
        if gold == 0 and result.fp[f] == 0:
            continue
        p, r, f1 = prf(result.tp[f], result.fp[f], result.fn[f])
        lines.append(f"  {f:<10} {gold:>6} {p:>6.3f} {r:>6.3f} {f1:>6.3f}")
    tp, fp, fn = (sum(c.values()) for c in (result.tp, result.fp, result.fn))
    p, r, f1 = prf(tp, fp, fn)
    lines.append(f"  {'overall':<10} {tp + fn:>6} {p:>6.3f} {r:>6.3f} {f1:>6.3f}")
    return lines


def default_shared() -> Path:
    import os

    configured = os.environ.get("KG_SHARED")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared"


def failures(samples: list[Sample], author_mode: str, name: str, limit: int) -> Iterator[str]:
    """Strings whose field `name` was parsed wrong, for tuning by hand."""
    shown = 0
    for sample in samples:
        guess = predicted(parse_reference(sample.text), author_mode).get(name, "")
        want = sample.gold.get(name, "")
        if guess != want and shown < limit:
            shown += 1
            yield f"{sample.text}\n    want {want!r}\n    got  {guess!r}"


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else default_shared()
    if not shared.is_dir():
        print(f"error: shared data folder not found: {shared}", file=sys.stderr)
        return 1
    corpora = {
        "anystyle": (list(anystyle_samples(shared / "eval/refstrings/anystyle")), "tokens"),
        "craft": (
            list(jats_samples(sorted((shared / "eval/craft/articles/nxml").glob("*.nxml")))),
            "list",
        ),
        "pmc-jats": (
            list(jats_samples(sorted((shared / "eval/refstrings/pmc-jats").glob("*.nxml")))),
            "list",
        ),
    }
    for name, (samples, mode) in corpora.items():
        print("\n".join(table(name, score(samples, mode))))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
