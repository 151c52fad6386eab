"""The .docx writer: what Word (here python-docx) finds in the file, and the GB/T 9704 layout."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from zpgen.errors import ZpgenError
from zpgen.render.markup import Block, BlockKind, Document, DocumentMeta, Numbering, parse_markup
from zpgen.write.base import load_workspace_base
from zpgen.write.docx import BaseDocx, load_base, render_docx

from .conftest import SEED_UNIT, UNIT_NAME

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
META = DocumentMeta("数据系统维护费项目支出绩效自评报告", SEED_UNIT, (2024, 4, 30), "绩效自评")
TRICKY = "A&B <项目> \"引号\" 'x' &amp; 😀 ＜全角＞"

MARKUP = f"""\
^{UNIT_NAME}
= 项目支出绩效自评报告
^（数据系统维护费）
# 绩效自评工作开展情况
根据预算绩效管理要求，本单位开展了绩效自评，共涉及资金8.56万元。
## 资金投入情况分析。
### 项目资金到位情况分析。
#### 到位时间。
@数量指标：实际维护了18个数据业务系统。
{TRICKY}
列一\t列二
%table 1 1
%row
| 单元格
| {TRICKY}
%end
---
# 绩效自评结果拟应用和公开情况
> {UNIT_NAME}
> 2024年4月
"""

# (text, style id) of every paragraph, in order; the break leaves no paragraph of its own.
EXPECTED = [
    (UNIT_NAME, "Centered"),
    ("项目支出绩效自评报告", "Title"),
    ("（数据系统维护费）", "Centered"),
    ("一、绩效自评工作开展情况", "Heading1"),
    ("根据预算绩效管理要求，本单位开展了绩效自评，共涉及资金8.56万元。", "Normal"),
    ("（一）资金投入情况分析。", "Heading2"),
    ("1.项目资金到位情况分析。", "Heading3"),
    ("（1）到位时间。", "Heading4"),
    ("数量指标：实际维护了18个数据业务系统。", "Normal"),
    (TRICKY, "Normal"),
    ("列一\t列二", "Normal"),
    ("一、绩效自评结果拟应用和公开情况", "Heading1"),
    (UNIT_NAME, "Signature"),
    ("2024年4月", "Signature"),
]

EAST_ASIAN_FONTS = {
    "Normal": "仿宋_GB2312",
    "Title": "方正小标宋简体",
    "Heading1": "黑体",
    "Heading2": "楷体_GB2312",
    "Heading3": "仿宋_GB2312",
    "Heading4": "仿宋_GB2312",
    "Centered": "仿宋_GB2312",
    "Signature": "仿宋_GB2312",
    "Label": "仿宋_GB2312",
    "Footer": "宋体",
    "TableGrid": "仿宋_GB2312",
    "TableText": "仿宋_GB2312",
}


@pytest.fixture(scope="module")
def base() -> BaseDocx:
    return load_base()


@pytest.fixture(scope="module")
def document() -> Document:
    return parse_markup(MARKUP, META, Numbering())


@pytest.fixture
def docx_path(tmp_path: Path, document: Document, base: BaseDocx) -> Path:
    path = tmp_path / "report.docx"
    path.write_bytes(render_docx(document, base))
    return path


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def test_covers_every_block_kind(document: Document) -> None:
    assert {block.kind for block in document.blocks} == set(BlockKind)


def test_paragraph_texts_and_styles(docx_path: Path) -> None:
    paragraphs = docx.Document(str(docx_path)).paragraphs
    assert [(p.text, p.style.style_id) for p in paragraphs] == EXPECTED


def test_labelled_paragraph_has_a_label_run(docx_path: Path) -> None:
    paragraph = docx.Document(str(docx_path)).paragraphs[8]
    runs = [(run.text, run.style.style_id if run.style else None) for run in paragraph.runs]
    assert runs == [("数量指标：", "Label"), ("实际维护了18个数据业务系统。", None)]


def test_break_starts_the_next_paragraph_on_a_new_page(docx_path: Path) -> None:
    paragraphs = docx.Document(str(docx_path)).paragraphs
    breaks = [p.text for p in paragraphs if p.paragraph_format.page_break_before]
    assert breaks == ["一、绩效自评结果拟应用和公开情况"]
    assert not any(p.text == "" for p in paragraphs)


def test_page_setup_follows_gb_t_9704(docx_path: Path) -> None:
    section = docx.Document(str(docx_path)).sections[0]
    assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    for margin, expected_mm in zip(margins, (37, 35, 28, 26), strict=True):
        assert margin.mm == pytest.approx(expected_mm, abs=0.1)


def test_every_style_names_its_chinese_font(docx_path: Path) -> None:
    styles = part(docx_path, "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "仿宋_GB2312"
    for style in styles.iter(f"{W}style"):
        fonts = style.find(f"{W}rPr/{W}rFonts")
        style_id = style.get(f"{W}styleId")
        assert fonts.get(f"{W}eastAsia") == EAST_ASIAN_FONTS[style_id], style_id
        assert fonts.get(f"{W}ascii") == fonts.get(f"{W}hAnsi") == "Times New Roman", style_id
    body = part(docx_path, "word/document.xml")
    used = {e.get(f"{W}val") for e in body.iter(f"{W}pStyle", f"{W}rStyle")} | {"Normal"}
    assert used <= set(EAST_ASIAN_FONTS)


def test_body_title_and_heading_layout(docx_path: Path) -> None:
    styles = docx.Document(str(docx_path)).styles
    normal = styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert normal.element.pPr.find(f"{W}ind").get(f"{W}firstLineChars") == "200"
    title = styles["Title"]
    assert title.font.size.pt == 22
    assert title.font.bold is False
    for level in range(1, 5):
        heading = styles[f"Heading {level}"]
        assert heading.style_id == f"Heading{level}"
        assert heading.font.bold is False
        assert heading.element.pPr.find(f"{W}outlineLvl").get(f"{W}val") == str(level - 1)


def test_widow_and_orphan_control_and_headings_kept_with_what_follows(docx_path: Path) -> None:
    styles = docx.Document(str(docx_path)).styles
    # Normal turns it on, and every paragraph style is based on Normal and keeps it
    assert styles["Normal"].paragraph_format.widow_control is True
    for style in styles:
        if style.type == 1 and style.style_id != "Normal":  # WD_STYLE_TYPE.PARAGRAPH
            assert style.base_style.style_id == "Normal", style.style_id
            assert style.paragraph_format.widow_control is None, style.style_id  # inherited
    for style_id in ("Heading1", "Heading2", "Heading3", "Heading4", "Title"):
        paragraph = next(s for s in styles if s.style_id == style_id).paragraph_format
        assert paragraph.keep_with_next is True, style_id
        assert paragraph.keep_together is True, style_id


A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def test_a_theme_of_explicit_fonts_and_no_theme_fonts_in_the_styles(docx_path: Path) -> None:
    with zipfile.ZipFile(docx_path) as archive:
        names = archive.namelist()
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    # the theme Word expects: related from the main part, with its content type
    assert [name for name in names if "theme" in name.lower()] == ["word/theme/theme1.xml"]
    assert 'Target="theme/theme1.xml"' in rels and "relationships/theme" in rels
    assert 'PartName="/word/theme/theme1.xml"' in types
    fonts = part(docx_path, "word/theme/theme1.xml").find(f"{A}themeElements/{A}fontScheme")
    faces = {
        (scheme, slot): fonts.find(f"{A}{scheme}/{A}{slot}").get("typeface")
        for scheme in ("majorFont", "minorFont")
        for slot in ("latin", "ea", "cs")
    }
    assert faces == {
        ("majorFont", "latin"): "Times New Roman",
        ("majorFont", "ea"): "黑体",
        ("majorFont", "cs"): "Times New Roman",
        ("minorFont", "latin"): "Times New Roman",
        ("minorFont", "ea"): "仿宋_GB2312",
        ("minorFont", "cs"): "Times New Roman",
    }
    # and nothing refers to it: Word would prefer a *Theme attribute over the explicit font
    for name in ("word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        for element in part(docx_path, name).iter():
            themed = [a for a in element.attrib if a.endswith("Theme")]
            assert not themed, (name, element.tag, themed)
    lang = part(docx_path, "word/styles.xml").find(f"{W}docDefaults//{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"
    theme_lang = part(docx_path, "word/settings.xml").find(f"{W}themeFontLang")
    assert theme_lang is not None, "Word's language for East Asian text: Chinese"
    assert dict(theme_lang.attrib) == {f"{W}val": "en-US", f"{W}eastAsia": "zh-CN"}


def test_page_numbers_odd_right_even_left(docx_path: Path) -> None:
    document = docx.Document(str(docx_path))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        assert not footer.is_linked_to_previous
        xml = footer._element.xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        (paragraph,) = footer.paragraphs
        assert paragraph.style.style_id == "Footer"
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph._p.pPr.find(f"{W}jc").get(f"{W}val") == side
        assert paragraph._p.pPr.find(f"{W}ind").get(f"{W}{side}") == "280"


def test_core_properties_come_from_the_data(docx_path: Path) -> None:
    properties = docx.Document(str(docx_path)).core_properties
    assert properties.title == META.title
    assert properties.author == properties.last_modified_by == META.author
    assert properties.subject == META.subject
    for stamp in (properties.created, properties.modified):
        assert stamp.replace(tzinfo=None) == datetime.datetime(2024, 4, 30)


def test_two_renders_are_byte_identical(document: Document, base: BaseDocx) -> None:
    first = render_docx(document, base)
    assert render_docx(document, load_base()) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {(i.date_time, i.create_system, i.external_attr) for i in infos} == {
        ((1980, 1, 1, 0, 0, 0), 0, 0)
    }


def test_text_survives_exactly(tmp_path: Path, base: BaseDocx) -> None:
    texts = ["  leading and trailing spaces  ", TRICKY, "]]> <!-- -->", "a\tb", "一\n二"]
    document = Document(META, tuple(Block(BlockKind.PARAGRAPH, text) for text in texts))
    path = tmp_path / "tricky.docx"
    path.write_bytes(render_docx(document, base))
    assert [p.text for p in docx.Document(str(path)).paragraphs] == texts


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x1f", "\x85", "\ud800", "\uffff"])
def test_characters_xml_cannot_hold_are_refused(char: str, base: BaseDocx) -> None:
    code = f"U+{ord(char):04X}"
    bad = Document(META, (Block(BlockKind.PARAGRAPH, f"前{char}后"),))
    with pytest.raises(ValueError, match=re.escape(code)):
        render_docx(bad, base)
    bad_meta = Document(DocumentMeta(f"标题{char}", "作者", (2024, 4, 30)), ())
    with pytest.raises(ValueError, match=re.escape(code)):
        render_docx(bad_meta, base)


def test_a_users_docx_serves_as_base(docx_path: Path, tmp_path: Path, document: Document) -> None:
    user_base, warnings = load_workspace_base(docx_path)
    assert warnings == []
    again = tmp_path / "again.docx"
    again.write_bytes(render_docx(document, user_base))
    result = docx.Document(str(again))
    assert [(p.text, p.style.style_id) for p in result.paragraphs] == EXPECTED
    assert result.sections[0].left_margin.mm == pytest.approx(28, abs=0.1)


def test_a_base_without_the_needed_styles_is_refused(docx_path: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(docx_path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    styles = etree.fromstring(parts["word/styles.xml"])
    for style in list(styles.iter(f"{W}style")):
        if style.get(f"{W}styleId") in ("Label", "Heading3"):
            styles.remove(style)
    parts["word/styles.xml"] = etree.tostring(styles)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(ZpgenError, match=r"缺少 zpgen 需要的样式：标题 3（heading 3）、Label"):
        load_workspace_base(broken)


def test_not_a_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(ZpgenError, match=r"不是 \.docx 文件"):
        load_workspace_base(path)
