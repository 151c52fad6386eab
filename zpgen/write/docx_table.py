"""A document table as a WordprocessingML ``w:tbl``, for the .docx writer.

The table spans the text block: the template's relative widths are scaled to it and fixed (a
fixed layout: Word and LibreOffice lay it out alike, whatever the text). Merged cells are real
merges (``w:gridSpan``, ``w:vMerge``), header rows repeat on every page (``w:tblHeader``), and no
row breaks across a page (``w:cantSplit``). Borders, cell margins and the 仿宋_GB2312 size are in
the base document's styles: ``TableGrid`` (table) and ``TableText`` (the cells' paragraphs).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from zpgen.render.markup import Cell, Table

__all__ = ["TABLE_STYLES", "table_xml"]

# The style ids this module refers to, and their types.
TABLE_STYLES = {"TableGrid": "table", "TableText": "paragraph"}


@lru_cache(maxsize=64)  # a unit's combined 自评表 holds its projects' tables again
def table_xml(table: Table, text_width: int, run: Callable[[str], str]) -> str:
    """``w:tbl`` for a table ``text_width`` twips wide; ``run`` turns text into a ``w:r``."""
    grid = _grid(table.widths, text_width)
    rows = []
    for number, cells in enumerate(table.rows):
        below = table.rows[number + 1] if number + 1 < len(table.rows) else ()
        continued = _starts(below, merged=True)
        header = "<w:tblHeader/>" if number < table.header_rows else ""
        tcs = []
        column = 0
        for cell in cells:
            width = sum(grid[column : column + cell.span])
            tcs.append(_cell(cell, width, column in continued, run))
            column += cell.span
        rows.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(tcs)}</w:tr>")
    columns = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    return (
        "<w:tbl><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{text_width}" w:type="dxa"/>'
        '<w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0"'
        ' w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{columns}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _grid(widths: tuple[int, ...], text_width: int) -> list[int]:
    """Column widths in twips, in proportion, adding up to exactly ``text_width``."""
    total = sum(widths)
    grid = [text_width * w // total for w in widths]
    grid[-1] += text_width - sum(grid)
    return grid


def _starts(cells: tuple[Cell, ...], *, merged: bool) -> set[int]:
    """The columns where a cell of the row starts that is (or is not) a vertical continuation."""
    found, column = set(), 0
    for cell in cells:
        if cell.merged == merged:
            found.add(column)
        column += cell.span
    return found


def _cell(cell: Cell, width: int, continued: bool, run: Callable[[str], str]) -> str:
    properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.span > 1:
        properties += f'<w:gridSpan w:val="{cell.span}"/>'
    if cell.merged:
        properties += "<w:vMerge/>"
    elif continued:
        properties += '<w:vMerge w:val="restart"/>'
    properties += '<w:vAlign w:val="center"/>'
    align = '<w:jc w:val="left"/>' if cell.left else ""
    paragraph_properties = f'<w:pPr><w:pStyle w:val="TableText"/>{align}</w:pPr>'
    lines = cell.text.split("\n") if cell.text and not cell.merged else [""]
    paragraphs = "".join(f"<w:p>{paragraph_properties}{run(line)}</w:p>" for line in lines)
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraphs}</w:tc>"
