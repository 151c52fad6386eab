"""Scores and grade, against values computed by hand from the rules in domain.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zpgen.checks.registry import Subject, run_checks
from zpgen.errors import Problem, ZpgenError
from zpgen.figures.budget import compute
from zpgen.figures.scoring import Outcome, ScoreSheet, Scoring, grade, score_project
from zpgen.figures.targets import Kind, parse_target
from zpgen.load.yaml_file import Located, load_yaml
from zpgen.model.schema import DEFAULT_SETTINGS, GradeBands, Project, Settings, Unit, overlay
from zpgen.model.validate import validate

from .conftest import write_tree

# One indicator per 一级指标, so the default weights (10/50/30/10) hold with 分值 50/30/10.
PROJECT = """\
项目名称: 测试项目
年初预算数: {initial}
全年预算数: {adjusted}
全年执行数: {spent}
资金用途: 用于测试
年度总体目标:
  预期目标: 目标
  实际完成情况: 完成了目标
绩效指标:
  - 一级指标: 产出指标
    二级指标: 数量指标
    三级指标: 数量
    年度指标值: "{target}"
    实际完成值: "{actual}"
    分值: {weight}
{extra}  - 一级指标: 效益指标
    二级指标: 社会效益指标
    三级指标: 效益
    年度指标值: 合规
    实际完成值: 合规
    分值: 30
    评价档次: 达成
  - 一级指标: 满意度指标
    二级指标: 服务对象满意度指标
    三级指标: 满意度
    年度指标值: ≥95%
    实际完成值: 96%
    分值: 10
{settings}"""


def sheet(
    tmp_path: Path,
    *,
    target: str = "≥10个",
    actual: str = "10个",
    weight: str = "50",
    extra: str = "",
    settings: str = "",
    budget: tuple[str, str, str] = ("8.56", "8.56", "8.56"),
) -> ScoreSheet:
    """Score a project file written with these values (settings: the YAML of 设置)."""
    initial, adjusted, spent = budget
    text = PROJECT.format(
        initial=initial,
        adjusted=adjusted,
        spent=spent,
        target=target,
        actual=actual,
        weight=weight,
        extra=extra,
        settings=f"设置:\n{settings}" if settings else "",
    )
    file = write_tree(tmp_path, {"p.yaml": text}) / "p.yaml"
    located = load_yaml(file, root=None)
    project = validate(located, Project)
    resolved = overlay(DEFAULT_SETTINGS, project.settings)
    assert resolved.rate_decimals is not None
    figures = compute(project, 2023, rate_decimals=resolved.rate_decimals)
    result = score_project(project, figures, resolved, required=True)
    if result.sheet is None:
        raise ZpgenError(positioned(located, project, result))
    return result.sheet


UNIT = Unit.model_validate(
    {"单位名称": "某单位", "评价时间": "2024年4月", "财政部门": "区财政", "公开网站": "某网站"}
)


def positioned(located: Located, project: Project, scoring: Scoring) -> list[Problem]:
    """The faults of the scores, as the check ``scores`` reports them: each at its key."""
    subject = Subject(located, UNIT, project, compute(project, 2023), scoring=scoring)
    return [p for p in run_checks(subject) if p.rule == "scores"]


def problems(tmp_path: Path, **values: str) -> list[str]:
    with pytest.raises(ZpgenError) as caught:
        sheet(tmp_path, **values)  # type: ignore[arg-type]
    return [f"{p.line}:{p.column} {p.key} {p.message}" for p in caught.value.problems]


def first_score(result: ScoreSheet) -> tuple[Decimal, Outcome]:
    item = result.indicators[0]
    return item.score, item.outcome


# --- 预算执行率 ----------------------------------------------------------------------------------


def test_full_execution_scores_the_whole_weight(tmp_path: Path) -> None:
    result = sheet(tmp_path)
    assert (result.budget.weight, result.budget.rate, result.budget.score) == (10, 1, 10)
    assert result.total == 100 and result.grade == "优"


@pytest.mark.parametrize(
    ("settings", "rate", "score", "total"),
    [
        # 37.24 ÷ 43.2 = 0.862037… → 86.20%; 10 × 0.8620 = 8.62
        ("", "0.8620", "8.62", "98.62"),
        # scores in whole numbers: 8.62 → 9
        ("  得分小数位: 0\n", "0.8620", "9", "99"),
        # 执行率 in whole percent: 86%; 10 × 0.86 = 8.6
        ("  执行率小数位: 0\n", "0.86", "8.60", "98.60"),
        ("  执行率小数位: 0\n  得分小数位: 0\n", "0.86", "9", "99"),
    ],
)
def test_partial_execution_and_rounding(
    tmp_path: Path, settings: str, rate: str, score: str, total: str
) -> None:
    result = sheet(tmp_path, settings=settings, budget=("43.2", "43.2", "37.24"))
    assert str(result.budget.rate) == rate
    assert str(result.budget.score) == score
    assert str(result.total) == total


def test_execution_rate_uses_the_adjusted_budget(tmp_path: Path) -> None:
    # 年初 24.24, 全年 8.56 after a 15.68 reduction, all spent: 100%, full marks
    assert sheet(tmp_path, budget=("24.24", "8.56", "8.56")).budget.score == 10


# --- quantitative indicators -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "score", "outcome"),
    [
        # positive (≥): a ≥ t → w; a < t → w × a/t
        ("≥33个", "33个", "50", Outcome.MET),
        ("≥33个", "40个", "50", Outcome.EXCEEDED),
        ("≥33个", "18个", "27.27", Outcome.MISSED),  # 50 × 18/33 = 27.2727…
        ("≥95%", "90%", "47.37", Outcome.MISSED),  # 50 × 90/95 = 47.368…
        # equal (=): as positive
        ("=6人", "6人", "50", Outcome.MET),
        ("=6人", "7人", "50", Outcome.EXCEEDED),
        ("=6人", "1人", "8.33", Outcome.MISSED),  # 50 × 1/6 = 8.333…
        ("100%", "98%", "49", Outcome.MISSED),  # no sign: equal; 50 × 0.98
        # equal with t = 0: a ≤ 0 → w, else 0
        ("=0起", "0起", "50", Outcome.MET),
        ("=0起", "1起", "0", Outcome.MISSED),
        # negative (≤): a ≤ t → w; t < a < 2t → w × (1 − (a − t)/t); a ≥ 2t → 0
        ("≤202.6万元", "202.6万元", "50", Outcome.MET),
        ("≤202.6万元", "150万元", "50", Outcome.EXCEEDED),
        ("≤202.6万元", "243.12万元", "40", Outcome.MISSED),  # 20% over: 50 × 0.8
        ("≤202.6万元", "405.2万元", "0", Outcome.MISSED),  # twice the target
        ("≤202.6万元", "500万元", "0", Outcome.MISSED),
    ],
)
def test_quantitative_indicators(
    tmp_path: Path, target: str, actual: str, score: str, outcome: Outcome
) -> None:
    assert first_score(sheet(tmp_path, target=target, actual=actual)) == (Decimal(score), outcome)


@pytest.mark.parametrize(
    ("actual", "score"),
    [
        ("202.6万元", "50"),
        ("243.12万元", "41.67"),  # 50 × 202.6/243.12 = 41.666…
        ("405.2万元", "25"),  # 50 × 1/2: the ratio variant never drops to 0 at 2t
    ],
)
def test_negative_indicator_ratio_variant(tmp_path: Path, actual: str, score: str) -> None:
    result = sheet(
        tmp_path, target="≤202.6万元", actual=actual, settings="  反向指标计分: 按比值\n"
    )
    assert result.indicators[0].score == Decimal(score)


@pytest.mark.parametrize(
    ("target", "actual", "whole"),
    [
        ("≥33个", "18个", "27"),  # 27.27
        ("≥20个", "13个", "33"),  # 32.5: half up, not to even
        ("≥20个", "11个", "28"),  # 27.5
        ("=6人", "1人", "8"),  # 8.33
    ],
)
def test_whole_number_scores_round_half_up(
    tmp_path: Path, target: str, actual: str, whole: str
) -> None:
    result = sheet(tmp_path, target=target, actual=actual, settings="  得分小数位: 0\n")
    assert str(result.indicators[0].score) == whole


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("≥33个", Kind.POSITIVE, "33", "个"),
        ("=8个", Kind.EQUAL, "8", "个"),
        ("≤202.6万元", Kind.NEGATIVE, "202.6", "万元"),
        ("≥95%", Kind.POSITIVE, "95", "%"),
        ("100%", Kind.EQUAL, "100", "%"),
        ("＞＝９５％", Kind.POSITIVE, "95", "%"),  # full-width, as an IME types it
        (">= 95 %", Kind.POSITIVE, "95", "%"),
        ("不低于95%", Kind.POSITIVE, "95", "%"),
        ("95%以上", Kind.POSITIVE, "95", "%"),
        ("不超过40万元", Kind.NEGATIVE, "40", "万元"),
        ("40万元以内", Kind.NEGATIVE, "40", "万元"),
        ("1,000人次", Kind.EQUAL, "1000", "人次"),
        ("≥1次/年", Kind.POSITIVE, "1", "次/年"),
    ],
)
def test_targets_are_read_as_the_tables_write_them(
    text: str, kind: Kind, value: str, unit: str
) -> None:
    target = parse_target(text)
    assert (target.kind, target.value, target.unit) == (kind, Decimal(value), unit)


@pytest.mark.parametrize("text", ["合规", "及时", "长期", "效果明显", "按计划完成", "2次/1年"])
def test_words_are_qualitative_targets(text: str) -> None:
    assert parse_target(text).kind is Kind.QUALITATIVE


def test_units_must_agree_and_the_actual_must_be_a_number(tmp_path: Path) -> None:
    assert problems(tmp_path, target="≥33个", actual="18人") == [
        "14:5 绩效指标[0].实际完成值 实际完成值的单位“人”与年度指标值“≥33个”的单位不一致"
    ]
    assert problems(tmp_path, target="≥33个", actual="大部分") == [
        "14:5 绩效指标[0].实际完成值 年度指标值“≥33个”是定量指标，实际完成值应写实际达到的数，"
        "如“18个”，而不是“大部分”"
    ]


def test_an_actual_without_unit_is_read_in_the_targets_unit(tmp_path: Path) -> None:
    assert first_score(sheet(tmp_path, target="≥33个", actual="33")) == (50, Outcome.MET)


# --- qualitative indicators and hand-set scores ----------------------------------------------


@pytest.mark.parametrize(
    ("tier", "score", "expected"),
    [
        ("达成年度指标", "", "50"),  # no score entered: full marks
        ("达成", "  得分: 40\n", "40"),  # 80% of 50, the band's floor
        ("部分达成", "  得分: 35\n", "35"),  # 60–80%: 30–40
        ("部分达成年度指标并具有一定效果", "  得分: 30\n", "30"),
        ("未达成", "  得分: 12.5\n", "12.5"),  # 0–60%: 0–30
    ],
)
def test_qualitative_score_within_its_tier(
    tmp_path: Path, tier: str, score: str, expected: str
) -> None:
    extra = f"    评价档次: {tier}\n" + score.replace("  得分", "    得分")
    result = sheet(tmp_path, target="合规", actual="基本合规", extra=extra)
    assert result.indicators[0].score == Decimal(expected)
    assert result.indicators[0].target.kind is Kind.QUALITATIVE


def test_qualitative_score_outside_its_band_is_an_error(tmp_path: Path) -> None:
    extra = "    评价档次: 部分达成\n    得分: 45\n"
    assert problems(tmp_path, target="合规", actual="基本合规", extra=extra) == [
        "17:5 绩效指标[0].得分 得分45不在评价档次“部分达成年度指标并具有一定效果”的分数段"
        "（分值的60%～80%，即30～40分）内"
    ]


def test_qualitative_indicator_needs_its_tier_and_a_score_below_full_marks(
    tmp_path: Path,
) -> None:
    assert problems(tmp_path, target="合规", actual="合规") == [
        "10:5 绩效指标[0].评价档次 年度指标值“合规”是定性指标，请填写评价档次"
        "（达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差）"
    ]
    assert problems(tmp_path, target="及时", actual="较及时", extra="    评价档次: 部分达成\n") == [
        "10:5 绩效指标[0].得分 评价档次为“部分达成年度指标并具有一定效果”，请填写得分（30～40分）"
    ]


def test_hand_set_score_needs_a_reason_and_stays_within_its_weight(tmp_path: Path) -> None:
    reason = "    得分: 45\n    得分说明: 年度指标值设定偏低，酌情扣5分\n"
    result = sheet(tmp_path, target="≥10个", actual="30个", extra=reason)
    item = result.indicators[0]
    assert (item.computed, item.score, item.hand_set, result.total) == (50, 45, True, 95)
    assert problems(tmp_path, extra="    得分: 45\n") == [
        "10:5 绩效指标[0].得分说明 定量指标手工设定了得分，请在“得分说明”中写明理由"
    ]
    assert problems(tmp_path, extra="    得分: 51\n    得分说明: 多给\n") == [
        "16:5 绩效指标[0].得分 得分51超过了分值50"
    ]


def test_a_score_more_precise_than_the_setting_is_an_error(tmp_path: Path) -> None:
    extra = "    评价档次: 达成\n    得分: 45.5\n"
    assert problems(
        tmp_path, target="合规", actual="合规", extra=extra, settings="  得分小数位: 0\n"
    ) == ["17:5 绩效指标[0].得分 得分45.5的小数位多于设置的0位"]


# --- weights ---------------------------------------------------------------------------------


def test_indicator_weights_must_add_up_to_their_level1_weight(tmp_path: Path) -> None:
    assert problems(tmp_path, weight="45") == [
        "15:5 绩效指标[0].分值 产出指标各指标的分值之和为45分，应等于权重中产出指标的50分"
    ]


def test_weights_must_add_up_to_100(tmp_path: Path) -> None:
    settings = "  权重: {预算执行率: 10, 产出指标: 50, 效益指标: 30, 满意度指标: 20}\n"
    assert problems(tmp_path, settings=settings) == [
        "30:3 设置.权重 权重之和为110分，应为100分（预算执行率、产出指标、效益指标、满意度指标）。"
    ]


def test_a_weighted_level1_without_indicators_is_an_error(tmp_path: Path) -> None:
    settings = "  权重: {预算执行率: 10, 产出指标: 40, 效益指标: 30, 满意度指标: 20}\n"
    with pytest.raises(ZpgenError) as caught:
        sheet(tmp_path, weight="40", settings=settings)
    assert [p.message for p in caught.value.problems] == [
        "满意度指标各指标的分值之和为10分，应等于权重中满意度指标的20分"
    ]


def test_missing_weights_are_errors_once_any_indicator_has_one(tmp_path: Path) -> None:
    text = PROJECT.format(
        initial=1,
        adjusted=1,
        spent=1,
        target="≥1个",
        actual="1个",
        weight="50",
        extra="",
        settings="",
    ).replace("    分值: 10\n", "")
    file = write_tree(tmp_path, {"p.yaml": text}) / "p.yaml"
    located = load_yaml(file, root=None)
    project = validate(located, Project)
    scoring = score_project(project, compute(project, 2023), DEFAULT_SETTINGS, required=False)
    assert scoring.sheet is None
    assert [p.key for p in positioned(located, project, scoring)] == ["绩效指标[2].分值"]


def test_no_weights_at_all_means_no_scores_unless_a_table_is_wanted(tmp_path: Path) -> None:
    text = PROJECT.format(
        initial=1,
        adjusted=1,
        spent=1,
        target="≥1个",
        actual="1个",
        weight="50",
        extra="",
        settings="",
    )
    text = "\n".join(line for line in text.split("\n") if "分值" not in line)
    file = write_tree(tmp_path, {"p.yaml": text}) / "p.yaml"
    located = load_yaml(file, root=None)
    project = validate(located, Project)
    figures = compute(project, 2023)
    assert score_project(project, figures, DEFAULT_SETTINGS, required=False) == Scoring(None)
    (fault,) = score_project(project, figures, DEFAULT_SETTINGS, required=True).faults
    assert "生成自评表需要每个绩效指标的分值" in fault.message


def test_ten_plus_ninety_without_satisfaction(tmp_path: Path) -> None:
    """预算执行 10 + 绩效指标 90: 产出 60, 效益 30, no 满意度 indicators."""
    text = PROJECT.format(
        initial=1,
        adjusted=1,
        spent=1,
        target="≥10个",
        actual="5个",
        weight="60",
        extra="",
        settings="设置:\n  权重: {预算执行率: 10, 产出指标: 60, 效益指标: 30}\n",
    )
    text = text[: text.index("  - 一级指标: 满意度指标")] + text[text.index("设置:") :]
    file = write_tree(tmp_path, {"p.yaml": text}) / "p.yaml"
    located = load_yaml(file, root=None)
    project = validate(located, Project)
    settings = overlay(DEFAULT_SETTINGS, project.settings)
    result = score_project(project, compute(project, 2023), settings, required=True).sheet
    assert result is not None
    # 10 + 60 × 5/10 + 30 = 70
    assert (result.indicators[0].score, result.total, result.grade) == (30, 70, "中")
    assert result.level1_weight("满意度指标") == 0


def test_twenty_plus_eighty(tmp_path: Path) -> None:
    """预算执行 20 + 绩效目标 80 (产出 40, 效益 30, 满意度 10), half the budget spent."""
    settings = "  权重: {预算执行率: 20, 产出指标: 40, 效益指标: 30, 满意度指标: 10}\n"
    result = sheet(tmp_path, weight="40", settings=settings, budget=("10", "10", "5"))
    # 20 × 50% = 10; 10 + 40 + 30 + 10 = 90
    assert (result.budget.score, result.total, result.grade) == (10, 90, "优")


# --- total and grade -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "default", "local"),
    [
        ("100", "优", "优"),
        ("90", "优", "优"),
        ("89.99", "良", "良"),
        ("80", "良", "良"),
        ("79.99", "中", "中"),
        ("70", "中", "中"),
        ("69.99", "中", "差"),  # the local variant: 中 from 70
        ("60", "中", "差"),
        ("59.99", "差", "差"),
        ("0", "差", "差"),
    ],
)
def test_grade_bands(total: str, default: str, local: str) -> None:
    assert DEFAULT_SETTINGS.grade_bands is not None
    assert grade(Decimal(total), DEFAULT_SETTINGS.grade_bands) == default
    bands = GradeBands(excellent=Decimal(90), good=Decimal(80), fair=Decimal(70))
    assert grade(Decimal(total), bands) == local


def test_custom_bands_from_the_project_file(tmp_path: Path) -> None:
    # 10 + 50 × 13/20 (32.5) + 30 + 10 = 82.5: 良 by default, 中 when 良 starts at 85
    assert sheet(tmp_path, target="≥20个", actual="13个").grade == "良"
    settings = "  等级标准: {优: 95, 良: 85, 中: 60}\n"
    result = sheet(tmp_path, target="≥20个", actual="13个", settings=settings)
    assert (result.total, result.grade) == (Decimal("82.5"), "中")


def test_bands_must_descend(tmp_path: Path) -> None:
    settings = "  等级标准: {优: 90, 良: 95, 中: 60}\n"
    assert problems(tmp_path, settings=settings) == [
        "30:3 设置.等级标准 “等级标准”应满足 100 ≥ 优 > 良 > 中。"
    ]


def test_settings_refuse_unknown_choices(tmp_path: Path) -> None:
    settings = "  得分小数位: 3\n  反向指标计分: 倒数\n  自评表: 要\n"
    assert problems(tmp_path, settings=settings) == [
        "30:3 设置.得分小数位 “得分小数位”应为 0（整数）、1 或 2。",
        "31:3 设置.反向指标计分 “反向指标计分”应为“按超出比例”、“按比值”之一。",
        "32:3 设置.自评表 “自评表”应为“不生成”、“附在报告后”、“单独文件”、“仅自评表”之一。",
    ]


def test_layers_replace_the_weights_as_a_whole() -> None:
    unit = Settings.model_validate({"权重": {"预算执行率": "20", "产出指标": "80"}})
    project = Settings.model_validate({"得分小数位": "0"})
    resolved = overlay(DEFAULT_SETTINGS, unit, project)
    assert resolved.weights is not None
    assert (resolved.weights.budget, resolved.weights.effect) == (20, None)
    assert resolved.score_decimals == 0 and resolved.rate_decimals == 2


@given(
    spent=st.integers(min_value=0, max_value=10_000),
    actual=st.integers(min_value=0, max_value=10_000),
    target=st.integers(min_value=0, max_value=5_000),
    sign=st.sampled_from(["≥", "=", "≤", ""]),
    decimals=st.sampled_from(["0", "1", "2"]),
)
def test_scores_never_exceed_their_weight_and_add_up(
    tmp_path_factory: pytest.TempPathFactory,
    spent: int,
    actual: int,
    target: int,
    sign: str,
    decimals: str,
) -> None:
    tmp_path = tmp_path_factory.mktemp("p")
    result = sheet(
        tmp_path,
        target=f"{sign}{target}个",
        actual=f"{actual}个",
        budget=("100", "100", str(min(spent, 100))),
        settings=f"  得分小数位: {decimals}\n",
    )
    assert all(0 <= i.score <= i.weight for i in result.indicators)
    assert 0 <= result.budget.score <= result.budget.weight
    assert result.total == result.budget.score + sum(i.score for i in result.indicators)
    assert result.total <= result.full_marks
