"""自评表 layouts: the built-in forms chosen by settings alone, the options any layout takes, a
workspace's own layout file, and the messages a wrong one gets."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from zpgen.builder import build
from zpgen.builder.planner import check, plan
from zpgen.errors import UsageError, ZpgenError
from zpgen.model.layout import builtin_layouts
from zpgen.model.workspace import load_workspace
from zpgen.render.markup import block_text
from zpgen.resources import builtin_templates

from .conftest import ROOT, SEED_UNIT, write_tree

UNIT_NAME = "株洲市渌口区人力资源和社会保障局"
P1 = "数据系统维护费专项资金"
EXAMPLES = ROOT / "examples"


def add_settings(workspace: Path, lines: str, unit: str = SEED_UNIT) -> None:
    """Append lines under the 设置: of a unit.yaml that ends with one (the seed's)."""
    path = workspace / "data" / "2023" / unit / "unit.yaml"
    path.write_text(path.read_text(encoding="utf-8") + lines, encoding="utf-8")


def table_text(workspace: Path, name: str = P1, unit_name: str = UNIT_NAME) -> str:
    path = workspace / "output" / "2023" / unit_name / f"{name}_自评表.txt"
    return path.read_text(encoding="utf-8")


def table(workspace: Path, index: int = 0) -> tuple[list[str], list[list[str]]]:
    """A project's 自评表 as planned (in memory): its lines outside the tables, and the text of
    every cell of every row (a merged cell's is "")."""
    (unit,) = plan(workspace).units
    planned = unit.projects[index]
    assert planned.documents is not None, planned.problems
    document = dict(planned.documents)["_自评表"]
    lines = [block_text(b) for b in document.blocks if b.table is None]
    cells = [[c.text for c in row] for b in document.blocks if b.table for row in b.table.rows]
    return lines, cells


# --- the built-in forms from settings alone ---------------------------------------------------


def test_the_ten_plus_ninety_form_from_settings_alone(seed_workspace: Path) -> None:
    add_settings(
        seed_workspace,
        "  自评表格式: 10+90\n  资金来源行: [本年财政拨款, 财政专户管理资金, 单位资金, 其他资金]\n",
    )
    lines, cells = table(seed_workspace)
    assert lines == [
        "报表编号：",
        "部门预算项目支出绩效自评表（2023年度）",
        "项目负责人：　　　　财务负责人：",
    ]
    assert cells[2] == [
        "项目基本情况",
        "1.项目年度目标完成情况",
        "项目年度目标",
        "年度目标完成情况",
    ]
    assert cells[3][:2] == ["", ""] and cells[3][2].startswith("做好单位内部机关")
    assert cells[4] == ["", "2.项目实施内容及过程概述", ""]
    assert cells[5] == [
        "预算执行情况（10分）",
        "年度预算数（万元）",
        *("年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"),
    ]
    # the 执行率 to two decimals, as the layout's defaults ask (补零: [执行率])
    assert cells[6][:8] == ["", "总额", "24.24", "8.56", "8.56", "100.00%", "10", "10"]
    assert cells[6][8].startswith("由于2023年5月")  # 偏离原因
    assert [row[1] for row in cells[7:11]] == [
        "其中：本年财政拨款",
        "财政专户管理资金",
        "单位资金",
        "其他资金",
    ]
    assert cells[7][2:8] == ["24.24", "8.56", "8.56", "100.00%", "/", "/"]
    assert cells[10][2:6] == ["0", "0", "0", "0.00%"]  # nothing budgeted, nothing spent
    assert cells[11] == [
        "绩效指标（90分）",
        *("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值"),
        *("权重", "得分", "未完成原因分析"),
    ]
    assert cells[12][1:10] == [
        *("产出指标", "数量指标", "维护数据业务系统数量"),
        *("≥", "33", "个", "18", "20", "10.91"),
    ]
    assert cells[17][4:8] == ["定性", "长期", "", "长期"]
    assert cells[19] == ["合计", "100", "90.91", ""]
    assert [row[0] for row in cells[20:]] == ["评价结论", "存在问题", "改进措施"]
    # and the .docx: 报表编号 right-aligned above the title, 项目基本情况 merged down three rows
    assert build(seed_workspace, formats=["docx"]).problems == []
    path = seed_workspace / "output" / "2023" / UNIT_NAME / f"{P1}_自评表.docx"
    opened = docx.Document(str(path))
    assert [p.text for p in opened.paragraphs][:2] == lines[:2]
    assert opened.paragraphs[0].style.style_id == "Signature"
    top = opened.tables[0]
    assert all(top.cell(r, 0)._tc is top.cell(2, 0)._tc for r in range(2, 5))
    assert top.cell(5, 0)._tc is not top.cell(2, 0)._tc


def test_the_twenty_plus_eighty_form_from_settings_alone(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLES / "twenty-eighty" / "data", workspace / "data")
    unit = workspace / "data" / "2023" / "清溪镇人民政府" / "unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8") + "设置:\n  自评表: 单独文件\n  自评表格式: 20+80\n",
        encoding="utf-8",
    )
    _lines, cells = table(workspace)
    assert cells[2] == [
        "项目资金（万元）",
        "",
        *("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分（20分×执行率）"),
    ]
    # 20 × 96% = 19.2; the layout's weights: 20 + 产出 60 + 效益 20
    assert cells[3] == ["", "年度资金总额", "50", "50", "48", "20", "96%", "19.2"]
    assert cells[4][1] == "其中：本年财政拨款"  # written 当年财政拨款: the same source
    assert cells[9][0] == "绩效指标（80分）"
    assert cells[-2] == ["总分", "100", "99.2", ""]
    # 02 sets its own weights: 20 + 产出 40 + 效益 40
    _lines, cells = table(workspace, 1)
    assert cells[-2] == ["总分", "100", "100", ""]


