"""The templates a workspace renders with: which exist, where each comes from, and copies to edit.

The workspace's template folder comes before the built-ins: a file there with a built-in's name
replaces it, and ``{% extends "builtin/NAME" %}`` reaches the built-in it replaces, so a
template can change one block and keep the rest (``{{ super() }}``). The base document (styles
and page setup of the .docx) is part of the set: ``base.docx`` in the template folder, or the one
``zpgen.yaml`` names, else the built-in one. (Copying one to edit: ``zpgen.commands.templates``.)

The built-ins are those of the outline ``zpgen.yaml`` chooses (提纲): a built-in outline's
templates (``templates/outlines/…``) in place of the seed's of the same name.
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

__all__ = ["Origin", "TemplateEntry", "builtin_sources", "list_templates", "template_names"]

# The folder of the built-in outlines' template sets, below the built-in templates.
OUTLINES_FOLDER = "outlines"


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


def builtin_sources(space: Workspace) -> dict[str, Path]:
    """The built-in templates the workspace renders with, by name: those of the outline its
    zpgen.yaml chooses, then the seed's (not the other outlines' sets)."""
    found: dict[str, Path] = {}
    for folder in space.search_path(space.config.settings.outline)[1:]:
        for name in template_names(folder):
            if folder == builtin_templates() and name.startswith(OUTLINES_FOLDER + "/"):
                continue
            found.setdefault(name, folder / name)
    return found


def list_templates(space: Workspace) -> list[TemplateEntry]:
    """Every template the workspace can render, and its base document, by name."""
    sources = builtin_sources(space)
    builtin_names = set(sources)
    own = set(template_names(space.templates))
    outline = space.config.settings.outline
    environment = Renderer(space.search_path(outline), space.limits).environment
    entries = []
    for name in sorted(builtin_names | own):
        mine = name in own
        path = space.templates / name if mine else sources[name]
        # read as a build reads it: bounded, UTF-8, never through a link out of the folder
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        references, blocks = _outline(environment, source, path)
        entries.append(
            TemplateEntry(
                name=name,
                origin=Origin.WORKSPACE if mine else Origin.BUILTIN,
                path=path,
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
