"""Writing outputs: atomically, and only when the bytes changed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from enum import Enum
from pathlib import Path

__all__ = ["Status", "output_status", "write_output"]

# mkstemp makes owner-only files; outputs get the mode any new file of the user's would get.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


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
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        Path(temporary).chmod(0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            if status is Status.UPDATED:
                stream.flush()
                os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
        raise
    return status
