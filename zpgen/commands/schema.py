"""JSON Schemas of the project, unit and 自评表 layout files, for editors (``zpgen schema``).

An editor with the YAML language server reads the schema named on a file's first line
(``# yaml-language-server: $schema=…``), completes the keys and shows each one's Chinese term and
explanation. The schemas come from the models (``zpgen/model/schema.py``); each field is offered by
its Chinese name, and its English name is accepted too (but not offered, to keep the list short).
The schemas use JSON Schema draft-07, which editors support best.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from zpgen.checks import RULES
from zpgen.model.keys import inner_model
from zpgen.model.layout import Layout
from zpgen.model.schema import DisabledCheck, Project, Unit
from zpgen.write.atomic import Status, write_output

__all__ = ["SCHEMA_FILES", "file_schema", "write_schemas"]

SCHEMA_FILES: dict[str, tuple[type[BaseModel], str]] = {
    "project.schema.json": (Project, "zpgen 项目文件（data/<年度>/<单位>/<项目>.yaml）"),
    "unit.schema.json": (Unit, "zpgen 单位文件（data/<年度>/<单位>/unit.yaml）"),
    "layout.schema.json": (Layout, "zpgen 自评表表式（<模板文件夹>/layouts/<名称>.yaml）"),
}


def write_schemas(folder: Path) -> list[tuple[Path, Status]]:
    """Write every schema into ``folder``; each file's status (created, updated, unchanged)."""
    written = []
    for name, (model, title) in SCHEMA_FILES.items():
        text = json.dumps(file_schema(model, title), ensure_ascii=False, indent=2) + "\n"
        path = folder / name
        written.append((path, write_output(path, text.encode("utf-8"))))
    return written


def file_schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    """The draft-07 schema of one kind of file."""
    schema = model.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    for found in _models(model):
        target = schema if found is model else definitions[found.__name__]
        _bilingual(target, found)
    if DisabledCheck.__name__ in definitions:
        rule = definitions[DisabledCheck.__name__]["properties"]["规则"]
        rule["enum"] = [found.id for found in RULES.values() if found.switchable]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **schema,
        "title": title,
        "definitions": definitions,
    }


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    found = [model]
    for info in model.model_fields.values():
        inner = inner_model(info.annotation)
        if inner is not None and inner not in found:
            found += [m for m in _models(inner) if m not in found]
    return found


def _bilingual(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Title and explanation on every property; the English names accepted, not suggested."""
    properties: dict[str, Any] = schema["properties"]
    required: list[str] = schema.pop("required", [])
    english: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        entry = properties[key]
        if "$ref" in entry:  # draft-07 ignores the keywords beside a $ref
            entry = properties[key] = {"allOf": [{"$ref": entry.pop("$ref")}], **entry}
        entry["title"] = key
        explanation = f"：{info.description}" if info.description else ""
        entry["description"] = f"{key}（{name}）{explanation}"
        if "default" in entry and entry["default"] is None:
            del entry["default"]
        if info.alias:
            english[name] = {**entry, "title": name, "doNotSuggest": True}
    properties.update(english)
    if required:
        aliases = {info.alias or name: name for name, info in model.model_fields.items()}
        schema["allOf"] = [
            {"anyOf": [{"required": [key]}, {"required": [aliases[key]]}]} for key in required
        ]
