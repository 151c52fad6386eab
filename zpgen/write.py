"""Writing outputs: atomically, and only when the bytes changed."""

from __future__ import annotations

import contextlib
import os
import re
import socket
from enum import Enum
from pathlib import Path

__all__ = ["Status", "output_status", "sweep_leftovers", "temporary_path", "write_output"]

# A new file only (never through a link), with the mode any new file of the user's gets (umask).
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CREATE |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class Status(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def output_status(path: Path, content: bytes) -> Status:
    """What writing ``content`` to ``path`` would do, without writing."""
    try:
        return Status.UNCHANGED if path.read_bytes() == content else Status.UPDATED
    except FileNotFoundError:
        return Status.CREATED


def write_output(path: Path, content: bytes) -> Status:
    """Write through a temporary file and a rename: a reader sees the old file or the new one.

    A file that replaces another is flushed to the disk before the rename, so that even a power
    cut cannot trade a good report for an empty one. A new file is not: nothing is lost if a
    power cut empties it, and the next build finds it is not the file it recorded (its size
    differs) and writes it again. A cold build of thousands of reports saves a wait on each.
    """
    status = output_status(path, content)
    if status is Status.UNCHANGED:
        return status
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
    return status


# A temporary file is named by the host and the process that writes it (and a random part, so
# that no two processes ever share one): a build on this host can tell whether the process that
# left one still runs. Another host's are never touched.
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def temporary_path(path: Path, pid: int | None = None) -> Path:
    """Where ``path`` is written before its rename, by process ``pid`` (default: this one)."""
    pid = os.getpid() if pid is None else pid
    return path.with_name(f".{path.name}.{_HOST}.{pid}.{os.urandom(4).hex()}.tmp")


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
