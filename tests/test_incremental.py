"""Reproducible and incremental builds: what is rebuilt, what is left alone, and the bookkeeping."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from zpgen.builder import BuildReport, build
from zpgen.builder.bookkeeping import MANIFEST_FILE

from .conftest import SEED_UNIT, UNIT_NAME

P1, P2, P3 = (
    "数据系统维护费专项资金",
    "企业离休人员第十三月基本离休费专项资金",
    "事业单位工作人员招聘考试经费专项资金",
)
P2_FILE = "02-企业离休人员第十三月基本离休费.yaml"


def hashes(out: Path) -> dict[str, str]:
    """Every report file below out/2023 and the sha256 of its bytes."""
    year = out / "2023"
    return {
        p.relative_to(year).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(year.rglob("*"))
        if p.is_file()
    }


def statuses(report: BuildReport) -> dict[str, str]:
    """Output name (below output/2023/) → created / updated / unchanged."""
    return {
        path.as_posix().split("/output/2023/", 1)[1]: status.value
        for path, status in report.written
    }


def changed(report: BuildReport) -> set[str]:
    return {name for name, status in statuses(report).items() if status != "unchanged"}


def all_outputs() -> set[str]:
    """Every output of the seed, whose unit.yaml asks for the 自评表 as a file of its own."""
    names = [f"{UNIT_NAME}/{p}" for p in (P1, P2, P3)] + [UNIT_NAME]
    return {
        f"{name}{kind}.{ext}"
        for name in names
        for kind in ("", "_自评表")
        for ext in ("txt", "docx")
    }


def reports() -> set[str]:
    """The narrative reports among all_outputs(), without the 自评表 files."""
    return {name for name in all_outputs() if "_自评表." not in name}


def txt(names: set[str]) -> set[str]:
    return {name for name in names if name.endswith(".txt")}


def unit_folder(workspace: Path) -> Path:
    return workspace / "data" / "2023" / SEED_UNIT


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_two_builds_seconds_apart_are_byte_identical(
    built_seed: Path, seed_workspace: Path
) -> None:
    """This build and the session's first one (``built_seed``, of the same data in another
    folder), more than the zip format's two-second time resolution apart."""
    first = built_seed / "output"
    apart = time.time() - (first / MANIFEST_FILE).stat().st_mtime
    time.sleep(max(0.0, 2.1 - apart))  # only when built_seed was built just now
    second = build(seed_workspace)
    assert second.problems == []
    assert set(hashes(first)) == all_outputs()
    assert hashes(first) == hashes(seed_workspace / "output")


def test_a_second_build_rebuilds_nothing(seed_workspace: Path) -> None:
    assert set(statuses(build(seed_workspace))) == all_outputs()
    out = seed_workspace / "output"
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*.docx")}
    report = build(seed_workspace)
    assert statuses(report) == dict.fromkeys(all_outputs(), "unchanged")
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.docx")} == times


