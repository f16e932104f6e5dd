"""SPARQL query text: its form, its variables, prefixes it lacks, and variables replaced by terms.

Pure text work, no engine and no RDF library: the store, the catalogue, the exporters and the
server's gateway use it to read a query before it runs. A lexer (:func:`tokens`) splits the
text into the tokens of the SPARQL 1.1 grammar (IRIs, strings, variables, prefixed names,
keywords, punctuation), skipping comments, so ``"?d"`` in a string, ``<http://e/?d>`` or
``ex:DROP`` is never taken for a variable or a keyword. SPARQL keywords are reserved words, so
a keyword token is the grammar's own sign of what a request does: an update keyword (``INSERT``,
``DROP``, ...) makes it an update, ``SERVICE`` a federated query that fetches a URL.

>>> query_form("PREFIX x: <http://x/> # SELECT in a comment\\nASK { ?s ?p ?o }")
'ASK'
>>> substitute('SELECT ?o WHERE { ?x ?p ?o }', {"x": '"} ; DROP ALL"'})
'SELECT ?o WHERE { "} ; DROP ALL" ?p ?o }'
>>> is_update('PREFIX drop: <http://x/> SELECT * WHERE { ?s drop:x "DELETE" }'), is_update("drop all")
(False, True)
>>> services("SELECT * { SERVICE SILENT <http://h/sparql> { ?s ?p ?o } }")
['<http://h/sparql>']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

from .errors import QueryError, close_names, shorten

_IRIREF_AT = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VARIABLE = re.compile(r"[?$]([^\W][\w\u00B7\u0300-\u036F\u203F-\u2040]*)")
# A prefixed name (PNAME_NS or PNAME_LN), loosely: enough to tell ``ex:DROP`` from the keyword.
# The local part's escapes (``ex:a\#``, ``ex:a\'``) first: read as a lone backslash, the ``#`` or
# quote after it began a comment or a string, and a SERVICE clause after it went unseen.
_PNAME = re.compile(r"(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?:(?:\\.|[\w\-:%.])*")
_LINE_END = re.compile(r"[\r\n]")
_BLANK = re.compile(r"_:[\w.\-]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATES_REFUSED = "updates are not supported (use the server's update endpoint yourself)"


class Token(NamedTuple):
    kind: str       # iri, string, var, bnode, pname, word (keywords, functions, a, true), number, punct
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text``, comments left out."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "#":                # to the end of the line, which a CR ends as well as a LF (SPARQL 1.1, 19.6)
            end = _LINE_END.search(text, i)
            i = n if end is None else end.start()
            continue
        start = i
        if ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i = min(n, i + len(quote))
            yield Token("string", text[start:i], start)
            continue
        match = (ch == "<" and _IRIREF_AT.match(text, i)) or (ch in "?$" and _VARIABLE.match(text, i)) \
            or (ch == "_" and _BLANK.match(text, i))
        if match:
            kind = {"<": "iri", "?": "var", "$": "var", "_": "bnode"}[ch]
        else:
            match = _PNAME.match(text, i)
            kind = "pname"
            if not match:
                match, kind = _WORD.match(text, i), "word"
            if not match and (ch.isdigit() or ch == "."):
                match, kind = _NUMBER.match(text, i), "number"
        if match and match.end() > i:
            i = match.end()
            yield Token(kind, text[start:i], start)
            continue
        i += 1
        yield Token("punct", ch, start)


def decode_escapes(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded, as SPARQL 1.1 (section 19.2)
    says a processor does before parsing; engines that decode them see a different query."""
    def char(match):
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else match.group(0)

    return _ESCAPE.sub(char, text)


@lru_cache(maxsize=64)
def _readings(text: str) -> tuple[tuple[Token, ...], ...]:
    """The tokens of ``text`` read as it is and with its escapes decoded (a check on keywords
    holds whichever way an engine reads the text); remembered, as each check reads them again."""
    return tuple(tuple(tokens(reading)) for reading in dict.fromkeys((text, decode_escapes(text))))


