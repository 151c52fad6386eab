"""Schema errors (pydantic's) → problems a finance clerk can act on.

Each message names the key, says what was found and what belongs there. An unknown key gets a
suggestion: the key it most resembles at that level (difflib over the model's Chinese and English
names), or the level where it does belong when it was indented wrongly, or the file it belongs in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from zpgen.errors import Problem
from zpgen.i18n import _
from zpgen.load.yaml_file import KeyPath, Located
from zpgen.model.keys import field_of, inner_model, spelled
from zpgen.model.values import describe

__all__ = ["explain", "suggest", "top_level_problem"]

_MAPPING_ERRORS = ("model_type", "model_attributes_type", "dict_type")
_FULL_WIDTH_COLON = re.compile(r"(?:^|\n)\s*[^\s：:]{1,20}：")


def top_level_problem(located: Located) -> Problem:
    """The file's data is not a mapping: say what it is, and the usual cause."""
    data = located.data
    if isinstance(data, str) and _FULL_WIDTH_COLON.search(data):
        message = _(
            "The file holds no “key: value” lines: the keys are followed by full-width colons "
            "“：”. Write a half-width colon and a space after each key: “项目名称: …”."
        )
    else:
        message = _("The file should hold “key: value” lines, not {found}.").format(
            found=describe(data)
        )
    return located.problem((), message)


def explain(
    located: Located,
    model: type[BaseModel],
    error: ValidationError,
    elsewhere: Sequence[tuple[type[BaseModel], str]] = (),
) -> list[Problem]:
    """One problem per pydantic error, at the position of its key.

    ``elsewhere``: the other kinds of file and what to call them (``(Unit, "unit.yaml")``), so a
    key written in the wrong file is named as such.
    """
    errors = error.errors()
    # A key written wrongly is missing too: say so once, at the wrong key.
    meant = {_meant(model, tuple(e["loc"])) for e in errors if e["type"] == "extra_forbidden"}
    # A list whose items are wrong is not also too short: the items are what to correct.
    inside = {tuple(e["loc"][:-1]) for e in errors if len(e["loc"]) > 1}
    inside |= {loc[:n] for loc in inside for n in range(len(loc))}
    return [
        located.problem(tuple(e["loc"]), _message(located, model, e, elsewhere))
        for e in errors
        if not (e["type"] == "missing" and e["loc"][-1] in meant)
        and not (e["type"] == "too_short" and tuple(e["loc"]) in inside)
    ]


def _meant(model: type[BaseModel], loc: KeyPath) -> str:
    """The key an unknown key stands for: itself (written at a wrong level), or its look-alike."""
    key = str(loc[-1])
    if _where_it_belongs(model, key) is not None:
        return key
    here = _model_at(model, loc[:-1])
    if here is None:  # pragma: no cover  # pydantic reports extra keys only inside models
        return key
    return suggest(key, _names(here, not key.isascii())) or key


def _message(
    located: Located,
    model: type[BaseModel],
    error: Any,
    elsewhere: Sequence[tuple[type[BaseModel], str]],
) -> str:
    loc: KeyPath = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    key = _key_name(loc)
    if kind == "missing":
        shown = _spelling(located, model, loc)
        return _("The required key “{key}” is missing: add a line “{key}: …”.").format(key=shown)
    if kind == "extra_forbidden":
        return _unknown_key(model, loc, elsewhere)
    if value is None and kind.endswith("_type"):
        return _("“{key}” is empty: write its value after the colon.").format(key=key)
    if kind == "string_type":
        return _("“{key}” should be text, not {found}.").format(key=key, found=describe(value))
    if kind == "list_type":
        return _(
            "“{key}” should be a list, each item on its own line starting with “- ”, not {found}."
        ).format(key=key, found=describe(value))
    if kind in _MAPPING_ERRORS:
        if isinstance(value, str) and _FULL_WIDTH_COLON.search(value):
            return _(
                "“{key}” should hold “key: value” lines, but its keys are followed by "
                "full-width colons “：”: write a half-width colon and a space."
            ).format(key=key)
        return _("“{key}” should hold “key: value” lines, indented below it, not {found}.").format(
            key=key, found=describe(value)
        )
    if kind in ("bool_parsing", "bool_type"):
        return _("“{key}” should be 是 or 否, not {found}.").format(key=key, found=describe(value))
    if kind == "too_short":
        return _("“{key}” needs at least one item.").format(key=key)
    if kind == "value_error":
        problem = str(error["ctx"]["error"]) if "ctx" in error else str(error["msg"])
        if key and problem.startswith(key):  # the message names its key already (权重之和…)
            return problem if problem.endswith("。") else problem + "。"
        return _("“{key}” {problem}.").format(key=key, problem=problem)
    return _("“{key}”: {problem}.").format(key=key, problem=error["msg"])  # pragma: no cover


