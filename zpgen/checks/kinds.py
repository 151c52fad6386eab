"""Indicators of the wrong kind: a 成本指标 that does not count money, a 时效指标 that gives no
time, an 实际完成值 written as a target.

A 成本指标 says what the output costs ("≤24.24万元", "≤300元/人"); one whose target counts
people, items or a percentage belongs to another 二级指标. A 时效指标 says by when, or how much
was on time: a date or a time ("2023年12月底前", "≤30个工作日") or a rate ("100%"); "及时" alone
cannot be checked. An 实际完成值 is what was reached, never "≥80%" (scoring refuses it when the
indicators have 分值; this rule says so always).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from zpgen.checks.prose.numbers import Kind, quantities
from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import WARNING
from zpgen.figures.targets import Kind as TargetKind
from zpgen.figures.targets import parse_target
from zpgen.i18n import N_, _

__all__ = ["gives_time", "written_as_target"]

_TIME_UNITS = {"个工作日", "工作日", "个自然日", "个月", "小时", "分钟", "季度", "年", "月", "日"}
_TIME_UNITS |= {"天", "周", "星期", "年度", "月份"}
_TIME_WORDS = re.compile(
    r"年内|年底|年末|年初|月底|月末|月初|季度|当年|当月|当日|当天|按月|每月|按季|每季|按年|每年|"
    r"上半年|下半年|截止|截至|以前|之前|前完成|日前|月前"
)


def gives_time(target: str) -> bool:
    """Whether a 时效指标's target gives a time or a date, or a rate."""
    text = unicodedata.normalize("NFKC", target)
    for quantity in quantities(text):
        if quantity.kind in (Kind.PERCENT, Kind.YEAR, Kind.MONTH, Kind.DAY):
            return True
        if quantity.kind is Kind.COUNT and quantity.unit in _TIME_UNITS:
            return True
    return bool(_TIME_WORDS.search(text))


def written_as_target(actual: str) -> bool:
    """An 实际完成值 with a comparison ("≥80%", "95%以上"): a target, not a value reached."""
    parsed = parse_target(actual)
    return parsed.value is not None and parsed.kind in (TargetKind.POSITIVE, TargetKind.NEGATIVE)


@rule(
    "cost-not-money",
    WARNING,
    N_("A 成本指标's target is not an amount of money (个, 人, %…)."),
)
def cost_not_money(subject: Subject) -> Iterator[Finding]:
    if subject.project is None:
        return
    for index, indicator in enumerate(subject.project.indicators):
        if indicator.level2 != "成本指标":
            continue
        target = parse_target(indicator.target)
        if target.value is not None and "元" not in target.unit:
            yield Finding(
                subject.path("indicators", index, "target"),
                _(
                    "The 成本指标 “{name}” has the target “{target}”, which is not an amount of "
                    "money: a 成本指标 gives what the output costs (such as “≤24.24万元” or "
                    "“≤300元/人”). Write the cost, or move the indicator under the 二级指标 it "
                    "measures (数量指标, 质量指标…)."
                ).format(name=indicator.name, target=indicator.target),
            )


@rule(
    "timeliness-without-time",
    WARNING,
    N_("A 时效指标's target gives no time, date or rate (及时)."),
)
def timeliness_without_time(subject: Subject) -> Iterator[Finding]:
    if subject.project is None:
        return
    for index, indicator in enumerate(subject.project.indicators):
        if indicator.level2 == "时效指标" and not gives_time(indicator.target):
            yield Finding(
                subject.path("indicators", index, "target"),
                _(
                    "The 时效指标 “{name}” has the target “{target}”, which gives no time, date "
                    "or rate, so it cannot be checked: write by when (such as “2023年12月底前” "
                    "or “≤30个工作日”) or the share on time (such as “100%”)."
                ).format(name=indicator.name, target=indicator.target),
            )


@rule(
    "actual-as-target",
    WARNING,
    N_("An 实际完成值 is written as a target (≥80%) instead of the value reached."),
)
def actual_as_target(subject: Subject) -> Iterator[Finding]:
    if subject.project is None:
        return
    for index, indicator in enumerate(subject.project.indicators):
        if indicator.actual is not None and written_as_target(indicator.actual):
            parsed = parse_target(indicator.actual)
            yield Finding(
                subject.path("indicators", index, "actual"),
                _(
                    "实际完成值 “{actual}” is written as a target: write the value actually "
                    "reached, without ≥, ≤, 以上 or 以内 (such as “{plain}”, if that is what was "
                    "reached)."
                ).format(
                    actual=indicator.actual,
                    plain=f"{parsed.value}{parsed.unit}" if parsed.value is not None else "",
                ),
            )
