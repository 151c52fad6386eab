"""The corpus of bad inputs: each is explained exactly, and nothing is written or overwritten.

Each folder of ``tests/bad_inputs/`` holds one input file, at its place in a workspace
(``data/2023/渌口区人社局/01-数据系统维护费.yaml`` replaces the seed's project 1; a path the seed
has not adds a file), and ``expected.txt``: what ``zpgen check`` prints, then its exit code;
``expected.en.txt`` the same with ``--lang en``. The case runs in a copy of the seed's workspace
whose reports were built before: the real ``zpgen check``, then a strict build, which must leave
every report as it was. ``pytest --update-golden`` rewrites the expected files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zpgen.build import build

from .conftest import ROOT

CASES = sorted(p for p in (Path(__file__).parent / "bad_inputs").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def built_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the seed's data and its reports, built once."""
    workspace = tmp_path_factory.mktemp("built") / "ws"
    shutil.copytree(ROOT / "data", workspace / "data")
    report = build(workspace)
    assert report.problems == [] and len(report.written) == 8
    return workspace


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below folder: its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def zpgen_check(workspace: Path, *options: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    result = subprocess.run(
        [sys.executable, "-m", "zpgen", "check", *options],
        cwd=workspace,
        capture_output=True,
        text=True,
        env={**env, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert result.stderr == ""
    return f"{result.stdout}[exit {result.returncode}]\n"


def expect(actual: str, expected_file: Path, update: bool) -> None:
    if update:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_the_corpus_is_large_and_each_case_has_one_input() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        inputs = [p for p in (case / "data").rglob("*") if p.is_file()]
        assert len(inputs) == 1, case.name
        assert (case / "expected.txt").is_file(), case.name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, built_seed: Path, tmp_path: Path, update_golden: bool) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(built_seed, workspace)
    shutil.copytree(case / "data", workspace / "data", dirs_exist_ok=True)
    before = snapshot(workspace / "output")

    expect(zpgen_check(workspace), case / "expected.txt", update_golden)
    if (case / "expected.en.txt").exists():
        expect(zpgen_check(workspace, "--lang", "en"), case / "expected.en.txt", update_golden)
    assert (
        (case / "expected.txt").read_text(encoding="utf-8").endswith(("[exit 1]\n", "[exit 0]\n"))
    ), "a bad input is reported (1), or warned about (0), never a usage error"

    report = build(workspace, strict=True)
    assert report.failed
    assert snapshot(workspace / "output") == before, "no report written or overwritten"
