"""Office Open XML packages (.docx, .xlsx): checked before any part is read, then handed on.

A .docx or .xlsx is a zip file, and a zip file may claim little and expand to gigabytes (a zip
bomb), or hold one huge part. Before python-docx or openpyxl sees the file, every member's
size is checked in the zip's central directory (the uncompressed size it declares, capped per
part and in all, and its compression ratio), and then each member is inflated in chunks that
stop at the declared size, so a member that lies about its size is caught too. Only a package
that passes is read, from the bytes already checked.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from zpgen.errors import ZpgenError
from zpgen.i18n import _

__all__ = ["LIMITS", "package_kind"]

# An XML part is parsed into a tree about ten times its size: a 20-page report's document.xml
# is under 1 MB. Pictures are never parsed, only carried.
LIMITS = {
    "xml": 32 * 1024 * 1024,
    "member": 64 * 1024 * 1024,
    "total": 160 * 1024 * 1024,
    "members": 5000,
    "ratio": 200,  # uncompressed ÷ compressed, for members over 1 MB; XML reaches 20–40
    "file": 100 * 1024 * 1024,
}
_CHUNK = 1024 * 1024


def package_kind(path: Path, raw: bytes) -> str:
    """ "docx" or "xlsx", told apart by their parts, once the zip passed the limits; anything
    else names what it is."""
    data = _checked_bytes(path, raw)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        message = _("This is a PowerPoint file: zpgen reads Word (.docx), Excel (.xlsx) and text.")
        raise ZpgenError.single(path, message)
    message = _(
        "This is a zip file but not a Word or Excel document (it has no word/document.xml or "
        "xl/workbook.xml): zpgen reads .docx, .xlsx and .txt files."
    )
    raise ZpgenError.single(path, message)


def _checked_bytes(path: Path, data: bytes) -> bytes:
    """The file's bytes, once its zip directory and every member passed the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_directory(path, members)
            for info in members:
                _inflate_within(path, archive, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as error:
        raise _damaged(path, str(error)) from None
    return data


def _check_directory(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > LIMITS["members"]:
        reason = _("it has {count} parts").format(count=len(members))
        raise _too_large(path, reason)
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            message = _("The file is encrypted (a zip password): save it again without one.")
            raise ZpgenError.single(path, message)
        limit = LIMITS["xml"] if info.filename.endswith((".xml", ".rels")) else LIMITS["member"]
        if info.file_size > limit:
            reason = _("its part {part} would expand to {size} MB").format(
                part=info.filename, size=info.file_size // 2**20
            )
            raise _too_large(path, reason)
        if info.file_size > 2**20 and info.file_size > LIMITS["ratio"] * max(info.compress_size, 1):
            reason = _("its part {part} is compressed {ratio} times, as a zip bomb is").format(
                part=info.filename, ratio=info.file_size // max(info.compress_size, 1)
            )
            raise _too_large(path, reason)
        total += info.file_size
    if total > LIMITS["total"]:
        reason = _("its parts would expand to {size} MB").format(size=total // 2**20)
        raise _too_large(path, reason)


def _inflate_within(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate one member in chunks, never past its declared size (zipfile stops there, and a
    member that holds more fails its CRC check)."""
    read = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > info.file_size:
                raise _damaged(path, _("a part is larger than the zip directory says"))


def _too_large(path: Path, reason: str) -> ZpgenError:
    message = _(
        "The file is refused: {reason}, more than a report holds. A report with many "
        "pictures can be saved without them (or as text) and imported."
    )
    return ZpgenError.single(path, message.format(reason=reason))


def _damaged(path: Path, reason: str) -> ZpgenError:
    message = _(
        "The file is damaged and cannot be read ({reason}): open it in Word or Excel, which "
        "may repair it, save it, and import it again."
    )
    return ZpgenError.single(path, message.format(reason=reason))


def damaged(path: Path, reason: str) -> ZpgenError:
    """The error for a package whose parts python-docx or openpyxl could not read."""
    return _damaged(path, reason)
