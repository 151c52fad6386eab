"""The registry of consistency checks, what a check sees, and the runner.

A check is a function of one ``Subject`` (a project file with its unit, or the unit file itself)
that yields ``Finding``s; ``@rule`` registers it under a stable id with its severity and a one-line
summary. ``run_checks`` runs every rule that the unit and the project have not switched off
(``关闭检查``) and turns the findings into problems at their place in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar, cast

from pydantic import BaseModel

from zpgen.errors import ERROR, Problem, Severity
from zpgen.figures.budget import Figures
from zpgen.figures.scoring import Scoring
from zpgen.i18n import _
from zpgen.load.yaml_file import KeyPath, Located
from zpgen.model.explain import suggest
from zpgen.model.keys import spelled_path
from zpgen.model.schema import DisabledCheck, Project, Unit
from zpgen.model.values import Items

__all__ = [
    "RULES",
    "Finding",
    "Rule",
    "Subject",
    "TextField",
    "UnitProjects",
    "rule",
    "run_checks",
]


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check found: where (a key path, and a character of its text) and what to do."""

    path: KeyPath
    message: str
    offset: int | None = None  # the character of the text value at ``path`` it is about


@dataclass(frozen=True, slots=True)
class TextField:
    """One text value of a file: its key path as written, its text, its field's English name."""

    path: KeyPath
    text: str
    name: str


T = TypeVar("T")


class UnitProjects(tuple[Project, ...]):
    """The unit's projects read in one run (a build of one project reads only that one), in file
    order: what the checks that compare projects see. One object serves all the unit's subjects,
    and keeps what a check works out from all of the projects (``shared``), once for the unit."""

    def shared(self, make: Callable[[UnitProjects], T]) -> T:
        """``make(self)``, made once for these projects."""
        made: dict[Callable[[UnitProjects], Any], Any] = self.__dict__.setdefault("_made", {})
        if make not in made:
            made[make] = make(self)
        return cast(T, made[make])


@dataclass(frozen=True)
class Subject:
    """One file to check: a project (``project`` set) or the unit file (``project`` None)."""

    located: Located
    unit: Unit
    project: Project | None = None
    figures: Figures | None = None
    others: tuple[str, ...] = ()  # the names of the unit's other projects
    year: int | None = None  # the budget year (the year folder's)
    projects: UnitProjects = field(default_factory=UnitProjects)
    scoring: Scoring | None = None  # the project's scores, and what keeps them from being right
    # the fund sources the project's 自评表 has rows for (None: no table is made)
    fund_rows: tuple[str, ...] | None = None

    @property
    def model(self) -> BaseModel:
        return self.project if self.project is not None else self.unit

    def texts(self) -> tuple[TextField, ...]:
        """Every text value of the file (but the 关闭检查 entries), in file order."""
        return self._texts

    @cached_property
    def _texts(self) -> tuple[TextField, ...]:  # every text rule reads them: found once
        return tuple(_texts(self.model, self.located.data, ()))

    def text_at(self, path: KeyPath) -> str | None:
        """The text value at ``path``, if the file has one there."""
        return self._by_path.get(path)

    @cached_property
    def _by_path(self) -> dict[KeyPath, str]:
        return {text.path: text.text for text in self.texts()}

    def amounts(self) -> Iterator[tuple[KeyPath, str]]:
        """Every amount of the file: its key path and its text as written."""
        yield from _amounts(self.model, self.located.data, ())

    def path(self, *steps: str | int) -> KeyPath:
        """The key path of English field names (and list indices) as the file spells it."""
        return spelled_path(self.located.data, type(self.model), *steps)


def _spelled(model: BaseModel, raw: Any) -> Iterator[tuple[str, str, Any, Any]]:
    """(field name, key as written, value, raw value) for each field the file writes, and for
    each entry of a model that takes any key (资金来源's named rows: its key for a name)."""
    if not isinstance(raw, dict):
        return
    for name, info in type(model).model_fields.items():
        key = info.alias if info.alias in raw else name if name in raw else None
        if key is not None and name != "disabled_checks":
            yield name, key, getattr(model, name), raw[key]
    for key, value in (model.model_extra or {}).items():
        if key in raw:
            yield key, key, value, raw[key]


