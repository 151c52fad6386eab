"""``zpgen build``: the pipeline (load → model → figures → checks → render), then write.

Builds are incremental (``zpgen.builder.bookkeeping``): a target whose inputs have not changed since
its outputs were written is not loaded, rendered or written again, and is reported unchanged. Units
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

from zpgen.builder.bookkeeping import Bookkeeping, Written, digest
from zpgen.builder.planner import (
    PROJECT_TEMPLATES,
    UNIT_TEMPLATES,
    Documents,
    Planner,
    UnitPlan,
    clashing_units,
)
from zpgen.errors import ERROR, WARNING, Problem, ZpgenError
from zpgen.i18n import _, language, set_language
from zpgen.load.reading import os_reason
from zpgen.load.sources import UNIT_FILE, UnitSource, find_sources
from zpgen.model.names import file_key, safe_name
from zpgen.model.workspace import Workspace, load_workspace
from zpgen.render.environment import Renderer
from zpgen.render.markup import Document
from zpgen.write.atomic import Status, existing_bytes, replace_file, status_of, sweep_leftovers
from zpgen.write.txt import render_txt

__all__ = ["BuildReport", "Progress", "Step", "build"]


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
    formats: Sequence[str] | str | None = None,
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
        try:
            book.save()  # what was written so far stays recorded, even when interrupted
        except ZpgenError as error:
            report.problems += error.problems
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
    formats: Sequence[str] | str | None
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
        writer = _Writer(space, options, BuildReport(dry_run=options.dry_run), book)
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
            try:
                written = self.writer.write_all(stem, project.documents)
            except ZpgenError as error:
                report.problems += error.problems
                report.failures.append(project.file)
                continue
            fingerprint = book.project_fingerprint(unit_digest, project.file)
            self.records.append((book.key(project.file), fingerprint, written))
        if unit_stale:
            self._combined(planned, unit_key, unit_print)

    def _combined(self, planned: UnitPlan, key: str, fingerprint: str) -> None:
        if planned.combined is None or planned.folder is None:
            self.writer.report.failures.append(planned.source.folder)
            return
        stem = self.space.out / planned.folder
        try:
            written = self.writer.write_all(stem, planned.combined)
        except ZpgenError as error:
            self.writer.report.problems += error.problems
            self.writer.report.failures.append(planned.source.folder)
            return
        self.records.append((key, fingerprint, written))

    def unchanged(self, key: str) -> None:
        for path in self.book.outputs(key):
            self.writer.report.written.append((path, Status.UNCHANGED))


class _Writer:
    """Renders a target's documents to each requested format and writes them side by side.

    A target's files are written all or none: they are rendered, checked (no two targets share a
    file, no folder leads out of the output folder, no report changed by hand is replaced) and
    only then written. A report whose bytes are not the ones the bookkeeping records was changed
    by hand: it is not replaced, unless ``force``, which first keeps it under another name.
    """

    def __init__(
        self, space: Workspace, options: _Options, report: BuildReport, book: Bookkeeping
    ) -> None:
        self.dry_run = options.dry_run
        self.force = options.force
        self.report = report
        self.book = book
        self.out = space.out
        self.paths: set[str] = set()  # written in this build, case folded: none shared
        self.folders: set[Path] = set()  # folders checked and cleared of killed builds' files
        self.renderers: list[tuple[str, Callable[[Document], bytes]]] = []
        self.base_warnings: list[Problem] = []  # what the base document had to lose
        if "txt" in space.formats:
            self.renderers.append(("txt", lambda document: render_txt(document).encode("utf-8")))
        if "docx" in space.formats:
            from zpgen.write.base import load_workspace_base  # heavy: only when .docx is wanted
            from zpgen.write.docx import render_docx

            base, self.base_warnings = load_workspace_base(
                space.base_document, root=space.root, limits=space.limits
            )
            self.renderers.append(("docx", lambda document: render_docx(document, base)))

    def write_all(self, stem: Path, documents: Documents) -> list[tuple[Path, str, str]]:
        """Write each document beside ``stem``, its suffix added to the name, in every format;
        (path, format, hash) of each file. A ZpgenError when any of them cannot be written, and
        then none is."""
        files = [
            (named.with_name(f"{named.name}.{ext}"), ext, render(document))
            for suffix, document in documents
            for named in (stem.with_name(stem.name + suffix),)
            for ext, render in self.renderers
        ]
        self._claim([path for path, _ext, _content in files])
        self._check_folder(stem.parent)
        existing = [self._existing(path, content) for path, _ext, content in files]
        pairs = list(zip(files, existing, strict=True))
        edited = [path for (path, _ext, _content), (_old, hand) in pairs if hand]
        if edited and not self.force:
            raise ZpgenError([_edited_problem(path) for path in edited])
        for (path, _ext, content), (old, hand) in pairs:
            status = status_of(content, old)
            if hand:
                status = self._keep_edited(path)
            if not self.dry_run and status is not Status.UNCHANGED:
                try:
                    replace_file(path, content, status)
                except OSError as error:
                    raise _write_error(path, error) from error
            self.report.written.append((path, status))
        return [(path, ext, digest(content)) for path, ext, content in files]

    def _claim(self, paths: list[Path]) -> None:
        """Two targets never write one file (nor two names that differ only in letter case,
        which Windows and macOS take for one)."""
        for path in paths:
            folded = str(path.parent / file_key(path.name))
            if folded in self.paths:
                message = _(
                    "Two reports would be written to the same file (two projects with the same "
                    "name, or names that differ only in letter case?): rename one of them."
                )
                raise ZpgenError.single(path, message)
            self.paths.add(folded)

    def _check_folder(self, folder: Path) -> None:
        """Once a folder: it must not lead out of the output folder (a link placed there), and
        what killed builds left in it is swept."""
        if folder in self.folders:
            return
        root = self.out.resolve()
        if not folder.resolve().is_relative_to(root):  # also a folder still to make
            message = _(
                "This folder is a link to a place outside the output folder: zpgen does not write "
                "through it. Delete the link."
            )
            raise ZpgenError.single(folder, message)
        if not self.dry_run:
            sweep_leftovers(folder)
        self.folders.add(folder)

    def _existing(self, path: Path, content: bytes) -> tuple[bytes | None, bool]:
        """What ``path`` holds (None: nothing), and whether it was changed by hand: it differs
        from ``content`` and from what the bookkeeping records zpgen wrote there."""
        record = self.book.recorded(path)
        limit = max(len(content), record.size if record is not None else 0)
        try:
            old = existing_bytes(path, limit)
        except OSError as error:
            raise _write_error(path, error) from error
        if old is None or old == content or record is None:
            return old, False
        return old, digest(old) != record.sha256

    def _keep_edited(self, path: Path) -> Status:
        """Move the report changed by hand aside (``--force``); the new one is then created."""
        kept = _kept_name(path)
        if not self.dry_run:
            try:
                path.rename(kept)
            except OSError as error:
                raise _write_error(path, error) from error
        message = _(
            "This report was changed by hand since zpgen wrote it; it is kept as {kept}, and "
            "the report was written again from the data."
        )
        self.report.problems.append(Problem(path, message.format(kept=kept.name), severity=WARNING))
        return Status.CREATED


def _kept_name(path: Path) -> Path:
    """A free name beside ``path`` for a report changed by hand: 名称（手工修改）.docx, then
    （手工修改2）…"""
    stem, suffix = path.name[: -len(path.suffix)] if path.suffix else path.name, path.suffix
    number = 1
    while True:
        mark = "手工修改" + (str(number) if number > 1 else "")
        kept = path.with_name(f"{stem}（{mark}）{suffix}")
        if not kept.exists() and not kept.is_symlink():
            return kept
        number += 1


def _edited_problem(path: Path) -> Problem:
    message = _(
        "This report was changed by hand since zpgen wrote it, so it was not replaced. Carry "
        "the change into the data (the project's YAML file), then delete the report or build "
        "with --force, which keeps the edited file as “{kept}” and writes the report again."
    )
    return Problem(path, message.format(kept=_kept_name(path).name))


def _write_error(path: Path, error: OSError) -> ZpgenError:
    message = _("Cannot write the file: {reason}.").format(reason=os_reason(error))
    return ZpgenError.single(path, message)
