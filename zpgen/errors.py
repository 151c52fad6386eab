"""The one error type for everything a user can cause, and the problems it carries."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

__all__ = ["ERROR", "WARNING", "Problem", "Severity", "UsageError", "ZpgenError"]


class Severity(str, Enum):
    """An error keeps a report from being written; a warning does not (but with --strict)."""

    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity.ERROR, Severity.WARNING


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
    severity: Severity = ERROR
    rule: str = ""

    def place(self, file: str) -> str:
        """Where the problem is: ``file:line:column [key]`` as far as known, the file written as
        ``file`` (the CLI gives it from the current folder)."""
        where = file
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return where + (f" [{self.key}]" if self.key else "")

    def __str__(self) -> str:
        return f"{self.place(str(self.file) if self.file else 'zpgen')}: {self.message}"


class ZpgenError(Exception):
    """Raised with every problem found, never only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("ZpgenError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(
        cls, file: Path | None, message: str, *, line: int = 0, column: int = 0, key: str = ""
    ) -> ZpgenError:
        return cls([Problem(file, message, line, column, key)])


class UsageError(ZpgenError):
    """The command line names something zpgen cannot work on (exit code 2, not 1)."""
