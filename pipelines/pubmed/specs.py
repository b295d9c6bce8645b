"""Paper identifiers given as build inputs: `pmid:31394007`, `doi:10.4061/2011/164608`,
`pmcid:PMC3010615`."""

import re
from dataclasses import dataclass
from typing import Literal

IdKind = Literal["pmid", "doi", "pmcid"]

_PMID = re.compile(r"[1-9][0-9]{0,9}")
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
_PMCID = re.compile(r"(?:PMC)?([1-9][0-9]{0,9})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PaperRef:
    """A paper named by one identifier."""

    kind: IdKind
    value: str  # normalised: PMID digits, DOI lower-case, PMCID upper-case with PMC

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


def looks_like_paper_ref(text: str) -> bool:
    """True when `text` is written as an identifier input (kind:value), valid or not."""
    kind, sep, _ = text.partition(":")
    return bool(sep) and kind.lower() in ("pmid", "doi", "pmcid")


def parse_paper_ref(text: str) -> PaperRef:
    """Parse `kind:value`; raise ValueError saying what is wrong."""
    kind, _, value = text.partition(":")
    kind, value = kind.lower().strip(), value.strip()
    if kind == "pmid":
        if not _PMID.fullmatch(value):
            raise ValueError(f"not a PMID: {value!r} (expected digits, e.g. pmid:31394007)")
        return PaperRef("pmid", value)
    if kind == "doi":
        value = re.sub(r"^(https?://(dx\.)?doi\.org/)", "", value, flags=re.IGNORECASE)
        if not _DOI.fullmatch(value):
            raise ValueError(f"not a DOI: {value!r} (expected 10.NNNN/..., e.g. doi:10.1111/x)")
        return PaperRef("doi", value.lower())
    if kind == "pmcid":
        match = _PMCID.fullmatch(value)
        if not match:
            raise ValueError(f"not a PMCID: {value!r} (expected e.g. pmcid:PMC3010615)")
        return PaperRef("pmcid", f"PMC{match.group(1)}")
    raise ValueError(f"unknown identifier kind {kind!r} (use pmid:, doi: or pmcid:)")
