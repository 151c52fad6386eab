"""Shared test helpers: a workspace made of real files, and golden-file comparison."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zpgen.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
SEED_UNIT = "渌口区人社局"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden files from this run"
    )


@pytest.fixture(autouse=True)
def chinese_messages() -> None:
    """Messages in Chinese, whatever the locale of the machine running the tests."""
    set_language("zh")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def seed_workspace(tmp_path: Path) -> Path:
    """A copy of the repository's data/ (the seed's unit) in a fresh workspace."""
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "data", workspace / "data")
    return workspace


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create files (relative path → text, UTF-8) below root; return root."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def assert_golden(actual: str, name: str, update: bool) -> None:
    """Compare with tests/golden/<name>; ``pytest --update-golden`` rewrites it."""
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
    assert actual == path.read_text(encoding="utf-8")


def run_zpgen(*args: str, cwd: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """The real ``zpgen`` command. Messages follow the locale: the default (Chinese) is taken
    whatever this machine's is, unless ``environment`` sets one."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(environment, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "zpgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
