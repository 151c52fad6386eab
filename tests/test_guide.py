"""The guide cannot go stale: its commands are run, and what it must cover is checked.

``README.md``, ``docs/用户手册.md`` and ``docs/reference.md`` are read as Markdown, and their
fenced blocks are taken by their info string (the words after the opening fence):

- ``sh``: commands, run one line at a time, in the order of the document, each document in a
  fresh empty folder, with the real ``zpgen`` on the PATH. ``cd DIR`` changes the folder of the
  following commands. Every command must exit 0, or N where the info string says ``exit=N``.
  The lines must also run in Windows' cmd and PowerShell as written: one command a line, no
  comments, no quotes but double quotes, none of ``&& || ; | < > $ % ` \\ ~``.
- ``text output``: what the ``sh`` block just before it prints (stdout and stderr as a terminal
  shows them). Each line must match a line of the output, in order, the next one unless a
  line ``…`` stands between them, which skips any number of lines; a ``…`` inside a line
  stands for any text.
- ``<lang> file=PATH`` (``yaml``, ``jinja``…): a file the reader writes; its content is written
  to PATH, relative to the current folder. ``diff file=PATH``: an edit of that file, the lines
  ``-…`` replaced by the lines ``+…`` (which must occur once).
- any other shell (``bash``, ``bat``, ``powershell``…), or ``sh`` with the word ``norun``:
  commands that cannot run in a test (installing, opening Word, Windows only). Only the word
  ``norun`` excludes a block; a shell block with neither is an error.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from zpgen.checks.registry import RULES
from zpgen.cli.app import command
from zpgen.model.layout import Layout
from zpgen.model.schema import Outline, Project, SelfTable, Unit, WorkspaceConfig

from .conftest import ROOT

GUIDES = ("README.md", "docs/用户手册.md", "docs/reference.md")
MANUAL = ROOT / "docs" / "用户手册.md"
REFERENCE = ROOT / "docs" / "reference.md"
SHELLS = {"sh", "bash", "shell", "console", "zsh", "bat", "cmd", "batch", "powershell", "ps1"}
NOT_PORTABLE = ("&&", "||", ";", "|", "<", ">", "$", "%", "`", "\\", "~", "#", "'")
_FENCE = re.compile(r"^( *)(`{3,}|~{3,})(.*)$")


@dataclass
class Block:
    """One fenced block of a guide: its info string's words and attributes, and its lines."""

    document: str
    line: int  # of the opening fence, counting from 1
    words: list[str]
    attributes: dict[str, str]
    lines: list[str] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.words[0] if self.words else ""

    @property
    def where(self) -> str:
        return f"{self.document}:{self.line}"

    @property
    def runs(self) -> bool:
        return self.language == "sh" and "norun" not in self.words

    @property
    def is_output(self) -> bool:
        return self.language == "text" and "output" in self.words

    @property
    def commands(self) -> list[str]:
        return [line.strip() for line in self.lines if line.strip()]


def blocks(document: str) -> list[Block]:
    """The fenced blocks of a Markdown file, indented ones (in list items) included."""
    found: list[Block] = []
    current: Block | None = None
    indent = fence = ""
    for number, line in enumerate((ROOT / document).read_text(encoding="utf-8").splitlines(), 1):
        match = _FENCE.match(line)
        if current is None:
            if match:
                indent, fence, info = match.groups()
                words = [w for w in info.split() if "=" not in w]
                attributes = dict(w.split("=", 1) for w in info.split() if "=" in w)
                current = Block(document, number, words, attributes)
            continue
        if match and match.group(2).startswith(fence) and not match.group(3).strip():
            found.append(current)
            current = None
        else:
            current.lines.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
    assert current is None, f"{document}: a fenced block is not closed"
    return found


def test_every_shell_block_is_run_or_marked_norun() -> None:
    for document in GUIDES:
        for block in blocks(document):
            if block.language in SHELLS and not block.runs:
                assert "norun" in block.words, (
                    f"{block.where}: a ```{block.language} block is neither run (```sh) "
                    "nor marked as not run (```sh norun, ```bat norun…)"
                )


