"""Everything a build does but write: load → model → figures → checks → render.

``plan`` reads every unit and project that the paths name, validates them, runs the consistency
checks and renders each good project to a ``Document``, collecting every problem on the way
(never only the first). ``zpgen check`` reports the problems; ``zpgen build`` writes the
documents of the projects that have no errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from zpgen.checks import Subject, run_checks
from zpgen.context import ProjectContext, ProjectView, UnitContext
from zpgen.document import Document, DocumentMeta, Numbering, parse_markup
from zpgen.errors import ERROR, WARNING, Problem, ZpgenError
from zpgen.figures import compute
from zpgen.i18n import _
from zpgen.layout import UNIT_FILE, UnitSource, find_sources, project_files, safe_name
from zpgen.load import Located, load_yaml
from zpgen.model import (
    DEFAULT_PHRASES,
    DEFAULT_SETTINGS,
    Project,
    Settings,
    Unit,
    overlay,
    validate,
)
from zpgen.render import Renderer
from zpgen.resources import builtin_templates

__all__ = ["CheckReport", "Plan", "ProjectPlan", "UnitPlan", "check", "plan"]


@dataclass
class ProjectPlan:
    """One project file: its name and document when it is good, and its problems."""

    file: Path
    name: str | None = None
    document: Document | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


@dataclass
class UnitPlan:
    """One unit folder: unit.yaml's problems, its projects, and the combined report."""

    source: UnitSource
    unit: Unit | None = None
    folder: Path | None = None  # <year>/<unit name>, relative to the output folder
    problems: list[Problem] = field(default_factory=list)
    projects: list[ProjectPlan] = field(default_factory=list)
    combined: Document | None = None

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


