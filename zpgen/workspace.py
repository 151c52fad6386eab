"""The workspace: its ``zpgen.yaml``, its folders, and the order in which settings resolve.

A setting is taken from the first of these that sets it:

1. the command line (``--set 键=值``, ``--out``, ``--format``);
2. the project file (``设置:``, ``措辞:``);
3. the unit's ``unit.yaml`` (``设置:``, ``措辞:``);
4. the workspace's ``zpgen.yaml`` (``设置:``, ``措辞:``, and the folders and formats);
5. zpgen's built-in defaults.

Layers are whole models merged field by field (``zpgen.model.overlay``), so every field a
``Settings`` or ``Phrases`` gains resolves the same way without a change here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.layout import CONFIG_FILE
from zpgen.load import Located, load_yaml
from zpgen.model import (
    DEFAULT_PHRASES,
    DEFAULT_SETTINGS,
    Phrases,
    Project,
    Settings,
    Unit,
    WorkspaceConfig,
    overlay,
    validate,
)
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
    config_digest: str = ""  # sha256 of zpgen.yaml's bytes ("" when there is none)

    def search_path(self) -> list[Path]:
        """Template folders, first match wins: the workspace's, then the built-ins."""
        return [self.templates, builtin_templates()]

    def settings_for(self, unit: Unit, project: Project | None = None) -> Settings:
        layers = [self.config.settings, unit.settings]
        if project is not None:
            layers.append(project.settings)
        return overlay(DEFAULT_SETTINGS, *layers, self.overrides)

    def phrases_for(self, unit: Unit, project: Project | None = None) -> Phrases:
        layers = [self.config.phrases, unit.phrases]
        if project is not None:
            layers.append(project.phrases)
        return overlay(DEFAULT_PHRASES, *layers)


def load_workspace(
    root: Path,
    *,
    out: Path | None = None,
    formats: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
) -> Workspace:
    """Read ``root/zpgen.yaml`` (optional) and apply the command line's options over it."""
    config_file = root / CONFIG_FILE
    digest = ""
    if config_file.is_file():
        digest = hashlib.sha256(config_file.read_bytes()).hexdigest()
        config = validate(load_yaml(config_file), WorkspaceConfig)
    else:
        config = WorkspaceConfig()
    if formats is not None:
        config = _with_formats(config, formats)
    templates = root / config.templates
    base: Path | None = None
    if config.base_document:
        base = root / config.base_document
        if not base.is_file():
            message = _("The reference document {file} cannot be found.").format(file=base)
            raise ZpgenError.single(config_file, message, key="参考文档")
    elif (templates / BASE_DOCUMENT_FILE).is_file():
        base = templates / BASE_DOCUMENT_FILE
    return Workspace(
        root=root,
        config=config,
        data=root / config.data,
        out=out if out is not None else root / config.output,
        formats=config.formats,
        templates=templates,
        base_document=base,
        overrides=parse_overrides(overrides),
        config_digest=digest,
    )


def _with_formats(config: WorkspaceConfig, formats: Sequence[str]) -> WorkspaceConfig:
    origin = Located(Path(_("command line --format")), {"输出格式": list(formats)})
    chosen = validate(origin, WorkspaceConfig)
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
            raise ZpgenError.single(None, message)
        values[key.strip()] = value.strip()
    return validate(Located(Path(_("command line --set")), values), Settings)
