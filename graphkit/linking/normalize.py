"""Label normalization for comparing an entity's names with a reference term's names.

Only spelling noise is removed (case, dashes, punctuation, British spellings, possessive
eponyms, a bracketed abbreviation such as ``[ALL]``); words are never dropped or reordered,
so "lymphocytic" and "lymphoblastic" stay different.

>>> normalize("Acute lymphoblastic leukaemia [ALL]")
'acute lymphoblastic leukemia all'
>>> sorted(variants("Acute lymphoblastic leukaemia [ALL]"))
['acute lymphoblastic leukemia', 'acute lymphoblastic leukemia all']
>>> normalize("Philadelphia chromosome–positive ALL") == normalize("Philadelphia chromosome-positive ALL")
True
>>> normalize("Bloom's syndrome") == normalize("Bloom syndrome")
True
>>> contains("childhood acute lymphoblastic leukemia", "acute lymphoblastic leukemia")
True
"""

from __future__ import annotations

import re
import unicodedata

_BRITISH = [
    (r"aemia", "emia"), (r"haem", "hem"), (r"leukaem", "leukem"), (r"\boedema", "edema"),
    (r"\boesophag", "esophag"), (r"diarrhoea", "diarrhea"), (r"\bfoet", "fet"), (r"tumour", "tumor"),
    (r"paediatric", "pediatric"), (r"anaesth", "anesth"), (r"ischaem", "ischem"), (r"coeliac", "celiac"),
    (r"behaviour", "behavior"), (r"colour", "color"), (r"gynaec", "gynec"), (r"orthopaed", "orthoped"),
    (r"\bfaec", "fec"), (r"oestr", "estr"),
]
_BRITISH_RE = re.compile("|".join(f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(_BRITISH)))
_NON_WORD = re.compile(r"[^\w+±]+")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc"), "'")


def normalize(text: str) -> str:
    """Lower-case, American spelling, punctuation and dashes as spaces, single spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    text = text.lower()
    if "'" in text:
        text = re.sub(r"'s\b", "", text)
    if "ae" in text or "oe" in text or "our" in text or "faec" in text:
        text = _BRITISH_RE.sub(lambda m: _BRITISH[int(m.lastgroup[1:])][1], text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def variants(text: str) -> set[str]:
    """The normalized text, and the same without bracketed parts ("[ALL]", "(C81-C96)")."""
    out = {normalize(text)}
    stripped = re.sub(r"\s*[\[(][^\])]*[\])]", " ", text)
    if stripped.strip() and stripped != text:
        out.add(normalize(stripped))
    out.discard("")
    return out


def name_set(names) -> set[str]:
    out: set[str] = set()
    for name in names:
        if name:
            out |= variants(name)
    return out


def contains(longer: str, shorter: str) -> bool:
    """Whether the words of ``shorter`` occur as a contiguous run in ``longer`` (both normalized)."""
    longer, shorter = f" {normalize(longer)} ", f" {normalize(shorter)} "
    return shorter.strip() != "" and shorter in longer
