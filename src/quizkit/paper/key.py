"""``key.csv``: the answer key of every version of a paper test, as ``quizkit paper``
writes it and ``quizkit grade`` reads it back (``quizkit.grading.key``). Answers are in
paper notation (``quizkit.notation``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..files import write_new_file
from ..model import format_number

KEY_COLUMNS = ("version", "question", "item_id", "bank", "type", "answer",
               "option_order", "points")


@dataclass(frozen=True)
class KeyRow:
    """One question of one paper version.

    ``option_order`` is empty for numeric and text items; ``points`` is 1 unless stated;
    ``line`` is where the row was read from a key file (``None`` for rows built in code).
    """

    version: str
    question: int
    item_id: str
    bank: str
    type: str
    answer: str
    option_order: tuple[int, ...] = ()
    points: float = 1.0
    line: int | None = field(default=None, compare=False)


def key_csv(rows: Iterable[KeyRow]) -> str:
    """The key file's text (UTF-8, "\\n" line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(KEY_COLUMNS)
    for row in rows:
        writer.writerow([row.version, row.question, row.item_id, row.bank, row.type,
                         row.answer, " ".join(map(str, row.option_order)),
                         format_number(row.points)])
    return buffer.getvalue()


def write_key(rows: Iterable[KeyRow], path: str | Path) -> Path:
    """Write ``rows`` to ``path``; an existing file is never overwritten."""
    return write_new_file(path, key_csv(rows))
