"""YAML text → plain data, with the position of every key and value.

Every scalar stays the text it was written as (no YAML 1.1 guessing: ``010203`` is not octal, ``no``
is not False, ``12.30`` keeps its zero, ``2024-12-31`` is not a date); the schema decides what a
value means. An empty value (``key:``, ``~``, ``null``) loads as None. Duplicate keys are an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from zpgen.errors import Problem, ZpgenError

__all__ = ["Located", "Position", "format_key", "load_yaml"]

# One step of a key path: a mapping key or a list index.
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # from 1
    column: int  # from 1


@dataclass(slots=True)
class Located:
    """A loaded file: its data and where each key path stands in the text."""

    file: Path
    data: Any
    positions: dict[KeyPath, Position] = field(default_factory=dict)

    def position(self, path: KeyPath) -> Position:
        """The position of a key path, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return Position(0, 0)

    def problem(self, path: KeyPath, message: str, severity: str = "error") -> Problem:
        where = self.position(path)
        return Problem(self.file, message, where.line, where.column, format_key(path), severity)


def format_key(path: KeyPath) -> str:
    """``("绩效指标", 2, "实际完成值")`` → ``绩效指标[2].实际完成值``."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += ("." if text else "") + step
    return text


_NULLS = {"", "~", "null", "Null", "NULL"}


def load_yaml(file: Path) -> Located:
    """Read one YAML file; every problem becomes a ZpgenError naming the file, line and column."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ZpgenError.single(file, f"无法读取文件：{exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = "（看起来是 GBK 编码，请用“UTF-8”另存）" if _looks_like_gbk(raw) else ""
        line = raw[: exc.start].count(b"\n") + 1
        raise ZpgenError.single(file, f"文件不是 UTF-8 编码{hint}", line=line) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
        raise ZpgenError.single(file, f"YAML 语法错误：{exc.problem or exc}", **where) from exc
    except yaml.YAMLError as exc:
        raise ZpgenError.single(file, f"YAML 错误：{exc}") from exc
    located = Located(file, None)
    problems: list[Problem] = []
    if node is None:
        raise ZpgenError.single(file, "文件是空的")
    located.data = _convert(node, (), located, problems)
    if problems:
        raise ZpgenError(problems)
    return located


def _looks_like_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _convert(node: yaml.Node, path: KeyPath, located: Located, problems: list[Problem]) -> Any:
    located.positions.setdefault(
        path, Position(node.start_mark.line + 1, node.start_mark.column + 1)
    )
    if isinstance(node, yaml.ScalarNode):
        value: str = node.value
        if node.style is None and value in _NULLS:
            return None
        return value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), located, problems) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, located, problems)
    raise AssertionError(f"unexpected YAML node {node!r}")  # the composer makes no other kind


def _convert_mapping(
    node: yaml.MappingNode, path: KeyPath, located: Located, problems: list[Problem]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                Problem(
                    located.file, "键必须是文字", mark.line + 1, mark.column + 1, format_key(path)
                )
            )
            continue
        key = str(key_node.value)
        key_path = (*path, key)
        if key in result:
            first = located.positions[key_path]
            problems.append(
                Problem(
                    located.file,
                    f"键“{key}”重复出现（第一次在第 {first.line} 行），请删去一个",
                    mark.line + 1,
                    mark.column + 1,
                    format_key(key_path),
                )
            )
            continue
        located.positions[key_path] = Position(mark.line + 1, mark.column + 1)
        result[key] = _convert(value_node, key_path, located, problems)
    return result
