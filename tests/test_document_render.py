"""Markup parsing, heading numbers, figures and the strict template environment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from zpgen.errors import ZpgenError
from zpgen.figures.formats import money, percent
from zpgen.render.environment import Renderer
from zpgen.render.markup import (
    Block,
    BlockKind,
    DocumentMeta,
    Numbering,
    escape_value,
    heading_number,
    parse_markup,
)

META = DocumentMeta(title="t", author="a", date=(2024, 4, 1))


@pytest.mark.parametrize(
    ("level", "n", "number"),
    [
        (1, 1, "一、"),
        (1, 10, "十、"),
        (1, 12, "十二、"),
        (1, 21, "二十一、"),
        (2, 3, "（三）"),
        (3, 2, "2."),
        (4, 5, "（5）"),
    ],
)
def test_heading_numbers_follow_gbt_9704(level: int, n: int, number: str) -> None:
    assert heading_number(level, n) == number


def test_numbering_counts_only_the_sections_present_and_restarts_per_part() -> None:
    markup = "# 甲\n## 子\n### 孙\n### 孙二\n## 子二\n# 乙\n### 直接三级\n---\n# 丙\n"
    blocks = parse_markup(markup, META, Numbering()).blocks
    numbers = [b.number for b in blocks if b.kind is BlockKind.HEADING]
    assert numbers == ["一、", "（一）", "1.", "2.", "（二）", "二、", "1.", "一、"]
    assert blocks[-2].kind is BlockKind.BREAK


def test_a_level_can_be_left_unnumbered() -> None:
    blocks = parse_markup("# 甲\n### 孙\n", META, Numbering((True, True, False, True))).blocks
    assert [b.number for b in blocks] == ["一、", ""]


def test_block_kinds() -> None:
    markup = "^单位\n= 标题\n@数量指标：完成了\n> 落款\n正文\n\n"
    assert parse_markup(markup, META, Numbering()).blocks == (
        Block(BlockKind.CENTER, "单位"),
        Block(BlockKind.TITLE, "标题"),
        Block(BlockKind.LABELLED, "完成了", label="数量指标："),
        Block(BlockKind.SIGNATURE, "落款"),
        Block(BlockKind.PARAGRAPH, "正文"),
    )


@pytest.mark.parametrize("value", ["# 不是标题", "---", "= 不是题目\n# 也不是", "@标签：不是标签"])
def test_inserted_data_can_never_become_structure(value: str) -> None:
    markup = escape_value(value) + "\n"
    blocks = parse_markup(markup, META, Numbering()).blocks
    assert all(b.kind is BlockKind.PARAGRAPH for b in blocks)
    assert "\n".join(b.text for b in blocks) == value


def test_decimal_arithmetic_is_exact() -> None:
    assert money(Decimal("24.24") - Decimal("15.68")) == "8.56"
    assert money(Decimal("40")) == "40"
    assert money(Decimal("12.30")) == "12.3"
    assert percent(Decimal("1.0000")) == "100%"
    assert percent(Decimal("0.8620")) == "86.2%"


def renderer_with(tmp_path: Path, template: str) -> Renderer:
    (tmp_path / "t.j2").write_text(template, encoding="utf-8")
    return Renderer([tmp_path])


def test_undefined_names_are_errors_naming_the_template_line(tmp_path: Path) -> None:
    renderer = renderer_with(tmp_path, "第一行\n{{ project.missing }}\n")
    with pytest.raises(ZpgenError) as caught:
        renderer.render("t.j2", {"project": {}}, Path("p.yaml"))
    message = caught.value.problems[0].message
    assert "missing" in message and "t.j2:2" in message
    assert caught.value.problems[0].file == Path("p.yaml")


def test_none_is_an_error_not_the_word_none(tmp_path: Path) -> None:
    renderer = renderer_with(tmp_path, "{{ value }}\n")
    with pytest.raises(ZpgenError, match="空值"):
        renderer.render("t.j2", {"value": None}, Path("p.yaml"))


def test_decimals_print_as_amounts(tmp_path: Path) -> None:
    renderer = renderer_with(tmp_path, "{{ a - b }}万元\n")
    markup = renderer.render("t.j2", {"a": Decimal("24.24"), "b": Decimal("15.68")}, Path("p.yaml"))
    assert parse_markup(markup, META, Numbering()).blocks[0].text == "8.56万元"


def test_templates_are_sandboxed(tmp_path: Path) -> None:
    renderer = renderer_with(tmp_path, "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(ZpgenError):
        renderer.render("t.j2", {}, Path("p.yaml"))
