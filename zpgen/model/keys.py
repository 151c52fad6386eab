"""How a file spells a key: every field has an English name and a Chinese one, and a file may use
either. A message about a field names it as the file does, and this is the one place that works
out which name that is.

A key the file writes is spelled as written. A key it leaves out is spelled in English when its
neighbours all are, else in Chinese (the schema's alias).
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

__all__ = ["field_of", "inner_model", "spelled", "spelled_path"]

KeyPath = tuple[str | int, ...]


def spelled(raw: Any, model: type[BaseModel], field: str) -> str:
    """The key for ``field`` of ``model`` in ``raw`` (the mapping the file wrote for it)."""
    alias = model.model_fields[field].alias or field
    if isinstance(raw, Mapping):
        if alias in raw:
            return alias
        if field in raw or (raw and all(str(key).isascii() for key in raw)):
            return field
    return alias


def spelled_path(raw: Any, model: type[BaseModel], *steps: str | int) -> KeyPath:
    """A path of field names and list indices from ``model`` down, as the file ``raw`` (its
    whole data) spells each key."""
    path: list[str | int] = []
    current: type[BaseModel] | None = model
    for step in steps:
        if isinstance(step, int):
            path.append(step)
            raw = raw[step] if isinstance(raw, list) and step < len(raw) else None
            continue
        if current is None:
            path.append(step)
            raw = None
            continue
        key = spelled(raw, current, step)
        path.append(key)
        current = inner_model(current.model_fields[step].annotation)
        raw = raw.get(key) if isinstance(raw, Mapping) else None
    return tuple(path)


def field_of(model: type[BaseModel], key: str) -> str | None:
    """The field a key names, in English or in Chinese; None when it names none."""
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    return None


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``X``, ``X | None``, ``list[X]``, ``tuple[X, ...]``, ``Annotated[X, …]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = inner_model(argument)
        if found is not None:
            return found
    return None
