"""The figures of a project put together: what the report leaves out is inferred (and marked),
what it prints twice is compared, and what disagrees is kept as printed and reported.

- 全年预算数 from 年初预算数 and the reduction (or the increase) the report states, and back;
  全年执行数 from the budget when the report says it was all spent at 100%.
- The 执行率, reduction, increase and following year the report prints, against the figures
  zpgen computes from the amounts; the project's name and year where a sentence repeats them.
- 预算调整原因, when the budget changed and the report gives no reason, from its 偏离原因 (as
  the seed's data does).
- Values that two places give differently: the first is kept, the other is reported.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from zpgen.figures.budget import execution_rate
from zpgen.figures.formats import money, percent
from zpgen.i18n import _
from zpgen.importer.corrections import correct
from zpgen.importer.draft import Conflict, ProjectDraft, Value

__all__ = ["DEFAULT_CATEGORY", "amount", "settle_project"]

DEFAULT_CATEGORY = "特定类项目"
_TEXT_KEYS = (
    "预算调整原因",
    "资金用途",
    "年度总体目标.预期目标",
    "年度总体目标.实际完成情况",
    "偏离原因",
    "改进措施",
)
_INDICATOR_TEXT_KEYS = ("完成情况", "偏差原因")


def amount(text: str | None) -> Decimal | None:
    """An amount or a number as written ("8.56", "100%" → 1); None when it is not one."""
    if text is None:
        return None
    bare = text.strip().removesuffix("%")
    if not re.fullmatch(r"\d+(?:\.\d+)?", bare):
        return None
    try:
        value = Decimal(bare)
    except InvalidOperation:
        return None
    return value / 100 if text.strip().endswith("%") else value


def settle_project(project: ProjectDraft, year: int) -> None:
    """Infer, compare and correct one project's values, in place."""
    _name(project)
    _mentions(project, year)
    _budget(project)
    _rate(project)
    _reason(project)
    _corrections(project)
    if not project.get("项目类别"):
        project.set(
            "项目类别",
            Value(DEFAULT_CATEGORY, "", _("the report does not say; zpgen's default")),
        )
    _conflicts(project, project.conflicts, "")
    for index, indicator in enumerate(project.indicators):
        _conflicts(project, indicator.conflicts, f"绩效指标[{index}].")


def _name(project: ProjectDraft) -> None:
    if project.get("项目名称") is not None:
        return
    names = Counter(v.text for key, v in project.mentions if key == "项目名称")
    if names:
        text = names.most_common(1)[0][0]
        where = next(v.where for k, v in project.mentions if k == "项目名称" and v.text == text)
        note = _("the report names the project only inside a sentence")
        project.set("项目名称", Value(text, where, note))


def _mentions(project: ProjectDraft, year: int) -> None:
    name = project.name
    for key, value in project.mentions:
        if key == "项目名称" and name and value.text != name:
            message = _(
                "{where} names the project “{found}”, not “{name}”: zpgen writes “{name}” there"
            ).format(where=value.where, found=value.text, name=name)
            project.disagreements.append(("项目名称", message))
        elif key == "年度" and value.text != str(year):
            message = _("{where} names the year {found}, not {year}").format(
                where=value.where, found=value.text, year=year
            )
            project.disagreements.append(("", message))
    following = project.get("印.下一年度")
    if following is not None and following.text != str(year + 1):
        message = _("{where} names {found} as the following year, not {next}").format(
            where=following.where, found=following.text, next=year + 1
        )
        project.disagreements.append(("", message))


