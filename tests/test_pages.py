"""Pages that look right: every .docx zpgen writes passes an independent OOXML validator, also
from a workspace's own base document without a theme."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

from zpgen.builder import build
from zpgen.commands.templates import builtin_base_sample

from .conftest import ROOT

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
