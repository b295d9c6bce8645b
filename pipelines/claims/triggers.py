"""The words that carry each relation, and which side of them the subject stands on.

A trigger is a regular expression over a sentence and a frame:
- "active": subject before, object after ("MSCs reduce oxidative damage");
- "passive": object before, subject after ("damage caused by MS", "repaired with the help of");
- "nominal": the noun of the relation, object after, subject before when there is one
  ("a cure for MS", "the primary causes of tissue damage").
Verb forms are spelled out rather than stemmed so that each pattern reads as what it matches.
"""

import re
from dataclasses import dataclass
from typing import Literal

from pipelines.claims.records import Predicate

Frame = Literal["active", "passive", "nominal"]

_BE = r"(?:is|are|was|were|be|been|being)"
_ADV = r"(?:\w+ly\s+)?"
_AGENT = r"(?:by|with the help of|through|via|using|with)"


@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: re.Pattern[str]
    predicate: Predicate
    frame: Frame


def _t(regex: str, predicate: Predicate, frame: Frame = "active") -> Trigger:
    return Trigger(re.compile(regex, re.IGNORECASE), predicate, frame)


def _passive(participles: str) -> str:
    return rf"\b(?:{_BE}\s+{_ADV})?(?:{participles})\s+{_AGENT}\b"


_REDUCE_VERBS = (
    r"reduc(?:e|es|ed|ing)|lower(?:s|ed|ing)?|decreas(?:e|es|ed|ing)|inhibit(?:s|ed|ing)?|"
    r"suppress(?:es|ed|ing)?|attenuat(?:e|es|ed|ing)|alleviat(?:e|es|ed|ing)|"
    r"counter(?:s|ed|ing)?|hamper(?:s|ed|ing)?|diminish(?:es|ed|ing)?|"
    r"ameliorat(?:e|es|ed|ing)|mitigat(?:e|es|ed|ing)|combat(?:s|ed|ing)?|"
    r"limit(?:s|ed|ing)?|dampen(?:s|ed|ing)?|lessen(?:s|ed|ing)?|reliev(?:e|es|ed|ing)|"
    r"downregulat(?:e|es|ed|ing)|down-regulat(?:e|es|ed|ing)|abrogat(?:e|es|ed|ing)|"
    r"impair(?:s|ed|ing)?"
)
_REDUCE_PARTS = (
    r"reduced|lowered|decreased|inhibited|suppressed|attenuated|alleviated|diminished|"
    r"ameliorated|mitigated|downregulated|down-regulated|impaired"
)
_PROMOTE_VERBS = (
    r"promot(?:e|es|ed|ing)|increas(?:e|es|ed|ing)|enhanc(?:e|es|ed|ing)|"
    r"stimulat(?:e|es|ed|ing)|induc(?:e|es|ed|ing)|boost(?:s|ed|ing)?|"
    r"upregulat(?:e|es|ed|ing)|up-regulat(?:e|es|ed|ing)|activat(?:e|es|ed|ing)|"
    r"restor(?:e|es|ed|ing)|repair(?:s|ed|ing)?|regenerat(?:e|es|ed|ing)|"
    r"improv(?:e|es|ed|ing)|facilitat(?:e|es|ed|ing)|accelerat(?:e|es|ed|ing)|"
    r"support(?:s|ed|ing)?|elevat(?:e|es|ed|ing)|augment(?:s|ed|ing)?"
)
_PROMOTE_PARTS = (
    r"promoted|increased|enhanced|stimulated|induced|boosted|upregulated|up-regulated|"
    r"activated|restored|repaired|regenerated|improved|facilitated|accelerated|elevated"
)

