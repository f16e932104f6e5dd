"""British spellings and plurals a reader types, as the graph's (American, singular) names spell
them: what the web search and the parameters of queries and exports read a name as when it names
nothing as typed.

>>> american("Acute lymphoblastic leukaemia"), american("paediatric tumour")
('Acute lymphoblastic leukemia', 'pediatric tumor')
>>> sorted(singular_forms("chemotherapies"))
['chemotherapi', 'chemotherapie', 'chemotherapies', 'chemotherapy']
"""

from __future__ import annotations

import re

SPELLINGS = (("aemia", "emia"), ("haem", "hem"), ("oedem", "edem"), ("tumour", "tumor"), ("paediatr", "pediatr"),
             ("oesophag", "esophag"), ("diarrhoea", "diarrhea"), ("anaesth", "anesth"), ("orthopaed", "orthoped"),
             ("gynaec", "gynec"), ("oestr", "estr"), ("foet", "fet"), ("colour", "color"), ("behaviour", "behavior"))


def american(text: str) -> str:
    """``text`` with each British spelling of :data:`SPELLINGS` (in lower case) as the American one."""
    for british, american_spelling in SPELLINGS:
        text = text.replace(british, american_spelling)
    return text


def singular_forms(word: str) -> set[str]:
    """``word`` and what it is if it is an English plural ("drugs", "genes", "chemotherapies"):
    the candidates a name is looked up by (a kind named in the plural, as a reader names a list)."""
    forms = {word, word.removesuffix("s"), word.removesuffix("es")}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    return forms


_SEPARATORS = re.compile(r"[\s,\-\u2010-\u2015]+")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u2032]")


def plain_apostrophes(text: str) -> str:
    """``text`` with the typographic apostrophes (’ ‘ ʼ ′) as the typewriter's ': a phone or word
    processor writes "children’s hospitals", a keyboard "children's", and the graph's names either.

    >>> plain_apostrophes("children’s hospitals")
    "children's hospitals"
    """
    return _APOSTROPHES.sub("'", text)


def loose_name(text: str) -> str | None:
    """A name with its case, hyphens, dashes and commas not told apart from spaces, apostrophes
    plain, in American spelling: how a person may write a name the graph writes otherwise. None for a text that
    starts or ends with a hyphen or dash: there it is a sign ("CD19-", "MRD-": negative).

    >>> loose_name("JMML, in relapse") == loose_name("JMML in relapse"), loose_name("CAR T cell therapy")
    (True, 'car t cell therapy')
    >>> loose_name("CD19-") is None
    True
    """
    text = text.strip()
    if _SEPARATORS.fullmatch(text[:1] or " ") or _SEPARATORS.fullmatch(text[-1:] or " "):
        return None
    return _SEPARATORS.sub(" ", american(plain_apostrophes(text.casefold()))).strip()
