"""Figures derived from a project's data, computed once so the report can never disagree with it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zpgen.figures.formats import round_half_up
from zpgen.model.schema import Project

__all__ = ["Figures", "compute"]

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


def execution_rate(spent: Decimal, adjusted: Decimal, decimals: int) -> Decimal:
    """执行率 as a share (0.862 for 86.2%), rounded half up as a percentage of ``decimals``
    decimals prints it. ``adjusted`` must not be 0."""
    return round_half_up(spent / adjusted, decimals + 2)


def compute(project: Project, year: int, *, rate_decimals: int = _PERCENT_PLACES) -> Figures:
    """执行率 = 全年执行数 ÷ 全年预算数: the adjusted budget, as 财预〔2020〕10号 defines it.

    ``rate_decimals`` is the number of decimals of the percentage (2: 86.2%, 0: 86%).
    """
    rate = execution_rate(project.spent, project.adjusted_budget, rate_decimals)
    return Figures(
        initial=project.initial_budget,
        adjusted=project.adjusted_budget,
        spent=project.spent,
        reduction=project.initial_budget - project.adjusted_budget,
        execution_rate=rate,
        year=year,
        next_year=year + 1,
    )
