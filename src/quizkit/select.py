"""Choosing items for an export, a paper test or a grading key.

Every instructor tool picks items the same way: load and validate the banks (any
error stops the tool, so a broken bank never reaches an LMS or a printed test), then
keep the items of the asked banks, pool, tags and ids, in bank order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .check import check_paths
from .errors import Problem, QuizkitError
from .model import POOLS, Bank, Item

POOL_CHOICES = (*POOLS, "all")


@dataclass(frozen=True)
class Selection:
    """Which items to take. Empty tuples mean "no restriction"."""

    banks: tuple[str, ...] = ()
    pool: str = "exam"
    tags: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    count: int | None = None  # the first N of the selection, in bank order


def load_project_banks(paths: Iterable[str | Path] = ("quizzes",), *,
                       data_dir: str | Path | None = None,
                       seeds_dir: str | Path | None = None) -> list[Bank]:
    """Valid banks from ``paths``, or a ``QuizkitError`` listing every error.

    Lint warnings do not stop an instructor tool; ``quizkit check`` shows them.
    """
    report = check_paths(paths, data_dir=data_dir, seeds_dir=seeds_dir)
    if report.errors:
        raise QuizkitError(report.errors)
    return [r.bank for r in report.readings if r.bank is not None]


def select_items(banks: Sequence[Bank], selection: Selection) -> list[Item]:
    """The items ``selection`` asks for, in bank order then item order.

    Naming a bank, tag or id that matches nothing is an error rather than an empty
    export: an instructor who mistypes an id must hear about it.
    """
    problems: list[Problem] = []
    known_banks = {bank.name for bank in banks}
    for name in selection.banks:
        if name not in known_banks:
            problems.append(Problem("quizzes", None, f"no bank named {name!r} "
                                    f"(known: {', '.join(sorted(known_banks))})"))
    if selection.pool not in POOL_CHOICES:
        problems.append(Problem("quizzes", None, f"pool must be one of {', '.join(POOL_CHOICES)}"))
    if selection.count is not None and selection.count < 1:
        problems.append(Problem("quizzes", None, "count must be at least 1"))
    all_items = {item.id: item for bank in banks for item in bank.items}
    for item_id in selection.ids:
        if item_id not in all_items:
            problems.append(Problem("quizzes", None, f"no item with id {item_id!r}"))
    if problems:
        raise QuizkitError(problems)

    chosen = [
        item
        for bank in banks
        if not selection.banks or bank.name in selection.banks
        for item in bank.in_pool(selection.pool)
        if (not selection.tags or set(selection.tags) & set(item.tags))
        and (not selection.ids or item.id in selection.ids)
    ]
    if selection.tags and not chosen:
        raise QuizkitError(Problem("quizzes", None,
                                   f"no {selection.pool} item has the tags {', '.join(selection.tags)}"))
    if selection.count is not None:
        if selection.count > len(chosen):
            raise QuizkitError(Problem("quizzes", None, f"asked for {selection.count} items, "
                                       f"but the selection holds only {len(chosen)}"))
        chosen = chosen[: selection.count]
    return chosen
