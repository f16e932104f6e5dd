"""The README's quick start, as a newcomer runs it in a fresh clone."""

import re
import shlex
import shutil
import subprocess

import pytest

from .conftest import ROOT


def quick_start_commands() -> list[list[str]]:
    """The graphkit commands of the quick start's shell blocks (up to "Running the tests"), as argv."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("### Running the tests", 1)[0]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0].endswith("graphkit"):
                commands.append(words)
    return commands


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_quick_start_leaves_the_clone_clean():
    """A newcomer's `git status` showed the quick start's `export -o jmml.html` as a new file: every
    file the quick start writes is one git ignores."""
    outputs = [words[words.index("-o") + 1] for words in quick_start_commands() if "-o" in words]
    assert outputs, "the quick start writes a picture"
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *outputs], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    assert sorted(ignored) == sorted(outputs)
