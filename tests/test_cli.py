"""The real `zpgen` command on real workspaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_zpgen as zpgen
from .conftest import write_tree

UNIT = "株洲市渌口区人力资源和社会保障局"


def test_version_and_help(tmp_path: Path) -> None:
    assert zpgen("--version", cwd=tmp_path).stdout.strip() == "zpgen 0.1.0"
    help_text = zpgen("--help", cwd=tmp_path).stdout
    assert "build" in help_text


def test_build_without_path_builds_data_and_then_reports_unchanged(seed_workspace: Path) -> None:
    first = zpgen("build", "--format", "txt", cwd=seed_workspace)
    assert first.returncode == 0, first.stderr
    assert f"新建  output/2023/{UNIT}.txt" in first.stdout
    assert f"新建  output/2023/{UNIT}_自评表.txt" in first.stdout
    # 3 project reports, 3 自评表 beside them, the combined report and the combined 自评表
    assert first.stdout.strip().endswith("完成：新建 8，更新 0，未变 0，失败 0。")
    second = zpgen("build", "--format", "txt", cwd=seed_workspace)
    assert second.stdout.strip().endswith("完成：新建 0，更新 0，未变 8，失败 0。")


def test_build_one_project_file_writes_only_that_project(
    seed_workspace: Path, tmp_path: Path
) -> None:
    project = (
        seed_workspace / "data" / "2023" / "渌口区人社局" / "02-企业离休人员第十三月基本离休费.yaml"
    )
    out = tmp_path / "out"
    result = zpgen("build", str(project), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        ".zpgen-build.json",
        f"2023/{UNIT}/企业离休人员第十三月基本离休费专项资金.docx",
        f"2023/{UNIT}/企业离休人员第十三月基本离休费专项资金.txt",
        f"2023/{UNIT}/企业离休人员第十三月基本离休费专项资金_自评表.docx",
        f"2023/{UNIT}/企业离休人员第十三月基本离休费专项资金_自评表.txt",
    ]


def test_a_bad_project_is_reported_and_the_others_are_built(seed_workspace: Path) -> None:
    unit = seed_workspace / "data" / "2023" / "渌口区人社局"
    bad = unit / "01-数据系统维护费.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("全年执行数: 8.56", "全年执行数: 八点五六", 1),
        encoding="utf-8",
    )
    result = zpgen("build", "-f", "txt", cwd=seed_workspace)
    assert result.returncode == 1
    assert result.stderr == (
        f"错误：{bad.relative_to(seed_workspace).as_posix()}:6:1 [全年执行数]: “全年执行数”应为金额"
        "（万元），只用数字和最多一个小数点，如 8.56，而不是“八点五六”。\n"
    )
    out = seed_workspace / "output" / "2023"
    assert not (out / f"{UNIT}.txt").exists(), "no combined report while a project failed"
    assert (out / UNIT / "企业离休人员第十三月基本离休费专项资金.txt").exists()
    assert not (out / UNIT / "数据系统维护费专项资金.txt").exists()


def test_a_path_outside_any_workspace_is_a_clear_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"loose.yaml": "项目名称: x\n"})
    result = zpgen("build", "loose.yaml", cwd=tmp_path)
    assert result.returncode == 2, "a path outside a workspace is a usage error"
    assert "这里没有工作区" in result.stderr


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (("build", "--froce"), "错误：没有 --froce 这个选项：是不是 --force？"),
        (("biuld",), "错误：没有“biuld”这个命令：是不是“build”？"),
        (("build", "--jobs", "x"), "错误：--jobs / -j 的值不对：应为整数。"),
        (("build", "--jobs", "0"), "错误：--jobs / -j 的值不对：应不小于 1。"),
        (("totext",), "错误：缺少 file。"),
    ],
)
def test_usage_errors_are_told_in_chinese_and_exit_2(
    args: tuple[str, ...], first_line: str, tmp_path: Path
) -> None:
    result = zpgen(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == first_line
    assert lines[1].startswith("用法：zpgen ")
    assert lines[2].startswith("运行 zpgen") and lines[2].endswith("--help 查看它的用法。")


def test_usage_errors_in_english(tmp_path: Path) -> None:
    result = zpgen("build", "--froce", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: There is no option --froce: did you mean --force?",
        "Usage: zpgen build [OPTIONS] [paths]...",
        "Run zpgen build --help to see what it takes.",
    ]


def test_help_has_no_english_left_in_chinese(tmp_path: Path) -> None:
    for args in (("--help",), ("build", "--help"), ("check", "--help"), ("templates", "--help")):
        text = zpgen(*args, cwd=tmp_path).stdout
        for english in ("Usage", "Options", "Arguments", "Commands", "Show this message", "<int"):
            assert english not in text, (args, english)
    listing = zpgen("--help", cwd=tmp_path).stdout
    assert "  init       新建一个工作区。\n" in listing, "no command's line is cut short"
