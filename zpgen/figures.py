"""Figures derived from a project's data, computed once so the report can never disagree with it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_decimal, format_percent

from zpgen.model import Project

__all__ = ["Figures", "compute", "money", "percent"]

# 执行率 is kept as a ratio, rounded to a percentage with this many decimals unless set otherwise.
_PERCENT_PLACES = 2


@dataclass(frozen=True, slots=True)
class Figures:
    """Budget figures in 万元; ``reduction`` is negative when the budget was raised."""

    initial: Decimal
    adjusted: Decimal
    spent: Decimal
    reduction: Decimal
    execution_rate: Decimal  # spent ÷ adjusted, rounded half up (default: a percentage to 0.01)
    year: int
    next_year: int

    @property
    def fully_spent(self) -> bool:
        return self.spent == self.adjusted

    @property
    def increase(self) -> Decimal:
        """The amount the budget was raised by (0 when it was not)."""
        return max(-self.reduction, Decimal(0))


def compute(project: Project, year: int, *, rate_decimals: int = _PERCENT_PLACES) -> Figures:
    """执行率 = 全年执行数 ÷ 全年预算数: the adjusted budget, as 财预〔2020〕10号 defines it.

    ``rate_decimals`` is the number of decimals of the percentage (2: 86.2%, 0: 86%).
    """
    places = Decimal(1).scaleb(-(rate_decimals + 2))
    rate = (project.spent / project.adjusted_budget).quantize(places, ROUND_HALF_UP)
    return Figures(
        initial=project.initial_budget,
        adjusted=project.adjusted_budget,
        spent=project.spent,
        reduction=project.initial_budget - project.adjusted_budget,
        execution_rate=rate,
        year=year,
        next_year=year + 1,
    )


_LOCALE = Locale.parse("zh_CN")


@functools.lru_cache(maxsize=4096)  # the same amounts recur across a report and its table
def money(amount: Decimal) -> str:
    """An amount as written in the reports: exact, no grouping, no trailing zeros (40, 8.56)."""
    return format_decimal(amount, format="0.##", locale=_LOCALE, decimal_quantization=False)


@functools.lru_cache(maxsize=4096)
def percent(ratio: Decimal) -> str:
    """A ratio as a percentage, without trailing zeros: 1 → 100%, 0.862 → 86.2%."""
    return format_percent(ratio, format="0.##%", locale=_LOCALE, decimal_quantization=False)
