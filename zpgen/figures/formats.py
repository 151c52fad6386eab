"""Amounts and percentages as the reports and the messages write them: exact, without grouping
or trailing zeros (8.56, 40, 86.2%), in the zh_CN locale's digits."""

from __future__ import annotations

import functools
from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal, format_percent

__all__ = ["money", "percent"]

_LOCALE = Locale.parse("zh_CN")


@functools.lru_cache(maxsize=4096)  # the same amounts recur across a report and its table
def money(amount: Decimal) -> str:
    """An amount as written in the reports: exact, no grouping, no trailing zeros (40, 8.56)."""
    return format_decimal(amount, format="0.##", locale=_LOCALE, decimal_quantization=False)


@functools.lru_cache(maxsize=4096)
def percent(ratio: Decimal) -> str:
    """A ratio as a percentage, without trailing zeros: 1 → 100%, 0.862 → 86.2%."""
    return format_percent(ratio, format="0.##%", locale=_LOCALE, decimal_quantization=False)
