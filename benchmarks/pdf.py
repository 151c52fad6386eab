"""What PDF output costs in a batch: a cold build of N projects as .docx, then as .pdf.

    python benchmarks/pdf.py [--projects 200] [--jobs 1 2] [--keep DIR]

Generates bench.py's workspace (the seed's three projects varied, 25 projects a unit; each
project has its report and its 自评表, each unit its combined report and 自评表), then times, each
in a fresh process, a cold ``zpgen build -f docx`` and a cold ``zpgen build -f pdf`` for each
``--jobs``. The PDF cost of a document is the difference over the PDFs made: wall time, and CPU
of zpgen and LibreOffice together (LibreOffice's processes are the build's children). Prints;
asserts nothing. Needs LibreOffice.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import generate, measure  # the benchmark beside this one

from zpgen.write.libreoffice import find_libreoffice


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    program, why = find_libreoffice(None, Path.cwd())
    if program is None:
        raise SystemExit(why)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="zpgen-pdf-bench-"))
    workspace = folder / "ws"
    if workspace.exists():
        shutil.rmtree(workspace)
    generate(workspace, args.projects)
    print(f"{args.projects} projects, LibreOffice: {program}")
    print("jobs | format | wall s | CPU s | documents | PDF wall a document | PDF CPU a document")
    for jobs in args.jobs:
        figures = {}
        for fmt in ("docx", "pdf"):
            shutil.rmtree(workspace / "output", ignore_errors=True)
            figures[fmt] = measure(workspace, ["-f", fmt, "--jobs", str(jobs)])
            documents = len(list((workspace / "output").rglob(f"*.{fmt}")))
            figures[fmt]["documents"] = documents
        made = figures["pdf"]["documents"]
        wall = (figures["pdf"]["wall"] - figures["docx"]["wall"]) / made
        cpu = (figures["pdf"]["cpu"] - figures["docx"]["cpu"]) / made
        for fmt in ("docx", "pdf"):
            f = figures[fmt]
            extra = f" | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms" if fmt == "pdf" else " | |"
            print(f"{jobs} | {fmt} | {f['wall']:.1f} | {f['cpu']:.1f} | {f['documents']}{extra}")
        units = -(-args.projects // 25)
        print(f"    ({made} PDFs: {args.projects} reports and their 自评表, {units} units' two)")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
