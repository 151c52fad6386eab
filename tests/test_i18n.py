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

from .conftest import LOCALE_VARIABLES, ROOT, SEED_UNIT, invoke_zpgen, run_zpgen, write_tree

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
    for variable in LOCALE_VARIABLES:
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
    assert "生成自评报告" in invoke_zpgen("--help", cwd=tmp_path).stdout
    english_locale = run_zpgen("--help", cwd=tmp_path, env={"LANG": "en_US.UTF-8"})
    assert "Build the reports" in english_locale.stdout
    assert "Build the reports" in invoke_zpgen("--lang", "en", "--help", cwd=tmp_path).stdout
    check_help = invoke_zpgen("check", "--help", "--lang=en", cwd=tmp_path).stdout
    assert "report every problem" in check_help


def test_an_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke_zpgen("check", "--lang", "fr", cwd=tmp_path)
    assert result.returncode == 2
    assert "--lang" in result.stderr


# The command with --lang en on bad inputs: the message in English, its Chinese words only
# the vocabulary of the files (key names, 待填), which stays Chinese in either language.

HAN = re.compile(r"[\u3400-\u9fff]")
PROJECT_1 = f"data/2023/{SEED_UNIT}/01-数据系统维护费.yaml"


def english_message(output: str, start: str, *vocabulary: str) -> str:
    """The one message in ``output`` that starts with ``start``, checked to hold no Chinese
    but ``vocabulary``; its line is an English error line."""
    lines = [line for line in output.splitlines() if start in line]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: "), lines[0]
    message = lines[0][lines[0].index(start) :]
    remainder = message
    for word in vocabulary:
        remainder = remainder.replace(word, "")
    assert not HAN.search(remainder), message
    return message


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_scoring_problem_in_english(seed_workspace: Path) -> None:
    edit(seed_workspace / PROJECT_1, "    分值: 20\n", "    分值: 20\n    得分: 25\n")
    english = invoke_zpgen("check", "--lang", "en", cwd=seed_workspace)
    assert english.returncode == 1
    message = english_message(english.stdout, "得分 25 is", "得分", "分值")
    assert message == "得分 25 is more than the indicator's 分值 20. (rule scores)"
    chinese = invoke_zpgen("check", cwd=seed_workspace)
    assert "[绩效指标[0].得分]: 得分25超过了分值20（规则 scores）\n" in chinese.stdout


def test_a_value_still_to_fill_in_english(seed_workspace: Path) -> None:
    edit(seed_workspace / PROJECT_1, "全年执行数: 8.56", "全年执行数: 待填 8.56")
    english = invoke_zpgen("check", "--lang", "en", cwd=seed_workspace)
    assert english.returncode == 1
    message = english_message(english.stdout, "Not filled in yet", "待填")
    assert message == (
        "Not filled in yet: fill in this value (suggested: 8.56; check it, then delete “待填”)."
        " (rule placeholder)"
    )
    chinese = invoke_zpgen("check", cwd=seed_workspace)
    assert "尚未填写：请填写这一项（建议值：8.56，核对后删去“待填”即可）（规则 placeholder）" in (
        chinese.stdout
    )


def test_totext_on_a_file_that_is_not_a_docx_in_english(tmp_path: Path) -> None:
    write_tree(tmp_path, {"notes.txt": "不是 Word 文档\n"})
    english = invoke_zpgen("totext", "notes.txt", "--lang", "en", cwd=tmp_path)
    assert english.returncode == 1
    assert english.stderr == (
        "error: notes.txt: It is not a .docx file (a Word document): save it as .docx in Word.\n"
    )
    chinese = invoke_zpgen("totext", "notes.txt", cwd=tmp_path)
    assert (
        chinese.stderr
        == "错误：notes.txt: 不是 .docx 文件（Word 文档）：请在 Word 中另存为 .docx。\n"
    )


def test_a_reference_document_that_is_not_a_docx_in_english(seed_workspace: Path) -> None:
    write_tree(seed_workspace / "templates", {"base.docx": "不是 Word 文档\n"})
    english = invoke_zpgen("build", "-f", "docx", "--lang", "en", cwd=seed_workspace)
    assert english.returncode == 1
    assert (
        "templates/base.docx: It is not a .docx file (a Word document): save it as .docx in "
        "Word.\n" in english.stderr
    )
    chinese = invoke_zpgen("build", "-f", "docx", cwd=seed_workspace)
    assert "templates/base.docx: 不是 .docx 文件（Word 文档）：请在 Word 中另存为 .docx。\n" in (
        chinese.stderr
    )
    assert not (seed_workspace / "output").exists(), "nothing is written"


def test_a_faulty_table_of_a_workspace_template_in_english(seed_workspace: Path) -> None:
    write_tree(
        seed_workspace / "templates",
        {
            "body.j2": '{% extends "builtin/body.j2" %}\n{% block extra_sections %}\n'
            "# 附表\n%table 1 0\n%row\n| 甲\n| 乙\n%end\n{% endblock %}\n"
        },
    )
    english = invoke_zpgen(
        "build", PROJECT_1, "--format", "txt", "--lang", "en", cwd=seed_workspace
    )
    assert english.returncode == 1
    message = english_message(english.stderr, "A template wrote")
    assert message == "A template wrote a faulty table: A column width cannot be 0."
    assert english.stdout.splitlines()[-1].startswith("Done: ")


def test_init_and_new_year_report_in_english(tmp_path: Path) -> None:
    init = invoke_zpgen("init", "ws", "--year", "2023", "--lang", "en", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    lines = init.stdout.splitlines()
    assert lines[0] == "created  ws/zpgen.yaml"
    steps = lines[lines.index("Next steps:") :]
    assert steps[1:4] == [
        "  cd ws",
        "  zpgen check          check the data (after editing the example)",
        "  zpgen build          build the reports into output/",
    ]
    assert not HAN.search("\n".join(steps)), steps
    again = invoke_zpgen("init", "ws", "--lang", "en", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr.splitlines()[0] == (
        "error: ws/zpgen.yaml: The file already exists; zpgen init does not overwrite files, "
        "and wrote nothing."
    )
    assert not HAN.search(again.stderr), again.stderr
    new_year = invoke_zpgen("new-year", "2024", "--lang", "en", cwd=tmp_path / "ws")
    assert new_year.returncode == 0, new_year.stderr
    lines = new_year.stdout.splitlines()
    assert lines[:2] == [
        "created  data/2024/示例单位/unit.yaml (1 to fill in)",
        "    To fill in: 评价时间 (suggested: 2025年4月)",
    ]
    assert lines[-1].startswith("Done: 2 files, ")
    missing = invoke_zpgen(
        "new-year", "2030", "--from", "2019", "--lang", "en", cwd=tmp_path / "ws"
    )
    assert missing.stderr == "error: data/2019: There is no data folder for 2019.\n"


@pytest.mark.parametrize(
    "command",
    [
        ("build",),
        ("check",),
        ("init",),
        ("totext",),
        ("new-year",),
        ("templates",),
        ("templates", "list"),
        ("templates", "copy"),
    ],
)
def test_every_help_text_is_english_with_lang_en(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = invoke_zpgen(*command, "--help", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    vocabulary = ("三级标题编号=是", "“待填”")
    text = result.stdout
    for word in vocabulary:
        text = text.replace(word, "")
    assert not HAN.search(text), result.stdout
