"""The value types of the schema: text, amounts and yes/no flags, read from the YAML source text.

Text reaches the report exactly as written, with one rule for layout: the whitespace at the start
and end of each line of a value, and blank lines, are not content (YAML itself drops them from a
plain value; a value pasted from Word often starts with a full-width indent). What is left is
what the report prints. A ``Text`` is one line: it sits inside a sentence, a title, a file name or
a table cell, so a line break in it is an error. In ``Paragraphs`` each line break starts a new
paragraph of the report. Characters a .docx cannot hold are refused, never dropped.

An amount is a number of 万元 written with ASCII digits and at most one decimal point (full-width
digits are read, and the ``fullwidth-digits`` check warns). Anything else (``1e3``, ``1,000``,
``8.56万元``, ``-1``) is refused with a message saying how to write it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import core_schema

from zpgen.i18n import _, language

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "LARGEST_AMOUNT",
    "Amount",
    "Flag",
    "Items",
    "Paragraphs",
    "Points",
    "Text",
    "TextItems",
    "describe",
    "normalise_text",
    "parse_amount",
    "parse_points",
]

# Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; surrogates;
# U+FFFE/U+FFFF), and the C1 controls and DEL, which XML allows but no report text means.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# A score or a weight of more than this is a typing mistake: the total is 100.
LARGEST_POINTS = Decimal(1000)
# 一万亿元: more than any budget unit spends; a larger figure is a typing mistake.
LARGEST_AMOUNT = Decimal(100_000_000)
# 万元 to six places is to the 分 (0.01 元).
_AMOUNT_PLACES = 6
_AMOUNT = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")


def describe(value: Any) -> str:
    """What a loaded value is, in the user's words: “8.56”, a list, a mapping, nothing."""
    if value is None:
        return _("nothing (the value is empty)")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping (“key: value” lines)")
    return f"“{value}”"


def normalise_text(value: str) -> str:
    """The text as the report prints it: each line without edge whitespace, no blank lines."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def _text(value: str) -> str:
    bad = FORBIDDEN_CHARACTERS.search(value)
    if bad:
        raise ValueError(
            _(
                "holds the control character U+{code:04X} (character {index}), which a Word "
                "document cannot hold: delete it"
            ).format(code=ord(bad.group()), index=bad.start() + 1)
        )
    text = normalise_text(value)
    # Punctuation alone ("，") says nothing, and a sentence drops it: as good as empty.
    if not any(unicodedata.category(c)[0] not in "PZC" for c in text):
        raise ValueError(_("is empty: write the text, or delete the line if it is optional"))
    return text


def _one_line(value: str) -> str:
    if "\n" in value:
        raise ValueError(
            _(
                "must be one line: it sits inside a sentence, a title or a file name; join "
                "the lines (a “|” after the key keeps line breaks, so leave it out)"
            )
        )
    return value


def parse_amount(value: Any) -> Decimal:
    """An amount in 万元 from its source text; ValueError says what is wrong and what to write."""
    return _number(value, points=False)


def parse_points(value: Any) -> Decimal:
    """A number of points (分值, 得分, a weight) from its source text, read like an amount."""
    return _number(value, points=True)


def _number(value: Any, *, points: bool) -> Decimal:
    says = _messages(points, language())
    if value is None:
        raise ValueError(says["empty"])
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        # A default set in code, or a model copied by ``overlay``.
        value = format(value, "f") if isinstance(value, Decimal) else str(value)
    if not isinstance(value, str):
        raise ValueError(says["type"].format(found=describe(value)))
    text = unicodedata.normalize("NFKC", value).strip()
    _refuse_written_unit(value, text, points)
    if text.startswith("-") and _AMOUNT.match(text[1:]):
        raise ValueError(says["negative"].format(value=value))
    if "," in text or "，" in value:
        raise ValueError(_comma(value, text))
    if not _AMOUNT.match(text):
        raise ValueError(says["shape"].format(value=value))
    if len(text) > 1 and text[0] == "0" and text[1] != ".":
        raise ValueError(
            _("is “{value}”, starting with 0: write {number}").format(
                value=value, number=text.lstrip("0") or "0"
            )
        )
    amount = Decimal(text)
    if -amount.as_tuple().exponent > _AMOUNT_PLACES:  # type: ignore[operator]  # finite here
        raise ValueError(says["places"].format(value=value, places=_AMOUNT_PLACES))
    if amount >= (LARGEST_POINTS if points else LARGEST_AMOUNT):
        raise ValueError(says["large"].format(value=value))
    return amount


@functools.cache
def _messages(points: bool, lang: str) -> dict[str, str]:
    """What is wrong with a number of points, or an amount in 万元, in the language ``lang``."""
    if points:
        return {
            "empty": _("is empty: write the number of points, such as 20"),
            "type": _(
                "should be a number of points, written with digits and at most one decimal "
                "point, such as 20 or 2.5, not {found}"
            ),
            "negative": _("is negative (“{value}”): a number of points is 0 or more"),
            "shape": _(
                "should be a number of points, written with digits and at most one decimal "
                "point, such as 20 or 2.5, not “{value}”"
            ),
            "places": _("has more than {places} decimal places (“{value}”)"),
            "large": _("is {value} points, more than any score (100 in all)"),
        }
    return {
        "empty": _("is empty: write the amount in 万元, such as 8.56"),
        "type": _("should be an amount in 万元, such as 8.56, not {found}"),
        "negative": _("is negative (“{value}”): an amount is 0 or more"),
        "shape": _(
            "should be an amount in 万元, written with digits and at most one decimal point, "
            "such as 8.56, not “{value}”"
        ),
        "places": _(
            "has more than {places} decimal places (“{value}”): 万元 to {places} places is to "
            "the 分"
        ),
        "large": _("is “{value}” 万元, more than any budget holds: amounts are in 万元, not 元"),
    }


def _refuse_written_unit(value: str, text: str, points: bool) -> None:
    """ "8.56万元" for 8.56, "20分" for 20: the unit is the field's already."""
    bare = text.removesuffix("分") if points else text.removesuffix("元").removesuffix("万")
    if bare != text and _AMOUNT.match(bare.strip()):
        if points:
            message = _("is “{value}”: write only the number, 分值 and 得分 are in points already")
        elif text.endswith("元") and not text.endswith("万元"):  # 元: to be made 万元
            message = _(
                "is “{value}”: amounts are in 万元, and {yuan} 元 is {number} 万元: write {number}"
            )
            number = Decimal(bare.strip()).scaleb(-4).normalize()
            raise ValueError(
                message.format(value=value, yuan=bare.strip(), number=format(number, "f"))
            )
        else:
            message = _("is “{value}”: write only the number, amounts are in 万元 already")
        raise ValueError(message.format(value=value))


