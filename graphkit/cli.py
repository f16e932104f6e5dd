"""The ``graphkit`` command: one entry point, one subcommand per capability.

Each subcommand lives in :mod:`graphkit.commands` as a thin wrapper over a library
function. Errors print one line per problem (``file:line: message``) to stderr and exit
with the codes listed in :mod:`graphkit.errors`.

Only the module of the command being run is imported (``graphkit --help`` lists the commands
from :data:`graphkit.commands.COMMANDS` and imports none): a command module may import the
library it wraps at its top, and ``graphkit query --list`` does not pay for the exporters, the
reasoners or rdflib (measured: 0.1 s instead of 0.7 s).
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import os
import re
import shlex
import sys

from . import interrupts
from .commands import COMMANDS, module_name
from .errors import (EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_INTERRUPTED, EXIT_TERMINATED, EnvironmentProblem,
                     GraphkitError, close_names, did_you_mean, printable, shorten)
from .project import Project, unusable_cache

# A message that starts with the place it is about, as compilers write it (`file:line: ...`), is
# printed as it is, so editors and CI annotations find the place; any other line gets the command.
_LOCATED = re.compile(r"[^\s:]+:\d+(:\d+)?: ")
_SURROGATE = re.compile("[\udc80-\udcff]")       # bytes of an argument that are no UTF-8 (surrogateescape)

DESCRIPTION = """\
graphkit: the pediatric leukemia knowledge graph.

Typical session:
  graphkit build                      build ontology/all.ttl from the curated sources, print a summary
  graphkit build --check              exit 1 if the committed release is stale or fails validation
  graphkit validate                   QC report: SHACL, consistency, QC queries, quotes (docs/quality.md)
  graphkit query --list               the catalogue of named questions (queries/README.md)
  graphkit query symptoms-of-disease --param disease=JMML
  graphkit sparql my.rq --format csv  any SPARQL 1.1 query; add --endpoint URL to ask a server instead
  graphkit conformance --endpoint URL does a triple store answer the whole catalogue as graphkit does?
  graphkit link --check               verify every cross-reference against the reference data
  graphkit export --seed jmml --hops 2 --format html -o jmml.html
  graphkit serve                      web pages and a SPARQL server on http://127.0.0.1:7878/
  graphkit push --endpoint URL        replace the graphs of a triple store (Graph Store Protocol)
  graphkit dump -o release.nq         the named graphs as N-Quads (or .trig) for your own triple store
  graphkit load-external hp.obo       a large ontology beside the graph, for every later command

Exit codes: 0 ok, 1 check failed, 2 bad input, 3 environment (endpoint, port, missing file).
"""


def requested_command(argv: list[str]) -> str | None:
    """The command named in ``argv`` (after the global options), if it is one."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--root":
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg if arg in COMMANDS else None
    return None


