"""Files the import cannot read, and workspaces it must not touch: a message naming the file and
the reason, no traceback, and nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from zpgen.errors import ZpgenError
from zpgen.importer import import_files
from zpgen.importer.package import LIMITS

from ..conftest import ROOT, SEED_UNIT, UNIT_NAME, invoke_zpgen, run_zpgen
from ..test_seed import SEED

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole2(*streams: str) -> bytes:
    """The first bytes of an OLE2 compound file naming ``streams`` in its directory."""
    names = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in streams)
    return _OLE2 + b"\x00" * 504 + names + b"\x00" * 512


def _docx_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _bomb(path: Path, size: int) -> Path:
    """A .docx whose picture inflates to ``size`` bytes of zeros, written in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.png", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


CASES = {
    "报告.doc": (_ole2("WordDocument"), "另存为 .docx"),
    "自评表.xls": (_ole2("Workbook"), "另存为 .xlsx"),
    "加密.docx": (_ole2("EncryptionInfo", "EncryptedPackage"), "设有打开密码"),
    "扫描件.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    "扫描件.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "图片"),
    "扫描件.jpg": (b"\xff\xd8\xff\xe0" + bytes(64), "图片"),
    "损坏.docx": (b"PK\x03\x04" + bytes(200), "已损坏"),
    "不是文档.docx": (_docx_with({"readme.txt": b"hello"}), "不是 Word 或 Excel 文档"),
    "坏的内容.docx": (
        _docx_with({"[Content_Types].xml": b"<Types", "word/document.xml": b"<oops"}),
        "已损坏",
    ),
    "二进制.txt": (bytes(range(256)) * 4, "不是 zpgen 能读取的"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_file_that_cannot_be_read_is_named_with_the_reason(tmp_path: Path, name: str) -> None:
    content, reason = CASES[name]
    (tmp_path / name).write_bytes(content)
    result = invoke_zpgen("import", name, "--into", "ws", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"错误：{name}: "), result.stderr
    assert reason in result.stderr
    assert not (tmp_path / "ws").exists()


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "炸弹.docx", LIMITS["member"] + 2**20)
    assert bomb.stat().st_size < 2**20  # a few hundred KB that claim 65 MB
    with pytest.raises(ZpgenError) as caught:
        import_files([bomb], into=tmp_path / "ws")
    assert "拒绝读取" in str(caught.value) and "word/media/image1.png" in str(caught.value)


def test_a_member_that_lies_about_its_size_is_caught(tmp_path: Path) -> None:
    data = bytearray(
        _docx_with({"word/document.xml": b"<w:document>" + b" " * 50000 + b"</w:document>"})
    )
    # shrink the declared size in the local header and the central directory: zipfile stops at
    # the declared size, and the CRC no longer matches
    declared = (50000 + 25).to_bytes(4, "little")
    smaller = (100).to_bytes(4, "little")
    data = bytearray(bytes(data).replace(declared, smaller))
    (tmp_path / "说谎.docx").write_bytes(bytes(data))
    with pytest.raises(ZpgenError) as caught:
        import_files([tmp_path / "说谎.docx"], into=tmp_path / "ws")
    assert "已损坏" in str(caught.value)


def test_every_unreadable_file_is_named_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "a.doc").write_bytes(_ole2("WordDocument"))
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(ZpgenError) as caught:
        import_files([SEED, tmp_path / "a.doc", tmp_path / "b.pdf"], into=tmp_path / "ws")
    assert [p.file.name for p in caught.value.problems if p.file] == ["a.doc", "b.pdf"]
    assert not (tmp_path / "ws").exists()


def test_nothing_is_overwritten_without_force(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    first = import_files([SEED], into=workspace)
    project = first.folder / "01-数据系统维护费.yaml"
    project.write_text("# edited by hand\n", "utf-8")
    result = invoke_zpgen("import", str(SEED), "--into", "ws", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("不加 --force 时 zpgen import 不覆盖文件") == 4
    assert project.read_text("utf-8") == "# edited by hand\n"

    result = invoke_zpgen("import", str(SEED), "--into", "ws", "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert project.read_text("utf-8") != "# edited by hand\n"
    assert f"更新  ws/data/2023/{UNIT_NAME}/01-数据系统维护费.yaml" in result.stdout


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = invoke_zpgen("import", str(SEED), "--into", "ws", "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"将写入  ws/data/2023/{UNIT_NAME}/unit.yaml" in result.stdout
    assert result.stdout.rstrip().endswith("待填 60 项，待核对 3 项。")
    assert not (tmp_path / "ws").exists()


def test_the_year_and_the_unit_folder_can_be_given(tmp_path: Path) -> None:
    report = import_files([SEED], into=tmp_path / "ws", year=2023, unit=SEED_UNIT)
    assert report.folder == tmp_path / "ws" / "data" / "2023" / SEED_UNIT
    assert (report.folder / "unit.yaml").is_file()


def test_a_file_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = run_zpgen("import", "没有这个文件.docx", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "错误：没有这个文件.docx: 文件或文件夹不存在。\n",
    )


def test_the_help_is_translated() -> None:
    result = invoke_zpgen("import", "--help", cwd=ROOT)
    assert "读入往年的自评报告" in result.stdout
    english = invoke_zpgen("--lang", "en", "import", "--help", cwd=ROOT)
    assert "Read last year's reports" in english.stdout
