"""``zpgen build``: the pipeline (load → model → figures → checks → render), then write.

Builds are incremental (``zpgen.incremental``): a target whose inputs have not changed since its
outputs were written is not loaded, rendered or written again, and is reported unchanged. Units
are planned and written one at a time, so memory does not grow with the number of units.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from zpgen.document import Document
from zpgen.errors import ERROR, WARNING, Problem, UsageError, ZpgenError
from zpgen.i18n import _, language, set_language
from zpgen.incremental import Bookkeeping, Written, digest
from zpgen.layout import UNIT_FILE, UnitSource, find_sources, safe_name
from zpgen.model import OUTPUT_FORMATS
from zpgen.pipeline import (
    PROJECT_TEMPLATES,
    UNIT_TEMPLATES,
    Documents,
    Planner,
    UnitPlan,
    clashing_units,
)
from zpgen.render import Renderer
from zpgen.txt import render_txt
from zpgen.workspace import Workspace, load_workspace
from zpgen.write import Status, output_status, sweep_leftovers, write_output

__all__ = ["FORMATS", "BuildReport", "Progress", "Step", "build"]

FORMATS = OUTPUT_FORMATS


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
        return any(p.severity == ERROR for p in self.problems)


# Called after each unit: (units done, units in all, the unit's folder).
@dataclass(frozen=True)
class Step:
    """A unit finished: the projects done so far and in all, the unit's folder, what it wrote."""

    done: int
    total: int
    folder: Path
    written: list[tuple[Path, Status]]


Progress = Callable[[Step], None]


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
    strict: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the reports of everything ``paths`` names (default: all of the workspace's data).

    ``out`` and ``formats`` override ``zpgen.yaml``; ``overrides`` are ``键=值`` settings over
    every file's. ``force`` rebuilds what is current; ``prune`` deletes outputs whose project
    is gone; ``dry_run`` reports what a build would do and writes nothing. Everything rebuilt is
    validated and checked first (as ``zpgen check`` does): a project with errors is not
    written, nor is anything of a unit whose unit.yaml has errors; a unit's combined report is
    written only when all of its projects are good. With ``strict`` warnings count as errors.
    Units are built by ``jobs`` processes (default: one a core), each unit whole in one of
    them; the outputs are the same bytes as a serial build's. The problems are in the report,
    never raised one at a time.
    """
    if formats is not None:
        unknown = sorted(set(formats) - set(FORMATS))
        if unknown or not formats:
            message = _("Unknown output format: {formats} (choose txt, docx or both).").format(
                formats="、".join(unknown)
            )
            raise UsageError.single(None, message)
    options = _Options(
        workspace, out, formats, tuple(overrides), force, dry_run, strict, language()
    )
    builder = _Builder.start(options)
    space, book = builder.space, builder.book
    sources, layout_problems = find_sources(space.root, list(paths), data=space.data)
    if not dry_run:
        sweep_leftovers(space.out)  # the bookkeeping's own temporary file, if a build was killed
    report = BuildReport(
        problems=[*builder.writer.base_warnings, *layout_problems], dry_run=dry_run
    )
    # Two units of a year with one 单位名称 would write the same files: the later is not built,
    # in one process or many, and whatever the other's state.
    clashes = clashing_units(sources, space)
    report.problems += clashes.values()
    report.failures += clashes
    sources = [source for source in sources if source.folder not in clashes]
    if book.corrupt:
        message = _(
            "The build record cannot be read (it is damaged, or from another version): "
            "this build writes every report again."
        )
        report.problems.append(Problem(book.path, message, severity=WARNING))
    try:
        total, done = sum(len(source.projects) for source in sources), 0
        for source, result in zip(sources, _results(builder, options, sources, jobs), strict=True):
            report.written += result.written
            report.problems += result.problems
            report.failures += result.failures
            for key, fingerprint, written in result.records:
                book.record(key, fingerprint, written)
            done += len(source.projects)
            if progress is not None:
                progress(Step(done, total, source.folder, result.written))
        report.stale, report.removed, kept = book.settle(prune=prune)
        report.problems += [_kept(path) for path in kept]
    finally:
        book.save()  # what was written so far stays recorded, even when interrupted
    return report


def _kept(path: Path) -> Problem:
    message = _(
        "Not deleted: this old report no longer holds what zpgen wrote (it was edited, or "
        "replaced), or it lies outside the output folder. Delete it yourself if it is not needed."
    )
    return Problem(path, message, severity=WARNING)


@dataclass(frozen=True)
class _Options:
    """What every process of a build needs to make its own builder."""

    workspace: Path
    out: Path | None
    formats: Sequence[str] | None
    overrides: tuple[str, ...]
    force: bool
    dry_run: bool
    strict: bool
    language: str  # the messages' language, which a spawned worker would not inherit


@dataclass
class _UnitResult:
    """One unit's part of the report, and the bookkeeping records of what it wrote."""

    written: list[tuple[Path, Status]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failures: list[Path] = field(default_factory=list)
    records: list[tuple[str, str, Written]] = field(default_factory=list)


def _results(
    builder: _Builder, options: _Options, sources: list[UnitSource], jobs: int | None
) -> Iterator[_UnitResult]:
    """Each unit's result, in the order of ``sources``: in this process, or in a pool."""
    jobs = jobs if jobs is not None else os.cpu_count() or 1
    if jobs > 1 and len(sources) > 1:
        # Units that are up to date are reported here, at the cost of a few hashes each: the
        # pool, and its start, are for the units that need building.
        waiting = [s for s in sources if not builder.staleness(s).current]
        if len(waiting) > 1:
            yield from _pooled(builder, options, sources, waiting, jobs)
            return
    yield from map(builder.run, sources)


def _pooled(
    builder: _Builder,
    options: _Options,
    sources: list[UnitSource],
    waiting: list[UnitSource],
    jobs: int,
) -> Iterator[_UnitResult]:
    """``waiting`` built in a pool, the other units here; the results in ``sources`` order."""
    in_pool = {source.folder for source in waiting}
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(options,)) as pool:
        try:
            built = pool.map(_run_in_worker, waiting)  # a unit at a time: listed as it is done
            for source in sources:
                yield next(built) if source.folder in in_pool else builder.run(source)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


_worker: _Builder | None = None


def _start_worker(options: _Options) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    set_language(options.language)
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), daemon=True).start()
    _worker = _Builder.start(options)


