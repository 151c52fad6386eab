"""An .xlsx read with openpyxl: each sheet a grid, merged cells repeated over their range.

Numbers come out of openpyxl as floats (or ints), and a float is never an amount here. A
numeric cell becomes the text Excel shows for it: the float is first written with 15
significant digits (``format(value, ".15g")``), the precision Excel itself keeps, which turns
8.56 back into "8.56" and a sum's 0.30000000000000004 into "0.3"; that text is read as a
Decimal, and then rounded half up to the decimals its number format shows ("0.00" → 2,
"#,##0.0" → 1, "0%" → a percentage with 0); a "General" cell keeps every digit it has. A
percentage format gives "95.00%". Formulas give the values Excel saved with them (data_only).
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from zpgen.i18n import _
from zpgen.importer.blocks import Block, Grid, GridCell, Source
from zpgen.importer.package import damaged

__all__ = ["cell_text", "read_xlsx"]

# A budget system's export is a few sheets of a few hundred rows: more is not a 自评表.
_MAX_ROWS = 5000
_MAX_COLUMNS = 60


def read_xlsx(path: Path, data: bytes) -> Source:
    """Every sheet of a checked .xlsx package, in the workbook's order."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # a third-party parser on untrusted input
        raise damaged(path, f"{type(error).__name__}: {error}") from None
    blocks: list[Block] = [_grid(sheet) for sheet in book.worksheets]
    return Source(path, "xlsx", tuple(blocks))


def _grid(sheet: Any) -> Grid:
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                origins[(row, column)] = (merged.min_row, merged.min_col)
    last_row = min(sheet.max_row, _MAX_ROWS)
    last_column = min(sheet.max_column, _MAX_COLUMNS)
    rows: list[tuple[GridCell, ...]] = []
    for r in range(1, last_row + 1):
        cells = []
        for c in range(1, last_column + 1):
            origin = origins.get((r, c), (r, c))
            cell = sheet.cell(row=origin[0], column=origin[1])
            where = f"{sheet.title}!{get_column_letter(origin[1])}{origin[0]}"
            cells.append(GridCell(cell_text(cell.value, cell.number_format), where, origin))
        rows.append(tuple(cells))
    return Grid(tuple(rows), _("sheet “{sheet}”").format(sheet=sheet.title))


_DECIMALS = re.compile(r"0\.(0+)")


def cell_text(value: Any, number_format: str) -> str:
    """What Excel shows for a cell's value, as text; numbers exact (see the module's doc)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _number_text(value, number_format or "General")
    if isinstance(value, datetime.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).replace("\r\n", "\n").replace("_x000D_", "")


def _number_text(value: float, number_format: str) -> str:
    exact = Decimal(str(value)) if isinstance(value, int) else Decimal(format(value, ".15g"))
    section = number_format.split(";")[0]
    percent = "%" in section
    if percent:
        exact *= 100
    places = _places(section)
    if places is not None:
        exact = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = format(exact, "f")
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


def _places(section: str) -> int | None:
    """The decimals a number format shows; None for General (every digit)."""
    if section.strip().lower() in ("general", "@", ""):
        return None
    found = _DECIMALS.search(section)
    return len(found.group(1)) if found else 0
