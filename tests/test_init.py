"""zpgen init: a workspace a new user can build at once, and never over their files."""

from __future__ import annotations

from pathlib import Path

import pytest

from zpgen.builder import build
from zpgen.commands.init import init_workspace
from zpgen.errors import ZpgenError
from zpgen.model.schema import DEFAULT_SETTINGS, Settings
from zpgen.model.workspace import load_workspace

from .conftest import invoke_zpgen

FILES = [
    "zpgen.yaml",
    "templates/README.md",
    ".gitignore",
    ".gitattributes",
    "data/2023/示例单位/unit.yaml",
    "data/2023/示例单位/01-示例项目.yaml",
]


def test_init_creates_a_workspace_that_builds(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    report = init_workspace(workspace, year=2023)
    assert [p.relative_to(workspace).as_posix() for p in report.created] == FILES
    space = load_workspace(workspace)
    assert (space.data, space.out, space.templates) == (
        workspace / "data",
        workspace / "output",
        workspace / "templates",
    )
    assert space.formats == ("docx", "txt") and space.base_document is None
    built = build(workspace)
    assert built.problems == []
    assert len(built.written) == 4
    text = (workspace / "output" / "2023" / "示例市示例区示例局.txt").read_text(encoding="utf-8")
    assert "根据预算绩效管理要求，2024年4月" in text
    assert "因此年终调减预算1.5万元" in text
    # the example has every 分值, so turning on the 自评表 works at once
    tables = build(workspace, formats=["txt"], overrides=["自评表=单独文件"])
    assert tables.problems == []
    table = (
        workspace
        / "output"
        / "2023"
        / "示例市示例区示例局"
        / "办公业务系统运行维护专项资金_自评表.txt"
    )
    assert "|  95.83   |" in table.read_text(encoding="utf-8")


def test_zpgen_yaml_lists_every_setting_with_its_default(tmp_path: Path) -> None:
    init_workspace(tmp_path, year=2023)
    config = (tmp_path / "zpgen.yaml").read_text(encoding="utf-8")
    for name, info in Settings.model_fields.items():
        assert f"{info.alias or name}:" in config
    assert "  三级标题编号: 否  # 三级标题是否编号“1.”：是或否（默认：否）" in config
    assert "  自评表: 不生成  # " in config and "  反向指标计分: 按超出比例  # " in config
    assert load_workspace(tmp_path).config.settings == DEFAULT_SETTINGS, "read back as written"
    assert "#   自评方式: 组织了相关业务股室" in config


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("mine\n", encoding="utf-8")
    with pytest.raises(ZpgenError) as caught:
        init_workspace(tmp_path, year=2023)
    assert [p.file for p in caught.value.problems] == [tmp_path / ".gitignore"]
    assert "不覆盖已有的文件" in caught.value.problems[0].message
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore"]
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "mine\n"


def test_init_in_a_folder_with_data_adds_no_example(seed_workspace: Path) -> None:
    report = init_workspace(seed_workspace, year=2023)
    assert report.skipped_example
    assert not (seed_workspace / "data" / "2023" / "示例单位").exists()
    assert build(seed_workspace, formats=["txt"]).problems == []


def test_init_command(tmp_path: Path) -> None:
    result = invoke_zpgen("init", "新工作区", "--year", "2022", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "新建  新工作区/data/2022/示例单位/01-示例项目.yaml" in result.stdout
    assert 'git config diff.zpgen.textconv "zpgen totext"' in result.stdout
    again = invoke_zpgen("init", "新工作区", cwd=tmp_path)
    assert again.returncode == 1 and "不覆盖已有的文件" in again.stderr
