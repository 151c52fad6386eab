"""Time ``zpgen import`` on a 20-page report: a unit's combined report of 8 projects.

    python benchmarks/import.py [--projects 8] [--repeat 5]

Builds a workspace of N projects (the seed's three, renamed; 8 make about 20 A4 pages of
narrative), builds its reports, then imports, each timed in this process after one warm-up:
the combined report as .txt, as .docx, and the .docx with every project's 自评表 (.docx).
Prints the best wall time of each (the import's checks included); asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zpgen.builder import build  # noqa: E402
from zpgen.importer import import_files  # noqa: E402

SEED_UNIT = ROOT / "data" / "2023" / "渌口区人社局"


def workspace(folder: Path, count: int) -> Path:
    """A workspace of ``count`` projects: the seed's three, numbered in their names."""
    unit = folder / "data" / "2023" / "单位"
    unit.mkdir(parents=True)
    shutil.copy(SEED_UNIT / "unit.yaml", unit / "unit.yaml")
    seeds = sorted(SEED_UNIT.glob("0*.yaml"))
    for index in range(count):
        text = seeds[index % 3].read_text("utf-8")
        name = text.split("项目名称: ", 1)[1].split("\n", 1)[0]
        renamed = name.replace("专项资金", f"（第{index + 1}批）专项资金")
        (unit / f"{index + 1:02d}.yaml").write_text(text.replace(name, renamed), "utf-8")
    return folder


def best(files: list[Path], into: Path, repeat: int) -> float:
    times = []
    for attempt in range(repeat + 1):
        target = into / f"run{attempt}"
        start = time.perf_counter()
        import_files(files, into=target)
        times.append(time.perf_counter() - start)
    return min(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = workspace(Path(temporary) / "ws", options.projects)
        build(folder)
        out = folder / "output" / "2023"
        combined = next(out.glob("*局.docx"))
        tables = sorted(out.glob("*/*_自评表.docx"))
        # GB/T 9704: 22 lines of 28 characters a page; a paragraph's last line runs short
        lines = combined.with_suffix(".txt").read_text("utf-8").splitlines()
        pages = sum(len(line) // 28 + 1 for line in lines if line.strip()) / 22
        print(f"{options.projects} projects, about {pages:.0f} pages of narrative")
        cases = {
            "report .txt": [combined.with_suffix(".txt")],
            "report .docx": [combined],
            "report .docx + 自评表 .docx": [combined, *tables],
        }
        for label, files in cases.items():
            seconds = best(files, Path(temporary) / label.replace(" ", "_"), options.repeat)
            print(f"{label:<32} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
