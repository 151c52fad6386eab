"""Incremental builds: what a target's outputs were made from, and whether they are still current.

A *target* is one project file (its report) or one unit folder (its combined report). Its
*fingerprint* is a hash of everything its outputs are made from: the bytes of the project file,
of ``unit.yaml`` and of ``zpgen.yaml``, the command line's settings, every template it renders
(found statically from its root template through ``extends``/``include``/``import``), the base
document and the zpgen version. ``fingerprint`` is a pure function of those hashes, so any process
can decide for any target on its own.

The bookkeeping file (``<out>/.zpgen-build.json``) records, for each output file, the fingerprint
it was made from and its size, time and hash. An output is current when its fingerprint matches
and the file on disk is the one recorded (same size and time, or else same hash: a file that was
edited by hand or replaced by ``git checkout`` is looked at again). The file is written atomically
at the end of every build that changed it, also a failed one; a missing, corrupt or foreign file
only means a full rebuild. It holds no time stamps of its own, and nothing in it reaches an
output.

The bookkeeping lies in the output folder, which may come from a colleague: it is read within a
size, every path in it must be a plain relative path, and it decides nothing alone. A file is
deleted (``--prune``) only when it lies in the output folder, is recorded, and still holds the
bytes recorded; anything else is reported and kept. The hash recorded for an output is also how a
report changed by hand is told from one zpgen wrote (``zpgen.builder.run``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import jinja2
from jinja2 import meta

import zpgen
from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.load.reading import os_reason, read_file
from zpgen.load.sources import UNIT_FILE
from zpgen.load.yaml_file import read_yaml
from zpgen.model.workspace import Workspace
from zpgen.resources import builtin_templates
from zpgen.write.atomic import Status, replace_file

__all__ = [
    "MANIFEST_FILE",
    "Bookkeeping",
    "Manifest",
    "OutputRecord",
    "Record",
    "WrittenFile",
    "base_digest",
    "code_digest",
    "digest",
    "fingerprint",
    "holds",
    "is_current",
    "templates_digest",
]

MANIFEST_FILE = ".zpgen-build.json"
_MANIFEST_VERSION = 2  # 2: orphans keep their records, so that --prune can check their bytes
# More than the bookkeeping of 100,000 projects: a larger file is not zpgen's.
_MANIFEST_LIMIT = 256 * 1024 * 1024


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def code_digest() -> str:
    """A hash of zpgen's own code and built-in templates, read once per process: a new zpgen
    that writes reports differently rebuilds them, whatever its version number says."""
    package = Path(zpgen.__file__).parent
    files = sorted(package.rglob("*.py")) + sorted(
        file for file in builtin_templates().rglob("*") if file.is_file()
    )
    hashed = hashlib.sha256(zpgen.__version__.encode())
    for file in files:
        hashed.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return hashed.hexdigest()


def fingerprint(inputs: Mapping[str, Any]) -> str:
    """One hash of a target's inputs (JSON-serialisable: hashes, names, lists of them)."""
    text = json.dumps(
        {"zpgen": code_digest(), **inputs}, sort_keys=True, ensure_ascii=False, default=str
    )
    return digest(text.encode("utf-8"))


def templates_digest(environment: jinja2.Environment, roots: Sequence[str]) -> str:
    """A hash of every template ``roots`` can render: each and, transitively, what it extends,
    includes or imports, each as the search path resolves it now (a workspace template that
    shadows a built-in changes the hash). A name computed at render time makes every template
    count."""
    assert environment.loader is not None
    sources: dict[str, str] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in sources:
            continue
        try:
            source, _, _ = environment.loader.get_source(environment, name)
        except jinja2.TemplateNotFound:
            sources[name] = "missing"
            continue
        except ZpgenError:  # too large, a link out of the workspace: the render reports it
            sources[name] = "unreadable"
            continue
        sources[name] = digest(source.encode("utf-8"))
        try:
            referenced = list(meta.find_referenced_templates(environment.parse(source)))
        except jinja2.TemplateSyntaxError:
            continue  # the render reports it; the source's hash already changes the fingerprint
        if None in referenced:
            referenced = list(environment.list_templates())
        pending.extend(ref for ref in referenced if ref is not None)
    return fingerprint({"templates": sources})


