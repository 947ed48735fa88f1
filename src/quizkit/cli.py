"""Command-line entry point: ``quizkit``.

Thin on purpose: each command parses its arguments, calls one library function and
prints the result. Bad input never shows a traceback; it becomes one line per problem
and exit status 2.
"""

from __future__ import annotations

import argparse
import functools
import sys
from enum import IntEnum
from importlib import import_module
from typing import TextIO

from . import __version__
from .check import check_paths
from .errors import QuizkitError
from .project import SEEDS_ENV


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # a bug in quizkit, not in the input
    BAD_INPUT = 2  # the input breaks a rule; the messages say which and where


CHECK_EPILOG = f"""\
examples:
  quizkit check                      check every bank in quizzes/
  quizkit check quizzes/operation.yml
  quizkit check quizzes --seeds ../shared/seeds
  quizkit check my_bank.yml --data ../book/data

Problems are printed one per line as "In <file>, line <n>: <rule>"; advice that does
not stop a build is printed as "warning: In …". Source ids are checked against
data/references.bib and quotes from the five seed documents against their texts in
--seeds DIR (default: ${SEEDS_ENV}, else ../shared/seeds beside the repository); a check
that cannot run is named in a note.

exit status: 0 no errors (warnings allowed), 2 errors in the banks, 1 internal error.
"""


def bad_input_exits_2(run):
    """Wrap a command's ``run`` so that bad input prints its one-line problems and
    returns BAD_INPUT: the same whether the command is called through ``main`` or
    directly, as the tests call it."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        try:
            return run(args, out, err)
        except QuizkitError as exc:
            print(exc, file=err)
            return ExitStatus.BAD_INPUT

    return wrapper


def add_source_arguments(group) -> None:
    """--data and --seeds: where the banks' source ids and quotes are checked."""
    group.add_argument("--data", metavar="DIR",
                       help="folder with references.bib and sources.yml (default: the "
                            "project's data/)")
    group.add_argument("--seeds", metavar="DIR",
                       help="folder of the seed texts, for checking quotes")


# The instructor tools: each module gives HELP, DESCRIPTION, add_arguments(parser) and
# run(args, out, err) -> exit status, so the CLI stays a thin table of commands.
INSTRUCTOR_COMMANDS = {
    "export": "commands_export",
    "paper": "commands_paper",
    "grade": "commands_grade",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizkit",
        description="Turn one quiz bank into self-checks, printed questions, keys, "
                    "LMS exports and graded reports.",
        epilog="Run 'quizkit COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"quizkit {__version__}")
    parser.add_argument("--traceback", action="store_true",
                        help="on an internal error, show the Python traceback")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check", help="validate and lint quiz banks",
        description="Load every bank, report every error and warning with its file "
                    "and line, then a summary.",
        epilog=CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="*", default=["quizzes"], metavar="PATH",
                       help="bank files or folders of banks (default: quizzes)")
    check.add_argument("--data", metavar="DIR",
                       help="folder with references.bib and sources.yml (default: the "
                            "data/ folder of the project that holds the banks)")
    check.add_argument("--seeds", metavar="DIR",
                       help=f"folder of the seed texts (default: ${SEEDS_ENV}, "
                            "else ../shared/seeds beside the repository)")
    check.set_defaults(run=run_check)

    for name, module_name in INSTRUCTOR_COMMANDS.items():
        module = import_module(f".{module_name}", __package__)
        command = commands.add_parser(name, help=module.HELP, description=module.DESCRIPTION,
                                      formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    report = check_paths(args.paths, data_dir=args.data, seeds_dir=args.seeds)
    for note in report.notes:
        print(f"note: {note}", file=err)
    for problem in report.problems:
        print(problem, file=out)
    if report.coverage is not None:
        for line in report.coverage.lines():
            print(line, file=out)
    print(report.summary(), file=out)  # last, so scripts can read it from the final line
    return ExitStatus.BAD_INPUT if report.errors else ExitStatus.OK


def main(argv: list[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse prints it)
        return int(exc.code or 0)
    if not getattr(args, "run", None):
        parser.print_help(out)
        return ExitStatus.OK
    try:
        return int(args.run(args, out, err))
    except QuizkitError as exc:
        print(exc, file=err)
        return ExitStatus.BAD_INPUT
    except KeyboardInterrupt:
        print("quizkit: interrupted", file=err)
        return ExitStatus.ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if args.traceback:
            raise
        print(f"quizkit: internal error: {type(exc).__name__}: {exc} "
              "(run with --traceback for details, and please report it)", file=err)
        return ExitStatus.ERROR


if __name__ == "__main__":
    sys.exit(main())