def keywords(text: str) -> list[str]:
    """The keywords (bare words, upper-cased) of ``text``, in every reading of it."""
    return [t.text.upper() for reading in _readings(text) for t in reading if t.kind == "word"]


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL 1.1 Update (or holds any update operation)."""
    return not UPDATE_KEYWORDS.isdisjoint(keywords(text))


def services(text: str) -> list[str]:
    """The endpoints (IRIs, or variables) of every ``SERVICE`` clause in ``text``."""
    found = []
    for words in _readings(text):
        for n, token in enumerate(words):
            if token.kind == "word" and token.text.upper() == "SERVICE":
                after = [t for t in words[n + 1:n + 3] if not (t.kind == "word" and t.text.upper() == "SILENT")]
                found.append(after[0].text if after else "SERVICE")
    return list(dict.fromkeys(found))


def refuse_update(text: str) -> None:
    """Raise :class:`QueryError` when ``text`` is an update: graphkit's query paths only read."""
    if is_update(text):
        raise QueryError(UPDATES_REFUSED)


# How deep a query may nest groups, brackets and unary operators. Oxigraph's parser recurses
# once per level and overflows its stack (the process aborts: `graphkit serve` lost its server,
# a command died of a segmentation fault) between 2,000 and 5,000 nested groups; the catalogue's
# deepest query nests 12.
MAX_NESTING = 256


def nesting(text: str) -> int:
    """How deep ``text`` nests: brackets of any kind, and runs of unary ``!`` / ``-`` / ``+``.

    >>> nesting("SELECT * { { ?s ?p ?o FILTER(!(!bound(?o))) } }")
    5
    """
    deepest = depth = run = 0
    for token in _readings(text)[0]:
        if token.kind == "punct" and token.text in "({[":
            depth += 1
        elif token.kind == "punct" and token.text in ")}]":
            depth = max(depth - 1, 0)
        run = run + 1 if token.kind == "punct" and token.text in "!-+" else 0
        deepest = max(deepest, depth + run)
    return deepest


# How long a chain of joined patterns or binary operators a query may make. Oxigraph builds a
# left-deep tree of a group's triple patterns (and of its UNION, OPTIONAL, MINUS ... elements) and
# of an operator chain (1+1+...+1, a && b && ...), then walks it recursively: between 5,000 and
# 10,000 links its stack overflowed (measured: `graphkit serve` lost its server, a command died of a
# segmentation fault). An RDF collection ``( 1 2 3 )`` is two triple patterns an item, and groups
# side by side ``{ } { }`` are joined: 4,500 items, or 20,000 groups, overflowed it too. Lists are
# flat and not counted: VALUES, IN (...) and function arguments took 50,000 items. The catalogue's
# longest chain has 83 links (treatments-for-condition).
MAX_CHAIN = 4000
_CHAIN_PUNCT = frozenset(".;,+-*/&|=<>")
_CHAIN_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "GRAPH", "SERVICE", "FILTER", "VALUES"})
_TERMS = frozenset({"iri", "pname", "var", "string", "number", "bnode"})


def _ends_item(token: Token) -> bool:
    return token.kind in _TERMS or token.text in (")", "]") or token.text.lower() in ("true", "false")


def _starts_item(token: Token) -> bool:
    return token.kind in _TERMS or token.text in ("(", "[") or token.text.lower() in ("true", "false")


def chain(text: str) -> int:
    """How many links the longest chains of ``text`` make, counted over the whole query: pattern
    separators and group elements, binary operators (commas inside brackets, which separate the
    items of a list, are not links), groups side by side, and two for each item of an RDF
    collection after its first. A collection is a bracket opened where a triple's term goes;
    a bracket of an expression (a function's arguments, IN, a VALUES row) holds no collection.

    >>> chain("SELECT * { ?s ?p ?o . ?o ?q ?r FILTER(?r IN (1, 2, 3) && ?o != ?s) }")
    6
    >>> chain("ASK { ?s ?p (1 2 3) } "), chain("ASK { {} {} {} }"), chain("SELECT * { VALUES (?a ?b) { (1 2) (3 4) } }")
    (4, 2, 2)
    >>> chain("ASK { FILTER(?d IN (xsd:integer('0'), xsd:integer('1'))) }"), chain("ASK { ?s ?p ((1) (2)) }")
    (1, 2)
    """
    links, brackets, values, previous = 0, [], None, None
    for token in _readings(text)[0]:
        inner = brackets[-1] if brackets else None
        in_collection = inner == "collection" and values is None
        if token.kind == "punct" and token.text in "({[":
            if token.text == "{" and values == "VALUES":
                values = len(brackets)              # the VALUES block's depth, until it closes
            if previous is not None and previous.text == "}" and token.text == "{":
                links += 1
            elif in_collection and previous is not None and _ends_item(previous):
                links += 2                          # a collection or blank node: the next item
            if token.text != "(":
                brackets.append(token.text)
            elif inner in ("{", "[", "collection") and values is None and (previous is None or previous.kind != "word"):
                brackets.append("collection")       # where a term goes; after FILTER, BIND, IN ...: arguments
            else:
                brackets.append("(")
        elif token.kind == "punct" and token.text in ")}]":
            if brackets:
                brackets.pop()
            if isinstance(values, int) and len(brackets) == values:
                values = None
        elif token.kind == "punct":
            if token.text in _CHAIN_PUNCT and not (token.text == "," and inner in ("(", "collection")):
                links += 1
        elif token.kind == "word" and token.text.upper() in _CHAIN_WORDS:
            links += 1
            if token.text.upper() == "VALUES":
                values = "VALUES"
        elif in_collection and previous is not None and _ends_item(previous) and _starts_item(token):
            links += 2                              # the next item of a collection
        previous = token
    return links


