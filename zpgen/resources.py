"""Where the built-in templates are: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["builtin_templates"]


def builtin_templates() -> Path:
    """The built-in ``templates/`` folder (shipped as ``zpgen/templates`` inside the wheel)."""
    inside = Path(__file__).parent / "templates"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / "templates"
