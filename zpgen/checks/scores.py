"""The scores: what keeps a project's scores from being right (``zpgen.figures.scoring``'s
faults), each at its key in the file: a missing 分值, a 得分 outside its band, weights that do
not add up, an 实际完成值 that is not a number in the target's unit."""

from __future__ import annotations

from collections.abc import Iterator

from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import ERROR, WARNING
from zpgen.i18n import N_, _

__all__: list[str] = []


@rule(
    "scores",
    ERROR,
    N_("The indicators cannot be scored as they stand (分值, 得分, 评价档次, 实际完成值)."),
    switchable=False,
)
def scores(subject: Subject) -> Iterator[Finding]:
    if subject.project is None or subject.scoring is None:
        return
    for fault in subject.scoring.faults:
        steps = ("indicators",) if fault.index is None else ("indicators", fault.index, fault.field)
        yield Finding(subject.path(*steps), fault.message)


@rule(
    "table-incomplete",
    WARNING,
    N_("An indicator's 实际完成值 is left blank: the 自评表 prints its row blank and no 总分."),
)
def table_incomplete(subject: Subject) -> Iterator[Finding]:
    if subject.project is None or subject.scoring is None:
        return
    for index in subject.scoring.blank:
        name = subject.project.indicators[index].name
        yield Finding(
            subject.path("indicators", index),
            _(
                "The 实际完成值 of “{name}” is left blank: the 自评表 prints its 实际完成值 "
                "and 得分 blank, and no 总分 or 自评等级. Fill it in, or set 允许留空: 是 when "
                "the blank is intended."
            ).format(name=name),
        )
