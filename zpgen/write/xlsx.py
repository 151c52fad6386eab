"""A workbook as a finance clerk lays one out, byte for byte the same for the same sheets.

Each ``Sheet`` is a caption, a header row and rows of values; amounts are kept as numbers in 万元
shown with two decimals, rates as percentages, and a 合计 row under the rows holds formulas
(``SUM`` over the rows, a rate as the quotient of two sums) so the sheet still adds up after an
edit. The header is frozen and filtered, the columns are as wide as their Chinese text, and each
sheet prints on A4 landscape, a page wide, with the header on every page.

openpyxl stamps the workbook with the time it is saved and its zip members with the time of day:
the workbook is zipped again (``zpgen.write.zip``) with its document properties dated from the
data, never the clock.
"""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from zpgen.write.zip import archive, member

__all__ = ["Column", "Kind", "Sheet", "sheet_name", "workbook_bytes"]

_CORE = "docProps/core.xml"
_MAX_WIDTH = 60
_MIN_WIDTH = 6
_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


class Kind(str, Enum):
    """What a column holds, which sets its number format and its total."""

    TEXT = "text"
    AMOUNT = "amount"  # 万元, two decimals, summed
    CHANGE = "change"  # 万元, 追加 above 0 and 调减 below, summed
    PERCENT = "percent"  # a ratio shown as a percentage; its total is a quotient of sums
    SCORE = "score"
    COUNT = "count"  # summed


_FORMATS = {
    Kind.AMOUNT: "0.00",
    Kind.CHANGE: '"追加"0.00;"调减"0.00;0.00',
    Kind.PERCENT: "0.00%",
    Kind.SCORE: "0.00",
    Kind.COUNT: "0",
}
_SUMMED = (Kind.AMOUNT, Kind.CHANGE, Kind.COUNT)
_ROOMY = (Kind.AMOUNT, Kind.CHANGE, Kind.PERCENT)  # room for the 合计's figure
_LINE = 15.0  # points: a line of 11 pt text


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, what it holds and, for a rate, the columns (0-based) whose sums
    it is the quotient of in the total row; text wider than ``widest`` wraps (``wrap``: the
    column is as wide as ``widest``, for long text such as messages)."""

    header: str
    kind: Kind = Kind.TEXT
    ratio_of: tuple[int, int] | None = None
    wrap: bool = False
    widest: int = 30  # longer text wraps


@dataclass
class Sheet:
    """One sheet: its name (at most 31 characters, none of []:*?/\\), a caption above the
    header, its columns, its rows, and where the 合计 row's label goes (None: no total row)."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    caption: str = ""
    total_label: int | None = None  # the column of “合计”
    frozen_columns: int = 0  # columns kept in view when scrolling right
    widths: list[float] = field(default_factory=list)


