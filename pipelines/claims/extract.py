"""Claims from sentences whose entities are already found: trigger, arguments, how it is said.

For each sentence and each relation trigger in it (pipelines.claims.triggers), the subject and
object are the nearest grounded mentions on the trigger's two sides, with three adjustments:
a mention that only locates the one before it ("inflammation in the CNS") gives way to that
one; mentions joined by "and", "or" or commas are read together (one claim each); and "this
disorder" / "the disease" stand for the document's disease when it has one. Type rules keep
each relation to arguments it can hold (only a disease is treated or cured). Polarity and
certainty come from the words between the sentence start and the object (pipelines.claims.cues).
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.claims.cues import LOW_SUCCESS, certainty, negation_cues, quantities
from pipelines.claims.records import Argument, Claim, Predicate, Sentence, Span
from pipelines.claims.sentences import split_sentences
from pipelines.claims.triggers import TRIGGERS, Trigger
from pipelines.entities.records import Mention

EXTRACTOR_VERSION = "litkg-claims/1"

# What each relation may take as subject and object (entity types; "" = ungrounded text).
_AGENTS = {"intervention", "drug", "cell_type", "mechanism", "disease", "anatomy"}
# "text" is an argument the sentence names but no ontology grounds; a claim keeps at most one.
_T = {"text"}
_ALLOWED: dict[Predicate, tuple[set[str], set[str]]] = {
    "treats": ({"intervention", "drug", "cell_type"} | _T, {"disease"}),
    "cures": ({"intervention", "drug", "cell_type", ""} | _T, {"disease"}),
    "reduces": ((_AGENTS - {"anatomy"}) | _T, _AGENTS | _T),
    "promotes": ((_AGENTS - {"anatomy"}) | _T, _AGENTS | _T),
    "causes": (_AGENTS | _T, _AGENTS | _T),
    "prevents": ((_AGENTS - {"anatomy"}) | _T, _AGENTS | _T),
    "regulates": ((_AGENTS - {"anatomy"}) | _T, _AGENTS | _T),
    "differentiatesInto": ({"cell_type"}, {"cell_type", "anatomy"} | _T),
    "produces": ({"cell_type", "anatomy", "intervention"}, _AGENTS | _T),
    "isA": (_AGENTS, _AGENTS),
    "associatedWith": (_AGENTS | _T, _AGENTS | _T),
    "locatedIn": ({"cell_type", "mechanism", "disease"}, {"anatomy"}),
}
# Words between a mention and an earlier one that make it a modifier of that one.
_MODIFIER_GAP = re.compile(r"^\s*(?:in|of|within|from|on|across|throughout)(?: the| a)?\s*$", re.I)
_COORDINATION_GAP = re.compile(r"^\s*(?:,|and|or|as well as|, and|, or|/)\s*$", re.I)
# A subject must not lie beyond a clause boundary before the trigger.
_CLAUSE_BREAK = re.compile(
    r"[;:]|\b(?:which|who|while|whereas|although|but)\b|\b(?:is|are|was|were) (?:their|its)\b",
    re.I,
)
_ANAPHORA = re.compile(
    r"\b(?:(?:this|the|that|such an?)\s+(?:debilitating\s+|chronic\s+)?(?:disorder|disease|illness)"
    r"|(?:this|that) condition)\b",
    re.I,
)
_CELL_ANAPHORA = re.compile(
    r"\b(?:these|those|such|the) (?:stem |specialized |specialised |transplanted )?cells\b", re.I
)
# Words allowed between a trigger and its object: determiners, adjectives, "the X of".
_OBJECT_GAP = re.compile(
    r"^\s*(?:(?:the|a|an|new|its|their|this|these|various|several|potent|existing|"
    r"[\w-]+(?:ing|ed|al|ive|ic|ous|ary|ant|ent|ful)|[\w-]+ of(?: the)?|"
    r"(?:other |specialized |specialised |specific |many |various )?(?:cells|cell types|types)"
    r"(?: such as| including|, such as|, including)|such as|including)\s+){0,3}$",
    re.I,
)
# "continued tissue damage in MS": a disease object may follow a short phrase and "in".
_DISEASE_GAP = re.compile(r"^\s*(?:[\w-]+\s+){0,4}(?:in|of)\s+(?:the\s+|patients with\s+)?$", re.I)
_TREATMENT_ANAPHORA = re.compile(
    r"\b(?:this|the)\s+(?:treatment|therapy|approach|procedure)\b", re.I
)
_VERB_START = re.compile(
    r"(?:regulat|modulat|reset|rebuild|reboot|suppress|slow|protect|repair|regenerat|restor|"
    r"differentiat|become|develop|migrate|attract|secrete|generat)\w*\b",
    re.I,
)
_GOOD_OUTCOME = re.compile(
    r"\b(?:show(?:s|ed|n)?|report(?:s|ed)?|demonstrat(?:e|es|ed)|yield(?:s|ed)?|"
    r"produc(?:e|es|ed)|see|saw|seeing) (?:\w+ ){0,2}?(?:promising|positive|good|encouraging|"
    r"significant|beneficial|favou?rable|remarkable) "
    r"(?:results?|outcomes?|improvements?|benefits?)",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:this|the) (?:post|article|blog|page|content) (?:was|is|has been) "
    r"(?:written|brought|provided|sponsored|reviewed|prepared)\b",
    re.I,
)
_MAX_SUBJECT_GAP = 140


@dataclass(frozen=True, slots=True)
class _Topic:
    disease: Argument | None
    intervention: Argument | None


@dataclass(frozen=True, slots=True)
class _Context:
    """What earlier and nearby sentences say that this one refers back to."""

    topic: _Topic
    cell: Argument | None = None  # the last cell type named before the sentence
    treatment: Argument | None = None  # an intervention named in the next sentence


def _argument(m: Mention, *, implied: bool = False, text: str | None = None) -> Argument:
    return Argument(
        text=m.text if text is None else text,
        ids=m.ids,
        type=m.type,
        label=m.label,
        start=m.start,
        end=m.end,
        implied=implied,
    )


def _topic(mentions: Sequence[Mention]) -> _Topic:
    """The document's main disease and intervention: the most mentioned of each."""
    chosen: dict[str, Argument | None] = {}
    for kind in ("disease", "intervention"):
        counts = Counter(m.primary_id for m in mentions if m.type == kind)
        if not counts:
            chosen[kind] = None
            continue
        best = min(counts, key=lambda cid: (-counts[cid], cid))
        first = next(m for m in mentions if m.primary_id == best)
        chosen[kind] = Argument(first.label or first.text, first.ids, kind, first.label)
    return _Topic(chosen["disease"], chosen["intervention"])


