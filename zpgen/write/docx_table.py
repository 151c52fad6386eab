"""A document table as a WordprocessingML ``w:tbl``, for the .docx writer.

The table spans the text block: the template's relative widths are scaled to it and fixed (a
fixed layout: Word and LibreOffice lay it out alike, whatever the text). Merged cells are real
merges (``w:gridSpan``, ``w:vMerge``), header rows repeat on every page (``w:tblHeader``), and no
row breaks across a page (``w:cantSplit``). Borders, cell margins and the 仿宋_GB2312 size are in
the base document's styles: ``TableGrid`` (table) and ``TableText`` (the cells' paragraphs).

A long table reads well across pages because no merged cell crosses a page: a merged cell that
a page break splits shows its text on one page only, and LibreOffice then also sets the text
beside it at the top of its cells. So:

- the rows a merged cell joins (an 一级指标's) stay on one page (``w:keepNext`` on their
  paragraphs), and so do a header row and the row below it, and a row marked ``%row keep``
  (总分, 自评等级) and the row above it;
- the pages are laid out beforehand with each row's height estimated from its text: a group of
  rows that stay together and would leave more than a quarter of a page empty below the rows
  before it, or is taller than a page, is parted to fill the page, where the fewest merged
  cells join its rows (between two 二级指标 rather than inside one); each merged cell parted
  starts again below with its text, so that every page names the 一级指标 of its rows;
- a cell merged from a header row down beside the body (绩效指标) stays whole in a table that
  keeps to one page; in one that turns a page, its text stays in the header row, which repeats
  on every page, and beside the body it is an empty cell for each group of rows kept together,
  closed by its rules on every page.

The estimate only decides where a group is parted: where it errs, a group that Word or
LibreOffice finds too tall for what is left of a page goes whole onto the next page (the parts
of a group taller than a page are made to fill 95% of one, for the estimate's errors).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from zpgen.render.markup import Cell, Table
from zpgen.write.texttable import text_width, wrap

__all__ = ["TABLE_STYLES", "TableBox", "table_xml"]

# The style ids this module refers to, and their types.
TABLE_STYLES = {"TableGrid": "table", "TableText": "paragraph"}

_CELL_PADDING = 90  # twips: TableGrid's left and right cell margins, 45 each
_ROW_PADDING = 84  # twips: its top and bottom margins, 28 each, the rules and the leading
# A line of single-spaced text, in ems, as LibreOffice sets 仿宋 (Noto CJK) and Times New Roman:
# Chinese 1.34; in a cell of several lines of Chinese with Latin letters or digits, 1.46 (the
# taller of both fonts).
_LINE_FACTOR = 1.35
_MIXED_LINE_FACTOR = 1.47
_FILL = 0.95  # the most of a fresh page that a part may fill, for the estimate's errors
_KEPT_COST = 3  # parting a row from the one it is to stay with: as bad as three merges cut
_WASTE = 0.25  # the most of a page left empty to keep a group of rows whole


@dataclass(frozen=True, slots=True)
class TableBox:
    """Where tables go: the text block's width and height, and the size of the table text, in
    twips (a 9 pt font is 180)."""

    width: int
    height: int
    font: int = 180

    @property
    def line(self) -> int:
        """The estimated height of a line of table text in Chinese."""
        return round(self.font * _LINE_FACTOR)

    def text_height(self, text: str, width: int) -> int:
        """The estimated height of a cell ``width`` twips wide holding ``text``: its lines (a
        character of East Asian width fills one em, the others half an em), and its margins."""
        return _text_height(text, width, self.font)


@lru_cache(maxsize=4096)  # the same labels, marks and figures come back in every table
def _text_height(text: str, width: int, font: int) -> int:
    half_ems = max(2, (width - _CELL_PADDING) * 2 // font)
    if "\n" not in text and text_width(text) <= half_ems:
        return round(font * _LINE_FACTOR) + _ROW_PADDING  # one line
    lines = len(wrap(text, half_ems))
    mixed = not text.isascii() and any(c.isascii() and c.isalnum() for c in text)
    line = round(font * (_MIXED_LINE_FACTOR if mixed and lines > 1 else _LINE_FACTOR))
    return lines * line + _ROW_PADDING


@lru_cache(maxsize=64)  # a unit's combined 自评表 holds its projects' tables again
def table_xml(
    table: Table, box: TableBox, run: Callable[[str], str], offset: int = 0
) -> tuple[str, int]:
    """``w:tbl`` for a table in ``box`` that starts ``offset`` twips below the top of a page,
    and how far down its last page it ends (an estimate); ``run`` turns text into a ``w:r``."""
    grid = _grid(table.widths, box.width)
    plan = _Plan(table, grid, box, offset)
    rows = []
    for number, cells in enumerate(table.rows):
        header = "<w:tblHeader/>" if number < table.header_rows else ""
        keep = "<w:keepNext/>" if plan.keeps(number) else ""
        tcs = []
        for column, cell in _columns(cells):
            width = sum(grid[column : column + cell.span])
            merge, text = plan.cells[number, column]
            tcs.append(_cell(cell, width, merge, text, keep, run))
        rows.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(tcs)}</w:tr>")
    columns = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    xml = (
        "<w:tbl><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{box.width}" w:type="dxa"/>'
        '<w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0"'
        ' w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{columns}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    return xml, plan.end


def _grid(widths: tuple[int, ...], text_width: int) -> list[int]:
    """Column widths in twips, in proportion, adding up to exactly ``text_width``."""
    total = sum(widths)
    grid = [text_width * w // total for w in widths]
    grid[-1] += text_width - sum(grid)
    return grid


def _columns(cells: Sequence[Cell]) -> list[tuple[int, Cell]]:
    """Each cell of a row with the column it starts in."""
    found, column = [], 0
    for cell in cells:
        found.append((column, cell))
        column += cell.span
    return found


@dataclass(slots=True)
class _Merge:
    """A cell and the rows below it that continue it (a vertical merge), ``top`` to ``bottom``."""

    column: int
    span: int
    top: int
    bottom: int
    text: str


# How a cell is written: its vertical merge ("restart", "continue" or "") and its text.
_Written = tuple[str, str]


class _Plan:
    """Which rows stay together on a page, and each cell's merge and text once the merges are
    parted where the table turns a page.

    The pages are laid out beforehand with the rows' estimated heights: a group of rows kept
    together goes where it fits, or whole onto the next page when that leaves little of this
    one empty; else it is parted to fill the page, between two 二级指标 where one fits (a group
    taller than a page is parted wherever it must)."""

    def __init__(self, table: Table, grid: list[int], box: TableBox, offset: int) -> None:
        self.table = table
        self.header = table.header_rows
        merges = _merges(table)
        self.body_merges = [m for m in merges if m.top >= self.header and m.bottom > m.top]
        count = len(table.rows)
        self.joined = [self._joins(number) for number in range(count - 1)] + [False]
        self.turns = False  # whether the table turns a page after its first row
        cuts = self._lay_out(box, offset, _heights(table, grid, box, merges, in_header=False))
        if self.turns:  # a cell merged from the header then keeps its text in the header
            cuts = self._lay_out(box, offset, _heights(table, grid, box, merges, in_header=True))
            self.turns = True
        for cut in cuts:
            self.joined[cut - 1] = False
        self.cells: dict[tuple[int, int], _Written] = {}
        for merge in merges:
            self._write(merge)

    def _lay_out(self, box: TableBox, offset: int, heights: list[int]) -> list[int]:
        """Lay out the pages with the rows' estimated ``heights``: the cuts."""
        self.heights = heights
        self.header_height = sum(self.heights[: self.header])
        self.page = box.height - self.header_height  # a page's room below the header
        self.end = 0  # where the table ends on its last page, set by _cuts
        self.turns = False
        return self._cuts(max(box.height - offset - self.header_height, 0))

    def keeps(self, row: int) -> bool:
        """Whether the row stays on the page of the row below it."""
        return row < len(self.table.rows) - 1 and (row < self.header or self.joined[row])

    def _joins(self, row: int) -> bool:
        """Whether rows ``row`` and ``row + 1`` belong together (a header row always does)."""
        return row < self.header or self._cost(row + 1) > 0

    def _cost(self, row: int) -> int:
        """What parting the table above ``row`` undoes: the merged cells it cuts, and a row
        that is to stay with the one above it (总分, parted from the rows it adds up only where
        nothing else will do)."""
        cut = sum(1 for m in self.body_merges if m.top < row <= m.bottom)
        return cut + (_KEPT_COST if row in self.table.kept else 0)

    def _cuts(self, free: int) -> list[int]:
        """The rows above which groups kept together are parted; sets ``end``, where the table
        ends on its last page, and ``turns``, whether it turns a page after its first row."""
        cuts: list[int] = []
        placed = False  # whether a row of the body is on the page so far
        for top, bottom in self._parts(self.header, len(self.table.rows) - 1):
            while True:
                need = sum(self.heights[top : bottom + 1])
                if need <= free:
                    free -= need
                    placed = True
                    break
                cut = None
                if need > self.page or free >= self.page * _WASTE:
                    # parted to fill this page, rather than leave much of it empty
                    room = min(free, int(self.page * _FILL))
                    cut = self._cut(top, bottom, room, forced=need > self.page)
                    if cut is None and free >= self.page:  # a row taller than a page
                        cut = top + 1
                if cut is not None:
                    placed = True
                    if cut > bottom:
                        free = 0
                        break
                    cuts.append(cut)
                    top = cut
                self.turns = self.turns or placed
                free = self.page
        self.end = self.header_height + self.page - free
        return cuts

    def _cut(self, top: int, bottom: int, free: int, *, forced: bool) -> int | None:
        """Where to part rows ``top`` to ``bottom`` so that the first part fits ``free``: the
        cheapest of the places that fill at least half of what the latest would, the latest of
        those; None where none is (or, unless ``forced``, none between two groups of 二级)."""
        fits: list[tuple[int, int]] = []  # (row, height of the rows above it)
        used = 0
        for row in range(top + 1, bottom + 1):
            used += self.heights[row - 1]
            if used > free:
                break
            if forced or self._cost(row) <= 1:
                fits.append((row, used))
        if not fits:
            return None
        fullest = max(used for _row, used in fits)
        return min(
            (row for row, used in fits if used * 2 >= fullest),
            key=lambda row: (self._cost(row), -row),
        )

    def _parts(self, top: int, bottom: int) -> list[tuple[int, int]]:
        """Rows ``top`` to ``bottom`` in the groups that stay on one page."""
        parts, start = [], top
        for row in range(top, bottom):
            if not self.joined[row]:
                parts.append((start, row))
                start = row + 1
        if start <= bottom:
            parts.append((start, bottom))
        return parts

    def _write(self, merge: _Merge) -> None:
        """Each cell of a merge, parted where its rows may turn a page."""
        if merge.top < self.header <= merge.bottom:
            # from a header row down beside the body (绩效指标): whole where the table keeps
            # to one page; else its text stays in the header, which repeats on every page, and
            # below it is an empty cell for each group of rows kept together
            if not self.turns:
                self._segment(merge.column, merge.top, merge.bottom, merge.text)
                return
            self._segment(merge.column, merge.top, self.header - 1, merge.text)
            for top, bottom in self._parts(self.header, merge.bottom):
                self._segment(merge.column, top, bottom, "")
            return
        for top, bottom in self._parts(merge.top, merge.bottom):
            self._segment(merge.column, top, bottom, merge.text)

    def _segment(self, column: int, top: int, bottom: int, text: str) -> None:
        self.cells[top, column] = ("restart" if bottom > top else "", text)
        for row in range(top + 1, bottom + 1):
            self.cells[row, column] = ("continue", "")


