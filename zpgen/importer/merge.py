"""Many files, one unit: the projects of every file put together by 项目名称.

A unit's combined report, each project's own report and the 自评表 of each give the same
project several times: they are one project, whose values come from all of them (the first
place that gives a value keeps it; another that disagrees is recorded). Indicators are paired
by 三级指标 where both sides name them, else by 一级 and 二级指标 in order: the seed's outline
gives each 二级指标's 完成情况 in one paragraph, which goes to the first of that group's rows of
the 自评表 when the counts differ. Projects keep the order of the first file that has them.
"""

from __future__ import annotations

from zpgen.importer.draft import IndicatorDraft, ProjectDraft, UnitDraft

__all__ = ["merge_projects", "merge_unit"]


def merge_unit(into: UnitDraft, other: UnitDraft) -> None:
    for key, value in other.values.items():
        into.set(key, value)
    into.conflicts += other.conflicts
    known = {v.text for v in into.unplaced}
    into.unplaced += [v for v in other.unplaced if v.text not in known]


def merge_projects(projects: list[ProjectDraft], found: list[ProjectDraft]) -> None:
    """Add the projects of one file to those of the files before it."""
    by_name = {p.name: p for p in projects if p.name}
    for project in found:
        same = by_name.get(project.name) if project.name else None
        if same is None:
            projects.append(project)
            if project.name:
                by_name[project.name] = project
        else:
            _merge(same, project)


def _merge(into: ProjectDraft, other: ProjectDraft) -> None:
    for key, value in other.values.items():
        into.set(key, value)
    into.conflicts += other.conflicts
    for source, columns in other.funds.items():
        row = into.funds.setdefault(source, {})
        for key, value in columns.items():
            row.setdefault(key, value)
    into.mentions += other.mentions
    known = {v.text for v in into.unplaced}
    into.unplaced += [v for v in other.unplaced if v.text not in known]
    into.level3_numbered += other.level3_numbered
    into.checks += other.checks
    into.indicators = merge_indicators(into.indicators, other.indicators)
    into.outline = into.outline or other.outline
    into.narrative = into.narrative or other.narrative
    into.table = into.table or other.table
    into.table_after_narrative = into.table_after_narrative or other.table_after_narrative


def _named(indicators: list[IndicatorDraft]) -> bool:
    return bool(indicators) and all(i.text("三级指标") for i in indicators)


def merge_indicators(
    first: list[IndicatorDraft], second: list[IndicatorDraft]
) -> list[IndicatorDraft]:
    """One list of indicators from two; the named list (a 自评表's) gives the order."""
    if not first or not second:
        return first or second
    if _named(second) and not _named(first):
        first, second = second, first
    if _named(first) and _named(second):
        return _by_name(first, second)
    return _by_group(first, second)


def _fold(into: IndicatorDraft, other: IndicatorDraft) -> None:
    for key, value in other.values.items():
        into.set(key, value)
    into.conflicts += other.conflicts
    into.printed_score = into.printed_score or other.printed_score


def _by_name(first: list[IndicatorDraft], second: list[IndicatorDraft]) -> list[IndicatorDraft]:
    by_name = {i.text("三级指标"): i for i in first}
    result = list(first)
    for indicator in second:
        same = by_name.get(indicator.text("三级指标"))
        if same is None:
            result.append(indicator)
        else:
            _fold(same, indicator)
    return result


def _group(indicator: IndicatorDraft) -> tuple[str, str]:
    return indicator.text("一级指标") or "", indicator.text("二级指标") or ""


def _by_group(first: list[IndicatorDraft], second: list[IndicatorDraft]) -> list[IndicatorDraft]:
    groups: dict[tuple[str, str], list[IndicatorDraft]] = {}
    for indicator in first:
        groups.setdefault(_group(indicator), []).append(indicator)
    others: dict[tuple[str, str], list[IndicatorDraft]] = {}
    for indicator in second:
        others.setdefault(_group(indicator), []).append(indicator)
    result = list(first)
    for key, group in others.items():
        mine = groups.get(key, [])
        if not mine:
            result += group
        elif len(mine) == len(group):
            for into, other in zip(mine, group, strict=True):
                _fold(into, other)
        else:
            _fold_joined(mine[0], group)
    return result


def _fold_joined(into: IndicatorDraft, group: list[IndicatorDraft]) -> None:
    """Several paragraphs (or rows) for one 二级指标 whose counts differ: their 完成情况 as one."""
    head = group[0]
    for other in group[1:]:
        narrative = other.get("完成情况")
        if narrative is not None:
            head.append("完成情况", narrative)
    _fold(into, head)
