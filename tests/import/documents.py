"""Word and Excel files made the way a clerk's look, for the import tests (written to tmp_path).

A clerk's Word report is one paragraph a line in the Normal style, with fonts, sizes, bold and
indents set on each paragraph by hand, never a heading style; a clerk's 自评表 is one Word
table, or an Excel sheet, with merged cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import docx
import openpyxl
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _font(run: object, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # type: ignore[attr-defined]


def clerk_docx(lines: Sequence[str], path: Path) -> Path:
    """A report typed in Word: each line a Normal paragraph, formatted by hand."""
    document = docx.Document()
    for number, line in enumerate(lines):
        paragraph = document.add_paragraph()
        text = line.strip()
        if number < 2 and text:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run(text), "方正小标宋简体", 22 if number == 1 else 16)
            continue
        if _HEADING.match(text):
            _font(paragraph.add_run(text), "黑体", 16, bold=True)
            continue
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _font(paragraph.add_run(line), "仿宋_GB2312", 16)  # the line as typed, spaces and all
    document.save(str(path))
    return path


Cell = str | tuple[str, int, int]  # text, or (text, columns spanned, rows spanned)


class Percent(float):
    """A number an Excel cell shows as a percentage (0.9563 → 95.63%)."""


def word_table(title: Sequence[str], rows: Sequence[Sequence[Cell]], path: Path) -> Path:
    """A 自评表 as one Word table; a cell may span columns and rows (merged by hand)."""
    document = docx.Document()
    for line in title:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(line), "黑体", 16)
    columns = max(sum(_span(c)[0] for c in row) for row in rows)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            across, down = _span(cell)
            text = cell if isinstance(cell, str) else cell[0]
            target = table.cell(r, c)
            if across > 1 or down > 1:
                target = target.merge(table.cell(r + down - 1, c + across - 1))
            for rr in range(r, r + down):
                for cc in range(c, c + across):
                    taken.add((rr, cc))
            target.text = text
            c += across
    document.save(str(path))
    return path


def _span(cell: Cell) -> tuple[int, int]:
    return (1, 1) if isinstance(cell, str) else (cell[1], cell[2])


def excel_table(
    title: Sequence[str], rows: Sequence[Sequence[Cell | float | int]], path: Path
) -> Path:
    """A 自评表 as an Excel sheet, as a budget system exports it: merged cells, numbers as
    numbers (floats) with number formats, percentages as fractions."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    columns = max(
        sum(_span(c)[0] if not isinstance(c, (int, float)) else 1 for c in row) for row in rows
    )
    r = 1
    for line in title:
        sheet.cell(row=r, column=1, value=line)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=columns)
        r += 1
    taken: set[tuple[int, int]] = set()
    for row in rows:
        c = 1
        for cell in row:
            while (r, c) in taken:
                c += 1
            across, down = (1, 1) if isinstance(cell, (int, float)) else _span(cell)
            value = cell if isinstance(cell, (int, float, str)) else cell[0]
            target = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                target.data_type = "s"  # text such as "=12个", not a formula
            if isinstance(value, Percent):
                target.number_format = "0.00%"
            elif isinstance(value, float):
                target.number_format = "0.00"
            if across > 1 or down > 1:
                sheet.merge_cells(
                    start_row=r, start_column=c, end_row=r + down - 1, end_column=c + across - 1
                )
            for rr in range(r, r + down):
                for cc in range(c, c + across):
                    taken.add((rr, cc))
            c += across
        r += 1
    book.save(str(path))
    return path
