"""The one selection engine: which items a quiz page, an answer key, an export, a
paper test or a benchmark takes from the catalog.

Items come in bank order, then item order: those of the asked banks and pool, then
those carrying any of the tags, then those named by id (when ids are given); then
``count`` of them: the first ``count``, or ``count`` picked by ``seed`` (kept in
order). A context-dependent set (items sharing a passage) is one unit: its items stay
together, in bank order, and are taken or left whole; ``count`` still counts items, so
a draw skips a set that would not fit and fails if no choice of whole sets gives
exactly ``count``. Naming a bank or id that matches nothing, or asking for more items than the
selection holds, is an error rather than a smaller quiz: an instructor who mistypes
an id must hear about it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .catalog import Catalog
from .errors import Problem, QuizkitError
from .model import POOLS, Item
from .sets import flatten, units

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
    groups = units(chosen)
    chosen = flatten(groups)
    if selection.count is None:
        return chosen
    if selection.count > len(chosen):
        problem(f"asked for {selection.count} items, but the selection holds only {len(chosen)}")
        raise QuizkitError(problems)
    if all(len(group) == 1 for group in groups):  # no sets: the draw as it always was
        if selection.seed is None:
            return chosen[: selection.count]
        picked = set(random.Random(f"{selection.seed}:items").sample(range(len(chosen)),
                                                                     selection.count))
        return [item for index, item in enumerate(chosen) if index in picked]
    order = list(range(len(groups)))
    if selection.seed is not None:
        order = random.Random(f"{selection.seed}:units").sample(order, len(order))
    taken = _exact_draw([len(groups[index]) for index in order], selection.count)
    if taken is None:
        sizes = ", ".join(str(len(g)) for g in groups if len(g) > 1)
        problem(f"cannot take exactly {selection.count} items without splitting a set of "
                f"items that share a passage (set sizes {sizes})")
        raise QuizkitError(problems)
    taken = {order[position] for position in taken}
    return flatten(group for index, group in enumerate(groups) if index in taken)


def _exact_draw(sizes: list[int], count: int) -> set[int] | None:
    """Positions of ``sizes`` that add up to ``count``, preferring earlier positions
    (each is taken whenever the rest can still make up the difference); ``None`` when
    no choice does."""
    # reachable[i]: the totals that positions i, i+1, … can make.
    reachable = [set() for _ in range(len(sizes) + 1)]
    reachable[-1] = {0}
    for position in range(len(sizes) - 1, -1, -1):
        later = reachable[position + 1]
        reachable[position] = later | {t + sizes[position] for t in later
                                       if t + sizes[position] <= count}
    if count not in reachable[0]:
        return None
    taken, left = set(), count
    for position, size in enumerate(sizes):
        if left - size >= 0 and left - size in reachable[position + 1]:
            taken.add(position)
            left -= size
    return taken
