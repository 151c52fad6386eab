"""The .txt twin of a report: one paragraph a line, readable in a diff."""

from __future__ import annotations

from zpgen.document import BlockKind, Document, block_text

__all__ = ["render_txt"]


def render_txt(document: Document) -> str:
    """A blank line sets off the header, each level-1 heading and each new part; nothing else."""
    lines: list[str] = []
    previous: BlockKind | None = None
    for block in document.blocks:
        if block.kind is BlockKind.BREAK:
            lines.append("")
            previous = block.kind
            continue
        header = block.kind in (BlockKind.TITLE, BlockKind.CENTER)
        starts_section = block.kind is BlockKind.HEADING and block.level == 1
        leaves_header = previous in (BlockKind.TITLE, BlockKind.CENTER) and not header
        if lines and (starts_section or leaves_header) and lines[-1] != "":
            lines.append("")
        lines.append(block_text(block))
        previous = block.kind
    return "\n".join(lines) + "\n"
