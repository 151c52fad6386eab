"""Shared test helpers: the seed's workspace made of real files, the ``zpgen`` command (in a
process of its own, or in this one), and golden-file comparison."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from inspect import signature
from pathlib import Path

import hypothesis
import hypothesis.configuration
import pytest
from typer.testing import CliRunner

from zpgen.builder.run import build
from zpgen.cli import main
from zpgen.i18n import language, set_language

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
SEED_UNIT = "渌口区人社局"  # the seed unit's folder below data/2023/
UNIT_NAME = "株洲市渌口区人力资源和社会保障局"  # its 单位名称, which names its reports

# The command as a test runs it in a process of its own.
ZPGEN = (sys.executable, "-m", "zpgen")
# The locale's variables, which choose the messages' language (zpgen/i18n.py): a command runs
# without them, so that it speaks Chinese (the default) whatever the machine running the tests.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

# Hypothesis keeps no example database, and its other files (the constants it collects from the
# source) go to a temporary folder, removed after the run: a run writes nothing into the checkout.
hypothesis.settings.register_profile("zpgen", database=None)
hypothesis.settings.load_profile("zpgen")
_hypothesis_home: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    _hypothesis_home.append(Path(tempfile.mkdtemp(prefix="zpgen-tests-hypothesis-")))
    hypothesis.configuration.set_hypothesis_home_dir(_hypothesis_home[-1])


def pytest_unconfigure(config: pytest.Config) -> None:
    hypothesis.configuration.set_hypothesis_home_dir(None)
    while _hypothesis_home:
        shutil.rmtree(_hypothesis_home.pop(), ignore_errors=True)


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


def copy_seed(workspace: Path) -> Path:
    """Make ``workspace`` (which may exist) a workspace holding a copy of the repository's
    data/: the seed's unit and its three projects. Returns ``workspace``."""
    shutil.copytree(ROOT / "data", workspace / "data")
    return workspace


@pytest.fixture
def seed_workspace(tmp_path: Path) -> Path:
    """A fresh workspace with the seed's data, for the test to change as it likes."""
    return copy_seed(tmp_path / "ws")


@pytest.fixture(scope="session")
def built_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the seed's data and all 16 of its reports, built once for the whole run:
    read it, or copy it (``shutil.copytree``) to change it."""
    workspace = copy_seed(tmp_path_factory.mktemp("built") / "ws")
    report = build(workspace, jobs=1)
    assert report.problems == [] and len(report.written) == 16
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


def run_zpgen(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real ``zpgen`` command, in a process of its own: for what only a process shows (the
    exit status, the streams and their encoding, the locale). Messages are in Chinese unless
    ``env`` sets a locale."""
    environment = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    environment.update({"PYTHONIOENCODING": "utf-8", **(env or {})})
    return subprocess.run(
        [*ZPGEN, *args],
        cwd=cwd,
        capture_output=True,
        encoding="utf-8",
        env=environment,
        check=False,
    )


def invoke_zpgen(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``zpgen`` run in this process, through the command's entry point (``zpgen.cli.main``,
    which also reads ``--lang`` before it makes the app): its stdout, its stderr and its exit
    code, as ``run_zpgen`` gives them, without starting Python again. The locale is that of
    ``run_zpgen``; an unexpected exception (a bug) is raised, not printed."""
    locale: dict[str, str | None] = dict.fromkeys(LOCALE_VARIABLES)
    locale.update(env or {})
    saved = (sys.argv, sys.excepthook, Path.cwd(), language())
    # typer's isolation: stdin, stdout and stderr replaced, and the locale set, for the block
    # (click before 8.2 mixes stderr into stdout unless told not to, and yields two streams)
    apart = {"mix_stderr": False} if "mix_stderr" in signature(CliRunner).parameters else {}
    with CliRunner(**apart).isolation(env=locale) as streams:
        stdout, stderr = streams[0], streams[1]
        sys.argv = ["zpgen", *args]
        os.chdir(cwd)
        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            sys.argv, sys.excepthook = saved[0], saved[1]  # typer installs its own hook
            os.chdir(saved[2])
            set_language(saved[3])
        out, err = stdout.getvalue().decode("utf-8"), stderr.getvalue().decode("utf-8")
    return subprocess.CompletedProcess(["zpgen", *args], code, out, err)
