"""What an imported file holds, whatever its format: paragraphs and grids, each with its place.

A Word document gives its paragraphs (with their style names) and its tables in document order,
a text file one paragraph a line, a workbook one grid a sheet. Every piece carries where it came
from (第7段, 第7行, 表2第3行第4列, Sheet1!D5), which the import prints beside the key it filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Block", "Grid", "GridCell", "Paragraph", "Source"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph (a line of a text file); ``style`` is its Word style name, if any."""

    text: str
    where: str
    style: str = ""


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell of a grid. A merged cell is repeated over every position it covers, with the
    same ``origin`` (its top-left position), so a reader can tell a merge from equal texts."""

    text: str
    where: str
    origin: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Grid:
    """A table (Word) or a sheet (Excel): rows of cells, merged cells repeated."""

    rows: tuple[tuple[GridCell, ...], ...]
    where: str


Block = Paragraph | Grid


@dataclass(frozen=True, slots=True)
class Source:
    """One file read: its blocks in document order."""

    path: Path
    kind: str  # "docx", "txt" or "xlsx"
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def grids(self) -> list[Grid]:
        return [b for b in self.blocks if isinstance(b, Grid)]