def base_digest(path: Path | None, root: Path | None = None, limit: int = 1 << 30) -> str:
    """A hash of the base document: the user's .docx (kept inside ``root``, at most ``limit``
    bytes; "unreadable" when it cannot be read, which loading it reports), or the built-in
    one's XML parts."""
    if path is not None:
        try:
            return digest(read_file(path, root=root, limit=limit))
        except ZpgenError:
            return "unreadable"
    folder = builtin_templates() / "base-docx"
    parts = {
        file.relative_to(folder).as_posix(): digest(file.read_bytes())
        for file in sorted(folder.rglob("*"))
        if file.is_file()
    }
    return fingerprint({"base": parts})


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """One output file as the last build wrote it."""

    format: str
    fingerprint: str
    sha256: str
    size: int
    mtime_ns: int


def is_current(
    outputs: Mapping[str, OutputRecord], fingerprint: str, formats: Iterable[str], out: Path
) -> bool:
    """Whether a target's recorded outputs (paths relative to ``out``) are current for
    ``fingerprint``: one per wanted format, made from it, and untouched on disk."""
    for wanted in formats:
        matching = [(path, record) for path, record in outputs.items() if record.format == wanted]
        if not matching or any(record.fingerprint != fingerprint for _path, record in matching):
            return False  # an output of an older build: a PDF whose conversion failed, say
        if not all(_intact(out / path, record) for path, record in matching):
            return False
    return True


def _intact(path: Path, record: OutputRecord) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    if stat.st_size != record.size:
        return False
    if stat.st_mtime_ns == record.mtime_ns:
        return True
    return holds(path, record)


def holds(path: Path, record: OutputRecord) -> bool:
    """Whether the regular file ``path`` holds the bytes ``record`` records (read no further
    than their size)."""
    try:
        return digest(read_file(path, root=None, limit=record.size)) == record.sha256
    except ZpgenError:
        return False