def _merges(table: Table) -> list[_Merge]:
    """Every cell that is not a continuation, with the rows that continue it."""
    merges: list[_Merge] = []
    above: dict[int, _Merge] = {}
    for number, cells in enumerate(table.rows):
        here: dict[int, _Merge] = {}
        for column, cell in _columns(cells):
            if cell.merged and column in above:
                merge = above[column]
                merge.bottom = number
            else:
                merge = _Merge(column, cell.span, number, number, cell.text)
                merges.append(merge)
            here[column] = merge
        above = here
    return merges


def _heights(
    table: Table, grid: list[int], box: TableBox, merges: list[_Merge], *, in_header: bool
) -> list[int]:
    """Each row's height in twips, estimated from its text as the table's font sets it (a
    character of East Asian width fills one em, the others half an em). A merged cell's text
    taller than its rows makes its last row taller; one merged from the header down counts in
    the header rows when ``in_header`` (where its text stays when the table turns a page)."""
    heights = []
    spanning = {(m.top, m.column) for m in merges if m.bottom > m.top}
    for number, cells in enumerate(table.rows):
        height = box.line + _ROW_PADDING
        for column, cell in _columns(cells):
            if cell.text and not cell.merged and (number, column) not in spanning:
                width = sum(grid[column : column + cell.span])
                height = max(height, box.text_height(cell.text, width))
        heights.append(height)
    for merge in merges:
        if merge.bottom > merge.top and merge.text:
            width = sum(grid[merge.column : merge.column + merge.span])
            height = box.text_height(merge.text, width)
            header = merge.top < table.header_rows <= merge.bottom
            last = table.header_rows - 1 if header and in_header else merge.bottom
            rows = sum(heights[merge.top : last + 1])
            if height > rows:
                heights[last] += height - rows
    return heights


def _cell(
    cell: Cell, width: int, merge: str, text: str, keep: str, run: Callable[[str], str]
) -> str:
    properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.span > 1:
        properties += f'<w:gridSpan w:val="{cell.span}"/>'
    if merge == "continue":
        properties += "<w:vMerge/>"
    elif merge:
        properties += f'<w:vMerge w:val="{merge}"/>'
    properties += '<w:vAlign w:val="center"/>'
    align = '<w:jc w:val="left"/>' if cell.left else ""
    paragraph_properties = f'<w:pPr><w:pStyle w:val="TableText"/>{keep}{align}</w:pPr>'
    lines = text.split("\n") if text and merge != "continue" else [""]
    paragraphs = "".join(f"<w:p>{paragraph_properties}{run(line)}</w:p>" for line in lines)
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraphs}</w:tc>"
