"""Explanations that deny the problem they are there to explain: "偏离原因: 暂无问题" beside an
执行率 of 36%.

An explanation denies when its first clause is a denial (无, 暂无, 暂无问题, 不存在偏差, 无偏离,
未发现问题, 不涉及, /…) and nothing after it gives a reason (由于, 因为, 导致…). Then:

- 偏离原因 denies while 执行率 is below 90% or an indicator misses its target;
- 预算调整原因 denies while 年初预算数 and 全年预算数 differ (the budget was cut or raised);
- an indicator's 偏差原因 denies while that indicator misses its target.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zpgen.checks.budget import LOW_EXECUTION
from zpgen.checks.registry import Finding, Subject, rule
from zpgen.checks.targets import missed
from zpgen.errors import WARNING
from zpgen.figures.formats import money, percent
from zpgen.i18n import N_, _

__all__ = ["denial"]

_DENIAL = re.compile(
    r"(?:本项目|该项目|项目)?(?:暂|目前|均|基本|尚)?"
    r"(?:无|没有|不存在|未发现|未出现|未发生|未有)(?:任何|明显|重大|较大)?"
    r"(?:偏差|偏离|问题|调整|差异)?(?:绩效目标)?(?:的)?(?:原因|情况|问题)?"
    r"|不涉及|不适用|无此情况|[/／—\-－]+"
)
_FIRST_CLAUSE = re.compile(r"[，,。；;：:！!\n]")
_REASON = re.compile(r"由于|因为|因|原因是|导致|造成|受.{0,8}影响|主要是|是.{0,6}所致")


def denial(text: str) -> str | None:
    """The denial ``text`` opens with ("暂无问题"), when it gives no reason after it."""
    stripped = text.strip()
    first = _FIRST_CLAUSE.split(stripped, maxsplit=1)[0].strip()
    if not first or not _DENIAL.fullmatch(first):
        return None
    if _REASON.search(stripped, len(first)):
        return None
    return first


@rule(
    "explanation-denies",
    WARNING,
    N_("An explanation says there is nothing to explain (暂无问题) beside a shortfall."),
)
def explanation_denies(subject: Subject) -> Iterator[Finding]:
    project, figures = subject.project, subject.figures
    if project is None or figures is None:
        return
    reasons = project.deviation_reasons or ""
    said = denial(reasons)
    if said is not None:
        message = _deviation_message(subject, said)
        if message is not None:
            yield Finding(subject.path("deviation_reasons"), message, reasons.find(said))
    adjustment = project.adjustment_reason or ""
    said = denial(adjustment)
    if said is not None and project.initial_budget != project.adjusted_budget:
        yield Finding(
            subject.path("adjustment_reason"),
            _(
                "预算调整原因 says “{said}”, but the budget changed from 年初预算数 {initial} to "
                "全年预算数 {adjusted} 万元: say why it was changed."
            ).format(
                said=said,
                initial=money(project.initial_budget),
                adjusted=money(project.adjusted_budget),
            ),
            adjustment.find(said),
        )
    for index, indicator in enumerate(project.indicators):
        deviation = indicator.deviation or ""
        said = denial(deviation)
        if said is not None and missed(indicator):
            yield Finding(
                subject.path("indicators", index, "deviation"),
                _(
                    "偏差原因 says “{said}”, but “{name}” reached {actual} against the target "
                    "{target}: say why it fell short, and what will be done."
                ).format(
                    said=said, name=indicator.name, actual=indicator.actual, target=indicator.target
                ),
                deviation.find(said),
            )


def _deviation_message(subject: Subject, said: str) -> str | None:
    """What 偏离原因 denies: a low 执行率, else the first target missed."""
    project, figures = subject.project, subject.figures
    assert project is not None and figures is not None
    if figures.execution_rate < LOW_EXECUTION:
        return _(
            "偏离原因 says “{said}”, but 执行率 is {rate}: {unspent} 万元 of the budget was not "
            "spent. Say why, and what will be done."
        ).format(
            said=said,
            rate=percent(figures.execution_rate),
            unspent=money(project.adjusted_budget - project.spent),
        )
    for indicator in project.indicators:
        if missed(indicator):
            return _(
                "偏离原因 says “{said}”, but “{name}” reached {actual} against the target "
                "{target}: say why the target was missed, and what will be done."
            ).format(
                said=said, name=indicator.name, actual=indicator.actual, target=indicator.target
            )
    return None
