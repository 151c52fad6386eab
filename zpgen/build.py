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
    Settings,
    Unit,
    overlay,
    validate,
)
from zpgen.render import Renderer
from zpgen.resources import builtin_templates
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
            markup = renderer.render("project.j2", project_context, file)
            document = parse_markup(markup, _meta(unit, view.data.name), _numbering(view.settings))
            writer.write(folder / safe_name(view.data.name), document, report)
            views.append(view)
        except ZpgenError as error:
            report.problems.extend(error.problems)
            failed = True
    if not source.whole_unit or failed or not views:
        return
    unit_context: UnitContext = {"unit": unit, "year": source.year, "projects": views}
    markup = renderer.render("unit.j2", unit_context, unit_file)
    settings = overlay(DEFAULT_SETTINGS, unit.settings)
    document = parse_markup(markup, _meta(unit, unit.name), _numbering(settings))
    writer.write(folder, document, report)


def _project_view(file: Path, unit: Unit, year: int) -> ProjectView:
    project = validate(load_yaml(file), Project)
    return ProjectView(
        data=project,
        figures=compute(project, year),
        phrases=overlay(DEFAULT_PHRASES, unit.phrases, project.phrases),
        settings=overlay(DEFAULT_SETTINGS, unit.settings, project.settings),
        file=file,
    )


def _meta(unit: Unit, subject: str) -> DocumentMeta:
    date = unit.evaluation_date
    return DocumentMeta(
        title=f"{subject}绩效自评报告" if subject != unit.name else "项目支出绩效自评报告",
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
