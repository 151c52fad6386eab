"""``zpgen build``: load → model → figures → render → write, for every project named."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.context import ProjectContext, ProjectView, UnitContext
from zpgen.document import Document, DocumentMeta, Numbering, parse_markup
from zpgen.errors import Problem, ZpgenError
from zpgen.figures import compute
from zpgen.layout import UNIT_FILE, UnitSource, find_sources, safe_name
from zpgen.load import load_yaml
from zpgen.model import (
    DEFAULT_PHRASES,
    DEFAULT_SETTINGS,
    Project,
    SelfTable,
    Settings,
    Unit,
    overlay,
    validate,
)
from zpgen.render import Renderer
from zpgen.resources import builtin_templates
from zpgen.scoring import score_project
from zpgen.txt import render_txt
from zpgen.write import Status, write_output

__all__ = ["FORMATS", "BuildReport", "build"]

FORMATS = ("txt", "docx")


@dataclass
class BuildReport:
    """What a build wrote (each file with its status) and every problem it met."""

    written: list[tuple[Path, Status]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def build(
    workspace: Path,
    paths: Sequence[Path] = (),
    *,
    out: Path | None = None,
    formats: Sequence[str] = FORMATS,
) -> BuildReport:
    """Build the reports of everything ``paths`` names (default: all of ``workspace/data``).

    A project with problems is not written; a unit's combined report is written only when all
    of its projects are good. The problems are in the report, never raised one at a time.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ZpgenError.single(None, f"未知的输出格式：{'、'.join(unknown)}（可选 txt、docx）")
    out = out if out is not None else workspace / "output"
    report = BuildReport()
    writer = _Writer(formats)
    renderer = Renderer([builtin_templates()])
    for source in find_sources(workspace, list(paths)):
        try:
            _build_unit(source, out, renderer, writer, report)
        except ZpgenError as error:
            report.problems.extend(error.problems)
    return report


def _build_unit(
    source: UnitSource, out: Path, renderer: Renderer, writer: _Writer, report: BuildReport
) -> None:
    unit_file = source.folder / UNIT_FILE
    if not unit_file.is_file():
        raise ZpgenError.single(source.folder, f"单位文件夹中缺少 {UNIT_FILE}")
    unit = validate(load_yaml(unit_file), Unit)
    folder = out / str(source.year) / safe_name(unit.name)
    views: list[ProjectView] = []
    failed = False
    for file in source.projects:
        try:
            view = _project_view(file, unit, source.year)
            project_context: ProjectContext = {"unit": unit, "year": source.year, "project": view}
            stem = folder / safe_name(view.data.name)
            documents = [
                (
                    stem.with_name(stem.name + output.suffix),
                    parse_markup(
                        renderer.render(output.project_template, project_context, file),
                        _meta(unit, view.data.name, output),
                        _numbering(view.settings),
                        source=file,
                    ),
                )
                for output in _outputs(view.settings)
            ]
            for path, document in documents:
                writer.write(path, document, report)
            views.append(view)
        except ZpgenError as error:
            report.problems.extend(error.problems)
            failed = True
    if not source.whole_unit or failed or not views:
        return
    settings = overlay(DEFAULT_SETTINGS, unit.settings)
    for output in _outputs(settings):
        members = [v for v in views if v.score is not None] if output.table else views
        if not members:
            continue
        unit_context: UnitContext = {"unit": unit, "year": source.year, "projects": members}
        markup = renderer.render(output.unit_template, unit_context, unit_file)
        meta = _meta(unit, unit.name, output)
        document = parse_markup(markup, meta, _numbering(settings), source=unit_file)
        writer.write(folder.with_name(folder.name + output.suffix), document, report)


@dataclass(frozen=True)
class _Output:
    """One kind of document: the narrative report, or the 自评表 on its own."""

    project_template: str
    unit_template: str
    suffix: str  # added to the file name
    table: bool


_REPORT = _Output("project.j2", "unit.j2", "", table=False)
_TABLE = _Output("project_table.j2", "unit_table.j2", "_自评表", table=True)


def _outputs(settings: Settings) -> list[_Output]:
    """The documents the 自评表 setting asks for."""
    choice = settings.self_table
    outputs = [] if choice is SelfTable.ONLY else [_REPORT]
    if choice in (SelfTable.SEPARATE, SelfTable.ONLY):
        outputs.append(_TABLE)
    return outputs


def _project_view(file: Path, unit: Unit, year: int) -> ProjectView:
    located = load_yaml(file)
    project = validate(located, Project)
    settings = overlay(DEFAULT_SETTINGS, unit.settings, project.settings)
    assert settings.rate_decimals is not None  # the defaults set every setting
    figures = compute(project, year, rate_decimals=settings.rate_decimals)
    wants_table = settings.self_table is not SelfTable.NONE
    return ProjectView(
        data=project,
        figures=figures,
        score=score_project(project, figures, settings, located, required=wants_table),
        phrases=overlay(DEFAULT_PHRASES, unit.phrases, project.phrases),
        settings=settings,
        file=file,
    )


def _meta(unit: Unit, subject: str, output: _Output) -> DocumentMeta:
    date = unit.evaluation_date
    kind = "绩效自评表" if output.table else "绩效自评报告"
    return DocumentMeta(
        title=f"{subject}{kind}" if subject != unit.name else f"项目支出{kind}",
        author=unit.name,
        date=(date.year, date.month, date.day or 1),
        subject=subject,
    )


def _numbering(settings: Settings) -> Numbering:
    return Numbering((True, True, bool(settings.number_level3), True))


class _Writer:
    """Renders a document to each requested format and writes it beside its siblings."""

    def __init__(self, formats: Sequence[str]) -> None:
        self.renderers: list[tuple[str, Callable[[Document], bytes]]] = []
        if "txt" in formats:
            self.renderers.append(("txt", lambda document: render_txt(document).encode("utf-8")))
        if "docx" in formats:
            from zpgen.docx import load_base, render_docx  # heavy: only when .docx is wanted

            base = load_base()
            self.renderers.append(("docx", lambda document: render_docx(document, base)))

    def write(self, stem: Path, document: Document, report: BuildReport) -> None:
        # Render every format before writing any, so a failure leaves the old files as they were.
        contents = [
            (stem.with_name(f"{stem.name}.{ext}"), r(document)) for ext, r in self.renderers
        ]
        for path, content in contents:
            report.written.append((path, write_output(path, content)))
