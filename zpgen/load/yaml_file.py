"""YAML text → plain data, with the position of every key and value.

Every scalar stays the text it was written as (no YAML 1.1 guessing: ``010203`` is not octal, ``no``
is not False, ``12.30`` keeps its zero, ``2024-12-31`` is not a date); the schema decides what a
value means. An empty value (``key:``, ``~``, ``null``) loads as None. Duplicate keys are an error.
A file that cannot be read (not UTF-8, a YAML syntax error) is explained in the user's terms: what
is wrong, where, and what to do.

A file may come from a colleague and be hostile: it is read only as a regular file inside the
workspace and up to a size (``zpgen.load.reading``), anchors and aliases (``&a``, ``*a``) are
refused, since no field needs them and a few lines of them expand to billions of values, and
nesting is bounded (``zpgen.limits``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from zpgen.errors import ERROR, Problem, Severity, ZpgenError
from zpgen.i18n import _
from zpgen.limits import DEFAULT_LIMITS, Limits
from zpgen.load.reading import read_file

__all__ = [
    "KeyPath",
    "Located",
    "Position",
    "format_key",
    "load_yaml",
    "parse_optional_yaml",
    "parse_yaml",
    "read_yaml",
]

# One step of a key path: a mapping key or a list index.
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # from 1
    column: int  # from 1


@dataclass(frozen=True, slots=True)
class _Scalar:
    """Where a scalar's text starts in the file, and whether its characters map one to one."""

    start: Position
    verbatim: bool  # a one-line plain or quoted scalar without escapes: offsets map to columns
    quoted: bool


@dataclass(slots=True)
class Located:
    """A loaded file: its data and where each key path stands in the text.

    The parser's marks are kept as they are and made positions when one is asked for: most
    files are asked for none.
    """

    file: Path
    data: Any
    text: str = ""  # the file's text, as its nodes' marks count it
    node: yaml.Node | None = None  # the file's node tree, for an edit that keeps its layout
    # where each key path starts: its key's mark, or a list item's own
    marks: dict[KeyPath, yaml.Mark] = field(default_factory=dict)
    scalars: dict[KeyPath, yaml.ScalarNode] = field(default_factory=dict)  # the text values
    problems: list[Problem] = field(default_factory=list)  # found reading, kept (keep_going)

    def position(self, path: KeyPath) -> Position:
        """The position of a key path, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(path[:end])
            if mark is not None:
                return Position(mark.line + 1, mark.column + 1)
        return Position(0, 0)

    def text_position(self, path: KeyPath, offset: int) -> Position:
        """The position of the character at ``offset`` in the text value at ``path``.

        Exact for a value written on one line without escapes; else the start of the value.
        """
        node = self.scalars.get(path)
        if node is None:
            return self.position(path)
        scalar = _scalar(node)
        if not scalar.verbatim:
            return scalar.start
        shift = 1 if scalar.quoted else 0
        return Position(scalar.start.line, scalar.start.column + shift + offset)

    def problem(
        self, path: KeyPath, message: str, severity: Severity = ERROR, *, offset: int | None = None
    ) -> Problem:
        where = self.position(path) if offset is None else self.text_position(path, offset)
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


def _no_guessing(_loader: object, kind: type[yaml.Node], _value: str, _implicit: object) -> str:
    """The tag of a node written without one: the kind's default. The tags PyYAML would guess
    (int, bool, timestamp) are never used here, and guessing costs a regular expression or more
    for every scalar."""
    if kind is yaml.ScalarNode:
        return yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
    if kind is yaml.SequenceNode:
        return yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
    return yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


# libyaml's parser where PyYAML was built with it: the same nodes and marks, eight times faster
# (it gives a plain scalar the style "" where PyYAML's own gives None: see _style).
_FAST_LOADER = type(
    "_FastLoader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {"resolve": _no_guessing}
)


def _compose(text: str) -> yaml.Node | None:
    """The file's node tree. On an error, PyYAML's own parser says what is wrong: its
    messages are the ones ``explain`` knows, and libyaml words some of them differently.
    libyaml refuses nesting deeper than 1,000 levels; PyYAML's parser would recurse until
    Python's stack ends, so that error is libyaml's to report."""
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as error:
        if not hasattr(yaml, "CSafeLoader") or _NESTING in (error.problem or ""):
            raise
    except yaml.YAMLError:
        if not hasattr(yaml, "CSafeLoader"):
            raise
    return yaml.compose(text, Loader=yaml.SafeLoader)


_NESTING = "maximum nesting depth"


def _style(node: yaml.ScalarNode) -> str | None:
    """The scalar's quoting: None when plain, whichever parser read it."""
    return node.style or None


