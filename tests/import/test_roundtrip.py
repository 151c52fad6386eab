"""Round trips: the seed's text and a clerk's Word copy of it, and every .docx zpgen writes.

Importing the seed report gives data from which ``zpgen build`` writes the seed again, with
exactly the corrections ``tests/test_seed.py`` lists; importing every .docx that zpgen builds
from ``data/`` and from each example workspace built from the seed's data gives data that builds
the same bytes again.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from zpgen.builder import build
from zpgen.importer import import_files

from ..conftest import ROOT, SEED_UNIT, UNIT_NAME, copy_seed
from ..test_seed import INTENDED, SEED, normalise
from .documents import clerk_docx

# What the seed's text does not say: the 自评表's columns. Filled in as an analyst would
# (any text will do: the narrative does not print them).
_TO_FILL = re.compile(r": 待填(?:  # .*)?$", re.MULTILINE)


def _fill_in(folder: Path) -> list[str]:
    """Fill in every 待填 of the imported files; the keys filled, for the test to check."""
    filled = []
    for file in sorted(folder.glob("*.yaml")):
        text = file.read_text("utf-8")
        filled += [
            line.split(":")[0].strip(" -")
            for line in text.splitlines()
            if _TO_FILL.search(line) and not line.lstrip().startswith("#")
        ]
        file.write_text(_TO_FILL.sub(": 已填", text), "utf-8")
    return filled


def _seed_with_corrections() -> list[str]:
    expected = normalise(SEED.read_text(encoding="utf-8"))
    for seed_line, ours, _reason in INTENDED:
        expected[expected.index(seed_line)] = ours
    return expected


def _seed_as_clerk_docx(tmp_path: Path) -> Path:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return clerk_docx([line for line in lines if line.strip()], tmp_path / "自评报告.docx")


@pytest.mark.parametrize("form", ["txt", "docx"])
def test_the_seed_imported_builds_the_seed_with_the_seed_tests_corrections(
    tmp_path: Path, form: str
) -> None:
    source = SEED if form == "txt" else _seed_as_clerk_docx(tmp_path)
    workspace = tmp_path / "ws"
    report = import_files([source], into=workspace)
    assert [p for p in report.problems if p.rule != "import-figures"] == []
    filled = _fill_in(report.folder)
    # only what the narrative never says is left to fill in
    assert set(filled) == {"预期目标", "三级指标", "年度指标值", "实际完成值"}

    built = build(workspace, formats=["txt"])
    # the checks that judge a 年度指标值 judge the text filled in above, which is no target
    judged = {"timeliness-without-time", "cost-not-money"}
    assert [p for p in built.problems if p.rule not in judged] == []
    text = (workspace / "output" / "2023" / f"{UNIT_NAME}.txt").read_text("utf-8")
    assert normalise(text) == _seed_with_corrections()


def test_the_seeds_mistakes_are_reported_and_its_inferences_marked(tmp_path: Path) -> None:
    report = import_files([SEED], into=tmp_path / "ws")
    messages = [p.message for p in report.problems]
    assert any("“事业单位工作人员招聘考试经费费专项资金”" in m for m in messages)
    assert any("“数据系统维护费专项资金”" in m for m in messages)
    project2 = (report.folder / "02-企业离休人员第十三月基本离休费.yaml").read_text("utf-8")
    assert "预算调整原因: 5位离休人员已经离世，不再发放第十三月基本离休待遇" in project2
    assert "# 待核对：原报告写作“经离世，不在发放”" in project2
    project3 = (report.folder / "03-事业单位工作人员招聘考试经费.yaml").read_text("utf-8")
    assert "# 待核对：原报告没有说明预算调整的原因" in project3


def _workspaces() -> list[str]:
    """data/ and the examples built from the seed's data (the others hold data of their own,
    in outlines and layouts the importer does not read)."""
    seeded = [
        p for p in (ROOT / "examples").iterdir() if (p / "data" / "2023" / SEED_UNIT).is_dir()
    ]
    return ["data", *sorted(p.name for p in seeded)]


def _workspace_like(name: str, target: Path) -> Path:
    """A workspace with the settings and templates of ``name`` (data/ or an example) and its
    own data folder."""
    if name != "data":
        ignored = shutil.ignore_patterns("data", "output")
        shutil.copytree(ROOT / "examples" / name, target, ignore=ignored)
    target.mkdir(exist_ok=True)
    return target


@pytest.mark.parametrize("name", _workspaces())
def test_every_docx_zpgen_writes_imports_to_data_that_builds_the_same_bytes(
    tmp_path: Path, name: str
) -> None:
    original = copy_seed(_workspace_like(name, tmp_path / "original"))
    assert build(original).problems == []
    written = sorted((original / "output").rglob("*.docx"))

    again = _workspace_like(name, tmp_path / "again")
    report = import_files(written, into=again, unit=SEED_UNIT)
    assert report.problems == []
    assert all(not f.to_fill for f in report.files)
    assert build(again).problems == []

    outputs = sorted(p.relative_to(original / "output") for p in (original / "output").rglob("*.*"))
    outputs = [p for p in outputs if p.name != ".zpgen-build.json"]
    assert outputs == sorted(
        p.relative_to(again / "output")
        for p in (again / "output").rglob("*.*")
        if p.name != ".zpgen-build.json"
    )
    for relative in outputs:
        assert (again / "output" / relative).read_bytes() == (
            original / "output" / relative
        ).read_bytes(), relative
