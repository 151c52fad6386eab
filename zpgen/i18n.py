"""Messages in the user's language: Chinese by default, English on request.

Every message a user reads is written in English in the code, wrapped in ``_()``, and translated
through a gettext catalog managed with babel (``zpgen/locale/zh_CN/LC_MESSAGES/zpgen.po``; see
docs/reference.md, "Messages and translations"). ``N_()`` marks a message for the catalog without
translating it yet, for text defined at import time and shown later.

The language is ``--lang`` when given (``set_language``), else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``): a locale starting with ``en`` gives English, anything else Chinese.
The catalog is read when the first message is translated: the compiled ``zpgen.mo`` that a wheel
carries (built by ``hatch_build.py``), or in a source checkout the ``zpgen.po`` itself, compiled in
memory with babel. Both give the same ``gettext.GNUTranslations``.
"""

from __future__ import annotations

import gettext
import io
import os
from pathlib import Path

__all__ = ["LANGUAGES", "N_", "_", "language", "set_language"]

LANGUAGES = ("zh", "en")
_DOMAIN = "zpgen"
_LOCALE_DIR = Path(__file__).parent / "locale"
_CATALOG_LOCALE = {"zh": "zh_CN"}

_language: str | None = None
_translations: dict[str, gettext.NullTranslations] = {}


def set_language(lang: str | None) -> None:
    """Use ``lang`` ("zh" or "en"); None goes back to the locale's choice."""
    global _language
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _language = lang


def language() -> str:
    """The language messages are shown in now."""
    return _language if _language is not None else _from_locale()


def _from_locale() -> str:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def _(message: str) -> str:
    """``message`` (an English msgid) in the current language."""
    return _catalog(language()).gettext(message)


def N_(message: str) -> str:  # the gettext convention
    """Mark ``message`` for the catalog; translate it with ``_()`` where it is shown."""
    return message


def _catalog(lang: str) -> gettext.NullTranslations:
    found = _translations.get(lang)
    if found is None:
        found = _translations[lang] = _load(lang)
    return found


def _load(lang: str) -> gettext.NullTranslations:
    locale = _CATALOG_LOCALE.get(lang)
    if locale is None:  # English: the msgids themselves
        return gettext.NullTranslations()
    folder = _LOCALE_DIR / locale / "LC_MESSAGES"
    compiled = folder / f"{_DOMAIN}.mo"
    if compiled.is_file():
        return gettext.GNUTranslations(io.BytesIO(compiled.read_bytes()))
    return gettext.GNUTranslations(io.BytesIO(compile_po(folder / f"{_DOMAIN}.po")))


def compile_po(po_file: Path) -> bytes:
    """A .po catalog compiled to .mo bytes (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as stream:
        catalog = read_po(stream)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()
