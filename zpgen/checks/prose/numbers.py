"""Numbers in running Chinese text: amounts, counts, percentages, years and dates.

``quantities(text)`` finds every number that a sentence gives, with its unit and what surrounds
it: "16万元", "132,000元", "8.56万", "十六万元", "1.2亿元" (money, kept in 元), "86.2%",
"百分之百" (percentages), "18个", "6位", "3个月" (counts), "2023年", "12月" (years and months).
Digits may be Arabic, full-width (８.５６) or Chinese (十三, 三万五千, 零点三二); 万, 亿 and 千
multiply. Every value is an exact Decimal, never a float.

A number also says how sure it is: approximate ("约3万元", "100余人", "一个"), a bound ("不低于
95%", "40万元以内"), part of a range ("10～20人"), a rate per something ("每人300元",
"300元/人"), or an ordinal ("第十三月"). The checks compare only the numbers that are none of
these. The result is cached per text: every rule that reads a text shares one parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from functools import lru_cache

__all__ = ["Kind", "Quantity", "chinese_number", "quantities"]


class Kind(str, Enum):
    MONEY = "money"  # value in 元
    PERCENT = "percent"  # value in percent: 86.2 for 86.2%
    POINTS = "points"  # 个百分点: a difference of percentages, not a share
    COUNT = "count"  # a number of something: 18个, 6位, 3个月
    YEAR = "year"  # 2023年
    MONTH = "month"  # 12月, 12月份
    DAY = "day"  # the day of a date: 2024年4月15日
    NUMBER = "number"  # no unit


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in a text, at ``start``…``end`` (offsets into the text as written)."""

    start: int
    end: int
    value: Decimal  # money in 元, a percentage in percent, else the number
    kind: Kind
    unit: str  # the unit as written, normalised: "万元", "元", "%", "个", "个月", "年" …
    approximate: bool = False  # 约, 近, 左右, 余, 多; a lone 一 or 两 (一个: an article)
    bound: bool = False  # 不低于, 不超过, ≥, 以上, 以内 …: a limit, not a value
    ranged: bool = False  # one end of 10～20
    per: str = ""  # the measure of a rate: "人" in 每人300元 or 300元/人
    ordinal: bool = False  # 第十三月, 第3季度
    chinese: bool = False  # written in Chinese numerals

    @property
    def exact(self) -> bool:
        """A plain value: not approximate, a bound, a range's end, a rate or an ordinal."""
        return not (self.approximate or self.bound or self.ranged or self.per or self.ordinal)

    @property
    def wan(self) -> Decimal:
        """A sum of money in 万元 (the unit of the figures)."""
        return self.value / _WAN

    @property
    def decimals(self) -> int:
        """How many decimals the number was written with (86.20% has 2)."""
        exponent = self.value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0


_WAN = Decimal(10000)
_MULTIPLIERS = {"千": Decimal(1000), "万": _WAN, "亿": Decimal(100000000)}
_TO_ASCII = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

