"""Slips that reports repeat year after year, corrected in the text an import writes.

Each correction is a pattern, its replacement and the reason; every one made is marked
待核对 beside the value, with the words before and after, so the analyst sees it. Only slips
that cannot be meant are here: “不在发放” (not present, issuing) for “不再发放” (no longer
issuing) before a verb of the budget's work.
"""

from __future__ import annotations

import re

from zpgen.i18n import N_, _

__all__ = ["CORRECTIONS", "correct"]

_VERBS = "发放|享受|支付|拨付|维护|运行|使用|执行|申报|开展|安排|列支|承担|补助|实施"

CORRECTIONS: tuple[tuple[str, str, str], ...] = (
    (rf"不在(?=(?:{_VERBS}))", "不再", N_("“不在” before a verb is “不再” (no longer)")),
)


def correct(text: str) -> tuple[str, list[str]]:
    """The text corrected, and a note for each correction made."""
    notes = []
    for pattern, replacement, reason in CORRECTIONS:
        for found in re.finditer(pattern, text):
            before = text[max(found.start() - 4, 0) : found.end() + 2]
            after = before.replace(found.group(), replacement, 1)
            notes.append(
                _("the report writes “{before}”; corrected to “{after}”: {reason}").format(
                    before=before, after=after, reason=_(reason)
                )
            )
        text = re.sub(pattern, replacement, text)
    return text, notes
