"""Moodle XML export, parsed back with lxml and compared with the bank, item by item."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from quizkit.export import Options
from quizkit.export.moodle_xml import to_moodle_xml
from quizkit.model import Option
from support.exports import (
    FIXTURE_COURSE, bank_titles, close, expected_general_feedback, expected_stem,
    expected_weights, fixture_banks, fixture_items, html_field, html_paragraphs,
)
from support.items import make_item


@pytest.fixture(scope="module")
def exported():
    items = fixture_items()
    output = to_moodle_xml(items, fixture_banks(), Options(title="Fixture quiz", course=FIXTURE_COURSE))
    return items, output, etree.fromstring(output.data)


def _text(element, path: str) -> str:
    found = element.find(path)
    assert found is not None, path
    return found.findtext("text") or ""


def _questions(root) -> dict[str, etree._Element]:
    return {q.findtext("name/text"): q for q in root.findall("question")
            if q.get("type") != "category"}


def _answers(question) -> list[tuple[str, float, str]]:
    return [(a.findtext("text") or "", float(a.get("fraction")), _text(a, "feedback"))
            for a in question.findall("answer")]


def test_the_file_is_well_formed_utf8_xml_with_a_declaration(exported):
    _, output, root = exported
    assert output.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert root.tag == "quiz"


def test_every_item_is_carried_with_its_id_as_name_and_idnumber(exported):
    items, output, root = exported
    questions = _questions(root)
    assert list(questions) == [i.id for i in items] == list(output.included)
    assert output.skipped == ()
    for item_id, question in questions.items():
        assert question.findtext("idnumber") == item_id


def test_a_category_per_bank_precedes_its_questions(exported):
    _, _, root = exported
    sequence = [q.findtext("category/text") if q.get("type") == "category"
                else q.findtext("name/text") for q in root.findall("question")]
    titles = bank_titles()
    mini = f"$course$/top/{FIXTURE_COURSE}/{titles['mini-q01']}"
    specials = f"$course$/top/{FIXTURE_COURSE}/{titles['specials-q01'].replace('/', '//')}"
    assert sequence[0] == mini
    assert sequence.index(specials) == 1 + sum(i.startswith("mini-") for i in sequence)
    assert sum(s.startswith("$course$") for s in sequence) == 2


def test_every_text_round_trips_exactly(exported):
    items, _, root = exported
    questions = _questions(root)
    types = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical",
             "text": "shortanswer", "match": "match", "order": "ordering"}
    for item in items:
        question = questions[item.id]
        assert question.get("type") == types[item.type]
        assert question.find("questiontext").get("format") == "html"
        assert html_paragraphs(_text(question, "questiontext")) == expected_stem(item), item.id
        assert html_paragraphs(_text(question, "generalfeedback")) == expected_general_feedback(item)
        assert [t.findtext("text") for t in question.findall("tags/tag")] == list(item.tags)
        _CHECKS[item.type](item, question)


def _check_single(item, question):
    assert question.findtext("single") == "true"
    assert [(html_field(t), f, html_field(fb)) for t, f, fb in _answers(question)] == [
        (o.text, 100.0 if o.correct else 0.0, o.feedback) for o in item.options]


def _check_multiple(item, question):
    assert question.findtext("single") == "false"
    answers = _answers(question)
    assert [(html_field(t), html_field(fb)) for t, _, fb in answers] == [
        (o.text, o.feedback) for o in item.options]
    fractions = [f / 100 for _, f, _ in answers]
    assert all(close(f, e) for f, e in zip(fractions, expected_weights(item))), fractions
    # Moodle rounds the sum of positive grades to 2 places and wants exactly 100%.
    assert round(sum(f for f in fractions if f > 0), 2) == 1


def _check_numeric(item, question):
    (value, fraction, feedback), (other, other_fraction, other_feedback) = _answers(question)
    answer = question.findall("answer")[0]
    assert (float(value), float(answer.findtext("tolerance")), fraction) == (
        item.answer.value, item.answer.tolerance, 100.0)
    assert html_field(feedback) == item.feedback.correct
    assert (other, other_fraction, html_field(other_feedback)) == ("*", 0.0, item.feedback.incorrect)


def _check_text(item, question):
    assert question.findtext("usecase") == "0"
    answers = _answers(question)
    right = [a for a in answers if a[1] == 100.0]
    others = [(t, f, html_field(fb)) for t, f, fb in answers if f != 100.0]
    assert all(not re.search(r"(?<!\\)\*", t) for t, _, _ in right)  # no wildcard
    assert [re.sub(r"\\\*", "*", t) for t, _, _ in right] == list(item.accept)
    assert {html_field(fb) for _, _, fb in right} == {item.feedback.correct}
    # Any other answer: the "incorrect" feedback, when there is one.
    assert others == ([("*", 0.0, item.feedback.incorrect)] if item.feedback.incorrect else [])


def _check_match(item, question):
    pairs = [(html_field(_text(s, ".")), s.findtext("answer/text")) for s in question.findall("subquestion")]
    assert pairs == [(p.left, p.right) for p in item.pairs]
    _check_combined_feedback(item, question)


def _check_order(item, question):
    assert question.findtext("gradingtype") == "ALL_OR_NOTHING"
    assert question.findtext("selecttype") == "ALL"
    answers = sorted(question.findall("answer"), key=lambda a: float(a.get("fraction")))
    assert [html_field(a.findtext("text")) for a in answers] == list(item.events)
    _check_combined_feedback(item, question)


def _check_combined_feedback(item, question):
    assert html_field(_text(question, "correctfeedback")) == item.feedback.correct
    assert html_field(_text(question, "incorrectfeedback")) == item.feedback.incorrect


_CHECKS = {"single": _check_single, "multiple": _check_multiple, "numeric": _check_numeric,
           "text": _check_text, "match": _check_match, "order": _check_order}


def test_ordering_questions_come_with_a_note_on_the_moodle_version(exported):
    _, output, _ = exported
    [note] = output.notes
    assert "4.4" in note and "mini-q05" in note and "specials-q06" in note


def test_items_xml_cannot_carry_are_skipped_with_a_reason():
    bad = make_item("x-q1", stem="a form feed \x0c here")
    many = make_item("x-q2", type="multiple",
                 options=tuple(Option(f"o{i}", i < 11) for i in range(12)))
    output = to_moodle_xml([bad, many, make_item("x-q3")], [])
    assert output.included == ("x-q3",)
    reasons = {s.item_id: s.reason for s in output.skipped}
    assert "U+000C" in reasons["x-q1"]
    assert "grades" in reasons["x-q2"]
    etree.fromstring(output.data)  # still well-formed
