"""The ``zpgen`` command: a thin layer over the library functions.

Exit codes: 0 done (warnings allowed, unless ``--strict``), 1 problems in the data, 2 a usage
error (an unknown option, a path that is not in a workspace). Messages follow ``--lang`` or the
locale (``zpgen/i18n.py``); the app is built after the language is known, so ``--help`` speaks it.
"""

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from zpgen import __version__
from zpgen.errors import ERROR, WARNING, Problem, UsageError, ZpgenError
from zpgen.i18n import LANGUAGES, _, set_language

__all__ = ["create_app", "main"]

PROBLEMS_EXIT = 1
USAGE_EXIT = 2


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
    def build(
        paths: Annotated[list[Path] | None, paths_argument] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out", "-o", help=_("Output folder (default: the workspace's output/).")
            ),
        ] = None,
        formats: Annotated[
            str,
            typer.Option("--format", "-f", help=_("Output formats, comma-separated: txt, docx.")),
        ] = "txt,docx",
        strict: Annotated[bool, strict_option] = False,
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        from zpgen.build import build as run_build
        from zpgen.layout import find_workspace

        try:
            workspace = find_workspace(paths[0] if paths else Path.cwd())
            wanted = [f.strip() for f in formats.split(",") if f.strip()]
            report = run_build(workspace, paths or [], out=out, formats=wanted, strict=strict)
        except ZpgenError as error:
            _print_problems(error.problems, err=True)
            raise typer.Exit(_exit_code(error)) from None
        for path, status in report.written:
            typer.echo(f"{_status(status.value)}  {_relative(path)}")
        _print_problems(report.problems, err=True)
        counts = {key: sum(1 for _, s in report.written if s.value == key) for key in _STATUSES}
        errors, warnings = _counts(report.problems)
        typer.echo(
            _(
                "Done: {created} created, {updated} updated, {unchanged} unchanged; "
                "errors: {errors}, warnings: {warnings}."
            ).format(**counts, errors=errors, warnings=warnings)
        )
        if report.failed:
            raise typer.Exit(PROBLEMS_EXIT)

    @app.command(
        help=_(
            "Check the data as a build would, and report every problem; write nothing. "
            "Exit code 0: no errors, 1: errors, 2: usage error."
        )
    )
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
        from zpgen.layout import find_workspace
        from zpgen.pipeline import check as run_check

        try:
            workspace = find_workspace(paths[0] if paths else Path.cwd())
            report = run_check(workspace, paths or [], strict=strict)
        except ZpgenError as error:
            _report(error.problems, None, output)
            raise typer.Exit(_exit_code(error)) from None
        _report(report.problems, report.projects, output)
        if report.failed:
            raise typer.Exit(PROBLEMS_EXIT)

    @app.command(
        help=_(
            "Write the JSON Schemas of the project and unit files, for editors that complete "
            "keys (the YAML language server)."
        )
    )
    def schema(
        out: Annotated[
            Path, typer.Option("--out", "-o", help=_("Folder to write the schemas to."))
        ] = Path("schema"),
        lang: Annotated[Language | None, lang_option] = None,
    ) -> None:
        _use(lang)
        from zpgen.schema import write_schemas

        for path, status in write_schemas(out):
            typer.echo(f"{_status(status.value)}  {_relative(path)}")

    return app


def _use(lang: Language | None) -> None:
    if lang is not None:
        set_language(lang.value)


def _exit_code(error: ZpgenError) -> int:
    return USAGE_EXIT if isinstance(error, UsageError) else PROBLEMS_EXIT


_STATUSES = ("created", "updated", "unchanged")


def _status(value: str) -> str:
    names = {"created": _("created"), "updated": _("updated"), "unchanged": _("unchanged")}
    return names[value]


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity == ERROR)
    return errors, sum(1 for p in problems if p.severity == WARNING)


def _line(problem: Problem) -> str:
    where = str(_relative(problem.file)) if problem.file else "zpgen"
    if problem.line:
        where += f":{problem.line}" + (f":{problem.column}" if problem.column else "")
    if problem.key:
        where += f" [{problem.key}]"
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
