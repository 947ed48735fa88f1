"""A readable answer key as CSV, one row per exported item (any type).

For instructors checking an LMS quiz or discussing it: the right answer in words,
the explanation and the source. It is not the lettered ``key.csv`` of printed
versions (``quizkit paper`` writes that one and ``quizkit grade`` reads it); an LMS
shuffles options, so letters would mean nothing here.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..csvfiles import csv_text
from ..model import Bank, Item
from .common import Options, Output, bank_groups

SUFFIX = "-key.csv"
COLUMNS = ("question", "item_id", "bank", "type", "pool", "difficulty", "answer", "points",
           "explanation", "source", "objective")


def to_csv_key(items: Sequence[Item], banks: Sequence[Bank], options: Options = Options()) -> Output:
    rows: list[list[object]] = [list(COLUMNS)]
    number = 0
    ids = []
    for bank, run in bank_groups(items, banks):
        for item in run:
            number += 1
            ids.append(item.id)
            # answer_text() is the model's own wording of the answer: keys never disagree.
            rows.append([number, item.id, bank.name, item.type, item.pool, item.difficulty,
                         item.answer_text(), 1, item.explanation,
                         item.source.citation_text(), item.objective])
    return Output(csv_text(rows).encode("utf-8"), tuple(ids))
