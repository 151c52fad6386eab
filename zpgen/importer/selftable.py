"""A 自评表 read against a layout (``layouts.py``): cells → keys.

The rows of a file's tables (or sheets) are read as one stream, each row as its distinct cells
(a merged cell once, at the first column it covers). A row with the label 项目名称 starts a
project; a header row (the fund columns, the goal columns, the indicator columns) says what the
rows below it hold, by column; 总分 and 自评等级 close the indicator rows. Printed figures that
zpgen computes (执行率, the scores, the total) are kept as ``印.`` keys to be compared, and every
cell that was read names its place (表2第3行第4列, Sheet1!D5).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from zpgen.importer.blocks import Block, Grid, GridCell, Paragraph
from zpgen.importer.draft import PRINTED, IndicatorDraft, ProjectDraft, Value
from zpgen.importer.layouts import LAYOUTS, TableLayout
from zpgen.importer.narrative import AMOUNT_KEYS, clean

__all__ = ["Tables", "read_tables"]

_UNIT_IN_LABEL = re.compile(r"[（(](?:万元|元|\d+(?:\.\d+)?分)[）)]")
_HEADER_MINIMUM = {"fund": 3, "indicator": 4}
_NUMERIC = frozenset({"分值", "得分", "印.预算分值", "印.预算得分", *AMOUNT_KEYS})


def label(text: str) -> str:
    """A cell as a label: no spaces, no unit or weight in brackets, no final colon."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return _UNIT_IN_LABEL.sub("", text).rstrip(":：")


@dataclass
class Tables:
    """What one file's tables gave: the projects, the year, the 主管部门, and which of the
    file's paragraphs were the tables' titles (not the report's text)."""

    layout: TableLayout
    projects: list[ProjectDraft] = field(default_factory=list)
    year: Value | None = None
    department: Value | None = None
    title_paragraphs: set[int] = field(default_factory=set)  # indices into the blocks
    first_block: int = -1


def read_tables(name: str, blocks: tuple[Block, ...]) -> Tables | None:
    """The 自评表 in a file's blocks; None when it has none."""
    grids = [b for b in blocks if isinstance(b, Grid)]
    if not grids:
        return None
    for layout in LAYOUTS:
        reader = _Reader(name, layout)
        for index, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                reader.paragraph(index, block)
            else:
                reader.grid(index, block)
        if reader.tables.projects:
            return reader.tables
    return None


def _distinct(row: tuple[GridCell, ...]) -> list[tuple[int, GridCell]]:
    found: list[tuple[int, GridCell]] = []
    for column, cell in enumerate(row):
        if found and found[-1][1].origin == cell.origin:
            continue
        if any(c.origin == cell.origin for _, c in found):
            continue
        found.append((column, cell))
    return found


def _match(patterns: Mapping[str, str], text: str) -> str | None:
    """The key of the first label pattern that matches the whole text."""
    for pattern, key in patterns.items():
        if re.fullmatch(pattern, text):
            return key
    return None


