"""The document structure both writers render, and the line markup templates produce it with.

A template renders to *markup*: one block per line, the kind given by the line's first characters.

=========  ==========================================================
``= T``    title (GB/T 9704: 2号小标宋, centred)
``^ T``    a centred line (the unit's name above the title, a subtitle)
``# T``    heading, level 1 to 4 by the number of ``#``; zpgen adds the
           number (一、 （一） 1. （1）), so numbering stays right when a
           template leaves a section out
``@L：T``  labelled paragraph: the label runs up to the first "："
``> T``    right-aligned line (落款: the unit's name and the date)
``---``    a new part: a page break in the .docx, numbering starts again
other      a plain paragraph
=========  ==========================================================

Blank lines are ignored. Values that templates insert are escaped (see ``escape_value``): data
can never turn a line into a heading, a title or a page break, however it starts or breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "Block",
    "BlockKind",
    "Document",
    "DocumentMeta",
    "Numbering",
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


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the document. ``number`` is the heading's number ("一、"), else ""."""

    kind: BlockKind
    text: str = ""
    level: int = 0
    number: str = ""
    label: str = ""


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


# Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; surrogates;
# U+FFFE/U+FFFF), and the C1 controls and DEL, which XML allows but no report text means.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Inserted values start with this mark, and so does every line after a break inside a value: a
# line that starts with it is a plain paragraph. The model refuses it in data (XML cannot hold it).
INERT = "\x01"
_HEADING = re.compile(r"^(#{1,4}) ?(.*)$")


def escape_value(text: str) -> str:
    """Make inserted data inert: wherever a line starts with data, it is a plain paragraph."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return INERT + lines.replace("\n", "\n" + INERT)


def parse_markup(markup: str, meta: DocumentMeta, numbering: Numbering) -> Document:
    """Turn rendered markup into blocks, numbering the headings."""
    blocks: list[Block] = []
    counters = [0, 0, 0, 0]
    for raw in markup.split("\n"):
        line = raw.strip()
        if not line.replace(INERT, "").strip():
            continue
        if line == "---":
            blocks.append(Block(BlockKind.BREAK))
            counters = [0, 0, 0, 0]
            continue
        block = _parse_line(line.replace(INERT, "") if line[0] != INERT else line)
        if block.kind is BlockKind.HEADING:
            index = block.level - 1
            counters[index] += 1
            counters[index + 1 :] = [0] * (3 - index)
            if numbering.numbered[index]:
                number = heading_number(block.level, counters[index])
                block = Block(BlockKind.HEADING, block.text, block.level, number)
        blocks.append(block)
    return Document(meta, tuple(blocks))


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
        label, _, text = line[1:].partition("：")
        return Block(BlockKind.LABELLED, text.strip(), label=label.strip() + "：")
    match = _HEADING.match(line)
    if match:
        return Block(BlockKind.HEADING, match.group(2).strip(), level=len(match.group(1)))
    return Block(BlockKind.PARAGRAPH, line)


def block_text(block: Block) -> str:
    """The block as one line of plain text, as the .txt writer and ``totext`` show it."""
    return block.number + block.label + block.text
