"""SPARQL query text: its form, its variables, prefixes it lacks, and variables replaced by terms.

Pure text work, no engine and no RDF library: the store, the catalogue and the exporters use it
to read a query before it runs. The scanner skips comments, strings and IRIs, so ``"?d"`` in a
string or ``<http://e/?d>`` is never taken for a variable.

>>> query_form("PREFIX x: <http://x/> # SELECT in a comment\\nASK { ?s ?p ?o }")
'ASK'
>>> substitute('SELECT ?o WHERE { ?x ?p ?o }', {"x": '"} ; DROP ALL"'})
'SELECT ?o WHERE { "} ; DROP ALL" ?p ?o }'
"""

from __future__ import annotations

import re

from .errors import QueryError

_IRIREF_AT = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def code(text: str):
    """(index, char) of every character outside comments, strings and IRIs: the query's syntax."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
            continue
        if ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if ch == "<":
            match = _IRIREF_AT.match(text, i)
            if match:
                i = match.end()
                continue
        yield i, ch
        i += 1


def variables(text: str):
    """(start, end, name) of every variable outside strings, IRIs and comments."""
    skip_to = 0
    for i, ch in code(text):
        if i < skip_to or ch not in "?$":
            continue
        match = _VARIABLE_NAME.match(text, i + 1)
        if match:
            yield i, match.end(), match.group(0)
            skip_to = match.end()


def where_brace(text: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group."""
    depth, first_brace, after_where, skip_to = 0, None, False, 0
    for i, ch in code(text):
        if i < skip_to:
            continue
        if ch == "{":
            if depth == 0:
                if after_where:
                    return i
                if first_brace is None:
                    first_brace = i
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and text[i:i + 5].upper() == "WHERE" and not (text[i - 1:i].isalnum() or text[i - 1:i] in "?$_") \
                and not text[i + 5:i + 6].isalnum():
            after_where, skip_to = True, i + 5
    if re.search(r"(?i)\bCONSTRUCT\b", text) and not after_where:
        raise QueryError("a CONSTRUCT query needs an explicit WHERE clause to take parameters")
    if first_brace is None:
        raise QueryError("malformed SPARQL: no WHERE group found")
    return first_brace


def projected_variables(text: str) -> set[str]:
    """Variables named in the SELECT clause (before the WHERE group)."""
    head = text[:where_brace(text)]
    return {name for _, _, name in variables(head)}


def substitute(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each variable named in ``replacements`` replaced by its text (a term
    written as SPARQL); the others are kept."""
    clash = projected_variables(text) & set(replacements)
    if clash:
        raise QueryError(f"parameter variable(s) {sorted(clash)} must not be projected by the query")
    out, last = [], 0
    for start, end, name in variables(text):
        if name in replacements:
            out.append(text[last:start])
            out.append(replacements[name])
            last = end
    out.append(text[last:])
    return "".join(out)


def concat_columns(query_text: str) -> dict[str, str]:
    """Variables computed with GROUP_CONCAT and their separators: the order of their parts is
    not defined by SPARQL, so comparisons across engines sort the parts first."""
    pattern = r'GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?SEPARATOR\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)'
    return {var: sep for sep, var in re.findall(pattern, query_text, flags=re.IGNORECASE)}


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (SELECT when none is found)."""
    stripped = re.sub(r"#[^\n]*", "", text)
    stripped = re.sub(r"(?is)\b(PREFIX\s+\S*:\s*<[^>]*>|BASE\s+<[^>]*>)", "", stripped)
    match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", stripped)
    return match.group(1).upper() if match else "SELECT"


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """``text`` preceded by PREFIX lines for the ``prefixes`` it does not declare itself, so a
    query written for the embedded store (where they are predeclared) runs anywhere."""
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", text)}
    missing = [f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items() if p.lower() not in declared]
    return "".join(missing) + text
