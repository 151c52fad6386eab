"""The data real reports publish: blank 实际完成值, named fund rows, the optional fields with
their Chinese and English keys, goals written as lists, projects without indicators, and the
number settings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from zpgen.builder.planner import check, plan
from zpgen.commands.newyear import new_year
from zpgen.figures.formats import NumberFormat
from zpgen.load.yaml_file import Located
from zpgen.model.schema import Project
from zpgen.model.validate import validate
from zpgen.render.markup import block_text

from .conftest import SEED_UNIT, write_tree

UNIT = """\
单位名称: 示范县教育局
评价时间: 2024年3月
财政部门: 县财政局
公开网站: 示范县人民政府网
"""

PROJECT = """\
项目名称: 学生营养改善计划资金
年初预算数: 16
全年预算数: 16
全年执行数: 16
资金用途: 用于农村义务教育学生营养膳食补助
年度总体目标:
  预期目标: 为全县农村义务教育学生提供营养膳食补助
  实际完成情况: 为全县农村义务教育学生提供了营养膳食补助
绩效指标:
  - 一级指标: 产出指标
    二级指标: 数量指标
    三级指标: 受助学生人数
    年度指标值: ≥2000人
    实际完成值: 2100人
    分值: 50
  - 一级指标: 效益指标
    二级指标: 社会效益指标
    三级指标: 学生营养状况
    年度指标值: 明显改善
{actual}    分值: 30
{tier}  - 一级指标: 满意度指标
    二级指标: 服务对象满意度指标
    三级指标: 家长满意度
    年度指标值: ≥90%
    实际完成值: 95%
    分值: 10
{extra}"""


def workspace(
    tmp_path: Path, project: str, unit_settings: str = "设置:\n  自评表: 单独文件\n"
) -> Path:
    root = tmp_path / "ws"
    write_tree(
        root,
        {
            "data/2023/教育局/unit.yaml": UNIT + unit_settings,
            "data/2023/教育局/01-营养改善.yaml": project,
        },
    )
    return root


def project_text(*, actual: bool = True, extra: str = "") -> str:
    return PROJECT.format(
        actual="    实际完成值: 明显改善\n" if actual else "",
        tier="    评价档次: 达成\n" if actual else "",
        extra=extra,
    )


def documents(root: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each document of the one project, in memory: its lines and its table cells."""
    (unit,) = plan(root).units
    (planned,) = unit.projects
    assert planned.documents is not None, planned.problems
    found = {}
    for suffix, document in planned.documents:
        lines = [block_text(b) for b in document.blocks if b.table is None]
        cells = [[c.text for c in row] for b in document.blocks if b.table for row in b.table.rows]
        found[suffix] = (lines, cells)
    return found


# --- blank 实际完成值 ---------------------------------------------------------------------------


def test_a_blank_actual_value_prints_its_row_blank_and_no_total(tmp_path: Path) -> None:
    root = workspace(tmp_path, project_text(actual=False))
    report = check(root)
    (problem,) = report.problems
    assert (problem.rule, problem.severity, problem.key) == (
        "table-incomplete",
        "warning",
        "绩效指标[1]",
    )
    assert problem.message.startswith("“学生营养状况”的实际完成值留空")
    _lines, cells = documents(root)["_自评表"]
    blank = next(row for row in cells if len(row) == 9 and row[3] == "学生营养状况")
    assert blank[4:8] == ["明显改善", "", "30", ""]
    assert cells[-2] == ["总分", "100", "", ""]
    assert cells[-1] == ["自评等级", ""]


def test_blank_cells_that_are_intended_are_not_warned_of(tmp_path: Path) -> None:
    root = workspace(
        tmp_path, project_text(actual=False), "设置:\n  自评表: 单独文件\n  允许留空: 是\n"
    )
    assert check(root).problems == []


def test_a_blank_actual_value_without_a_table_is_nothing_to_warn_of(tmp_path: Path) -> None:
    root = workspace(tmp_path, project_text(actual=False), "")
    assert check(root).problems == []


# --- fund sources --------------------------------------------------------------------------

SOURCES = """\
资金来源:
  上级补助: {年初预算数: 10, 全年预算数: 10, 全年执行数: 10}
  本级安排: {年初预算数: 6, 全年预算数: 6, 全年执行数: 5}
"""


def test_named_fund_rows_in_a_chosen_order(tmp_path: Path) -> None:
    root = workspace(
        tmp_path,
        project_text(extra=SOURCES.replace("全年执行数: 5}", "全年执行数: 6}")),
        "设置:\n  自评表: 单独文件\n  资金来源行: [本级安排, 上级补助]\n",
    )
    assert check(root).problems == []
    _lines, cells = documents(root)["_自评表"]
    assert [row[1:5] for row in cells[4:6]] == [
        ["其中：本级安排", "6", "6", "6"],
        ["上级补助", "10", "10", "10"],
    ]


