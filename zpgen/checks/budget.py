"""Checks of the budget figures: sources that add up, spending within the budget, and every
change or shortfall explained, in the data and in the narrative."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import ERROR, WARNING
from zpgen.figures import money, percent
from zpgen.i18n import N_, _

__all__ = ["LOW_EXECUTION", "NarrativeAmount", "narrative_amounts"]

# Below this 执行率 the report must say why the money was not spent.
LOW_EXECUTION = Decimal("0.9")

_COLUMNS = (
    ("initial_budget", "initial", "年初预算数"),
    ("adjusted_budget", "adjusted", "全年预算数"),
    ("spent", "spent", "全年执行数"),
)
_SOURCES = (
    ("current_year", "本年财政拨款"),
    ("carried_over", "上年结转资金"),
    ("other", "其他资金"),
)


@rule("fund-sources-sum", ERROR, N_("The fund sources (资金来源) do not add up to the totals."))
def fund_sources_sum(subject: Subject) -> Iterator[Finding]:
    project = subject.project
    if project is None or project.fund_sources is None:
        return
    for total_field, column, label in _COLUMNS:
        parts = [
            (name, getattr(source, column))
            for field, name in _SOURCES
            if (source := getattr(project.fund_sources, field)) is not None
            and getattr(source, column) is not None
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


# --- amounts in the narrative -------------------------------------------------------------------

# Fields whose text is the narrative (not names, targets or values).
_NARRATIVE = {
    "adjustment_reason",
    "purpose",
    "expected",
    "achieved",
    "narrative",
    "deviation",
    "deviation_reasons",
    "improvements",
}
_AMOUNT_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*万元")
_CLAUSE_END = re.compile(r"[，。；;,！？!?\n]")
# The words that say which figure a clause is about, most specific first.
_FIGURE_WORDS = (
    ("reduction", re.compile(r"调减|核减")),
    ("increase", re.compile(r"追加|调增")),
    ("initial", re.compile(r"年初")),
    ("adjusted", re.compile(r"全年预算|调整后|预算数|涉及资金")),
    ("spent", re.compile(r"支出|支付|执行|拨付|使用|花费|开支")),
)
_BUDGET_WORDS = re.compile(r"预算|资金|经费|支出|支付|拨付|执行")
# Clauses about a part, an average or another year say nothing about the project's figures.
_NOT_THE_FIGURES = re.compile(r"其中|包括|分别|每|平均|人均|累计|下一?年|明年|上年|去年|以前年度")
_YEAR = re.compile(r"(\d{4})年")


@dataclass(frozen=True, slots=True)
class NarrativeAmount:
    """An amount in a sentence that matches none of the project's figures."""

    offset: int
    written: Decimal
    figure: str  # which figure the clause speaks of: "spent", "initial"…


def narrative_amounts(
    text: str, figures: dict[str, Decimal], year: int
) -> Iterator[NarrativeAmount]:
    """Amounts that a clause about the project's budget gives, and that the data do not hold.

    ``figures`` maps "initial", "adjusted", "spent", "reduction", "increase" (and any fund
    source amounts under other names) to their values. A clause with one amount must give the
    figure its words speak of (支付…0.32万元 is the 全年执行数); in a clause with several
    amounts (年初预算40万元调整为36.49万元) each must be one of the figures.
    """
    if "万元" not in text:  # no amount at all: most texts
        return
    start = 0
    for end_match in [*_CLAUSE_END.finditer(text), None]:
        end = end_match.start() if end_match else len(text)
        yield from _clause_amounts(text[start:end], start, figures, year)
        start = end + 1


def _clause_amounts(
    clause: str, start: int, figures: dict[str, Decimal], year: int
) -> Iterator[NarrativeAmount]:
    if not _BUDGET_WORDS.search(clause) or _NOT_THE_FIGURES.search(clause):
        return
    if any(int(y) != year for y in _YEAR.findall(clause)):
        return
    figure = next((name for name, words in _FIGURE_WORDS if words.search(clause)), None)
    if figure is None:
        return
    amounts = list(_AMOUNT_IN_TEXT.finditer(clause))
    allowed = {figures[figure]} if len(amounts) == 1 else set(figures.values())
    for found in amounts:
        written = Decimal(found.group(1))
        if written not in allowed:
            yield NarrativeAmount(start + found.start(), written, figure)


_FIGURE_NAMES = {
    "initial": "年初预算数",
    "adjusted": "全年预算数",
    "spent": "全年执行数",
    "reduction": "调减金额",
    "increase": "追加金额",
}


@rule(
    "narrative-amount",
    WARNING,
    N_("An amount in the text disagrees with the project's figures."),
)
def narrative_amount(subject: Subject) -> Iterator[Finding]:
    project, figures = subject.project, subject.figures
    if project is None or figures is None:
        return
    values = {
        "initial": figures.initial,
        "adjusted": figures.adjusted,
        "spent": figures.spent,
        "reduction": figures.reduction,
        "increase": figures.increase,
    }
    if project.fund_sources is not None:
        for source_field, _name in _SOURCES:
            source = getattr(project.fund_sources, source_field)
            for column in ("initial", "adjusted", "spent"):
                amount = getattr(source, column) if source is not None else None
                if amount is not None:
                    values[f"{source_field}.{column}"] = amount
    for field in subject.texts():
        if field.name not in _NARRATIVE:
            continue
        for found in narrative_amounts(field.text, values, figures.year):
            name = _FIGURE_NAMES[found.figure]
            yield Finding(
                field.path,
                _(
                    "The text says {written} 万元 where it speaks of the {figure}, but the data "
                    "give {figure} {value} 万元: correct the text or the data."
                ).format(
                    written=money(found.written),
                    figure=name,
                    value=money(values[found.figure]),
                ),
                found.offset,
            )
