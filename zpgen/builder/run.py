"""``zpgen build``: the pipeline (load → model → figures → checks → render), then write.

Builds are incremental (``zpgen.builder.bookkeeping``): a target whose inputs have not changed since
its outputs were written is not loaded, rendered or written again, and is reported unchanged. Units
are planned and written one at a time (``units``), in this process or a pool of them (``pool``), so
memory does not grow with the number of units.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from zpgen.builder.planner import clashing_units
from zpgen.builder.pool import pooled
from zpgen.builder.report import BuildReport, Progress, Step
from zpgen.builder.units import Options, UnitBuilder, UnitResult
from zpgen.errors import WARNING, Problem, ZpgenError
from zpgen.i18n import _, language
from zpgen.load.sources import UnitSource, find_sources
from zpgen.write.atomic import sweep_leftovers

__all__ = ["BuildReport", "build"]


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
    options = Options(workspace, out, formats, tuple(overrides), force, dry_run, strict, language())
    builder = UnitBuilder.start(options)
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
            report.problems += [n for n in result.notices if n not in report.problems]
            report.problems += result.problems
            report.failures += result.failures
            for record in result.records:
                book.record(record)
            done += len(source.projects)
            if progress is not None:
                progress(Step(done, total, source.folder, result.written))
        report.stale, report.removed, kept = book.handle_stale(prune=prune)
        report.problems += [_kept(path) for path in kept]
    finally:
        builder.close()
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


def _results(
    builder: UnitBuilder, options: Options, sources: list[UnitSource], jobs: int | None
) -> Iterator[UnitResult]:
    """Each unit's result, in the order of ``sources``: in this process, or in a pool."""
    jobs = jobs if jobs is not None else os.cpu_count() or 1
    if jobs > 1 and len(sources) > 1:
        # Units that are up to date are reported here, at the cost of a few hashes each: the
        # pool, and its start, are for the units that need building.
        waiting = [s for s in sources if not builder.staleness(s).current]
        if len(waiting) > 1:
            yield from pooled(builder, options, sources, waiting, jobs)
            return
    yield from map(builder.run, sources)
