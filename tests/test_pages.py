"""Pages that look right: every .docx zpgen writes passes an independent OOXML validator, also
from a workspace's own base document without a theme."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from zpgen.builder import build
from zpgen.commands.templates import builtin_base_sample
from zpgen.render.markup import DocumentMeta, Numbering, parse_markup
from zpgen.write.docx_table import TableBox, table_xml

from .conftest import ROOT, write_tree

EXAMPLES = ROOT / "examples"
WORKSPACES = [ROOT, *sorted(p for p in EXAMPLES.iterdir() if (p / "data").is_dir())]


def assert_valid(folder: Path) -> int:
    """Every .docx below folder passes openxml-audit (as Word would open it); how many."""
    validator = OpenXmlValidator()
    files = sorted(folder.rglob("*.docx"))
    for file in files:
        result = validator.validate(file)
        findings = [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors]
        assert result.is_valid and not findings, (file.name, findings)
    return len(files)


@pytest.mark.parametrize("workspace", WORKSPACES, ids=lambda p: p.name)
def test_every_report_passes_the_ooxml_validator(workspace: Path, tmp_path: Path) -> None:
    report = build(workspace, out=tmp_path, formats=["docx"])
    assert not [p for p in report.problems if p.severity == "error"]
    assert assert_valid(tmp_path) >= 2


def _without_theme(docx: bytes) -> bytes:
    """A .docx as a tool other than Word saves it: no theme part, relationship or type."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if "theme" in info.filename:
                continue
            if info.filename in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = re.sub(rb"<(Relationship|Override) [^>]*theme[^>]*/>", b"", data)
            archive.writestr(info, data)
    return buffer.getvalue()


def test_a_base_document_without_a_theme_gets_the_built_in_one(
    seed_workspace: Path, tmp_path: Path
) -> None:
    base = seed_workspace / "templates" / "base.docx"
    base.parent.mkdir()
    base.write_bytes(_without_theme(builtin_base_sample()))
    with zipfile.ZipFile(base) as archive:
        assert not [n for n in archive.namelist() if "theme" in n]
        assert b"theme" not in archive.read("word/_rels/document.xml.rels")
    out = tmp_path / "out"
    report = build(seed_workspace, out=out, formats=["docx"])
    assert not [p for p in report.problems if p.severity == "error"]
    assert assert_valid(out) == 8
    report_file = next(out.rglob("*.docx"))
    with zipfile.ZipFile(report_file) as archive:
        assert "word/theme/theme1.xml" in archive.namelist()
        assert b"relationships/theme" in archive.read("word/_rels/document.xml.rels")
        theme = archive.read("word/theme/theme1.xml")
    assert '<a:ea typeface="仿宋_GB2312"/>'.encode() in theme


def test_a_theme_left_without_its_relationship_is_related_again(
    seed_workspace: Path, tmp_path: Path
) -> None:
    """A base whose theme lost its relationship (a tool that dropped it) is not called valid
    by a validator either: zpgen relates a theme of its own, under another name."""
    sample = builtin_base_sample()
    source = zipfile.ZipFile(io.BytesIO(sample))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb"<Relationship [^>]*theme[^>]*/>", b"", data)
            archive.writestr(info, data)
    base = seed_workspace / "templates" / "base.docx"
    base.parent.mkdir()
    base.write_bytes(buffer.getvalue())
    out = tmp_path / "out"
    build(seed_workspace, out=out, formats=["docx"])
    assert assert_valid(out) == 8
    with zipfile.ZipFile(next(out.rglob("*.docx"))) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert re.findall(r'Target="(theme/[^"]+)"', rels) == ["theme/theme2.xml"]


# --- long tables: what keeps a group of rows on one page, and where a table is parted -----------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
META = DocumentMeta("表", "单位", (2024, 4, 1))
LONG = "受上级政策调整影响部分任务延后实施全年实际完成数量低于年初计划下一年度将按实际需求测算"


