"""What the exporters share (quizkit.export.common), and the helpers the other
test_export_* modules use to read exports back.

The readers here decode what an LMS would decode (HTML entities, ``<br>``); they
never call the exporters' own encoding functions, so a wrong encoding fails a test
instead of cancelling itself out.
"""

from __future__ import annotations

import html
import re
from fractions import Fraction
from pathlib import Path

import pytest

from quizkit.export.common import (
    bank_groups, html_text, moodle_percent, multiple_answer_weights, xml_unsafe_reason,
)
from quizkit.model import Bank, Item, Option
from quizkit.select import Selection, load_project_banks, select_items
from item_factory import make_item

EXPORT_FIXTURES = Path(__file__).parent / "fixtures" / "export"
FIXTURE_QUIZZES = EXPORT_FIXTURES / "quizzes"
EXPECTED = EXPORT_FIXTURES / "expected"

# Every item of both fixture banks, both pools: what the round-trip tests export.
_CACHE: dict[str, list[Bank]] = {}


def fixture_banks() -> list[Bank]:
    if "banks" not in _CACHE:
        _CACHE["banks"] = load_project_banks([FIXTURE_QUIZZES])
    return _CACHE["banks"]


def fixture_items() -> list[Item]:
    return select_items(fixture_banks(), Selection(pool="all"))


def bank_titles() -> dict[str, str]:
    """Item id → the title of its bank."""
    return {item.id: bank.title for bank in fixture_banks() for item in bank.items}


# -- decoding what an LMS shows ----------------------------------------------------


def html_field(markup: str) -> str:
    """The text an HTML field shows, for fields that are text with line breaks only."""
    assert not re.search(r"<(?!br>)", markup), f"unexpected markup in {markup!r}"
    return html.unescape(markup.replace("<br>", "\n"))


def html_paragraphs(markup: str) -> list[str]:
    """The texts of a field made of ``<p>`` paragraphs, and nothing else."""
    found = re.findall(r"<p>(.*?)</p>", markup, flags=re.S)
    assert "".join(f"<p>{p}</p>" for p in found) == markup, f"not only paragraphs: {markup!r}"
    return [html_field(p) for p in found]


def expected_stem(item: Item) -> list[str]:
    return [item.stem] + ([f"Unit: {item.unit}"] if item.unit else [])


def expected_general_feedback(item: Item) -> list[str]:
    return [item.explanation, f"Source: {item.source.citation_text()}"]


def expected_weights(item: Item) -> list[Fraction]:
    """The documented grading of a multiple-answer item: +1/c per correct option,
    -1/w per wrong one."""
    correct = sum(o.correct for o in item.options)
    wrong = len(item.options) - correct
    return [Fraction(1, correct) if o.correct else Fraction(-1, wrong) for o in item.options]


def close(a: float, b: Fraction) -> bool:
    return abs(a - float(b)) < 1e-6


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
