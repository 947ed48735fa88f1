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


# -- context-dependent sets -----------------------------------------------------------------
# moodle/moodle question/format/gift/format.php, readquestion(): "if ($answerstart ===
# false && $answerfinish === false) { // No answer means it's a description." and then
# "case 'description': $question->defaultmark = 0; $question->length = 0;".


@pytest.mark.parametrize("suite", ["project", "sets"])
def test_a_passage_is_one_unscored_description_right_before_its_set(suite):
    from support.lms import check_passages

    _, items, output, _ = export(suite)
    questions = [q for q in lms_gift.read_gift(output.data) if q.qtype != "category"]
    checked = check_passages(items, output, questions)
    assert checked >= (2 if suite == "sets" else 1)
    # The export says, in its notes, which passages it carries and how.
    [note] = [n for n in output.notes if "passage" in n]
    assert f"{checked} passage" in note and "not scored" in note
    descriptions = [q for q in questions if q.qtype == "description"]
    assert descriptions and all(q.raw["defaultmark"] == 0 and q.idnumber == q.ident
                                for q in descriptions)


def test_a_passage_with_braces_and_markup_stays_one_description():
    from bs4 import BeautifulSoup

    _, _, output, _ = export("sets")
    table_passage = next(q for q in lms_gift.read_gift(output.data) if q.ident == "sets-p2")
    cells = [c.get_text() for c in
             BeautifulSoup(table_passage.raw["html"], "html.parser").find_all(["th", "td"])]
    assert cells == ["Tracker", "Deaths & injuries", "Attacks <n>", "GTI", "1,081", "1,099",
                     "PIPS", "852", "521"]
