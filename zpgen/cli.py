"""The ``zpgen`` command: a thin layer over the library functions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zpgen import __version__
from zpgen.errors import Problem, ZpgenError

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
        typer.Argument(help="项目文件、单位文件夹、年度文件夹或工作区；默认为当前工作区的 data/。"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出文件夹（默认：工作区的 output/）。")
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", "-f", help="输出格式，逗号分隔：txt、docx。")
    ] = "txt,docx",
) -> None:
    """生成自评报告：每个项目一份，每个单位一份合并报告。"""
    from zpgen.build import build as run_build
    from zpgen.layout import find_workspace

    try:
        workspace = find_workspace(paths[0] if paths else Path.cwd())
        wanted = [f.strip() for f in formats.split(",") if f.strip()]
        report = run_build(workspace, paths or [], out=out, formats=wanted)
    except ZpgenError as error:
        _print_problems(error.problems)
        raise typer.Exit(1) from None
    for path, status in report.written:
        typer.echo(f"{_STATUS[status.value]}  {_relative(path)}")
    _print_problems(report.problems)
    counts = {key: sum(1 for _, s in report.written if s.value == key) for key in _STATUS}
    summary = "，".join(f"{_STATUS[key]} {n}" for key, n in counts.items())
    failed = sum(1 for p in report.problems if p.severity == "error")
    typer.echo(f"完成：{summary}，错误 {failed}。")
    if report.failed:
        raise typer.Exit(1)


_STATUS = {"created": "新建", "updated": "更新", "unchanged": "未变"}


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def main() -> None:
    app()
