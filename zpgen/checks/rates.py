"""Percentages and counts in the prose against the figures and the indicators' values.

- ``narrative-rate``: a clause that gives the 执行率 ("执行率为100%") must give 全年执行数 ÷
  全年预算数, and one that says what is left unpaid ("剩余3%尾款未付") the share not spent, each
  as rounded to the decimals the text writes (86% and 86.2% are both right for 86.2%).
- ``narrative-actual``: a clause of an indicator's 完成情况 that says what was reached ("实际维护
  了18个") must give its 实际完成值, in the same unit (人, 位 and 名 count people alike).

Clauses about plans, targets, differences, parts or other years are left alone, and so are
numbers that are approximate, bounds or ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, localcontext

from zpgen.checks.prose.clauses import Clause, own_clauses, prose
from zpgen.checks.prose.numbers import Kind, Quantity
from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import WARNING
from zpgen.figures.formats import money, percent
from zpgen.figures.targets import parse_quantity, parse_target
from zpgen.i18n import N_, _
from zpgen.model.schema import Indicator

__all__ = ["actual_mismatches", "rate_mismatches", "rounded_as_written"]

_RATE = re.compile(r"执行率|执行进度|支出进度|预算执行比例")
_UNPAID = re.compile(r"剩余|未付|未支付|尚未支付|未拨付|结余|未使用|未执行|尾款")
_NOT_OURS = re.compile(
    r"目标|计划|预计|要求|标准|指标值|上年|去年|以前年度|同比|环比|合同|质保|中标|其中|平均|"
    r"[比较](?:年初|上年|预算|计划)|提高|下降|增长|降低|减少|增加"
)
_PLANNED = re.compile(
    r"计划|目标|预期|预计|年初|预算(?!年度)|指标值|要求|应当|应该|应达|需要|需达|拟|设定|原定|标准|"
    r"不低于"
)
_DIFFERENCE = re.compile(r"比|较|相比|减少|增加|下降|降低|提高|增长|超出|新增|少于|多于|差")
_PARTS = re.compile(r"其中|每|平均|人均|分别|累计|合计|以上|以内")
# Words that, before a number, say it is what was reached: 实际维护了18个, 满意度为96%.
_REACHED = re.compile(r"实际|完成|达到|达|共(?!同|享|建)|总计|(?<![因作成认行])为")
_PEOPLE = {"人", "位", "名"}


def rounded_as_written(exact: Decimal, written: Quantity) -> Decimal:
    """``exact`` (a percentage or a count) rounded half up to the decimals ``written`` has.

    With the precision the result needs: a count of 29 digits is no error."""
    with localcontext() as context:
        context.prec = max(context.prec, exact.adjusted() + written.decimals + 2)
        return exact.quantize(Decimal(1).scaleb(-written.decimals), ROUND_HALF_UP)


def rate_mismatches(
    text: str, spent: Decimal, adjusted: Decimal, initial: Decimal, year: int
) -> Iterator[tuple[Quantity, str]]:
    """Percentages of ``text`` given as the 执行率 ("rate") or the share unpaid ("unpaid") that
    the figures do not give."""
    if "%" not in text and "％" not in text and "百分之" not in text:
        return
    rate = spent / adjusted * 100
    unpaid = {(adjusted - spent) / adjusted * 100}
    if initial:
        unpaid.add((initial - spent) / initial * 100)
    for clause in own_clauses(text, year, _NOT_OURS):
        found = _the_percentage(clause)
        if found is None:
            continue
        if _RATE.search(clause.text):
            if rounded_as_written(rate, found) != found.value:
                yield found, "rate"
        elif _UNPAID.search(clause.text) and all(
            rounded_as_written(share, found) != found.value for share in unpaid
        ):
            yield found, "unpaid"


def _the_percentage(clause: Clause) -> Quantity | None:
    """The one exact percentage of a clause, if it has one."""
    percents = [q for q in clause.quantities if q.kind is Kind.PERCENT]
    return percents[0] if len(percents) == 1 and percents[0].exact else None


@rule(
    "narrative-rate",
    WARNING,
    N_("A percentage in the text (执行率, the share unpaid) disagrees with the figures."),
)
def narrative_rate(subject: Subject) -> Iterator[Finding]:
    project, figures = subject.project, subject.figures
    if project is None or figures is None:
        return
    spent, adjusted, initial = project.spent, project.adjusted_budget, project.initial_budget
    for field in prose(subject):
        for found, kind in rate_mismatches(field.text, spent, adjusted, initial, figures.year):
            written = field.text[found.start : found.end]
            if kind == "rate":
                message = _(
                    "The text gives the 执行率 as {written}, but the figures give {rate} "
                    "(全年执行数 {spent} ÷ 全年预算数 {adjusted} 万元): correct the text or "
                    "the data."
                ).format(
                    written=written,
                    rate=percent(figures.execution_rate),
                    spent=money(spent),
                    adjusted=money(adjusted),
                )
            else:
                share = ((adjusted - spent) / adjusted).quantize(Decimal("0.0001"), ROUND_HALF_UP)
                message = _(
                    "The text says {written} is left unpaid or unspent, but the figures leave "
                    "{share} of the budget unspent ({unspent} of 全年预算数 {adjusted} 万元): "
                    "correct the text or the data."
                ).format(
                    written=written,
                    share=percent(share),
                    unspent=money(adjusted - spent),
                    adjusted=money(adjusted),
                )
            yield Finding(field.path, message, found.start)


def actual_mismatches(text: str, indicator: Indicator, year: int) -> Iterator[Quantity]:
    """Numbers of an indicator's 完成情况 that say what was reached and are not its 实际完成值."""
    if indicator.actual is None:
        return
    parsed = parse_quantity(indicator.actual)
    if parsed is None:
        return
    number, unit = parsed
    unit = unit or parse_target(indicator.target).unit
    if not unit or "元" in unit:  # amounts are narrative-amount's
        return
    # A percentage is the indicator's only where the clause names it (满意度为96%, 及时率达
    # 100%): an indicator's 完成情况 gives percentages of other things too (完成资金发放的60%).
    named = indicator.name[-3:] if unit == "%" else ""
    for clause in own_clauses(text, year, _PARTS):
        found = _the_reached(clause, unit)
        if found is None or named not in clause.text:
            continue
        if rounded_as_written(number, found) != found.value:
            yield found


