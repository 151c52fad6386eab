"""The templates a workspace renders with: which exist, where each comes from, and copies to edit.

The workspace's template folder comes before the built-ins: a file there with a built-in's name
replaces it, and ``{% extends "builtin/NAME" %}`` reaches the built-in it replaces, so a
template can change one block and keep the rest (``{{ super() }}``). The base document (styles
and page setup of the .docx) is part of the set: ``base.docx`` in the template folder, or the one
``zpgen.yaml`` names, else the built-in one. (Copying one to edit: ``zpgen.commands.templates``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.model.workspace import BASE_DOCUMENT_FILE, Workspace
from zpgen.render.environment import Renderer
from zpgen.resources import builtin_templates

__all__ = ["Origin", "TemplateEntry", "list_templates", "template_names"]


class Origin(str, Enum):
    """Where a template the workspace renders with comes from."""

    BUILTIN = "builtin"
    WORKSPACE = "workspace"


@dataclass(frozen=True, slots=True)
class TemplateEntry:
    """One template as the workspace sees it."""

    name: str
    origin: Origin
    path: Path | None  # the file used (None for the built-in base document's parts)
    replaces_builtin: bool  # a workspace file with a built-in's name
    extends: tuple[str, ...]  # builtin/… templates it extends or includes
    blocks: tuple[str, ...]  # the blocks it defines, in order


def template_names(folder: Path) -> list[str]:
    """The templates below ``folder``, by the names a template uses for them."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.j2") if p.is_file())


def list_templates(space: Workspace) -> list[TemplateEntry]:
    """Every template the workspace can render, and its base document, by name."""
    builtin = builtin_templates()
    builtin_names = set(template_names(builtin))
    own = set(template_names(space.templates))
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
                origin=Origin.WORKSPACE if mine else Origin.BUILTIN,
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
            origin=Origin.BUILTIN if base is None else Origin.WORKSPACE,
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
