"""Which items a paper test holds, and how each version A, B, C … arranges them.

Everything here is fixed by the seed: the same seed gives the same items, the same
question order and the same option letters on every machine, so a lost key can be
rebuilt and a version reprinted. ``random.Random`` seeded with a string hashes it with
SHA-512, not with Python's per-process randomized ``hash``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from ..keys import LETTERS, KeyRow, answer_in_paper_notation, bank_choice_count
from ..model import Item

MAX_VERSIONS = len(LETTERS)


@dataclass(frozen=True)
class PaperQuestion:
    """One question as printed: ``option_order[k]`` is the bank index shown at letter k
    (options of single/multiple items, events of order items, right entries of match
    items; empty for numeric and text)."""

    number: int
    item: Item
    bank: str
    option_order: tuple[int, ...] = ()

    @property
    def answer(self) -> str:
        """The right answer in paper notation ("B", "AC", "CADB", "292")."""
        return answer_in_paper_notation(self.item, self.option_order)


@dataclass(frozen=True)
class PaperVersion:
    letter: str
    questions: tuple[PaperQuestion, ...]

    def key_rows(self) -> list[KeyRow]:
        return [KeyRow(self.letter, q.number, q.item.id, q.bank, q.item.type, q.answer,
                       q.option_order) for q in self.questions]


def version_letters(count: int) -> str:
    if not 1 <= count <= MAX_VERSIONS:
        raise ValueError(f"the number of versions must be 1 to {MAX_VERSIONS} (got {count})")
    return LETTERS[:count]


def choose_items(items: Sequence[Item], count: int | None, seed: int | str) -> list[Item]:
    """``count`` of ``items`` picked by ``seed`` (all when ``count`` is None), kept in
    the order given: the versions do the shuffling. ``ValueError`` for a bad count."""
    if count is None:
        return list(items)
    if count < 1:
        raise ValueError(f"the number of questions must be at least 1 (got {count})")
    if count > len(items):
        raise ValueError(f"asked for {count} questions, but the selection holds only "
                         f"{len(items)} items")
    picked = set(random.Random(f"quizkit-paper:{seed}:items").sample(range(len(items)), count))
    return [item for index, item in enumerate(items) if index in picked]


def shuffled_choices(rng: random.Random, item: Item) -> tuple[int, ...]:
    """The bank indices in the order they are lettered on this version."""
    order = list(range(bank_choice_count(item)))
    rng.shuffle(order)
    if item.type in ("order", "match") and len(order) > 1 and order == sorted(order):
        # Events listed in chronological order (or rights in the lefts' order) would
        # print their own answer, "ABCD".
        order = order[1:] + order[:1]
    return tuple(order)


def make_versions(items: Sequence[Item], bank_of: dict[str, str], count: int,
                  seed: int | str) -> list[PaperVersion]:
    """``count`` versions of ``items``, each with its own question order and option
    letters, drawn from a generator seeded with (seed, version letter)."""
    versions = []
    for letter in version_letters(count):
        rng = random.Random(f"quizkit-paper:{seed}:{letter}")
        order = list(items)
        rng.shuffle(order)
        questions = tuple(
            PaperQuestion(number, item, bank_of[item.id], shuffled_choices(rng, item))
            for number, item in enumerate(order, start=1))
        versions.append(PaperVersion(letter, questions))
    return versions
