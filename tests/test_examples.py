"""The example workspaces under examples/, built from the repository's data into tmp_path."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from zpgen.builder import build
from zpgen.model.workspace import load_workspace

from .conftest import ROOT, UNIT_NAME, assert_golden, invoke_zpgen

EXAMPLES = ROOT / "examples"
P1 = "数据系统维护费专项资金"


@pytest.mark.parametrize("example", ["override-block", "eight-sections"])
def test_example_reports_match_their_golden_files(
    example: str, tmp_path: Path, update_golden: bool
) -> None:
    report = build(EXAMPLES / example, out=tmp_path, formats=["txt"])
    assert report.problems == []
    for name in (f"{UNIT_NAME}.txt", f"{UNIT_NAME}/{P1}.txt"):
        text = (tmp_path / "2023" / name).read_text(encoding="utf-8")
        assert_golden(text, f"examples/{example}/{name}", update_golden)


def test_the_override_example_adds_one_paragraph_to_the_built_in_report(
    tmp_path: Path, built_seed: Path
) -> None:
    build(EXAMPLES / "override-block", out=tmp_path / "override", formats=["txt"])
    name = f"2023/{UNIT_NAME}/{P1}.txt"
    ours = (tmp_path / "override" / name).read_text(encoding="utf-8").splitlines()
    builtin = (built_seed / "output" / name).read_text(encoding="utf-8").splitlines()
    assert ours == [*builtin, "本报告经单位党组会议审定，自评结果及时报送区财政备案。"]


def test_the_eight_section_outline(tmp_path: Path) -> None:
    build(EXAMPLES / "eight-sections", out=tmp_path, formats=["txt"])
    lines = (tmp_path / "2023" / f"{UNIT_NAME}.txt").read_text(encoding="utf-8").splitlines()
    sections = [line for line in lines if line[:2] in {f"{n}、" for n in "一二三四五六七八"}]
    assert sections == 3 * [
        "一、项目基本情况",
        "二、项目绩效自评工作开展情况",
        "三、项目绩效实现情况",
        "四、绩效目标未完成原因和下一步改进措施",
        "五、绩效自评结果",
        "六、结果公开情况和应用打算",
        "七、绩效自评工作的经验、问题和建议",
        "八、其他需说明的问题",
    ]
    assert lines[-2:] == [UNIT_NAME, "2024年4月"]


def test_the_custom_base_document_gives_fonts_spacing_and_header(tmp_path: Path) -> None:
    report = build(EXAMPLES / "custom-base", out=tmp_path, formats=["docx"])
    assert report.problems == []
    opened = docx.Document(str(tmp_path / "2023" / f"{UNIT_NAME}.docx"))
    section = opened.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["绩效自评报告（送审稿）"]
    normal = opened.styles["Normal"]
    assert normal.paragraph_format.line_spacing.pt == 28
    east_asia = normal.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "仿宋"
    used = {p.style.style_id for p in opened.paragraphs}
    assert {"Title", "Heading1", "Heading2", "Heading3"} <= used
    assert [round(m.mm) for m in (section.top_margin, section.left_margin)] == [37, 28]


def test_the_custom_base_document_is_what_its_script_makes(tmp_path: Path) -> None:
    script = EXAMPLES / "custom-base" / "make_base.py"
    copy = tmp_path / "make_base.py"
    copy.write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "templates").mkdir()
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True)
    committed = EXAMPLES / "custom-base" / "templates" / "base.docx"
    made = tmp_path / "templates" / "base.docx"
    assert (
        hashlib.sha256(made.read_bytes()).digest()
        == hashlib.sha256(committed.read_bytes()).digest()
    )


def test_templates_list_in_the_override_example() -> None:
    result = invoke_zpgen("templates", "list", cwd=EXAMPLES / "override-block")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "body.j2               工作区，替换内置的，扩展 builtin/body.j2  templates/body.j2"
    )
    assert lines[1] == "    块：result_use"
    assert "project.j2            内置" in lines
    assert lines[-1] == "base.docx             内置"


@pytest.mark.parametrize("example", ["override-block", "eight-sections", "custom-base"])
def test_an_examples_data_is_the_seeds(example: str) -> None:
    """Each example holds its own copy of the seed's unit (a workspace reads only its own
    files): the same data as data/, but for the schema line's path (and, in eight-sections, each
    project's 经验与建议, which its outline's section 七 prints)."""
    ours = EXAMPLES / example / "data"
    files = sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*.yaml"))
    assert sorted(p.relative_to(ours) for p in ours.rglob("*.yaml")) == files
    for name in files:
        seed = (ROOT / "data" / name).read_text(encoding="utf-8").splitlines()
        copy = (ours / name).read_text(encoding="utf-8").splitlines()
        if example == "eight-sections" and name.name != "unit.yaml":
            assert copy[-1].startswith("经验与建议: 通过绩效自评")
            copy = copy[:-1]
        assert copy[1:] == seed[1:] and copy[0] == seed[0].replace("../../../", "../../../../../")


# The examples of the built-in layouts and outlines: workspaces with data of their own and
# settings, no templates.
BUILT_IN = {
    "ten-ninety": "10+90",
    "twenty-eighty": "20+80",
    "transfer-payment": "转移支付",
    "eight-sections": "八部分",
    "seven-sections": "七部分",
    "conclusion-first": "结论先行",
    "unit-report": "多项目",
}


@pytest.mark.parametrize(("example", "choice"), BUILT_IN.items())
def test_each_built_in_layout_and_outline_is_chosen_by_a_setting_alone(
    example: str, choice: str
) -> None:
    workspace = EXAMPLES / example
    assert not (workspace / "templates").exists()
    settings = load_workspace(workspace).config.settings
    assert choice in (settings.layout, settings.outline)


@pytest.mark.parametrize("example", [e for e in BUILT_IN if e != "eight-sections"])
def test_the_built_in_examples_match_their_golden_files(
    example: str, tmp_path: Path, update_golden: bool
) -> None:
    report = build(EXAMPLES / example, out=tmp_path, formats=["txt"])
    assert report.problems == []
    written = sorted(tmp_path.rglob("*.txt"))
    assert written
    for path in written:
        name = path.relative_to(tmp_path / "2023").as_posix()
        assert_golden(path.read_text(encoding="utf-8"), f"examples/{example}/{name}", update_golden)


def test_the_built_in_examples_build_as_docx(tmp_path: Path) -> None:
    """Every example of a layout or outline builds its .docx files, and checks clean."""
    for example in BUILT_IN:
        report = build(EXAMPLES / example, out=tmp_path / example, formats=["docx"])
        assert report.problems == [], example
        assert list((tmp_path / example).rglob("*.docx")), example
