"""The corpus of bad inputs: each is explained exactly, and nothing is written or overwritten.

Each folder of ``tests/bad_inputs/`` holds one input file, at its place in a workspace
(``data/2023/渌口区人社局/01-数据系统维护费.yaml`` replaces the seed's project 1; a path the seed
has not adds a file), and ``expected.txt``: what ``zpgen check`` prints, then its exit code;
``expected.en.txt`` the same with ``--lang en``. The case runs in a copy of the seed's workspace
whose reports were built before: the real ``zpgen check`` (the cases run side by side), then a
strict build, which must leave every report as it was, byte for byte and untouched.
``pytest --update-golden`` rewrites the expected files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from zpgen.builder import build

from .conftest import ROOT

CASES = sorted(p for p in (Path(__file__).parent / "bad_inputs").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def built_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the seed's data and its reports, built once."""
    workspace = tmp_path_factory.mktemp("built") / "ws"
    shutil.copytree(ROOT / "data", workspace / "data")
    report = build(workspace)
    assert report.problems == [] and len(report.written) == 16
    return workspace


@pytest.fixture(scope="module")
def checked(built_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each case's workspace (the built seed with the case's file in), and the output of
    ``zpgen check`` in it (``check.txt``, ``check.en.txt``), run a few at a time."""
    root = tmp_path_factory.mktemp("cases")
    workspaces = {}
    jobs: list[tuple[Path, tuple[str, ...], str]] = []
    for case in CASES:
        workspace = workspaces[case.name] = root / case.name
        shutil.copytree(built_seed, workspace)
        shutil.copytree(case / "data", workspace / "data", dirs_exist_ok=True)
        jobs.append((workspace, (), "check.txt"))
        if (case / "expected.en.txt").exists():
            jobs.append((workspace, ("--lang", "en"), "check.en.txt"))

    def run(job: tuple[Path, tuple[str, ...], str]) -> None:
        workspace, options, name = job
        (workspace.parent / f"{workspace.name}.{name}").write_text(
            zpgen_check(workspace, *options), encoding="utf-8"
        )

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(run, jobs))
    return workspaces


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


def expect(actual_file: Path, expected_file: Path, update: bool) -> None:
    actual = actual_file.read_text(encoding="utf-8")
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
def test_bad_input(
    case: Path, built_seed: Path, checked: dict[str, Path], update_golden: bool
) -> None:
    workspace = checked[case.name]
    expect(workspace.parent / f"{case.name}.check.txt", case / "expected.txt", update_golden)
    if (case / "expected.en.txt").exists():
        actual = workspace.parent / f"{case.name}.check.en.txt"
        expect(actual, case / "expected.en.txt", update_golden)
    assert (
        (case / "expected.txt").read_text(encoding="utf-8").endswith(("[exit 1]\n", "[exit 0]\n"))
    ), "a bad input is reported (1), or warned about (0), never a usage error"

    report = build(workspace, strict=True)
    assert report.failed
    after = snapshot(workspace / "output")
    assert after == snapshot(built_seed / "output"), "no report written or overwritten"
