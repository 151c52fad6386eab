"""自评表 layouts: what a 项目支出绩效自评表 holds and where, as data.

A layout is a YAML file: the table's columns (``列宽``), then its rows from top to bottom
(``行``): rows of cells written out (``格``: fixed text, a value of the project, or a cell merged
with the one above), the budget block (``资金``: its columns and fund rows), the indicator block
(``指标``: its columns; its header row repeats on every page), the total (``总分``) and the grade
(``等级``). ``templates/selftable.j2`` draws any layout. The built-in layouts are in
``templates/layouts/``; a workspace adds its own, in the same form, as ``layouts/*.yaml`` in its
template folder (one with a built-in's name replaces it). ``设置:`` in a layout gives defaults for
the settings (权重, 金额单位, 一级指标分值…) that a workspace, unit or project may still change.

A layout file is read like a data file: every problem is named with its file, line, column and
key, all at once.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from zpgen.errors import Problem, ZpgenError
from zpgen.i18n import _
from zpgen.limits import DEFAULT_LIMITS, Limits
from zpgen.load.yaml_file import KeyPath, Located, parse_yaml, read_yaml
from zpgen.model.explain import suggest
from zpgen.model.keys import spelled_path
from zpgen.model.schema import Settings
from zpgen.model.validate import validate
from zpgen.model.values import FORBIDDEN_CHARACTERS, Flag, Text
from zpgen.resources import builtin_templates

__all__ = [
    "CELL_CONTENTS",
    "DEFAULT_LAYOUT",
    "FUND_CONTENTS",
    "INDICATOR_CONTENTS",
    "LAYOUT_FOLDER",
    "CellSpec",
    "FundBlock",
    "FundColumn",
    "GradeRow",
    "IndicatorBlock",
    "IndicatorColumn",
    "Layout",
    "Layouts",
    "RowSpec",
    "TotalRow",
    "builtin_layouts",
    "load_layouts",
]

# The folder of layouts, in the built-in template folder and in a workspace's.
LAYOUT_FOLDER = "layouts"
DEFAULT_LAYOUT = "财预〔2020〕10号附件1"

# What a cell of a row (格) can hold: a value of the project, by its Chinese name; also
# 附加.<name>, an entry of the project's 附加.
CELL_CONTENTS = (
    "项目名称",
    "项目类别",
    "主管部门",
    "实施单位",
    "报表编号",
    "资金文号",
    "资金用途",
    "预期目标",
    "实际完成情况",
    "项目概况",
    "项目实施内容",
    "评价结论",
    "存在问题",
    "改进措施",
    "偏离原因",
    "预算调整原因",
    "经验与建议",
    "其他需要说明的问题",
    "佐证材料",
    "总分",
    "自评等级",
    "年度",
)
# What a column of the budget block (资金) shows: a figure, or a text of the project (for the
# total row; a 原因 column).
FUND_CONTENTS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
# What a column of the indicator block (指标) shows, for each indicator.
INDICATOR_CONTENTS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "指标性质",  # ≥, =, ≤ or 定性
    "指标值",  # the number of 年度指标值 (its text for a qualitative one)
    "度量单位",  # the unit of 年度指标值
    "实际完成值",
    "完成值",  # the number of 实际完成值
    "分值",
    "得分",
    "偏差原因",  # 偏差原因 and, for a hand-set score, “得分说明：…”
    "完成情况",
)
EXTRA_PREFIX = "附加."
# Words a text of the layout may hold, replaced by their values: the budget year, the unit of
# the amounts (万元 or 元), the points of 预算执行率, of the indicators, and of the whole table.
PLACEHOLDERS = ("{年度}", "{金额单位}", "{预算分值}", "{指标分值}", "{总分值}")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# What a source row shows in a column of the budget block: its value, nothing, or else the text
# written (“—”, “/”).
PART_VALUE, PART_BLANK = "数值", "空"


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
    )


def _whole(low: int, high: int) -> Any:
    """A whole number from ``low`` to ``high`` (written as text in the YAML)."""

    def check(value: Any) -> Any:
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and text.isdigit() and text.isascii():
            text = int(text)
        if isinstance(text, int) and not isinstance(text, bool) and low <= text <= high:
            return text
        message = _("should be a whole number from {low} to {high}")
        raise ValueError(message.format(low=low, high=high))

    return BeforeValidator(check)


_SPAN_SCHEMA = WithJsonSchema({"type": ["integer", "string"]})
Span = Annotated[int, _whole(1, 100), _SPAN_SCHEMA]
LabelSpan = Annotated[int, _whole(0, 100), _SPAN_SCHEMA]
Width = Annotated[int, _whole(1, 1000), _SPAN_SCHEMA]


def _placeholders(text: str | None) -> str | None:
    if text is not None:
        for found in _PLACEHOLDER.findall(text):
            if found not in PLACEHOLDERS:
                message = _("holds {found}, which zpgen does not fill in; it fills in {known}")
                raise ValueError(message.format(found=found, known="、".join(PLACEHOLDERS)))
    return text


def _content(choices: tuple[str, ...], extras: bool) -> Any:
    def check(value: Any) -> Any:
        if value is None or value in choices:
            return value
        extra = extras and isinstance(value, str) and value.startswith(EXTRA_PREFIX)
        if extra and value[len(EXTRA_PREFIX) :].strip():
            return value
        close = suggest(str(value), list(choices))
        listed = "、".join(choices) + ("、附加.<名称>" if extras else "")
        if close is not None:
            message = _("is “{value}”, which zpgen does not know (did you mean “{close}”?)")
            raise ValueError(message.format(value=value, close=close))
        message = _("is “{value}”, which zpgen does not know; it knows {choices}")
        raise ValueError(message.format(value=value, choices=listed))

    return BeforeValidator(check)


def _mark(value: Any) -> Any:
    """What a source row prints in a column: a word or a mark such as “—” or “/”, one line."""
    if isinstance(value, str):
        text = value.strip()
        if not text or "\n" in text or FORBIDDEN_CHARACTERS.search(text):
            raise ValueError(_("should be 数值, 空, or the text to print, such as — or /"))
        return text
    return value


LayoutText = Annotated[Text, BeforeValidator(_placeholders)]
PartText = Annotated[str, BeforeValidator(_mark), WithJsonSchema({"type": "string"})]
CellContent = Annotated[Text, _content(CELL_CONTENTS, extras=True)]
FundContent = Annotated[Text, _content(FUND_CONTENTS + CELL_CONTENTS, extras=True)]
IndicatorContent = Annotated[Text, _content(INDICATOR_CONTENTS, extras=False)]


def _cell_shorthand(value: Any) -> Any:
    """A cell written as text alone is fixed text; ``^`` continues the cell above."""
    if isinstance(value, str):
        return {"合并": "是"} if value.strip() == "^" else {"文字": value}
    return value


class CellSpec(_Model):
    """One cell of a row: fixed text, a value of the project, or the cell above continued."""

    text: LayoutText | None = Field(
        None, alias="文字", description="印在格中的文字（可含{年度}等）"
    )
    content: CellContent | None = Field(
        None, alias="内容", description="印出项目的一项内容，如项目名称、预期目标、附加.项目负责人"
    )
    merged: Flag = Field(False, alias="合并", description="与上方的格合并（也可只写“^”）")
    span: Span = Field(1, alias="跨", description="占的列数（默认1）")
    left: Flag = Field(False, alias="靠左", description="文字靠左（默认居中）")


Cell = Annotated[CellSpec, BeforeValidator(_cell_shorthand, json_schema_input_type=CellSpec | str)]


class FundColumn(_Model):
    """One column of the budget block."""

    content: FundContent = Field(
        alias="内容",
        description="年初预算数、全年预算数、全年执行数、分值、执行率、得分，或项目的一项文字",
    )
    title: LayoutText = Field(alias="标题", description="表头")
    span: Span = Field(1, alias="跨", description="占的列数（默认1）")
    parts: PartText | None = Field(
        None,
        alias="其中各行",
        description="资金来源各行印什么：数值、空，或照写的文字如“—”“/”（默认：金额印数值，"
        "分值和得分印—，其余空）",
    )
    left: Flag = Field(False, alias="靠左", description="文字靠左（默认居中）")


class FundBlock(_Model):
    """The budget block: a header row, the total, then a row for each fund source."""

    label: LayoutText | None = Field(
        None, alias="标签", description="左侧向下合并的标签，如“项目资金（{金额单位}）”"
    )
    label_span: LabelSpan = Field(1, alias="标签跨", description="标签占的列数（默认1）")
    name_span: Span = Field(1, alias="行名跨", description="各行名称占的列数（默认1）")
    name_title: LayoutText | None = Field(
        None, alias="行名标题", description="表头中行名称一格的文字（默认空）"
    )
    columns: tuple[FundColumn, ...] = Field(alias="列", min_length=1, description="各列")
    total: LayoutText = Field("年度资金总额", alias="总额", description="总额一行的名称")
    parts_prefix: LayoutText | None = Field(
        "其中：", alias="其中", description="第一个资金来源前的文字（默认“其中：”）"
    )
    sources: tuple[Text, ...] = Field(
        ("本年财政拨款", "上年结转资金", "其他资金"),
        alias="来源",
        description="资金来源的各行，依次列出",
    )


class IndicatorColumn(_Model):
    """One column of the indicator block."""

    content: IndicatorContent = Field(
        alias="内容", description="一级指标、二级指标、三级指标、年度指标值、指标性质、指标值……"
    )
    title: LayoutText = Field(alias="标题", description="表头")
    span: Span = Field(1, alias="跨", description="占的列数（默认1）")
    left: Flag = Field(False, alias="靠左", description="文字靠左（默认居中）")


class IndicatorBlock(_Model):
    """The indicator rows, grouped by 一级 and 二级指标, under a header row that repeats."""

    label: LayoutText | None = Field(
        None, alias="标签", description="左侧向下合并的标签，如“绩效指标”"
    )
    label_span: LabelSpan = Field(1, alias="标签跨", description="标签占的列数（默认1）")
    columns: tuple[IndicatorColumn, ...] = Field(alias="列", min_length=1, description="各列")
    placeholders: tuple[Text, ...] = Field(
        ("指标1：", "指标2：", "……"),
        alias="占位行",
        min_length=1,
        description="空白表的指标行（设置“空白指标行”时印出）",
    )


class TotalRow(_Model):
    """总分: the label across the columns before 分值 and 得分, then full marks and the total."""

    label: LayoutText = Field("总分", alias="标签", description="如“总分”“合计”")


class GradeRow(_Model):
    """自评等级: the label as wide as the total's, then the grade."""

    label: LayoutText = Field("自评等级", alias="标签", description="如“自评等级”")


