"""zpgen new-year: next year's data from this year's, and nothing built until it is filled in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zpgen.builder import build
from zpgen.commands.newyear import new_year
from zpgen.errors import ZpgenError
from zpgen.model.placeholders import PLACEHOLDER

from .conftest import SEED_UNIT, UNIT_NAME, assert_golden, invoke_zpgen, write_tree

P3_FILE = "03-事业单位工作人员招聘考试经费.yaml"


def test_new_year_marks_what_must_be_re_entered(seed_workspace: Path, update_golden: bool) -> None:
    data = seed_workspace / "data"
    report = new_year(data, year=2024, source_year=2023)
    new_unit = data / "2024" / SEED_UNIT
    assert [f.path for f in report.files] == [
        new_unit / "unit.yaml",
        *sorted(p for p in new_unit.iterdir() if p.name != "unit.yaml"),
    ]
    assert_golden(
        (new_unit / P3_FILE).read_text(encoding="utf-8"), f"newyear/{P3_FILE}", update_golden
    )
    unit_entry, _, _, p3 = report.files
    assert unit_entry.to_fill == [("评价时间", "2025年4月")]
    assert p3.to_fill[:6] == [
        ("年初预算数", "36.49"),  # last year's 全年执行数, offered as the new budget basis
        ("全年预算数", ""),
        ("全年执行数", ""),
        ("资金来源.本年财政拨款.年初预算数", "36.49"),  # and so for each source of the funds
        ("资金来源.本年财政拨款.全年预算数", ""),
        ("资金来源.本年财政拨款.全年执行数", ""),
    ]
    assert p3.to_fill[12] == ("年度总体目标.实际完成情况", "")
    # each indicator's 实际完成值 and 完成情况; the qualitative one's 评价档次 (its 分值 is kept)
    assert ("绩效指标[0].评价档次", "") in p3.to_fill
    assert len(p3.to_fill) == 3 + 3 * 3 + 1 + 2 * 6 + 1
    assert p3.to_review[0] == "资金用途（提到2023年）"
    assert "年度总体目标.预期目标" in p3.to_review
    # the source year is untouched
    assert PLACEHOLDER not in (data / "2023" / SEED_UNIT / P3_FILE).read_text(encoding="utf-8")


def test_the_build_refuses_placeholders_and_lists_every_one(seed_workspace: Path) -> None:
    data = seed_workspace / "data"
    report = new_year(data, year=2024, source_year=2023)
    built = build(seed_workspace, [data / "2024"], formats=["txt"])
    assert built.failed and built.written == []
    to_fill = [(entry.path, key) for entry in report.files for key, _ in entry.to_fill]
    assert [(p.file, p.key) for p in built.problems] == to_fill
    first = built.problems[1]
    assert (first.line, first.key) == (7, "年初预算数")  # below the schema line
    assert first.message == "尚未填写：请填写这一项（建议值：8.56，核对后删去“待填”即可）"
    assert not (seed_workspace / "output" / "2024").exists()


def fill(text: str) -> str:
    """What an analyst enters: every suggestion accepted, 30 spent of the budget's 30, all of it
    this year's appropriation, and every target met (the scores of the 自评表 check that too)."""
    text = re.sub(rf"{PLACEHOLDER} (\S+)", r"\1", text)  # accept every suggestion
    text = re.sub(
        r"((?:上年结转资金|其他资金): \{.*)", lambda m: m[1].replace(PLACEHOLDER, "0"), text
    )
    text = re.sub(rf"(全年预算数|全年执行数): {PLACEHOLDER}", r"\1: 30", text)
    text = re.sub(rf"(年度指标值: [≥≤=]?(.*)\n\s+实际完成值: ){PLACEHOLDER}", r"\1\2", text)
    text = text.replace(f"评价档次: {PLACEHOLDER}", "评价档次: 达成年度指标")
    return text.replace(PLACEHOLDER, "已按计划完成")


def test_once_filled_in_the_new_year_builds(seed_workspace: Path) -> None:
    data = seed_workspace / "data"
    new_year(data, year=2024, source_year=2023)
    for path in (data / "2024" / SEED_UNIT).iterdir():
        path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    built = build(seed_workspace, [data / "2024"], formats=["txt"])
    # The filler leaves 预算调整原因 empty: warnings, not errors, and the reports are written.
    assert not built.failed, built.problems
    text = (seed_workspace / "output" / "2024" / f"{UNIT_NAME}.txt").read_text(encoding="utf-8")
    assert "根据预算绩效管理要求，2025年4月" in text
    assert "2024年年初预算安排专项资金36.49万元，2024年度实际支出30万元" in text


