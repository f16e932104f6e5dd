"""Write a selected subgraph for the analysts' tools: a registry of formats, one module each.

Every module here that writes a format registers a :class:`Format` (name, suffixes and
aliases, writer, whether it can go to standard output) with :mod:`.registry`; importing the
package imports them all, so adding a format is adding a module (see the README, "How to
add ..."). Besides the formats: :mod:`.context` (what a writer gets), :mod:`.rdf` (a selection
as RDF), :mod:`.graphdata` (attributes, colours, columns), :mod:`.files` (atomic writing).

Every file is rendered in memory first and written atomically (temp file + rename), so a
failure leaves no partial file; ``-`` writes a text format to standard output.

>>> from graphkit import nxview
>>> from graphkit.select import Selection, select
>>> G = nxview.load()
>>> sub = select(G, Selection(seeds=["jmml_early_relapse_after_hsct"], hops=1, sources=["chang_2004_jmml_second_hsct"]))
>>> files = render("kgx", sub, Context(G))
>>> sorted(files)
['edges.tsv', 'nodes.tsv']
>>> [line.split("\\t")[1:4] for line in files["edges.tsv"].splitlines() if "gk:treatedWith gke:second" in line]
[['gke:second_allogeneic_hsct', 'biolink:applied_to_treat', 'gke:jmml_autologous_recovery_or_earlier_relapse_patients'], ['gke:second_allogeneic_hsct', 'biolink:applied_to_treat', 'gke:jmml_early_relapse_after_hsct']]
"""

import importlib
import pkgutil

from .context import Context
from .files import Written, write
from .registry import FORMATS, Format, format_for_path, format_named, register, render

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["Context", "FORMATS", "Format", "Written", "format_for_path", "format_named", "register", "render",
           "write"]