def _row_shorthand(value: Any) -> Any:
    """``- 总分:`` with nothing after it is the total row with its default label."""
    if isinstance(value, dict):
        return {k: ({} if v is None and k in _EMPTY_ROWS else v) for k, v in value.items()}
    return value


_EMPTY_ROWS = ("总分", "等级", "total", "grade")


class RowSpec(_Model):
    """One item of the table, top to bottom: one of its keys."""

    cells: tuple[Cell, ...] | None = Field(None, alias="格", description="一行的各格，从左到右")
    funds: FundBlock | None = Field(None, alias="资金", description="预算执行（资金）部分")
    indicators: IndicatorBlock | None = Field(None, alias="指标", description="绩效指标部分")
    total: TotalRow | None = Field(None, alias="总分", description="总分一行")
    grade: GradeRow | None = Field(None, alias="等级", description="自评等级一行")

    @model_validator(mode="after")
    def _one_kind(self) -> RowSpec:
        if sum(getattr(self, name) is not None for name in _ROW_KINDS) != 1:
            message = _("should hold one of 格, 资金, 指标, 总分 or 等级 (each row is one of them)")
            raise ValueError(message)
        return self

    @property
    def kind(self) -> str:
        """Which of its keys is set: cells, funds, indicators, total or grade."""
        return next(name for name in _ROW_KINDS if getattr(self, name) is not None)


