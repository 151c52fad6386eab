"""Values still to be filled in: ``待填``, as ``zpgen new-year`` leaves them.

A value that contains ``待填`` is a placeholder: the build refuses to render it, and names every
one with its file, line and key, so the analyst can work through the list. ``待填`` may carry a
suggestion after it (``年初预算数: 待填 8.56``: last year's spend); deleting ``待填`` accepts it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from zpgen.errors import Problem
from zpgen.i18n import _
from zpgen.load.yaml_file import KeyPath, Located

__all__ = ["PLACEHOLDER", "PLACEHOLDER_RULE", "find_placeholders", "placeholder_text"]

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
