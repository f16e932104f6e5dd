"""The command line as a whole: a directory that is not a project, a full standard output, and
the same exit code for a missing file whichever command reads it (README: 3, environment)."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys

import pytest

from graphkit.commands import COMMANDS

from .conftest import FIXTURES, ROOT, run_cli


def test_a_root_that_is_not_a_project(cli, tmp_path):
    missing = cli("--root", "/nonexistent", "query", "--list")
    assert missing.code == 3 and missing.out == ""
    assert missing.err == "graphkit query: /nonexistent: no such directory (--root)\n"
    empty = cli("query", "--list", root=tmp_path)
    assert empty.code == 3 and empty.out == ""
    assert empty.err == f"graphkit query: {tmp_path} is not a graphkit project: it has no ontology/release.yaml (--root)\n"


def test_installed_without_e_the_project_is_the_one_the_command_runs_in(mini, tmp_path, monkeypatch):
    """pip install . puts graphkit in site-packages, which holds no project: the current
    directory (or the nearest parent that is a project) is the project then."""
    import graphkit.project as project_module

    monkeypatch.delenv("GRAPHKIT_ROOT", raising=False)
    (tmp_path / "site-packages" / "graphkit").mkdir(parents=True)
    monkeypatch.setattr(project_module, "__file__", str(tmp_path / "site-packages" / "graphkit" / "project.py"))
    monkeypatch.chdir(mini.root / "queries")
    assert project_module.Project.locate().root == mini.root.resolve()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(project_module.EnvironmentProblem,
                       match=rf"^{re.escape(str(tmp_path))} is not a graphkit project: .*\(neither the current directory "
                             r"nor its parents, nor the checkout graphkit runs from; give --root DIR\)"):
        project_module.Project.locate()


def test_the_project_the_command_runs_in_comes_before_the_checkout(mini):
    """Installed with -e, graphkit had always used its own checkout, even run inside another
    project; now the directory it runs in (or its nearest parent) that is a project, as git
    finds its repository. The build names its files whole when it ran elsewhere."""
    environment = {k: v for k, v in os.environ.items() if k != "GRAPHKIT_ROOT"}
    proc = subprocess.run([sys.executable, "-m", "graphkit", "build", "--check"], cwd=mini.root / "ontology",
                          env=environment, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{mini.root.resolve()}/ontology/all.ttl up to date: ")


@pytest.mark.parametrize("args", [["sparql", "-"], ["query", "--list"], ["build", "--check"],
                                  ["export", "--seed", "jmml", "--format", "nt", "-o", "-"]],
                         ids=lambda args: " ".join(args[:2]))
def test_a_full_standard_output_is_one_line_and_exit_3(args, mini_built):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "graphkit", "--root", str(mini_built.root), *args], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=300,
                              input="SELECT * WHERE { ?s ?p ?o }" if args[0] == "sparql" else None)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.splitlines()[-1] == f"graphkit {args[0]}: cannot write standard output: No space left on device"
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_a_missing_file_is_exit_3_in_every_command(cli, tmp_path):
    missing = tmp_path / "missing"
    results = {
        "sparql": cli("sparql", f"{missing}.rq"),
        "validate": cli("validate", f"{missing}.ttl"),
        "export --entities": cli("export", "--entities", f"{missing}.txt", "--format", "nt", "-o", "-"),
        "export --construct": cli("export", "--construct", f"{missing}.rq", "--format", "nt", "-o", "-"),
        "load-external": cli("load-external", f"{missing}.obo", env={"GRAPHKIT_CACHE": str(tmp_path / "cache")}),
    }
    for command, result in results.items():
        assert result.code == 3, (command, result)
        assert len(result.err.splitlines()) == 1 and str(missing) in result.err, (command, result)


@pytest.mark.parametrize("kept", [0.5, 100], ids=["cut in the middle", "cut within its first block"])
def test_a_truncated_gzip_file(cli, tmp_path, kept):
    """Cut within the first bytes, read to tell its format, it ended in an EOFError traceback."""
    data = gzip.compress(b"".join(b"<http://x/s%d> <http://x/p> <http://x/o> .\n" % n for n in range(20000)))
    path = tmp_path / "onto.nt.gz"
    path.write_bytes(data[:int(len(data) * kept) if kept < 1 else int(kept)])
    result = cli("load-external", str(path), env={"GRAPHKIT_CACHE": str(tmp_path / "cache")})
    assert result.code == 3 and result.err.startswith(f"graphkit load-external: cannot read the ontology file {path}: damaged compressed")
    assert len(result.err.splitlines()) == 1 and not list((tmp_path / "cache").rglob("*.nt"))


def test_a_reader_that_closes_the_pipe_leaves_the_exit_code_of_the_check(tmp_path):
    """`graphkit validate bad.ttl | head -1`: the reader closes the pipe; the command writes no
    more, prints no traceback and keeps its verdict (1: a violation), as `pipefail` scripts rely
    on. Here the pipe is closed before the command writes its first byte."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        proc = subprocess.run([sys.executable, "-m", "graphkit", "validate", str(FIXTURES / "qc-drug-as-disease.ttl")],
                              stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120, cwd=str(ROOT))
    finally:
        os.close(writer)
    assert (proc.returncode, proc.stderr) == (1, "")


