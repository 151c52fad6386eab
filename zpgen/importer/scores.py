"""The scores a 自评表 prints, against the rules zpgen scores by.

A qualitative indicator's 评价档次 is not printed: it is inferred from its score (full marks:
达成年度指标; else the tier whose band holds the score, the higher one on a boundary), and
marked 待核对. Quantitative scores are computed with the default settings, then with one and
no decimals and the other formula for negative indicators (按比值): the settings that give the
most printed scores are the project's. A score the rules still do not give is kept as printed,
as a hand-set score whose reason (得分说明) is to be filled in unless the table gives it. The
weights are read from the 分值 column (the budget's and each 一级指标's sum), and the budget
score, the total and the grade are compared with what zpgen computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pydantic import ValidationError

from zpgen.figures.budget import execution_rate
from zpgen.figures.formats import money
from zpgen.figures.scoring import grade, score_indicator
from zpgen.figures.targets import Kind, parse_target
from zpgen.i18n import _
from zpgen.importer.draft import IndicatorDraft, ProjectDraft, Value
from zpgen.importer.reconcile import amount
from zpgen.model.schema import (
    DEFAULT_SETTINGS,
    LEVEL2_BY_LEVEL1,
    Indicator,
    NegativeFormula,
    Settings,
    Tier,
    overlay,
)

__all__ = ["ScoreSettings", "settle_scores"]

_FIELDS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值")
_CANDIDATES = [(decimals, formula) for formula in NegativeFormula for decimals in (2, 1, 0)]


@dataclass
class ScoreSettings:
    """The settings a project's printed scores call for (None: the default does)."""

    weights: dict[str, Decimal] = field(default_factory=dict)
    score_decimals: int | None = None
    negative_formula: NegativeFormula | None = None


def settle_scores(project: ProjectDraft) -> ScoreSettings:
    """Infer tiers and settings from the printed scores; report what they do not explain."""
    chosen = ScoreSettings()
    scored = [i for i in project.indicators if i.get("分值") is not None]
    if not project.table or not scored:
        return chosen
    for indicator in scored:
        _tier(project, indicator)
    models = {id(i): m for i in scored if (m := _model(i)) is not None}
    quantitative = [i for i in scored if id(i) in models and i.get("评价档次") is None]
    decimals, formula = _best(quantitative, models)
    if decimals != 2:
        chosen.score_decimals = decimals
    if formula is not NegativeFormula.OVERSHOOT:
        chosen.negative_formula = formula
    settings = overlay(
        DEFAULT_SETTINGS, Settings(score_decimals=decimals, negative_formula=formula)
    )
    for indicator in quantitative:
        _hand_set(project, indicator, models[id(indicator)], settings)
    chosen.weights = _weights(project, scored)
    _totals(project, scored, settings, chosen.weights)
    return chosen


def _model(indicator: IndicatorDraft) -> Indicator | None:
    data = {key: indicator.text(key) for key in _FIELDS}
    try:
        return Indicator.model_validate(data)
    except ValidationError:
        return None


def _tier(project: ProjectDraft, indicator: IndicatorDraft) -> None:
    target = indicator.text("年度指标值")
    weight = amount(indicator.text("分值"))
    printed = indicator.printed_score
    score = amount(printed.text) if printed is not None else None
    if target is None or parse_target(target).kind is not Kind.QUALITATIVE or weight is None:
        return
    if printed is None or score is None:
        return
    where = printed.where
    note = _("inferred from the score {score} of {weight} in the 自评表").format(
        score=money(score), weight=money(weight)
    )
    if score == weight:
        indicator.set("评价档次", Value(Tier.ACHIEVED.value, where, note))
        return
    for tier in Tier:
        low, high = (weight * share for share in tier.band)
        if low <= score <= high:
            indicator.set("评价档次", Value(tier.value, where, note))
            indicator.set("得分", Value(printed.text, where))
            return
    message = _("{where} gives the score {score}, more than the 分值 {weight}").format(
        where=where, score=printed.text, weight=money(weight)
    )
    project.disagreements.append(("", message))


def _computed(model: Indicator, settings: Settings) -> Decimal | None:
    item, _problems = score_indicator(model, settings)
    return item.computed if item is not None else None


