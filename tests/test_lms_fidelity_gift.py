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

from support import lms_gift
from support import lms_moodle
from support.lms import (
    cases, check_carried_or_skipped, check_categories, check_imported, exported,
)
from quizkit.export import DEFAULT_COURSE
from quizkit.export.gift import to_gift

TYPES = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical",
         "text": "shortanswer", "match": "match"}


def export(suite: str):
    return exported(suite, to_gift, lms_gift.read_gift)


@pytest.mark.parametrize("suite", ["project", "characters"])
def test_every_item_is_imported_into_its_banks_category_or_skipped(suite):
    banks, items, output, imported = export(suite)
    check_carried_or_skipped(items, output, imported, "GIFT has no ordering question type")
    check_categories(banks, imported, DEFAULT_COURSE)


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
    check_imported(item, question, lms_moodle.grade, output, banks, items,
                   item_feedback=item.type != "match")  # GIFT has no field for it
    if item.type == "match" and (item.feedback.correct or item.feedback.incorrect):
        assert any("correct/incorrect feedback" in text for text in limits)