@dataclass
class Manifest:
    """The bookkeeping of one output folder: targets (keyed by their source's path relative to
    the data folder; a unit's combined report by its folder with a final "/") and orphans
    (outputs zpgen wrote whose target is gone, with their records, kept until pruned)."""

    targets: dict[str, dict[str, OutputRecord]] = field(default_factory=dict)
    orphans: dict[str, OutputRecord] = field(default_factory=dict)
    # Whether a target's records changed since the file was read, and the orphans it held:
    # a build that changed neither need not write the bookkeeping again.
    changed: bool = field(default=True, compare=False)
    orphans_read: frozenset[str] = field(default_factory=frozenset, compare=False)
    # Each output's record by its path, made when first asked for and kept up to date: a build
    # asks for every output's, and a scan of the targets for each would take a rebuild of
    # 10,000 projects 40,000 × 10,000 lookups.
    _by_path: dict[str, OutputRecord] | None = field(default=None, compare=False, repr=False)

    @property
    def unchanged(self) -> bool:
        return not self.changed and set(self.orphans) == self.orphans_read

    @classmethod
    def load(cls, out: Path) -> tuple[Manifest, bool]:
        """The manifest of ``out``, and whether a file was there but could not be used (damaged,
        from another version, or naming a path that is not a plain path below ``out``)."""
        path = out / MANIFEST_FILE
        if not path.exists() and not path.is_symlink():
            return cls(), False
        try:
            raw = json.loads(read_file(path, root=None, limit=_MANIFEST_LIMIT).decode("utf-8"))
            if raw["version"] != _MANIFEST_VERSION:
                return cls(), True
            targets = {
                _checked(key, target=True): {_checked(p): _record(r) for p, r in outputs.items()}
                for key, outputs in raw["targets"].items()
            }
            orphans = {_checked(p): _record(r) for p, r in raw["orphans"].items()}
        except (ZpgenError, ValueError, KeyError, TypeError, AttributeError):
            return cls(), True
        return cls(targets, orphans, changed=False, orphans_read=frozenset(orphans)), False

    def save(self, out: Path) -> None:
        """JSON with a line for each target, so that a diff shows which targets changed (and
        json's C encoder writes it: an indented file takes its pure-Python one, 10 times slower
        for the 40,000 outputs of 10,000 projects)."""
        targets = [  # each line encoded at once: as text, 40,000 records take twice the room
            (
                _json(key) + ": " + _json({p: _fields(r) for p, r in sorted(outputs.items())})
            ).encode()
            for key, outputs in sorted(self.targets.items())
        ]
        orphans = {p: _fields(r) for p, r in sorted(self.orphans.items())}
        head = f'{{\n "orphans": {_json(orphans)},\n "targets": {{'
        body = b"\n  " + b",\n  ".join(targets) + b"\n " if targets else b""
        tail = f'}},\n "version": {_MANIFEST_VERSION}\n}}\n'
        try:  # zpgen's own file: whatever stands there (a link too) is replaced, never followed
            replace_file(out / MANIFEST_FILE, head.encode() + body + tail.encode(), Status.UPDATED)
        except OSError as error:
            message = _("Cannot write the build record: {reason}.").format(reason=os_reason(error))
            raise ZpgenError.single(out / MANIFEST_FILE, message) from error

    def record(
        self,
        key: str,
        fingerprint: str,
        written: Sequence[tuple[str, str, str]],
        out: Path,
        unmade: Sequence[str] = (),
    ) -> None:
        """Record a target's outputs just written (path relative to out, format, content hash).

        Outputs of the same formats that the target no longer writes (its name changed) become
        orphans; outputs of other formats are kept as they were, and so are the ``unmade``
        ones (a PDF whose conversion failed keeps its file and its old record, which makes the
        target out of date: the next build tries again).
        """
        old = self.targets.get(key, {})
        keep = {path: old[path] for path in unmade if path in old}
        listed = [(path, fmt) for path, fmt, _ in written]
        listed += [(path, record.format) for path, record in keep.items()]
        self.orphans.update(self.superseded(key, listed))
        formats = {fmt for _, fmt, _ in written}
        kept = {path: r for path, r in old.items() if r.format not in formats} | keep
        for path, fmt, content_digest in written:
            stat = (out / path).stat()
            kept[path] = OutputRecord(
                fmt, fingerprint, content_digest, stat.st_size, stat.st_mtime_ns
            )
        self.changed = self.changed or kept != self.targets.get(key)
        self.targets[key] = kept
        if self._by_path is not None:  # kept up to date: the next unit asks for its outputs
            for path in old:
                self._by_path.pop(path, None)
            self._by_path.update(kept)

    def superseded(self, key: str, written: Sequence[tuple[str, str]]) -> dict[str, OutputRecord]:
        """The target's recorded outputs that ``written`` (path, format) no longer includes,
        among the formats it writes."""
        formats = {fmt for _, fmt in written}
        paths = {path for path, _ in written}
        old = self.targets.get(key, {})
        return {p: r for p, r in old.items() if r.format in formats and p not in paths}

    def forget(self, key: str) -> None:
        """A target whose source is gone: its outputs become orphans."""
        if key in self.targets:
            self.orphans.update(self.targets.pop(key))
            self.changed = True
            self._by_path = None

    def live_outputs(self) -> set[str]:
        return {path for outputs in self.targets.values() for path in outputs}

    def recorded(self, path: str) -> OutputRecord | None:
        """The record of the output at ``path`` (relative to out), whichever target wrote it
        (the first, in the bookkeeping's order, should two have)."""
        if self._by_path is None:
            self._by_path = {}
            for outputs in self.targets.values():
                for output, record in outputs.items():
                    self._by_path.setdefault(output, record)
        found = self._by_path.get(path)
        return found if found is not None else self.orphans.get(path)


