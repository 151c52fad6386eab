"""A .docx as plain text, for ``git diff``: one line per paragraph, one per table row.

Any .docx will do (a report zpgen wrote, or one edited in Word): paragraphs and tables in
document order, tables row by row with cells separated by " | ", a cell that continues a vertical
merge left empty. Deleted tracked changes and field codes are left out; headers, footers and
page numbers too, since they do not change with the report.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.limits import DEFAULT_LIMITS
from zpgen.write.ooxml import DOCUMENT_PART, W_NS, read_parts, xml_parser

__all__ = ["docx_text"]

_W = "{" + W_NS + "}"
_CHARACTERS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def docx_text(path: Path, *, limit: int = DEFAULT_LIMITS.document_bytes) -> str:
    """The text of a .docx file's body; a ZpgenError when it is not a readable .docx, or holds
    more than ``limit`` bytes (read or inflated)."""
    parts, _left_out = read_parts(
        path, root=None, limit=limit, wanted=lambda name: name == DOCUMENT_PART
    )
    if DOCUMENT_PART not in parts:
        raise ZpgenError.single(path, _("Not a .docx file (a Word document)."))
    try:
        root = etree.fromstring(parts[DOCUMENT_PART], xml_parser())
    except etree.XMLSyntaxError as error:
        message = _("The document's content is damaged: {problem}").format(problem=error)
        raise ZpgenError.single(path, message) from error
    body = root.find(_W + "body")
    lines: list[str] = []
    if body is not None:
        _block_lines(body, lines)
    return "".join(line + "\n" for line in lines)


def _block_lines(container: etree._Element, lines: list[str]) -> None:
    for child in container:
        if child.tag == _W + "p":
            text = _paragraph_text(child)
            if text.strip():
                lines.append(text)
        elif child.tag == _W + "tbl":
            lines.extend(_table_rows(child))
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _block_lines(content, lines)


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for element in paragraph.iter(_W + "t", *_CHARACTERS):
        if element.tag == _W + "t":
            parts.append(element.text or "")
        else:
            parts.append(_CHARACTERS[element.tag])
    return "".join(parts)


def _table_rows(table: etree._Element) -> list[str]:
    rows = []
    for row in table.iterchildren(_W + "tr"):
        cells = []
        for cell in row.iterchildren(_W + "tc"):
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(_W + "val", "continue") == "continue":
                cells.append("")
                continue
            inner: list[str] = []
            _block_lines(cell, inner)
            cells.append(" ".join(line.replace("\n", " ") for line in inner))
        rows.append(" | ".join(cells))
    return rows