def _budget(project: ProjectDraft) -> None:
    initial = amount(project.text("年初预算数"))
    adjusted = amount(project.text("全年预算数"))
    reduction = _change(project)
    if adjusted is None and initial is not None and reduction is not None:
        where = _where(project, "印.调减", "印.追加")
        note = _("computed from 年初预算数 {initial} and the change of {change} the report states")
        text = money(initial - reduction)
        project.set(
            "全年预算数",
            Value(text, where, note.format(initial=money(initial), change=money(-reduction))),
        )
        adjusted = initial - reduction
    elif initial is None and adjusted is not None and reduction is not None:
        where = _where(project, "印.调减", "印.追加")
        note = _("computed from 全年预算数 {adjusted} and the change of {change} the report states")
        text = money(adjusted + reduction)
        project.set(
            "年初预算数",
            Value(text, where, note.format(adjusted=money(adjusted), change=money(-reduction))),
        )
        initial = adjusted + reduction
    if initial is None or adjusted is None:
        return
    if reduction is not None and reduction != initial - adjusted:
        message = _(
            "the report states a reduction of the budget by {printed} 万元 (an increase when "
            "negative), but 年初预算数 {initial} − 全年预算数 {adjusted} = {computed}: the amounts "
            "are kept as printed"
        ).format(
            printed=money(reduction),
            initial=money(initial),
            adjusted=money(adjusted),
            computed=money(initial - adjusted),
        )
        project.disagreements.append(("全年预算数", message))
    elif reduction is None and initial != adjusted and project.narrative:
        note = _(
            "the report does not state the change of the budget ({initial} → {adjusted}); "
            "zpgen's report will"
        ).format(initial=money(initial), adjusted=money(adjusted))
        project.checks.append(("全年预算数", note))


def _change(project: ProjectDraft) -> Decimal | None:
    """The reduction the report states (an increase as a negative one), or None."""
    reduction = amount(project.text("印.调减"))
    increase = amount(project.text("印.追加"))
    if reduction is not None:
        return reduction
    return -increase if increase is not None else None


def _where(project: ProjectDraft, *keys: str) -> str:
    return next((v.where for k in keys if (v := project.get(k)) is not None), "")


def _rate(project: ProjectDraft) -> None:
    """Every 执行率 the files print, against 全年执行数 ÷ 全年预算数."""
    adjusted = amount(project.text("全年预算数"))
    spent = amount(project.text("全年执行数"))
    first = project.get("印.执行率")
    if first is None:
        return
    if spent is None and adjusted is not None and amount(first.text) == 1:
        note = _("the report does not state it, and says the 执行率 is 100%")
        project.set("全年执行数", Value(money(adjusted), first.where, note))
        spent = adjusted
    if spent is None or adjusted is None or adjusted == 0:
        return
    printed = [first, *(c.other for c in project.conflicts if c.key == "印.执行率")]
    for value in printed:
        _one_rate(project, value, spent, adjusted)


def _one_rate(project: ProjectDraft, printed: Value, spent: Decimal, adjusted: Decimal) -> None:
    rate = amount(printed.text)
    if rate is None:
        return
    exponent = Decimal(printed.text.removesuffix("%")).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 0
    computed = execution_rate(spent, adjusted, places)
    if computed == rate:
        return
    message = _(
        "{where} prints the 执行率 {printed}, but 全年执行数 ÷ 全年预算数 = {spent} ÷ "
        "{adjusted} = {computed}: the amounts are kept as printed, and zpgen's report will "
        "say {computed}"
    ).format(
        where=printed.where,
        printed=printed.text,
        spent=money(spent),
        adjusted=money(adjusted),
        computed=percent(execution_rate(spent, adjusted, 2)),
    )
    project.disagreements.append(("全年执行数", message))


def _reason(project: ProjectDraft) -> None:
    initial = amount(project.text("年初预算数"))
    adjusted = amount(project.text("全年预算数"))
    deviation = project.get("偏离原因")
    if initial is None or adjusted is None or initial == adjusted or deviation is None:
        return
    if project.get("预算调整原因") is not None:
        return
    first = deviation.text.split("\n")[0]
    text = first.removeprefix("由于").rstrip("。；，.;, ")
    note = _(
        "the report gives no reason for the change of the budget; taken from its 偏离绩效目标的原因"
    )
    project.set("预算调整原因", Value(text, deviation.where, note))


def _corrections(project: ProjectDraft) -> None:
    for key in _TEXT_KEYS:
        _correct(project.get(key))
    for indicator in project.indicators:
        for key in _INDICATOR_TEXT_KEYS:
            _correct(indicator.get(key))
    phrases = [v for k, v in project.values.items() if k.startswith("措辞.")]
    for value in phrases:
        _correct(value)


def _correct(value: Value | None) -> None:
    if value is None:
        return
    text, notes = correct(value.text)
    if notes:
        value.text = text
        value.note = "；".join([value.note, *notes] if value.note else notes)


def _conflicts(project: ProjectDraft, conflicts: list[Conflict], prefix: str) -> None:
    for conflict in conflicts:
        if conflict.key.startswith("印."):
            continue
        message = conflict.message()
        project.disagreements.append((prefix + conflict.key, message))