def _implied(sentence: Sentence, context: _Context, mentions: Sequence[Mention]) -> list[Argument]:
    """Anaphors of the sentence standing for the document's disease, treatment or cells."""
    found: list[Argument] = []
    taken = [(m.start, m.end) for m in mentions]
    for pattern, target in (
        (_ANAPHORA, context.topic.disease),
        (_TREATMENT_ANAPHORA, context.topic.intervention),
        (_CELL_ANAPHORA, context.cell),
    ):
        if target is None:
            continue
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if any(s < end and start < e for s, e in taken):
                continue
            found.append(
                Argument(match.group(0), target.ids, target.type, target.label, start, end, True)
            )
    return found


def _gap(text: str, base: int, left: Argument, right: Argument) -> str:
    return text[left.end - base : right.start - base]


def _coordinated_back(args: Sequence[Argument], i: int, text: str, base: int) -> list[Argument]:
    group = [args[i]]
    while i > 0 and _COORDINATION_GAP.match(_gap(text, base, args[i - 1], args[i])):
        i -= 1
        group.insert(0, args[i])
    return group


def _verbal(arg: Argument) -> bool:
    """A mention that is itself a verb phrase ("regulate the immune system")."""
    return arg.type == "mechanism" and bool(_VERB_START.match(arg.text))


def _subjects(args: Sequence[Argument], trigger_start: int, text: str, base: int) -> list[Argument]:
    before = [a for a in args if a.end <= trigger_start and not _verbal(a)]
    if not before:
        return []
    i = len(before) - 1
    # "inflammation in the central nervous system are": the located thing is the subject.
    while i > 0 and _MODIFIER_GAP.match(_gap(text, base, before[i - 1], before[i])):
        i -= 1
    head = before[i]
    between = text[head.end - base : trigger_start - base]
    if len(between) > _MAX_SUBJECT_GAP or _CLAUSE_BREAK.search(between) or "," in between:
        return []
    group = _coordinated_back(before, i, text, base)
    return [a for a in group if not _MODIFIER_GAP.match(text[: a.start - base][-12:] + " ")]


