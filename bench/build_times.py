"""Build times of the student book: cold, unchanged, and after one chapter changes.

Works on a copy of the repository in a temporary folder, so that it never deletes or
disturbs the real ``_build``: the copy gets a symlink to this repository's ``.venv``
(the environment must already be installed: ``make env``) and runs the same
``make book`` as everyone else. Three measurements, each repeated ``--runs`` times
(the median is printed, with the fastest and slowest run):

* cold: ``_build`` removed, then ``make book``;
* nothing changed: ``make book`` again;
* one chapter changed: ``touch chapters/<chapter>.ipynb``, then ``make book``.

    .venv/bin/python bench/build_times.py [--runs 3] [--chapter 02_operation]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Never copied: the environment (linked instead), build outputs, caches, history.
SKIP = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", "__pycache__",
                              "*.egg-info", ".ipynb_checkpoints")
STAMP = ".venv/.installed-from-lock"


def make_book(book: Path, env: dict[str, str]) -> float:
    """Seconds for one ``make book``; ``-o`` keeps make from ever reinstalling the
    shared environment, whatever the copy's timestamps say."""
    start = time.perf_counter()
    result = subprocess.run(["make", "-o", STAMP, "book"], cwd=book, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:])
        raise SystemExit(f"make book failed in {book} (exit {result.returncode})")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="repetitions of each measurement")
    parser.add_argument("--chapter", default=None,
                        help="notebook to touch, e.g. 02_operation (default: the first "
                             "chapter notebook)")
    args = parser.parse_args()
    if not (ROOT / ".venv" / "bin" / "jupyter-book").exists():
        parser.error("no .venv with jupyter-book: run `make env` first")
    notebooks = sorted((ROOT / "chapters").glob("0*.ipynb"))
    chapter = f"chapters/{args.chapter}.ipynb" if args.chapter else (
        notebooks[0].relative_to(ROOT).as_posix() if notebooks else None)
    if chapter is None or not (ROOT / chapter).exists():
        parser.error(f"no chapter notebook {chapter!r}")

    env = dict(os.environ)
    # The verification seeds live beside the repository; the copy must see the same ones.
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        env.setdefault("QUIZKIT_SEEDS", str(seeds))

    times: dict[str, list[float]] = {"cold (no _build)": [], "nothing changed": [],
                                     f"one chapter changed ({Path(chapter).name})": []}
    labels = list(times)
    with tempfile.TemporaryDirectory(prefix="book-times-") as tmp:
        book = Path(tmp) / "book"
        shutil.copytree(ROOT, book, ignore=SKIP, symlinks=True)
        (book / ".venv").symlink_to(ROOT / ".venv")
        for _ in range(args.runs):
            shutil.rmtree(book / "_build", ignore_errors=True)
            times[labels[0]].append(make_book(book, env))
            times[labels[1]].append(make_book(book, env))
            (book / chapter).touch()
            times[labels[2]].append(make_book(book, env))

    print(f"`make book` (student edition), {args.runs} run(s) each, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    header = f"{'build':<44} {'median s':>9} {'min s':>7} {'max s':>7}"
    print(header)
    print("-" * len(header))
    for label, values in times.items():
        print(f"{label:<44} {statistics.median(values):>9.1f} {min(values):>7.1f} "
              f"{max(values):>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
