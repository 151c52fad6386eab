"""A build's PDFs: each target's .docx converted by LibreOffice, a unit's documents in one batch.

``PdfStage`` finds LibreOffice once per process, says once which fonts of the styles are not
installed and what the PDFs show instead, and converts a unit's documents in one LibreOffice
start (``zpgen.write.libreoffice``). What it says of the whole build (LibreOffice missing, the
fonts) is a notice, which the build prints once however many processes said it; a document that
could not be converted is a problem of its PDF, whose previous file is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zpgen.errors import ERROR, WARNING, Problem, Severity
from zpgen.i18n import _
from zpgen.load.sources import CONFIG_FILE
from zpgen.model.workspace import Workspace
from zpgen.write.docx import BaseDocx
from zpgen.write.fonts import FontFinding, fonts_digest, missing_fonts, style_fonts
from zpgen.write.libreoffice import Converter, Job, find_libreoffice
from zpgen.write.ooxml import STYLES_PART

__all__ = ["PdfStage", "pdf_identity"]


def pdf_identity(space: Workspace) -> str:
    """What the PDFs depend on besides a report's data: the LibreOffice program (its path, size
    and time) and the fonts installed. A new LibreOffice or a new font makes them out of date."""
    program, why = find_libreoffice(space.config.libreoffice, space.root)
    if program is None:
        described = f"missing: {why}"
    else:
        stat = program.resolve().stat()
        described = f"{program.resolve()} {stat.st_size} {stat.st_mtime_ns}"
    text = json.dumps([described, fonts_digest()], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class PdfStage:
    """One process's PDF making: the converter (started when first needed) and the notices."""

    space: Workspace
    base: BaseDocx
    notices: list[Problem] = field(default_factory=list)
    converter: Converter | None = None
    unavailable: bool = False  # LibreOffice is missing: said once, tried no more
    said_fonts: bool = False

    def convert(self, jobs: Sequence[Job]) -> tuple[dict[Path, bytes], list[Problem]]:
        """The PDFs of ``jobs`` that could be made (by path), and a problem for each that could
        not. Nothing at all, and a notice, when LibreOffice is missing."""
        if not jobs:
            return {}, []
        converter = self._converter()
        if converter is None:
            return {}, []
        made: dict[Path, bytes] = {}
        problems: list[Problem] = []
        for job, outcome in zip(jobs, converter.convert(jobs), strict=True):
            if outcome.pdf is None:
                kept = _(" The previous PDF, if any, is kept.")
                problems.append(Problem(job.path, outcome.failure + kept))
                continue
            made[job.path] = outcome.pdf
            if not outcome.reproducible:
                self._notice(_not_reproducible(), WARNING)
        return made, problems

    def close(self) -> None:
        if self.converter is not None:
            self.converter.close()

    def _converter(self) -> Converter | None:
        if self.converter is None and not self.unavailable:
            program, why = find_libreoffice(self.space.config.libreoffice, self.space.root)
            if program is None:
                self.unavailable = True
                named = self.space.config.libreoffice is not None
                self._notice(why, ERROR, self._config_file() if named else None)
                return None
            self._say_fonts()
            config = self.space.config
            substitutes = dict(config.font_substitutes)
            self.converter = Converter(program, self.space.limits.conversion_seconds, substitutes)
        return self.converter

    def _say_fonts(self) -> None:
        """Before the first conversion: the fonts the styles name that are not installed."""
        if self.said_fonts:
            return
        self.said_fonts = True
        fonts = style_fonts(self.base.parts[STYLES_PART])
        findings = missing_fonts(fonts, self.space.config.font_substitutes)
        if findings is None:
            message = _(
                "zpgen cannot tell which fonts are installed (fontconfig's fc-list is not "
                "here): check that the PDFs show the fonts the styles name ({fonts})."
            )
            self._notice(message.format(fonts="、".join(f for f, _ in fonts)), WARNING)
        elif findings:
            self._notice(_fonts_message(findings), WARNING, self._config_file())

    def _notice(self, message: str, severity: Severity, file: Path | None = None) -> None:
        problem = Problem(file, message, severity=severity)
        if problem not in self.notices:
            self.notices.append(problem)

    def _config_file(self) -> Path | None:
        config = self.space.root / CONFIG_FILE
        return config if config.is_file() else None


def _fonts_message(findings: list[FontFinding]) -> str:
    parts = []
    for finding in findings:
        instead = finding.instead or _("a font LibreOffice chooses")
        if finding.chosen:
            line = _("{font} → {instead} (替代字体)")
            parts.append(line.format(font=finding.font, instead=instead))
        elif finding.chosen_missing:
            line = _("{font} → {instead} (the font 替代字体 names is not installed either)")
            parts.append(line.format(font=finding.font, instead=instead))
        else:
            parts.append(f"{finding.font} → {instead}")
    message = _(
        "Fonts the reports' styles name are not installed here, and the PDFs show another face "
        "in their place: {fonts}. Install the fonts, or choose the faces in zpgen.yaml "
        "(替代字体), before publishing the PDFs."
    )
    return message.format(fonts=_("; ").join(parts))


def _not_reproducible() -> str:
    return _(
        "This LibreOffice writes PDFs that zpgen cannot make byte-identical (their layout is "
        "not the one it knows): the PDFs change at every build."
    )
