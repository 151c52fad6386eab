"""Time the consistency checks alone, per project: on the seed's data and on a generated set.

    python benchmarks/checks.py [--projects 1000] [--repeat 5]

Reads every unit as ``zpgen check`` does (each file loaded and validated, the figures computed,
one subject per file with the unit's projects), then times ``run_checks`` over every subject,
with the text caches emptied before each round (in a build every text is read once). Prints
the mean CPU time per project of all the checks (the best of several rounds), each rule's share
of it (the parse of a text is paid by the first rule that reads it) and how many findings each
gives. The generated set is ``bench.py``'s: the seed's three projects, names and amounts
varied. Asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import generate  # noqa: E402

from zpgen.checks import (  # noqa: E402
    RULES,
    Subject,
    UnitProjects,
    amounts,
    numbers,
    prose,
    run_checks,
    unitwide,
)
from zpgen.figures.budget import compute  # noqa: E402
from zpgen.load.sources import UNIT_FILE, project_files  # noqa: E402
from zpgen.model.schema import Project, Unit  # noqa: E402
from zpgen.model.validate import load_model  # noqa: E402


def subjects(data: Path) -> list[Subject]:
    """One subject per unit.yaml and per project file below ``data/<year>/<unit>/``."""
    found: list[Subject] = []
    for year_folder in sorted(p for p in data.iterdir() if p.is_dir()):
        year = int(year_folder.name)
        for folder in sorted(p for p in year_folder.iterdir() if p.is_dir()):
            unit, located = load_model(folder / UNIT_FILE, Unit)
            found.append(Subject(located, unit, year=year))
            read = [load_model(file, Project) for file in project_files(folder)]
            projects = UnitProjects(project for project, _located in read)
            names = tuple(project.name for project in projects)
            for project, where in read:
                others = tuple(name for name in names if name != project.name)
                figures = compute(project, year)
                found.append(Subject(where, unit, project, figures, others, year, projects))
    return found


def _fresh(found: list[Subject]) -> list[Subject]:
    """The subjects without their cached texts, and each unit's projects without what the checks
    keep for them (each round pays for it, as each build does), still one object a unit."""
    units: dict[int, UnitProjects] = {}
    return [
        Subject(
            subject.located,
            subject.unit,
            subject.project,
            subject.figures,
            subject.others,
            subject.year,
            units.setdefault(id(subject.projects), UnitProjects(subject.projects)),
        )
        for subject in found
    ]


def _clear_caches() -> None:
    """Forget the texts read. (The targets read stay read: in a build the scores read every
    target and 实际完成值 before the checks do.)"""
    numbers.quantities.cache_clear()
    prose.clauses.cache_clear()
    amounts.money_claims.cache_clear()
    unitwide.sentences.cache_clear()


def _rounds(found: list[Subject], repeat: int) -> Iterator[list[Subject]]:
    """Fresh subjects for ``repeat`` rounds, and more until a second has been measured (a small
    set's single round is too short to time)."""
    start = time.process_time()
    rounds = 0
    while rounds < repeat or time.process_time() - start < 1.0:
        rounds += 1
        fresh = _fresh(found)
        _clear_caches()
        yield fresh


def _all_checks(found: list[Subject], repeat: int) -> float:
    """The best round of ``run_checks`` over every subject, in CPU seconds of this process
    (other processes on the machine change it less than the wall time)."""
    best = float("inf")
    for fresh in _rounds(found, repeat):
        start = time.process_time()
        for subject in fresh:
            run_checks(subject)
        best = min(best, time.process_time() - start)
    return best


def _by_rule(found: list[Subject], repeat: int) -> dict[str, float]:
    """Each rule's share of a run of all of them, in seconds (best round): the parse of a text
    is paid by the first rule that reads it, as in a build."""
    best: dict[str, float] = {}
    for fresh in _rounds(found, repeat):
        spent = dict.fromkeys(RULES, 0.0)
        for subject in fresh:
            for rule_id, rule in RULES.items():
                start = time.perf_counter()
                list(rule.function(subject))
                spent[rule_id] += time.perf_counter() - start
        for rule_id, seconds in spent.items():
            best[rule_id] = min(best.get(rule_id, seconds), seconds)
    return best


def report(label: str, found: list[Subject], repeat: int) -> None:
    projects = sum(1 for subject in found if subject.project is not None)
    total = _all_checks(found, repeat)
    print(f"{label}: {projects} projects, all checks {total / projects * 1000:.3f} ms a project")
    counts = Counter(problem.rule for subject in found for problem in run_checks(subject))
    for rule_id, seconds in _by_rule(found, repeat).items():
        print(
            f"  {rule_id:28} {seconds / projects * 1000:7.4f} ms a project"
            f"   {counts.get(rule_id, 0):5} findings"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=1000, help="projects generated")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best is printed")
    args = parser.parse_args()
    report("seed data (data/)", subjects(ROOT / "data"), args.repeat)
    with tempfile.TemporaryDirectory(prefix="zpgen-checks-") as folder:
        workspace = Path(folder) / "ws"
        generate(workspace, args.projects)
        report(f"generated ({args.projects})", subjects(workspace / "data"), args.repeat)


if __name__ == "__main__":
    main()
