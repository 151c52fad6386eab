"""PDFs from .docx files through LibreOffice headless, many documents per start, safely.

``Converter`` starts ``soffice --headless --convert-to pdf`` once for a batch of documents (a
unit's reports), in a LibreOffice profile of its own (one per process of the build: two
LibreOffices sharing one would hand their work to each other), with the documents staged under
plain names in a private folder. LibreOffice prints a line as it starts each document; when none
comes within the time limit of a conversion (twice that for the first, which includes the start),
or LibreOffice dies, its whole process group is ended, the document at hand is reported, and the
rest of the batch goes to a new start. Every process of the group is ended when the batch is
done, whatever happened. The PDFs are made reproducible (``zpgen.write.pdf``).

Which program runs: ``LibreOffice路径`` in zpgen.yaml, else ``soffice`` (or ``libreoffice``) on the
PATH, else where LibreOffice's installers put it. A workspace comes from a colleague, so the path
zpgen.yaml names must be an installed LibreOffice: absolute, outside the workspace, and named
soffice or libreoffice. A program that came with the workspace is never run.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from zpgen.i18n import _
from zpgen.write.pdf import reproducible

__all__ = [
    "PROGRAM_NAMES",
    "Converter",
    "Job",
    "Outcome",
    "end_all",
    "find_libreoffice",
    "install_hint",
]

PROGRAM_NAMES = ("soffice", "libreoffice")
_STARTED = re.compile(r"[/\\](\d{4,})\.docx -> ")
_KEPT_LINES = 5  # of LibreOffice's output, for the message when it fails

# The process groups of the LibreOffices running now, ended by ``end_all`` (a pool worker whose
# build is gone calls it before it ends).
_RUNNING: set[int] = set()


@dataclass(frozen=True, slots=True)
class Job:
    """One document to convert: the PDF it becomes (named in messages), the .docx's bytes, and
    the date (year, month, day) that the PDF is stamped with."""

    path: Path
    docx: bytes
    date: tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A conversion's result: the PDF's bytes, or why there is none; and whether the bytes
    could be made reproducible."""

    pdf: bytes | None = None
    failure: str = ""
    reproducible: bool = True


def install_hint() -> str:
    return _(
        "Install LibreOffice (Debian or Ubuntu: sudo apt-get install libreoffice-writer-nogui; "
        "Windows or macOS: LibreOffice's installer), or name its soffice program in zpgen.yaml "
        "(LibreOffice路径)."
    )


def find_libreoffice(configured: str | None, workspace: Path) -> tuple[Path | None, str]:
    """The LibreOffice program to run, or None and why not (a message that says what to do).

    ``configured`` is zpgen.yaml's ``LibreOffice路径``: it must name an installed LibreOffice,
    never a file of the workspace (whoever made the workspace would choose what zpgen runs).
    """
    if configured:
        return _configured(configured, workspace)
    for name in PROGRAM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found), ""
    for place in _usual_places():
        if place.is_file():
            return place, ""
    message = _("LibreOffice is not installed (no soffice on the PATH), so no PDF was made.")
    return None, message + " " + install_hint()


def _configured(configured: str, workspace: Path) -> tuple[Path | None, str]:
    path = Path(configured).expanduser()
    named = _("LibreOffice路径 “{path}” in zpgen.yaml").format(path=configured)
    if not path.is_absolute():
        reason = _("is not an absolute path: name the installed program, such as {example}.")
        return None, f"{named} {reason.format(example=_example())}"
    if _program_name(path) not in PROGRAM_NAMES:
        reason = _("is not LibreOffice's program (soffice or libreoffice): zpgen runs no other.")
        return None, f"{named} {reason}"
    resolved = path.resolve()
    if resolved.is_relative_to(workspace.resolve()):
        reason = _(
            "lies inside the workspace: zpgen does not run a program that comes with a "
            "workspace. Name the LibreOffice installed on this machine."
        )
        return None, f"{named} {reason}"
    if not resolved.is_file() or not os.access(resolved, os.X_OK):
        reason = _("cannot be found, or cannot be run, on this machine.")
        return None, f"{named} {reason} {install_hint()}"
    return path, ""


def _program_name(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".exe", ".com", ".bin"):
        name = name.removesuffix(suffix)
    return name


