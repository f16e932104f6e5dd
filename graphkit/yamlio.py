"""YAML that remembers where each mapping came from, and a cache of parsed files for the build.

>>> doc = loads("a: 1\\nb:\\n  - {c: 2}\\n", "f.yaml")
>>> doc["b"][0].line, doc.key_line("b")
(3, 2)
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import re

import yaml

from .errors import CurationError, EnvironmentProblem, Location
from .fileio import atomic_write_bytes, where_not_utf8


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
                if not isinstance(key, (str, int, float, bool)) and key is not None:   # `? [a, b]`: unhashable
                    raise CurationError([(Location(path, line), f"a key must be a text, not a {key_node.id}")])
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


# How many values a curated file may hold once its aliases are followed: the largest holds ~30k;
# a few lines of aliases of aliases stand for billions (a "billion laughs"), which the checks
# after the parse then walked for minutes and gigabytes.
MAX_VALUES = 1_000_000


def _refuse_alias_bombs(doc, path: str, aliased: bool = True) -> None:
    """Refuse a document of more than :data:`MAX_VALUES` values (``aliased``: the text has
    aliases, which the message then blames)."""
    seen, todo = 0, [doc]
    while todo:
        value = todo.pop()
        seen += 1
        if seen > MAX_VALUES:
            why = (f"the file holds more than {MAX_VALUES:,} values once its aliases (*name) are followed: write "
                   "lists out, alias texts only") if aliased else \
                f"the file holds more than {MAX_VALUES:,} values: split it (the largest curated file holds ~30,000)"
            raise CurationError([(Location(path, 1), why)])
        if isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)


def loads(text: str, path: str = "<string>"):
    """Parse YAML text; syntax errors become a CurationError naming ``path`` and line."""
    try:
        doc = yaml.load(text, Loader=_loader_for(path))  # noqa: S506 - SafeLoader subclass
        _refuse_alias_bombs(doc, path, aliased="*" in text)
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "malformed YAML"
        raise CurationError([(Location(path, line), f"malformed YAML: {problem}{_unclosed_quote(text, line)}")]) from None
    except yaml.reader.ReaderError as exc:           # a character YAML does not take (NUL): at its line
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise CurationError([(Location(path, line), f"malformed YAML: the character U+{code:04X} is not "
                                                    f"allowed in YAML")]) from None
    except yaml.YAMLError as exc:
        raise CurationError([(Location(path, 0), f"malformed YAML: {exc}")]) from None


def _unclosed_quote(text: str, line: int) -> str:
    """A hint naming the line of a double quote left open before ``line`` (the parser reports
    the line where the quoted text it swallowed ran into trouble, lines later), or ""."""
    lines = text.splitlines()
    for number in range(min(line - 1, len(lines)), max(line - 50, 0), -1):
        if lines[number - 1].lstrip().startswith("#"):    # a comment's quotes open nothing
            continue
        if len(re.findall(r'(?<!\\)"', lines[number - 1])) % 2:
            return f" (is the quote opened at line {number} closed?)"
    return ""


def _read(path: Path, name: str) -> tuple[bytes, str]:
    """The file's bytes and its text (newlines read as ``open()`` reads them)."""
    if Path(path).exists() and not Path(path).is_file():   # a FIFO had blocked the build; a directory
        # had been 'ABSOLUTE/PATH: Is a directory', exit 3
        raise CurationError([(Location(name), "not a regular file (a directory, pipe or device): give a file")])
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        line, problem = where_not_utf8(data)
        raise CurationError([(Location(name, line), problem)]) from None
    return data, text.replace("\r\n", "\n").replace("\r", "\n")


def load(path: Path, display: str | None = None):
    """Read and parse a YAML file; ``display`` is the name used in messages."""
    name = display or str(path)
    return loads(_read(path, name)[1], name)


# What a parsed file depends on besides its bytes and name: this module (the Located class, the
# loader) and PyYAML. A change to either gives other keys, so no stale parse is ever read back.
_PARSER_VERSION = hashlib.sha256(Path(__file__).read_bytes() + yaml.__version__.encode()).hexdigest()[:16]


def _private(path: Path) -> bool:
    """Whether ``path`` is this user's and nobody else may write it."""
    try:
        info = path.stat()
    except OSError:
        return False
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _make_private(directory: Path) -> None:
    """The user's own cache folder made one nobody else may write (an earlier graphkit made it
    under a umask of 002: its entries were then never read again, the cache silently off)."""
    try:
        info = directory.stat()
        if info.st_uid == os.geteuid() and info.st_mode & 0o077:
            directory.chmod(0o700)
    except OSError:
        pass


class ParsedCache:
    """Parsed YAML files kept in ``directory``, keyed by their content, name and parser: the
    build reads the curated files (~0.2 s of parsing, libyaml's parser with Python's
    constructor) from here when they have not changed since the last build, each in ~0.2 ms
    (measured: 4 ms for the 19 files). A file that does not parse is never kept. What the cache
    holds is read back with pickle, which runs what it is given: an entry is read only when it
    and its directory are the user's own and nobody else may write them (a cache in a shared
    ``$GRAPHKIT_CACHE`` had run another user's code), and only when it names the contents it
    was made of. When the directory cannot be written, files are just parsed.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.yaml").write_text("a: 1\\n")
    >>> cache = ParsedCache(folder / "cache")
    >>> first, again = cache.load(folder / "a.yaml", "a.yaml"), cache.load(folder / "a.yaml", "a.yaml")
    >>> first == again == {"a": 1}, again.location("a").line, len(list((folder / "cache").iterdir()))
    (True, 1, 1)
    """

    def __init__(self, directory: Path, keep: bool = True):
        self.directory = Path(directory)
        self.keep = keep                  # False: only read what is there (``build --check`` writes nothing)
        self.used: set[str] = set()

    def load(self, path: Path, display: str | None = None):
        """What :func:`load` gives for the file, from the cache when it holds it."""
        name = display or str(path)
        data, text = _read(path, name)
        entry = self.directory / (hashlib.sha256(f"{_PARSER_VERSION}\0{name}\0".encode() + data).hexdigest()
                                  + ".pickle")
        self.used.add(entry.name)
        _make_private(self.directory)
        private = _private(self.directory)
        if private and _private(entry):
            try:
                made_of, doc = pickle.loads(entry.read_bytes())   # noqa: S301 -- the user's own (see the class)
                if made_of == entry.stem:
                    return doc
            except Exception:             # noqa: BLE001 -- unreadable: parsed again, never fatal
                pass
        doc = loads(text, name)
        if self.keep and (private or not self.directory.exists()):
            try:
                self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                atomic_write_bytes(entry, pickle.dumps((entry.stem, doc), protocol=pickle.HIGHEST_PROTOCOL))
                entry.chmod(0o600)        # whatever the umask: an entry others may write is not read
            except (EnvironmentProblem, OSError):
                pass                      # an unwritable cache parses every time
        return doc

    def prune(self) -> None:
        """Remove the files kept for contents no longer read (call after a complete load)."""
        if not self.keep:
            return
        try:
            for entry in self.directory.glob("*.pickle"):
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)
        except OSError:
            pass
