"""What students see of an item, how their answers are read, judged and written down.

The key never leaves the server before reveal: ``student_view`` carries the stem and
the choices only. Events of an order item and the right-hand sides of a match item
are sent in their stable shuffled display order (``quizkit.shuffle``, the same as
the book's self-checks) *without* their bank indices, because bank order is the
answer; students answer with display positions and ``read_answer`` maps them back.

Stored answers are plain JSON in bank terms (``stored``); ``Item.is_correct`` (the
grader's own judge) decides, through ``model_response``. ``paper_answer`` writes a
stored answer in the paper notation of ``quizkit.notation`` for a key in bank order, so
``quizkit grade`` reads a live session exactly as it reads a paper test.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from ..model import Item, format_number, normalize_answer
from ..notation import letter
from ..shuffle import event_display_order, right_display_order

MAX_TEXT = 200  # characters of a text answer
MAX_NUMBER = 40  # characters of a numeric answer


class AnswerError(ValueError):
    """An answer that cannot be an answer to this question (a 422, nothing stored)."""


def student_view(item: Item, number: int, total: int) -> dict:
    """The question as a phone shows it: no correct flags, no feedback, no bank order."""
    view: dict = {"number": number, "total": total, "type": item.type, "stem": item.stem}
    if item.passage is not None:  # shown with every item of its set, as plain text
        table = item.passage.table
        view["passage"] = {
            "title": item.passage.title, "paragraphs": item.passage.paragraphs(),
            "table": ({"header": list(table.header), "rows": [list(r) for r in table.rows]}
                      if table is not None else None),
            "source": item.passage.source.citation_text(),
        }
    if item.type in ("single", "multiple"):
        view["options"] = [option.text for option in item.options]
    elif item.type == "numeric":
        view["unit"] = item.unit or ""
    elif item.type == "order":
        view["events"] = [item.events[i] for i in event_display_order(item)]
    elif item.type == "match":
        view["lefts"] = [pair.left for pair in item.pairs]
        view["rights"] = [item.pairs[i].right for i in right_display_order(item)]
    return view


def reveal_view(item: Item) -> dict:
    """What everyone sees after reveal: the answer, the explanation, the source."""
    return {
        "answer": item.answer_lines(),
        "answer_text": item.answer_text(),
        "explanation": item.explanation,
        "source": {"id": item.source.id, "quote": item.source.quote or "",
                   "locator": item.source.locator or ""},
    }


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _index_list(value: object, size: int, what: str) -> list[int]:
    if not isinstance(value, list) or not all(_whole(v) for v in value):
        raise AnswerError(f"{what} must be a list of whole numbers")
    if any(not 0 <= v < size for v in value):
        raise AnswerError(f"{what} must lie between 0 and {size - 1}")
    return value


def _plain_text(value: object, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise AnswerError(f"{what} must be text")
    if len(value) > limit:
        raise AnswerError(f"{what} is longer than {limit} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in " " for c in value):
        raise AnswerError(f"{what} must be one line of text without control characters")
    if not value.strip():
        raise AnswerError(f"{what} is empty")
    return value.strip()


def read_answer(item: Item, wire: object) -> object:
    """``wire`` (what the phone sent) as a stored answer in bank terms, or AnswerError.

    single: an option index; multiple: option indices (at least one); numeric: the
    number as typed; text: the words; order: for each event *as displayed*, its
    position 1..n (each once); match: for each left entry, the *displayed* index of
    its right-hand side.
    """
    if item.type == "single":
        if not _whole(wire) or not 0 <= wire < len(item.options):
            raise AnswerError(f"choose one option, 0 to {len(item.options) - 1}")
        return wire
    if item.type == "multiple":
        chosen = _index_list(wire, len(item.options), "the options chosen")
        if not chosen:
            raise AnswerError("choose at least one option")
        if len(set(chosen)) != len(chosen):
            raise AnswerError("an option is chosen twice")
        return sorted(chosen)
    if item.type == "numeric":
        if isinstance(wire, (int, float)) and not isinstance(wire, bool):
            wire = str(wire)
        text = _plain_text(wire, MAX_NUMBER, "the number")
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            raise AnswerError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise AnswerError(f"{text!r} is not a finite number")
        return value
    if item.type == "text":
        return _plain_text(wire, MAX_TEXT, "the answer")
    if item.type == "order":
        size = len(item.events)
        positions = _index_list([p - 1 if _whole(p) else p for p in wire]
                                if isinstance(wire, list) else wire, size, "the positions")
        if len(positions) != size or sorted(positions) != list(range(size)):
            raise AnswerError(f"give each of the {size} events a different position, 1 to {size}")
        shown = event_display_order(item)
        by_position = sorted(range(size), key=lambda row: positions[row])
        return [shown[row] for row in by_position]
    if item.type == "match":
        size = len(item.pairs)
        picks = _index_list(wire, size, "the matches")
        if len(picks) != size:
            raise AnswerError(f"choose a match for each of the {size} entries")
        shown = right_display_order(item)
        return [shown[p] for p in picks]
    raise AnswerError(f"unknown item type {item.type}")


def wire_answer(item: Item, stored: object) -> object:
    """A stored answer back in the phone's terms (``read_answer``'s inverse), so a
    reconnected page shows what the student gave."""
    if item.type == "numeric":
        return format_number(stored)
    if item.type == "order":
        return [stored.index(index) + 1 for index in event_display_order(item)]
    if item.type == "match":
        shown = right_display_order(item)
        return [shown.index(index) for index in stored]
    return stored


def model_response(item: Item, stored: object) -> object:
    """A stored answer as ``Item.is_correct`` takes it."""
    if item.type == "multiple":
        return set(stored)
    if item.type == "match":
        return dict(enumerate(stored))
    return stored


def judge(item: Item, stored: object) -> bool:
    return item.is_correct(model_response(item, stored))


def paper_answer(item: Item, stored: object) -> str:
    """The stored answer as a student writes it on paper, entries lettered in bank
    order (the order of ``keys.key_from_items``)."""
    if item.type == "single":
        return letter(stored)
    if item.type == "multiple":
        return "".join(sorted(letter(i) for i in stored))
    if item.type in ("order", "match"):
        return "".join(letter(i) for i in stored)
    if item.type == "numeric":
        return format_number(stored)
    return stored


def answer_label(item: Item, stored: object) -> list[str]:
    """Histogram buckets one answer counts in: each option chosen, the number or the
    folded words given, or how many entries of an order or match item are in place."""
    if item.type == "single":
        return [item.options[stored].text]
    if item.type == "multiple":
        return [item.options[i].text for i in stored]
    if item.type == "numeric":
        return [format_number(stored)]
    if item.type == "text":
        return [normalize_answer(stored)]
    right = sum(1 for position, index in enumerate(stored) if index == position)
    return [f"{right} of {len(stored)} in place"]


def histogram(item: Item, answers: Sequence[object], top: int = 8) -> list[dict]:
    """Counts per option (every option, in bank order) or per value given (the most
    frequent first, at most ``top`` bars and an "other" bar)."""
    counts: dict[str, int] = {}
    if item.type in ("single", "multiple"):
        counts = {option.text: 0 for option in item.options}
    elif item.type in ("order", "match"):
        size = len(item.events) if item.type == "order" else len(item.pairs)
        counts = {f"{k} of {size} in place": 0 for k in range(size, -1, -1)}
    for stored in answers:
        for label in answer_label(item, stored):
            counts[label] = counts.get(label, 0) + 1
    bars = [{"label": label, "count": n} for label, n in counts.items()]
    if item.type in ("numeric", "text"):
        bars.sort(key=lambda bar: -bar["count"])
        if len(bars) > top:
            rest = sum(bar["count"] for bar in bars[top - 1:])
            bars = bars[: top - 1] + [{"label": "other answers", "count": rest}]
    if item.type in ("single", "multiple"):
        correct = set(item.correct_indices)
        for index, bar in enumerate(bars):
            bar["correct"] = index in correct
    return bars
