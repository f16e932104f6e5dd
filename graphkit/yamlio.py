"""YAML that remembers where each mapping came from.

>>> doc = loads("a: 1\\nb:\\n  - {c: 2}\\n", "f.yaml")
>>> doc["b"][0].line, doc.key_line("b")
(3, 2)
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import CurationError, Location


class Located(dict):
    """A mapping with the 1-based line where it starts and the line of each key."""

    path: str = ""
    line: int = 0
    key_lines: dict

    def key_line(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def location(self, key: str | None = None) -> Location:
        return Location(self.path, self.key_line(key) if key else self.line)


# libyaml's parser when PyYAML has it (several times faster); the constructor is Python either way.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _loader_for(path: str):
    class LineLoader(_BASE_LOADER):
        def construct_mapping(self, node, deep=False):
            seen: dict[str, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise CurationError(
                        [(Location(path, line), f"duplicate key {key!r} (first at line {seen[key]})")]
                    )
                seen[key] = line
            mapping = Located(super().construct_mapping(node, deep=True))
            mapping.path = path
            mapping.line = node.start_mark.line + 1
            mapping.key_lines = seen
            return mapping

    # SafeLoader builds maps through a generator that copies into a plain dict; build Located
    # directly instead (curated files use no recursive anchors, which is all that loses).
    LineLoader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node))
    return LineLoader


def loads(text: str, path: str = "<string>"):
    """Parse YAML text; syntax errors become a CurationError naming ``path`` and line."""
    try:
        return yaml.load(text, Loader=_loader_for(path))  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "malformed YAML"
        raise CurationError([(Location(path, line), f"malformed YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise CurationError([(Location(path, 0), f"malformed YAML: {exc}")]) from None


def load(path: Path, display: str | None = None):
    """Read and parse a YAML file; ``display`` is the name used in messages."""
    name = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError([(Location(name), f"not UTF-8 text: {exc}")]) from None
    return loads(text, name)
