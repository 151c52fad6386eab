"""Amounts, percentages and scores as the reports and the messages write them.

By default exact, without grouping or trailing zeros (8.56, 40, 86.2%), in the zh_CN locale's
digits (``money``, ``percent``). A report may ask for a fixed number of decimals (``金额小数位``,
and the 执行率 and scores already rounded to ``执行率小数位`` and ``得分小数位``) and for them
padded with zeros (``补零``: “2.00”, “100.00%”): ``NumberFormat``. Rounding is half up (四舍五入).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_decimal, format_percent

from zpgen.model.schema import Settings

__all__ = [
    "DEFAULT_NUMBERS",
    "NumberFormat",
    "money",
    "number_format",
    "percent",
    "round_half_up",
]

_LOCALE = Locale.parse("zh_CN")


@functools.lru_cache(maxsize=4096)  # the same amounts recur across a report and its table
def money(amount: Decimal) -> str:
    """An amount as written in the reports: exact, no grouping, no trailing zeros (40, 8.56)."""
    return format_decimal(amount, format="0.##", locale=_LOCALE, decimal_quantization=False)


@functools.lru_cache(maxsize=4096)
def percent(ratio: Decimal) -> str:
    """A ratio as a percentage, without trailing zeros: 1 → 100%, 0.862 → 86.2%."""
    return format_percent(ratio, format="0.##%", locale=_LOCALE, decimal_quantization=False)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """``value`` to ``places`` decimals, rounding half up (四舍五入): 0.125 → 0.13."""
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How one report writes its numbers.

    ``money_places``: the decimals of an amount (None: as the data write it, exactly); each
    ``pad_*``: whether the decimals are padded with zeros (“2.00”) or trailing zeros dropped
    (“2”). The 执行率 and the scores come rounded already (``zpgen.figures.budget``,
    ``zpgen.figures.scoring``); ``rate_places`` and ``score_places`` are the decimals they were
    rounded to, which padding fills.
    """

    money_places: int | None = None
    rate_places: int = 2
    score_places: int = 2
    pad_money: bool = False
    pad_rate: bool = False
    pad_score: bool = False

    def money(self, amount: Decimal) -> str:
        """An amount: “8.56”, or with ``money_places`` 2 and padding “8.56”, “40.00”."""
        if self.money_places is not None:
            amount = round_half_up(amount, self.money_places)
        if self.pad_money:
            return _plain(amount)
        return money(amount)

    def percent(self, ratio: Decimal) -> str:
        """A ratio as a percentage: “86.2%”, or padded “86.20%”."""
        if self.pad_rate:
            return _plain(round_half_up(ratio * 100, self.rate_places)) + "%"
        return percent(ratio)

    def score(self, value: Decimal) -> str:
        """A score: “10.91”, “20”; padded “20.00”."""
        if self.pad_score:
            return _plain(round_half_up(value, self.score_places))
        return money(value)


def _plain(value: Decimal) -> str:
    """A Decimal with exactly its own decimals, never in exponent form: 40.00, 0.50."""
    return format(value, "f")


DEFAULT_NUMBERS = NumberFormat()


def number_format(settings: Settings) -> NumberFormat:
    """The numbers of a report under ``settings`` (金额小数位, 执行率小数位, 得分小数位, 补零)."""
    pad = settings.pad_zeros or ()
    return NumberFormat(
        money_places=settings.money_decimals,
        rate_places=settings.rate_decimals if settings.rate_decimals is not None else 2,
        score_places=settings.score_decimals if settings.score_decimals is not None else 2,
        pad_money="金额" in pad,
        pad_rate="执行率" in pad,
        pad_score="得分" in pad,
    )
