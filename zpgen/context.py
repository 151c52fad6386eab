"""What a template can use: every variable, in one place.

A project template (``project.j2``, and ``project_table.j2`` for the 自评表 on its own) gets
``unit``, ``year`` and ``project``; a unit template (``unit.j2``, ``unit_table.j2``) gets
``unit``, ``year`` and ``projects``, the unit's projects in file-name order (for
``unit_table.j2``, those that have a 自评表). ``selftable.j2`` is the 自评表 of one ``project``.
Each project is a ``ProjectView``:

- ``project.data``: the project file (``zpgen.model.Project``): ``name``, ``category``,
  ``purpose``, ``adjustment_reason``, ``goal.expected``, ``goal.achieved``, ``indicators``,
  ``deviation_reasons``, ``improvements``…
- ``project.figures``: the computed figures (``zpgen.figures.Figures``): ``initial``,
  ``adjusted``, ``spent``, ``reduction``, ``increase``, ``execution_rate``, ``fully_spent``,
  ``year``, ``next_year``.
- ``project.score``: the scores (``zpgen.scoring.ScoreSheet``), or None when the indicators
  carry no 分值: ``total`` and ``grade`` (“自评得分为{{ project.score.total }}分，评价等级为
  {{ project.score.grade }}”), ``full_marks`` (100), ``budget`` (``weight``, ``rate``,
  ``score``), ``indicators`` (each with ``indicator``, ``target``, ``actual``, ``weight``,
  ``score``, ``computed``, ``hand_set``, ``outcome``), ``level1_weight(level1)``,
  ``level1_score(level1)``, and ``rows()``: the 自评表's indicator rows in the official order,
  each with ``item`` and the row spans ``level1_rows`` and ``level2_rows`` (0 on a continued row).
- ``project.phrases``: the unit's wording with the project's overrides applied
  (``evaluation_method``, ``overall_assessment``, ``fund_management``, ``result_use``).
- ``project.settings``: the settings in force (``zpgen.model.Settings``), such as
  ``self_table`` (“附在报告后” puts the 自评表 after the narrative).
- ``project.groups(level1)``: the indicators under one 一级指标, as (二级指标, [indicators]) in
  the official order of the 二级指标.

Filters: ``money`` (8.56, 40), ``percent`` (100%, 86.2%), ``clause`` (drops a final 。；，
so a fragment can sit inside a sentence).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from zpgen.figures import Figures
from zpgen.model import LEVEL2_BY_LEVEL1, Indicator, Phrases, Project, Settings, Unit
from zpgen.scoring import ScoreSheet

__all__ = ["ProjectContext", "ProjectView", "UnitContext"]


@dataclass(frozen=True, slots=True)
class ProjectView:
    data: Project
    figures: Figures
    score: ScoreSheet | None
    phrases: Phrases
    settings: Settings
    file: Path

    def groups(self, level1: str) -> list[tuple[str, list[Indicator]]]:
        """The indicators under one 一级指标, grouped by 二级指标 in the official order."""
        order = LEVEL2_BY_LEVEL1.get(level1, ())
        mine = [i for i in self.data.indicators if i.level1 == level1]
        return [
            (level2, [i for i in mine if i.level2 == level2])
            for level2 in order
            if any(i.level2 == level2 for i in mine)
        ]


class ProjectContext(TypedDict):
    unit: Unit
    year: int
    project: ProjectView


class UnitContext(TypedDict):
    unit: Unit
    year: int
    projects: list[ProjectView]
