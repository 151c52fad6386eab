"""The golden cases (``cases.py``): each imported with the command into a fresh
workspace; the files it writes, what it prints and what ``zpgen check`` then says are compared
with ``tests/golden/import/<case>/`` (``pytest --update-golden`` rewrites them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import assert_golden, invoke_zpgen
from .cases import CASES


def _transcript(*results: tuple[str, int, str, str]) -> str:
    parts = []
    for command, code, out, err in results:
        parts.append(f"$ {command}\n{out}{err}[exit code {code}]\n")
    return "\n".join(parts)


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_case(tmp_path: Path, case: str, update_golden: bool) -> None:
    workspace = tmp_path / "ws"
    inputs = workspace / "去年的报告"
    inputs.mkdir(parents=True)
    files = CASES[case](inputs)
    names = [f"去年的报告/{f.name}" for f in files]
    imported = invoke_zpgen("import", *names, cwd=workspace)
    checked = invoke_zpgen("check", cwd=workspace) if imported.returncode == 0 else None
    results = [
        ("zpgen import " + " ".join(names), imported.returncode, imported.stdout, imported.stderr)
    ]
    if checked is not None:
        results.append(("zpgen check", checked.returncode, checked.stdout, checked.stderr))
    assert_golden(_transcript(*results), f"import/{case}/messages.txt", update_golden)
    written = (
        sorted(p for p in (workspace / "data").rglob("*.yaml"))
        if (workspace / "data").exists()
        else []
    )
    for path in written:
        relative = path.relative_to(workspace)
        assert_golden(path.read_text("utf-8"), f"import/{case}/{relative}", update_golden)
    if imported.returncode != 0:
        assert written == []  # a failed import writes nothing
