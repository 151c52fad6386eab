"""The document structure both writers render, and the line markup templates produce it with.

A template renders to *markup*: one block per line, the kind given by the line's first characters.

=========  ==========================================================
``= T``    title (GB/T 9704: 2号小标宋, centred)
``^ T``    a centred line (the unit's name above the title, a subtitle)
``# T``    heading, level 1 to 4 by the number of ``#``; zpgen adds the
           number (一、 （一） 1. （1）), so numbering stays right when a
           template leaves a section out
``@L：T``  labelled paragraph: the label runs up to the first "："
``@+L：T`` labelled paragraph that zpgen numbers 1. 2. … (“1.项目资金到位
           情况：……”), counting again after each heading and new part
``> T``    right-aligned line (落款: the unit's name and the date)
``---``    a new part: a page break in the .docx, numbering starts again
``%table``  a table, up to ``%end`` (below)
other      a plain paragraph
=========  ==========================================================

A table: ``%table W W …`` gives the relative width of each column (their count is the number of
columns); then each row starts with ``%row``, or ``%header`` for a header row (header rows come
first and are repeated at the top of every page the table runs onto), or ``%row keep`` for a row
that stays on the page of the row above it (the 总分 below the indicators); each cell is a line
``|OPTS text``. OPTS, written right after the ``|``: a number, the columns the cell spans; ``<``,
left-aligned (cells are centred by default); ``^``, the cell continues the one above it (a
vertical merge; it takes that cell's span and has no text of its own). Literal text is separated
from OPTS by a space (``| 100``), so a number is never read as a span. A value inserted over
several lines gives the cell several paragraphs. ``%end`` closes the table.

Blank lines are ignored. Values that templates insert are escaped (see ``escape_value``): data
can never turn a line into a heading, a title, a page break, a table row or a cell, however it
starts or breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path

from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.model.values import FORBIDDEN_CHARACTERS

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "Block",
    "BlockKind",
    "Cell",
    "Document",
    "DocumentMeta",
    "Numbering",
    "Table",
    "escape_value",
    "heading_number",
    "parse_markup",
]


class BlockKind(str, Enum):
    TITLE = "title"
    CENTER = "center"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LABELLED = "labelled"
    SIGNATURE = "signature"
    BREAK = "break"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a table row; ``text`` holds its paragraphs, one a line."""

    text: str = ""
    span: int = 1  # columns
    merged: bool = False  # continues the cell above (a vertical merge), and has no text
    left: bool = False  # left-aligned; cells are centred by default