def _end_with_parent(parent: int) -> None:
    """End this worker when the build that started it is gone (killed outright, it cannot say
    so): an orphan would wait for work forever."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run_in_worker(source: UnitSource) -> _UnitResult:
    assert _worker is not None, "the pool's initializer makes the builder"
    return _worker.run(source)


class _Staleness(NamedTuple):
    unit_digest: str
    stale: set[Path]  # the project files whose reports are out of date
    unit_key: str
    unit_print: str
    unit_stale: bool  # the combined report is out of date

    @property
    def current(self) -> bool:
        return not self.stale and not self.unit_stale


@dataclass
class _Builder:
    """One process's parts of a build: the workspace, the planner, the writer and the
    bookkeeping (read here; what a unit wrote is recorded by the process that saves it)."""

    space: Workspace
    planner: Planner
    writer: _Writer
    book: Bookkeeping
    records: list[tuple[str, str, Written]] = field(default_factory=list)
    # Staleness worked out ahead (by the parent, to choose what goes to the pool), by folder.
    known: dict[Path, _Staleness] = field(default_factory=dict)

    @classmethod
    def start(cls, options: _Options) -> _Builder:
        space = load_workspace(
            options.workspace,
            out=options.out,
            formats=options.formats,
            overrides=options.overrides,
        )
        renderer = Renderer(space.search_path(), space.limits)
        book = Bookkeeping(
            space,
            renderer.environment,
            project_templates=PROJECT_TEMPLATES,
            unit_templates=UNIT_TEMPLATES,
            force=options.force,
            dry_run=options.dry_run,
        )
        writer = _Writer(space, options.dry_run, BuildReport(dry_run=options.dry_run))
        return cls(space, Planner(space, renderer, options.strict), writer, book)

    def run(self, source: UnitSource) -> _UnitResult:
        """Build one unit; its report and records, and nothing kept here."""
        report = self.writer.report = BuildReport(dry_run=self.writer.dry_run)
        self.records = []
        try:
            self.unit(source)
        except ZpgenError as error:
            report.problems.extend(error.problems)
            report.failures.append(source.folder)
        return _UnitResult(report.written, report.problems, report.failures, self.records)

    def staleness(self, source: UnitSource) -> _Staleness:
        """Which of a unit's targets are out of date, from hashes alone (nothing is parsed)."""
        if source.folder not in self.known:
            self.known[source.folder] = self._staleness(source)
        return self.known[source.folder]

    def _staleness(self, source: UnitSource) -> _Staleness:
        book = self.book
        unit_digest = book.file_digest(source.folder / UNIT_FILE)
        stale = {
            file
            for file in source.projects
            if not book.current(book.key(file), book.project_fingerprint(unit_digest, file))
        }
        unit_key = book.unit_key(source.folder)
        unit_print = book.unit_fingerprint(unit_digest, source.projects)
        unit_stale = source.whole_unit and not book.current(unit_key, unit_print)
        return _Staleness(unit_digest, stale, unit_key, unit_print, unit_stale)

    def unit(self, source: UnitSource) -> None:
        """Build what is out of date in one unit folder; report the rest unchanged."""
        book = self.book
        unit_digest, stale, unit_key, unit_print, unit_stale = self.staleness(source)
        for file in source.projects:
            if file not in stale:
                self.unchanged(book.key(file))
        if source.whole_unit and not unit_stale:
            self.unchanged(unit_key)
        if not stale and not unit_stale:
            return
        planned = self.planner.unit(source, render=stale, combined=unit_stale)
        report = self.writer.report
        report.problems += planned.problems
        for project in planned.projects:
            report.problems += project.problems
            if project.file not in stale:
                continue
            if project.documents is None or project.name is None or planned.folder is None:
                report.failures.append(project.file)
                continue
            stem = self.space.out / planned.folder / safe_name(project.name)
            written = self.writer.write_all(stem, project.documents)
            fingerprint = book.project_fingerprint(unit_digest, project.file)
            self.records.append((book.key(project.file), fingerprint, written))
        if unit_stale:
            self._combined(planned, unit_key, unit_print)

    def _combined(self, planned: UnitPlan, key: str, fingerprint: str) -> None:
        if planned.combined is None or planned.folder is None:
            self.writer.report.failures.append(planned.source.folder)
            return
        stem = self.space.out / planned.folder
        self.records.append((key, fingerprint, self.writer.write_all(stem, planned.combined)))

    def unchanged(self, key: str) -> None:
        for path in self.book.outputs(key):
            self.writer.report.written.append((path, Status.UNCHANGED))