def test_the_bookkeeping_is_written_only_when_a_build_changed_it(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    manifest = seed_workspace / "output" / MANIFEST_FILE
    written = manifest.stat().st_mtime_ns
    build(seed_workspace, formats=["txt"])
    assert manifest.stat().st_mtime_ns == written, "nothing changed: the file is left alone"
    edit(unit_folder(seed_workspace) / P2_FILE, "不再发放", "不再继续发放")
    build(seed_workspace, formats=["txt"])
    assert manifest.stat().st_mtime_ns != written
    assert P2_FILE in manifest.read_text("utf-8")


def test_an_edit_rebuilds_exactly_that_project_and_the_unit_report(seed_workspace: Path) -> None:
    build(seed_workspace)
    before = hashes(seed_workspace / "output")
    edit(unit_folder(seed_workspace) / P2_FILE, "不再发放", "不再继续发放")
    report = build(seed_workspace)
    expected = {
        f"{UNIT_NAME}/{P2}.txt",
        f"{UNIT_NAME}/{P2}.docx",
        f"{UNIT_NAME}.txt",
        f"{UNIT_NAME}.docx",
    }
    assert changed(report) == expected
    after = hashes(seed_workspace / "output")
    assert {name for name in after if after[name] != before[name]} == expected


def test_a_template_change_rebuilds_every_report_that_uses_it(seed_workspace: Path) -> None:
    build(seed_workspace)
    templates = seed_workspace / "templates"
    templates.mkdir()
    # unit.j2 is used by the combined report only
    (templates / "unit.j2").write_text(
        '{% extends "builtin/unit.j2" %}{% block signature %}\n> {{ unit.name }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    assert changed(build(seed_workspace)) == {f"{UNIT_NAME}.txt", f"{UNIT_NAME}.docx"}
    # body.j2 is included by every project's report and by the combined one
    (templates / "body.j2").write_text(
        '{% extends "builtin/body.j2" %}{% block extra_sections %}\n# 其他需要说明的问题\n无。\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    assert changed(build(seed_workspace)) == reports()
    # selftable.j2 is included by every 自评表, the projects' and the unit's
    (templates / "selftable.j2").write_text(
        '{% include "builtin/selftable.j2" %}\n注：本表由单位财务股填报。\n', encoding="utf-8"
    )
    assert changed(build(seed_workspace)) == all_outputs() - reports()
    # a template nothing renders changes nothing
    (templates / "notes.j2").write_text("备忘\n", encoding="utf-8")
    assert changed(build(seed_workspace)) == set()


def test_a_settings_change_rebuilds_the_unit_and_force_rebuilds_all(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    edit(unit_folder(seed_workspace) / "unit.yaml", "三级标题编号: 否", "三级标题编号: 是")
    report = build(seed_workspace, formats=["txt"])
    # the 自评表 has no numbered headings: rebuilt, the same bytes, reported unchanged
    assert set(statuses(report)) == txt(all_outputs())
    assert changed(report) == txt(reports())
    forced = build(seed_workspace, formats=["txt"], force=True)
    assert set(statuses(forced)) == txt(all_outputs())
    assert changed(forced) == set(), "rebuilt, and the same bytes: reported unchanged"


def test_a_workspace_setting_or_a_command_line_setting_rebuilds_all(seed_workspace: Path) -> None:
    unit_file = unit_folder(seed_workspace) / "unit.yaml"
    edit(unit_file, "  结果应用: 更好的管理和使用项目资金\n", "")
    build(seed_workspace, formats=["txt"])
    (seed_workspace / "zpgen.yaml").write_text("措辞:\n  结果应用: 改进管理\n", encoding="utf-8")
    assert changed(build(seed_workspace, formats=["txt"])) == txt(reports())
    set_numbering = build(seed_workspace, formats=["txt"], overrides=["三级标题编号=是"])
    assert changed(set_numbering) == txt(reports())
    assert len(changed(build(seed_workspace, formats=["txt"], overrides=["三级标题编号=是"]))) == 0


def test_a_lost_or_corrupt_bookkeeping_file_costs_only_a_full_rebuild(seed_workspace: Path) -> None:
    build(seed_workspace)
    manifest = seed_workspace / "output" / MANIFEST_FILE
    before = hashes(seed_workspace / "output")
    manifest.unlink()
    report = build(seed_workspace)
    assert report.problems == [] and changed(report) == set()
    manifest.write_text('{"version": 1, "targets": [1, 2', encoding="utf-8")
    report = build(seed_workspace)
    assert [p.severity for p in report.problems] == ["warning"]
    assert "构建记录无法读取" in report.problems[0].message
    assert changed(report) == set() and hashes(seed_workspace / "output") == before
    assert build(seed_workspace).problems == [], "the next build has good bookkeeping again"


def test_an_output_edited_by_hand_is_kept_and_named(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    report_file = seed_workspace / "output" / "2023" / UNIT_NAME / f"{P1}.txt"
    original = report_file.read_bytes()
    edited = original.replace(b"8.56", b"9.99")
    report_file.write_bytes(edited)
    report = build(seed_workspace, formats=["txt"])
    assert report.failed and changed(report) == set()
    (problem,) = [p for p in report.problems if p.file == report_file]
    assert "手工改过，因此没有替换它" in problem.message
    assert f"“{P1}（手工修改）.txt”" in problem.message
    assert report_file.read_bytes() == edited, "the hand edit is not lost"
    assert build(seed_workspace, formats=["txt"]).failed, "and it is named again"


def test_force_keeps_a_hand_edit_beside_the_new_report(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    report_file = seed_workspace / "output" / "2023" / UNIT_NAME / f"{P1}.txt"
    original = report_file.read_bytes()
    report_file.write_bytes(original.replace(b"8.56", b"9.99"))
    report = build(seed_workspace, formats=["txt"], force=True)
    assert not report.failed
    kept = report_file.with_name(f"{P1}（手工修改）.txt")
    assert kept.read_bytes() == original.replace(b"8.56", b"9.99")
    assert report_file.read_bytes() == original
    assert any("已另存为" in p.message for p in report.problems)
    assert build(seed_workspace, formats=["txt"]).problems == [], "the copy is the user's"


def test_a_report_replaced_by_an_older_one_that_its_data_gives_is_not_a_hand_edit(
    seed_workspace: Path,
) -> None:
    """As after ``git checkout`` of an older commit: the old data gives the old report again."""
    project = seed_workspace / "data" / "2023" / SEED_UNIT / "01-数据系统维护费.yaml"
    build(seed_workspace, formats=["txt"])
    report_file = seed_workspace / "output" / "2023" / UNIT_NAME / f"{P1}.txt"
    old_data, old_report = project.read_bytes(), report_file.read_bytes()
    project.write_bytes(old_data.replace("运行顺畅".encode(), "运行平稳".encode()))
    build(seed_workspace, formats=["txt"])
    project.write_bytes(old_data)
    report_file.write_bytes(old_report)
    report = build(seed_workspace, formats=["txt"])
    assert not report.failed
    assert report_file.read_bytes() == old_report


def test_the_bookkeeping_survives_a_failed_build(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    project = unit_folder(seed_workspace) / P2_FILE
    edit(project, "全年执行数: 0.32", "全年执行数: 零点三二")
    failed = build(seed_workspace, formats=["txt"])
    assert failed.failed
    assert failed.failures == [project.resolve(), project.parent.resolve()], "and the unit report"
    assert changed(failed) == set(), "the good projects are current; the unit report is kept"
    edit(project, "全年执行数: 零点三二", "全年执行数: 0.32")
    fixed = build(seed_workspace, formats=["txt"])
    assert not fixed.failed
    assert changed(fixed) == set(), "the old reports were right all along: nothing to rewrite"
    assert statuses(fixed) == dict.fromkeys(txt(all_outputs()), "unchanged")


def test_removed_and_renamed_projects_are_reported_and_pruned(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    folder = unit_folder(seed_workspace)
    (folder / "03-事业单位工作人员招聘考试经费.yaml").unlink()
    edit(folder / "01-数据系统维护费.yaml", f"项目名称: {P1}", "项目名称: 数据系统运维费专项资金")
    out = seed_workspace / "output" / "2023"
    stale = {out / UNIT_NAME / f"{p}{kind}.txt" for p in (P1, P3) for kind in ("", "_自评表")}

    report = build(seed_workspace, formats=["txt"])
    assert set(report.stale) == stale and report.removed == []
    assert all(path.exists() for path in stale), "reported, not removed, without prune"

    dry = build(seed_workspace, formats=["txt"], prune=True, dry_run=True)
    assert set(dry.removed) == stale and all(path.exists() for path in stale)

    pruned = build(seed_workspace, formats=["txt"], prune=True)
    assert set(pruned.removed) == stale and not any(path.exists() for path in stale)
    assert build(seed_workspace, formats=["txt"]).stale == []


def test_a_renamed_project_file_keeps_its_report(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    folder = unit_folder(seed_workspace)
    (folder / P2_FILE).rename(folder / "09-离休费.yaml")
    report = build(seed_workspace, formats=["txt"], prune=True)
    assert (
        report.stale == [] and (seed_workspace / "output/2023" / UNIT_NAME / f"{P2}.txt").exists()
    )


def test_dry_run_writes_nothing_and_says_what_would_change(seed_workspace: Path) -> None:
    dry = build(seed_workspace, dry_run=True)
    assert set(statuses(dry)) == all_outputs()
    assert set(statuses(dry).values()) == {"created"}
    assert not (seed_workspace / "output").exists()
    build(seed_workspace)
    edit(unit_folder(seed_workspace) / P2_FILE, "不再发放", "不再继续发放")
    before = hashes(seed_workspace / "output")
    manifest = (seed_workspace / "output" / MANIFEST_FILE).read_bytes()
    dry = build(seed_workspace, dry_run=True)
    assert changed(dry) == {
        f"{UNIT_NAME}/{P2}.txt",
        f"{UNIT_NAME}/{P2}.docx",
        f"{UNIT_NAME}.txt",
        f"{UNIT_NAME}.docx",
    }
    assert hashes(seed_workspace / "output") == before
    assert (seed_workspace / "output" / MANIFEST_FILE).read_bytes() == manifest


def test_building_one_project_leaves_the_others_bookkeeping_alone(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    project = unit_folder(seed_workspace) / P2_FILE
    edit(project, "不再发放", "不再继续发放")
    one = build(seed_workspace, [project], formats=["txt"])
    assert statuses(one) == {
        f"{UNIT_NAME}/{P2}.txt": "updated",
        f"{UNIT_NAME}/{P2}_自评表.txt": "unchanged",
    }
    rest = build(seed_workspace, formats=["txt"])
    assert changed(rest) == {f"{UNIT_NAME}.txt"}, (
        "the combined report was not built with one project"
    )


def test_a_dry_run_names_the_files_a_setting_no_longer_makes(seed_workspace: Path) -> None:
    build(seed_workspace, formats=["txt"])
    dry = build(seed_workspace, formats=["txt"], overrides=["自评表=不生成"], dry_run=True)
    real = build(seed_workspace, formats=["txt"], overrides=["自评表=不生成"])
    assert [p.name for p in dry.stale] == [p.name for p in real.stale]
    assert len(real.stale) == 4 and all("_自评表" in p.name for p in real.stale)
