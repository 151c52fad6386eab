"""The consistency checks: each rule fires on the mistake it is for, and stays quiet on good data."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from zpgen.builder import build
from zpgen.builder.planner import check
from zpgen.checks import RULES
from zpgen.checks.amounts import Known, contradictions
from zpgen.checks.wording import (
    doubled_characters,
    fullwidth_numbers,
    other_project_names,
    placeholders,
)
from zpgen.errors import ERROR, WARNING

from .conftest import ROOT, SEED_UNIT, write_tree
from .test_check_cli import RULES_LISTED

SEED = ROOT / "tests" / "fixtures" / "seed-report.txt"
SEED_ORIGINAL = ROOT / "tests" / "fixtures" / "seed-original"
SEED_NAMES = (
    "数据系统维护费专项资金",
    "企业离休人员第十三月基本离休费专项资金",
    "事业单位工作人员招聘考试经费专项资金",
)

UNIT = """\
单位名称: 某县教育局
评价时间: 2026年3月
财政部门: 县财政局
公开网站: 某县人民政府网站
"""

# A clean project: every rule stays quiet on it; each test changes one thing.
PROJECT = """\
项目名称: 校园绿化提升工程
年初预算数: 120
全年预算数: 100
全年执行数: 95
预算调整原因: 部分学校的绿化并入了改扩建工程
资金用途: 用于全县12所学校的校园绿化
年度总体目标:
  预期目标: 完成12所学校的绿化提升
  实际完成情况: 完成了12所学校的绿化提升
绩效指标:
  - 一级指标: 产出指标
    二级指标: 数量指标
    三级指标: 绿化学校数量
    年度指标值: ≥12所
    实际完成值: 12所
    完成情况: 完成了12所学校的绿化，实际支出95万元。
  - 一级指标: 满意度指标
    二级指标: 服务对象满意度指标
    三级指标: 师生满意度
    年度指标值: ≥90%
    实际完成值: 96%
    完成情况: 师生满意度为96%。
