"""What a template can reach: inert data only, whatever it asks for."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup
from pydantic import BaseModel

from zpgen.builder.planner import Planner, UnitPlan
from zpgen.errors import ZpgenError
from zpgen.figures.budget import Figures
from zpgen.figures.scoring import BudgetScore, IndicatorScore, ScoreSheet, TableRow
from zpgen.figures.targets import Target
from zpgen.model import schema as model
from zpgen.model.schema import Indicator, Project, Unit
from zpgen.model.workspace import load_workspace
from zpgen.render.context import ProjectView, readable
from zpgen.render.environment import Renderer
from zpgen.render.selftable import CellView, RowView, SectionView, TablePart, TableView
from zpgen.resources import builtin_templates

from .conftest import ROOT

# What a value reachable from a template may be: text, numbers, Decimal, booleans, None, lists,
# mappings, and zpgen's documented views and models.
INERT = (str, int, float, bool, Decimal, type(None), list, tuple, dict, Markup, Enum)
VIEWS = {
    ProjectView,
    Figures,
    ScoreSheet,
    IndicatorScore,
    BudgetScore,
    TableRow,
    Target,
    TableView,
    TablePart,
    SectionView,
    RowView,
    CellView,
    *(m for m in vars(model).values() if isinstance(m, type) and issubclass(m, BaseModel)),
}


def seed_views() -> tuple[Unit, list[ProjectView]]:
    """The seed's unit and its projects as the templates see them, through the real planner."""
    space = load_workspace(ROOT)
    views: list[ProjectView] = []
    renderer = Renderer(space.search_path(), space.limits)

    class Capturing(Planner):
        def _render_unit(self, unit: Unit, year: int, found: list[ProjectView], folder: Path):  # type: ignore[no-untyped-def]
            views.extend(found)
            return super()._render_unit(unit, year, found, folder)

    from zpgen.load.sources import find_sources

    (source,), _ = find_sources(space.root, [], data=space.data)
    planned: UnitPlan = Capturing(space, renderer).plan_unit(source)
    assert planned.unit is not None and len(views) == 3
    return planned.unit, views


def reachable(root: Any, environment: jinja2.Environment) -> Iterator[tuple[str, Any]]:
    """Every value a template can reach from ``root`` by attributes, items and the documented
    methods (called as templates call them), with the path that reaches it."""
    seen: set[int] = set()
    pending: list[tuple[str, Any]] = [("root", root)]
    while pending:
        path, value = pending.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        yield path, value
        if isinstance(value, (str, int, float, Decimal, type(None), Enum)):
            continue
        if isinstance(value, dict):
            pending.extend((f"{path}[{k!r}]", v) for k, v in value.items())
            continue
        if isinstance(value, (list, tuple)):
            pending.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
            continue
        for name in dir(value):
            if not environment.is_safe_attribute(value, name, None):  # type: ignore[attr-defined]
                continue
            try:
                attribute = getattr(value, name)
            except Exception:  # a property that needs a render: body, selftable
                continue
            if callable(attribute):
                attribute = call_documented(name, attribute)
                if attribute is None:
                    continue
            pending.append((f"{path}.{name}", attribute))


def call_documented(name: str, method: Any) -> Any:
    """A documented method's result, called as the built-in templates call it."""
    if name in ("groups",):
        return [method(level1) for level1 in ("产出指标", "效益指标", "满意度指标")]
    if name in ("level1_weight", "level1_score"):
        return [method("产出指标")]
    if name == "rows":
        return method()
    return None  # a method of text, a number or a list: it returns text, numbers or lists


def test_everything_a_template_reaches_is_inert() -> None:
    unit, views = seed_views()
    environment = Renderer([builtin_templates()]).environment
    found = 0
    for root in (unit, *views):
        for path, value in reachable(root, environment):
            found += 1
            inert = isinstance(value, INERT) or type(value) in VIEWS
            assert inert, f"{path} is a {type(value)!r}"
            assert not isinstance(value, Path), path
    assert found > 200, "the walk reached the data"


@pytest.mark.parametrize(
    ("cls", "attribute", "allowed"),
    [
        (ProjectView, "data", True),
        (ProjectView, "groups", True),
        (ProjectView, "_render", False),
        (Project, "indicators", True),
        (Project, "model_dump", False),
        (Project, "model_fields", False),
        (Project, "model_validate", False),
        (Indicator, "target", True),
        (str, "upper", True),
        (Path, "read_text", False),
        (type, "mro", False),
    ],
)
def test_the_allow_list(cls: type, attribute: str, allowed: bool) -> None:
    assert readable(cls, attribute) is allowed


@pytest.mark.parametrize(
    "expression",
    [
        "project.data.model_dump()",
        "project.data.__class__",
        "project.groups.__func__",
        "unit.model_config",
        "project.figures.__class__.__init__.__globals__",
        "cycler.__init__.__globals__",
        "''.__class__.__mro__",
        "self._TemplateReference__context",
    ],
)
def test_a_template_cannot_leave_the_data(expression: str, tmp_path: Path) -> None:
    unit, views = seed_views()
    (tmp_path / "t.j2").write_text("{{ " + expression + " }}\n", encoding="utf-8")
    renderer = Renderer([tmp_path, builtin_templates()])
    with pytest.raises(ZpgenError) as caught:
        renderer.render("t.j2", {"unit": unit, "year": 2023, "project": views[0]}, tmp_path)
    assert "t.j2:1" in str(caught.value)