_TIME_UNITS = {"个工作日", "工作日", "个自然日", "个月", "小时", "分钟", "季度", "年度", "年"}
_TIME_UNITS |= {"月份", "月", "日", "天", "周", "星期"}
_COUNT_UNITS = set(
    "人位名个所次项家台套件户场期批份本册辆处座条张块亩米吨间栋株棵盏部篇类种宗起头只支艘㎡"
)
_COUNT_UNITS |= {"个百分点", "百分点", "人次", "户次", "架次", "批次", "课时", "学时", "平方米"}
_COUNT_UNITS |= {"平方公里", "立方米", "公里", "千米", "千克", "公斤", "个岗位", "岗位"}
# Every unit after a number, longest first (个月 before 个); a Chinese numeral counts only
# before one of them.
_UNITS = "|".join(sorted({"元", "%", "％", "分", *_TIME_UNITS, *_COUNT_UNITS}, key=len)[::-1])
_ARABIC = r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"
_CHINESE_DIGITS = "零〇一二两三四五六七八九"
_CHINESE = rf"[{_CHINESE_DIGITS}十][{_CHINESE_DIGITS}十百千万亿]*(?:点[{_CHINESE_DIGITS}]+[万亿]?)?"
_TOKEN = re.compile(
    rf"(?P<pct>百分之(?P<pctnum>{_ARABIC}|[{_CHINESE_DIGITS}十百千点]+))"
    rf"|(?<![0-9０-９.．A-Za-z])(?P<num>{_ARABIC})(?P<mult>[千万亿](?!分之))?"
    rf"|(?P<cn>{_CHINESE})"
)
_AFTER = re.compile(
    rf"\s*(?P<about>余|多|来)?\s*(?P<unit>{_UNITS})?(?P<per>\s*/\s*[\u4e00-\u9fff]{{1,2}})?"
)
_HAS_NUMBER = re.compile(rf"[0-9０-９{_CHINESE_DIGITS}十]|百分之")
_BEFORE_APPROX = re.compile(r"(?:约|大约|近|将近|逾|约合|大概)$")
_AFTER_APPROX = re.compile(r"(?:左右|上下|许)")
_BEFORE_BOUND = re.compile(
    r"(?:[≥≤><＞＜≧≦=＝]|不低于|不少于|不超过|不高于|不多于|不足|低于|高于|超过|超出|大于|小于|"
    r"至少|最多|最高|最低|控制在|上限|下限)\s*$"
)
_AFTER_BOUND = re.compile(
    r"(?:及以上|及以下|以上|以下|以内|之内|之上|内(?!部|容|设|涵|地|控|审|外))"
)
_RANGE = re.compile(r"\s*[-－~～—–至到]\s*$")
_PER_BEFORE = re.compile(r"每([\u4e00-\u9fff])[^，。；、：,;:每]{0,5}$")
_YEARS = (1900, 2100)


