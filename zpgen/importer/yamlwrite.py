"""YAML text as zpgen's files are written by hand: keys in order, comments where they help.

A value is written plain when YAML reads it back as the same text (zpgen reads every scalar as
text, so only YAML's syntax matters: a leading ``- ? : , [ ] { } # & * ! | > ' " % @ ` ``, a
``: `` or `` #`` inside, ``~`` or ``null``, spaces at either end), else double-quoted with
escapes. A value of several paragraphs is a ``|`` block, a line a paragraph. Comments are
``# `` lines above the key they are about.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

__all__ = ["Entry", "render", "scalar"]

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_NULLS = {"~", "null", "Null", "NULL", ""}
_LINE_BREAKS = {"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


@dataclass
class Entry:
    """One key of a mapping: a scalar ``value``, or ``children`` (a mapping), or ``items`` (a
    list of mappings), or ``flow`` (a one-line mapping such as a fund row)."""

    key: str
    value: str | None = None
    children: list[Entry] | None = None
    items: list[list[Entry]] | None = None
    flow: list[tuple[str, str]] | None = None
    comments: list[str] = field(default_factory=list)
    trailing: str = ""  # a comment at the end of the value's line
    blank_before: bool = False


def scalar(text: str) -> str:
    """A one-line scalar as YAML reads it back to ``text``."""
    plain = (
        text not in _NULLS
        and text[0] not in _INDICATORS
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\t" not in text
        and not any(c in text for c in _LINE_BREAKS)
    )
    if plain:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    for char, escape in _LINE_BREAKS.items():
        quoted = quoted.replace(char, escape)
    return quoted


def _comment_lines(comments: list[str], indent: str) -> list[str]:
    return [f"{indent}# {' '.join(c.split())}" for c in comments]


def _entry(entry: Entry, indent: str, first: str = "") -> list[str]:
    """The lines of one entry; ``first`` replaces the indent of its first line (a ``- ``)."""
    lines = [""] if entry.blank_before else []
    lines += _comment_lines(entry.comments, indent)
    lead = first if first else indent
    trailing = f"  # {' '.join(entry.trailing.split())}" if entry.trailing else ""
    key = f"{lead}{entry.key}:"
    if entry.value is not None:
        if "\n" in entry.value:
            lines.append(f"{key} |{trailing}")
            lines += [f"{indent}  {line}" for line in entry.value.split("\n")]
        else:
            lines.append(f"{key} {scalar(entry.value)}{trailing}")
    elif entry.flow is not None:
        inner = ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in entry.flow)
        lines.append(f"{key} {{{inner}}}{trailing}")
    elif entry.children is not None:
        lines.append(key + trailing)
        for child in entry.children:
            lines += _entry(child, indent + "  ")
    elif entry.items is not None:
        lines.append(key + trailing)
        for item in entry.items:
            for number, child in enumerate(item):
                lines += _entry(child, indent + "    ", indent + "  - " if number == 0 else "")
    return lines


def render(entries: list[Entry], header: list[str]) -> str:
    """A whole file: the header comments, then the entries."""
    lines = [f"# {line}" if line else "#" for line in header]
    for entry in entries:
        lines += _entry(entry, "")
    return "\n".join(lines).rstrip("\n") + "\n"
