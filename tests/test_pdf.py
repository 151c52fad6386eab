"""PDF output: how zpgen runs LibreOffice (with a stand-in that converts, hangs or crashes), and
the PDFs of the real LibreOffice: their pages, their text, and the same bytes from the same data.

The real LibreOffice's tests need soffice and poppler-utils (pdfinfo, pdftotext): `.ci/run`
installs them; elsewhere those tests are skipped, with the reason in pytest's summary.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zpgen.builder import BuildReport, build
from zpgen.write.libreoffice import Converter, Job, find_libreoffice
from zpgen.write.libreoffice import _usual_places as usual_places
from zpgen.write.pdf import reproducible

from .conftest import ROOT, SEED_UNIT, UNIT_NAME, write_tree
from .conftest import run_zpgen as zpgen

P1, P2 = "数据系统维护费专项资金", "企业离休人员第十三月基本离休费专项资金"
P1_FILE = "01-数据系统维护费.yaml"
P3_FILE = "03-事业单位工作人员招聘考试经费.yaml"
DOCUMENTS = {  # the seed's documents, in the order a build converts them
    f"{UNIT_NAME}/{name}{kind}.pdf"
    for name in (P1, P2, "事业单位工作人员招聘考试经费专项资金")
    for kind in ("", "_自评表")
} | {f"{UNIT_NAME}.pdf", f"{UNIT_NAME}_自评表.pdf"}

posix_only = pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a script")
SOFFICE, _why = find_libreoffice(None, ROOT)
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
real_libreoffice = pytest.mark.skipif(
    SOFFICE is None or not POPPLER,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed: "
    "`.ci/run` installs them (Debian: libreoffice-writer-nogui poppler-utils)",
)


# --- the stand-in -------------------------------------------------------------------------------


def fake_soffice(folder: Path, mode: str = "ok") -> Path:
    """The stand-in as ``folder/soffice`` (outside any workspace), misbehaving as ``mode`` says."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "soffice"
    source = (Path(__file__).parent / "fake_soffice.py").read_text(encoding="utf-8")
    program.write_text(f"#!{sys.executable}\n{source}", encoding="utf-8")
    program.chmod(0o755)
    set_mode(folder, mode)
    return program


def set_mode(folder: Path, mode: str) -> None:
    (folder / "mode").write_text(mode, encoding="utf-8")
    (folder / "ran").unlink(missing_ok=True)


def runs(folder: Path) -> list[tuple[int, str, int]]:
    """The stand-in's runs: (pid, profile, number of documents)."""
    log = folder / "log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [(int(p), profile, int(n)) for p, profile, n in (line.split(" ") for line in lines)]


def use_program(workspace: Path, program: Path, extra: str = "") -> None:
    (workspace / "zpgen.yaml").write_text(
        f"输出格式: [txt, pdf]\nLibreOffice路径: {program}\n{extra}", encoding="utf-8"
    )


def pdfs(out: Path) -> dict[str, bytes]:
    year = out / "2023"
    return {p.relative_to(year).as_posix(): p.read_bytes() for p in sorted(year.rglob("*.pdf"))}


def statuses(report: BuildReport, suffix: str = ".pdf") -> dict[str, str]:
    return {
        path.as_posix().split("/2023/", 1)[1]: status.value
        for path, status in report.written
        if path.suffix == suffix
    }


def edit_p2(workspace: Path) -> None:
    """Change a sentence of project 02's narrative (its 自评表 does not print it)."""
    project = workspace / "data" / "2023" / SEED_UNIT / "02-企业离休人员第十三月基本离休费.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("不再发放", "不再继续发放"), encoding="utf-8")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rpartition(")")[2].split()[:1] == ["Z"])


@posix_only
def test_pdfs_take_part_in_incremental_builds_and_are_reproducible(
    tmp_path: Path, seed_workspace: Path
) -> None:
    bin_folder = tmp_path / "bin"
    use_program(seed_workspace, fake_soffice(bin_folder))
    first = build(seed_workspace, jobs=1)
    assert [p for p in first.problems if p.severity.value == "error"] == []
    out = seed_workspace / "output"
    assert set(pdfs(out)) == DOCUMENTS
    assert [n for _pid, _profile, n in runs(bin_folder)] == [8], "the unit's documents, one start"
    # the stand-in stamps the clock and a random ID, as LibreOffice does: zpgen fixes both
    time.sleep(1.1)
    again = build(seed_workspace, out=tmp_path / "again", jobs=1)
    assert pdfs(tmp_path / "again") == pdfs(out)
    assert b"/CreationDate(D:20240401000000+08'00')" in pdfs(out)[f"{UNIT_NAME}.pdf"]
    assert not again.problems or all(p.severity.value == "warning" for p in again.problems)
    # nothing changed: nothing converted
    unchanged = build(seed_workspace, jobs=1)
    assert set(statuses(unchanged).values()) == {"unchanged"}
    assert len(runs(bin_folder)) == 2
    # one project changed: its documents and the unit's, in one start
    edit_p2(seed_workspace)
    changed = build(seed_workspace, jobs=1)
    assert runs(bin_folder)[-1][2] == 4
    assert {k for k, v in statuses(changed).items() if v != "unchanged"} == {
        f"{UNIT_NAME}/{P2}.pdf",
        f"{UNIT_NAME}.pdf",
    }, "the 自评表 does not print the changed sentence: its PDF is the same bytes"


