"""The .docx writer: a document's blocks as WordprocessingML, inside a base document's parts.

The base document (built in: ``templates/base-docx/``, one readable XML file per part) supplies
everything but the body: styles, page setup, footers, settings. ``load_base`` parses it once and
splits ``word/document.xml`` around the body; ``render_docx`` then only joins strings, escapes
text and zips the parts, byte for byte the same for the same document.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from zpgen.model.values import FORBIDDEN_CHARACTERS
from zpgen.render.markup import Block, BlockKind, Document, DocumentMeta
from zpgen.resources import builtin_templates
from zpgen.write.docx_table import TABLE_STYLES, TableBox, table_xml
from zpgen.write.ooxml import (
    CONTENT_TYPES_PART,
    CORE_PART,
    DOCUMENT_PART,
    STYLES_PART,
    W_NS,
    xml_parser,
)
from zpgen.write.texttable import text_width
from zpgen.write.zip import Member, archive, member

__all__ = [
    "REQUIRED_STYLES",
    "BaseDocx",
    "base_from_parts",
    "load_base",
    "render_docx",
]

_W = "{" + W_NS + "}"


# The style ids the writer refers to, and their types. Body paragraphs use the default
# paragraph style (Normal) and carry no w:pStyle.
REQUIRED_STYLES: dict[str, str] = {
    "Title": "paragraph",
    "Heading1": "paragraph",
    "Heading2": "paragraph",
    "Heading3": "paragraph",
    "Heading4": "paragraph",
    "Centered": "paragraph",
    "Signature": "paragraph",
    "Label": "character",
    **TABLE_STYLES,
}

_BLOCK_STYLES = {
    BlockKind.TITLE: "Title",
    BlockKind.CENTER: "Centered",
    BlockKind.SIGNATURE: "Signature",
}

_WRITTEN_PARTS = (DOCUMENT_PART, CORE_PART)  # made for each document; the rest are the base's

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BODY_MARK = "zpgen-body"
_DEFAULT_LINE = 579  # twips: GB/T 9704's 28.95 pt line
_DEFAULT_TEXT_WIDTH = 8844  # twips: GB/T 9704's 156 mm text block
_DEFAULT_TEXT_HEIGHT = 12756  # twips: its 225 mm
_DEFAULT_TABLE_FONT = 180  # twips: TableText's 小五 (9 pt)
_DEFAULT_BOX = TableBox(_DEFAULT_TEXT_WIDTH, _DEFAULT_TEXT_HEIGHT, _DEFAULT_TABLE_FONT)


@dataclass(frozen=True, slots=True)
class BaseDocx:
    """A base document, parsed once: its parts and its main part split around the body.

    ``parts`` maps part names (``word/styles.xml``) to bytes; the writer replaces
    ``word/document.xml`` (``document_head`` + body + ``document_tail``, the tail holding the
    final ``w:sectPr``) and ``docProps/core.xml``. ``title_gap`` is the space (twips) below the
    title block: one body line. ``table_box`` is where a table goes: the page less its margins,
    and the size of the table text (twips). ``members`` holds the other parts compressed, once
    for every document.
    """

    parts: dict[str, bytes]
    document_head: str
    document_tail: str
    title_gap: int = _DEFAULT_LINE
    table_box: TableBox = _DEFAULT_BOX
    members: dict[str, Member] = field(init=False)
    order: tuple[str, ...] = field(init=False)  # the parts' names in the package

    def __post_init__(self) -> None:
        # [Content_Types].xml first (some readers expect it), then the parts by name
        order = sorted(self.parts, key=lambda name: (name != CONTENT_TYPES_PART, name))
        packed = {
            name: member(name, self.parts[name]) for name in order if name not in _WRITTEN_PARTS
        }
        object.__setattr__(self, "members", packed)
        object.__setattr__(self, "order", tuple(order))


def load_base() -> BaseDocx:
    """The built-in base document (a workspace's own: ``zpgen.write.base``)."""
    parts = _read_builtin(builtin_templates() / "base-docx")
    return base_from_parts(parts, "the built-in base document")


def base_from_parts(parts: dict[str, bytes], where: str) -> BaseDocx:
    """A base document from its parts (part name → bytes); ``where`` names it in errors."""
    for needed in (CONTENT_TYPES_PART, DOCUMENT_PART, STYLES_PART, CORE_PART):
        if needed not in parts:
            raise ValueError(f"{where}: part {needed} is missing")
    styles = _parse(parts[STYLES_PART], where, STYLES_PART)
    _check_styles(styles, where)
    head, tail, (width, height) = _split_document(parts[DOCUMENT_PART], where)
    box = TableBox(width, height, _table_font(styles))
    return BaseDocx(parts, head, tail, _body_line(styles), box)


def render_docx(document: Document, base: BaseDocx) -> bytes:
    """The .docx file's bytes: the same document and base always give the same bytes."""
    body = _render_body(document.blocks, base)
    written = {
        DOCUMENT_PART: (base.document_head + body + base.document_tail).encode("utf-8"),
        CORE_PART: _core_xml(document.meta).encode("utf-8"),
    }
    return archive(
        [
            member(name, written[name]) if name in written else base.members[name]
            for name in base.order
        ]
    )


# --- the body ---------------------------------------------------------------------------------


def _render_body(blocks: tuple[Block, ...], base: BaseDocx) -> str:
    out: list[str] = []
    page_break = False  # a BREAK puts w:pageBreakBefore on the next paragraph: no empty line
    in_title_block = False  # one line of space between the title block and what follows it
    title_gap = base.title_gap
    previous: Block | None = None
    page = _Page(base)  # how far down its page each block starts: where a table may turn it
    for block in blocks:
        kind = block.kind
        if kind is BlockKind.BREAK:
            page_break = True
            continue
        if block.table is not None:
            # A w:tbl takes no w:pageBreakBefore: a break before a table is a small paragraph.
            # Word and LibreOffice join tables that touch, and the second one's header row would
            # no longer repeat: a 1 pt paragraph keeps them apart. A table right below the title
            # block sits close under it.
            if page_break:
                out.append(_TABLE_SPACER.format("<w:pageBreakBefore/>"))
                page.new_page(base.table_box.line)
            elif previous is not None and previous.table is not None:
                out.append(_TABLE_SPACER.format(_HAIRLINE))
                page.add(_HAIRLINE_HEIGHT)
            page_break = in_title_block = False
            xml, page.used = table_xml(block.table, base.table_box, _run, page.used)
            out.append(xml)
            previous = block
            continue
        extra = ""
        if page_break:
            extra = "<w:pageBreakBefore/>"
            page_break = False
            page.new_page(0)
        if kind is BlockKind.TITLE:
            in_title_block = True
        elif kind is not BlockKind.CENTER and in_title_block:
            extra += f'<w:spacing w:before="{title_gap}"/>'
            page.add(title_gap)
            in_title_block = False
        out.append(_RENDERERS[kind](block, extra))
        if kind is BlockKind.SIGNATURE and (previous is None or previous.kind is not kind):
            page.add(page.line)  # the style's space above the first line of a 落款
        page.add(page.paragraph(block))
        previous = block
    if blocks and blocks[-1].table is not None:
        # Word needs a paragraph after a table; a 1 pt one, so it cannot spill onto a new page.
        out.append(_TABLE_SPACER.format(_HAIRLINE))
    return "".join(out)


class _Page:
    """An estimate of how far down its page the text has come (twips), from the lines each
    paragraph takes: what a table needs to part its rows where it turns the page."""

    def __init__(self, base: BaseDocx) -> None:
        self.line = base.title_gap  # the body's line
        self.box = base.table_box
        self.used = 0

    def new_page(self, height: int) -> None:
        self.used = height

    def add(self, height: int) -> None:
        self.used = (self.used + height) % self.box.height

    def paragraph(self, block: Block) -> int:
        """The height of a paragraph: its lines of the body's line (the title's characters are
        larger; the body and the headings are indented two characters)."""
        size = _TITLE_SIZE if block.kind is BlockKind.TITLE else _BODY_SIZE
        indent = 4 if block.kind in _INDENTED else 0  # half-ems
        half_ems = max(2, self.box.width * 2 // size)
        lines = 0
        for line in _block_text(block).split("\n"):
            lines += max(1, -(-(indent + text_width(line)) // half_ems))
        return lines * self.line


_INDENTED = (BlockKind.PARAGRAPH, BlockKind.LABELLED, BlockKind.HEADING)
_BODY_SIZE = 320  # twips: 三号 (16 pt)
_TITLE_SIZE = 440  # twips: 二号 (22 pt)
_HAIRLINE_HEIGHT = 20


def _block_text(block: Block) -> str:
    return block.number + block.label + block.text


_TABLE_SPACER = '<w:p><w:pPr><w:pStyle w:val="TableText"/>{}</w:pPr></w:p>'
_HAIRLINE = '<w:spacing w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr>'


def _paragraph(style: str, extra_ppr: str, runs: str) -> str:
    """extra_ppr: elements that follow w:pStyle in w:pPr (pageBreakBefore, spacing)."""
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + extra_ppr
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>" if ppr else f"<w:p>{runs}</w:p>"


def _styled(block: Block, extra_ppr: str) -> str:
    return _paragraph(_BLOCK_STYLES[block.kind], extra_ppr, _run(block.text))


def _plain(block: Block, extra_ppr: str) -> str:
    return _paragraph("", extra_ppr, _run(block.text))


def _heading(block: Block, extra_ppr: str) -> str:
    if not 1 <= block.level <= 4:
        raise ValueError(f"heading level must be 1 to 4, not {block.level}: {block.text!r}")
    return _paragraph(f"Heading{block.level}", extra_ppr, _run(block.number + block.text))


def _labelled(block: Block, extra_ppr: str) -> str:
    label = _run(block.number + block.label, '<w:rPr><w:rStyle w:val="Label"/></w:rPr>')
    return _paragraph("", extra_ppr, label + _run(block.text))


# One renderer per block kind that makes a paragraph; BREAK and TABLE are handled by
# _render_body.
_RENDERERS: dict[BlockKind, Callable[[Block, str], str]] = {
    BlockKind.TITLE: _styled,
    BlockKind.CENTER: _styled,
    BlockKind.SIGNATURE: _styled,
    BlockKind.HEADING: _heading,
    BlockKind.PARAGRAPH: _plain,
    BlockKind.LABELLED: _labelled,
}


def _run(text: str, rpr: str = "") -> str:
    """A run holding text: escaped, tabs as w:tab, line breaks as w:br; "" for no text."""
    if not text:
        return ""
    inner = _escape(text)
    if "\t" in inner or "\n" in inner:
        inner = inner.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">').replace(
            "\n", '</w:t><w:br/><w:t xml:space="preserve">'
        )
    return f'<w:r>{rpr}<w:t xml:space="preserve">{inner}</w:t></w:r>'


def _escape(text: str) -> str:
    """Escape for XML character data; refuse what XML cannot hold, naming the character."""
    bad = FORBIDDEN_CHARACTERS.search(text)
    if bad:
        char = bad.group()
        raise ValueError(
            f"character U+{ord(char):04X} cannot be written to a .docx"
            f" (at position {bad.start() + 1} of {text!r})"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- document properties ----------------------------------------------------------------------


def _core_xml(meta: DocumentMeta) -> str:
    """docProps/core.xml from the data: the evaluation date, never the clock."""
    stamp = datetime.date(*meta.date).isoformat() + "T00:00:00Z"
    author = _escape(meta.author)
    subject = f"<dc:subject>{_escape(meta.subject)}</dc:subject>" if meta.subject else ""
    return (
        _XML_DECLARATION + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
        'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_escape(meta.title)}</dc:title>{subject}"
        f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


# --- the package ------------------------------------------------------------------------------


def _read_builtin(folder: Path) -> dict[str, bytes]:
    """The XML part files below folder, without their comments (notes for the reader)."""
    if not folder.is_dir():
        raise ValueError(f"the built-in base document is missing: {folder}")
    parser = etree.XMLParser(remove_comments=True)
    parts: dict[str, bytes] = {}
    for file in sorted(folder.rglob("*")):
        if file.is_file() and file.name.endswith((".xml", ".rels")):
            tree = etree.fromstring(file.read_bytes(), parser)
            data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
            parts[file.relative_to(folder).as_posix()] = data
    return parts


def _parse(data: bytes, where: str, part: str) -> etree._Element:
    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as error:
        raise ValueError(f"{where}: {part} is not well-formed XML ({error})") from error


def _check_styles(styles: etree._Element, where: str) -> None:
    present = {
        (str(style.get(_W + "type")), str(style.get(_W + "styleId")))
        for style in styles.iter(_W + "style")
    }
    missing = [
        f"{style_id} ({kind})"
        for style_id, kind in REQUIRED_STYLES.items()
        if (kind, style_id) not in present
    ]
    if missing:
        raise ValueError(f"{where}: styles missing from the base document: {', '.join(missing)}")


def _body_line(styles: etree._Element) -> int:
    """The Normal style's exact line height in twips, else GB/T 9704's 28.95 pt."""
    for style in styles.iter(_W + "style"):
        if style.get(_W + "styleId") == "Normal":
            spacing = style.find(f"{_W}pPr/{_W}spacing")
            if spacing is not None and spacing.get(_W + "lineRule") == "exact":
                line = spacing.get(_W + "line")
                if line and line.isdigit():
                    return int(line)
    return _DEFAULT_LINE


def _split_document(data: bytes, where: str) -> tuple[str, str, tuple[int, int]]:
    """word/document.xml without its body's content: the text before it and after it, and the
    width and height of its text block in twips.

    The tail keeps the body's final w:sectPr (page size, margins, footers).
    """
    root = _parse(data, where, DOCUMENT_PART)
    body = root.find(_W + "body")
    if root.tag != _W + "document" or body is None:
        raise ValueError(f"{where}: {DOCUMENT_PART} has no w:document/w:body")
    if root.nsmap.get("w") != W_NS:
        raise ValueError(f"{where}: {DOCUMENT_PART} must use the prefix w: for WordprocessingML")
    section = body[-1] if len(body) and body[-1].tag == _W + "sectPr" else None
    for child in list(body):
        body.remove(child)
    body.text = None
    body.append(etree.Comment(_BODY_MARK))
    if section is not None:
        body.append(section)
    text = etree.tostring(root, encoding="unicode")
    head, tail = text.split(f"<!--{_BODY_MARK}-->")
    return _XML_DECLARATION + head, tail, _text_block(section)


def _text_block(section: etree._Element | None) -> tuple[int, int]:
    """The page less its margins (twips), else GB/T 9704's 156 × 225 mm."""
    size = section.find(_W + "pgSz") if section is not None else None
    margins = section.find(_W + "pgMar") if section is not None else None
    if size is None or margins is None:
        return _DEFAULT_TEXT_WIDTH, _DEFAULT_TEXT_HEIGHT
    return (
        _less_margins(size, margins, "w", ("left", "right"), _DEFAULT_TEXT_WIDTH),
        _less_margins(size, margins, "h", ("top", "bottom"), _DEFAULT_TEXT_HEIGHT),
    )


def _less_margins(
    size: etree._Element, margins: etree._Element, side: str, edges: tuple[str, str], default: int
) -> int:
    """A page's width or height less two of its margins (a negative top or bottom margin is
    as large); ``default`` when they are missing or leave nothing."""
    try:
        room = int(size.get(_W + side, ""))
        for edge in edges:
            room -= abs(int(margins.get(_W + edge, "")))
    except ValueError:
        return default
    return room if room > 0 else default


def _table_font(styles: etree._Element) -> int:
    """The TableText style's font size in twips, else 小五 (9 pt)."""
    for style in styles.iter(_W + "style"):
        if style.get(_W + "styleId") == "TableText":
            size = style.find(f"{_W}rPr/{_W}sz")
            value = size.get(_W + "val") if size is not None else None
            if value and value.isdigit() and 8 <= int(value) <= 144:
                return int(value) * 10  # half-points → twips
    return _DEFAULT_TABLE_FONT