def _example() -> str:
    if os.name == "nt":
        return r"C:\Program Files\LibreOffice\program\soffice.exe"
    return "/usr/bin/soffice"


def _usual_places() -> list[Path]:
    """Where LibreOffice's installers put the program, when it is not on the PATH."""
    if os.name == "nt":
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")]
        return [Path(r) / "LibreOffice" / "program" / "soffice.exe" for r in roots if r]
    return [
        Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        Path("/opt/libreoffice/program/soffice"),
    ]


@dataclass
class Converter:
    """Converts batches of documents with one LibreOffice program, in a profile of its own that
    this process keeps (and deletes at ``close``) and whose font replacement table maps each of
    ``substitutes``' fonts to the font named beside it."""

    program: Path
    seconds: int  # the time one conversion may take
    substitutes: Mapping[str, str] = field(default_factory=dict)
    folder: Path | None = None  # the profile and the staged documents

    def convert(self, jobs: Sequence[Job]) -> list[Outcome]:
        """Each job's outcome, in order: as many documents as possible per LibreOffice start."""
        outcomes: dict[int, Outcome] = {}
        pending = list(range(len(jobs)))
        while pending:
            done = self._run(jobs, pending)
            outcomes.update(done)
            pending = [index for index in pending if index not in outcomes]
        return [outcomes[index] for index in range(len(jobs))]

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _profile(self) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="zpgen-libreoffice-"))
        profile = self.folder / "profile"
        settings = profile / "user" / "registrymodifications.xcu"
        if not settings.exists():
            settings.parent.mkdir(parents=True, exist_ok=True)
            settings.write_text(_registry(self.substitutes), encoding="utf-8")
        return profile

    def _run(self, jobs: Sequence[Job], indices: list[int]) -> dict[int, Outcome]:
        """One LibreOffice start over ``indices``: the outcomes it settled (at least one)."""
        profile = self._profile()
        assert self.folder is not None
        batch = Path(tempfile.mkdtemp(prefix="batch-", dir=self.folder))
        try:
            inputs = []
            for index in indices:
                staged = batch / f"{index:04d}.docx"
                staged.write_bytes(jobs[index].docx)
                inputs.append(staged)
            run = _Run.start(self.program, profile, batch, inputs)
            run.watch(self.seconds)
            settled = run.settle(indices, batch, self.seconds)
            if run.ended_by_us:  # the profile may be half written: the next start gets a new one
                shutil.rmtree(profile, ignore_errors=True)
        finally:
            shutil.rmtree(batch, ignore_errors=True)
        return {index: _finished(jobs[index], found) for index, found in settled.items()}


def _finished(job: Job, found: bytes | str) -> Outcome:
    if isinstance(found, str):
        return Outcome(failure=found)
    pdf, fixed = reproducible(found, job.date)
    return Outcome(pdf, reproducible=fixed)


