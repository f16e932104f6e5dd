"""Writing files safely: a reader (or a crash) never sees half a file, and what is not a regular
file is never replaced.

Every file graphkit writes (the release, exports, import modules, caches, the curation YAML it
edits) goes through here:

- a **regular file** (or a new one) is written to a temporary file in the same directory,
  flushed and synced, then renamed over the target, keeping the target's permissions (a new
  file gets the ones a plain ``open()`` would give it, under the umask);
- **anything else** (a device such as ``/dev/null`` or ``/dev/stdout``, a FIFO, a socket) is
  opened and written in place, as a shell redirection would: it is never replaced by a file;
- a **symbolic link** is followed: its target is handled by its own kind (a regular target is
  replaced atomically, the link stays a link);
- a regular file that may not be written (read-only for this user) is refused, as ``open()``
  would refuse it, although a rename in a writable directory could replace it;
- a missing directory is an error unless ``mkdir`` is given (a typo in a path must not create
  a tree somewhere);
- every failure (no space, read-only file system, permission, an I/O error of a device) is an
  :class:`~graphkit.errors.EnvironmentProblem` naming the path (exit code 3), and leaves no
  temporary file behind.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(d / "x.txt", "hello\\n")
>>> (d / "x.txt").read_text()
'hello\\n'
>>> atomic_write_text(d / "no" / "x.txt", "hello\\n")   # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graphkit.errors.EnvironmentProblem: cannot write .../no/x.txt: the directory .../no does not exist (--mkdir creates it)
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import EnvironmentProblem, GraphkitError

TEMPORARY_SUFFIX = ".tmp"


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def is_regular_target(path: Path) -> bool:
    """Whether writing ``path`` replaces a regular file (or creates one): the path, or what its
    symbolic links lead to, is a regular file or does not exist yet. ``/dev/stdout`` and the
    other names of an open file (``/dev/fd/N``, ``/proc/PID/fd/N``) are streams, whatever they lead to."""
    if str(Path(path).absolute()).startswith("/dev/") or os.path.realpath(path).startswith("/proc/"):
        return False
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:             # a loop of links, a component that is not a directory: open() will say
        return False


def temporary_name(path: Path) -> str:
    """The pattern of the temporary files written beside ``path`` (a prefix; ``*.tmp``)."""
    return f".{Path(path).name}."


def refuse_a_non_file(output: str, wanted: str = "give a file name") -> None:
    """An error (exit 2) when the ``-o`` of a command that writes one file names none: it is empty
    (``-o "$OUT"`` with OUT unset, which had been read as standard output or the current
    directory), or a directory: an existing one, or a path ending in a slash, which ``Path()``
    drops, so that a file of that name would be written where a directory was meant. ``wanted``
    says what to give instead."""
    if output == "":
        raise GraphkitError(f"-o is empty; {wanted}, or - for standard output")
    if output != "-" and (Path(output).is_dir() or output.endswith(("/", os.sep))):
        raise GraphkitError(f"-o {output} is a directory; {wanted}")


def failure(path, exc: OSError) -> EnvironmentProblem:
    """One line for an I/O error on ``path``."""
    return EnvironmentProblem(f"cannot write {path}: {exc.strerror or exc}")


def ensure_directory(directory: Path, shown, mkdir: bool) -> None:
    """``directory`` exists (created, with its parents, only when ``mkdir`` is given)."""
    if directory.is_dir():
        return
    if directory.exists():
        raise EnvironmentProblem(f"cannot write {shown}: {directory} is not a directory")
    if not mkdir:
        raise EnvironmentProblem(f"cannot write {shown}: the directory {directory} does not exist "
                                 f"(--mkdir creates it)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise failure(shown, exc) from None


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:      # some file systems cannot sync a directory; the rename stands
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def _temporary_beside(target: Path) -> Path:
    if target.exists() and not os.access(target, os.W_OK):
        # A rename would replace a file its owner made read-only: refuse, as open() would.
        code = errno.EROFS if os.statvfs(target).f_flag & os.ST_RDONLY else errno.EACCES
        raise OSError(code, os.strerror(code), str(target))
    fd, tmp = tempfile.mkstemp(prefix=temporary_name(target), suffix=TEMPORARY_SUFFIX, dir=target.parent)
    os.close(fd)
    return Path(tmp)


def _finish_temporary(tmp: Path, target: Path) -> None:
    """Sync ``tmp`` and give it the permissions (and, where allowed, the owner) of ``target``, or
    those of a new file under the umask."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~umask())       # temporary files are private; a new file is an ordinary one
        return
    if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(tmp, existing.st_uid, existing.st_gid)
        except PermissionError:
            pass
    os.chmod(tmp, stat.S_IMODE(existing.st_mode))