"""


def findings(
    tmp_path: Path, project: str = PROJECT, unit: str = UNIT
) -> list[tuple[str, str, str]]:
    """(rule, key, message) of every problem a check of the workspace finds."""
    write_tree(tmp_path, {"data/2025/教育局/unit.yaml": unit, "data/2025/教育局/p.yaml": project})
    return [(p.rule, p.key, p.message) for p in check(tmp_path).problems]


def rules_fired(tmp_path: Path, project: str) -> list[str]:
    return [rule for rule, _key, _message in findings(tmp_path, project)]


def reached(value: str, project: str = PROJECT) -> str:
    """The project with 实际完成值 ``value`` and a 完成情况 that says the same (a 完成情况 that
    contradicts it is the rule narrative-actual's)."""
    number = value.removesuffix("所")
    changed = project.replace("实际完成值: 12所", f"实际完成值: {value}")
    return changed.replace("完成了12所", f"完成了{number}所")


def test_the_clean_project_and_the_seed_data_raise_nothing(
    tmp_path: Path, seed_workspace: Path
) -> None:
    assert findings(tmp_path) == []
    assert check(seed_workspace).problems == []


def test_every_rule_has_an_id_severity_and_summary() -> None:
    assert list(RULES) == [line.split()[0] for line in RULES_LISTED.splitlines()]
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id and rule_id == rule_id.lower()
        assert rule.severity in (ERROR, WARNING)
        assert rule.summary


# --- budget -------------------------------------------------------------------------------------

FUND_SOURCES = """\
资金来源:
  本年财政拨款: {{年初预算数: 100, 全年预算数: 80, 全年执行数: 75}}
  上年结转资金: {{年初预算数: 20, 全年预算数: 20, 全年执行数: {carried}}}
"""


def test_fund_sources_that_do_not_add_up_are_an_error(tmp_path: Path) -> None:
    good = PROJECT + FUND_SOURCES.format(carried=20)
    assert findings(tmp_path, good) == []
    bad = PROJECT + FUND_SOURCES.format(carried=25)
    assert findings(tmp_path, bad) == [
        (
            "fund-sources-sum",
            "资金来源",
            "资金来源各项的全年执行数合计 100 万元（本年财政拨款 75 + 上年结转资金 25），"
            "而全年执行数是 95 万元：请更正各项或总额。",
        )
    ]
    report = build(tmp_path, formats=["txt"])
    assert report.failed and report.written == [], "an error: nothing is written"


def test_spending_above_the_budget_is_an_error(tmp_path: Path) -> None:
    over = PROJECT.replace("全年执行数: 95", "全年执行数: 100.5").replace("95万元", "100.5万元")
    assert findings(tmp_path, over) == [
        (
            "spent-over-budget",
            "全年执行数",
            "全年执行数 100.5 万元超过了全年预算数 100 万元：支出不能超过调整后的预算。"
            "请核对这两个数（追加的预算应计入全年预算数）。",
        )
    ]
    full = PROJECT.replace("全年执行数: 95", "全年执行数: 100").replace("95万元", "100万元")
    assert rules_fired(tmp_path, full) == []


def test_a_budget_change_needs_its_reason(tmp_path: Path) -> None:
    no_reason = PROJECT.replace("预算调整原因: 部分学校的绿化并入了改扩建工程\n", "")
    assert findings(tmp_path, no_reason) == [
        (
            "adjustment-unexplained",
            "全年预算数",
            "预算调减了 20 万元（年初预算数 120，全年预算数 100），但没有写“预算调整原因”："
            "请添加“预算调整原因: …”，报告会用它说明调整的原因。",
        )
    ]
    unchanged = no_reason.replace("年初预算数: 120", "年初预算数: 100")
    assert rules_fired(tmp_path, unchanged) == []


def test_low_execution_needs_an_explanation(tmp_path: Path) -> None:
    low = PROJECT.replace("全年执行数: 95", "全年执行数: 86.2").replace("95万元", "86.2万元")
    assert findings(tmp_path, low) == [
        (
            "low-execution-unexplained",
            "全年执行数",
            "执行率为 86.2%，低于 90%：请在“偏离原因: …”中说明为什么有 13.8 万元预算没有支出。",
        )
    ]
    explained = low + "偏离原因: 两所学校的工程延至次年春季施工。\n"
    assert rules_fired(tmp_path, explained) == []
    exactly_90 = PROJECT.replace("全年执行数: 95", "全年执行数: 90").replace("95万元", "90万元")
    assert rules_fired(tmp_path, exactly_90) == []


def test_an_amount_in_the_text_must_match_the_data(tmp_path: Path) -> None:
    wrong = PROJECT.replace("实际支出95万元", "实际支出8.56万元")
    assert findings(tmp_path, wrong) == [
        (
            "narrative-amount",
            "绩效指标[0].完成情况",
            "这里写的全年执行数是 8.56 万元，而数据中的全年执行数是 95 万元：请更正文字或数据。",
        )
    ]
    # The 全年预算数 where the words speak of spending is wrong too.
    budget = PROJECT.replace("实际支出95万元", "实际支出100万元")
    assert rules_fired(tmp_path, budget) == ["narrative-amount"]
    # Amounts of other figures, of parts, of other years, or outside budget wording pass.
    for sentence in (
        "年初预算安排专项资金120万元，年终调减预算20万元",
        "年初预算120万元调整为100万元",
        "其中支付设备费3万元",
        "2026年预算申报130万元",
        "每年节约养护费用2.4万元",
    ):
        assert rules_fired(tmp_path, PROJECT.replace("实际支出95万元", sentence)) == []


def test_narrative_amounts_on_the_seed_report_raise_nothing() -> None:
    """Every amount of the seed report's three projects agrees with the data: no false alarm."""
    figures = [
        Known(Decimal("24.24"), Decimal("8.56"), Decimal("8.56")),
        Known(Decimal("1.76"), Decimal("0.32"), Decimal("0.32")),
        Known(Decimal(40), Decimal("36.49"), Decimal("36.49")),
    ]
    for section, known in zip(seed_sections(), figures, strict=True):
        assert list(contradictions(section, known, 2023)) == []
        changed = section.replace("实际完成项目支出", "实际完成项目支出1")
        assert [c.figures for c in contradictions(changed, known, 2023)] == [("spent",)]


# --- targets ------------------------------------------------------------------------------------


def test_a_missed_target_needs_its_reason(tmp_path: Path) -> None:
    missed = reached("10所")
    assert findings(tmp_path, missed) == [
        (
            "target-missed-unexplained",
            "绩效指标[0].实际完成值",
            "“绿化学校数量”的年度指标值为≥12所，实际完成10所，没有达到目标，但“偏差原因”没有"
            "说明：请在这一指标中添加“偏差原因: …”，写明原因和改进措施。",
        )
    ]
    explained = missed.replace(
        "    完成情况: 完成了10所",
        "    偏差原因: 两所学校撤并，不再绿化。\n    完成情况: 完成了10所",
    )
    assert rules_fired(tmp_path, explained) == []
    other_unit = PROJECT.replace("实际完成值: 12所", "实际完成值: 10个")
    assert rules_fired(tmp_path, other_unit) == [], "different units are not compared"


def test_targets_are_read_as_the_scores_read_them(tmp_path: Path) -> None:
    worded = PROJECT.replace("年度指标值: ≥12所", "年度指标值: 不少于12所")
    assert rules_fired(tmp_path, reached("10所", worded)) == ["target-missed-unexplained"]
    unitless = reached("10")
    assert rules_fired(tmp_path, unitless) == ["target-missed-unexplained"]
    assert rules_fired(tmp_path, PROJECT.replace("≥12所", "合规")) == [], "qualitative"


def test_an_at_most_target_is_missed_above_it(tmp_path: Path) -> None:
    cost = PROJECT.replace("年度指标值: ≥12所", "年度指标值: ≤12所")
    assert rules_fired(tmp_path, reached("13所", cost)) == ["target-missed-unexplained"]
    assert rules_fired(tmp_path, reached("3所", cost)) == []


def test_a_target_overshot_by_far_asks_whether_it_was_set_too_low(tmp_path: Path) -> None:
    far = reached("18所")
    assert findings(tmp_path, far) == [
        (
            "target-exceeded-unexplained",
            "绩效指标[0].实际完成值",
            "“绿化学校数量”实际完成18所，比年度指标值≥12所高出 50%：请在“偏差原因: …”中说明原因，"
            "以及指标值是否定得偏低。",
        )
    ]
    near = reached("14所")  # 16.7%: within 20%
    assert rules_fired(tmp_path, near) == []


# --- wording ------------------------------------------------------------------------------------


def seed_sections() -> list[str]:
    """The seed report's three project sections, in its original wording."""
    text = SEED.read_text(encoding="utf-8")
    parts = text.split("一、绩效自评工作开展情况")
    assert len(parts) == 4
    return parts[1:]


def test_the_seed_reports_project_3_names_project_1() -> None:
    """Run over the seed's original wording, the rule finds the pasted 数据系统维护费."""
    found = [
        [m.text for m in other_project_names(section, own, SEED_NAMES)]
        for section, own in zip(seed_sections(), SEED_NAMES, strict=True)
    ]
    assert found == [[], [], ["数据系统维护费专项资金"]]


def test_the_seed_reports_only_doubled_character_is_jingfeifei() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert "2023年年初" in text, "年年 is there, and legitimate"
    assert [m.text for m in doubled_characters(text)] == ["试经费费专项"]
    assert list(placeholders(text)) == []
    assert list(fullwidth_numbers(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "常常",
        "人人都",
        "天天",
        "研究研究",
        "认认真真",
        "扎扎实实",
        "项目资金金额",
        "项目目标",
        "经费费用",
    ],
)
def test_words_that_double_a_character_are_not_flagged(text: str) -> None:
    assert list(doubled_characters(text)) == []


@pytest.mark.parametrize("text", ["经费费专项", "的的", "单位位的", "维护护了"])
def test_typed_twice_is_flagged(text: str) -> None:
    assert len(list(doubled_characters(text))) == 1


def test_the_seed_in_its_original_wording_is_caught(seed_workspace: Path) -> None:
    """The seed's project 3 as a clerk would paste it from the Word report."""
    unit = seed_workspace / "data" / "2023" / SEED_UNIT
    name = "03-事业单位工作人员招聘考试经费.yaml"
    shutil.copy(SEED_ORIGINAL / name, unit / name)
    problems = check(seed_workspace).problems
    assert [(p.rule, p.line, p.column, p.key, p.message) for p in problems] == [
        (
            "doubled-char",
            6,
            20,
            "项目名称",
            "“试经费费专项”中“费”字重复了：请删去一个。",
        ),
        (
            "adjustment-unexplained",
            9,
            1,
            "全年预算数",
            "预算调减了 3.51 万元（年初预算数 40，全年预算数 36.49），但没有写“预算调整原因”："
            "请添加“预算调整原因: …”，报告会用它说明调整的原因。",
        ),
        (
            "other-project-name",
            11,
            11,
            "资金用途",
            "这段文字提到了本单位的另一个项目“数据系统维护费专项资金”：是从那个项目复制来的吗？"
            "请改写为本项目的内容。",
        ),
    ]


def test_a_project_may_mention_its_own_name(tmp_path: Path) -> None:
    own = PROJECT.replace("完成了12所学校的绿化，", "校园绿化提升工程完成了12所学校的绿化，")
    assert rules_fired(tmp_path, own) == []


def test_placeholders_are_found(tmp_path: Path) -> None:
    for placeholder in ("XX", "××", "……", "待填", "（  ）"):
        text = PROJECT.replace("师生满意度为96%。", f"师生满意度为{placeholder}。")
        assert rules_fired(tmp_path, text) == ["placeholder"], placeholder
    assert list(placeholders("XXL号的服装，Xbox")) == []


def test_full_width_digits_in_amounts_and_text(tmp_path: Path) -> None:
    amount = PROJECT.replace("全年执行数: 95", "全年执行数: ９５")
    assert findings(tmp_path, amount) == [
        (
            "fullwidth-digits",
            "全年执行数",
            "金额“９５”中有全角字符，已按 95 读取；请改用半角数字：95。",
        )
    ]
    text = PROJECT.replace("师生满意度为96%", "师生满意度为9６%")
    assert findings(tmp_path, text) == [
        (
            "fullwidth-digits",
            "绩效指标[1].完成情况",
            "“9６”用了全角数字：请写作 96。",
        )
    ]


def test_a_name_that_cannot_be_a_file_name_is_reported(tmp_path: Path) -> None:
    slash = PROJECT.replace("项目名称: 校园绿化提升工程", "项目名称: 校园绿化/美化工程")
    assert findings(tmp_path, slash) == [
        (
            "file-name",
            "项目名称",
            '“校园绿化/美化工程”不能直接用作文件名（含有 / \\ : * ? " < > | 等字符、是 Windows '
            "保留的名字、首尾有点或空格，或超过 80 个字符或 200 个字节）：报告文件将命名为“校园绿化_美化工程”。",
        )
    ]


# --- switching a rule off -----------------------------------------------------------------------


def test_a_rule_switched_off_in_the_project_or_the_unit_stays_quiet(tmp_path: Path) -> None:
    doubled = PROJECT.replace("完成了12所学校的绿化，", "完成了12所学学校的绿化，")
    assert rules_fired(tmp_path, doubled) == ["doubled-char"]
    off = "关闭检查:\n  - 规则: doubled-char\n    原因: 校名“学学堂”是专名\n"
    assert rules_fired(tmp_path, doubled + off) == []
    assert findings(tmp_path, doubled, UNIT + off) == []


def test_an_unknown_rule_in_the_switch_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    off = "关闭检查:\n  - 规则: doubled-chars\n    原因: 校名是专名\n"
    assert findings(tmp_path, PROJECT + off) == [
        ("", "关闭检查[0].规则", "没有名为“doubled-chars”的检查规则：是不是“doubled-char”？")
    ]
    no_reason = "关闭检查:\n  - 规则: doubled-char\n"
    assert findings(tmp_path, PROJECT + no_reason) == [
        ("", "关闭检查[0].原因", "缺少必填项“原因”：请添加一行“原因: …”。")
    ]


def test_strict_makes_warnings_errors_and_stops_the_build(tmp_path: Path) -> None:
    doubled = PROJECT.replace("完成了12所学校的绿化，", "完成了12所学学校的绿化，")
    write_tree(tmp_path, {"data/2025/教育局/unit.yaml": UNIT, "data/2025/教育局/p.yaml": doubled})
    assert not check(tmp_path).failed
    assert check(tmp_path, strict=True).failed
    assert build(tmp_path, formats=["txt"], strict=True).written == []
    assert len(build(tmp_path, formats=["txt"]).written) == 2, "a warning does not stop a build"


def test_a_project_that_cannot_be_scored_reports_every_other_problem_too(tmp_path: Path) -> None:
    """Scoring is pure: its faults are the check ``scores``, beside every other finding."""
    scored = PROJECT.replace(
        "    实际完成值: 12所\n", "    实际完成值: 12所\n    分值: 50\n    得分: 60\n"
    )
    scored = scored.replace("    实际完成值: 96%\n", "    实际完成值: 96%\n    分值: 40\n")
    placeholders = scored.replace("用于全县12所学校", "用于全县XX所学校").replace(
        "师生满意度为96%", "师生满意度为××"
    )
    found = findings(tmp_path, placeholders)
    assert [(rule, key) for rule, key, _message in found] == [
        ("placeholder", "资金用途"),
        ("scores", "绩效指标"),  # no 效益指标, which 权重 weighs
        ("scores", "绩效指标[0].得分说明"),
        ("scores", "绩效指标[0].得分"),
        ("scores", "绩效指标[1].分值"),
        ("placeholder", "绩效指标[1].完成情况"),
    ]
    assert found[3][2] == "得分60超过了分值50"


def test_the_scores_check_cannot_be_switched_off(tmp_path: Path) -> None:
    off = "关闭检查:\n  - 规则: scores\n    原因: 得分另行核定\n"
    assert findings(tmp_path, PROJECT + off) == [
        ("", "关闭检查[0].规则", "检查“scores”不能关闭：它发现的问题会让报告出错。请改正数据。")
    ]