@posix_only
def test_stale_pdfs_are_pruned_and_an_edited_pdf_is_kept(
    tmp_path: Path, seed_workspace: Path
) -> None:
    use_program(seed_workspace, fake_soffice(tmp_path / "bin"))
    build(seed_workspace, jobs=1)
    out = seed_workspace / "output" / "2023"
    (seed_workspace / "data" / "2023" / SEED_UNIT / P3_FILE).unlink()
    pruned = build(seed_workspace, prune=True, jobs=1)
    assert {p.name for p in pruned.removed} == {
        "事业单位工作人员招聘考试经费专项资金.txt",
        "事业单位工作人员招聘考试经费专项资金_自评表.txt",
        "事业单位工作人员招聘考试经费专项资金.pdf",
        "事业单位工作人员招聘考试经费专项资金_自评表.pdf",
    }
    # a PDF stamped by hand (a signature, a seal) is not replaced, nor are its siblings
    stamped = out / UNIT_NAME / f"{P2}.pdf"
    stamped.write_bytes(stamped.read_bytes() + b"% signed\n")
    edit_p2(seed_workspace)
    txt_before = (out / UNIT_NAME / f"{P2}.txt").read_bytes()
    refused = build(seed_workspace, jobs=1)
    assert refused.failed
    assert any("被手工改过" in p.message and p.file == stamped for p in refused.problems)
    assert stamped.read_bytes().endswith(b"% signed\n")
    assert (out / UNIT_NAME / f"{P2}.txt").read_bytes() == txt_before


@posix_only
def test_a_hung_libreoffice_is_ended_with_its_children_and_reported(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "data", workspace / "data")
    bin_folder = tmp_path / "bin"
    use_program(workspace, fake_soffice(bin_folder, "hang"), "限制:\n  转换用时: 1\n")
    started = time.monotonic()
    result = zpgen("build", cwd=workspace)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "LibreOffice 转换超过 1 秒，已被结束" in result.stderr
    assert "原有的 PDF（如有）保留不变" in result.stderr
    pids = [int(line) for line in (bin_folder / "pids").read_text().split()]
    assert len(pids) == 2, "the stand-in and the child it started"
    assert not any(alive(pid) for pid in pids), "the whole process group is ended"
    # the other formats are built; no PDF is, and none is recorded
    assert (workspace / "output" / "2023" / f"{UNIT_NAME}.txt").is_file()
    assert pdfs(workspace / "output") == {}
    profile = Path(runs(bin_folder)[0][1].partition("file://")[2])
    assert not profile.exists(), "the private profile is deleted"


@posix_only
@pytest.mark.parametrize("mode", ["hang-once:1", "crash-once:1"])
def test_a_document_that_hangs_or_crashes_libreoffice_fails_alone(
    tmp_path: Path, seed_workspace: Path, mode: str
) -> None:
    bin_folder = tmp_path / "bin"
    use_program(seed_workspace, fake_soffice(bin_folder, mode), "限制:\n  转换用时: 1\n")
    report = build(seed_workspace, jobs=1)
    errors = [p for p in report.problems if p.severity.value == "error"]
    assert len(errors) == 1 and errors[0].file is not None
    failed = errors[0].file.relative_to(seed_workspace / "output" / "2023").as_posix()
    expected = "超过 1 秒" if mode.startswith("hang") else "信号 11"
    assert expected in errors[0].message
    assert set(pdfs(seed_workspace / "output")) == DOCUMENTS - {failed}
    assert [n for _pid, _profile, n in runs(bin_folder)] == [8, 6], "the rest in a new start"
    assert report.failures == [errors[0].file]


