"""The templates a workspace renders with: which exist, where each comes from, and copies to edit.

The workspace's template folder comes before the built-ins: a file there with a built-in's name
replaces it, and ``{% extends "builtin/NAME" %}`` reaches the built-in it replaces, so a
template can change one block and keep the rest (``{{ super() }}``). The base document (styles
and page setup of the .docx) is part of the set: ``base.docx`` in the template folder, or the one
``zpgen.yaml`` names, else the built-in one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from zpgen.document import DocumentMeta, Numbering, parse_markup
from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.render import Renderer
from zpgen.resources import builtin_templates
from zpgen.workspace import BASE_DOCUMENT_FILE, Workspace
from zpgen.write import write_output

__all__ = ["TemplateEntry", "copy_template", "list_templates"]

BUILTIN = "内置"
WORKSPACE = "工作区"


@dataclass(frozen=True, slots=True)
class TemplateEntry:
    """One template as the workspace sees it."""

    name: str
    origin: str  # BUILTIN or WORKSPACE
    path: Path | None  # the file used (None for the built-in base document's parts)
    replaces_builtin: bool  # a workspace file with a built-in's name
    extends: tuple[str, ...]  # builtin/… templates it extends or includes
    blocks: tuple[str, ...]  # the blocks it defines, in order


def _names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.j2") if p.is_file())


def list_templates(space: Workspace) -> list[TemplateEntry]:
    """Every template the workspace can render, and its base document, by name."""
    builtin = builtin_templates()
    builtin_names = set(_names(builtin))
    own = set(_names(space.templates))
    environment = Renderer(space.search_path(), space.limits).environment
    entries = []
    for name in sorted(builtin_names | own):
        mine = name in own
        folder = space.templates if mine else builtin
        source = (folder / name).read_text(encoding="utf-8")
        references, blocks = _outline(environment, source, folder / name)
        entries.append(
            TemplateEntry(
                name=name,
                origin=WORKSPACE if mine else BUILTIN,
                path=folder / name,
                replaces_builtin=mine and name in builtin_names,
                extends=tuple(r for r in references if r.startswith("builtin/")),
                blocks=blocks,
            )
        )
    base = space.base_document
    entries.append(
        TemplateEntry(
            name=BASE_DOCUMENT_FILE,
            origin=BUILTIN if base is None else WORKSPACE,
            path=base,
            replaces_builtin=base is not None,
            extends=(),
            blocks=(),
        )
    )
    return entries


def _outline(
    environment: jinja2.Environment, source: str, path: Path
) -> tuple[list[str], tuple[str, ...]]:
    try:
        tree = environment.parse(source)
    except jinja2.TemplateSyntaxError as error:
        message = _("Template syntax error: {problem}").format(problem=error.message)
        raise ZpgenError.single(path, message, line=error.lineno) from error
    references = [r for r in meta.find_referenced_templates(tree) if r is not None]
    blocks = tuple(block.name for block in tree.find_all(nodes.Block))
    return references, blocks


def copy_template(space: Workspace, name: str, *, force: bool = False) -> Path:
    """Copy a built-in template (or the base document, ``base.docx``) into the workspace's
    template folder to edit; an existing file is kept unless ``force``."""
    target = space.templates / name
    if target.exists() and not force:
        message = _(
            "The file already exists and was not overwritten (add --force to overwrite it)."
        )
        raise ZpgenError.single(target, message)
    if name == BASE_DOCUMENT_FILE:
        write_output(target, builtin_base_sample())
        return target
    builtin = builtin_templates()
    if name not in _names(builtin):
        known = "、".join([*_names(builtin), BASE_DOCUMENT_FILE])
        message = _("There is no built-in template named “{name}” (the choices: {known}).")
        raise ZpgenError.single(None, message.format(name=name, known=known))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(builtin / name, target)
    return target


# Shows each style the reports use, under the name Word gives it, so that it can be edited there.
_SAMPLE = """\
^单位名称（样式：Centered，居中的行）
= 项目支出绩效自评报告（样式：标题）
^（项目名称，样式：Centered）
# 一级标题（样式：标题 1，黑体）
## 二级标题（样式：标题 2，楷体）
### 三级标题（样式：标题 3）
#### 四级标题（样式：标题 4）
正文（样式：正文）。zpgen 生成报告时保留本文件的样式、页面设置、页眉和页脚，换掉正文。\
在 Word 中修改样式（开始 → 样式 → 修改），不要删除样式或改样式名。
@标签：（“标签：”用字符样式 Label）其后为正文。
> 落款（样式：签名）
"""


def builtin_base_sample() -> bytes:
    """The built-in base document as a .docx showing every style, to edit in Word."""
    from zpgen.docx import load_base, render_docx

    meta_data = DocumentMeta(title="zpgen 参考文档", author="zpgen", date=(2024, 1, 1))
    document = parse_markup(_SAMPLE, meta_data, Numbering())
    return render_docx(document, load_base())
