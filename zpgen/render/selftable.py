"""The 项目支出绩效自评表 of one project, laid out by its layout (``zpgen.model.layout``) as rows
of cells that ``templates/selftable.j2`` draws.

Every cell's text is worked out here, from the project's data, figures and scores and the
settings (金额单位, 金额小数位 and 补零, 一级指标分值, 财政拨款称谓, 空白指标行, 资金来源行):
what the template gets is inert text. Each cell carries the table markup that opens it
(``|2<``, ``|^``: ``zpgen.render.markup``) as template text, and its text as data, which the
template prints escaped like any other value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from zpgen.figures.budget import Figures, execution_rate
from zpgen.figures.formats import NumberFormat, money
from zpgen.figures.scoring import IndicatorScore, ScoreSheet
from zpgen.figures.targets import Kind, parse_quantity, parse_target
from zpgen.model.layout import (
    EXTRA_PREFIX,
    PART_BLANK,
    PART_VALUE,
    CellSpec,
    FundBlock,
    GradeRow,
    IndicatorBlock,
    IndicatorColumn,
    Layout,
    RowSpec,
    TotalRow,
    scored_columns,
    total_split,
)
from zpgen.model.schema import (
    FUND_SYNONYMS,
    LEVEL2_BY_LEVEL1,
    AmountUnit,
    FundAmounts,
    GrantLabel,
    Indicator,
    PlaceholderRows,
    Project,
    Settings,
    Unit,
)
from zpgen.model.values import Items
from zpgen.render.markup import escape_value

__all__ = ["CellView", "RowView", "SectionView", "TablePart", "TableView", "fund_rows", "table"]

_WAN_IN_YUAN = Decimal(10000)


@dataclass(frozen=True, slots=True)
class CellView:
    """One cell: ``mark`` opens it in the table markup (``|``, ``|2<``, ``|^``), ``text`` is what
    it holds (its paragraphs one a line; "" for none)."""

    mark: Markup
    text: str
    merged: bool = False


@dataclass(frozen=True, slots=True)
class RowView:
    """One row: ``mark`` is ``%row``, ``%header`` or ``%row keep`` (a row that stays on the
    page of the row above it: 总分 and 自评等级)."""

    mark: Markup
    cells: tuple[CellView, ...]

    @property
    def markup(self) -> Markup:
        """The row as the table markup writes it: its mark, then a line for each cell (the
        built-in template prints this; a template of one's own may draw the cells itself)."""
        cells = (f"{cell.mark} {escape_value(cell.text)}" for cell in self.cells)
        return Markup("\n".join([self.mark, *cells]))


@dataclass(frozen=True, slots=True)
class SectionView:
    """One item of the layout's 行, as rows: ``kind`` is cells, funds, indicators, total or
    grade (the block of ``selftable.j2`` that draws it)."""

    kind: str
    rows: tuple[RowView, ...]


@dataclass(frozen=True, slots=True)
class TablePart:
    """The sections of one table of the markup: a new one starts at each indicator block, whose
    header row repeats at the top of every page."""

    sections: tuple[SectionView, ...]


@dataclass(frozen=True, slots=True)
class TableView:
    """A project's 自评表 as its layout lays it out."""

    name: str  # the layout's 名称
    title: str
    report_number: str | None  # None: the layout prints none; "" printed blank
    year_line: bool  # “（2023年度）” below the title
    widths: tuple[int, ...]
    parts: tuple[TablePart, ...]
    signatures: tuple[str, ...]  # "项目负责人：张三", one a signature


_ROW = Markup("%row")
_HEADER = Markup("%header")
_KEPT = Markup("%row keep")
_MERGED = CellView(Markup("|^"), "", merged=True)


def _cell(text: str, span: int = 1, *, left: bool = False) -> CellView:
    mark = "|" + (str(span) if span > 1 else "") + ("<" if left else "")
    return CellView(Markup(mark), text)


def fund_rows(layout: Layout, settings: Settings) -> tuple[str, ...]:
    """The fund sources the table has rows for, in their order: 资金来源行, else the layout's
    (empty when it has no budget block)."""
    if settings.fund_rows:
        return tuple(FUND_SYNONYMS.get(name, name) for name in settings.fund_rows)
    for row in layout.rows:
        if row.funds is not None:
            return tuple(FUND_SYNONYMS.get(name, name) for name in row.funds.sources)
    return ()


def table(
    layout: Layout,
    *,
    project: Project,
    figures: Figures,
    sheet: ScoreSheet,
    settings: Settings,
    unit: Unit,
    year: int,
    numbers: NumberFormat,
) -> TableView:
    """The table of one scored project."""
    maker = _Maker(layout, project, figures, sheet, settings, unit, year, numbers)
    parts: list[list[SectionView]] = [[]]
    indicators: IndicatorBlock | None = None
    for row in layout.rows:
        if row.indicators is not None:
            indicators = row.indicators
            if parts[-1]:
                parts.append([])
        parts[-1].append(maker.section(row, indicators))
    number = (project.report_number or "") if layout.report_number else None
    signatures = tuple(
        f"{name}：{project.extra.get(maker.fill(name), '')}" for name in layout.signatures
    )
    return TableView(
        name=layout.name,
        title=maker.fill(layout.title),
        report_number=number,
        year_line=layout.year_line,
        widths=layout.widths,
        parts=tuple(TablePart(tuple(sections)) for sections in parts),
        signatures=signatures,
    )


class _Maker:
    """Works out the cells of one project's table."""

    def __init__(
        self,
        layout: Layout,
        project: Project,
        figures: Figures,
        sheet: ScoreSheet,
        settings: Settings,
        unit: Unit,
        year: int,
        numbers: NumberFormat,
    ) -> None:
        self.layout = layout
        self.project = project
        self.figures = figures
        self.sheet = sheet
        self.settings = settings
        self.unit = unit
        self.year = year
        self.numbers = numbers
        self.yuan = settings.amount_unit is AmountUnit.YUAN
        budget = sheet.budget.weight
        self.words = {
            "{年度}": str(year),
            "{金额单位}": (settings.amount_unit or AmountUnit.WAN).value,
            "{预算分值}": money(budget),
            "{指标分值}": money(sheet.full_marks - budget),
            "{总分值}": money(sheet.full_marks),
        }

    def fill(self, text: str) -> str:
        """A text of the layout with its placeholders ({年度}…) filled in."""
        if "{" in text:
            for word, value in self.words.items():
                text = text.replace(word, value)
        return text

    def section(self, row: RowSpec, indicators: IndicatorBlock | None) -> SectionView:
        if row.cells is not None:
            rows = [self.cells(row.cells)]
        elif row.funds is not None:
            rows = self.funds(row.funds)
        elif row.indicators is not None:
            rows = self.indicators(row.indicators)
        elif row.total is not None:
            rows = [self.total(row.total, _known(indicators))]
        else:
            assert row.grade is not None
            rows = [self.grade(row.grade, _known(indicators))]
        return SectionView(row.kind, tuple(rows))

    # --- rows of cells ---------------------------------------------------------------------

    def cells(self, specs: Sequence[CellSpec]) -> RowView:
        cells = []
        for spec in specs:
            if spec.merged:
                cells.append(_MERGED)
            elif spec.content is not None:
                cells.append(_cell(self.content(spec.content), spec.span, left=spec.left))
            else:
                cells.append(_cell(self.fill(spec.text or ""), spec.span, left=spec.left))
        return RowView(_ROW, tuple(cells))

    def content(self, name: str) -> str:
        """The text of one of the project's values, by its name in a layout ("" when empty)."""
        project, unit = self.project, self.unit
        if name.startswith(EXTRA_PREFIX):
            return project.extra.get(name[len(EXTRA_PREFIX) :].strip(), "")
        values: dict[str, Callable[[], str | None]] = {
            "项目名称": lambda: project.name,
            "项目类别": lambda: project.category,
            "主管部门": lambda: unit.department or unit.name,
            "实施单位": lambda: project.implementing_unit or unit.name,
            "报表编号": lambda: project.report_number,
            "资金文号": lambda: project.fund_document,
            "资金用途": lambda: project.purpose,
            "预期目标": lambda: _lines(project.goal.expected),
            "实际完成情况": lambda: _lines(project.goal.achieved),
            "项目概况": lambda: project.overview,
            "项目实施内容": lambda: project.implementation,
            "评价结论": lambda: project.conclusion,
            "存在问题": lambda: project.problems,
            "改进措施": lambda: project.improvements,
            "偏离原因": lambda: project.deviation_reasons,
            "预算调整原因": lambda: project.adjustment_reason,
            "经验与建议": lambda: project.lessons,
            "其他需要说明的问题": lambda: project.other_matters,
            "佐证材料": lambda: _lines(project.evidence) if project.evidence else None,
            "总分": lambda: _maybe(self.numbers.score, self.sheet.total),
            "自评等级": lambda: self.sheet.grade,
            "年度": lambda: str(self.year),
        }
        return values[name]() or ""

    # --- the budget block -------------------------------------------------------------------

    def amount(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        return self.numbers.money(value * _WAN_IN_YUAN if self.yuan else value)

    def funds(self, block: FundBlock) -> list[RowView]:
        label = [_cell(self.fill(block.label or ""), block.label_span)] if block.label_span else []
        merged = [_MERGED] if block.label_span else []
        name_title = self.fill(block.name_title or "")
        header = [
            *label,
            _cell(name_title, block.name_span),
            *(_cell(self.fill(c.title), c.span) for c in block.columns),
        ]
        rows = [RowView(_ROW, tuple(header))]
        total = [*merged, _cell(self.fill(block.total), block.name_span)]
        total += [_cell(self.fund_total(c.content), c.span, left=c.left) for c in block.columns]
        rows.append(RowView(_ROW, tuple(total)))
        sources = dict(self.project.fund_sources.entries()) if self.project.fund_sources else {}
        prefix = self.fill(block.parts_prefix or "")
        for number, source in enumerate(fund_rows(self.layout, self.settings)):
            name = self.source_label(source)
            cells = [*merged, _cell(prefix + name if number == 0 else name, block.name_span)]
            part = sources.get(source)
            for column in block.columns:
                text = self.fund_part(column.content, column.parts, part)
                cells.append(_cell(text, column.span, left=column.left))
            rows.append(RowView(_ROW, tuple(cells)))
        return rows

    def source_label(self, source: str) -> str:
        if source == "本年财政拨款" and self.settings.grant_label is GrantLabel.THIS_YEAR:
            return GrantLabel.THIS_YEAR.value
        return source

    def fund_total(self, content: str) -> str:
        f, budget = self.figures, self.sheet.budget
        figures: dict[str, Callable[[], str]] = {
            "年初预算数": lambda: self.amount(f.initial),
            "全年预算数": lambda: self.amount(f.adjusted),
            "全年执行数": lambda: self.amount(f.spent),
            "分值": lambda: money(budget.weight),
            "执行率": lambda: self.numbers.percent(budget.rate),
            "得分": lambda: self.numbers.score(budget.score),
        }
        found = figures.get(content)
        return found() if found is not None else self.content(content)

    def fund_part(self, content: str, choice: str | None, part: FundAmounts | None) -> str:
        amounts = {"年初预算数": "initial", "全年预算数": "adjusted", "全年执行数": "spent"}
        if choice is None:
            default = "—" if content in ("分值", "得分") else PART_BLANK
            choice = PART_VALUE if content in amounts else default
        if choice not in (PART_VALUE, PART_BLANK):
            return self.fill(choice)  # written as it is: “—”, “/”
        if choice == PART_BLANK or part is None:
            return ""
        if content in amounts:
            return self.amount(getattr(part, amounts[content]))
        if content == "执行率" and part.adjusted is not None and part.spent is not None:
            if not part.adjusted:  # nothing budgeted: printed 0% when nothing was spent either
                return self.numbers.percent(Decimal(0)) if not part.spent else ""
            ratio = execution_rate(part.spent, part.adjusted, self.numbers.rate_places)
            return self.numbers.percent(ratio)
        return ""

    # --- the indicator block ---------------------------------------------------------------

    def indicators(self, block: IndicatorBlock) -> list[RowView]:
        header = [_cell(self.fill(block.label or ""), block.label_span)] if block.label_span else []
        header += [_cell(self.fill(c.title), c.span) for c in block.columns]
        rows = [RowView(_HEADER, tuple(header))]
        merged = [_MERGED] if block.label_span else []
        for level1, level2, item, placeholder, first1, first2 in self.indicator_rows(block):
            cells = list(merged)
            for column in block.columns:
                if column.content == "一级指标":
                    cells.append(_cell(self.level1(level1), column.span) if first1 else _MERGED)
                elif column.content == "二级指标":
                    cells.append(_cell(level2, column.span) if first2 else _MERGED)
                elif item is None:
                    text = placeholder if column.content == "三级指标" else ""
                    cells.append(_cell(text, column.span, left=column.left))
                else:
                    text = self.indicator(column, item)
                    cells.append(_cell(text, column.span, left=column.left))
            rows.append(RowView(_ROW, tuple(cells)))
        return rows

    def level1(self, level1: str) -> str:
        if self.settings.level1_weight:
            return f"{level1}（{money(self.sheet.level1_weight(level1))}分）"
        return level1

    def indicator_rows(
        self, block: IndicatorBlock
    ) -> list[tuple[str, str, IndicatorScore | None, str, bool, bool]]:
        """(一级, 二级, the scored indicator or None, the blank row's name, first of its 一级,
        first of its 二级) for each row, in the official order."""
        choice = self.settings.placeholder_rows or PlaceholderRows.NONE
        by_group: dict[tuple[str, str], list[IndicatorScore]] = {}
        for item in self.sheet.indicators:
            by_group.setdefault((item.indicator.level1, item.indicator.level2), []).append(item)
        found: list[tuple[str, str, IndicatorScore | None, str, bool, bool]] = []
        for level1, level2s in LEVEL2_BY_LEVEL1.items():
            shown = choice is not PlaceholderRows.NONE and (
                self.sheet.level1_weight(level1) > 0 or any(key[0] == level1 for key in by_group)
            )
            first1 = True
            for level2 in level2s:
                items = by_group.get((level1, level2), [])
                blanks: Sequence[str] = ()
                if shown and (not items or choice is PlaceholderRows.EVERY_GROUP):
                    blanks = block.placeholders
                first2 = True
                for entry in [*items, *blanks]:
                    scored = entry if isinstance(entry, IndicatorScore) else None
                    name = entry if isinstance(entry, str) else ""
                    found.append((level1, level2, scored, name, first1, first2))
                    first1 = first2 = False
        return found

    def indicator(self, column: IndicatorColumn, item: IndicatorScore) -> str:
        i: Indicator = item.indicator
        target = parse_target(i.target)
        values: dict[str, Callable[[], str | None]] = {
            "三级指标": lambda: i.name,
            "年度指标值": lambda: i.target,
            "指标性质": lambda: target.kind.value,
            "指标值": lambda: target.text if target.value is None else format(target.value, "f"),
            "度量单位": lambda: target.unit,
            "实际完成值": lambda: i.actual,
            "完成值": lambda: _actual_number(i.actual, target.kind),
            "分值": lambda: money(item.weight),
            "得分": lambda: _maybe(self.numbers.score, item.score),
            "偏差原因": lambda: _deviation(i),
            "完成情况": lambda: i.narrative,
        }
        return values[column.content]() or ""

    # --- 总分 and 等级 ------------------------------------------------------------------------

    def total(self, row: TotalRow, block: IndicatorBlock) -> RowView:
        split = total_split(block)
        assert split is not None  # the layout was checked when it was read
        cells = [_cell(self.fill(row.label), split)]
        for column in scored_columns(block):
            if column.content == "分值":
                text = money(self.sheet.full_marks)
            elif column.content == "得分":
                text = _maybe(self.numbers.score, self.sheet.total) or ""
            else:
                text = ""
            cells.append(_cell(text, column.span))
        return RowView(_KEPT, tuple(cells))

    def grade(self, row: GradeRow, block: IndicatorBlock) -> RowView:
        split = total_split(block)
        assert split is not None
        rest = sum(c.span for c in scored_columns(block))
        return RowView(
            _KEPT, (_cell(self.fill(row.label), split), _cell(self.sheet.grade or "", rest))
        )


def _known(block: IndicatorBlock | None) -> IndicatorBlock:
    assert block is not None  # the layout was checked when it was read
    return block


def _lines(items: Items) -> str:
    return "\n".join(items.lines)


def _maybe(format_: Callable[[Decimal], str], value: Decimal | None) -> str | None:
    return None if value is None else format_(value)


def _deviation(indicator: Indicator) -> str:
    """偏差原因, with the reason of a hand-set score as a paragraph of its own."""
    text = indicator.deviation or ""
    if indicator.score_reason:
        text += "\n得分说明：" + indicator.score_reason
    return text


def _actual_number(actual: str | None, kind: Kind) -> str | None:
    """The number of 实际完成值 (“18个” → 18), or the text of a qualitative one."""
    if actual is None:
        return None
    parsed = parse_quantity(actual) if kind is not Kind.QUALITATIVE else None
    return actual if parsed is None else format(parsed[0], "f")
