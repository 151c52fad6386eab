"""LibreOffice's PDF made reproducible: the same document always gives the same bytes.

LibreOffice stamps each PDF with the time of the export (``/CreationDate``, ``/ModDate``, the
XMP dates), a document ID made from it, and a checksum of the whole; and it numbers the Type 1
fonts it makes from OpenType (CFF) fonts, such as Noto CJK, with a counter that runs on from one
document of a batch to the next (``/UniqueID 4100001``, then ``4100007`` in the next document),
inside the font's encrypted part. ``reproducible`` sets the dates from the data, renumbers the
fonts as a LibreOffice converting this document alone would (4100001, 4100002…), and derives the
ID and the checksum from the content; then it writes the cross-reference table again, since the
fonts' compressed streams change length. A PDF laid out otherwise (an incremental update, a
cross-reference stream) is returned as it is, with ``False``.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["pdf_date", "reproducible"]

_TAIL = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_SUBSECTION = re.compile(rb"(\d+) (\d+)\s*?\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_TRAILER = re.compile(rb"\s*trailer\s*(<<.*?>>)\s*startxref", re.S)
_INFO = re.compile(rb"/Info\s+(\d+)\s+\d+\s+R")
_OBJECT = re.compile(rb"(\d+) (\d+) obj\b")
_STREAM = re.compile(rb"\A(\d+ \d+ obj\s*)<<([^<>]*)>>(\s*stream\r?\n)", re.S)
_LENGTH = re.compile(rb"/Length\s+(?:(\d+) (\d+) R|(\d+))")
_FONT_LENGTHS = re.compile(rb"/Length([12])\s+(\d+)")
_NUMBER_OBJECT = re.compile(rb"\A(\d+ \d+ obj\s*)(\d+)(\s*endobj)", re.S)
_DATES = re.compile(rb"/(CreationDate|ModDate)\s*\([^)]*\)")
_XMP_DATES = re.compile(rb"<(xmp:CreateDate|xmp:ModifyDate|xmp:MetadataDate)>[^<]*</\1>")
_XMP_IDS = re.compile(rb"<(xmpMM:DocumentID|xmpMM:InstanceID)>[^<]*</\1>")
_UNIQUE_ID = re.compile(rb"/UniqueID (\d+)")
_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/[0-9A-Fa-f]+")
_EEXEC_KEY = 55665
_FIRST_UNIQUE_ID = 4100001  # LibreOffice's first (vcl's Type 1 emitter)


class _Layout(Exception):
    """The PDF is not laid out as LibreOffice writes it."""


def pdf_date(date: tuple[int, int, int]) -> bytes:
    """A PDF date string for the day ``date`` (year, month, day), at midnight China time."""
    year, month, day = date
    return f"D:{year:04d}{month:02d}{day:02d}000000+08'00'".encode("ascii")


def reproducible(data: bytes, date: tuple[int, int, int]) -> tuple[bytes, bool]:
    """``data`` (a PDF LibreOffice wrote) with its dates set to ``date``, its fonts numbered
    from the document alone, its ID and checksum from its content; and whether it could be."""
    try:
        return _Pdf.parse(data).normalised(pdf_date(date)), True
    except (_Layout, zlib.error, ValueError, KeyError, IndexError):
        return data, False


@dataclass
class _Pdf:
    """A PDF cut at its objects: the header, each object's bytes (in file order, with its
    number), the cross-reference entries and the trailer's dictionary."""

    header: bytes
    objects: list[tuple[int, bytes]]
    entries: list[tuple[int, int, bool]]  # (object number, generation, in use)
    trailer: bytes

    @classmethod
    def parse(cls, data: bytes) -> _Pdf:
        tail = _TAIL.search(data)
        if tail is None:
            raise _Layout("no startxref")
        start = int(tail.group(1))
        entries, end = _read_xref(data, start)
        trailer = _TRAILER.match(data, end)
        if trailer is None or b"/Prev" in trailer.group(1) or b"/XRefStm" in trailer.group(1):
            raise _Layout("not a single cross-reference table")
        offsets = sorted((offset, number) for number, _gen, used, offset in entries if used)
        if not offsets or len({offset for offset, _number in offsets}) != len(offsets):
            raise _Layout("no objects, or two at one offset")
        bounds = [offset for offset, _number in offsets] + [start]
        objects = []
        for (offset, number), following in zip(offsets, bounds[1:], strict=False):
            chunk = data[offset:following]
            found = _OBJECT.match(chunk)
            if found is None or int(found.group(1)) != number:
                raise _Layout(f"object {number} is not at its offset")
            objects.append((number, chunk))
        listed = [(number, gen, used) for number, gen, used, _offset in entries]
        return cls(data[: offsets[0][0]], objects, listed, trailer.group(1))

    def normalised(self, date: bytes) -> bytes:
        chunks = dict(self.objects)
        lengths: dict[int, int] = {}  # object number → the stream length it must now hold
        counter = iter(range(_FIRST_UNIQUE_ID, 10**8))
        info = _INFO.search(self.trailer)
        if info is not None and int(info.group(1)) in chunks:
            number = int(info.group(1))
            chunks[number] = _DATES.sub(
                lambda m: b"/" + m.group(1) + b"(" + date + b")", chunks[number]
            )
        for number, _chunk in self.objects:
            stream = _Stream.find(chunks[number], chunks)
            if stream is not None:
                chunks[number] = stream.fixed(date, counter, lengths)
        for number, length in lengths.items():
            chunks[number] = _set_number(chunks[number], length)
        body = b"".join(chunks[number] for number, _chunk in self.objects)
        identity = hashlib.md5(self.header + body, usedforsecurity=False).hexdigest().upper()
        trailer = _ID.sub(f"/ID [ <{identity}>\n<{identity}> ]".encode(), self.trailer)
        trailer = _CHECKSUM.sub(f"/DocChecksum /{identity}".encode(), trailer)
        return self._joined(chunks, trailer)

    def _joined(self, chunks: dict[int, bytes], trailer: bytes) -> bytes:
        """The objects in their order, then a cross-reference table of their new offsets."""
        out = [self.header]
        offset = len(self.header)
        offsets: dict[int, int] = {}
        for number, _chunk in self.objects:
            offsets[number] = offset
            out.append(chunks[number])
            offset += len(chunks[number])
        out.append(b"xref\n")
        for first, run in _runs(self.entries):
            out.append(f"{first} {len(run)}\n".encode())
            for number, generation, used in run:
                where, kind = (offsets[number], "n") if used else (0, "f")
                out.append(f"{where:010d} {generation:05d} {kind} \n".encode())
        out.append(b"trailer\n" + trailer + f"\nstartxref\n{offset}\n%%EOF\n".encode())
        return b"".join(out)


