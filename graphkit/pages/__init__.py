"""Web pages for people, served by ``graphkit serve`` beside the SPARQL endpoint.

- :mod:`.lookup`: what a page shows, asked of the store in SPARQL (the pages are a view over the
  same store the endpoint answers from, never a copy);
- :mod:`.render`: the HTML (standard library escaping, no template engine, no inline script);
- :mod:`.app`: :class:`Pages`, the routes, content negotiation for entity URLs and the CSV/JSON
  downloads; :mod:`graphkit.gateway` hands it every request that is not for ``/query``,
  ``/update`` or ``/store``.
"""

from .app import Pages, Response, is_page

__all__ = ["Pages", "Response", "is_page"]
