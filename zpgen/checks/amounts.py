"""Amounts in the prose against the figures: "实际支出8.65万元" where 全年执行数 is 8.56.

A clause about the budget names the figure its amount claims to be: 年初预算… is 年初预算数,
全年预算…/调整后…/涉及资金… 全年预算数, 支出/支付/拨付… 全年执行数, 调减/追加… the change,
结余/剩余… what was not spent. The word nearest before an amount, since the amount before it,
decides (年初预算120万元调整为100万元: 年初预算数, then 全年预算数); a clause of one amount may
say it after the amount. An amount must then be that figure, in 万元 or in 元 (85,600元 is
8.56万元); one off by a factor of 10,000 is 元 written for 万元, or the reverse.

Left alone, because their amount is not a figure of the project as a whole: parts (其中,
分别, one source's or one payee's money), rates and averages (每, 人均), totals of other things
(合同, 总投资, 标准), plans (计划, 申报), differences (比年初…减少), savings or sums owed on one
purchase (节约, 尾款), other years and dates before the year's end, and amounts that are
approximate (约) or bounds (以内).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from zpgen.checks.prose.clauses import Clause, own_clauses, prose, switched_off
from zpgen.checks.prose.numbers import Kind, Quantity
from zpgen.checks.registry import Finding, Subject, UnitProjects
from zpgen.figures.formats import money
from zpgen.i18n import _
from zpgen.model.schema import Project

__all__ = [
    "FIGURE_NAMES",
    "Known",
    "MoneyClaim",
    "contradictions",
    "figures_named",
    "money_claims",
    "narrative_amount_findings",
    "sibling_figure",
]

# The words that say which figure an amount is, most specific first.
_FIGURE_WORDS = (
    ("reduction", re.compile(r"调减|核减|压减|预算减少|减少预算|收回")),
    ("increase", re.compile(r"追加|调增|预算增加|增加预算")),
    ("unspent", re.compile(r"结余|剩余|未支出|未使用|结转|未执行")),
    ("adjusted", re.compile(r"调整后|调整为|调整至|调整到")),
    ("initial", re.compile(r"年初")),
    ("adjusted", re.compile(r"全年预算|预算数|涉及资金|到位")),
    ("spent", re.compile(r"支出|支付|执行|拨付|使用|花费|开支|发放|列支|兑付")),
)
_BUDGET_WORDS = re.compile(r"预算|资金|经费|支出|支付|拨付|执行|费用|款|开支|投入|发放")
# A clause about parts, plans, other things or the money of one source, payee or purpose: its
# amounts are not the project's figures (nor are those of the clauses after it in its sentence).
_NOT_THE_FIGURES = re.compile(
    r"其中|包括|包含|分别|每|平均|人均|累计|下一?年|明年|次年|上一?年|去年|以前年度|往年|历年|"
    r"今后|计划|拟|预计|申报|申请|争取|总投资|合同|中标|概算|估算|单价|标准|定额|总预算|用于|"
    r"向[^，。；]{1,16}(?:发放|支付|拨付)|财政拨款|结转资金|其他资金|自筹|专户|"
    r"(?:中央|省级|市级|县级|区级|上级|本级|配套)资金"
)
# A comparison makes every amount of its clause a difference (比年初预算减少2.21万元); a change
# verb does unless its words name a change of the budget (预算减少, 结余).
_COMPARISON = re.compile(r"[比较](?:年初|上年|去年|预算|计划)|相比|同比|环比")
_DIFFERENCE = re.compile(r"减少|增加|下降|降低|提高|增长|超出|超支|多支|少支")
# Money saved or still owed on one purchase or contract: a part, whatever its verb says.
_UNCLEAR = re.compile(r"节约|节省|节余|尚未|未支付|未拨付|未发放|尾款|质保金|欠")
_CHANGES = {"reduction", "increase", "unspent"}

FIGURE_NAMES = {
    "initial": "年初预算数",
    "adjusted": "全年预算数",
    "spent": "全年执行数",
    "reduction": "调减金额",
    "increase": "追加金额",
    "unspent": "结余金额",
}


@dataclass(frozen=True, slots=True)
class Known:
    """A project's figures in 万元, as its text may give them."""

    initial: Decimal
    adjusted: Decimal
    spent: Decimal
    sources: frozenset[Decimal] = frozenset()

    @classmethod
    def of(cls, project: Project) -> Known:
        """The figures of ``project``, with those of its fund sources (资金来源)."""
        amounts: set[Decimal] = set()
        sources = project.fund_sources
        if sources is not None:
            for _name, source in sources.entries():
                amounts.update(_columns(source))
        return cls(
            project.initial_budget, project.adjusted_budget, project.spent, frozenset(amounts)
        )

    def shown(self, figure: str) -> Decimal:
        """The value of ``figure`` that a message names."""
        values = {
            "initial": self.initial,
            "adjusted": self.adjusted,
            "spent": self.spent,
            "reduction": max(self.initial - self.adjusted, Decimal(0)),
            "increase": max(self.adjusted - self.initial, Decimal(0)),
            "unspent": self.adjusted - self.spent,
        }
        return values[figure]

    def values(self, figures: tuple[str, ...]) -> frozenset[Decimal]:
        """The amounts that the figures named may be (结余 is either budget less 全年执行数)."""
        found = {self.shown(figure) for figure in figures}
        if "unspent" in figures:
            found.add(self.initial - self.spent)
        return frozenset(found)

    def every(self) -> frozenset[Decimal]:
        """Every figure of the project, its fund sources' too."""
        return self.values(tuple(FIGURE_NAMES)) | self.sources


def _columns(source: object) -> set[Decimal]:
    columns = (getattr(source, name, None) for name in ("initial", "adjusted", "spent"))
    return {amount for amount in columns if isinstance(amount, Decimal)}


