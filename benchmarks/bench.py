"""Benchmark zpgen builds on a synthetic workspace, against a plain python-docx baseline.

    python benchmarks/bench.py --projects 1000 [--jobs N] [--settle SECONDS] [--keep DIR]

Generates N projects (from the seed unit's three projects, with names, amounts and indicators
varied, 25 projects a unit), then runs, each in a fresh process: a cold build, a build with
nothing changed, and a build after one project file changed. Prints wall time, CPU per project
report, and peak memory; then times a plain python-docx build of the same reports as a baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED_UNIT = ROOT / "data" / "2023" / "渌口区人社局"
PROJECTS_PER_UNIT = 25


def generate(workspace: Path, count: int) -> list[Path]:
    """Write a workspace of ``count`` projects; the numbers vary, the shape is the seed's."""
    rng = random.Random(20240401)  # fixed: the same workspace every run
    seeds = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(SEED_UNIT.glob("0*.yaml"))]
    unit_text = (SEED_UNIT / "unit.yaml").read_text("utf-8")
    files: list[Path] = []
    for index in range(count):
        unit_no, project_no = divmod(index, PROJECTS_PER_UNIT)
        folder = workspace / "data" / "2023" / f"单位{unit_no:04d}"
        if project_no == 0:
            folder.mkdir(parents=True)
            (folder / "unit.yaml").write_text(
                unit_text.replace("株洲市渌口区人力资源和社会保障局", f"第{unit_no + 1}号预算单位"),
                "utf-8",
            )
        project = json.loads(json.dumps(seeds[index % len(seeds)], ensure_ascii=False))
        name = f"{project['项目名称'].removesuffix('专项资金')}{index + 1}号专项资金"
        initial = Decimal(rng.randint(100, 500000)) / 100
        adjusted = (initial * Decimal(rng.randint(30, 100)) / 100).quantize(Decimal("0.01"))
        spent = (adjusted * Decimal(rng.randint(80, 100)) / 100).quantize(Decimal("0.01"))
        project.update(
            {
                "项目名称": name,
                "年初预算数": str(initial),
                "全年预算数": str(adjusted),
                "全年执行数": str(spent),
            }
        )
        project["资金来源"] = {
            "本年财政拨款": {
                "年初预算数": str(initial),
                "全年预算数": str(adjusted),
                "全年执行数": str(spent),
            },
            "上年结转资金": {"年初预算数": "0", "全年预算数": "0", "全年执行数": "0"},
            "其他资金": {"年初预算数": "0", "全年预算数": "0", "全年执行数": "0"},
        }
        for indicator in project["绩效指标"]:
            indicator["三级指标"] = f"{indicator['三级指标']}（{rng.randint(1, 9)}）"
            if indicator["二级指标"] == "成本指标":  # the amounts the narrative speaks of
                indicator["年度指标值"] = f"≤{initial}万元"
                indicator["实际完成值"] = f"{spent}万元"
                indicator["完成情况"] = f"预算年度内实际发生并支付{name}{spent}万元。"
        file = folder / f"{project_no + 1:02d}-{name}.yaml"
        file.write_text(yaml.safe_dump(project, allow_unicode=True, sort_keys=False), "utf-8")
        files.append(file)
    return files


