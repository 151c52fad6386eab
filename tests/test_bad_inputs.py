"""The corpus of bad inputs: each is explained exactly, and nothing is written or overwritten.

Each folder of ``tests/bad_inputs/`` holds one input file, at its place in a workspace
(``data/2023/渌口区人社局/01-数据系统维护费.yaml`` replaces the seed's project 1; a path the seed
has not adds a file), and ``expected.txt``: what ``zpgen check`` prints, then its exit code;
``expected.en.txt`` the same with ``--lang en``. The case runs in a copy of the seed's workspace
whose reports were built before: ``zpgen check`` (run in this process, through the command's
entry point; a few cases also as a process of their own), then a strict build, which must leave
every report as it was, byte for byte and untouched. ``pytest --update-golden`` rewrites the
expected files.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from zpgen.builder import build

from .conftest import invoke_zpgen, run_zpgen

CASES = sorted(p for p in (Path(__file__).parent / "bad_inputs").iterdir() if p.is_dir())
# The cases also run as the real command, a process of their own: one in Chinese and English
# that fails, one that only warns.
IN_A_PROCESS = ["01-yaml-tab-indent", "60-placeholder"]
RULE = re.compile(r"（规则 ([a-z0-9-]+)）$", re.MULTILINE)


@dataclass(frozen=True)
class Checked:
    """A case's workspace, and what ``zpgen check`` said in it (Chinese, and English if the case
    expects it), each as its expected file holds it."""

    workspace: Path
    said: str
    said_en: str | None


def said(result: subprocess.CompletedProcess[str]) -> str:
    """What a run of ``zpgen check`` printed, as an expected file holds it: stdout and the exit
    code (nothing may go to stderr)."""
    assert result.stderr == ""
    return f"{result.stdout}[exit {result.returncode}]\n"


def case_workspace(case: Path, built_seed: Path, root: Path) -> Path:
    """The built seed's workspace with the case's input file in it."""
    workspace = root / case.name
    shutil.copytree(built_seed, workspace)
    shutil.copytree(case / "data", workspace / "data", dirs_exist_ok=True)
    return workspace


@pytest.fixture(scope="module")
def checked(
    built_seed: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Path], Checked]:
    """A case's workspace and what ``zpgen check`` said in it, worked out once for the module
    (and only for the cases that are asked for)."""
    root = tmp_path_factory.mktemp("cases")

    @functools.cache
    def check(case: Path) -> Checked:
        workspace = case_workspace(case, built_seed, root)
        english = None
        if (case / "expected.en.txt").exists():
            english = said(invoke_zpgen("check", "--lang", "en", cwd=workspace))
        return Checked(workspace, said(invoke_zpgen("check", cwd=workspace)), english)

    return check


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below folder: its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def expect(actual: str, expected_file: Path, update: bool) -> None:
    if update:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(
    case: Path, built_seed: Path, checked: Callable[[Path], Checked], update_golden: bool
) -> None:
    found = checked(case)
    expect(found.said, case / "expected.txt", update_golden)
    if (case / "expected.en.txt").exists():
        assert found.said_en is not None
        expect(found.said_en, case / "expected.en.txt", update_golden)
    assert found.said.endswith(("[exit 1]\n", "[exit 0]\n")), (
        "a bad input is reported (1), or warned about (0), never a usage error"
    )

    report = build(found.workspace, strict=True)
    assert report.failed
    after = snapshot(found.workspace / "output")
    assert after == snapshot(built_seed / "output"), "no report written or overwritten"


@pytest.mark.parametrize("name", IN_A_PROCESS)
def test_the_real_command_says_the_same(name: str, built_seed: Path, tmp_path: Path) -> None:
    """The corpus runs in this process; the command, started as a user starts it, prints the
    same on stdout, nothing on stderr, and exits with the same code."""
    case = Path(__file__).parent / "bad_inputs" / name
    workspace = case_workspace(case, built_seed, tmp_path)
    assert said(run_zpgen("check", cwd=workspace)) == (case / "expected.txt").read_text("utf-8")
    if (case / "expected.en.txt").exists():
        english = said(run_zpgen("check", "--lang", "en", cwd=workspace))
        assert english == (case / "expected.en.txt").read_text("utf-8")


def test_every_rule_is_caught_by_a_case_and_every_case_by_zpgen(
    checked: Callable[[Path], Checked], tmp_path: Path
) -> None:
    """zpgen reports something of every case, and among them every consistency check that
    ``zpgen check --list-rules`` lists fires at least once (a new rule needs its bad input)."""
    listed = invoke_zpgen("check", "--list-rules", cwd=tmp_path)
    rules = [line.split()[0] for line in listed.stdout.splitlines()]
    fired: set[str] = set()
    for case in CASES:
        inputs = [p for p in (case / "data").rglob("*") if p.is_file()]
        assert len(inputs) == 1, f"{case.name}: one input file a case"
        output = checked(case).said
        problems = [line for line in output.splitlines() if line.startswith(("错误：", "警告："))]
        assert problems, f"{case.name}: zpgen says nothing of it"
        fired |= set(RULE.findall(output))
    assert sorted(fired) == sorted(rules)
