"""Loading YAML exactly, and the schema's messages with file, line, column and key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from zpgen.errors import ZpgenError
from zpgen.load.yaml_file import load_yaml
from zpgen.model.schema import Project, Unit
from zpgen.model.validate import load_model, validate

from .conftest import write_tree

PROJECT = """\
项目名称: 测试项目
年初预算数: {initial}
全年预算数: 24.24
全年执行数: 8.56
资金用途: 用于测试
年度总体目标:
  预期目标: 目标
  实际完成情况: 完成了目标
绩效指标:
  - 一级指标: 产出指标
    二级指标: 数量指标
    三级指标: 数量
    年度指标值: ≥1个
    实际完成值: 1个
"""


def load_project(tmp_path: Path, text: str) -> Project:
    file = write_tree(tmp_path, {"p.yaml": text}) / "p.yaml"
    return validate(load_yaml(file, root=None), Project)


def problems_of(
    tmp_path: Path, text: str, model: type[Project] | type[Unit] = Project
) -> list[str]:
    file = write_tree(tmp_path, {"p.yaml": text}) / "p.yaml"
    with pytest.raises(ZpgenError) as caught:
        validate(load_yaml(file, root=None), model)
    return [f"{p.line}:{p.column} {p.key} {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("24.24", Decimal("24.24")),
        ("40", Decimal("40")),
        ("12.30", Decimal("12.30")),
        ("'8.56'", Decimal("8.56")),
    ],
)
def test_amounts_are_exact_decimals_from_the_source_text(
    tmp_path: Path, written: str, expected: Decimal
) -> None:
    project = load_project(tmp_path, PROJECT.format(initial=written))
    assert project.initial_budget == expected
    assert str(project.initial_budget) == str(expected)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("8.56万元", "“年初预算数”写成了“8.56万元”：只写数字即可，金额的单位已经是万元。"),
        ("8.56万", "“年初预算数”写成了“8.56万”：只写数字即可，金额的单位已经是万元。"),
        (
            "200000元",
            "“年初预算数”写成了“200000元”：金额以万元为单位，200000 元即 20 万元：请写 20。",
        ),
        (
            "132000 元",
            "“年初预算数”写成了“132000 元”：金额以万元为单位，132000 元即 13.2 万元：请写 13.2。",
        ),
    ],
)
def test_an_amount_with_its_unit_written_says_what_to_write(
    tmp_path: Path, written: str, message: str
) -> None:
    assert problems_of(tmp_path, PROJECT.format(initial=written)) == [f"2:1 年初预算数 {message}"]


def test_yaml_1_1_traps_stay_text(tmp_path: Path) -> None:
    file = (
        write_tree(
            tmp_path, {"x.yaml": "code: 010203\nflag: no\nday: 2024-12-31\nempty:\nnull_word: ~\n"}
        )
        / "x.yaml"
    )
    assert load_yaml(file, root=None).data == {
        "code": "010203",
        "flag": "no",
        "day": "2024-12-31",
        "empty": None,
        "null_word": None,
    }


def test_english_and_chinese_keys_mean_the_same(tmp_path: Path) -> None:
    english = (
        PROJECT.format(initial="30")
        .replace("项目名称", "name")
        .replace("年初预算数", "initial_budget")
    )
    assert load_project(tmp_path, english) == load_project(tmp_path, PROJECT.format(initial="30"))


def test_duplicate_keys_are_errors_with_both_lines(tmp_path: Path) -> None:
    text = PROJECT.format(initial="30") + "项目名称: 又一个名字\n"
    assert problems_of(tmp_path, text) == [
        "15:1 项目名称 键“项目名称”重复出现（第一次在第 1 行）：请删去一个。"
    ]


def test_every_problem_at_once_with_positions(tmp_path: Path) -> None:
    text = (
        PROJECT.format(initial="二十万")
        .replace("全年执行数: 8.56\n", "")
        .replace("资金用途", "资金用处")
    )
    assert problems_of(tmp_path, text) == [
        "2:1 年初预算数 “年初预算数”应为金额（万元），只用数字和最多一个小数点，如 8.56，而不是“二十万”。",
        "1:1 全年执行数 缺少必填项“全年执行数”：请添加一行“全年执行数: …”。",
        "4:1 资金用处 未知的键“资金用处”：是不是“资金用途”？",
    ]


def test_indicator_levels_are_checked(tmp_path: Path) -> None:
    text = PROJECT.format(initial="30").replace("二级指标: 数量指标", "二级指标: 社会效益指标")
    assert problems_of(tmp_path, text) == [
        "11:5 绩效指标[0].二级指标 “二级指标”在产出指标之下应为数量指标、质量指标、时效指标、成本指标之一，而不是“社会效益指标”。"
    ]


def test_negative_amounts_and_control_characters_are_refused(tmp_path: Path) -> None:
    text = PROJECT.format(initial="-1").replace("用于测试", '"用于\\x07测试"')
    assert problems_of(tmp_path, text) == [
        "2:1 年初预算数 “年初预算数”是负数（“-1”）：金额不能小于 0。",
        "5:1 资金用途 “资金用途”含有 Word 文档无法保存的控制字符 U+0007（第 3 个字符）：请删去。",
    ]


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "项目名称: [未闭合\n年初预算数: 1\n")
    assert len(problems) == 1 and problems[0].startswith("2:")


@pytest.mark.parametrize(
    ("value", "character"),
    [(">=6个", ">"), (">6个", ">"), ("> 99%", ">"), ("|=3", "|"), ("*6个", "*"), ("*", "*")],
)
def test_a_value_that_starts_with_yaml_syntax_is_named_by_its_first_character(
    tmp_path: Path, value: str, character: str
) -> None:
    problems = problems_of(tmp_path, f"项目名称: 测试\n年度指标值: {value}\n")
    assert len(problems) == 1
    assert problems[0].startswith(
        f"2:8  在 YAML 中值不能以“{character}”开头：请用引号把整个值括起来。"
    )


@pytest.mark.parametrize(
    "text", ["项目名称: [\n", "项目名称: {a\n", "项目名称: [1, 2\n年初预算数: 3\n"]
)
def test_a_bracket_left_open_is_explained(tmp_path: Path, text: str) -> None:
    problems = problems_of(tmp_path, text)
    assert len(problems) == 1 and "方括号 [ 或花括号 { 没有闭合" in problems[0], problems


def test_gbk_file_gets_its_own_message(tmp_path: Path) -> None:
    file = tmp_path / "gbk.yaml"
    file.write_bytes("项目名称: 测试\n".encode("gbk"))
    with pytest.raises(ZpgenError, match="GBK"):
        load_yaml(file, root=None)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ZpgenError, match="文件是空的"):
        load_yaml(write_tree(tmp_path, {"e.yaml": "# 只有注释\n"}) / "e.yaml", root=None)


@pytest.mark.parametrize(
    ("written", "shown"), [("2024年4月", "2024年4月"), ("2024年04月05日", "2024年4月5日")]
)
def test_evaluation_date_is_written_without_leading_zeros(
    tmp_path: Path, written: str, shown: str
) -> None:
    text = f"单位名称: 单位\n评价时间: {written}\n财政部门: 区财政\n公开网站: 网站\n"
    unit = validate(load_yaml(write_tree(tmp_path, {"u.yaml": text}) / "u.yaml", root=None), Unit)
    assert unit.evaluation_date == shown
    assert unit.evaluation_date.year == 2024


def test_bad_date_is_explained(tmp_path: Path) -> None:
    text = "单位名称: 单位\n评价时间: 2024-04\n财政部门: 区财政\n公开网站: 网站\n"
    assert problems_of(tmp_path, text, Unit) == [
        "2:1 评价时间 “评价时间”应写作“2024年4月”，而不是“2024-04”。"
    ]


@pytest.mark.parametrize(
    "written", ["2024年13月", "2024年2月30日", "2023年2月29日", "2024年4月31日"]
)
def test_a_date_that_no_calendar_has_is_an_error(tmp_path: Path, written: str) -> None:
    text = f"单位名称: 单位\n评价时间: {written}\n财政部门: 区财政\n公开网站: 网站\n"
    assert problems_of(tmp_path, text, Unit) == [
        f"2:1 评价时间 “评价时间”中的月或日不存在：“{written}”。"
    ]


def read_problems(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    """(key, message) of every problem of a project file, read as zpgen reads one."""
    file = write_tree(tmp_path, {"p.yaml": text}) / "p.yaml"
    with pytest.raises(ZpgenError) as caught:
        load_model(file, Project, root=None)
    return [(p.key, p.message) for p in caught.value.problems]


def test_a_key_in_both_its_names_is_named_as_written_twice(tmp_path: Path) -> None:
    text = PROJECT.format(initial="24.24").replace(
        "全年执行数: 8.56\n", "全年执行数: 8.56\nspent: 8.56\n"
    )
    assert read_problems(tmp_path, text) == [
        ("spent", "“spent”和“全年执行数”是同一个键，写了两次（一次中文，一次英文）：请删去一个。")
    ]


def test_a_key_written_twice_does_not_hide_the_files_other_problems(tmp_path: Path) -> None:
    text = PROJECT.format(initial="24,24")
    text = text.replace("全年执行数: 8.56\n", "全年执行数: 8.56\n全年执行数: 8.56\n")
    assert read_problems(tmp_path, text) == [
        (
            "年初预算数",
            "“年初预算数”写成了“24,24”：如果是 24.24，请用小数点；如果是 2424，请去掉逗号。",
        ),
        ("全年执行数", "键“全年执行数”重复出现（第一次在第 4 行）：请删去一个。"),
    ]


def test_points_are_told_they_are_points(tmp_path: Path) -> None:
    text = PROJECT.format(initial="24.24") + "    分值: abc\n"
    assert read_problems(tmp_path, text) == [
        (
            "绩效指标[0].分值",
            "“分值”应为分数，只用数字和最多一个小数点，如 20 或 2.5，而不是“abc”。",
        )
    ]
