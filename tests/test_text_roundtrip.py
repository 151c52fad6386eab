"""Any text in any text field reaches the .txt and the .docx exactly, or is refused clearly.

What "exactly" means is ``zpgen.model.values.normalise_text``: the whitespace at the ends of each line
of a value and blank lines are layout; a line break in a paragraph field starts a new paragraph
(the .docx's paragraphs, joined by line breaks, read as the .txt does). A field that sits inside a
sentence loses a final 。；， (the templates' ``clause`` filter, documented in docs/reference.md). A one-line
field with a line break, an empty field and a character a .docx cannot hold are refused, with an
error at that field's key. Nothing else may happen: no crash, no silent change.
"""

from __future__ import annotations

import copy
import functools
import tempfile
from pathlib import Path
from typing import Any

import docx
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from zpgen.builder import build
from zpgen.errors import ERROR
from zpgen.load.yaml_file import load_yaml
from zpgen.model.schema import Project, Unit
from zpgen.model.validate import validate
from zpgen.model.values import normalise_text

UNIT: dict[str, Any] = {
    "单位名称": "某县教育局",
    "主管部门": "某县人民政府",
    "评价时间": "2025年3月",
    "财政部门": "县财政局",
    "公开网站": "某县人民政府网站",
    "措辞": {
        "自评方式": "组织了相关股室",
        "总体评价": "项目实施规范。",
        "资金管理情况": "资金管理严格。",
        "结果应用": "改进管理",
    },
}
PROJECT: dict[str, Any] = {
    "项目名称": "校园绿化提升工程",
    "项目类别": "特定类项目",
    "实施单位": "某县教育局",
    "年初预算数": "120",
    "全年预算数": "100",
    "全年执行数": "95",
    "预算调整原因": "部分学校的绿化并入了改扩建工程",
    "资金用途": "用于全县学校的校园绿化",
    "年度总体目标": {"预期目标": "完成绿化提升", "实际完成情况": "完成了绿化提升"},
    "绩效指标": [
        {
            "一级指标": "产出指标",
            "二级指标": "数量指标",
            "三级指标": "绿化学校数量",
            "年度指标值": "≥12所",
            "实际完成值": "12所",
            "完成情况": "完成了12所学校的绿化。",
            "偏差原因": "无。",
        }
    ],
    "偏离原因": "无。",
    "改进措施": "加强养护。",
}
# Every text field, as (file, key path); 措辞 of the project is set only when it is tested.
FIELDS: list[tuple[str, tuple[str | int, ...]]] = [
    ("unit", ("单位名称",)),
    ("unit", ("主管部门",)),
    ("unit", ("财政部门",)),
    ("unit", ("公开网站",)),
    *[("unit", ("措辞", key)) for key in UNIT["措辞"]],
    *[("project", (key,)) for key, value in PROJECT.items() if isinstance(value, str)],
    *[("project", ("年度总体目标", key)) for key in PROJECT["年度总体目标"]],
    *[("project", ("绩效指标", 0, key)) for key in PROJECT["绩效指标"][0]],
    *[("project", ("措辞", key)) for key in UNIT["措辞"]],
]
FIELDS = [f for f in FIELDS if f[1][-1] not in ("年初预算数", "全年预算数", "全年执行数")]
# Fields the templates put inside a sentence, through the ``clause`` filter.
CLAUSES = {"预算调整原因", "资金用途", "实际完成情况", "自评方式", "结果应用"}
SPECIAL = "&<>\"'\n\r\t 　😀１２３ＡＢＣ，。；：…—#=@>^-{}%|\\\u2028\u00a0\u200b\ufeff"
TEXTS = st.one_of(
    st.text(alphabet=st.sampled_from([*SPECIAL, *"项目资金绿化abcXYZ0129"]), max_size=30),
    st.text(max_size=30),
)


SENTINEL = "ZPGEN-VALUE-UNDER-TEST"


def quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar that reads back exactly: every character that
    YAML would take as a line break or refuse raw is escaped."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        elif char in "\u2028\u2029\ufeff\ufffe\uffff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def put(data: dict[str, Any], path: tuple[str | int, ...], value: str) -> None:
    node: Any = data
    for step in path[:-1]:
        node = node.setdefault(step, {}) if isinstance(step, str) else node[step]
    node[path[-1]] = value


def held(file: Path, path: tuple[str | int, ...], model: type[BaseModel]) -> object:
    """The value the model holds at the key path (of Chinese names) of a file."""
    node: Any = validate(load_yaml(file, root=None), model)
    for step in path:
        if isinstance(step, int):
            node = node[step]
            continue
        fields = type(node).model_fields
        node = getattr(node, next(name for name, f in fields.items() if f.alias == step))
    return node


def run(file: str, path: tuple[str | int, ...], value: str) -> tuple[Any, str, str, object]:
    """Build with ``value`` at the field: the build report, the .txt, the .docx's text, and the
    value the model holds (None when refused)."""
    unit, project = copy.deepcopy(UNIT), copy.deepcopy(PROJECT)
    put(unit if file == "unit" else project, path, SENTINEL)
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        data = workspace / "data" / "2025" / "教育局"
        data.mkdir(parents=True)
        for name, content in (("unit.yaml", unit), ("p.yaml", project)):
            text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=1000)
            text = text.replace(SENTINEL, quoted(value))
            (data / name).write_text(text, encoding="utf-8", newline="")
        report = build(workspace)
        reports = sorted((workspace / "output" / "2025").glob("*/*.txt"))
        if not reports:
            return report, "", "", None
        txt = reports[0].read_text(encoding="utf-8")
        opened = docx.Document(str(reports[0].with_suffix(".docx")))
        model = Unit if file == "unit" else Project
        value_held = held(data / ("unit.yaml" if file == "unit" else "p.yaml"), path, model)
        return report, txt, "\n".join(p.text for p in opened.paragraphs), value_held


@functools.cache
def rendered(file: str, path: tuple[str | int, ...]) -> bool:
    """Whether the report prints this field (some, like 三级指标, only the data hold)."""
    _report, txt, _docx, _held = run(file, path, "标记甲乙丙丁")
    return "标记甲乙丙丁" in txt


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), value=TEXTS)
@example(field=("project", ("资金用途",)), value="A&B <项目> \"引号\" '单引号'")
@example(field=("project", ("改进措施",)), value="第一段。\n\n　　第二段 😀 １２３。\n")
@example(field=("project", ("偏离原因",)), value="# 不是标题\n---\n= 也不是标题")
@example(field=("project", ("项目名称",)), value="../../etc/passwd")
@example(field=("project", ("资金用途",)), value="第一行\n第二行")
@example(field=("unit", ("单位名称",)), value="含\x07控制字符")
@example(field=("project", ("改进措施",)), value="C1 控制字符\x85")
@example(field=("project", ("项目类别",)), value="　 \n ")
def test_text_arrives_exactly_or_is_refused(
    field: tuple[str, tuple[str | int, ...]], value: str
) -> None:
    file, path = field
    assert yaml.safe_load(f"k: {quoted(value)}")["k"] == value
    report, txt, docx_text, value_held = run(file, path, value)
    errors = [p for p in report.problems if p.severity == ERROR]
    key = ".".join(f"[{s}]" if isinstance(s, int) else s for s in path).replace(".[", "[")
    if errors:
        for error in errors:
            assert error.key == key and error.line > 0 and error.message, error
        assert report.written == []
        return
    expected = normalise_text(value)
    assert value_held == expected
    if path[-1] in CLAUSES:
        expected = expected.rstrip().rstrip("。；，;,.")
    assert expected, "an empty value is refused"
    if rendered(file, path):
        assert expected in txt
        assert expected in docx_text
