"""A report's text read against an outline (``outlines.py``): paragraphs → keys.

The outline is chosen by its headings: the one whose section titles the most paragraphs are.
Then each paragraph is, in this order: a heading (its section begins; a section seen before in
the same project, or the outline's first section, begins a new project); the report's title
(the line above it is the unit's name); a form of the current section (``Rule``); a line that
belongs to the next project (its name in brackets); the unit's name or a date on a line of
their own (a 落款); the continuation of the text before it; the section's ``rest``; and
otherwise a paragraph that could not be placed, kept to be written as a comment, whose figures
(``FIGURES``) are still read, marked 待核对 when the words leave room for doubt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from zpgen.i18n import _
from zpgen.importer.blocks import Paragraph
from zpgen.importer.draft import (
    MENTION,
    UNIT_KEYS,
    IndicatorDraft,
    ProjectDraft,
    UnitDraft,
    Value,
)
from zpgen.importer.outlines import DATE, FIGURES, OUTLINES, Outline, Rule, Section

__all__ = ["AMOUNT_KEYS", "Narrative", "clean", "heading_title", "read_narrative"]

AMOUNT_KEYS = frozenset({"年初预算数", "全年预算数", "全年执行数", "印.调减", "印.追加"})
_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])"
)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_DATE_LINE = re.compile(DATE)
_MINIMUM_HEADINGS = 2


def clean(text: str) -> str:
    """A paragraph's text without the spaces around it (full-width and no-break ones too)."""
    return text.strip(" \t\r\n\u3000\u00a0\ufeff")


def heading_title(text: str) -> tuple[str, bool]:
    """A heading's title without its number and final 。, and whether it had a number."""
    found = _NUMBER.match(text)
    rest = text[found.end() :] if found else text
    return clean(rest).rstrip("。．.：: "), found is not None


@dataclass
class Narrative:
    """What one file's text gave: the outline it follows, the unit's values and the projects."""

    outline: Outline
    unit: UnitDraft
    projects: list[ProjectDraft]


def read_narrative(name: str, paragraphs: list[Paragraph]) -> Narrative | None:
    """Read the paragraphs of the file ``name``; None when they follow no outline."""
    outline = _choose(paragraphs)
    if outline is None:
        return None
    reader = _Reader(name, outline)
    for paragraph in paragraphs:
        reader.feed(paragraph)
    return reader.finish()


def _choose(paragraphs: list[Paragraph]) -> Outline | None:
    titles = {heading_title(clean(p.text))[0] for p in paragraphs if len(p.text) < 60}
    best, count = None, 0
    for outline in OUTLINES:
        found = sum(1 for section in outline.sections if section.title in titles)
        if found > count:
            best, count = outline, found
    return best if count >= _MINIMUM_HEADINGS else None


@dataclass
class _Continued:
    """The text that the next paragraph continues: a key of a project or of an indicator."""

    target: ProjectDraft | IndicatorDraft
    key: str


