"""Itemised sums in the prose: the items a sentence lists must add up to what they break down.

Three shapes, read one sentence at a time:

- a total, then its parts: "项目支出2,026,400元，其中设备购置费1,200,000元、培训费340,000元、
  差旅费200,000元" (the parts may fall short when the list ends with 等 or says 主要, never exceed);
- items, then their total: "……，共计16万元" (共计, 合计, 总计);
- a count and a rate per head: "小学生140人，每人300元；初中生96人，每人500元": with no total
  written, the products must add up to one of the project's figures.

And an item whose actual amount exceeds the amount planned for it in the same sentence:
"培训费计划5万元，实际支出6.2万元".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from zpgen.checks.amounts import Known, figures_named
from zpgen.checks.prose.clauses import Clause, clauses, other_year, prose
from zpgen.checks.prose.numbers import Kind, Quantity
from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import WARNING
from zpgen.figures.formats import money
from zpgen.i18n import N_, _

__all__ = ["Item", "Mismatch", "itemised_mismatches"]

_TOTAL_WORDS = re.compile(r"共计|合计|总计|总额|总共|一共|共需|共发放|共支出|共使用")
_PARTS = "其中"
_PARTIAL = re.compile(r"等|主要|部分|包括|其他")  # within a list: not all of it
_PEOPLE = {"人", "名", "位", "生", "户", "人次"}
_PLANNED = re.compile(r"计划|预计|预算安排|安排预算")
_ACTUAL = re.compile(r"实际")
_THE_PROJECT = re.compile(r"年初|全年|项目|专项资金|总体")
_LABEL_START = re.compile(r"[，、；：,;:]")
_TIMES = re.compile(r"^\s*[×xX*＊]\s*$|^\s*乘以\s*$")


@dataclass(frozen=True, slots=True)
class Item:
    """An item of a list: its amount in 元, where it starts, and how it is written."""

    start: int
    end: int
    yuan: Decimal
    written: str


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Items that do not reconcile: with a total (``total`` set) or with none of the figures."""

    kind: str  # "total", "parts", "figures", "overrun"
    offset: int
    items: tuple[Item, ...]
    total: Quantity | None = None
    total_written: str = ""
    label: str = ""


def itemised_mismatches(text: str, known: Known, year: int) -> Iterator[Mismatch]:
    """Every list of ``text`` whose items do not add up to what they break down."""
    if "元" not in text:
        return
    by_sentence: dict[int, list[Clause]] = {}
    for clause in clauses(text):
        by_sentence.setdefault(clause.sentence, []).append(clause)
    for sentence in by_sentence.values():
        if any(other_year(clause, year) for clause in sentence):
            continue
        yield from _sentence(text, sentence, known)


def _sentence(text: str, sentence: list[Clause], known: Known) -> Iterator[Mismatch]:
    start, end = sentence[0].start, sentence[-1].end
    found = [q for clause in sentence for q in clause.quantities]
    amounts = [q for q in found if q.kind is Kind.MONEY and not q.per and q.exact]
    products = _products(text, found)
    parts_at = text.find(_PARTS, start, end)
    total = next((q for q in amounts if _TOTAL_WORDS.search(_before(text, q, found, start))), None)
    if parts_at >= 0:
        yield from _total_then_parts(text, amounts, parts_at, end)
    elif total is not None:
        listed = [q for q in amounts if q.end <= total.start]
        items = products or [_item(text, q) for q in listed if _line_item(text, q, found, start)]
        whole_list = len(items) >= 2 and len(items) == len(products or listed)
        if whole_list and sum(i.yuan for i in items) != total.value:
            yield Mismatch("total", total.start, tuple(items), total, _written(text, total))
    elif len(products) >= 2 and not _PARTIAL.search(text, start, _list_end(text, products)):
        added = sum(i.yuan for i in products) / 10000
        if added not in known.values(("initial", "adjusted", "spent")) | known.sources:
            yield Mismatch("figures", products[0].start, tuple(products))
    yield from _overrun(text, amounts, found, start)


def _total_then_parts(
    text: str, amounts: list[Quantity], parts_at: int, end: int
) -> Iterator[Mismatch]:
    """ "…2,026,400元，其中A元、B元": the parts never exceed the total, and make it up unless
    the list is partial (等, 主要…)."""
    before = [q for q in amounts if q.end <= parts_at]
    after = [q for q in amounts if q.start > parts_at]
    if not before or not after:
        return
    total, parts = before[-1], [_item(text, q) for q in after]
    added = sum(i.yuan for i in parts)
    partial = bool(_PARTIAL.search(text, parts_at + len(_PARTS), _list_end(text, parts)))
    if added > total.value or (len(parts) >= 2 and added != total.value and not partial):
        yield Mismatch("parts", total.start, tuple(parts), total, _written(text, total))


