"""What a template can use: every variable, in one place.

A project template (``project.j2``, and ``project_table.j2`` for the 自评表 on its own) gets
``unit``, ``year`` and ``project``; a unit template (``unit.j2``, ``unit_table.j2``) gets
``unit``, ``year``, ``projects``, the unit's projects in file-name order (for
``unit_table.j2``, those that have a 自评表), and ``phrases``, the unit's wording (措辞) with the
workspace's and zpgen's defaults, as a unit-wide sentence needs it. ``selftable.j2`` is the
自评表 of one ``project``.
Each project is a ``ProjectView``:

- ``project.data``: the project file (``zpgen.model.schema.Project``): ``name``, ``category``,
  ``purpose``, ``adjustment_reason``, ``goal.expected``, ``goal.achieved``, ``indicators``,
  ``deviation_reasons``, ``improvements``…
- ``project.figures``: the computed figures (``zpgen.figures.budget.Figures``): ``initial``,
  ``adjusted``, ``spent``, ``reduction``, ``increase``, ``execution_rate``, ``fully_spent``,
  ``year``, ``next_year``.
- ``project.score``: the scores (``zpgen.figures.scoring.ScoreSheet``), or None when the indicators
  carry no 分值: ``total`` and ``grade`` (“自评得分为{{ project.score.total }}分，评价等级为
  {{ project.score.grade }}”), ``full_marks`` (100), ``budget`` (``weight``, ``rate``,
  ``score``), ``indicators`` (each with ``indicator``, ``target``, ``actual``, ``weight``,
  ``score``, ``computed``, ``hand_set``, ``outcome``), ``level1_weight(level1)``,
  ``level1_score(level1)``, and ``rows()``: the 自评表's indicator rows in the official order,
  each with ``item`` and the row spans ``level1_rows`` and ``level2_rows`` (0 on a continued row).
- ``project.phrases``: the unit's wording with the project's overrides applied
  (``evaluation_method``, ``overall_assessment``, ``fund_management``, ``result_use``).
- ``project.settings``: the settings in force (``zpgen.model.schema.Settings``), such as
  ``self_table`` (“附在报告后” puts the 自评表 after the narrative).
- ``project.groups(level1)``: the indicators under one 一级指标, as (二级指标, [indicators]) in
  the official order of the 二级指标.
- ``project.table``: its 自评表 as its layout lays it out (``zpgen.render.selftable.TableView``),
  which ``selftable.j2`` draws: ``name``, ``title``, ``report_number``, ``widths``,
  ``signatures`` and ``parts``, each with ``sections`` (``kind``: cells, funds, indicators,
  total or grade), each with ``rows`` (``mark``: %row or %header), each with ``cells`` (``mark``,
  the markup that opens the cell, and ``text``). None when the project has no scores.
- ``project.body``: the project's sections, ``body.j2`` rendered for it; ``project.selftable``:
  its 自评表, ``selftable.j2`` rendered for it. Each is rendered the first time a template asks,
  and kept: the project's own report and its unit's combined report print the same markup
  (``{% include "body.j2" %}`` renders it again, with the including template's variables).

Filters: ``money`` (8.56, 40), ``percent`` (100%, 86.2%), ``score`` (10.91, 20), written as the
settings 金额小数位, 执行率小数位, 得分小数位 and 补零 ask (“8.56”, “100.00%”, “20.00”; an amount
printed without a filter is written as ``money`` writes it); ``clause`` (drops a final 。；，
so a fragment can sit inside a sentence); ``numeral`` (3 → 三, for “项目三”).

Texts that may be written as a list of items (``goal.expected``, ``goal.achieved``,
``evidence``) print as one sentence (“1.甲；2.乙”); their ``lines`` are the numbered items, one a
line, and ``listed`` says whether they were written as a list.

A template reads this data and nothing else: ``readable`` is the allow-list of what each type
offers a template (the sandbox, ``zpgen.render.environment``, asks it for every attribute). Text,
numbers, Decimal, lists and mappings offer their own methods (the sandbox refuses those that change
them); the views and the models above offer their fields and the members documented here;
anything else offers nothing. No path, module or function of zpgen's is reachable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import TypedDict

import jinja2
import jinja2.environment
import jinja2.runtime
import jinja2.utils
from markupsafe import Markup
from pydantic import BaseModel

from zpgen.figures import scoring, targets
from zpgen.figures.budget import Figures
from zpgen.figures.formats import DEFAULT_NUMBERS, NumberFormat
from zpgen.figures.scoring import ScoreSheet
from zpgen.i18n import _
from zpgen.model import schema
from zpgen.model.schema import LEVEL2_BY_LEVEL1, Indicator, Phrases, Project, Settings, Unit
from zpgen.render import selftable
from zpgen.render.selftable import TableView

__all__ = [
    "PART_TEMPLATES",
    "VARIABLES",
    "ProjectContext",
    "ProjectView",
    "UnitContext",
    "attributes",
    "readable",
]

# What project.body and project.selftable render: every report may print them.
BODY_TEMPLATE, SELFTABLE_TEMPLATE = PART_TEMPLATES = ("body.j2", "selftable.j2")


@dataclass(frozen=True, slots=True)
class ProjectView:
    data: Project
    figures: Figures
    score: ScoreSheet | None
    phrases: Phrases
    settings: Settings
    # renders a template for this project (zpgen.builder.planner); the markup it gave, by template
    _render: Callable[[str, ProjectView], str] | None = field(
        default=None, compare=False, repr=False
    )
    _parts: dict[str, Markup] = field(default_factory=dict, compare=False, repr=False)
    _rendering: set[str] = field(default_factory=set, compare=False, repr=False)
    # lays out the project's 自评表 (zpgen.render.selftable), once, when a template asks
    _table: Callable[[], TableView | None] | None = field(default=None, compare=False, repr=False)
    _tables: list[TableView | None] = field(default_factory=list, compare=False, repr=False)
    # how the settings write numbers (金额小数位, 补零…), for every template rendered for it
    _numbers: NumberFormat = field(default=DEFAULT_NUMBERS, compare=False, repr=False)

    @property
    def numbers(self) -> NumberFormat:
        """How this project's reports write their numbers (not for templates: the filters)."""
        return self._numbers

    @property
    def table(self) -> TableView | None:
        if not self._tables:
            self._tables.append(self._table() if self._table is not None else None)
        return self._tables[0]

    @property
    def body(self) -> Markup:
        return self._part(BODY_TEMPLATE)

    @property
    def selftable(self) -> Markup:
        return self._part(SELFTABLE_TEMPLATE)

    def _part(self, template: str) -> Markup:
        """Rendered template text is Markup: printed as it is, its data already made inert."""
        found = self._parts.get(template)
        if found is None:
            if self._render is None:
                raise RuntimeError(f"this project view cannot render {template}")
            if template in self._rendering:
                message = _(
                    "{template} prints its own output (project.body or project.selftable, "
                    "directly or through another template): it would never end."
                )
                raise jinja2.TemplateRuntimeError(message.format(template=template))
            self._rendering.add(template)
            try:
                found = self._parts[template] = Markup(self._render(template, self))
            finally:
                self._rendering.discard(template)
        return found

    def groups(self, level1: str) -> list[tuple[str, list[Indicator]]]:
        """The indicators under one 一级指标, grouped by 二级指标 in the official order."""
        by_level2: dict[str, list[Indicator]] = {}
        for indicator in self.data.indicators:
            if indicator.level1 == level1:
                by_level2.setdefault(indicator.level2, []).append(indicator)
        order = LEVEL2_BY_LEVEL1.get(level1, ())
        return [(level2, by_level2[level2]) for level2 in order if level2 in by_level2]


