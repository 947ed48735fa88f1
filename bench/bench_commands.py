"""Whole commands as a user runs them: wall time and peak resident memory.

    .venv/bin/python bench/bench_commands.py            # every case
    .venv/bin/python bench/bench_commands.py --quick    # leave out 100,000 × 100

Each case runs the real ``quizkit`` command in a subprocess (``python -m quizkit …``),
from the repository's root, with the project's banks. Peak memory is the command's
own maximum resident set size, read with ``resource.getrusage(RUSAGE_CHILDREN)`` in a
small wrapper process whose only child is the command; CPU seconds (user + system) are
read the same way, and say what the wall time would be on an idle machine. Each case runs ``--runs`` times
(default 3) and the median time and the largest peak are printed.

Cases:
  start-up      ``quizkit export --format csv`` of the exam pool (loads and validates
                every bank: the fixed cost of every command), banks cached, and again
                with the cache emptied first (cold).
  grade 10k×40  ``quizkit grade`` of 10,000 students × 40 questions in 3 versions,
                with the HTML report.
  grade 100k×100  100,000 students × 100 questions (items of both pools) in 3
                versions, with the report.

The classes are simulated as data/sample is (quizkit.grading.simulate); for the big
class, 2,000 simulated students are repeated under new ids, which changes nothing for
the grader's work per cell. Generating them is not timed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit status) of one run of ``argv``."""
    wrapper = ("import json, resource, subprocess, sys, time\n"
               "t = time.perf_counter()\n"
               "status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
               " stderr=subprocess.DEVNULL).returncode\n"
               "seconds = time.perf_counter() - t\n"
               "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "cpu = usage.ru_utime + usage.ru_stime\n"
               "print(json.dumps([seconds, cpu, usage.ru_maxrss / 1024, status]))\n")
    done = subprocess.run([PYTHON, "-c", wrapper, *argv], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=True)
    return tuple(json.loads(done.stdout))


def run_case(name: str, make_argv, env: dict[str, str], runs: int, before=None) -> dict:
    times, cpus, peaks = [], [], []
    for run in range(runs):
        if before:
            before()
        seconds, cpu, peak, status = measure(make_argv(run), env)
        if status != 0:
            raise SystemExit(f"{name}: the command failed (exit {status}): "
                             f"{' '.join(make_argv(run))}")
        times.append(seconds)
        cpus.append(cpu)
        peaks.append(peak)
    return {"case": name, "seconds": statistics.median(times), "cpu": statistics.median(cpus),
            "peak_mb": max(peaks)}


def write_class(folder: Path, students: int, questions: int, pool: str, distinct: int) -> None:
    """key.csv and responses.csv of a simulated class in ``folder``."""
    from quizkit.grading.simulate import ClassSimulator, class_rows, write_responses
    from quizkit.paper import make_versions
    from quizkit.paper.key import write_key
    from quizkit.project import load_catalog
    from quizkit.select import Selection, select_items

    catalog = load_catalog([ROOT / "quizzes"])
    items = select_items(catalog, Selection(pool=pool, count=questions, seed="bench:7"))
    versions = make_versions(items, catalog, 3, 7)
    key = [row for version in versions for row in version.key_rows()]
    write_key(key, folder / "key.csv")
    simulator = ClassSimulator(key, {item.id: item for item in items}, seed="bench:7")
    base = class_rows(simulator, min(students, distinct))
    width = len(str(students))
    rows = [[f"S{n + 1:0{width}d}", *row[1:]]
            for n, row in zip(range(students), itertools.cycle(base))]
    write_responses(rows, questions, folder / "responses.csv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="leave out 100,000 × 100")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-commands-"))
    cache = work / "cache"
    env = {**os.environ, "QUIZKIT_CACHE_DIR": str(cache)}
    quizkit = [PYTHON, "-m", "quizkit"]
    results = []
    try:
        def export(run: int) -> list[str]:
            return [*quizkit, "export", "--format", "csv", "--force",
                    "-o", str(work / "key-export.csv")]

        subprocess.run(export(0), cwd=ROOT, env=env, capture_output=True, check=True)
        results.append(run_case("start-up: quizkit export --format csv (banks cached)",
                                export, env, args.runs))
        results.append(run_case("start-up, cold (no cache)", export, env, args.runs,
                                before=lambda: shutil.rmtree(cache, ignore_errors=True)))
        results.append(run_case("quizkit --version", lambda run: [*quizkit, "--version"],
                                env, args.runs))

        cases = [("grade 10,000 × 40, with report", 10_000, 40, "exam", 10_000)]
        if not args.quick:
            cases.append(("grade 100,000 × 100, with report", 100_000, 100, "all", 2_000))
        for name, students, questions, pool, distinct in cases:
            folder = work / f"class-{students}"
            folder.mkdir()
            write_class(folder, students, questions, pool, distinct)
            size = (folder / "responses.csv").stat().st_size / 1e6

            def grade(run: int, folder=folder) -> list[str]:
                return [*quizkit, "grade", str(folder / "responses.csv"), "--key",
                        str(folder / "key.csv"), "-o", str(folder / f"graded-{run}")]

            result = run_case(f"{name} ({size:.0f} MB CSV)", grade, env, args.runs)
            results.append(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(r["case"]) for r in results)
    print(f"quizkit commands, median of {args.runs} runs "
          f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    print(f"{'case':<{width}}  {'wall s':>7}  {'CPU s':>7}  {'peak MB':>8}")
    for r in results:
        print(f"{r['case']:<{width}}  {r['seconds']:>7.2f}  {r['cpu']:>7.2f}  "
              f"{r['peak_mb']:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
