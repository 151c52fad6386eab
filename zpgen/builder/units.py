"""One process's share of a build: which of a unit's reports are out of date, and building them.

``UnitBuilder`` plans a unit (``zpgen.builder.planner``), writes what changed (``writer``) and
returns what it wrote and the bookkeeping's records, which the process that saves the
bookkeeping records; a worker of the pool (``pool``) runs one of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from zpgen.builder.bookkeeping import Bookkeeping, Record
from zpgen.builder.planner import (
    PROJECT_TEMPLATES,
    UNIT_TEMPLATES,
    Planner,
    ProjectPlan,
    UnitPlan,
)
from zpgen.builder.report import BuildReport
from zpgen.builder.writer import Prepared, Writer
from zpgen.errors import Problem, ZpgenError
from zpgen.load.sources import UNIT_FILE, UnitSource
from zpgen.model.names import safe_name
from zpgen.model.workspace import Workspace, load_workspace
from zpgen.render.environment import Renderer
from zpgen.write.atomic import Status

__all__ = ["Options", "Staleness", "UnitBuilder", "UnitResult"]


@dataclass(frozen=True)
class Options:
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
class UnitResult:
    """One unit's part of the report, and the bookkeeping records of what it wrote."""

    written: list[tuple[Path, Status]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failures: list[Path] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # of the whole build: said once


@dataclass
class _Target:
    """A target prepared for writing: its key and fingerprint, its source (a project file or a
    unit folder, named when it fails) and its files."""

    key: str
    fingerprint: str
    source: Path
    prepared: Prepared


class Staleness(NamedTuple):
    unit_digest: str
    stale: set[Path]  # the project files whose reports are out of date
    unit_key: str
    unit_print: str
    unit_stale: bool  # the combined report is out of date

    @property
    def current(self) -> bool:
        return not self.stale and not self.unit_stale


@dataclass
class UnitBuilder:
    """One process's parts of a build: the workspace, the planner, the writer and the
    bookkeeping (read here; what a unit wrote is recorded by the process that saves it)."""

    space: Workspace
    planner: Planner
    writer: Writer
    book: Bookkeeping
    records: list[Record] = field(default_factory=list)
    # Staleness worked out ahead (by the parent, to choose what goes to the pool), by folder.
    known: dict[Path, Staleness] = field(default_factory=dict)

    @classmethod
    def start(cls, options: Options) -> UnitBuilder:
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
        writer = Writer(space, book, dry_run=options.dry_run, force=options.force)
        return cls(space, Planner(space, renderer, options.strict), writer, book)

    def run(self, source: UnitSource) -> UnitResult:
        """Build one unit; its report and records, and nothing kept here."""
        report = self.writer.report = BuildReport(dry_run=self.writer.dry_run)
        self.records = []
        try:
            self.build_unit(source)
        except ZpgenError as error:
            report.problems.extend(error.problems)
            report.failures.append(source.folder)
        notices = list(self.writer.pdf.notices) if self.writer.pdf is not None else []
        return UnitResult(report.written, report.problems, report.failures, self.records, notices)

    def close(self) -> None:
        """End what the builder keeps running: the PDF converter's profile and staging."""
        if self.writer.pdf is not None:
            self.writer.pdf.close()

    def staleness(self, source: UnitSource) -> Staleness:
        """Which of a unit's targets are out of date, from hashes alone (nothing is parsed)."""
        if source.folder not in self.known:
            self.known[source.folder] = self._staleness(source)
        return self.known[source.folder]

    def _staleness(self, source: UnitSource) -> Staleness:
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
        return Staleness(unit_digest, stale, unit_key, unit_print, unit_stale)

    def build_unit(self, source: UnitSource) -> None:
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
        planned = self.planner.plan_unit(source, render=stale, combined=unit_stale)
        report = self.writer.report
        report.problems += planned.problems
        targets: list[_Target] = []
        for project in planned.projects:
            report.problems += project.problems
            if project.file not in stale:
                continue
            if project.documents is None or project.name is None or planned.folder is None:
                report.failures.append(project.file)
                continue
            stem = self.space.out / planned.folder / safe_name(project.name)
            fingerprint = book.project_fingerprint(unit_digest, project.file)
            self._prepare(targets, book.key(project.file), fingerprint, stem, project)
        if unit_stale:
            self._prepare_combined(targets, planned, unit_key, unit_print)
        self.writer.convert([target.prepared for target in targets])
        for target in targets:
            try:
                written = self.writer.write(target.prepared)
            except ZpgenError as error:
                report.problems += error.problems
                report.failures.append(target.source)
                continue
            unmade = target.prepared.unmade
            self.records.append(Record(target.key, target.fingerprint, written, unmade))

    def _prepare(
        self, targets: list[_Target], key: str, fingerprint: str, stem: Path, project: ProjectPlan
    ) -> None:
        assert project.documents is not None
        try:
            prepared = self.writer.prepare(stem, project.documents)
        except ZpgenError as error:
            self.writer.report.problems += error.problems
            self.writer.report.failures.append(project.file)
            return
        targets.append(_Target(key, fingerprint, project.file, prepared))

    def _prepare_combined(
        self, targets: list[_Target], planned: UnitPlan, key: str, fingerprint: str
    ) -> None:
        report = self.writer.report
        if planned.combined is None or planned.folder is None:
            report.failures.append(planned.source.folder)
            return
        try:
            prepared = self.writer.prepare(self.space.out / planned.folder, planned.combined)
        except ZpgenError as error:
            report.problems += error.problems
            report.failures.append(planned.source.folder)
            return
        targets.append(_Target(key, fingerprint, planned.source.folder, prepared))

    def unchanged(self, key: str) -> None:
        for path in self.book.outputs(key):
            self.writer.report.written.append((path, Status.UNCHANGED))
