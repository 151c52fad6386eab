"""How long ``zpgen summary`` takes for a large workspace.

    python benchmarks/summary.py [--projects 10000] [--keep DIR]

Generates bench.py's workspace of N projects (25 a unit), then runs, each in a fresh process,
``zpgen check`` (the planning the summary reuses: every project read, checked, scored and
rendered in memory), ``zpgen summary`` (the same, and the workbook) and ``zpgen summary --format
json``, and prints wall time, CPU, peak memory and the workbook's size. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import generate  # the benchmark beside this one

_RUN = (
    "import json, resource, sys\n"
    "from zpgen.cli.app import main\n"
    "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
    "me = resource.getrusage(resource.RUSAGE_SELF)\n"
    "figures = {'code': code, 'cpu': me.ru_utime + me.ru_stime, 'rss_mb': me.ru_maxrss / 1024}\n"
    "print(json.dumps(figures), file=sys.stderr)\n"
)


def run(workspace: Path, *arguments: str) -> dict[str, Any]:
    """One zpgen command in a fresh process: its wall time, CPU and peak memory."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *arguments],
        cwd=workspace,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    figures: dict[str, Any] = json.loads(done.stderr.strip().splitlines()[-1])
    figures["wall"] = wall
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="zpgen-summary-bench-"))
    workspace = folder / "ws"
    if workspace.exists():
        shutil.rmtree(workspace)
    generate(workspace, args.projects)
    book = folder / "汇总表.xlsx"
    print(f"{args.projects} projects in {-(-args.projects // 25)} units")
    print("command | wall s | CPU s | CPU a project | peak MB")
    for label, command in (
        ("zpgen check", ["check"]),
        ("zpgen summary", ["summary", "--out", str(book)]),
        ("zpgen summary --format json", ["summary", "--format", "json"]),
    ):
        f = run(workspace, *command)
        each = f["cpu"] / args.projects * 1000
        print(f"{label} | {f['wall']:.1f} | {f['cpu']:.1f} | {each:.2f} ms | {f['rss_mb']:.0f}")
    if book.exists():
        print(f"workbook: {book.stat().st_size / 1024 / 1024:.1f} MB")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
