"""Reading a workspace's files without trusting them: inside the workspace, regular, bounded.

A workspace comes from a colleague, and its files may be links to anywhere (``/dev/zero``, a file
of the user's), pipes that never end, or far larger than a report needs. ``read_file`` reads only
a regular file, only up to a limit, and follows a link only when it stays inside the folder the
file must stay in, naming the link, never what it points at. ``os_reason`` says why an OSError
happened in the user's language, for every message about reading or writing a file.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from pathlib import Path

from zpgen.errors import ZpgenError
from zpgen.i18n import _

__all__ = ["os_reason", "read_file"]

_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_READ |= getattr(os, "O_NONBLOCK", 0)  # a pipe or a device answers at once instead of hanging
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CHUNK = 1 << 20


def os_reason(error: OSError) -> str:
    """Why an OSError happened, in the user's language."""
    reasons = {
        errno.ENOENT: _("the file or folder does not exist"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("the operation is not permitted"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the disk or folder is read-only"),
        errno.ENAMETOOLONG: _("the name is too long for the file system"),
        errno.ENOTDIR: _("a part of the path is a file, not a folder"),
        errno.EISDIR: _("it is a folder, not a file"),
        errno.EEXIST: _("a file of that name exists already"),
        errno.EBUSY: _("the file is in use by another program"),
        errno.EIO: _("the disk could not be read or written (an input/output error)"),
    }
    edquot = getattr(errno, "EDQUOT", None)
    if edquot is not None:
        reasons[edquot] = _("the disk quota is used up")
    found = reasons.get(error.errno or 0)
    if found is not None:
        return found
    return error.strerror or str(error)


def read_file(path: Path, *, root: Path | None, limit: int, setting: str = "") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    ``root``: the (resolved) folder the file must stay in when it is a link; None for a file the
    user named on the command line. ``setting``: the key of ``限制:`` that raises ``limit``, for
    the message ("" when none does). Every failure is a ZpgenError naming ``path``.
    """
    try:
        fd = _open(path, root)
    except OSError as error:
        message = _("Cannot read the file: {reason}.").format(reason=os_reason(error))
        raise ZpgenError.single(path, message) from error
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            message = _(
                "This is not a regular file (a folder, a device or a pipe): zpgen reads only "
                "ordinary files."
            )
            raise ZpgenError.single(path, message)
        if info.st_size > limit:
            raise _too_large(path, info.st_size, limit, setting)
        return _read_all(fd, path, limit, setting)
    finally:
        os.close(fd)


def _open(path: Path, root: Path | None) -> int:
    """A descriptor of ``path``; a link is followed only to a place inside ``root``, and so is
    a folder on its way (O_NOFOLLOW guards the last part of a path alone)."""
    if root is not None and not _folder_inside(path.parent, root):
        message = _(
            "A folder on the way to this file is a link to a place outside the workspace; "
            "zpgen reads only the workspace's own files."
        )
        raise ZpgenError.single(path, message)
    if _NOFOLLOW == 0 and path.is_symlink():  # a system without O_NOFOLLOW: ask first
        return os.open(_followed(path, root), _READ)
    try:
        return os.open(path, _READ | _NOFOLLOW)
    except OSError as error:
        if error.errno not in (errno.ELOOP, getattr(errno, "EMLINK", errno.ELOOP)):
            raise
        if not path.is_symlink():
            raise
    return os.open(_followed(path, root), _READ)


@functools.lru_cache(maxsize=4096)
def _folder_inside(folder: Path, root: Path) -> bool:
    """Whether ``folder``, followed through its links, lies in ``root``: asked once a folder (a
    unit's files share one), not once a file."""
    return folder.resolve().is_relative_to(root)


def _followed(path: Path, root: Path | None) -> Path:
    target = path.resolve()
    if root is not None and not target.is_relative_to(root):
        message = _(
            "This file is a link to a place outside the workspace; zpgen reads only the "
            "workspace's own files. Copy the file into the workspace instead of linking to it."
        )
        raise ZpgenError.single(path, message)
    return target


def _read_all(fd: int, path: Path, limit: int, setting: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:  # it grew while being read
            raise _too_large(path, total, limit, setting)


def _too_large(path: Path, size: int, limit: int, setting: str) -> ZpgenError:
    message = _("The file is {size} KB, more than the {limit} KB zpgen reads of such a file.")
    text = message.format(size=_kb(size), limit=_kb(limit))
    if setting:
        text += _(" If it really is that large, raise 限制: {setting} in zpgen.yaml.").format(
            setting=setting
        )
    return ZpgenError.single(path, text)


def _kb(size: int) -> str:
    return f"{(size + 1023) // 1024:,}"
