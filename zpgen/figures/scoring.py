"""Scores and grade, by the rules of 财预〔2020〕10号 as ``domain.md`` records them.

- 预算执行率: 分值 × 执行率, capped at 分值 (the 执行率 as the report shows it, so a reader can
  check the product).
- A quantitative indicator is scored from its target, written as the tables write it ("≥33个",
  "=8个", "≤202.6万元", "≥95%", "100%"), and its actual value; w = 分值, t = target, a = actual:
  positive (≥): a ≥ t → w, else w × a/t; equal (=): as positive, but t = 0 → w if a ≤ 0, else 0;
  negative (≤): a ≤ t → w; t < a < 2t → w × (1 − (a − t)/t); a ≥ 2t → 0, or w × t/a with the
  setting 反向指标计分: 按比值. A target without a sign ("100%") is an equal target.
- A qualitative indicator ("合规", "及时") carries its tier (评价档次) and its score, which must lie
  in the tier's band of 分值; 达成年度指标 with no score gets full marks.
- Any indicator may carry a hand-set score with a reason (得分说明); it is checked like the others.
- Every score is rounded half up to the configured places and never exceeds its 分值. The 分值 of a
  一级指标's indicators add up to its weight, the weights to 100; 总分 = Σ 得分; the grade comes
  from the bands.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from zpgen.errors import Problem, ZpgenError
from zpgen.figures.budget import Figures
from zpgen.figures.formats import money
from zpgen.i18n import _
from zpgen.load.yaml_file import KeyPath, Located
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
    "IndicatorScore",
    "Kind",
    "Outcome",
    "ScoreSheet",
    "TableRow",
    "Target",
    "grade",
    "parse_amount",
    "parse_target",
    "score_indicator",
    "score_project",
]


class Kind(str, Enum):
    POSITIVE = "≥"
    EQUAL = "="
    NEGATIVE = "≤"
    QUALITATIVE = "定性"


class Outcome(str, Enum):
    """How the actual value compares with the target, whatever the score."""

    MET = "达到"
    EXCEEDED = "超过"  # better than the target: more for ≥ and =, less for ≤
    MISSED = "未达到"


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed 年度指标值: the comparison, the number and the unit; qualitative has no number."""

    kind: Kind
    value: Decimal | None
    unit: str
    text: str


_PREFIXES = [
    (Kind.POSITIVE, ("大于或等于", "大于等于", "不低于", "不少于", "至少", ">=", "≥", "≧", ">")),
    (Kind.NEGATIVE, ("小于或等于", "小于等于", "不高于", "不超过", "不多于", "至多", "<=", "≤")),
    (Kind.NEGATIVE, ("≦", "<")),
    (Kind.EQUAL, ("==", "=", "等于")),
]
_SUFFIXES = [
    (Kind.POSITIVE, ("及以上", "以上")),
    (Kind.NEGATIVE, ("及以下", "以下", "以内")),
]
_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([^\d]*)$")


@functools.lru_cache(maxsize=4096)
def parse_amount(text: str) -> tuple[Decimal, str] | None:
    """ "18个" → (18, "个"); "202.6万元" → (202.6, "万元"); None when it is not a number."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    number = match.group(1).replace(",", "") + (match.group(2) or "")
    return Decimal(number), match.group(3).strip()


@functools.lru_cache(maxsize=4096)  # scores and several checks read every target: once each
def parse_target(text: str) -> Target:
    """Read a 年度指标值 as written: full-width forms and words such as 不低于, 以上 included."""
    rest = unicodedata.normalize("NFKC", text).strip()
    kind = Kind.EQUAL
    for candidate, words in _PREFIXES:
        word = next((w for w in words if rest.startswith(w)), None)
        if word:
            kind, rest = candidate, rest[len(word) :].strip()
            break
    else:
        for candidate, words in _SUFFIXES:
            word = next((w for w in words if rest.endswith(w)), None)
            if word:
                kind, rest = candidate, rest[: -len(word)].strip()
                break
    parsed = parse_amount(rest)
    if parsed is None:
        return Target(Kind.QUALITATIVE, None, "", text.strip())
    return Target(kind, parsed[0], parsed[1], text.strip())


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One 三级指标 scored. ``computed`` is what the rules give; ``score`` what counts."""

    indicator: Indicator
    target: Target
    actual: Decimal | None  # None for a qualitative indicator
    weight: Decimal
    computed: Decimal
    score: Decimal
    outcome: Outcome

    @property
    def hand_set(self) -> bool:
        return self.indicator.score is not None and self.target.kind is not Kind.QUALITATIVE

    @property
    def lost(self) -> Decimal:
        """Points short of 分值."""
        return self.weight - self.score


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
    """Every score of one project, the total and the grade."""

    budget: BudgetScore
    indicators: tuple[IndicatorScore, ...]  # in the order of the project file
    weights: Weights
    total: Decimal
    full_marks: Decimal
    grade: str

    def level1_weight(self, level1: str) -> Decimal:
        return self.weights.of_level1(level1)

    def level1_score(self, level1: str) -> Decimal:
        return sum((i.score for i in self.indicators if i.indicator.level1 == level1), Decimal(0))

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


