"""``zpgen import``: reports and 自评表 of last year in, a unit's YAML files out.

Every file is read (``sources``), its 自评表 found (``selftable``) and its text read against
an outline (``narrative``); the projects of all files are put together (``merge``), their
figures inferred and compared (``reconcile``, ``scores``) and laid out as YAML (``assemble``,
``yamlwrite``). The files are then checked as ``zpgen check`` checks them, in a staging folder
with the target workspace's settings and templates, and only when everything was read, and no
file would be overwritten without ``force``, are they written, each through a temporary file
and a rename (``zpgen.write.atomic``). A failed import writes nothing.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.errors import WARNING, Problem, UsageError, ZpgenError
from zpgen.i18n import _
from zpgen.importer.assemble import (
    Planned,
    choose_phrases,
    project_entries,
    settings_entries,
    short_name,
    unit_entries,
)
from zpgen.importer.blocks import Paragraph, Source
from zpgen.importer.draft import ProjectDraft, UnitDraft, Value
from zpgen.importer.merge import merge_projects, merge_unit
from zpgen.importer.narrative import Narrative, read_narrative
from zpgen.importer.reconcile import settle_project
from zpgen.importer.scores import ScoreSettings, settle_scores
from zpgen.importer.selftable import Tables, read_tables
from zpgen.importer.sources import read_source
from zpgen.importer.yamlwrite import render
from zpgen.load.sources import UNIT_FILE, UnitSource, check_year, find_workspace
from zpgen.load.yaml_file import KeyPath, load_yaml
from zpgen.model.names import safe_name
from zpgen.model.placeholders import PLACEHOLDER, PLACEHOLDER_RULE
from zpgen.write.atomic import Status, confinement_problem, output_status, write_output

__all__ = ["ImportReport", "ImportedFile", "import_files"]


@dataclass
class ImportedFile:
    """One file written (or, in a dry run, to be written), and what went into it."""

    path: Path
    status: Status
    mapping: list[tuple[str, str]]
    to_check: list[tuple[str, str]]
    to_fill: list[str]
    unplaced: list[Value]


@dataclass
class ImportReport:
    """What an import read, wrote and left to do; the CLI prints it."""

    workspace: Path
    folder: Path
    year: int
    read: list[tuple[Path, str]] = field(default_factory=list)  # (file, what it held)
    files: list[ImportedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class _Read:
    unit: UnitDraft = field(default_factory=UnitDraft)
    projects: list[ProjectDraft] = field(default_factory=list)
    years: list[Value] = field(default_factory=list)
    outlines: list[str] = field(default_factory=list)
    read: list[tuple[Path, str]] = field(default_factory=list)


def import_files(
    files: Sequence[Path],
    *,
    into: Path | None = None,
    year: int | None = None,
    unit: str | None = None,
    dry_run: bool = False,
    force: bool = False,
) -> ImportReport:
    """Import reports and 自评表 into a workspace's ``data/<year>/<unit>/``.

    ``into``: the workspace (default: the current folder's, or the current folder); ``year``:
    the budget year (default: the one the files name); ``unit``: the unit's folder (default:
    its 单位名称). Raises ZpgenError with every problem when a file cannot be read or would be
    overwritten (without ``force``); nothing is written then, nor in a ``dry_run``.
    """
    if year is not None:
        check_year(year, given=f"--year {year}")
    read = _read_all(files)
    budget_year = _year(read, year)
    for project in read.projects:
        settle_project(project, budget_year)
    scores = [settle_scores(p) for p in read.projects]
    _suggest_unit_name(read)
    root = _workspace(into)
    from zpgen.model.workspace import load_workspace

    space = load_workspace(root) if root.is_dir() else load_workspace(Path(tempfile.gettempdir()))
    space = dataclasses.replace(space, root=root, data=root / space.config.data)
    named = (read.unit.text("单位名称") or "").removeprefix(PLACEHOLDER).strip()
    folder_name = safe_name(unit or named or _("unit"))
    folder = space.data / str(budget_year) / folder_name
    planned = _plan(read, scores, _schema_prefix(root, folder))
    texts = {folder / p.name: text for p, text in planned}
    confined = [found for path in texts if (found := confinement_problem(path, root))]
    if confined:
        raise ZpgenError(confined)
    problems = _stage(space, budget_year, folder, planned)
    _refuse_overwrites(texts, force)
    report = ImportReport(root, folder, budget_year, read.read, dry_run=dry_run)
    for plan, _text in planned:
        path = folder / plan.name
        content = texts[path].encode("utf-8")
        status = output_status(path, content) if dry_run else write_output(path, content)
        report.files.append(
            ImportedFile(path, status, plan.mapping, plan.to_check, plan.to_fill, plan.unplaced)
        )
    report.problems = problems
    return report


def _read_all(files: Sequence[Path]) -> _Read:
    parsed: list[_Parsed] = []
    problems: list[Problem] = []
    for path in files:
        try:
            found = _parse(read_source(path))
        except ZpgenError as error:
            problems += error.problems
            continue
        if found.narrative is None and found.tables is None:
            problems.append(Problem(path, _not_a_report()))
        parsed.append(found)
    if problems:
        raise ZpgenError(problems)
    read = _Read()
    # The file with the most projects first (a unit's combined report): its order is the
    # report's order; 自评表 fill in the projects after the text has named them.
    for found in sorted(parsed, key=lambda f: (f.narrative is None, -f.count)):
        _take(read, found)
    read.read = [(f.path, f.held) for f in parsed]
    return read


def _not_a_report() -> str:
    return _(
        "No 项目支出绩效自评报告 or 自评表 found in this file: its headings follow none of the "
        "outlines zpgen knows (the seed's, the 8-section one) and it holds no 自评表 (a table "
        "with 项目名称, the funds and the 绩效指标)."
    )


@dataclass
class _Parsed:
    """One file read: its report's text and its 自评表, either of them possibly absent."""

    path: Path
    narrative: Narrative | None
    tables: Tables | None

    @property
    def count(self) -> int:
        return len(self.narrative.projects) if self.narrative is not None else 0

    @property
    def held(self) -> str:
        held = []
        if self.narrative is not None:
            outline = _(self.narrative.outline.name)
            held.append(_("a report in {outline}").format(outline=outline))
        if self.tables is not None:
            count, layout = len(self.tables.projects), _(self.tables.layout.name)
            held.append(_("{count} 自评表 ({layout})").format(count=count, layout=layout))
        return _(", ").join(held)