def test_named_fund_rows_must_add_up_and_have_a_row(tmp_path: Path) -> None:
    root = workspace(tmp_path, project_text(extra=SOURCES))
    found = [(p.rule, p.key, p.message) for p in check(root).problems]
    assert found == [
        (
            "fund-sources-sum",
            "资金来源",
            "资金来源各项的全年执行数合计 15 万元（上级补助 10 + 本级安排 5），"
            "而全年执行数是 16 万元：请更正各项或总额。",
        ),
        (
            "fund-source-row",
            "资金来源.上级补助",
            "自评表中没有资金来源“上级补助”这一行：表中的各行是本年财政拨款、上年结转资金、其他资金。"
            "请把它加到设置中的“资金来源行”，或改正这个名称。",
        ),
        (
            "fund-source-row",
            "资金来源.本级安排",
            "自评表中没有资金来源“本级安排”这一行：表中的各行是本年财政拨款、上年结转资金、其他资金。"
            "请把它加到设置中的“资金来源行”，或改正这个名称。",
        ),
    ]


def test_a_misspelt_fund_source_gets_a_suggestion(tmp_path: Path) -> None:
    typo = "资金来源:\n  本年财政拔款: {年初预算数: 16, 全年预算数: 16, 全年执行数: 16}\n"
    (problem,) = check(workspace(tmp_path, project_text(extra=typo))).problems
    assert problem.rule == "fund-source-row"
    assert problem.message.endswith("是不是“本年财政拨款”？")


# --- the optional fields ---------------------------------------------------------------------

FIELDS = """\
报表编号: 示教绩〔2024〕3号
资金文号: 示财教〔2023〕5号
项目概况: 本项目覆盖全县农村义务教育学校。
项目实施内容: 学校食堂统一采购、统一配餐。
评价结论: 项目实施效果良好。
存在问题: 个别学校食堂设施老化。
经验与建议: 建议加大食堂改造投入。
其他需要说明的问题: 无其他问题。
佐证材料:
  - 补助发放花名册
  - 食堂采购台账
附加:
  项目负责人: 张三
"""

ENGLISH = """\
report_number: 示教绩〔2024〕3号
fund_document: 示财教〔2023〕5号
overview: 本项目覆盖全县农村义务教育学校。
implementation: 学校食堂统一采购、统一配餐。
conclusion: 项目实施效果良好。
problems: 个别学校食堂设施老化。
lessons: 建议加大食堂改造投入。
other_matters: 无其他问题。
evidence: [补助发放花名册, 食堂采购台账]
extra: {项目负责人: 张三}
"""


@pytest.mark.parametrize("fields", [FIELDS, ENGLISH], ids=["chinese", "english"])
def test_the_optional_fields_in_chinese_or_english(fields: str) -> None:
    data = dict(_load(project_text(extra=fields)).data)
    project = validate(Located(Path("p.yaml"), data), Project)
    assert project.report_number == "示教绩〔2024〕3号"
    assert project.fund_document == "示财教〔2023〕5号"
    assert project.overview == "本项目覆盖全县农村义务教育学校。"
    assert project.implementation == "学校食堂统一采购、统一配餐。"
    assert (project.conclusion, project.problems) == (
        "项目实施效果良好。",
        "个别学校食堂设施老化。",
    )
    assert (project.lessons, project.other_matters) == ("建议加大食堂改造投入。", "无其他问题。")
    assert project.evidence is not None
    assert project.evidence.lines == ("1.补助发放花名册", "2.食堂采购台账")
    assert project.extra == {"项目负责人": "张三"}


def test_a_template_prints_an_entry_of_the_free_mapping(tmp_path: Path) -> None:
    root = workspace(tmp_path, project_text(extra=FIELDS), "")
    template = (
        '{% extends "builtin/project.j2" %}\n'
        "{% block signature %}\n> 项目负责人：{{ project.data.extra['项目负责人'] }}\n{% endblock %}\n"
    )
    write_tree(root, {"templates/project.j2": template})
    lines, _cells = documents(root)[""]
    assert lines[-1] == "项目负责人：张三"


def test_the_checks_read_the_new_texts(tmp_path: Path) -> None:
    root = workspace(
        tmp_path, project_text(extra="存在问题: 食堂设施施老化。\n佐证材料: [XX花名册]\n"), ""
    )
    found = {(p.rule, p.key) for p in check(root).problems}
    assert found == {("doubled-char", "存在问题"), ("placeholder", "佐证材料[0]")}


# --- goals written as lists --------------------------------------------------------------------


def test_a_goal_written_as_a_list_is_numbered(tmp_path: Path) -> None:
    listed = project_text().replace(
        "  实际完成情况: 为全县农村义务教育学生提供了营养膳食补助\n",
        "  实际完成情况:\n    - 为2100名学生提供了营养膳食补助。\n    - 家长满意度达到95%\n",
    )
    root = workspace(tmp_path, listed)
    assert check(root).problems == []
    found = documents(root)
    lines, _cells = found[""]
    assert any(
        "营养改善计划资金开展了绩效自评，共涉及资金16万元；该专项资金严格按照项目支出方向绩效目标，"
        "1.为2100名学生提供了营养膳食补助；2.家长满意度达到95%。" in line
        for line in lines
    )
    _lines, cells = found["_自评表"]
    assert cells[8][2] == "1.为2100名学生提供了营养膳食补助。\n2.家长满意度达到95%"


