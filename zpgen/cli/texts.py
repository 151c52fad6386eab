"""The command line's own words in the user's language: help pages and usage errors.

Typer's click (its own copy in recent versions, the click package in older ones) writes help pages
("Usage:", "Options", "Show this message and exit.", metavars such as ``<int range>``) and usage
errors ("No such option: --froce") in English, not translatable through gettext. ``translate``
gives every command of the tree a context whose help formatter speaks the user's language;
``usage_error`` says a usage error in it, with a did-you-mean where one fits. Both reach click
only through the objects typer hands over, never by importing it: its place changes between
typer's versions.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from zpgen.i18n import N_, _

__all__ = ["is_usage_error", "translate", "usage_error"]

# click's words and typer's metavars, marked for the catalog
_WORDS = {
    "Options": N_("Options"),
    "Arguments": N_("Arguments"),
    "Commands": N_("Commands"),
    "Show this message and exit.": N_("Show this message and exit."),
    "[required]": N_("[required]"),
}
_METAVARS = {
    "<list[Path]>": N_("<paths>"),
    "<path>": N_("<path>"),
    "<int range>": N_("<number>"),
    "<int>": N_("<number>"),
    "<str>": N_("<text>"),
    "<list[str]>": N_("<text>"),
}
_METAVAR = re.compile(r"<[^<>]+>")
_CHOICES = re.compile(r"\[([\w-]+(?:\|[\w-]+)+)\]")  # click before 8.2: [zh|en], not <zh|en>
_DEFAULT = re.compile(r"\[default: ([^\]]*)\]")
_AT_LEAST = re.compile(r"\[x>=(-?\d+)\]")
_USAGE = {
    "[OPTIONS]": N_("[OPTIONS]"),
    "COMMAND [ARGS]...": N_("COMMAND [ARGS]..."),
}
# the commands' arguments, as click writes them in a usage line or an error: "[paths]...",
# "{file}", "FILE" or 'file' by click's and typer's versions
_ARGUMENTS = {
    "paths": N_("PATHS"),
    "folder": N_("FOLDER"),
    "file": N_("FILE"),
    "files": N_("FILES"),
    "year": N_("YEAR"),
    "name": N_("NAME"),
}
_ARGUMENT = re.compile(r"(?<![-\w])[{'\"]?(" + "|".join(_ARGUMENTS) + r")\b[}'\"]?", re.IGNORECASE)


def _argument(found: re.Match[str]) -> str:
    return _(_ARGUMENTS[found.group(1).lower()])


class _Formatter:
    """What click's help formatter says in the user's language (mixed into click's own)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, msgid in _USAGE.items():
            args = args.replace(english, _(msgid))
        args = _ARGUMENT.sub(_argument, args)
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage: "))  # type: ignore[misc]

    def write_heading(self, heading: str) -> None:
        indent = " " * self.current_indent  # type: ignore[attr-defined]
        line = _("{heading}:").format(heading=_(_WORDS.get(heading, heading)))
        self.write(f"{indent}{line}\n")  # type: ignore[attr-defined]

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        translated = [(_term(term), _words(definition)) for term, definition in rows]
        super().write_dl(translated, col_max, col_spacing)  # type: ignore[misc]


def _term(term: str) -> str:
    """An option with its metavar (``--out <路径>``), or an argument by its name alone (``路径...``:
    click writes ``paths... <list[Path]>``)."""
    if not term.startswith("-"):
        return _ARGUMENT.sub(_argument, term.split(" ", 1)[0])
    return _METAVAR.sub(_metavar, _CHOICES.sub(r"<\1>", term))


def _metavar(found: re.Match[str]) -> str:
    text = found.group()
    return _(_METAVARS[text]) if text in _METAVARS else text


def _words(text: str) -> str:
    for english, msgid in _WORDS.items():
        text = text.replace(english, _(msgid))
    text = _DEFAULT.sub(lambda found: _("[default: {value}]").format(value=found.group(1)), text)
    return _AT_LEAST.sub(lambda found: _("[{least} or more]").format(least=found.group(1)), text)


@functools.cache
def _speaking(context: type) -> type:
    """click's context class, its help formatter speaking the user's language."""
    formatter = type("Formatter", (_Formatter, context.formatter_class), {})  # type: ignore[attr-defined]
    return type("Context", (context,), {"formatter_class": formatter})


def translate(node: Any) -> None:
    """A command tree's help in the current language: each text written as an English msgid
    translated, and every command given a context whose formatter speaks the language."""
    node.context_class = _speaking(node.context_class)
    if node.help:
        node.help = _(node.help)
    if getattr(node, "short_help", None):
        node.short_help = _(node.short_help)
    for param in node.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    for child in getattr(node, "commands", {}).values():
        translate(child)


def is_usage_error(error: BaseException) -> bool:
    """Whether ``error`` is click's usage error (exit code 2, about a command and its context)."""
    return getattr(error, "exit_code", None) == 2 and hasattr(error, "ctx")


def usage_error(error: Any) -> str:
    """A usage error as zpgen says it: what is wrong, the command's usage, where to read more."""
    ctx = error.ctx
    lines = [_("error: {problem}").format(problem=_problem(error))]
    if ctx is not None:
        lines.append(ctx.get_usage())
        lines.append(
            _("Run {command} --help to see what it takes.").format(command=ctx.command_path)
        )
    return "\n".join(lines)


def _problem(error: Any) -> str:
    from zpgen.model.explain import suggest  # pydantic: for a usage error, not for every start

    if hasattr(error, "possibilities") and hasattr(error, "option_name"):  # NoSuchOption
        close = suggest(error.option_name, sorted(error.possibilities or ()))
        if close is None and error.ctx is not None:
            names = [n for p in error.ctx.command.params for n in getattr(p, "opts", [])]
            close = suggest(error.option_name, names)
        if close is not None:
            message = _("There is no option {option}: did you mean {suggestion}?")
            return message.format(option=error.option_name, suggestion=close)
        return _("There is no option {option}.").format(option=error.option_name)
    if hasattr(error, "param_type"):  # MissingParameter
        return _("{param} is missing.").format(param=_parameter(error))
    if hasattr(error, "param"):  # BadParameter
        if getattr(error.param, "param_type_name", "") == "argument":
            message = _("The value of the argument {param} is not valid: {detail}")
        else:
            message = _("The value of {param} is not valid: {detail}")
        return message.format(param=_parameter(error), detail=_detail(error.message))
    return _message(error)


def _parameter(error: Any) -> str:
    """The option or argument a usage error is about, as the command line writes it."""
    param = error.param
    if error.param_hint:
        hint = error.param_hint
    elif param is not None and getattr(param, "opts", None):
        hint = param.opts
    else:
        hint = getattr(param, "human_readable_name", "") if param is not None else ""
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(sorted((str(h) for h in hint), key=len, reverse=True))
    return _ARGUMENT.sub(_argument, str(hint))


# What click (or the pydantic of recent typers) says of a value, for the types zpgen's options have.
_NOT_INTEGER = re.compile(
    r"'.*' is not a valid integer(?: range)?\.?|Input should be a valid integer.*"
)
_TOO_SMALL = re.compile(
    r"-?\d+ is not in the range x>=(?P<a>-?\d+)\.?|Input should be greater than or equal to "
    r"(?P<b>-?\d+)"
)
_TOO_LARGE = re.compile(
    r"-?\d+ is not in the range (?:-?\d+<=)?x<=(?P<a>-?\d+)\.?|Input should be less than or "
    r"equal to (?P<b>-?\d+)"
)
_NOT_A_CHOICE = re.compile(r"(?:Value error, )?'(.*)' is not one of (.*?)\.?")


def _detail(message: str) -> str:
    if _NOT_INTEGER.fullmatch(message):
        return _("it should be a whole number.")
    found = _TOO_SMALL.fullmatch(message)
    if found:
        return _("it should be {least} or more.").format(least=found.group("a") or found.group("b"))
    found = _TOO_LARGE.fullmatch(message)
    if found:
        return _("it should be {most} or less.").format(most=found.group("a") or found.group("b"))
    found = _NOT_A_CHOICE.fullmatch(message)
    if found:
        choices = [choice.strip().strip("'") for choice in found.group(2).split(",")]
        return _("“{value}” is none of {choices}.").format(
            value=found.group(1), choices=_(", ").join(choices)
        )
    return message


_NO_COMMAND = re.compile(r"No such command '(.*)'\..*")
_EXTRA = re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)")
_NO_VALUE = re.compile(r"Option '(.*)' requires (?:an argument|\d+ arguments)\.")


def _message(error: Any) -> str:
    found = _NO_COMMAND.fullmatch(error.message)
    if found:
        commands = list(getattr(error.ctx.command, "commands", {})) if error.ctx else []
        from zpgen.model.explain import suggest

        close = suggest(found.group(1), commands)
        if close is not None:
            message = _("There is no command “{command}”: did you mean “{suggestion}”?")
            return message.format(command=found.group(1), suggestion=close)
        return _("There is no command “{command}”.").format(command=found.group(1))
    found = _EXTRA.fullmatch(error.message)
    if found:
        return _("Unexpected arguments: {arguments}.").format(arguments=found.group(1))
    found = _NO_VALUE.fullmatch(error.message)
    if found:
        return _("{option} needs a value after it.").format(option=found.group(1))
    return str(error.message)