@dataclass
class _Run:
    """One LibreOffice process group converting staged documents, and what it printed."""

    process: subprocess.Popen[bytes]
    lines: queue.Queue[str | None]
    started: int = -1  # the index of the last document LibreOffice said it started
    ended_by_us: bool = False
    hung: bool = False
    output: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, program: Path, profile: Path, batch: Path, inputs: list[Path]) -> _Run:
        command = [
            str(program),
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(batch),
            *map(str, inputs),
        ]
        options: dict[str, object] = {}
        if os.name == "posix":
            options["start_new_session"] = True  # its own process group, ended as one
        else:
            options["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        process = subprocess.Popen(  # the program find_libreoffice chose
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=batch,
            **options,  # type: ignore[call-overload]
        )
        _RUNNING.add(process.pid)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_read_lines, args=(process, lines), daemon=True).start()
        return cls(process, lines)

    def watch(self, seconds: int) -> None:
        """Follow LibreOffice's lines until it ends, or until no document starts in time; then
        end its process group (all of it, however it ended)."""
        deadline = time.monotonic() + 2 * seconds  # the start, and the first document
        try:
            for line in self._lines(deadline, seconds):
                found = _STARTED.search(line)
                if found is not None:
                    self.started = int(found.group(1))
        except BaseException:  # Ctrl-C, say: LibreOffice is ended at once, not waited for
            self.hung = True
            raise
        finally:
            self._end()

    def _lines(self, deadline: float, seconds: int) -> Iterator[str]:
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.hung = True
                return
            if line is None:
                return
            self.output = [*self.output[-_KEPT_LINES + 1 :], line]
            if _STARTED.search(line):
                deadline = time.monotonic() + seconds
            yield line

    def _end(self) -> None:
        """End every process of the group: a hung or crashed LibreOffice, or what a finished
        one left. The leader is waited for without being reaped (os.waitid's WNOWAIT, where
        there is one), so that its group id cannot have passed to another process."""
        exited = not self.hung and _exited(self.process, 10)
        self.ended_by_us = not exited
        _end_group(self.process)
        _RUNNING.discard(self.process.pid)

    def settle(self, indices: list[int], batch: Path, seconds: int) -> dict[int, bytes | str]:
        """What each document came to: its PDF, a failure, or nothing yet (left for another
        start). The document LibreOffice was at when it hung or died is a failure."""
        results: dict[int, bytes | str] = {}
        for index in indices:
            pdf = _complete_pdf(batch / f"{index:04d}.pdf")
            if pdf is not None:
                results[index] = pdf
        failed = self.hung or self.ended_by_us or self.process.returncode != 0
        missing = [index for index in indices if index not in results]
        if not missing:
            return results
        if not failed:
            for index in missing:
                results[index] = self._reason(_("LibreOffice could not convert it"))
            return results
        if self.started < 0 and not results:
            for index in missing:  # nothing started: the program itself fails
                results[index] = self._failure(seconds)
            return results
        culprit = next((i for i in missing if i >= self.started), missing[0])
        for index in missing:
            if index < culprit:
                results[index] = self._reason(_("LibreOffice could not convert it"))
        results[culprit] = self._failure(seconds)
        return results

    def _failure(self, seconds: int) -> str:
        if self.hung:
            message = _("LibreOffice took more than {seconds} s over it and was ended")
            return self._reason(message.format(seconds=seconds))
        code = self.process.returncode
        if code is not None and code < 0:
            message = _("LibreOffice stopped (signal {signal}) while converting it")
            return self._reason(message.format(signal=-code))
        message = _("LibreOffice ended (exit code {code}) without converting it")
        return self._reason(message.format(code=code))

    def _reason(self, what: str) -> str:
        said = " / ".join(line for line in self.output if not _STARTED.search(line))
        if said:
            return _("{what} (it said: {said}).").format(what=what, said=said[:300])
        return _("{what}.").format(what=what)


def _read_lines(process: subprocess.Popen[bytes], lines: queue.Queue[str | None]) -> None:
    assert process.stdout is not None
    with process.stdout:
        for raw in process.stdout:
            lines.put(raw.decode("utf-8", "replace").strip())
    lines.put(None)


def _exited(process: subprocess.Popen[bytes], seconds: float) -> bool:
    """Whether the leader exits within ``seconds``; left a zombie where the system allows."""
    waitid = getattr(os, "waitid", None)
    if waitid is None or os.name != "posix":
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            return False
        return True
    deadline = time.monotonic() + seconds
    while True:
        try:
            if waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None:
                return True
        except ChildProcessError:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End the process and every process of its group, and reap it."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    elif process.poll() is None:
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    process.wait()


def end_all() -> None:
    """End every LibreOffice this process started and that still runs."""
    for group in list(_RUNNING):
        if os.name == "posix":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        _RUNNING.discard(group)


def _complete_pdf(path: Path) -> bytes | None:
    """The PDF LibreOffice wrote at ``path``, if it is whole (it ends with %%EOF)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") else None


def _registry(substitutes: Mapping[str, str]) -> str:
    """A profile's settings: LibreOffice's font replacement table, set to ``substitutes``
    (always, on screen and in print), and nothing kept between runs."""
    items = [
        '<item oor:path="/org.openoffice.Office.Recovery/AutoSave">'
        '<prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>',
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse">'
        f"<value>{'true' if substitutes else 'false'}</value></prop></item>",
    ]
    for number, (font, substitute) in enumerate(sorted(substitutes.items())):
        props = {
            "Always": "true",
            "OnScreenOnly": "false",
            "ReplaceFont": escape(font),
            "SubstituteFont": escape(substitute),
        }
        values = "".join(
            f'<prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop>'
            for name, value in props.items()
        )
        node = quoteattr(f"zpgen{number}")
        items.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name={node} oor:op="replace">{values}</node></item>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n"
    )
