"""The README's "How to add ..." section, checked against the code it sends a newcomer to: every
file and folder it names exists, every test it names (``file::test``) is in that file, and every
constant, private function and test it names by itself is defined in one of the files it names.
A rename or a move that leaves the how-to behind fails here, naming the stale word."""

from __future__ import annotations

import re

from .conftest import ROOT

# Words in backticks that look like code names but are SPARQL or YAML, not Python.
NOT_PYTHON = {"PREFIX"}


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## How to add"):text.index("## Query catalogue")]


def _quoted() -> list[str]:
    return re.findall(r"`([^`\n]+)`", _section())


def _is_placeholder(path: str) -> bool:
    """``queries/NAME.rq``, ``queries/qc/<rule>-<level>.rq``: a file the newcomer makes."""
    return bool(re.search(r"NAME|<|\.\.\.", path))


def _named_paths() -> list[str]:
    """The files and folders the section names (``tests/test_build.py``, ``graphkit/export/``),
    without a ``::test`` suffix."""
    return [word.split("::")[0] for word in _quoted() if "/" in word and " " not in word and not word.startswith("-")]


def _python_files() -> list:
    """The Python files the section names, and those of the folders it names (a placeholder such as
    ``graphkit/commands/NAME.py`` names its folder)."""
    files = set()
    for name in _named_paths():
        path = ROOT / name
        if _is_placeholder(name):
            path = path.parent
        if path.is_dir():
            files.update(path.glob("*.py"))
        elif path.is_file() and path.suffix == ".py":
            files.add(path)
    return sorted(files)


def test_every_file_and_folder_the_how_tos_name_exists():
    missing = sorted({name for name in _named_paths() if not _is_placeholder(name) and not (ROOT / name).exists()})
    assert missing == [], "README, How to add ...: these paths no longer exist"


def test_every_test_the_how_tos_name_is_in_its_file():
    """``tests/x.py::test_y``, and ``::test_z`` for another test of the file named before it."""
    missing, current = [], None
    for word in _quoted():
        found = re.fullmatch(r"([\w/]+\.py)?::(test_\w+)", word)
        if not found:
            continue
        current = found.group(1) or current
        if not re.search(rf"^def {found.group(2)}\(", (ROOT / current).read_text(encoding="utf-8"), re.M):
            missing.append(f"{current}::{found.group(2)}")
    assert missing == [], "README, How to add ...: these tests are not where it says"


def test_every_code_name_the_how_tos_give_is_defined_in_a_file_they_name():
    """Constants (``INPUTS``, ``PARAM_TYPES``), private helpers (``_how_stated``) and tests
    (``test_the_formats_in_their_order``) named on their own."""
    names = {word for word in _quoted() if word not in NOT_PYTHON and (
        re.fullmatch(r"[A-Z][A-Z0-9_]+", word) or re.fullmatch(r"_[a-z]\w*|test_\w+", word))}
    texts = [path.read_text(encoding="utf-8") for path in _python_files()]
    assert len(names) >= 15 and len(texts) >= 15
    undefined = sorted(name for name in names if not any(
        re.search(rf"^\s*(?:def |class )?{name}\b\s*[:=(]", text, re.M) for text in texts))
    assert undefined == [], "README, How to add ...: these names are defined in none of the files it names"
