"""``zpgen new-year``: next year's data from this year's, with what must be re-entered marked.

Each unit folder of the source year is copied into the new year, file by file, as text: comments,
key order and wording stay as the analyst wrote them. What only this year's facts can fill (the
amounts, the actual values, the narratives, a qualitative indicator's 评价档次, the evaluation
date) becomes ``待填``; where last year
offers a sensible start it follows the mark as a suggestion (``年初预算数: 待填 8.56``: last year's
全年执行数, the basis the seed's 改进措施 asks for). Explanations that belonged to last year's
deviations (预算调整原因, 偏差原因, 偏离原因, 改进措施, an indicator's 得分 and 得分说明) are
emptied. Everything else is kept (an indicator's 分值 with its 年度指标值),
and what is kept but worth a look (goals, targets, text naming last year) is listed for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import yaml
from pydantic import BaseModel

from zpgen.errors import Problem, ZpgenError
from zpgen.i18n import _
from zpgen.limits import DEFAULT_LIMITS, Limits
from zpgen.load.sources import UNIT_FILE, check_year, project_files
from zpgen.load.yaml_file import KeyPath, format_key, parse_yaml, read_yaml
from zpgen.model.keys import field_of, inner_model
from zpgen.model.placeholders import PLACEHOLDER, placeholder_text
from zpgen.model.schema import EvaluationDate, FundAmounts, FundSources, Project, Unit
from zpgen.write.atomic import confinement_problem, write_output

__all__ = ["NewFile", "NewYearReport", "new_year"]


class _Action(Enum):
    FILL = "fill"  # 待填
    FILL_FROM_SPENT = "fill_from_spent"  # 待填 <the 全年执行数 beside it>
    FILL_DATE = "fill_date"  # 待填 <the date a year on>
    CLEAR = "clear"  # emptied: optional, only needed when this year's facts call for it
    REVIEW = "review"  # kept, and listed for the analyst to check


# Canonical (field-name) paths; "*" matches any list index or mapping key.
_UNIT_RULES: dict[tuple[str, ...], _Action] = {
    ("evaluation_date",): _Action.FILL_DATE,
}
_PROJECT_RULES: dict[tuple[str, ...], _Action] = {
    ("initial_budget",): _Action.FILL_FROM_SPENT,
    ("adjusted_budget",): _Action.FILL,
    ("spent",): _Action.FILL,
    ("adjustment_reason",): _Action.CLEAR,
    ("fund_sources", "*", "initial"): _Action.FILL_FROM_SPENT,
    ("fund_sources", "*", "adjusted"): _Action.FILL,
    ("fund_sources", "*", "spent"): _Action.FILL,
    ("goal", "expected"): _Action.REVIEW,
    ("goal", "achieved"): _Action.FILL,
    ("indicators", "*", "target"): _Action.REVIEW,
    ("indicators", "*", "actual"): _Action.FILL,
    ("indicators", "*", "narrative"): _Action.FILL,
    ("indicators", "*", "tier"): _Action.FILL,  # this year's judgment of a qualitative indicator
    ("indicators", "*", "score"): _Action.CLEAR,  # and its 得分, or a hand-set one
    ("indicators", "*", "score_reason"): _Action.CLEAR,
    ("indicators", "*", "deviation"): _Action.CLEAR,
    ("deviation_reasons",): _Action.CLEAR,
    ("improvements",): _Action.CLEAR,
    ("report_number",): _Action.CLEAR,  # a new report gets a new number
    ("conclusion",): _Action.CLEAR,
    ("problems",): _Action.CLEAR,
    ("lessons",): _Action.CLEAR,
    ("other_matters",): _Action.CLEAR,
    ("implementation",): _Action.FILL,
    ("evidence",): _Action.REVIEW,
    ("fund_document",): _Action.REVIEW,
}


@dataclass
class NewFile:
    """One file of the new year: what to fill in (key, suggestion) and what to review."""

    source: Path
    path: Path
    to_fill: list[tuple[str, str]] = field(default_factory=list)
    to_review: list[str] = field(default_factory=list)


@dataclass
class NewYearReport:
    year: int
    source_year: int
    files: list[NewFile] = field(default_factory=list)


def new_year(
    data: Path, *, year: int, source_year: int, limits: Limits = DEFAULT_LIMITS
) -> NewYearReport:
    """Copy every unit of ``data/<source_year>`` into ``data/<year>``, marked for re-entry.

    Nothing is written when a file it would write exists, or a source file has problems. Files
    are read only inside ``data`` (a link out of it is refused) and within ``limits``.
    """
    check_year(year, given=str(year))
    check_year(source_year, given=f"--from {source_year}")
    source = data / str(source_year)
    if not source.is_dir():
        raise ZpgenError.single(
            source, _("There is no data folder for {year}.").format(year=source_year)
        )
    if year == source_year:
        raise ZpgenError.single(
            None, _("The new year is the year to copy from: choose another year.")
        )
    units = [u for u in sorted(source.iterdir()) if u.is_dir() and (u / UNIT_FILE).is_file()]
    if not units:
        raise ZpgenError.single(
            source,
            _("The data folder for {year} holds no unit (a folder with a unit.yaml).").format(
                year=source_year
            ),
        )
    report = NewYearReport(year, source_year)
    texts: dict[Path, str] = {}
    problems: list[Problem] = []
    for unit in units:
        files = [unit / UNIT_FILE, *project_files(unit)]
        for file in files:
            target = data / str(year) / unit.name / file.name
            confined = confinement_problem(target, data)
            if confined is not None:
                problems.append(confined)
                continue
            if target.exists():
                message = _("The file already exists; new-year does not overwrite files.")
                problems.append(Problem(target, message))
                continue
            try:
                entry, text = _carry_over(file, target, source_year, year, limits)
            except ZpgenError as error:
                problems.extend(error.problems)
                continue
            report.files.append(entry)
            texts[target] = text
    if problems:
        raise ZpgenError(problems)
    for target, text in texts.items():
        write_output(target, text.encode("utf-8"))
    return report


def _carry_over(
    file: Path, target: Path, source_year: int, year: int, limits: Limits
) -> tuple[NewFile, str]:
    raw = read_yaml(file, root=file.parents[2].resolve(), limits=limits)
    located = parse_yaml(file, raw, limits)  # every reading problem, with its position
    is_unit = file.name == UNIT_FILE
    walk = _Walk(located.text, _UNIT_RULES if is_unit else _PROJECT_RULES, year - source_year)
    if isinstance(located.node, yaml.MappingNode) and isinstance(located.data, dict):
        walk.mapping(located.node, (), (), Unit if is_unit else Project)
    entry = NewFile(file, target, walk.to_fill, walk.to_review)
    # the edits are made in the file as read; a header of an earlier new-year is then dropped
    return entry, _header(source_year) + _HEADER_LINE.sub("", walk.apply())


# The header's lines, dropped from a file that had one (a second new-year starts from it).
_HEADER_LINE = re.compile(r"\A(?:# (?:由 zpgen new-year |“待填”后|运行 zpgen check).*\n)+")


def _header(source_year: int) -> str:
    return (
        f"# 由 zpgen new-year 从{source_year}年的数据生成。"
        f"标“{PLACEHOLDER}”的项须按本年度的实际重新填写；\n"
        f"# “{PLACEHOLDER}”后的数字或日期是建议值（年初预算数的建议值是上年的全年执行数），"
        f"核对后删去“{PLACEHOLDER}”二字即可。\n"
        "# 运行 zpgen check（或 zpgen build）可列出尚未填写的项。\n"
    )


class _Walk:
    """Finds the values the rules name in a composed YAML file, and edits the text around them."""

    def __init__(self, text: str, rules: dict[tuple[str, ...], _Action], years: int) -> None:
        self.text = text
        self.rules = rules
        self.years = years
        self.edits: list[tuple[int, int, str]] = []
        self.to_fill: list[tuple[str, str]] = []
        self.to_review: list[str] = []

    def mapping(
        self,
        node: yaml.MappingNode,
        path: KeyPath,
        canonical: tuple[str, ...],
        model: type[BaseModel] | None,
    ) -> None:
        siblings = {
            _field_name(model, k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)
        }
        for key_node, value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            name = _field_name(model, key_node.value)
            step_path: KeyPath = (*path, key_node.value)
            step_canonical = (*canonical, name)
            action = _match(self.rules, step_canonical)
            if action is not None and isinstance(value, yaml.ScalarNode):
                self.act(action, value, format_key(step_path), siblings)
            elif isinstance(value, yaml.MappingNode):
                self.mapping(value, step_path, (*canonical, name), _child_model(model, name))
            elif isinstance(value, yaml.SequenceNode):
                child = _child_model(model, name)
                for index, item in enumerate(value.value):
                    if isinstance(item, yaml.MappingNode):
                        self.mapping(item, (*step_path, index), (*step_canonical, "*"), child)
                    elif action is not None and isinstance(item, yaml.ScalarNode):
                        # a text written as a list of items (实际完成情况): each item
                        self.act(action, item, format_key((*step_path, index)), siblings)
            elif isinstance(value, yaml.ScalarNode):
                self.note_last_year(value, format_key(step_path))

    def act(
        self, action: _Action, value: yaml.ScalarNode, key: str, siblings: dict[str, yaml.Node]
    ) -> None:
        if action is _Action.REVIEW:
            self.to_review.append(key)
            return
        if action is _Action.CLEAR:
            self.replace(value, "")
            return
        suggestion = ""
        if action is _Action.FILL_FROM_SPENT:
            spent = siblings.get("spent")
            if isinstance(spent, yaml.ScalarNode) and spent.value.strip():
                suggestion = spent.value.strip()
        elif action is _Action.FILL_DATE:
            suggestion = _date_later(value.value.replace(PLACEHOLDER, ""), self.years)
        self.replace(value, placeholder_text(suggestion))
        self.to_fill.append((key, suggestion))

    def note_last_year(self, value: yaml.ScalarNode, key: str) -> None:
        """A kept text that names a year before the new one is listed for review."""
        years = set(re.findall(r"(?<!\d)(\d{4})年", value.value))
        if years:
            self.to_review.append(f"{key}（提到{'、'.join(sorted(years))}年）")

    def replace(self, node: yaml.ScalarNode, new: str) -> None:
        start, end = node.start_mark.index, node.end_mark.index
        old = self.text[start:end]
        trailing = old[len(old.rstrip("\n")) :]  # a block scalar's end includes its newlines
        if new:
            if start > 0 and self.text[start - 1] not in " \t":
                new = " " + new
        else:
            while start > 0 and self.text[start - 1] in " \t":
                start -= 1
        self.edits.append((start, end, new + trailing))

    def apply(self) -> str:
        text = self.text
        for start, end, new in sorted(self.edits, reverse=True):
            text = text[:start] + new + text[end:]
        return text


def _match(rules: dict[tuple[str, ...], _Action], path: tuple[str, ...]) -> _Action | None:
    for pattern, action in rules.items():
        if len(pattern) == len(path) and all(
            p in ("*", s) for p, s in zip(pattern, path, strict=True)
        ):
            return action
    return None


def _field_name(model: type[BaseModel] | None, key: str) -> str:
    """The field a key names (Chinese alias or English name); "*" under a model-less mapping."""
    if model is None:
        return "*"
    return field_of(model, key) or key


def _child_model(model: type[BaseModel] | None, name: str) -> type[BaseModel] | None:
    """The model of a field's value (through Optional and list), None when it is not one; an
    entry of a model that takes any key (资金来源's named rows) is its extra values' model."""
    if model is None:
        return None
    if name not in model.model_fields:
        return FundAmounts if model is FundSources else None
    return inner_model(model.model_fields[name].annotation)


def _date_later(text: str, years: int) -> str:
    try:
        date = EvaluationDate(text.strip())
    except ValueError:
        return ""
    return f"{date.year + years}年{date.month}月" + (f"{date.day}日" if date.day else "")
