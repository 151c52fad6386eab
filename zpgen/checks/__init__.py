"""Consistency checks: the mistakes real reports make, each a rule with a stable id.

``RULES`` lists them (id → ``Rule``); ``run_checks`` runs them over one file. The rules live by
subject: ``budget`` (the figures and the narrative's amounts), ``targets`` (indicators), and
``wording`` (copied text, typing slips, file names), ``scores`` (what keeps the scores from being
right: an error that cannot be switched off); and those that read what the prose says:
``itemised`` (sums), ``rates`` (percentages, 实际完成值), ``denials`` (暂无问题 beside a
shortfall), ``kinds`` (indicators of the wrong kind), ``leftovers`` (years, dates, 项目类别) and
``unitwide`` (copies across a unit's projects). ``prose/`` reads the texts for them, once. A
unit or a project switches a rule off with ``关闭检查: [{规则: <id>, 原因: …}]``.
"""

from __future__ import annotations

from zpgen.checks import (
    budget,
    denials,
    itemised,
    kinds,
    leftovers,
    rates,
    scores,
    targets,
    unitwide,
    wording,
)
from zpgen.checks.registry import (
    RULES,
    Finding,
    Rule,
    Subject,
    TextField,
    UnitProjects,
    rule,
    run_checks,
)

__all__ = [
    "RULES",
    "Finding",
    "Rule",
    "Subject",
    "TextField",
    "UnitProjects",
    "budget",
    "denials",
    "itemised",
    "kinds",
    "leftovers",
    "rates",
    "rule",
    "run_checks",
    "scores",
    "targets",
    "unitwide",
    "wording",
]
