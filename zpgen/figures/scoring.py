"""Scores and grade, by the rules of 财预〔2020〕10号 as ``domain.md`` records them.

- 预算执行率: 分值 × 执行率, capped at 分值 (the 执行率 as the report shows it, so a reader can
  check the product).
- A quantitative indicator is scored from its target (read by ``zpgen.figures.targets``) and its
  actual value; w = 分值, t = target, a = actual:
  positive (≥): a ≥ t → w, else w × a/t; equal (=): as positive, but t = 0 → w if a ≤ 0, else 0;
  negative (≤): a ≤ t → w; t < a < 2t → w × (1 − (a − t)/t); a ≥ 2t → 0, or w × t/a with the
  setting 反向指标计分: 按比值. A target without a sign ("100%") is an equal target.
- A qualitative indicator ("合规", "及时") carries its tier (评价档次) and its score, which must lie
  in the tier's band of 分值; 达成年度指标 with no score gets full marks.
- Any indicator may carry a hand-set score with a reason (得分说明); it is checked like the others.
- Every score is rounded half up to the configured places and never exceeds its 分值. The 分值 of a
  一级指标's indicators add up to its weight, the weights to 100; 总分 = Σ 得分; the grade comes
  from the bands.
- An indicator whose 实际完成值 is left blank (and that carries no 得分 or 评价档次) is not
  scored: its row of the 自评表 is printed blank, and the total and the grade are unknown (None).

Scoring is a pure function of the data: it never raises. What keeps a project from being scored
(a missing 分值, a 得分 outside its band, weights that do not add up) comes back as ``Fault``s,
which the check ``scores`` reports with the project's other problems, all at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from zpgen.figures.budget import Figures
from zpgen.figures.formats import money, round_half_up
from zpgen.figures.targets import Kind, Target, parse_quantity, parse_target
from zpgen.i18n import _
from zpgen.model.schema import (
    FULL_MARKS,
    LEVEL2_BY_LEVEL1,
    GradeBands,
    Indicator,
    NegativeFormula,
    Project,
    Settings,
    Tier,
    Weights,
)

__all__ = [
    "BudgetScore",
    "Fault",
    "IndicatorScore",
    "Outcome",
    "ScoreSheet",
    "Scoring",
    "TableRow",
    "grade",
    "score_indicator",
    "score_project",
]


class Outcome(str, Enum):
    """How the actual value compares with the target, whatever the score."""

    MET = "达到"
    EXCEEDED = "超过"  # better than the target: more for ≥ and =, less for ≤
    MISSED = "未达到"


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One 三级指标 scored. ``computed`` is what the rules give; ``score`` what counts. Both are
    None, and so is ``outcome``, for an indicator left blank (no 实际完成值): not scored."""

    indicator: Indicator
    target: Target
    actual: Decimal | None  # None for a qualitative indicator, or one left blank
    weight: Decimal
    computed: Decimal | None
    score: Decimal | None
    outcome: Outcome | None

    @property
    def hand_set(self) -> bool:
        return self.indicator.score is not None and self.target.kind is not Kind.QUALITATIVE

    @property
    def lost(self) -> Decimal | None:
        """Points short of 分值 (None when not scored)."""
        return None if self.score is None else self.weight - self.score


@dataclass(frozen=True, slots=True)
class BudgetScore:
    weight: Decimal
    rate: Decimal  # 执行率 as a ratio, rounded as configured
    score: Decimal


