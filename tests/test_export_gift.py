"""Moodle GIFT export of the fixture banks, read back the way Moodle's importer
(qformat_gift) reads it, with ``lms_gift`` (the one re-implementation of Moodle's GIFT
rules, also used by test_lms_fidelity_gift): every exported item is compared with the
bank, text by text, and what GIFT cannot carry is skipped or noted.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from support import lms_gift
from quizkit.export import Options
from quizkit.export.gift import to_gift
from quizkit.model import normalize_answer
from support.exports import (
    FIXTURE_COURSE, bank_titles, close, expected_general_feedback, expected_stem,
    expected_weights, fixture_banks, fixture_items,
)
from support.items import make_item


@pytest.fixture(scope="module")
def exported():
    items = fixture_items()
    output = to_gift(items, fixture_banks(), Options(title="Fixture quiz", course=FIXTURE_COURSE))
    return items, output, lms_gift.read_gift(output.data)


def _by_name(read) -> dict:
    return {q.name: q for q in read}


def test_every_item_but_the_uncarriable_ones_is_read_back(exported):
    items, output, read = exported
    expected = [i.id for i in items if i.type != "order" and i.id != "specials-q07"]
    assert [q.name for q in read] == expected == list(output.included)


def test_order_items_and_arrow_answers_are_skipped_with_a_reason(exported):
    _, output, _ = exported
    reasons = {s.item_id: s.reason for s in output.skipped}
    assert set(reasons) == {"mini-q05", "specials-q06", "specials-q07"}
    assert "no ordering question type" in reasons["mini-q05"]
    assert "->" in reasons["specials-q07"]


def test_each_bank_gets_its_category(exported):
    _, _, read = exported
    titles = bank_titles()
    # Moodle shows the names as HTML, and reads "//" as a "/" inside a name.
    assert _by_name(read)["mini-q01"].category == [
        "$course$", "top", FIXTURE_COURSE, titles["mini-q01"]]
    assert _by_name(read)["specials-q01"].category == [
        "$course$", "top", FIXTURE_COURSE, titles["specials-q01"]]


def test_every_text_round_trips_exactly(exported):
    items, _, read = exported
    questions = _by_name(read)
    for item in items:
        if item.id not in questions:
            continue
        question = questions[item.id]
        assert question.text == expected_stem(item), item.id
        assert question.general_feedback == expected_general_feedback(item)
        assert question.idnumber == item.id and question.tags == list(item.tags)
        _CHECKS[item.type](item, question)


def _check_single(item, question):
    assert question.qtype == "multichoice" and question.raw["single"]
    assert [(c.text, c.fraction, c.feedback) for c in question.choices] == [
        (o.text, 1.0 if o.correct else 0.0, o.feedback) for o in item.options]


def _check_multiple(item, question):
    assert question.qtype == "multichoice" and not question.raw["single"]
    assert [(c.text, c.feedback) for c in question.choices] == [
        (o.text, o.feedback) for o in item.options]
    weights = [c.fraction for c in question.choices]
    assert all(close(w, e) for w, e in zip(weights, expected_weights(item))), weights
    assert round(sum(w for w in weights if w > 0), 2) == 1


def _check_numeric(item, question):
    assert question.qtype == "numerical"
    [(value, tolerance)] = question.numeric
    assert (float(value), float(tolerance)) == (item.answer.value, item.answer.tolerance)
    assert question.correct_feedback == item.feedback.correct
    assert question.incorrect_feedback == item.feedback.incorrect


def _check_text(item, question):
    assert question.qtype == "shortanswer"
    patterns = question.answers
    assert all(not re.search(r"(?<!\\)\*", p) for p in patterns)  # no wildcard
    literal = [p.replace("\\*", "*") for p in patterns]
    # The accepted answers as written, then spellings the book also accepts.
    assert literal[:len(item.accept)] == list(item.accept)
    assert {normalize_answer(t) for t in literal} == {normalize_answer(a) for a in item.accept}
    assert question.correct_feedback == item.feedback.correct
    assert question.incorrect_feedback == item.feedback.incorrect


def _check_match(item, question):
    assert question.qtype == "match"
    # Moodle shows both sides as HTML.
    assert list(zip(question.lefts, [r for _, r in question.raw["stems"]])) == [
        (p.left, p.right) for p in item.pairs]


_CHECKS = {"single": _check_single, "multiple": _check_multiple, "numeric": _check_numeric,
           "text": _check_text, "match": _check_match}


def test_match_feedback_that_gift_cannot_carry_is_noted(exported):
    _, output, _ = exported
    assert len(output.notes) == 1
    assert "mini-q06" in output.notes[0] and "specials-q05" in output.notes[0]


def test_questions_are_separated_by_blank_lines_only(exported):
    # Moodle splits questions at blank lines: none may appear inside a question.
    _, output, read = exported
    blocks = [b for b in output.data.decode().split("\n\n") if b.strip()]
    categories = len({tuple(q.category) for q in read})
    assert len(blocks) == len(read) + categories + 1  # + the header comment


def test_the_weights_are_the_documented_ones():
    items = [i for i in fixture_items() if i.id == "mini-q02"]
    text = to_gift(items, fixture_banks(), Options(course=FIXTURE_COURSE)).data.decode()
    weights = re.findall(r"~%(-?[\d.]+)%", text)
    assert weights == ["33.33333", "-50", "33.33333", "33.33333", "-50"]
    assert Fraction(-1, 2) == expected_weights(items[0])[1]


def test_id_and_tags_comment_is_read_by_moodles_rules():
    item = make_item("x-q1.a", tags=("dates", "a]b", "<b>", "source criticism"))
    output = to_gift([item], [])
    [question] = lms_gift.read_gift(output.data)
    assert question.idnumber == "x-q1.a"
    assert question.tags == ["dates", "a]b", "source criticism"]
    assert [limit.text for limit in output.limits] == [
        "tag '<b>' is left out: Moodle reads no tag with < or > from GIFT"]
