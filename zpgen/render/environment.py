"""The one Jinja environment: strict, sandboxed, bounded, with data made inert as it is inserted.

A workspace's templates come from a colleague and are code: they run in Jinja's immutable sandbox,
narrowed further to an allow-list (``zpgen.render.context.readable``: a template reads the
documented data and nothing else, so no attribute leads to a file, a module or the interpreter),
and with bounded work (``zpgen.limits``): time per render, characters of output, the length of a
``range()``, the depth of calls (macros, includes, blocks) and the size of any value a template
makes. Each bound broken is an error naming the template and its line, as is anything else a
template does wrong.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import re
import time
import traceback
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
)
from markupsafe import Markup

from zpgen.errors import Problem, ZpgenError
from zpgen.figures.formats import DEFAULT_NUMBERS, NumberFormat
from zpgen.i18n import _
from zpgen.limits import DEFAULT_LIMITS, Limits
from zpgen.load.reading import read_file
from zpgen.model.explain import suggest
from zpgen.render.context import VARIABLES, ProjectView, attributes, readable
from zpgen.render.markup import chinese_numeral, escape_value

__all__ = ["TEMPLATE_BYTES", "Renderer"]

_CLAUSE_END = "。；，;,."
# A template file larger than this is not a report's template.
TEMPLATE_BYTES = 1024 * 1024


class _Undefined(jinja2.StrictUndefined):
    """Strict, and saying in the user's language what is missing and what was meant."""

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        name = str(self._undefined_name)
        if self._undefined_obj is jinja2.utils.missing:
            close = suggest(name, list(VARIABLES))
            if close is not None:
                message = _("the template uses “{name}”, no variable: did you mean “{suggestion}”?")
                return message.format(name=name, suggestion=close)
            return _(
                "the template uses “{name}”, which is no variable (see zpgen/render/context.py)"
            ).format(name=name)
        kind = type(self._undefined_obj).__name__
        close = suggest(name, attributes(type(self._undefined_obj)))
        if close is not None:
            message = _("{kind} has no attribute “{name}”: did you mean “{suggestion}”?")
            return message.format(kind=kind, name=name, suggestion=close)
        return _("{kind} has no attribute “{name}” (see zpgen/render/context.py)").format(
            kind=kind, name=name
        )


class _NoneInTemplate(jinja2.TemplateRuntimeError):
    """A template printed a value the data left empty."""


class _LimitError(jinja2.TemplateRuntimeError):
    """A template asked for more work than ``zpgen.limits`` allows."""


class _TimeLimit(_LimitError):
    """A template ran longer than ``zpgen.limits`` allows."""


def _limit(message: str, setting: str, kind: type[_LimitError] = _LimitError) -> _LimitError:
    hint = _(" (限制: {setting} in zpgen.yaml raises the limit)").format(setting=setting)
    return kind(message + hint)


class _Budget:
    """The work one render may still do: time, output, call depth."""

    __slots__ = ("deadline", "depth", "limits", "output")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.template_seconds
        self.output = 0
        self.depth = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            message = _("The template has run for more than {seconds} seconds: does it loop?")
            seconds = self.limits.template_seconds
            raise _limit(message.format(seconds=seconds), "模板用时", _TimeLimit)

    def emit(self, characters: int) -> None:
        self.output += characters
        if self.output > self.limits.template_output:
            raise self.too_much()

    def too_much(self) -> _LimitError:
        message = _("The template makes more than {characters:,} characters of text.")
        return _limit(message.format(characters=self.limits.template_output), "模板输出")

    def check_size(self, value: Any) -> None:
        if _size(value, self.limits.template_output) > self.limits.template_output:
            raise self.too_much()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.limits.call_depth:
            message = _(
                "Macros, blocks or templates call one another more than {depth} levels deep: "
                "does one call itself without end?"
            )
            raise _limit(message.format(depth=self.limits.call_depth), "调用深度")


_budget: contextvars.ContextVar[_Budget] = contextvars.ContextVar("zpgen_budget")
# How the report being rendered writes its numbers (its settings: 金额小数位, 补零…).
_numbers: contextvars.ContextVar[NumberFormat] = contextvars.ContextVar(
    "zpgen_numbers", default=DEFAULT_NUMBERS
)


def _current() -> _Budget:
    found = _budget.get(None)
    return found if found is not None else _Budget(DEFAULT_LIMITS)  # outside Renderer.render