def _checked(path: Any, *, target: bool = False) -> str:
    """A path from the bookkeeping, refused (ValueError) unless it is a plain relative path:
    no absolute path, drive, backslash, ".." or empty part."""
    if not isinstance(path, str):
        raise TypeError("a path in the bookkeeping is not text")
    plain = path.removesuffix("/") if target else path
    parts = PurePosixPath(plain).parts
    if (
        not plain
        or "\\" in plain
        or ":" in plain
        or plain.startswith("/")
        or any(part in ("", ".", "..") for part in plain.split("/"))
        or not parts
    ):
        raise ValueError(f"not a plain relative path: {path!r}")
    return path


def _record(raw: Any) -> OutputRecord:
    record = OutputRecord(**raw)
    if not (
        isinstance(record.format, str)
        and isinstance(record.fingerprint, str)
        and isinstance(record.sha256, str)
        and type(record.size) is int
        and type(record.mtime_ns) is int
    ):
        raise TypeError("a record of the bookkeeping has a value of the wrong kind")
    return record


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_RECORD_FIELDS = tuple(f.name for f in fields(OutputRecord))


def _fields(record: OutputRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _RECORD_FIELDS}


class WrittenFile(NamedTuple):
    """One file a target wrote: where, in which format, and the hash of its bytes."""

    path: Path
    format: str
    sha256: str


class Record(NamedTuple):
    """What the bookkeeping records of a target a build wrote: its key (its source's path
    below the data folder), the fingerprint of its inputs, its files, and those it should have
    written but could not make (a PDF whose conversion failed), whose old records stay."""

    key: str
    fingerprint: str
    files: Sequence[WrittenFile]
    unmade: Sequence[Path] = ()


