"""An indicator's 年度指标值 and 实际完成值 read as the 自评表s write them.

A target is a comparison (≥, =, ≤, or none: qualitative), a number and its unit: "≥33个",
"=8个", "≤202.6万元", "≥95%", "100%"; also full-width "＞＝９５％", ">=", "不低于"/"不少于",
"不超过"/"不高于", "95%以上", "40万元以内". A number without a sign ("100%") is an equal target;
a target without a number ("合规", "及时") is qualitative. The scores and the checks read targets
here, so they cannot judge one differently.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

__all__ = ["Kind", "Target", "parse_quantity", "parse_target"]


class Kind(str, Enum):
    POSITIVE = "≥"
    EQUAL = "="
    NEGATIVE = "≤"
    QUALITATIVE = "定性"


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed 年度指标值: the comparison, the number and the unit; qualitative has no number."""

    kind: Kind
    value: Decimal | None
    unit: str
    text: str


_PREFIXES = [
    (Kind.POSITIVE, ("大于或等于", "大于等于", "不低于", "不少于", "至少", ">=", "≥", "≧", ">")),
    (Kind.NEGATIVE, ("小于或等于", "小于等于", "不高于", "不超过", "不多于", "至多", "<=", "≤")),
    (Kind.NEGATIVE, ("≦", "<")),
    (Kind.EQUAL, ("==", "=", "等于")),
]
_SUFFIXES = [
    (Kind.POSITIVE, ("及以上", "以上")),
    (Kind.NEGATIVE, ("及以下", "以下", "以内")),
]
_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([^\d]*)$")


@functools.lru_cache(maxsize=4096)
def parse_quantity(text: str) -> tuple[Decimal, str] | None:
    """A number and its unit, full-width forms read: "18个" → (18, "个"); "２０２.６万元" →
    (202.6, "万元"); None when the text is not a number."""
    match = _NUMBER.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None
    number = match.group(1).replace(",", "") + (match.group(2) or "")
    return Decimal(number), match.group(3).strip()


@functools.lru_cache(maxsize=4096)  # scores and several checks read every target: once each
def parse_target(text: str) -> Target:
    """Read a 年度指标值 as written: full-width forms and words such as 不低于, 以上 included."""
    rest = unicodedata.normalize("NFKC", text).strip()
    kind = Kind.EQUAL
    for candidate, words in _PREFIXES:
        word = next((w for w in words if rest.startswith(w)), None)
        if word:
            kind, rest = candidate, rest[len(word) :].strip()
            break
    else:
        for candidate, words in _SUFFIXES:
            word = next((w for w in words if rest.endswith(w)), None)
            if word:
                kind, rest = candidate, rest[: -len(word)].strip()
                break
    parsed = parse_quantity(rest)
    if parsed is None:
        return Target(Kind.QUALITATIVE, None, "", text.strip())
    return Target(kind, parsed[0], parsed[1], text.strip())
