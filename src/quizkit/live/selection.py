"""The one place where ``quizkit live`` asks the project for its items: loading the
banks and choosing from them go through the project's own loader and selection
(``quizkit.select``), so a live session picks exactly what an export would.

Also: a fingerprint per item, so a session resumed (or served by a second process)
refuses to go on if a bank changed under it.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
from dataclasses import dataclass

from ..errors import Problem, QuizkitError
from ..model import Bank, Item
from ..select import Selection, load_project_banks, select_items


@dataclass(frozen=True)
class Chosen:
    items: list[Item]
    banks: list[Bank]
    pool: str
    warnings: list[str]


def load_banks(args: argparse.Namespace) -> list[Bank]:
    return load_project_banks(args.quizzes or ["quizzes"], data_dir=args.data,
                              seeds_dir=args.seeds)


def choose_items(args: argparse.Namespace) -> Chosen:
    """The questions of a new session: the self-check pool of one bank by default.

    Exam-pool items are served only with ``--pool exam`` or ``--pool all``, and then
    with a warning: once shown in class they are no longer secret.
    """
    banks = load_banks(args)
    names = list(args.bank)
    if not names and not args.ids:
        if len(banks) != 1:
            raise QuizkitError(Problem("quizzes", None, "name the bank to play with --bank "
                                       f"(one of {', '.join(sorted(b.name for b in banks))}), "
                                       "or items with --id"))
        names = [banks[0].name]
    pool = args.pool or ("all" if args.ids else "self-check")
    items = select_items(banks, Selection(banks=tuple(names), pool=pool, tags=tuple(args.tag),
                                          ids=tuple(args.ids), count=None))
    exam = [item.id for item in items if item.pool == "exam"]
    if exam and args.pool not in ("exam", "all"):
        raise QuizkitError(Problem("quizzes", None, f"{', '.join(exam)} "
                                   f"{'is an exam item' if len(exam) == 1 else 'are exam items'}; "
                                   "add --pool exam (or --pool all) to show exam questions "
                                   "to the class"))
    if args.shuffle:
        random.Random(args.seed).shuffle(items)
    if args.count is not None:
        if not 1 <= args.count <= len(items):
            raise QuizkitError(Problem("quizzes", None, f"--count must be between 1 and "
                                       f"{len(items)}, the items selected"))
        items = items[: args.count]
    if not items:
        raise QuizkitError(Problem("quizzes", None, f"no {pool} items match the selection"))
    warnings = []
    if exam:
        warnings.append(f"{len(exam)} exam-pool question{'s' if len(exam) != 1 else ''} will "
                        "be shown to the class: once seen in class they are no longer "
                        "secret")
    return Chosen(items, banks, pool, warnings)


def _without_lines(value: object) -> object:
    if dataclasses.is_dataclass(value):
        return {f.name: _without_lines(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("line", "lines")}
    if isinstance(value, (list, tuple)):
        return [_without_lines(v) for v in value]
    return value


def fingerprint(item: Item) -> str:
    """A hash of what the item says (not where it sits in its file)."""
    text = json.dumps(_without_lines(item), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def items_of_session(args: argparse.Namespace, recorded: list[dict], code: str) -> list[Item]:
    """The items a stored session was started with, from the banks as they are now;
    a changed or missing item stops a resume or an export with its id named."""
    by_id = {item.id: item for bank in load_banks(args) for item in bank.items}
    problems, items = [], []
    for entry in recorded:
        item = by_id.get(entry["id"])
        if item is None:
            problems.append(Problem("quizzes", None, f"session {code} asked item {entry['id']}, "
                                    "which is no longer in the banks"))
        elif fingerprint(item) != entry["fingerprint"]:
            problems.append(Problem("quizzes", None, f"item {entry['id']} changed since session "
                                    f"{code} started; its answers would be judged against "
                                    "another question"))
        else:
            items.append(item)
    if problems:
        raise QuizkitError(problems)
    return items
