"""Corrections to rdflib 7's SPARQL engine, so that it answers the catalogue as SPARQL 1.1 says
(and as Oxigraph, Jena, Virtuoso and Comunica answer it). graphkit's rdflib engine applies them;
so can anyone running the catalogue's ``.rq`` files on stock rdflib::

    import graphkit.rdflibfixes
    graphkit.rdflibfixes.apply()      # once, before the first query; it changes rdflib for the process

- ``GROUP_CONCAT(DISTINCT ?x)`` (and every DISTINCT aggregate) raises ``NotBoundError`` when
  ``?x`` is unbound in a row, and the query stops, where the other engines answer: the row is
  skipped (about two in five catalogue queries group an optional value).
- A ``GROUP BY`` over no solutions gives one row with nothing bound, where it gives no groups and
  so no rows (section 18.5.1, Group: a group per key that some solution has); only an aggregate
  without ``GROUP BY`` has one group over no solutions (``COUNT(*)`` is 0). A subquery that
  grouped nothing then gave the outer query a row, and ``symptoms-of-disease`` of a drug a row of
  empty cells instead of no rows.

rdflib's SPARQL engine is imported only here (it takes ~0.2 s to import, measured), when the
rdflib engine is used.
"""

from __future__ import annotations


def apply() -> None:
    """Correct rdflib's SPARQL engine for this process (again: no effect)."""
    from rdflib.plugins.sparql import aggregates, evaluate
    from rdflib.plugins.sparql.sparql import NotBoundError

    use_row = aggregates.Accumulator.use_row
    if not getattr(use_row, "_graphkit_fixed", False):
        def skipping_unbound(self, row):
            try:
                return use_row(self, row)
            except NotBoundError:
                return False

        skipping_unbound._graphkit_fixed = True
        aggregates.Accumulator.use_row = skipping_unbound

    aggregate_join = evaluate.evalAggregateJoin
    if not getattr(aggregate_join, "_graphkit_fixed", False):
        def no_groups_without_solutions(ctx, agg):
            rows = aggregate_join(ctx, agg)
            if agg.p.expr is None:            # no GROUP BY: one group, even over no solutions
                yield from rows
                return
            first = next(rows, None)
            if first is None:
                return
            # rdflib's stand-in for "no groups" is a single row with nothing bound; a real group
            # binds its aggregates.
            rest = next(rows, None)
            if rest is None and len(first) == 0:
                return
            yield first
            if rest is not None:
                yield rest
                yield from rows

        no_groups_without_solutions._graphkit_fixed = True
        evaluate.evalAggregateJoin = no_groups_without_solutions
