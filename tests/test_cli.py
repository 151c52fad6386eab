"""The `zpgen` command on real workspaces: in this process, and (for the wiring: the exit status,
stdout against stderr) as a process of its own."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import SEED_UNIT, UNIT_NAME, ZPGEN, invoke_zpgen, run_zpgen, write_tree

# ``zpgen --help`` below its usage line (which names the program as it was started)
HELP = """
  zpgen：由 YAML 项目数据生成项目支出绩效自评报告（.docx 与 .txt）。

选项：
  --version       显示版本号后退出。
  --lang <zh|en>  提示信息的语言：zh（默认）或 en；不指定时依系统语言环境。
  --help          显示这份帮助后退出。

命令：
  build      生成自评报告。
  check      检查数据，不写文件。
  summary    写出各项目的汇总表（.xlsx）。
  schema     为编辑器写出 JSON Schema。
  init       新建一个工作区。
  totext     把 .docx 显示为文字（供 git diff）。
  new-year   从上一年的数据开始新一年。
  import     把往年的报告读成数据。
  templates  列出或复制模板。
"""


def test_version_and_help(tmp_path: Path) -> None:
    version = run_zpgen("--version", cwd=tmp_path)
    assert (version.returncode, version.stdout, version.stderr) == (0, "zpgen 0.1.0\n", "")
    shown = invoke_zpgen("--help", cwd=tmp_path)
    assert (shown.returncode, shown.stderr) == (0, "")
    usage, rest = shown.stdout.split("\n", 1)
    assert usage.startswith("用法：") and usage.endswith(" [选项] 命令 [参数]...")
    assert rest == HELP


def test_build_without_path_builds_data_and_then_reports_unchanged(seed_workspace: Path) -> None:
    first = invoke_zpgen("build", "--format", "txt", cwd=seed_workspace)
    assert first.returncode == 0, first.stderr
    assert f"新建  output/2023/{UNIT_NAME}.txt" in first.stdout
    assert f"新建  output/2023/{UNIT_NAME}_自评表.txt" in first.stdout
    # 3 project reports, 3 自评表 beside them, the combined report and the combined 自评表
    assert first.stdout.strip().endswith("完成：新建 8，更新 0，未变 0，失败 0。")
    second = invoke_zpgen("build", "--format", "txt", cwd=seed_workspace)
    assert second.stdout.strip().endswith("完成：新建 0，更新 0，未变 8，失败 0。")


def test_build_one_project_file_writes_only_that_project(
    seed_workspace: Path, tmp_path: Path
) -> None:
    project = (
        seed_workspace / "data" / "2023" / SEED_UNIT / "02-企业离休人员第十三月基本离休费.yaml"
    )
    out = tmp_path / "out"
    result = invoke_zpgen("build", str(project), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        ".zpgen-build.json",
        f"2023/{UNIT_NAME}/企业离休人员第十三月基本离休费专项资金.docx",
        f"2023/{UNIT_NAME}/企业离休人员第十三月基本离休费专项资金.txt",
        f"2023/{UNIT_NAME}/企业离休人员第十三月基本离休费专项资金_自评表.docx",
        f"2023/{UNIT_NAME}/企业离休人员第十三月基本离休费专项资金_自评表.txt",
    ]


def test_a_bad_project_is_reported_and_the_others_are_built(seed_workspace: Path) -> None:
    unit = seed_workspace / "data" / "2023" / SEED_UNIT
    bad = unit / "01-数据系统维护费.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("全年执行数: 8.56", "全年执行数: 八点五六", 1),
        encoding="utf-8",
    )
    result = run_zpgen("build", "-f", "txt", cwd=seed_workspace)
    assert result.returncode == 1
    assert result.stderr == (
        f"错误：{bad.relative_to(seed_workspace).as_posix()}:6:1 [全年执行数]: “全年执行数”应为金额"
        "（万元），只用数字和最多一个小数点，如 8.56，而不是“八点五六”。\n"
    )
    assert result.stdout.splitlines()[-3:] == [
        f"失败  data/2023/{SEED_UNIT}/01-数据系统维护费.yaml",
        f"失败  data/2023/{SEED_UNIT}",
        "完成：新建 4，更新 0，未变 0，失败 2。",
    ], "the files on stdout, the problems on stderr"
    out = seed_workspace / "output" / "2023"
    assert not (out / f"{UNIT_NAME}.txt").exists(), "no combined report while a project failed"
    assert (out / UNIT_NAME / "企业离休人员第十三月基本离休费专项资金.txt").exists()
    assert not (out / UNIT_NAME / "数据系统维护费专项资金.txt").exists()


def test_a_path_outside_any_workspace_is_a_clear_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"loose.yaml": "项目名称: x\n"})
    result = invoke_zpgen("build", "loose.yaml", cwd=tmp_path)
    assert result.returncode == 2, "a path outside a workspace is a usage error"
    assert (result.stdout, result.stderr) == (
        "",
        "错误：loose.yaml: 这里没有工作区：这个文件夹及其上级文件夹都没有 zpgen.yaml 或 data/ 文件夹。"
        "要新建工作区，请在这里运行 zpgen init（或 zpgen init 文件夹名）；或者先进入已有工作区的文件夹。\n",
    )


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (("build", "--froce"), "错误：没有 --froce 这个选项：是不是 --force？"),
        (("biuld",), "错误：没有“biuld”这个命令：是不是“build”？"),
        (("build", "--jobs", "x"), "错误：--jobs / -j 的值不对：应为整数。"),
        (("build", "--jobs", "0"), "错误：--jobs / -j 的值不对：应不小于 1。"),
        (("totext",), "错误：缺少文件：命令行上必须写它。"),
        (("templates", "copy", "body.j2", "x.j2"), "错误：多出了参数：x.j2。"),
        (("--lang", "fr", "check"), "错误：--lang 的值不对：“fr”不在 zh，en 之中。"),
        (("new-year", "abc"), "错误：年度的值不对：应为整数。"),
    ],
)
def test_usage_errors_are_told_in_chinese_and_exit_2(
    args: tuple[str, ...], first_line: str, tmp_path: Path
) -> None:
    result = run_zpgen(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == first_line
    assert lines[1].startswith("用法：zpgen ")
    assert lines[2].startswith("运行 zpgen") and lines[2].endswith("--help 查看它的用法。")


@pytest.mark.parametrize("args", [(), ("templates",)])
def test_a_command_group_alone_prints_its_help(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run_zpgen(*args, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("用法：zpgen ") and "命令：" in result.stdout


def test_a_reader_that_goes_away_ends_zpgen_quietly(tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # as `zpgen … | head -1` is once head has its line: every write fails
    try:
        result = subprocess.run(
            [*ZPGEN, "check", "--list-rules"],
            cwd=tmp_path,
            stdout=writer,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            timeout=60,
        )
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr.decode()) == (1, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("new-year", "24"), "错误：zpgen: 24 不是预算年度：请用四位数字写年份，如 2024。"),
        (("new-year", "20245"), "错误：zpgen: 20245 不是预算年度：请用四位数字写年份，如 2023。"),
        (
            ("new-year", "2025", "--from", "24"),
            "错误：zpgen: --from 24 不是预算年度：请用四位数字写年份，如 2024。",
        ),
        (
            ("import", "x.txt", "--year", "23"),
            "错误：zpgen: --year 23 不是预算年度：请用四位数字写年份，如 2023。",
        ),
    ],
)
def test_a_year_is_written_in_four_digits(
    args: tuple[str, ...], message: str, seed_workspace: Path
) -> None:
    (seed_workspace / "x.txt").write_text("报告", encoding="utf-8")
    result = run_zpgen(*args, cwd=seed_workspace)
    assert (result.returncode, result.stderr) == (2, message + "\n")


def test_an_option_without_its_value(tmp_path: Path) -> None:
    result = run_zpgen("init", "--year", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "错误：--year 后面要写一个值。\n")
    assert not any(tmp_path.iterdir()), "nothing made"


def test_usage_errors_in_english(tmp_path: Path) -> None:
    result = run_zpgen("build", "--froce", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: There is no option --froce: did you mean --force?",
        "Usage: zpgen build [OPTIONS] [PATHS]...",
        "Run zpgen build --help to see what it takes.",
    ]


def test_help_has_no_english_left_in_chinese(tmp_path: Path) -> None:
    for args in (("--help",), ("build", "--help"), ("check", "--help"), ("templates", "--help")):
        text = run_zpgen(*args, cwd=tmp_path).stdout
        for english in ("Usage", "Options", "Arguments", "Commands", "Show this message", "<int"):
            assert english not in text, (args, english)
    listing = run_zpgen("--help", cwd=tmp_path).stdout
    assert "  init       新建一个工作区。\n" in listing, "no command's line is cut short"
