"""The .docx package: its part names and namespace, and a .docx made elsewhere read without
trusting it: bounded, by an allow-list of parts.

A base document comes from a colleague, a document to show as text (``zpgen totext``) from
anywhere. A .docx is a zip file, and a zip file can claim a small size and inflate to gigabytes,
name its members ``../../somewhere``, or carry macros (``vbaProject.bin``), embedded programs and
links that Word follows when it opens a report. ``read_parts`` reads only the members asked for,
each checked by name and bounded in size before and while it is inflated; ``clean_base`` keeps
the parts a report needs and drops the rest, macros, external links and the references to them,
saying what it dropped. Every failure is a ZpgenError naming the file.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.load.reading import read_file

__all__ = [
    "BASE_PART",
    "CONTENT_TYPES_PART",
    "CORE_PART",
    "DOCUMENT_PART",
    "STYLES_PART",
    "THEME_PART",
    "W_NS",
    "CleanBase",
    "clean_base",
    "read_parts",
    "with_theme",
    "xml_parser",
]

DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
CORE_PART = "docProps/core.xml"
CONTENT_TYPES_PART = "[Content_Types].xml"
THEME_PART = "word/theme/theme1.xml"  # the built-in base document's theme
_DOCUMENT_RELS = "word/_rels/document.xml.rels"
_THEME_TYPE = "application/vnd.openxmlformats-officedocument.theme+xml"
_THEME_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"

# The parts a report takes from its base document.
BASE_PART = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(core|app)\.xml"
    r"|word/(document|styles|settings|fontTable|webSettings|numbering|stylesWithEffects"
    r"|footnotes|endnotes)\.xml|word/(header|footer)\d+\.xml|word/theme/theme\d+\.xml"
    r"|word/_rels/[^/]+\.xml\.rels|word/media/[^/]+\.(png|jpe?g|gif|bmp|emf|wmf|tiff?)"
)
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"  # WordprocessingML
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN_TYPES = {  # a template's or a macro-enabled document's main part: made a document's
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
# Elements that only point elsewhere: gone with what they point at.
_POINTERS = {"attachedTemplate", "mailMerge", "altChunk", "subDoc"}
# Fields that fetch content from outside the document when Word updates them.
_OUTSIDE_FIELD = re.compile(
    r"^\s*(DDE|DDEAUTO|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|LINK|IMPORT|DATABASE)\b", re.I
)


def xml_parser() -> etree.XMLParser:
    """A parser that never fetches or expands anything: no entities, no network, no huge
    trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_parts(
    path: Path, *, root: Path | None, limit: int, wanted: Callable[[str], bool]
) -> tuple[dict[str, bytes], list[str]]:
    """The members of the .docx ``path`` that ``wanted`` names (name → bytes), and the names of
    those left out; at most ``limit`` bytes in all, file and inflated members each."""
    raw = read_file(path, root=root, limit=limit, setting="参考文档")
    try:
        package = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError) as error:
        message = _("It is not a .docx file (a Word document): save it as .docx in Word.")
        raise _error(path, message) from error
    parts: dict[str, bytes] = {}
    left_out: list[str] = []
    total = 0
    for info in package.infolist():
        name = info.filename
        if info.is_dir():
            continue
        if not _plain(name) or name in parts or not wanted(name):
            left_out.append(name)
            continue
        if info.flag_bits & 0x1:
            raise _error(
                path,
                _("The document is encrypted (protected by a password): save an unprotected copy."),
            )
        if total + info.file_size > limit:
            raise _too_large(path, limit)
        data = _inflate(package, info, path, limit - total)
        total += len(data)
        parts[name] = data
    return parts, left_out