def test_the_default_layout_is_the_seeds_table(seed_workspace: Path) -> None:
    """Choosing 附件1 by either of its names gives today's table, byte for byte."""
    golden = ROOT / "tests" / "golden" / "seed" / f"{P1}_自评表.txt"
    for name in ("附件1", "财预〔2020〕10号附件1"):
        (seed_workspace / "output").mkdir(exist_ok=True)
        shutil.rmtree(seed_workspace / "output")
        unit = seed_workspace / "data" / "2023" / SEED_UNIT / "unit.yaml"
        text = unit.read_text(encoding="utf-8").split("  自评表格式")[0]
        unit.write_text(text + f"  自评表格式: {name}\n", encoding="utf-8")
        assert build(seed_workspace, formats=["txt"]).problems == []
        assert table_text(seed_workspace) == golden.read_text(encoding="utf-8")


# --- options any layout takes ----------------------------------------------------------------


def test_level1_weights_this_years_grant_placeholder_rows_and_yuan(seed_workspace: Path) -> None:
    add_settings(
        seed_workspace,
        "  一级指标分值: 是\n  财政拨款称谓: 当年财政拨款\n  空白指标行: 每组\n  金额单位: 元\n",
    )
    _lines, cells = table(seed_workspace)
    assert cells[2][0] == "项目资金（元）"
    assert cells[3][2:5] == ["242400", "85600", "85600"]
    assert cells[4][1] == "其中：当年财政拨款"
    indicators = cells[10:-2]
    assert [row[1] for row in indicators if row[1]] == [
        "产出指标（50分）",
        "效益指标（30分）",
        "满意度指标（10分）",
    ]
    # every official 二级指标, each with its indicators, then the blank form's rows
    assert [row[2] for row in indicators if row[2]] == [
        *("数量指标", "质量指标", "时效指标", "成本指标"),
        *("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "服务对象满意度指标",
    ]
    assert [row[3] for row in indicators[:5]] == [
        *("维护数据业务系统数量", "指标1：", "指标2：", "……"),
        "业务系统数据正常运行率",
    ]
    assert indicators[1][4:] == ["", "", "", "", ""]


def test_placeholder_rows_only_in_empty_groups(seed_workspace: Path) -> None:
    add_settings(seed_workspace, "  空白指标行: 空组\n")
    _lines, cells = table(seed_workspace)
    names = [row[3] for row in cells[10:-2]]
    # 效益指标's 经济效益 and 生态效益 have no indicator in the seed's project 1
    assert names.count("指标1：") == 2
    assert len(names) == 7 + 2 * 3


def test_fixed_decimals_round_half_up(seed_workspace: Path) -> None:
    add_settings(seed_workspace, "  补零: 是\n  金额小数位: 1\n")
    _lines, cells = table(seed_workspace)
    # 24.24 → 24.2, 8.56 → 8.6 (half up); 100% → 100.00%; the scores to their two places
    assert cells[3] == ["", "年度资金总额", "24.2", "8.6", "8.6", "10", "100.00%", "10.00"]
    assert cells[10][6:8] == ["20", "10.91"]
    assert cells[11][6:8] == ["10", "10.00"]
    assert cells[-2] == ["总分", "100", "90.91", ""]


# --- a workspace's own layout ----------------------------------------------------------------

OWN = """\
名称: 简表
标题: 项目支出绩效自评简表
列宽: [20, 20, 60]
行:
  - 格: [项目名称, {内容: 项目名称, 跨: 2}]
  - 格: [资金文号, {内容: 资金文号, 跨: 2}]
  - 资金:
      标签跨: 0
      列:
        - {内容: 全年预算数, 标题: 全年预算数}
        - {内容: 执行率, 标题: 执行率}
      总额: 合计
      来源: [本年财政拨款]
  - 指标:
      标签跨: 0
      列:
        - {内容: 三级指标, 标题: 指标}
        - {内容: 得分, 标题: 得分}
        - {内容: 偏差原因, 标题: 说明, 靠左: 是}
  - 总分: {标签: 总分}
  - 格: [负责人, {内容: 附加.负责人, 跨: 2}]
"""


def test_a_workspace_adds_its_own_layout_beside_its_templates(seed_workspace: Path) -> None:
    write_tree(seed_workspace, {"templates/layouts/简表.yaml": OWN})
    add_settings(seed_workspace, "  自评表格式: 简表\n")
    project = seed_workspace / "data" / "2023" / SEED_UNIT / "01-数据系统维护费.yaml"
    project.write_text(
        project.read_text(encoding="utf-8")
        + "资金文号: 株财预〔2023〕12号\n附加:\n  负责人: 张三\n",
        encoding="utf-8",
    )
    lines, cells = table(seed_workspace)
    assert lines == ["项目支出绩效自评简表", "（2023年度）"]
    assert cells[:4] == [
        ["项目名称", P1],
        ["资金文号", "株财预〔2023〕12号"],
        ["", "全年预算数", "执行率"],
        ["合计", "8.56", "100%"],
    ]
    assert cells[-2:] == [["总分", "90.91", ""], ["负责人", "张三"]]


def test_a_workspace_layout_of_a_built_in_name_replaces_it(seed_workspace: Path) -> None:
    source = (builtin_templates() / "layouts" / "附件1.yaml").read_text(encoding="utf-8")
    changed = source.replace("标题: 项目支出绩效自评表", "标题: 本局的项目支出绩效自评表")
    write_tree(seed_workspace, {"templates/layouts/附件1.yaml": changed})
    assert build(seed_workspace, formats=["txt"]).problems == []
    assert table_text(seed_workspace).splitlines()[0] == "本局的项目支出绩效自评表"


def test_a_changed_layout_file_rebuilds_the_tables(seed_workspace: Path) -> None:
    write_tree(seed_workspace, {"templates/layouts/简表.yaml": OWN})
    add_settings(seed_workspace, "  自评表格式: 简表\n")
    build(seed_workspace, formats=["txt"])
    write_tree(
        seed_workspace, {"templates/layouts/简表.yaml": OWN.replace("自评简表", "自评表（简）")}
    )
    build(seed_workspace, formats=["txt"])
    assert table_text(seed_workspace).splitlines()[0] == "项目支出绩效自评表（简）"


BROKEN = """\
名称: 坏表
列宽: [10, 10]
行:
  - 格: [{文字: 项目名称, 跨: 3}]
  - 格: [{内容: 项目名, 跨: 2}]
  - 格: [{文字: "年度{年份}"}, 甲]
  - 总分: {标签: 总分}
  - 资金: {列: [{内容: 全年预算数, 标题: 预算, 宽: 2}]}
设置:
  提纲: 八部分
"""


def test_a_wrong_layout_file_gets_positioned_messages_all_at_once(seed_workspace: Path) -> None:
    write_tree(seed_workspace, {"templates/layouts/坏表.yaml": BROKEN})
    with pytest.raises(ZpgenError) as caught:
        load_workspace(seed_workspace)
    found = [(p.line, p.column, p.key, p.message) for p in caught.value.problems]
    file = {p.file.name for p in caught.value.problems if p.file is not None}
    assert file == {"坏表.yaml"}
    assert found == [
        (5, 10, "行[1].格[0].内容", "“内容”是“项目名”，zpgen 不认识（是不是“项目名称”？）。"),
        (
            6,
            10,
            "行[2].格[0].文字",
            "“文字”含有{年份}，zpgen 不会替换它；zpgen 替换的是{年度}、{金额单位}、{预算分值}、{指标分值}、{总分值}。",
        ),
        (
            8,
            34,
            "行[4].资金.列[0].宽",
            "未知的键“宽”。这里可用的键有：内容、标题、跨、其中各行、靠左。",
        ),
    ]


def test_a_layout_whose_rows_do_not_fill_its_columns(seed_workspace: Path) -> None:
    broken = '名称: 坏表\n列宽: [10, 10]\n行:\n  - 格: [{文字: 项目名称, 跨: 3}]\n  - 总分: {}\n  - 格: ["^", 甲]\n设置:\n  提纲: 八部分\n'
    write_tree(seed_workspace, {"templates/layouts/坏表.yaml": broken})
    with pytest.raises(ZpgenError) as caught:
        load_workspace(seed_workspace)
    found = [(p.line, p.key, p.message) for p in caught.value.problems]
    assert found == [
        (4, "行[0]", "这一行的各格共占 3 列，而表式有 2 列（列宽）。"),
        (5, "行[1]", "总分应在含分值或得分一列的指标部分（指标）之下。"),
        (6, "行[2]", "这一行的各格共占 4 列，而表式有 2 列（列宽）。"),  # ^ takes the 3 above
        (8, "设置.提纲", "表式的“设置”中不能写提纲：它在选用表式的地方设置。"),
    ]


def test_an_unknown_layout_is_named_where_it_is_chosen(seed_workspace: Path) -> None:
    add_settings(seed_workspace, "  自评表格式: 10+9\n")
    report = check(seed_workspace)
    (problem,) = report.problems
    assert problem.file is not None and problem.file.name == "unit.yaml"
    assert (problem.line, problem.key) == (18, "设置.自评表格式")
    assert problem.message == "没有名为“10+9”的自评表表式：是不是“10+90”？"
    with pytest.raises(UsageError):
        load_workspace(seed_workspace, overrides=["自评表格式=没有这种表"])


def test_the_built_in_layouts_are_read_without_problems() -> None:
    layouts = builtin_layouts()
    assert {layout.name for layout in layouts.values()} == {
        "财预〔2020〕10号附件1",
        "10+90",
        "20+80",
    }
    assert layouts["附件1"] is layouts["财预〔2020〕10号附件1"]


# --- a one-off: a block of the table template ------------------------------------------------


def test_a_block_of_the_table_template_for_a_one_off(seed_workspace: Path) -> None:
    template = (
        '{% extends "builtin/selftable.j2" %}\n'
        "{% block grade %}{{ super() }}%row\n|9< 备注：本表经局党组审定。\n{% endblock %}\n"
    )
    write_tree(seed_workspace, {"templates/selftable.j2": template})
    _lines, cells = table(seed_workspace)
    assert cells[-1] == ["备注：本表经局党组审定。"]