@dataclass(frozen=True, slots=True)
class TableRow:
    """An indicator row of the 自评表, in the official order; a span is 0 on a continued row."""

    item: IndicatorScore
    level1_rows: int
    level2_rows: int


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """Every score of one project, the total and the grade; ``total`` and ``grade`` are None
    while an indicator is left blank."""

    budget: BudgetScore
    indicators: tuple[IndicatorScore, ...]  # in the order of the project file
    weights: Weights
    total: Decimal | None
    full_marks: Decimal
    grade: str | None

    def level1_weight(self, level1: str) -> Decimal:
        return self.weights.of_level1(level1)

    def level1_score(self, level1: str) -> Decimal:
        """The points of one 一级指标's scored indicators."""
        return sum(
            (
                i.score
                for i in self.indicators
                if i.indicator.level1 == level1 and i.score is not None
            ),
            Decimal(0),
        )

    def rows(self) -> list[TableRow]:
        """The indicators grouped by 一级 and 二级指标 in the official order, with row spans."""
        order = [(l1, l2) for l1, level2s in LEVEL2_BY_LEVEL1.items() for l2 in level2s]
        ordered = sorted(
            self.indicators, key=lambda i: order.index((i.indicator.level1, i.indicator.level2))
        )
        rows: list[TableRow] = []
        for index, item in enumerate(ordered):
            before = ordered[index - 1].indicator if index else None
            level1, level2 = item.indicator.level1, item.indicator.level2
            new_level1 = before is None or before.level1 != level1
            new_level2 = new_level1 or (before is not None and before.level2 != level2)
            same1 = [i for i in ordered if i.indicator.level1 == level1]
            same2 = [i for i in same1 if i.indicator.level2 == level2]
            rows.append(
                TableRow(item, len(same1) if new_level1 else 0, len(same2) if new_level2 else 0)
            )
        return rows


def grade(total: Decimal, bands: GradeBands) -> str:
    """优, 良, 中 or 差: the highest grade whose lowest total the score reaches."""
    if total >= bands.excellent:
        return "优"
    if total >= bands.good:
        return "良"
    if total >= bands.fair:
        return "中"
    return "差"


def _formula_score(
    target: Target, actual: Decimal, weight: Decimal, formula: NegativeFormula
) -> tuple[Decimal, Outcome]:
    """The unrounded score of a quantitative indicator, and how it compares with its target."""
    t = target.value
    assert t is not None
    if target.kind is Kind.NEGATIVE:
        outcome = Outcome.MET if actual == t else Outcome.EXCEEDED if actual < t else Outcome.MISSED
        if actual <= t:
            return weight, outcome
        if t == 0:
            return Decimal(0), outcome
        if formula is NegativeFormula.RATIO:
            return weight * t / actual, outcome
        if actual >= 2 * t:
            return Decimal(0), outcome
        return weight * (1 - (actual - t) / t), outcome
    outcome = Outcome.MET if actual == t else Outcome.EXCEEDED if actual > t else Outcome.MISSED
    if t == 0:
        if target.kind is Kind.EQUAL:  # "=0起" (no incidents): any at all is a miss
            return (weight, outcome) if actual <= 0 else (Decimal(0), Outcome.MISSED)
        return weight, outcome
    if actual >= t:
        return weight, outcome
    return weight * actual / t, outcome


