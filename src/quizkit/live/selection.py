"""The one place where ``quizkit live`` asks the project for its items: loading the
banks and choosing from them go through the project's one loader
(``quizkit.project.load_catalog``) and one selection engine (``quizkit.select``), so
a live session picks exactly what an export would.

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

from ..catalog import Catalog
from ..errors import Problem, QuizkitError
from ..model import Item
from ..project import load_catalog
from ..select import Selection, select_items
from ..sets import flatten, units

ASKER = "quizkit live"


@dataclass(frozen=True)
class Chosen:
    items: list[Item]
    catalog: Catalog
    pool: str
    warnings: list[str]


def load_banks(args: argparse.Namespace) -> Catalog:
    return load_catalog(args.quizzes or ["quizzes"], data_dir=args.data, seeds_dir=args.seeds)


def choose_items(args: argparse.Namespace) -> Chosen:
    """The questions of a new session: the self-check pool of one bank by default.

    Exam-pool items are served only with ``--pool exam`` or ``--pool all``, and then
    with a warning: once shown in class they are no longer secret.
    """
    catalog = load_banks(args)
    names = list(args.bank)
    if not names and not args.ids:
        if len(catalog) != 1:
            raise QuizkitError.usage(f"{ASKER}: name the bank to play with --bank (one of "
                                     f"{', '.join(sorted(catalog.names))}), or items with --id")
        names = catalog.names
    pool = args.pool or ("all" if args.ids else "self-check")
    seed = None if args.seed is None else str(args.seed)
    items = select_items(catalog, Selection(banks=tuple(names), pool=pool, tags=tuple(args.tag),
                                            ids=tuple(args.ids), count=args.count, seed=seed),
                         asker=ASKER)
    exam = [item.id for item in items if item.pool == "exam"]
    if exam and args.pool not in ("exam", "all"):
        what = "is an exam item" if len(exam) == 1 else "are exam items"
        raise QuizkitError.usage(f"{ASKER}: {', '.join(exam)} {what}; add --pool exam (or "
                                 "--pool all) to show exam questions to the class")
    if not items:
        raise QuizkitError.usage(f"{ASKER}: no {pool} items match the selection")
    if args.shuffle:
        groups = units(items)  # a set of items sharing a passage moves as one block
        if all(len(group) == 1 for group in groups):
            random.Random(f"{seed}:live-order").shuffle(items)
        else:
            random.Random(f"{seed}:live-order").shuffle(groups)
            items = flatten(groups)
    warnings = []
    if exam:
        warnings.append(f"{len(exam)} exam-pool question{'s' if len(exam) != 1 else ''} will "
                        "be shown to the class: once seen in class they are no longer "
                        "secret")
    return Chosen(items, catalog, pool, warnings)


def _without_lines(value: object) -> object:
    if dataclasses.is_dataclass(value):
        # An item without a passage hashes as it did before passages existed.
        return {f.name: _without_lines(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("line", "lines")
                and not (f.name == "passage" and getattr(value, f.name) is None)}
    if isinstance(value, (list, tuple)):
        return [_without_lines(v) for v in value]
    return value


def fingerprint(item: Item) -> str:
    """A hash of what the item says (not where it sits in its file)."""
    text = json.dumps(_without_lines(item), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def items_of_session(args: argparse.Namespace, recorded: list[dict],
                     code: str) -> tuple[list[Item], Catalog]:
    """The items a stored session was started with, from the banks as they are now;
    a changed or missing item stops a resume or an export with its id named."""
    catalog = load_banks(args)
    problems, items = [], []
    for entry in recorded:
        if not catalog.has_item(entry["id"]):
            problems.append(f"session {code} asked item {entry['id']}, which is no longer "
                            "in the banks")
        elif fingerprint(catalog.item(entry["id"])) != entry["fingerprint"]:
            problems.append(f"item {entry['id']} changed since session {code} started; its "
                            "answers would be judged against another question")
        else:
            items.append(catalog.item(entry["id"]))
    if problems:
        raise QuizkitError([Problem("", None, f"{ASKER}: {rule}") for rule in problems])
    return items, catalog
