"""``zpgen build``: load → model → figures → render → write, for every project named.

Builds are incremental (``zpgen.incremental``): a target whose inputs have not changed since its
outputs were written is not loaded, rendered or written again, and is reported unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.context import ProjectContext, ProjectView, UnitContext
from zpgen.document import Document, DocumentMeta, Numbering, parse_markup
from zpgen.errors import Problem, ZpgenError
from zpgen.figures import compute
from zpgen.incremental import Bookkeeping, Written, digest
from zpgen.layout import UNIT_FILE, UnitSource, find_sources, safe_name
from zpgen.model import OUTPUT_FORMATS, Project, SelfTable, Settings, Unit
from zpgen.placeholders import load_filled
from zpgen.render import Renderer
from zpgen.scoring import score_project
from zpgen.txt import render_txt
from zpgen.workspace import Workspace, load_workspace
from zpgen.write import Status, output_status, write_output

__all__ = ["FORMATS", "PROJECT_TEMPLATES", "UNIT_TEMPLATES", "BuildReport", "build"]

FORMATS = OUTPUT_FORMATS


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
PROJECT_TEMPLATES = (_REPORT.project_template, _TABLE.project_template)
UNIT_TEMPLATES = (_REPORT.unit_template, _TABLE.unit_template)


def _outputs(settings: Settings) -> list[_Output]:
    """The documents the 自评表 setting asks for."""
    choice = settings.self_table
    outputs = [] if choice is SelfTable.ONLY else [_REPORT]
    if choice in (SelfTable.SEPARATE, SelfTable.ONLY):
        outputs.append(_TABLE)
    return outputs


@dataclass
class BuildReport:
    """What a build wrote (each file with its status), what failed, and every problem it met.

    ``failures``: the project files (or unit folders) whose reports could not be made.
    ``stale``: outputs whose project is gone; ``removed``: those of them deleted (``prune``).
    """

    written: list[tuple[Path, Status]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failures: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def build(
    workspace: Path,
    paths: Sequence[Path] = (),
    *,
    out: Path | None = None,
    formats: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    force: bool = False,
    prune: bool = False,
    dry_run: bool = False,
) -> BuildReport:
    """Build the reports of everything ``paths`` names (default: all of the workspace's data).

    ``out`` and ``formats`` override ``zpgen.yaml``; ``overrides`` are ``键=值`` settings over
    every file's. ``force`` rebuilds what is current; ``prune`` deletes outputs whose project
    is gone; ``dry_run`` reports what a build would do and writes nothing. A project with
    problems is not written; a unit's combined report is written only when all of its projects
    are good. The problems are in the report, never raised one at a time.
    """
    space = load_workspace(workspace, out=out, formats=formats, overrides=overrides)
    sources = find_sources(space.root, list(paths), data=space.data)
    report = BuildReport(dry_run=dry_run)
    renderer = Renderer(space.search_path())
    writer = _Writer(space, dry_run, report)
    book = Bookkeeping(
        space,
        renderer.environment,
        project_templates=PROJECT_TEMPLATES,
        unit_templates=UNIT_TEMPLATES,
        force=force,
        dry_run=dry_run,
    )
    if book.corrupt:
        message = "构建记录无法读取（已损坏或来自其他版本），这次全部重新生成"
        report.problems.append(Problem(book.path, message, severity="warning"))
    builder = _Builder(space, renderer, writer, book)
    try:
        for source in sources:
            try:
                builder.unit(source)
            except ZpgenError as error:
                report.problems.extend(error.problems)
                report.failures.append(source.folder)
        report.stale, report.removed = book.settle(prune=prune)
    finally:
        book.save()
    return report


@dataclass
class _Builder:
    """One build's shared parts: the workspace, the renderer, the writer and the bookkeeping."""

    space: Workspace
    renderer: Renderer
    writer: _Writer
    book: Bookkeeping

    def unit(self, source: UnitSource) -> None:
        """Build what is out of date in one unit folder; report the rest unchanged."""
        book = self.book
        unit_file = source.folder / UNIT_FILE
        if not unit_file.is_file():
            raise ZpgenError.single(source.folder, f"单位文件夹中缺少 {UNIT_FILE}")
        unit_digest = digest(unit_file.read_bytes())
        stale = {
            file
            for file in source.projects
            if not book.current(book.key(file), book.project_fingerprint(unit_digest, file))
        }
        unit_key = book.key(source.folder)
        unit_print = book.unit_fingerprint(unit_digest, source.projects)
        unit_stale = source.whole_unit and not book.current(unit_key, unit_print)
        if not stale and not unit_stale:
            for file in source.projects:
                self.unchanged(book.key(file))
            if source.whole_unit:
                self.unchanged(unit_key)
            return
        unit = _load_unit(unit_file, source.projects)
        # The combined report needs every project's data; the projects' own reports only the
        # stale ones'.
        needed = set(source.projects) if unit_stale else stale
        views = self.projects(source, unit, unit_digest, stale, needed)
        if not unit_stale:
            return
        if not views:
            self.writer.report.failures.append(source.folder)
            return
        settings = self.space.settings_for(unit)
        folder = self._folder(source.year, unit)
        written: list[tuple[Path, str, bytes]] = []
        for output in _outputs(settings):
            members = [v for v in views if v.score is not None] if output.table else views
            if not members:
                continue
            unit_context: UnitContext = {"unit": unit, "year": source.year, "projects": members}
            markup = self.renderer.render(output.unit_template, unit_context, unit_file)
            meta = _meta(unit, unit.name, output)
            document = parse_markup(markup, meta, _numbering(settings), source=unit_file)
            written += self.writer.write(folder.with_name(folder.name + output.suffix), document)
        book.record(unit_key, unit_print, written)

    def projects(
        self, source: UnitSource, unit: Unit, unit_digest: str, stale: set[Path], needed: set[Path]
    ) -> list[ProjectView] | None:
        """Load the needed projects and write the stale ones; None when any of them failed."""
        views: list[ProjectView] = []
        failed = False
        for file in source.projects:
            key = self.book.key(file)
            if file not in stale:
                self.unchanged(key)
            if file not in needed:
                continue
            try:
                view = _project_view(file, unit, source.year, self.space)
                views.append(view)
                if file in stale:
                    written = self.project(view, unit, source.year)
                    self.book.record(key, self.book.project_fingerprint(unit_digest, file), written)
            except ZpgenError as error:
                self.writer.report.problems.extend(error.problems)
                self.writer.report.failures.append(file)
                failed = True
        return None if failed else views

    def project(self, view: ProjectView, unit: Unit, year: int) -> Written:
        """Render every output of one project before writing any of them."""
        context: ProjectContext = {"unit": unit, "year": year, "project": view}
        stem = self._folder(year, unit) / safe_name(view.data.name)
        documents = [
            (
                stem.with_name(stem.name + output.suffix),
                parse_markup(
                    self.renderer.render(output.project_template, context, view.file),
                    _meta(unit, view.data.name, output),
                    _numbering(view.settings),
                    source=view.file,
                ),
            )
            for output in _outputs(view.settings)
        ]
        written: list[tuple[Path, str, bytes]] = []
        for path, document in documents:
            written += self.writer.write(path, document)
        return written

    def unchanged(self, key: str) -> None:
        for path in self.book.outputs(key):
            self.writer.report.written.append((path, Status.UNCHANGED))

    def _folder(self, year: int, unit: Unit) -> Path:
        return self.space.out / str(year) / safe_name(unit.name)


def _load_unit(unit_file: Path, projects: Sequence[Path]) -> Unit:
    """The unit's data; when it has problems, the projects' problems are raised with them, so
    that one run lists everything still to fix."""
    try:
        return load_filled(unit_file, Unit)[0]
    except ZpgenError as error:
        for file in projects:
            try:
                load_filled(file, Project)
            except ZpgenError as project_error:
                error.problems.extend(project_error.problems)
        raise


def _project_view(file: Path, unit: Unit, year: int, space: Workspace) -> ProjectView:
    project, located = load_filled(file, Project)
    settings = space.settings_for(unit, project)
    assert settings.rate_decimals is not None  # the defaults set every setting
    figures = compute(project, year, rate_decimals=settings.rate_decimals)
    wants_table = settings.self_table is not SelfTable.NONE
    return ProjectView(
        data=project,
        figures=figures,
        score=score_project(project, figures, settings, located, required=wants_table),
        phrases=space.phrases_for(unit, project),
        settings=settings,
        file=file,
    )


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


class _Writer:
    """Renders a document to each requested format and writes it beside its siblings."""

    def __init__(self, space: Workspace, dry_run: bool, report: BuildReport) -> None:
        self.dry_run = dry_run
        self.report = report
        self.paths: set[Path] = set()  # written in this build: two projects must not share one
        self.renderers: list[tuple[str, Callable[[Document], bytes]]] = []
        if "txt" in space.formats:
            self.renderers.append(("txt", lambda document: render_txt(document).encode("utf-8")))
        if "docx" in space.formats:
            from zpgen.basedoc import load_workspace_base  # heavy: only when .docx is wanted
            from zpgen.docx import render_docx

            base = load_workspace_base(space.base_document)
            self.renderers.append(("docx", lambda document: render_docx(document, base)))

    def write(self, stem: Path, document: Document) -> list[tuple[Path, str, bytes]]:
        # Render every format before writing any, so a failure leaves the old files as they were.
        contents = [
            (stem.with_name(f"{stem.name}.{ext}"), ext, r(document)) for ext, r in self.renderers
        ]
        for path, _, _ in contents:
            if path in self.paths:
                raise ZpgenError.single(
                    path, "两份报告的输出文件同名（项目名称相同？），请改一个项目名称"
                )
        put = output_status if self.dry_run else write_output
        for path, _, content in contents:
            self.paths.add(path)
            self.report.written.append((path, put(path, content)))
        return contents