def _size(value: Any, cap: int) -> int:
    """The characters ``value`` would print as, counting repeated parts each time they repeat,
    counted no further than ``cap``."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, dict)):
        total = 0
        items = value.items() if isinstance(value, dict) else value
        for item in items:
            total += 1 + _size(item, cap - total)
            if total > cap:
                break
        return total
    return 1


def _finalize(value: Any) -> str:
    """Every printed value made inert (``escape_value``), except text a template rendered.

    The environment autoescapes so that ``super()``, macros and ``{% set %}`` blocks come back as
    Markup: template text, whose data was made inert when it was rendered. Everything else is
    returned as Markup too, so that Jinja's own (HTML) escaping never applies. Lists, mappings
    and objects are not printed: a report prints text and numbers.
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
        return Markup(escape_value(_numbers.get().money(value)))
    if isinstance(value, str):
        budget = _current()
        budget.tick()
        budget.emit(len(value))
        return Markup(escape_value(str(value)))
    if (isinstance(value, int) and not isinstance(value, bool)) or isinstance(
        value, jinja2.Undefined
    ):
        return Markup(escape_value(str(value)))  # StrictUndefined raises here
    raise jinja2.TemplateRuntimeError(
        _("the template prints the value {value}, which is not meant to be printed").format(
            value=_shown(value)
        )
    )


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, (bool, float)) else type(value).__name__
    return text[:80]


def _clause(text: str) -> str:
    """A fragment to put inside a sentence: without a final 。；，."""
    return text.rstrip().rstrip(_CLAUSE_END)


def _numeral(number: int) -> str:
    """A number as a Chinese numeral, 1 to 99: 3 → 三, 12 → 十二 (“项目三”)."""
    if not isinstance(number, int) or not 1 <= number <= 99:
        raise jinja2.TemplateRuntimeError(
            _("numeral writes the numbers 1 to 99 in Chinese, not {number}").format(number=number)
        )
    return chinese_numeral(number)


def _money(amount: Decimal) -> str:
    """An amount as the report's settings write it (8.56; 金额小数位 and 补零: 8.56, 40.00)."""
    return _numbers.get().money(amount)


def _percent(ratio: Decimal) -> str:
    """A ratio as a percentage, as the settings write it (86.2%; 补零: 86.20%)."""
    return _numbers.get().percent(ratio)


def _score(value: Decimal) -> str:
    """A score as the settings write it (10.91, 20; 补零: 20.00)."""
    return _numbers.get().score(value)


# --- the loader ---------------------------------------------------------------------------------


