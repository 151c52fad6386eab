"""``zpgen init``: a new workspace a new user can start from, and never over anything of theirs.

It writes ``zpgen.yaml`` (every workspace-wide option, the report settings with their defaults and
the built-in wording, all commented), an example unit and project under ``data/<year>/``, an empty
``templates/`` with a README on overriding, and ``.gitignore`` and ``.gitattributes`` for keeping
the workspace in git. The settings are listed from the schema, so a new setting appears here
without a change to this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from string import Template
from typing import Any

from pydantic import BaseModel

from zpgen.errors import Problem, ZpgenError
from zpgen.i18n import _
from zpgen.load.sources import CONFIG_FILE, UNIT_FILE, check_year
from zpgen.model.schema import DEFAULT_PHRASES, DEFAULT_SETTINGS

__all__ = ["EXAMPLE_UNIT", "InitReport", "init_workspace"]

EXAMPLE_UNIT = "示例单位"
EXAMPLE_PROJECT = "01-示例项目.yaml"


@dataclass(frozen=True, slots=True)
class InitReport:
    created: list[Path]
    skipped_example: bool  # data/ already held a year: no example was added


def _skeleton(name: str) -> str:
    return (Path(__file__).parent / "skeleton" / name).read_text(encoding="utf-8")


def init_workspace(folder: Path, *, year: int) -> InitReport:
    """Create a workspace in ``folder`` (made if missing) for evaluating budget year ``year``.

    Raises ZpgenError, writing nothing, when any file it would write already exists, and a
    UsageError when ``year`` is no year a data folder can be named by (four digits).
    """
    check_year(year, given=f"--year {year}")
    data = folder / "data"
    has_data = data.is_dir() and any(child.is_dir() for child in data.iterdir())
    contents: dict[Path, str] = {
        folder / CONFIG_FILE: _config_text(),
        folder / "templates" / "README.md": _skeleton("templates-README.md"),
        folder / ".gitignore": _skeleton("gitignore"),
        folder / ".gitattributes": _skeleton("gitattributes"),
    }
    if not has_data:
        unit = data / str(year) / EXAMPLE_UNIT
        date = {"evaluation_date": f"{year + 1}年4月"}
        contents[unit / UNIT_FILE] = Template(_skeleton("unit.yaml")).substitute(date)
        contents[unit / EXAMPLE_PROJECT] = _skeleton("project.yaml")
    existing = [path for path in contents if path.exists() or path.is_symlink()]
    if existing:
        message = _(
            "The file already exists; zpgen init does not overwrite files, and wrote nothing."
        )
        raise ZpgenError([Problem(path, message) for path in existing])
    for path, text in contents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return InitReport(list(contents), skipped_example=has_data)


def _config_text() -> str:
    return Template(_skeleton(CONFIG_FILE)).substitute(
        settings=_settings_lines(), phrases=_phrases_lines()
    )


def _settings_lines() -> str:
    """Each setting with its default and its description; one without a default commented."""
    lines = []
    values = DEFAULT_SETTINGS.model_dump(by_alias=True)
    for name, info in type(DEFAULT_SETTINGS).model_fields.items():
        key = info.alias or name
        value = values.get(key)
        note = f"  # {info.description}" if info.description else ""
        if value is None:
            lines.append(f"  # {key}:{note}")
        else:
            lines.append(f"  {key}: {_yaml(value)}{note}")
    return "\n".join(lines)


def _phrases_lines() -> str:
    values = DEFAULT_PHRASES.model_dump(by_alias=True, exclude_none=True)
    return "\n".join(f"#   {key}: {value}" for key, value in values.items())


def _yaml(value: Any) -> str:
    """A default as a clerk would write it: 是/否, a choice's words, plain amounts, flow mappings
    and lists."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
