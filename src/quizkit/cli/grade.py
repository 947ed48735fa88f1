"""``quizkit grade``: grade a responses CSV and write scores, item analysis and a report."""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path
from typing import TextIO

from ..errors import Problem, QuizkitError, display_path
from ..files import os_reason
from ..grading import (
    analyse, bank_key, grade, paper_key, read_key, read_responses, summary_lines,
    write_tables,
)
from ..project import load_catalog
from .options import add_quizzes_argument, add_source_arguments, quizzes_paths
from .status import ExitStatus

HELP = "grade a responses CSV: scores, item analysis, report"

DESCRIPTION = """\
Grade a class from a responses CSV and the key of the paper they sat, and write
scores, an item analysis (difficulty, discrimination, option use, KR-20) and a
self-contained HTML report into a new folder.

The responses file is UTF-8 with the header student_id,version,1,2,…,N: one row per
student, one column per question number of the paper, holding what the student wrote
("B", "AC", "292", "CADB"). A blank cell is unanswered (scored wrong). version may be
left out when the key has a single version. With --bank-key the question columns are
item ids instead, options lettered in bank order.

examples:
  quizkit grade responses.csv --key key.csv -o grades
  quizkit grade responses.csv --key key.csv --quizzes quizzes -o grades-2024
  quizkit grade quick_quiz.csv --bank-key -o quick-quiz-grades
  quizkit grade data/sample/responses.csv --key data/sample/key.csv -o /tmp/sample-grades

output folder (must not exist; it is created, never overwritten):
  scores.csv      student_id, version, score, max, percent, answered, then one 0/1
                  column per question number of the student's own paper
  items.csv       per item (across versions): n, difficulty, point_biserial (corrected),
                  discrimination (D, upper-lower 27%), upper_p, lower_p, flags,
                  correct_options, option<i>_upper/_lower (bank option i), blank_upper/_lower
  test.csv        students, items, mean, sd (population), kr20, sem, group size
  exceptions.csv  rows not graded: line, student_id, version, reason
  report.html     the same, with plots, flagged items and advice (unless --no-report)

Rows that break a rule (empty student_id, unknown version, a student_id on several
rows: all of them, an answer that cannot be an answer, such as "E" on a four-option
question) are set aside in exceptions.csv with their line, and the rest is graded:
rows read = rows graded + rows set aside. A problem with the file itself (not UTF-8,
empty, no student rows, a bad header, an unknown question column) stops with one line
"In <file>, line <n>: <rule>" and writes nothing. A UTF-8 byte-order mark ("CSV UTF-8"
from a spreadsheet) is accepted with a note.

Flags: too easy p > 0.9, too hard p < 0.2, negative discrimination (corrected
point-biserial < 0). Upper and lower groups: round(0.27 N) students each, ties at the
cut sharing the places left.

exit status: 0 graded (rows may be set aside; the summary says so), 2 bad input or no
row could be graded, 1 internal error.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = DESCRIPTION
    parser.add_argument("responses", metavar="RESPONSES.csv",
                        help="the students' answers: student_id,version,1,2,…")
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument("--key", metavar="KEY.csv",
                     help="the key written by 'quizkit paper' (all versions in one file)")
    key.add_argument("--bank-key", action="store_true",
                     help="no paper key: the question columns are item ids and options "
                          "are lettered in bank order")
    add_quizzes_argument(parser)
    add_source_arguments(parser)
    parser.add_argument("-o", "--output", metavar="OUTDIR",
                        help="folder to create for the results; it must not exist "
                             "(default: <RESPONSES name>-graded in the current folder)")
    parser.add_argument("--no-report", action="store_true",
                        help="write the CSV files only, not report.html")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    started = time.perf_counter()
    outdir = Path(args.output) if args.output else Path(f"{Path(args.responses).stem}-graded")
    _refuse_existing(outdir)

    sheet = read_responses(args.responses)
    print(f"Read {len(sheet.rows)} student rows from {sheet.path}", file=err)
    bank_paths = quizzes_paths(args)
    print(f"Loading banks from {', '.join(bank_paths)} …", file=err)
    catalog = load_catalog(bank_paths, data_dir=args.data, seeds_dir=args.seeds)
    if args.bank_key:
        key = bank_key(sheet, catalog)
    else:
        key = paper_key(read_key(args.key), catalog, args.key)

    graded = grade(sheet, key)
    result = analyse(graded)
    for note in graded.notes:
        print(f"note: {note}", file=err)

    _refuse_existing(outdir)  # once more: the banks take a moment to load
    try:
        outdir.mkdir()
    except FileNotFoundError:
        raise QuizkitError(Problem(display_path(outdir.parent), None,
                                   "folder not found: cannot create the output folder "
                                   "inside it")) from None
    except FileExistsError:
        _refuse_existing(outdir)
    except OSError as exc:
        raise QuizkitError(Problem(display_path(outdir), None, "cannot create the output "
                                   f"folder: {os_reason(exc)}")) from None
    try:
        written = write_tables(result, outdir)
        if not args.no_report:
            print("Writing report.html (plots) …", file=err)
            from ..grading.report import write_report  # matplotlib: loaded only when needed

            written.append(write_report(result, outdir / "report.html"))
    except BaseException:
        shutil.rmtree(outdir, ignore_errors=True)  # created above by this run: ours to remove
        raise

    for line in summary_lines(result):
        print(line, file=out)
    print(f"Wrote {display_path(outdir)}{os.sep}: {', '.join(p.name for p in written)}",
          file=out)
    print(f"Done in {time.perf_counter() - started:.1f} s.", file=err)
    if graded.exceptions:
        where = display_path(outdir / "exceptions.csv")
        print(f"warning: {len(graded.exceptions)} row{'s' if len(graded.exceptions) != 1 else ''}"
              f" not graded; see {where}", file=err)
    if not graded.student_ids:
        print(f"In {sheet.path}: none of the {graded.rows_read} rows could be graded; see "
              f"{display_path(outdir / 'exceptions.csv')}", file=err)
        return ExitStatus.BAD_INPUT
    return ExitStatus.OK


def _refuse_existing(outdir: Path) -> None:
    if outdir.exists() or outdir.is_symlink():
        raise QuizkitError(Problem(display_path(outdir), None,
                                   "the output folder already exists; choose a new one "
                                   "with -o (results are never overwritten)"))