def _best(
    indicators: list[IndicatorDraft], models: dict[int, Indicator]
) -> tuple[int, NegativeFormula]:
    best, hits = _CANDIDATES[0], -1
    for decimals, formula in _CANDIDATES:
        settings = overlay(
            DEFAULT_SETTINGS, Settings(score_decimals=decimals, negative_formula=formula)
        )
        count = 0
        for indicator in indicators:
            printed = amount(indicator.printed_score.text) if indicator.printed_score else None
            count += printed is not None and _computed(models[id(indicator)], settings) == printed
        if count > hits:
            best, hits = (decimals, formula), count
    return best


def _hand_set(
    project: ProjectDraft, indicator: IndicatorDraft, model: Indicator, settings: Settings
) -> None:
    printed = indicator.printed_score
    score = amount(printed.text) if printed is not None else None
    computed = _computed(model, settings)
    if printed is None or score is None or computed == score:
        return
    indicator.set("得分", Value(printed.text, printed.where))
    if indicator.get("得分说明") is None:
        note = _(
            "the 自评表 gives {score}, the rules give {computed}: kept as a score set by hand, "
            "whose reason is to be written in 得分说明"
        ).format(score=printed.text, computed=money(computed) if computed is not None else "—")
        project.checks.append((f"绩效指标[{project.indicators.index(indicator)}].得分", note))


def _weights(project: ProjectDraft, scored: list[IndicatorDraft]) -> dict[str, Decimal]:
    weights: dict[str, Decimal] = {}
    budget = amount(project.text("印.预算分值"))
    if budget is not None:
        weights["预算执行率"] = budget
    for level1 in LEVEL2_BY_LEVEL1:
        total = sum(
            (amount(i.text("分值")) or Decimal(0) for i in scored if i.text("一级指标") == level1),
            Decimal(0),
        )
        if total:
            weights[level1] = total
    default = {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}
    if weights == {k: Decimal(v) for k, v in default.items()}:
        return {}
    return weights


def _totals(
    project: ProjectDraft,
    scored: list[IndicatorDraft],
    settings: Settings,
    weights: dict[str, Decimal],
) -> None:
    budget = _budget_score(project, settings, weights)
    scores = [amount(i.printed_score.text) if i.printed_score else None for i in scored]
    printed_total = project.get("印.总分")
    if budget is None or any(s is None for s in scores) or printed_total is None:
        return
    total = budget + sum((s for s in scores if s is not None), Decimal(0))
    if amount(printed_total.text) != total:
        message = _("{where} gives the total {printed}, but the scores add up to {total}").format(
            where=printed_total.where, printed=printed_total.text, total=money(total)
        )
        project.disagreements.append(("", message))
    printed_grade = project.get("印.自评等级")
    assert settings.grade_bands is not None
    computed = grade(total, settings.grade_bands)
    if printed_grade is not None and printed_grade.text != computed:
        message = _("{where} gives the grade {printed}; a total of {total} is {grade}").format(
            where=printed_grade.where,
            printed=printed_grade.text,
            total=money(total),
            grade=computed,
        )
        project.disagreements.append(("", message))


def _budget_score(
    project: ProjectDraft, settings: Settings, weights: dict[str, Decimal]
) -> Decimal | None:
    adjusted = amount(project.text("全年预算数"))
    spent = amount(project.text("全年执行数"))
    printed = project.get("印.预算得分")
    weight = weights.get("预算执行率", Decimal(10))
    if adjusted is None or spent is None or adjusted == 0 or printed is None:
        return amount(printed.text) if printed is not None else None
    assert settings.score_decimals is not None
    rate = execution_rate(spent, adjusted, 2)
    places = Decimal(1).scaleb(-settings.score_decimals)
    computed = min((weight * rate).quantize(places, ROUND_HALF_UP), weight)
    if amount(printed.text) != computed:
        message = _(
            "{where} gives the 预算执行率 score {printed}; {weight} × 执行率 gives {computed}"
        ).format(
            where=printed.where,
            printed=printed.text,
            weight=money(weight),
            computed=money(computed),
        )
        project.disagreements.append(("", message))
    return computed
