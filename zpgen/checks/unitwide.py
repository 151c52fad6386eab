"""Checks across the projects of a unit: the copy-paste that moving from one project's report to
the next leaves.

- ``same-sentence``: a sentence of a 完成情况, 偏差原因 or 偏离原因 that an earlier project of the
  unit has word for word (at least 20 characters: short stock phrases are shared rightly);
- ``other-project-figure``: an amount in a sentence about the budget that is a figure of another
  project of the unit and none of this one's.

They compare the projects read in one run (``Subject.projects``): all of a unit's when it is
checked or built whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from zpgen.checks.amounts import Known, money_claims, sibling_figure
from zpgen.checks.prose.clauses import prose
from zpgen.checks.registry import Finding, Subject, UnitProjects, rule
from zpgen.errors import WARNING
from zpgen.i18n import N_, _
from zpgen.model.schema import Project

__all__ = ["SHORTEST_SENTENCE", "sentences"]

SHORTEST_SENTENCE = 20  # characters, punctuation left out
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_PUNCTUATION = re.compile(r"[\s，,。；;：:！？!?、“”‘’（）()《》]")


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[tuple[int, str], ...]:
    """The sentences of ``text`` long enough to compare: (offset, the sentence without its
    punctuation and spaces)."""
    found: list[tuple[int, str]] = []
    for match in _SENTENCE.finditer(text):
        key = _PUNCTUATION.sub("", match.group())
        if len(key) >= SHORTEST_SENTENCE:
            found.append((match.start() + len(match.group()) - len(match.group().lstrip()), key))
    return tuple(found)


def _compared_texts(project: Project) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(steps for ``Subject.path``, the field's Chinese name, text) of the fields compared."""
    for index, indicator in enumerate(project.indicators):
        if indicator.narrative:
            yield ("indicators", index, "narrative"), "完成情况", indicator.narrative
        if indicator.deviation:
            yield ("indicators", index, "deviation"), "偏差原因", indicator.deviation
    if project.deviation_reasons:
        yield ("deviation_reasons",), "偏离原因", project.deviation_reasons


@rule(
    "same-sentence",
    WARNING,
    N_("A sentence is word for word the one of another project of the unit (copied?)."),
)
def same_sentence(subject: Subject) -> Iterator[Finding]:
    project = subject.project
    if project is None or len(subject.projects) < 2:
        return
    position = next((i for i, p in enumerate(subject.projects) if p is project), None)
    if position is None:
        return
    index = subject.projects.shared(_unit_sentences)
    for steps, _label, text in _compared_texts(project):
        for offset, key in sentences(text):
            first = index.get(key)
            if first is None:
                continue
            earlier = next(
                ((n, f) for at, n, f in first if at < position and n != project.name), None
            )
            if earlier is not None:
                yield Finding(
                    subject.path(*steps),
                    _(
                        "This sentence is word for word in the {field} of “{other}”, another "
                        "project of this unit: was it copied? Write what this project did."
                    ).format(field=earlier[1], other=earlier[0]),
                    offset,
                )


def _unit_sentences(projects: UnitProjects) -> dict[str, list[tuple[int, str, str]]]:
    """Every compared sentence of the unit's projects: sentence → [(position, project, field)],
    in file order."""
    found: dict[str, list[tuple[int, str, str]]] = {}
    for position, project in enumerate(projects):
        for _steps, label, text in _compared_texts(project):
            for _offset, key in sentences(text):
                found.setdefault(key, []).append((position, project.name, label))
    return found


@rule(
    "other-project-figure",
    WARNING,
    N_("The text gives an amount that is another project's figure, not this one's (copied?)."),
)
def other_project_figure(subject: Subject) -> Iterator[Finding]:
    project, figures = subject.project, subject.figures
    if project is None or figures is None or len(subject.projects) < 2:
        return
    own = Known.of(project).every()
    for field in prose(subject):
        for claim in money_claims(field.text, figures.year):
            amount = claim.quantity
            theirs = (
                None if amount.wan in own else sibling_figure(subject, amount.wan, claim.figures)
            )
            if theirs is None:
                continue
            other, figure = theirs
            yield Finding(
                field.path,
                _(
                    "{written} is the {figure} of “{other}”, another project of this unit, and "
                    "none of this project's figures: was it copied from that project's report? "
                    "Write this project's amount."
                ).format(written=field.text[amount.start : amount.end], figure=figure, other=other),
                amount.start,
            )
