"""Reading an imported file, whatever its format, into a ``Source`` (``zpgen.importer.blocks``).

``read_source`` tells the format from the file's first bytes, not from its name, and turns every
file it cannot read into a ``ZpgenError`` that names the file and the reason.
"""

from __future__ import annotations

from pathlib import Path

from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.importer.blocks import Source
from zpgen.importer.package import LIMITS, package_kind
from zpgen.importer.text_source import read_text
from zpgen.load.reading import read_file

__all__ = ["read_source"]


# The first bytes of the formats people have at hand, and what to tell them.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps, .et, and encrypted .docx/.xlsx
_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_LARGEST_TEXT = 16 * 1024 * 1024  # a 20-page report is 30 KB of text


def read_source(path: Path) -> Source:
    """Read one file of a report or a 自评表; a ZpgenError names it and says why it cannot."""
    raw = read_file(path, root=None, limit=LIMITS["file"])  # a regular file, bounded: no pipe
    head = raw[:8]
    if head.startswith(_OLE2):
        raise _ole2_error(path, raw)
    if head.startswith(b"%PDF"):
        raise ZpgenError.single(path, _pdf_message())
    if head.startswith(_IMAGES) or (head[:4] == b"RIFF" and path.suffix.lower() == ".webp"):
        raise ZpgenError.single(path, _image_message())
    if head.startswith(b"{\\rtf"):
        message = _("This is an RTF file: open it in Word or WPS and save it as .docx.")
        raise ZpgenError.single(path, message)
    if head.startswith((_ZIP, _EMPTY_ZIP)):  # python-docx or openpyxl: loaded when needed
        if package_kind(path, raw) == "docx":
            from zpgen.importer.docx_source import read_docx

            return read_docx(path, raw)
        from zpgen.importer.xlsx_source import read_xlsx

        return read_xlsx(path, raw)
    return read_text(path, raw, limit=_LARGEST_TEXT)


def _pdf_message() -> str:
    return _(
        "This is a PDF file, which zpgen cannot read: import the Word (.docx) or text file the "
        "PDF was made from, or copy its text into a .txt file."
    )


def _image_message() -> str:
    return _(
        "This is an image (a scan or a photo), which zpgen cannot read: import the Word "
        "(.docx) or text file of the report instead."
    )


def _ole2_error(path: Path, raw: bytes) -> ZpgenError:
    """An OLE2 file: an old binary .doc or .xls, or a password-protected .docx or .xlsx."""
    if "EncryptedPackage".encode("utf-16-le") in raw[: 4 * 1024 * 1024]:
        message = _(
            "The file is protected by a password (encrypted): open it in Word or Excel, "
            "remove the password (File → Info → Protect), save it, and import it again."
        )
        return ZpgenError.single(path, message)
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et") or "Workbook".encode("utf-16-le") in raw:
        message = _(
            "This is an old Excel file (.xls), which zpgen cannot read: open it in Excel or "
            "WPS and save it as .xlsx (Excel Workbook), then import the .xlsx."
        )
        return ZpgenError.single(path, message)
    message = _(
        "This is an old Word file (.doc), which zpgen cannot read: open it in Word or WPS and "
        "save it as .docx (Word Document), then import the .docx."
    )
    return ZpgenError.single(path, message)