def _the_reached(clause: Clause, unit: str) -> Quantity | None:
    """The one number in ``unit`` of a clause that says what was reached."""
    same = [q for q in clause.quantities if _in_unit(q, unit)]
    if len(same) != 1 or not same[0].exact or (same[0].chinese and same[0].value < 3):
        return None
    words = clause.text
    if not _REACHED.search(words, 0, same[0].start - clause.start):
        return None  # 5位企业离休人员已离世: the number is not what was reached
    if _PLANNED.search(words) or _DIFFERENCE.search(words):
        return None
    if same[0].kind is Kind.PERCENT and _RATE.search(words):
        return None  # the 执行率: narrative-rate's
    return same[0]


def _in_unit(quantity: Quantity, unit: str) -> bool:
    if unit == "%":
        return quantity.kind is Kind.PERCENT
    if quantity.kind is not Kind.COUNT:
        return False
    return quantity.unit == unit or {quantity.unit, unit} <= _PEOPLE


@rule(
    "narrative-actual",
    WARNING,
    N_("An indicator's 完成情况 gives another number than its 实际完成值."),
)
def narrative_actual(subject: Subject) -> Iterator[Finding]:
    project, figures = subject.project, subject.figures
    if project is None or figures is None:
        return
    for index, indicator in enumerate(project.indicators):
        if not indicator.narrative:
            continue
        for found in actual_mismatches(indicator.narrative, indicator, figures.year):
            yield Finding(
                subject.path("indicators", index, "narrative"),
                _(
                    "The 完成情况 of “{name}” says {written}, but its 实际完成值 is {actual}: "
                    "correct the sentence or the value."
                ).format(
                    name=indicator.name,
                    written=indicator.narrative[found.start : found.end],
                    actual=indicator.actual,
                ),
                found.start,
            )