def write_temporary(target: Path, write) -> Path:
    """A synced temporary file beside the regular file ``target`` holding what ``write(path)``
    wrote there, with the permissions ``target`` has (or would get as a new file). The caller
    renames it over the target, or removes it."""
    tmp = _temporary_beside(target)
    try:
        write(tmp)
        _finish_temporary(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


@contextmanager
def atomic_path(path: Path, mkdir: bool = False):
    """A path to write to, for writers that take a file name (pyoxigraph's serializer). For a
    regular target it is a temporary file beside it, renamed over it on success; for anything
    else (a device, a FIFO) a temporary file whose content is then written into the target."""
    path = Path(path)
    ensure_directory(path.parent, path, mkdir)
    try:
        if not is_regular_target(path):
            with tempfile.TemporaryDirectory(prefix="graphkit-") as scratch:
                partial = Path(scratch) / path.name
                yield partial
                with open(partial, "rb") as source, open(path, "wb") as sink:
                    shutil.copyfileobj(source, sink)
            return
        target = Path(os.path.realpath(path))
        tmp = _temporary_beside(target)
        try:
            yield tmp
            _finish_temporary(tmp, target)
            os.replace(tmp, target)
            fsync_directory(target.parent)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise failure(path, exc) from None


@contextmanager
def atomic_writer(path: Path, mode: str = "w", mkdir: bool = False):
    """Open ``path`` for writing (see the module documentation): a temporary file renamed over a
    regular target on success, or the target itself when it is a device or a FIFO."""
    path = Path(path)
    binary = "b" in mode
    options = {"encoding": None if binary else "utf-8", "newline": None if binary else ""}
    if is_regular_target(path):
        with atomic_path(path, mkdir) as tmp, open(tmp, mode, **options) as handle:
            yield handle
        return
    ensure_directory(path.parent, path, mkdir)
    try:
        with open(path, mode, **options) as handle:
            yield handle
    except OSError as exc:
        raise failure(path, exc) from None


def atomic_write_text(path: Path, text: str, mkdir: bool = False) -> None:
    with atomic_writer(path, mkdir=mkdir) as handle:
        handle.write(text)


def atomic_write_bytes(path: Path, data: bytes, mkdir: bool = False) -> None:
    with atomic_writer(path, "wb", mkdir=mkdir) as handle:
        handle.write(data)


def where_not_utf8(data: bytes) -> tuple[int, str]:
    r"""The line of ``data`` (bytes that are not UTF-8 text) at which they stop being UTF-8, and
    what is wrong there, for a message that names the line of a file. A decoder reading a stream
    reports an offset within its block, so the caller hands the whole file.

    >>> where_not_utf8("naive\ncafé\n".encode("latin-1"))
    (2, 'not UTF-8 text (byte 0xe9, offset 9 of the file)')
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return (data.count(b"\n", 0, error.start) + 1,
                f"not UTF-8 text (byte {data[error.start]:#04x}, offset {error.start} of the file)")
    raise ValueError("the data is UTF-8 text")


# The most a query file, an entity list or a query on standard input may hold: graphkit serve takes
# queries of 16 MB. `graphkit sparql /dev/zero` (or a FIFO a program keeps writing to) had read
# until the system killed the process, the machine swapping meanwhile.
MAX_TEXT_INPUT = 64 << 20


def read_limited(stream, what: str) -> bytes:
    """At most :data:`MAX_TEXT_INPUT` bytes of ``stream``; more is bad input (exit code 2) naming ``what``."""
    data = stream.read(MAX_TEXT_INPUT + 1)
    if len(data) > MAX_TEXT_INPUT:
        raise GraphkitError(f"{what} holds more than {MAX_TEXT_INPUT >> 20} MB: no query or list is that "
                            "long (a device, or another file than meant?)")
    return data


def read_text(path, what: str = "file") -> str:
    """The text of an input file; a missing or unreadable one is an
    :class:`~graphkit.errors.EnvironmentProblem` naming it (exit code 3, as every missing file),
    one that is not UTF-8 text, or longer than :data:`MAX_TEXT_INPUT`, bad input (exit code 2, as
    the same text on standard input). The bytes are read once: a pipe cannot be read again."""
    try:
        with open(path, "rb") as handle:
            data = read_limited(handle, f"{what} {path}")
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    try:
        # utf-8-sig: a byte-order mark, as Windows editors write one, is no part of the text (a query
        # file that began with one was "malformed SPARQL at line 1, column 10").
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        line, problem = where_not_utf8(data)
        raise GraphkitError(f"cannot read {what} {path}: line {line}: {problem}") from None


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read in blocks (large files need not fit in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
