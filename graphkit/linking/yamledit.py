"""Add xrefs to registry YAML files with minimal, reviewable text edits.

The registry is hand-edited, with comments and a mix of block and flow styles; re-dumping it
would lose both. Instead the file is composed with PyYAML (which knows where every node starts
and ends) and the new items are inserted as text: into an existing ``xrefs`` list, or as a new
``xrefs`` field at the end of the entry, in the entry's own style.

>>> text = "entities:\\n  - {id: fever, type: Phenotype, label: fever}\\n"
>>> print(insert_xrefs(text, {"fever": [Xref("HP:0001945")]}), end="")
entities:
  - {id: fever, type: Phenotype, label: fever, xrefs: [HP:0001945]}
"""

from __future__ import annotations

import yaml

from loaders.registry import Xref


def xref_text(xref: Xref) -> str:
    """The YAML flow text of an xref: a bare CURIE when everything is default."""
    fields = [f"id: {xref.curie}"]
    if xref.match != "exact":
        fields.append(f"match: {xref.match}")
    if xref.justification != "manual":
        fields.append(f"justification: {xref.justification}")
    if xref.unverified:
        fields.append("unverified: true")
    if xref.note:
        fields.append(f"note: {_quote(xref.note)}")
    return xref.curie if len(fields) == 1 else "{" + ", ".join(fields) + "}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _content_end(node) -> int:
    """Index just after the last character of a node's content (block nodes end before comments)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1])
    return node.end_mark.index


def _after_line(text: str, index: int) -> int:
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def insert_xrefs(text: str, additions: dict[str, list[Xref]]) -> str:
    root = yaml.compose(text)
    entries = None
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "entities" and isinstance(value, yaml.SequenceNode):
                entries = value
    if entries is None:
        raise ValueError("not an entity file (no 'entities:' list)")
    edits: list[tuple[int, str]] = []
    for item in entries.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        fields = {k.value: v for k, v in item.value}
        ident = getattr(fields.get("id"), "value", None)
        new = additions.get(ident)
        if not new:
            continue
        items = [xref_text(x) for x in new]
        xrefs = fields.get("xrefs")
        if xrefs is not None and isinstance(xrefs, yaml.SequenceNode) and xrefs.flow_style:
            close = xrefs.end_mark.index - 1
            assert text[close] == "]", f"unexpected YAML layout at line {xrefs.end_mark.line + 1}"
            edits.append((close, (", " if xrefs.value else "") + ", ".join(items)))
        elif xrefs is not None and isinstance(xrefs, yaml.SequenceNode) and xrefs.value:
            dash = " " * (xrefs.value[0].start_mark.column - 2)
            edits.append((_after_line(text, _content_end(xrefs)), "".join(f"{dash}- {i}\n" for i in items)))
        elif xrefs is not None and not (isinstance(xrefs, yaml.ScalarNode) and xrefs.value in ("", "null", "~")):
            raise ValueError(f"entity {ident!r}: cannot add to its xrefs (line {xrefs.start_mark.line + 1})")
        elif item.flow_style:
            close = item.end_mark.index - 1
            assert text[close] == "}", f"unexpected YAML layout at line {item.end_mark.line + 1}"
            if xrefs is not None:
                raise ValueError(f"entity {ident!r}: empty 'xrefs:' in a flow mapping; write xrefs: []")
            edits.append((close, ", xrefs: [" + ", ".join(items) + "]"))
        else:
            indent = " " * item.value[0][0].start_mark.column
            block = "".join(f"{indent}  - {i}\n" for i in items)
            if xrefs is not None:  # an empty "xrefs:" line: put the items under it
                edits.append((_after_line(text, xrefs.start_mark.index), block))
            else:
                edits.append((_after_line(text, _content_end(item)), f"{indent}xrefs:\n{block}"))
    for index, insertion in sorted(edits, reverse=True):
        text = text[:index] + insertion + text[index:]
    return text
