"""What the commands print: problems, a build's files and summary, its progress, an import."""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from zpgen.errors import ERROR, WARNING, Problem
from zpgen.i18n import _

if TYPE_CHECKING:
    from zpgen.builder.report import BuildReport, Progress, Step
    from zpgen.commands.newyear import NewYearReport
    from zpgen.importer import ImportReport

__all__ = [
    "Output",
    "print_build",
    "print_import",
    "print_new_year",
    "print_problems",
    "print_rules",
    "progress",
    "relative",
    "report_problems",
    "status_name",
]


class Output(str, Enum):
    text = "text"
    json = "json"


def relative(path: Path, here: Path | None = None) -> Path:
    """``path`` from the current folder (``here``, if known) when it lies below it, else as it
    is."""
    here = here if here is not None else Path.cwd()
    if not path.is_absolute():
        path = path.resolve()
    try:
        return path.relative_to(here)
    except ValueError:
        return path


_STATUSES = ("created", "updated", "unchanged")


def status_name(value: str) -> str:
    names = {"created": _("created"), "updated": _("updated"), "unchanged": _("unchanged")}
    return names[value]


# --- problems -----------------------------------------------------------------------------------


def _line(problem: Problem) -> str:
    where = problem.place(str(relative(problem.file)) if problem.file else "zpgen")
    severity = _("error") if problem.severity == ERROR else _("warning")
    rule = _(" (rule {rule})").format(rule=problem.rule) if problem.rule else ""
    return _("{severity}: {where}: {message}{rule}").format(
        severity=severity, where=where, message=problem.message, rule=rule
    )


def print_problems(problems: list[Problem], *, err: bool = False) -> None:
    for problem in problems:
        typer.echo(_line(problem), err=err)


def report_problems(problems: list[Problem], projects: int | None, output: Output) -> None:
    """``zpgen check``'s report: every problem, then the count; or all of it as JSON."""
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = sum(1 for p in problems if p.severity == WARNING)
    if output is Output.json:
        document = {
            "problems": [_as_json(p) for p in problems],
            "errors": errors,
            "warnings": warnings,
            "projects": projects,
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    print_problems(problems)
    if projects is not None:
        typer.echo(
            _("Checked {projects} project files: errors: {errors}, warnings: {warnings}.").format(
                projects=projects, errors=errors, warnings=warnings
            )
        )


def _as_json(problem: Problem) -> dict[str, object]:
    return {
        "file": str(relative(problem.file)) if problem.file else None,
        "line": problem.line or None,
        "column": problem.column or None,
        "key": problem.key or None,
        "severity": problem.severity.value,
        "rule": problem.rule or None,
        "message": problem.message,
    }


def print_rules() -> None:
    from zpgen.checks import RULES

    for found in RULES.values():
        severity = _("error") if found.severity == ERROR else _("warning")
        typer.echo(f"{found.id:28} {severity:8} {_(found.summary)}")


# --- a build ------------------------------------------------------------------------------------


@contextlib.contextmanager
def progress() -> Iterator[Progress]:
    """Each unit's files, listed as the unit is done; on a terminal, a progress bar below them
    (projects done, projects in all, the unit at hand), gone when the build ends."""
    names = {value: status_name(value) for value in _STATUSES}
    here = Path.cwd()

    def list_files(step: Step, echo: Callable[[str], object] = typer.echo) -> None:
        for path, status in step.written:
            echo(f"{names[status.value]}  {relative(path, here)}")

    if not sys.stderr.isatty():
        yield list_files
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(_("building"), total=None)

        def above_the_bar(line: str) -> None:  # the bar's own console keeps it below the lines
            bar.console.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)

        # Lines for the terminal go above the bar; lines for a file or a pipe go there as ever.
        echo = above_the_bar if sys.stdout.isatty() else typer.echo

        def advance(step: Step) -> None:
            list_files(step, echo)
            bar.update(task, completed=step.done, total=step.total, description=step.folder.name)

        yield advance


def print_build(report: BuildReport) -> None:
    """What the build could not make, what is stale or removed, its problems and its summary."""
    for path in report.failures:
        typer.echo(f"{_('failed')}  {relative(path)}")
    for path in report.stale:
        gone = _("removed") if path in report.removed else _("stale")
        typer.echo(f"{gone}  {relative(path)}")
    print_problems(report.problems, err=True)
    typer.echo(_summary(report))