def _objects(args: Sequence[Argument], trigger_end: int, text: str, base: int) -> list[Argument]:
    after = [a for a in args if a.start >= trigger_end]
    if not after:
        return []
    head = after[0]
    gap = text[trigger_end - base : head.start - base]
    if not (_OBJECT_GAP.match(gap) or (head.type == "disease" and _DISEASE_GAP.match(gap))):
        return []
    group = [head]
    for nxt in after[1:]:
        if _COORDINATION_GAP.match(_gap(text, base, group[-1], nxt)):
            group.append(nxt)
        else:
            break
    return group


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORD = re.compile(r"[A-Za-z0-9][\w+/-]*")
# Words that end a noun phrase read from the text.
_NP_STOP = _wordset(
    "in on at by for with from to into via through during after before than as that which "
    "who whose where when while whereas because although but if is are was were be been "
    "being has have had do does did can could may might must shall should will would not "
    "no also thus therefore however both either its their his her our this these those "
    "such rather instead only more less very even then now too so"
)
_NP_SKIP_BEFORE = _wordset("the a an its their both these this those")
_AUXILIARIES = _wordset(
    "can could may might must shall should will would has have had been be is are was "
    "were do does did not also significantly greatly strongly further markedly "
    "substantially still reportedly consistently"
)
_MAX_NP_WORDS = 5


def _text_object(text: str, base: int, trigger_end: int) -> Argument | None:
    """The noun phrase right after a trigger: "decreased [proliferation]", "impaired
    [learning]"; up to five words, one "of" allowed inside ("[severity of symptoms]")."""
    words = list(_WORD.finditer(text, trigger_end - base))
    taken: list[re.Match[str]] = []
    used_of = False
    for word in words:
        gap = text[(taken[-1].end() if taken else trigger_end - base) : word.start()]
        if gap.strip():
            break  # punctuation ends the phrase
        lower = word.group(0).lower()
        if not taken and lower in _NP_SKIP_BEFORE:
            continue
        if lower == "of" and taken and not used_of:
            used_of = True
            taken.append(word)
            continue
        if lower in _NP_STOP or lower == "and" or lower == "or" or lower == "of":
            break
        taken.append(word)
        if len(taken) >= _MAX_NP_WORDS:
            break
    while taken and taken[-1].group(0).lower() == "of":
        taken.pop()
    if not taken:
        return None
    start, end = taken[0].start(), taken[-1].end()
    return Argument(text[start:end], (), "text", "", base + start, base + end)


def _text_subject(text: str, base: int, trigger_start: int) -> Argument | None:
    """The noun phrase right before a trigger and its auxiliaries: "[taxol] significantly
    decreased", "[CD4 depletion] did not affect"."""
    words = list(_WORD.finditer(text[: trigger_start - base]))
    taken: list[re.Match[str]] = []
    i = len(words) - 1
    while i >= 0 and words[i].group(0).lower() in _AUXILIARIES:
        i -= 1
    limit = trigger_start - base if i == len(words) - 1 else words[i + 1].start()
    while i >= 0:
        word = words[i]
        gap = text[word.end() : (taken[0].start() if taken else limit)]
        if gap.strip():
            break
        lower = word.group(0).lower()
        if lower in _NP_STOP or lower in ("and", "or", "of") or lower in _NP_SKIP_BEFORE:
            break
        taken.insert(0, word)
        if len(taken) >= _MAX_NP_WORDS:
            break
        i -= 1
    if not taken:
        return None
    start, end = taken[0].start(), taken[-1].end()
    return Argument(text[start:end], (), "text", "", base + start, base + end)


def _covers(args: Sequence[Argument], named: Argument) -> bool:
    """True when a grounded argument overlaps the phrase (it was passed over on purpose)."""
    return any(a.start < named.end and named.start < a.end for a in args)


def _fits(predicate: Predicate, subject: Argument | None, obj: Argument) -> bool:
    subjects, objects = _ALLOWED[predicate]
    subject_type = subject.type if subject is not None else ""
    if subject_type not in subjects or obj.type not in objects:
        return False
    if subject_type == "text" and obj.type == "text":
        return False
    if subject is not None and set(subject.ids) & set(obj.ids):
        return False
    return not (predicate == "isA" and subject is not None and subject.type != obj.type)