class _Loader(jinja2.BaseLoader):
    """Templates from folders, first match wins; a template is read only inside its folder (a
    link out of it is refused) and up to ``TEMPLATE_BYTES``."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = [(folder, folder.resolve()) for folder in folders]

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)  # refuses ".." and absolute names
        for folder, root in self.folders:
            path = folder.joinpath(*parts)
            if not (path.is_file() or path.is_symlink()):
                continue
            if not path.parent.resolve().is_relative_to(root):
                message = _(
                    "The template lies in a folder that links to a place outside the template "
                    "folder; zpgen reads only the workspace's own templates."
                )
                raise ZpgenError.single(path, message)
            raw = read_file(path, root=root, limit=TEMPLATE_BYTES)
            try:
                source = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                message = _("The template is not UTF-8 text: save it as UTF-8.")
                raise ZpgenError.single(path, message) from error
            return source, str(path), lambda: True
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder, _root in self.folders:
            for directory, subfolders, files in os.walk(folder):  # links are not followed
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                below = Path(directory).relative_to(folder)
                found.update((below / name).as_posix() for name in files if name.endswith(".j2"))
        return sorted(found)


# --- the sandbox --------------------------------------------------------------------------------

# A number of characters, or a width in a format, that no report needs.
_HUGE_WIDTH = re.compile(r"[0-9]{7,}")


class _GuardedTemplate(jinja2.Template):
    """A template whose rendering (as the root, an include or an extended parent) counts one
    level of call depth."""

    @classmethod
    def _from_namespace(
        cls,
        environment: jinja2.Environment,
        namespace: MutableMapping[str, Any],
        globals: MutableMapping[str, Any],  # Jinja's name
    ) -> jinja2.Template:
        template = super()._from_namespace(environment, namespace, globals)
        render = template.root_render_func

        def guarded(context: jinja2.runtime.Context) -> Iterator[str]:
            budget = _current()
            budget.enter()
            try:
                yield from render(context)
            finally:
                budget.depth -= 1

        template.root_render_func = guarded
        return template


_FORMATTERS = frozenset({"format", "format_map"})
_METHODS = (types.MethodType, types.BuiltinMethodType)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, narrowed to the allow-list and bounded by ``limits``.

    Jinja's verdict on an attribute (``is_internal_attribute``, ``modifies_known_mutable``) and
    the allow-list's depend only on the object's type and the attribute's name: each is
    remembered, since asking again costs more than the rest of an attribute lookup (a 自评表
    looks up thousands).
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    template_class = _GuardedTemplate

    def __init__(self, limits: Limits, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits
        self._verdicts: dict[tuple[type, str], bool] = {}
        self.globals["range"] = self._range
        for unsafe in ("lipsum",):  # makes text from nothing, as much as asked
            self.globals.pop(unsafe, None)
        self.filters.pop("random", None)  # a report is the same at every build
        self.filters = {name: _guarded_filter(f) for name, f in self.filters.items()}
        self.filters["_zpgen_loop"] = self._loop
        self.filters["_zpgen_part"] = self._part

    def _compile(self, source: str, filename: str) -> Any:
        """Python's compile of a template; its SyntaxError (a template nested 100 levels deep)
        told as the template's own, with its file."""
        try:
            return super()._compile(source, filename)
        except SyntaxError as exc:
            message = _(
                "the template nests its tags too deeply for Python to compile ({problem}): nest "
                "fewer {{% if %}} or {{% for %}} inside one another"
            ).format(problem=exc.msg)
            raise jinja2.TemplateSyntaxError(message, 1, filename=filename) from exc

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's lookup, but at once where the verdict on the type and name is known to be
        safe (a 自评表 looks up thousands): never for str.format and format_map, which
        ``wrap_str_format`` guards."""
        if self._verdicts.get((type(obj), attribute)) and attribute not in _FORMATTERS:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = readable(type(obj), attr) and super().is_safe_attribute(obj, attr, value)
            self._verdicts[key] = verdict
        return verdict

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        message = _(
            "a template cannot read “{attribute}” of a {kind}: it reads only the report's data "
            "(every variable is listed in zpgen/render/context.py)"
        ).format(attribute=attribute, kind=type(obj).__name__)
        return self.undefined(message, name=attribute, obj=obj, exc=SecurityError)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        budget = _current()
        budget.tick()
        owner = getattr(obj, "__self__", None)
        if obj != self._range:  # range() says itself what is too long
            _check_arguments(budget, owner, args, kwargs)
        if isinstance(owner, str) and getattr(obj, "__name__", "") == "replace":
            _check_replace(budget, owner, args)
        if isinstance(owner, str) and getattr(obj, "__name__", "") == "expandtabs":
            _check_widths(budget, owner.count("\t"), (*args, *kwargs.values()))
        budget.enter()
        try:
            result = super().call(context, obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        if isinstance(result, str):
            budget.emit(len(result))
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = _current()
        limit = budget.limits.template_output
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                repeated = isinstance(sequence, (str, list, tuple)) and isinstance(times, int)
                if repeated and _size(sequence, limit) * times > limit:
                    raise budget.too_much()
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            digits = right * math.log10(abs(left)) if abs(left) > 1 else 0
            if digits > 1000:
                raise _LimitError(_("The template computes a number of more than 1,000 digits."))
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
            budget.check_size(right)
            budget.emit(_percent_widths(left, right if isinstance(right, tuple) else (right,)))
        elif (  # “ns.s + ns.s” doubled in a loop
            operator == "+"
            and isinstance(left, (str, list, tuple))
            and _size(left, limit) + _size(right, limit) > limit
        ):
            raise budget.too_much()
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's guarded str.format and format_map, through a formatter that measures each
        field's width and precision before it formats the field (“{0:{1}}”, “{1[0]}”: they
        may come from the arguments)."""
        if not isinstance(value, _METHODS) or value.__name__ not in _FORMATTERS:
            return None
        text = value.__self__
        if not isinstance(text, str):
            return None
        _check_format(text)
        if isinstance(text, Markup):
            formatter: _BoundedFormatter = _BoundedEscapeFormatter(self, escape=text.escape)
        else:
            formatter = _BoundedFormatter(self)
        mapped = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if mapped:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument, a mapping")
                return type(text)(formatter.vformat(text, (), args[0]))
            return type(text)(formatter.vformat(text, args, kwargs))

        return bounded

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > self.limits.range_length:
            message = _("range() of {count:,} numbers: more than the {limit:,} allowed.")
            raise _limit(
                message.format(count=len(numbers), limit=self.limits.range_length), "循环次数"
            )
        return numbers

    def _loop(self, iterable: Any, literal: int) -> Iterable[Any]:
        """A for loop's iterable, counting each round: its time, and the template text the
        loop's body may write (``literal`` characters)."""
        return _Rounds(iterable, _current(), literal)

    def _part(self, value: Any) -> Any:
        """A part of a ``~`` concatenation, refused when it would print too large."""
        budget = _current()
        budget.tick()
        budget.check_size(value)
        return value

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        """Compile with every loop and concatenation passing through a guard."""
        for loop in source.find_all(nodes.For):
            literal = sum(len(data.data) for data in _own_text(loop.body))
            loop.iter = nodes.Filter(
                loop.iter, "_zpgen_loop", [nodes.Const(literal)], [], None, None
            ).set_lineno(loop.lineno)
        for concat in source.find_all(nodes.Concat):
            concat.nodes = [
                nodes.Filter(part, "_zpgen_part", [], [], None, None) for part in concat.nodes
            ]
            concat.set_lineno(concat.lineno)
        return super()._generate(source, name, filename, defer_init)


