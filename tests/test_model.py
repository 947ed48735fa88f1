"""Item.is_correct and Item.answer_text: the one implementation of correctness."""

from __future__ import annotations

import pytest

from quizkit.model import Bank, Item, NumericAnswer, Option, Pair, Source, normalize_answer
from support.items import make_item

SOURCE = Source("other-book", locator="chapter 2")


def make(item_type: str, **fields) -> Item:
    return make_item(f"t-{item_type}", type=item_type, pool="self-check", stem="s?",
                     source=SOURCE, options=fields.pop("options", ()), **fields)


SINGLE = make("single", options=(Option("a"), Option("b", correct=True), Option("c")))
MULTIPLE = make("multiple", options=(Option("a", True), Option("b"), Option("c", True),
                                     Option("d")))
NUMERIC = make("numeric", answer=NumericAnswer(292, 2), unit="deaths")
EXACT = make("numeric", answer=NumericAnswer(0.3))
TEXT = make("text", accept=("Rah-e-Nijat", "Rah-e-Nijaat"))
ORDER = make("order", events=("first", "second", "third"))
MATCH = make("match", pairs=(Pair("JUI-F", "opposes"), Pair("US", "supports"),
                             Pair("China", "asks for security")))


@pytest.mark.parametrize("item, response, expected", [
    (SINGLE, 1, True),
    (SINGLE, 0, False),
    (SINGLE, 3, False),           # no such option
    (SINGLE, True, False),        # a bool is not an index, even though True == 1
    (SINGLE, "1", False),
    (MULTIPLE, {0, 2}, True),
    (MULTIPLE, [2, 0], True),     # order of choosing does not matter
    (MULTIPLE, {0}, False),       # one missing
    (MULTIPLE, {0, 1, 2}, False), # one too many
    (MULTIPLE, set(), False),
    (MULTIPLE, {0, 9}, False),
    (MULTIPLE, "02", False),
    (NUMERIC, 292, True),
    (NUMERIC, 294, True),         # at the edge of the tolerance
    (NUMERIC, 289.999, False),    # just outside it
    (NUMERIC, "290.5", True),
    (NUMERIC, "1,000", False),
    (NUMERIC, "many", False),
    (NUMERIC, float("nan"), False),
    (NUMERIC, None, False),
    (EXACT, 0.1 + 0.2, True),     # floating-point noise is not a wrong answer
    (EXACT, 0.31, False),
    (TEXT, "Rah-e-Nijat", True),
    (TEXT, "  rah-E-NIJAAT ", True),  # case and extra spaces are ignored
    (TEXT, "rah‑e‑nijat", True),       # non-breaking hyphens typed on a phone
    (TEXT, "Rah e Nijat", False),
    (TEXT, "", False),
    (TEXT, 5, False),
    (ORDER, [0, 1, 2], True),
    (ORDER, (0, 1, 2), True),
    (ORDER, [1, 0, 2], False),
    (ORDER, [0, 1], False),
    (ORDER, {0: 0}, False),
    (MATCH, {0: 0, 1: 1, 2: 2}, True),
    (MATCH, {0: 0, 1: 2, 2: 1}, False),
    (MATCH, {0: 0, 1: 1}, False),
    (MATCH, [0, 1, 2], False),
])
def test_is_correct(item, response, expected):
    assert item.is_correct(response) is expected


def test_text_normalization_spaces_and_quotes():
    assert normalize_answer("  The\u00a0TTP’s   ceasefire ") == "the ttp's ceasefire"


def test_numeric_zero_tolerance_is_exact():
    item = make("numeric", answer=NumericAnswer(292))
    assert item.is_correct(292.0) and not item.is_correct(293)


@pytest.mark.parametrize("item, text", [
    (SINGLE, "b"),
    (MULTIPLE, "a; c"),
    (NUMERIC, "292 (+/- 2) deaths"),
    (EXACT, "0.3"),
    (TEXT, "Rah-e-Nijat (also accepted: Rah-e-Nijaat)"),
    (ORDER, "1. first; 2. second; 3. third"),
    (MATCH, "JUI-F: opposes; US: supports; China: asks for security"),
])
def test_answer_text(item, text):
    assert item.answer_text() == text


def test_items_are_frozen_and_hashable():
    with pytest.raises(AttributeError):
        SINGLE.stem = "changed"  # type: ignore[misc]
    assert hash(SINGLE) == hash(make("single", options=SINGLE.options))


def test_item_problems_name_the_rule():
    bad = make("single", options=(Option("a", True), Option("b", True), Option("a")))
    rules = [v.rule for v in bad.problems()]
    assert any("exactly one correct option" in r for r in rules)
    assert any('duplicate option text "a"' in r for r in rules)


def test_bank_selects_by_pool():
    exam = make("text", accept=("x",))
    exam = Item(**{**exam.__dict__, "id": "t-exam", "pool": "exam"})
    bank = Bank("t", "T", (SINGLE, exam))
    assert bank.in_pool("self-check") == (SINGLE,)
    assert bank.in_pool("exam") == (exam,)
    assert bank.in_pool("all") == (SINGLE, exam)
