"""Where things are: the workspace's data folders in, the output file names out.

A workspace is a folder with ``data/<year>/<unit>/``: a ``unit.yaml`` and one ``*.yaml`` per
project; a ``zpgen.yaml`` beside ``data/`` holds its settings (and may put ``data/`` elsewhere).
(The output files' names: ``zpgen.model.names``.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zpgen.errors import Problem, UsageError, ZpgenError
from zpgen.i18n import _

__all__ = [
    "CONFIG_FILE",
    "UNIT_FILE",
    "UnitSource",
    "check_year",
    "find_sources",
    "find_workspace",
    "project_files",
]

UNIT_FILE = "unit.yaml"
CONFIG_FILE = "zpgen.yaml"
_YEARS = (1000, 9999)  # the budget years a command takes: a year folder's name has four digits


def check_year(year: int, *, given: str) -> None:
    """A UsageError unless a year folder can be named by ``year`` (four digits); ``given`` is
    how the command line wrote it (``--year 23``)."""
    if _YEARS[0] <= year <= _YEARS[1]:
        return
    example = 2000 + year if 0 <= year < 100 else 2023
    message = _("{given} is no budget year: write the year in four digits, such as {example}.")
    raise UsageError.single(None, message.format(given=given, example=example))


def find_workspace(path: Path) -> Path:
    """The workspace a path belongs to: the nearest folder at or above it with a ``zpgen.yaml``,
    or with a ``data/`` that holds the path."""
    if not path.exists():
        raise UsageError.single(path, _("There is no such file or folder."))
    start = path.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
        if (folder / "data").is_dir() and (
            folder == start or start.is_relative_to(folder / "data")
        ):
            return folder
    message = _(
        "No workspace here: neither this folder nor any folder above it has a zpgen.yaml or a "
        "data/ folder. To start one, run zpgen init here (or zpgen init FOLDER), or go to the "
        "folder of an existing workspace."
    )
    raise UsageError.single(path, message)


@dataclass(frozen=True, slots=True)
class UnitSource:
    """One unit's folder for one year, and which of its projects to build."""

    year: int
    folder: Path
    projects: tuple[Path, ...]
    whole_unit: bool  # every project selected: the combined report is built too
    not_taken: tuple[Path, ...] = ()  # files of the folder that are no project file


def find_sources(
    workspace: Path, paths: list[Path], *, data: Path | None = None
) -> tuple[list[UnitSource], list[Problem]]:
    """Resolve what the user named (a project file, a unit, a year, ``data/``, the workspace).

    ``data`` is the workspace's data folder (default ``workspace/data``). Returns the units
    found, and the problems of folders that are not laid out as they should be (these are
    skipped). What the command line names wrongly is a ``UsageError``.
    """
    data = (data if data is not None else workspace / "data").resolve()
    if not data.is_dir():
        message = _("There is no data/ folder here: this is not a zpgen workspace.")
        raise UsageError.single(workspace, message)
    sources: dict[Path, UnitSource] = {}
    problems: list[Problem] = []
    listing = _Listing(workspace.resolve(), problems)
    for path in paths or [data]:
        named = path.resolve()
        if named == listing.root:
            named = data
        for source in listing.sources_at(data, named):
            known = sources.get(source.folder)
            if known is not None:
                merged = tuple(sorted(set(known.projects) | set(source.projects)))
                source = UnitSource(
                    source.year, source.folder, merged, known.whole_unit or source.whole_unit
                )
            sources[source.folder] = source
    return [sources[folder] for folder in sorted(sources)], problems


@dataclass
class _Listing:
    """Lists the data folder's years and units; a folder that links out of the workspace is
    named as a problem and skipped (a file that does is refused when it is read)."""

    root: Path
    problems: list[Problem]

    def sources_at(self, data: Path, path: Path) -> list[UnitSource]:
        if not path.exists():
            raise UsageError.single(path, _("There is no such file or folder."))
        if path == data.parent:
            path = data
        try:
            parts = path.relative_to(data).parts
        except ValueError:
            message = _("This is not inside the workspace's data folder {data}.").format(data=data)
            raise UsageError.single(path, message) from None
        if path.is_file() and path.name == UNIT_FILE and len(parts) == 3:
            path, parts = path.parent, parts[:2]  # a unit's unit.yaml names the whole unit
        if path.is_file():
            if len(parts) != 3 or path.suffix not in (".yaml", ".yml"):
                message = _("This is not a project file (data/<year>/<unit>/<project>.yaml).")
                raise UsageError.single(path, message)
            return [UnitSource(_year(path.parent.parent), path.parent, (path,), whole_unit=False)]
        try:
            if len(parts) == 0:
                return [source for year in self.folders(data) for source in self.year(year)]
            if len(parts) == 1:
                return self.year(path)
            if len(parts) == 2:
                return [_unit_source(path)]
        except ZpgenError as error:
            self.problems.extend(error.problems)
            return []
        raise UsageError.single(path, _("This is not a unit or a year folder."))

    def folders(self, folder: Path) -> list[Path]:
        found = []
        for child in sorted(folder.iterdir()):
            if not child.is_dir() or child.name.startswith("."):
                continue
            if child.is_symlink() and not child.resolve().is_relative_to(self.root):
                message = _(
                    "This folder is a link to a place outside the workspace; zpgen reads only "
                    "the workspace's own files, and leaves it out."
                )
                self.problems.append(Problem(child, message))
                continue
            found.append(child)
        return found

    def year(self, folder: Path) -> list[UnitSource]:
        try:
            _year(folder)
        except ZpgenError as error:
            self.problems.extend(error.problems)
            return []
        return [_unit_source(unit) for unit in self.folders(folder)]


def _year(folder: Path) -> int:
    if not re.fullmatch(r"\d{4}", folder.name):
        message = _("A year folder's name is the year in four digits, such as 2023.")
        raise ZpgenError.single(folder, message)
    return int(folder.name)


def project_files(folder: Path) -> tuple[Path, ...]:
    """A unit folder's project files, in file-name order (the order of the combined report)."""
    return _unit_files(folder)[0]


def _unit_files(folder: Path) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """A unit folder's project files, and the files that are not read: neither unit.yaml nor a
    project file (but hidden files, and the lock files Word and Excel leave, ~$…)."""
    projects, others = [], []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name == UNIT_FILE or name.startswith((".", "~$")):
            continue
        if name.endswith((".yaml", ".yml")):
            projects.append(entry)
        elif entry.is_file():
            others.append(entry)
    return tuple(projects), tuple(others)


def _unit_source(folder: Path) -> UnitSource:
    year = _year(folder.parent)
    projects, not_taken = _unit_files(folder)
    return UnitSource(year, folder, projects, True, not_taken)
