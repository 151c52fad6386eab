"""What an import has read so far: values with their places, before they become YAML.

Every value keeps where it was read (``where``) and, when it was inferred rather than read
outright, why (``note``: it becomes a ``# 待核对：`` comment). A key read twice keeps the first
value; a second one that disagrees is recorded beside it, never dropped.

Keys are the YAML keys of the files zpgen reads, in Chinese (``年初预算数``,
``年度总体目标.实际完成情况``, ``措辞.自评方式``); an indicator's keys are its own (``三级指标``).
A few keys are not written but checked against what is: ``年度`` (the budget year the text
names), ``提及.项目名称`` and ``提及.年度`` (a name or year a sentence repeats), and the
figures a report prints (``印.执行率``, ``印.调减``…), compared with the figures zpgen computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zpgen.i18n import _

__all__ = [
    "MENTION",
    "PRINTED",
    "UNIT_KEYS",
    "YEAR",
    "Conflict",
    "IndicatorDraft",
    "ProjectDraft",
    "UnitDraft",
    "Value",
]

YEAR = "年度"
MENTION = "提及."
PRINTED = "印."
UNIT_KEYS = ("单位名称", "主管部门", "评价时间", "财政部门", "公开网站")


@dataclass
class Value:
    """A value to write: its text, where it was read, and why to check it (if inferred)."""

    text: str
    where: str
    note: str = ""


@dataclass(frozen=True)
class Conflict:
    """Two places that give one key different values; the first is kept."""

    key: str
    kept: Value
    other: Value

    def message(self) -> str:
        """What the import says of it: which place gave what, and which value it kept."""
        return _(
            "{other} gives “{found}”, {kept} gives “{value}”: the value of {kept} is kept"
        ).format(
            other=self.other.where,
            found=self.other.text,
            kept=self.kept.where,
            value=self.kept.text,
        )


class _Fields:
    """A mapping of key → Value that keeps the first value of a key and records conflicts."""

    def __init__(self) -> None:
        self.values: dict[str, Value] = {}
        self.conflicts: list[Conflict] = []

    def set(self, key: str, value: Value) -> None:
        known = self.values.get(key)
        if known is None:
            self.values[key] = value
        elif known.text == value.text:
            if known.note and not value.note:  # read outright beats inferred
                self.values[key] = value
        else:
            self.conflicts.append(Conflict(key, known, value))

    def append(self, key: str, value: Value) -> None:
        """Add a paragraph to a text of several paragraphs."""
        known = self.values.get(key)
        if known is None:
            self.values[key] = value
        else:
            known.text += "\n" + value.text

    def get(self, key: str) -> Value | None:
        return self.values.get(key)

    def text(self, key: str) -> str | None:
        found = self.values.get(key)
        return found.text if found is not None else None


@dataclass
class IndicatorDraft(_Fields):
    """One 三级指标, from a paragraph of the report, a row of a 自评表, or both."""

    printed_score: Value | None = None

    def __post_init__(self) -> None:
        _Fields.__init__(self)


@dataclass
class ProjectDraft(_Fields):
    """One project as read: its values, indicators, fund rows, and what could not be placed."""

    indicators: list[IndicatorDraft] = field(default_factory=list)
    funds: dict[str, dict[str, Value]] = field(default_factory=dict)  # 资金来源
    mentions: list[tuple[str, Value]] = field(default_factory=list)
    unplaced: list[Value] = field(default_factory=list)
    checks: list[tuple[str, str]] = field(default_factory=list)  # (key, note) to check
    disagreements: list[tuple[str, str]] = field(default_factory=list)  # (key, what differs)
    level3_numbered: list[bool] = field(default_factory=list)
    narrative: bool = False  # read from a report's text
    table: bool = False  # read from a 自评表
    table_after_narrative: bool = False  # the 自评表 follows the report in one file
    outline: str = ""

    def __post_init__(self) -> None:
        _Fields.__init__(self)

    @property
    def name(self) -> str:
        return self.text("项目名称") or ""


@dataclass
class UnitDraft(_Fields):
    """The unit's values, and the paragraphs outside every project."""

    unplaced: list[Value] = field(default_factory=list)

    def __post_init__(self) -> None:
        _Fields.__init__(self)
