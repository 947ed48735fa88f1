"""``quizkit blueprint``: objectives × cognitive levels, counted from the banks."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..blueprint import blueprint, csv_table, markdown
from ..coverage import load_objective_list
from ..errors import QuizkitError, display_path
from ..files import write_new_file
from ..project import load_project
from ..select import POOL_CHOICES
from .options import add_source_arguments
from .status import ExitStatus

HELP = "the exam blueprint: items per objective and cognitive level"

DESCRIPTION = ("Count the items of a pool per objective (rows, grouped by chapter, from "
               "data/objectives.csv) and cognitive level (columns), with totals.")

EPILOG = """\
examples:
  quizkit blueprint                        the exam pool, as a Markdown table
  quizkit blueprint --pool all             both pools together
  quizkit blueprint --format csv -o blueprint.csv

An item that assesses two objectives counts in both rows; the last line counts items,
each once. Items naming an objective the list lacks, or none, and items without a
level are shown in rows and a column of their own. The instructor edition of the book
shows the same table (the quiz-blueprint directive), recounted on every build.

exit status: 0 written, 2 errors in the banks or an existing output file, 1 internal error.
"""

FORMATS = ("md", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("paths", nargs="*", default=["quizzes"], metavar="PATH",
                        help="bank files or folders of banks (default: quizzes)")
    parser.add_argument("--pool", choices=POOL_CHOICES, default="exam",
                        help="the pool to count (default: exam; all: both pools)")
    parser.add_argument("--format", choices=FORMATS, default="md",
                        help="md: a Markdown table (default); csv: one row per objective")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to this new file (default: print)")
    parser.add_argument("--force", action="store_true",
                        help="replace FILE if it exists (default: refuse)")
    add_source_arguments(parser)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    project = load_project(args.paths, data_dir=args.data, seeds_dir=args.seeds)
    if project.errors:
        raise QuizkitError(project.errors)
    objectives, problems = load_objective_list(project.data_dir)
    if problems:
        raise QuizkitError(problems)
    pools = ("self-check", "exam") if args.pool == "all" else (args.pool,)
    plan = blueprint(project.catalog.banks, objectives, pools)
    text = csv_table(plan) if args.format == "csv" else markdown(plan)
    if args.output:
        path = write_new_file(args.output, text, force=args.force)
        print(f"wrote {display_path(path)}: {len(plan.rows)} objectives, {plan.items} items",
              file=out)
    else:
        out.write(text)
    return ExitStatus.OK