def measure(workspace: Path, extra: list[str]) -> dict[str, Any]:
    """Run one build in a fresh process and return its figures: wall time from start to end,
    CPU of the build and its workers, the largest process's peak, and (where /proc is) the peak
    of all its processes together (their proportional set size: pages they share count once)."""
    code = (
        "import json, resource, sys\n"
        "from zpgen.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
        "me = resource.getrusage(resource.RUSAGE_SELF)\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "system = me.ru_stime + kids.ru_stime\n"
        "cpu = me.ru_utime + kids.ru_utime + system\n"
        "rss = max(me.ru_maxrss, kids.ru_maxrss) / 1024\n"
        "figures = {'code': code, 'cpu': cpu, 'system': system, 'rss_mb': rss}\n"
        "print(json.dumps(figures), file=sys.stderr)\n"
    )
    command = [sys.executable, "-c", code, "build", "--out", str(workspace / "output"), *extra]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=workspace, stdout=out, stderr=err, text=True)
        total = _peak_of_tree(process)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    figures: dict[str, Any] = json.loads(stderr.strip().splitlines()[-1])
    if figures["code"] not in (0, None):
        raise SystemExit(f"build failed:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    figures.update(wall=wall, total_mb=total)
    return figures


def _peak_of_tree(process: subprocess.Popen[str]) -> float | None:
    """Sample the memory of ``process`` and its children until it ends: the largest sum."""
    proc = Path("/proc")
    peak: float | None = None if not (proc / "self" / "smaps_rollup").exists() else 0.0
    while process.poll() is None:
        if peak is not None:
            pids = [process.pid, *_descendants(process.pid)]
            peak = max(peak, sum(_pss_mb(pid) for pid in pids))
        time.sleep(0.1)
    return peak


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text("ascii", "replace").rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _pss_mb(pid: int) -> float:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text("ascii", "replace")
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def baseline(workspace: Path, limit: int) -> float:
    """CPU seconds per report for a plain python-docx build of the same text: each line of a
    project's .txt twin a paragraph, with the fonts set run by run as python-docx users do."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    texts = sorted((workspace / "output").rglob("*专项资金.txt"))[:limit]
    documents = [t.read_text("utf-8").splitlines() for t in texts]
    start = time.process_time()
    for lines in documents:
        document = Document()
        for line in lines:
            run = document.add_paragraph().add_run(line)
            run.font.size = Pt(16)
            run.font.name = "Times New Roman"
            run._element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
        with tempfile.SpooledTemporaryFile() as sink:
            document.save(sink)
    return (time.process_time() - start) / len(documents)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument(
        "--jobs", type=int, default=0, help="passed to zpgen build --jobs (0: its default)"
    )
    parser.add_argument(
        "--baseline", type=int, default=200, help="reports in the python-docx baseline"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="seconds to wait after generating (a disk mounted with discard stays busy a while)",
    )
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="zpgen-bench-"))
    workspace = folder / "ws"
    if workspace.exists():
        shutil.rmtree(workspace)
    files = generate(workspace, args.projects)
    os.sync()  # the generated files reach the disk before the clock starts
    time.sleep(args.settle)
    units = -(-args.projects // PROJECTS_PER_UNIT)
    extra = ["--jobs", str(args.jobs)] if args.jobs else []
    print(
        f"zpgen benchmark: {args.projects} projects in {units} units; each project gets its"
        " report and its 自评表, each unit its combined report and table, as .txt and .docx"
    )

    cold = measure(workspace, extra)
    noop = measure(workspace, extra)
    changed = files[len(files) // 2]
    changed.write_text(
        changed.read_text("utf-8").replace("改进措施: ", "改进措施: 经复核，", 1), "utf-8"
    )
    one = measure(workspace, extra)
    for label, figures in (
        ("cold build", cold),
        ("nothing changed", noop),
        ("one file changed", one),
    ):
        per = figures["cpu"] / args.projects * 1000
        print(
            f"{label:17} wall {figures['wall']:7.2f} s   CPU {figures['cpu']:7.2f} s"
            f" ({per:5.2f} ms a project, {figures['system']:5.2f} s of it in the kernel)"
            f"   peak memory {figures['rss_mb']:4.0f} MB a process"
            + (f", {figures['total_mb']:4.0f} MB in all" if figures["total_mb"] else "")
        )
    per_baseline = baseline(workspace, args.baseline) * 1000
    per_zpgen = cold["cpu"] / args.projects * 1000
    ratio = per_baseline / per_zpgen
    print(
        f"python-docx baseline: {per_baseline:.2f} ms CPU a report (narrative .docx only);"
        f" zpgen, all of a project's outputs: {per_zpgen:.2f} ms ({ratio:.1f}x less)"
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"(benchmark process itself: peak memory {usage.ru_maxrss / 1024:.0f} MB)")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
