"""Polarity, certainty and quantities: the words around a claim that say how it is made.

Certainty is read from the sentence up to the end of the claim's object, so a hedge in the
lead-in ("it could be said that ...") counts and a hedge in a later clause does not.
Precedence: speculation, then hedge, then strong assertion, else plain assertion, because
"has proven ... could" is still a hedged statement.
"""

import re

from pipelines.claims.records import Certainty, Quantity

_NEGATION = re.compile(
    r"\b(?:not(?! only\b)|no|never|cannot|can[’']t|won[’']t|isn[’']t|aren[’']t|doesn[’']t|"
    r"don[’']t|didn[’']t|wasn[’']t|weren[’']t|neither|nor|without|"
    r"fail(?:s|ed)? to|unable to|lack(?:s|ed)? of|absence of)\b",
    re.IGNORECASE,
)
# "the chances of successful results are very low": a denial of efficacy without a "not".
LOW_SUCCESS = re.compile(
    r"\b(?:chances?|likelihood|rates?|odds|probability|prospects?) of (?:\w+ )?"
    r"success\w*(?: \w+)? (?:is|are|was|were|remains?|remain) (?:\w+ )?"
    r"(?:low|slim|poor|small|minimal|limited)\b",
    re.IGNORECASE,
)
_SPECULATION = re.compile(
    r"\b(?:hypothes\w+|speculat\w+|conceivabl\w+|perhaps|whether|remains? (?:unclear|unknown|"
    r"to be (?:seen|determined|established))|it is possible that|might)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:may|could|can(?![’']t)|possibl[ey]|potential(?:ly)?|promis(?:e|ing)(?! results)|"
    r"suggest(?:s|ed|ing)?|likely|appears? to|appeared to|seems? to|seemed to|believed?|"
    r"believes|hope[sd]?|indicat(?:e|es|ed)|is thought|are thought|expected to|aims? to|"
    r"designed to|candidate)\b",
    re.IGNORECASE,
)
_STRONG = re.compile(
    r"\b(?:(?:has|have|had) (?:been )?proven|proved|prove[sn]?|demonstrat(?:e|es|ed)|"
    r"confirm(?:s|ed)?|(?:clearly|firmly|well) established|conclusively|undoubtedly|"
    r"unequivocally|definitively)\b",
    re.IGNORECASE,
)


def negation_cues(text: str) -> list[str]:
    """Negation words of `text` (lower-cased), in order."""
    return [m.group(0).lower() for m in _NEGATION.finditer(text)]


def certainty(text: str) -> tuple[Certainty, list[str]]:
    """The certainty of a statement made in `text`, and the cues that set it."""
    for level, pattern in (
        ("speculative", _SPECULATION),
        ("hedged", _HEDGE),
        ("strong", _STRONG),
    ):
        cues = [m.group(0).lower() for m in pattern.finditer(text)]
        if cues:
            return level, cues  # type: ignore[return-value]
    return "asserted", []


_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}
_NUM = r"\d[\d,]*(?:\.\d+)?|" + "|".join(_NUMBER_WORDS)
_PEOPLE = re.compile(
    rf"\b(?:n\s*=\s*(\d[\d,]*)|({_NUM})\s+(?:[A-Za-z-]+\s+){{0,2}}?"
    r"(patients|participants|subjects|individuals|people|persons|cases|children|adults|"
    r"women|men|volunteers|mice|rats))\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_DURATION = re.compile(
    rf"\b({_NUM})(?:\s*(?:to|-|–)\s*(?:{_NUM}))?[\s-]+(day|week|month|year)s?\b",
    re.IGNORECASE,
)


def _number(text: str) -> float:
    lowered = text.lower()
    if lowered in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[lowered])
    return float(lowered.replace(",", ""))


def quantities(text: str) -> list[Quantity]:
    """Counts of people, percentages and durations stated in `text`.

    >>> [(q.kind, q.value, q.unit) for q in quantities("617 MS patients; 78% at 12 months")]
    [('patients', 617.0, 'patients'), ('percentage', 78.0, 'percent'), ('duration', 12.0, 'month')]
    """
    found: list[tuple[int, Quantity]] = []
    for m in _PEOPLE.finditer(text):
        if m.group(1):
            found.append((m.start(), Quantity("patients", _number(m.group(1)), "patients", m[0])))
        else:
            noun = m.group(3).lower()
            kind = "animals" if noun in ("mice", "rats") else "patients"
            found.append((m.start(), Quantity(kind, _number(m.group(2)), noun, m.group(0))))
    for m in _PERCENT.finditer(text):
        found.append((m.start(), Quantity("percentage", float(m.group(1)), "percent", m[0])))
    for m in _DURATION.finditer(text):
        unit = m.group(2).lower()
        found.append((m.start(), Quantity("duration", _number(m.group(1)), unit, m.group(0))))
    return [q for _, q in sorted(found, key=lambda item: item[0])]