def _inflate(package: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, room: int) -> bytes:
    try:
        with package.open(info) as stream:
            data = stream.read(room + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        message = _("The document is damaged: its part {part} cannot be read ({reason}).")
        raise _error(path, message.format(part=info.filename, reason=error)) from error
    if len(data) > room:
        raise _too_large(path, room)
    return data


def _plain(name: str) -> bool:
    """A member name that stays inside the package: relative, no "..", no backslash or drive."""
    return (
        bool(name)
        and "\\" not in name
        and ":" not in name
        and "\0" not in name
        and not name.startswith("/")
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def _error(path: Path, message: str) -> ZpgenError:
    return ZpgenError.single(path, message)


def _too_large(path: Path, limit: int) -> ZpgenError:
    message = _(
        "The document inflates to more than {size} MB, more than zpgen reads of a .docx "
        "(限制: 参考文档 in zpgen.yaml raises it)."
    )
    return _error(path, message.format(size=limit // (1024 * 1024)))


# --- a base document ----------------------------------------------------------------------------


@dataclass
class CleanBase:
    """A base document's parts, cleaned, and what was dropped (each a line for a warning)."""

    parts: dict[str, bytes]
    dropped: list[str] = field(default_factory=list)


def clean_base(path: Path, *, root: Path | None, limit: int) -> CleanBase:
    """The parts of the base document ``path`` a report needs, without macros, embedded objects,
    external links or anything else; a base that needs no cleaning keeps its bytes as they are."""
    parts, left_out = read_parts(
        path, root=root, limit=limit, wanted=lambda name: BASE_PART.fullmatch(name) is not None
    )
    cleaned = CleanBase(parts, [_dropped(name) for name in left_out if _dangerous(name)])
    for name in [n for n in parts if n.endswith(".rels")]:
        _clean_relationships(cleaned, name, path)
    if "[Content_Types].xml" in parts:
        _clean_content_types(cleaned, path)
    for name, data in parts.items():
        if name.endswith(".xml") and (b"instr" in data):
            _refuse_outside_fields(name, data, path)
    return cleaned


def _dangerous(name: str) -> bool:
    """A part worth a warning when dropped: macros, embedded objects and programs, and names
    that try to leave the package. Word's other parts (custom XML, comments, thumbnails) are
    dropped without a word."""
    lower = name.lower()
    return (
        not _plain(name)
        or lower.endswith(".bin")
        or "vba" in lower
        or "/embeddings/" in lower
        or "/activex/" in lower
    )


def _dropped(name: str) -> str:
    if not _plain(name):
        return _("a part named {part}, which points outside the document").format(part=_shown(name))
    if "vba" in name.lower():
        return _("the macros ({part})").format(part=_shown(name))
    return _("the embedded object {part}").format(part=_shown(name))


def _shown(name: str) -> str:
    """A member name as it can be printed: control characters escaped, at most 80 characters."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in name)
    return text if len(text) <= 80 else text[:77] + "…"


def _parse(data: bytes, name: str, path: Path) -> etree._Element:
    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as error:
        message = _("The document is damaged: its part {part} is not well-formed XML ({reason}).")
        raise _error(path, message.format(part=name, reason=error)) from error


def _source_of(rels: str) -> tuple[str, PurePosixPath]:
    """The part a relationships part belongs to, and the folder its targets are relative to."""
    folder = PurePosixPath(rels).parent.parent  # word/_rels/x.xml.rels → word
    source = (folder / PurePosixPath(rels).name.removesuffix(".rels")).as_posix()
    return source.removeprefix("./"), folder


def _clean_relationships(cleaned: CleanBase, rels: str, path: Path) -> None:
    """Drop the relationships to outside the package and to parts not kept, and the references
    to them in the part they belong to."""
    root = _parse(cleaned.parts[rels], rels, path)
    source, folder = _source_of(rels)
    gone: set[str] = set()
    for relation in list(root.iter(f"{{{_REL_NS}}}Relationship")):
        kind = str(relation.get("Type", "")).rsplit("/", 1)[-1]
        target = str(relation.get("Target", ""))
        if relation.get("TargetMode") == "External":
            cleaned.dropped.append(_("a link to outside the document ({kind})").format(kind=kind))
        elif _resolve(folder, target) not in cleaned.parts:
            pass  # a part not kept, named among the parts dropped (or never there)
        else:
            continue
        gone.add(str(relation.get("Id")))
        root.remove(relation)
    if not gone:
        return
    cleaned.parts[rels] = _serialise(root)
    if source in cleaned.parts and source.endswith(".xml"):
        cleaned.parts[source] = _without_references(cleaned.parts[source], gone, source, path)


def _resolve(folder: PurePosixPath, target: str) -> str:
    parts: list[str] = [] if target.startswith("/") else list(folder.parts)
    for step in target.lstrip("/").split("/"):
        if step == "..":
            if parts:
                parts.pop()
        elif step not in ("", "."):
            parts.append(step)
    return "/".join(parts)


def _without_references(data: bytes, gone: set[str], name: str, path: Path) -> bytes:
    root = _parse(data, name, path)
    for element in list(root.iter()):
        for attribute in [a for a in element.attrib if str(a).startswith(f"{{{_R_NS}}}")]:
            if element.get(attribute) not in gone:
                continue
            parent = element.getparent()
            if etree.QName(element).localname in _POINTERS and parent is not None:
                parent.remove(element)
                break
            del element.attrib[attribute]
    return _serialise(root)


def _clean_content_types(cleaned: CleanBase, path: Path) -> None:
    """Keep the content types of the parts kept; a macro-enabled or template main part becomes a
    document's."""
    name = "[Content_Types].xml"
    root = _parse(cleaned.parts[name], name, path)
    changed = False
    for override in list(root.iter(f"{{{_TYPES_NS}}}Override")):
        part = str(override.get("PartName", "")).lstrip("/")
        if part not in cleaned.parts:
            root.remove(override)
            changed = True
        elif override.get("ContentType") in _MAIN_TYPES:
            cleaned.dropped.append(_("the macros (the document was saved as .docm or .dotx)"))
            override.set("ContentType", _MAIN_TYPE)
            changed = True
    if changed:
        cleaned.parts[name] = _serialise(root)


def _refuse_outside_fields(name: str, data: bytes, path: Path) -> None:
    root = _parse(data, name, path)
    instructions = [str(e.text or "") for e in root.iter(f"{{{W_NS}}}instrText")]
    instructions += [str(e.get(f"{{{W_NS}}}instr", "")) for e in root.iter(f"{{{W_NS}}}fldSimple")]
    for instruction in instructions:
        found = _OUTSIDE_FIELD.match(instruction)
        if found:
            message = _(
                "The document's part {part} holds a field ({field}) that fetches content from "
                "outside the document when Word opens a report: delete the field in Word."
            )
            raise _error(path, message.format(part=name, field=found.group(1).upper()))


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# --- the theme ----------------------------------------------------------------------------------


def with_theme(parts: dict[str, bytes], theme: bytes) -> dict[str, bytes] | None:
    """The parts with ``theme`` added as the main part's theme (its part, relationship and
    content type), or None when the main part already has a theme. Word expects one: a base
    document saved without it (by a tool other than Word) gives reports Word may call damaged.
    """
    rels = parts.get(_DOCUMENT_RELS)
    empty = f'<Relationships xmlns="{_REL_NS}"/>'.encode()
    root = etree.fromstring(rels if rels is not None else empty, xml_parser())
    for relation in list(root.iter(f"{{{_REL_NS}}}Relationship")):
        if relation.get("Type") == _THEME_RELATION and relation.get("TargetMode") != "External":
            if _resolve(PurePosixPath("word"), str(relation.get("Target", ""))) in parts:
                return None
            root.remove(relation)  # points at nothing: replaced below
    name = _free_name(parts)
    taken = {str(r.get("Id")) for r in root.iter(f"{{{_REL_NS}}}Relationship")}
    number = 1
    while f"rIdTheme{number}" in taken:
        number += 1
    relation = etree.SubElement(root, f"{{{_REL_NS}}}Relationship")
    relation.set("Id", f"rIdTheme{number}")
    relation.set("Type", _THEME_RELATION)
    relation.set("Target", name.removeprefix("word/"))
    added = {**parts, name: theme, _DOCUMENT_RELS: _serialise(root)}
    if CONTENT_TYPES_PART in parts:
        types = etree.fromstring(parts[CONTENT_TYPES_PART], xml_parser())
        override = etree.SubElement(types, f"{{{_TYPES_NS}}}Override")
        override.set("PartName", "/" + name)
        override.set("ContentType", _THEME_TYPE)
        added[CONTENT_TYPES_PART] = _serialise(types)
    return added


def _free_name(parts: dict[str, bytes]) -> str:
    """The first word/theme/themeN.xml that is not a part already (one left without a
    relationship is not taken over: it may not be a theme at all)."""
    number = 1
    while f"word/theme/theme{number}.xml" in parts:
        number += 1
    return f"word/theme/theme{number}.xml"
