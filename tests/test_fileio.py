"""Writing files: atomic for regular files (permissions kept), written through for devices, FIFOs
and what symbolic links lead to (never replaced), one line naming the path for every failure,
no temporary file left behind, no directory created unless asked."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from graphkit.errors import EnvironmentProblem, GraphkitError
from graphkit.fileio import atomic_path, atomic_write_text, atomic_writer, read_text

from .faults import fifo_reader, fill, read_only, tmpfs


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_a_regular_file_is_replaced_keeping_its_permissions(tmp_path):
    path = tmp_path / "out.ttl"
    path.write_text("old\n")
    path.chmod(0o640)
    inode = path.stat().st_ino
    atomic_write_text(path, "new\n")
    assert path.read_text() == "new\n" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != inode and leftovers(tmp_path) == []       # renamed over, not rewritten


def test_a_new_file_gets_the_umask(tmp_path):
    previous = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "new.ttl", "x\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.ttl").stat().st_mode) == 0o640


def test_a_symbolic_link_stays_a_link_and_its_target_is_replaced(tmp_path):
    target = tmp_path / "real.ttl"
    target.write_text("old\n")
    target.chmod(0o604)
    link = tmp_path / "link.ttl"
    link.symlink_to("real.ttl")
    atomic_write_text(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == "real.ttl"
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o604
    assert leftovers(tmp_path) == []


def test_devices_are_written_through_never_replaced(tmp_path):
    atomic_write_text("/dev/null", "discarded\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(EnvironmentProblem, match=r"^cannot write /dev/full: No space left on device$"):
        atomic_write_text("/dev/full", "x" * 100_000)
    link = tmp_path / "full.ttl"
    link.symlink_to("/dev/full")
    with pytest.raises(EnvironmentProblem, match=rf"^cannot write {link}: No space left on device$"):
        with atomic_path(link) as partial:              # a writer that takes a file name
            partial.write_text("x\n")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) and link.is_symlink()
    assert leftovers(tmp_path) == []


def test_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    with fifo_reader(fifo) as received:
        atomic_write_text(fifo, "through the pipe\n")
    assert received == [b"through the pipe\n"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_missing_directory_is_an_error_unless_asked(tmp_path):
    with pytest.raises(EnvironmentProblem, match=r"the directory .*typo does not exist \(--mkdir creates it\)$"):
        atomic_write_text(tmp_path / "typo" / "out.ttl", "x\n")
    assert not (tmp_path / "typo").exists()
    atomic_write_text(tmp_path / "made" / "deep" / "out.ttl", "x\n", mkdir=True)
    assert (tmp_path / "made" / "deep" / "out.ttl").read_text() == "x\n"


def test_a_failure_while_writing_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "out.ttl"
    path.write_text("old\n")
    with pytest.raises(EnvironmentProblem, match=rf"^cannot write {path}: No space left on device$"):
        with atomic_writer(path) as handle:
            handle.write("half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with pytest.raises(KeyboardInterrupt):
        with atomic_writer(path) as handle:
            handle.write("half")
            raise KeyboardInterrupt
    assert path.read_text() == "old\n" and leftovers(tmp_path) == []


def test_a_full_file_system(tmp_path):
    with tmpfs(tmp_path / "small", 64) as small:
        path = small / "out.ttl"
        path.write_text("old\n")
        fill(small)
        with pytest.raises(EnvironmentProblem, match=rf"^cannot write {path}: No space left on device$"):
            atomic_write_text(path, "x" * 200_000)
        assert path.read_text() == "old\n" and leftovers(small) == []


def test_a_read_only_file_system(tmp_path):
    with tmpfs(tmp_path / "ro", 64) as ro:
        path = ro / "out.ttl"
        path.write_text("old\n")
        read_only(ro)
        with pytest.raises(EnvironmentProblem, match=rf"^cannot write {path}: Read-only file system$"):
            atomic_write_text(path, "new\n")
        assert path.read_text() == "old\n"


def test_missing_input_files_are_the_environments(tmp_path):
    with pytest.raises(EnvironmentProblem, match=r"^cannot read the query file .*q.rq: No such file or directory$"):
        read_text(tmp_path / "q.rq", "the query file")
    (tmp_path / "latin1.rq").write_bytes(b"SELECT * { ?s ?p \"caf\xe9\" }")
    with pytest.raises(GraphkitError, match=r"latin1.rq: line 1: not UTF-8 text \(byte 0xe9, offset 21 of the file\)") as raised:     # bad input, exit 2
        read_text(tmp_path / "latin1.rq")
    assert not isinstance(raised.value, EnvironmentProblem) and raised.value.exit_code == 2


def test_a_loop_of_links_is_one_line(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    with pytest.raises(EnvironmentProblem, match=r"^cannot write .*loop: Too many levels of symbolic links$"):
        atomic_write_text(loop, "x\n")


def test_a_read_only_file_is_not_replaced():
    """A rename in a writable directory could replace a file made read-only; a user's open()
    could not, and neither does graphkit (tried as an ordinary user: root may write anything)."""
    with tempfile.TemporaryDirectory() as scratch:         # in a place the ordinary user can reach
        _read_only_file_is_kept(Path(scratch))


def _read_only_file_is_kept(tmp_path: Path) -> None:
    tmp_path.chmod(0o777)
    path = tmp_path / "kept.ttl"
    path.write_text("old\n")
    path.chmod(0o444)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:                                       # pragma: no cover - the child
        try:
            if os.geteuid() == 0:
                os.setuid(65534)
            atomic_write_text(path, "new\n")
            os.write(write, b"written")
        except EnvironmentProblem as exc:
            os.write(write, str(exc).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read, "rb") as answer:
        assert answer.read().decode() == f"cannot write {path}: Permission denied"
    assert path.read_text() == "old\n" and leftovers(tmp_path) == []


def test_an_input_longer_than_any_query_is_refused_not_read_to_its_end(cli, monkeypatch, tmp_path):
    """`graphkit sparql /dev/zero` (or `yes | graphkit sparql -`, an entity list that is a device)
    read until the system killed the process (exit 137), the machine swapping meanwhile."""
    for args, what in ((("sparql", "/dev/zero"), "the query file /dev/zero"),
                       (("export", "--entities", "/dev/zero", "-o", str(tmp_path / "x.ttl")), "the entity list /dev/zero"),
                       (("export", "--construct", "/dev/zero", "-o", str(tmp_path / "x.ttl")), "the query file /dev/zero")):
        result = cli(*args)
        assert (result.code, result.err) == (2, f"graphkit {args[0]}: {what} holds more than 64 MB: no query or "
                                                f"list is that long (a device, or another file than meant?)\n"), result
    assert not (tmp_path / "x.ttl").exists()
    monkeypatch.setattr("graphkit.fileio.MAX_TEXT_INPUT", 8)
    (tmp_path / "q.rq").write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    with pytest.raises(GraphkitError, match="holds more than"):
        read_text(tmp_path / "q.rq", "the query file")


def test_a_pipe_that_is_not_utf8_is_named_at_its_line():
    """The bytes were read again to find the line: a pipe, already drained, gave none."""
    reader, writer = os.pipe()
    os.write(writer, "SELECT\n(\"caf\xe9\" AS ?x) {}".encode("latin-1"))
    os.close(writer)
    try:
        with pytest.raises(GraphkitError, match=r"line 2: not UTF-8 text \(byte 0xe9"):
            read_text(f"/dev/fd/{reader}", "the query file")
    finally:
        os.close(reader)
