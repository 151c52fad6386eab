"""Which of the fonts the reports' styles name are installed, and what a PDF shows instead.

LibreOffice draws a font that is not installed with the one its replacement table names (zpgen
fills it from zpgen.yaml's ``替代字体``) or else the one fontconfig offers: a report published
in Noto Sans where 仿宋_GB2312 was meant is the wrong face, and this says so before converting.
The fonts are those the base document's styles name (``w:rFonts``), East Asian ones asked of
fontconfig for Chinese text. Without fontconfig (``fc-list``, as on Windows) nothing can be said.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from zpgen.write.ooxml import W_NS, xml_parser

__all__ = ["FontFinding", "installed_fonts", "missing_fonts", "style_fonts"]

_W = "{" + W_NS + "}"
_LATIN = ("ascii", "hAnsi")
_SECONDS = 10


@dataclass(frozen=True, slots=True)
class FontFinding:
    """A font the styles name that is not installed, and what is drawn in its place (""
    when fontconfig cannot say); ``chosen`` when 替代字体 named it."""

    font: str
    instead: str
    chosen: bool = False
    chosen_missing: bool = False  # 替代字体 names a font that is not installed either


def style_fonts(styles_xml: bytes) -> list[tuple[str, bool]]:
    """The fonts styles.xml names, in order, each once, and whether it is an East Asian one."""
    root = etree.fromstring(styles_xml, xml_parser())
    found: dict[str, bool] = {}
    for fonts in root.iter(f"{_W}rFonts"):
        east = fonts.get(f"{_W}eastAsia")
        if east:
            found.setdefault(east, True)
        for attribute in _LATIN:
            latin = fonts.get(f"{_W}{attribute}")
            if latin:
                found.setdefault(latin, False)
    return list(found.items())


@functools.cache
def installed_fonts() -> frozenset[str] | None:
    """Every family name fontconfig knows (each of a font's names), or None without it."""
    output = _fontconfig("fc-list", "--format", "%{family}\n")
    if output is None:
        return None
    return frozenset(name.strip() for line in output.splitlines() for name in line.split(","))


def fonts_digest() -> str:
    """A hash of the installed fonts: a PDF made before a font was installed is out of date."""
    names = installed_fonts()
    text = "\n".join(sorted(names)) if names is not None else "no fontconfig"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def missing_fonts(
    fonts: list[tuple[str, bool]], substitutes: Mapping[str, str]
) -> list[FontFinding] | None:
    """The fonts of ``fonts`` that are not installed, each with what is drawn instead; None
    when fontconfig is not there to ask."""
    installed = installed_fonts()
    if installed is None:
        return None
    findings = []
    for font, east_asian in fonts:
        if font in installed:
            continue
        chosen = substitutes.get(font)
        if chosen is not None and chosen in installed:
            findings.append(FontFinding(font, chosen, chosen=True))
            continue
        instead = _match(chosen or font, east_asian)
        findings.append(FontFinding(font, instead, chosen_missing=chosen is not None))
    return findings


@functools.cache
def _match(font: str, east_asian: bool) -> str:
    """The family fontconfig offers for ``font`` (for Chinese text, when East Asian)."""
    pattern = f"{_escaped(font)}:lang=zh-cn" if east_asian else _escaped(font)
    output = _fontconfig("fc-match", "--format", "%{family[0]}", pattern)
    return (output or "").strip()


def _escaped(font: str) -> str:
    """A family name as a fontconfig pattern writes it (``-``, ``:``, ``,`` and ``\\`` escaped)."""
    return "".join("\\" + c if c in "\\-:," else c for c in font)


def _fontconfig(*command: str) -> str | None:
    program = shutil.which(command[0])
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, *command[1:]],
            capture_output=True,
            timeout=_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None