def test_version(cli):
    from importlib.metadata import version

    result = cli("--version")
    assert (result.code, result.out) == (0, f"graphkit {version('graphkit')}\n")


def test_the_command_leaves_its_output_whole_and_mains_exit_code(cli, mini_built):
    """``graphkit`` leaves the process without the interpreter's teardown (graphkit.cli.console):
    an answer far larger than a pipe's buffer arrives whole, an error is its one line and exit
    code, and --version still leaves through argparse's exit."""
    every_triple = "SELECT * WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o"
    command = run_cli("sparql", "-", "--format", "csv", root=mini_built.root, input=every_triple)
    in_process = cli("sparql", "-", "--format", "csv", root=mini_built.root, input=every_triple)
    assert command.code == in_process.code == 0, command.err
    assert len(command.out) > 4 * 65536 and command.out == in_process.out
    unknown = run_cli("query", "no-such-query", root=mini_built.root)
    assert unknown.code == 2 and len(unknown.err.splitlines()) == 1 and "no-such-query" in unknown.err
    assert unknown.err == cli("query", "no-such-query", root=mini_built.root).err
    version = run_cli("--version")
    assert (version.code, version.out) == (0, cli("--version").out)


@pytest.mark.parametrize("args, line", [
    (("export", "--seed", "jmml", "--hops", "two"),
     "graphkit export: argument --hops: invalid int value: 'two' (see graphkit export --help)"),
    (("export", "--seeds", "jmml", "-f", "csv"),
     "graphkit export: unrecognized arguments: --seeds jmml; did you mean --seed? (see graphkit export --help)"),
    (("query", "subtypes-of", "--parm", "entity=jmml"),
     "graphkit query: unrecognized arguments: --parm entity=jmml; did you mean --param? (see graphkit query --help)"),
    (("frobnicate",), "graphkit: argument COMMAND: invalid choice: 'frobnicate' (choose from 'build', "),
    (("bulid",), "graphkit: no command 'bulid'; did you mean 'build'? (see graphkit --help)"),
    (("query", "subtypes-of", "-param", "entity=jmml"),
     "graphkit query: unrecognized arguments: entity=jmml; -param has one dash (read as -p aram): write --param "
     "(see graphkit query --help)"),
    (("query", "symptoms-of-disease", "--param", "disease", "JMML"),
     "graphkit query: unrecognized arguments: JMML; --param takes NAME=VALUE: write --param disease=JMML "
     "(see graphkit query --help)"),
    (("query", "symptoms-of-disease", "-p", "disease", "JMML in relapse"),
     "graphkit query: unrecognized arguments: JMML in relapse; -p takes NAME=VALUE: write -p 'disease=JMML in "
     "relapse' (see graphkit query --help)"),
    (("query", "symptoms-of-disease", "disease=JMML in relapse"),
     "graphkit query: unrecognized arguments: disease=JMML in relapse; a parameter is given with --param: write "
     "--param 'disease=JMML in relapse' (see graphkit query --help)"),
    (("sparql", "q.rq", "disease=jmml"),
     "graphkit sparql: unrecognized arguments: disease=jmml; a parameter is given with --param: write "
     "--param disease=jmml (see graphkit sparql --help)"),
    # a newcomer's value with a space, unquoted, and a value given without --param at all
    (("query", "side-effects-of-drug", "--param", "drug=cranial", "radiation", "--format", "csv"),
     "graphkit query: unrecognized arguments: radiation; a value with spaces is quoted: write --param "
     "'drug=cranial radiation' (see graphkit query --help)"),
    (("query", "side-effects-of-drug", "cranial radiation"),
     "graphkit query: unrecognized arguments: cranial radiation; a value is given with --param NAME=VALUE: write "
     "--param NAME='cranial radiation', a NAME from graphkit query side-effects-of-drug --help "
     "(see graphkit query --help)"),
])
def test_a_bad_argument_is_one_line_naming_the_help(cli, args, line):
    """argparse printed its usage block first; the README promises one clear line and exit 2."""
    result = cli(*args)
    assert result.code == 2 and result.err.count("\n") == 1 and result.err.startswith(line), result



