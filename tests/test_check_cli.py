"""`zpgen check` and `zpgen schema` through the real command: output, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import SEED_UNIT
from .conftest import run_zpgen as zpgen


def make_warning(workspace: Path) -> Path:
    project = workspace / "data" / "2023" / SEED_UNIT / "01-数据系统维护费.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("实际维护了18个", "实际维护了XX个", 1), encoding="utf-8")
    return project


def test_clean_data_exit_0_and_say_so(seed_workspace: Path) -> None:
    result = zpgen("check", cwd=seed_workspace)
    assert (result.returncode, result.stdout) == (0, "检查了 3 个项目文件：错误 0，警告 0。\n")
    assert not (seed_workspace / "output").exists(), "check writes nothing"


def test_json_for_ci_and_editors(seed_workspace: Path) -> None:
    make_warning(seed_workspace)
    result = zpgen("check", "--format", "json", "--lang", "en", cwd=seed_workspace)
    assert result.returncode == 0, "a warning alone does not fail"
    assert json.loads(result.stdout) == {
        "problems": [
            {
                "file": "data/2023/渌口区人社局/01-数据系统维护费.yaml",
                "line": 26,
                "column": 130,
                "key": "绩效指标[0].完成情况",
                "severity": "warning",
                "rule": "placeholder",
                "message": "“XX” looks like a placeholder left in: write the real text.",
            }
        ],
        "errors": 0,
        "warnings": 1,
        "projects": 3,
    }


def test_strict_turns_warnings_into_errors(seed_workspace: Path) -> None:
    make_warning(seed_workspace)
    result = zpgen("check", "--strict", cwd=seed_workspace)
    assert result.returncode == 1
    assert result.stdout.startswith("错误：data/2023/渌口区人社局/01-数据系统维护费.yaml:26:130")
    build = zpgen("build", "--strict", "-f", "txt", cwd=seed_workspace)
    assert build.returncode == 1
    written = sorted(p.name for p in (seed_workspace / "output").rglob("*.txt"))
    assert written == [
        "事业单位工作人员招聘考试经费专项资金.txt",
        "事业单位工作人员招聘考试经费专项资金_自评表.txt",
        "企业离休人员第十三月基本离休费专项资金.txt",
        "企业离休人员第十三月基本离休费专项资金_自评表.txt",
    ], "neither the project with the warning (nor its 自评表) nor the unit's combined report"


def test_usage_errors_exit_2(seed_workspace: Path, tmp_path: Path) -> None:
    missing = zpgen("check", "data/2099", cwd=seed_workspace)
    assert missing.returncode == 2
    assert missing.stderr == "错误：data/2099: 文件或文件夹不存在。\n"
    assert zpgen("check", "--format", "xml", cwd=seed_workspace).returncode == 2
    assert zpgen("check", cwd=tmp_path).returncode == 2, "not in a workspace"
    assert zpgen("build", "--format", "odt", cwd=seed_workspace).returncode == 2


def test_one_project_file_is_checked_with_its_unit(seed_workspace: Path) -> None:
    project = make_warning(seed_workspace)
    result = zpgen("check", str(project), cwd=seed_workspace / "data")
    assert result.returncode == 0
    assert result.stdout.endswith("检查了 1 个项目文件：错误 0，警告 1。\n")


def test_list_rules(tmp_path: Path) -> None:
    lines = zpgen("check", "--list-rules", "--lang", "en", cwd=tmp_path).stdout.splitlines()
    assert lines[0].split() == [
        "fund-sources-sum",
        "error",
        "The",
        "fund",
        "sources",
        "(资金来源)",
        "do",
        "not",
        "add",
        "up",
        "to",
        "the",
        "totals.",
    ]
    assert len(lines) >= 12


def test_schema_writes_both_schemas(tmp_path: Path) -> None:
    first = zpgen("schema", "--out", "schemas", cwd=tmp_path)
    assert first.stdout == "新建  schemas/project.schema.json\n新建  schemas/unit.schema.json\n"
    again = zpgen("schema", "--out", "schemas", cwd=tmp_path)
    assert again.stdout == "未变  schemas/project.schema.json\n未变  schemas/unit.schema.json\n"