def _read_xref(data: bytes, start: int) -> tuple[list[tuple[int, int, bool, int]], int]:
    """The entries of the table at ``start`` (number, generation, in use, offset), and where
    the table ends."""
    if not data.startswith(b"xref", start):
        raise _Layout("no cross-reference table at startxref")
    position = _skip_space(data, start + 4)
    entries: list[tuple[int, int, bool, int]] = []
    while (section := _SUBSECTION.match(data, position)) is not None:
        first, count = int(section.group(1)), int(section.group(2))
        position = section.end()
        for index in range(count):
            entry = _ENTRY.match(data, position)
            if entry is None:
                raise _Layout("a cross-reference entry is not 20 bytes")
            used = entry.group(3) == b"n"
            entries.append((first + index, int(entry.group(2)), used, int(entry.group(1))))
            position = _skip_space(data, entry.end())
    if not entries:
        raise _Layout("an empty cross-reference table")
    return entries, position


def _skip_space(data: bytes, position: int) -> int:
    while data[position : position + 1] in (b"\r", b"\n", b" "):
        position += 1
    return position


def _runs(entries: list[tuple[int, int, bool]]) -> list[tuple[int, list[tuple[int, int, bool]]]]:
    """The entries in runs of consecutive object numbers: the table's subsections."""
    runs: list[tuple[int, list[tuple[int, int, bool]]]] = []
    for entry in sorted(entries):
        if runs and runs[-1][0] + len(runs[-1][1]) == entry[0]:
            runs[-1][1].append(entry)
        else:
            runs.append((entry[0], [entry]))
    return runs


def _set_number(chunk: bytes, value: int) -> bytes:
    found = _NUMBER_OBJECT.match(chunk)
    if found is None:
        raise _Layout("a stream's /Length is not a number object")
    return found.group(1) + str(value).encode() + found.group(3) + chunk[found.end() :]