def too_complex(text: str) -> str | None:
    """Why the engine cannot take ``text`` (nested or chained past what its stack holds), or None."""
    if nesting(text) > MAX_NESTING:
        return (f"the query nests deeper than {MAX_NESTING} levels of brackets or unary operators, "
                "which the engine's parser cannot take")
    if chain(text) > MAX_CHAIN:
        return (f"the query chains more than {MAX_CHAIN:,} patterns or operators, which the engine cannot "
                "take (its stack would overflow): split it, or give long lists as VALUES")
    return None


def refuse_too_complex(text: str) -> None:
    """Raise :class:`QueryError` when the engine cannot take ``text`` (:func:`too_complex`)."""
    why = too_complex(text)
    if why is not None:
        raise QueryError(why)


def refuse_service(text: str) -> None:
    """Raise :class:`QueryError` when ``text`` has a SERVICE clause (a URL graphkit would fetch)."""
    found = services(text)
    if found:
        raise QueryError(f"SERVICE {', '.join(found)} refused: a query must not make graphkit fetch other URLs "
                         f"(give --allow-service to allow federated queries; a risk on a server others can reach)")


@lru_cache(maxsize=256)
def variables(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, name) of every variable outside strings, IRIs and comments (remembered: a
    catalogue query's text is bound again on every run)."""
    return tuple((token.start, token.start + len(token.text), token.text[1:])
                 for token in tokens(text) if token.kind == "var")


def where_brace(text: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group."""
    depth, first_brace, after_where = 0, None, False
    for token in tokens(text):
        if token.text == "{":
            if depth == 0:
                if after_where:
                    return token.start
                if first_brace is None:
                    first_brace = token.start
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text.upper() == "WHERE":
            after_where = True
    if query_form(text) == "CONSTRUCT" and not after_where:
        raise QueryError("a CONSTRUCT query needs an explicit WHERE clause to take parameters")
    if first_brace is None:
        raise QueryError("malformed SPARQL: no WHERE group found")
    return first_brace


_GAP = r"(?:\s|#[^\n\r]*)*"        # white space and comments
_SELECT_STAR = re.compile(rf"SELECT{_GAP}(?:(?:DISTINCT|REDUCED){_GAP})?\*", re.IGNORECASE)


def star_columns(text: str) -> dict[str, int] | None:
    """For a ``SELECT *`` query, each variable's rank by where the text first names it (None for
    any other query): the order of its columns on rdflib, Jena and Virtuoso, where pyoxigraph
    sorts them by name. SPARQL leaves it open; one order on every engine graphkit runs is what
    a person comparing answers expects.

    >>> star_columns("SELECT * WHERE { ?z ?a ?m }"), star_columns("SELECT ?z WHERE { ?z ?a ?m }")
    ({'z': 0, 'a': 1, 'm': 2}, None)
    """
    if not _SELECT_STAR.search(text):       # most queries: no tokenizing
        return None
    head = []                               # the query form's keyword and what follows it
    for token in tokens(text):
        if head or (token.kind == "word" and token.text.upper() in QUERY_FORMS):
            head.append(token.text.upper())
            if len(head) == 3 or token.text == "*" or (len(head) == 2 and head[1] not in ("DISTINCT", "REDUCED")):
                break
    if head[:1] != ["SELECT"] or head[-1] != "*":
        return None
    ranks: dict[str, int] = {}
    for _, _, name in variables(text):
        ranks.setdefault(name, len(ranks))
    return ranks


@lru_cache(maxsize=256)
def projected_variables(text: str) -> frozenset[str]:
    """Variables named in the SELECT clause (before the WHERE group)."""
    head = text[:where_brace(text)]
    return frozenset(name for _, _, name in variables(head))


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


def sorted_parts(text: str, separator: str) -> str:
    """A GROUP_CONCAT's value with its parts in order: numbers by value, then texts. SPARQL leaves
    the parts' order to the engine (pyoxigraph's follows how the store was loaded).

    >>> sorted_parts("57, 24, 90", ", "), sorted_parts("003,002", ","), sorted_parts("b; 10; a; 9", "; ")
    ('24, 57, 90', '002,003', '9; 10; a; b')
    """
    return separator.join(sorted(text.split(separator), key=_part_key))


def _part_key(part: str) -> tuple:
    return (0, float(part), part) if _NUMERIC_PART.fullmatch(part) else (1, 0.0, part)


_NUMERIC_PART = re.compile(r"\s*[+-]?\d+(?:\.\d+)?\s*")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword (SELECT when none is found)."""
    return next((t.text.upper() for t in tokens(text) if t.kind == "word" and t.text.upper() in QUERY_FORMS),
                "SELECT")


