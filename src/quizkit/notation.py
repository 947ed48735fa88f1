"""Paper notation: how a student writes an answer on a printed test, and how the key
writes it. The one place where letters are made and read.

* single / multiple: options lettered A, B, C … in the version's order; a multiple
  answer is its letters, written in alphabetical order in the key ("AC").
* order: events lettered A, B, C … in the version's order; the answer is the letters
  in chronological order ("CADB").
* match: lefts numbered 1..n in bank order, rights lettered A, B, C … in the
  version's order; the answer is one letter per left, in order ("BAC" = 1→B, 2→A, 3→C).
* numeric: the number ("292"); text: words (the key holds the first accepted answer).

An ``option_order`` says which bank index each letter shows: (2, 0, 1, 3) means A
shows bank option (or event, or right entry) 2.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Item, format_number

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERED_TYPES = ("single", "multiple", "order", "match")

# Students separate letters in all sorts of ways ("A, C", "a c", "A;C"); none of them
# changes the answer.
_LETTER_SEPARATORS = re.compile(r"[\s,;/+]+")


def letter(position: int) -> str:
    """0 → "A", 1 → "B" … (a paper never shows more than 26 choices)."""
    if not 0 <= position < len(LETTERS):
        raise ValueError(f"no letter for position {position}: at most {len(LETTERS)} choices")
    return LETTERS[position]


def written_letters(text: str) -> str:
    """The letters a student wrote, separators dropped, in capitals: "a, c" → "AC"."""
    return _LETTER_SEPARATORS.sub("", text).upper()


def choice_count(item: Item) -> int:
    """How many lettered entries ``item`` shows (0 for numeric and text)."""
    if item.type in ("single", "multiple"):
        return len(item.options)
    if item.type == "order":
        return len(item.events)
    if item.type == "match":
        return len(item.pairs)
    return 0


def answer_in_paper_notation(item: Item, option_order: Sequence[int] = ()) -> str:
    """The right answer as a student writes it, with the entries shown in ``option_order``
    (bank indices by letter; empty means bank order)."""
    order = list(option_order) or list(range(choice_count(item)))
    position_of = {bank_index: pos for pos, bank_index in enumerate(order)}
    if item.type in ("single", "multiple"):
        return "".join(sorted(letter(position_of[i]) for i in item.correct_indices))
    if item.type in ("order", "match"):
        # order: the letter of each event, earliest first (bank order is chronological);
        # match: the letter of each left entry's right, lefts 1..n in bank order.
        return "".join(letter(position_of[i]) for i in range(len(order)))
    if item.type == "numeric" and item.answer is not None:
        return format_number(item.answer.value)
    if item.type == "text" and item.accept:
        return item.accept[0]
    return ""
