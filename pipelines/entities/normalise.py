"""Text and name normalisation shared by the matcher's build and its search.

Search runs over `fold(text)`, which has the same length as the text (lower case, every
character that is not a letter or digit made a space), so offsets need no mapping. The
other spellings people write (plurals, British forms, Greek letters spelled out, a hyphen
dropped) are generated on the name side by `variants`, once, when the matcher is built.
"""

import re

_NON_WORD = re.compile(r"[\W_]", re.UNICODE)
_SPACES = re.compile(r"\s+")

GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
}
_GREEK_NAMES = {name: letter for letter, name in GREEK.items()}

# American -> British spelling fragments (applied to whole keys, both directions).
_SPELLINGS = (
    ("tumor", "tumour"),
    ("hemat", "haemat"),
    ("hemo", "haemo"),
    ("hemorrh", "haemorrh"),
    ("anemi", "anaemi"),
    ("leukemi", "leukaemi"),
    ("ischemi", "ischaemi"),
    ("edema", "oedema"),
    ("esophag", "oesophag"),
    ("estrogen", "oestrogen"),
    ("pediatric", "paediatric"),
    ("fetal", "foetal"),
    ("fetus", "foetus"),
    ("celiac", "coeliac"),
    ("glycemi", "glycaemi"),
    ("lipidemi", "lipidaemi"),
    ("behavior", "behaviour"),
    ("color", "colour"),
    ("signaling", "signalling"),
    ("localiz", "localis"),
    ("ization", "isation"),
    ("iz", "is"),
    ("orthoped", "orthopaed"),
    ("gynecolog", "gynaecolog"),
    ("diarrhea", "diarrhoea"),
    ("dyspnea", "dyspnoea"),
    ("apnea", "apnoea"),
    ("aluminum", "aluminium"),
    ("sulfate", "sulphate"),
    ("sulfur", "sulphur"),
)
_BRITISH = {a: b for a, b in _SPELLINGS if a != "iz"}
_AMERICAN = {b: a for a, b in _SPELLINGS if a != "iz"}
# One alternation per direction, longest fragment first, so a key is scanned once.
_TO_BRITISH = re.compile("|".join(sorted(map(re.escape, _BRITISH), key=len, reverse=True)))
_TO_AMERICAN = re.compile("|".join(sorted(map(re.escape, _AMERICAN), key=len, reverse=True)))
_IZE = re.compile(r"(?<=[a-z]{3})iz(e|ed|es|ing|ation|ations)\b")
_ISE = re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)\b")
_GREEK_WORD = re.compile(r"\b(?:" + "|".join(GREEK.values()) + r")\b")
_GREEK_CHAR = re.compile("[" + "".join(GREEK) + "]")

# Plural endings that are not plurals (sclerosis, virus, sepsis, mass, diabetes).
_NOT_PLURAL = re.compile(r"(?:ss|us|is|ys|as|os|es)$")


def fold(text: str) -> str:
    """Lower case, non-word characters as spaces; always the same length as `text`.

    >>> fold("Multiple Sclerosis (MS)")
    'multiple sclerosis  ms '
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters (e.g. "İ") lower to two; fold them one by one instead.
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _NON_WORD.sub(" ", lowered)


def key(name: str) -> str:
    """The searchable form of a name: folded, single-spaced, trimmed.

    >>> key("Non-Hodgkin's  lymphoma")
    'non hodgkin s lymphoma'
    """
    return _SPACES.sub(" ", fold(name)).strip()


def singular(word: str) -> str:
    """A cautious English singular of one lower-case word.

    >>> [singular(w) for w in ("cells", "therapies", "sclerosis", "diabetes", "mice")]
    ['cell', 'therapy', 'sclerosis', 'diabetes', 'mice']
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not _NOT_PLURAL.search(word):
        return word[:-1]
    return word


def plural(word: str) -> str:
    """
    >>> [plural(w) for w in ("cell", "therapy", "lymphoma", "mass", "process")]
    ['cells', 'therapies', 'lymphomas', 'masses', 'processes']
    """
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _spellings(base: str) -> set[str]:
    out = {base}
    british = _TO_BRITISH.sub(lambda m: _BRITISH[m.group(0)], base)
    out.add(_IZE.sub(r"is\1", british) if "iz" in british else british)
    american = _TO_AMERICAN.sub(lambda m: _AMERICAN[m.group(0)], base)
    out.add(_ISE.sub(r"iz\1", american) if "is" in american else american)
    return out


def _greek(base: str) -> set[str]:
    out = {base}
    if _GREEK_WORD.search(base):
        tokens = base.split(" ")
        out.add(" ".join(_GREEK_NAMES.get(t, t) for t in tokens))
    if _GREEK_CHAR.search(base):
        out.add(key("".join(f" {GREEK[c]} " if c in GREEK else c for c in base)))
    return out


def variants(name: str) -> set[str]:
    """Keys for the ways people write `name`: hyphen kept/dropped, singular/plural of the
    last word, British/American spelling, Greek letters as letters or spelled out.

    >>> sorted(variants("Stem cells"))
    ['stem cell', 'stem cells']
    """
    base = key(name)
    if not base:
        return set()
    forms = {base}
    if "-" in name:
        joined = key(re.sub(r"(?<=\w)-(?=\w)", "", name))
        if joined:
            forms.add(joined)
    for form in list(forms):
        forms |= _greek(form)
    for form in list(forms):
        forms |= _spellings(form)
    for form in list(forms):
        head, _, last = form.rpartition(" ")
        if last.isalpha() and len(last) > 2:
            one = singular(last)
            for word in {one, plural(one)}:
                forms.add(f"{head} {word}" if head else word)
    return {f for f in forms if f}


def uninvert(name: str) -> str:
    """MeSH writes "Sclerosis, Multiple"; people write "Multiple Sclerosis".

    >>> uninvert("Multiple Sclerosis, Relapsing-Remitting")
    'Relapsing-Remitting Multiple Sclerosis'
    >>> uninvert("Stem Cells")
    'Stem Cells'
    """
    if name.count(", ") != 1:
        return name
    head, tail = name.split(", ")
    return f"{tail} {head}"


def is_short_form(name: str) -> bool:
    """Acronym-like names (MS, CNS, HSCT, IL-6, MSCs): matched with their case kept.

    >>> [is_short_form(n) for n in ("MS", "HSCT", "IL-6", "MSCs", "Neurons", "pain")]
    [True, True, True, True, False, False]
    """
    compact = name.replace("-", "")
    if not compact or " " in name or len(compact) > 7 or not compact.isalnum():
        return False
    upper = sum(c.isupper() for c in compact)
    return upper >= 2 or (upper >= 1 and any(c.isdigit() for c in compact))
