"""The outlines built in: chosen by one setting, each a template set with blocks a workspace can
extend; the labelled paragraphs zpgen numbers; the project names of the combined report."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from zpgen.builder.planner import plan
from zpgen.commands.templates import copy_template
from zpgen.model.workspace import load_workspace
from zpgen.render.markup import BlockKind, DocumentMeta, Numbering, block_text, parse_markup
from zpgen.render.templates import list_templates
from zpgen.resources import builtin_templates
from zpgen.write.docx import load_base, render_docx

from .conftest import SEED_UNIT, write_tree

META = DocumentMeta("t", "a", (2024, 4, 1))


def combined(workspace: Path) -> list[str]:
    """The lines of the unit's combined report, planned in memory."""
    (unit,) = plan(workspace).units
    assert unit.combined is not None, unit.problems
    return [block_text(b) for b in dict(unit.combined)[""].blocks]


def report(workspace: Path, index: int = 0) -> list[str]:
    (unit,) = plan(workspace).units
    documents = unit.projects[index].documents
    assert documents is not None
    return [block_text(b) for b in dict(documents)[""].blocks]


def set_unit(workspace: Path, lines: str) -> None:
    path = workspace / "data" / "2023" / SEED_UNIT / "unit.yaml"
    path.write_text(path.read_text(encoding="utf-8") + lines, encoding="utf-8")


# --- numbered labelled paragraphs ------------------------------------------------------------


def test_labelled_paragraphs_that_zpgen_numbers() -> None:
    markup = "# 甲\n@+项目资金到位情况：正文一\n@+项目资金执行情况：正文二\n@不编号：三\n## 乙\n@+又一：四\n---\n@+再一：五\n"
    blocks = parse_markup(markup, META, Numbering()).blocks
    assert [block_text(b) for b in blocks if b.kind is BlockKind.LABELLED] == [
        "1.项目资金到位情况：正文一",
        "2.项目资金执行情况：正文二",
        "不编号：三",
        "1.又一：四",  # counted again after a heading
        "1.再一：五",  # and after a new part
    ]


def test_a_numbered_label_is_one_run_in_the_docx(tmp_path: Path) -> None:
    document = parse_markup("@+项目资金到位情况：正文\n", META, Numbering())
    path = tmp_path / "t.docx"
    path.write_bytes(render_docx(document, load_base()))
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert (
        '<w:rStyle w:val="Label"/></w:rPr><w:t xml:space="preserve">1.项目资金到位情况：</w:t>'
        in body
    )


# --- the outlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outline", "sections"),
    [
        (
            "转移支付",
            [
                "一、绩效目标分解下达情况",
                "二、绩效目标完成情况分析",
                "三、偏离绩效目标的原因和下一步改进措施",
                "四、绩效自评结果拟应用和公开情况",
            ],
        ),
        (
            "七部分",
            [
                "一、基本情况",
                "二、项目资金使用及管理情况",
                "三、项目组织实施情况",
                "四、项目绩效情况",
                "五、存在的问题及原因分析",
                "六、有关建议",
                "七、其他需要说明的问题",
            ],
        ),
        ("结论先行", ["一、自评结论", "二、佐证材料"]),
        ("多项目", ["一、项目基本情况", "二、绩效目标完成情况", "三、存在的问题和改进措施"]),
    ],
)
def test_an_outline_from_one_setting(
    seed_workspace: Path, outline: str, sections: list[str]
) -> None:
    set_unit(seed_workspace, f"  提纲: {outline}\n")
    lines = report(seed_workspace)
    assert [line for line in lines if line[1:2] == "、"] == sections


def test_the_unit_report_counts_its_projects(seed_workspace: Path) -> None:
    set_unit(seed_workspace, "  提纲: 多项目\n")
    lines = combined(seed_workspace)
    assert "对2023年的3个项目开展了绩效自评，共涉及资金45.37万元。" in lines[2]
    assert [line for line in lines if line.startswith("项目") and "：" in line][:3] == [
        "项目一：数据系统维护费专项资金",
        "项目二：企业离休人员第十三月基本离休费专项资金",
        "项目三：事业单位工作人员招聘考试经费专项资金",
    ]
    assert lines[-2:] == ["株洲市渌口区人力资源和社会保障局", "2024年4月"]
    set_unit(seed_workspace, "  合并报告项目名称: 否\n")
    assert not [line for line in combined(seed_workspace) if line.startswith("项目一")]


def test_the_combined_report_can_print_each_projects_name(seed_workspace: Path) -> None:
    names = ["（数据系统维护费专项资金）", "（企业离休人员第十三月基本离休费专项资金）"]
    assert not [line for line in combined(seed_workspace) if line in names]  # the seed's form
    set_unit(seed_workspace, "  合并报告项目名称: 是\n")
    assert [line for line in combined(seed_workspace) if line in names] == names
    set_unit(seed_workspace, "  提纲: 转移支付\n")  # other outlines print them by default
    assert [line for line in combined(seed_workspace) if line in names] == names


def test_a_workspace_extends_a_block_of_the_outline_in_force(seed_workspace: Path) -> None:
    write_tree(
        seed_workspace,
        {
            "zpgen.yaml": "设置:\n  提纲: 结论先行\n",
            "templates/body.j2": '{% extends "builtin/body.j2" %}\n'
            "{% block evidence %}{{ super() }}以上材料存档备查。\n{% endblock %}\n",
        },
    )
    lines = report(seed_workspace)
    assert lines[-3:] == ["二、佐证材料", "无。", "以上材料存档备查。"]
    entries = {entry.name: entry for entry in list_templates(load_workspace(seed_workspace))}
    assert entries["body.j2"].extends == ("builtin/body.j2",)
    outline = builtin_templates() / "outlines" / "conclusion-first" / "body.j2"
    assert not [name for name in entries if name.startswith("outlines/")]
    (seed_workspace / "templates" / "body.j2").unlink()
    copied = copy_template(load_workspace(seed_workspace), "body.j2")
    assert copied.read_bytes() == outline.read_bytes()


def test_an_outline_without_indicators_and_scores(tmp_path: Path) -> None:
    """The seven-section outline of a project with no 绩效指标 and no 分值: every section."""
    write_tree(
        tmp_path,
        {
            "zpgen.yaml": "设置:\n  提纲: 七部分\n",
            "data/2023/学校/unit.yaml": "单位名称: 某中学\n评价时间: 2024年3月\n财政部门: 县财政局\n公开网站: 县政府网\n",
            "data/2023/学校/01-助学金.yaml": "项目名称: 助学金\n年初预算数: 10\n全年预算数: 10\n全年执行数: 10\n"
            "资金用途: 用于资助家庭经济困难学生\n年度总体目标:\n  预期目标: 资助全部困难学生\n"
            "  实际完成情况: 资助了全部困难学生\n",
        },
    )
    lines = report(tmp_path)
    assert lines[lines.index("四、项目绩效情况") + 1] == "资助了全部困难学生。"
    assert lines[lines.index("五、存在的问题及原因分析") + 1] == "无。"