_ROW_KINDS = ("cells", "funds", "indicators", "total", "grade")
Row = Annotated[RowSpec, BeforeValidator(_row_shorthand)]

# Settings that choose the layout or what is written cannot be a layout's defaults.
_NOT_IN_LAYOUT = ("layout", "outline", "self_table")


class Layout(_Model):
    """One 自评表 layout."""

    name: Text = Field(alias="名称", description="表式的名称，设置“自评表格式”以此选用")
    description: Text | None = Field(None, alias="说明", description="表式的来历、用途")
    title: LayoutText = Field("项目支出绩效自评表", alias="标题", description="表的标题")
    report_number: Flag = Field(
        False, alias="报表编号", description="标题上方印“报表编号：”（项目的报表编号）"
    )
    year_line: Flag = Field(
        True, alias="年度行", description="标题下印“（2023年度）”一行（默认：是）"
    )
    widths: tuple[Width, ...] = Field(
        alias="列宽", min_length=1, description="各列的相对宽度，列数即表格的列数"
    )
    rows: tuple[Row, ...] = Field(alias="行", min_length=1, description="表格的各行，从上到下")
    signatures: tuple[LayoutText, ...] = Field(
        (), alias="签名", description="表下的签名栏，如项目负责人、财务负责人（值取自附加）"
    )
    settings: Settings = Field(
        default_factory=Settings,
        alias="设置",
        description="选用这一表式时各设置的默认值，如权重、金额单位",
    )