def test_an_item_of_a_list_is_checked_at_its_place(tmp_path: Path) -> None:
    listed = project_text().replace(
        "  实际完成情况: 为全县农村义务教育学生提供了营养膳食补助\n",
        "  实际完成情况:\n    - 为全县学生提供了补助\n    - \n",
    )
    (problem,) = check(workspace(tmp_path, listed)).problems
    assert (problem.line, problem.key) == (8, "年度总体目标.实际完成情况")
    assert (
        problem.message
        == "“实际完成情况”第 2 条是空的：请写上内容；如果这一项可以不填，就删去这一行。"
    )


# --- a project without indicators ----------------------------------------------------------------

NO_INDICATORS = PROJECT.split("绩效指标:")[0]


def test_a_project_without_indicators_gets_its_report(tmp_path: Path) -> None:
    root = workspace(tmp_path, NO_INDICATORS, "")
    assert check(root).problems == []
    lines, _cells = documents(root)[""]
    assert "（二）绩效目标完成情况分析。" not in lines
    assert lines[-4] == "三、偏离绩效目标的原因和下一步改进措施。"


def test_a_project_without_indicators_has_no_table(tmp_path: Path) -> None:
    root = workspace(tmp_path, NO_INDICATORS)
    (problem,) = check(root).problems
    assert (problem.rule, problem.key) == ("scores", "绩效指标")
    assert problem.message == (
        "生成不了自评表：项目没有绩效指标。请填写绩效指标，或为这个项目设置“自评表: 不生成”。"
    )


def test_an_empty_list_of_indicators_is_still_an_error(tmp_path: Path) -> None:
    (problem,) = check(workspace(tmp_path, NO_INDICATORS + "绩效指标: []\n", "")).problems
    assert problem.message == "“绩效指标”至少需要一项。"


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbers", "amount", "rate", "score"),
    [
        (NumberFormat(), "8.56", "86.2%", "20"),
        (
            NumberFormat(money_places=2, pad_money=True, pad_rate=True, pad_score=True),
            "8.56",
            "86.20%",
            "20.00",
        ),
        (NumberFormat(money_places=1), "8.6", "86.2%", "20"),
        (NumberFormat(money_places=0, pad_money=True), "9", "86.2%", "20"),
    ],
)
def test_number_formats(numbers: NumberFormat, amount: str, rate: str, score: str) -> None:
    assert numbers.money(Decimal("8.56")) == amount
    assert numbers.percent(Decimal("0.8620")) == rate
    assert numbers.score(Decimal("20.00")) == score


def test_rounding_is_half_up() -> None:
    assert NumberFormat(money_places=2).money(Decimal("0.125")) == "0.13"
    assert NumberFormat(money_places=0).money(Decimal("2.5")) == "3"
    assert NumberFormat(rate_places=0, pad_rate=True).percent(Decimal("0.865")) == "87%"


def test_the_narrative_writes_numbers_as_the_settings_ask(seed_workspace: Path) -> None:
    unit = seed_workspace / "data" / "2023" / SEED_UNIT / "unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8") + "  金额小数位: 2\n  补零: [金额, 执行率]\n",
        encoding="utf-8",
    )
    (planned_unit,) = plan(seed_workspace).units
    project = planned_unit.projects[0]
    assert project.documents is not None
    lines = [block_text(b) for b in dict(project.documents)[""].blocks]
    assert (
        "本单位2023年数据系统维护费专项资金全年预算数为8.56万元，实际完成项目支出8.56万元，已全部拨付到位。"
        in lines
    )
    assert any(
        "年初预算安排专项资金24.24万元" in line and "执行率为100.00%" in line for line in lines
    )
    assert any("年终调减预算15.68万元" in line for line in lines)


# --- the next year ---------------------------------------------------------------------------


def test_new_year_fills_named_fund_rows_and_each_item_of_a_list(tmp_path: Path) -> None:
    listed = project_text(extra=SOURCES).replace(
        "  实际完成情况: 为全县农村义务教育学生提供了营养膳食补助\n",
        "  实际完成情况:\n    - 为全县学生提供了补助\n    - 家长满意\n",
    )
    root = workspace(tmp_path, listed + "评价结论: 良好。\n")
    report = new_year(root / "data", year=2024, source_year=2023)
    keys = [key for key, _suggestion in report.files[1].to_fill]
    assert "资金来源.上级补助.年初预算数" in keys and "资金来源.本级安排.全年执行数" in keys
    assert "年度总体目标.实际完成情况[0]" in keys and "年度总体目标.实际完成情况[1]" in keys
    text = (root / "data" / "2024" / "教育局" / "01-营养改善.yaml").read_text(encoding="utf-8")
    assert "    - 待填\n    - 待填\n" in text
    assert "评价结论:\n" in text or text.rstrip().endswith("评价结论:")


def _load(text: str) -> Located:
    from zpgen.load.yaml_file import parse_yaml

    return parse_yaml(Path("p.yaml"), text.encode("utf-8"))
