"""Tables as aligned plain text, for the .txt twin: ASCII rules, East Asian widths, wrapped cells.

Columns get the table's relative widths scaled to a fixed line width, so a change to one cell
changes only its own lines in a diff. A Chinese character counts two columns (``unicodedata``'s
East Asian width W or F); rules are ASCII (``+ - |``), which every font draws at one column, unlike
the box-drawing characters whose width is ambiguous. Merged cells print their text once, flowing
down through the rows they span, and no rule crosses them. Tables that follow one another with
the same column widths are drawn as one grid.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from zpgen.render.markup import Cell, Table

__all__ = ["LINE_WIDTH", "column_widths", "render_tables", "text_width", "wrap"]

LINE_WIDTH = 118  # display columns of a table line, rules included
_MIN_COLUMN = 4  # two Chinese characters

# Characters that may not start a line (避头): they stay with the character before them.
_NO_LINE_START = set("，。、；：？！）》」』】’”%％…·")
# Characters that may not end a line (避尾): they go with the character after them.
_NO_LINE_END = set("（《「『【‘“")


def text_width(text: str) -> int:
    """Display columns: two for wide and full-width characters, one for the rest."""
    if text.isascii():
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


class _CharWidths(dict[str, int]):
    """Each character's display width, looked up in ``unicodedata`` once."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def _tokens(text: str) -> list[str]:
    """Units that wrapping keeps whole: a run of ASCII letters and digits ("202.6"), or one
    character, with opening brackets glued to what follows and closing punctuation to what
    precedes."""
    tokens: list[str] = []
    for ch in text:
        if tokens and (
            (
                ch.isascii()
                and not ch.isspace()
                and tokens[-1][-1].isascii()
                and not tokens[-1][-1].isspace()
            )
            or ch in _NO_LINE_START
            or tokens[-1][-1] in _NO_LINE_END
        ):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns; each paragraph (line of ``text``) starts a new line."""
    return [line for line, _used in _wrap(text, width)]


def _wrap(text: str, width: int) -> list[tuple[str, int]]:
    """``wrap``'s lines, each with its width."""
    lines: list[tuple[str, int]] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        used = text_width(paragraph)
        if used <= width:  # most cells: the whole paragraph fits
            lines.append((paragraph, used))
            continue
        line, used = "", 0  # used: text_width(line)
        for token in _tokens(paragraph):
            needed = text_width(token)
            if used + needed <= width:
                line, used = line + token, used + needed
                continue
            if line.strip():
                lines.append(_measured(line.rstrip()))
            line = token.lstrip()
            while text_width(line) > width:  # a token wider than the cell: cut it
                cut = _fit(line, width)
                lines.append(_measured(line[:cut]))
                line = line[cut:]
            used = text_width(line)
        lines.append(_measured(line.rstrip()))
    return lines


def _measured(line: str) -> tuple[str, int]:
    return line, text_width(line)


def _fit(text: str, width: int) -> int:
    used = 0
    for index, ch in enumerate(text):
        used += text_width(ch)
        if used > width:
            return max(index, 1)
    return len(text)