@pytest.mark.parametrize("command", COMMANDS)
def test_every_commands_help_names_its_exit_codes(cli, command):
    """`graphkit query --help` and eight other commands' help did not say how they exit: only the
    README's table and `graphkit --help`'s one line did."""
    result = cli(command, "--help")
    paragraph = re.search(r"^Exit codes: (.*?)(?:\n\n|\Z)", result.out, re.S | re.M)
    assert result.code == 0 and paragraph, f"graphkit {command} --help has no 'Exit codes:' paragraph"
    codes = [int(code) for code in re.findall(r"(?:^|; )(\d+) ", paragraph.group(1))]
    assert codes[0] == 0 and codes == sorted(set(codes)) and set(codes) <= {0, 1, 2, 3}, codes

# A count over a three-way cross product: the engine works on it, in native code for pyoxigraph,
# without ever giving a solution.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.slow
def test_a_query_past_its_timeout_is_one_line_and_exit_3(mini_built, engine):
    result = run_cli("sparql", "-", "--timeout", "1", "--engine", engine, root=mini_built.root, input=RUNAWAY,
                     timeout=120)
    assert (result.code, result.out) == (3, "")
    assert result.err == (f"graphkit sparql: the query did not finish within 1 s, its timeout, on the embedded {engine} "
                          "store (a query too broad may need a LIMIT or a narrower pattern)\n")


def _cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")     # utime + stime


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads the process's CPU time from /proc")
@pytest.mark.parametrize("signum, code, said", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
                         ids=["ctrl-c", "sigterm"])
