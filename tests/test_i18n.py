"""Messages: Chinese by default, English on request, from one complete catalog."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from zpgen.i18n import _, compile_po, language, set_language

from .conftest import ROOT
from .conftest import run_zpgen as run

PO = ROOT / "zpgen" / "locale" / "zh_CN" / "LC_MESSAGES" / "zpgen.po"
PLACEHOLDER = re.compile(r"\{[a-z_]*(?::[^}]*)?\}")


def code_messages() -> set[str]:
    keywords = {"_": None, "N_": None}
    return {m[2] for m in extract_from_dir(str(ROOT / "zpgen"), keywords=keywords) if m[2]}


def test_every_message_in_the_code_has_its_chinese_translation() -> None:
    with PO.open("rb") as stream:
        catalog = read_po(stream)
    translated = {m.id: m.string for m in catalog if m.id}
    assert code_messages() == set(translated), "run pybabel extract and pybabel update"
    for msgid, msgstr in translated.items():
        assert msgstr and not catalog[msgid].fuzzy, f"not translated: {msgid!r}"
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_the_compiled_catalog_translates_as_the_po_does() -> None:
    translations = gettext.GNUTranslations(io.BytesIO(compile_po(PO)))
    with PO.open("rb") as stream:
        for message in read_po(stream):
            if message.id:
                assert translations.gettext(str(message.id)) == message.string


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
    ],
)
def test_the_locale_chooses_the_language(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    set_language(None)
    assert language() == expected
    set_language("zh")
    assert language() == "zh", "--lang wins over the locale"


def test_messages_switch_language() -> None:
    set_language("en")
    assert _("error") == "error"
    set_language("zh")
    assert _("error") == "错误"


def test_help_speaks_the_chosen_language(tmp_path: Path) -> None:
    assert "生成自评报告" in run("--help", cwd=tmp_path).stdout
    assert "Build the reports" in run("--help", cwd=tmp_path, LANG="en_US.UTF-8").stdout
    assert "Build the reports" in run("--lang", "en", "--help", cwd=tmp_path).stdout
    check_help = run("check", "--help", "--lang=en", cwd=tmp_path).stdout
    assert "report every problem" in check_help


def test_an_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", "--lang", "fr", cwd=tmp_path)
    assert result.returncode == 2
    assert "--lang" in result.stderr
