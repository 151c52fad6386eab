"""Keeping reports in git: totext, and git diff of a changed .docx in a real repository."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from zpgen.commands.totext import docx_text
from zpgen.errors import ZpgenError

from .conftest import UNIT_NAME, ZPGEN, assert_golden, invoke_zpgen, run_zpgen


def test_totext_is_the_txt_twin_without_blank_lines(built_seed: Path) -> None:
    out = built_seed / "output" / "2023"
    reports = [p for p in sorted(out.rglob("*.docx")) if not p.stem.endswith("_自评表")]
    assert len(reports) == 4
    for report in reports:
        twin = report.with_suffix(".txt").read_text(encoding="utf-8")
        assert docx_text(report) == "".join(f"{line}\n" for line in twin.splitlines() if line)


def test_totext_of_a_self_table_is_a_line_per_row(built_seed: Path, update_golden: bool) -> None:
    """The .txt draws the 自评表 as a grid, for reading; totext gives a line per table row,
    so that git diff shows a changed cell as one changed line."""
    table = built_seed / "output" / "2023" / UNIT_NAME / "数据系统维护费专项资金_自评表.docx"
    assert_golden(docx_text(table), "totext/数据系统维护费专项资金_自评表.txt", update_golden)


def test_totext_shows_tables_row_by_row_and_any_word_document(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("项目支出绩效自评表")
    table = document.add_table(rows=3, cols=3)
    cells = [
        ["一级指标", "二级指标", "得分"],
        ["产出指标", "数量指标", "20"],
        ["", "质量指标", "10"],
    ]
    for row, values in zip(table.rows, cells, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # 产出指标 spans two rows
    document.add_paragraph("A&B <项目>\t制表")
    path = tmp_path / "表.docx"
    document.save(str(path))
    assert docx_text(path) == (
        "项目支出绩效自评表\n"
        "一级指标 | 二级指标 | 得分\n"
        "产出指标 | 数量指标 | 20\n"
        " | 质量指标 | 10\n"
        "A&B <项目>\t制表\n"
    )


def test_totext_refuses_what_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_text("plain", encoding="utf-8")
    with pytest.raises(ZpgenError, match="不是"):
        docx_text(path)
    result = invoke_zpgen("totext", str(path), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "错误：x.docx: 不是 .docx 文件（Word 文档）：请在 Word 中另存为 .docx。\n"
    )


def test_totext_command_prints_utf8(built_seed: Path, tmp_path: Path) -> None:
    report = built_seed / "output" / "2023" / f"{UNIT_NAME}.docx"
    # a Chinese Windows console's encoding: totext writes UTF-8 whatever it is
    result = run_zpgen("totext", str(report), cwd=tmp_path, env={"PYTHONIOENCODING": "gbk"})
    assert (result.returncode, result.stdout, result.stderr) == (0, docx_text(report), "")


def git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "财务股",
        "GIT_AUTHOR_EMAIL": "cw@example.com",
        "GIT_COMMITTER_NAME": "财务股",
        "GIT_COMMITTER_EMAIL": "cw@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(cwd),
    }
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, env=env, check=True, text=True
    )
    return result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_of_a_changed_docx_shows_the_changed_sentence(tmp_path: Path) -> None:
    """As the guide tells a new user: init, build, commit, edit, build, diff, commit."""
    workspace = tmp_path / "绩效自评"
    assert invoke_zpgen("init", str(workspace), "--year", "2023", cwd=tmp_path).returncode == 0
    assert invoke_zpgen("build", cwd=workspace).returncode == 0
    git("init", "-q", cwd=workspace)
    textconv = shlex.join([*ZPGEN, "totext"])  # "zpgen totext" when on PATH
    git("config", "diff.zpgen.textconv", textconv, cwd=workspace)
    git("config", "core.quotePath", "false", cwd=workspace)
    git("add", ".", cwd=workspace)
    git("commit", "-q", "-m", "初始化", cwd=workspace)
    assert git("status", "--porcelain", cwd=workspace) == "", "the bookkeeping is ignored"

    project = workspace / "data" / "2023" / "示例单位" / "01-示例项目.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("明显缩短", "缩短了一半"), encoding="utf-8")
    result = invoke_zpgen("build", cwd=workspace)
    assert "完成：新建 0，更新 4，未变 0，失败 0。" in result.stdout

    diff = git("diff", "--", "*.docx", cwd=workspace)
    assert diff.count("-社会效益指标：系统稳定运行，群众办事等待时间明显缩短。") == 2
    assert diff.count("+社会效益指标：系统稳定运行，群众办事等待时间缩短了一半。") == 2
    assert "Binary files" not in diff
    changed = git("diff", "--name-only", cwd=workspace).split()
    assert len(changed) == 5, "the project file and its two reports in two formats"
    git("commit", "-q", "-am", "改写社会效益", cwd=workspace)
    assert invoke_zpgen("build", cwd=workspace).returncode == 0
    assert git("status", "--porcelain", cwd=workspace) == "", "a rebuild changes nothing in git"
