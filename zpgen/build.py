"""``zpgen build``: the pipeline (load → model → figures → checks → render), then write."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.document import Document
from zpgen.errors import ERROR, Problem, UsageError
from zpgen.i18n import _
from zpgen.layout import safe_name
from zpgen.pipeline import plan
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
        return any(p.severity == ERROR for p in self.problems)


def build(
    workspace: Path,
    paths: Sequence[Path] = (),
    *,
    out: Path | None = None,
    formats: Sequence[str] = FORMATS,
    strict: bool = False,
) -> BuildReport:
    """Build the reports of everything ``paths`` names (default: all of ``workspace/data``).

    Everything is validated and checked first (as ``zpgen check`` does). A project with errors
    is not written, nor is anything of a unit whose unit.yaml has errors; a unit's combined
    report is written only when all of its projects are good. With ``strict`` warnings count
    as errors. The problems are in the report, never raised one at a time.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        message = _("Unknown output format: {formats} (choose txt, docx or both).").format(
            formats="、".join(unknown)
        )
        raise UsageError.single(None, message)
    out = out if out is not None else workspace / "output"
    planned = plan(workspace, paths, strict=strict)
    report = BuildReport(problems=planned.all_problems())
    writer = _Writer(formats)
    for unit in planned.units:
        if unit.folder is None:
            continue
        folder = out / unit.folder
        for project in unit.projects:
            if project.document is not None and project.name is not None:
                writer.write(folder / safe_name(project.name), project.document, report)
        if unit.combined is not None:
            writer.write(folder, unit.combined, report)
    return report


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
