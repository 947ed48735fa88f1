"""GIFT fidelity: every item of every bank, and of the special-characters bank, is
exported as GIFT, read back the way Moodle's GIFT importer reads it and graded the way
Moodle's question engine grades it (``lms_gift``, which cites moodle/moodle
question/format/gift/format.php, and ``lms_moodle`` for the graders).

For each item: the type, every text, the ID number and the tags (from the
``// [id:…] [tag:…]`` comment) arrive unchanged, the keyed answer is the only
full-credit answer, every spelling the book accepts is accepted (or named in the
export's limits), the tolerance is the bank's; order items are skipped and named,
and match items' correct/incorrect feedback is named as a limit.
"""

from __future__ import annotations

import pytest

import lms_gift
import lms_moodle
from lms_support import (
    as_displayed, bank_file, bank_numbers, cases, check_choices, check_item_feedback,
    check_numbers, check_pairs, check_text_answers, check_text_unchanged, suites,
)
from quizkit.export import DEFAULT_COURSE, Options
from quizkit.export.gift import to_gift

TYPES = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical",
         "text": "shortanswer", "match": "match"}
_EXPORTS: dict[str, tuple] = {}


def export(suite: str):
    if suite not in _EXPORTS:
        banks, items = suites()[suite]
        output = to_gift(items, banks, Options(title=f"Fidelity: {suite}"))
        imported = {q.ident: q for q in lms_gift.read_gift(output.data)}
        _EXPORTS[suite] = banks, items, output, imported
    return _EXPORTS[suite]


@pytest.mark.parametrize("suite", ["project", "characters"])
def test_every_item_is_imported_into_its_banks_category_or_skipped(suite):
    banks, items, output, imported = export(suite)
    skipped = {s.item_id: s.reason for s in output.skipped}
    assert list(imported) == list(output.included)
    assert sorted([*imported, *skipped]) == sorted(i.id for i in items)
    assert all(items_type == "order" for items_type in
               (next(i.type for i in items if i.id == s) for s in skipped))
    for bank in banks:
        for item in bank.items:
            if item.id in imported:
                assert imported[item.id].category == ["$course$", "top", DEFAULT_COURSE,
                                                      as_displayed(bank.title)]


@pytest.mark.parametrize("suite, item_id", cases())
def test_gift_imports_the_item_unchanged_and_grades_only_the_key_right(suite, item_id):
    banks, items, output, imported = export(suite)
    item = next(i for i in items if i.id == item_id)
    if item.type == "order":
        pytest.skip("GIFT has no ordering type (the skip is tested above)")
    question = imported[item.id]
    limits = [limit.text for limit in output.limits if limit.item_id == item.id]
    assert question.qtype == TYPES[item.type]
    assert (question.name, question.idnumber) == (item.id, item.id)
    assert question.tags == [t for t in item.tags
                             if not any(repr(t) in text for text in limits)]
    check_text_unchanged(item, question)
    grade = lms_moodle.grade
    if item.type in ("single", "multiple"):
        check_choices(item, question, grade)
    elif item.type == "text":
        check_item_feedback(item, question)
        check_text_answers(item, question, grade, items, limits)
    elif item.type == "numeric":
        check_item_feedback(item, question)
        value, tolerance = bank_numbers(item, bank_file(banks, item))
        assert question.numeric == [(value, tolerance)]
        check_numbers(item, question, grade, value, tolerance)
    elif item.type == "match":
        check_pairs(item, question, grade)
        if item.feedback.correct or item.feedback.incorrect:
            assert any("correct/incorrect feedback" in text for text in limits)
