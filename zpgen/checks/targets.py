"""Checks of the indicators: a missed target needs its 偏差原因, and so does one overshot by far
(the rules ask whether the target was set too low).

The parsing here is deliberately minimal: a comparison, a number and a unit ("≥33个", "=6人",
"≤24.24万元", "100%"); anything else (qualitative targets such as "合规") is not judged.
``zpgen/scoring.py`` (scores and grade) parses targets fully; the two should share one parser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import WARNING
from zpgen.figures import percent
from zpgen.i18n import N_, _
from zpgen.model import Indicator

__all__ = ["OVERSHOOT", "Quantity", "exceeded", "missed", "parse_quantity"]

# Overshooting a target by more than this asks for a word on whether it was set too low.
OVERSHOOT = Decimal("0.2")

_QUANTITY = re.compile(r"^(?P<sign>>=|<=|[≥≤=><])?\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>\D*)$")
_SIGNS = {">=": "≥", ">": "≥", "≥": "≥", "<=": "≤", "<": "≤", "≤": "≤", "=": "="}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A target or an actual value: "≥" (at least), "≤" (at most) or "=" (also no sign)."""

    sign: str
    number: Decimal
    unit: str


def parse_quantity(text: str) -> Quantity | None:
    """``≥33个`` → (≥, 33, 个); None for what is not a number with a unit."""
    found = _QUANTITY.match(unicodedata.normalize("NFKC", text).strip())
    if found is None:
        return None
    sign = _SIGNS[found.group("sign")] if found.group("sign") else "="
    return Quantity(sign, Decimal(found.group("number")), found.group("unit").strip())


def _pair(indicator: Indicator) -> tuple[Quantity, Quantity] | None:
    target, actual = parse_quantity(indicator.target), parse_quantity(indicator.actual)
    if target is None or actual is None or target.unit != actual.unit:
        return None
    return target, actual


def missed(indicator: Indicator) -> bool:
    """The actual value falls short of the target (above it, for an "at most" target)."""
    pair = _pair(indicator)
    if pair is None:
        return False
    target, actual = pair
    if target.sign == "≤":
        return actual.number > target.number
    return actual.number < target.number


def exceeded(indicator: Indicator) -> Decimal | None:
    """By how much (a ratio) the actual value overshoots an "at least" or "equal" target, when by
    more than ``OVERSHOOT``."""
    pair = _pair(indicator)
    if pair is None:
        return None
    target, actual = pair
    if target.sign == "≤" or target.number <= 0:
        return None
    excess = (actual.number - target.number) / target.number
    return excess if excess > OVERSHOOT else None


@rule(
    "target-missed-unexplained",
    WARNING,
    N_("An indicator misses its target, and 偏差原因 does not say why."),
)
def target_missed_unexplained(subject: Subject) -> Iterator[Finding]:
    if subject.project is None:
        return
    for index, indicator in enumerate(subject.project.indicators):
        if missed(indicator) and not indicator.deviation:
            yield Finding(
                subject.path("indicators", index, "actual"),
                _(
                    "“{name}” reached {actual} against the target {target}, and 偏差原因 does "
                    "not say why: add “偏差原因: …” to this indicator, with the reason and what "
                    "will be done."
                ).format(name=indicator.name, actual=indicator.actual, target=indicator.target),
            )


@rule(
    "target-exceeded-unexplained",
    WARNING,
    N_("An indicator overshoots its target by more than 20%, and 偏差原因 says nothing on it."),
)
def target_exceeded_unexplained(subject: Subject) -> Iterator[Finding]:
    if subject.project is None:
        return
    for index, indicator in enumerate(subject.project.indicators):
        excess = exceeded(indicator)
        if excess is not None and not indicator.deviation:
            yield Finding(
                subject.path("indicators", index, "actual"),
                _(
                    "“{name}” reached {actual}, {excess} above its target {target}: say in "
                    "“偏差原因: …” why, and whether the target was set too low."
                ).format(
                    name=indicator.name,
                    actual=indicator.actual,
                    excess=percent(excess.quantize(Decimal("0.0001"))),
                    target=indicator.target,
                ),
            )
