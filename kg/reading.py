"""What the build reads in a text beyond its references: mentions, concepts, claims and the
evidence behind each claim, as statements for the text's named graph."""

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from pipelines.citations.records import Citations
from pipelines.claims.evidence import cited_evidence, infer_evidence
from pipelines.claims.extract import EXTRACTOR_VERSION, extract_claims
from pipelines.claims.rdf import claim_statements
from pipelines.claims.records import Claim, Evidence, PaperText
from pipelines.entities.matcher import Matcher
from pipelines.entities.rdf import concept_statements, mention_statements
from pipelines.entities.records import Mention
from pipelines.pubmed.records import Paper
from pipelines.rdf import Statement

# A paper by PMID, None when no source has it (the reference then backs no claim).
PaperLookup = Callable[[str], Paper | None]


# "another type of stem cells called hematopoietic": the kind is named by one adjective.
_NAMED_KIND = re.compile(
    r"\b((?:stem |immune |blood |nerve )?cells?) (?:called|named|termed|known as) ([A-Za-z-]{4,})\b"
)


def find_mentions(matcher: Matcher, text: str) -> list[Mention]:
    """The matcher's mentions, plus kinds named after their class ("stem cells called
    hematopoietic" names hematopoietic stem cells), which a dictionary cannot see."""
    mentions = matcher.annotate(text)
    extra: list[Mention] = []
    for match in _NAMED_KIND.finditer(text):
        start, end = match.span(2)
        if any(m.start < end and start < m.end for m in mentions):
            continue
        phrase = f"{match.group(2)} {match.group(1)}"
        found = matcher.annotate(phrase)
        if len(found) == 1 and (found[0].start, found[0].end) == (0, len(phrase)):
            extra.append(
                replace(found[0], start=start, end=end, text=match.group(2), how="named-kind")
            )
    if not extra:
        return mentions
    return sorted([*mentions, *extra], key=lambda m: (m.start, -m.end))


def evidence_text(paper: Paper) -> PaperText:
    """What evidence matching reads of a paper."""
    return PaperText(
        pmid=paper.pmid,
        title=paper.title or "",
        abstract=paper.abstract or "",
        publication_types=tuple(t.name for t in paper.publication_types),
        retracted=paper.retracted,
    )


def stages_version(matcher: Matcher) -> str:
    """The part of a graph's digest owed to these stages and the terms the matcher knows."""
    return f"{matcher.fingerprint};{EXTRACTOR_VERSION}"


def _evidence(
    claims: Sequence[Claim],
    citations: Citations,
    resolved: dict[int, str],
    lookup: PaperLookup,
) -> dict[int, list[Evidence]]:
    """Evidence per claim index: cited papers when the sentence carries markers; when the
    document prints references but no markers at all, papers inferred by content."""
    papers: dict[int, PaperText] = {}
    for position, pmid in sorted(resolved.items()):
        paper = lookup(pmid)
        if paper is not None:
            papers[position] = evidence_text(paper)
    if not papers:
        return {}
    by_span = {m.span: m for m in citations.markers}
    found: dict[int, list[Evidence]] = {}
    for index, claim in enumerate(claims):
        if citations.markers:
            positions = sorted(
                {p for span in claim.markers for p in by_span[span].references if p in papers}
            )
            if positions:
                found[index] = cited_evidence(claim, [(p, papers[p]) for p in positions])
        else:
            inferred = infer_evidence(claim, sorted(papers.items()))
            if inferred:
                found[index] = inferred
    return found


def document_statements(
    matcher: Matcher,
    document: str,
    base: str,
    text: str,
    citations: Citations,
    resolved: dict[int, str],
    references: dict[int, str],
    lookup: PaperLookup,
) -> list[Statement]:
    """Mentions, concepts and claims of a document, each claim with its evidence.

    `resolved` maps a reference position to the PMID it resolved to and `references` a
    position to the reference's IRI.
    """
    mentions = find_mentions(matcher, text)
    markers = [m.span for m in citations.markers]
    claims = extract_claims(text, mentions, markers)
    evidence = _evidence(claims, citations, resolved, lookup)
    return [
        *mention_statements(document, base, mentions),
        *concept_statements(mentions),
        *claim_statements(document, base, claims, evidence, references),
    ]


def paper_statements(matcher: Matcher, paper: str, base: str, text: str) -> list[Statement]:
    """Mentions, concepts and claims of a paper's title and abstract (its own findings)."""
    mentions = find_mentions(matcher, text)
    claims = extract_claims(text, mentions)
    return [
        *mention_statements(paper, base, mentions),
        *concept_statements(mentions),
        *claim_statements(paper, base, claims, with_status=False),
    ]
