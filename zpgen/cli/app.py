"""The ``zpgen`` command: typer over the library, one error boundary, help in the user's language.

Exit codes: 0 done (warnings allowed, unless ``--strict``), 1 problems in the data, 2 a usage
error (an unknown option, a path that is not in a workspace), 130 interrupted. Messages follow
``--lang`` or the locale (``zpgen/i18n.py``): ``main`` reads ``--lang`` first, and the command
tree's help texts, written as English msgids, are translated before it runs.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from zpgen.cli import commands
from zpgen.cli.output import Output, print_problems, report_problems
from zpgen.cli.texts import is_usage_error, translate, usage_error
from zpgen.errors import Problem, ZpgenError
from zpgen.errors import UsageError as DataUsageError
from zpgen.i18n import LANGUAGES, _, set_language
from zpgen.load.reading import os_reason

__all__ = ["PROBLEMS_EXIT", "USAGE_EXIT", "command", "create_app", "main"]

PROBLEMS_EXIT = 1
USAGE_EXIT = 2


def create_app() -> typer.Typer:
    """The typer app of every command (help as written, in English: see ``command``)."""
    app = typer.Typer(
        help=commands.HELP, add_completion=False, no_args_is_help=True, rich_markup_mode=None
    )
    app.callback()(commands.main_options)
    for name, function, help_text in commands.COMMANDS:
        short = commands.SHORT_HELP[name]
        app.command(name, help=help_text, short_help=short)(_guarded(function))
    templates = typer.Typer(
        help=commands.TEMPLATES_HELP, no_args_is_help=True, rich_markup_mode=None
    )
    templates.callback()(commands.templates_options)
    for name, function, help_text in commands.TEMPLATE_COMMANDS:
        short = commands.SHORT_HELP[name]
        templates.command(name, help=help_text, short_help=short)(_guarded(function))
    app.add_typer(templates, name="templates", short_help=commands.SHORT_HELP["templates"])
    return app


def command() -> Any:
    """The command tree (typer's click command), its help in the current language."""
    tree = typer.main.get_command(create_app())
    translate(tree)
    return tree


def _guarded(function: Callable[..., None]) -> Callable[..., None]:
    """The one error boundary: every failure the user can cause becomes a message and an exit
    code (1: the data, 2: the command line, 130: Ctrl-C); only a bug leaves a traceback."""

    @functools.wraps(function)
    def run(*args: object, **kwargs: object) -> None:
        try:
            function(*args, **kwargs)
        except ZpgenError as error:
            if kwargs.get("output") is Output.json:
                report_problems(error.problems, None, Output.json)
            else:
                print_problems(error.problems, err=True)
            code = USAGE_EXIT if isinstance(error, DataUsageError) else PROBLEMS_EXIT
            raise typer.Exit(code) from None
        except KeyboardInterrupt:
            message = _(
                "Interrupted: the files already written are complete, the others were not "
                "written; run the command again to go on."
            )
            typer.echo(message, err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # stdout's reader went away: ``main`` ends quietly
            raise
        except OSError as error:  # a file the user named, or the disk: not a bug
            where = Path(error.filename) if isinstance(error.filename, str) else None
            message = _("Cannot read or write the file: {reason}.").format(reason=os_reason(error))
            print_problems([Problem(where, message)], err=True)
            raise typer.Exit(PROBLEMS_EXIT) from None
        except MemoryError:
            message = _("zpgen ran out of memory: the input asks for more than this machine has.")
            print_problems([Problem(None, message)], err=True)
            raise typer.Exit(PROBLEMS_EXIT) from None
        except RecursionError:
            message = _("The input is nested too deeply for zpgen to read.")
            print_problems([Problem(None, message)], err=True)
            raise typer.Exit(PROBLEMS_EXIT) from None

    return run


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


def main(argv: list[str] | None = None) -> None:
    """Run zpgen with ``argv`` (default: the command line); exit with its code."""
    args = sys.argv[1:] if argv is None else argv
    set_language(_language_in(args))
    try:
        code = command()(args, prog_name="zpgen", standalone_mode=False)
    except typer.Abort:
        sys.exit(PROBLEMS_EXIT)
    except BrokenPipeError:  # the reader went away (zpgen … | head): nothing more to say
        _quiet_stdout()
        sys.exit(PROBLEMS_EXIT)
    except Exception as error:
        if type(error).__name__.startswith("NoArgsIsHelp"):  # `zpgen`, `zpgen templates` alone
            typer.echo(error.message)  # type: ignore[attr-defined]  # its help, as click 8.1 does
            sys.exit(0)
        if not is_usage_error(error):  # a bug: its traceback
            raise
        typer.echo(usage_error(error), err=True)
        sys.exit(USAGE_EXIT)
    sys.exit(code if isinstance(code, int) else 0)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's last flush at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