def _comma(value: str, text: str) -> str:
    """A comma in a number: a decimal comma ("24,24") or a thousands separator ("1,024")."""
    whole, _sep, rest = text.partition(",")
    if rest.isdigit() and whole.isdigit():
        return _(
            "is “{value}”: if you mean {point}, write a decimal point; if you mean {joined}, "
            "leave the comma out"
        ).format(value=value, point=f"{whole}.{rest}", joined=f"{whole}{rest}")
    return _("is “{value}”: write it without thousands separators").format(value=value)


def _yes_no(value: Any) -> Any:
    return {"是": True, "否": False}.get(value, value) if isinstance(value, str) else value


# The JSON Schemas (``zpgen schema``) say what an editor sees in YAML: 12 is a number there, and
# zpgen reads it as the text "12".
_TEXT_SCHEMA = WithJsonSchema({"type": ["string", "number"]})
_AMOUNT_SCHEMA = WithJsonSchema(
    {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _AMOUNT.pattern}]}
)
_FLAG_SCHEMA = WithJsonSchema({"enum": ["是", "否", True, False]})

Text = Annotated[str, AfterValidator(_text), AfterValidator(_one_line), _TEXT_SCHEMA]
Paragraphs = Annotated[str, AfterValidator(_text), _TEXT_SCHEMA]
Amount = Annotated[Decimal, BeforeValidator(parse_amount), _AMOUNT_SCHEMA]
Points = Annotated[Decimal, BeforeValidator(parse_points), _AMOUNT_SCHEMA]
Flag = Annotated[bool, BeforeValidator(_yes_no), _FLAG_SCHEMA]


_ITEM_END = "。；;，,"


class Items(str):
    """One text, or several items written as a list, which zpgen numbers.

    As text it is the one text as written, or the items numbered and joined into one sentence
    (“1.甲；2.乙”), so that a template that puts it inside a sentence keeps working. ``items`` are
    the texts as written; ``lines`` are what a table cell or a list prints, one a line (“1.甲”,
    “2.乙”; the one text alone); ``listed`` says whether it was written as a list.
    """

    items: tuple[str, ...]
    lines: tuple[str, ...]
    listed: bool

    def __new__(cls, items: tuple[str, ...], *, listed: bool) -> Items:
        if listed:
            lines = tuple(f"{n}.{item}" for n, item in enumerate(items, start=1))
            text = "；".join(line.rstrip(_ITEM_END) for line in lines)
        else:
            lines = items
            text = items[0]
        instance = super().__new__(cls, text)
        instance.items, instance.lines, instance.listed = items, lines, listed
        return instance

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _items, serialization=core_schema.to_string_ser_schema()
        )


def _items(value: Any) -> Any:
    """A text or a list of texts, each one line (``Text``), as ``Items``."""
    if isinstance(value, Items):
        return value
    if isinstance(value, str):
        return Items((_one_line(_text(value)),), listed=False)
    if not isinstance(value, list):
        if value is None:
            raise ValueError(_("is empty: write the text, or a list of items each on its own line"))
        raise ValueError(
            _("should be a text or a list of texts, not {found}").format(found=describe(value))
        )
    if not value:
        raise ValueError(_("needs at least one item"))
    texts = []
    for number, item in enumerate(value, start=1):
        if item is None:  # "- " with nothing after it
            item = ""
        if not isinstance(item, str):
            message = _("item {number} should be a text, not {found}")
            raise ValueError(message.format(number=number, found=describe(item)))
        try:
            texts.append(_one_line(_text(item)))
        except ValueError as error:
            raise ValueError(
                _("item {number} {problem}").format(number=number, problem=error)
            ) from None
    return Items(tuple(texts), listed=True)


_ITEMS_SCHEMA = WithJsonSchema(
    {
        "anyOf": [
            {"type": ["string", "number"]},
            {"type": "array", "items": {"type": ["string", "number"]}},
        ]
    }
)

TextItems = Annotated[Items, _ITEMS_SCHEMA]
