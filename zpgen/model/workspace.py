"""The workspace: its ``zpgen.yaml``, its folders, and the order in which settings resolve.

A setting is taken from the first of these that sets it:

1. the command line (``--set 键=值``, ``--out``, ``--format``);
2. the project file (``设置:``, ``措辞:``);
3. the unit's ``unit.yaml`` (``设置:``, ``措辞:``);
4. the workspace's ``zpgen.yaml`` (``设置:``, ``措辞:``, and the folders and formats);
5. zpgen's built-in defaults.

Layers are whole models merged field by field (``zpgen.model.schema.overlay``), so every field a
``Settings`` or ``Phrases`` gains resolves the same way without a change here. The 自评表 layout
those layers choose (``自评表格式``) may give defaults of its own (its ``设置:``): they come between
zpgen's defaults and the workspace's.

The workspace's own layouts (``<模板文件夹>/layouts/*.yaml``) are read with ``zpgen.yaml``, and
their bytes count in its hash: a build made with them is rebuilt when they change.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.errors import Problem, UsageError, ZpgenError
from zpgen.i18n import _
from zpgen.limits import Limits
from zpgen.load.sources import CONFIG_FILE
from zpgen.load.yaml_file import Located, parse_optional_yaml, read_yaml
from zpgen.model.keys import spelled
from zpgen.model.layout import Layout, Layouts, load_layouts
from zpgen.model.schema import (
    DEFAULT_PHRASES,
    DEFAULT_SETTINGS,
    Outline,
    Phrases,
    Project,
    Settings,
    Unit,
    WorkspaceConfig,
    overlay,
)
from zpgen.model.validate import validate
from zpgen.resources import builtin_templates

__all__ = ["BASE_DOCUMENT_FILE", "Workspace", "load_workspace", "parse_overrides"]

# A base document in the workspace's templates/ is used without being named in zpgen.yaml.
BASE_DOCUMENT_FILE = "base.docx"


@dataclass(frozen=True)
class Workspace:
    """A workspace with its configuration resolved: folders, formats and the settings layers."""

    root: Path
    config: WorkspaceConfig
    data: Path
    out: Path
    formats: tuple[str, ...]
    templates: Path
    base_document: Path | None  # None: the built-in base document
    overrides: Settings = field(default_factory=Settings)  # from the command line
    # sha256 of zpgen.yaml's bytes, and of the workspace's own layouts ("" when there are none)
    config_digest: str = ""
    layouts: Layouts = field(default_factory=lambda: Layouts({}))

    @property
    def limits(self) -> Limits:
        return self.config.limits

    @functools.cached_property  # asked for each data file read
    def data_root(self) -> Path:
        """The folder a data file must not lead out of: the workspace, or the data folder when
        that is elsewhere (an import checks its files in a staging folder)."""
        data = self.data.resolve()
        return self.root if data.is_relative_to(self.root) else data

    def search_path(self, outline: Outline | None = None) -> list[Path]:
        """Template folders, first match wins: the workspace's, then the built-in outline's
        (``templates/outlines/…``; none for the seed's), then the built-ins."""
        builtin = builtin_templates()
        folder = outline.folder if outline is not None else None
        if folder is None:
            return [self.templates, builtin]
        return [self.templates, builtin / "outlines" / folder, builtin]

    def settings_for(self, unit: Unit, project: Project | None = None) -> Settings:
        layers = [self.config.settings, unit.settings]
        if project is not None:
            layers.append(project.settings)
        chosen = overlay(DEFAULT_SETTINGS, *layers, self.overrides)
        layout = self.layouts.get(chosen.layout)
        if layout is None or not layout.settings.model_fields_set:
            return chosen
        return overlay(DEFAULT_SETTINGS, layout.settings, *layers, self.overrides)

    def layout_for(self, settings: Settings) -> Layout | None:
        """The layout ``settings`` choose (None: no layout of that name)."""
        return self.layouts.get(settings.layout)

    def phrases_for(self, unit: Unit, project: Project | None = None) -> Phrases:
        layers = [self.config.phrases, unit.phrases]
        if project is not None:
            layers.append(project.phrases)
        return overlay(DEFAULT_PHRASES, *layers)


def load_workspace(
    root: Path,
    *,
    out: Path | None = None,
    formats: Sequence[str] | str | None = None,
    overrides: Sequence[str] = (),
) -> Workspace:
    """Read ``root/zpgen.yaml`` (optional) and apply the command line's options over it.

    The folders and the reference document that zpgen.yaml names must lie inside the workspace:
    a workspace comes from a colleague, and its files must not make zpgen read or write
    anything of the user's elsewhere. Only ``out``, given on the command line, may lie outside.
    """
    root = root.resolve()
    config_file = root / CONFIG_FILE
    digest = ""
    located: Located | None = None
    if config_file.is_file() or config_file.is_symlink():
        raw = read_yaml(config_file, root=root)
        digest = hashlib.sha256(raw).hexdigest()
        located = parse_optional_yaml(config_file, raw)  # empty: every setting's default
    config = WorkspaceConfig() if located is None else validate(located, WorkspaceConfig)
    if formats is not None:
        config = _with_formats(config, formats)
    folders = _Folders(root, located)
    data = folders.inside("data", config.data)
    configured_out = folders.inside("output", config.output)
    templates = folders.inside("templates", config.templates)
    base: Path | None = None
    if config.base_document:
        base = folders.inside("base_document", config.base_document)
        if not folders.problems and not base.is_file():
            message = _("The reference document {file} cannot be found.").format(file=base)
            folders.problems.append(folders.problem("base_document", message))
    elif (templates / BASE_DOCUMENT_FILE).is_file():
        base = templates / BASE_DOCUMENT_FILE
    if folders.problems:
        raise ZpgenError(folders.problems)
    layouts = load_layouts(templates, root=root, limits=config.limits)
    chosen = config.settings.layout
    if chosen is not None and layouts.get(chosen) is None:
        raise ZpgenError([folders.problem("settings", layouts.unknown(chosen), "layout")])
    if layouts.digest:
        digest = hashlib.sha256((digest + layouts.digest).encode()).hexdigest()
    chosen_out = _output_folder(out, data) if out is not None else configured_out
    if chosen_out.resolve().is_relative_to(data.resolve()):
        message = _(
            "The output folder lies inside the data folder {data}: the reports would be read as "
            "data. Choose another output folder."
        ).format(data=data)
        raise ZpgenError([folders.problem("output", message)])
    held = [f for f in (root, data, templates) if f.resolve().is_relative_to(chosen_out.resolve())]
    if held:  # its files would be the output folder's, for --prune to delete
        message = _(
            "The output folder {out} holds {folder}: zpgen would count the workspace's own files "
            "among its reports. Choose an output folder of its own, such as output."
        ).format(out=chosen_out, folder=held[0])
        if out is not None:
            raise UsageError.single(out, message)
        raise ZpgenError([folders.problem("output", message)])
    return Workspace(
        root=root,
        config=config,
        data=data,
        out=chosen_out,
        formats=config.formats,
        templates=templates,
        base_document=base,
        overrides=_known_layout(parse_overrides(overrides), layouts),
        config_digest=digest,
        layouts=layouts,
    )


class _Folders:
    """The folders zpgen.yaml names, each checked to lie inside the workspace."""

    def __init__(self, root: Path, located: Located | None) -> None:
        self.root = root
        self.located = located
        self.problems: list[Problem] = []

    def inside(self, field: str, value: str) -> Path:
        path = self.root / value
        if not path.resolve().is_relative_to(self.root):
            key = _key(field)
            message = _(
                "{key} “{value}” lies outside the workspace ({root}): zpgen reads and writes "
                "only inside the workspace, the folder that holds zpgen.yaml. Move it into the "
                "workspace."
            ).format(key=key, value=value, root=self.root)
            if field == "output":
                message += _(" To write the reports elsewhere, name the folder with --out.")
            self.problems.append(self.problem(field, message))
        return path

    def problem(self, field: str, message: str, setting: str | None = None) -> Problem:
        """A problem at a key of zpgen.yaml (``setting``: a key under its 设置)."""
        if self.located is None:
            return Problem(self.root / CONFIG_FILE, message, key=_key(field))
        path: tuple[str, ...] = (spelled(self.located.data, WorkspaceConfig, field),)
        if setting is not None:
            raw = self.located.data.get(path[0]) if isinstance(self.located.data, dict) else None
            path = (*path, spelled(raw, Settings, setting))
        return self.located.problem(path, message)


def _known_layout(overrides: Settings, layouts: Layouts) -> Settings:
    """``--set 自评表格式=…`` must name a layout."""
    if overrides.layout is not None and layouts.get(overrides.layout) is None:
        raise UsageError.single(None, layouts.unknown(overrides.layout))
    return overrides


def _key(field: str) -> str:
    return spelled(None, WorkspaceConfig, field)


def _output_folder(out: Path, data: Path) -> Path:
    """``--out``, which may lie anywhere but in the data folder, and must be a folder."""
    if out.exists() and not out.is_dir():
        message = _("--out names a file, not a folder: name the folder to write the reports to.")
        raise UsageError.single(out, message)
    if out.resolve().is_relative_to(data.resolve()):
        message = _(
            "--out names a folder inside the data folder {data}: the reports would be read as "
            "data. Choose another output folder."
        ).format(data=data)
        raise UsageError.single(out, message)
    return out


def _with_formats(config: WorkspaceConfig, formats: Sequence[str] | str) -> WorkspaceConfig:
    """``--format`` (``txt,docx``, or a list) over zpgen.yaml's, read as zpgen.yaml's is."""
    written = formats if isinstance(formats, str) else list(formats)
    origin = Located(Path(_("command line --format")), {"输出格式": written})
    try:
        chosen = validate(origin, WorkspaceConfig)
    except ZpgenError as error:
        raise UsageError(error.problems) from None
    return config.model_copy(update={"formats": chosen.formats})


def parse_overrides(items: Sequence[str]) -> Settings:
    """``["三级标题编号=是"]`` → a Settings layer; keys in Chinese or English, as in the files."""
    values: dict[str, str] = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            message = _("--set takes “key=value”, such as 三级标题编号=是, not “{item}”.").format(
                item=item
            )
            raise UsageError.single(None, message)
        values[key.strip()] = value.strip()
    try:
        return validate(Located(Path(_("command line --set")), values), Settings)
    except ZpgenError as error:
        raise UsageError(error.problems) from None
