"""Build hook: compile the message catalogs (.po → .mo) into the wheel.

A source checkout (and ``pip install -e .``) reads the .po directly; a wheel carries the compiled
.mo beside it, so an installed ``zpgen`` need not parse the .po at run time (``zpgen/i18n.py``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root))
        from zpgen.i18n import compile_po  # needs only babel, a build requirement

        self._folder = tempfile.TemporaryDirectory()
        for po_file in sorted((root / "zpgen" / "locale").glob("*/LC_MESSAGES/*.po")):
            target = po_file.relative_to(root).with_suffix(".mo")
            mo_file = Path(self._folder.name) / target
            mo_file.parent.mkdir(parents=True, exist_ok=True)
            mo_file.write_bytes(compile_po(po_file))
            build_data["force_include"][str(mo_file)] = target.as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            folder.cleanup()
