"""Command-line entry point: ``quizkit`` (also ``python -m quizkit``).

Thin on purpose: each command module (``check``, ``blueprint``, ``export``, ``paper``,
``grade``, ``live``, ``scan``) gives ``HELP``, ``DESCRIPTION``, ``add_arguments(parser)`` and
``run(args, out, err)``, calls library functions and prints the result. Bad input
never shows a traceback: a ``QuizkitError`` (or an ``OSError`` the library did not turn into one) becomes one
line per problem and exit status 2.
"""

from __future__ import annotations

import argparse
import functools
import sys
from typing import TextIO

from .. import __version__
from ..errors import QuizkitError, display_path
from ..files import os_reason
from . import blueprint, check, export, grade, live, paper, scan
from .options import Parser
from .status import ExitStatus

COMMANDS = {"check": check, "blueprint": blueprint, "export": export, "paper": paper,
            "grade": grade, "live": live, "scan": scan}

__all__ = ["ExitStatus", "build_parser", "main"]


def build_parser(out: TextIO | None = None, err: TextIO | None = None) -> Parser:
    parser = Parser(
        prog="quizkit", out=out, err=err,
        description="Turn one quiz bank into self-checks, printed questions, keys, "
                    "LMS exports and graded reports.",
        epilog="Run 'quizkit COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"quizkit {__version__}")
    parser.add_argument("--traceback", action="store_true",
                        help="on an internal error, show the Python traceback")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=functools.partial(Parser, out=out, err=err))
    for name, module in COMMANDS.items():
        command = commands.add_parser(name, help=module.HELP, description=module.DESCRIPTION,
                                      formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    parser = build_parser(out, err)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse printed it)
        return int(exc.code or 0)
    if not getattr(args, "run", None):
        parser.print_help(out)
        return ExitStatus.OK
    try:
        return int(args.run(args, out, err))
    except QuizkitError as exc:
        print(exc, file=err)
        return ExitStatus.BAD_INPUT
    except OSError as exc:  # a disk full or a permission denied the library did not name
        where = f"In {display_path(exc.filename)}: " if exc.filename else "quizkit: "
        print(f"{where}{os_reason(exc)}", file=err)
        return ExitStatus.BAD_INPUT
    except KeyboardInterrupt:
        print("quizkit: interrupted", file=err)
        return ExitStatus.ERROR
    except Exception as exc:
        if args.traceback:
            raise
        print(f"quizkit: internal error: {type(exc).__name__}: {exc} "
              "(run with --traceback for details, and please report it)", file=err)
        return ExitStatus.ERROR
