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

from support import lms_canvas
from support.lms import cases, check_carried_or_skipped, check_imported, exported
from quizkit.export.qti import to_qti

TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
         "numeric": "numerical_question", "text": "short_answer_question",
         "match": "matching_question"}


def export(suite: str):
    return exported(suite, to_qti, lms_canvas.read_package)


@pytest.mark.parametrize("suite", ["project", "characters"])
def test_every_item_is_imported_or_skipped_with_a_reason(suite):
    _, items, output, imported = export(suite)
    check_carried_or_skipped(items, output, imported, "no ordering question type")


@pytest.mark.parametrize("suite, item_id", cases())
def test_canvas_imports_the_item_unchanged_and_grades_only_the_key_right(suite, item_id):
    banks, items, output, imported = export(suite)
    item = next(i for i in items if i.id == item_id)
    if item.type == "order":
        pytest.skip("Canvas classic quizzes have no ordering type (the skip is tested above)")
    question = imported[item.id]
    assert question.qtype == TYPES[item.type]
    assert question.name == item.id
    check_imported(item, question, lms_canvas.grade, output, banks, items)


# -- context-dependent sets -----------------------------------------------------------------
# instructure/canvas-lms gems/plugins/qti_exporter/lib/qti/assessment_item_converter.rb,
# create_instructure_question: "elsif !%w(text_only_question file_upload_question)
# .include?(@migration_type) ... self.parse_question_data ... else ...
# @question[:question_type] ||= @migration_type" — a text_only_question keeps its text
# and gets no answers; parse_instructure_metadata takes points_possible from the item's
# metadata ([score.to_f, 0.0].max), which the export sets to 0.


@pytest.mark.parametrize("suite", ["project", "sets"])
def test_a_passage_is_one_text_only_question_right_before_its_set(suite):
    from support.lms import check_passages

    _, items, output, _ = export(suite)
    questions = lms_canvas.read_package(output.data)
    checked = check_passages(items, output, questions)
    assert checked >= (2 if suite == "sets" else 1)
    # The export says, in its notes, which passages it carries and how.
    [note] = [n for n in output.notes if "passage" in n]
    assert f"{checked} passage" in note and "not scored" in note
    passages = [q for q in questions if q.qtype == "text_only_question"]
    assert passages and all(q.raw["points_possible"] == 0.0 and not q.choices
                            for q in passages)


def test_quiz_points_count_questions_not_passages():
    import zipfile
    import io
    import re

    _, items, output, _ = export("sets")
    archive = zipfile.ZipFile(io.BytesIO(output.data))
    meta = next(archive.read(n).decode() for n in archive.namelist()
                if n.endswith("assessment_meta.xml"))
    assert re.search(r"<points_possible>(.*?)</points_possible>", meta).group(1) == \
        f"{float(len(output.included)):.1f}"
    assert len(output.included) == len(items) == 6
