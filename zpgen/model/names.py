"""File names from names in the data: safe on every file system, and when two clash.

Outputs go to ``<out>/<year>/<unit name>/<project name>.<ext>`` for each project, and
``<out>/<year>/<unit name>.<ext>`` for the unit's combined report. Names come from the data, made
safe for every file system: characters Windows cannot store become "_", names Windows reserves get
a "_" in front, leading and trailing dots and spaces go, and a name is at most 80 characters and
200 bytes (so that with what zpgen adds to it, it fits the 255 bytes of a file name). Two names
that differ only in letter case are one file on Windows and macOS: ``file_key`` is what two
names must not share.
"""

from __future__ import annotations

import re

__all__ = ["NAME_BYTES", "file_key", "safe_name"]

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)
_MAX_NAME = 80
# A name's bytes (UTF-8): a file system takes 255, and zpgen adds at most 55 to a name
# ("_自评表", "（手工修改2）", ".docx"); its temporary files have short names of their own.
NAME_BYTES = 200


def safe_name(name: str) -> str:
    """A file name from data that no file system refuses and that cannot leave its folder: at
    most 80 characters and ``NAME_BYTES`` bytes."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")[:_MAX_NAME].strip(" .")
    while len(cleaned.encode("utf-8")) > NAME_BYTES:
        cleaned = cleaned[:-1]
    cleaned = cleaned.strip(" .")
    if not cleaned:
        return "_"
    return "_" + cleaned if _RESERVED.match(cleaned) else cleaned


def file_key(name: str) -> str:
    """What two files of one folder must not share: their safe names, case folded."""
    return safe_name(name).casefold()