def column_widths(widths: Sequence[int], line_width: int = LINE_WIDTH) -> list[int]:
    """Each column's content width: its share of the line in even numbers (a Chinese character
    is two columns), at least 4; what rounding down leaves goes to the largest remainders."""
    content = line_width - 3 * len(widths) - 1
    shares = [content * w / sum(widths) for w in widths]
    result = [max(_MIN_COLUMN, int(share) // 2 * 2) for share in shares]
    by_remainder = sorted(range(len(widths)), key=lambda i: result[i] - shares[i])
    for index in by_remainder:
        if sum(result) + 2 > content:
            break
        result[index] += 2
    return result


@dataclass(eq=False)  # compared and hashed by identity: a merged cell is one object
class _Placed:
    """A cell at its place in the grid: the rows and columns it covers, and its text lines, each
    padded to the cell's width."""

    row: int
    span: int
    rows: int
    lines: list[str]
    blank: str  # the cell's width of spaces, for its lines below its text


def render_tables(tables: Sequence[Table], line_width: int = LINE_WIDTH) -> list[str]:
    """One grid for tables with the same columns (drawn one after another), as text lines."""
    return list(_render_grid(tuple(tables), line_width))


@lru_cache(maxsize=64)  # a unit's combined 自评表 draws its projects' grids again
def _render_grid(tables: tuple[Table, ...], line_width: int) -> tuple[str, ...]:
    widths = column_widths(tables[0].widths, line_width)
    rows = [row for table in tables for row in table.rows]
    placed, owner = _place(rows, widths)
    heights = _heights(placed, len(rows))
    tops = [sum(heights[:r]) for r in range(len(rows))]  # each row's first line in the grid
    out = [_rule(None, owner[0], widths)]
    for r in range(len(rows)):
        for k in range(heights[r]):
            parts = ["|"]
            for item in dict.fromkeys(owner[r]):  # each cell of the row once, left to right
                # the line of the cell's text shown here: merged cells flow on through their rows
                offset = tops[r] - tops[item.row] + k
                parts.append(" " + (item.lines[offset] if offset < len(item.lines) else item.blank))
                parts.append(" |")
            out.append("".join(parts))
        out.append(_rule(owner[r], owner[r + 1] if r + 1 < len(rows) else None, widths))
    return tuple(out)


def _place(
    rows: Sequence[tuple[Cell, ...]], widths: list[int]
) -> tuple[list[_Placed], list[list[_Placed]]]:
    """The cells with their extent, and for each row and column the cell that covers it."""
    placed: list[_Placed] = []
    owner: list[list[_Placed]] = []
    for r, cells in enumerate(rows):
        covering: list[_Placed] = []
        column = 0
        for cell in cells:
            if cell.merged:
                origin = owner[r - 1][column]
                origin.rows += 1
                covering.extend([origin] * cell.span)
            else:
                width = sum(widths[column : column + cell.span]) + 3 * (cell.span - 1)
                lines = [
                    _align(line, used, width, cell.left) for line, used in _wrap(cell.text, width)
                ]
                item = _Placed(r, cell.span, 1, lines, " " * width)
                placed.append(item)
                covering.extend([item] * cell.span)
            column += cell.span
        owner.append(covering)
    return placed, owner


def _heights(placed: list[_Placed], count: int) -> list[int]:
    """Row heights in lines: enough for single-row cells, then for merged cells' text."""
    heights = [1] * count
    for item in placed:
        if item.rows == 1:
            heights[item.row] = max(heights[item.row], len(item.lines))
    for item in placed:
        if item.rows > 1:
            last = item.row + item.rows - 1
            room = sum(heights[item.row : last + 1])
            heights[last] += max(0, len(item.lines) - room)
    return heights


def _align(text: str, used: int, width: int, left: bool) -> str:
    """``text`` (``used`` columns wide) padded to ``width``: centred, or else left-aligned."""
    room = width - used
    before = 0 if left else room // 2
    return " " * before + text + " " * (room - before)


def _rule(top: list[_Placed] | None, bottom: list[_Placed] | None, widths: list[int]) -> str:
    """The line between two rows (or above the first, below the last): dashes, but blank where a
    merged cell runs through it; ``+`` where a column boundary meets a dash, else ``|``."""
    columns = range(len(widths))
    through = tuple(top is not None and bottom is not None and top[c] is bottom[c] for c in columns)
    boundaries = tuple(
        c in (0, len(widths))
        or any(row is not None and row[c - 1] is not row[c] for row in (top, bottom))
        for c in range(len(widths) + 1)
    )
    return _rule_line(through, boundaries, tuple(widths))


@lru_cache(maxsize=256)  # a grid's rules are a few patterns repeated
def _rule_line(
    through: tuple[bool, ...], boundaries: tuple[bool, ...], widths: tuple[int, ...]
) -> str:
    """``through``: a merged cell runs through the rule at each column; ``boundaries``: a cell
    boundary meets the rule at each column edge (the first and last are the table's sides)."""
    out = ""
    for column in range(len(widths) + 1):
        left_open = column > 0 and through[column - 1]
        right_open = column < len(widths) and through[column]
        dashed = (column > 0 and not left_open) or (column < len(widths) and not right_open)
        if dashed:
            out += "+" if boundaries[column] else "-"
        else:
            out += "|" if boundaries[column] else " "
        if column < len(widths):
            out += (" " if right_open else "-") * (widths[column] + 2)
    return out