def _parse(source: Source) -> _Parsed:
    name = source.path.name
    tables = read_tables(name, source.blocks)
    skip = tables.title_paragraphs if tables is not None else set()
    paragraphs = [
        b for i, b in enumerate(source.blocks) if isinstance(b, Paragraph) and i not in skip
    ]
    return _Parsed(source.path, read_narrative(name, paragraphs), tables)


def _take(read: _Read, found: _Parsed) -> None:
    """Add what one file holds to what the files before it held."""
    narrative, tables = found.narrative, found.tables
    if narrative is not None:
        merge_unit(read.unit, narrative.unit)
        merge_projects(read.projects, narrative.projects)
        read.outlines.append(narrative.outline.name)
        read.years += [v for p in narrative.projects if (v := p.get("年度")) is not None]
    if tables is not None:
        for project in tables.projects:
            project.table_after_narrative = narrative is not None
        if tables.department is not None:
            read.unit.set("主管部门", tables.department)
        if tables.year is not None:
            read.years.append(tables.year)
        merge_projects(read.projects, tables.projects)


def _suggest_unit_name(read: _Read) -> None:
    """A 自评表 alone names the 主管部门 and the 实施单位, not the unit whose report it is: one
    of them is suggested after 待填."""
    if read.unit.get("单位名称") is not None:
        return
    named = read.unit.get("主管部门") or next(
        (v for p in read.projects if (v := p.get("实施单位")) is not None), None
    )
    if named is not None:
        note = _("the files name no unit; the 主管部门 (or 实施单位) of the 自评表 is suggested")
        read.unit.set("单位名称", Value(f"{PLACEHOLDER} {named.text}", named.where, note))


def _year(read: _Read, year: int | None) -> int:
    found = Counter(v.text for v in read.years)
    if year is not None:
        return year
    if not found:
        message = _("The files do not say which budget year they are about: give it with --year.")
        raise UsageError.single(None, message)
    return int(found.most_common(1)[0][0])


def _workspace(into: Path | None) -> Path:
    if into is not None:
        return into.resolve()
    try:
        return find_workspace(Path.cwd())
    except ZpgenError:
        return Path.cwd()


def _schema_prefix(root: Path, folder: Path) -> str:
    schema = root / "schema"
    if not (schema / "project.schema.json").is_file():
        return ""
    return Path(os.path.relpath(schema, folder)).as_posix()


def _plan(read: _Read, scores: list[ScoreSettings], schema: str) -> list[tuple[Planned, str]]:
    unit_name = read.unit.text("单位名称")
    phrases = choose_phrases(read.projects)
    common = _common_scores(scores)
    unit_settings = settings_entries(_numbered(read.projects), _self_table(read.projects), common)
    narrative = any(p.narrative for p in read.projects)
    unit = unit_entries(read.unit, phrases, unit_settings, narrative=narrative)
    header = _header(read)
    planned = [(unit, _text(unit, _schema_line(schema, "unit"), header))]
    names: set[str] = set()
    for number, (project, own) in enumerate(zip(read.projects, scores, strict=True), start=1):
        name = _file_name(number, project, names)
        different = _different_scores(own, common)
        settings = settings_entries(None, None, different) if different else []
        plan = project_entries(name, project, phrases, settings, unit_name)
        planned.append((plan, _text(plan, _schema_line(schema, "project"), header)))
    return planned