@dataclass(frozen=True, slots=True)
class Table:
    """A grid: relative column widths, rows of cells whose spans fill every column."""

    widths: tuple[int, ...]
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 0  # the first rows, repeated at the top of every page
    kept: frozenset[int] = frozenset()  # rows that stay on the page of the row above them
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Kept: the writers look a table up in their caches, and hashing every cell each time
        # costs more than the lookup saves.
        key = (self.widths, self.rows, self.header_rows, self.kept)
        object.__setattr__(self, "_hash", hash(key))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the document. ``number`` is the heading's number ("一、"), else ""."""

    kind: BlockKind
    text: str = ""
    level: int = 0
    number: str = ""
    label: str = ""
    table: Table | None = None  # a TABLE block's content


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Document properties, taken from the data and never from the clock."""

    title: str
    author: str
    date: tuple[int, int, int]  # (year, month, day) of the evaluation
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    meta: DocumentMeta
    blocks: tuple[Block, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Numbering:
    """Which heading levels carry a number; GB/T 9704 numbers all four."""

    numbered: tuple[bool, bool, bool, bool] = (True, True, True, True)


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings never go higher)."""
    if not 1 <= n <= 99:
        raise ValueError(f"heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The GB/T 9704 number of the n-th heading at a level: 一、 （一） 1. （1）."""
    if level == 1:
        return chinese_numeral(n) + "、"
    if level == 2:
        return "（" + chinese_numeral(n) + "）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


# Inserted values start with this mark, and so does every line after a break inside a value: a
# line that starts with it is a plain paragraph. The model refuses it in data, as it refuses every
# character of FORBIDDEN_CHARACTERS (XML cannot hold them).
INERT = "\x01"
_HEADING = re.compile(r"^(#{1,4}) ?(.*)$")


def escape_value(text: str) -> str:
    """Make inserted data inert: wherever a line starts with data, it is a plain paragraph."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return INERT + lines.replace("\n", "\n" + INERT)


def parse_markup(
    markup: str, meta: DocumentMeta, numbering: Numbering, *, source: Path | None = None
) -> Document:
    """Turn rendered markup into blocks, numbering the headings.

    A malformed table is a ZpgenError naming ``source`` (the data the template was rendered for).
    """
    blocks: list[Block] = []
    counters = [0, 0, 0, 0]
    labels = 0  # the numbered labelled paragraphs since the last heading or new part
    table: list[str] | None = None  # the lines of a table, from its %table line
    for raw in markup.split("\n"):
        line = raw.strip()
        if not line.replace(INERT, "").strip():
            continue
        if table is not None:
            if line == "%end":
                blocks.append(Block(BlockKind.TABLE, table=_table(tuple(table), source)))
                table = None
            else:
                table.append(line)
            continue
        if line.startswith("%table"):
            table = [line]
            continue
        if line == "---":
            blocks.append(Block(BlockKind.BREAK))
            counters = [0, 0, 0, 0]
            labels = 0
            continue
        block = _parse_line(line.replace(INERT, "") if line[0] != INERT else line)
        if block.kind is BlockKind.LABELLED and block.label.startswith("+"):
            labels += 1
            block = Block(
                BlockKind.LABELLED, block.text, label=block.label[1:], number=f"{labels}."
            )
        if block.kind is BlockKind.HEADING:
            labels = 0
            index = block.level - 1
            counters[index] += 1
            counters[index + 1 :] = [0] * (3 - index)
            if numbering.numbered[index]:
                number = heading_number(block.level, counters[index])
                block = Block(BlockKind.HEADING, block.text, block.level, number)
        blocks.append(block)
    if table is not None:
        _table(tuple(table), source)  # what is wrong with its rows, if anything, comes first
        raise _table_error(source, _("The table has no %end line to close it."))
    return Document(meta, tuple(blocks))


def _table(lines: tuple[str, ...], source: Path | None) -> Table:
    try:
        return _build_table(lines)
    except _TableError as error:
        raise _table_error(source, str(error)) from None


@lru_cache(maxsize=128)  # a unit's combined reports hold its projects' tables again
def _build_table(lines: tuple[str, ...]) -> Table:
    """A table from its markup lines, the ``%table`` line first, without the ``%end``."""
    builder = _TableBuilder.start(lines[0])
    for line in lines[1:]:
        builder.add(line)
    return builder.finish()


class _TableError(Exception):
    """What is wrong with a table's markup, in words."""


def _table_error(source: Path | None, message: str) -> ZpgenError:
    return ZpgenError.single(
        source, _("A template wrote a faulty table: {problem}").format(problem=message)
    )


_CELL = re.compile(r"^\|(\d*)([<^]*) ?(.*)$", re.DOTALL)


class _TableBuilder:
    """Collects the rows of one ``%table`` … ``%end`` and checks that they fill the grid."""

    def __init__(self, widths: tuple[int, ...]) -> None:
        self.widths = widths
        self.rows: list[list[Cell]] = []
        self.header_rows = 0
        self.kept: set[int] = set()
        self.body_started = False

    @classmethod
    def start(cls, line: str) -> _TableBuilder:
        words = line.replace(INERT, "").split()
        if words[0] != "%table" or len(words) < 2 or not all(w.isdigit() for w in words[1:]):
            raise _TableError(
                _(
                    "“{line}” should be written “%table WIDTH WIDTH …” (the relative width of each "
                    "column)."
                ).format(line=line)
            )
        widths = tuple(int(w) for w in words[1:])
        if 0 in widths:
            raise _TableError(_("A column width cannot be 0."))
        return cls(widths)

    def add(self, line: str) -> None:
        if line in ("%row", "%header", "%row keep"):
            if line == "%header" and self.body_started:
                raise _TableError(_("Header rows (%header) must come before every %row."))
            self.body_started = self.body_started or line != "%header"
            self.header_rows += line == "%header"
            if line == "%row keep" and self.rows:
                self.kept.add(len(self.rows))
            self.rows.append([])
            return
        if line[0] == INERT:
            if not self.rows or not self.rows[-1]:
                raise _TableError(_("The data of a table belongs inside a cell (| …)."))
            cell = self.rows[-1][-1]
            text = line.replace(INERT, "").strip()
            self.rows[-1][-1] = Cell(cell.text + "\n" + text, cell.span, cell.merged, cell.left)
            return
        match = _CELL.match(line)
        if match is None:
            raise _TableError(
                _("A line of a table should start with |, %row, %header or %end: “{line}”").format(
                    line=line
                )
            )
        if not self.rows:
            raise _TableError(_("A %row is missing before the cells."))
        span, options, text = match.groups()
        if "^" in options and text.replace(INERT, "").strip():
            raise _TableError(
                _("A cell merged with the one above (|^) cannot have text: “{line}”").format(
                    line=line
                )
            )
        self.rows[-1].append(
            Cell(
                text.replace(INERT, "").strip(),
                int(span) if span else 1,
                merged="^" in options,
                left="<" in options,
            )
        )

    def finish(self) -> Table:
        columns = len(self.widths)
        rows: list[tuple[Cell, ...]] = []
        above: dict[int, Cell] = {}  # the cell starting at each column in the previous row
        for number, cells in enumerate(self.rows, start=1):
            column, starts = 0, {}
            finished: list[Cell] = []
            for cell in cells:
                if cell.merged:
                    origin = above.get(column)
                    if origin is None:
                        message = _(
                            "The |^ in row {row}, column {column} has no cell above it that "
                            "starts in the same column."
                        ).format(row=number, column=column + 1)
                        raise _TableError(message)
                    cell = Cell("", origin.span, merged=True, left=origin.left)
                starts[column] = cell
                finished.append(cell)
                column += cell.span
            if column != columns:
                message = _(
                    "The cells of row {row} take {taken} columns, but the table has {columns}."
                ).format(row=number, taken=column, columns=columns)
                raise _TableError(message)
            rows.append(tuple(finished))
            above = starts
        if not rows:
            raise _TableError(_("The table has no rows."))
        return Table(self.widths, tuple(rows), self.header_rows, frozenset(self.kept))


def _parse_line(line: str) -> Block:
    first = line[0]
    if first == INERT:
        return Block(BlockKind.PARAGRAPH, line.replace(INERT, "").strip())
    if first == "=":
        return Block(BlockKind.TITLE, line[1:].strip())
    if first == "^":
        return Block(BlockKind.CENTER, line[1:].strip())
    if first == ">":
        return Block(BlockKind.SIGNATURE, line[1:].strip())
    if first == "@" and "：" in line:
        label, _colon, text = line[1:].partition("：")
        return Block(BlockKind.LABELLED, text.strip(), label=label.strip() + "：")
    match = _HEADING.match(line)
    if match:
        return Block(BlockKind.HEADING, match.group(2).strip(), level=len(match.group(1)))
    return Block(BlockKind.PARAGRAPH, line)


def block_text(block: Block) -> str:
    """The block as one line of plain text, as the .txt writer and ``totext`` show it."""
    return block.number + block.label + block.text
