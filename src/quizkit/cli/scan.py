"""``quizkit scan``: read scanned answer sheets into the responses CSV that
``quizkit grade`` reads, with a review of every uncertain decision."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from typing import TextIO

from ..errors import Problem, QuizkitError, display_path
from ..files import write_new_file
from ..scan.defaults import DEFAULT_DPI, default_jobs
from .status import ExitStatus

HELP = "read scanned answer sheets into a responses CSV, with a review of uncertain marks"

DESCRIPTION = """\
Read the answer sheets printed by 'quizkit paper' from scans (multi-page
PDFs, PNG, JPEG or TIFF files, or folders of them) and write the responses CSV that
'quizkit grade' reads, plus a review of everything that is uncertain. Pages may come
in any order, turned or upside down, skewed, shifted or scaled.

examples:
  quizkit scan scans/class-a.pdf --paper paper-exam-seed7/ -o scanned/
  quizkit scan scans/ --paper paper-exam-seed7/ -o scanned-2/ --corrections corrections.csv
  quizkit grade scanned-2/responses.csv --key paper-exam-seed7/key.csv -o grades/

output folder (must not exist or be empty):
  responses.csv  student_id,version,1,2,…: one row per sheet whose code and id were
                 read and whose every bubbled answer is decided; questions answered on
                 the question paper (order, match, text; numeric without
                 --numeric-bubbles) are left empty: type them in before grading
  pages.csv      every page: read / needs review / unreadable (with the reason) /
                 skipped, its version, sheet page, student id
  review.csv     every uncertain decision: page, field, value ("?"), suggestion,
                 reason, fills; fill in the value column and pass it back with
                 --corrections, or use review.html
  review.html    the same with a picture of each bubble group beside its decision,
                 and a button that saves corrections.csv

A bubble is marked when it is mostly dark, blank when nearly white, and uncertain in
between (light marks, erasures, crosses, half fills); two marks on a single-answer
question, two digits in one column, an incomplete student id, a student id on two
sheets, or a missing page of a several-page sheet send the sheet to review: nothing is
guessed. A sheet of another paper set (another test, or this test printed with
another key) or of an unknown version is reported unreadable and never graded.

A number is read from its digit columns left to right, blank columns before or after
it allowed, leading zeros dropped. A sheet longer than one page has the id bubbles on
every page: its pages are joined by version and student id.

corrections file (CSV, page,field,value; re-applied on every run):
  scans.pdf#3,student_id,20240017   scans.pdf#3,12,B   scans.pdf#3,14,   (blank)
  scans.pdf#7,page,skip             (leave a page out)

exit status: 0 written (pages may need review; the summary says so), 2 bad input
(missing scan, paper folder without sheets, a bad corrections file), 1 internal error.
"""

OUTPUTS = ("responses.csv", "pages.csv", "review.csv", "review.html")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scans", nargs="+", metavar="SCAN",
                        help="PDF, PNG, JPEG or TIFF files, or folders of them")
    parser.add_argument("--paper", required=True, metavar="FOLDER",
                        help="the folder 'quizkit paper --sheets' wrote (key.csv, "
                             "sheets.json)")
    parser.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                        help="folder to write into; must not exist or be empty")
    parser.add_argument("--corrections", metavar="FILE",
                        help="decisions to apply (page,field,value), e.g. a filled-in "
                             "review.csv")
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                        help=f"resolution a PDF page is rasterised at (default: "
                             f"{DEFAULT_DPI}); a page that is one scanned image is read "
                             "at its own resolution")
    parser.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                        help="pages read in parallel by N processes (default: the "
                             "number of CPUs, at most 4)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # The image libraries load here, not at start-up: every quizkit command builds
    # this command's parser.
    from tqdm import tqdm

    from ..scan.batch import add_crops, read_all, total_pages
    from ..scan.corrections import NO_CORRECTIONS, read_corrections
    from ..scan.layout import ID_FIELD
    from ..scan.paperset import load_paper
    from ..scan.results import (
        REVIEW, UNREADABLE, assemble, pages_csv, responses_csv, review_csv,
    )
    from ..scan.review import review_html
    from ..scan.sources import check_inputs
    if not 72 <= args.dpi <= 1200:
        raise QuizkitError(Problem("--dpi", None, f"must be 72 to 1200 (got {args.dpi})"))
    paper = load_paper(args.paper)
    files = check_inputs(args.scans)
    corrections = read_corrections(args.corrections) if args.corrections else NO_CORRECTIONS
    folder = Path(args.output)
    _check_output(folder)

    total = total_pages(files)
    print(f"Reading {total} page{'s' if total != 1 else ''} from {len(files)} "
          f"file{'s' if len(files) != 1 else ''} (paper set {paper.code}) …", file=err)
    with tqdm(total=total, unit="page", file=err, disable=None, leave=False) as bar:
        outcomes = list(read_all(files, paper, dpi=args.dpi, jobs=max(1, args.jobs),
                                 progress=bar.update))
    result = assemble(outcomes, paper, corrections)
    add_crops([(page.outcome, ID_FIELD) for page in result.pages if page.sheet_problems],
              files, paper, args.dpi)
    if result.correction_problems:
        raise QuizkitError([Problem(corrections.path, line, rule)
                            for line, rule in result.correction_problems])

    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    contents = {"responses.csv": responses_csv(result), "pages.csv": pages_csv(result),
                "review.csv": review_csv(result),
                "review.html": review_html(result, title=f"Scan review: {paper.settings.title}"
                                           if paper.settings.title else "Scan review")}
    try:
        for name in OUTPUTS:
            write_new_file(folder / name, contents[name])
    except BaseException:
        if created:
            shutil.rmtree(folder, ignore_errors=True)  # made by this run: ours to remove
        raise

    for line in summary(result):
        print(line, file=out)
    print(f"Wrote {display_path(folder)}{os.sep}: {', '.join(OUTPUTS)}", file=out)
    if result.count(REVIEW) or result.count(UNREADABLE):
        print(f"warning: {result.count(REVIEW)} page(s) need review and "
              f"{result.count(UNREADABLE)} could not be read; open "
              f"{display_path(folder / 'review.html')}", file=err)
    return ExitStatus.OK


def _check_output(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise QuizkitError(Problem(display_path(folder), None, "the output folder exists and "
                                   "is not empty; choose a new one with -o (results are "
                                   "never overwritten)"))


def summary(result) -> list[str]:
    from ..scan.results import REVIEW, SKIPPED, UNREADABLE

    lines = [f"{len(result.pages)} pages: {result.count('read')} read, "
             f"{result.count(REVIEW)} need review, {result.count(UNREADABLE)} unreadable, "
             f"{result.count(SKIPPED)} skipped; {len(result.rows)} responses rows"]
    for page in result.pages:
        if page.status == UNREADABLE:
            lines.append(f"  unreadable: {page.ref}: {'; '.join(page.reasons)}")
    for student, refs in sorted(result.duplicates.items()):
        lines.append(f"  duplicate student id {student}: {', '.join(refs)}")
    return lines