@dataclass
class _Reader:
    name: str
    outline: Outline
    unit: UnitDraft = field(default_factory=UnitDraft)
    projects: list[ProjectDraft] = field(default_factory=list)
    section: Section | None = None
    pending: list[tuple[str, Value]] = field(default_factory=list)
    continued: _Continued | None = None
    header: list[Value] = field(default_factory=list)  # lines above the title
    seen: set[str] = field(default_factory=set)  # the current project's sections

    def __post_init__(self) -> None:
        self.sections = {s.title: s for s in self.outline.sections}
        self.section_where = ""

    @property
    def project(self) -> ProjectDraft | None:
        return self.projects[-1] if self.projects else None

    def feed(self, paragraph: Paragraph) -> None:
        text = unicodedata.normalize("NFC", clean(paragraph.text))
        if not text:
            return
        value = Value(text, f"{self.name} {paragraph.where}")
        title, numbered = heading_title(text)
        section = self.sections.get(title)
        if section is not None:
            self.begin(section, numbered, value.where)
        elif _HEADING_STYLE.match(paragraph.style) and len(text) < 60:
            self.unknown_heading(value, title)
        elif text == self.outline.title:
            self.title_line()
        elif self.section is None:
            self.header_line(value)
        else:
            self.body_line(value)

    def begin(self, section: Section, numbered: bool, where: str = "") -> None:
        project = self.project
        if project is None or section.starts_project or section.title in self.seen:
            project = self.start_project()
        self.seen.add(section.title)
        self.section = section
        self.section_where = where
        self.continued = None
        if section.level == 3:
            project.level3_numbered.append(numbered)

    def start_project(self) -> ProjectDraft:
        project = ProjectDraft(narrative=True, outline=self.outline.name)
        for key, value in self.pending:
            project.set(key, value)
        self.pending = []
        self.projects.append(project)
        self.seen = set()
        return project

    def unknown_heading(self, value: Value, title: str) -> None:
        """A heading the outline does not have: it and what follows it cannot be placed."""
        self.section = Section(title, 0)
        self.continued = None
        self.unplaced(value)

    def title_line(self) -> None:
        if self.header and "单位名称" not in self.unit.values:
            self.unit.set("单位名称", self.header.pop())
        self.unit.unplaced.extend(self.header)
        self.header = []

    def header_line(self, value: Value) -> None:
        if not self.between(value):
            self.header.append(value)

    def body_line(self, value: Value) -> None:
        assert self.section is not None
        if self.section_rule(self.section.rules, value):
            return
        if self.between(value) or self.signature(value):
            return
        if self.continued is not None:
            self.continued.target.append(self.continued.key, value)
            return
        if self.section.rest is not None and self.section_rule((self.section.rest,), value):
            return
        self.figures(value)
        self.unplaced(value)

    def section_rule(self, rules: tuple[Rule, ...], value: Value) -> bool:
        for rule in rules:
            found = re.fullmatch(rule.pattern, value.text)
            if found is None:
                continue
            target = self.target(rule, found)
            if target is None:
                continue
            self.apply(rule, found, value.where, target)
            return True
        return False

    def target(self, rule: Rule, found: re.Match[str]) -> ProjectDraft | IndicatorDraft | None:
        project = self.project
        assert project is not None and self.section is not None
        if rule.item == "named":
            name = found.group("name")
            return next((i for i in project.indicators if i.text("三级指标") == name), None)
        if rule.item == "new":
            indicator = IndicatorDraft()
            for key, text in self.section.sets.items():
                indicator.set(key, Value(text, self.section_where))
            project.indicators.append(indicator)
            return indicator
        return project

    def apply(
        self,
        rule: Rule,
        found: re.Match[str],
        where: str,
        target: ProjectDraft | IndicatorDraft,
    ) -> None:
        notes = {key: _(note) for group, (key, note) in rule.notes.items() if found.group(group)}
        for group, key in rule.keys.items():
            text = found.group(group)
            if text is None or not clean(text):
                continue
            self.put(target, key, Value(_convert(key, text), where, notes.get(key, "")))
        self.continued = _Continued(target, rule.continues) if rule.continues else None

    def put(self, target: ProjectDraft | IndicatorDraft, key: str, value: Value) -> None:
        project = self.project
        assert project is not None
        if key in UNIT_KEYS:
            self.unit.set(key, value)
        elif key.startswith(MENTION):
            project.mentions.append((key.removeprefix(MENTION), value))
        else:
            target.set(key, value)

    def between(self, value: Value) -> bool:
        """A line outside the sections that belongs to the next project (its name)."""
        for rule in self.outline.between:
            found = re.fullmatch(rule.pattern, value.text)
            if found is not None:
                for group, key in rule.keys.items():
                    self.pending.append((key, Value(found.group(group), value.where)))
                return True
        return False

    def signature(self, value: Value) -> bool:
        """The unit's name, or a date, on a line of its own: a 落款."""
        if value.text == self.unit.text("单位名称"):
            return True
        if _DATE_LINE.fullmatch(value.text):
            self.unit.set("评价时间", value)
            return True
        return False

    def figures(self, value: Value) -> None:
        project = self.project
        assert project is not None
        for pattern, keys, note in FIGURES:
            for found in re.finditer(pattern, value.text):
                for group, key in keys.items():
                    text = _convert(key, found.group(group))
                    self.put(project, key, Value(text, value.where, _(note) if note else ""))

    def unplaced(self, value: Value) -> None:
        if self.project is None:
            self.unit.unplaced.append(value)
        else:
            self.project.unplaced.append(value)

    def finish(self) -> Narrative:
        self.unit.unplaced.extend(self.header)
        for _key, value in self.pending:
            self.unit.unplaced.append(value)
        return Narrative(self.outline, self.unit, self.projects)


def _convert(key: str, text: str) -> str:
    text = clean(text)
    if key in AMOUNT_KEYS:
        return unicodedata.normalize("NFKC", text)
    return text