@pytest.mark.slow
def test_ctrl_c_stops_a_query_on_the_embedded_store_at_once(mini_built, tmp_path, signum, code, said):
    """pyoxigraph evaluates without returning to Python, where a signal is handled: the command
    waits for the query in another thread, so Ctrl-C ends it at once (it used to run on). SIGTERM
    (a `kill`, a job stopped) is handled the same way: it ended the process silently."""
    import time

    query = tmp_path / "runaway.rq"
    query.write_text(RUNAWAY)
    proc = subprocess.Popen([sys.executable, "-m", "graphkit", "--root", str(mini_built.root), "sparql", str(query),
                             "--timeout", "600"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        # Inside the query for sure: more CPU time than starting and opening the store take.
        deadline = time.monotonic() + 120
        while _cpu_seconds(proc.pid) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert proc.poll() is None and _cpu_seconds(proc.pid) >= 3
        proc.send_signal(signum)
        returned = proc.wait(timeout=10)
    finally:
        proc.kill()
        out, err = proc.communicate()
    assert (returned, out, err) == (code, "", said + "\n")


def test_timeout_zero_is_no_limit_and_a_negative_one_is_bad_input(cli, mini_built):
    """As `serve --query-timeout 0`: 0 is no limit (it timed the query out at once); a negative
    number is bad input, exit 2 (it was reported as the environment's failure, exit 3)."""
    result = cli("sparql", "-", "--timeout", "0", "--format", "csv", root=mini_built.root,
                 input="SELECT ?s WHERE { ?s a ?c } LIMIT 2")
    assert result.code == 0 and len(result.out.splitlines()) == 3, result
    # A negative one, and one too long for the platform's clocks (1e10 s ended in an OverflowError
    # traceback, exit 1), are bad input; so in the API, where "abc" was a TypeError and NaN a
    # timeout at once.
    # A whole number is said in full: 31536001 was "got 3.1536e+07", which reads as within the limit.
    for given, said in (("-1", "-1"), ("1e10", "10,000,000,000"), ("31536001", "31,536,001"), ("1e30", "1e+30"),
                        ("-0.5", "-0.5")):
        result = cli("sparql", "-", "--timeout", given, root=mini_built.root, input="ASK {}")
        assert result.code == 2 and result.err == (
            f"graphkit sparql: argument --timeout: a timeout takes 0 (no limit) to 31,536,000 seconds (a year); "
            f"got {said} (see graphkit sparql --help)\n"), result
    import graphkit
    from graphkit.errors import QueryError

    for given, said in ((-2, "got -2"), (float("nan"), "got nan"), (float("inf"), "got inf"),
                        ("abc", "a timeout is a number of seconds, or 0 for no limit; got 'abc'")):
        with pytest.raises(QueryError, match=said):
            graphkit.query("ASK {}", timeout=given)


def test_a_message_located_in_a_file_is_printed_as_compilers_write_it(cli, mini, tmp_path):
    """`file:line: message` lines stay as they are (editors and CI annotations read them); any
    other error line names the command, also one that starts with a path."""
    missing = cli("load-external", str(tmp_path / "missing.obo"), root=mini.root)
    assert missing.code == 3 and missing.err == (
        f"graphkit load-external: cannot read the ontology file {tmp_path / 'missing.obo'}: No such file or directory\n")
    header = tmp_path / "listed.rq"
    header.write_text("#+ summary: s\n#+ params: [disease]\nSELECT * WHERE { ?disease ?p ?o }\n", encoding="utf-8")
    led = cli("sparql", str(header), root=mini.root)
    assert led.code == 2 and led.err.startswith(f"graphkit sparql: {header}: #+ params must map"), led
    statements = next((mini.root / "ontology" / "curation" / "statements").glob("*.yaml"))
    text = statements.read_text(encoding="utf-8")
    statements.write_text(text.replace("quote: ", "quote: NOT IN THE SOURCE ", 1), encoding="utf-8")
    broken = cli("build", root=mini.root)
    assert broken.code == 2, broken
    assert re.match(r"ontology/curation/statements/[^:]+\.yaml:\d+: ", broken.err), broken.err


def test_a_query_file_with_parameters_needs_no_summary(cli, mini_built, tmp_path):
    """`graphkit sparql q.rq` said "the header needs a summary" of a file that graphkit.query ran."""
    query = tmp_path / "mine.rq"
    query.write_text("#+ params:\n#+   d: {type: entity, default: jmml}\nSELECT ?p WHERE { ?d ?p ?o } LIMIT 1\n",
                     encoding="utf-8")
    result = cli("sparql", str(query), "--format", "csv", root=mini_built.root)
    assert result.code == 0 and result.out.startswith("p\n"), result


def test_a_qc_check_run_with_graphkit_sparql_checks_what_validate_checks(cli):
    """On the union of every graph (the catalogue's default graph) duplicate_label found 322 rows
    and edge-without-evidence 1,457, all of them the inferred graph's and the import modules'
    triples: `graphkit sparql` runs a QC check on the release as curated, as `graphkit validate`
    does, and says so. The counts are validate's (docs/quality.md: 38 entities without a xref)."""
    counts = {}
    for rule in ("duplicate_label-violation", "edge-without-evidence-violation", "dangling-reference-violation",
                 "missing-xref-warning"):
        result = cli("sparql", str(ROOT / "queries" / "qc" / f"{rule}.rq"), "--format", "csv")
        assert result.code == 0 and result.err == (
            "graphkit sparql: note: a QC check: run on the release as curated (the schema, asserted and "
            "provenance graphs), as graphkit validate runs it\n"), result
        counts[rule] = len(result.out.splitlines()) - 1
    assert counts == {"duplicate_label-violation": 0, "edge-without-evidence-violation": 0,
                      "dangling-reference-violation": 0, "missing-xref-warning": 38}


def test_a_qc_check_sent_to_an_endpoint_says_which_graphs_validate_checks(cli, store):
    """An endpoint's default graph is the server's choice: a QC check sent without --default-graph
    says which graphs `graphkit validate` checks; sent with them, it finds what validate finds."""
    import pyoxigraph as ox

    from graphkit.store import CURATED_GRAPHS

    from .httptools import StoreEndpoint

    theirs = ox.Store()
    theirs.extend(store.ox.quads_for_pattern(None, None, None, None))   # the release in its named graphs
    check = str(ROOT / "queries" / "qc" / "missing-xref-warning.rq")
    with StoreEndpoint(theirs) as endpoint:
        bare = cli("sparql", check, "--format", "csv", "--endpoint", endpoint.url)
        named = cli("sparql", check, "--format", "csv", "--endpoint", endpoint.url,
                    *[arg for graph in CURATED_GRAPHS for arg in ("--default-graph", graph)])
    assert bare.code == 0 and bare.err.startswith(
        "graphkit sparql: note: a QC check, which graphkit validate runs on the release as curated: name its "
        "graphs with --default-graph (<https://w3id.org/graphkit/graph/schema>, "), bare
    assert named.code == 0 and named.err == "" and len(named.out.splitlines()) == 1 + 38, named


def test_the_qc_checks_run_with_graphkit_sparql(cli, mini_built, tmp_path):
    """`graphkit sparql queries/qc/RULE.rq` refused every QC check with "malformed #+ header": their
    one-line summaries and descriptions hold ": ", which the catalogue's YAML header reads as a
    mapping. A QC check's header (summary and description) declares no parameter: it runs as it is.
    Another header is still read as the catalogue's (a misspelt key is named)."""
    checks = sorted((ROOT / "queries" / "qc").glob("*.rq"))
    assert len(checks) > 30
    for path in checks:
        result = cli("sparql", str(path), "--format", "csv", root=mini_built.root)
        assert result.code == 0 and result.out.startswith("entity,property,value"), (path.name, result)
    misspelt = tmp_path / "misspelt.rq"
    misspelt.write_text("#+ sumary: s\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    result = cli("sparql", str(misspelt), root=mini_built.root)
    assert result.code == 2 and "unknown header key 'sumary'" in result.err, result


@pytest.mark.slow
def test_the_sparql_helps_query_file_answers_with_its_default_and_its_example(cli, tmp_path):
    """The file `graphkit sparql --help` shows, "a default that gives an answer", gave 0 rows (JMML's
    symptoms are stated for JMML in relapse), and so did its --param example."""
    from graphkit.commands.sparql import HELP
    header = [line.strip() for line in HELP.splitlines() if line.strip().startswith(("#+", "SELECT ?symptom"))]
    query = tmp_path / "my-query.rq"
    query.write_text("\n".join(header) + "\n", encoding="utf-8")
    example = re.search(r"graphkit sparql my-query\.rq --param (\S+)", HELP).group(1)
    for args in ((), ("--param", example)):
        result = cli("sparql", str(query), "--format", "csv", *args)
        assert result.code == 0 and len(result.out.splitlines()) > 1, (args, result)


def test_outside_a_project_the_checkout_used_is_said(tmp_path):
    """From a directory in no project, commands use the checkout graphkit runs from (the quick
    start works from anywhere), and say so: a build there rewrites another directory's files."""
    environment = {k: v for k, v in os.environ.items() if k != "GRAPHKIT_ROOT"}
    proc = subprocess.run([sys.executable, "-m", "graphkit", "query", "--list", "--format", "csv"], cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=120, env=environment)
    assert proc.returncode == 0 and proc.stdout.startswith("name,")
    assert proc.stderr == (f"graphkit: the current directory is in no graphkit project; using {ROOT}, the checkout "
                           f"graphkit runs from (--root DIR or GRAPHKIT_ROOT chooses)\n")
    inside = subprocess.run([sys.executable, "-m", "graphkit", "query", "--list", "--format", "csv"], cwd=str(ROOT),
                            capture_output=True, text=True, timeout=120, env=environment)
    assert inside.stderr == ""


@pytest.mark.parametrize("args, message", [
    (["query", "search-entities", "--param", "text=\udcff\udcfe"],
     "graphkit query: an argument is not UTF-8 text: text=\\xff\\xfe"),
    (["sparql", 'SELECT * WHERE { ?s ?p "\udcff" }'], "graphkit sparql: an argument is not UTF-8 text: "),
    (["sparql", "ASK {}", "--endpoint", "http://[::1"],
     "graphkit sparql: argument --endpoint: 'http://[::1' is not a URL (Invalid IPv6 URL)"),
    (["sparql", "ASK {}", "--endpoint", "http://127.0.0.1:abc/q"], "'http://127.0.0.1:abc/q' is not a URL (Port"),
    (["sparql", "ASK {}", "--endpoint", "http://a b/q"], "is not an http:// or https:// URL with a host"),
    (["push", "--endpoint", "http://127.0.0.1:99999/store"], "is not a URL (Port out of range 0-65535)"),
    (["conformance", "--endpoint", "ftp://x/q"], "'ftp://x/q' is not an http:// or https:// URL with a host"),
    (["sparql", "ASK {}", "--timeout", "1e400"], "argument --timeout: '1e400' is not a number of seconds"),
    (["query", "subtypes-of", "--timeout", "nan"], "argument --timeout: 'nan' is not a number of seconds"),
])
def test_arguments_that_are_no_text_or_no_url_are_one_line(cli, args, message):
    """Bytes that are no UTF-8 (Python keeps them as surrogates) had ended in a traceback, a URL
    with a bad port in 'the endpoint broke off its answer' (exit 3), one with a bad host in a
    traceback."""
    result = cli(*args)
    assert result.code == 2 and message in result.err and len(result.err.splitlines()) == 1, result


def test_standard_input_that_is_no_utf8_is_one_line():
    done = subprocess.run([sys.executable, "-m", "graphkit", "sparql", "-"], input=b'SELECT * WHERE { ?s ?p "\xff" }',
                          capture_output=True, cwd=ROOT, timeout=120)
    assert (done.returncode, done.stderr) == (2, b"graphkit sparql: standard input is not UTF-8 text (byte 24)\n")


@pytest.mark.parametrize("given, said", [("99999999999", "a timeout takes 0 (no limit) to 31,536,000 seconds"),
                                         ("2.5", "'2.5' is not a whole number of seconds")])
def test_a_server_timeout_the_platform_cannot_wait_is_bad_input(cli, given, said):
    """`serve --query-timeout 99999999999` started a server whose every query and page failed
    (an OverflowError in each wait, nothing logged)."""
    result = cli("serve", "--query-timeout", given, "--port", "1")
    assert result.code == 2 and said in result.err and result.out == ""


def test_a_bind_address_that_is_none_is_refused_before_any_warning(cli):
    """`serve --bind 999.1.1.1` warned that the graph would be reachable from other machines,
    then failed to bind."""
    result = cli("serve", "--bind", "999.1.1.1", "--port", "7996")
    assert result.code == 2 and result.err.startswith("graphkit serve: --bind '999.1.1.1' is no address to listen on")
    assert "reachable from other machines" not in result.err


def test_a_cache_setting_that_names_no_directory_is_said_once(cli, tmp_path):
    """GRAPHKIT_CACHE naming a file: every cache was skipped without a word (each command slower)."""
    (tmp_path / "cache").write_text("not a directory\n")
    result = cli("query", "--list", "--format", "csv", env={"GRAPHKIT_CACHE": str(tmp_path / "cache")})
    assert result.code == 0 and result.out.startswith("name,")
    assert result.err == (f"graphkit: GRAPHKIT_CACHE={tmp_path / 'cache'} is not a directory: every command runs "
                          "without its caches (slower)\n")
    assert cli("query", "--list", "--format", "csv", env={"GRAPHKIT_CACHE": str(tmp_path / "new")}).err == ""
