"""``quizkit check``: validate and lint banks, and count what was found."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..project import load_project
from ..sources import SEEDS_ENV
from .options import add_source_arguments
from .status import ExitStatus

HELP = "validate and lint quiz banks"

DESCRIPTION = "Load every bank, report every error and warning with its file and line, then a summary."

EPILOG = f"""\
examples:
  quizkit check                      check every bank in quizzes/
  quizkit check quizzes/operation.yml
  quizkit check quizzes --seeds ../shared/seeds
  quizkit check my_bank.yml --data ../book/data

Problems are printed one per line as "In <file>, line <n>: <rule>"; advice that does
not stop a build is printed as "warning: In …". Warnings include exam items answerable
from a self-check item (a "twin") and, for the banks of a book (its quizkit_bank_dir),
exam answers printed in a solution the student edition shows (hold_solutions aside). Source ids are checked against
data/references.bib and quotes from the five seed documents against their texts in
--seeds DIR (default: ${SEEDS_ENV}, else ../shared/seeds beside the repository); a check
that cannot run is named in a note.

exit status: 0 no errors (warnings allowed), 2 errors in the banks, 1 internal error.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("paths", nargs="*", default=["quizzes"], metavar="PATH",
                        help="bank files or folders of banks (default: quizzes)")
    add_source_arguments(parser)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    project = load_project(args.paths, data_dir=args.data, seeds_dir=args.seeds, lint=True)
    for note in project.notes:
        print(f"note: {note}", file=err)
    for problem in project.problems:
        print(problem, file=out)
    if project.coverage is not None:
        for line in project.coverage.lines():
            print(line, file=out)
    print(project.summary(), file=out)  # last, so scripts can read it from the final line
    return ExitStatus.BAD_INPUT if project.errors else ExitStatus.OK