def _predicate_for(trigger: Trigger, verbal: bool, obj: Argument) -> Predicate:
    """The trigger's relation, adjusted to its object: a verb-phrase mechanism ("protect
    nerves") is promoted, and "anti-inflammatory effects" lower inflammation."""
    predicate = trigger.predicate
    if verbal and predicate not in ("regulates", "differentiatesInto"):
        predicate = "promotes"
    if predicate == "regulates" and obj.text.lower().startswith(("anti-", "anti ")):
        predicate = "reduces"
    return predicate


def _claim(
    sentence: Sentence,
    trigger: Trigger,
    span: tuple[int, int],
    subject: Argument | None,
    obj: Argument,
    markers: Sequence[tuple[int, int]],
    verbal: bool = False,
) -> Claim:
    """One claim; `verbal` when the object is a mechanism named by its own verb phrase
    ("protect nerves"), which the subject then promotes (or regulates, or becomes)."""
    trigger_start, trigger_end = span
    predicate = _predicate_for(trigger, verbal, obj)
    predicate_text = sentence.text[trigger_start - sentence.start : trigger_end - sentence.start]
    base = sentence.start
    # Negation is read between the first and the last of subject, trigger and object.
    starts = [trigger_start, obj.start]
    if subject is not None and subject.start >= base:
        starts.append(subject.start)
    low = min(starts) if len(starts) == 3 else min(trigger_start - 25, obj.start)
    negations = negation_cues(sentence.text[max(0, low - base) : max(starts) - base])
    claim_end = max(obj.end, trigger_end, subject.end if subject is not None else 0)
    level, hedges = certainty(sentence.text[: claim_end - base])
    return Claim(
        sentence=sentence,
        subject=subject,
        predicate=predicate,
        predicate_text=predicate_text,
        object=obj,
        polarity="negative" if negations else "positive",
        certainty=level,
        cues=tuple(negations + hedges),
        quantities=tuple(quantities(sentence.text)),
        markers=_markers_in(sentence, markers),
    )


def _is_statement(sentence: Sentence) -> bool:
    stripped = sentence.text.rstrip(" \"'”’)]")
    return stripped.endswith((".", "!")) and not _BYLINE.match(sentence.text)


def _markers_in(sentence: Sentence, markers: Sequence[tuple[int, int]]) -> tuple[Span, ...]:
    return tuple((s, e) for s, e in markers if sentence.start <= s and e <= sentence.end)


def _efficacy(
    sentence: Sentence,
    args: Sequence[Argument],
    context: _Context,
    markers: Sequence[tuple[int, int]],
) -> list[Claim]:
    """Whether a treatment works, read from what its results were: "the chances of successful
    results are very low" (it does not), "a trial of 617 MS patients showed promising results"
    (it does). The treatment and disease are the sentence's, else the document's; a trial's
    treatment is often named in the next sentence."""
    low = LOW_SUCCESS.search(sentence.text)
    match = low or _GOOD_OUTCOME.search(sentence.text)
    if match is None:
        return []
    fallback = (
        context.topic.intervention if low else context.treatment or context.topic.intervention
    )
    treatment = next((a for a in args if a.type in ("intervention", "drug")), fallback)
    disease = next((a for a in args if a.type == "disease"), context.topic.disease)
    if treatment is None or disease is None:
        return []
    level, hedges = certainty(sentence.text)
    denied = low is not None or bool(negation_cues(sentence.text[: match.end()]))
    return [
        Claim(
            sentence=sentence,
            subject=treatment,
            predicate="treats",
            predicate_text=match.group(0),
            object=disease,
            polarity="negative" if denied else "positive",
            certainty=level,
            cues=((match.group(0).lower(),) if low else ()) + tuple(hedges),
            quantities=tuple(quantities(sentence.text)),
            markers=_markers_in(sentence, markers),
        )
    ]