class Parser(argparse.ArgumentParser):
    """argparse with a bad argument said in one line, as every other bad input is (argparse
    prints the whole usage block first), naming the help to read; an unknown option gets a
    suggestion from the options of the command it was given to."""

    def error(self, message: str):
        slip = re.match(r"argument COMMAND: invalid choice: '([^']*)'", message)
        close = close_names(slip.group(1), COMMANDS, n=1) if slip else []
        if close:       # a misspelled command: the nearest, not the list of all of them
            message = f"no command {slip.group(1)!r}{did_you_mean(close)}"
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def parse_args(self, args=None, namespace=None):
        parsed, unknown = self.parse_known_args(args, namespace)
        command = self.commands.get(getattr(parsed, "command", None), self)
        options = [option for action in command._actions for option in action.option_strings]
        # A long option with one dash ("-param x=1") is read as a short one and its value ("-p aram").
        words = sys.argv[1:] if args is None else list(args)
        dashed = next((word for word in words if re.fullmatch(r"-[a-z][a-z-]+", word) and "-" + word in options), None)
        slip = f"{dashed} has one dash (read as {dashed[:2]} {dashed[2:]}): write -{dashed}" if dashed else ""
        if unknown:
            first = next((word for word in unknown if word.startswith("-")), unknown[0])
            close = close_names(first.split("=", 1)[0], options, n=1)
            # "--param disease JMML": the value after a name without "=" is left over
            named = next((f"{option} takes NAME=VALUE: write {option} {shlex.quote(f'{name}={value}')}"
                          for option, name, value in zip(words, words[1:], words[2:])
                          if option in ("--param", "-p") and "=" not in name and value == unknown[0]), "")
            # "query symptoms-of-disease disease=jmml": the name=value without its --param
            bare = (f"a parameter is given with --param: write --param {shlex.quote(first)}"
                    if "--param" in options and re.fullmatch(r"[A-Za-z_]\w*=.*", first, re.S) else "")
            # "--param drug=cranial radiation": the words after the first space are left over
            at = next((i for i in range(2, len(words)) if words[i] == unknown[0] and words[i - 2] in ("--param", "-p")
                       and "=" in words[i - 1]), None)
            spaced = ""
            if at is not None and not named:
                rest = list(itertools.takewhile(lambda word: not word.startswith("-"), words[at:]))
                spaced = (f"a value with spaces is quoted: write {words[at - 2]} "
                          f"{shlex.quote(' '.join([words[at - 1], *rest]))}")
            # "query side-effects-of-drug cranial_radiation": a value without --param and its name
            query = getattr(parsed, "name", None) if command.prog.split()[-1] == "query" else None
            value = (f"a value is given with --param NAME=VALUE: write --param NAME={shlex.quote(first)}, a NAME "
                     f"from {command.prog} {query} --help"
                     if query and not first.startswith("-") and "=" not in first else "")
            said = slip or named or bare or spaced or value
            hint = f"; {said}" if said else did_you_mean(close, quoted=False)
            command.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
        if slip:
            command.error(slip)
        return parsed


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of the command ``only`` (its module imported), or, without ``only``, the list
    of every command for ``graphkit --help`` (no command module imported)."""
    parser = Parser(prog="graphkit", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.commands = {}
    parser.add_argument("--root", help="project directory (default: $GRAPHKIT_ROOT, else the project the command "
                                       "runs in, else the checkout graphkit was installed from)")
    parser.add_argument("--version", action="version", version=f"graphkit {sys.modules[__package__].__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS.items():
        if only is None:
            sub.add_parser(name, help=summary, add_help=False)
        elif name == only:
            module = importlib.import_module(module_name(name))
            # A command may give its own -h/--help (query: a named query's own help).
            command = sub.add_parser(name, help=summary, description=module.HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     add_help=getattr(module, "ADD_HELP", True))
            parser.commands[name] = command
            module.register(command)
            # Accept --root after the subcommand too (graphkit build --root DIR).
            command.add_argument("--root", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = make_parser(requested_command(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    undecodable = next((arg for arg in argv if _SURROGATE.search(arg)), None)
    if undecodable is not None:              # the shell passed bytes that are no UTF-8: Python kept them as surrogates
        shown = undecodable.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        print(f"graphkit {args.command}: an argument is not UTF-8 text: {shorten(shown)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    checkout = Project.fallback(args.root)
    if checkout is not None:                 # a build here would rewrite another directory's files: said
        print(f"graphkit: the current directory is in no graphkit project; using {checkout}, the checkout "
              f"graphkit runs from (--root DIR or GRAPHKIT_ROOT chooses)", file=sys.stderr)
    cache_problem = unusable_cache()
    if cache_problem:
        print(f"graphkit: {cache_problem}", file=sys.stderr)
    stdout, sys.stdout = sys.stdout, StandardOutput(sys.stdout)
    try:
        code = int(args.run(args) or 0)
        sys.stdout.flush()                   # a full disk behind standard output is reported here
        return code
    except GraphkitError as exc:
        for line in str(exc).splitlines() or [exc.__class__.__name__]:
            line = printable(shorten(line, 1000))    # whatever a message quotes, it stays a readable line
            print(line if _LOCATED.match(line) else f"graphkit {args.command}: {line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        return interrupted_exit(exc)
    except BrokenPipeError:                  # written past StandardOutput (a binary stream) to a closed pipe
        _discard(stdout)
        return 0
    except OSError as exc:                   # an I/O error no command turned into a message of its own
        print(f"graphkit {args.command}: {shorten(exc.filename) + ': ' if exc.filename else 'I/O error: '}"
              f"{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    finally:
        sys.stdout = stdout


def interrupted_exit(exc: KeyboardInterrupt) -> int:
    """Ctrl-C or SIGTERM reported: one line and the exit code a shell gives for the signal."""
    if isinstance(exc, interrupts.Terminated):
        print(" ".join(["terminated", *getattr(exc, "__notes__", ())]), file=sys.stderr)
        return EXIT_TERMINATED
    print(" ".join(["interrupted", *getattr(exc, "__notes__", ())]), file=sys.stderr)
    return EXIT_INTERRUPTED


class StandardOutput:
    """``sys.stdout`` while a command runs: a failure to write it (a full disk behind a
    redirection) is one line naming standard output, exit code 3; what is left unwritten is
    discarded, so the interpreter's last flush does not fail again. A reader that closes the
    pipe early gets no more, and the command keeps its own exit code."""

    def __init__(self, stream):
        self._stream = stream

    def _guarded(self, operation, *args):
        try:
            return operation(*args)
        except BrokenPipeError:
            # The reader has what it wanted (`graphkit validate | head`): the rest goes nowhere
            # and the command goes on to its exit code, which a check's failure must keep.
            _discard(self._stream)
            try:
                return operation(*args)
            except OSError:                  # not a real file (a test's capture): nothing to discard into
                return len(args[0]) if args else None
        except OSError as exc:
            _discard(self._stream)
            raise EnvironmentProblem(f"cannot write standard output: {exc.strerror or exc}") from None

    def write(self, text: str) -> int:
        return self._guarded(self._stream.write, text)

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _discard(stream) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):     # not a real file (tests capture it)
        pass


def console() -> None:
    """The ``graphkit`` command (and ``python -m graphkit``): :func:`main`, then out of the process
    without the interpreter's teardown. A build leaves about 10^6 objects (its triples, indexes, QC
    data) that a normal exit frees one by one after everything is written and printed: 0.1-0.25 s
    of a 2 s command (measured), which mypy's ``hard_exit`` skips the same way. What that exit does
    for graphkit is done here first: both output streams flushed, logging's handlers closed. Its
    stores were closed when written (:mod:`graphkit.storecache`), and its threads are daemons
    (:mod:`graphkit.background`), which an exit does not wait for either. ``--help``, ``--version``
    and an error argparse reports leave through ``SystemExit`` as usual."""
    interrupts.terminate_as_interrupt()
    try:
        code = main()
    except KeyboardInterrupt as exc:         # before the command ran (its modules loading)
        code = interrupted_exit(exc)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):        # main has reported it (or the stream is gone)
            pass
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    os._exit(code)


if __name__ == "__main__":
    console()
