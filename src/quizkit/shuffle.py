"""Deterministic display orders, so that every build of a page (and every printed
copy) shows the same arrangement, and the arrangement never gives the answer away."""

from __future__ import annotations

import random

from .model import Item


def stable_permutation(seed: str, size: int) -> list[int]:
    """A shuffle of ``range(size)`` fixed by ``seed``, never the identity when size > 1.

    ``random.Random`` seeded with a string is stable across runs and platforms (it
    hashes the string with SHA-512, not with Python's randomized ``hash``).
    """
    order = list(range(size))
    random.Random(seed).shuffle(order)
    return never_self_answering(order)


def never_self_answering(order: list[int]) -> list[int]:
    """``order`` itself, unless it is the identity (events listed in chronological
    order, or right entries in the lefts' order, would print their own answer): then
    rotated by one."""
    if len(order) > 1 and order == sorted(order):
        return order[1:] + order[:1]
    return order


def event_display_order(item: Item) -> list[int]:
    """Indices of ``item.events`` in the order they are shown to students."""
    return stable_permutation(f"{item.id}:events", len(item.events))


def right_display_order(item: Item) -> list[int]:
    """Indices of ``item.pairs`` whose right-hand sides are listed, in display order."""
    return stable_permutation(f"{item.id}:rights", len(item.pairs))