def test_new_year_keeps_layout_comments_and_english_keys(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_tree(
        data / "2023" / "局",
        {
            "unit.yaml": "name: 某局  # 全称\nevaluation_date: 2024年4月15日\n"
            "finance_authority: 区财政\nportal: 网\n",
            "p.yaml": (
                "name: 某项目\ninitial_budget: '10.50'   # 万元\nadjusted_budget: 10.5\n"
                "spent: 9\npurpose: 用于某事\nadjustment_reason:\n"
                "goal: {expected: 完成某事, achieved: 完成了}\n"
                "fund_sources:\n  current_year: {initial: 10.5, adjusted: 10.5, spent: 9}\n"
                "indicators:\n  - level1: 产出指标\n    level2: 数量指标\n    name: 数量\n"
                "    target: ≥3个\n    actual: 3个\n    weight: 10\n    score: 9\n"
                "    score_reason: 指标值偏低\n    narrative: |\n      完成了3个。\n"
                "      全部验收。\n    deviation: 无\n"
                "improvements: >-\n  下一年度\n  继续\n"
            ),
        },
    )
    report = new_year(data, year=2024, source_year=2023)
    unit, project = (data / "2024" / "局" / name for name in ("unit.yaml", "p.yaml"))
    assert unit.read_text(encoding="utf-8").endswith(
        "name: 某局  # 全称\nevaluation_date: 待填 2025年4月15日\nfinance_authority: 区财政\n"
        "portal: 网\n"
    )
    body = project.read_text(encoding="utf-8").split("\n", 3)[3]
    assert body == (
        "name: 某项目\ninitial_budget: 待填 9   # 万元\nadjusted_budget: 待填\n"
        "spent: 待填\npurpose: 用于某事\nadjustment_reason:\n"
        "goal: {expected: 完成某事, achieved: 待填}\n"
        "fund_sources:\n  current_year: {initial: 待填 9, adjusted: 待填, spent: 待填}\n"
        "indicators:\n  - level1: 产出指标\n    level2: 数量指标\n    name: 数量\n"
        "    target: ≥3个\n    actual: 待填\n    weight: 10\n    score:\n    score_reason:\n"
        "    narrative: 待填\n"
        "    deviation:\n"
        "improvements:\n"
    )
    assert report.files[1].to_review == ["goal.expected", "indicators[0].target"]


def test_a_second_new_year_starts_from_the_first(seed_workspace: Path) -> None:
    data = seed_workspace / "data"
    new_year(data, year=2024, source_year=2023)
    new_year(data, year=2025, source_year=2024)
    text = (data / "2025" / SEED_UNIT / "unit.yaml").read_text(encoding="utf-8")
    assert text.count("由 zpgen new-year") == 1
    assert "由 zpgen new-year 从2024年的数据生成" in text
    assert "评价时间: 待填 2026年4月" in text


def test_new_year_refuses_to_overwrite_and_writes_nothing(seed_workspace: Path) -> None:
    data = seed_workspace / "data"
    write_tree(data / "2024" / SEED_UNIT, {"unit.yaml": "单位名称: 已有\n"})
    with pytest.raises(ZpgenError) as caught:
        new_year(data, year=2024, source_year=2023)
    assert [p.file for p in caught.value.problems] == [data / "2024" / SEED_UNIT / "unit.yaml"]
    assert sorted(p.name for p in (data / "2024" / SEED_UNIT).iterdir()) == ["unit.yaml"]
    with pytest.raises(ZpgenError, match="没有 2019 年的数据文件夹"):
        new_year(data, year=2020, source_year=2019)


def test_new_year_command_prints_what_to_fill(seed_workspace: Path) -> None:
    result = invoke_zpgen("new-year", "2024", "--from", "2023", cwd=seed_workspace)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"新建  data/2024/{SEED_UNIT}/unit.yaml（待填 1 项）",
        "    待填：评价时间（建议 2025年4月）",
    ]
    sources = "、".join(
        f"资金来源.{source}.年初预算数（建议 {suggested}）、资金来源.{source}.全年预算数、"
        f"资金来源.{source}.全年执行数"
        for source, suggested in (
            ("本年财政拨款", "36.49"),
            ("上年结转资金", "0"),
            ("其他资金", "0"),
        )
    )
    assert (
        f"    待填：年初预算数（建议 36.49）、全年预算数、全年执行数、{sources}、"
        "年度总体目标.实际完成情况、绩效指标[*].实际完成值（6 项）、绩效指标[*].评价档次、"
        "绩效指标[*].完成情况（6 项）"
    ) in lines
    assert lines[-1].startswith("完成：4 个文件，待填 81 项")
    build_result = invoke_zpgen("build", "data/2024", cwd=seed_workspace)
    assert build_result.returncode == 1
    assert build_result.stderr.count("尚未填写") == 81