def _file_name(number: int, project: ProjectDraft, taken: set[str]) -> str:
    stem = safe_name(short_name(project.name)) if project.name else _("project")
    name = f"{number:02d}-{stem}.yaml"
    taken.add(name)
    return name


def _numbered(projects: list[ProjectDraft]) -> bool | None:
    votes = [flag for p in projects for flag in p.level3_numbered]
    if not votes:
        return None
    return votes.count(True) > votes.count(False)


def _self_table(projects: list[ProjectDraft]) -> str | None:
    tables = [p for p in projects if p.table]
    if not tables:
        return None
    if all(p.table_after_narrative for p in tables):
        return "附在报告后"
    if any(p.narrative for p in projects):
        return "单独文件"
    return "仅自评表"


def _common_scores(scores: list[ScoreSettings]) -> ScoreSettings:
    if not scores:
        return ScoreSettings()
    weights = Counter(tuple(s.weights.items()) for s in scores).most_common(1)[0][0]
    decimals = Counter(s.score_decimals for s in scores).most_common(1)[0][0]
    formula = Counter(s.negative_formula for s in scores).most_common(1)[0][0]
    return ScoreSettings(dict(weights), decimals, formula)


def _different_scores(own: ScoreSettings, common: ScoreSettings) -> ScoreSettings | None:
    if own == common:
        return None
    return ScoreSettings(
        own.weights if own.weights != common.weights else {},
        own.score_decimals if own.score_decimals != common.score_decimals else None,
        own.negative_formula if own.negative_formula != common.negative_formula else None,
    )


def _schema_line(schema: str, kind: str) -> list[str]:
    return [f"yaml-language-server: $schema={schema}/{kind}.schema.json"] if schema else []


def _header(read: _Read) -> list[str]:
    names = "、".join(path.name for path, _held in read.read)
    return [
        _("Imported by zpgen import from {files}.").format(files=names),
        _(
            "“待填”: a value the files do not give, to fill in; “待核对”: a value inferred or "
            "printed otherwise elsewhere: check it, then delete the comment."
        ),
        _("zpgen check lists what is left to fill in."),
    ]


def _text(plan: Planned, schema: list[str], header: list[str]) -> str:
    entries = list(plan.entries)
    text = render(entries, [*schema, *header])
    if plan.unplaced:
        lines = [
            "",
            "# " + _("Paragraphs of the files imported that fit no key (zpgen prints no comment):"),
        ]
        lines += [f"# {v.where}：{' '.join(v.text.split())}" for v in plan.unplaced]
        text += "\n".join(lines) + "\n"
    return text


def _refuse_overwrites(texts: dict[Path, str], force: bool) -> None:
    if force:
        return
    existing = [path for path in texts if path.exists()]
    if existing:
        message = _(
            "The file already exists; zpgen import does not overwrite files without --force."
        )
        raise ZpgenError([Problem(path, message) for path in existing])


def _stage(
    space: object, year: int, folder: Path, planned: list[tuple[Planned, str]]
) -> list[Problem]:
    """Check the files as zpgen check would, in a staging folder; their problems, named by
    the files' places in the workspace."""
    from zpgen.builder.planner import Planner
    from zpgen.model.workspace import Workspace
    from zpgen.render.environment import Renderer

    assert isinstance(space, Workspace)
    with tempfile.TemporaryDirectory(prefix="zpgen-import-") as staging:
        unit_folder = Path(staging) / str(year) / folder.name
        unit_folder.mkdir(parents=True)
        for plan, text in planned:
            (unit_folder / plan.name).write_text(text, encoding="utf-8")
        staged = dataclasses.replace(space, data=Path(staging))
        planner = Planner(staged, Renderer(staged.search_path(), staged.limits))
        projects = tuple(sorted(p for p in unit_folder.iterdir() if p.name != UNIT_FILE))
        result = planner.plan_unit(UnitSource(year, unit_folder, projects, whole_unit=True))
        problems = [*result.problems, *(p for project in result.projects for p in project.problems)]
        problems += _disagreements(unit_folder, planned)
        moved = [_moved(p, unit_folder, folder) for p in problems if p.rule != PLACEHOLDER_RULE]
    return moved


def _moved(problem: Problem, staging: Path, folder: Path) -> Problem:
    if problem.file is None or problem.file.parent != staging:
        return problem
    return dataclasses.replace(problem, file=folder / problem.file.name)


def _disagreements(staging: Path, planned: list[tuple[Planned, str]]) -> list[Problem]:
    problems = []
    for plan, _text in planned:
        if not plan.disagreements:
            continue
        path = staging / plan.name
        try:
            located = load_yaml(path, root=None)
        except ZpgenError:
            located = None
        for key, message in plan.disagreements:
            where = located.position(_key_path(key)) if located is not None and key else None
            line, column = (where.line, where.column) if where is not None else (0, 0)
            problems.append(Problem(path, message, line, column, key, WARNING, "import-figures"))
    return problems


def _key_path(key: str) -> KeyPath:
    path: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        path.append(int(part[1:-1]) if part.startswith("[") else part)
    return tuple(path)