@dataclass
class Plan:
    units: list[UnitPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # folders not laid out right

    def all_problems(self) -> list[Problem]:
        """Every problem: the folders', then each unit's and each of its projects'."""
        found = list(self.problems)
        for unit in self.units:
            found += unit.problems
            for project in unit.projects:
                found += project.problems
        return found


@dataclass
class CheckReport:
    problems: list[Problem]
    projects: int  # project files read

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


def check(workspace: Path, paths: Sequence[Path] = (), *, strict: bool = False) -> CheckReport:
    """Read, validate, check and render (in memory) everything ``paths`` name; write nothing."""
    planned = plan(workspace, paths, strict=strict)
    projects = sum(len(unit.projects) for unit in planned.units)
    return CheckReport(planned.all_problems(), projects)


def plan(workspace: Path, paths: Sequence[Path] = (), *, strict: bool = False) -> Plan:
    """Every unit and project that ``paths`` name (default: all of ``workspace/data``).

    With ``strict`` every warning is an error: a project with warnings gets no document.
    """
    sources, problems = find_sources(workspace, list(paths))
    result = Plan(problems=problems)
    renderer = Renderer([builtin_templates()])
    for source in sources:
        result.units.append(_plan_unit(source, renderer, strict))
    _same_unit_names(result.units)
    _settle(result.problems, strict)
    return result


# --- one unit -----------------------------------------------------------------------------------


@dataclass
class _Loaded:
    """A project file read and validated (``project`` None when it is not valid)."""

    file: Path
    located: Located | None = None
    project: Project | None = None
    problems: list[Problem] = field(default_factory=list)


def _plan_unit(source: UnitSource, renderer: Renderer, strict: bool) -> UnitPlan:
    planned = UnitPlan(source)
    located = _read_unit(source, planned)
    loaded = [_load_project(file) for file in source.projects]
    names = _project_names(source, loaded)
    unit = planned.unit
    if unit is not None and located is not None:
        planned.folder = Path(str(source.year)) / safe_name(unit.name)
        planned.problems += run_checks(Subject(located, unit))
    _settle(planned.problems, strict)
    views: list[ProjectView] = []
    for item in loaded:
        project_plan = ProjectPlan(item.file, problems=item.problems)
        planned.projects.append(project_plan)
        if item.project is None or item.located is None:
            continue
        project_plan.name = item.project.name
        project_plan.problems += _same_name(item, names)
        if unit is None:
            _settle(project_plan.problems, strict)
            continue
        view = _view(item.file, item.project, unit, source.year)
        others = tuple(name for file, name in names if file != item.file)
        subject = Subject(item.located, unit, item.project, view.figures, others)
        project_plan.problems += run_checks(subject)
        _settle(project_plan.problems, strict)
        if project_plan.failed or planned.failed:
            continue
        try:
            project_plan.document = _render_project(renderer, unit, source.year, view)
            views.append(view)
        except ZpgenError as error:
            project_plan.problems += error.problems
    complete = all(p.document is not None for p in planned.projects)
    if unit is not None and source.whole_unit and complete and views:
        try:
            planned.combined = _render_unit(renderer, unit, source.year, views, source.folder)
        except ZpgenError as error:
            planned.problems += error.problems
    return planned


def _read_unit(source: UnitSource, planned: UnitPlan) -> Located | None:
    """Read and validate unit.yaml into ``planned``; its problems, and a folder without projects."""
    unit_file = source.folder / UNIT_FILE
    located: Located | None = None
    if not unit_file.is_file():
        message = _(
            "This unit folder has no {file}: every unit folder needs one (单位名称, 评价时间, "
            "财政部门, 公开网站); copy one from another unit and change it."
        ).format(file=UNIT_FILE)
        planned.problems.append(Problem(source.folder, message))
    else:
        try:
            located = load_yaml(unit_file)
            planned.unit = validate(located, Unit)
        except ZpgenError as error:
            planned.problems += error.problems
    if not source.projects:
        message = _("This unit folder has no project files (*.yaml besides {file}).").format(
            file=UNIT_FILE
        )
        planned.problems.append(Problem(source.folder, message, severity=WARNING))
    return located


def _settle(problems: list[Problem], strict: bool) -> None:
    """Make warnings errors under ``strict``, and sort the problems of a file by position."""
    if strict:
        problems[:] = [replace(p, severity=ERROR) if p.severity == WARNING else p for p in problems]
    problems.sort(key=lambda p: (p.line, p.column))


def _load_project(file: Path) -> _Loaded:
    loaded = _Loaded(file)
    try:
        loaded.located = load_yaml(file)
        loaded.project = validate(loaded.located, Project)
    except ZpgenError as error:
        loaded.problems = error.problems
    return loaded


def _project_names(source: UnitSource, loaded: list[_Loaded]) -> list[tuple[Path, str]]:
    """(file, 项目名称) of every project of the unit folder, in file order, as far as readable.

    A build of one project still compares it with the others: their names are read leniently.
    """
    known = {item.file: item.project.name for item in loaded if item.project is not None}
    names: list[tuple[Path, str]] = []
    for file in project_files(source.folder):
        name = known.get(file)
        if name is None and file not in source.projects:
            name = _name_of(file)
        if name is not None:
            names.append((file, name))
    return names


def _name_of(file: Path) -> str | None:
    try:
        data = load_yaml(file).data
    except ZpgenError:
        return None
    if isinstance(data, dict):
        name = data.get("项目名称", data.get("name"))
        return name.strip() if isinstance(name, str) else None
    return None


def _same_name(item: _Loaded, names: list[tuple[Path, str]]) -> list[Problem]:
    """An error when an earlier project of the unit has a name giving the same file name."""
    assert item.project is not None and item.located is not None
    mine = safe_name(item.project.name)
    for file, name in names:
        if file == item.file:
            return []
        if safe_name(name) == mine:
            key = "项目名称" if "项目名称" in item.located.data else "name"
            message = _(
                "The project {file} has the same 项目名称 “{name}” (or one that gives the same "
                "file name): their reports would overwrite each other. Give each project its "
                "own name."
            ).format(file=file.name, name=name)
            return [item.located.problem((key,), message)]
    return []  # pragma: no cover  # the item's own file is among the names


def _same_unit_names(units: list[UnitPlan]) -> None:
    """An error on each unit whose name gives the same output folder as an earlier unit's."""
    seen: dict[Path, UnitSource] = {}
    for planned in units:
        if planned.folder is None:
            continue
        first = seen.setdefault(planned.folder, planned.source)
        if first is not planned.source:
            message = _(
                "The unit folder {folder} has the same 单位名称 (or one that gives the same "
                "file name): their reports would overwrite each other."
            ).format(folder=first.folder.name)
            planned.problems.append(Problem(planned.source.folder / UNIT_FILE, message))
            planned.combined = None
            for project in planned.projects:
                project.document = None


# --- rendering ----------------------------------------------------------------------------------


def _view(file: Path, project: Project, unit: Unit, year: int) -> ProjectView:
    return ProjectView(
        data=project,
        figures=compute(project, year),
        phrases=overlay(DEFAULT_PHRASES, unit.phrases, project.phrases),
        settings=overlay(DEFAULT_SETTINGS, unit.settings, project.settings),
        file=file,
    )


def _render_project(renderer: Renderer, unit: Unit, year: int, view: ProjectView) -> Document:
    context: ProjectContext = {"unit": unit, "year": year, "project": view}
    markup = renderer.render("project.j2", context, view.file)
    return parse_markup(markup, _meta(unit, view.data.name), _numbering(view.settings))


def _render_unit(
    renderer: Renderer, unit: Unit, year: int, views: list[ProjectView], folder: Path
) -> Document:
    context: UnitContext = {"unit": unit, "year": year, "projects": views}
    markup = renderer.render("unit.j2", context, folder / UNIT_FILE)
    settings = overlay(DEFAULT_SETTINGS, unit.settings)
    return parse_markup(markup, _meta(unit, unit.name), _numbering(settings))


def _meta(unit: Unit, subject: str) -> DocumentMeta:
    date = unit.evaluation_date
    return DocumentMeta(
        title=f"{subject}绩效自评报告" if subject != unit.name else "项目支出绩效自评报告",
        author=unit.name,
        date=(date.year, date.month, date.day or 1),
        subject=subject,
    )


def _numbering(settings: Settings) -> Numbering:
    return Numbering((True, True, bool(settings.number_level3), True))
