"""What a form or last year's report leaves behind: a year written twice, a past year where the
sentence speaks of the budget year, an 评价时间 before the year it evaluates has ended, and a
项目类别 that is none of the categories.

(Placeholders and the form's prompts, "XX" and "（100字以内）", are the rule ``placeholder``'s.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zpgen.checks.prose.clauses import prose
from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import WARNING
from zpgen.i18n import N_, _
from zpgen.model.explain import suggest

__all__ = ["CATEGORIES", "doubled_years", "stale_years"]

_YEAR = r"((?:19|20)[0-9]{2})\s*年"
_TWICE = re.compile(rf"{_YEAR}(?:度)?\s*{_YEAR}(?:度)?")
_NAME_YEAR = re.compile(rf"^{_YEAR}(?:度)?")
# A year before words that only the budget year's facts follow (2024年实际支出 cannot be in the
# report on 2023), and before those that a plan for a later year may follow too (2024年年初预算
# and 2024年预算执行率 in 改进措施 are plans).
_THIS_YEARS_FACTS = re.compile(rf"{_YEAR}(?:度)?(?:内)?(?:实际支出|实际发放|共支出)")
_THIS_YEARS_BUDGET = re.compile(
    rf"{_YEAR}(?:度)?(?:年初预算|全年预算|预算安排|预算执行|资金执行|执行率)"
)
_COMPARED = re.compile(
    r"比|较|相比|同比|上年|去年|以前|往年|历年|结转|分别|力争|计划|预计|拟|争取|以来|"
    r"自\s*(?:19|20)[0-9]{2}\s*年"
)

# 项目类别 as the budget system names them (预算管理一体化规范: 人员类, 运转类 and 特定目标类).
CATEGORIES = (
    "特定类项目",
    "特定目标类项目",
    "其他运转类项目",
    "运转类项目",
    "公用经费项目",
    "人员类项目",
)


def doubled_years(text: str) -> Iterator[tuple[int, str, str]]:
    """Two years in a row, "2023年2023年度": (offset, what is written, the second year)."""
    if "年" not in text:
        return
    for found in _TWICE.finditer(text):
        yield found.start(), found.group(), found.group(2)


def stale_years(text: str, year: int) -> Iterator[tuple[int, str]]:
    """Years other than ``year`` before words about the budget year's own facts ("2022年度实际
    支出" in the report on 2023): (offset, what is written). A clause that compares years, or
    names carried-over money, is left alone."""
    if "年" not in text:
        return
    for pattern, later_too in ((_THIS_YEARS_FACTS, True), (_THIS_YEARS_BUDGET, False)):
        for found in pattern.finditer(text):
            named = _named(found)
            if named == year or (named > year and not later_too):
                continue
            clause = _around(text, found.start(), _CLAUSE_MARKS)
            sentence = _around(text, found.start(), _SENTENCE_MARKS)
            # "2022年度实际支出12.6万元，2023年度实际支出13.79万元" compares the two years
            compares = any(_named(other) == year for other in pattern.finditer(sentence))
            if not compares and not _COMPARED.search(clause):
                yield found.start(), found.group()


def _named(found: re.Match[str]) -> int:
    return int(found.group(1))


_CLAUSE_MARKS = "，,。；;！？!?\n"
_SENTENCE_MARKS = "。！？!?\n"


def _around(text: str, at: int, marks: str) -> str:
    """The clause or the sentence (ending at one of ``marks``) around ``at``."""
    start = max(text.rfind(mark, 0, at) for mark in marks) + 1
    ends = [found for mark in marks if (found := text.find(mark, at)) >= 0]
    return text[start : min(ends, default=len(text))]


@rule("doubled-year", WARNING, N_("A year is written twice in a row (2023年2023年度)."))
def doubled_year(subject: Subject) -> Iterator[Finding]:
    for field in subject.texts():
        for offset, written, second in doubled_years(field.text):
            yield Finding(
                field.path,
                _("“{written}” gives a year twice in a row: write it once (“{second}年…”).").format(
                    written=written, second=second
                ),
                offset,
            )
    project = subject.project
    if project is not None and (found := _NAME_YEAR.match(project.name)):
        yield Finding(
            subject.path("name"),
            _(
                "项目名称 “{name}” starts with its year, and the report writes the year before "
                "the name (“本单位{year}年{name}…”): leave “{written}” out of the name."
            ).format(name=project.name, year=found.group(1), written=found.group()),
            0,
        )


@rule(
    "stale-year",
    WARNING,
    N_("A sentence on the budget year's budget or spending names another year (last year's?)."),
)
def stale_year(subject: Subject) -> Iterator[Finding]:
    figures = subject.figures
    if figures is None:
        return
    for field in prose(subject):
        for offset, written in stale_years(field.text, figures.year):
            yield Finding(
                field.path,
                _(
                    "“{written}” speaks of the budget year, but this report is on {year}: write "
                    "{year}, or is the sentence left from another year's report?"
                ).format(written=written, year=figures.year),
                offset,
            )


@rule(
    "evaluation-before-year-end",
    WARNING,
    N_("评价时间 is before the end of the budget year it evaluates."),
)
def evaluation_before_year_end(subject: Subject) -> Iterator[Finding]:
    if subject.project is not None or subject.year is None:
        return
    date = subject.unit.evaluation_date
    if date.year <= subject.year:
        yield Finding(
            subject.path("evaluation_date"),
            _(
                "评价时间 {date} is before the end of {year}, the budget year this folder "
                "evaluates: a self-evaluation is made after the year has ended (usually in "
                "{next}年3–4月). Is the date last year's?"
            ).format(date=date, year=subject.year, next=subject.year + 1),
        )


@rule("unknown-category", WARNING, N_("项目类别 is none of the known categories."))
def unknown_category(subject: Subject) -> Iterator[Finding]:
    project = subject.project
    if project is None or project.category in CATEGORIES:
        return
    close = suggest(project.category, list(CATEGORIES))
    known = "、".join(CATEGORIES)
    if close is not None:
        message = _(
            "项目类别 “{category}” is none of the categories ({known}): did you mean "
            "“{suggestion}”? The report prints it as written."
        ).format(category=project.category, known=known, suggestion=close)
    else:
        message = _(
            "项目类别 “{category}” is none of the categories ({known}); the report prints it "
            "as written (“对…年{category}…开展了绩效自评”)."
        ).format(category=project.category, known=known)
    yield Finding(subject.path("category"), message)
