"""Drafts → the entries of unit.yaml and of each project file, with the notes beside them.

Keys come in the order of the files in ``data/``; a required value that was not found is
``待填`` with a comment saying so; an inferred value has its ``# 待核对：`` comment; what the
reports could not place is kept as comments at the end of the file. The wording every project
repeats (措辞) goes to unit.yaml once, the most common version; a project that words it
otherwise keeps its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from zpgen.figures.formats import money
from zpgen.i18n import _
from zpgen.importer.draft import IndicatorDraft, ProjectDraft, UnitDraft, Value
from zpgen.importer.scores import ScoreSettings
from zpgen.importer.yamlwrite import Entry
from zpgen.load.yaml_file import format_key
from zpgen.model.placeholders import PLACEHOLDER
from zpgen.model.schema import DEFAULT_PHRASES, Phrases

__all__ = ["PHRASES", "Planned", "project_entries", "unit_entries"]

PHRASES = ("自评方式", "总体评价", "资金管理情况", "结果应用")
_FUND_SOURCES = ("本年财政拨款", "上年结转资金", "其他资金")
_FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数")
_INDICATOR_KEYS = (
    ("一级指标", True),
    ("二级指标", True),
    ("三级指标", True),
    ("年度指标值", True),
    ("实际完成值", True),
    ("分值", False),
    ("评价档次", False),
    ("得分", False),
    ("得分说明", False),
    ("完成情况", False),
    ("偏差原因", False),
)


@dataclass
class Planned:
    """What one file will hold, and what the import says about it."""

    name: str
    entries: list[Entry] = field(default_factory=list)
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (key, where)
    to_check: list[tuple[str, str]] = field(default_factory=list)  # (key, note)
    to_fill: list[str] = field(default_factory=list)  # keys
    disagreements: list[tuple[str, str]] = field(default_factory=list)
    unplaced: list[Value] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (key, note) not on a value read

    def entry(
        self, path: tuple[str | int, ...], value: Value | None, *, required: bool = True
    ) -> Entry | None:
        """The entry for one scalar key, its mapping, its notes; None when it is left out."""
        key = str(path[-1])
        written = format_key(path)
        if value is None:
            if not required:
                return None
            self.to_fill.append(written)
            return Entry(key, PLACEHOLDER, trailing=_("not in the files imported"))
        if value.text.startswith(PLACEHOLDER):
            self.to_fill.append(written)
            return Entry(key, value.text, trailing=value.note)
        if value.where:
            self.mapping.append((written, value.where))
        comments = []
        if value.note:
            place = _(" ({where})").format(where=value.where) if value.where else ""
            comments.append(_("待核对：{note}{place}").format(note=value.note, place=place))
            self.to_check.append((written, value.note))
        return Entry(key, value.text, comments=comments)


def _add(entries: list[Entry], entry: Entry | None) -> None:
    if entry is not None:
        entries.append(entry)


def unit_entries(
    unit: UnitDraft, phrases: dict[str, Value], settings: list[Entry], *, narrative: bool
) -> Planned:
    """unit.yaml's entries; with a ``narrative`` (a report's text was read), a 措辞 it did not
    give is 待填 with zpgen's default as the suggestion, never silently the default."""
    planned = Planned("unit.yaml")
    out = planned.entries
    _add(out, planned.entry(("单位名称",), unit.get("单位名称")))
    department = unit.get("主管部门")
    if department is not None and department.text != unit.text("单位名称"):
        _add(out, planned.entry(("主管部门",), department))
    for key in ("评价时间", "财政部门", "公开网站"):
        _add(out, planned.entry((key,), unit.get(key)))
    children: list[Entry] = []
    for key in PHRASES:
        entry = planned.entry(("措辞", key), phrases.get(key), required=False)
        if entry is None and narrative:
            planned.to_fill.append(f"措辞.{key}")
            default = _default_phrase(key)
            hint = _("the report's own wording was not found; delete 待填 to take zpgen's default")
            entry = Entry(key, f"{PLACEHOLDER} {default}", trailing=hint)
        _add(children, entry)
    if children:
        out.append(Entry("措辞", children=children, blank_before=True))
    if settings:
        out.append(Entry("设置", children=settings, blank_before=True))
    planned.unplaced = unit.unplaced
    for conflict in unit.conflicts:
        message = conflict.message()
        planned.disagreements.append((conflict.key, message))
    return planned


def _default_phrase(key: str) -> str:
    """zpgen's built-in wording of one 措辞 (by its Chinese key)."""
    for name, info in Phrases.model_fields.items():
        if info.alias == key:
            return str(getattr(DEFAULT_PHRASES, name)).split("\n")[0]
    return ""


def choose_phrases(projects: list[ProjectDraft]) -> dict[str, Value]:
    """For each 措辞, the version most projects use (the unit's), the first on a tie."""
    chosen: dict[str, Value] = {}
    for key in PHRASES:
        found = [v for p in projects if (v := p.get(f"措辞.{key}")) is not None]
        if found:
            text = Counter(v.text for v in found).most_common(1)[0][0]
            chosen[key] = next(v for v in found if v.text == text)
    return chosen


