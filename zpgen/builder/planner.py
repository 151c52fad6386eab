"""Everything a build does but write: load → model → figures → checks → render.

``Planner.plan_unit`` reads one unit folder (all of its projects, or those asked for), validates
them, runs the consistency checks and renders each good project to its documents, collecting
every problem on the way (never only the first). ``zpgen check`` plans every unit and reports
the problems; ``zpgen build`` plans the units whose inputs changed and writes the documents of
the projects that have no errors, one unit at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from zpgen.checks import Subject, UnitProjects, run_checks
from zpgen.errors import ERROR, WARNING, Problem, ZpgenError
from zpgen.figures.budget import compute
from zpgen.figures.formats import number_format
from zpgen.figures.scoring import Scoring, score_project
from zpgen.i18n import _
from zpgen.load.sources import UNIT_FILE, UnitSource, find_sources, project_files
from zpgen.load.yaml_file import Located, load_yaml
from zpgen.model.keys import spelled
from zpgen.model.names import file_key, safe_name
from zpgen.model.schema import Outline, Project, SelfTable, Settings, Unit
from zpgen.model.validate import load_model
from zpgen.model.workspace import Workspace, load_workspace
from zpgen.render.context import PART_TEMPLATES, ProjectContext, ProjectView, UnitContext
from zpgen.render.environment import Renderer
from zpgen.render.markup import Document, DocumentMeta, Numbering, parse_markup
from zpgen.render.selftable import TableView, fund_rows, table

__all__ = [
    "PROJECT_TEMPLATES",
    "UNIT_TEMPLATES",
    "CheckReport",
    "Plan",
    "Planner",
    "ProjectPlan",
    "Rendered",
    "UnitPlan",
    "check",
    "plan",
    "plan_units",
]


@dataclass(frozen=True)
class _Output:
    """One kind of document: the narrative report, or the 自评表 on its own."""

    project_template: str
    unit_template: str
    suffix: str  # added to the file name
    table: bool


_REPORT = _Output("project.j2", "unit.j2", "", table=False)
_TABLE = _Output("project_table.j2", "unit_table.j2", "_自评表", table=True)
# Every root template a build may render, for the bookkeeping's template hashes.
# The root templates of each kind of target, for its fingerprint (zpgen.builder.bookkeeping).
PROJECT_TEMPLATES = (_REPORT.project_template, _TABLE.project_template, *PART_TEMPLATES)
UNIT_TEMPLATES = (_REPORT.unit_template, _TABLE.unit_template, *PART_TEMPLATES)


class Rendered(NamedTuple):
    """A document a project or a unit gets, and what its file names add (``_自评表``)."""

    suffix: str
    document: Document


Documents = list[Rendered]


def _outputs(settings: Settings) -> list[_Output]:
    """The documents the 自评表 setting asks for."""
    choice = settings.self_table
    outputs = [] if choice is SelfTable.ONLY else [_REPORT]
    if choice in (SelfTable.SEPARATE, SelfTable.ONLY):
        outputs.append(_TABLE)
    return outputs


@dataclass
class ProjectPlan:
    """One project file: its name and document when it is good, and its problems."""

    file: Path
    name: str | None = None
    documents: Documents | None = None  # None: not rendered (not asked for, or failed)
    problems: list[Problem] = field(default_factory=list)
    view: ProjectView | None = None  # the data, figures and scores, when the file is valid

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
    combined: Documents | None = None

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
    """Every unit and project that ``paths`` name (default: all of the workspace's data).

    With ``strict`` every warning is an error: a project with warnings gets no document.
    """
    problems, units = plan_units(load_workspace(workspace), paths, strict=strict)
    return Plan(list(units), problems)


def plan_units(
    space: Workspace, paths: Sequence[Path] = (), *, strict: bool = False
) -> tuple[list[Problem], Iterator[UnitPlan]]:
    """``plan``'s problems of the folders, and its units one at a time (planned as they are
    asked for: a caller that keeps only what it needs of each holds one unit at a time)."""
    sources, problems = find_sources(space.root, list(paths), data=space.data)
    found = [*_base_problems(space), *problems]
    _finish(found, strict)
    planner = Planner(space, Renderer(space.search_path(), space.limits), strict)
    clashes = clashing_units(sources, space)

    def units() -> Iterator[UnitPlan]:
        for source in sources:
            planned = planner.plan_unit(source)
            if source.folder in clashes:  # checked like the others, and given no documents
                planned.problems.append(clashes[source.folder])
                planned.combined = None
                for project in planned.projects:
                    project.documents = None
            yield planned

    return found, units()


def _base_problems(space: Workspace) -> list[Problem]:
    """What a build would say of the workspace's base document, when it writes .docx files
    (or PDFs, made from them)."""
    if space.base_document is None or not {"docx", "pdf"} & set(space.formats):
        return []
    from zpgen.write.base import load_workspace_base  # heavy: only with a base document

    try:
        return load_workspace_base(space.base_document, root=space.root, limits=space.limits)[1]
    except ZpgenError as error:
        return error.problems


# --- one unit -----------------------------------------------------------------------------------


@dataclass
class _Loaded:
    """A project file read and validated (``project`` None when it is not valid)."""

    file: Path
    located: Located | None = None
    project: Project | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Planner:
    """What planning a unit needs: the workspace (settings), the renderer, strictness."""

    space: Workspace
    renderer: Renderer
    strict: bool = False
    # the renderers of the built-in outlines other than the seed's (提纲), made when first asked
    outlines: dict[Outline, Renderer] = field(default_factory=dict)

    def renderer_for(self, outline: Outline | None) -> Renderer:
        """The renderer of an outline's template set: the workspace's templates, the outline's,
        then the built-ins."""
        if outline is None or outline.folder is None:
            return self.renderer
        if outline not in self.outlines:
            search = self.space.search_path(outline)
            self.outlines[outline] = Renderer(search, self.space.limits)
        return self.outlines[outline]

    def plan_unit(
        self,
        source: UnitSource,
        *,
        render: set[Path] | None = None,
        combined: bool = True,
    ) -> UnitPlan:
        """Plan one unit folder. ``render``: the project files to render (default: all);
        ``combined``: render the unit's combined documents too (when the whole unit is named).
        Only the projects rendered, or needed for the combined documents, are read."""
        planned = UnitPlan(source)
        wanted = set(source.projects) if render is None else render
        combined = combined and source.whole_unit
        needed = set(source.projects) if combined else wanted
        located = _read_unit(source, planned, self.space)
        loaded = [_load_project(file, self.space) for file in source.projects if file in needed]
        names = _project_names(source, loaded, self.space)
        read = UnitProjects(item.project for item in loaded if item.project is not None)
        unit = planned.unit
        if unit is not None and located is not None:
            planned.folder = Path(str(source.year)) / safe_name(unit.name)
            planned.problems += run_checks(Subject(located, unit, year=source.year))
            planned.problems += self._layout_problems(located, unit)
        _finish(planned.problems, self.strict)
        views: list[ProjectView] = []
        for item in loaded:
            project_plan = ProjectPlan(item.file, problems=item.problems)
            planned.projects.append(project_plan)
            if item.project is None or item.located is None:
                continue
            project_plan.name = item.project.name
            project_plan.problems += _same_name(item, names)
            if unit is None:
                _finish(project_plan.problems, self.strict)
                continue
            view, scoring = self._view(item.file, item.project, unit, source.year)
            project_plan.view = view
            others = tuple(name for file, name in names if file != item.file)
            subject = Subject(
                item.located,
                unit,
                item.project,
                view.figures,
                others,
                source.year,
                read,
                scoring,
                fund_rows=self._fund_rows(view.settings),
            )
            project_plan.problems += run_checks(subject)
            project_plan.problems += self._layout_problems(item.located, item.project)
            _finish(project_plan.problems, self.strict)
            if project_plan.failed or planned.failed:
                continue
            try:
                if item.file in wanted:
                    project_plan.documents = self._render_project(
                        unit, source.year, view, item.file
                    )
                views.append(view)
            except ZpgenError as error:
                project_plan.problems += error.problems
        complete = not any(p.failed for p in planned.projects) and len(views) == len(loaded)
        if unit is not None and combined and complete and views:
            try:
                planned.combined = self._render_unit(unit, source.year, views, source.folder)
            except ZpgenError as error:
                planned.problems += error.problems
        return planned

    def _view(
        self, file: Path, project: Project, unit: Unit, year: int
    ) -> tuple[ProjectView, Scoring]:
        """The project as its templates see it, and its scores (with what keeps them from being
        right, which its checks report)."""
        settings = self.space.settings_for(unit, project)
        assert settings.rate_decimals is not None  # the defaults set every setting
        figures = compute(project, year, rate_decimals=settings.rate_decimals)
        wants_table = settings.self_table is not SelfTable.NONE
        renderer = self.renderer_for(settings.outline)
        numbers = number_format(settings)

        def render(template: str, view: ProjectView) -> str:
            context: ProjectContext = {"unit": unit, "year": year, "project": view}
            return renderer.render(template, context, file)

        scoring = score_project(project, figures, settings, required=wants_table)
        layout = self.space.layout_for(settings)

        def lay_out() -> TableView | None:
            if scoring.sheet is None or layout is None:
                return None
            return table(
                layout,
                project=project,
                figures=figures,
                sheet=scoring.sheet,
                settings=settings,
                unit=unit,
                year=year,
                numbers=numbers,
            )

        view = ProjectView(
            data=project,
            figures=figures,
            score=scoring.sheet,
            phrases=self.space.phrases_for(unit, project),
            settings=settings,
            _render=render,
            _table=lay_out,
            _numbers=numbers,
        )
        return view, scoring

    def _fund_rows(self, settings: Settings) -> tuple[str, ...] | None:
        """The fund rows of the 自评表, when one is made (None: no table, nothing to check)."""
        layout = self.space.layout_for(settings)
        if layout is None or settings.self_table is SelfTable.NONE:
            return None
        return fund_rows(layout, settings) or None

    def _layout_problems(self, located: Located, owner: Project | Unit) -> list[Problem]:
        """A 自评表格式 in the file that names no layout."""
        name = owner.settings.layout
        if name is None or self.space.layouts.get(name) is not None:
            return []
        raw = located.data if isinstance(located.data, dict) else {}
        key = spelled(raw, type(owner), "settings")
        path = (key, spelled(raw.get(key), Settings, "layout"))
        return [located.problem(path, self.space.layouts.unknown(name))]

    def _render_project(self, unit: Unit, year: int, view: ProjectView, file: Path) -> Documents:
        context: ProjectContext = {"unit": unit, "year": year, "project": view}
        renderer = self.renderer_for(view.settings.outline)
        return [
            Rendered(
                output.suffix,
                parse_markup(
                    renderer.render(output.project_template, context, file),
                    _meta(unit, view.data.name, output),
                    _numbering(view.settings),
                    source=file,
                ),
            )
            for output in _outputs(view.settings)
        ]

    def _render_unit(
        self, unit: Unit, year: int, views: list[ProjectView], folder: Path
    ) -> Documents:
        settings = self.space.settings_for(unit)
        unit_file = folder / UNIT_FILE
        renderer = self.renderer_for(settings.outline)
        numbers = number_format(settings)
        documents: Documents = []
        for output in _outputs(settings):
            members = [v for v in views if v.score is not None] if output.table else views
            if not members:
                continue
            context: UnitContext = {
                "unit": unit,
                "year": year,
                "projects": members,
                "phrases": self.space.phrases_for(unit),
            }
            markup = renderer.render(output.unit_template, context, unit_file, numbers=numbers)
            meta = _meta(unit, unit.name, output)
            document = parse_markup(markup, meta, _numbering(settings), source=unit_file)
            documents.append(Rendered(output.suffix, document))
        return documents


def _read_unit(source: UnitSource, planned: UnitPlan, space: Workspace) -> Located | None:
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
            planned.unit, located = load_model(
                unit_file, Unit, root=space.data_root, limits=space.limits
            )
        except ZpgenError as error:
            planned.problems += error.problems
    if not source.projects:
        message = _("This unit folder has no project files (*.yaml besides {file}).").format(
            file=UNIT_FILE
        )
        planned.problems.append(Problem(source.folder, message, severity=WARNING))
    planned.problems += [_not_taken(file) for file in source.not_taken]
    return located


def _not_taken(file: Path) -> Problem:
    """Why a file of a unit folder is not read, and how to have it read."""
    name, lower = file.name, file.name.lower()
    for ending in (".yaml", ".yml"):
        at = lower.find(ending)
        if at < 0:
            continue
        if at + len(ending) == len(lower):  # .YAML
            message = _(
                "Not read: zpgen reads files whose names end in .yaml or .yml, in small "
                "letters. Rename it to end in “{ending}”."
            ).format(ending=ending)
        else:
            message = _(
                "Not read: its name goes on after “{ending}” (“{rest}”; Notepad adds .txt to a "
                "name it saves). If it is a project file, rename it to end in “{ending}”; if it "
                "is a copy, move it out of the data folder."
            ).format(ending=ending, rest=name[at + len(ending) :])
        return Problem(file, message, severity=WARNING)
    message = _(
        "Not read: only unit.yaml and project files ending in .yaml belong in a unit folder. "
        "Move it out of the data folder."
    )
    return Problem(file, message, severity=WARNING)


def _finish(problems: list[Problem], strict: bool) -> None:
    """Make warnings errors under ``strict``, and sort the problems of a file by position."""
    if strict:
        problems[:] = [replace(p, severity=ERROR) if p.severity == WARNING else p for p in problems]
    problems.sort(key=lambda p: (p.line, p.column))


def _load_project(file: Path, space: Workspace) -> _Loaded:
    loaded = _Loaded(file)
    try:
        loaded.project, loaded.located = load_model(
            file, Project, root=space.data_root, limits=space.limits
        )
    except ZpgenError as error:
        loaded.problems = error.problems
    return loaded


def _project_names(
    source: UnitSource, loaded: list[_Loaded], space: Workspace
) -> list[tuple[Path, str]]:
    """(file, 项目名称) of every project of the unit folder, in file order, as far as readable.

    A build of one project still compares it with the others: their names are read leniently.
    """
    known = {item.file: item.project.name for item in loaded if item.project is not None}
    names: list[tuple[Path, str]] = []
    for file in project_files(source.folder):
        name = known.get(file)
        if name is None and file not in source.projects:
            name = _name_in(file, Project, space)
        if name is not None:
            names.append((file, name))
    return names


def _name_in(file: Path, model: type[Project] | type[Unit], space: Workspace) -> str | None:
    """The name a file gives (项目名称, 单位名称), read without validating the rest of it."""
    try:
        data = load_yaml(file, root=space.data_root, limits=space.limits).data
    except ZpgenError:
        return None
    if not isinstance(data, dict):
        return None
    alias = model.model_fields["name"].alias or "name"
    name = data.get(alias, data.get("name"))
    return name.strip() if isinstance(name, str) and name.strip() else None


def _same_name(item: _Loaded, names: list[tuple[Path, str]]) -> list[Problem]:
    """An error when an earlier project of the unit has a name giving the same file name."""
    assert item.project is not None and item.located is not None
    mine = file_key(item.project.name)
    for file, name in names:
        if file == item.file:
            return []
        if file_key(name) == mine:
            key = spelled(item.located.data, Project, "name")
            message = _(
                "The project {file} has the same 项目名称 “{name}” (or one that gives the same "
                "file name, or differs only in letter case): their reports would overwrite each "
                "other. Give each project its own name."
            ).format(file=file.name, name=name)
            return [item.located.problem((key,), message)]
    return []  # pragma: no cover  # the item's own file is among the names


def clashing_units(sources: Sequence[UnitSource], space: Workspace) -> dict[Path, Problem]:
    """The units whose 单位名称 gives the same output folder as an earlier unit's of the same
    year, each with its problem: building them would overwrite that unit's reports. Only the
    name is read from each unit.yaml; one that cannot be read is the planner's to report."""
    seen: dict[tuple[int, str], UnitSource] = {}
    clashes: dict[Path, Problem] = {}
    for source in sources:
        name = _name_in(source.folder / UNIT_FILE, Unit, space)
        if name is None:
            continue
        first = seen.setdefault((source.year, file_key(name)), source)
        if first is not source:
            message = _(
                "The unit folder {folder} has the same 单位名称 (or one that gives the same "
                "file name): their reports would overwrite each other."
            ).format(folder=first.folder.name)
            clashes[source.folder] = Problem(source.folder / UNIT_FILE, message)
    return clashes


# --- rendering ----------------------------------------------------------------------------------


def _meta(unit: Unit, subject: str, output: _Output) -> DocumentMeta:
    date = unit.evaluation_date
    kind = "绩效自评表" if output.table else "绩效自评报告"
    return DocumentMeta(
        title=f"{subject}{kind}" if subject != unit.name else f"项目支出{kind}",
        author=unit.name,
        date=(date.year, date.month, date.day or 1),
        subject=subject,
    )


def _numbering(settings: Settings) -> Numbering:
    return Numbering((True, True, bool(settings.number_level3), True))