def indicator_markup(groups: dict[str, dict[str, int]], *, long: bool = True) -> str:
    """A 自评表's indicator part: 绩效指标 merged down from the header, then for each 一级 its
    二级 (each with that many rows, merged), then 总分 kept with them."""
    lines = ["%table 1 2 2 2 4", "%header", "| 绩效指标", "| 一级", "| 二级", "| 三级", "| 说明"]
    number = 0
    for level1, level2s in groups.items():
        for n2, (level2, count) in enumerate(level2s.items()):
            for n in range(count):
                number += 1
                first1, first2 = n2 == 0 and n == 0, n == 0
                lines += ["%row", "|^", f"| {level1}" if first1 else "|^"]
                lines += [f"| {level2}" if first2 else "|^", f"| 指标{number}"]
                lines.append(f"|< {LONG}" if long else "| 短")
    lines += ["%row keep", "|4 总分", "| 90", "%end"]
    return "\n".join(lines) + "\n"


GROUPS = {"产出": {"数量": 2, "质量": 2, "时效": 1}, "效益": {"社会": 2}, "满意度": {"满意": 1}}


def written(markup: str, height: int) -> tuple[str, int]:
    """The table's XML on pages ``height`` twips high, and where it ends on its last page."""
    blocks = parse_markup(markup, META, Numbering()).blocks
    table = next(b.table for b in blocks if b.table is not None)
    return table_xml(table, TableBox(8844, height), lambda text: f"<w:r><w:t>{text}</w:t></w:r>")


def row_height() -> tuple[int, int]:
    """The estimated height of an indicator row holding LONG, and of the header and 总分."""
    one = written(indicator_markup({"产出": {"数量": 1}}), 10**6)[1]
    two = written(indicator_markup({"产出": {"数量": 2}}), 10**6)[1]
    return two - one, 2 * one - two