@dataclass
class _Stream:
    """A stream object with a flat dictionary: its parts, and the object holding its /Length
    when that is a reference."""

    chunk: bytes
    head: bytes  # "N 0 obj <<…>> stream\n"
    dictionary: bytes
    data: bytes
    rest: bytes  # from "endstream" on
    length_object: int | None

    @classmethod
    def find(cls, chunk: bytes, chunks: dict[int, bytes]) -> _Stream | None:
        found = _STREAM.match(chunk)
        if found is None:
            return None
        dictionary = found.group(2)
        length = _LENGTH.search(dictionary)
        if length is None:
            return None
        reference = int(length.group(1)) if length.group(1) else None
        if reference is not None:
            number = _NUMBER_OBJECT.match(chunks.get(reference, b""))
            if number is None:
                raise _Layout("a stream's /Length is not a number object")
            size = int(number.group(2))
        else:
            size = int(length.group(3))
        start = found.end()
        data, rest = chunk[start : start + size], chunk[start + size :]
        if len(data) != size or not rest.lstrip(b"\r\n").startswith(b"endstream"):
            raise _Layout("a stream is not as long as its /Length")
        return cls(chunk, chunk[:start], dictionary, data, rest, reference)

    @property
    def deflated(self) -> bool:
        return re.search(rb"/Filter\s*/FlateDecode\b", self.dictionary) is not None

    def fixed(self, date: bytes, counter: Iterator[int], lengths: dict[int, int]) -> bytes:
        """The object with its varying parts fixed: a Type 1 font's UniqueID, XMP's dates."""
        if b"/Filter" in self.dictionary and not self.deflated:
            return self.chunk  # another filter (an image's): nothing of the clock in it
        content = zlib.decompress(self.data) if self.deflated else self.data
        if content.startswith((b"%!FontType1", b"%!PS-AdobeFont")):
            # compressed again even when its number was right: every font the same way
            parts = {int(k): int(v) for k, v in _FONT_LENGTHS.findall(self.dictionary)}
            fixed = _renumbered_font(content, next(counter), parts.get(1), parts.get(2))
        elif b"<x:xmpmeta" in content:
            fixed = _fixed_xmp(content, date)
        else:
            return self.chunk
        data = zlib.compress(fixed, 9) if self.deflated else fixed
        head = self.head
        if self.length_object is not None:
            lengths[self.length_object] = len(data)
        else:
            head = _LENGTH.sub(f"/Length {len(data)}".encode(), head, count=1)
        return head + data + self.rest


def _renumbered_font(
    font: bytes, unique_id: int, clear_length: int | None, secret_length: int | None
) -> bytes:
    """A Type 1 font with its UniqueID set to ``unique_id``, in the clear part and in the
    eexec-encrypted one (decrypted, changed and encrypted again: the lengths stay). The parts'
    lengths are the stream's /Length1 and /Length2."""
    if clear_length is None or secret_length is None:
        return font
    end = clear_length + secret_length
    if not font[:clear_length].rstrip().endswith(b"eexec") or end > len(font):
        return font
    clear, secret = font[:clear_length], _eexec(font[clear_length:end], decrypt=True)
    clear, secret = _with_unique_id(clear, unique_id), _with_unique_id(secret, unique_id)
    return clear + _eexec(secret, decrypt=False) + font[end:]


def _with_unique_id(text: bytes, unique_id: int) -> bytes:
    """``/UniqueID n`` set to ``unique_id`` where that keeps the number of digits."""

    def renumber(found: re.Match[bytes]) -> bytes:
        digits = str(unique_id).encode()
        return b"/UniqueID " + (digits if len(digits) == len(found.group(1)) else found.group(1))

    return _UNIQUE_ID.sub(renumber, text)


def _eexec(data: bytes, *, decrypt: bool) -> bytes:
    """Type 1 eexec encryption (Adobe Type 1 Font Format, 7.2): r = 55665, c1 = 52845, c2 =
    22719, each cipher byte feeding the key."""
    key = _EEXEC_KEY
    out = bytearray(len(data))
    for index, byte in enumerate(data):
        result = byte ^ (key >> 8)
        key = (((byte if decrypt else result) + key) * 52845 + 22719) & 0xFFFF
        out[index] = result
    return bytes(out)


def _fixed_xmp(xmp: bytes, date: bytes) -> bytes:
    """XMP metadata with its dates from ``date`` and its IDs from the rest of it."""
    text = date.decode("ascii")
    stamp = f"{text[2:6]}-{text[6:8]}-{text[8:10]}T00:00:00+08:00".encode()
    xmp = _XMP_DATES.sub(lambda m: _element(m.group(1), stamp), xmp)
    hashed = hashlib.md5(_XMP_IDS.sub(b"", xmp), usedforsecurity=False).hexdigest()
    uuid = f"uuid:{hashed[:8]}-{hashed[8:12]}-{hashed[12:16]}-{hashed[16:20]}-{hashed[20:]}"
    return _XMP_IDS.sub(lambda m: _element(m.group(1), uuid.encode()), xmp)


def _element(name: bytes, text: bytes) -> bytes:
    return b"<" + name + b">" + text + b"</" + name + b">"
