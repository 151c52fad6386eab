"""The analysts' sentences, read once for every rule that checks what they say.

A text is cut into clauses (at ，。；！？ and line breaks), each with its sentence (cut at 。！？
and line breaks) and the numbers ``zpgen.checks.prose.numbers`` finds in it. The cut is cached per
text, as the numbers are, so the rules that read a text share one pass over it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from zpgen.checks.prose.numbers import Kind, Quantity, quantities
from zpgen.checks.registry import Subject, TextField

__all__ = ["Clause", "clauses", "other_year", "own_clauses", "prose", "switched_off"]

# Fields that hold names, targets and values, not sentences.
_NOT_PROSE = {"name", "category", "implementing_unit", "level1", "level2", "target", "actual"}
_CLAUSE_END = re.compile(r"[，。；;！？!?\n]|,(?![0-9]{3}(?![0-9]))")  # not 132,000
_SENTENCE_END = "。！？!?\n"
# A time before the budget year's end: what a clause says then is not the year's figure.
_BEFORE_YEAR_END = re.compile(
    r"(?:截至|截止|到|至)\s*(?:(?:19|20)[0-9]{2}\s*年)?\s*(?:[1-9]|1[01])\s*月|上半年|前三季度|"
    r"第?[一二三]季度"
)


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of a text: its place, its sentence's number, and its numbers."""

    start: int
    end: int
    text: str
    sentence: int
    quantities: tuple[Quantity, ...]  # offsets into the whole text, as ``quantities`` gives


@lru_cache(maxsize=4096)
def clauses(text: str) -> tuple[Clause, ...]:
    """The clauses of ``text``, in order (empty ones left out)."""
    found = quantities(text)
    result: list[Clause] = []
    start = sentence = index = 0
    for end_match in [*_CLAUSE_END.finditer(text), None]:
        end = end_match.start() if end_match else len(text)
        first = index
        while index < len(found) and found[index].start < end:
            index += 1
        if text[start:end].strip():
            result.append(Clause(start, end, text[start:end], sentence, found[first:index]))
        if end_match is not None and end_match.group() in _SENTENCE_END:
            sentence += 1
        start = end + 1
    return tuple(result)


def own_clauses(text: str, year: int, aside: re.Pattern[str]) -> Iterator[Clause]:
    """The clauses of ``text`` about the project's own figures of ``year``.

    A clause whose words match ``aside`` (其中, 计划, 合同…) is about something else, and so
    is one naming another year or a time before the year's end (截至6月底, 上半年); what a
    clause is about carries over to the clauses after it in its sentence ("其中培训费计划5万元，
    实际支出6.2万元": the 6.2万元 is the part's), until a clause names the budget year.
    """
    sentence, elsewhere = -1, False
    for clause in clauses(text):
        if clause.sentence != sentence:
            sentence, elsewhere = clause.sentence, False
        if any(q.kind is Kind.YEAR for q in clause.quantities):
            elsewhere = other_year(clause, year)
        if aside.search(clause.text) or _BEFORE_YEAR_END.search(clause.text):
            elsewhere = True
        if not elsewhere:
            yield clause


def prose(subject: Subject) -> Iterator[TextField]:
    """The project's texts that are sentences (not its names, targets or values)."""
    if subject.project is None:
        return
    for field in subject.texts():
        if field.name not in _NOT_PROSE:
            yield field


def other_year(clause: Clause, year: int) -> bool:
    """The clause names a year other than the budget year (its words are about that year)."""
    return any(q.kind is Kind.YEAR and q.value != year for q in clause.quantities)


def switched_off(subject: Subject, rule_id: str) -> bool:
    """Whether the unit or the project switches ``rule_id`` off (关闭检查)."""
    owners = (subject.unit, subject.project)
    return any(
        entry.rule == rule_id for owner in owners if owner for entry in owner.disabled_checks
    )