# Every variable a template can use: the contexts' keys.
VARIABLES = ("unit", "year", "project", "projects")


class ProjectContext(TypedDict):
    unit: Unit
    year: int
    project: ProjectView


class UnitContext(TypedDict):
    unit: Unit
    year: int
    projects: list[ProjectView]
    phrases: Phrases


# --- what a template may read --------------------------------------------------------------------

# Types whose every public attribute a template may read (the sandbox refuses the methods that
# would change a list or a mapping): text (EvaluationDate, Markup), numbers, lists, mappings.
_VALUES = (str, int, float, Decimal, list, tuple, dict)
# Members beyond the fields, as documented above.
_MEMBERS: dict[type, frozenset[str]] = {
    ProjectView: frozenset({"body", "selftable", "groups", "table"}),
    Figures: frozenset({"fully_spent", "increase"}),
    ScoreSheet: frozenset({"level1_weight", "level1_score", "rows"}),
    scoring.IndicatorScore: frozenset({"hand_set", "lost"}),
    scoring.BudgetScore: frozenset(),
    scoring.TableRow: frozenset(),
    targets.Target: frozenset(),
    selftable.TableView: frozenset(),
    selftable.TablePart: frozenset(),
    selftable.SectionView: frozenset(),
    selftable.RowView: frozenset({"markup"}),
    selftable.CellView: frozenset(),
}

# Jinja's own objects a template makes: loops, namespaces, imported templates, macros.
_JINJA: dict[type, frozenset[str] | None] = {
    jinja2.runtime.LoopContext: None,
    jinja2.utils.Namespace: None,
    jinja2.utils.Cycler: None,
    jinja2.utils.Joiner: frozenset(),
    jinja2.environment.TemplateModule: None,
    jinja2.runtime.TemplateReference: frozenset(),
    jinja2.runtime.BlockReference: frozenset({"super"}),
    jinja2.runtime.Macro: frozenset({"name", "arguments", "catch_kwargs", "catch_varargs"}),
}


def attributes(cls: type) -> list[str]:
    """What a template may read of an object of type ``cls``, for a did-you-mean (the
    documented attributes; [] for text, numbers and lists, which offer their methods)."""
    allowed = _allowed(cls)
    return sorted(allowed) if allowed is not None else []


def readable(cls: type, attribute: str) -> bool:
    """Whether a template may read ``attribute`` of an object of type ``cls``."""
    if attribute.startswith("_"):
        return False
    allowed = _allowed(cls)
    return allowed is None or attribute in allowed


@cache
def _allowed(cls: type) -> frozenset[str] | None:
    """The attributes a template may read of ``cls`` (None: every public one)."""
    if issubclass(cls, Enum):
        return frozenset({"value", "name"})
    if issubclass(cls, _VALUES):
        return None
    if cls in _JINJA:
        return _JINJA[cls]
    if issubclass(cls, BaseModel) and cls.__module__ == schema.__name__:
        return frozenset(cls.model_fields)
    if cls in _MEMBERS:
        own = {f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")}  # type: ignore[arg-type]
        return frozenset(own) | _MEMBERS[cls]
    return frozenset()