class _Writer:
    """Renders a document to each requested format and writes it beside its siblings."""

    def __init__(self, space: Workspace, dry_run: bool, report: BuildReport) -> None:
        self.dry_run = dry_run
        self.report = report
        self.paths: set[Path] = set()  # written in this build: two projects must not share one
        self.swept: set[Path] = set()  # folders cleared of killed builds' temporary files
        self.renderers: list[tuple[str, Callable[[Document], bytes]]] = []
        self.base_warnings: list[Problem] = []  # what the base document had to lose
        if "txt" in space.formats:
            self.renderers.append(("txt", lambda document: render_txt(document).encode("utf-8")))
        if "docx" in space.formats:
            from zpgen.basedoc import load_workspace_base  # heavy: only when .docx is wanted
            from zpgen.docx import render_docx

            base, self.base_warnings = load_workspace_base(
                space.base_document, root=space.root, limits=space.limits
            )
            self.renderers.append(("docx", lambda document: render_docx(document, base)))

    def write(self, stem: Path, document: Document) -> list[tuple[Path, str, str]]:
        # Render every format before writing any, so a failure leaves the old files as they were.
        contents = [
            (stem.with_name(f"{stem.name}.{ext}"), ext, r(document)) for ext, r in self.renderers
        ]
        for path, _ext, _content in contents:
            if path in self.paths:
                message = _(
                    "Two reports would be written to the same file (two projects with the same "
                    "name?): rename one of the projects."
                )
                raise ZpgenError.single(path, message)
        put = output_status if self.dry_run else write_output
        if not self.dry_run and stem.parent not in self.swept:
            sweep_leftovers(stem.parent)  # once a folder: what a killed build left there
            self.swept.add(stem.parent)
        for path, _ext, content in contents:
            self.paths.add(path)
            self.report.written.append((path, put(path, content)))
        return [(path, ext, digest(content)) for path, ext, content in contents]

    def write_all(self, stem: Path, documents: Documents) -> list[tuple[Path, str, str]]:
        """Write each document beside ``stem``, its suffix added to the name."""
        written: list[tuple[Path, str, str]] = []
        for suffix, document in documents:
            written += self.write(stem.with_name(stem.name + suffix), document)
        return written
