"""The ``zpgen`` command: a thin layer over the library functions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zpgen import __version__
from zpgen.errors import Problem, ZpgenError

if TYPE_CHECKING:
    from zpgen.build import BuildReport

app = typer.Typer(
    help="zpgen：由 YAML 项目数据生成项目支出绩效自评报告（.docx 与 .txt）。",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zpgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本号后退出。"),
    ] = False,
) -> None:
    """zpgen：由 YAML 项目数据生成项目支出绩效自评报告。"""


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        label = "错误" if problem.severity == "error" else "警告"
        typer.echo(f"{label}：{problem}", err=True)


@app.command()
def build(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="项目文件、单位文件夹、年度文件夹或工作区；默认为当前工作区的全部数据。"
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="输出文件夹（默认：zpgen.yaml 的输出文件夹，或 output/）。"
        ),
    ] = None,
    formats: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="输出格式，逗号分隔：txt、docx（默认：zpgen.yaml 中的，或两者）。",
        ),
    ] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="对这次生成的所有报告改一项设置，如 --set 三级标题编号=是；可多次使用。"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="全部重新生成，不管是否有改动。")] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="删除项目已被删除（或改名）的旧报告文件。")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只列出会生成或删除哪些文件，不写入任何文件。")
    ] = False,
) -> None:
    """生成自评报告：每个项目一份，每个单位一份合并报告；只重新生成有改动的。"""
    from zpgen.build import build as run_build

    try:
        workspace = _workspace(paths[0] if paths else None)
        wanted = formats.split(",") if formats is not None else None
        report = run_build(
            workspace,
            paths or [],
            out=out,
            formats=wanted,
            overrides=overrides or [],
            force=force,
            prune=prune,
            dry_run=dry_run,
        )
    except ZpgenError as error:
        _print_problems(error.problems)
        raise typer.Exit(1) from None
    for path, status in report.written:
        typer.echo(f"{_STATUS[status.value]}  {_relative(path)}")
    for path in report.failures:
        typer.echo(f"失败  {_relative(path)}")
    for path in report.stale:
        typer.echo(f"{'删除' if path in report.removed else '过期'}  {_relative(path)}")
    _print_problems(report.problems)
    typer.echo(_summary(report))
    if report.failed:
        raise typer.Exit(1)


def _summary(report: BuildReport) -> str:
    counts = {key: sum(1 for _, s in report.written if s.value == key) for key in _STATUS}
    parts = [f"{_STATUS[key]} {n}" for key, n in counts.items()]
    parts.append(f"失败 {len(report.failures)}")
    kept = len(report.stale) - len(report.removed)
    if report.removed:
        parts.append(f"删除 {len(report.removed)}")
    if kept:
        parts.append(f"过期 {kept}（项目已删除或改名；用 --prune 删除）")
    prefix = "试运行，未写入任何文件" if report.dry_run else "完成"
    return f"{prefix}：{'，'.join(parts)}。"


_STATUS = {"created": "新建", "updated": "更新", "unchanged": "未变"}


def _fail(error: ZpgenError) -> typer.Exit:
    _print_problems(error.problems)
    return typer.Exit(1)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="工作区文件夹（默认：当前文件夹）。")] = Path(),
    year: Annotated[
        int | None, typer.Option("--year", help="示例数据的预算年度（默认：去年）。")
    ] = None,
) -> None:
    """新建工作区：zpgen.yaml、示例单位与项目、templates/、.gitignore 与 .gitattributes。"""
    import datetime

    from zpgen.scaffold import init_workspace

    try:
        result = init_workspace(folder, year=year or datetime.date.today().year - 1)
    except ZpgenError as error:
        raise _fail(error) from None
    for path in result.created:
        typer.echo(f"新建  {_relative(path)}")
    if result.skipped_example:
        typer.echo("data/ 中已有数据，未添加示例单位。")
    where = "" if folder.resolve() == Path.cwd() else f"cd {folder}\n  "
    typer.echo(
        "\n下一步：\n"
        f"  {where}zpgen build          生成报告到 output/\n"
        "  git init\n"
        '  git config diff.zpgen.textconv "zpgen totext"   让 git diff 把 .docx 显示为文字\n'
        "  git config core.quotePath false                 让 git 直接显示中文文件名\n"
        "  git add . && git commit -m 初始化\n"
        "（zpgen 不在 PATH 上时，把 textconv 中的 zpgen 换成它的完整路径。）"
    )


@app.command()
def totext(
    file: Annotated[Path, typer.Argument(help="一个 .docx 文件。")],
) -> None:
    """把 .docx 的正文（段落和表格）显示为文字，供 git diff 比较。"""
    import sys

    from zpgen.totext import docx_text

    try:
        text = docx_text(file)
    except ZpgenError as error:
        raise _fail(error) from None
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


templates_app = typer.Typer(
    help="模板：列出工作区用到的模板，或复制内置模板到工作区修改。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def templates_list() -> None:
    """列出所有模板、各自来自哪里，以及其中可以改写的块。"""
    from zpgen.template_set import BUILTIN, list_templates
    from zpgen.workspace import load_workspace

    try:
        entries = list_templates(load_workspace(_workspace(None)))
    except ZpgenError as error:
        raise _fail(error) from None
    for entry in entries:
        origin = entry.origin
        if entry.replaces_builtin:
            origin += "，替换内置的"
        if entry.extends:
            origin += f"，扩展 {'、'.join(entry.extends)}"
        where = f"  {_relative(entry.path)}" if entry.path and entry.origin != BUILTIN else ""
        typer.echo(f"{entry.name:<22}{origin}{where}")
        if entry.blocks:
            typer.echo(f"{'':<4}块：{' '.join(entry.blocks)}")


@templates_app.command("copy")
def templates_copy(
    name: Annotated[str, typer.Argument(help="内置模板的名字，如 body.j2；base.docx 为参考文档。")],
    force: Annotated[bool, typer.Option("--force", help="覆盖工作区中已有的同名文件。")] = False,
) -> None:
    """把内置模板（或参考文档 base.docx）复制到工作区的模板文件夹，以便修改。"""
    from zpgen.template_set import copy_template
    from zpgen.workspace import load_workspace

    try:
        target = copy_template(load_workspace(_workspace(None)), name, force=force)
    except ZpgenError as error:
        raise _fail(error) from None
    typer.echo(f"新建  {_relative(target)}")


@app.command("new-year")
def new_year(
    year: Annotated[int, typer.Argument(help="新的预算年度，如 2024。")],
    source_year: Annotated[
        int | None, typer.Option("--from", help="从哪一年的数据复制（默认：上一年）。")
    ] = None,
) -> None:
    """从上一年的数据开始新一年：复制各单位的数据，须重新填写的项标为“待填”。"""
    from zpgen.newyear import new_year as run_new_year
    from zpgen.workspace import load_workspace

    try:
        space = load_workspace(_workspace(None))
        report = run_new_year(space.data, year=year, source_year=source_year or year - 1)
    except ZpgenError as error:
        raise _fail(error) from None
    total = 0
    for entry in report.files:
        total += len(entry.to_fill)
        typer.echo(f"新建  {_relative(entry.path)}（待填 {len(entry.to_fill)} 项）")
        if entry.to_fill:
            typer.echo(f"    待填：{_grouped(entry.to_fill)}")
        if entry.to_review:
            typer.echo(f"    请核对（沿用上年）：{_grouped([(k, '') for k in entry.to_review])}")
    typer.echo(
        f"完成：{len(report.files)} 个文件，待填 {total} 项"
        "（年初预算数的建议值是上年的全年执行数）。填写后删去“待填”；"
        "zpgen build 会列出尚未填写的项，并且不生成含“待填”的报告。"
    )


def _grouped(items: list[tuple[str, str]]) -> str:
    """Keys with their suggestion; list items' keys folded: 绩效指标[*].实际完成值（7 项）."""
    import re

    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for key, suggestion in items:
        folded = re.sub(r"\[\d+\]", "[*]", key)
        counts[folded] = counts.get(folded, 0) + 1
        shown.setdefault(folded, f"{folded}（建议 {suggestion}）" if suggestion else folded)
    return "、".join(shown[k] + (f"（{counts[k]} 项）" if counts[k] > 1 else "") for k in shown)


def _workspace(path: Path | None) -> Path:
    from zpgen.layout import find_workspace

    return find_workspace(path if path is not None else Path.cwd())


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def main() -> None:
    app()
