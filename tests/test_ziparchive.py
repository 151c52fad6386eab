"""The zip writer with members compressed once: the bytes zipfile writes, readable by zipfile."""

from __future__ import annotations

import io
import zipfile

from zpgen.write.zip import LEVEL, archive, member

MEMBERS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
    "word/document.xml": "<w:t>项目支出绩效自评报告</w:t>".encode() * 200,
    "word/媒体/空.bin": b"",
}


def _zipfile_bytes(members: dict[str, bytes]) -> bytes:
    """What zipfile writes for the same members with zpgen's fixed stamp and attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            package.writestr(info, content, compresslevel=LEVEL)
        for info in package.infolist():
            info.external_attr = 0
    return buffer.getvalue()


def test_the_archive_is_byte_for_byte_what_zipfile_writes() -> None:
    ours = archive([member(name, content) for name, content in MEMBERS.items()])
    assert ours == _zipfile_bytes(MEMBERS)


def test_zipfile_reads_every_member_back() -> None:
    ours = archive([member(name, content) for name, content in MEMBERS.items()])
    with zipfile.ZipFile(io.BytesIO(ours)) as package:
        assert package.testzip() is None
        assert package.namelist() == list(MEMBERS)
        assert {name: package.read(name) for name in MEMBERS} == MEMBERS


def test_a_member_compressed_once_serves_many_archives() -> None:
    shared = member("word/styles.xml", b"<w:styles/>" * 50)
    first = archive([member("a.xml", b"1"), shared])
    second = archive([member("a.xml", b"2"), shared])
    for data, expected in ((first, b"1"), (second, b"2")):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert package.read("a.xml") == expected
            assert package.read("word/styles.xml") == b"<w:styles/>" * 50