def project_entries(
    name: str,
    project: ProjectDraft,
    unit_phrases: dict[str, Value],
    settings: list[Entry],
    unit_name: str | None,
) -> Planned:
    """One project file's entries."""
    planned = Planned(name)
    out = planned.entries
    for key, required in (("项目名称", True), ("项目类别", True)):
        _add(out, planned.entry((key,), project.get(key), required=required))
    implementing = project.get("实施单位")
    if implementing is not None and implementing.text != unit_name:
        _add(out, planned.entry(("实施单位",), implementing))
    for key in ("年初预算数", "全年预算数", "全年执行数"):
        _add(out, planned.entry((key,), project.get(key)))
    _add(out, _funds(planned, project))
    _add(out, planned.entry(("预算调整原因",), project.get("预算调整原因"), required=False))
    _add(out, planned.entry(("资金用途",), project.get("资金用途")))
    goal = [
        e
        for k in ("预期目标", "实际完成情况")
        if (e := planned.entry(("年度总体目标", k), project.get(f"年度总体目标.{k}")))
    ]
    out.append(Entry("年度总体目标", children=goal, blank_before=True))
    out.append(_indicators(planned, project.indicators))
    first = len(out)
    for key in ("偏离原因", "改进措施"):
        _add(out, planned.entry((key,), project.get(key), required=False))
    if len(out) > first:
        out[first].blank_before = True
    own = [
        e
        for k in PHRASES
        if (v := project.get(f"措辞.{k}")) is not None
        and (unit_phrases.get(k) is None or v.text != unit_phrases[k].text)
        and (e := planned.entry(("措辞", k), v))
    ]
    if own:
        out.append(Entry("措辞", children=own, blank_before=True))
    if settings:
        out.append(Entry("设置", children=settings, blank_before=not own))
    planned.to_check += project.checks
    planned.notes += project.checks
    planned.disagreements += project.disagreements
    planned.unplaced = project.unplaced
    _place_notes(planned)
    return planned


def _funds(planned: Planned, project: ProjectDraft) -> Entry | None:
    if not project.funds:
        return None
    rows = []
    for source in _FUND_SOURCES:
        columns = project.funds.get(source)
        if columns is None:
            continue
        flow = [(k, columns[k].text) for k in _FUND_COLUMNS if k in columns]
        for key in _FUND_COLUMNS:
            if key in columns and columns[key].where:
                planned.mapping.append((f"资金来源.{source}.{key}", columns[key].where))
        rows.append(Entry(source, flow=flow))
    return Entry("资金来源", children=rows) if rows else None


def _indicators(planned: Planned, indicators: list[IndicatorDraft]) -> Entry:
    items = []
    for index, indicator in enumerate(indicators or [IndicatorDraft()]):
        item: list[Entry] = []
        for key, required in _INDICATOR_KEYS:
            value = indicator.get(key)
            # a quantitative score set by hand needs its reason
            hand_set = indicator.get("得分") is not None and indicator.get("评价档次") is None
            required = required or (key == "得分说明" and value is None and hand_set)
            _add(item, planned.entry(("绩效指标", index, key), value, required=required))
        items.append(item)
    return Entry("绩效指标", items=items, blank_before=True)


def _place_notes(planned: Planned) -> None:
    """Notes about a key (not about a value read) go above its entry too."""
    keyed: dict[str, list[str]] = {}
    for key, note in [*planned.notes, *(d for d in planned.disagreements if d[0])]:
        keyed.setdefault(key, []).append(_("待核对：{note}").format(note=note))
    for path, item in _walk(planned.entries, ()):
        item.comments += keyed.get(path, [])


def _walk(entries: list[Entry], prefix: tuple[str | int, ...]) -> list[tuple[str, Entry]]:
    found = []
    for entry in entries:
        path = (*prefix, entry.key)
        found.append((format_key(path), entry))
        if entry.children:
            found += _walk(entry.children, path)
        for index, item in enumerate(entry.items or []):
            found += _walk(item, (*path, index))
    return found


def settings_entries(
    numbered: bool | None, self_table: str | None, scores: ScoreSettings | None
) -> list[Entry]:
    """The 设置 of a file: only what differs from zpgen's defaults, or what the seed writes."""
    entries = []
    if numbered is not None:
        entries.append(Entry("三级标题编号", "是" if numbered else "否"))
    if self_table is not None:
        entries.append(Entry("自评表", self_table))
    if scores is not None and scores.weights:
        flow = [(k, money(v)) for k, v in scores.weights.items()]
        entries.append(Entry("权重", flow=flow))
    if scores is not None and scores.score_decimals is not None:
        entries.append(Entry("得分小数位", str(scores.score_decimals)))
    if scores is not None and scores.negative_formula is not None:
        entries.append(Entry("反向指标计分", scores.negative_formula.value))
    return entries


def short_name(name: str) -> str:
    """A project file's name from its 项目名称, without 专项资金 and the like: 数据系统维护费."""
    short = re.sub(r"(?:专项资金|专项经费|项目资金|资金|项目)$", "", name) or name
    return short[:40]
