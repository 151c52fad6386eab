"""Checks of the wording: what copying last year's report leaves behind (another project's name,
placeholders), typing slips (a doubled character, full-width digits), and names that cannot be
file names as they stand.

Each check's text search is a plain function of a string, so it can run over any text, such as a
report written by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from zpgen.checks.registry import Finding, Subject, rule
from zpgen.errors import WARNING
from zpgen.i18n import N_, _
from zpgen.model.names import safe_name
from zpgen.model.placeholders import PLACEHOLDER_RULE

__all__ = [
    "Match",
    "doubled_characters",
    "form_prompts",
    "fullwidth_numbers",
    "other_project_names",
    "placeholders",
    "project_core",
]


@dataclass(frozen=True, slots=True)
class Match:
    offset: int
    text: str


# --- another project's name ---------------------------------------------------------------------

_NAME_SUFFIXES = ("专项资金", "专项经费", "项目资金", "资金", "项目", "经费", "费")
_SHORTEST_CORE = 6  # shorter cores ("培训") are words any project may use
_SHORTEST_NAME = 4


def project_core(name: str) -> str:
    """A project's name without the suffixes that any project shares (专项资金, 经费…)."""
    core = name
    for suffix in _NAME_SUFFIXES:
        if core.endswith(suffix) and len(core) - len(suffix) >= _SHORTEST_CORE:
            core = core[: -len(suffix)]
    return core


def other_project_names(text: str, own: str, others: tuple[str, ...]) -> Iterator[Match]:
    """Where ``text`` names one of ``others`` (by its name or its core), outside ``own`` name."""
    mine, cores = _names(own, others)
    blanked = None  # the text with the own name blanked out, made when first needed
    for other, core in cores:
        if core not in text:  # the usual case: no need to blank anything
            continue
        if blanked is None:
            blanked = text
            for name in mine:
                blanked = blanked.replace(name, "\0" * len(name))
        found = blanked.find(core)
        if found >= 0:
            yield Match(found, other)


