"""Real-style sentences and what the checks say of them: ``cases.yaml``, one case a sentence.

Each case starts from a unit of two projects that is quiet as it stands (``unit.yaml``,
``sibling.yaml`` as file 01, ``project.yaml`` as file 02), changes what the case says (``set``:
key paths of the project; ``sibling`` and ``unit``: of the others; a value of ``~`` deletes the
key), checks the workspace as ``zpgen check`` does, and compares every problem found with the
case's ``expect``: the rule, the key, where it points (``at``: the text at that line and
column) and what it says, in Chinese. A case expecting nothing asserts that nothing at all is
found.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from zpgen.builder.planner import check

HERE = Path(__file__).parent
CASES: list[dict[str, Any]] = yaml.load(
    (HERE / "cases.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
)
FILES = {"unit": "unit.yaml", "sibling": "01-营养改善计划.yaml", "project": "02-学生资助.yaml"}
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def base(name: str) -> Any:
    """A base file as plain data, every value text (as zpgen reads it)."""
    return yaml.load((HERE / f"{name}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def put(data: Any, path: str, value: Any) -> None:
    """Set (or, with ``~``, delete) the value at a key path such as ``绩效指标[0].完成情况``."""
    steps: list[str | int] = [key if key else int(index) for key, index in _STEP.findall(path)]
    *parents, last = steps
    for step in parents:
        data = data[step]
    if value == "~":
        del data[last]
    else:
        data[last] = value


def emit(value: Any, indent: str = "") -> list[str]:
    """YAML lines with every text a plain one-line scalar, so a position is a column."""
    lines: list[str] = []
    for key, item in value.items():
        if isinstance(item, dict):
            lines += [f"{indent}{key}:", *emit(item, indent + "  ")]
        elif isinstance(item, list):
            lines.append(f"{indent}{key}:")
            for entry in item:
                nested = emit(entry, indent + "    ")
                lines += [f"{indent}  - {nested[0].lstrip()}", *nested[1:]]
        else:
            assert ": " not in item and " #" not in item and "\n" not in item, item
            lines.append(f"{indent}{key}: {item}")
    return lines


def workspace(root: Path, case: dict[str, Any]) -> dict[str, Path]:
    """The case's unit folder, written below ``root``: file role → path."""
    folder = root / "data" / "2023" / "教育局"
    folder.mkdir(parents=True)
    written = {}
    for role, file in FILES.items():
        data = base(role)
        for path, value in (case.get("set" if role == "project" else role) or {}).items():
            put(data, path, value)
        text = "\n".join(emit(data)) + "\n"
        assert yaml.load(text, Loader=yaml.BaseLoader) == data, "a text that YAML reads otherwise"
        written[role] = folder / file
        written[role].write_text(text, encoding="utf-8")
    return written


def pointed_at(file: Path, line: int, column: int) -> str:
    return file.read_text(encoding="utf-8").splitlines()[line - 1][column - 1 :]


def test_the_table_is_large_and_every_case_says_what_it_expects() -> None:
    assert len(CASES) >= 40
    assert len({case["id"] for case in CASES}) == len(CASES)
    quiet = [case for case in CASES if not case["expect"]]
    assert len(quiet) >= 15, "sentences that must stay quiet"
    for case in CASES:
        assert case["id"] and case["why"], case
        for found in case["expect"]:
            assert set(found) <= {"rule", "key", "at", "says", "file"} and found["says"], case


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_what_the_checks_say(case: dict[str, Any], tmp_path: Path) -> None:
    files = workspace(tmp_path, case)
    roles = {path: role for role, path in files.items()}
    found = []
    for problem in check(tmp_path).problems:
        assert problem.file is not None
        role = roles[problem.file]
        entry = {"rule": problem.rule, "key": problem.key, "says": problem.message}
        entry["at"] = pointed_at(problem.file, problem.line, problem.column)
        if role != "project":
            entry["file"] = role
        found.append(entry)
    expected = case["expect"]
    assert len(found) == len(expected), found
    for got, want in zip(found, expected, strict=True):
        assert got["at"].startswith(want["at"]), (got, want)
        assert {k: v for k, v in got.items() if k != "at"} == {
            k: v for k, v in want.items() if k != "at"
        }