def _places(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(_places(decimals), ROUND_HALF_UP)


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
        if entered != _round(entered, decimals):
            message = _("得分 {score} has more decimal places than 得分小数位 allows ({decimals}).")
            problems.append(("score", message.format(score=money(entered), decimals=decimals)))
    if target.kind is Kind.QUALITATIVE:
        return _qualitative(indicator, target, weight, problems)
    if indicator.tier is not None:
        message = _(
            "评价档次 is only for a qualitative indicator: delete it; the 得分 of a quantitative "
            "indicator is computed from its 实际完成值."
        )
        problems.append(("tier", message))
    parsed = parse_amount(unicodedata.normalize("NFKC", indicator.actual))
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
    computed = min(_round(raw, decimals), weight)
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


def score_project(
    project: Project, figures: Figures, settings: Settings, located: Located, *, required: bool
) -> ScoreSheet | None:
    """Score a project whose indicators carry 分值; None when none does and none is ``required``.

    Every problem is collected and raised at once as a ZpgenError, each at its key in the file.
    """
    assert settings.weights is not None and settings.grade_bands is not None
    assert settings.score_decimals is not None
    where = _Where(located)
    indicators = project.indicators
    if all(i.weight is None for i in indicators):
        if not required:
            return None
        message = _("The 自评表 needs the 分值 of every indicator: fill in “分值” for each.")
        raise ZpgenError([where.problem(None, "indicators", message)])
    problems: list[Problem] = []
    scored: list[IndicatorScore] = []
    for index, indicator in enumerate(indicators):
        if indicator.weight is None:
            message = _(
                "分值 is missing: other indicators have theirs, and the total score needs "
                "the 分值 of every indicator."
            )
            problems.append(where.problem(index, "weight", message))
            continue
        item, found = score_indicator(indicator, settings)
        problems.extend(where.problem(index, field, message) for field, message in found)
        if item is not None:
            scored.append(item)
    problems.extend(where.problem(*found) for found in _weight_problems(indicators, settings))
    if problems:
        raise ZpgenError(problems)
    weights = settings.weights
    budget_weight = weights.budget if weights.budget is not None else Decimal(0)
    rate = figures.execution_rate
    budget_score = min(_round(budget_weight * rate, settings.score_decimals), budget_weight)
    budget = BudgetScore(budget_weight, rate, budget_score)
    total = budget.score + sum((i.score for i in scored), Decimal(0))
    return ScoreSheet(
        budget=budget,
        indicators=tuple(scored),
        weights=weights,
        total=total,
        full_marks=FULL_MARKS,
        grade=grade(total, settings.grade_bands),
    )


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


class _Where:
    """Positions in the project file, whichever spelling (Chinese or English) a key used."""

    def __init__(self, located: Located) -> None:
        self.located = located

    def problem(self, index: int | None, field: str, message: str) -> Problem:
        return self.located.problem(self._path(index, field), message)

    def _path(self, index: int | None, field: str) -> KeyPath:
        data = self.located.data if isinstance(self.located.data, dict) else {}
        top = _spelling(data, Project, "indicators")
        if index is None:
            return (top,)
        items = data.get(top)
        item = items[index] if isinstance(items, list) and index < len(items) else None
        return (top, index, _spelling(item if isinstance(item, dict) else {}, Indicator, field))


def _spelling(data: dict[str, Any], model: type[Project] | type[Indicator], field: str) -> str:
    """The key a file used for a field: its English name if written so, else the Chinese alias."""
    alias = model.model_fields[field].alias or field
    return field if field in data and alias not in data else alias
