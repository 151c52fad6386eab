"""The ``zpgen`` command: typer over the library (``app``), and how its output is printed."""

from zpgen.cli.app import main

__all__ = ["main"]
