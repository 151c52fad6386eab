"""Writing a target's documents in every format: all or none, never over a hand edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zpgen.builder.bookkeeping import Bookkeeping, WrittenFile, digest
from zpgen.builder.planner import Rendered
from zpgen.builder.report import BuildReport
from zpgen.errors import WARNING, Problem, ZpgenError
from zpgen.i18n import _
from zpgen.load.reading import os_reason
from zpgen.model.names import file_key
from zpgen.model.workspace import Workspace
from zpgen.render.markup import Document
from zpgen.write.atomic import Status, existing_bytes, replace_file, status_of, sweep_leftovers
from zpgen.write.txt import render_txt

if TYPE_CHECKING:
    from zpgen.builder.pdfs import PdfStage
    from zpgen.write.libreoffice import Job

__all__ = ["Prepared", "Writer"]


@dataclass
class Prepared:
    """A target's files rendered and their paths claimed, not yet written; and the PDFs to make
    from its .docx documents (``pdf`` among the formats), which join ``files`` once made."""

    files: list[tuple[Path, str, bytes]]
    pdfs: list[Job] = field(default_factory=list)
    unmade: list[Path] = field(default_factory=list)  # PDFs that could not be made


class Writer:
    """Renders a target's documents to each requested format and writes them side by side.

    A target's files are written all or none: they are rendered, checked (no two targets share a
    file, no folder leads out of the output folder, no report changed by hand is replaced) and
    only then written. A report whose bytes are not the ones the bookkeeping records was changed
    by hand: it is not replaced, unless ``force``, which first keeps it under another name.
    """

    def __init__(self, space: Workspace, book: Bookkeeping, *, dry_run: bool, force: bool) -> None:
        self.dry_run = dry_run
        self.force = force
        self.report = BuildReport(dry_run=dry_run)  # the unit's, made anew for each
        self.book = book
        self.out = space.out
        self.paths: set[str] = set()  # written in this build, case folded: none shared
        self.folders: set[Path] = set()  # folders checked and cleared of killed builds' files
        self.renderers: list[tuple[str, Callable[[Document], bytes]]] = []
        self.base_warnings: list[Problem] = []  # what the base document had to lose
        self.pdf: PdfStage | None = None
        self._docx: Callable[[Document], bytes] | None = None
        if "txt" in space.formats:
            self.renderers.append(("txt", lambda document: render_txt(document).encode("utf-8")))
        if "docx" in space.formats or "pdf" in space.formats:
            from zpgen.write.base import load_workspace_base  # heavy: only when .docx is wanted
            from zpgen.write.docx import render_docx

            base, self.base_warnings = load_workspace_base(
                space.base_document, root=space.root, limits=space.limits
            )
            self._docx = lambda document: render_docx(document, base)
            if "docx" in space.formats:
                self.renderers.append(("docx", self._docx))
            if "pdf" in space.formats:
                from zpgen.builder.pdfs import PdfStage

                self.pdf = PdfStage(space, base)

    def prepare(self, stem: Path, documents: list[Rendered]) -> Prepared:
        """Render each document beside ``stem``, its suffix added to the name, in every format,
        and claim the files' paths (the PDFs' too); a ZpgenError when they cannot be written."""
        from zpgen.write.libreoffice import Job

        prepared = Prepared([])
        for suffix, document in documents:
            named = stem.with_name(stem.name + suffix)
            rendered = {ext: render(document) for ext, render in self.renderers}
            prepared.files += [
                (named.with_name(f"{named.name}.{ext}"), ext, content)
                for ext, content in rendered.items()
            ]
            if self.pdf is not None and self._docx is not None:
                docx = rendered.get("docx") or self._docx(document)
                pdf = named.with_name(f"{named.name}.pdf")
                prepared.pdfs.append(Job(pdf, docx, document.meta.date))
        self._claim([path for path, _ext, _content in prepared.files])
        self._claim([job.path for job in prepared.pdfs])
        self._check_folder(stem.parent)
        return prepared

    def convert(self, targets: Sequence[Prepared]) -> None:
        """Make the PDFs of every target in one batch and add them to their files; a PDF that
        could not be made is reported (and failed), and its previous file stays."""
        if self.pdf is None:
            return
        jobs = [job for target in targets for job in target.pdfs]
        made, problems = self.pdf.convert(jobs)
        self.report.problems += problems
        self.report.failures += [p.file for p in problems if p.file is not None]
        for target in targets:
            target.files += [(j.path, "pdf", made[j.path]) for j in target.pdfs if j.path in made]
            target.unmade = [job.path for job in target.pdfs if job.path not in made]

    def write(self, prepared: Prepared) -> list[WrittenFile]:
        """Write a prepared target's files: all or none (a ZpgenError, and none is written, when
        a report was changed by hand or a file cannot be written); (path, format, hash) of each."""
        files = prepared.files
        existing = [self._existing(path, content) for path, _ext, content in files]
        pairs = list(zip(files, existing, strict=True))
        edited = [path for (path, _ext, _content), (_old, hand) in pairs if hand]
        if edited and not self.force:
            raise ZpgenError([_edited_problem(path) for path in edited])
        for (path, _ext, content), (old, hand) in pairs:
            status = status_of(content, old)
            if hand:
                status = self._keep_edited(path)
            if not self.dry_run and status is not Status.UNCHANGED:
                try:
                    replace_file(path, content, status)
                except OSError as error:
                    raise _write_error(path, error) from error
            self.report.written.append((path, status))
        return [WrittenFile(path, ext, digest(content)) for path, ext, content in files]

    def _claim(self, paths: list[Path]) -> None:
        """Two targets never write one file (nor two names that differ only in letter case,
        which Windows and macOS take for one)."""
        for path in paths:
            folded = str(path.parent / file_key(path.name))
            if folded in self.paths:
                message = _(
                    "Two reports would be written to the same file (two projects with the same "
                    "name, or names that differ only in letter case?): rename one of them."
                )
                raise ZpgenError.single(path, message)
            self.paths.add(folded)

    def _check_folder(self, folder: Path) -> None:
        """Once a folder: it must not lead out of the output folder (a link placed there), and
        what killed builds left in it is swept."""
        if folder in self.folders:
            return
        root = self.out.resolve()
        if not folder.resolve().is_relative_to(root):  # also a folder still to make
            message = _(
                "This folder is a link to a place outside the output folder: zpgen does not write "
                "through it. Delete the link."
            )
            raise ZpgenError.single(folder, message)
        if not self.dry_run:
            sweep_leftovers(folder)
        self.folders.add(folder)

    def _existing(self, path: Path, content: bytes) -> tuple[bytes | None, bool]:
        """What ``path`` holds (None: nothing), and whether it was changed by hand: it differs
        from ``content`` and from what the bookkeeping records zpgen wrote there."""
        record = self.book.recorded(path)
        limit = max(len(content), record.size if record is not None else 0)
        try:
            old = existing_bytes(path, limit)
        except OSError as error:
            raise _write_error(path, error) from error
        if old is None or old == content or record is None:
            return old, False
        return old, digest(old) != record.sha256

    def _keep_edited(self, path: Path) -> Status:
        """Move the report changed by hand aside (``--force``); the new one is then created."""
        kept = _kept_name(path)
        if not self.dry_run:
            try:
                path.rename(kept)
            except OSError as error:
                raise _write_error(path, error) from error
        message = _(
            "This report was changed by hand since zpgen wrote it; it is kept as {kept}, and "
            "the report was written again from the data."
        )
        self.report.problems.append(Problem(path, message.format(kept=kept.name), severity=WARNING))
        return Status.CREATED


def _kept_name(path: Path) -> Path:
    """A free name beside ``path`` for a report changed by hand: 名称（手工修改）.docx, then
    （手工修改2）…"""
    stem, suffix = path.name[: -len(path.suffix)] if path.suffix else path.name, path.suffix
    number = 1
    while True:
        mark = "手工修改" + (str(number) if number > 1 else "")
        kept = path.with_name(f"{stem}（{mark}）{suffix}")
        if not kept.exists() and not kept.is_symlink():
            return kept
        number += 1


def _edited_problem(path: Path) -> Problem:
    message = _(
        "This report was changed by hand since zpgen wrote it, so it was not replaced. Carry "
        "the change into the data (the project's YAML file), then delete the report or build "
        "with --force, which keeps the edited file as “{kept}” and writes the report again."
    )
    return Problem(path, message.format(kept=_kept_name(path).name))


def _write_error(path: Path, error: OSError) -> ZpgenError:
    message = _("Cannot write the file: {reason}.").format(reason=os_reason(error))
    return ZpgenError.single(path, message)
