"""Projects of other shapes than the seed's: each must be expressible and read right."""

from __future__ import annotations

from pathlib import Path

import pytest

from zpgen.builder import build
from zpgen.model.names import safe_name

from .conftest import assert_golden, write_tree

UNIT = """\
单位名称: 某县教育局
评价时间: 2025年3月8日
财政部门: 县财政局
公开网站: 某县人民政府网站
设置:
  三级标题编号: 是
"""

# No reduction, no 满意度指标, two 三级指标 under 数量指标, and 经济效益 and 生态效益 indicators.
PROJECT = """\
name: 校园绿化提升工程
initial_budget: 120
adjusted_budget: 120
spent: 118.5
purpose: 用于全县12所学校的校园绿化
goal:
  expected: 完成12所学校的绿化提升
  achieved: 完成了12所学校的绿化提升
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 绿化学校数量, target: ≥12所, actual: 12所, narrative: 完成了12所学校的绿化。}
  - {level1: 产出指标, level2: 数量指标, name: 新增绿地面积, target: ≥3000平方米, actual: 3200平方米, narrative: 新增绿地3200平方米。}
  - {level1: 效益指标, level2: 生态效益指标, name: 绿化覆盖率, target: ≥35%, actual: 36%, narrative: 校园绿化覆盖率达到36%。}
  - {level1: 效益指标, level2: 经济效益指标, name: 节约养护费用, target: ≥2万元, actual: 2.4万元, narrative: 每年节约养护费用2.4万元。}
improvements: 下一年度加强后期养护。
"""


def test_a_project_unlike_the_seeds(tmp_path: Path, update_golden: bool) -> None:
    unit = "data/2024/教育局"
    write_tree(tmp_path, {f"{unit}/unit.yaml": UNIT, f"{unit}/green.yaml": PROJECT})
    report = build(tmp_path, formats=["txt"])
    assert report.problems == []
    text = (tmp_path / "output/2024/某县教育局/校园绿化提升工程.txt").read_text("utf-8")
    assert_golden(text, "shapes/校园绿化提升工程.txt", update_golden)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("数据系统维护费专项资金", "数据系统维护费专项资金"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ('A/B:C*D?"E"<F>|G', "A_B_C_D__E__F__G"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        (" 结尾有点. ", "结尾有点"),
        ("...", "_"),
        ("长" * 100, "长" * 66),  # 80 characters, but no more than 200 bytes
    ],
)
def test_output_names_are_safe_everywhere(name: str, safe: str) -> None:
    assert safe_name(name) == safe
