"""``zpgen summary``: the 汇总表 a finance bureau reads, from what ``zpgen check`` finds.

Every project of what the paths name is planned as ``zpgen check`` plans it (read, validated,
checked, scored, rendered in memory), one unit at a time; a row keeps its figures as the report
prints them (执行率 rounded as the report rounds it, the score and the grade of the 自评表), its
errors and warnings, and the file its report is built as. Every problem is a row of its own. The
rows go to a workbook (``zpgen.write.xlsx``) or out as JSON lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from zpgen.builder.planner import ProjectPlan, UnitPlan, plan_units
from zpgen.errors import ERROR, WARNING, Problem
from zpgen.i18n import _
from zpgen.model.names import safe_name
from zpgen.model.schema import SelfTable
from zpgen.model.workspace import Workspace, load_workspace
from zpgen.write.xlsx import Column, Kind, Sheet, sheet_name, workbook_bytes

__all__ = [
    "ProblemRow",
    "ProjectRow",
    "Summary",
    "default_path",
    "json_lines",
    "summarise",
    "workbook",
]


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One project: its unit, its figures in 万元 (None when its file could not be read), its
    problems counted, and the name of its report's file in the unit's folder of the output
    folder ("" when it cannot be built)."""

    year: int
    unit: str
    name: str
    category: str = ""
    initial: Decimal | None = None
    adjusted: Decimal | None = None
    spent: Decimal | None = None
    rate: Decimal | None = None  # 执行率, a ratio, rounded as the report prints it
    change: Decimal | None = None  # 全年预算数 − 年初预算数: below 0 a 调减, above 0 a 追加
    score: Decimal | None = None
    grade: str = ""
    errors: int = 0
    warnings: int = 0
    report: str = ""
    file: str = ""  # the project file, from the workspace


@dataclass(frozen=True, slots=True)
class ProblemRow:
    """One problem ``zpgen check`` finds."""

    file: str
    line: int | None
    column: int | None
    key: str
    severity: str
    rule: str
    message: str


@dataclass
class Summary:
    """The rows of a summary, and the latest 评价时间 (year, month, day) among its units: the
    date the workbook is stamped with."""

    projects: list[ProjectRow] = field(default_factory=list)
    problems: list[ProblemRow] = field(default_factory=list)
    date: tuple[int, int, int] = (1980, 1, 1)

    @property
    def years(self) -> list[int]:
        return sorted({row.year for row in self.projects})

    @property
    def units(self) -> list[tuple[int, str]]:
        """(year, unit) of the rows, in their order, each once."""
        return list(dict.fromkeys((row.year, row.unit) for row in self.projects))


def summarise(workspace: Path, paths: Sequence[Path] = ()) -> tuple[Summary, Workspace]:
    """The summary of what ``paths`` name (default: the workspace's data), and the workspace."""
    space = load_workspace(workspace)
    folder_problems, units = plan_units(space, paths)
    summary = Summary()
    summary.problems += [_problem_row(p, space) for p in folder_problems]
    for planned in units:
        summary.problems += [_problem_row(p, space) for p in _unit_problems(planned)]
        if planned.unit is not None:
            date = planned.unit.evaluation_date
            summary.date = max(summary.date, (date.year, date.month, date.day or 1))
        summary.projects += [_project_row(planned, project, space) for project in planned.projects]
    return summary, space


def _unit_problems(planned: UnitPlan) -> Iterator[Problem]:
    yield from planned.problems
    for project in planned.projects:
        yield from project.problems


def _project_row(planned: UnitPlan, project: ProjectPlan, space: Workspace) -> ProjectRow:
    unit = planned.unit.name if planned.unit is not None else planned.source.folder.name
    errors = sum(1 for p in project.problems if p.severity == ERROR)
    warnings = sum(1 for p in project.problems if p.severity == WARNING)
    view = project.view
    file = _from_workspace(project.file, space)
    if view is None:  # named by its file: the problems sheet says what is wrong with it
        name = project.name or project.file.name
        return ProjectRow(
            planned.source.year, unit, name, errors=errors, warnings=warnings, file=file
        )
    figures, score = view.figures, view.score
    return ProjectRow(
        year=planned.source.year,
        unit=unit,
        name=view.data.name,
        category=view.data.category,
        initial=figures.initial,
        adjusted=figures.adjusted,
        spent=figures.spent,
        rate=figures.execution_rate,
        change=-figures.reduction,
        score=score.total if score is not None else None,
        grade=(score.grade or "") if score is not None else "",
        errors=errors,
        warnings=warnings,
        report=_report_name(planned, project, space) if not errors else "",
        file=file,
    )


