"""How fast `quizkit scan` reads scanned answer sheets, and how much memory it needs.

    .venv/bin/python bench/bench_scan.py                   # 100 pages at 200 and 300 dpi,
                                                           # then a 500-page PDF at 200 dpi
    .venv/bin/python bench/bench_scan.py --pages 40 --big 0 --jobs 1

Builds a paper of 40 questions (single, multiple and numeric, bubbled) in two
versions, fills 20 distinct answer patterns with synthetic pen marks
(tests/support/scans.py) and, for every page, a student id of its own, passes each
page through a simulated scanner (slight rotation, noise, some upside down, JPEG at
quality 80) at the resolution measured, and writes them into one PDF of the asked
number of pages. Then it runs the real command in a subprocess:

    .venv/bin/quizkit scan scans.pdf --paper PAPER -o OUT --dpi DPI --jobs N

and prints the wall time, pages per second (decoding each PDF page, Python start-up
and output files included), the CPU time of the command and its workers (pages per
CPU-second: what the machine's load does not change) and the peak resident memory
summed over the process tree (the command and its workers, sampled every 50 ms from
/proc; getrusage's maximum would count this script's own memory, inherited by the
child between fork and exec).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from PIL import Image  # noqa: E402
from reportlab import rl_config  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from support.scans import Answers, degrade, fill_sheet, scan_page, write_paper  # noqa: E402

from quizkit.notation import LETTERS  # noqa: E402
from quizkit.paper.key import KeyRow  # noqa: E402
from quizkit.scan.layout import SheetSettings  # noqa: E402
from quizkit.scan.paperset import load_paper  # noqa: E402

DISTINCT = 20
QUESTIONS = 40


def key_rows() -> list[KeyRow]:
    rows = []
    for version in "AB":
        for q in range(1, QUESTIONS + 1):
            if q % 10 == 0:
                rows.append(KeyRow(version, q, f"b-q{q}", "b", "numeric", str(100 + q)))
            elif q % 4 == 0:
                rows.append(KeyRow(version, q, f"b-q{q}", "b", "multiple", "AC", (0, 1, 2, 3)))
            else:
                rows.append(KeyRow(version, q, f"b-q{q}", "b", "single",
                                   LETTERS[q % 4], (0, 1, 2, 3)))
    return rows


def make_pdf(paper_dir: Path, target: Path, pages: int, dpi: int) -> float:
    """A PDF of ``pages`` scanned pages at ``dpi``; returns the seconds it took."""
    started = time.perf_counter()
    paper = load_paper(paper_dir)
    rng = random.Random(dpi)
    filled = []  # (version, image) with the answers of one of DISTINCT students
    for n in range(DISTINCT):
        version = "AB"[n % 2]
        answers = {str(q): (LETTERS[rng.randrange(4)] if q % 10 else str(rng.randrange(1000)))
                   for q in range(1, QUESTIONS + 1)}
        filled.append((version, scan_page(paper_dir / f"sheet-{version}.pdf",
                                          paper.layouts[(version, 1)], dpi,
                                          Answers("", answers), seed=n, bed=0.0)))
    rl_config.useA85 = 0  # raw JPEG streams, as scanners write them
    canvas = Canvas(str(target), invariant=1)
    for page in range(pages):
        # Every page its own student id, so every sheet can be read in full.
        version, image = filled[page % DISTINCT]
        image = image.copy()
        fill_sheet(image, paper.layouts[(version, 1)], dpi,
                   Answers(f"{20240000 + page:08d}", {}), rng)
        image = degrade(image, rng, angle=rng.uniform(-2, 2), noise=2.0,
                        turn=2 if page % 7 == 3 else 0)
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, "JPEG", quality=80)
        h, w = image.shape
        size = (w * 72 / dpi, h * 72 / dpi)
        canvas.setPageSize(size)
        canvas.drawImage(ImageReader(buffer), 0, 0, *size)
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - started


def _tree_rss(root: int) -> int:
    """Resident kB of ``root`` and all its descendants, from /proc."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


def run_scan(paper_dir: Path, scans: Path, out: Path, dpi: int, jobs: int) -> dict:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    command = [str(Path(sys.executable).parent / "quizkit"), "scan", str(scans), "--paper", str(paper_dir),
               "-o", str(out), "--dpi", str(dpi), "--jobs", str(jobs)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"quizkit scan failed ({process.returncode}):\n{stderr.decode()}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with (out / "pages.csv").open(encoding="utf-8", newline="") as handle:
        pages = list(csv.DictReader(handle))
    read = sum(page["status"] == "read" for page in pages)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime - cpu_before,
            "tree_mb": peak[0] / 1024, "read": read,
            "summary": stdout.decode().splitlines()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100, help="pages per speed run")
    parser.add_argument("--big", type=int, default=500, help="pages of the memory run (0: skip)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-scan-") as temp:
        temp = Path(temp)
        paper_dir = temp / "paper"
        write_paper(paper_dir, key_rows(), SheetSettings(title="Benchmark", numeric_digits=4))
        print(f"paper: {QUESTIONS} questions, 2 versions, {DISTINCT} answer patterns, an id per page; "
                      f"jobs {args.jobs}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        runs = [(args.pages, 200), (args.pages, 300)]
        if args.big:
            runs.append((args.big, 200))
        for pages, dpi in runs:
            scans = temp / f"scans-{pages}-{dpi}.pdf"
            made = make_pdf(paper_dir, scans, pages, dpi)
            result = run_scan(paper_dir, scans, temp / f"out-{pages}-{dpi}", dpi, args.jobs)
            print(f"{pages:4d} pages at {dpi} dpi: {result['wall']:6.1f} s wall, "
                  f"{pages / result['wall']:5.1f} pages/s; CPU {result['cpu']:.1f} s "
                  f"({pages / result['cpu']:.1f} pages per CPU-second); peak RSS "
                  f"{result['tree_mb']:.0f} MB (process tree); PDF "
                  f"{scans.stat().st_size / 1e6:.1f} MB made in {made:.1f} s")
            print(f"      {result['summary']}")
            if result["read"] != pages:
                print(f"      warning: only {result['read']} of {pages} pages read in full")


if __name__ == "__main__":
    main()
