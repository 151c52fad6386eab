"""Checks of the indicators: a missed target needs its 偏差原因, and so does one overshot by far
(the rules ask whether the target was set too low).

Targets and actual values are read by ``zpgen.figures.targets``, as the scores read them:
a comparison (≥, 不低于, 以上…), a number and a unit. Qualitative targets (合规) are not judged
here, nor is an actual value that is not a number in the target's unit (scoring reports that).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import WARNING
from zpgen.figures.formats import percent
from zpgen.figures.targets import Kind, parse_quantity, parse_target
from zpgen.i18n import N_, _
from zpgen.model.schema import Indicator

__all__ = ["OVERSHOOT", "exceeded", "missed"]

# Overshooting a target by more than this asks for a word on whether it was set too low.
OVERSHOOT = Decimal("0.2")


def _pair(indicator: Indicator) -> tuple[Kind, Decimal, Decimal] | None:
    """The target's comparison and number, and the actual number, when both are numbers of one
    unit (an actual value may leave the unit out, as scoring allows)."""
    if indicator.actual is None:  # left blank: nothing to compare
        return None
    target = parse_target(indicator.target)
    actual = parse_quantity(indicator.actual)
    if target.value is None or actual is None:
        return None
    number, unit = actual
    if unit and target.unit and unit != target.unit:
        return None
    return target.kind, target.value, number


def missed(indicator: Indicator) -> bool:
    """The actual value falls short of the target (above it, for an "at most" target)."""
    pair = _pair(indicator)
    if pair is None:
        return False
    kind, target, actual = pair
    if kind is Kind.NEGATIVE:
        return actual > target
    return actual < target


def exceeded(indicator: Indicator) -> Decimal | None:
    """By how much (a ratio) the actual value overshoots an "at least" or "equal" target, when by
    more than ``OVERSHOOT``."""
    pair = _pair(indicator)
    if pair is None:
        return None
    kind, target, actual = pair
    if kind is Kind.NEGATIVE or target <= 0:
        return None
    excess = (actual - target) / target
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
