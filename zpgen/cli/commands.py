"""The commands: each maps its options to one library function and prints the result.

Help texts are English msgids, marked with ``N_``; ``zpgen.cli.app`` translates the whole command
tree when the language is known. Every command runs inside ``app``'s one error boundary.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from zpgen import __version__
from zpgen.cli.output import (
    Output,
    print_build,
    print_import,
    print_new_year,
    print_rules,
    progress,
    relative,
    report_problems,
    status_name,
)
from zpgen.errors import Problem, UsageError, ZpgenError
from zpgen.i18n import N_, _, set_language

__all__ = ["Language"]


class Language(str, Enum):
    zh = "zh"
    en = "en"


Lang = Annotated[
    Language | None,
    typer.Option(
        "--lang", help=N_("Language of the messages: zh (default) or en; else the locale.")
    ),
]
Strict = Annotated[bool, typer.Option("--strict", help=N_("Treat warnings as errors."))]
Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help=N_(
            "A project file, a unit folder, a year folder or a workspace; "
            "default: the data/ of the current folder's workspace."
        )
    ),
]


def use(lang: Language | None) -> None:
    if lang is not None:
        set_language(lang.value)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zpgen {__version__}")
        raise typer.Exit()


def main_options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=N_("Show the version and exit.")
        ),
    ] = False,
    lang: Lang = None,
) -> None:
    use(lang)


def _workspace(path: Path | None) -> Path:
    from zpgen.load.sources import find_workspace

    return find_workspace(path if path is not None else Path.cwd())


def build(
    paths: Paths = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help=N_("Output folder (default: the workspace's output/).")),
    ] = None,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help=N_(
                "Output formats, comma-separated: txt, docx, pdf (-f txt -f docx says the same)."
            ),
        ),
    ] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help=N_(
                "Change a setting for every report of this build, such as "
                "--set 三级标题编号=是; may be given more than once."
            ),
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Build every report again, changed or not."))
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help=N_("Remove the old reports of projects that were removed (or renamed).")
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help=N_("Only list the files that would be written or removed; write nothing."),
        ),
    ] = False,
    strict: Strict = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help=N_("Number of processes building at once (default: the number of CPUs)."),
        ),
    ] = None,
    lang: Lang = None,
) -> None:
    use(lang)
    from zpgen.builder import build as run_build

    with progress() as step:
        report = run_build(
            _workspace(paths[0] if paths else None),
            paths or [],
            out=out,
            formats=",".join(formats) if formats else None,
            overrides=overrides or [],
            force=force,
            prune=prune,
            dry_run=dry_run,
            strict=strict,
            jobs=jobs,
            progress=step,
        )
    print_build(report)
    if report.failed:
        raise typer.Exit(1)


def check(
    paths: Paths = None,
    output: Annotated[
        Output, typer.Option("--format", help=N_("Output: text, or json for CI and editors."))
    ] = Output.text,
    strict: Strict = False,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help=N_("List the consistency checks and exit."))
    ] = False,
    lang: Lang = None,
) -> None:
    use(lang)
    if list_rules:
        print_rules()
        return
    from zpgen.builder.planner import check as run_check

    report = run_check(_workspace(paths[0] if paths else None), paths or [], strict=strict)
    report_problems(report.problems, report.projects, output)
    if report.failed:
        raise typer.Exit(1)


def schema(
    out: Annotated[
        Path, typer.Option("--out", "-o", help=N_("Folder to write the schemas to."))
    ] = Path("schema"),
    lang: Lang = None,
) -> None:
    use(lang)
    from zpgen.commands.schema import write_schemas

    for path, status in write_schemas(out):
        typer.echo(f"{status_name(status.value)}  {relative(path)}")


def init(
    folder: Annotated[
        Path, typer.Argument(help=N_("The workspace folder (default: the current folder)."))
    ] = Path(),
    year: Annotated[
        int | None,
        typer.Option("--year", help=N_("Budget year of the example data (default: last year).")),
    ] = None,
    lang: Lang = None,
) -> None:
    use(lang)
    import datetime

    from zpgen.commands.init import init_workspace

    result = init_workspace(folder, year=year or datetime.date.today().year - 1)
    created = status_name("created")
    for path in result.created:
        typer.echo(f"{created}  {relative(path)}")
    if result.skipped_example:
        typer.echo(_("data/ holds data already: no example unit was added."))
    where = "" if folder.resolve() == Path.cwd() else f"cd {folder}\n  "
    next_steps = _(
        "Next steps:\n"
        "  {where}zpgen check          check the data (after editing the example)\n"
        "  zpgen build          build the reports into output/\n"
        "To keep the reports in git:\n"
        "  git init\n"
        '  git config diff.zpgen.textconv "zpgen totext"   let git diff show a .docx as text\n'
        "  git config core.quotePath false                 let git show Chinese file names\n"
        "  git add .\n"
        '  git commit -m "First version"\n'
        "(When zpgen is not on the PATH, write its full path for zpgen in the textconv.)"
    )
    typer.echo("\n" + next_steps.format(where=where))


def totext(
    file: Annotated[Path, typer.Argument(help=N_("A .docx file."))],
    lang: Lang = None,
) -> None:
    use(lang)
    from zpgen.commands.totext import docx_text

    sys.stdout.buffer.write(docx_text(file).encode("utf-8"))
    sys.stdout.flush()


def templates_options(lang: Lang = None) -> None:
    use(lang)


def templates_list(lang: Lang = None) -> None:
    use(lang)
    from zpgen.model.workspace import load_workspace
    from zpgen.render.templates import Origin, list_templates

    origins = {Origin.BUILTIN: _("built-in"), Origin.WORKSPACE: _("workspace")}
    for entry in list_templates(load_workspace(_workspace(None))):
        origin = origins[entry.origin]
        if entry.replaces_builtin:
            origin += _(", replaces the built-in one")
        if entry.extends:
            origin += _(", extends {templates}").format(templates="、".join(entry.extends))
        own = entry.path is not None and entry.origin is not Origin.BUILTIN
        where = f"  {relative(entry.path)}" if own and entry.path else ""
        typer.echo(f"{entry.name:<22}{origin}{where}")
        if entry.blocks:
            typer.echo(f"{'':<4}" + _("blocks: {blocks}").format(blocks=" ".join(entry.blocks)))


def templates_copy(
    name: Annotated[
        str,
        typer.Argument(
            help=N_(
                "The name of a built-in template, such as body.j2; base.docx is the "
                "reference document."
            )
        ),
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help=N_("Overwrite a file of the same name in the workspace.")),
    ] = False,
    lang: Lang = None,
) -> None:
    use(lang)
    from zpgen.commands.templates import copy_template
    from zpgen.model.workspace import load_workspace

    target = copy_template(load_workspace(_workspace(None)), name, force=force)
    typer.echo(f"{status_name('created')}  {relative(target)}")


def new_year(
    year: Annotated[int, typer.Argument(help=N_("The new budget year, such as 2024."))],
    source_year: Annotated[
        int | None,
        typer.Option("--from", help=N_("The year whose data to copy (default: the year before).")),
    ] = None,
    lang: Lang = None,
) -> None:
    use(lang)
    from zpgen.commands.newyear import new_year as run_new_year
    from zpgen.model.workspace import load_workspace

    space = load_workspace(_workspace(None))
    source = source_year or year - 1
    print_new_year(run_new_year(space.data, year=year, source_year=source, limits=space.limits))


def import_(
    files: Annotated[list[Path], typer.Argument(help=N_("The reports and 自评表 of one unit."))],
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            help=N_(
                "The workspace to write to (default: the current folder's workspace, or the "
                "current folder)."
            ),
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help=N_("The budget year (default: the year the files name).")),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", help=N_("The unit's folder under data/<year>/ (default: its 单位名称).")
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Print what would be written; write nothing."))
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Overwrite files that exist already."))
    ] = False,
    lang: Lang = None,
) -> None:
    use(lang)
    from zpgen.importer import import_files

    missing = [f for f in files if not f.exists()]
    if missing:
        problem = _("There is no such file or folder.")
        raise UsageError([Problem(f, problem) for f in missing])
    print_import(import_files(files, into=into, year=year, unit=unit, dry_run=dry_run, force=force))


class SummaryFormat(str, Enum):
    xlsx = "xlsx"
    json = "json"


def summary(
    paths: Paths = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=N_(
                "The workbook to write (default: 汇总表.xlsx in the output folder's year "
                "folder, or in the output folder for several years)."
            ),
        ),
    ] = None,
    output: Annotated[
        SummaryFormat,
        typer.Option(
            "--format", help=N_("xlsx (a workbook), or json: the same rows as JSON lines.")
        ),
    ] = SummaryFormat.xlsx,
    lang: Lang = None,
) -> None:
    use(lang)
    from zpgen.commands.summary import default_path, json_lines, summarise, workbook
    from zpgen.write.atomic import confinement_problem, write_output

    found, space = summarise(_workspace(paths[0] if paths else None), paths or [])
    if output is SummaryFormat.json:
        for line in json_lines(found):
            typer.echo(line)
        return
    target = out if out is not None else default_path(found, space)
    confined = confinement_problem(target, space.out) if out is None else None
    if confined is not None:  # the output folder came with the workspace: a link placed there
        raise ZpgenError([confined])
    if target.is_dir():
        raise UsageError.single(target, _("--out names a folder: name the .xlsx file to write."))
    status = write_output(target, workbook(found))
    typer.echo(f"{status_name(status.value)}  {relative(target)}")
    errors = sum(1 for p in found.problems if p.severity == "error")
    line = _("{projects} projects of {units} units: errors: {errors}, warnings: {warnings}.")
    units = len({unit for _year, unit in found.units})  # a unit of two years is one unit
    counts = {"projects": len(found.projects), "units": units, "errors": errors}
    typer.echo(line.format(**counts, warnings=len(found.problems) - errors))


# (name, function, help): the commands in the order of ``zpgen --help``.
COMMANDS: tuple[tuple[str, Callable[..., None], str], ...] = (
    ("build", build, N_("Build the reports: one per project, and one combined report per unit.")),
    (
        "check",
        check,
        N_(
            "Check the data as a build would, and report every problem; write nothing. "
            "Exit code 0: no errors, 1: errors, 2: usage error."
        ),
    ),
    (
        "summary",
        summary,
        N_(
            "Write the 汇总表 (.xlsx): each project's figures, score and problems, each unit's "
            "totals, every problem."
        ),
    ),
    (
        "schema",
        schema,
        N_(
            "Write the JSON Schemas of the project and unit files, for editors that complete "
            "keys (the YAML language server)."
        ),
    ),
    (
        "init",
        init,
        N_(
            "Create a workspace: zpgen.yaml, an example unit and project, templates/, "
            ".gitignore and .gitattributes."
        ),
    ),
    (
        "totext",
        totext,
        N_("Show the body of a .docx (its paragraphs and tables) as text, for git diff."),
    ),
    (
        "new-year",
        new_year,
        N_(
            "Start a new year from last year's data: copy the data of every unit, and mark "
            "the values to fill in again “待填”."
        ),
    ),
    (
        "import",
        import_,
        N_(
            "Read last year's reports (.docx, .txt) and 自评表 (.docx, .xlsx) and write a unit's "
            "unit.yaml and project files; print what was read from where and what is left."
        ),
    ),
)
TEMPLATE_COMMANDS: tuple[tuple[str, Callable[..., None], str], ...] = (
    (
        "list",
        templates_list,
        N_("List every template, where it comes from, and the blocks it lets you rewrite."),
    ),
    (
        "copy",
        templates_copy,
        N_(
            "Copy a built-in template (or the reference document base.docx) into the "
            "workspace's template folder, to edit it."
        ),
    ),
)
# What ``zpgen --help`` lists beside each command, short enough not to be cut.
SHORT_HELP = {
    "build": N_("Build the reports."),
    "check": N_("Check the data; write nothing."),
    "summary": N_("Write the 汇总表 (.xlsx) of the projects."),
    "schema": N_("Write the JSON Schemas for editors."),
    "init": N_("Create a workspace to start from."),
    "totext": N_("Show a .docx as text (for git diff)."),
    "new-year": N_("Start a new year from last year's data."),
    "import": N_("Turn last year's reports into data."),
    "templates": N_("List or copy the templates."),
    "list": N_("List the templates."),
    "copy": N_("Copy a built-in template to edit."),
}
HELP = N_("zpgen: project expenditure performance self-evaluation reports from YAML data.")
TEMPLATES_HELP = N_(
    "Templates: list the templates of the workspace, or copy a built-in one into the "
    "workspace to edit it."
)