class _Rounds:
    """An iterable that counts each round against a budget; its length is the iterable's."""

    __slots__ = ("budget", "iterable", "literal")

    def __init__(self, iterable: Any, budget: _Budget, literal: int) -> None:
        self.iterable = iterable
        self.budget = budget
        self.literal = literal

    def __iter__(self) -> Iterator[Any]:
        budget, literal = self.budget, self.literal
        for item in self.iterable:
            budget.tick()
            budget.emit(literal)
            yield item

    def __len__(self) -> int:
        return len(self.iterable)


def _own_text(body: list[nodes.Node]) -> Iterator[nodes.TemplateData]:
    """The template text written by a loop's body itself, not by the loops inside it."""
    for node in body:
        if isinstance(node, nodes.TemplateData):
            yield node
        elif not isinstance(node, nodes.For):
            yield from _own_text(list(node.iter_child_nodes()))


def _check_format(text: str) -> None:
    if _HUGE_WIDTH.search(text):
        raise _LimitError(_("The template formats a value to a width of millions of characters."))


def _check_arguments(
    budget: _Budget, owner: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """Refuse a call whose arguments (or whose owner, for a method) would make it too large."""
    limit = budget.limits.template_output
    for value in (owner, *args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limit:
            raise _LimitError(
                _(
                    "The template passes the number {number:,}, larger than any report needs."
                ).format(number=value)
            )
        budget.check_size(value)


class _BoundedFormatter(SandboxedFormatter):
    """Jinja's sandboxed str.format, each field's width and precision counted as output before
    the field is formatted."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        _current().emit(sum(int(n) for n in _DIGITS.findall(format_spec)))
        return super().format_field(value, format_spec)


class _BoundedEscapeFormatter(_BoundedFormatter, SandboxedEscapeFormatter):
    pass


_DIGITS = re.compile(r"[0-9]+")
# A %-format's conversion: its width and precision, either of them “*” (taken from the values).
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|[0-9]+)?(?:\.(\*|[0-9]+))?")


def _percent_widths(text: str, values: Sequence[Any]) -> int:
    """The characters the widths and precisions of a %-format ask for, at the most: a “*” is
    counted as the largest number among the values."""
    numbers = [abs(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    star = max(numbers, default=0)
    return sum(
        star if part == "*" else int(part or 0)
        for found in _PERCENT.findall(text)
        for part in found
    )


def _check_widths(budget: _Budget, places: int, values: Iterable[Any]) -> None:
    """Refuse a width (or tab size, or indent) taken from ``values`` that, at each of ``places``
    (the fields of a format, the tabs or lines of a text), would make too much text: measured
    before Python allocates it."""
    widths = [abs(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if places and widths and max(widths) * places > budget.limits.template_output:
        raise budget.too_much()


def _check_replace(budget: _Budget, text: str, args: Sequence[Any]) -> None:
    """``text.replace(old, new)`` refused when its result would be too large."""
    if len(args) >= 2 and isinstance(args[0], str) and args[0]:
        grown = len(text) + text.count(args[0]) * len(str(args[1]))
        if grown > budget.limits.template_output:
            raise budget.too_much()


def _guarded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose input and arguments are bounded as a call's are."""
    if getattr(function, "jinja_pass_arg", None) is not None:  # context, eval context or env
        return _guarded_passing(function)

    def guarded(value: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _current()
        budget.tick()
        _check_arguments(budget, value, args, kwargs)
        if isinstance(value, str) and function.__name__ == "do_format":  # Python's %
            _check_format(value)
            budget.emit(_percent_widths(value, (*args, *kwargs.values())))
        if isinstance(value, str) and function.__name__ == "do_indent":
            _check_widths(budget, value.count("\n") + 1, (*args, *kwargs.values()))
        return function(value, *args, **kwargs)

    guarded.__name__ = function.__name__
    return guarded


def _guarded_passing(function: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(passed: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _current()
        budget.tick()
        _check_arguments(budget, value, args, kwargs)
        if isinstance(value, str) and function.__name__ == "do_replace":
            _check_replace(budget, value, args)
        return function(passed, value, *args, **kwargs)

    guarded.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    guarded.__name__ = function.__name__
    return guarded


# --- rendering ----------------------------------------------------------------------------------


class Renderer:
    """Renders templates found in ``search_path`` (earlier folders shadow later ones).

    ``builtin/NAME`` is the template the first folder's NAME replaces: NAME as the later folders
    have it (the built-ins, with a built-in outline's templates before them)."""

    def __init__(self, search_path: Sequence[Path], limits: Limits = DEFAULT_LIMITS) -> None:
        builtin = list(search_path[1:]) or [search_path[-1]]
        loader = jinja2.ChoiceLoader(
            [_Loader(search_path), jinja2.PrefixLoader({"builtin": _Loader(builtin)})]
        )
        self.environment = _Sandbox(
            limits,
            loader=loader,
            undefined=_Undefined,
            finalize=_finalize,
            autoescape=True,  # see _finalize: our escaping, not HTML's
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # templates do not change during a build: no stat per render
        )
        self.environment.filters.update(
            money=_money, percent=_percent, score=_score, clause=_clause, numeral=_numeral
        )
        self.limits = limits
        # Templates that ran out of time: not run again in this build, where each would take
        # as long for every project.
        self.timed_out: dict[str, str] = {}

    def render(
        self,
        name: str,
        context: Mapping[str, Any],
        data_file: Path,
        *,
        numbers: NumberFormat | None = None,
    ) -> str:
        """Render one template to markup; template errors name the template line and the data.

        Numbers are written as ``numbers`` says, by default as the context's project's settings
        say (``ProjectView.numbers``), else as zpgen writes them by default."""
        if name in self.timed_out:
            raise ZpgenError([Problem(data_file, self.timed_out[name])])
        if numbers is None:
            project = context.get("project")
            numbers = project.numbers if isinstance(project, ProjectView) else DEFAULT_NUMBERS
        token = _budget.set(_Budget(self.limits))
        numbers_token = _numbers.set(numbers)
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
        except ZpgenError:
            raise  # a template file that cannot be read: named already
        except _TimeLimit as exc:
            failure = _failure(exc, data_file)
            self.timed_out[name] = failure.problems[0].message
            raise failure from exc
        except (jinja2.TemplateError, RecursionError, MemoryError, ArithmeticError) as exc:
            raise _failure(exc, data_file) from exc
        except (TypeError, ValueError, LookupError, AttributeError) as exc:
            raise _failure(exc, data_file) from exc
        finally:
            _numbers.reset(numbers_token)
            _budget.reset(token)


def _failure(exc: BaseException, data_file: Path) -> ZpgenError:
    template, line = _template_frame(exc)
    message = _("{problem} (template {template}:{line}).").format(
        problem=_explain(exc), template=template, line=line
    )
    return ZpgenError([Problem(data_file, message)])


def _template_frame(exc: BaseException) -> tuple[str, int]:
    """The innermost template file and line in the traceback (Jinja rewrites frames to them),
    the file from the current folder when it lies below it."""
    found = ("?", 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            found = (frame.filename, frame.lineno or 0)
    name, line = found
    with contextlib.suppress(ValueError):
        name = Path(name).relative_to(Path.cwd()).as_posix()
    return name, line


def _explain(exc: BaseException) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return exc.message or ""  # _Undefined's, complete
    if isinstance(exc, jinja2.TemplateError):
        return _("Template error: {problem}").format(problem=exc.message or exc)
    if isinstance(exc, RecursionError):
        return _(
            "Templates include or extend one another without end (a template that includes itself?)"
        )
    if isinstance(exc, MemoryError):
        return _("The template needs more memory than this machine has")
    return _("Template error: {problem}").format(problem=f"{type(exc).__name__}: {exc}")