def declared_prefixes(text: str) -> set[str]:
    """The prefixes ``text`` declares with PREFIX."""
    found = _readings(text)[0]          # the tokens the SERVICE and update checks read already
    return {found[n + 1].text.split(":", 1)[0] for n, token in enumerate(found[:-1])
            if token.kind == "word" and token.text.upper() == "PREFIX" and found[n + 1].kind == "pname"}


def malformed(exc: Exception, query: str, prefixes) -> QueryError:
    """One line for a SPARQL parser's error (``prefixes``: those declared for the query): an
    unknown prefix by its name, else the parser's message without the character classes it lists
    as expected."""
    unknown = undeclared_prefixes(query, prefixes)
    if unknown:
        prefix, line, column = unknown[0]
        return QueryError(f"malformed SPARQL at line {line}, column {column}: unknown prefix {prefix}: "
                          f"(declare it with PREFIX {prefix}: <IRI>)")
    bracket = unbalanced_bracket(query)
    if bracket is not None:
        problem, line, column = bracket
        return QueryError(f"malformed SPARQL at line {line}, column {column}: {problem}")
    misspelt = misspelt_form(query)
    if misspelt is not None:
        word, form, line, column = misspelt
        return QueryError(f"malformed SPARQL at line {line}, column {column}: {word!r} is not a query form "
                          f"(did you mean {form}?)")
    message = " ".join(str(exc).split())
    match = re.search(r"(\d+):(\d+)", message)
    where = f" at line {match.group(1)}, column {match.group(2)}" if match else ""
    detail = re.sub(r"^error at \d+:\d+: ", "", message)
    detail = re.sub(r",? ?\[[^\[\]]*\]", "", detail).rstrip(", ")      # ['A' ..= 'Z' | ...]
    return QueryError(f"malformed SPARQL{where}: {shorten(detail, 200)}")


