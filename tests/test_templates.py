"""A workspace's own templates and base document: overrides, super(), the sandbox, the listing."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from zpgen.builder import build
from zpgen.commands.templates import builtin_base_sample, copy_template
from zpgen.errors import ZpgenError
from zpgen.model.workspace import load_workspace
from zpgen.render.templates import Origin, list_templates
from zpgen.write.base import load_workspace_base

from .conftest import ROOT, SEED_UNIT, UNIT_NAME, write_tree

P1 = "数据系统维护费专项资金"
PROJECT_FILES = (
    "01-数据系统维护费.yaml",
    "02-企业离休人员第十三月基本离休费.yaml",
    "03-事业单位工作人员招聘考试经费.yaml",
)


def built_text(workspace: Path, name: str = UNIT_NAME) -> str:
    report = build(workspace, formats=["txt"])
    assert report.problems == [], report.problems
    path = (
        workspace
        / "output"
        / "2023"
        / (f"{UNIT_NAME}/{name}.txt" if name != UNIT_NAME else f"{UNIT_NAME}.txt")
    )
    return path.read_text(encoding="utf-8")


def test_an_override_of_one_block_with_super_keeps_the_rest(seed_workspace: Path) -> None:
    original = built_text(seed_workspace, P1)
    write_tree(
        seed_workspace / "templates",
        {
            "body.j2": '{% extends "builtin/body.j2" %}\n'
            "{% block result_use %}\n{{ super() }}\n本报告经{{ unit.name }}党组会议审定。\n"
            "{% endblock %}\n"
        },
    )
    changed = built_text(seed_workspace, P1)
    added = f"本报告经{UNIT_NAME}党组会议审定。"
    assert changed == original.replace("公开。\n", f"公开。\n{added}\n")
    assert changed.count(added) == 1
    combined = built_text(seed_workspace)
    assert combined.count(added) == 3, "the combined report includes the same body.j2"


def test_an_added_section_is_numbered_after_the_built_in_ones(seed_workspace: Path) -> None:
    write_tree(
        seed_workspace / "templates",
        {
            "body.j2": '{% extends "builtin/body.j2" %}\n'
            "{% block extra_sections %}\n# 其他需要说明的问题\n无。\n{% endblock %}\n"
        },
    )
    lines = built_text(seed_workspace, P1).splitlines()
    assert lines[-2:] == ["五、其他需要说明的问题", "无。"]


def test_a_workspace_template_replaces_the_built_in_one(seed_workspace: Path) -> None:
    write_tree(
        seed_workspace / "templates",
        {
            "project.j2": "= {{ project.data.name }}自评报告\n简要：执行率{{ project.figures.execution_rate|percent }}。\n"
        },
    )
    assert built_text(seed_workspace, P1) == f"{P1}自评报告\n\n简要：执行率100%。\n"


def test_user_templates_run_in_the_sandbox(seed_workspace: Path) -> None:
    write_tree(
        seed_workspace / "templates",
        {"project.j2": "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"},
    )
    report = build(seed_workspace, formats=["txt"])
    assert report.failed
    assert any("模板不能读取 str 的“__class__”" in p.message for p in report.problems), [
        p.message for p in report.problems
    ]


@pytest.mark.parametrize(
    ("templates", "where"),
    [
        ({"body.j2": "{{ project.body }}\n"}, "body.j2:1"),
        (
            {"body.j2": "{{ project.selftable }}\n", "selftable.j2": "{{ project.body }}\n"},
            "selftable.j2:1",
        ),
    ],
)
def test_a_template_that_prints_itself_is_an_error_not_a_crash(
    seed_workspace: Path, templates: dict[str, str], where: str
) -> None:
    write_tree(seed_workspace / "templates", templates)
    report = build(seed_workspace, formats=["txt"])
    assert report.failed
    message = (
        "模板出错：body.j2 打印了它自己的输出（直接或经由其他模板使用 project.body 或 "
        f"project.selftable），会无限循环。（模板 {seed_workspace / 'templates' / where}）。"
    )
    unit = seed_workspace / "data" / "2023" / SEED_UNIT
    assert [(p.file, p.message) for p in report.problems] == [
        (unit / name, message) for name in PROJECT_FILES
    ], "each project's report, in the language of the messages (Chinese)"


def test_a_template_error_names_the_workspace_template(seed_workspace: Path) -> None:
    write_tree(
        seed_workspace / "templates",
        {
            "body.j2": '{% extends "builtin/body.j2" %}\n{% block result_use %}{{ p.nme }}{% endblock %}\n'
        },
    )
    report = build(seed_workspace, formats=["txt"])
    assert report.failed
    assert all("templates/body.j2:2" in p.message for p in report.problems)


def test_templates_list_shows_origin_and_blocks(seed_workspace: Path) -> None:
    write_tree(
        seed_workspace / "templates",
        {"body.j2": '{% extends "builtin/body.j2" %}\n{% block deviation %}{% endblock %}\n'},
    )
    entries = {e.name: e for e in list_templates(load_workspace(seed_workspace))}
    assert set(entries) == {
        "body.j2",
        "indicator_groups.j2",
        "project.j2",
        "unit.j2",
        "selftable.j2",
        "project_table.j2",
        "unit_table.j2",
        "base.docx",
    }
    body = entries["body.j2"]
    assert (body.origin, body.replaces_builtin, body.extends) == (
        Origin.WORKSPACE,
        True,
        ("builtin/body.j2",),
    )
    assert body.blocks == ("deviation",)
    project = entries["project.j2"]
    assert (project.origin, project.blocks) == (Origin.BUILTIN, ("header", "body", "signature"))
    assert entries["base.docx"].origin is Origin.BUILTIN
    blocks = list_templates(load_workspace(seed_workspace.parent))  # no workspace templates
    builtin_body = next(e for e in blocks if e.name == "body.j2")
    assert builtin_body.blocks[:4] == ("self_evaluation", "goal_analysis", "funds", "funds_arrival")


def test_templates_copy_copies_a_built_in_and_keeps_an_existing_file(seed_workspace: Path) -> None:
    space = load_workspace(seed_workspace)
    copied = copy_template(space, "body.j2")
    assert copied == seed_workspace / "templates" / "body.j2"
    builtin = ROOT / "templates" / "body.j2"
    assert copied.read_bytes() == builtin.read_bytes()
    copied.write_text("# 我的\n", encoding="utf-8")
    with pytest.raises(ZpgenError, match="文件已存在"):
        copy_template(space, "body.j2")
    assert copied.read_text(encoding="utf-8") == "# 我的\n"
    copy_template(space, "body.j2", force=True)
    assert copied.read_bytes() == builtin.read_bytes()
    with pytest.raises(ZpgenError, match=r"没有名为“nope\.j2”的内置模板"):
        copy_template(space, "nope.j2")


def test_the_copied_base_document_changes_nothing_until_edited(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["docx"])
    before = (seed_workspace / "output" / "2023" / f"{UNIT_NAME}.docx").read_bytes()
    copy_template(load_workspace(seed_workspace), "base.docx")
    report = build(seed_workspace, formats=["docx"])
    assert report.problems == []
    assert (seed_workspace / "output" / "2023" / f"{UNIT_NAME}.docx").read_bytes() == before
    assert {s.value for _, s in report.written} == {"unchanged"}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def word_saved(renames: dict[str, str], drop: str = "") -> bytes:
    """The built-in base as a Chinese Word saves it: style ids renamed, names kept."""
    parts = read_docx_parts_from(builtin_base_sample())
    for name in list(parts):
        if name.startswith("word/") and name.endswith(".xml"):
            text = parts[name].decode("utf-8")
            for old, new in renames.items():
                text = re.sub(
                    rf'(w:styleId=|<w:(?:pStyle|rStyle|basedOn|next|link) w:val=)"{old}"',
                    rf'\1"{new}"',
                    text,
                )
            if drop:
                text = re.sub(
                    rf'<w:style [^>]*w:styleId="{drop}".*?</w:style>', "", text, flags=re.S
                )
            parts[name] = text.encode("utf-8")
    return rezip(parts)


def read_docx_parts_from(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def test_a_base_document_saved_by_a_chinese_word_keeps_its_styles(
    seed_workspace: Path, tmp_path: Path
) -> None:
    base = seed_workspace / "templates" / "base.docx"
    base.parent.mkdir()
    base.write_bytes(
        word_saved({"Title": "a3", "Heading1": "1", "Heading2": "2", "Signature": "a5"})
    )
    report = build(seed_workspace, formats=["docx"])
    assert report.problems == []
    opened = docx.Document(str(seed_workspace / "output" / "2023" / f"{UNIT_NAME}.docx"))
    styles = {(p.style.style_id, p.style.name) for p in opened.paragraphs}
    assert ("Title", "Title") in styles and ("Heading1", "Heading 1") in styles
    assert ("Heading2", "Heading 2") in styles
    raw = read_docx_parts_from(
        (seed_workspace / "output" / "2023" / f"{UNIT_NAME}.docx").read_bytes()
    )
    assert b'w:styleId="a3"' not in raw["word/styles.xml"]


def test_a_base_document_without_a_needed_style_is_refused_in_chinese(tmp_path: Path) -> None:
    base = tmp_path / "base.docx"
    base.write_bytes(word_saved({}, drop="Signature"))
    with pytest.raises(ZpgenError) as caught:
        load_workspace_base(base)
    assert "参考文档缺少 zpgen 需要的样式：签名（Signature，落款）" in str(caught.value)
    base.write_text("不是 Word 文档", encoding="utf-8")
    with pytest.raises(ZpgenError, match=r"不是 \.docx 文件"):
        load_workspace_base(base)


def test_data_stays_inert_and_unescaped_in_overrides(seed_workspace: Path) -> None:
    """Printed data is neither HTML-escaped nor able to make a heading, in any template."""
    project = seed_workspace / "data" / "2023" / SEED_UNIT / "01-数据系统维护费.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(
        text.replace("偏离原因: 由于", "偏离原因: |-\n  # A&B <项目> 'x'\n  由于", 1),
        encoding="utf-8",
    )
    write_tree(
        seed_workspace / "templates",
        {
            "body.j2": '{% extends "builtin/body.j2" %}\n'
            "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}\n"
            "{% block deviation %}{{ super() }}\n{{ twice('&') }}\n{% endblock %}\n"
        },
    )
    lines = built_text(seed_workspace, P1).splitlines()
    start = lines.index("偏离绩效目标的原因：# A&B <项目> 'x'")
    assert lines[start + 1].startswith("由于2023年5月"), "a new line in data: a plain paragraph"
    assert "&&" in lines


def test_a_misspelt_attribute_is_named_in_chinese_with_what_was_meant(seed_workspace: Path) -> None:
    write_tree(
        seed_workspace / "templates",
        {"project.j2": "{{ unit.finance_authorty }}\n{{ projct.data.name }}\n"},
    )
    report = build(seed_workspace, formats=["txt"])
    messages = {p.message for p in report.problems}
    assert (
        "Unit 没有属性“finance_authorty”：是不是“finance_authority”？（模板 templates/project.j2:1）。"
        in {m.replace(str(seed_workspace) + "/", "") for m in messages}
    )
