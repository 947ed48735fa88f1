"""Canvas fidelity: every item of every bank, and of the special-characters bank, is
exported as a QTI package, read back the way Canvas imports it and graded the way
Canvas grades it (``lms_canvas``, which cites the Canvas and QTIMigrationTool sources
it re-implements: instructure/canvas-lms gems/plugins/qti_exporter/lib/qti/*.rb and
app/models/quizzes/quiz_question/*.rb, instructure/QTIMigrationTool lib/imsqtiv1.py).

For each item: the question type and every text arrive unchanged, the keyed answer is
the only full-credit answer, every spelling the book accepts is accepted (or named in
the export's limits), the numeric margin is the bank's tolerance exactly, and order
items are skipped with a reason.
"""

from __future__ import annotations

import pytest

import lms_canvas
from lms_support import (
    bank_file, bank_numbers, cases, check_choices, check_item_feedback, check_numbers,
    check_pairs, check_text_answers, check_text_unchanged, suites,
)
from quizkit.export import Options
from quizkit.export.qti import to_qti

TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
         "numeric": "numerical_question", "text": "short_answer_question",
         "match": "matching_question"}
_EXPORTS: dict[str, tuple] = {}


def export(suite: str):
    if suite not in _EXPORTS:
        banks, items = suites()[suite]
        output = to_qti(items, banks, Options(title=f"Fidelity: {suite}"))
        imported = {q.ident: q for q in lms_canvas.read_package(output.data)}
        _EXPORTS[suite] = banks, items, output, imported
    return _EXPORTS[suite]


@pytest.mark.parametrize("suite", ["project", "characters"])
def test_every_item_is_imported_or_skipped_with_a_reason(suite):
    _, items, output, imported = export(suite)
    skipped = {s.item_id: s.reason for s in output.skipped}
    for item in items:
        if item.type == "order":
            assert "ordering" in skipped[item.id]
        else:
            assert item.id in imported and item.id not in skipped
    assert len(imported) + len(skipped) == len(items)


@pytest.mark.parametrize("suite, item_id", cases())
def test_canvas_imports_the_item_unchanged_and_grades_only_the_key_right(suite, item_id):
    banks, items, output, imported = export(suite)
    item = next(i for i in items if i.id == item_id)
    if item.type == "order":
        pytest.skip("Canvas classic quizzes have no ordering type (the skip is tested above)")
    question = imported[item.id]
    assert question.qtype == TYPES[item.type]
    assert question.name == item.id
    check_text_unchanged(item, question)
    grade = lms_canvas.grade
    if item.type in ("single", "multiple"):
        check_choices(item, question, grade)
    elif item.type == "text":
        limits = [limit.text for limit in output.limits if limit.item_id == item.id]
        check_text_answers(item, question, grade, items, limits)
    elif item.type == "numeric":
        value, tolerance = bank_numbers(item, bank_file(banks, item))
        assert question.numeric == [(value, tolerance)]  # margin = upper - exact, exactly
        check_numbers(item, question, grade, value, tolerance)
    elif item.type == "match":
        check_pairs(item, question, grade)
    if item.type not in ("single", "multiple"):
        check_item_feedback(item, question)
