"""``quizkit paper``: seeded paper versions A, B, C … of a quiz, with their keys."""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from typing import TextIO

# The module, not the name: cli.py imports this module while it is still loading.
from . import cli
from .errors import display_path
from .paper import (
    DEFAULT_TITLE, choose_items, compile_all, default_folder, find_toolchain, make_versions,
    prepare_folder, write_sources,
)
from .paper.latex import PAPER_SIZES
from .paper.sheet import check_settings, write_sheets
from .paper.xelatex import missing_toolchain_message
from .scan.layout import SheetSettings
from .select import POOL_CHOICES, Selection, load_project_banks, select_items

HELP = "print seeded paper versions A, B, C … of a quiz, with answer keys"

DESCRIPTION = """\
Pick questions from the banks, then write one printable version per letter (A, B,
C …), each with its own question order and option letters, plus an answer key per
version and key.csv (all versions) for grading. The same --seed always gives the same
questions, the same versions and the same files, so a lost key can be rebuilt.

examples:
  quizkit paper --versions 3 --seed 7 --count 20
      20 exam questions from every bank, versions A, B, C, into paper-exam-seed7/
  quizkit paper --versions 2 --seed 7 --bank operation --bank critiques --tag dates
      every exam question of two banks carrying the tag "dates"
  quizkit paper --seed 7 --pool all --title "Midterm, week 6" -o midterm
  quizkit paper --versions 3 --seed 7 --tex-only
      only the .tex files and key.csv, without compiling (no TeX needed)

The folder (default paper-<pool>-seed<seed>/) must not exist or be empty. It gets:
  version-A.tex, version-A.pdf …  what students get: a cover page (name, student id,
                                  instructions), then the questions; no answers
  key-A.tex, key-A.pdf …          per version: number, answer as students write it,
                                  item id, a short explanation
  key.csv                         every version's key, for grading
  sheet-A.pdf …, sheets.json      with --sheets: a bubble answer sheet per version,
                                  read back by 'quizkit scan'
Each file is printed as it is written.

How students answer on paper: single "B"; multiple every correct letter "AC"; order
the letters from earliest to latest "CADB"; match one letter per numbered entry "BAC"
(1→B, 2→A, 3→C); numeric a number; text words.

PDFs are built with XeLaTeX (Debian packages: texlive-xetex latexmk texlive-latex-extra
texlive-fonts-recommended fonts-freefont-otf); the same seed gives the same PDF bytes.
exit status: 0 done, 2 bad input or a LaTeX error (its log is kept in the folder),
1 internal error.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    choose = parser.add_argument_group("which questions")
    choose.add_argument("--pool", choices=POOL_CHOICES, default="exam",
                        help="items of this pool (default: exam)")
    choose.add_argument("--bank", action="append", default=[], metavar="NAME",
                        help="only this bank (repeat for several; default: all banks)")
    choose.add_argument("--tag", action="append", default=[], metavar="TAG",
                        help="only items with this tag (repeat: items with any of them)")
    choose.add_argument("--count", type=int, metavar="N",
                        help="N questions picked from the selection by the seed "
                             "(default: all of them)")
    choose.add_argument("--quizzes", default="quizzes", metavar="PATH",
                        help="bank file or folder of banks (default: quizzes)")
    cli.add_source_arguments(choose)

    shape = parser.add_argument_group("the paper")
    shape.add_argument("--versions", type=int, default=1, metavar="N",
                       help="how many versions, lettered A, B, C … (default: 1)")
    shape.add_argument("--seed", type=int, metavar="N",
                       help="fixes the questions, their order and the option letters "
                            "(default: a random seed, printed so you can reuse it)")
    shape.add_argument("--title", default=DEFAULT_TITLE,
                       help=f'title on the cover and every page (default: "{DEFAULT_TITLE}")')
    shape.add_argument("--paper-size", choices=sorted(PAPER_SIZES), default="a4",
                       help="page size (default: a4)")
    shape.add_argument("-o", "--output", metavar="OUTDIR",
                       help="folder to write into; must not exist or be empty "
                            "(default: paper-<pool>-seed<seed>)")
    shape.add_argument("--tex-only", action="store_true",
                       help="write the .tex files and key.csv without compiling PDFs")

    sheets = parser.add_argument_group("answer sheets for 'quizkit scan'")
    sheets.add_argument("--sheets", action="store_true",
                        help="also write sheet-A.pdf … (bubble answer sheets) and "
                             "sheets.json (drawn directly, without TeX)")
    sheets.add_argument("--id-digits", type=int, default=SheetSettings.id_digits,
                        metavar="N", help="digits of the student id bubbled on the sheet "
                                          f"(default: {SheetSettings.id_digits})")
    sheets.add_argument("--numeric-bubbles", type=int, nargs="?", const=4, default=0,
                        metavar="DIGITS",
                        help="bubble numeric answers as DIGITS columns of digits "
                             "(default when given: 4); whole-number answers only")


@cli.bad_input_exits_2
def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> cli.ExitStatus:
    toolchain = None
    if not args.tex_only:
        # Before anything is written: a folder of .tex files without PDFs is not what
        # was asked for.
        toolchain = find_toolchain()
        if toolchain is None:
            print(missing_toolchain_message(), file=err)
            return cli.ExitStatus.BAD_INPUT
    seed = args.seed
    if seed is None:
        seed = secrets.randbelow(100_000)
    elif seed < 0:
        print(f"quizkit paper: --seed must be 0 or more (got {seed})", file=err)
        return cli.ExitStatus.BAD_INPUT

    banks = load_project_banks([args.quizzes], data_dir=args.data, seeds_dir=args.seeds)
    selection = Selection(banks=tuple(args.bank), pool=args.pool, tags=tuple(args.tag))
    bank_of = {item.id: bank.name for bank in banks for item in bank.items}
    try:
        items = choose_items(select_items(banks, selection), args.count, seed)
        if not items:
            print(f"quizkit paper: no {args.pool} items in the selection", file=err)
            return cli.ExitStatus.BAD_INPUT
        versions = make_versions(items, bank_of, args.versions, seed)
    except ValueError as exc:
        print(f"quizkit paper: {exc}", file=err)
        return cli.ExitStatus.BAD_INPUT

    sheet_settings = None
    if args.sheets:
        sheet_settings = SheetSettings(args.paper_size, args.id_digits, args.numeric_bubbles,
                                       args.title)
        check_settings(sheet_settings)
    folder = Path(args.output) if args.output else default_folder(args.pool, seed)
    prepare_folder(folder)

    def wrote(path: Path) -> None:
        print(display_path(path), file=out, flush=True)

    tex_files = write_sources(versions, folder, title=args.title, paper=args.paper_size,
                              wrote=wrote)
    if sheet_settings is not None:
        write_sheets([row for version in versions for row in version.key_rows()], folder,
                     sheet_settings, wrote=wrote)
    if toolchain is not None:
        compile_all(tex_files, toolchain, wrote=wrote,
                    progress=lambda message: print(message, file=err, flush=True))
    letters = ", ".join(v.letter for v in versions)
    again = "" if args.seed is not None else f" (pass --seed {seed} to rebuild the same paper)"
    print(f"{len(versions)} version{'s' if len(versions) > 1 else ''} ({letters}) of "
          f"{len(items)} questions, seed {seed}{again}, in {display_path(folder)}", file=err)
    return cli.ExitStatus.OK
