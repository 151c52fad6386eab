"""Writing outputs: atomically, only when the bytes changed, never through a link."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import stat
from enum import Enum
from pathlib import Path

from zpgen.errors import Problem
from zpgen.i18n import _

__all__ = [
    "TEMPORARY_BYTES",
    "Status",
    "confinement_problem",
    "existing_bytes",
    "output_status",
    "replace_file",
    "status_of",
    "sweep_leftovers",
    "temporary_path",
    "write_output",
]

# A new file only (never through a link), with the mode any new file of the user's gets (umask).
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CREATE |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# An existing file, never through a link, never waiting on a pipe.
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_READ |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_LINK_ERRORS = (errno.ELOOP, getattr(errno, "EMLINK", errno.ELOOP))


class Status(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def confinement_problem(path: Path, root: Path) -> Problem | None:
    """What keeps zpgen from writing ``path`` inside ``root``: a link at ``path``, or a folder on
    its way that is a link leading out of ``root`` (a folder still to make is made in the last
    one that exists). None when nothing does. A link is refused even when it leads inside:
    writing through it would change a file that is not where it says."""
    if path.is_symlink():
        return Problem(path, _("This is a link, not a file: zpgen does not write through it."))
    if not path.parent.resolve().is_relative_to(root.resolve()):
        message = _(
            "A folder on the way to this file is a link to a place outside the workspace: "
            "zpgen does not write through it. Delete the link."
        )
        return Problem(path, message)
    return None


def existing_bytes(path: Path, limit: int) -> bytes | None:
    """What ``path`` holds now (None when there is nothing), read no further than ``limit``
    bytes (a larger file only differs from what ``limit`` bytes could hold). A link, a folder or
    a device at ``path`` is not a file zpgen wrote: an OSError (ELOOP, EISDIR) says so, and
    nothing is written over it."""
    try:
        fd = os.open(path, _READ)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno in _LINK_ERRORS or path.is_symlink():
            raise IsADirectoryError(
                errno.ELOOP, _("it is a link, not a file zpgen wrote"), str(path)
            ) from error
        raise
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(errno.EISDIR, _("it is not a regular file"), str(path))
        return stream.read(limit + 1)


def output_status(path: Path, content: bytes) -> Status:
    """What writing ``content`` to ``path`` would do, without writing."""
    return status_of(content, existing_bytes(path, len(content)))


def status_of(content: bytes, existing: bytes | None) -> Status:
    if existing is None:
        return Status.CREATED
    return Status.UNCHANGED if existing == content else Status.UPDATED


def write_output(path: Path, content: bytes) -> Status:
    """Write ``content`` to ``path`` unless it holds it already; see ``replace_file``."""
    status = output_status(path, content)
    if status is not Status.UNCHANGED:
        replace_file(path, content, status)
    return status


def replace_file(path: Path, content: bytes, status: Status) -> None:
    """Write through a temporary file and a rename: a reader sees the old file or the new one.

    A file that replaces another (``status`` UPDATED) is flushed to the disk before the rename,
    so that even a power cut cannot trade a good report for an empty one. A new file is not:
    nothing is lost if a power cut empties it, and the next build finds it is not the file it
    recorded (its size differs) and writes it again. A cold build of thousands of reports saves
    a wait on each.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(path)
    try:
        fd = os.open(temporary, _CREATE, 0o666)
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            if status is Status.UPDATED:
                stream.flush()
                os.fsync(stream.fileno())
        temporary.replace(path)
    except FileExistsError:  # another process's, however unlikely: not ours to delete
        raise
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise


# A temporary file is named by the host and the process that writes it (and a random part, so
# that no two processes ever share one): a build on this host can tell whether the process that
# left one still runs. Another host's are never touched.
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def temporary_path(path: Path, pid: int | None = None) -> Path:
    """Where ``path`` is written before its rename, by process ``pid`` (default: this one).

    The name does not repeat ``path``'s, so that it is never longer than a name can be
    (``TEMPORARY_BYTES`` at most).
    """
    pid = os.getpid() if pid is None else pid
    return path.with_name(f".zpgen.{_HOST}.{pid}.{os.urandom(4).hex()}.tmp")


# ".zpgen." + host (40) + "." + pid + "." + 8 hex digits + ".tmp"
TEMPORARY_BYTES = 7 + 40 + 1 + 10 + 1 + 8 + 4
# Also the ".<name>.<host>.<pid>.<random>.tmp" of earlier versions.
_TEMPORARY = re.compile(r"\..+\.([A-Za-z0-9-]+)\.(\d+)\.[0-9a-f]{8}\.tmp")


def sweep_leftovers(folder: Path) -> None:
    """Delete the temporary files that builds killed before their rename left in ``folder``:
    those of this host's processes no longer running. Not on Windows, where asking whether a
    process runs (``os.kill(pid, 0)``) would end it."""
    if os.name != "posix":
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = _TEMPORARY.fullmatch(entry.name)
        if found is not None and found.group(1) == _HOST and not _running(int(found.group(2))):
            with contextlib.suppress(FileNotFoundError):
                Path(entry.path).unlink()


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process killed but not yet reaped (Linux; elsewhere, taken for running)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("ascii", "replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]
