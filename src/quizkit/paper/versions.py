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

from ..catalog import Catalog
from ..errors import QuizkitError
from ..model import Item
from ..notation import LETTERS, answer_in_paper_notation, choice_count
from ..sets import flatten, units
from ..shuffle import never_self_answering
from .key import KeyRow

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
        raise QuizkitError.usage(f"quizkit paper: the number of versions must be 1 to "
                                 f"{MAX_VERSIONS} (got {count})")
    return LETTERS[:count]


def shuffled_choices(rng: random.Random, item: Item) -> tuple[int, ...]:
    """The bank indices in the order they are lettered on this version."""
    order = list(range(choice_count(item)))
    rng.shuffle(order)
    if item.type in ("order", "match"):
        order = never_self_answering(order)
    return tuple(order)


def make_versions(items: Sequence[Item], catalog: Catalog, count: int,
                  seed: int | str) -> list[PaperVersion]:
    """``count`` versions of ``items``, each with its own question order and option
    letters, drawn from a generator seeded with (seed, version letter). A set of items
    that share a passage moves as one block and keeps its own order."""
    versions = []
    groups = units(items)
    for letter in version_letters(count):
        rng = random.Random(f"quizkit-paper:{seed}:{letter}")
        if all(len(group) == 1 for group in groups):
            order = list(items)  # no sets: the same draw as before sets existed
            rng.shuffle(order)
        else:
            shuffled = list(groups)
            rng.shuffle(shuffled)
            order = flatten(shuffled)
        questions = tuple(
            PaperQuestion(number, item, catalog.bank_of(item.id).name,
                          shuffled_choices(rng, item))
            for number, item in enumerate(order, start=1))
        versions.append(PaperVersion(letter, questions))
    return versions
