"""zpgen.yaml and the order in which settings resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from zpgen.builder import build
from zpgen.errors import ZpgenError
from zpgen.load.sources import find_workspace
from zpgen.model.schema import DEFAULT_SETTINGS, Unit
from zpgen.model.workspace import load_workspace, parse_overrides

from .conftest import SEED_UNIT, UNIT_NAME

NUMBERED = "1.项目资金到位情况分析。"
PLAIN = "项目资金到位情况分析。"
P1_FILE = "01-数据系统维护费.yaml"


def numbered(workspace: Path, *, overrides: tuple[str, ...] = ()) -> dict[str, bool]:
    """For each narrative report (not the 自评表 files): are its level-3 headings numbered?"""
    report = build(workspace, formats=["txt"], overrides=overrides, force=True)
    assert report.problems == []
    out = workspace / "output" / "2023"
    result = {}
    for path in sorted(p for p in out.rglob("*.txt") if not p.stem.endswith("_自评表")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert (NUMBERED in lines) != (PLAIN in lines)
        result[path.relative_to(out).as_posix()] = NUMBERED in lines
    return result


def set_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_settings_resolve_defaults_workspace_unit_project_command_line(
    seed_workspace: Path,
) -> None:
    unit = seed_workspace / "data" / "2023" / SEED_UNIT
    unit_file = unit / "unit.yaml"
    p1 = f"{UNIT_NAME}/数据系统维护费专项资金.txt"

    set_line(unit_file, "  三级标题编号: 否\n", "")  # 设置 keeps the seed's 自评表 line
    assert set(numbered(seed_workspace).values()) == {False}, "the built-in default: 否"

    (seed_workspace / "zpgen.yaml").write_text("设置:\n  三级标题编号: 是\n", encoding="utf-8")
    assert set(numbered(seed_workspace).values()) == {True}, "zpgen.yaml over the default"

    set_line(unit_file, "设置:\n", "设置:\n  三级标题编号: 否\n")
    assert set(numbered(seed_workspace).values()) == {False}, "unit.yaml over zpgen.yaml"

    project = unit / P1_FILE
    project.write_text(
        project.read_text(encoding="utf-8") + "设置:\n  三级标题编号: 是\n", encoding="utf-8"
    )
    result = numbered(seed_workspace)
    assert result.pop(p1) is True, "the project file over unit.yaml"
    assert set(result.values()) == {False}

    everything = numbered(seed_workspace, overrides=("三级标题编号=否",))
    assert set(everything.values()) == {False}, "the command line over everything"
    everything = numbered(seed_workspace, overrides=("number_level3=是",))
    assert set(everything.values()) == {True}, "English keys on the command line too"


def test_phrases_resolve_in_the_same_order(seed_workspace: Path) -> None:
    unit_file = seed_workspace / "data" / "2023" / SEED_UNIT / "unit.yaml"
    set_line(unit_file, "  结果应用: 更好的管理和使用项目资金\n", "")
    (seed_workspace / "zpgen.yaml").write_text(
        "措辞:\n  结果应用: 改进下一年度的预算编制\n", encoding="utf-8"
    )
    build(seed_workspace, formats=["txt"])
    text = (seed_workspace / "output" / "2023" / f"{UNIT_NAME}.txt").read_text(encoding="utf-8")
    assert text.count("评价中，改进下一年度的预算编制；") == 3


def test_zpgen_yaml_names_the_folders_and_formats(tmp_path: Path, seed_workspace: Path) -> None:
    (seed_workspace / "data").rename(seed_workspace / "共享数据")
    (seed_workspace / "zpgen.yaml").write_text(
        "数据文件夹: 共享数据\n输出文件夹: 报告\n输出格式: txt\n", encoding="utf-8"
    )
    assert find_workspace(seed_workspace) == seed_workspace.resolve()
    report = build(seed_workspace)
    assert report.problems == []
    written = sorted(p.name for p, _ in report.written)
    # three projects and the unit, each a report and a 自评表 (the seed's 自评表: 单独文件)
    assert all(name.endswith(".txt") for name in written) and len(written) == 8
    assert (seed_workspace / "报告" / "2023" / f"{UNIT_NAME}.txt").is_file()
    # the command line over zpgen.yaml
    report = build(seed_workspace, out=tmp_path / "elsewhere", formats=["docx"])
    assert {p.suffix for p, _ in report.written} == {".docx"}
    assert (tmp_path / "elsewhere" / "2023" / f"{UNIT_NAME}.docx").is_file()


@pytest.mark.parametrize("text", ["", "\n\n", "# 工作区设置，暂时都用默认值\n"])
def test_an_empty_zpgen_yaml_means_every_default(seed_workspace: Path, text: str) -> None:
    (seed_workspace / "zpgen.yaml").write_text(text, encoding="utf-8")
    space = load_workspace(seed_workspace)
    assert space.data == seed_workspace.resolve() / "data"
    assert space.out == seed_workspace.resolve() / "output"
    report = build(seed_workspace)
    assert report.problems == [] and len(report.written) == 16


def test_zpgen_yaml_problems_name_the_file_line_and_key(seed_workspace: Path) -> None:
    config = seed_workspace / "zpgen.yaml"
    config.write_text("输出格式: [txt, odt]\n设置:\n  三级编号: 是\n", encoding="utf-8")
    with pytest.raises(ZpgenError) as caught:
        load_workspace(seed_workspace)
    messages = [str(p).replace(str(seed_workspace), "") for p in caught.value.problems]
    assert messages == [
        "/zpgen.yaml:1:1 [输出格式]: “输出格式”应为 txt、docx、pdf，不认识 odt。",
        "/zpgen.yaml:3:3 [设置.三级编号]: 未知的键“三级编号”：是不是“三级标题编号”？",
    ]


def test_a_missing_base_document_is_named(seed_workspace: Path) -> None:
    (seed_workspace / "zpgen.yaml").write_text("参考文档: 样式.docx\n", encoding="utf-8")
    with pytest.raises(ZpgenError, match="找不到参考文档"):
        load_workspace(seed_workspace)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["三级标题编号"], "--set 的写法应为“键=值”"),
        (["三级编号=是"], "未知的键“三级编号”"),
        (["三级标题编号=也许"], "应为“是”或“否”"),
    ],
)
def test_command_line_settings_are_checked(items: list[str], message: str) -> None:
    with pytest.raises(ZpgenError, match=message):
        parse_overrides(items)


def test_layers_are_generic_over_the_settings_fields(seed_workspace: Path) -> None:
    """Every field of Settings resolves through the layers, whatever fields it has."""
    space = load_workspace(seed_workspace, overrides=["三级标题编号=是"])
    unit = Unit.model_validate(
        {"单位名称": "某局", "评价时间": "2024年4月", "财政部门": "区财政", "公开网站": "网"}
    )
    resolved = space.settings_for(unit)
    assert set(type(resolved).model_fields) == set(type(DEFAULT_SETTINGS).model_fields)
    assert resolved.number_level3 is True