def misspelt_form(text: str) -> tuple[str, str, int, int] | None:
    r"""(word, the query form it is close to, line, column) when the first word after the prologue
    (PREFIX and BASE declarations) is no query form or update keyword: a parser reports the
    token after it (``SELEC ?s WHERE``: "column 10: expected CONSTRUCT").

    >>> misspelt_form("PREFIX a: <http://a/>\nSELEC ?s WHERE { ?s ?p ?o }")
    ('SELEC', 'SELECT', 2, 1)
    >>> misspelt_form("SELECT * WHERE { ?s ?p ?o }") is None
    True
    """
    words = [t for t in tokens(text) if t.kind in ("word", "pname", "iri")]
    n = 0
    while n < len(words) and words[n].kind == "word" and words[n].text.upper() in ("PREFIX", "BASE"):
        n += 3 if words[n].text.upper() == "PREFIX" else 2
    if n >= len(words) or words[n].kind != "word":
        return None
    word = words[n].text
    if word.upper() in QUERY_FORMS or word.upper() in UPDATE_KEYWORDS:
        return None
    close = close_names(word.upper(), QUERY_FORMS, n=1)
    if not close:
        return None
    return (word, close[0], *line_column(text, words[n].start))


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both counted from 1) of the character at ``offset`` in ``text``, as
    the messages about a query's text name a place.

    >>> line_column("SELECT *\\nWHERE { }", 15)
    (2, 7)
    """
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


_CLOSING = {"(": ")", "{": "}", "[": "]"}


def unbalanced_bracket(text: str) -> tuple[str, int, int] | None:
    """(problem, line, column) of the first bracket that is never closed or closes nothing, in
    ``text`` outside strings, IRIs and comments; None when they pair up. A parser meeting an
    unclosed bracket reports the end of the query, which is no help in finding it.

    >>> unbalanced_bracket('SELECT * WHERE {\\n  FILTER(CONTAINS(?l, "a(b")\\n}')
    ("'(' is never closed ('}' at line 3, column 1 comes first)", 2, 9)
    >>> unbalanced_bracket('SELECT * WHERE {\\n  FILTER(?x > 1')
    ("'(' is never closed", 2, 9)
    >>> unbalanced_bracket("SELECT * WHERE { ?s ?p ?o }}")
    ("'}' closes nothing", 1, 28)
    """
    opened: list = []
    for token in tokens(text):
        if token.kind != "punct":
            continue
        if token.text in _CLOSING:
            opened.append(token)
        elif token.text in _CLOSING.values():
            if not opened:
                return (f"'{token.text}' closes nothing", *line_column(text, token.start))
            if _CLOSING[opened[-1].text] != token.text:
                line, column = line_column(text, token.start)
                return (f"'{opened[-1].text}' is never closed ('{token.text}' at line {line}, column {column} "
                        f"comes first)", *line_column(text, opened[-1].start))
            opened.pop()
    if opened:
        return (f"'{opened[-1].text}' is never closed", *line_column(text, opened[-1].start))
    return None


def undeclared_prefixes(text: str, known) -> list[tuple[str, int, int]]:
    """(prefix, line, column) of every prefixed name whose prefix is neither declared in ``text``
    nor in ``known``: what a parser reports as an unknown prefix.

    >>> undeclared_prefixes("SELECT * WHERE {\\n  ?s foo:bar ?o ; rdfs:label ?l }", {"rdfs"})
    [('foo', 2, 6)]
    """
    declared = declared_prefixes(text) | set(known)
    found, previous = [], None
    for token in tokens(text):
        prefix = token.text.split(":", 1)[0]
        if token.kind == "pname" and prefix not in declared and not (
                previous is not None and previous.kind == "word" and previous.text.upper() == "PREFIX"):
            found.append((prefix, *line_column(text, token.start)))
        previous = token
    return found


def on_users_line(message: str, shift: int) -> str:
    """A server's syntax error about a query sent :func:`with_prefixes`: the columns it gives on
    line 1 counted in the user's own text (``shift``: the characters put before it), in the forms
    Oxigraph (``at 1:34``) and Jena (``line 1, column 34``) write them.

    >>> on_users_line("error at 1:834: expected one of .", 811)
    'error at 1:23: expected one of .'
    """
    if shift <= 0:
        return message

    def back(found) -> str:
        column = int(found.group(2))
        return found.group(1) + str(column - shift) if column > shift else found.group(0)
    return re.sub(r"(\bline 1, column )(\d+)", back, re.sub(r"(\bat 1:)(\d+)", back, message))


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    r"""``text`` preceded by PREFIX declarations for those of ``prefixes`` it uses and does not
    declare itself, so a query written for the embedded store (where they are predeclared) runs
    anywhere. They go on its first line, so that a server's syntax error names the line of the
    user's own text.

    >>> with_prefixes("SELECT * {\n  ?s rdfs:label ?o }", {"rdfs": "http://r/", "HP": "http://h/"})
    'PREFIX rdfs: <http://r/> SELECT * {\n  ?s rdfs:label ?o }'
    """
    used = {t.text.split(":", 1)[0] for t in _readings(text)[0] if t.kind == "pname"} - declared_prefixes(text)
    missing = [f"PREFIX {p}: <{ns}> " for p, ns in prefixes.items() if p in used]
    return "".join(missing) + text
