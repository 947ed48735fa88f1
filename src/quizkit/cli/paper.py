"""``quizkit paper``: seeded paper versions A, B, C … of a quiz, with their keys."""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from typing import TextIO

from ..errors import QuizkitError, display_path
from ..paper import (
    DEFAULT_TITLE, compile_all, default_folder, find_toolchain, make_versions,
    prepare_folder, remove_written, write_sources,
)
from ..paper.latex import PAPER_SIZES
from ..paper.xelatex import missing_toolchain_message
from ..project import book_settings, load_catalog
from ..select import Selection, select_items
from .options import (
    add_quizzes_argument, add_selection_arguments, add_source_arguments, quizzes_paths,
)
from ..scan.layout import SheetSettings
from .status import ExitStatus

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
  sheet-A.pdf …, sheets.json      a bubble answer sheet per version, read back by
                                  'quizkit scan' (--no-sheets leaves them out)
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
    add_selection_arguments(choose, pool_help="items of this pool (default: exam)",
                            count_help="N questions picked from the selection by the seed "
                                       "(default: all of them)")
    add_quizzes_argument(choose)
    add_source_arguments(choose)

    shape = parser.add_argument_group("the paper")
    shape.add_argument("--versions", type=int, default=1, metavar="N",
                       help="how many versions, lettered A, B, C … (default: 1)")
    shape.add_argument("--seed", type=int, metavar="N",
                       help="fixes the questions, their order and the option letters "
                            "(default: a random seed, printed so you can reuse it)")
    shape.add_argument("--title",
                       help="title on the cover and every page (default: the book's "
                            f'quizkit_paper_title in _config.yml, else "{DEFAULT_TITLE}")')
    shape.add_argument("--paper-size", choices=sorted(PAPER_SIZES), default="a4",
                       help="page size (default: a4)")
    shape.add_argument("-o", "--output", metavar="OUTDIR",
                       help="folder to write into; must not exist or be empty "
                            "(default: paper-<pool>-seed<seed>)")
    shape.add_argument("--tex-only", action="store_true",
                       help="write the .tex files and key.csv without compiling PDFs")

    sheets = parser.add_argument_group("answer sheets for 'quizkit scan'")
    sheets.add_argument("--sheets", action=argparse.BooleanOptionalAction, default=True,
                        help="also write sheet-A.pdf … (bubble answer sheets) and "
                             "sheets.json, drawn directly, without TeX (default: on; "
                             "--no-sheets leaves them out)")
    sheets.add_argument("--id-digits", type=int, default=SheetSettings.id_digits,
                        metavar="N", help="digits of the student id bubbled on the sheet "
                                          f"(default: {SheetSettings.id_digits})")
    sheets.add_argument("--numeric-bubbles", type=int, nargs="?", const=4, default=0,
                        metavar="DIGITS",
                        help="bubble numeric answers as DIGITS columns of digits "
                             "(default when given: 4); whole-number answers only")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    toolchain = None
    if not args.tex_only:
        # Before anything is written: a folder of .tex files without PDFs is not what
        # was asked for.
        toolchain = find_toolchain()
        if toolchain is None:
            raise QuizkitError.usage(missing_toolchain_message())
    seed = args.seed
    if seed is None:
        seed = secrets.randbelow(100_000)
    elif seed < 0:
        raise QuizkitError.usage(f"quizkit paper: --seed must be 0 or more (got {seed})")

    pool = args.pool or "exam"
    paths = quizzes_paths(args)
    catalog = load_catalog(paths, data_dir=args.data, seeds_dir=args.seeds)
    selection = Selection(banks=tuple(args.bank), pool=pool, tags=tuple(args.tag),
                          count=args.count, seed=f"quizkit-paper:{seed}")
    items = select_items(catalog, selection, asker="quizkit paper")
    if not items:
        raise QuizkitError.usage(f"quizkit paper: no {pool} items in the selection")
    versions = make_versions(items, catalog, args.versions, seed)
    title = args.title or book_settings(paths[0]).paper_title or DEFAULT_TITLE

    sheet_settings = None
    if args.sheets:
        # reportlab and the QR library load only when sheets are drawn.
        from ..paper.sheet import check_settings, write_sheets

        sheet_settings = SheetSettings(args.paper_size, args.id_digits, args.numeric_bubbles,
                                       title)
        check_settings(sheet_settings)
    folder = Path(args.output) if args.output else default_folder(pool, seed)
    created = prepare_folder(folder)

    def wrote(path: Path) -> None:
        print(display_path(path), file=out, flush=True)

    try:
        tex_files = write_sources(versions, folder, title=title, paper=args.paper_size,
                                  wrote=wrote)
        if sheet_settings is not None:
            write_sheets([row for version in versions for row in version.key_rows()],
                         folder, sheet_settings, wrote=wrote)
    except BaseException:
        # Nothing half-written stays behind: the next run must not find it.
        remove_written(folder, created)
        raise
    if toolchain is not None:
        # A LaTeX error keeps the folder: its log is there, named in the message.
        compile_all(tex_files, toolchain, wrote=wrote,
                    progress=lambda message: print(message, file=err, flush=True))
    letters = ", ".join(v.letter for v in versions)
    again = "" if args.seed is not None else f" (pass --seed {seed} to rebuild the same paper)"
    print(f"{len(versions)} version{'s' if len(versions) > 1 else ''} ({letters}) of "
          f"{len(items)} questions, seed {seed}{again}, in {display_path(folder)}", file=err)
    return ExitStatus.OK
