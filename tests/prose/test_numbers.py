"""The parser of numbers in running text: what each number is, exactly, and how sure it is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zpgen.checks.prose.clauses import clauses
from zpgen.checks.prose.numbers import Kind, Quantity, chinese_number, quantities


def read(text: str) -> list[tuple[str, str, str, str]]:
    """(as written, value, kind, unit) of every number of ``text``."""
    return [(text[q.start : q.end], str(q.value), q.kind.value, q.unit) for q in quantities(text)]


def only(text: str) -> Quantity:
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年初预算安排专项资金24.24万元", [("24.24万元", "242400.00", "money", "万元")]),
        ("支出132,000元", [("132,000元", "132000", "money", "元")]),
        ("1,740,000元", [("1,740,000元", "1740000", "money", "元")]),
        ("实际支出8.56万，", [("8.56万", "85600.00", "money", "万元")]),
        ("总投资1.2亿元", [("1.2亿元", "120000000.0", "money", "亿元")]),
        ("３千元", [("３千元", "3000", "money", "千元")]),
        ("８.５６万元", [("８.５６万元", "85600.00", "money", "万元")]),
        ("十六万元", [("十六万元", "160000", "money", "万元")]),
        ("三万五千元", [("三万五千元", "35000", "money", "元")]),
        ("零点三二万元", [("零点三二万元", "3200.00", "money", "万元")]),
        ("执行率为86.2%", [("86.2%", "86.2", "percent", "%")]),
        ("满意度９６％", [("９６％", "96", "percent", "%")]),
        ("百分之百", [("百分之百", "100", "percent", "%")]),
        ("百分之九十五点五", [("百分之九十五点五", "95.5", "percent", "%")]),
        ("提高3个百分点", [("3个百分点", "3", "points", "个百分点")]),
        ("维护了18个系统", [("18个", "18", "count", "个")]),
        ("共6位", [("6位", "6", "count", "位")]),
        ("3个月内", [("3个月", "3", "count", "个月")]),
        ("30个工作日", [("30个工作日", "30", "count", "个工作日")]),
        ("2万人次", [("2万人次", "20000", "count", "人次")]),
        ("十八所学校", [("十八所", "18", "count", "所")]),
        ("二〇二三年", [("二〇二三年", "2023", "year", "年")]),
        (
            "2024年4月15日",
            [
                ("2024年", "2024", "year", "年"),
                ("4月", "4", "month", "月"),
                ("15日", "15", "day", "日"),
            ],
        ),
        ("截止2023年12月份", [("2023年", "2023", "year", "年"), ("12月份", "12", "month", "月")]),
        ("2023年度", [("2023年度", "2023", "year", "年")]),
    ],
)
def test_what_a_number_is(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "一体化业务系统",
        "统一维护",
        "十分重要",
        "万一",
        "千万",
        "一是加强管理",
        "（万元）",
        "第三方",
    ],
)
def test_words_made_of_numerals_are_not_numbers(text: str) -> None:
    assert quantities(text) == ()


def test_money_is_exact_decimal_in_yuan_and_wan() -> None:
    amount = only("调减预算15.68万元")
    assert amount.value == Decimal("156800") and amount.wan == Decimal("15.68")
    assert isinstance(amount.wan, Decimal)
    assert only("24.24万元").wan - only("15.68万元").wan == Decimal("8.56")  # not 8.559999…


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("约3万元", "approximate"),
        ("近3万元", "approximate"),
        ("3万元左右", "approximate"),
        ("100余人", "approximate"),
        ("3万余元", "approximate"),
        ("形成一个良好的环境", "approximate"),  # a lone 一 is an article more often than a count
        ("≥95%", "bound"),
        ("不低于90%", "bound"),
        ("40万元以内", "bound"),
        ("95%以上", "bound"),
        ("控制在24.24万元", "bound"),
        ("每人300元", "per"),
        ("每生每年500元", "per"),
        ("300元/人", "per"),
        ("第十三月", "ordinal"),
        ("第3季度", "ordinal"),
    ],
)
def test_how_sure_a_number_is(text: str, flag: str) -> None:
    found = quantities(text)
    assert found and getattr(found[0], flag)
    assert not found[0].exact


def test_both_ends_of_a_range() -> None:
    low, high = quantities("10～20人")
    assert low.ranged and high.ranged and (low.value, high.value) == (10, 20)
    assert all(q.ranged for q in quantities("1-12月"))
    assert not any(q.ranged for q in quantities("18个，20人"))


def test_a_rate_names_its_measure() -> None:
    assert only("每人300元").per == "人"
    assert only("500元/人·年").per == "人"
    assert only("每所学校1万元").per == "所"


def test_decimals_as_written() -> None:
    assert only("86.20%").decimals == 2
    assert only("86%").decimals == 0
    assert only("百分之八十六点二").decimals == 1


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("十", 10),
        ("十三", 13),
        ("二十", 20),
        ("一百零五", 105),
        ("两千", 2000),
        ("三万五千", 35000),
        ("十六万", 160000),
        ("一亿二千万", 120000000),
        ("零点三二", Decimal("0.32")),
        ("二〇二三", 2023),
    ],
)
def test_chinese_numerals(written: str, value: int | Decimal) -> None:
    assert chinese_number(written) == value


def test_clauses_keep_thousands_separators_and_number_sentences() -> None:
    text = "支出132,000元，结余8,000元。其中设备费3,000元；培训费5,000元"
    cut = clauses(text)
    assert [clause.text for clause in cut] == [
        "支出132,000元",
        "结余8,000元",
        "其中设备费3,000元",
        "培训费5,000元",
    ]
    assert [clause.sentence for clause in cut] == [0, 0, 1, 1]
    assert [[q.value for q in clause.quantities] for clause in cut] == [
        [132000],
        [8000],
        [3000],
        [5000],
    ]
    assert all(q.kind is Kind.MONEY for clause in cut for q in clause.quantities)
