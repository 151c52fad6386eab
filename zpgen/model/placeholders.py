"""Values still to be filled in: ``待填``, as ``zpgen new-year`` leaves them.

A value that contains ``待填`` is a placeholder: the build refuses to render it, and names every
one with its file, line and key, so the analyst can work through the list. ``待填`` may carry a
suggestion after it (``年初预算数: 待填 8.56``: last year's spend); deleting ``待填`` accepts it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from zpgen.errors import Problem, ZpgenError
from zpgen.i18n import _
from zpgen.limits import DEFAULT_LIMITS, Limits
from zpgen.load.yaml_file import KeyPath, Located, load_yaml
from zpgen.model.schema import ModelT, validate

__all__ = ["PLACEHOLDER", "find_placeholders", "load_filled", "placeholder_text"]

PLACEHOLDER = "待填"


# Reported under the same rule id as the check that finds "XX" and "××" left in a text.
PLACEHOLDER_RULE = "placeholder"


def placeholder_text(suggestion: str = "") -> str:
    """The value to write for a field to fill: ``待填``, or ``待填 8.56`` with a suggestion."""
    return f"{PLACEHOLDER} {suggestion}" if suggestion else PLACEHOLDER


def find_placeholders(located: Located) -> list[Problem]:
    """Every value of the file that is still to be filled in, in file order."""
    found: list[tuple[KeyPath, str]] = []
    _walk(located.data, (), found)
    problems = []
    for path, value in found:
        suggestion = value.replace(PLACEHOLDER, "", 1).strip(" ：:（）()")
        hint = ""
        if suggestion:
            hint = _(" (suggested: {suggestion}; check it, then delete “{placeholder}”)").format(
                suggestion=suggestion, placeholder=PLACEHOLDER
            )
        message = _("Not filled in yet: fill in this value{hint}.").format(hint=hint)
        problem = located.problem(path, message)
        problems.append(replace(problem, rule=PLACEHOLDER_RULE))
    return problems


def _walk(data: Any, path: KeyPath, found: list[tuple[KeyPath, str]]) -> None:
    if isinstance(data, str):
        if PLACEHOLDER in data:
            found.append((path, data))
    elif isinstance(data, dict):
        for key, value in data.items():
            _walk(value, (*path, key), found)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _walk(value, (*path, index), found)


def load_filled(
    file: Path, model: type[ModelT], *, root: Path | None, limits: Limits = DEFAULT_LIMITS
) -> tuple[ModelT, Located]:
    """Load and validate a file, refusing values still to be filled in; the model, and the
    loaded file for positions. ``root`` and ``limits`` bound the reading (``load_yaml``).

    A ``待填`` where an amount belongs is also a type error for the schema; such a value is
    reported once, as still to be filled. Every problem of the file is raised together.
    """
    located = load_yaml(file, root=root, limits=limits)
    problems: list[Problem] = []
    result: ModelT | None = None
    try:
        result = validate(located, model)
    except ZpgenError as error:
        problems = error.problems
    placeholders = find_placeholders(located)
    keys = {p.key for p in placeholders}
    problems = [*placeholders, *(p for p in problems if p.key not in keys)]
    if problems or result is None:
        raise ZpgenError(sorted(problems, key=lambda p: (p.line, p.column)))
    return result, located
