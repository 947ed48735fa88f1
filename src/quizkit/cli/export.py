"""``quizkit export``: questions from the banks as files an LMS imports (Moodle XML,
Moodle GIFT, Canvas QTI), plus a CSV answer key and a Markdown document."""

from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..catalog import Catalog
from ..errors import QuizkitError, display_path
from ..export import DEFAULT_COURSE, FORMATS, Options, Output, save
from ..files import existing_file_problem
from ..model import Item
from ..project import book_settings, load_catalog
from ..select import Selection, select_items
from .options import (
    add_quizzes_argument, add_selection_arguments, add_source_arguments, quizzes_paths,
)
from .status import ExitStatus

HELP = "export questions for Moodle (XML, GIFT) and Canvas (QTI), with a key"

FORMAT_CHOICES = (*FORMATS, "all")

DESCRIPTION = """\
Pick questions from the banks and write them in the formats an LMS imports, plus an
answer key and a readable document. Every question keeps its bank id as its LMS id,
so the same question always has the same identifier.

formats (--format, repeat it or say "all"; default: all):
  moodle    quiz-exam.moodle.xml  Moodle XML: every type, order items as Moodle's
                                  "ordering" questions (standard since Moodle 4.4);
                                  one category per bank, <idnumber> = item id
  gift      quiz-exam.gift.txt    Moodle GIFT: every type but order (GIFT has none)
  qti       quiz-exam.qti.zip     Canvas QTI 1.2 package for a classic quiz: every
                                  type but order (Canvas classic has none)
  csv       quiz-exam-key.csv     answer key: one row per question, the answer in
                                  words, explanation and source
  markdown  quiz-exam.md          every question with answers, feedback,
                                  explanation and source (--no-answers: the
                                  questions only, quiz-exam-questions.md)

examples:
  quizkit export
      every exam question, all five formats, into the current folder
  quizkit export --format moodle --bank operation -o operation.xml
  quizkit export --format gift --format qti --tag dates -o exports/
  quizkit export --format all --pool all --count 20 -o week6/
  quizkit export --format markdown --no-answers --id operation-q03 --id critiques-q11
  quizkit export --format moodle --force     replace quiz-exam.moodle.xml

Items are taken in bank order. --id picks those items whatever their pool (unless
--pool is given). A file that exists is never overwritten: the command refuses and
names it, unless --force. Items a format cannot carry are skipped, each named with
the reason; the rest of the file is written.

Importing:
  Moodle   Question bank > Import, "Moodle XML format" (or "GIFT format"), with
           "Get category from file" ticked. Moodle always adds questions; a
           question whose idnumber is already in the category is added without it.
  Canvas   Settings > Import course content > "QTI .zip file". Tick "Overwrite
           assessment content with matching IDs" to update a quiz imported before.

exit status: 0 written, 2 bad input or a file that already exists, 1 internal error.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    choose = parser.add_argument_group("which questions")
    add_selection_arguments(choose, pool_help="items of this pool (default: exam; with --id: all)",
                            count_help="the first N items of the selection, in bank order")
    choose.add_argument("--id", action="append", default=[], metavar="ID", dest="ids",
                        help="only this item (repeat for several)")
    add_quizzes_argument(choose)
    add_source_arguments(choose)

    write = parser.add_argument_group("what to write")
    write.add_argument("--format", action="append", choices=FORMAT_CHOICES, metavar="FORMAT",
                       dest="formats",
                       help=f"one of {', '.join(FORMAT_CHOICES)} (repeat for several; "
                            "default: all)")
    write.add_argument("-o", "--output", metavar="PATH",
                       help="the file to write (one format), or a folder (several "
                            "formats, or a path ending in /); default: the current "
                            "folder, files named quiz-<pool>… or <bank>-<pool>…")
    write.add_argument("--force", action="store_true",
                       help="overwrite files that already exist")
    write.add_argument("--title", metavar="TEXT",
                       help="quiz title (default: \"<course>: exam questions\", or the "
                            "bank's title when the questions come from one bank)")
    write.add_argument("--course", metavar="NAME",
                       help="Moodle category above the banks' categories (default: the "
                            "book's quizkit_course in _config.yml, else "
                            f"\"{DEFAULT_COURSE}\")")
    write.add_argument("--no-answers", action="store_true",
                       help="Markdown only: the questions without answers or feedback")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    formats = chosen_formats(args.formats)
    if args.no_answers and "markdown" not in formats:
        raise QuizkitError.usage("quizkit export: --no-answers applies to the markdown "
                                 "format; add --format markdown")

    pool = args.pool or ("all" if args.ids else "exam")
    paths = quizzes_paths(args)
    catalog = load_catalog(paths, data_dir=args.data, seeds_dir=args.seeds)
    selection = Selection(banks=tuple(args.bank), pool=pool, tags=tuple(args.tag),
                          ids=tuple(args.ids), count=args.count)
    items = select_items(catalog, selection, asker="quizkit export")
    if not items:
        raise QuizkitError.usage(f"quizkit export: no {pool} items match the selection")

    course = args.course or book_settings(paths[0]).course or DEFAULT_COURSE
    options = Options(title=args.title or default_title(items, catalog, pool, course),
                      course=course, answers=not args.no_answers)
    targets = output_paths(formats, args.output, default_stem(args.bank, pool), options)
    outputs = {name: FORMATS[name].build(items, catalog.banks, options) for name in formats}
    refuse_existing([targets[name] for name in formats if outputs[name].included], args.force)

    status = ExitStatus.OK
    for name in formats:
        output, path = outputs[name], targets[name]
        label = FORMATS[name].label
        for skip in output.skipped:
            print(f"skipped {skip.item_id} ({skip.item_type}) in {label}: {skip.reason}",
                  file=err)
        for note in output.notes:
            print(f"note: {label}: {note}", file=err)
        if not output.included:
            print(f"quizkit export: nothing written for {label}: it can carry none of the "
                  f"{len(items)} selected items", file=err)
            status = ExitStatus.BAD_INPUT
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        save(output, path, force=args.force)
        print(f"wrote {display_path(path)}: {summary(output)}", file=out, flush=True)
    return status


# -- choices and names -------------------------------------------------------------


def chosen_formats(names: list[str] | None) -> list[str]:
    """Format names in the order given, "all" expanded, each once."""
    expanded: list[str] = []
    for name in names or ["all"]:
        for one in (FORMATS if name == "all" else [name]):
            if one not in expanded:
                expanded.append(one)
    return expanded


def default_title(items: list[Item], catalog: Catalog, pool: str, course: str) -> str:
    what = {"exam": "exam questions", "self-check": "self-check questions"}.get(pool, "questions")
    used = {catalog.bank_of(item.id).name: catalog.bank_of(item.id) for item in items}
    source = next(iter(used.values())).title if len(used) == 1 else course
    return f"{source}: {what}"


def default_stem(bank_names: list[str], pool: str) -> str:
    """``quiz-exam``, or ``operation-exam`` when banks are named."""
    return f"{'-'.join(bank_names) or 'quiz'}-{pool}"


def output_paths(formats: list[str], output: str | None, stem: str,
                 options: Options) -> dict[str, Path]:
    """Where each format goes: ``-o`` is a file for one format, else a folder."""
    def in_folder(folder: Path) -> dict[str, Path]:
        return {name: folder / f"{stem}{FORMATS[name].file_suffix(options)}" for name in formats}

    if output is None:
        return in_folder(Path("."))
    path = Path(output)
    if len(formats) > 1 or path.is_dir() or output.endswith(("/", os.sep)):
        if path.exists() and not path.is_dir():
            raise QuizkitError.at(path, None, f"{len(formats)} formats need a folder to write "
                                              "into, but this is a file")
        return in_folder(path)
    return {formats[0]: path}


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Before anything is written: every file that exists, named, unless ``force``."""
    if force:
        return
    problems = [p for p in map(existing_file_problem, paths) if p]
    if problems:
        raise QuizkitError(problems)


def summary(output: Output) -> str:
    """``51 items (5 skipped: 5 order — GIFT has no ordering question type)``."""
    text = f"{len(output.included)} item{'s' if len(output.included) != 1 else ''}"
    if output.skipped:
        reasons = Counter((s.item_type, s.reason) for s in output.skipped)
        why = "; ".join(f"{n} {kind} — {reason}" for (kind, reason), n in reasons.items())
        text += f" ({len(output.skipped)} skipped: {why})"
    return text
