"""The .txt twin of a report: one paragraph a line, readable in a diff."""

from __future__ import annotations

from zpgen.render.markup import Block, BlockKind, Document, Table, block_text
from zpgen.write.texttable import render_tables

__all__ = ["render_txt"]


def render_txt(document: Document) -> str:
    """A blank line sets off the header, each level-1 heading, each new part and each table."""
    lines: list[str] = []
    previous: BlockKind | None = None
    tables: list[Table] = []  # tables in a row with the same columns, drawn as one grid
    for block in document.blocks:
        if tables and not _joins(tables, block):
            _blank(lines)
            lines.extend(render_tables(tables))
            lines.append("")
            tables = []
        if block.table is not None:
            tables.append(block.table)
            previous = block.kind
            continue
        if block.kind is BlockKind.BREAK:
            _blank(lines)
            previous = block.kind
            continue
        header = block.kind in (BlockKind.TITLE, BlockKind.CENTER)
        starts_section = block.kind is BlockKind.HEADING and block.level == 1
        leaves_header = previous in (BlockKind.TITLE, BlockKind.CENTER) and not header
        if starts_section or leaves_header:
            _blank(lines)
        lines.append(block_text(block))
        previous = block.kind
    if tables:
        _blank(lines)
        lines.extend(render_tables(tables))
    return "\n".join(lines) + "\n"


def _joins(tables: list[Table], block: Block) -> bool:
    return block.table is not None and block.table.widths == tables[0].widths


def _blank(lines: list[str]) -> None:
    if lines and lines[-1] != "":
        lines.append("")
