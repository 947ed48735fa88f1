"""The one selection engine: which items a quiz page, an answer key, an export, a
paper test or a benchmark takes from the catalog.

Items come in bank order, then item order: those of the asked banks and pool, then
those carrying any of the tags, then those named by id (when ids are given); then
``count`` of them: the first ``count``, or ``count`` picked by ``seed`` (kept in
order). Naming a bank or id that matches nothing, or asking for more items than the
selection holds, is an error rather than a smaller quiz: an instructor who mistypes
an id must hear about it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .catalog import Catalog
from .errors import Problem, QuizkitError
from .model import POOLS, Item

POOL_CHOICES = (*POOLS, "all")


@dataclass(frozen=True)
class Selection:
    """Which items to take. Empty tuples mean "no restriction"."""

    banks: tuple[str, ...] = ()
    pool: str = "exam"  # "self-check", "exam" or "all"
    tags: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    count: int | None = None
    seed: str | None = None  # with count: pick count items by this seed, not the first


def select_items(catalog: Catalog, selection: Selection, *, asker: str = "") -> list[Item]:
    """The items ``selection`` asks for; a ``QuizkitError`` (each rule prefixed with
    ``asker``, such as "quizkit export") when it names what does not exist or asks for
    too many."""
    problems: list[Problem] = []

    def problem(rule: str) -> None:
        problems.append(Problem("", None, f"{asker}: {rule}" if asker else rule))

    for name in selection.banks:
        if not catalog.has_bank(name):
            problem(f"no bank named {name!r} (known: {', '.join(sorted(catalog.names))})")
    if selection.pool not in POOL_CHOICES:
        problem(f"pool must be one of {', '.join(POOL_CHOICES)}")
    if selection.count is not None and selection.count < 1:
        problem("count must be at least 1")
    for item_id in selection.ids:
        if not catalog.has_item(item_id):
            problem(f"no item with id {item_id!r}")
        elif selection.banks and catalog.bank_of(item_id).name not in selection.banks:
            problem(f"item {item_id!r} is not in bank {', '.join(selection.banks)}")
    if problems:
        raise QuizkitError(problems)

    wanted_ids, wanted_tags = set(selection.ids), set(selection.tags)
    chosen = [
        item
        for bank in catalog
        if not selection.banks or bank.name in selection.banks
        for item in bank.in_pool(selection.pool)
        if (not wanted_tags or wanted_tags & set(item.tags))
        and (not wanted_ids or item.id in wanted_ids)
    ]
    if selection.tags and not chosen:
        problem(f"no {selection.pool} item has the tags {', '.join(selection.tags)}")
        raise QuizkitError(problems)
    if selection.count is None:
        return chosen
    if selection.count > len(chosen):
        problem(f"asked for {selection.count} items, but the selection holds only {len(chosen)}")
        raise QuizkitError(problems)
    if selection.seed is None:
        return chosen[: selection.count]
    picked = set(random.Random(f"{selection.seed}:items").sample(range(len(chosen)),
                                                                 selection.count))
    return [item for index, item in enumerate(chosen) if index in picked]