@dataclass(frozen=True, slots=True)
class MoneyClaim:
    """An amount of a clause about the project's budget, and the figures its words name."""

    quantity: Quantity
    figures: tuple[str, ...]  # empty: the words do not say which figure


@lru_cache(maxsize=4096)
def money_claims(text: str, year: int) -> tuple[MoneyClaim, ...]:
    """Every exact amount of ``text`` in a clause about the budget of ``year`` (see
    ``own_clauses``: not about parts, plans, other things or other years)."""
    if "元" not in text and "万" not in text:  # no amount at all: most texts
        return ()
    found: list[MoneyClaim] = []
    for clause in own_clauses(text, year, _NOT_THE_FIGURES):
        found.extend(_clause_claims(text, clause))
    return tuple(found)


def _clause_claims(text: str, clause: Clause) -> Iterator[MoneyClaim]:
    amounts = [q for q in clause.quantities if q.kind is Kind.MONEY]
    whole = figures_named(clause.text)
    if not amounts or not (whole or _BUDGET_WORDS.search(clause.text)):
        return
    if _COMPARISON.search(clause.text) or _UNCLEAR.search(clause.text):
        return  # 支出比年初预算减少2.21万元: a difference, not a figure
    if _DIFFERENCE.search(clause.text) and not (whole and whole[0] in _CHANGES):
        return
    previous = clause.start
    for amount in amounts:
        figures = figures_named(text[previous : amount.start])
        if not figures and len(amounts) == 1:
            figures = whole  # 8.56万元已全部支付到位: the word after the amount
        if amount.exact and amount.value:
            yield MoneyClaim(amount, figures)
        previous = amount.end


def figures_named(words: str) -> tuple[str, ...]:
    """The figure the words name, most specific first; 全年预算执行数 may be either."""
    for figure, pattern in _FIGURE_WORDS:
        if pattern.search(words):
            if figure == "adjusted" and _FIGURE_WORDS[-1][1].search(words):
                return ("adjusted", "spent")
            return (figure,)
    return ()


def sibling_figure(
    subject: Subject, amount: Decimal, named: tuple[str, ...] = ()
) -> tuple[str, str] | None:
    """The project of the unit (not this one) whose figure ``amount`` is, and which figure
    (the one of ``named``, the figures the words name, when it is one of them)."""
    own = subject.project
    entries = [
        (name, figure)
        for project, name, figure in subject.projects.shared(_unit_figures).get(amount, ())
        if project is not own and own is not None and name != own.name
    ]
    if not entries:
        return None
    first = entries[0][0]
    preferred = [FIGURE_NAMES[figure] for figure in named]
    mine = [(n, f) for n, f in entries if n == first and FIGURE_NAMES[f] in preferred]
    name, figure = (mine or entries)[0]
    return name, FIGURE_NAMES[figure]


def _unit_figures(projects: UnitProjects) -> dict[Decimal, list[tuple[Project, str, str]]]:
    """Every figure of every project of the unit: amount → [(project, name, figure)]."""
    found: dict[Decimal, list[tuple[Project, str, str]]] = {}
    for project in projects:
        known = Known.of(project)
        for figure in ("initial", "adjusted", "spent", "reduction", "increase"):
            value = known.shown(figure)
            if value:
                found.setdefault(value, []).append((project, project.name, figure))
    return found


def contradictions(text: str, known: Known, year: int) -> Iterator[MoneyClaim]:
    """The amounts of ``text`` that are not the figure their words name."""
    for claim in money_claims(text, year):
        if claim.figures and claim.quantity.wan not in known.values(claim.figures):
            yield claim


def narrative_amount_findings(subject: Subject) -> Iterator[Finding]:
    """The rule narrative-amount (registered in ``budget``, where it always was)."""
    project, figures = subject.project, subject.figures
    if project is None or figures is None:
        return
    known = Known.of(project)
    quoted = not switched_off(subject, "other-project-figure")
    for field in prose(subject):
        for claim in contradictions(field.text, known, figures.year):
            amount = claim.quantity
            if quoted and amount.wan not in known.every() and sibling_figure(subject, amount.wan):
                continue  # another project's figure: the rule other-project-figure says so
            written = field.text[amount.start : amount.end]
            yield Finding(field.path, _message(written, amount, claim, known), amount.start)


def _message(written: str, amount: Quantity, claim: MoneyClaim, known: Known) -> str:
    figure = claim.figures[0]
    name, value = FIGURE_NAMES[figure], money(known.shown(figure))
    allowed = known.values(claim.figures)
    if amount.unit == "元" and amount.value in allowed:
        slip: tuple[str, str, str] | None = ("元", "万元", f"{money(amount.value)}万元")
    elif amount.unit == "万元" and amount.wan / 10000 in allowed:
        slip = ("万元", "元", f"{money(amount.wan)}元")
    else:
        slip = None
    if slip is not None:
        return _(
            "The text says {written} where it speaks of the {figure}, which is {value} 万元: "
            "the unit is wrong ({wrong} for {right}); write {correct}."
        ).format(
            written=written, figure=name, value=value, wrong=slip[0], right=slip[1], correct=slip[2]
        )
    if amount.unit == "万元":
        return _(
            "The text says {written} 万元 where it speaks of the {figure}, but the data "
            "give {figure} {value} 万元: correct the text or the data."
        ).format(written=money(amount.wan), figure=name, value=value)
    return _(
        "The text says {written} ({amount} 万元) where it speaks of the {figure}, but the data "
        "give {figure} {value} 万元: correct the text or the data."
    ).format(written=written, amount=money(amount.wan), figure=name, value=value)
