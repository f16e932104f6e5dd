"""British spellings a reader types, as the graph's (American) names spell them: what the web
search and the parameters of queries and exports read a name as when it names nothing as typed.

>>> american("Acute lymphoblastic leukaemia"), american("paediatric tumour")
('Acute lymphoblastic leukemia', 'pediatric tumor')
"""

from __future__ import annotations

SPELLINGS = (("aemia", "emia"), ("haem", "hem"), ("oedem", "edem"), ("tumour", "tumor"), ("paediatr", "pediatr"),
             ("oesophag", "esophag"), ("diarrhoea", "diarrhea"), ("anaesth", "anesth"), ("orthopaed", "orthoped"),
             ("gynaec", "gynec"), ("oestr", "estr"), ("foet", "fet"), ("colour", "color"), ("behaviour", "behavior"))


def american(text: str) -> str:
    """``text`` with each British spelling of :data:`SPELLINGS` (in lower case) as the American one."""
    for british, american_spelling in SPELLINGS:
        text = text.replace(british, american_spelling)
    return text
