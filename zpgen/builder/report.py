"""What a build reports: each file it wrote with its status, what failed, every problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.errors import ERROR, Problem
from zpgen.write.atomic import Status

__all__ = ["BuildReport", "Progress", "Step"]


@dataclass
class BuildReport:
    """What a build wrote (each file with its status), what failed, and every problem it met.

    ``failures``: the project files (or unit folders) whose reports could not be made.
    ``stale``: outputs whose project is gone; ``removed``: those of them deleted (``prune``).
    """

    written: list[tuple[Path, Status]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failures: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


# Called after each unit: (units done, units in all, the unit's folder).
@dataclass(frozen=True)
class Step:
    """A unit finished: the projects done so far and in all, the unit's folder, what it wrote."""

    done: int
    total: int
    folder: Path
    written: list[tuple[Path, Status]]


Progress = Callable[[Step], None]
