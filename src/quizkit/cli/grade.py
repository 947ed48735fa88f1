"""``quizkit grade``: grade a responses CSV and write scores, item analysis and a report."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import TextIO

from ..errors import display_path
from ..files import new_folder, refuse_existing_folder
from ..project import load_catalog
from ..grading.key import INVALID_POLICIES
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
  notes.csv       answers graded with a remark: line, student_id, version, question,
                  answer, note (spoiled and scored 0; a number read with a decimal comma)
  report.html     the same, with plots, flagged items and advice (unless --no-report)
The folder appears complete or not at all. A cell that a spreadsheet would run as a
formula (it starts with = + - @) is written with a leading ' so that it shows as text.

Rows that break a rule (empty student_id, unknown version, a student_id on several
rows: all of them) are set aside in exceptions.csv with their line, and the rest is
graded: rows read = rows graded + rows set aside. An answer that cannot be an answer
to its question ("E" on a four-option question, "AB" on a single-answer one, an order
with a letter missing, an ambiguous number) sets its row aside too, or, with
--invalid-answers wrong, scores 0 with a line in notes.csv. Letters may be written
"AC", "a, c", "(A)" or "A.". Numbers: "1,440" is 1440, "1,44" is 1.44 (a comma that
cannot group thousands is a decimal comma; noted), "1 44" or "1_44" is ambiguous;
--decimal-comma reads "1,440" as 1.44 and "1.440" as 1440.

A problem with the file itself (not UTF-8, empty, no student rows, a bad header, an
unknown question column) stops with one line "In <file>, line <n>: <rule>" and writes
nothing. A UTF-8 byte-order mark ("CSV UTF-8" from a spreadsheet) and cells separated
by semicolons or tabs (a spreadsheet set to another language) are accepted with a
note.

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
    parser.add_argument("--invalid-answers", choices=INVALID_POLICIES, default="set-aside",
                        help="an answer that cannot be an answer to its question (\"AB\" "
                             "on a single-answer question, an ambiguous number): set-aside "
                             "sets the student's row aside in exceptions.csv (the default); "
                             "wrong scores it 0 and lists it in notes.csv")
    parser.add_argument("--decimal-comma", action="store_true",
                        help="numbers use a decimal comma (1,44 = 1.44; 1.440 = 1440); by "
                             "default a comma groups thousands (1,440 = 1440) and only a "
                             "comma that cannot (1,44) is read as a decimal comma")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # numpy and pandas: loaded only when grading, so that other commands start fast.
    from ..grading.analysis import analyse
    from ..grading.key import bank_key, paper_key, read_key
    from ..grading.responses import read_responses
    from ..grading.scoring import grade
    from ..grading.tables import summary_lines, write_tables

    started = time.perf_counter()
    outdir = Path(args.output) if args.output else Path(f"{Path(args.responses).stem}-graded")
    refuse_existing_folder(outdir)

    sheet = read_responses(args.responses)
    catalog = load_catalog(quizzes_paths(args), data_dir=args.data, seeds_dir=args.seeds)
    if args.bank_key:
        key = bank_key(sheet, catalog)
    else:
        key = paper_key(read_key(args.key), catalog, args.key)
    graded = grade(sheet, key, invalid_answers=args.invalid_answers,
                   decimal_comma=args.decimal_comma)
    del sheet  # the cells as read: not needed any more, and the biggest thing in memory
    result = analyse(graded)
    for note in graded.notes:
        print(f"note: {note}", file=err)

    with new_folder(outdir) as folder:  # all files, or none
        written = write_tables(result, folder)
        if not args.no_report:
            from ..grading.report import write_report

            written.append(write_report(result, folder / "report.html"))

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
        print(f"In {graded.responses}: none of the {graded.rows_read} rows could be graded; see "
              f"{display_path(outdir / 'exceptions.csv')}", file=err)
        return ExitStatus.BAD_INPUT
    return ExitStatus.OK