def _report_name(planned: UnitPlan, project: ProjectPlan, space: Workspace) -> str:
    """The name of the report's file, in the format a reader opens first."""
    if planned.folder is None or project.view is None or planned.failed:
        return ""
    wanted = [ext for ext in ("pdf", "docx", "txt") if ext in space.formats]
    only_table = project.view.settings.self_table is SelfTable.ONLY
    stem = safe_name(project.view.data.name) + ("_自评表" if only_table else "")
    return f"{stem}.{wanted[0]}"


def _problem_row(problem: Problem, space: Workspace) -> ProblemRow:
    return ProblemRow(
        file=_from_workspace(problem.file, space) if problem.file is not None else "",
        line=problem.line or None,
        column=problem.column or None,
        key=problem.key,
        severity=problem.severity.value,
        rule=problem.rule,
        message=problem.message,
    )


def _from_workspace(path: Path, space: Workspace) -> str:
    try:
        return path.resolve().relative_to(space.root).as_posix()
    except ValueError:
        return path.as_posix()


def default_path(summary: Summary, space: Workspace) -> Path:
    """``<output>/<year>/汇总表.xlsx`` for one year, ``<output>/汇总表.xlsx`` for several."""
    years = summary.years
    folder = space.out / str(years[0]) if len(years) == 1 else space.out
    return folder / "汇总表.xlsx"


def json_lines(summary: Summary) -> Iterator[str]:
    """The rows as JSON lines: each project (``"type": "project"``), then each problem."""
    for row in summary.projects:
        yield _json({"type": "project", **_fields(row)})
    for problem in summary.problems:
        yield _json({"type": "problem", **_fields(problem)})


def _fields(row: ProjectRow | ProblemRow) -> dict[str, Any]:
    return {item.name: _plain(getattr(row, item.name)) for item in fields(row)}


def _plain(value: Any) -> Any:
    """A Decimal as a JSON number: a whole one as an int; else its shortest float, which prints
    the same digits (万元 to the 分, a rate to 0.0001)."""
    if not isinstance(value, Decimal):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False)


# --- the workbook -------------------------------------------------------------------------------

_AMOUNTS = (
    Column("年初预算数\n（万元）", Kind.AMOUNT),
    Column("全年预算数\n（万元）", Kind.AMOUNT),
    Column("全年执行数\n（万元）", Kind.AMOUNT),
)


def _project_columns(first: int) -> list[Column]:
    """The columns from 年初预算数 on; ``first`` is 年初预算数's index."""
    return [
        *_AMOUNTS,
        Column("执行率", Kind.PERCENT, ratio_of=(first + 2, first + 1)),
        Column("调减/追加\n（万元）", Kind.CHANGE),
        Column("自评得分", Kind.SCORE),
        Column("等级"),
        Column("错误", Kind.COUNT),
        Column("警告", Kind.COUNT),
        Column("报告文件", widest=24),
    ]


def _figures(row: ProjectRow) -> list[object]:
    return [
        row.initial,
        row.adjusted,
        row.spent,
        row.rate,
        row.change,
        row.score,
        row.grade,
        row.errors,
        row.warnings,
        row.report,
    ]


def workbook(summary: Summary) -> bytes:
    """The 汇总表: every project, a sheet per unit with its totals, and every problem."""
    years = summary.years
    span = f"{years[0]}—{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    title = f"{span}年度项目支出绩效自评汇总表"
    taken: set[str] = set()
    leading = [Column("年度"), Column("单位", widest=20), Column("项目名称"), Column("项目类别")]
    everything = Sheet(
        sheet_name("全部项目", taken),
        [*leading, *_project_columns(4)],
        [[r.year, r.unit, r.name, r.category, *_figures(r)] for r in summary.projects],
        caption=title,
        total_label=2,
        frozen_columns=3,
    )
    sheets = [everything]
    for year, unit in summary.units:
        rows = [r for r in summary.projects if r.year == year and r.unit == unit]
        sheets.append(
            Sheet(
                sheet_name(f"{year}{unit}" if len(years) > 1 else unit, taken),
                [Column("项目名称"), Column("项目类别"), *_project_columns(2)],
                [[r.name, r.category, *_figures(r)] for r in rows],
                caption=f"{unit}{year}年度项目支出绩效自评汇总表",
                total_label=0,
                frozen_columns=1,
            )
        )
    sheets.append(_problems_sheet(summary, taken))
    return workbook_bytes(sheets, date=summary.date, title=title)


def _problems_sheet(summary: Summary, taken: set[str]) -> Sheet:
    columns = [
        Column("文件", widest=36),
        Column("行", Kind.COUNT),
        Column("列", Kind.COUNT),
        Column("键"),
        Column("级别"),
        Column("规则"),
        Column("说明", wrap=True, widest=60),
    ]
    severities = {"error": _("error"), "warning": _("warning")}
    rows = [
        [p.file, p.line, p.column, p.key, severities[p.severity], p.rule, p.message]
        for p in summary.problems
    ]
    return Sheet(sheet_name("问题", taken), columns, rows)
