"""Where things live in a graphkit project (an ODK-style repository layout).

A project is a directory with ``sources/``, ``ontology/`` and ``queries/``. By default it is
the checkout graphkit was installed from (installed without ``-e``: the current directory or
the nearest parent that is a project); ``GRAPHKIT_ROOT`` or ``--root`` point elsewhere
(tests use this to build deliberately broken copies). The built files are the products that
``ontology/release.yaml`` declares (:mod:`graphkit.config`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .config import ReleaseConfig, load_config
from .errors import EnvironmentProblem, GraphkitError


# What makes a directory a graphkit project.
RELEASE_CONFIG = Path("ontology", "release.yaml")
# Project.current(): $GRAPHKIT_ROOT -> (the project, the stat of its release.yaml).
_CURRENT: dict = {}


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def current(cls) -> "Project":
        """:meth:`locate` (no ``root``), remembered for this process until ``$GRAPHKIT_ROOT``, the
        current directory or the project's ``release.yaml`` changes: what the Python API uses on
        every call."""
        key = (os.environ.get("GRAPHKIT_ROOT"), os.getcwd())
        held = _CURRENT.get(key)
        if held is not None and file_stat(held[0].release_config) == held[1]:
            return held[0]
        project = cls.locate()
        _CURRENT[key] = (project, file_stat(project.release_config))
        return project

    @classmethod
    def locate(cls, root: str | os.PathLike | None = None) -> "Project":
        """The project at ``root``, ``$GRAPHKIT_ROOT``, the one the command runs in (the current
        directory or its nearest parent that is a project, as git finds its repository), or the
        checkout holding this package (``pip install -e``: the quick start works from anywhere);
        a directory that is missing or is not a graphkit project (no ``ontology/release.yaml``)
        is an :class:`~graphkit.errors.EnvironmentProblem`."""
        given = "--root" if root is not None else "GRAPHKIT_ROOT" if os.environ.get("GRAPHKIT_ROOT") else None
        if root is None:
            root = os.environ.get("GRAPHKIT_ROOT") or None      # set but empty: as if unset
        if root is None:
            root = cls._enclosing() or cls.fallback() or Path.cwd()
        project = cls(Path(root).resolve())
        where = f" ({given})" if given else (" (neither the current directory nor its parents, nor the checkout "
                                             "graphkit runs from; give --root DIR)")
        if not project.root.is_dir():
            raise EnvironmentProblem(f"{root}: no such directory{where}")
        if not project.release_config.is_file():
            raise EnvironmentProblem(f"{root} is not a graphkit project: it has no ontology/release.yaml{where}")
        return project

    @staticmethod
    def fallback(root=None) -> Path | None:
        """The checkout holding this package, when :meth:`locate` would fall back to it (no
        ``root``, no ``$GRAPHKIT_ROOT``, the current directory in no project), else None: the
        command line says so, since a build there rewrites another directory's files."""
        if root is not None or os.environ.get("GRAPHKIT_ROOT") or Project._enclosing() is not None:
            return None
        checkout = Path(__file__).resolve().parent.parent
        return checkout if (checkout / RELEASE_CONFIG).is_file() else None

    @staticmethod
    def _enclosing() -> Path | None:
        """The current directory or its nearest parent that is a project, as git finds its repository."""
        here = Path.cwd()
        return next((d for d in (here, *here.parents) if (d / RELEASE_CONFIG).is_file()), None)

    # The folders whose files are curated or built by graphkit: an export's -o never lands there.
    OWN_FOLDERS = ("ontology", "sources", "queries", "loaders", "graphkit")

    def refuse_to_overwrite(self, output: str | os.PathLike, files: tuple[str, ...] = (),
                            reading: tuple = ()) -> None:
        """An error (exit 2) when ``output`` (a command's -o; with ``files``, the directory they
        are written into) is a file or folder of the project's curation, release, catalogue or
        code, a release product, the cache, or one of the files the command reads (``reading``):
        `export -o ontology/all.ttl` had replaced the release with a subgraph, `export-mappings
        -o` a curated file, `export --entities list.txt -o list.txt` the list it read."""
        if str(output) == "-":
            return
        targets = [Path(os.path.realpath(output))] + [Path(os.path.realpath(Path(output) / f)) for f in files]
        for folder in self.OWN_FOLDERS:
            own = Path(os.path.realpath(self.root / folder))
            if any(path == own or own in path.parents for path in targets):
                raise GraphkitError(f"-o {output}: refusing to write into {folder}/, which holds the project's curated or "
                                    f"built files; write the output elsewhere")
        cache = Path(os.path.realpath(self.cache_dir))
        products = {Path(os.path.realpath(self.root / p.path)): p.path for p in self.config.products}
        for path in targets:
            if path in products:
                raise GraphkitError(f"-o {output}: refusing to write over {products[path]}, a product of the release "
                                    f"(graphkit build writes it); write the output elsewhere")
            if path == cache or cache in path.parents:
                raise GraphkitError(f"-o {output}: refusing to write into the cache ({cache}); write the output elsewhere")
            for given in filter(None, reading):
                if path.exists() and os.path.exists(given) and os.path.samefile(path, given):
                    raise GraphkitError(f"-o {output}: refusing to write over {given}, which this command reads")

    # Inputs (curated, hand-edited)
    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def manifest(self) -> Path:
        return self.sources_dir / "manifest.yaml"

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def schema_file(self) -> Path:
        return self.ontology_dir / "schema.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def release_config(self) -> Path:
        """The release declaration: products, QC fail level, import modules."""
        return self.root / RELEASE_CONFIG

    @cached_property
    def config(self) -> ReleaseConfig:
        return load_config(self.release_config, self.relative(self.release_config))

    @property
    def curation_dir(self) -> Path:
        return self.ontology_dir / "curation"

    @property
    def entities_dir(self) -> Path:
        return self.curation_dir / "entities"

    @property
    def statements_dir(self) -> Path:
        return self.curation_dir / "statements"

    @property
    def disagreements_file(self) -> Path:
        return self.curation_dir / "disagreements.yaml"

    @property
    def imports_dir(self) -> Path:
        return self.ontology_dir / "imports"

    def import_files(self) -> list[Path]:
        """The import modules' files (``ontology/imports/*.ttl``), in name order: what the store
        loads into ``imports/<name>`` graphs (:func:`graphkit.iris.import_graph`)."""
        return sorted(self.imports_dir.glob("*.ttl")) if self.imports_dir.exists() else []

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def qc_queries_dir(self) -> Path:
        return self.queries_dir / "qc"

    # Outputs (built, never hand-edited), where ontology/release.yaml puts them
    def product(self, content: str) -> Path:
        return self.root / self.config.product(content).path

    @property
    def all_ttl(self) -> Path:
        return self.product("release")

    @property
    def inferred_ttl(self) -> Path:
        return self.product("inferred")

    def require_release(self) -> None:
        """An error (exit 3) unless the release is built: ``all.ttl`` missing, or empty (a zero-byte
        file was served as a graph of the imports alone, every query "no rows")."""
        try:
            size = self.all_ttl.stat().st_size
        except FileNotFoundError:
            raise EnvironmentProblem(f"{self.relative(self.all_ttl)} not found: run `graphkit build` first") from None
        if size == 0:
            raise EnvironmentProblem(f"{self.relative(self.all_ttl)} is empty: run `graphkit build` to write it again")

    @property
    def coverage_report(self) -> Path:
        return self.product("coverage")

    # Local, never committed (.gitignore): converted external ontologies, server databases.
    @property
    def cache_dir(self) -> Path:
        """``$GRAPHKIT_CACHE`` if set, else ``.graphkit-cache/`` in the project."""
        override = os.environ.get("GRAPHKIT_CACHE")
        return Path(override).resolve() if override else self.root / ".graphkit-cache"

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root where possible, for messages."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)


def unusable_cache() -> str | None:
    """Why ``$GRAPHKIT_CACHE`` cannot hold a cache (it names something that is not a directory),
    else None. Every cache is only a saving, so each command runs without it, silently: said once
    by the command line, or a mistyped setting would only make every command slow."""
    override = os.environ.get("GRAPHKIT_CACHE")
    if override and os.path.lexists(override) and not os.path.isdir(override):
        return f"GRAPHKIT_CACHE={override} is not a directory: every command runs without its caches (slower)"
    return None


def file_stat(path: Path) -> tuple | None:
    """(size, mtime, inode) of a file or directory, None when it is missing: changed by any
    rewrite of it (cheap to compare: tells whether to read it again)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino
