"""``zpgen build``: load → model → figures → render → write, for every project named.

Builds are incremental (``zpgen.incremental``): a target whose inputs have not changed since its
outputs were written is not loaded, rendered or written again, and is reported unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.context import ProjectContext, ProjectView, UnitContext
from zpgen.document import Document, DocumentMeta, Numbering, parse_markup
from zpgen.errors import Problem, ZpgenError
from zpgen.figures import compute
from zpgen.incremental import (
    MANIFEST_FILE,
    Manifest,
    base_digest,
    digest,
    fingerprint,
    is_current,
    templates_digest,
)
from zpgen.layout import UNIT_FILE, UnitSource, find_sources, safe_name
from zpgen.model import OUTPUT_FORMATS, Project, Settings, Unit
from zpgen.placeholders import load_filled
from zpgen.render import Renderer
from zpgen.txt import render_txt
from zpgen.workspace import Workspace, load_workspace
from zpgen.write import Status, output_status, write_output

__all__ = ["FORMATS", "PROJECT_TEMPLATE", "UNIT_TEMPLATE", "BuildReport", "build"]

FORMATS = OUTPUT_FORMATS
PROJECT_TEMPLATE = "project.j2"
UNIT_TEMPLATE = "unit.j2"


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
    book = _Bookkeeping(space, renderer, force, report)
    builder = _Builder(space, renderer, writer, book)
    try:
        for source in sources:
            try:
                builder.unit(source)
            except ZpgenError as error:
                report.problems.extend(error.problems)
                report.failures.append(source.folder)
        book.settle(prune=prune, dry_run=dry_run)
    finally:
        if not dry_run:
            book.manifest.save(space.out)
    return report


@dataclass
class _Builder:
    """One build's shared parts: the workspace, the renderer, the writer and the bookkeeping."""

    space: Workspace
    renderer: Renderer
    writer: _Writer
    book: _Bookkeeping

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
        unit_key = book.key(source.folder) + "/"
        unit_print = book.unit_fingerprint(unit_digest, source.projects)
        unit_stale = source.whole_unit and not book.current(unit_key, unit_print)
        if not stale and not unit_stale:
            for file in source.projects:
                book.report_unchanged(book.key(file))
            if source.whole_unit:
                book.report_unchanged(unit_key)
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
        unit_context: UnitContext = {"unit": unit, "year": source.year, "projects": views}
        markup = self.renderer.render(UNIT_TEMPLATE, unit_context, unit_file)
        numbering = _numbering(self.space.settings_for(unit))
        document = parse_markup(markup, _meta(unit, unit.name), numbering)
        book.record(
            unit_key, unit_print, self.writer.write(self._folder(source.year, unit), document)
        )

    def projects(
        self, source: UnitSource, unit: Unit, unit_digest: str, stale: set[Path], needed: set[Path]
    ) -> list[ProjectView] | None:
        """Load the needed projects and write the stale ones; None when any of them failed."""
        views: list[ProjectView] = []
        failed = False
        for file in source.projects:
            key = self.book.key(file)
            if file not in stale:
                self.book.report_unchanged(key)
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
        context: ProjectContext = {"unit": unit, "year": year, "project": view}
        markup = self.renderer.render(PROJECT_TEMPLATE, context, view.file)
        document = parse_markup(markup, _meta(unit, view.data.name), _numbering(view.settings))
        return self.writer.write(self._folder(year, unit) / safe_name(view.data.name), document)

    def _folder(self, year: int, unit: Unit) -> Path:
        return self.space.out / str(year) / safe_name(unit.name)


def _load_unit(unit_file: Path, projects: Sequence[Path]) -> Unit:
    """The unit's data; when it has problems, the projects' problems are raised with them, so
    that one run lists everything still to fix."""
    try:
        return load_filled(unit_file, Unit)
    except ZpgenError as error:
        for file in projects:
            try:
                load_filled(file, Project)
            except ZpgenError as project_error:
                error.problems.extend(project_error.problems)
        raise


def _project_view(file: Path, unit: Unit, year: int, space: Workspace) -> ProjectView:
    project = load_filled(file, Project)
    return ProjectView(
        data=project,
        figures=compute(project, year),
        phrases=space.phrases_for(unit, project),
        settings=space.settings_for(unit, project),
        file=file,
    )


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


# (path, format, content) of each file a target wrote
Written = list[tuple[Path, str, bytes]]


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

    def write(self, stem: Path, document: Document) -> Written:
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


class _Bookkeeping:
    """The manifest of the output folder and the build's shared input hashes."""

    def __init__(
        self, space: Workspace, renderer: Renderer, force: bool, report: BuildReport
    ) -> None:
        self.space = space
        self.force = force
        self.report = report
        self.manifest, corrupt = Manifest.load(space.out)
        if corrupt:
            report.problems.append(
                Problem(
                    space.out / MANIFEST_FILE,
                    "构建记录无法读取（已损坏或来自其他版本），这次全部重新生成",
                    severity="warning",
                )
            )
        overrides = space.overrides.model_dump(mode="json", exclude_none=True)
        self.shared = {
            "workspace": space.config_digest,
            "overrides": json.dumps(overrides, sort_keys=True, ensure_ascii=False),
            "base": base_digest(space.base_document) if "docx" in space.formats else "",
        }
        self.project_templates = templates_digest(renderer.environment, PROJECT_TEMPLATE)
        self.unit_templates = templates_digest(renderer.environment, UNIT_TEMPLATE)
        self.digests: dict[Path, str] = {}

    def key(self, source: Path) -> str:
        """A source's name in the manifest: its path below the data folder."""
        return source.resolve().relative_to(self.space.data.resolve()).as_posix()

    def file_digest(self, file: Path) -> str:
        if file not in self.digests:
            try:
                self.digests[file] = digest(file.read_bytes())
            except OSError:
                self.digests[file] = "unreadable"  # the load reports why
        return self.digests[file]

    def project_fingerprint(self, unit_digest: str, file: Path) -> str:
        return fingerprint(
            {
                **self.shared,
                "unit": unit_digest,
                "project": self.file_digest(file),
                "templates": self.project_templates,
            }
        )

    def unit_fingerprint(self, unit_digest: str, files: Sequence[Path]) -> str:
        projects = [(self.key(file), self.file_digest(file)) for file in files]
        return fingerprint(
            {
                **self.shared,
                "unit": unit_digest,
                "projects": projects,
                "templates": self.unit_templates,
            }
        )

    def current(self, key: str, target_print: str) -> bool:
        if self.force:
            return False
        outputs = self.manifest.targets.get(key, {})
        return is_current(outputs, target_print, self.space.formats, self.space.out)

    def report_unchanged(self, key: str) -> None:
        outputs = self.manifest.targets.get(key, {})
        for wanted in self.space.formats:
            for path, record in sorted(outputs.items()):
                if record.format == wanted:
                    self.report.written.append((self.space.out / path, Status.UNCHANGED))

    def record(self, key: str, target_print: str, written: Written) -> None:
        out = self.space.out
        relative = [(path.relative_to(out).as_posix(), ext, data) for path, ext, data in written]
        if self.report.dry_run:  # nothing was written: only what the outputs replace
            superseded = self.manifest.superseded(key, [(p, ext) for p, ext, _ in relative])
            self.manifest.orphans.update(superseded)
        else:
            self.manifest.record(key, target_print, relative, out)

    def settle(self, *, prune: bool, dry_run: bool) -> None:
        """Forget targets whose source is gone; report their outputs, and delete them if asked."""
        data = self.space.data
        for key in list(self.manifest.targets):
            gone = (
                not (data / key / UNIT_FILE).is_file()
                if key.endswith("/")
                else not (data / key).is_file()
            )
            if gone:
                self.manifest.forget(key)
        manifest = self.manifest
        manifest.orphans -= manifest.live_outputs()
        out = self.space.out
        manifest.orphans = {p for p in manifest.orphans if (out / p).is_file()}
        for orphan in sorted(manifest.orphans):
            path = out / orphan
            self.report.stale.append(path)
            if prune:
                if not dry_run:
                    path.unlink()
                self.report.removed.append(path)
        if prune and not dry_run:
            manifest.orphans.clear()