@dataclass(frozen=True)
class Layouts:
    """The layouts a workspace can choose, by name (and by file name), and a hash of its own."""

    by_name: Mapping[str, Layout]
    digest: str = ""  # of the workspace's own layout files ("" when it has none)

    def get(self, name: str | None) -> Layout | None:
        return self.by_name.get(name or DEFAULT_LAYOUT)

    def names(self) -> list[str]:
        """The layouts' own names, without the file names that also choose them."""
        return sorted({layout.name for layout in self.by_name.values()})

    def unknown(self, name: str) -> str:
        """What to say of a 自评表格式 that names no layout."""
        close = suggest(name, list(self.by_name))
        if close is not None:
            message = _("There is no 自评表 layout “{name}”: did you mean “{close}”?")
            return message.format(name=name, close=close)
        message = _(
            "There is no 自评表 layout “{name}”. The layouts are {names}; a workspace adds its "
            "own as a YAML file in its template folder's layouts/."
        )
        return message.format(name=name, names="、".join(self.names()))


def _files(folder: Path, root: Path | None) -> list[Path]:
    """The layout files of a folder; none when the folder links out of ``root``."""
    if not folder.is_dir() or (root is not None and not folder.resolve().is_relative_to(root)):
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _read(
    folder: Path, root: Path | None, limits: Limits
) -> tuple[dict[str, Layout], list[Problem], str]:
    """The layouts of a folder by name and file name, their problems, and a hash of the files."""
    found: dict[str, Layout] = {}
    problems: list[Problem] = []
    hashed = hashlib.sha256()
    for file in _files(folder, root):
        try:
            raw = read_yaml(file, root=root, limits=limits)
            located = parse_yaml(file, raw, limits)
            layout = validate(located, Layout)
            problems += _check(layout, located)
        except ZpgenError as error:
            problems += error.problems
            continue
        hashed.update(file.name.encode() + b"\0" + raw + b"\0")
        for key in (layout.name, file.stem):
            found.setdefault(key, layout)
    return found, problems, hashed.hexdigest() if found else ""


@functools.cache
def builtin_layouts() -> dict[str, Layout]:
    """The built-in layouts (``templates/layouts/``), by name and by file name."""
    folder = builtin_templates() / LAYOUT_FOLDER
    found, problems, _hash = _read(folder, folder.resolve(), DEFAULT_LIMITS)
    if problems:  # pragma: no cover  # a built-in layout is checked by the tests
        raise ZpgenError(problems)
    return found


def load_layouts(templates: Path, *, root: Path, limits: Limits) -> Layouts:
    """The built-in layouts and the workspace's (``<templates>/layouts/*.yaml``, which replace a
    built-in of the same name); every problem of the workspace's files at once."""
    folder = templates / LAYOUT_FOLDER
    own, problems, digest = _read(folder, root, limits)
    if problems:
        raise ZpgenError(problems)
    merged = dict(builtin_layouts())
    own_names = {layout.name for layout in own.values()}
    for key in [k for k, v in merged.items() if v.name in own_names]:
        del merged[key]
    merged.update(own)
    return Layouts(merged, digest)


