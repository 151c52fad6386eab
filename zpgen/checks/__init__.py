"""Consistency checks: the mistakes real reports make, each a rule with a stable id.

``RULES`` lists them (id → ``Rule``); ``run_checks`` runs them over one file. The rules live by
subject: ``budget`` (the figures and the narrative's amounts), ``targets`` (indicators), and
``wording`` (copied text, typing slips, file names). A unit or a project switches a rule off with
``关闭检查: [{规则: <id>, 原因: …}]``.
"""

from __future__ import annotations

from zpgen.checks import budget, targets, wording
from zpgen.checks.registry import RULES, Finding, Rule, Subject, TextField, rule, run_checks

__all__ = [
    "RULES",
    "Finding",
    "Rule",
    "Subject",
    "TextField",
    "budget",
    "rule",
    "run_checks",
    "targets",
    "wording",
]
