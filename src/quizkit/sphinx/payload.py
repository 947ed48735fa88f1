"""The answer data a self-check needs, kept out of plain view.

Each item's answers, feedback, explanation and source travel in one ``data-qk``
attribute: JSON → UTF-8 → XOR with a key stream derived from the item id → base64.
quiz.js decodes it only when the student presses Check.

This stops casual reading of the page or its source. It is not encryption: anyone
with the browser's developer tools and this description can decode it. Graded exams
must use the exam pool, which the student edition never publishes.
"""

from __future__ import annotations

import base64
import json

from ..model import Item, normalize_answer
from ..shuffle import event_display_order, right_display_order

_MASK32 = 0xFFFFFFFF


def _key_stream(item_id: str, size: int) -> bytes:
    """FNV-1a of the id seeds an xorshift32 generator; quiz.js implements the same."""
    state = 0x811C9DC5
    for byte in f"quizkit:{item_id}".encode("utf-8"):
        state = ((state ^ byte) * 0x01000193) & _MASK32
    state = state or 0x9E3779B9
    stream = bytearray()
    for _ in range(size):
        state ^= (state << 13) & _MASK32
        state ^= state >> 17
        state ^= (state << 5) & _MASK32
        stream.append(state & 0xFF)
    return bytes(stream)


def encode_payload(item_id: str, data: dict) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    mixed = bytes(a ^ b for a, b in zip(raw, _key_stream(item_id, len(raw))))
    return base64.b64encode(mixed).decode("ascii")


def decode_payload(item_id: str, payload: str) -> dict:
    """The inverse of ``encode_payload`` (used by tests and debugging tools)."""
    mixed = base64.b64decode(payload)
    raw = bytes(a ^ b for a, b in zip(mixed, _key_stream(item_id, len(mixed))))
    return json.loads(raw.decode("utf-8"))


def answer_data(item: Item) -> dict:
    """What quiz.js needs to check ``item`` and explain it, keyed by short names.

    Indices refer to the controls as rendered (see ``html.py``): options in bank
    order, events and right-hand sides in their stable shuffled order.
    """
    data: dict = {
        "type": item.type,
        "feedback": {"correct": item.feedback.correct, "incorrect": item.feedback.incorrect},
        "explanation": item.explanation,
        "source": {"id": item.source.id, "quote": item.source.quote,
                   "locator": item.source.locator},
    }
    if item.type in ("single", "multiple"):
        data["correct"] = list(item.correct_indices)
        data["optionFeedback"] = [o.feedback for o in item.options]
    elif item.type == "numeric" and item.answer is not None:
        data["value"], data["tolerance"] = item.answer.value, item.answer.tolerance
    elif item.type == "text":
        data["accept"] = sorted({normalize_answer(a) for a in item.accept})
        data["show"] = item.accept[0]  # the answer shown on "Show answer"
    elif item.type == "order":
        # For each event as shown, its correct position (1 = earliest).
        data["positions"] = [index + 1 for index in event_display_order(item)]
    elif item.type == "match":
        # For each left entry (bank order), the value of its right-hand option.
        shown = right_display_order(item)
        data["matches"] = [shown.index(i) for i in range(len(item.pairs))]
    return data
