"""The 项目支出绩效自评表: table markup, its .txt and .docx renderings, and where it is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from zpgen.builder import build
from zpgen.errors import ZpgenError
from zpgen.figures.budget import compute
from zpgen.figures.scoring import score_project
from zpgen.load.yaml_file import load_yaml
from zpgen.model.schema import DEFAULT_PHRASES, DEFAULT_SETTINGS, Project, Unit, overlay
from zpgen.model.validate import validate
from zpgen.render.context import ProjectContext, ProjectView
from zpgen.render.environment import Renderer
from zpgen.render.markup import (
    BlockKind,
    Cell,
    DocumentMeta,
    Numbering,
    Table,
    escape_value,
    parse_markup,
)
from zpgen.resources import builtin_templates
from zpgen.write.docx import load_base, render_docx
from zpgen.write.texttable import text_width, wrap
from zpgen.write.txt import render_txt

from .conftest import ROOT, SEED_UNIT, UNIT_NAME, assert_golden, write_tree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
META = DocumentMeta("t", "a", (2024, 4, 1))
PROJECTS = [
    "数据系统维护费专项资金",
    "企业离休人员第十三月基本离休费专项资金",
    "事业单位工作人员招聘考试经费专项资金",
]

SMALL = """\
%table 2 1 1
%header
| 名称
| 分值
| 得分
%row
|< 甲
|^
| 8.62
%row
|2 合计
| 9
%end
"""


def tables(markup: str) -> list[Table]:
    blocks = parse_markup(markup, META, Numbering()).blocks
    return [b.table for b in blocks if b.table is not None]


# --- markup ----------------------------------------------------------------------------------


def test_table_markup_gives_rows_spans_merges_and_header_rows() -> None:
    (table,) = tables(SMALL)
    assert table.widths == (2, 1, 1)
    assert table.header_rows == 1
    assert table.rows == (
        (Cell("名称"), Cell("分值"), Cell("得分")),
        (Cell("甲", left=True), Cell("", merged=True), Cell("8.62")),
        (Cell("合计", span=2), Cell("9")),
    )


def test_inserted_data_stays_inside_its_cell() -> None:
    value = "| 不是单元格\n%row\n%end\n|^"
    markup = f"%table 1 1\n%row\n| {escape_value(value)}\n|{escape_value('2 不是跨列')}\n%end\n"
    (table,) = tables(markup)
    assert table.rows == ((Cell(value), Cell("2 不是跨列")),)


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("%table 1 1\n%row\n| 一\n%end\n", "第 1 行的单元格占了 1 列，表格有 2 列"),
        ("%table 1 1\n%row\n|3 一\n%end\n", "第 1 行的单元格占了 3 列，表格有 2 列"),
        ("%table 1\n%row\n|^\n%end\n", "第 1 行第 1 列的 |^ 上方没有从同一列开始的单元格"),
        ("%table 1\n%row\n| 一\n", "表格缺少结尾的 %end"),
        ("%table 1\n| 一\n%end\n", "单元格之前缺少 %row"),
        ("%table 1\n%row\n| 一\n%header\n| 二\n%end\n", "表头行（%header）应在所有 %row 之前"),
        ("%table 1\n%row\n随便写\n%end\n", "表格中的行应以 |、%row、%header 或 %end 开头"),
        ("%table 宽\n%end\n", "应写作“%table 宽度 宽度 …”"),
        ("%table 1\n%row\n|^ 字\n%end\n", "与上方合并的单元格（|^）不能有文字"),
    ],
)
def test_malformed_tables_are_errors_naming_the_data_file(markup: str, message: str) -> None:
    with pytest.raises(ZpgenError) as caught:
        parse_markup(markup, META, Numbering(), source=Path("p.yaml"))
    (problem,) = caught.value.problems
    assert problem.file == Path("p.yaml")
    assert message in problem.message


# --- the .txt rendering ----------------------------------------------------------------------


def test_text_width_counts_chinese_as_two_columns() -> None:
    assert text_width("≥33个") == 5
    assert text_width("偏差原因") == 8
    assert wrap("省人社厅上线“金保二期”系统", 8) == ["省人社厅", "上线“金", "保二期”", "系统"]
    assert wrap("≤202.6万元", 6) == ["≤202.6", "万元"]


def test_small_table_as_text() -> None:
    # 分值 is merged down into the second row: no rule under it
    document = parse_markup(SMALL, META, Numbering())
    assert render_txt(document).split("\n") == [
        "+--------------------------------------------------------+------------------------------+----------------------------+",
        "|                          名称                          |             分值             |            得分            |",
        "+--------------------------------------------------------+                              +----------------------------+",
        "| 甲                                                     |                              |            8.62            |",
        "+--------------------------------------------------------+------------------------------+----------------------------+",
        "|                                         合计                                          |             9              |",
        "+---------------------------------------------------------------------------------------+----------------------------+",
        "",
    ]


def test_merged_cells_have_no_rule_through_them_and_their_text_flows_down() -> None:
    markup = "%table 1 20\n%row\n| 项目资金（万元）\n| 甲\n%row\n|^\n| 乙\n%row\n|^\n| 丙\n%end\n"
    lines = render_txt(parse_markup(markup, META, Numbering())).split("\n")
    assert lines[:7] == [
        "+------+------------------------------------------------------------------------------------------------------------+",
        "| 项目 |                                                     甲                                                     |",
        "|      +------------------------------------------------------------------------------------------------------------+",
        "| 资金 |                                                     乙                                                     |",
        "|      +------------------------------------------------------------------------------------------------------------+",
        "| （万 |                                                     丙                                                     |",
        "| 元） |                                                                                                            |",
    ]


# --- the seed's tables -----------------------------------------------------------------------


@pytest.fixture
def built(built_seed: Path) -> Path:
    return built_seed / "output" / "2023"


@pytest.mark.parametrize("name", PROJECTS)
def test_each_seed_project_gets_its_table_beside_its_report(
    built: Path, name: str, update_golden: bool
) -> None:
    folder = built / UNIT_NAME
    assert (folder / f"{name}.txt").exists() and (folder / f"{name}.docx").exists()
    text = (folder / f"{name}_自评表.txt").read_text(encoding="utf-8")
    assert_golden(text, f"seed/{name}_自评表.txt", update_golden)


def test_the_unit_gets_all_its_tables_in_one_file(built: Path, update_golden: bool) -> None:
    text = (built / f"{UNIT_NAME}_自评表.txt").read_text(encoding="utf-8")
    assert text.count("项目支出绩效自评表") == 3
    assert_golden(text, f"seed/{UNIT_NAME}_自评表.txt", update_golden)


def test_seed_scores(built: Path) -> None:
    """By hand: project 1 loses 20 − 20 × 18/33 = 9.09 on 数量; project 2, 20 − 20 × 1/6."""
    totals = []
    for name in PROJECTS:
        text = (built / UNIT_NAME / f"{name}_自评表.txt").read_text(encoding="utf-8")
        total_line = next(line for line in text.split("\n") if "总分" in line)
        grade_line = next(line for line in text.split("\n") if "自评等级" in line)
        totals.append((total_line.split("|")[3].strip(), grade_line.split("|")[2].strip()))
    assert totals == [("90.91", "优"), ("83.33", "良"), ("100", "优")]


def test_seed_table_docx(built: Path) -> None:
    path = built / UNIT_NAME / f"{PROJECTS[0]}_自评表.docx"
    document = docx.Document(str(path))
    assert [p.text for p in document.paragraphs if p.text] == ["项目支出绩效自评表", "（2023年度）"]
    top, indicators = document.tables
    assert [c.text for c in top.rows[0].cells] == ["项目名称"] * 2 + ["数据系统维护费专项资金"] * 7
    fund = [c.text for c in top.rows[3].cells]
    assert fund == [
        "项目资金（万元）",
        "年度资金总额",
        "年度资金总额",
        "24.24",
        "8.56",
        "8.56",
        "10",
        "100%",
        "10",
    ]
    # the fund label is one cell merged down five rows
    assert all(top.cell(r, 0)._tc is top.cell(2, 0)._tc for r in range(2, 7))
    header = [c.text for c in indicators.rows[0].cells]
    assert header == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    first = [c.text for c in indicators.rows[1].cells]
    assert first[1:8] == [
        "产出指标",
        "数量指标",
        "维护数据业务系统数量",
        "≥33个",
        "18个",
        "20",
        "10.91",
    ]
    # 产出指标 spans its four rows; the header row repeats on every page
    assert all(indicators.cell(r, 1)._tc is indicators.cell(1, 1)._tc for r in range(1, 5))
    assert indicators.cell(5, 1)._tc is not indicators.cell(1, 1)._tc
    assert indicators.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert top.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is None
    assert [c.text for c in indicators.rows[-2].cells][-3:] == ["100", "90.91", ""]
    assert [c.text for c in indicators.rows[-1].cells][-1] == "优"


def test_table_fits_the_text_block_in_its_own_styles(built: Path) -> None:
    path = built / UNIT_NAME / f"{PROJECTS[0]}_自评表.docx"
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    for grid in body.iter(f"{W}tblGrid"):
        assert sum(int(c.get(f"{W}w")) for c in grid) == 11906 - 1587 - 1474  # 156 mm
    assert {t.get(f"{W}val") for t in body.iter(f"{W}tblStyle")} == {"TableGrid"}
    text_style = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "TableText")
    assert text_style.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert text_style.find(f"{W}rPr/{W}sz").get(f"{W}val") == "18"  # 小五
    assert text_style.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0"
    # the two tables are kept apart by a 1 pt paragraph, else they would be joined
    between = body.find(f"{W}body/{W}tbl").getnext()
    assert between.tag == f"{W}p"
    assert between.find(f"{W}pPr/{W}spacing").get(f"{W}line") == "20"


def test_a_table_after_a_page_break_and_at_the_end(tmp_path: Path) -> None:
    markup = "正文\n---\n%table 1\n%row\n| 表\n%end\n"
    document = parse_markup(markup, META, Numbering())
    path = tmp_path / "t.docx"
    path.write_bytes(render_docx(document, load_base()))
    body = docx.Document(str(path)).element.body
    kinds = [child.tag.split("}")[1] for child in body]
    assert kinds == ["p", "p", "tbl", "p", "sectPr"]
    assert body[1].find(f"{W}pPr/{W}pageBreakBefore") is not None


# --- where the table goes --------------------------------------------------------------------


def set_table(workspace: Path, choice: str) -> None:
    unit = workspace / "data" / "2023" / SEED_UNIT / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace("自评表: 单独文件", f"自评表: {choice}"), encoding="utf-8")


def written(workspace: Path) -> list[str]:
    out = workspace / "output" / "2023"
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))


def test_narrative_only(seed_workspace: Path) -> None:
    set_table(seed_workspace, "不生成")
    assert build(seed_workspace, formats=["txt"]).problems == []
    assert not [name for name in written(seed_workspace) if "自评表" in name]


def test_table_only(seed_workspace: Path) -> None:
    set_table(seed_workspace, "仅自评表")
    assert build(seed_workspace, formats=["txt"]).problems == []
    assert written(seed_workspace) == sorted(
        [f"{UNIT_NAME}_自评表.txt"] + [f"{UNIT_NAME}/{name}_自评表.txt" for name in PROJECTS]
    )


def test_table_after_the_narrative(seed_workspace: Path) -> None:
    set_table(seed_workspace, "附在报告后")
    assert build(seed_workspace).problems == []
    assert not [name for name in written(seed_workspace) if "自评表" in name]
    out = seed_workspace / "output" / "2023"
    text = (out / UNIT_NAME / f"{PROJECTS[0]}.txt").read_text(encoding="utf-8")
    narrative_end = text.index("四、绩效自评结果拟应用和公开情况")
    assert text.index("项目支出绩效自评表", narrative_end) > narrative_end
    combined = (out / f"{UNIT_NAME}.txt").read_text(encoding="utf-8")
    assert combined.count("项目支出绩效自评表") == 3  # one table a project
    opened = docx.Document(str(out / f"{UNIT_NAME}.docx"))
    assert len(opened.tables) == 6
    titles = [p for p in opened.paragraphs if p.text == "项目支出绩效自评表"]
    assert len(titles) == 3
    assert all(t.style.style_id == "Title" and t.paragraph_format.page_break_before for t in titles)


def test_a_table_needs_weights(seed_workspace: Path) -> None:
    project = seed_workspace / "data" / "2023" / SEED_UNIT / "03-事业单位工作人员招聘考试经费.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(
        "\n".join(line for line in text.split("\n") if "分值:" not in line), encoding="utf-8"
    )
    report = build(seed_workspace, formats=["txt"])
    assert [(p.file, p.key, p.message) for p in report.problems] == [
        (project, "绩效指标", "生成自评表需要每个绩效指标的分值，请为各指标填写“分值”")
    ]


# --- the narrative can use the score ---------------------------------------------------------


def test_a_narrative_template_can_state_the_score_and_grade(tmp_path: Path) -> None:
    unit_dir = ROOT / "data" / "2023" / SEED_UNIT
    unit = validate(load_yaml(unit_dir / "unit.yaml", root=None), Unit)
    located = load_yaml(unit_dir / "02-企业离休人员第十三月基本离休费.yaml", root=None)
    project = validate(located, Project)
    settings = overlay(DEFAULT_SETTINGS, unit.settings, project.settings)
    figures = compute(project, 2023)
    view = ProjectView(
        data=project,
        figures=figures,
        score=score_project(project, figures, settings, required=True).sheet,
        phrases=DEFAULT_PHRASES,
        settings=settings,
    )
    write_tree(
        tmp_path,
        {
            "conclusion.j2": "该项目自评得分为{{ project.score.total }}分，评价等级为{{ project.score.grade }}。\n"
        },
    )
    context: ProjectContext = {"unit": unit, "year": 2023, "project": view}
    markup = Renderer([tmp_path, builtin_templates()]).render(
        "conclusion.j2", context, located.file
    )
    (block,) = parse_markup(markup, META, Numbering()).blocks
    assert block.kind is BlockKind.PARAGRAPH
    assert block.text == "该项目自评得分为83.33分，评价等级为良。"


def test_cell_text_survives_exactly_in_the_docx(tmp_path: Path) -> None:
    tricky = "A&B <项目> \"引号\" 'x' &amp; 😀 ＜全角＞"
    markup = f"%table 1 1\n%row\n| {escape_value(tricky)}\n| {escape_value('第一段' + chr(10) + '第二段')}\n%end\n"
    path = tmp_path / "t.docx"
    path.write_bytes(render_docx(parse_markup(markup, META, Numbering()), load_base()))
    (table,) = docx.Document(str(path)).tables
    first, second = table.rows[0].cells
    assert first.text == tricky
    assert [p.text for p in second.paragraphs] == ["第一段", "第二段"]