def sheet_name(name: str, taken: set[str]) -> str:
    """``name`` as a sheet may be named, and unlike every name in ``taken`` (which it joins)."""
    base = name.translate(_FORBIDDEN).strip("'") or "Sheet"
    candidate, number = base[:31], 1
    while candidate.lower() in {t.lower() for t in taken}:
        number += 1
        suffix = f"({number})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def workbook_bytes(sheets: Sequence[Sheet], *, date: tuple[int, int, int], title: str) -> bytes:
    """The .xlsx file of ``sheets``, dated ``date`` (year, month, day): the same sheets always
    give the same bytes."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _fill(book.create_sheet(sheet.name), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), date, title)


def _fill(worksheet: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    ws = worksheet
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_row = 2 if sheet.caption else 1
    width = len(sheet.columns)
    if sheet.caption:
        ws.append([sheet.caption])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        caption = ws.cell(1, 1)
        caption.font = Font(bold=True, size=14)
        caption.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 24
    ws.append([column.header for column in sheet.columns])
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index in range(1, width + 1):
        cell = ws.cell(head_row, index)
        cell.font, cell.fill, cell.alignment, cell.border = (
            header_font,
            header_fill,
            centred,
            border,
        )
    for row in sheet.rows:
        ws.append([_value(value) for value in row])
    first, last = head_row + 1, head_row + len(sheet.rows)
    _format_columns(ws, sheet, first, last, border)
    if sheet.total_label is not None:
        _totals(ws, sheet, first, last, border)
    letter = _letter(width)
    ws.freeze_panes = f"{_letter(sheet.frozen_columns + 1)}{first}"
    ws.auto_filter.ref = f"A{head_row}:{letter}{max(last, head_row)}"
    _widths(ws, sheet)
    _heights(ws, sheet, head_row)
    _print_setup(ws, head_row)


def _value(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def _format_columns(ws: Any, sheet: Sheet, first: int, last: int, border: Any) -> None:
    """Each column's cells styled as its first one: that one through openpyxl's styles, the
    others by a copy of its style's indices (openpyxl's own way of copying a cell's style;
    setting a style on each of 100,000 cells hashes it each time, 20 times slower)."""
    from openpyxl.styles import Alignment

    if last < first:
        return
    wrapped, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for index, column in enumerate(sheet.columns, start=1):
        model = ws.cell(first, index)
        model.border = border
        model.alignment = wrapped if column.kind is Kind.TEXT else top
        number_format = _FORMATS.get(column.kind)
        if number_format:
            model.number_format = number_format
        for row in range(first + 1, last + 1):
            ws.cell(row, index)._style = copy.copy(model._style)


def _totals(ws: Any, sheet: Sheet, first: int, last: int, border: Any) -> None:
    """The 合计 row: a SUM of each summed column, a rate as the quotient of its two sums."""
    from openpyxl.styles import Font

    row = last + 1
    assert sheet.total_label is not None
    bold = Font(bold=True)
    label = ws.cell(row, sheet.total_label + 1, "合计")
    label.font, label.border = bold, border
    for index, column in enumerate(sheet.columns, start=1):
        letter = _letter(index)
        formula = None
        if column.kind in _SUMMED:
            formula = f"=SUM({letter}{first}:{letter}{last})" if last >= first else "=0"
        elif column.kind is Kind.PERCENT and column.ratio_of is not None:
            top, bottom = (_letter(i + 1) for i in column.ratio_of)
            formula = f'=IF({bottom}{row}=0,"",{top}{row}/{bottom}{row})'
        cell = ws.cell(row, index)
        cell.border = border
        if formula is not None:
            cell.value = formula
            cell.font = bold
            cell.number_format = _FORMATS[column.kind]


def _widths(ws: Any, sheet: Sheet) -> None:
    """Each column as wide as its widest cell, a Chinese character counting two."""
    for index, column in enumerate(sheet.columns):
        cells = [_display_width(_shown(row[index], column.kind)) for row in sheet.rows]
        header = _display_width(column.header)
        if column.kind in _ROOMY:
            header = max(header, 11)  # room for the 合计's figure
        widest = max([header, *cells])
        width = min(max(widest + 2, _MIN_WIDTH), column.widest + 2, _MAX_WIDTH)
        if column.wrap:
            width = column.widest
        ws.column_dimensions[_letter(index + 1)].width = width
        sheet.widths.append(width)


def _heights(ws: Any, sheet: Sheet, head_row: int) -> None:
    """Rows whose text wraps made as tall as its lines: neither Excel nor LibreOffice
    measures a row that openpyxl wrote."""
    header = [(column.header, column.kind) for column in sheet.columns]
    rows = [header] + [
        list(zip(row, (c.kind for c in sheet.columns), strict=True)) for row in sheet.rows
    ]
    for number, cells in enumerate(rows, start=head_row):
        lines = max(
            _lines(_shown(value, kind), width)
            for (value, kind), width in zip(cells, sheet.widths, strict=True)
        )
        if lines > 1:
            ws.row_dimensions[number].height = _LINE * lines


def _lines(text: str, width: float) -> int:
    room = max(int(width) - 1, 1)
    return sum(max(1, -(-_display_width(line) // room)) for line in text.split("\n"))


def _shown(value: object, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.PERCENT and isinstance(value, Decimal):
        return f"{value * 100:.2f}%"
    if kind is Kind.CHANGE and isinstance(value, Decimal):
        return ("追加" if value > 0 else "调减" if value < 0 else "") + f"{abs(value):.2f}"
    if kind in (Kind.AMOUNT, Kind.SCORE) and isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


@functools.lru_cache(maxsize=65536)  # messages and names repeat
def _display_width(text: str) -> int:
    """The width of the widest line, a Chinese character counting two: each character of
    three or four bytes in UTF-8 (CJK, full-width punctuation) counts two; near enough for a
    column's width, and quick for 100,000 cells."""
    return max(len(line) + (len(line.encode()) - len(line)) // 2 for line in text.split("\n"))


def _print_setup(ws: Any, head_row: int) -> None:
    """A4 landscape, a page wide, the header on every page, page numbers in the footer."""
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = 9  # A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{head_row}"
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = 0.5
    margins.top = margins.bottom = 0.75
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _reproducible(data: bytes, date: tuple[int, int, int], title: str) -> bytes:
    """The workbook zipped again: every member as openpyxl wrote it, in its order, but the
    document properties, dated ``date``; zip times fixed (``zpgen.write.zip``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = [
            member(info.filename, _core(date, title) if info.filename == _CORE else
                   package.read(info.filename))
            for info in package.infolist()
        ]  # fmt: skip
    return archive(members)


def _core(date: tuple[int, int, int], title: str) -> bytes:
    from xml.sax.saxutils import escape

    year, month, day = date
    stamp = f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>zpgen</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()
