"""Context-dependent item sets: the items that share a passage travel together.

A set is the run of items of one passage (``Item.passage``). Whatever arranges items
(selection, paper versions, the live order) moves *units*: a lone item, or a whole
set in bank order. Whatever shows items shows the passage once, before the set's
first item (``passage_runs``); the live class mode shows it with every item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Item, Passage


def units(items: Iterable[Item]) -> list[list[Item]]:
    """``items`` as units: each set gathered at the place of its first item, in the
    order given; every other item alone."""
    result: list[list[Item]] = []
    unit_of: dict[str, list[Item]] = {}
    for item in items:
        if item.passage is None:
            result.append([item])
        elif item.passage.id in unit_of:
            unit_of[item.passage.id].append(item)
        else:
            unit_of[item.passage.id] = [item]
            result.append(unit_of[item.passage.id])
    return result


def flatten(groups: Iterable[Sequence[Item]]) -> list[Item]:
    return [item for group in groups for item in group]


def keep_sets_together(items: Iterable[Item]) -> list[Item]:
    """``items`` with each set's items moved up behind its first one."""
    return flatten(units(items))


def passage_runs(items: Sequence[Item]) -> list[tuple[Passage | None, int, Item]]:
    """For each item: the passage to show before it (``None`` unless it starts a run of
    its passage's items), the length of that run, and the item."""
    runs: list[tuple[Passage | None, int, Item]] = []
    for index, item in enumerate(items):
        passage = item.passage
        starts = passage is not None and (index == 0 or items[index - 1].passage != passage)
        if not starts:
            runs.append((None, 0, item))
            continue
        length = 1
        while index + length < len(items) and items[index + length].passage == passage:
            length += 1
        runs.append((passage, length, item))
    return runs


def set_heading(first: int, length: int) -> str:
    """"Questions 3–5 refer to this passage." (numbers as shown to the student)."""
    if length == 1:
        return f"Question {first} refers to this passage."
    return f"Questions {first}\u2013{first + length - 1} refer to this passage."
