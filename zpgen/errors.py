"""The one error type for everything a user can cause, and the problems it carries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ERROR", "WARNING", "Problem", "UsageError", "ZpgenError"]

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where it is, and what to do about it.

    ``line`` and ``column`` count from 1; 0 means the position is not known (a whole file).
    ``key`` is the path of the value in the file, such as ``绩效指标[2].实际完成值``.
    ``rule`` is the id of the consistency check that found it (``zpgen/checks``), "" for the
    problems that reading and validating the files find.
    """

    file: Path | None
    message: str
    line: int = 0
    column: int = 0
    key: str = ""
    severity: str = ERROR  # ERROR or WARNING
    rule: str = ""

    def location(self) -> str:
        """``file:line:column`` as far as known."""
        parts = [str(self.file) if self.file else "<zpgen>"]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        key = f" [{self.key}]" if self.key else ""
        return f"{self.location()}{key}: {self.message}"


class ZpgenError(Exception):
    """Raised with every problem found, never only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("ZpgenError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: Path | None, message: str, **where: int | str) -> ZpgenError:
        line = where.get("line", 0)
        column = where.get("column", 0)
        key = where.get("key", "")
        return cls([Problem(file, message, int(line), int(column), str(key))])


class UsageError(ZpgenError):
    """The command line names something zpgen cannot work on (exit code 2, not 1)."""
