"""Checks of the budget figures: sources that add up, spending within the budget, and every
change or shortfall explained, in the data and in the narrative (read by ``amounts``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from zpgen.checks.amounts import narrative_amount_findings
from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import ERROR, WARNING
from zpgen.figures.formats import money, percent
from zpgen.i18n import N_, _
from zpgen.model.explain import suggest
from zpgen.model.schema import FUND_SYNONYMS

__all__ = ["LOW_EXECUTION"]

# Below this 执行率 the report must say why the money was not spent.
LOW_EXECUTION = Decimal("0.9")

_COLUMNS = (
    ("initial_budget", "initial", "年初预算数"),
    ("adjusted_budget", "adjusted", "全年预算数"),
    ("spent", "spent", "全年执行数"),
)


@rule("fund-sources-sum", ERROR, N_("The fund sources (资金来源) do not add up to the totals."))
def fund_sources_sum(subject: Subject) -> Iterator[Finding]:
    project = subject.project
    if project is None or project.fund_sources is None:
        return
    entries = project.fund_sources.entries()
    for total_field, column, label in _COLUMNS:
        parts = [
            (name, getattr(source, column))
            for name, source in entries
            if getattr(source, column) is not None
        ]
        if not parts:
            continue
        total: Decimal = getattr(project, total_field)
        added = sum((amount for _name, amount in parts), Decimal(0))
        if added != total:
            sum_text = " + ".join(f"{name} {money(amount)}" for name, amount in parts)
            yield Finding(
                subject.path("fund_sources"),
                _(
                    "The fund sources' {column} add up to {sum} 万元 ({parts}), but {column} is "
                    "{total} 万元: correct the sources or the total."
                ).format(column=label, sum=money(added), parts=sum_text, total=money(total)),
            )


@rule(
    "fund-source-row",
    ERROR,
    N_("A fund source (资金来源) has no row in the 自评表's layout (资金来源行)."),
)
def fund_source_row(subject: Subject) -> Iterator[Finding]:
    project, rows = subject.project, subject.fund_rows
    if project is None or project.fund_sources is None or not rows:
        return
    raw = subject.located.data.get(subject.path("fund_sources")[0])
    for name, amounts in project.fund_sources.entries():
        values = (amounts.initial, amounts.adjusted, amounts.spent)
        if name in rows or not any(values):  # nothing lost when a source of 0 has no row
            continue
        written = next((key for key in (raw or {}) if FUND_SYNONYMS.get(key, key) == name), name)
        close = suggest(name, list(rows))
        hint = _(" Did you mean “{close}”?").format(close=close) if close else ""
        yield Finding(
            (*subject.path("fund_sources"), written),
            _(
                "The 自评表 has no row for the fund source “{name}”: its rows are {rows}. "
                "Add it to 资金来源行 in the settings (设置), or correct the name.{hint}"
            ).format(name=name, rows="、".join(rows), hint=hint),
        )


@rule("spent-over-budget", ERROR, N_("全年执行数 is above 全年预算数."))
def spent_over_budget(subject: Subject) -> Iterator[Finding]:
    project = subject.project
    if project is not None and project.spent > project.adjusted_budget:
        yield Finding(
            subject.path("spent"),
            _(
                "全年执行数 {spent} 万元 is above 全年预算数 {adjusted} 万元: a project cannot "
                "spend more than its adjusted budget. Check both figures (a budget increase "
                "belongs in 全年预算数)."
            ).format(spent=money(project.spent), adjusted=money(project.adjusted_budget)),
        )


@rule(
    "adjustment-unexplained",
    WARNING,
    N_("年初预算数 and 全年预算数 differ, and no 预算调整原因 says why."),
)
def adjustment_unexplained(subject: Subject) -> Iterator[Finding]:
    project = subject.project
    if project is None or project.adjustment_reason:
        return
    if project.initial_budget == project.adjusted_budget:
        return
    change = project.adjusted_budget - project.initial_budget
    if change < 0:
        what = _("reduced by {amount} 万元").format(amount=money(-change))
    else:
        what = _("raised by {amount} 万元").format(amount=money(change))
    yield Finding(
        subject.path("adjusted_budget"),
        _(
            "The budget was {change} (年初预算数 {initial}, 全年预算数 {adjusted}), but no "
            "预算调整原因 says why: add “预算调整原因: …”, which the report gives as the reason."
        ).format(
            change=what,
            initial=money(project.initial_budget),
            adjusted=money(project.adjusted_budget),
        ),
    )


@rule(
    "low-execution-unexplained",
    WARNING,
    N_("执行率 is below 90%, and 偏离原因 does not explain it."),
)
def low_execution_unexplained(subject: Subject) -> Iterator[Finding]:
    project, figures = subject.project, subject.figures
    if project is None or figures is None or project.deviation_reasons:
        return
    if figures.execution_rate < LOW_EXECUTION:
        yield Finding(
            subject.path("spent"),
            _(
                "执行率 is {rate}, below {limit}: say in “偏离原因: …” why {unspent} 万元 of the "
                "budget was not spent."
            ).format(
                rate=percent(figures.execution_rate),
                limit=percent(LOW_EXECUTION),
                unspent=money(project.adjusted_budget - project.spent),
            ),
        )


@rule(
    "narrative-amount",
    WARNING,
    N_("An amount in the text disagrees with the project's figures."),
)
def narrative_amount(subject: Subject) -> Iterator[Finding]:
    """An amount that a sentence gives as one of the figures, and that the data do not hold."""
    return narrative_amount_findings(subject)
