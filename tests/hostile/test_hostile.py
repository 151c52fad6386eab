"""The hostile corpus (``cases.py``): each input is refused or defused with its message, within
seconds and a memory limit, and nothing outside the output folder changes. Each case's command is
a process of its own (``process.py``), two or so at a time."""

from __future__ import annotations

import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import copy_seed
from .cases import CASES, SECRET, Case
from .process import run_case_command

# More than zpgen needs (about 300 MB of address space for a build), far less than a template or
# a file that escaped its bounds would take.
MEMORY = 1024 * 1024 * 1024


def snapshot(root: Path, skip: Path) -> dict[str, object]:
    """Every entry below ``root`` but ``skip`` (the output folder): a file's bytes and time, a
    link's target, a folder's presence. Links are never followed."""
    found: dict[str, object] = {}
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        if here == skip or skip in here.parents:
            folders[:] = []
            continue
        for name in folders + files:
            path = here / name
            if path == skip:
                continue
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = ("link", str(path.readlink()))
            elif path.is_file() and not path.is_fifo():
                found[key] = ("file", path.read_bytes(), path.stat().st_mtime_ns)
            else:
                found[key] = ("other",)
    return found


def prepare(case: Case, root: Path, built_seed: Path) -> tuple[Path, Path]:
    ws, outside = root / "ws", root / "outside"
    if case.built_first:
        shutil.copytree(built_seed, ws, symlinks=True)
    else:
        copy_seed(ws)
    (outside / "unit").mkdir(parents=True)
    (outside / "site-packages").mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "secret.yaml").write_text(f"项目名称: {SECRET}\n", encoding="utf-8")
    (outside / "unit" / "unit.yaml").write_text(f"单位名称: {SECRET}\n", encoding="utf-8")
    case.setup(ws, outside)
    return ws, outside


@dataclass
class Outcome:
    """A case's run: its workspace, what it said, its exit code and time, and what changed
    outside the output folder."""

    ws: Path
    outside: Path
    said: str
    code: int
    took: float
    changed: list[str]


def run_case(case: Case, root: Path, built_seed: Path) -> Outcome:
    ws, outside = prepare(case, root, built_seed)
    before = snapshot(root, ws / "output")
    started = time.monotonic()
    said, code = run_case_command(
        case.args, cwd=ws, memory=MEMORY, timeout=case.seconds + 10, said=root.with_suffix(".said")
    )
    took = time.monotonic() - started
    after = snapshot(root, ws / "output")
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return Outcome(ws, outside, said, code, took, changed)


@pytest.fixture(scope="module")
def outcomes(built_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case run, a few at a time (each is a process of its own)."""
    root = tmp_path_factory.mktemp("hostile")

    def run(case: Case) -> tuple[str, Outcome]:
        folder = root / case.name
        folder.mkdir()
        return case.name, run_case(case, folder, built_seed)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(pool.map(run, CASES))


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks, pipes and rlimits are POSIX's")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    said = outcome.said
    assert "Traceback" not in said, said
    assert outcome.code == case.exit, said
    for text in case.expect:
        assert text in said, said
    for text in (*case.refuse, SECRET):
        assert text not in said, said
    # each case shares the machine with another: its limit is for it alone, with room
    assert outcome.took < case.seconds, f"took {outcome.took:.1f} s"
    assert outcome.changed == [], "something outside the output changed"
    assert not (outcome.outside / "pwned").exists()
    if case.check is not None:
        case.check(outcome.ws, outcome.outside)


def test_the_corpus_covers_every_kind_of_input() -> None:
    kinds = {case.name.split("-")[0] for case in CASES}
    assert {
        "template",
        "yaml",
        "config",
        "bookkeeping",
        "base",
        "totext",
        "name",
        "output",
    } <= kinds
    assert len(CASES) >= 30
