"""The JSON Schemas for editors: in step with the models, complete, and right about the data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from zpgen.checks import RULES
from zpgen.commands.schema import SCHEMA_FILES, write_schemas

from .conftest import ROOT

SCHEMAS = ROOT / "schema"
DATA = ROOT / "data" / "2023"


def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def validator(name: str) -> jsonschema.Draft7Validator:
    found = schema(name)
    jsonschema.Draft7Validator.check_schema(found)
    return jsonschema.Draft7Validator(found)


def test_the_committed_schemas_are_the_generated_ones(tmp_path: Path) -> None:
    written = write_schemas(tmp_path)
    assert [path.name for path, _status in written] == list(SCHEMA_FILES)
    for path, _status in written:
        committed = (SCHEMAS / path.name).read_bytes()
        assert path.read_bytes() == committed, "models changed: run `zpgen schema` and commit"


def test_the_data_files_name_their_schema() -> None:
    for file in sorted(DATA.rglob("*.yaml")):
        kind = "unit" if file.name == "unit.yaml" else "project"
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../../schema/{kind}.schema.json"
        assert (file.parent / "../../../schema" / f"{kind}.schema.json").resolve().is_file()


@pytest.mark.parametrize("name", ["project", "unit"])
def test_every_key_has_its_chinese_term_and_an_explanation(name: str) -> None:
    found = schema(name)
    objects = [found, *found["definitions"].values()]
    count = 0
    for entry in objects:
        for key, property_schema in entry.get("properties", {}).items():
            assert property_schema["title"] == key
            term, _, explanation = property_schema["description"].partition("：")
            assert term.startswith(key if not key.isascii() else "") and explanation, key
            count += 1
    assert count > 20


def test_the_seed_data_are_valid_and_english_keys_too() -> None:
    for file in sorted(DATA.rglob("*.yaml")):
        kind = "unit" if file.name == "unit.yaml" else "project"
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert list(validator(kind).iter_errors(data)) == [], file.name
    english = {
        "name": "单位",
        "evaluation_date": "2024年4月",
        "finance_authority": "区财政",
        "portal": "网站",
    }
    assert list(validator("unit").iter_errors(english)) == []


def test_a_wrong_key_and_a_missing_key_are_flagged() -> None:
    unit = {"单位名": "单位", "评价时间": "2024年4月", "财政部门": "区财政", "公开网站": "网站"}
    messages = [error.message for error in validator("unit").iter_errors(unit)]
    assert any("'单位名' was unexpected" in message for message in messages)
    assert len(messages) >= 2, "单位名称 is missing too"


def test_the_rules_that_can_be_switched_off_are_listed() -> None:
    rule = schema("project")["definitions"]["DisabledCheck"]["properties"]["规则"]
    assert rule["enum"] == [r for r in RULES if r != "scores"]  # not switchable


def test_the_examples_data_and_the_built_in_layouts_are_valid() -> None:
    """The data of every example (the published reports' fields among them) and every built-in
    layout, against the schemas an editor reads."""
    for file in sorted((ROOT / "examples").glob("*/data/**/*.yaml")):
        kind = "unit" if file.name == "unit.yaml" else "project"
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert list(validator(kind).iter_errors(data)) == [], file
    layouts = sorted((ROOT / "templates" / "layouts").glob("*.yaml"))
    assert len(layouts) == 3
    for file in layouts:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert list(validator("layout").iter_errors(data)) == [], file.name
    wrong = {"名称": "表", "列宽": [1], "行": [{"格": [{"文字": "甲", "宽": 2}]}]}
    (error,) = validator("layout").iter_errors(wrong)
    assert list(error.path) == ["行", 0, "格"]