TRIGGERS: tuple[Trigger, ...] = (
    # causes
    _t(_passive(r"caused|triggered|mediated|driven|provoked"), "causes", "passive"),
    _t(
        r"\b(?:caus(?:e|es|ing)|leads? to|led to|leading to|"
        r"(?<!promising )(?<!positive )(?<!good )(?<!the )(?<!these )(?<!encouraging )"
        r"(?:results? in|resulted in)|"
        r"trigger(?:s|ed|ing)?|contribut(?:e|es|ed|ing) to|provok(?:e|es|ed|ing)|"
        r"(?:is|are|was|were) responsible for)\b",
        "causes",
    ),
    _t(r"\b(?:the |a |an )?(?:\w+ ){0,2}?causes? of\b", "causes", "nominal"),
    # cures
    _t(r"\b(?:a |no |any )?(?:\w+ )?cure (?:for|of)\b", "cures", "nominal"),
    _t(r"\bcur(?:e|es|ed|ing)\b", "cures"),
    # treats
    _t(
        r"\b(?:treat(?:s|ed|ing)?|slow(?:s|ed|ing)?(?: down)? the progression of|"
        r"halt(?:s|ed|ing)? the progression of|stop(?:s|ped|ping)? the progression of|"
        r"help(?:s|ed)? (?:to )?manage)\b",
        "treats",
    ),
    _t(
        r"\b(?:be|is|are|as|was|were) (?:a|an) (?:\w+ ){0,3}?"
        r"(?:treatment|therapy|therapeutic option|option|candidate)(?: option)? "
        r"(?:for|of|to|in)\b",
        "treats",
        "nominal",
    ),
    _t(r"\b(?:treatment|therapy) (?:of|for)\b", "treats", "nominal"),
    # reduces / promotes
    _t(_passive(_REDUCE_PARTS), "reduces", "passive"),
    _t(rf"\b(?:{_REDUCE_VERBS})\b", "reduces"),
    _t(
        r"\b(?:reduction|decrease|inhibition|suppression|attenuation) (?:of|in)\b",
        "reduces",
        "nominal",
    ),
    _t(_passive(_PROMOTE_PARTS), "promotes", "passive"),
    _t(rf"\b(?:{_PROMOTE_VERBS})\b(?: the (?:growth|formation|survival) of)?", "promotes"),
    _t(r"\b(?:increase|enhancement|promotion|induction|growth) (?:of|in)\b", "promotes", "nominal"),
    # prevents
    _t(
        r"\b(?:prevent(?:s|ed|ing)?|protect(?:s|ed|ing)? against|block(?:s|ed|ing)?|"
        r"avert(?:s|ed|ing)?|protect(?:s|ed|ing)?)\b",
        "prevents",
    ),
    # regulates
    _t(
        r"\b(?:regulat(?:e|es|ed|ing)|modulat(?:e|es|ed|ing)|reset(?:s|ting)?|"
        r"control(?:s|led|ling)?|rebalanc(?:e|es|ed|ing))\b",
        "regulates",
    ),
    _t(
        r"\b(?:have|has|had|exert(?:s|ed|ing)?|possess(?:es|ed)?|show(?:s|ed)?|display(?:s|ed)?)"
        r"\b(?= (?:[\w-]+ ){0,4}?(?:effects?|properties|actions?|activit(?:y|ies))\b)",
        "regulates",
    ),
    # differentiates into
    _t(
        r"\b(?:differentiat(?:e|es|ed|ing) into|(?:be )?differentiated into|"
        r"(?:potential|ability|capacity) to become|becom(?:e|es|ing) new|"
        r"give rise to|gives rise to|gave rise to|develop(?:s|ed|ing)? into|"
        r"transform(?:s|ed|ing)? into|turn(?:s|ed|ing)? into)\b",
        "differentiatesInto",
    ),
    # produces
    _t(
        r"\b(?:secret(?:e|es|ed|ing)|produc(?:e|es|ed|ing)|releas(?:e|es|ed|ing)|"
        r"generat(?:e|es|ed|ing)|divide to create|synthesi[sz](?:e|es|ed|ing))\b",
        "produces",
    ),
    _t(r"\b(?:secretion|production|release|synthesis) of\b", "produces", "nominal"),
    # is a
    _t(r"\b(?:is|are) (?:a|an|one of the|considered(?: to be)?(?: a| an)?)\b", "isA"),
    # associated with
    _t(
        r"\b(?:associated with|linked (?:to|with)|correlat(?:e|es|ed) with|"
        r"related to|involved in|implicated in|characteri[sz]ed by)\b",
        "associatedWith",
    ),
    # located in
    _t(
        r"\b(?:found in|located in|present in|resid(?:e|es|ing) in|obtained from|"
        r"derived from|harvested from|isolated from)\b",
        "locatedIn",
    ),
)