def _texts(model: BaseModel, raw: Any, path: KeyPath) -> Iterator[TextField]:
    for name, key, value, raw_value in _spelled(model, raw):
        here = (*path, key)
        if isinstance(value, Items) and value.listed and isinstance(raw_value, list):
            for index, item in enumerate(value.items):  # each item, where the file has it
                yield TextField((*here, index), item, name)
        elif isinstance(value, str):
            yield TextField(here, value, name)
        elif isinstance(value, dict) and isinstance(raw_value, dict):  # 附加: name → text
            for entry, text in value.items():
                if isinstance(text, str) and entry in raw_value:
                    yield TextField((*here, entry), text, name)
        elif isinstance(value, BaseModel):
            yield from _texts(value, raw_value, here)
        elif isinstance(value, (list, tuple)) and isinstance(raw_value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _texts(item, raw_value[index], (*here, index))


def _amounts(model: BaseModel, raw: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    for _name, key, value, raw_value in _spelled(model, raw):
        here = (*path, key)
        if isinstance(value, Decimal) and isinstance(raw_value, str):
            yield here, raw_value
        elif isinstance(value, BaseModel):
            yield from _amounts(value, raw_value, here)
        elif isinstance(value, (list, tuple)) and isinstance(raw_value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _amounts(item, raw_value[index], (*here, index))


RuleFunction = Callable[[Subject], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # an English msgid, marked with N_; shown translated
    function: RuleFunction
    switchable: bool = True  # False: what it finds keeps a report from being right


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, summary: str, *, switchable: bool = True
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a check under a stable id (never reuse or rename one: data switches it off).
    A check that is not ``switchable`` finds what keeps a report from being right: 关闭检查
    cannot silence it."""

    def register(function: RuleFunction) -> RuleFunction:
        if rule_id in RULES:
            raise ValueError(f"two checks share the id {rule_id!r}")
        RULES[rule_id] = Rule(rule_id, severity, summary, function, switchable)
        return function

    return register


def run_checks(subject: Subject) -> list[Problem]:
    """Every finding of every rule not switched off, and every unknown rule in 关闭检查."""
    problems: list[Problem] = []
    disabled: set[str] = set()
    for owner in (subject.unit, subject.project):
        if owner is None:
            continue
        for index, entry in enumerate(owner.disabled_checks):
            disabled.add(entry.rule)
            mine = owner is subject.model
            if mine and entry.rule not in RULES:
                problems.append(_unknown_rule(subject, index, entry))
            elif mine and not RULES[entry.rule].switchable:
                problems.append(_not_switchable(subject, index, entry))
    for found in RULES.values():
        if found.id in disabled and found.switchable:
            continue
        for finding in found.function(subject):
            problems.append(_problem(subject, found, finding))
    return problems


def _problem(subject: Subject, found: Rule, finding: Finding) -> Problem:
    offset = finding.offset if _verbatim(subject, finding.path) else None
    problem = subject.located.problem(finding.path, finding.message, found.severity, offset=offset)
    return replace(problem, rule=found.id)


def _verbatim(subject: Subject, path: KeyPath) -> bool:
    """Whether the model's text at ``path`` is the file's text (offsets then match)."""
    raw: Any = subject.located.data
    for step in path:
        if isinstance(raw, dict) and isinstance(step, str):
            raw = raw.get(step)
        elif isinstance(raw, list) and isinstance(step, int) and step < len(raw):
            raw = raw[step]
        else:
            return False
    return isinstance(raw, str) and subject.text_at(path) == raw


def _not_switchable(subject: Subject, index: int, entry: DisabledCheck) -> Problem:
    message = _(
        "The check “{rule}” cannot be switched off: what it finds keeps the report from being "
        "right. Correct the data instead."
    ).format(rule=entry.rule)
    return subject.located.problem(subject.path("disabled_checks", index, "rule"), message, ERROR)


def _unknown_rule(subject: Subject, index: int, entry: DisabledCheck) -> Problem:
    close = suggest(entry.rule, list(RULES))
    if close is not None:
        message = _("There is no check “{rule}”: did you mean “{suggestion}”?").format(
            rule=entry.rule, suggestion=close
        )
    else:
        message = _("There is no check “{rule}”. The checks are: {rules}.").format(
            rule=entry.rule, rules=", ".join(RULES)
        )
    return subject.located.problem(subject.path("disabled_checks", index, "rule"), message, ERROR)
