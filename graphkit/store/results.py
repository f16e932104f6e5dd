"""A query's answer, the same whichever engine ran it: :class:`Results`."""

from __future__ import annotations

import pyoxigraph as ox

from .. import terms
from ..errors import EnvironmentProblem, QueryError
from ..iris import readable
from ..sparql import sorted_parts


class Results:
    """The answer to a query: SELECT rows, an ASK boolean, or a CONSTRUCT/DESCRIBE graph.

    ``rows`` (variable -> rdflib term, unbound variables absent) and ``graph`` (an rdflib Graph)
    are made on first use from the engine's own terms: :meth:`records`, :meth:`texts`,
    :meth:`to_json` and :meth:`to_df` read those directly, without rdflib.
    """

    def __init__(self, kind: str, variables=None, rows: list[dict] | None = None, boolean: bool | None = None,
                 graph=None, *, solutions: list[tuple] | None = None, triples: list | None = None):
        self.kind = kind                            # "select" | "ask" | "graph"
        self.variables: list[str] = list(variables or [])
        self.boolean = boolean
        self._rows = rows if rows is not None or solutions is not None else []
        self._solutions = solutions                 # pyoxigraph terms (None = unbound), in variable order
        self._graph = graph
        self._triples = triples                     # pyoxigraph triples of a graph answer
        self.notes: tuple[str, ...] = ()            # what a catalogue run noted (graphkit.catalogue.runner.run)

    def __repr__(self) -> str:
        if self.kind == "ask":
            shown = f"<Results ask: {self.boolean}"
        elif self.kind == "graph":
            shown = f"<Results graph: {len(self._triples) if self._triples is not None else len(self.graph)} triples"
        else:
            shown = f"<Results select: {len(self._native_rows())} rows of {', '.join(self.variables)}"
        return shown + "".join(f"; note: {note}" for note in self.notes) + ">"

    # How many rows a notebook shows of an answer (its repr says how many there are).
    SHOWN_IN_NOTEBOOK = 50

    def _repr_html_(self) -> str:
        """A SELECT answer as a table in a notebook (Jupyter calls this), its notes above it; the
        first :data:`SHOWN_IN_NOTEBOOK` rows, the count of the rest below."""
        import html

        notes = "".join(f"<p><em>note: {html.escape(note)}</em></p>" for note in self.notes)
        if self.kind != "select":
            return notes + f"<pre>{html.escape(repr(self))}</pre>"
        rows = self.texts(marked_blank_nodes=True)
        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
        body = "".join("<tr>" + "".join(f"<td>{'' if row[v] is None else html.escape(readable(row[v]))}</td>"
                                        for v in self.variables) + "</tr>"
                       for row in rows[:self.SHOWN_IN_NOTEBOOK])
        more = len(rows) - self.SHOWN_IN_NOTEBOOK
        return (notes + f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                + (f"<p>{more:,} more rows (.records() or .to_df() hold them all)</p>" if more > 0 else
                   f"<p>{len(rows):,} rows</p>"))

    @property
    def rows(self) -> list[dict]:
        """Rows of rdflib terms (variable -> term; unbound variables absent)."""
        if self._rows is None:
            self._rows = self._made(self._solutions)
        return self._rows

    def head(self, count: int) -> list[dict]:
        """The first ``count`` of :attr:`rows`, made of rdflib terms for those only (a page shows
        the first rows of an answer of any size)."""
        return self._rows[:count] if self._rows is not None else self._made(self._solutions[:count])

    def _made(self, solutions) -> list[dict]:
        memo: dict = {}
        return [{v: terms.from_oxigraph(t, memo) for v, t in zip(self.variables, solution) if t is not None}
                for solution in solutions]

    @property
    def row_count(self) -> int:
        """How many rows a SELECT answer has (counted without making rdflib terms of them)."""
        return len(self._solutions) if self._solutions is not None else len(self._rows or [])

    @property
    def graph(self):
        """The rdflib Graph of a CONSTRUCT or DESCRIBE answer (None for other answers)."""
        if self._graph is None and self._triples is not None:
            from rdflib import Graph

            self._graph = Graph()
            for triple in terms.rdflib_triples(self._triples):
                self._graph.add(triple)
        return self._graph

    def _native_rows(self) -> list[dict]:
        """Rows of whatever terms the engine gave (pyoxigraph's or rdflib's)."""
        if self._solutions is None:
            return self._rows if self._rows is not None else self.rows
        return [dict(zip(self.variables, solution)) for solution in self._solutions]

    def records(self) -> list[dict]:
        """Rows as plain Python values (str, int, float, bool, None): pandas-friendly. Only a SELECT
        answer has rows (an ASK or CONSTRUCT answer's records had been an empty list)."""
        self._select_only("records")
        return [{v: terms.to_python(row.get(v)) for v in self.variables} for row in self._native_rows()]

    def _select_only(self, method: str) -> None:
        if self.kind != "select":
            answer = ("an ASK answer (a boolean: .boolean)" if self.kind == "ask"
                      else "a graph (CONSTRUCT or DESCRIBE: .graph)")
            raise QueryError(f"{method}() takes the rows of a SELECT query; this answer is {answer}")

    def texts(self, marked_blank_nodes: bool = False) -> list[dict]:
        """Rows as the text of each term (an IRI, a literal's lexical form; None when unbound);
        a blank node as its label, or with ``marked_blank_nodes`` as ``_:`` and its label (to
        show: a label alone reads as a literal)."""
        text = terms.marked_text if marked_blank_nodes else terms.text
        return [{v: text(row.get(v)) for v in self.variables} for row in self._native_rows()]

    def to_df(self):
        """The rows as a pandas DataFrame of :meth:`records` (pandas is optional: installed with
        ``pip install pandas``)."""
        try:
            import pandas
        except ImportError:
            raise EnvironmentProblem("Results.to_df() needs pandas, which is not installed: "
                                     "`pip install pandas` (or use .records())") from None
        self._select_only("to_df")
        records = self.records()
        frame = pandas.DataFrame.from_records(records, columns=self.variables)
        # A column of whole numbers with gaps stays whole (pandas' nullable Int64): 7 patients
        # read 7.0 where another row has none.
        # Made from the records, not the float column (2**53 + 1 read as 2**53); a number out of
        # Int64's range leaves the column as pandas makes it.
        for column in self.variables:
            values = [r.get(column) for r in records]
            present = [v for v in values if v is not None]
            if present and len(present) < len(values) and all(type(v) is int and -2**63 <= v < 2**63 for v in present):
                frame[column] = pandas.array(values, dtype="Int64")
        return frame

    def to_json(self) -> dict:
        """SPARQL 1.1 Query Results JSON."""
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        bindings = [{v: terms.to_json(t) for v, t in row.items() if t is not None} for row in self._native_rows()]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def with_sorted_parts(self, concatenated: dict[str, str]) -> "Results":
        """This answer with the parts of each GROUP_CONCAT value in order (``concatenated``: its
        variables and their separators; :func:`graphkit.sparql.sorted_parts`), so that a list in a
        cell reads the same on every engine. The rows keep their order."""
        columns = [n for n, v in enumerate(self.variables) if v in concatenated]
        if self.kind != "select" or not columns:
            return self
        if self._solutions is not None:
            solutions = []
            for solution in self._solutions:
                solution = list(solution)
                for n in columns:
                    term = solution[n]
                    if isinstance(term, ox.Literal) and term.language is None:
                        solution[n] = ox.Literal(sorted_parts(term.value, concatenated[self.variables[n]]),
                                                 datatype=term.datatype)
                solutions.append(tuple(solution))
            return Results("select", self.variables, solutions=solutions)
        from rdflib import Literal

        rows = []
        for row in self.rows:
            row = dict(row)
            for n in columns:
                var = self.variables[n]
                term = row.get(var)
                if isinstance(term, Literal) and term.language is None:
                    row[var] = Literal(sorted_parts(str(term), concatenated[var]), datatype=term.datatype)
            rows.append(row)
        return Results("select", self.variables, rows)

    def canonical(self, concatenated: dict[str, str] | None = None) -> list[tuple]:
        """Rows as sorted tuples of N-Triples strings, to compare answers across engines;
        ``concatenated`` maps GROUP_CONCAT variables to their separator (parts get sorted)."""
        return sorted(self.in_order(concatenated))

    def in_order(self, concatenated: dict[str, str] | None = None) -> list[tuple]:
        """The rows of :meth:`canonical` in the order the engine gave them (to compare the order
        of an ORDER BY across engines)."""
        from rdflib import Literal

        concatenated = concatenated or {}

        def key(var, term):
            if var in concatenated and isinstance(term, Literal):
                # Engines differ on an empty GROUP_CONCAT: "" (SPARQL 1.1) or unbound.
                term = Literal(sorted_parts(str(term), concatenated[var])) if str(term) else None
            return terms.key(term)

        return [tuple(key(v, row.get(v)) for v in self.variables) for row in self.rows]


# Seconds a query may take where no one said otherwise (an endpoint's, the Python API's; the
