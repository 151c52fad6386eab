"""A .docx read with python-docx: its paragraphs with their style names, its tables as grids.

Paragraphs are numbered as Word keeps them, empty ones included (第1段 is the first paragraph
of the body); tables are numbered from 1, and a cell is named by its row and column in the
table's grid (表2第3行第4列). A merged cell (gridSpan, vMerge) is repeated over every grid
position it covers, which python-docx does for us; its paragraphs are joined by line breaks.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from zpgen.i18n import _
from zpgen.importer.blocks import Block, Grid, GridCell, Paragraph, Source
from zpgen.importer.package import damaged

__all__ = ["read_docx"]


def read_docx(path: Path, data: bytes) -> Source:
    """The body of a checked .docx package (``zpgen.importer.package``)."""
    try:
        document = docx.Document(io.BytesIO(data))
        items = list(document.iter_inner_content())
    except Exception as error:  # a third-party parser on untrusted input
        raise damaged(path, _describe(error)) from None
    blocks: list[Block] = []
    paragraphs = tables = 0
    for item in items:
        if isinstance(item, DocxParagraph):
            paragraphs += 1
            where = _("paragraph {number}").format(number=paragraphs)
            blocks.append(Paragraph(item.text, where, _style_name(item)))
        elif isinstance(item, Table):
            tables += 1
            blocks.append(_grid(item, tables))
    return Source(path, "docx", tuple(blocks))


def _describe(error: Exception) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _style_name(paragraph: DocxParagraph) -> str:
    try:
        style = paragraph.style
    except (KeyError, ValueError):  # a style id the styles part does not define
        return ""
    return str(style.name) if style is not None and style.name else ""


def _grid(table: Table, number: int) -> Grid:
    rows: list[tuple[GridCell, ...]] = []
    # a cell's w:tc element → where it starts; the dict keeps each element (and so the one
    # proxy lxml hands out for it) alive, so that every position it covers finds the same one
    origins: dict[Any, tuple[int, int]] = {}
    for r, row in enumerate(table.rows):
        cells: list[GridCell] = []
        for c, cell in enumerate(row.cells):
            origin = origins.setdefault(cell._tc, (r, c))
            where = _("table {table} row {row} column {column}").format(
                table=number, row=origin[0] + 1, column=origin[1] + 1
            )
            text = "\n".join(p.text for p in cell.paragraphs)
            cells.append(GridCell(text, where, origin))
        rows.append(tuple(cells))
    return Grid(tuple(rows), _("table {table}").format(table=number))