@lru_cache(maxsize=64)
def _names(
    own: str, others: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The own name and its core, longest first (blanked out of a text), and each other project's
    name and core: what ``other_project_names`` looks for in every text of a project."""
    cores = tuple(
        (other, project_core(other))
        for other in others
        if other != own and len(project_core(other)) >= _SHORTEST_NAME
    )
    return tuple(sorted({own, project_core(own)}, key=len, reverse=True)), cores


@rule(
    "other-project-name",
    WARNING,
    N_("The text names another project of the unit (copied from its report?)."),
)
def other_project_name(subject: Subject) -> Iterator[Finding]:
    if subject.project is None:
        return
    for field in subject.texts():
        for found in other_project_names(field.text, subject.project.name, subject.others):
            yield Finding(
                field.path,
                _(
                    "This text names “{other}”, another project of this unit: was it copied "
                    "from that project? Write about this project instead."
                ).format(other=found.text),
                found.offset,
            )


# --- doubled characters -------------------------------------------------------------------------

# Characters that double as words of their own (常常, 人人, 年年, 大大提高, 一一对应).
_REDUPLICATED = set(
    "常人天年月日时处事个各家户层步节渐刚仅往纷统通样偏稍悄默静好慢轻多久早明大小长高远"
    "一万千点条件项次声句笔张份种回遍片块批谢看试想说哥姐弟妹爸妈爷奶宝星区冉楚恰频屡匆茫"
    "滔源井欣蒸津孜彬谆循翩姗落堂赫历脉"
    "某"  # 某某: a placeholder, which the rule placeholder reports
)
# Words that start with the character ending the word before them: 资金金额, 项目目标, 经费费用.
_SECOND_WORDS = {
    "金额",
    "费用",
    "用途",
    "用于",
    "年度",
    "年初",
    "人员",
    "人数",
    "数据",
    "数量",
    "额度",
    "目标",
    "目的",
    "标准",
    "工作",
    "作为",
    "作用",
    "位置",
    "门户",
    "统一",
    "确保",
    "保障",
    "资金",
    "务必",
    "上级",
    "级别",
    "划拨",
    "拨付",
    "付款",
    "款项",
    "度量",
    "量化",
    "化解",
    "理念",
    "议程",
    "程序",
    "定期",
    "期限",
    "限额",
    "出台",
    "台账",
    "账户",
    "力度",
    "能力",
    "才能",
    "会议",
    "施工",
    "费率",
    "率先",
    "管理",
    "理论",
    "计划",
    "划分",
    "分配",
    "配套",
    "套餐",
    "制度",
    "度过",
    "过程",
    "程度",
    "情况",
    "况且",
    "以上",
    "上下",
    "下发",
    "发放",
    "放宽",
    "宽松",
    "松动",
    "动态",
    "态度",
    "效益",
    "益处",
    "处理",
    "理解",
    "解决",
    "决定",
    "定位",
    "设施",
    "施行",
    "行政",
    "政策",
    "策略",
    "略有",
    "有效",
    "效果",
    "果断",
    "断续",
    "支出",
    "出资",
    "资产",
    "产出",
    "出具",
    "具体",
    "体系",
    "系统",
    "统计",
    "计算",
    "算法",
}
_DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")


def doubled_characters(text: str) -> Iterator[Match]:
    """Places where a Chinese character is typed twice by mistake ("经费费专项资金").

    Not flagged: characters that double as words (常常, 人人), AABB words (认认真真), and a
    character that ends one word and starts the next (资金金额, 2023年年初, 经费费用).
    """
    for found in _DOUBLED.finditer(text):
        char, at = found.group(1), found.start()
        if char in _REDUPLICATED:
            continue
        after = text[at + 2 : at + 4]
        before = text[at - 2 : at] if at >= 2 else ""
        if len(after) == 2 and after[0] == after[1]:  # AABB: 认认真真
            continue
        if len(before) == 2 and before[0] == before[1]:  # AABB: the BB of 扎扎实实
            continue
        if char + text[at + 2 : at + 3] in _SECOND_WORDS:
            continue
        yield Match(at, text[max(0, at - 2) : at + 4])


@rule("doubled-char", WARNING, N_("A character is typed twice (经费费)."))
def doubled_char(subject: Subject) -> Iterator[Finding]:
    for field in subject.texts():
        for found in doubled_characters(field.text):
            char = field.text[found.offset]
            yield Finding(
                field.path,
                _("“{context}”: “{char}” is typed twice; delete one.").format(
                    context=found.text, char=char
                ),
                found.offset,
            )


# --- placeholders -------------------------------------------------------------------------------

# The lookahead names the first character of every alternative: the search skips the others
# quickly (five times faster than trying each alternative at every character).
_PLACEHOLDER = re.compile(
    r"(?=[XxＸｘ×✕╳*＊….。待请T（(【\[某指])(?:"
    r"(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])|[×✕╳*＊]{2,}|…+|\.{3,}|。{3,}"
    r"|待填写?|待补充|请填写|TODO|TBD|[（(【\[]\s*[）)】\]]|某某|^指标\s*[0-9０-９一二三四五六七八九十]{1,2}$)"
)
# The form's own instructions: "（100字以内）", "此处填写", "请简要说明".
_PROMPT = re.compile(
    r"[（(]\s*(?:限|不超过|不少于|约)?\s*[0-9０-９]+\s*字(?:以内|左右|以上|以下)?\s*[）)]"
    r"|此处填写|请输入|请在此|填写说明|请简要|请详细|请说明|请描述|请列[出举]|请根据|请对照"
)


def placeholders(text: str) -> Iterator[Match]:
    """Placeholders a template or last year's report left in: XX, ××, ……, 待填, （ ）, 某某, and
    an indicator named as the blank form names its rows (指标1)."""
    for found in _PLACEHOLDER.finditer(text):
        yield Match(found.start(), found.group())


def form_prompts(text: str) -> Iterator[Match]:
    """The form's instructions left in the text: “（100字以内）”, “此处填写”, “请简要说明”."""
    if "字" not in text and "请" not in text and "填写" not in text:  # most texts
        return
    for found in _PROMPT.finditer(text):
        yield Match(found.start(), found.group())


@rule(
    PLACEHOLDER_RULE,  # also the id of the values still to fill in (待填)
    WARNING,
    N_("A placeholder or a prompt of the form is left in (XX, ××, ……, 待填, （100字以内）)."),
)
def placeholder(subject: Subject) -> Iterator[Finding]:
    for field in subject.texts():
        for found in placeholders(field.text):
            yield Finding(
                field.path,
                _("“{placeholder}” looks like a placeholder left in: write the real text.").format(
                    placeholder=found.text
                ),
                found.offset,
            )
        for found in form_prompts(field.text):
            yield Finding(
                field.path,
                _("“{prompt}” is an instruction of the form, left in: delete it.").format(
                    prompt=found.text
                ),
                found.offset,
            )


# --- full-width digits --------------------------------------------------------------------------

_NUMBER = re.compile(r"[0-9０-９][0-9０-９.．]*")
_FULLWIDTH = re.compile(r"[０-９．]")


def fullwidth_numbers(text: str) -> Iterator[Match]:
    """Numbers written with full-width digits (２０２３, ８.５６), in whole or in part."""
    if _FULLWIDTH.search(text) is None:  # most texts: nothing full-width to find
        return
    for found in _NUMBER.finditer(text):
        if any(not ch.isascii() for ch in found.group()):
            yield Match(found.start(), found.group())


@rule(
    "fullwidth-digits",
    WARNING,
    N_("A number is written with full-width digits (８.５６ for 8.56)."),
)
def fullwidth_digits(subject: Subject) -> Iterator[Finding]:
    for path, written in subject.amounts():
        if any(not ch.isascii() for ch in written):
            normal = unicodedata.normalize("NFKC", written).strip()
            yield Finding(
                path,
                _(
                    "The amount “{written}” has full-width characters; it is read as {normal}. "
                    "Write it with half-width digits: {normal}."
                ).format(written=written, normal=normal),
            )
    for field in subject.texts():
        for found in fullwidth_numbers(field.text):
            yield Finding(
                field.path,
                _("“{number}” has full-width digits: write {normal}.").format(
                    number=found.text, normal=unicodedata.normalize("NFKC", found.text)
                ),
                found.offset,
            )


# --- file names ---------------------------------------------------------------------------------


@rule(
    "file-name",
    WARNING,
    N_("A name has characters that a file name cannot hold; the file is named otherwise."),
)
def file_name(subject: Subject) -> Iterator[Finding]:
    name = subject.project.name if subject.project is not None else subject.unit.name
    field = "name"
    safe = safe_name(name)
    if safe != name:
        yield Finding(
            subject.path(field),
            _(
                '“{name}” cannot be a file name as it stands (characters such as / \\ : * ? " '
                "< > |, a name Windows reserves, dots or spaces at its ends, or more than 80 "
                "characters or 200 bytes): its report is written as “{safe}”."
            ).format(name=name, safe=safe),
        )
