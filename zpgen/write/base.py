"""A workspace's own base document: a .docx edited in Word that gives the reports their look.

Like pandoc's reference document, zpgen keeps its styles, page setup, headers and footers and
replaces its body; a base without a theme gets the built-in one, which Word expects. The styles
zpgen needs are looked up by their style id and, where Word has renamed the ids (a Chinese Word
saves "heading 1" as id "1"), by their name, which Word keeps in English; a style that is still
missing is named in Chinese, as Word shows it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from zpgen.errors import WARNING, Problem, ZpgenError
from zpgen.i18n import _
from zpgen.limits import DEFAULT_LIMITS, Limits
from zpgen.write.docx import REQUIRED_STYLES, BaseDocx, base_from_parts, load_base
from zpgen.write.ooxml import STYLES_PART, THEME_PART, W_NS, clean_base, with_theme, xml_parser

__all__ = ["STYLE_LABELS", "load_workspace_base"]

_W = "{" + W_NS + "}"

# How Word's Chinese interface names each style zpgen needs.
STYLE_LABELS = {
    "Title": "标题（Title）",
    "Heading1": "标题 1（heading 1）",
    "Heading2": "标题 2（heading 2）",
    "Heading3": "标题 3（heading 3）",
    "Heading4": "标题 4（heading 4）",
    "Centered": "Centered（居中的行）",
    "Signature": "签名（Signature，落款）",
    "Label": "Label（字符样式：“数量指标：”等标签）",
    "TableGrid": "网格型（Table Grid，自评表的表格样式）",
    "TableText": "Table Text（自评表中的文字）",
}


def load_workspace_base(
    path: Path | None, *, root: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[BaseDocx, list[Problem]]:
    """The built-in base document (None), or the workspace's, cleaned (``clean_base``: only the
    parts a report needs, read inside ``root`` and within ``limits``), checked, and with its
    style ids put right; and a warning naming what cleaning dropped. Every way it cannot serve
    is a ZpgenError naming the file."""
    if path is None:
        return load_base(), []
    cleaned = clean_base(path, root=root, limit=limits.document_bytes)
    parts = cleaned.parts
    if STYLES_PART not in parts:
        message = _(
            "The reference document has no styles (word/styles.xml): it is not a Word document."
        )
        raise ZpgenError.single(path, message)
    styles = _parse(parts[STYLES_PART], path)
    renamed = _restore_style_ids(styles)
    missing = [
        STYLE_LABELS.get(style_id, style_id)
        for style_id, kind in REQUIRED_STYLES.items()
        if not _has_style(styles, style_id, kind)
    ]
    if missing:
        message = _(
            "The reference document lacks styles zpgen needs: {styles}. Get the built-in one "
            "with zpgen templates copy base.docx, and change its styles in Word."
        )
        raise ZpgenError.single(path, message.format(styles="、".join(missing)))
    if renamed:
        parts = {**parts, **_rename_references(parts, renamed, styles)}
    parts = _themed(parts, path)
    try:
        base = base_from_parts(parts, str(path))
    except ValueError as error:
        message = _("The reference document cannot be used: {reason}")
        raise ZpgenError.single(path, message.format(reason=error)) from error
    warnings = []
    if cleaned.dropped:
        message = _(
            "The reports do not take these from the reference document, which a report must not "
            "carry: {dropped}."
        )
        dropped = "、".join(dict.fromkeys(cleaned.dropped))
        warnings.append(Problem(path, message.format(dropped=dropped), severity=WARNING))
    return base, warnings


def _themed(parts: dict[str, bytes], path: Path) -> dict[str, bytes]:
    """The parts, with the built-in theme added when the base document has none."""
    try:
        added = with_theme(parts, load_base().parts[THEME_PART])
    except etree.XMLSyntaxError as error:
        message = _("The reference document is damaged: {reason}")
        raise ZpgenError.single(path, message.format(reason=error)) from error
    return parts if added is None else added


@cache
def _canonical_names() -> dict[str, str]:
    """Style id → lower-case style name, as in the built-in base document."""
    styles = etree.fromstring(load_base().parts[STYLES_PART])
    names: dict[str, str] = {}
    for style in styles.iter(_W + "style"):
        name = style.find(_W + "name")
        if name is not None:
            names[str(style.get(_W + "styleId"))] = str(name.get(_W + "val")).lower()
    return names


def _parse(data: bytes, path: Path) -> etree._Element:
    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as error:
        message = _("The reference document is damaged: {reason}")
        raise ZpgenError.single(path, message.format(reason=error)) from error


def _has_style(styles: etree._Element, style_id: str, kind: str) -> bool:
    return any(
        s.get(_W + "styleId") == style_id and s.get(_W + "type") == kind
        for s in styles.iter(_W + "style")
    )


def _restore_style_ids(styles: etree._Element) -> dict[str, str]:
    """Give each needed style found only by its name zpgen's id (in ``styles``, in place);
    returns old id → new id, for the references to them."""
    renamed: dict[str, str] = {}
    taken = {str(s.get(_W + "styleId")) for s in styles.iter(_W + "style")}
    for style_id, kind in REQUIRED_STYLES.items():
        if style_id in taken:
            continue
        wanted = _canonical_names().get(style_id, style_id.lower())
        for style in styles.iter(_W + "style"):
            name = style.find(_W + "name")
            if (
                style.get(_W + "type") == kind
                and name is not None
                and str(name.get(_W + "val")).lower() == wanted
            ):
                renamed[str(style.get(_W + "styleId"))] = style_id
                style.set(_W + "styleId", style_id)
                break
    return renamed


_REFERENCES = ("pStyle", "rStyle", "basedOn", "next", "link")


def _rename_references(
    parts: dict[str, bytes], renamed: dict[str, str], styles: etree._Element
) -> dict[str, bytes]:
    """The parts that mention a renamed style id, rewritten; styles.xml always."""
    changed = {STYLES_PART: _rename_in(styles, renamed)}
    for name, data in parts.items():
        if name == STYLES_PART or not (name.startswith("word/") and name.endswith(".xml")):
            continue
        if not any(f'"{old}"'.encode() in data for old in renamed):
            continue
        changed[name] = _rename_in(_parse(data, Path(name)), renamed)
    return changed


def _rename_in(root: etree._Element, renamed: dict[str, str]) -> bytes:
    for tag in _REFERENCES:
        for element in root.iter(_W + tag):
            value = element.get(_W + "val")
            if value in renamed:
                element.set(_W + "val", renamed[value])
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