# --- what validation alone cannot see ----------------------------------------------------------


def _check(layout: Layout, located: Located) -> list[Problem]:
    """The rows must fill the columns, a merged cell must have one above it, 总分 and 等级 must
    follow an indicator block that has 分值 or 得分, and the defaults may not choose a layout."""
    columns = len(layout.widths)
    problems: list[Problem] = []

    def problem(message: str, *steps: str | int) -> None:
        path: KeyPath = spelled_path(located.data, Layout, *steps)
        problems.append(located.problem(path, message))

    indicators: IndicatorBlock | None = None
    above: dict[int, int] = {}  # the columns where the row above starts a cell: their spans
    for index, row in enumerate(layout.rows):
        if row.cells is not None:
            widths = _cell_widths(row.cells, above, functools.partial(_at, problem, index))
        else:
            found_widths = _row_widths(row, indicators)
            if found_widths is None:
                message = _(
                    "{kind} belongs below an indicator block (指标) with a 分值 or 得分 column."
                )
                problem(message.format(kind=_KIND_NAMES[row.kind]), "rows", index)
                continue
            widths = found_widths
        if sum(widths) != columns:
            message = _(
                "The cells of this row take {taken} columns, but the layout has {columns} (列宽)."
            )
            problem(message.format(taken=sum(widths), columns=columns), "rows", index)
        if row.indicators is not None:
            indicators = row.indicators
        above = {}
        for width in widths:
            if width:
                above[sum(above.values())] = width
    for field in _NOT_IN_LAYOUT:
        if getattr(layout.settings, field) is not None:
            message = _("A layout's 设置 cannot set {key}: that is chosen where the layout is.")
            key = type(layout.settings).model_fields[field].alias or field
            problem(message.format(key=key), "settings", field)
    return problems


_KIND_NAMES = {"total": "总分", "grade": "等级"}


def _at(problem: Callable[..., None], index: int, message: str, *steps: str | int) -> None:
    problem(message, "rows", index, *steps)


def _cell_widths(
    cells: tuple[CellSpec, ...], above: dict[int, int], problem: Callable[..., None]
) -> list[int]:
    """The columns each cell of a row takes: a merged cell those of the cell above it."""
    widths: list[int] = []
    for number, cell in enumerate(cells):
        if sum(1 for v in (cell.text, cell.content) if v is not None) + cell.merged > 1:
            problem(_("A cell holds one of 文字, 内容 or 合并, not several."), "cells", number)
        span = cell.span
        if cell.merged:
            found = above.get(sum(widths))
            if found is None:
                message = _(
                    "The cell continues the one above (合并), but no cell above starts in the "
                    "same column."
                )
                problem(message, "cells", number)
            span = found or span
        widths.append(span)
    return widths


def _row_widths(row: RowSpec, indicators: IndicatorBlock | None) -> list[int] | None:
    """The columns each cell of a row takes (None: a 总分 or 等级 without its indicator block)."""
    if row.cells is not None:
        return [cell.span for cell in row.cells]
    if row.funds is not None:
        funds = row.funds
        return [funds.label_span, funds.name_span, *(c.span for c in funds.columns)]
    if row.indicators is not None:
        return [row.indicators.label_span, *(c.span for c in row.indicators.columns)]
    if indicators is None:
        return None
    split = total_split(indicators)
    if split is None:
        return None
    return [split, *(c.span for c in indicators.columns[_first_scored(indicators) :])]


def _first_scored(block: IndicatorBlock) -> int:
    return next(
        (n for n, c in enumerate(block.columns) if c.content in ("分值", "得分")),
        len(block.columns),
    )


def total_split(block: IndicatorBlock) -> int | None:
    """The columns the label of 总分 and 等级 takes: the indicator block's label and every column
    before its first 分值 or 得分 column (None when it has neither)."""
    first = _first_scored(block)
    if first == len(block.columns):
        return None
    return block.label_span + sum(c.span for c in block.columns[:first])


def scored_columns(block: IndicatorBlock) -> tuple[IndicatorColumn, ...]:
    """The columns of the indicator block from its first 分值 or 得分 column on."""
    return block.columns[_first_scored(block) :]