class _Reader:
    def __init__(self, name: str, layout: TableLayout) -> None:
        self.name = name
        self.layout = layout
        self.tables = Tables(layout)
        self.mode = ""
        self.columns: dict[str, int] = {}
        self.project: ProjectDraft | None = None

    def value(self, text: str, cell: GridCell | Paragraph, key: str = "") -> Value:
        if key in _NUMERIC:
            text = unicodedata.normalize("NFKC", text).replace(",", "")
        return Value(clean(text), f"{self.name} {cell.where}")

    def paragraph(self, index: int, paragraph: Paragraph) -> None:
        text = clean(paragraph.text)
        if label(text) == self.layout.title:
            self.tables.title_paragraphs.add(index)
        elif (found := re.fullmatch(self.layout.year, text)) is not None:
            self.tables.title_paragraphs.add(index)
            self.tables.year = self.tables.year or self.value(found.group("year"), paragraph)

    def grid(self, index: int, grid: Grid) -> None:
        before = len(self.tables.projects)
        for row in grid.rows:
            self.row(_distinct(row), row)
        if len(self.tables.projects) > before and self.tables.first_block < 0:
            self.tables.first_block = index

    def row(self, cells: list[tuple[int, GridCell]], row: tuple[GridCell, ...]) -> None:
        labels = [label(c.text) for _, c in cells]
        if self.titles(cells, labels):
            return
        if "项目名称" in labels:
            self.project = ProjectDraft(table=True)
            self.tables.projects.append(self.project)
            self.mode = ""
        if self.project is None:
            return
        self.beside(cells, labels)
        if self.header(cells, labels):
            return
        if self.closing(cells, labels, row):
            return
        if self.mode == "fund":
            self.fund_row(cells, labels, row)
        elif self.mode == "goal":
            self.goal_row(row)
        elif self.mode == "indicator":
            self.indicator_row(row)

    def titles(self, cells: list[tuple[int, GridCell]], labels: list[str]) -> bool:
        """A sheet's title rows: the table's title, the year."""
        if len(cells) != 1:
            return False
        if labels[0] == self.layout.title:
            return True
        found = re.fullmatch(self.layout.year, clean(cells[0][1].text))
        if found is not None:
            self.tables.year = self.tables.year or self.value(found.group("year"), cells[0][1])
            return True
        return False

    def beside(self, cells: list[tuple[int, GridCell]], labels: list[str]) -> None:
        assert self.project is not None
        for number, text in enumerate(labels[:-1]):
            key = _match(self.layout.beside, text)
            if key is None:
                continue
            cell = cells[number + 1][1]
            if not clean(cell.text) or _match(self.layout.beside, labels[number + 1]):
                continue
            value = self.value(cell.text, cell)
            if key == "主管部门":
                self.tables.department = self.tables.department or value
            else:
                self.project.set(key, value)

    def header(self, cells: list[tuple[int, GridCell]], labels: list[str]) -> bool:
        for mode, patterns in (
            ("fund", self.layout.fund_columns),
            ("goal", self.layout.goal_columns),
            ("indicator", self.layout.indicator_columns),
        ):
            columns = {}
            for (column, _cell), text in zip(cells, labels, strict=True):
                key = _match(patterns, text)
                if key is not None and key not in columns:
                    columns[key] = column
            if len(columns) >= _HEADER_MINIMUM.get(mode, len(patterns)):
                self.mode, self.columns = mode, columns
                return True
        return False

    def closing(
        self, cells: list[tuple[int, GridCell]], labels: list[str], row: tuple[GridCell, ...]
    ) -> bool:
        assert self.project is not None
        if any(re.fullmatch(self.layout.total, t) for t in labels):
            column = self.columns.get("得分") if self.mode == "indicator" else None
            if column is not None and column < len(row) and clean(row[column].text):
                self.project.set("印.总分", self.value(row[column].text, row[column], "得分"))
            self.mode = ""
            return True
        for number, text in enumerate(labels[:-1]):
            if re.fullmatch(self.layout.grade, text):
                cell = cells[number + 1][1]
                self.project.set("印.自评等级", self.value(cell.text, cell))
                self.mode = ""
                return True
        return False

    def cell(self, row: tuple[GridCell, ...], key: str) -> GridCell | None:
        column = self.columns.get(key)
        if column is None or column >= len(row):
            return None
        found = row[column]
        if re.fullmatch(self.layout.empty, label(found.text)):
            return None
        return found

    def fund_row(
        self, cells: list[tuple[int, GridCell]], labels: list[str], row: tuple[GridCell, ...]
    ) -> None:
        assert self.project is not None
        source = next(
            (k for t in labels if (k := _match(self.layout.fund_rows, t)) is not None), None
        )
        if source is None:
            return
        for key in self.columns:
            found = self.cell(row, key)
            if found is None:
                continue
            value = self.value(found.text, found, key)
            if source == "":
                self.project.set(key, value)
            elif not key.startswith(PRINTED):
                self.project.funds.setdefault(source, {})[key] = value

    def goal_row(self, row: tuple[GridCell, ...]) -> None:
        assert self.project is not None
        for key in self.columns:
            found = self.cell(row, key)
            if found is not None:
                self.project.set(key, self.value(found.text, found))
        self.mode = ""

    def indicator_row(self, row: tuple[GridCell, ...]) -> None:
        assert self.project is not None
        name = self.cell(row, "三级指标")
        target = self.cell(row, "年度指标值")
        if name is None or target is None:
            return  # a blank row of the form
        indicator = IndicatorDraft()
        for key in self.columns:
            found = self.cell(row, key)
            if found is None:
                continue
            if key in ("一级指标", "二级指标"):
                indicator.set(key, Value(label(found.text), f"{self.name} {found.where}"))
            elif key == "得分":
                indicator.printed_score = self.value(found.text, found, key)
            elif key == "偏差原因":
                self.deviation(indicator, found)
            else:
                indicator.set(key, self.value(found.text, found, key))
        self.project.indicators.append(indicator)

    def deviation(self, indicator: IndicatorDraft, cell: GridCell) -> None:
        """偏差原因分析及改进措施, and a hand-set score's reason after “得分说明：”."""
        where = f"{self.name} {cell.where}"
        lines: list[str] = []
        for line in (clean(t) for t in cell.text.split("\n")):
            if line.startswith(self.layout.score_reason):
                reason = clean(line.removeprefix(self.layout.score_reason))
                if reason:
                    indicator.set("得分说明", Value(reason, where))
            elif line:
                lines.append(line)
        if lines:
            indicator.set("偏差原因", Value("\n".join(lines), where))
