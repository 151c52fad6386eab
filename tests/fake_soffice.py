"""A stand-in for LibreOffice's ``soffice --convert-to pdf``, for the tests of how zpgen runs it.

It is a program of its own (written beside a test's workspace with this Python as its
interpreter), so zpgen starts, watches and ends it as it does LibreOffice. It converts each
``NNNN.docx`` it is given into ``NNNN.pdf`` in ``--outdir``, printing LibreOffice's line for each:
a one-page PDF that names a hash of the document's text and is stamped, like LibreOffice's, with
the time of the run and a random ID. ``mode`` beside it says how to misbehave:

- ``ok``: convert everything;
- ``hang``: start a child that sleeps, then sleep, printing and converting nothing;
- ``hang-once:N`` / ``crash-once:N``: in the first run, hang at (or crash on) the Nth document, after
  converting the ones before it; in later runs convert everything.

Each run appends a line to ``log`` (its pid, the profile it was given, the number of documents),
and the pids it started to ``pids``.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pdf(text: str) -> bytes:
    stamp = time.strftime("D:%Y%m%d%H%M%S", time.gmtime())
    content = f"BT 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
        b"<</Length 5 0 R>>\nstream\n" + content + b"\nendstream",
        str(len(content)).encode(),
        f"<</Producer(fake soffice)/CreationDate({stamp}Z')>>".encode(),
    ]
    out = bytearray(b"%PDF-1.6\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    identity = os.urandom(16).hex().upper()
    out += f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R\n/Info 6 0 R\n".encode()
    out += f"/ID [ <{identity}>\n<{identity}> ]\n>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def note(name: str, line: str) -> None:
    with (HERE / name).open("a", encoding="utf-8") as stream:
        stream.write(line + "\n")


def main(arguments: list[str]) -> None:
    mode = (HERE / "mode").read_text().strip() if (HERE / "mode").exists() else "ok"
    profile = next(a for a in arguments if a.startswith("-env:UserInstallation="))
    outdir = Path(arguments[arguments.index("--outdir") + 1])
    inputs = [Path(a) for a in arguments if a.endswith(".docx")]
    note("log", f"{os.getpid()} {profile} {len(inputs)}")
    note("pids", str(os.getpid()))
    first_run = not (HERE / "ran").exists()
    (HERE / "ran").touch()
    kind, _, at = mode.partition("-once:") if "-once:" in mode else (mode, "", "")
    if mode == "hang":
        hang()
    for index, docx in enumerate(inputs):
        print(f"convert {docx} -> {outdir / docx.with_suffix('.pdf').name} using filter : x")
        sys.stdout.flush()
        if at and first_run and index == int(at) and kind == "hang":
            hang()
        if at and first_run and index == int(at) and kind == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        with zipfile.ZipFile(docx) as package:
            text = hashlib.sha256(package.read("word/document.xml")).hexdigest()
        (outdir / docx.with_suffix(".pdf").name).write_bytes(pdf(text))


def hang() -> None:
    child = subprocess.Popen(["sleep", "300"])  # a child, to be ended with the group
    note("pids", str(child.pid))
    time.sleep(300)


if __name__ == "__main__":
    main(sys.argv[1:])
