"""What the commands share: a parser that prints to the streams it is given, and the
options that mean the same everywhere (``--quizzes`` a path, ``--bank`` a name,
``--data`` and ``--seeds``, the item selection)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..select import POOL_CHOICES
from ..sources import SEEDS_ENV


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that writes help and version to ``out`` and usage errors
    to ``err``, so that ``main(argv, out, err)`` prints nothing anywhere else."""

    def __init__(self, *args, out: TextIO | None = None, err: TextIO | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.out, self.err = out, err

    def _print_message(self, message: str, file=None) -> None:
        if not message:
            return
        if file is None or file is sys.stdout:
            file = self.out or sys.stdout
        else:
            file = self.err or sys.stderr
        file.write(message)


def add_quizzes_argument(group) -> None:
    group.add_argument("--quizzes", action="append", metavar="PATH",
                       help="bank file or folder of banks (repeat for several; "
                            "default: quizzes)")


def add_source_arguments(group) -> None:
    """--data and --seeds: where the banks' source ids and quotes are checked."""
    group.add_argument("--data", metavar="DIR",
                       help="folder with references.bib and sources.yml (default: the "
                            "data/ folder of the project that holds the banks)")
    group.add_argument("--seeds", metavar="DIR",
                       help=f"folder of the seed texts, for checking quotes (default: "
                            f"${SEEDS_ENV}, else ../shared/seeds beside the repository)")


def add_selection_arguments(group, *, pool_help: str, count_help: str) -> None:
    """--pool, --bank, --tag and --count: which items of the banks to take."""
    group.add_argument("--pool", choices=POOL_CHOICES, default=None, help=pool_help)
    group.add_argument("--bank", action="append", default=[], metavar="NAME",
                       help="only this bank (repeat for several; default: all banks)")
    group.add_argument("--tag", action="append", default=[], metavar="TAG",
                       help="only items with this tag (repeat: items with any of them)")
    group.add_argument("--count", type=int, metavar="N", help=count_help)


def quizzes_paths(args: argparse.Namespace) -> list[str]:
    return args.quizzes or ["quizzes"]
