"""The ``zpgen`` command: a thin layer over the library functions.

Exit codes: 0 done (warnings allowed, unless ``--strict``), 1 problems in the data, 2 a usage
error (an unknown option, a path that is not in a workspace). Messages follow ``--lang`` or the
locale (``zpgen/i18n.py``); the app is built after the language is known, so ``--help`` speaks it.
"""

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.models import OptionInfo

from zpgen import __version__
from zpgen.errors import ERROR, WARNING, Problem, UsageError, ZpgenError
from zpgen.i18n import LANGUAGES, _, set_language
from zpgen.load.reading import os_reason

__all__ = ["create_app", "main"]

PROBLEMS_EXIT = 1
USAGE_EXIT = 2

if TYPE_CHECKING:
    from zpgen.builder.report import BuildReport, Progress, Step
    from zpgen.importer import ImportReport


class Language(str, Enum):
    zh = "zh"
    en = "en"


class Output(str, Enum):
    text = "text"
    json = "json"


def create_app() -> typer.Typer:  # noqa: C901  # one nested function per command
    """The typer app, its help in the current language."""
    app = typer.Typer(
        help=_("zpgen: project expenditure performance self-evaluation reports from YAML data."),
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    lang_option = typer.Option(
        "--lang", help=_("Language of the messages: zh (default) or en; else the locale.")
    )
    strict_option = typer.Option("--strict", help=_("Treat warnings as errors."))
    paths_argument = typer.Argument(
        help=_(
            "A project file, a unit folder, a year folder or a workspace; "
            "default: the data/ of the current folder's workspace."
        )
    )

    def version(value: bool) -> None:
        if value:
            typer.echo(f"zpgen {__version__}")
            raise typer.Exit()

    @app.callback()
    def _main(
        show_version: Annotated[
            bool,
            typer.Option(
                "--version", callback=version, is_eager=True, help=_("Show the version and exit.")
            ),
        ] = False,
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)

    @app.command(help=_("Build the reports: one per project, and one combined report per unit."))
    @_guarded
    def build(
        paths: Annotated[list[Path] | None, paths_argument] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out", "-o", help=_("Output folder (default: the workspace's output/).")
            ),
        ] = None,
        formats: Annotated[
            str | None,
            typer.Option("--format", "-f", help=_("Output formats, comma-separated: txt, docx.")),
        ] = None,
        overrides: Annotated[
            list[str] | None,
            typer.Option(
                "--set",
                help=_(
                    "Change a setting for every report of this build, such as "
                    "--set 三级标题编号=是; may be given more than once."
                ),
            ),
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help=_("Build every report again, changed or not."))
        ] = False,
        prune: Annotated[
            bool,
            typer.Option(
                "--prune",
                help=_("Remove the old reports of projects that were removed (or renamed)."),
            ),
        ] = False,
        dry_run: Annotated[
            bool,
            typer.Option(
                "--dry-run",
                help=_("Only list the files that would be written or removed; write nothing."),
            ),
        ] = False,
        strict: Annotated[bool, strict_option] = False,
        jobs: Annotated[
            int | None,
            typer.Option(
                "--jobs",
                "-j",
                min=1,
                help=_("Number of processes building at once (default: the number of CPUs)."),
            ),
        ] = None,
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        from zpgen.builder.run import build as run_build

        workspace = _workspace(paths[0] if paths else None)
        with _progress() as progress:
            report = run_build(
                workspace,
                paths or [],
                out=out,
                formats=formats,
                overrides=overrides or [],
                force=force,
                prune=prune,
                dry_run=dry_run,
                strict=strict,
                jobs=jobs,
                progress=progress,
            )
        for path in report.failures:
            failed = _("failed")
            typer.echo(f"{failed}  {_relative(path)}")
        for path in report.stale:
            gone = _("removed") if path in report.removed else _("stale")
            typer.echo(f"{gone}  {_relative(path)}")
        _print_problems(report.problems, err=True)
        typer.echo(_summary(report))
        if report.failed:
            raise typer.Exit(PROBLEMS_EXIT)

    @app.command(
        help=_(
            "Check the data as a build would, and report every problem; write nothing. "
            "Exit code 0: no errors, 1: errors, 2: usage error."
        )
    )
    @_guarded
    def check(
        paths: Annotated[list[Path] | None, paths_argument] = None,
        output: Annotated[
            Output, typer.Option("--format", help=_("Output: text, or json for CI and editors."))
        ] = Output.text,
        strict: Annotated[bool, strict_option] = False,
        list_rules: Annotated[
            bool, typer.Option("--list-rules", help=_("List the consistency checks and exit."))
        ] = False,
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        if list_rules:
            _print_rules()
            return
        from zpgen.builder.planner import check as run_check
        from zpgen.load.sources import find_workspace

        workspace = find_workspace(paths[0] if paths else Path.cwd())
        report = run_check(workspace, paths or [], strict=strict)
        _report(report.problems, report.projects, output)
        if report.failed:
            raise typer.Exit(PROBLEMS_EXIT)

    @app.command(
        help=_(
            "Write the JSON Schemas of the project and unit files, for editors that complete "
            "keys (the YAML language server)."
        )
    )
    @_guarded
    def schema(
        out: Annotated[
            Path, typer.Option("--out", "-o", help=_("Folder to write the schemas to."))
        ] = Path("schema"),
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        from zpgen.commands.schema import write_schemas

        for path, status in write_schemas(out):
            typer.echo(f"{_status(status.value)}  {_relative(path)}")

    _add_workspace_commands(app, lang_option)
    _add_import_command(app, lang_option)
    return app


def _guarded(command: Callable[..., None]) -> Callable[..., None]:
    """The one error boundary: every failure the user can cause becomes a message and an exit
    code (1: the data, 2: the command line, 130: Ctrl-C); only a bug leaves a traceback."""

    @functools.wraps(command)
    def run(*args: object, **kwargs: object) -> None:
        try:
            command(*args, **kwargs)
        except ZpgenError as error:
            if kwargs.get("output") is Output.json:
                _report(error.problems, None, Output.json)
            else:
                _print_problems(error.problems, err=True)
            raise typer.Exit(_exit_code(error)) from None
        except KeyboardInterrupt:
            message = _(
                "Interrupted: the files already written are complete, the others were not "
                "written; run the command again to go on."
            )
            typer.echo(message, err=True)
            raise typer.Exit(130) from None
        except OSError as error:  # a file the user named, or the disk: not a bug
            where = Path(error.filename) if isinstance(error.filename, str) else None
            message = _("Cannot read or write the file: {reason}.").format(reason=os_reason(error))
            _print_problems([Problem(where, message)], err=True)
            raise typer.Exit(PROBLEMS_EXIT) from None
        except MemoryError:
            message = _("zpgen ran out of memory: the input asks for more than this machine has.")
            _print_problems([Problem(None, message)], err=True)
            raise typer.Exit(PROBLEMS_EXIT) from None
        except RecursionError:
            message = _("The input is nested too deeply for zpgen to read.")
            _print_problems([Problem(None, message)], err=True)
            raise typer.Exit(PROBLEMS_EXIT) from None

    return run


def _use(lang: Language | None) -> None:
    if lang is not None:
        set_language(lang.value)


def _exit_code(error: ZpgenError) -> int:
    return USAGE_EXIT if isinstance(error, UsageError) else PROBLEMS_EXIT


_STATUSES = ("created", "updated", "unchanged")


def _status(value: str) -> str:
    names = {"created": _("created"), "updated": _("updated"), "unchanged": _("unchanged")}
    return names[value]


@contextlib.contextmanager
def _progress() -> Iterator["Progress"]:
    """Each unit's files, listed as the unit is done; on a terminal, a progress bar below them
    (projects done, projects in all, the unit at hand), gone when the build ends."""
    names = {value: _status(value) for value in _STATUSES}
    here = Path.cwd()

    def list_files(step: "Step", echo: Callable[[str], object] = typer.echo) -> None:
        for path, status in step.written:
            echo(f"{names[status.value]}  {_relative(path, here)}")

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

        def advance(step: "Step") -> None:
            list_files(step, echo)
            bar.update(task, completed=step.done, total=step.total, description=step.folder.name)

        yield advance


def _summary(report: "BuildReport") -> str:
    counts = {key: sum(1 for _, s in report.written if s.value == key) for key in _STATUSES}
    parts = [f"{_status(key)} {n}" for key, n in counts.items()]
    failed, removed = _("failed"), _("removed")
    parts.append(f"{failed} {len(report.failures)}")
    kept = len(report.stale) - len(report.removed)
    if report.removed:
        parts.append(f"{removed} {len(report.removed)}")
    if kept:
        parts.append(
            _("stale {count} (project removed or renamed; --prune removes them)").format(count=kept)
        )
    if report.dry_run:
        return _("Dry run, nothing written: {parts}.").format(parts=_(", ").join(parts))
    return _("Done: {parts}.").format(parts=_(", ").join(parts))


def _add_workspace_commands(app: typer.Typer, lang_option: OptionInfo) -> None:  # noqa: C901
    """init, totext, templates list/copy and new-year."""

    @app.command(
        help=_(
            "Create a workspace: zpgen.yaml, an example unit and project, templates/, "
            ".gitignore and .gitattributes."
        )
    )
    @_guarded
    def init(
        folder: Annotated[
            Path, typer.Argument(help=_("The workspace folder (default: the current folder)."))
        ] = Path(),
        year: Annotated[
            int | None,
            typer.Option("--year", help=_("Budget year of the example data (default: last year).")),
        ] = None,
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        import datetime

        from zpgen.commands.init import init_workspace

        result = init_workspace(folder, year=year or datetime.date.today().year - 1)
        created = _status("created")
        for path in result.created:
            typer.echo(f"{created}  {_relative(path)}")
        if result.skipped_example:
            typer.echo(_("data/ holds data already: no example unit was added."))
        where = "" if folder.resolve() == Path.cwd() else f"cd {folder}\n  "
        next_steps = _(
            "Next steps:\n"
            "  {where}zpgen build          build the reports into output/\n"
            "  git init\n"
            '  git config diff.zpgen.textconv "zpgen totext"   let git diff show a .docx as text\n'
            "  git config core.quotePath false                 let git show Chinese file names\n"
            '  git add . && git commit -m "First version"\n'
            "(When zpgen is not on the PATH, write its full path for zpgen in the textconv.)"
        )
        typer.echo("\n" + next_steps.format(where=where))

    @app.command(
        help=_("Show the body of a .docx (its paragraphs and tables) as text, for git diff.")
    )
    @_guarded
    def totext(
        file: Annotated[Path, typer.Argument(help=_("A .docx file."))],
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        import sys

        from zpgen.commands.totext import docx_text

        text = docx_text(file)
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()

    templates_app = typer.Typer(
        help=_(
            "Templates: list the templates of the workspace, or copy a built-in one into the "
            "workspace to edit it."
        ),
        no_args_is_help=True,
        rich_markup_mode=None,
    )

    @templates_app.callback()
    def _templates(lang: Annotated[Language | None, lang_option] = None) -> None:
        _use(lang)

    @templates_app.command(
        "list",
        help=_("List every template, where it comes from, and the blocks it lets you rewrite."),
    )
    @_guarded
    def templates_list(lang: Annotated[Language | None, lang_option] = None) -> None:
        _use(lang)
        from zpgen.model.workspace import load_workspace
        from zpgen.render.templates import Origin, list_templates

        entries = list_templates(load_workspace(_workspace(None)))
        origins = {Origin.BUILTIN: _("built-in"), Origin.WORKSPACE: _("workspace")}
        for entry in entries:
            origin = origins.get(entry.origin, entry.origin)
            if entry.replaces_builtin:
                origin += _(", replaces the built-in one")
            if entry.extends:
                origin += _(", extends {templates}").format(templates="、".join(entry.extends))
            where = (
                f"  {_relative(entry.path)}"
                if entry.path and entry.origin is not Origin.BUILTIN
                else ""
            )
            typer.echo(f"{entry.name:<22}{origin}{where}")
            if entry.blocks:
                blocks = _("blocks: {blocks}").format(blocks=" ".join(entry.blocks))
                typer.echo(f"{'':<4}{blocks}")

    @templates_app.command(
        "copy",
        help=_(
            "Copy a built-in template (or the reference document base.docx) into the "
            "workspace's template folder, to edit it."
        ),
    )
    @_guarded
    def templates_copy(
        name: Annotated[
            str,
            typer.Argument(
                help=_(
                    "The name of a built-in template, such as body.j2; base.docx is the "
                    "reference document."
                )
            ),
        ],
        force: Annotated[
            bool,
            typer.Option("--force", help=_("Overwrite a file of the same name in the workspace.")),
        ] = False,
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        from zpgen.commands.templates import copy_template
        from zpgen.model.workspace import load_workspace

        target = copy_template(load_workspace(_workspace(None)), name, force=force)
        typer.echo(f"{_status('created')}  {_relative(target)}")

    @app.command(
        "new-year",
        help=_(
            "Start a new year from last year's data: copy the data of every unit, and mark "
            "the values to fill in again “待填”."
        ),
    )
    @_guarded
    def new_year(
        year: Annotated[int, typer.Argument(help=_("The new budget year, such as 2024."))],
        source_year: Annotated[
            int | None,
            typer.Option(
                "--from", help=_("The year whose data to copy (default: the year before).")
            ),
        ] = None,
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        from zpgen.commands.newyear import new_year as run_new_year
        from zpgen.model.workspace import load_workspace

        space = load_workspace(_workspace(None))
        report = run_new_year(
            space.data, year=year, source_year=source_year or year - 1, limits=space.limits
        )
        total = 0
        for entry in report.files:
            total += len(entry.to_fill)
            created = _("{status}  {path} ({count} to fill in)")
            typer.echo(
                created.format(
                    status=_status("created"),
                    path=_relative(entry.path),
                    count=len(entry.to_fill),
                )
            )
            if entry.to_fill:
                typer.echo("    " + _("To fill in: {keys}").format(keys=_grouped(entry.to_fill)))
            if entry.to_review:
                keys = _grouped([(k, "") for k in entry.to_review])
                typer.echo("    " + _("To check (kept from last year): {keys}").format(keys=keys))
        done = _(
            "Done: {files} files, {count} values to fill in (the suggested 年初预算数 is last "
            "year's 全年执行数). Delete “待填” once a value is filled in; zpgen build lists the "
            "values still to fill in, and writes no report that holds “待填”."
        )
        typer.echo(done.format(files=len(report.files), count=total))

    app.add_typer(templates_app, name="templates")


def _add_import_command(app: typer.Typer, lang_option: OptionInfo) -> None:
    """import: last year's reports and 自评表 into a workspace."""

    @app.command(
        "import",
        help=_(
            "Read last year's reports (.docx, .txt) and 自评表 (.docx, .xlsx) and write a unit's "
            "unit.yaml and project files; print what was read from where and what is left."
        ),
    )
    @_guarded
    def import_(
        files: Annotated[list[Path], typer.Argument(help=_("The reports and 自评表 of one unit."))],
        into: Annotated[
            Path | None,
            typer.Option(
                "--into",
                help=_(
                    "The workspace to write to (default: the current folder's workspace, or the "
                    "current folder)."
                ),
            ),
        ] = None,
        year: Annotated[
            int | None,
            typer.Option("--year", help=_("The budget year (default: the year the files name).")),
        ] = None,
        unit: Annotated[
            str | None,
            typer.Option(
                "--unit",
                help=_("The unit's folder under data/<year>/ (default: its 单位名称)."),
            ),
        ] = None,
        dry_run: Annotated[
            bool,
            typer.Option("--dry-run", help=_("Print what would be written; write nothing.")),
        ] = False,
        force: Annotated[
            bool, typer.Option("--force", help=_("Overwrite files that exist already."))
        ] = False,
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        from zpgen.importer import import_files

        missing = [f for f in files if not f.exists()]
        if missing:
            problem = _("There is no such file or folder.")
            raise UsageError([Problem(f, problem) for f in missing])
        report = import_files(files, into=into, year=year, unit=unit, dry_run=dry_run, force=force)
        _print_import(report)


def _print_import(report: "ImportReport") -> None:
    for path, held in report.read:
        typer.echo(_("read  {file}: {held}").format(file=_relative(path), held=held))
    would = _("would write") if report.dry_run else None
    fill = check = 0
    for entry in report.files:
        status = would or _status(entry.status.value)
        typer.echo(f"{status}  {_relative(entry.path)}")
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
            typer.echo(line.format(file=_relative(entry.path), key=key, note=note))
    for entry in report.files:
        if entry.to_fill:
            folded = _grouped([(k, "") for k in entry.to_fill])
            line = _("to fill in: {file}: {keys}")
            typer.echo(line.format(file=_relative(entry.path), keys=folded))
    _print_problems(report.problems)
    done = _(
        "Done: {files} files, {fill} values to fill in (“待填”), {check} to check (“待核对”). "
        "Next: fill them in, then zpgen check and zpgen build."
    )
    if report.dry_run:
        done = _(
            "Dry run, nothing written: {files} files, {fill} values to fill in, {check} to check."
        )
    typer.echo(done.format(files=len(report.files), fill=fill, check=check))


def _grouped(items: list[tuple[str, str]]) -> str:
    """Keys with their suggestion; list items' keys folded: 绩效指标[*].实际完成值（7 项）."""
    import re

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


def _workspace(path: Path | None) -> Path:
    from zpgen.load.sources import find_workspace

    return find_workspace(path if path is not None else Path.cwd())


def _relative(path: Path, here: Path | None = None) -> Path:
    """``path`` from the current folder (``here``, if known) when it lies below it, else as it
    is."""
    here = here if here is not None else Path.cwd()
    if not path.is_absolute():
        path = path.resolve()
    try:
        return path.relative_to(here)
    except ValueError:
        return path


def _counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity == ERROR)
    return errors, sum(1 for p in problems if p.severity == WARNING)


def _line(problem: Problem) -> str:
    where = problem.place(str(_relative(problem.file)) if problem.file else "zpgen")
    severity = _("error") if problem.severity == ERROR else _("warning")
    rule = _(" (rule {rule})").format(rule=problem.rule) if problem.rule else ""
    return _("{severity}: {where}: {message}{rule}").format(
        severity=severity, where=where, message=problem.message, rule=rule
    )


def _print_problems(problems: list[Problem], *, err: bool = False) -> None:
    for problem in problems:
        typer.echo(_line(problem), err=err)


def _report(problems: list[Problem], projects: int | None, output: Output) -> None:
    errors, warnings = _counts(problems)
    if output is Output.json:
        document = {
            "problems": [_as_json(p) for p in problems],
            "errors": errors,
            "warnings": warnings,
            "projects": projects,
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    _print_problems(problems)
    if projects is not None:
        typer.echo(
            _("Checked {projects} project files: errors: {errors}, warnings: {warnings}.").format(
                projects=projects, errors=errors, warnings=warnings
            )
        )


def _as_json(problem: Problem) -> dict[str, object]:
    return {
        "file": str(_relative(problem.file)) if problem.file else None,
        "line": problem.line or None,
        "column": problem.column or None,
        "key": problem.key or None,
        "severity": problem.severity,
        "rule": problem.rule or None,
        "message": problem.message,
    }


def _print_rules() -> None:
    from zpgen.checks import RULES

    for found in RULES.values():
        severity = _("error") if found.severity == ERROR else _("warning")
        typer.echo(f"{found.id:28} {severity:8} {_(found.summary)}")


def _language_in(argv: list[str]) -> str | None:
    """``--lang X`` or ``--lang=X`` on the command line, before the app parses it."""
    for index, argument in enumerate(argv):
        value = None
        if argument == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif argument.startswith("--lang="):
            value = argument.partition("=")[2]
        if value in LANGUAGES:
            return value
    return None


def main() -> None:
    set_language(_language_in(sys.argv[1:]))
    create_app()()