def score_indicator(
    indicator: Indicator, settings: Settings
) -> tuple[IndicatorScore | None, list[tuple[str, str]]]:
    """Score one indicator that has a 分值; problems come back as (field, message) pairs."""
    assert indicator.weight is not None
    assert settings.score_decimals is not None and settings.negative_formula is not None
    weight, decimals = indicator.weight, settings.score_decimals
    target = parse_target(indicator.target)
    problems: list[tuple[str, str]] = []
    entered = indicator.score
    if entered is not None:
        if entered > weight:
            message = _("得分 {score} is more than the indicator's 分值 {weight}.")
            problems.append(("score", message.format(score=money(entered), weight=money(weight))))
        if entered != round_half_up(entered, decimals):
            message = _("得分 {score} has more decimal places than 得分小数位 allows ({decimals}).")
            problems.append(("score", message.format(score=money(entered), decimals=decimals)))
    if indicator.actual is None and entered is None and indicator.tier is None:
        return IndicatorScore(indicator, target, None, weight, None, None, None), problems
    if target.kind is Kind.QUALITATIVE:
        return _qualitative(indicator, target, weight, problems)
    if indicator.tier is not None:
        message = _(
            "评价档次 is only for a qualitative indicator: delete it; the 得分 of a quantitative "
            "indicator is computed from its 实际完成值."
        )
        problems.append(("tier", message))
    if indicator.actual is None:  # a hand-set 得分 with the 实际完成值 left blank
        if entered is not None and not indicator.score_reason:
            message = _(
                "The 得分 of a quantitative indicator is set by hand: write the reason in "
                "“得分说明”."
            )
            problems.append(("score_reason", message))
        return IndicatorScore(indicator, target, None, weight, None, entered, None), problems
    parsed = parse_quantity(indicator.actual)
    if parsed is None:
        message = _(
            "年度指标值 “{target}” is quantitative: write in 实际完成值 the number reached, "
            "such as “18{unit}”, not “{actual}”."
        )
        problems.append(
            (
                "actual",
                message.format(target=target.text, unit=target.unit, actual=indicator.actual),
            )
        )
        return None, problems
    actual, unit = parsed
    if unit and target.unit and unit != target.unit:
        message = _(
            "The unit “{unit}” of 实际完成值 is not the unit of 年度指标值 “{target}”: "
            "write both in the same unit."
        )
        problems.append(("actual", message.format(unit=unit, target=target.text)))
    if entered is not None and not indicator.score_reason:
        message = _(
            "The 得分 of a quantitative indicator is set by hand: write the reason in “得分说明”."
        )
        problems.append(("score_reason", message))
    raw, outcome = _formula_score(target, actual, weight, settings.negative_formula)
    computed = min(round_half_up(raw, decimals), weight)
    score = entered if entered is not None else computed
    return IndicatorScore(indicator, target, actual, weight, computed, score, outcome), problems


def _qualitative(
    indicator: Indicator, target: Target, weight: Decimal, problems: list[tuple[str, str]]
) -> tuple[IndicatorScore | None, list[tuple[str, str]]]:
    tier, entered = indicator.tier, indicator.score
    if tier is None:
        message = _(
            "年度指标值 “{target}” is qualitative: fill in 评价档次 (达成年度指标, "
            "部分达成年度指标并具有一定效果 or 未达成年度指标且效果较差)."
        )
        problems.append(("tier", message.format(target=target.text)))
        return None, problems
    low, high = (weight * share for share in tier.band)
    if entered is None:
        if tier is not Tier.ACHIEVED:
            message = _("评价档次 is “{tier}”: fill in 得分 ({low} to {high} points).")
            problems.append(
                ("score", message.format(tier=tier.value, low=money(low), high=money(high)))
            )
            return None, problems
        entered = weight
    elif not low <= entered <= high:
        message = _(
            "得分 {score} lies outside the band of 评价档次 “{tier}” ({share} of 分值, "
            "that is {low} to {high} points)."
        )
        problems.append(
            (
                "score",
                message.format(
                    score=money(entered),
                    tier=tier.value,
                    share=_share(tier.band),
                    low=money(low),
                    high=money(high),
                ),
            )
        )
    outcome = Outcome.MET if tier is Tier.ACHIEVED else Outcome.MISSED
    return IndicatorScore(indicator, target, None, weight, entered, entered, outcome), problems


def _share(band: tuple[Decimal, Decimal]) -> str:
    return f"{band[0] * 100:.0f}%～{band[1] * 100:.0f}%"


@dataclass(frozen=True, slots=True)
class Fault:
    """Why a project cannot be scored as it stands: at an indicator (``index``; None for the
    indicators as a whole) and its field (the English name: "weight", "score"…)."""

    index: int | None
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Scoring:
    """A project's scores (None: it has no 分值, or faults), and every fault found.

    ``blank``: the indicators left blank (by index) that the 自评表 prints blank, when the table
    is wanted and the settings do not say blanks are intended (``允许留空``): the check
    ``table-incomplete`` warns of each."""

    sheet: ScoreSheet | None
    faults: tuple[Fault, ...] = ()
    blank: tuple[int, ...] = ()


