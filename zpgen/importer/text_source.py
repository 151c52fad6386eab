"""A text file, one paragraph a line: UTF-8 (with or without a BOM), UTF-16 with its BOM, or
the GB18030 family (GBK, GB2312) that Chinese Windows saves as “ANSI”."""

from __future__ import annotations

import codecs
from pathlib import Path

from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.importer.blocks import Paragraph, Source

__all__ = ["decode", "read_text"]


def read_text(path: Path, raw: bytes, *, limit: int) -> Source:
    """A .txt report from its bytes; a binary file that is no text says so."""
    if len(raw) > limit:
        message = _("The file is refused: it is {size} MB, more than a report holds.")
        raise ZpgenError.single(path, message.format(size=len(raw) // 2**20))
    text = decode(raw)
    if text is None or "\x00" in text:
        message = _(
            "This is neither a Word, Excel nor text file that zpgen can read: import the "
            "report as .docx, .xlsx or .txt."
        )
        raise ZpgenError.single(path, message)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = tuple(
        Paragraph(line, _("line {number}").format(number=n)) for n, line in enumerate(lines, 1)
    )
    return Source(path, "txt", blocks)


def decode(raw: bytes) -> str | None:
    """The text of a file's bytes, or None when it is in none of the encodings above."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
