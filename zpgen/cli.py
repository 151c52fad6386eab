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