def claims_in_sentence(
    sentence: Sentence,
    mentions: Sequence[Mention],
    context: _Context,
    markers: Sequence[tuple[int, int]] = (),
) -> list[Claim]:
    """Every claim of one sentence; `mentions` are those inside it."""
    if not _is_statement(sentence):
        return []
    args = sorted(
        [_argument(m) for m in mentions] + _implied(sentence, context, mentions),
        key=lambda a: (a.start, -a.end),
    )
    found: list[Claim] = _efficacy(sentence, args, context, markers)
    seen = {(c.subject.ids if c.subject else (), c.predicate, c.object.ids) for c in found}
    text, base = sentence.text, sentence.start
    taken: list[tuple[int, int]] = []
    for trigger in TRIGGERS:
        for match in trigger.pattern.finditer(text):
            start, end = base + match.start(), base + match.end()
            # A longer trigger already read this stretch ("caused by" before "caused").
            if any(s <= start and end <= e for s, e in taken):
                continue
            if trigger.frame == "active" and (
                text[match.end() : match.end() + 4] == " of "
                or (match.start() > 0 and text[match.start() - 1] == "-")
            ):
                continue  # a noun ("the exact cause of") or a compound ("drug-induced")
            inside = next((a for a in args if a.start <= start and end <= a.end), None)
            if inside is not None and not (_verbal(inside) and inside.start == start):
                continue  # a trigger inside a name is part of it ("stem cell therapy")
            left = _subjects(args, start, text, base)
            verbal = inside is not None
            if inside is not None:
                # "cells that regulate the immune system": the mention is relation and object.
                right, end = [inside], inside.end
            else:
                right = _objects(args, end, text, base)
            if trigger.frame == "active" and not verbal and bool(left) != bool(right):
                # One side grounded, the other only named: read the named side from the text.
                if not left:
                    named = _text_subject(text, base, start)
                    left = [named] if named and not _covers(args, named) else []
                else:
                    named = _text_object(text, base, end)
                    right = [named] if named and not _covers(args, named) else []
            if trigger.frame == "passive":
                subjects, objects = right, left
            else:
                subjects, objects = left, right
            if not objects:
                continue
            emitted = False
            for obj in objects:
                options: list[Argument | None] = list(subjects)
                if not options and trigger.frame == "nominal":
                    options = [None]  # "no cure for MS": a relation with no subject
                for subject in options:
                    predicate = _predicate_for(trigger, verbal, obj)
                    if not _fits(predicate, subject, obj):
                        continue
                    key = (subject.ids if subject else (), predicate, obj.ids)
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(
                        _claim(sentence, trigger, (start, end), subject, obj, markers, verbal)
                    )
                    emitted = True
            if emitted:
                taken.append((start, end))
    return sorted(found, key=lambda c: (c.object.start, c.predicate))


def extract_claims(
    text: str,
    mentions: Iterable[Mention],
    markers: Sequence[tuple[int, int]] = (),
    sentences: Sequence[Sentence] | None = None,
) -> list[Claim]:
    """Every claim of `text`, in sentence order, given the entity mentions found in it.

    `markers` are the offsets of inline citation markers, which each claim keeps when its
    sentence holds them.
    """
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    topic = _topic(ordered)
    split = list(sentences) if sentences is not None else split_sentences(text)
    per_sentence: list[list[Mention]] = []
    i = 0
    for sentence in split:
        while i < len(ordered) and ordered[i].start < sentence.start:
            i += 1
        j = i
        while j < len(ordered) and ordered[j].end <= sentence.end:
            j += 1
        per_sentence.append(ordered[i:j])
        i = j
    claims: list[Claim] = []
    cell: Argument | None = None
    in_byline = False
    for k, sentence in enumerate(split):
        # An author/publisher paragraph ("This post was written by ... At X we provide ...")
        # is document metadata, not claims: skip it to the end of its paragraph.
        if k and "\n" in text[split[k - 1].end : sentence.start]:
            in_byline = False
        in_byline = in_byline or bool(_BYLINE.match(sentence.text))
        if in_byline:
            continue
        following: list[Mention] = []
        if k + 1 < len(split) and not _BYLINE.match(split[k + 1].text):
            following = per_sentence[k + 1]
        treatment = next((m for m in following if m.type == "intervention"), None)
        context = _Context(topic, cell, _argument(treatment) if treatment else None)
        claims.extend(claims_in_sentence(sentence, per_sentence[k], context, markers))
        cells = [m for m in per_sentence[k] if m.type == "cell_type"]
        if cells:
            cell = _argument(cells[-1])
    return claims
