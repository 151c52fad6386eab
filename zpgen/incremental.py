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
edited by hand or replaced by ``git checkout`` is rebuilt). The file is written atomically at the
end of every build that changed it, also a failed one; a missing, corrupt or foreign file only
means a full rebuild. It holds no time stamps of its own, and nothing in it reaches an output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from zpgen import __version__
from zpgen.layout import UNIT_FILE
from zpgen.resources import builtin_templates
from zpgen.workspace import Workspace
from zpgen.write import write_output

__all__ = [
    "MANIFEST_FILE",
    "Bookkeeping",
    "Manifest",
    "OutputRecord",
    "Written",
    "base_digest",
    "digest",
    "fingerprint",
    "is_current",
    "templates_digest",
]

MANIFEST_FILE = ".zpgen-build.json"
_MANIFEST_VERSION = 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(inputs: Mapping[str, Any]) -> str:
    """One hash of a target's inputs (JSON-serialisable: hashes, names, lists of them)."""
    text = json.dumps(
        {"zpgen": __version__, **inputs}, sort_keys=True, ensure_ascii=False, default=str
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
        sources[name] = digest(source.encode("utf-8"))
        try:
            referenced = list(meta.find_referenced_templates(environment.parse(source)))
        except jinja2.TemplateSyntaxError:
            continue  # the render reports it; the source's hash already changes the fingerprint
        if None in referenced:
            referenced = list(environment.list_templates())
        pending.extend(ref for ref in referenced if ref is not None)
    return fingerprint({"templates": sources})


def base_digest(path: Path | None) -> str:
    """A hash of the base document: the user's .docx, or the built-in one's XML parts."""
    if path is not None:
        return digest(path.read_bytes())
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
        matching = [
            (path, record)
            for path, record in outputs.items()
            if record.format == wanted and record.fingerprint == fingerprint
        ]
        if not matching or not all(_intact(out / path, record) for path, record in matching):
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
    return digest(path.read_bytes()) == record.sha256


@dataclass
class Manifest:
    """The bookkeeping of one output folder: targets (keyed by their source's path relative to
    the data folder; a unit's combined report by its folder with a final "/") and orphans
    (outputs zpgen wrote whose target is gone, kept until pruned)."""

    targets: dict[str, dict[str, OutputRecord]] = field(default_factory=dict)
    orphans: set[str] = field(default_factory=set)
    # Whether a target's records changed since the file was read, and the orphans it held:
    # a build that changed neither need not write the bookkeeping again.
    changed: bool = field(default=True, compare=False)
    orphans_read: frozenset[str] = field(default_factory=frozenset, compare=False)

    @property
    def unchanged(self) -> bool:
        return not self.changed and self.orphans == self.orphans_read

    @classmethod
    def load(cls, out: Path) -> tuple[Manifest, bool]:
        """The manifest of ``out``, and whether a file was there but could not be used."""
        path = out / MANIFEST_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(), False
        except (OSError, ValueError):
            return cls(), True
        try:
            if raw["version"] != _MANIFEST_VERSION:
                return cls(), True
            targets = {
                str(key): {str(p): OutputRecord(**r) for p, r in outputs.items()}
                for key, outputs in raw["targets"].items()
            }
            orphans = {str(o) for o in raw["orphans"]}
            return cls(targets, orphans, changed=False, orphans_read=frozenset(orphans)), False
        except (KeyError, TypeError, AttributeError):
            return cls(), True

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
        head = f'{{\n "orphans": {_json(sorted(self.orphans))},\n "targets": {{'
        body = b"\n  " + b",\n  ".join(targets) + b"\n " if targets else b""
        tail = f'}},\n "version": {_MANIFEST_VERSION}\n}}\n'
        write_output(out / MANIFEST_FILE, head.encode() + body + tail.encode())

    def record(
        self, key: str, fingerprint: str, written: Sequence[tuple[str, str, str]], out: Path
    ) -> None:
        """Record a target's outputs just written (path relative to out, format, content hash).

        Outputs of the same formats that the target no longer writes (its name changed) become
        orphans; outputs of other formats are kept as they were.
        """
        self.orphans.update(self.superseded(key, [(path, fmt) for path, fmt, _ in written]))
        formats = {fmt for _, fmt, _ in written}
        kept = {path: r for path, r in self.targets.get(key, {}).items() if r.format not in formats}
        for path, fmt, content_digest in written:
            stat = (out / path).stat()
            kept[path] = OutputRecord(
                fmt, fingerprint, content_digest, stat.st_size, stat.st_mtime_ns
            )
        self.changed = self.changed or kept != self.targets.get(key)
        self.targets[key] = kept

    def superseded(self, key: str, written: Sequence[tuple[str, str]]) -> set[str]:
        """The target's recorded outputs that ``written`` (path, format) no longer includes,
        among the formats it writes."""
        formats = {fmt for _, fmt in written}
        paths = {path for path, _ in written}
        old = self.targets.get(key, {})
        return {p for p, r in old.items() if r.format in formats and p not in paths}

    def forget(self, key: str) -> None:
        """A target whose source is gone: its outputs become orphans."""
        if key in self.targets:
            self.orphans.update(self.targets.pop(key))
            self.changed = True

    def live_outputs(self) -> set[str]:
        return {path for outputs in self.targets.values() for path in outputs}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_RECORD_FIELDS = tuple(f.name for f in fields(OutputRecord))


def _fields(record: OutputRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _RECORD_FIELDS}


# (path, format, hash of the content) of each file a target wrote
Written = Sequence[tuple[Path, str, str]]


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
        self.shared = {
            "workspace": space.config_digest,
            "overrides": json.dumps(overrides, sort_keys=True, ensure_ascii=False),
            "base": base_digest(space.base_document) if "docx" in space.formats else "",
        }
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
        if file not in self.digests:
            try:
                self.digests[file] = digest(file.read_bytes())
            except OSError:
                self.digests[file] = "unreadable"  # the load reports why
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

    def record(self, key: str, target_print: str, written: Written) -> None:
        out = self.space.out
        relative = [(path.relative_to(out).as_posix(), ext, data) for path, ext, data in written]
        if self.dry_run:  # nothing was written: only note what the outputs would replace
            superseded = self.manifest.superseded(key, [(p, ext) for p, ext, _ in relative])
            self.manifest.orphans.update(superseded)
        else:
            self.manifest.record(key, target_print, relative, out)

    def settle(self, *, prune: bool) -> tuple[list[Path], list[Path]]:
        """Forget targets whose source is gone; their outputs, and those of renamed targets, are
        stale. Returns (stale, removed): removed are deleted, when ``prune`` (not in a dry run)."""
        data = self.space.data
        for key in list(self.manifest.targets):
            source = data / key / UNIT_FILE if key.endswith("/") else data / key
            if not source.is_file():
                self.manifest.forget(key)
        manifest, out = self.manifest, self.space.out
        manifest.orphans -= manifest.live_outputs()
        manifest.orphans = {p for p in manifest.orphans if (out / p).is_file()}
        stale = [out / orphan for orphan in sorted(manifest.orphans)]
        if not prune:
            return stale, []
        if not self.dry_run:
            for path in stale:
                path.unlink()
            manifest.orphans.clear()
        return stale, list(stale)

    def save(self) -> None:
        """Write the bookkeeping, unless this build changed nothing in it (the file read is
        then the file it would write)."""
        if self.dry_run or (self.manifest.unchanged and not self.corrupt):
            return
        self.manifest.save(self.space.out)
