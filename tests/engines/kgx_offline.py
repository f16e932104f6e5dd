"""``kgx validate`` (kgx 2.x) without the network, against the Biolink model YAML of the
``biolink-model`` PyPI package.

kgx and bmt fetch the Biolink model, its predicate mapping and a JSON-LD context from the web —
already when ``kgx.utils.kgx_utils`` is imported (it builds a ``bmt.Toolkit()`` at module level), so
offline ``kgx validate`` fails before reading a file. Here, before kgx is imported:

- ``bmt.Toolkit``'s defaults become the local ``biolink_model/schema/biolink_model.yaml`` and an
  empty predicate mapping (bmt uses that only for its predicate-mapping look-ups, which
  validation does not make);
- kgx's JSON-LD context cache (``kgx.config.jsonld_context_map["biolink"]``) is filled with
  :func:`biolink_context` (the prefixes of the model YAML and of the package's prefix maps), plus
  any extra prefixes given (graphkit's, by default: see :func:`graphkit_prefixes`).

Validation runs in a subprocess (``python -m tests.engines.kgx_offline``) so the patches and
kgx's global state stay out of the test process. :func:`kgx_validate` returns every error kgx
logs (kgx's own report keeps one entry per distinct message only); :func:`kgx_transform` reads
files with kgx's source and writes them with its sink (``kgx transform``), for round trips.

>>> errors = kgx_validate([Path("kgx/nodes.tsv"), Path("kgx/edges.tsv")])     # doctest: +SKIP
>>> Counter(e["type"] for e in errors)                                           # doctest: +SKIP
>>> kgx_transform([Path("kgx/nodes.tsv"), Path("kgx/edges.tsv")], Path("out/kgx"))   # doctest: +SKIP
[PosixPath('out/kgx_edges.tsv'), PosixPath('out/kgx_nodes.tsv')]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from graphkit.errors import EnvironmentProblem

ROOT = Path(__file__).resolve().parents[2]


def biolink_model_yaml() -> Path | None:
    """The Biolink model YAML shipped in the ``biolink-model`` package, or None."""
    spec = importlib.util.find_spec("biolink_model")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "schema" / "biolink_model.yaml"
    return path if path.exists() else None


def kgx_missing() -> str | None:
    """Why offline kgx validation cannot run here (a reason for ``pytest.skip``), or None."""
    if importlib.util.find_spec("kgx") is None:
        return "kgx is not installed (pip install kgx; it is in the test extras)"
    if biolink_model_yaml() is None:
        return "the biolink-model package (Biolink model YAML) is not installed"
    return None


def graphkit_prefixes() -> dict[str, str]:
    """graphkit's prefixes: the Turtle ones (gk, gke, gkev, ...), the external-identifier map and
    the one the KGX export adds (gkrelease, the id of the release's own node)."""
    from graphkit.export.kgx import KGX_PREFIXES
    from graphkit.namespaces import CONVERTER, TURTLE_PREFIXES

    prefixes = dict(CONVERTER.prefix_map)
    prefixes.update(TURTLE_PREFIXES)
    prefixes.update(KGX_PREFIXES)
    return prefixes


def kgx_validate(files: Sequence[Path], input_format: str = "tsv",
                 extra_prefixes: Mapping[str, str] | None = None, timeout: float = 1800) -> list[dict]:
    """Every error ``kgx validate`` logs for ``files`` (KGX ``*nodes.tsv`` / ``*edges.tsv``, or
    another kgx input format), offline. ``extra_prefixes`` (default: graphkit's; ``{}`` for the
    Biolink prefixes alone) are added to the Biolink context. Each error is a dict with
    ``level`` (ERROR/WARNING/INFO), ``type`` (kgx's ErrorType name), ``message`` and ``entity``."""
    return json.loads(_run_offline(files, input_format, extra_prefixes, timeout))


def kgx_transform(files: Sequence[Path], output: Path, input_format: str = "tsv", output_format: str = "tsv",
                  extra_prefixes: Mapping[str, str] | None = None, timeout: float = 1800) -> list[Path]:
    """``kgx transform`` of ``files`` to ``output`` (a path prefix: kgx's TSV sink writes
    ``<output>_nodes.tsv`` and ``<output>_edges.tsv``), offline; the files written."""
    written = _run_offline(files, input_format, extra_prefixes, timeout,
                           ["--transform", str(output), "--output-format", output_format])
    return [Path(path) for path in json.loads(written)]


def _run_offline(files, input_format, extra_prefixes, timeout, more=()) -> str:
    reason = kgx_missing()
    if reason:
        raise EnvironmentProblem(reason)
    prefixes = graphkit_prefixes() if extra_prefixes is None else dict(extra_prefixes)
    command = [sys.executable, "-m", "tests.engines.kgx_offline", "--format", input_format,
               "--prefixes", json.dumps(prefixes), *more, *map(str, files)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT))
    if proc.returncode != 0:
        raise EnvironmentProblem(f"kgx failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout


def biolink_context() -> dict[str, str]:
    """The prefixes of Biolink's JSON-LD context, offline: those the model YAML declares and those
    of the prefix maps the ``biolink-model`` package ships beside it (the web context is made from
    both)."""
    import yaml

    schema = biolink_model_yaml()
    declared = yaml.safe_load(schema.read_text(encoding="utf-8")).get("prefixes", {})
    context = {}
    for prefix_map in sorted((schema.parent.parent / "prefixmaps").glob("*prefix*map.json")):
        context.update(json.loads(prefix_map.read_text(encoding="utf-8")))
    context.update({name: (value if isinstance(value, str) else value["prefix_reference"])
                    for name, value in declared.items()})
    return context


def _use_local_biolink_model(extra_prefixes: Mapping[str, str]) -> None:
    """Point bmt and kgx at the local Biolink model before kgx is imported."""
    import bmt.toolkit

    bmt.toolkit.Toolkit.__init__.__defaults__ = (str(biolink_model_yaml()), {"predicate mappings": []})
    context = biolink_context()
    context.update(extra_prefixes)

    import kgx.config

    kgx.config.get_config()
    kgx.config.jsonld_context_map["biolink"] = context


def _validate(files: Sequence[str], input_format: str) -> list[dict]:
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    validator = Validator(error_log=None)
    logged: list[dict] = []
    record = validator.log_error

    def log_error(entity, error_type, message, message_level=None):
        level = message_level.name if message_level is not None else "ERROR"
        logged.append({"level": level, "type": error_type.name, "message": message, "entity": str(entity).strip()})
        if message_level is None:
            record(entity, error_type, message)
        else:
            record(entity, error_type, message, message_level)

    validator.log_error = log_error
    Transformer(stream=True).transform(input_args={"filename": list(files), "format": input_format},
                                       output_args={"format": "null"}, inspector=validator)
    return logged


def _transform(files: Sequence[str], input_format: str, output: str, output_format: str) -> list[str]:
    """The files kgx's sink wrote: ``output`` is a path prefix for the TSV sink (``<output>_nodes.tsv``
    and ``<output>_edges.tsv``), the file itself for the others."""
    from kgx.transformer import Transformer

    Transformer().transform(input_args={"filename": list(files), "format": input_format},
                            output_args={"filename": output, "format": output_format})
    prefix = Path(output)
    return sorted(str(path) for path in prefix.parent.glob(f"{prefix.name}*") if path.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kgx validate (prints the errors as one JSON line, and how many "
                                                 "of each level on standard error) or kgx transform (--transform "
                                                 "OUTPUT; prints the files written as one JSON line), offline. "
                                                 "From the checkout: python -m tests.engines.kgx_offline "
                                                 "jmml_kgx/nodes.tsv jmml_kgx/edges.tsv")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--format", default="tsv")
    parser.add_argument("--prefixes", help="JSON object of the prefixes added to the Biolink context (default: "
                                           "graphkit's; {} for Biolink's alone)")
    parser.add_argument("--transform", metavar="OUTPUT", help="write the files with kgx's sink to OUTPUT (for "
                                                              "tsv, a path prefix: OUTPUT_nodes.tsv, OUTPUT_edges.tsv)")
    parser.add_argument("--output-format", default="tsv")
    args = parser.parse_args(argv)
    with contextlib.redirect_stdout(sys.stderr):     # kgx logs to stdout; keep it for the JSON
        _use_local_biolink_model(graphkit_prefixes() if args.prefixes is None else json.loads(args.prefixes))
        if args.transform:
            written = _transform(args.files, args.format, args.transform, args.output_format)
        else:
            errors = _validate(args.files, args.format)
    if args.transform:
        print(json.dumps(written))
        return 0
    print(json.dumps(errors))
    levels = Counter(e["level"] for e in errors)
    print(f"kgx validate: {', '.join(f'{n} {level}' for level, n in sorted(levels.items())) or 'no errors'}",
          file=sys.stderr)
    return 0

if __name__ == "__main__":
    sys.exit(main())