@pytest.mark.parametrize("document", GUIDES)
def test_the_guides_commands_run_on_windows_as_written(document: str) -> None:
    """A clerk copies each line into cmd or PowerShell: nothing there may be sh alone."""
    for block in blocks(document):
        if not block.runs:
            continue
        for line in block.commands:
            for mark in NOT_PORTABLE:
                assert mark not in line, f"{block.where}: “{mark}” in “{line}” (see the docstring)"


def test_output_and_file_blocks_are_placed_where_the_runner_reads_them() -> None:
    for document in GUIDES:
        previous: Block | None = None
        for block in blocks(document):
            if block.is_output:
                assert previous is not None and previous.runs, (
                    f"{block.where}: an output block must follow the ```sh block it shows"
                )
            if block.language == "diff":
                assert "file" in block.attributes, f"{block.where}: a diff needs file=PATH"
            previous = block


def _environment(tmp_path: Path) -> dict[str, str]:
    """The real zpgen first on the PATH, Chinese messages, git configured only by the guide."""
    tools = tmp_path / "bin"
    tools.mkdir()
    shim = tools / "zpgen"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m zpgen "$@"\n')
    shim.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    drop = ("LANGUAGE", "LC_MESSAGES", "XDG_CONFIG_HOME", "PYTHONPATH", "GIT_DIR")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("GIT_")}
    env.update(
        PATH=f"{tools}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(home),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        PYTHONUNBUFFERED="1",  # stdout and stderr interleaved as on a terminal
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def _matches(expected: list[str], actual: list[str]) -> str | None:
    """None when ``expected`` (with its ``…``) describes ``actual``, else what does not."""
    position, skipping = 0, False
    for wanted in expected:
        if wanted.strip() == "…":
            skipping = True
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in wanted.rstrip().split("…")))
        while position < len(actual) and not pattern.fullmatch(actual[position].rstrip()):
            if not skipping:
                return f"expected “{wanted}”, got “{actual[position]}”"
            position += 1
        if position == len(actual):
            return f"expected “{wanted}”, not found"
        position, skipping = position + 1, False
    if position < len(actual) and not skipping:
        return f"more output than shown, from “{actual[position]}”"
    return None


def test_an_output_block_may_leave_out_lines_only_where_it_says_so() -> None:
    printed = ["新建  a.txt", "新建  a.docx", "完成：新建 2，更新 0，未变 0，失败 0。"]
    assert _matches(["新建  a.txt", "…", "完成：新建 2，…"], printed) is None
    assert _matches(["新建  a.txt", "…"], printed) is None
    assert _matches(["新建  a.txt", "完成：新建 2，更新 0，未变 0，失败 0。"], printed) is not None
    assert _matches(["新建  a.txt", "新建  a.docx"], printed) is not None  # the summary not shown
    assert _matches(["…", "更新  a.txt"], printed) is not None


def _edit(block: Block, path: Path) -> None:
    old = [line[1:] for line in block.lines if line.startswith(("-", " "))]
    new = [line[1:] for line in block.lines if line.startswith(("+", " "))]
    text = path.read_text(encoding="utf-8")
    before, after = "\n".join(old) + "\n", "\n".join(new) + "\n"
    assert text.count(before) == 1, f"{block.where}: the lines to replace are not once in {path}"
    path.write_text(text.replace(before, after), encoding="utf-8")


def _run(block: Block, folder: Path, env: dict[str, str]) -> tuple[Path, list[str]]:
    """Run a block's commands in ``folder``; the folder after its ``cd``s, and what it printed."""
    printed: list[str] = []
    expected = int(block.attributes.get("exit", "0"))
    for line in block.commands:
        if line.split()[0] == "cd":
            folder = (folder / line.split(maxsplit=1)[1].strip('"')).resolve()
            assert folder.is_dir(), f"{block.where}: {line}: no such folder"
            continue
        result = subprocess.run(
            line,
            shell=True,
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            timeout=300,
            check=False,
        )
        assert result.returncode == expected, (
            f"{block.where}: “{line}” exited {result.returncode}, not {expected}:\n{result.stdout}"
        )
        printed += result.stdout.splitlines()
    return folder, printed