@lru_cache(maxsize=4096)  # every rule reads the same texts: each is parsed once
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every number of ``text`` with its unit, in order (see the module's docstring)."""
    if not _HAS_NUMBER.search(text):
        return ()
    found: list[Quantity] = []
    for match in _TOKEN.finditer(text):
        quantity = _quantity(text, match, found[-1] if found else None)
        if quantity is not None:
            found.append(quantity)
    return tuple(_mark_ranges(text, found))


def _quantity(text: str, match: re.Match[str], before: Quantity | None) -> Quantity | None:
    if match.group("pct"):
        value = _number(match.group("pctnum"))
        if value is None:
            return None
        return _qualified(text, match.start(), match.end(), value, Kind.PERCENT, "%")
    after = _AFTER.match(text, match.end())
    assert after is not None  # every part of it is optional
    unit = after.group("unit") or ""
    written = match.group("cn") or match.group("num")
    if match.group("cn"):
        if not unit or unit == "分" or text.startswith("性", after.end()):
            return None  # 统一, 十分 (very), 一次性 (once and for all): words, not numbers
        multiplier = written[-1] if written[-1] in "万亿" else ""
        value = chinese_number(written)
    else:
        multiplier = match.group("mult") or ""
        number = _number(written)
        value = None if number is None else number * _MULTIPLIERS.get(multiplier, Decimal(1))
    if value is None:
        return None
    kind, unit = _kind(unit, multiplier, value, written, before, text, match.start())
    quantity = _qualified(text, match.start(), after.end(), value, kind, unit)
    if match.group("cn"):
        # 一个良好的环境, 两个方面: a lone 一 or 两 is an article more often than a count
        quantity = replace(quantity, chinese=True, approximate=written in ("一", "两"))
    return _with_after(quantity, after)


def _kind(
    unit: str,
    multiplier: str,
    value: Decimal,
    written: str,
    before: Quantity | None,
    text: str,
    start: int,
) -> tuple[Kind, str]:
    """The kind of a number from its unit, and the unit as the checks name it."""
    if unit == "元" or (not unit and multiplier in ("万", "亿")):  # "8.56万": 万元 without 元
        return Kind.MONEY, f"{multiplier}元"
    if unit in ("%", "％"):
        return Kind.PERCENT, "%"
    if unit in ("个百分点", "百分点"):
        return Kind.POINTS, "个百分点"
    if unit in ("年", "年度") and len(written) == 4 and _YEARS[0] <= value <= _YEARS[1]:
        return Kind.YEAR, "年"
    if unit in ("月", "月份") and 1 <= value <= 12:
        return Kind.MONTH, "月"
    if unit == "日" and before is not None and text[start - 1 : start] == "月":
        return Kind.DAY, "日"
    if unit:
        return Kind.COUNT, unit
    return Kind.NUMBER, ""


def _qualified(text: str, start: int, end: int, value: Decimal, kind: Kind, unit: str) -> Quantity:
    """A quantity with what its neighbours say: approximate, a bound, a rate, an ordinal."""
    before = text[max(0, start - 8) : start]
    rest = text[end : end + 3]
    per = _PER_BEFORE.search(before)
    return Quantity(
        start,
        end,
        value,
        kind,
        unit,
        approximate=bool(_BEFORE_APPROX.search(before) or _AFTER_APPROX.match(rest)),
        bound=bool(_BEFORE_BOUND.search(before) or _AFTER_BOUND.match(rest)),
        per=per.group(1) if per else "",
        ordinal=before.endswith("第"),
    )


def _with_after(quantity: Quantity, after: re.Match[str]) -> Quantity:
    """What the text right after the number adds: 余/多 (approximate), /人 (a rate)."""
    if after.group("per"):
        per = after.group("per").strip().lstrip("/").strip()
        return replace(quantity, per=per, approximate=quantity.approximate or bool(after["about"]))
    if after.group("about"):
        return replace(quantity, approximate=True)
    return quantity


def _mark_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """Both ends of a range ("10～20人", "2023年1-12月") are marked ``ranged``."""
    for index in range(len(found) - 1):
        first, second = found[index], found[index + 1]
        if _RANGE.match(text[first.end : second.start]):
            found[index] = replace(first, ranged=True)
            found[index + 1] = replace(second, ranged=True)
    return found


def _number(written: str) -> Decimal | None:
    """An Arabic (full-width too, with thousands separators) or Chinese number."""
    ascii_form = written.translate(_TO_ASCII).replace(",", "")
    if ascii_form[:1].isdigit():
        return Decimal(ascii_form)
    return chinese_number(written)


_DIGIT_VALUES = {ch: index for index, ch in enumerate("零一二三四五六七八九")}
_DIGIT_VALUES.update({"〇": 0, "两": 2})
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "亿": 10**8}


def chinese_number(written: str) -> Decimal | None:
    """十三 → 13, 三万五千 → 35000, 一百零五 → 105, 零点三二 → 0.32, 二〇二三 → 2023."""
    if "点" in written and written[-1] in _BIG_UNITS:  # 零点三二万
        decimal = chinese_number(written[:-1])
        return None if decimal is None else decimal * _BIG_UNITS[written[-1]]
    whole, _point, fraction = written.partition("点")
    if any(ch not in _DIGIT_VALUES for ch in fraction):
        return None
    value = _chinese_integer(whole)
    if value is None:
        return None
    digits = "".join(str(_DIGIT_VALUES[ch]) for ch in fraction)
    return Decimal(f"{value}.{digits}") if digits else Decimal(value)


def _chinese_integer(written: str) -> int | None:
    if not written:
        return None
    if all(ch in _DIGIT_VALUES for ch in written):  # 二〇二三: digit by digit
        return int("".join(str(_DIGIT_VALUES[ch]) for ch in written))
    total = section = digit = 0
    for ch in written:
        if ch in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[ch]
        elif ch in _SMALL_UNITS:
            section += (digit or 1) * _SMALL_UNITS[ch]
            digit = 0
        elif ch in _BIG_UNITS:
            if _BIG_UNITS[ch] > 10**4:  # 亿 multiplies everything before it
                total = (total + section + digit) * _BIG_UNITS[ch]
            else:
                total += (section + digit) * _BIG_UNITS[ch]
            section = digit = 0
        else:
            return None
    return total + section + digit
