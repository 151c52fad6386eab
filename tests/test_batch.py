"""Batch builds: parallel equals serial, and a killed build leaves no broken output."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from zpgen.builder import build
from zpgen.builder.report import Step
from zpgen.write.atomic import temporary_path

from .conftest import ROOT, SEED_UNIT, UNIT_NAME, ZPGEN


def many_units(workspace: Path, count: int) -> Path:
    """``count`` copies of the seed unit, each under its own 单位名称."""
    seed = ROOT / "data" / "2023" / SEED_UNIT
    for n in range(count):
        folder = workspace / "data" / "2023" / f"单位{n:03d}"
        shutil.copytree(seed, folder)
        unit = folder / "unit.yaml"
        unit.write_text(unit.read_text("utf-8").replace(UNIT_NAME, f"第{n + 1}号单位"), "utf-8")
    return workspace


def hashes(folder: Path) -> dict[str, str]:
    """The reports below a folder (not the bookkeeping, nor a killed build's temporary files)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(tmp_path: Path) -> None:
    workspace = many_units(tmp_path / "ws", 6)
    serial = build(workspace, out=tmp_path / "serial", jobs=1)
    parallel = build(workspace, out=tmp_path / "parallel", jobs=2)
    assert serial.problems == parallel.problems == []
    assert len(serial.written) == 6 * 16
    assert [p.relative_to(tmp_path / "serial") for p, _ in serial.written] == [
        p.relative_to(tmp_path / "parallel") for p, _ in parallel.written
    ]
    assert hashes(tmp_path / "serial") == hashes(tmp_path / "parallel")
    # The bookkeeping knows every target either way, so the next build rebuilds nothing.
    manifests = [
        json.loads((tmp_path / o / ".zpgen-build.json").read_text("utf-8"))
        for o in ("serial", "parallel")
    ]
    assert set(manifests[0]["targets"]) == set(manifests[1]["targets"])
    assert len(manifests[1]["targets"]) == 6 * 4, "3 projects and the unit, in 6 units"


def test_one_broken_project_in_a_parallel_batch_stops_nothing_else(tmp_path: Path) -> None:
    workspace = many_units(tmp_path / "ws", 4)
    bad = workspace / "data" / "2023" / "单位002" / "02-企业离休人员第十三月基本离休费.yaml"
    bad.write_text(
        bad.read_text("utf-8").replace("全年预算数: 0.32", "全年预算数: 零点三二", 1), "utf-8"
    )
    report = build(workspace, jobs=2, formats=["txt"])
    assert report.failed
    assert [p.file for p in report.problems if p.severity == "error"] == [bad]
    out = workspace / "output" / "2023"
    assert not (out / "第3号单位.txt").exists(), "no combined report for the unit that failed"
    assert (out / "第3号单位" / "数据系统维护费专项资金.txt").exists()
    for good in ("第1号单位", "第2号单位", "第4号单位"):
        assert (out / f"{good}.txt").exists()


def test_a_build_killed_midway_leaves_only_whole_files(tmp_path: Path) -> None:
    workspace = many_units(tmp_path / "ws", 20)  # 8 .docx a unit: 160 in all
    out = workspace / "output"
    process = subprocess.Popen(
        [*ZPGEN, "build", "--jobs", "2"],
        cwd=workspace,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the build and its workers
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.rglob("*.docx"))) < 20:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # all at once, wherever each one is
    process.wait()
    written = list(out.rglob("*.docx"))
    assert written, "the build was killed before it wrote anything"
    assert len(written) < 20 * 8, "the build was done before it was killed"
    for docx in written:
        with zipfile.ZipFile(docx) as archive:
            assert archive.testzip() is None, docx
    for txt in out.rglob("*.txt"):
        assert txt.read_text("utf-8").endswith("\n"), txt
    # The next build finishes the job and gives what a clean build gives.
    finished = build(workspace, jobs=2)
    assert finished.problems == []
    clean = build(workspace, out=tmp_path / "clean", jobs=2)
    assert clean.problems == []
    assert hashes(tmp_path / "clean") == hashes(out)
    # Nor is anything of the killed build left: its temporary files are swept away.
    assert [p.name for p in out.rglob("*.tmp")] == []


def test_a_build_sweeps_only_the_temporary_files_of_processes_gone(tmp_path: Path) -> None:
    workspace = many_units(tmp_path / "ws", 1)
    build(workspace, formats=["txt"])
    folder = workspace / "output" / "2023" / "第1号单位"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        report = folder / "数据系统维护费专项资金.txt"
        dead_file = temporary_path(report, int(gone.stdout.strip()))
        live_file = temporary_path(report, running.pid)
        for leftover in (dead_file, live_file):
            leftover.write_text("half a report", "utf-8")
        build(workspace, formats=["txt"], force=True)
        assert not dead_file.exists()
        assert live_file.exists(), "a running build's temporary file is left alone"
    finally:
        running.kill()
        running.wait()


def test_progress_counts_projects_and_lists_each_units_files_as_it_is_done(
    tmp_path: Path,
) -> None:
    workspace = many_units(tmp_path / "ws", 3)
    steps: list[Step] = []
    report = build(workspace, formats=["txt"], jobs=2, progress=steps.append)
    assert [(s.done, s.total, s.folder.name) for s in steps] == [
        (3, 9, "单位000"),
        (6, 9, "单位001"),
        (9, 9, "单位002"),
    ]
    assert [line for s in steps for line in s.written] == report.written


def test_two_units_with_one_name_fail_a_parallel_build_as_a_serial_one(tmp_path: Path) -> None:
    workspace = many_units(tmp_path / "ws", 6)
    build(workspace, out=tmp_path / "before", formats=["txt"], jobs=1)
    unit = workspace / "data" / "2023" / "单位005" / "unit.yaml"
    unit.write_text(unit.read_text("utf-8").replace("第6号单位", "第1号单位"), "utf-8")
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        shutil.copytree(tmp_path / "before", out)
        report = build(workspace, out=out, formats=["txt"], jobs=jobs, force=True)
        assert report.failed and report.failures == [unit.parent]
        assert [(p.file, "单位000" in p.message) for p in report.problems] == [(unit, True)]
        assert hashes(out) == hashes(tmp_path / "before"), "单位000's reports are its own"


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text("ascii", "replace").rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text("ascii", "replace").rpartition(")")[2]
    except OSError:
        return False
    return state.split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_end_when_their_build_is_killed(tmp_path: Path) -> None:
    workspace = many_units(tmp_path / "ws", 40)
    out = workspace / "output"
    process = subprocess.Popen(
        [*ZPGEN, "build", "--jobs", "2"],
        cwd=workspace,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and not (workers and list(out.rglob("*.docx"))):
            workers = _children(process.pid)
            time.sleep(0.02)
        assert workers, "the build started no workers"
        os.kill(process.pid, signal.SIGKILL)  # the build alone, not its workers
        process.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_running(w) for w in workers):
            time.sleep(0.1)
        assert not any(_running(w) for w in workers), "a worker outlived its build"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