def _key_name(loc: KeyPath) -> str:
    """The last key of a path, with its list index: ``实际完成值``, ``绩效指标[2]``."""
    if not loc:
        return ""
    if isinstance(loc[-1], int) and len(loc) > 1:
        return f"{loc[-2]}[{loc[-1]}]"
    return str(loc[-1])


# --- the model's keys ---------------------------------------------------------------------------


def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    return dict(model.model_fields)


def _field(model: type[BaseModel], key: str) -> FieldInfo | None:
    name = field_of(model, key)
    return model.model_fields[name] if name is not None else None


def _model_at(root: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for step in path:
        if isinstance(step, int) or model is None:
            continue
        info = _field(model, step)
        model = inner_model(info.annotation) if info is not None else None
    return model


def _spelling(located: Located, root: type[BaseModel], loc: KeyPath) -> str:
    """A missing key as the file would write it (``zpgen.model.keys``)."""
    model = _model_at(root, loc[:-1])
    parent: Any = located.data
    for step in loc[:-1]:
        if isinstance(parent, dict):
            parent = parent.get(step)
        elif isinstance(parent, list) and isinstance(step, int) and step < len(parent):
            parent = parent[step]
    name = field_of(model, str(loc[-1])) if model is not None else None
    return spelled(parent, model, name) if model is not None and name else str(loc[-1])


def _names(model: type[BaseModel], chinese: bool) -> list[str]:
    return [
        (info.alias or name) if chinese else name
        for name, info in _fields(model).items()
        if not chinese or info.alias
    ]


def suggest(word: str, candidates: Sequence[str]) -> str | None:
    """The candidate ``word`` most resembles, if any resembles it enough."""
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return found[0] if found else None


def _unknown_key(
    root: type[BaseModel], loc: KeyPath, elsewhere: Sequence[tuple[type[BaseModel], str]]
) -> str:
    key = str(loc[-1])
    model = _model_at(root, loc[:-1])
    if model is None:  # pragma: no cover  # pydantic reports extra keys only inside models
        return _("Unknown key “{key}”.").format(key=key)
    chinese = not key.isascii()
    here = field_of(model, key)
    if here is not None:  # a known key, refused: its other name is written too
        info = model.model_fields[here]
        twin = here if key == info.alias else info.alias or here
        return _(
            "“{key}” and “{other}” are one key, written twice (once in Chinese, once in "
            "English): delete one of them."
        ).format(key=key, other=twin)
    parent = _where_it_belongs(root, key)
    if parent == "":
        return _(
            "“{key}” does not belong here but at the top level of the file, not indented."
        ).format(key=key)
    if parent is not None:
        return _(
            "“{key}” does not belong at this level but under “{parent}”: check its indentation."
        ).format(key=key, parent=parent)
    for other, label in elsewhere:
        if _field(other, key) is not None:
            return _("“{key}” does not belong in this file but in {file}.").format(
                key=key, file=label
            )
    close = suggest(key, _names(model, chinese)) or suggest(key, _names(model, not chinese))
    if close is not None:
        return _("Unknown key “{key}”: did you mean “{suggestion}”?").format(
            key=key, suggestion=close
        )
    return _("Unknown key “{key}”. The keys here are: {keys}.").format(
        key=key, keys="、".join(_names(model, chinese))
    )


def _where_it_belongs(root: type[BaseModel], key: str) -> str | None:
    """The path (as the user writes it) of the first model that has ``key``; "" for the root."""
    for path, model in _walk(root, ()):
        if _field(model, key) is not None:
            return ".".join(path)
    return None


def _walk(model: type[BaseModel], path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, model
    for name, info in _fields(model).items():
        inner = inner_model(info.annotation)
        if inner is not None:
            yield from _walk(inner, (*path, info.alias or name))
