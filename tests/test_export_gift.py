"""Moodle GIFT export, read back the way Moodle's importer (qformat_gift) reads it.

``read_gift`` below follows qformat_gift::readquestions/readquestion step by step:
questions split at blank lines, ``//`` comment lines blanked, escapes swapped for
placeholders before parsing and back after, the answer section between the first
``{`` and ``}``, general feedback after the last ``####``, the question type guessed
from the answer section, weights ``%n%`` and feedback after the first ``#``. Each
exported item is then compared with the bank, text by text.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from quizkit.export import Options
from quizkit.export.gift import to_gift
from support.exports import (
    FIXTURE_COURSE, bank_titles, close, expected_general_feedback, expected_stem,
    expected_weights, fixture_banks, fixture_items, html_field, html_paragraphs,
)

_ESCAPED = ["\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n"]
_PLACEHOLDERS = ["&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010"]
_CHARACTERS = [":", "#", "=", "{", "}", "~", "\n"]
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = ("moodle", "html", "plain", "markdown")


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in zip(_ESCAPED, _PLACEHOLDERS):
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for placeholder, character in zip(_PLACEHOLDERS, _CHARACTERS):
        text = text.replace(placeholder, character)
    return text


def _with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    fmt = default
    if text.startswith("[") and "]" in text:
        name = text[1:text.index("]")]
        if name in _FORMATS:
            fmt, text = name, text[text.index("]") + 1:]
    return _post(text).strip(), fmt


def _weight(answer: str) -> tuple[float, str]:
    answer = answer[1:]
    end = answer.index("%")
    return float(answer[:end]) / 100, answer[end + 1:]


def _comment(answer: str, fmt: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    return _with_format(text.strip(), fmt)[0], _with_format(feedback.strip(), fmt)[0]


def read_gift(text: str) -> list[dict]:
    """Questions as Moodle would import them; categories as ``{"category": path}``."""
    questions, block = [], []
    for line in [*text.split("\n"), ""]:
        line = line.strip()
        if line:
            block.append(line)
            continue
        if block:
            question = _read_question(block)
            if question:
                questions.append(question)
            block = []
    return questions


def _read_question(lines: list[str]) -> dict | None:
    text = "\n".join(" " if line.startswith("//") else line for line in lines).strip()
    if not text:
        return None
    text = _pre(text)
    if text.startswith("$CATEGORY:"):
        return {"category": text[10:].strip()}
    name = None
    if text.startswith("::"):
        text = text[2:]
        end = text.index("::")
        name, text = _post(text[:end]), text[end + 2:].strip()
    start, finish = text.index("{"), text.index("}")
    answertext = text[start + 1:finish].strip()
    assert text.endswith("}"), "text after the answers would become a missing-word question"
    questiontext = text[:start]
    general = ""
    if "####" in answertext:
        cut = answertext.rindex("####")
        general, answertext = answertext[cut + 4:], answertext[:cut].strip()
    qtext, fmt = _with_format(questiontext)
    question = {"name": name, "questiontext": qtext, "format": fmt,
                "generalfeedback": _with_format(general, fmt)[0]}
    if answertext.startswith("#"):
        question.update(_numerical(answertext[1:], fmt))
    elif "~" in answertext:
        question.update(_multichoice(answertext, fmt))
    elif "=" in answertext and "->" in answertext:
        question.update(_match(answertext, fmt))
    else:
        question.update(_shortanswer(answertext, fmt))
    return question


def _multichoice(answertext: str, fmt: str) -> dict:
    answers = []
    parts = answertext.replace("=", "~=").split("~")
    for part in [p.strip() for p in parts if p.strip()]:
        if part.startswith("="):
            weight, part = 1.0, part[1:]
        elif _WEIGHT.match(part):
            weight, part = _weight(part)
        else:
            weight = 0.0
        text, feedback = _comment(part, fmt)
        answers.append((text, weight, feedback))
    return {"qtype": "multichoice", "single": "=" in answertext, "answers": answers}


def _shortanswer(answertext: str, fmt: str) -> dict:
    answers = []
    for part in [p.strip() for p in answertext.split("=") if p.strip()]:
        weight, part = _weight(part) if _WEIGHT.match(part) else (1.0, part)
        text, feedback = _comment(part, fmt)
        answers.append((text, weight, feedback))
    return {"qtype": "shortanswer", "answers": answers}


def _numerical(answertext: str, fmt: str) -> dict:
    wrong = ""
    if "~" in answertext:
        cut = answertext.index("~")
        answertext, wrong = answertext[:cut], answertext[cut:]
    answers = []
    for part in [p.strip() for p in answertext.split("=") if p.strip()]:
        weight, part = _weight(part) if _WEIGHT.match(part) else (1.0, part)
        text, feedback = _comment(part, fmt)
        value, _, tolerance = text.partition(":")
        answers.append((float(value), float(tolerance or 0), weight, feedback))
    wrong_feedback = _comment(wrong, fmt)[1] if wrong else None
    return {"qtype": "numerical", "answers": answers, "wrong_feedback": wrong_feedback}


def _match(answertext: str, fmt: str) -> dict:
    pairs = []
    for part in [p.strip() for p in answertext.split("=") if p.strip()]:
        left, _, right = part.partition("->")
        pairs.append((_with_format(left.strip(), fmt)[0], _post(right).strip()))
    return {"qtype": "match", "pairs": pairs}


def shortanswer_literal(pattern: str) -> str:
    """What a Moodle short-answer pattern matches, when it has no wildcard."""
    assert not re.search(r"(?<!\\)\*", pattern), f"{pattern!r} has a wildcard"
    return pattern.replace("\\*", "*")


# -- the tests ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported():
    items = fixture_items()
    output = to_gift(items, fixture_banks(), Options(title="Fixture quiz", course=FIXTURE_COURSE))
    return items, output, read_gift(output.data.decode("utf-8"))


def _questions_by_name(read: list[dict]) -> dict[str, dict]:
    return {q["name"]: q for q in read if "name" in q}


def test_every_item_but_the_uncarriable_ones_is_read_back(exported):
    items, output, read = exported
    expected = [i.id for i in items if i.type != "order" and i.id != "specials-q07"]
    assert list(_questions_by_name(read)) == expected == list(output.included)


def test_order_items_and_arrow_answers_are_skipped_with_a_reason(exported):
    _, output, _ = exported
    reasons = {s.item_id: s.reason for s in output.skipped}
    assert set(reasons) == {"mini-q05", "specials-q06", "specials-q07"}
    assert "no ordering question type" in reasons["mini-q05"]
    assert "->" in reasons["specials-q07"]


def test_each_bank_gets_its_category(exported):
    _, _, read = exported
    categories = [q["category"] for q in read if "category" in q]
    titles = bank_titles()
    assert categories == [
        f"$course$/top/{FIXTURE_COURSE}/{titles['mini-q01']}",
        # A "/" in a name is doubled, Moodle's escape in category paths.
        f"$course$/top/{FIXTURE_COURSE}/{titles['specials-q01'].replace('/', '//')}",
    ]


def test_every_text_round_trips_exactly(exported):
    items, _, read = exported
    questions = _questions_by_name(read)
    for item in items:
        if item.id not in questions:
            continue
        question = questions[item.id]
        assert question["format"] == "html"
        assert html_paragraphs(question["questiontext"]) == expected_stem(item), item.id
        assert html_paragraphs(question["generalfeedback"]) == expected_general_feedback(item)
        _CHECKS[item.type](item, question)


def _check_single(item, question):
    assert question["qtype"] == "multichoice" and question["single"]
    assert [(html_field(t), w, html_field(f)) for t, w, f in question["answers"]] == [
        (o.text, 1.0 if o.correct else 0.0, o.feedback) for o in item.options]


def _check_multiple(item, question):
    assert question["qtype"] == "multichoice" and not question["single"]
    assert [(html_field(t), html_field(f)) for t, _, f in question["answers"]] == [
        (o.text, o.feedback) for o in item.options]
    weights = [w for _, w, _ in question["answers"]]
    assert all(close(w, e) for w, e in zip(weights, expected_weights(item))), weights
    assert round(sum(w for w in weights if w > 0), 2) == 1


def _check_numeric(item, question):
    assert question["qtype"] == "numerical"
    [(value, tolerance, weight, feedback)] = question["answers"]
    assert (value, tolerance, weight) == (item.answer.value, item.answer.tolerance, 1.0)
    assert html_field(feedback) == item.feedback.correct
    assert html_field(question["wrong_feedback"]) == item.feedback.incorrect


def _check_text(item, question):
    assert question["qtype"] == "shortanswer"
    *right, other = question["answers"]
    assert [shortanswer_literal(t) for t, _, _ in right] == list(item.accept)
    assert {(w, html_field(f)) for _, w, f in right} == {(1.0, item.feedback.correct)}
    assert (other[0], other[1], html_field(other[2])) == ("*", 0.0, item.feedback.incorrect)


def _check_match(item, question):
    assert question["qtype"] == "match"
    assert [(html_field(left), right) for left, right in question["pairs"]] == [
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
    assert len(blocks) == len(read) + 1  # + the header comment


def test_the_weights_are_the_documented_ones():
    items = [i for i in fixture_items() if i.id == "mini-q02"]
    text = to_gift(items, fixture_banks(), Options(course=FIXTURE_COURSE)).data.decode()
    weights = re.findall(r"~%(-?[\d.]+)%", text)
    assert weights == ["33.33333", "-50", "33.33333", "33.33333", "-50"]
    assert Fraction(-1, 2) == expected_weights(items[0])[1]