def score_project(
    project: Project, figures: Figures, settings: Settings, *, required: bool
) -> Scoring:
    """Score a project whose indicators carry 分值; no sheet when none does and none is
    ``required`` (the 自评表 is asked for), and none when anything keeps the scores from being
    right: every such fault is returned (``zpgen.checks.scores`` reports them)."""
    assert settings.weights is not None and settings.grade_bands is not None
    assert settings.score_decimals is not None
    indicators = project.indicators
    if not indicators:
        if not required:
            return Scoring(None)
        message = _(
            "The 自评表 cannot be made: the project has no indicators (绩效指标). Add them, or "
            "set 自评表 to 不生成 for this project."
        )
        return Scoring(None, (Fault(None, "indicators", message),))
    if all(i.weight is None for i in indicators):
        if not required:
            return Scoring(None)
        message = _("The 自评表 needs the 分值 of every indicator: fill in “分值” for each.")
        return Scoring(None, (Fault(None, "indicators", message),))
    faults: list[Fault] = []
    scored: list[IndicatorScore] = []
    for index, indicator in enumerate(indicators):
        if indicator.weight is None:
            message = _(
                "分值 is missing: other indicators have theirs, and the total score needs "
                "the 分值 of every indicator."
            )
            faults.append(Fault(index, "weight", message))
            continue
        item, found = score_indicator(indicator, settings)
        faults.extend(Fault(index, field, message) for field, message in found)
        if item is not None:
            scored.append(item)
    faults.extend(Fault(*found) for found in _weight_problems(indicators, settings))
    if faults:
        return Scoring(None, tuple(faults))
    weights = settings.weights
    budget_weight = weights.budget if weights.budget is not None else Decimal(0)
    rate = figures.execution_rate
    budget_score = min(round_half_up(budget_weight * rate, settings.score_decimals), budget_weight)
    budget = BudgetScore(budget_weight, rate, budget_score)
    blanks = tuple(n for n, item in enumerate(scored) if item.score is None)
    complete = not blanks
    total = budget.score + sum((i.score for i in scored if i.score is not None), Decimal(0))
    sheet = ScoreSheet(
        budget=budget,
        indicators=tuple(scored),
        weights=weights,
        total=total if complete else None,
        full_marks=FULL_MARKS,
        grade=grade(total, settings.grade_bands) if complete else None,
    )
    return Scoring(sheet, blank=blanks if required and not settings.allow_blank else ())


def _weight_problems(
    indicators: Sequence[Indicator], settings: Settings
) -> list[tuple[int | None, str, str]]:
    """The 分值 of each 一级指标's indicators must add up to its weight."""
    assert settings.weights is not None
    found: list[tuple[int | None, str, str]] = []
    for level1 in LEVEL2_BY_LEVEL1:
        weight = settings.weights.of_level1(level1)
        mine = [(n, i) for n, i in enumerate(indicators) if i.level1 == level1]
        if not mine:
            if weight:
                found.append(
                    (
                        None,
                        "indicators",
                        _(
                            "权重 gives {level1} {weight} points, but the project has no "
                            "{level1}: add indicators, or set {level1} to 0 in the 权重 of the "
                            "settings."
                        ).format(level1=level1, weight=money(weight)),
                    )
                )
            continue
        total = sum((i.weight for _, i in mine if i.weight is not None), Decimal(0))
        if total != weight and all(i.weight is not None for _, i in mine):
            first = mine[0][0]
            found.append(
                (
                    first,
                    "weight",
                    _(
                        "The 分值 of the {level1} indicators add up to {total} points; they "
                        "should add up to the {weight} points that 权重 gives {level1}."
                    ).format(level1=level1, total=money(total), weight=money(weight)),
                )
            )
    return found