class Bookkeeping:
    """One build's view of the bookkeeping: the manifest of the output folder, the input hashes
    that every target shares, and the decisions made from them."""

    def __init__(
        self,
        space: Workspace,
        environment: jinja2.Environment,
        *,
        project_templates: Sequence[str],
        unit_templates: Sequence[str],
        force: bool = False,
        dry_run: bool = False,
    ) -> None:
        self.space = space
        self.force = force
        self.dry_run = dry_run
        self.path = space.out / MANIFEST_FILE
        self.manifest, self.corrupt = Manifest.load(space.out)
        overrides = space.overrides.model_dump(mode="json", exclude_none=True)
        wants_docx = "docx" in space.formats or "pdf" in space.formats
        self.shared = {
            "workspace": space.config_digest,
            "overrides": json.dumps(overrides, sort_keys=True, ensure_ascii=False),
            "base": (
                base_digest(space.base_document, space.root, space.limits.document_bytes)
                if wants_docx
                else ""
            ),
        }
        if "pdf" in space.formats:  # only then: the fingerprints of other builds stay as they were
            from zpgen.builder.pdfs import pdf_identity

            self.shared["pdf"] = pdf_identity(space)
        self.project_templates = templates_digest(environment, project_templates)
        self.unit_templates = templates_digest(environment, unit_templates)
        self.digests: dict[Path, str] = {}
        self.keys: dict[Path, str] = {}  # key() of each source asked about
        self.data = space.data.resolve()

    def key(self, file: Path) -> str:
        """A project file's name in the manifest: its path below the data folder."""
        found = self.keys.get(file)
        if found is None:
            found = self.keys[file] = self._below_data(file)
        return found

    def unit_key(self, folder: Path) -> str:
        """A unit's combined report's name in the manifest: its folder's, with a final "/"."""
        return self._below_data(folder) + "/"

    def _below_data(self, source: Path) -> str:
        try:  # sources are found below the data folder as it is spelled
            return source.relative_to(self.space.data).as_posix()
        except ValueError:
            return source.resolve().relative_to(self.data).as_posix()

    def file_digest(self, file: Path) -> str:
        """A hash of a data file's bytes, read as loading reads them ("unreadable", or "missing",
        when it cannot be: loading it reports why)."""
        if file not in self.digests:
            space = self.space
            try:
                raw = read_yaml(file, root=space.root, limits=space.limits)
            except ZpgenError:
                self.digests[file] = "missing" if not file.exists() else "unreadable"
            else:
                self.digests[file] = digest(raw)
        return self.digests[file]

    def project_fingerprint(self, unit_digest: str, file: Path) -> str:
        return fingerprint(
            {
                **self.shared,
                "unit": unit_digest,
                "project": self.file_digest(file),
                "templates": self.project_templates,
            }
        )

    def unit_fingerprint(self, unit_digest: str, files: Sequence[Path]) -> str:
        projects = [(self.key(file), self.file_digest(file)) for file in files]
        return fingerprint(
            {
                **self.shared,
                "unit": unit_digest,
                "projects": projects,
                "templates": self.unit_templates,
            }
        )

    def current(self, key: str, target_print: str) -> bool:
        if self.force:
            return False
        outputs = self.manifest.targets.get(key, {})
        return is_current(outputs, target_print, self.space.formats, self.space.out)

    def outputs(self, key: str) -> list[Path]:
        """A target's recorded outputs in the wanted formats, in their order."""
        recorded = sorted(self.manifest.targets.get(key, {}).items())
        return [
            self.space.out / path
            for wanted in self.space.formats
            for path, record in recorded
            if record.format == wanted
        ]

    def recorded(self, path: Path) -> OutputRecord | None:
        """What the bookkeeping records zpgen last wrote at ``path`` (in the output folder)."""
        try:
            relative = path.relative_to(self.space.out).as_posix()
        except ValueError:
            return None
        return self.manifest.recorded(relative)

    def record(self, record: Record) -> None:
        key, target_print = record.key, record.fingerprint
        out = self.space.out
        relative = [(f.path.relative_to(out).as_posix(), f.format, f.sha256) for f in record.files]
        unmade = [path.relative_to(out).as_posix() for path in record.unmade]
        if self.dry_run:  # nothing was written: only note what the outputs would replace
            listed = [(p, ext) for p, ext, _ in relative] + [(p, "pdf") for p in unmade]
            superseded = self.manifest.superseded(key, listed)
            self.manifest.orphans.update(superseded)
            outputs = self.manifest.targets.get(key, {})
            for path in superseded:  # no longer the target's (a dry run never saves this)
                outputs.pop(path, None)
        else:
            self.manifest.record(key, target_print, relative, out, unmade)

    def handle_stale(self, *, prune: bool) -> tuple[list[Path], list[Path], list[Path]]:
        """Forget targets whose source is gone; their outputs, and those of renamed targets, are
        stale. Returns (stale, removed, kept): with ``prune`` the stale files are deleted (not in
        a dry run), but only those that lie in the output folder and still hold the bytes
        recorded; the others are kept."""
        data = self.space.data
        for key in list(self.manifest.targets):
            source = data / key / UNIT_FILE if key.endswith("/") else data / key
            if not source.is_file():
                self.manifest.forget(key)
        manifest, out = self.manifest, self.space.out
        live = manifest.live_outputs()
        manifest.orphans = {
            p: r for p, r in manifest.orphans.items() if p not in live and (out / p).is_file()
        }
        stale = [out / orphan for orphan in sorted(manifest.orphans)]
        if not prune:
            return stale, [], []
        removed, kept = [], []
        root = out.resolve()
        for orphan, record in sorted(manifest.orphans.items()):
            path = out / orphan
            ours = not path.is_symlink() and path.resolve().is_relative_to(root)
            if not (ours and holds(path, record)):
                kept.append(path)
                continue
            removed.append(path)
            if not self.dry_run:
                path.unlink()
                del manifest.orphans[orphan]
        return stale, removed, kept

    def save(self) -> None:
        """Write the bookkeeping, unless this build changed nothing in it (the file read is
        then the file it would write)."""
        if self.dry_run or (self.manifest.unchanged and not self.corrupt):
            return
        self.manifest.save(self.space.out)