def rows_of(markup: str, height: int = 12756) -> list[list[tuple[str, str, bool]]]:
    """Each row of the table as written: its cells' (vMerge, text) and whether it keeps with
    the next row."""
    xml, _end = written(markup, height)
    root = etree.fromstring(f'<w:root xmlns:w="{W_NS}">{xml}</w:root>')
    rows = []
    for tr in root.iter(f"{W}tr"):
        cells = []
        for tc in tr.iter(f"{W}tc"):
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            kind = "" if merge is None else merge.get(f"{W}val", "continue")
            cells.append((kind, "".join(tc.itertext())))
        keeps = {p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p")}
        assert len(keeps) == 1  # every paragraph of a row, or none
        keep = keeps.pop()
        rows.append([(*cell, keep) for cell in cells])
    return rows


def keeps(rows: list[list[tuple[str, str, bool]]]) -> list[bool]:
    return [row[0][2] for row in rows]


def test_the_markup_marks_a_row_kept_with_the_one_above_it() -> None:
    markup = "%table 1\n%header\n| 头\n%row\n| 一\n%row keep\n| 总分\n%end\n"
    (block,) = parse_markup(markup, META, Numbering()).blocks
    assert block.table is not None
    assert (block.table.header_rows, block.table.kept) == (1, frozenset({2}))
    assert keeps(rows_of(markup)) == [True, True, False]


def test_a_group_of_rows_is_kept_on_one_page_with_its_header_and_total() -> None:
    rows = rows_of(indicator_markup(GROUPS, long=False))
    # the header keeps with the first row; each 一级's rows keep together; 总分 with the last
    assert keeps(rows) == [True, True, True, True, True, False, True, False, True, False]
    # the table fits on one page: 绩效指标 is one cell from the header down
    assert [row[0][:2] for row in rows] == [("restart", "绩效指标")] + 8 * [("continue", "")] + [
        ("", "总分")
    ]


def test_a_group_that_does_not_fit_is_parted_between_two_level2_groups() -> None:
    # a page that holds four and a half of these rows: 产出 (five) is parted
    row, rest = row_height()
    rows = rows_of(indicator_markup(GROUPS), height=rest + row * 9 // 2)
    parts, start = [], 1
    for number, keep in enumerate(keeps(rows)):
        if number and not keep:
            parts.append((start, number))
            start = number + 1
    for top, _bottom in parts:  # no merged cell continues across a place the table may turn
        assert all(kind != "continue" for kind, _text, _keep in rows[top]), top
    labels = [(row[1][1], row[2][1], row[3][1]) for row in rows[1:-1]]
    level1 = [label for label, _2, _3 in labels if label]
    assert level1.count("产出") == 2  # parted once, its label again where it goes on
    first = next(n for n, (label, _, _) in enumerate(labels, 1) if label == "产出" and n > 1)
    assert rows[first][2][1] in ("质量", "时效")  # between two 二级, not inside one
    # 绩效指标 stays in the header, which repeats on every page; beside the rows, one empty
    # merged cell for each group kept together
    assert rows[0][0][:2] == ("", "绩效指标")
    assert all(row[0][1] == "" for row in rows[1:-1])
    assert [row[0][0] for row in rows[1:-1]].count("continue") < 7


def test_a_group_taller_than_a_page_is_parted_wherever_it_must() -> None:
    row, rest = row_height()
    groups = {"产出": {"数量": 6}, "效益": {"社会": 1}}
    rows = rows_of(indicator_markup(groups), height=rest + row * 7 // 2)
    labels = [(row[1][1], row[2][1]) for row in rows[1:-1]]
    assert labels.count(("产出", "数量")) >= 2  # both labels again on the next page
    assert all(len(row) == 5 for row in rows[1:-1])


# --- long tables as LibreOffice lays them out ---------------------------------------------------

REASON = "受上级政策调整影响，部分任务延后实施，全年实际完成数量低于年初计划；下一年度将按实际需求合理测算目标值。"
LEVEL1 = {"产出": "产出指标", "效益": "效益指标", "满意": "满意度指标"}


def project_yaml(name: str, spec: str) -> str:
    """A project file; each line of spec an indicator: 一级, 二级, 分值 and 长 for a long
    偏差原因. Each 三级 is named by its 一级 and number (产出任务01), so that a page's text tells
    whose rows it holds."""
    items = []
    for number, line in enumerate(spec.strip().splitlines(), 1):
        level1, level2, weight, *long = line.split()
        item = (
            f"  - {{一级指标: {level1}, 二级指标: {level2}, 三级指标: {level1[:2]}任务{number:02d},"
            f" 年度指标值: ≥100个, 实际完成值: {90 if long else 100}个, 分值: {weight},"
            " 完成情况: 完成情况良好。"
        )
        items.append(item + (f", 偏差原因: {REASON}}}" if long else "}"))
    return (
        f"项目名称: {name}\n年初预算数: 100\n全年预算数: 100\n全年执行数: 95\n"
        "资金用途: 用于全区就业创业服务\n"
        "年度总体目标:\n  预期目标: 开展职业技能培训\n  实际完成情况: 完成职业技能培训\n"
        "绩效指标:\n" + "\n".join(items) + "\n偏离原因: 部分任务延后实施。\n"
    )


LONG_PROJECTS = {
    # 13 indicators, a few with a long 偏差原因: the table of the issue, which ran to 5 pages
    "01-就业.yaml": project_yaml(
        "就业创业专项资金",
        """
        产出指标 数量指标 10 长
        产出指标 数量指标 8
        产出指标 数量指标 6
        产出指标 质量指标 8 长
        产出指标 质量指标 6
        产出指标 时效指标 6
        产出指标 时效指标 3 长
        产出指标 成本指标 3
        效益指标 社会效益指标 10 长
        效益指标 社会效益指标 5
        效益指标 经济效益指标 5
        效益指标 可持续影响指标 10 长
        满意度指标 服务对象满意度指标 10
        """,
    ),
    # an 产出指标 taller than a page: parted, its label again on every page
    "02-培训.yaml": project_yaml(
        "职业技能培训补贴",
        "产出指标 数量指标 4 长\n"
        + "产出指标 数量指标 3 长\n" * 5
        + "产出指标 质量指标 3 长\n" * 5
        + "产出指标 时效指标 3 长\n" * 3
        + "产出指标 成本指标 3\n产出指标 成本指标 4\n"
        + "效益指标 社会效益指标 30\n满意度指标 服务对象满意度指标 10\n",
    ),
    # 11 short indicators: one page
    "03-人才.yaml": project_yaml(
        "人才引进经费",
        """
        产出指标 数量指标 15
        产出指标 数量指标 10
        产出指标 质量指标 10
        产出指标 时效指标 10
        产出指标 成本指标 5
        效益指标 社会效益指标 10
        效益指标 社会效益指标 5
        效益指标 经济效益指标 5
        效益指标 可持续影响指标 10
        满意度指标 服务对象满意度指标 5
        满意度指标 服务对象满意度指标 5
        """,
    ),
}
UNIT_YAML = """单位名称: 株洲市渌口区人力资源和社会保障局
评价时间: 2024年4月
财政部门: 区财政
公开网站: 株洲市渌口区人民政府门户网
设置:
  自评表: 单独文件
"""


def pdf_pages(docx: Path, folder: Path) -> list[list[tuple[float, str]]]:
    """The .docx as LibreOffice lays it out: each page's words with their height on it."""
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            *("soffice", f"-env:UserInstallation={profile}", "--headless"),
            *("--convert-to", "pdf", "--outdir", str(folder), str(docx)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = folder / docx.with_suffix(".pdf").name
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for page in boxes.split("<page ")[1:]:
        words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page)
        pages.append([(float(y), text) for y, text in words])
    return pages


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext is not installed: the pages of a long 自评表 "
    "are not laid out (apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk)",
)
def test_a_long_self_table_reads_well_on_every_page_in_libreoffice(tmp_path: Path) -> None:
    files = {"data/2023/单位/unit.yaml": UNIT_YAML}
    files |= {f"data/2023/单位/{name}": text for name, text in LONG_PROJECTS.items()}
    workspace = write_tree(tmp_path / "ws", files)
    report = build(workspace, out=tmp_path / "out", formats=["docx"])
    assert not [p for p in report.problems if p.severity == "error"]
    pages = pdf_pages(tmp_path / "out/2023/株洲市渌口区人力资源和社会保障局_自评表.docx", tmp_path)
    starts = [n for n, words in enumerate(pages) if any(t == "项目名称" for _, t in words)]
    assert len(pages) == 6 and starts == [0, 2, 5]  # each project's pages: 2, 3 and 1
    for number, words in enumerate(pages, 1):
        texts = [text for _, text in words]
        # a 三级 such as 产出任务01 (pdftotext parts the Chinese from the digits)
        rows = [
            (y, text + after)
            for (y, text), (_, after) in itertools.pairwise(words)
            if re.fullmatch(r"(产出|效益|满意)任务", text) and re.fullmatch(r"\d\d", after)
        ]
        assert rows, f"page {number} holds no indicator row"
        assert "一级指标" in texts, f"page {number} has no header row"  # repeated
        for prefix, label in LEVEL1.items():
            mine = [y for y, text in rows if text.startswith(prefix)]
            if not mine:
                continue
            # the 一级指标 of every row is named on its page, beside its rows, not above them
            places = [y for y, text in words if text == label]
            assert places, f"page {number}: {label} is not named beside its rows"
            if len(mine) > 1:
                assert any(min(mine) < y < max(mine) for y in places), (number, label)
        total = [y for y, text in words if text == "总分"]
        if total:  # 总分 never stands alone below the header: the last rows come with it
            assert max(y for y, _ in rows) < total[0]
