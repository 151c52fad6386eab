"""The one Jinja environment: strict, sandboxed, and with data made inert as it is inserted."""

from __future__ import annotations

import traceback
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from zpgen.document import escape_value
from zpgen.errors import Problem, ZpgenError
from zpgen.figures import money, percent
from zpgen.i18n import _

__all__ = ["Renderer"]

_CLAUSE_END = "。；，;,."


class _NoneInTemplate(jinja2.TemplateRuntimeError):
    """A template printed a value the data left empty."""


def _finalize(value: Any) -> str:
    """Every printed value made inert (``escape_value``), except text a template rendered.

    The environment autoescapes so that ``super()``, macros and ``{% set %}`` blocks come back as
    Markup: template text, whose data was made inert when it was rendered. Everything else is
    returned as Markup too, so that Jinja's own (HTML) escaping never applies.
    """
    if isinstance(value, Markup):
        return value
    if value is None:
        raise _NoneInTemplate(
            _(
                "the template prints a value the data leave empty; test it with {% if %} in "
                "the template"
            )
        )
    if isinstance(value, Decimal):
        return Markup(escape_value(money(value)))
    if isinstance(value, (bool, float)):
        raise jinja2.TemplateRuntimeError(
            _("the template prints the value {value}, which is not meant to be printed").format(
                value=repr(value)
            )
        )
    return Markup(escape_value(str(value)))


def _clause(text: str) -> str:
    """A fragment to put inside a sentence: without a final 。；，."""
    return text.rstrip().rstrip(_CLAUSE_END)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, remembering its verdict on each attribute of each type.

    Jinja's verdict (``is_internal_attribute``, ``modifies_known_mutable``) depends only on the
    object's type and the attribute's name, and asking again costs more than the rest of an
    attribute lookup: a 自评表 looks up thousands.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


class Renderer:
    """Renders templates found in ``search_path`` (earlier folders shadow later ones)."""

    def __init__(self, search_path: Sequence[Path]) -> None:
        builtin = search_path[-1]
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(p) for p in search_path]),
                jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin))}),
            ]
        )
        self.environment = _Sandbox(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=True,  # see _finalize: our escaping, not HTML's
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # templates do not change during a build: no stat per render
        )
        self.environment.filters.update(money=money, percent=percent, clause=_clause)

    def render(self, name: str, context: Mapping[str, Any], data_file: Path) -> str:
        """Render one template to markup; template errors name the template line and the data."""
        try:
            return self.environment.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            where = Path(exc.filename) if exc.filename else Path(name)
            message = _("Template syntax error: {problem} (building {file}).").format(
                problem=exc.message, file=data_file
            )
            raise ZpgenError([Problem(where, message, exc.lineno)]) from exc
        except jinja2.TemplateNotFound as exc:
            message = _("The template “{name}” is not found.").format(name=exc.name)
            raise ZpgenError.single(data_file, message) from exc
        except jinja2.TemplateError as exc:
            template, line = _template_frame(exc)
            message = _("{problem} (template {template}:{line}).").format(
                problem=_explain(exc), template=template, line=line
            )
            raise ZpgenError([Problem(data_file, message)]) from exc


def _template_frame(exc: BaseException) -> tuple[str, int]:
    """The innermost template file and line in the traceback (Jinja rewrites frames to them)."""
    found = ("?", 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            found = (frame.filename, frame.lineno or 0)
    return found


def _explain(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return _("The template uses a variable or attribute that does not exist: {name}").format(
            name=exc.message
        )
    return _("Template error: {problem}").format(problem=exc.message or exc)
