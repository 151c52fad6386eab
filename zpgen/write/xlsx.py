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
from dataclasses import dataclass
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
    give the same bytes. openpyxl writes each row as it comes (write-only): a workbook of
    100,000 rows is not held as cells."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        _fill(book.create_sheet(sheet.name), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), date, title)


class _Styles:
    """Model cells, styled once through openpyxl; a cell takes a copy of its model's style
    indices (openpyxl's own way of copying a style: setting one on each of 100,000 cells
    hashes it each time, 20 times slower)."""

    def __init__(self, ws: Any, columns: Sequence[Column]) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="999999")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.ws = ws
        across = Alignment(horizontal="centerContinuous", vertical="center")
        self.caption = self._model(font=Font(bold=True, size=14), alignment=across)
        self.header = self._model(
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="DDEBF7"),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=border,
        )
        wrapped, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
        self.cells = [
            self._model(
                border=border,
                alignment=wrapped if column.kind is Kind.TEXT else top,
                number_format=_FORMATS.get(column.kind, "General"),
            )
            for column in columns
        ]
        self.totals = [
            self._model(
                border=border, font=Font(bold=True), number_format=_FORMATS.get(c.kind, "General")
            )
            for c in columns
        ]

    def _model(self, **style: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws)
        for name, value in style.items():
            setattr(cell, name, value)
        return cell._style

    def cell(self, value: object, model: Any, *, formula: bool = False) -> Any:
        """A cell of ``value``; text is text, even where it starts with “=” (a 项目名称 such
        as “=HYPERLINK(…)” must not become a formula in the bureau's Excel), but for the
        totals' own formulas (``formula``)."""
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, _value(value))
        if cell.data_type == "f" and not formula:
            cell.data_type = "s"
        cell._style = copy.copy(model)
        return cell


def _fill(ws: Any, sheet: Sheet) -> None:
    """A sheet's layout first (widths, heights, panes, filter, print set-up: a write-only
    sheet writes them before its rows), then its rows."""
    styles = _Styles(ws, sheet.columns)
    head_row = 2 if sheet.caption else 1
    first, last = head_row + 1, head_row + len(sheet.rows)
    _heights(ws, sheet, head_row, _widths(ws, sheet))
    ws.freeze_panes = f"{_letter(sheet.frozen_columns + 1)}{first}"
    ws.auto_filter.ref = f"A{head_row}:{_letter(len(sheet.columns))}{max(last, head_row)}"
    _print_setup(ws, head_row)
    if sheet.caption:
        ws.row_dimensions[1].height = 24
        rest = [styles.cell(None, styles.caption) for _column in sheet.columns[1:]]
        ws.append([styles.cell(sheet.caption, styles.caption), *rest])
    ws.append([styles.cell(column.header, styles.header) for column in sheet.columns])
    for row in sheet.rows:
        ws.append(
            [styles.cell(value, model) for value, model in zip(row, styles.cells, strict=True)]
        )
    if sheet.total_label is not None:
        ws.append(
            [
                styles.cell(v, m, formula=True)
                for v, m in zip(_totals(sheet, first, last), styles.totals, strict=True)
            ]
        )


def _value(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def _totals(sheet: Sheet, first: int, last: int) -> list[object]:
    """The 合计 row: a SUM of each summed column, a rate as the quotient of its two sums."""
    row = last + 1
    values: list[object] = []
    for index, column in enumerate(sheet.columns, start=1):
        letter = _letter(index)
        value: object = "合计" if index - 1 == sheet.total_label else None
        if column.kind in _SUMMED:
            value = f"=SUM({letter}{first}:{letter}{last})" if last >= first else "=0"
        elif column.kind is Kind.PERCENT and column.ratio_of is not None:
            top, bottom = (_letter(i + 1) for i in column.ratio_of)
            value = f'=IF({bottom}{row}=0,"",{top}{row}/{bottom}{row})'
        values.append(value)
    return values


def _widths(ws: Any, sheet: Sheet) -> list[float]:
    """Each column as wide as its widest cell, a Chinese character counting two; the widths."""
    widths: list[float] = []
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
        widths.append(width)
    return widths


def _heights(ws: Any, sheet: Sheet, head_row: int, widths: Sequence[float]) -> None:
    """Rows whose text wraps made as tall as its lines: neither Excel nor LibreOffice
    measures a row that openpyxl wrote."""
    header = [(column.header, column.kind) for column in sheet.columns]
    rows = [header] + [
        list(zip(row, (c.kind for c in sheet.columns), strict=True)) for row in sheet.rows
    ]
    for number, cells in enumerate(rows, start=head_row):
        lines = max(
            _lines(_shown(value, kind), width)
            for (value, kind), width in zip(cells, widths, strict=True)
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
