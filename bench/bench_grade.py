"""How long grading a big class takes, and how much memory it needs.

    .venv/bin/python bench/bench_grade.py                      # 10,000 students × 40 items
    .venv/bin/python bench/bench_grade.py --students 50000 --items 56

Builds a paper of N exam items from the real banks in three versions (as ``quizkit
paper --versions 3 --seed 7 --count N`` would), simulates a class with the same model
as data/sample (quizkit.grading.simulate), writes its responses CSV to a
temporary folder, then grades it exactly as ``quizkit grade`` does and prints the time
of each step. The banks are loaded first and timed apart: loading and validating them
(with the seed-text quote checks) costs the same for any class size.

Timed ("grading total"): reading and checking the CSV, checking the key against the
banks, scoring every answer, the full item analysis (difficulty, corrected
point-biserial, upper/lower 27 % D, option use by group, KR-20, SEM) and writing
scores.csv, items.csv, test.csv and exceptions.csv. The HTML report with its two plots
is timed on its own line, including the import of matplotlib (most of its cost).

Memory: the process's peak resident size (getrusage; includes Python, numpy, the banks
and the simulation), and the peak of memory allocated while grading, measured with
tracemalloc in a second, untimed run (tracemalloc slows what it watches).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from quizkit.grading import analyse, grade, paper_key, read_responses, write_tables
from quizkit.grading.simulate import ClassSimulator, class_rows, write_responses
from quizkit.paper import make_versions
from quizkit.paper.key import write_key
from quizkit.project import load_catalog
from quizkit.select import Selection, select_items

ROOT = Path(__file__).resolve().parent.parent


def grade_class(responses: Path, key_rows, banks, key_path: Path, out: Path,
                timings: list | None = None):
    """The steps of ``quizkit grade`` after the banks are loaded, each timed."""
    def step(name, started):
        if timings is not None:
            timings.append((name, time.perf_counter() - started))
        return time.perf_counter()

    t = time.perf_counter()
    sheet = read_responses(responses)
    t = step("read responses CSV", t)
    key = paper_key(key_rows, banks, key_path)
    t = step("check key against banks", t)
    graded = grade(sheet, key)
    t = step("score answers", t)
    result = analyse(graded)
    t = step("item + test analysis", t)
    out.mkdir()
    write_tables(result, out)
    step("write CSV tables", t)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    t = time.perf_counter()
    banks = load_catalog([ROOT / "quizzes"])
    load_time = time.perf_counter() - t
    pool = select_items(banks, Selection(pool="exam"))
    if args.items > len(pool):
        print(f"the exam pool holds {len(pool)} items; ask for at most that many",
              file=sys.stderr)
        return 2
    items = select_items(banks, Selection(pool="exam", count=args.items,
                                          seed=f"quizkit-paper:{args.seed}"))
    versions = make_versions(items, banks, args.versions, args.seed)
    key_rows = [row for version in versions for row in version.key_rows()]

    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        folder = Path(tmp)
        key_path = folder / "key.csv"
        write_key(key_rows, key_path)
        t = time.perf_counter()
        simulator = ClassSimulator(key_rows, {item.id: item for item in items},
                                   seed=f"bench:{args.seed}")
        responses = folder / "responses.csv"
        write_responses(class_rows(simulator, args.students), args.items, responses)
        simulate_time = time.perf_counter() - t
        size_mb = responses.stat().st_size / 1e6

        timings: list[tuple[str, float]] = []
        result = grade_class(responses, key_rows, banks, key_path, folder / "out", timings)
        total = sum(seconds for _, seconds in timings)

        t = time.perf_counter()
        from quizkit.grading.report import write_report
        write_report(result, folder / "out" / "report.html")
        report_time = time.perf_counter() - t
        report_kb = (folder / "out" / "report.html").stat().st_size / 1e3

        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        grade_class(responses, key_rows, banks, key_path, folder / "out-traced")
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    graded = result.graded
    print(f"quizkit grade benchmark: {args.students:,} students × {args.items} items, "
          f"{args.versions} versions ({size_mb:.1f} MB CSV; {len(graded.student_ids):,} "
          f"graded, {len(graded.exceptions)} set aside; KR-20 {result.test.kr20:.3f})")
    print()
    width = 34
    print(f"{'step':<{width}} {'seconds':>8}")
    print(f"{'-' * width} {'-' * 8}")
    print(f"{'(load + validate banks, untimed)':<{width}} {load_time:>8.3f}")
    print(f"{'(simulate class + write CSV)':<{width}} {simulate_time:>8.3f}")
    for name, seconds in timings:
        print(f"{name:<{width}} {seconds:>8.3f}")
    print(f"{'grading total':<{width}} {total:>8.3f}")
    print(f"{'HTML report (incl. matplotlib)':<{width}} {report_time:>8.3f}  ({report_kb:.0f} kB)")
    print(f"{'grading + report':<{width}} {total + report_time:>8.3f}")
    print()
    print(f"{'memory':<{width}} {'MB':>8}")
    print(f"{'-' * width} {'-' * 8}")
    print(f"{'peak allocated while grading':<{width}} {traced_peak / 1e6:>8.1f}")
    print(f"{'peak resident, whole process':<{width}} {peak_rss_mb:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
