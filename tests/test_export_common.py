"""What the exporters share (quizkit.export.common)."""

from __future__ import annotations

import pytest

from quizkit.export.common import (
    bank_groups, html_text, moodle_percent, multiple_answer_weights, xml_unsafe_reason,
)
from quizkit.model import Bank, Option
from support.items import make_item

# -- tests of quizkit.export.common -------------------------------------------------


def test_bank_groups_keeps_runs_in_order_and_names_unknown_banks():
    one, two = make_item("one-q1"), make_item("two-q1")
    bank_one = Bank("one", "One", (one,))
    stray = make_item("stray-q1")
    groups = list(bank_groups([one, two, stray], [bank_one, Bank("two", "Two", (two,))]))
    assert [(bank.name, [i.id for i in run]) for bank, run in groups] == [
        ("one", ["one-q1"]), ("two", ["two-q1"]), ("stray", ["stray-q1"])]


@pytest.mark.parametrize("share, text", [(1, "100"), (2, "50"), (3, "33.33333"), (6, "16.66667"),
                                          (7, "14.28571"), (8, "12.5"), (9, "11.11111"),
                                          (10, "10")])
def test_moodle_percent_matches_moodles_grade_list(share, text):
    assert moodle_percent(share) == text
    assert moodle_percent(share, -1) == "-" + text


def test_multiple_answer_weights_sum_to_100_and_ticking_everything_scores_0():
    item = make_item("x-q1", type="multiple",
                 options=tuple(Option(t, c) for t, c in
                               [("a", True), ("b", True), ("c", True), ("d", False), ("e", False)]))
    weights = [float(w) for w in multiple_answer_weights(item)]
    assert weights == [33.33333, 33.33333, 33.33333, -50.0, -50.0]
    assert round(sum(w for w in weights if w > 0), 2) == 100
    assert round(sum(weights), 2) == 0


def test_multiple_answer_weights_refuse_shares_moodle_cannot_grade():
    options = tuple(Option(f"o{i}", i < 11) for i in range(12))
    assert multiple_answer_weights(make_item("x-q1", type="multiple", options=options)) is None


def test_html_text_escapes_markup_and_keeps_line_breaks():
    assert html_text('a < b & "c" \'d\'\ne') == "a &lt; b &amp; \"c\" 'd'<br>e"


def test_xml_unsafe_reason_names_the_control_character():
    assert xml_unsafe_reason(make_item("x-q1")) is None
    reason = xml_unsafe_reason(make_item("x-q1", explanation="bell \x07 here"))
    assert reason and "U+0007" in reason
