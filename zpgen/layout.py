"""Where things are: the workspace's data folders in, the output file names out.

A workspace is a folder with ``data/<year>/<unit>/``: a ``unit.yaml`` and one ``*.yaml`` per
project; a ``zpgen.yaml`` beside ``data/`` holds its settings (and may put ``data/`` elsewhere).
Outputs go to ``<out>/<year>/<unit name>/<project name>.<ext>`` for each project, and
``<out>/<year>/<unit name>.<ext>`` for the unit's combined report. Names come from the data, made
safe for every file system: characters Windows cannot store become "_", names Windows reserves get
a "_" in front, leading and trailing dots and spaces go, and a name is at most 80 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zpgen.errors import ZpgenError

__all__ = [
    "CONFIG_FILE",
    "UNIT_FILE",
    "UnitSource",
    "find_sources",
    "find_workspace",
    "safe_name",
]

UNIT_FILE = "unit.yaml"
CONFIG_FILE = "zpgen.yaml"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)
_MAX_NAME = 80


def safe_name(name: str) -> str:
    """A file name from data that no file system refuses and that cannot leave its folder."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")[:_MAX_NAME].strip(" .")
    if not cleaned:
        return "_"
    return "_" + cleaned if _RESERVED.match(cleaned) else cleaned


def find_workspace(path: Path) -> Path:
    """The workspace a path belongs to: the nearest folder at or above it with a ``zpgen.yaml``,
    or with a ``data/`` that holds the path."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
        if (folder / "data").is_dir() and (
            folder == start or start.is_relative_to(folder / "data")
        ):
            return folder
    raise ZpgenError.single(path, "找不到工作区：它和它的上级文件夹中都没有 data/ 文件夹")


@dataclass(frozen=True, slots=True)
class UnitSource:
    """One unit's folder for one year, and which of its projects to build."""

    year: int
    folder: Path
    projects: tuple[Path, ...]
    whole_unit: bool  # every project selected: the combined report is built too


def find_sources(
    workspace: Path, paths: list[Path], *, data: Path | None = None
) -> list[UnitSource]:
    """Resolve what the user named (a project file, a unit, a year, ``data/``, the workspace).

    ``data`` is the workspace's data folder (default ``workspace/data``).
    """
    data = (data if data is not None else workspace / "data").resolve()
    if not data.is_dir():
        raise ZpgenError.single(data, "数据文件夹不存在，这里不是 zpgen 工作区")
    sources: dict[Path, UnitSource] = {}
    for path in paths or [data]:
        named = path.resolve()
        if named == workspace.resolve():
            named = data
        for source in _sources_at(data, named):
            known = sources.get(source.folder)
            if known is not None:
                merged = tuple(sorted(set(known.projects) | set(source.projects)))
                source = UnitSource(
                    source.year, source.folder, merged, known.whole_unit or source.whole_unit
                )
            sources[source.folder] = source
    return [sources[folder] for folder in sorted(sources)]


def _sources_at(data: Path, path: Path) -> list[UnitSource]:
    if not path.exists():
        raise ZpgenError.single(path, "路径不存在")
    try:
        parts = path.relative_to(data).parts
    except ValueError:
        raise ZpgenError.single(path, f"不在工作区的数据文件夹 {data} 之内") from None
    if path.is_file():
        if len(parts) != 3 or path.name == UNIT_FILE or path.suffix not in (".yaml", ".yml"):
            raise ZpgenError.single(path, "不是项目文件（应为 data/<年度>/<单位>/<项目>.yaml）")
        return [UnitSource(_year(path.parent.parent), path.parent, (path,), whole_unit=False)]
    if len(parts) == 0:
        years = [child for child in sorted(data.iterdir()) if child.is_dir()]
        return [source for year in years for source in _year_sources(year)]
    if len(parts) == 1:
        return _year_sources(path)
    if len(parts) == 2:
        return [_unit_source(path)]
    raise ZpgenError.single(path, "不是单位或年度文件夹")


def _year(folder: Path) -> int:
    if not re.fullmatch(r"\d{4}", folder.name):
        raise ZpgenError.single(folder, "年度文件夹的名字应为四位数字，如 2023")
    return int(folder.name)


def _year_sources(folder: Path) -> list[UnitSource]:
    _year(folder)
    units = [child for child in sorted(folder.iterdir()) if child.is_dir()]
    return [_unit_source(unit) for unit in units]


def _unit_source(folder: Path) -> UnitSource:
    projects = tuple(
        sorted(
            p
            for p in folder.iterdir()
            if p.suffix in (".yaml", ".yml") and p.name != UNIT_FILE and not p.name.startswith(".")
        )
    )
    return UnitSource(_year(folder.parent), folder, projects, whole_unit=True)