@pytest.mark.skipif(os.name == "nt", reason="the runner's zpgen is a POSIX shell script")
@pytest.mark.parametrize("document", GUIDES)
def test_the_guides_commands_do_what_it_says(document: str, tmp_path: Path) -> None:
    """Every ``sh`` block in order, in a fresh folder, its output as shown, its files written."""
    commands = [line for block in blocks(document) if block.runs for line in block.commands]
    if shutil.which("git") is None and any(line.startswith("git ") for line in commands):
        pytest.skip("git is not installed")
    env = _environment(tmp_path)
    folder = tmp_path / "guide"
    folder.mkdir()
    printed: list[str] = []
    for block in blocks(document):
        if block.runs:
            folder, printed = _run(block, folder, env)
        elif block.is_output:
            problem = _matches(block.lines, printed)
            assert problem is None, f"{block.where}: {problem}\n" + "\n".join(printed)
        elif "file" in block.attributes:
            path = folder / block.attributes["file"]
            if block.language == "diff":
                _edit(block, path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("\n".join(block.lines) + "\n", encoding="utf-8")


def test_the_readmes_two_commands_are_the_ones_ci_runs() -> None:
    """The first set-up line of .ci/run, without -q, is the README's test command; the build
    command installs the same way, without the test extras."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_line = next(line for line in ci.splitlines() if line.startswith("python3 -m venv"))
    test_command = ci_line.replace(" -q", "")
    first = next(b for b in blocks("README.md") if b.language == "sh")
    commands = [line for line in first.commands if not line.startswith("#")]
    assert commands == [
        test_command.replace("'.[test]'", ".").replace("pytest", "zpgen build"),
        test_command,
    ]


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _keys() -> Iterator[tuple[str, str, str]]:
    """(model, Chinese key, English key) of every key a workspace's YAML files may hold."""
    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel]) -> Iterator[tuple[str, str, str]]:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            yield model.__name__, info.alias or name, name
            for sub in _models_in(info.annotation):
                yield from walk(sub)

    for model in (Unit, Project, WorkspaceConfig, Layout):
        yield from walk(model)


def _table_rows(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.lstrip().startswith("|")]


@pytest.mark.parametrize("guide", [MANUAL, REFERENCE], ids=["用户手册", "reference"])
def test_every_key_of_the_schema_is_in_a_table_with_both_its_names(guide: Path) -> None:
    """A new field cannot go undocumented: each key has a table row naming it in Chinese and in
    English, `中文` and `english` in backticks."""
    rows = _table_rows(guide)
    missing = [
        f"{model}: {chinese} / {english}"
        for model, chinese, english in _keys()
        if not any(f"`{chinese}`" in row and f"`{english}`" in row for row in rows)
    ]
    assert not missing, f"{guide.name} lacks a table row for: " + ", ".join(missing)


def _commands(group: Any, prefix: str = "zpgen") -> Iterator[tuple[str, Any]]:
    """Every command and subcommand of the tree (typer's own click), by its full name."""
    for name, sub in getattr(group, "commands", {}).items():
        yield f"{prefix} {name}", sub
        yield from _commands(sub, f"{prefix} {name}")


@pytest.mark.parametrize("guide", [MANUAL, REFERENCE], ids=["用户手册", "reference"])
def test_every_command_option_check_and_outline_is_documented(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    missing = []
    for name, cmd in _commands(command()):
        if name not in text:
            missing.append(name)
        for param in cmd.params:
            missing += [f"{name} {o}" for o in param.opts if o.startswith("--") and o not in text]
    missing += [f"check {rule}" for rule in RULES if f"`{rule}`" not in text]
    missing += [f"提纲 {o.value}" for o in Outline if f"`{o.value}`" not in text]
    missing += [f"自评表 {s.value}" for s in SelfTable if f"`{s.value}`" not in text]
    assert not missing, f"{guide.name} does not document: " + ", ".join(missing)


_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    found: set[str] = set()
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            inside = not inside
        elif not inside and line.startswith("#"):
            anchor = _anchor(line.lstrip("#"))
            count = 1
            unique = anchor
            while unique in found:
                unique, count = f"{anchor}-{count}", count + 1
            found.add(unique)
    return found


@pytest.mark.parametrize("document", GUIDES)
def test_the_guides_links_lead_somewhere(document: str) -> None:
    source = ROOT / document
    for target in _LINK.findall(source.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        file, _hash, anchor = target.partition("#")
        path = (source.parent / file).resolve() if file else source
        assert path.exists(), f"{document}: a link to {target}: no such file"
        if anchor and path.suffix == ".md":
            assert anchor in _anchors(path), f"{document}: a link to {target}: no such heading"
