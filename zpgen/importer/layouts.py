"""The 自评表 layouts an import recognises, described as data.

A ``TableLayout`` names the labels of a 项目支出绩效自评表 and the keys their cells fill: the
cells beside a label (项目名称 | …), the columns of the fund block and the rows it has, the goal
columns, the indicator columns, and the rows that close the table (总分, 自评等级). Labels are
compared without spaces, without a unit in brackets ("项目资金（万元）") and without a weight
("产出指标（50分）"). The reader (``selftable.py``) has no code of its own for any layout:
adding one is adding a ``TableLayout`` to ``LAYOUTS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from zpgen.i18n import N_

__all__ = ["LAYOUTS", "TableLayout"]


@dataclass(frozen=True)
class TableLayout:
    """One form of the 自评表. Every mapping goes from a label (a regular expression matched
    against the whole cell, normalised as ``selftable.label`` does, NFKC included: “：” is
    “:”) to a key; ``fund_rows`` to a 资金来源 key ("" for the
    total); a fund cell that is only a dash is empty."""

    name: str
    title: str
    year: str
    beside: Mapping[str, str] = field(default_factory=dict)
    fund_columns: Mapping[str, str] = field(default_factory=dict)
    fund_rows: Mapping[str, str] = field(default_factory=dict)
    goal_columns: Mapping[str, str] = field(default_factory=dict)
    indicator_columns: Mapping[str, str] = field(default_factory=dict)
    total: str = "总分|合计"
    grade: str = "自评等级|评价等级"
    score_reason: str = "得分说明："
    empty: str = "[—－-]*|无|/"


ANNEX_1 = TableLayout(
    N_("the 自评表 of 财预〔2020〕10号 附件1"),
    title="项目支出绩效自评表",
    year=r"[（(](?P<year>\d{4})年度?[）)]",
    beside={"项目名称": "项目名称", "主管部门": "主管部门", "实施单位": "实施单位"},
    fund_columns={
        "年初预算数": "年初预算数",
        "全年预算数|调整后预算数": "全年预算数",
        "全年执行数|预算执行数": "全年执行数",
        "分值|权重": "印.预算分值",
        "执行率|预算执行率": "印.执行率",
        "得分": "印.预算得分",
    },
    fund_rows={
        "年度资金总额|资金总额|总额|合计": "",
        "(?:其中[:：]?)?(?:本年|当年)财政拨款": "本年财政拨款",
        "(?:其中[:：]?)?上年结转资金": "上年结转资金",
        "(?:其中[:：]?)?其他资金": "其他资金",
    },
    goal_columns={"预期目标": "年度总体目标.预期目标", "实际完成情况": "年度总体目标.实际完成情况"},
    indicator_columns={
        "一级指标": "一级指标",
        "二级指标": "二级指标",
        "三级指标": "三级指标",
        "年度指标值|指标值": "年度指标值",
        "实际完成值|完成值": "实际完成值",
        "分值|权重": "分值",
        "得分": "得分",
        "偏差原因分析及改进措施|偏差原因|未完成原因分析": "偏差原因",
    },
)

LAYOUTS: tuple[TableLayout, ...] = (ANNEX_1,)