def _products(text: str, found: Sequence[Quantity]) -> list[Item]:
    """Counts each followed by a rate per head: 140人，每人300元 → 42,000元."""
    items: list[Item] = []
    for count, rate in pairwise(found):
        if count.kind is not Kind.COUNT or not count.exact or rate.kind is not Kind.MONEY:
            continue
        per_head = rate.per and (rate.per == count.unit or {rate.per, count.unit} <= _PEOPLE)
        times = _TIMES.match(text[count.end : rate.start])
        if (per_head or times) and not rate.approximate and not rate.bound:
            written = f"{_written(text, count)}×{_written(text, rate)}"
            items.append(Item(count.start, rate.end, count.value * rate.value, written))
    return items


def _overrun(
    text: str, amounts: list[Quantity], found: Sequence[Quantity], start: int
) -> Iterator[Mismatch]:
    """ "培训费计划5万元，实际支出6.2万元": an item spent more than it was planned to."""
    for planned, actual in pairwise(amounts):
        words = _before(text, planned, found, start)
        if not _PLANNED.search(words) or _THE_PROJECT.search(words):
            continue
        if not _ACTUAL.search(text, planned.end, actual.start) or actual.value <= planned.value:
            continue
        label = _LABEL_START.split(_PLANNED.split(words)[0])[-1].strip().removeprefix("其中")
        if label:
            items = (_item(text, planned), _item(text, actual))
            yield Mismatch("overrun", actual.start, items, label=label)


def _line_item(text: str, amount: Quantity, found: Sequence[Quantity], start: int) -> bool:
    """An amount of a list, not one of the figures (年初预算16万元, 调整为14万元): its words name
    no figure, or the spending."""
    return figures_named(_before(text, amount, found, start)) in ((), ("spent",))


def _list_end(text: str, items: Sequence[Item]) -> int:
    """Where a list ends: after its last item, and a 等 right after it."""
    end = items[-1].end
    return end + 1 if text.startswith("等", end) else end


def _before(text: str, quantity: Quantity, found: Sequence[Quantity], start: int) -> str:
    """The words between the quantity before ``quantity`` (or ``start``) and it."""
    previous = max((q.end for q in found if q.end <= quantity.start), default=start)
    return text[max(previous, start) : quantity.start]


def _item(text: str, quantity: Quantity) -> Item:
    return Item(quantity.start, quantity.end, quantity.value, _written(text, quantity))


def _written(text: str, quantity: Quantity) -> str:
    return text[quantity.start : quantity.end]


def _sum(found: Mismatch) -> str:
    """The items' sum as the text writes its amounts: in 万元 when they all are, else in 元 with
    thousands separators (1,740,000元)."""
    added = sum((item.yuan for item in found.items), Decimal(0))
    written = [item.written for item in found.items]
    if found.total is not None:
        written.append(found.total_written)
    if all(text.endswith("万元") and "×" not in text for text in written):
        return f"{money(added / 10000)}万元"
    return f"{added.normalize():,f}元"


@rule(
    "itemised-sum",
    WARNING,
    N_("Items listed in the text do not add up to the total they break down."),
)
def itemised_sum(subject: Subject) -> Iterator[Finding]:
    project, figures = subject.project, subject.figures
    if project is None or figures is None:
        return
    known = Known.of(project)
    for field in prose(subject):
        for found in itemised_mismatches(field.text, known, figures.year):
            yield Finding(field.path, _message(found, known), found.offset)


def _message(found: Mismatch, known: Known) -> str:
    terms = " + ".join(item.written for item in found.items)
    added = _sum(found)
    if found.kind == "overrun":
        planned, actual = found.items
        return _(
            "“{item}” spent {actual}, more than the {planned} planned for it: say why it "
            "overran, or correct the amounts."
        ).format(item=found.label, actual=actual.written, planned=planned.written)
    if found.kind == "figures":
        return _(
            "These items add up to {sum} ({terms}), which is none of the project's figures "
            "(年初预算数 {initial}, 全年预算数 {adjusted}, 全年执行数 {spent} 万元): correct "
            "the items, or say which part of the budget they make up."
        ).format(
            sum=added,
            terms=terms,
            initial=money(known.initial),
            adjusted=money(known.adjusted),
            spent=money(known.spent),
        )
    if found.kind == "parts":
        return _(
            "The parts after 其中 add up to {sum} ({terms}), which is not the {total} they "
            "break down: correct the parts or the total."
        ).format(sum=added, terms=terms, total=found.total_written)
    return _(
        "These items add up to {sum} ({terms}), but the text gives their total as {total}: "
        "correct the items or the total."
    ).format(sum=added, terms=terms, total=found.total_written)