_NULLS = {"", "~", "null", "Null", "NULL"}


def load_yaml(
    file: Path, *, root: Path | None, limits: Limits = DEFAULT_LIMITS, keep_going: bool = False
) -> Located:
    """Read one YAML file; every problem becomes a ZpgenError naming the file, line and column.

    ``root``: the resolved folder the file must stay in (a link out of it is refused), None for a
    file named on the command line. ``keep_going``: a key written twice (the first value is kept)
    or a key that is no text is left in ``Located.problems``, for the caller to report with the
    rest of the file's problems, instead of raised.
    """
    raw = read_yaml(file, root=root, limits=limits)
    return parse_yaml(file, raw, limits, keep_going=keep_going)


def read_yaml(file: Path, *, root: Path | None, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A YAML file's bytes, read as ``load_yaml`` reads them."""
    return read_file(file, root=root, limit=limits.data_file_bytes, setting="数据文件")


def parse_yaml(
    file: Path, raw: bytes, limits: Limits = DEFAULT_LIMITS, *, keep_going: bool = False
) -> Located:
    """The data of a YAML file's bytes, read from ``file`` (``keep_going``: see ``load_yaml``)."""
    located = parse_optional_yaml(file, raw, limits, keep_going=keep_going)
    if located is None:
        message = _("The file is empty: it holds no data (only blank lines or comments).")
        raise ZpgenError.single(file, message)
    return located


def parse_optional_yaml(
    file: Path, raw: bytes, limits: Limits = DEFAULT_LIMITS, *, keep_going: bool = False
) -> Located | None:
    """As ``parse_yaml``, but None for a file of blank lines and comments only."""
    text = _decode(file, raw)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        problem = _syntax_problem(file, text, exc)
        rest = _(" The rest of the file was not checked: correct this, then check again.")
        raise ZpgenError([replace(problem, message=problem.message + rest)]) from exc
    except yaml.reader.ReaderError as exc:
        raise ZpgenError([_reader_problem(file, text, exc)]) from exc
    except yaml.YAMLError as exc:  # pragma: no cover  # the composer raises only the two above
        raise ZpgenError.single(file, _("YAML error: {problem}").format(problem=exc)) from exc
    except RecursionError as exc:  # PyYAML's own parser, where libyaml is missing
        raise ZpgenError.single(file, _nesting_message(limits.nesting_depth)) from exc
    if node is None:
        return None
    located = Located(file, None, text, node)
    converter = _Converter(located, located.problems, limits.nesting_depth)
    located.data = converter.convert(node, ())
    if converter.stopped or (located.problems and not keep_going):
        raise ZpgenError(located.problems)
    return located


def _nesting_message(levels: int) -> str:
    return _(
        "The data is nested more than {levels} levels deep (lists inside lists, or mappings "
        "inside mappings); a zpgen file needs a handful. Check the brackets and indentation."
    ).format(levels=levels)


# --- reading the bytes --------------------------------------------------------------------------


def _decode(file: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = _(
            "The file is saved as UTF-16 (Notepad calls it “Unicode”); zpgen reads UTF-8. "
            "Open it in Notepad, choose “Save As” and pick the encoding “UTF-8”."
        )
        raise ZpgenError.single(file, message)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if _looks_like_gbk(raw):
            message = _(
                "The file is saved in the GBK encoding (Notepad calls it “ANSI”); zpgen reads "
                "UTF-8. Open it in Notepad, choose “Save As” and pick the encoding “UTF-8”."
            )
        else:
            message = _(
                "The file is not UTF-8 text (byte 0x{byte:02X} cannot be read): is it a YAML "
                "file? Save it as UTF-8 text."
            ).format(byte=raw[exc.start])
        raise ZpgenError.single(file, message, line=line) from exc


_HAN = re.compile("[\u4e00-\u9fff]")


def _looks_like_gbk(raw: bytes) -> bool:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return bool(_HAN.search(text))


# --- explaining YAML syntax errors --------------------------------------------------------------

_FULL_WIDTH_COLON_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:：#\"'][^:：]{0,30})：")
_NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?([^\s:：#\"'][^:：\s]{0,30}):(?=\S)")


# The scanner's contexts for a token that starts with one of YAML's indicators (PyYAML's wording,
# pinned in pyproject.toml), and the indicators a value may start with by mistake.
_INDICATOR_CONTEXTS = frozenset(
    {"while scanning a block scalar", "while scanning an alias", "while scanning an anchor"}
)
_INDICATORS = frozenset(">|*&")


def _syntax_problem(file: Path, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    column = mark.column + 1 if mark else 0
    started = exc.context_mark.line + 1 if exc.context_mark else 0
    source_lines = text.splitlines()
    # The usual cause is a line near the error, or where the troubled value started: a key
    # with a full-width colon or no space after its colon.
    for number in (started, line, line - 1):
        if 1 <= number <= len(source_lines):
            hint = _colon_hint(source_lines[number - 1])
            if hint:
                return Problem(file, hint, number, 1)
    if _NESTING in (exc.problem or ""):
        message = _(
            "The brackets [ or { are nested more than 1,000 levels deep here; a zpgen file "
            "needs a handful. Check the brackets."
        )
        return Problem(file, message, line, column)
    mark = exc.context_mark
    if mark is not None and exc.context in _INDICATOR_CONTEXTS:
        # “>=6个”, “*6个”, “&…”: YAML took the value's first character for its own syntax
        source = source_lines[mark.line] if mark.line < len(source_lines) else ""
        character = source[mark.column : mark.column + 1]
        if character in _INDICATORS:
            message = _(
                "A value cannot start with {character} in YAML: put the whole value in quotes."
            ).format(character=character)
            return Problem(file, message, mark.line + 1, mark.column + 1)
    message = _explain_yaml(exc)
    if "end of stream" in (exc.problem or "") and exc.context_mark:  # an unclosed quote
        line, column = started, exc.context_mark.column + 1
    return Problem(file, message, line, column)


def _colon_hint(line: str) -> str:
    found = _FULL_WIDTH_COLON_KEY.match(line)
    if found:
        return _(
            "“{key}” is followed by a full-width colon “：”; a key needs the half-width colon "
            "and a space: “{key}: …”."
        ).format(key=found.group(1).strip())
    found = _NO_SPACE_AFTER_COLON.match(line)
    if found:
        return _("“{key}:” needs a space after the colon: “{key}: …”.").format(
            key=found.group(1).strip()
        )
    return ""


def _explain_yaml(exc: yaml.MarkedYAMLError) -> str:  # one case per PyYAML message
    problem = exc.problem or ""
    context = exc.context or ""
    if "'\\t'" in problem or "tab" in problem:
        return _("A tab character: YAML indents with spaces only. Replace the tab with spaces.")
    if "mapping values are not allowed" in problem:
        return _(
            "A “: ” (colon and space) where no key can start: if the value holds a colon, put "
            "the whole value in quotes; else check this line's indentation."
        )
    if "could not find expected ':'" in problem:
        return _(
            "A line without the “: ” after its key: write “key: value”, and indent the "
            "lines of a long value further than its key."
        )
    if "end of stream" in problem and "quoted" in context:
        return _("This quotation mark is never closed: add the closing quotation mark.")
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return _(
            "This line's indentation does not match the lines above it: keys at one level "
            "start in the same column, and the items of a list each start with “- ”."
        )
    if "did not find expected '-' indicator" in problem:
        return _("A list is broken here: each item of a list starts with “- ” in the same column.")
    if "cannot start any token" in problem or "expected alphabetic or numeric" in problem:
        return _(
            "A value cannot start with {character} in YAML: put the whole value in quotes."
        ).format(character=problem.split("'")[1] if "'" in problem else "")
    if "undefined alias" in problem:
        return _("A value cannot start with * in YAML: put the whole value in quotes.")
    if context.startswith("while parsing a flow"):  # inside [ ] or { }, unclosed at the end too
        return _(
            "A bracket [ or { is not closed, or a value in brackets holds a comma or colon: "
            "close the bracket, or put that value in quotes."
        )
    if "another document" in problem:
        return _("The file holds a second document after a “---” line: remove that line.")
    if "unknown escape character" in problem:
        return _(
            "A backslash in a value in double quotes starts an escape that does not exist: "
            "write the value in single quotes instead."
        )
    return _("YAML syntax error: {problem}.").format(problem=f"{problem} {context}".strip())


def _reader_problem(file: Path, text: str, exc: yaml.reader.ReaderError) -> Problem:
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    message = _(
        "The character U+{code:04X} is an invisible control character that a report cannot "
        "hold: delete it."
    ).format(code=exc.character if isinstance(exc.character, int) else ord(exc.character))
    return Problem(file, message, line, column)


# --- nodes to data ------------------------------------------------------------------------------


class _Converter:
    """Nodes to plain data, recording the position of every key path.

    A node met twice is an alias (``*a`` repeats the node of its ``&a``): refused, since a few
    aliases of aliases stand for billions of values, and one inside its own anchor for an
    endless list. Nesting deeper than ``depth`` levels is refused too.
    """

    def __init__(self, located: Located, problems: list[Problem], depth: int) -> None:
        self.located = located
        self.problems = problems
        self.depth = depth
        self.seen: set[int] = set()
        self.stopped = False  # after an alias or too deep a nesting: the rest is not read

    def convert(self, node: yaml.Node, path: KeyPath) -> Any:
        located = self.located
        if self.stopped:
            return None
        if id(node) in self.seen or len(path) > self.depth:
            self.refuse(path)
            return None
        self.seen.add(id(node))
        located.marks.setdefault(path, node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            value: str = node.value
            if _style(node) is None and value in _NULLS:
                return None
            located.scalars[path] = node
            return value
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        raise AssertionError(f"unexpected YAML node {node!r}")  # the composer makes no other kind

    def refuse(self, path: KeyPath) -> None:
        if len(path) > self.depth:
            message = _nesting_message(self.depth)
        else:
            message = _(
                "This value repeats another one through a YAML alias (*name, with &name where "
                "the value first stands): zpgen files do not use anchors and aliases. Write the "
                "value out in full."
            )
        where = self.located.position(path)
        self.problems.append(
            Problem(self.located.file, message, where.line, where.column, format_key(path))
        )
        self.stopped = True  # one such problem is enough: the rest of the file is not read

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        located = self.located
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if self.stopped:
                break
            mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode):
                message = _("A key must be text, not a list or a mapping.")
                self.problems.append(
                    Problem(located.file, message, mark.line + 1, mark.column + 1, format_key(path))
                )
                continue
            key = str(key_node.value)
            key_path = (*path, key)
            if key in result:
                first = located.position(key_path)
                message = _(
                    "The key “{key}” appears twice (first on line {line}): delete one of them."
                ).format(key=key, line=first.line)
                where = (mark.line + 1, mark.column + 1)
                self.problems.append(Problem(located.file, message, *where, format_key(key_path)))
                continue
            located.marks[key_path] = mark
            result[key] = self.convert(value_node, key_path)
        return result


def _scalar(node: yaml.ScalarNode) -> _Scalar:
    start = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    quoted = _style(node) in ("'", '"')
    one_line = node.start_mark.line == node.end_mark.line
    width = node.end_mark.column - node.start_mark.column - (2 if quoted else 0)
    verbatim = _style(node) in (None, "'", '"') and one_line and width == len(node.value)
    return _Scalar(start, verbatim, quoted)