@posix_only
def test_a_failed_conversion_keeps_the_previous_pdf(tmp_path: Path, seed_workspace: Path) -> None:
    bin_folder = tmp_path / "bin"
    use_program(seed_workspace, fake_soffice(bin_folder), "限制:\n  转换用时: 1\n")
    build(seed_workspace, jobs=1)
    report_pdf = seed_workspace / "output" / "2023" / UNIT_NAME / f"{P1}.pdf"
    before = report_pdf.read_bytes()
    project = seed_workspace / "data" / "2023" / SEED_UNIT / P1_FILE
    project.write_text(
        project.read_text(encoding="utf-8").replace("运行顺畅", "运行平稳"), encoding="utf-8"
    )
    set_mode(bin_folder, "hang-once:0")  # the project's report is the first document
    failed = build(seed_workspace, jobs=1)
    assert failed.failed and failed.failures == [report_pdf]
    assert report_pdf.read_bytes() == before
    assert statuses(failed, ".txt")[f"{UNIT_NAME}/{P1}.txt"] == "updated"
    # the next build tries again: the PDF's record still names the old data
    retried = build(seed_workspace, jobs=1)
    assert statuses(retried)[f"{UNIT_NAME}/{P1}.pdf"] == "updated"
    assert not retried.failed


@posix_only
def test_parallel_workers_have_a_profile_each_and_leave_none(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    for unit in ("甲", "乙"):
        shutil.copytree(ROOT / "data" / "2023" / SEED_UNIT, workspace / "data" / "2023" / unit)
        unit_file = workspace / "data" / "2023" / unit / "unit.yaml"
        text = unit_file.read_text(encoding="utf-8").replace(UNIT_NAME, f"{unit}单位")
        unit_file.write_text(text, encoding="utf-8")
    bin_folder = tmp_path / "bin"
    use_program(workspace, fake_soffice(bin_folder))
    report = build(workspace, jobs=2)
    assert not report.failed
    started = runs(bin_folder)
    assert len(started) == 2
    profiles = {profile for _pid, profile, _n in started}
    assert len(profiles) == 2, "two LibreOffices never share a profile"
    for profile in profiles:
        folder = Path(profile.partition("file://")[2])
        assert not folder.exists(), "each profile is deleted when its worker ends"


def test_libreoffice_named_in_zpgen_yaml_must_be_an_installed_one(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    inside = workspace / "tools" / "soffice"
    inside.parent.mkdir(parents=True)
    inside.write_text("#!/bin/sh\n", encoding="utf-8")
    inside.chmod(0o755)
    cases = {
        "tools/soffice": "不是绝对路径",
        str(inside): "在工作区之内",
        "/bin/sh": "不是 LibreOffice 的程序",
        str(tmp_path / "nowhere" / "soffice"): "在本机上找不到",
    }
    for configured, reason in cases.items():
        program, message = find_libreoffice(configured, workspace)
        assert program is None, configured
        assert reason in message, message


def test_missing_libreoffice_says_how_to_install_it_and_builds_the_rest(
    seed_workspace: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    if any(place.is_file() for place in usual_places()):
        pytest.skip("LibreOffice is installed where zpgen looks besides the PATH")
    result = zpgen("build", "-f", "txt,pdf", cwd=seed_workspace, env={"PATH": str(empty)})
    assert result.returncode == 1
    assert "sudo apt-get install libreoffice-writer-nogui" in result.stderr
    assert "LibreOffice 的安装程序" in result.stderr
    assert result.stderr.count("没有安装 LibreOffice") == 1
    assert (seed_workspace / "output" / "2023" / f"{UNIT_NAME}.txt").is_file()
    assert not list((seed_workspace / "output").rglob("*.pdf"))


def test_reproducible_leaves_a_pdf_it_does_not_know_as_it_is() -> None:
    assert reproducible(b"%PDF-1.7\nnot laid out as LibreOffice writes it", (2024, 4, 1)) == (
        b"%PDF-1.7\nnot laid out as LibreOffice writes it",
        False,
    )


# --- the real LibreOffice -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport, Path]:
    """The seed built with the real LibreOffice (txt and pdf), and built again elsewhere."""
    if SOFFICE is None or not POPPLER:
        pytest.skip("LibreOffice or poppler-utils is not installed")
    root = tmp_path_factory.mktemp("real")
    workspace = root / "ws"
    shutil.copytree(ROOT / "data", workspace / "data")
    report = build(workspace, formats=["txt", "pdf"], jobs=1)
    build(workspace, out=root / "again", formats=["pdf"], jobs=1)
    return workspace / "output", report, root / "again"


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    lines = text.decode("utf-8").splitlines()
    return "\n".join(line for line in lines if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line))


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout
    found = re.search(rb"^Pages:\s+(\d+)", info, re.M)
    assert found is not None
    return int(found.group(1))


def bare(text: str) -> str:
    """Letters and digits only: pdftotext breaks lines and moves punctuation at line ends."""
    return re.sub(r"[\W_]+", "", text)


@real_libreoffice
def test_real_pdfs_have_the_reports_pages_and_text(
    real_builds: tuple[Path, BuildReport, Path],
) -> None:
    out, report, _again = real_builds
    assert not report.failed, report.problems
    year = out / "2023"
    assert set(pdfs(out)) == DOCUMENTS
    # each project's 自评表 fits on one A4 page; the unit's has one a project
    assert pdf_pages(year / UNIT_NAME / f"{P1}_自评表.pdf") == 1
    assert pdf_pages(year / f"{UNIT_NAME}_自评表.pdf") == 3
    assert pdf_pages(year / f"{UNIT_NAME}.pdf") >= 6
    # every paragraph of the .txt twin is in the PDF's text
    for name in (f"{UNIT_NAME}", f"{UNIT_NAME}/{P1}"):
        text = bare(pdf_text(year / f"{name}.pdf"))
        paragraphs = [bare(line) for line in (year / f"{name}.txt").read_text("utf-8").splitlines()]
        assert [p for p in paragraphs if p and p not in text] == []
    table = bare(pdf_text(year / UNIT_NAME / f"{P1}_自评表.pdf"))
    for cell in ("项目支出绩效自评表", "年度资金总额", "维护数据业务系统数量", "自评等级"):
        assert cell in table
    info = subprocess.run(["pdfinfo", str(year / f"{UNIT_NAME}.pdf")], capture_output=True).stdout
    assert b"Author:          " + UNIT_NAME.encode() in info
    assert b"CreationDate:    Sun Mar 31 16:00:00 2024 UTC" in info, "评价时间 2024年4月"


@real_libreoffice
def test_real_pdfs_are_byte_identical_and_well_formed(
    real_builds: tuple[Path, BuildReport, Path],
) -> None:
    out, _report, again = real_builds
    assert pdfs(again) == pdfs(out)
    if shutil.which("qpdf"):
        for path in (out / "2023").rglob("*.pdf"):
            checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
            assert checked.returncode == 0, checked.stdout


@real_libreoffice
def test_a_document_converted_in_a_batch_is_the_bytes_of_one_converted_alone(
    real_builds: tuple[Path, BuildReport, Path], tmp_path: Path
) -> None:
    """LibreOffice numbers the fonts it embeds across the documents of one start: zpgen
    numbers them from each document alone."""
    out, _report, _again = real_builds
    workspace = out.parent
    build(workspace, out=tmp_path / "docx", formats=["docx"], jobs=1)
    year = tmp_path / "docx" / "2023"
    names = [f"{UNIT_NAME}/{P1}", f"{UNIT_NAME}/{P2}_自评表", UNIT_NAME]
    jobs = [Job(Path(n), (year / f"{n}.docx").read_bytes(), (2024, 4, 1)) for n in names]
    assert SOFFICE is not None
    converter = Converter(SOFFICE, 120)
    try:
        batch = converter.convert(jobs)
        alone = converter.convert(jobs[-1:])
    finally:
        converter.close()
    assert all(outcome.reproducible for outcome in batch)
    assert batch[-1].pdf == alone[0].pdf == (out / "2023" / f"{UNIT_NAME}.pdf").read_bytes()


@real_libreoffice
def test_missing_fonts_are_named_with_what_the_pdfs_show_instead(
    real_builds: tuple[Path, BuildReport, Path], tmp_path: Path
) -> None:
    _out, report, _again = real_builds
    from zpgen.write.fonts import installed_fonts

    fonts = installed_fonts()
    if fonts is None or "仿宋_GB2312" in fonts:
        pytest.skip("fontconfig is not here, or 仿宋_GB2312 is installed")
    said = [p.message for p in report.problems if "字体" in p.message]
    assert len(said) == 1 and "仿宋_GB2312 → " in said[0] and "替代字体" in said[0]
    if "Noto Serif CJK SC" not in fonts:
        pytest.skip("Noto Serif CJK SC (fonts-noto-cjk) is not installed")
    # 替代字体 chooses the face: the PDF embeds it
    workspace = tmp_path / "ws"
    write_tree(workspace, {"zpgen.yaml": "替代字体:\n  仿宋_GB2312: Noto Serif CJK SC\n"})
    shutil.copytree(ROOT / "data", workspace / "data")
    chosen = build(workspace, formats=["pdf"], jobs=1)
    said = [p.message for p in chosen.problems if "字体" in p.message]
    assert "仿宋_GB2312 → Noto Serif CJK SC（替代字体）" in said[0]
    pdf = (workspace / "output" / "2023" / UNIT_NAME / f"{P1}.pdf").read_bytes()
    assert b"NotoSerifCJK" in pdf
    assert (
        hashlib.sha256(pdf).hexdigest()
        != hashlib.sha256((_out / "2023" / UNIT_NAME / f"{P1}.pdf").read_bytes()).hexdigest()
    )
