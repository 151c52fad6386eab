"""Loading a file and validating it against the schema: the one way the data files are read.

``load_model`` reads a YAML file (``zpgen.load.yaml_file``), validates it (``validate``: every
problem at once, each at its key, in the user's words: ``zpgen.model.explain``) and refuses the
values still to be filled in (``待填``: ``zpgen.model.placeholders``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from zpgen.errors import Problem, ZpgenError
from zpgen.i18n import _
from zpgen.limits import DEFAULT_LIMITS, Limits
from zpgen.load.yaml_file import Located, load_yaml
from zpgen.model.explain import explain, top_level_problem
from zpgen.model.placeholders import find_placeholders
from zpgen.model.schema import ModelT, Project, Unit

__all__ = ["load_model", "validate"]


def validate(located: Located, model: type[ModelT]) -> ModelT:
    """Validate loaded data against a model; all problems at once, each with its position."""
    if not isinstance(located.data, dict):
        raise ZpgenError([top_level_problem(located)])
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        raise ZpgenError(explain(located, model, exc, _other_files(model))) from exc


def _other_files(model: type[BaseModel]) -> list[tuple[type[BaseModel], str]]:
    files: list[tuple[type[BaseModel], str]] = [
        (Unit, _("the unit file (unit.yaml)")),
        (Project, _("a project file")),
    ]
    return [(other, label) for other, label in files if other is not model]


def load_model(
    file: Path, model: type[ModelT], *, root: Path | None, limits: Limits = DEFAULT_LIMITS
) -> tuple[ModelT, Located]:
    """Load and validate a file, refusing values still to be filled in; the model, and the
    loaded file for positions. ``root`` and ``limits`` bound the reading (``load_yaml``).

    A ``待填`` where an amount belongs is also a type error for the schema; such a value is
    reported once, as still to be filled. Every problem of the file is raised together: a key
    written twice too, its first value validated with the rest.
    """
    located = load_yaml(file, root=root, limits=limits, keep_going=True)
    problems: list[Problem] = []
    result: ModelT | None = None
    try:
        result = validate(located, model)
    except ZpgenError as error:
        problems = error.problems
    placeholders = find_placeholders(located)
    keys = {p.key for p in placeholders}
    problems = [*located.problems, *placeholders, *(p for p in problems if p.key not in keys)]
    if problems or result is None:
        raise ZpgenError(sorted(problems, key=lambda p: (p.line, p.column)))
    return result, located