def _summary(report: BuildReport) -> str:
    counts = {key: sum(1 for _, s in report.written if s.value == key) for key in _STATUSES}
    parts = [f"{status_name(key)} {n}" for key, n in counts.items()]
    failed, removed = _("failed"), _("removed")
    parts.append(f"{failed} {len(report.failures)}")
    kept = len(report.stale) - len(report.removed)
    if report.removed:
        parts.append(f"{removed} {len(report.removed)}")
    if kept:
        parts.append(
            _(
                "stale {count} (old reports no longer made: their project was removed or "
                "renamed, or a setting no longer asks for them; --prune removes them)"
            ).format(count=kept)
        )
    if report.dry_run:
        return _("Dry run, nothing written: {parts}.").format(parts=_(", ").join(parts))
    return _("Done: {parts}.").format(parts=_(", ").join(parts))


# --- new-year and import ------------------------------------------------------------------------


def print_new_year(report: NewYearReport) -> None:
    total = 0
    for entry in report.files:
        total += len(entry.to_fill)
        created = _("{status}  {path} ({count} to fill in)")
        typer.echo(
            created.format(
                status=status_name("created"), path=relative(entry.path), count=len(entry.to_fill)
            )
        )
        if entry.to_fill:
            typer.echo("    " + _("To fill in: {keys}").format(keys=grouped(entry.to_fill)))
        if entry.to_review:
            keys = grouped([(k, "") for k in entry.to_review])
            typer.echo("    " + _("To check (kept from last year): {keys}").format(keys=keys))
    done = _(
        "Done: {files} files, {count} values to fill in (the suggested 年初预算数 is last "
        "year's 全年执行数). Delete “待填” once a value is filled in; zpgen build lists the "
        "values still to fill in, and writes no report that holds “待填”."
    )
    typer.echo(done.format(files=len(report.files), count=total))


def print_import(report: ImportReport) -> None:
    for path, held in report.read:
        typer.echo(_("read  {file}: {held}").format(file=relative(path), held=held))
    would = _("would write") if report.dry_run else None
    fill = check = 0
    for entry in report.files:
        status = would or status_name(entry.status.value)
        typer.echo(f"{status}  {relative(entry.path)}")
        places: dict[str, list[str]] = {}
        for key, where in entry.mapping:
            places.setdefault(where, []).append(key)
        for where, keys in places.items():
            typer.echo(f"    {where} → {'、'.join(keys)}")
        if entry.unplaced:
            where = "、".join(v.where for v in entry.unplaced)
            typer.echo("    " + _("kept as comments, placed nowhere: {where}").format(where=where))
        fill += len(entry.to_fill)
        check += len(entry.to_check)
    for entry in report.files:
        for key, note in entry.to_check:
            line = _("to check: {file} [{key}]: {note}")
            typer.echo(line.format(file=relative(entry.path), key=key, note=note))
    for entry in report.files:
        if entry.to_fill:
            folded = grouped([(k, "") for k in entry.to_fill])
            line = _("to fill in: {file}: {keys}")
            typer.echo(line.format(file=relative(entry.path), keys=folded))
    print_problems(report.problems)
    done = _(
        "Done: {files} files, {fill} values to fill in (“待填”), {check} to check (“待核对”). "
        "Next: fill them in, then zpgen check and zpgen build."
    )
    if report.dry_run:
        done = _(
            "Dry run, nothing written: {files} files, {fill} values to fill in, {check} to check."
        )
    typer.echo(done.format(files=len(report.files), fill=fill, check=check))


def grouped(items: list[tuple[str, str]]) -> str:
    """Keys with their suggestion; list items' keys folded: 绩效指标[*].实际完成值（7 项）."""
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for key, suggestion in items:
        folded = re.sub(r"\[\d+\]", "[*]", key)
        counts[folded] = counts.get(folded, 0) + 1
        suggested = _("{key} (suggested: {suggestion})")
        shown.setdefault(
            folded, suggested.format(key=folded, suggestion=suggestion) if suggestion else folded
        )
    return "、".join(
        shown[k] + (_(" ({count} of them)").format(count=counts[k]) if counts[k] > 1 else "")
        for k in shown
    )
