"""Moodle XML fidelity: every item of every bank, and of the special-characters bank,
is exported, read back the way Moodle imports it and graded the way Moodle's question
engine grades it (``lms_moodle``, which cites the moodle/moodle sources it
re-implements: lib/xmlize.php, question/format/xml/format.php and the
question/type/*/question.php graders).

For each item: the type, every text, the id number and the tags arrive unchanged, the
keyed answer is the only full-credit answer, every spelling the book accepts is
accepted (or named in the export's limits), the tolerance is the bank's; with
``moodle_version`` below 4.4, order items are skipped and named.
"""

from __future__ import annotations

import pytest

from support import lms_moodle
from support.lms import (
    as_displayed, cases, check_categories, check_imported, exported, permutations, suites,
)
from quizkit.export import DEFAULT_COURSE, Options
from quizkit.export.moodle_xml import to_moodle_xml

TYPES = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical",
         "text": "shortanswer", "match": "match", "order": "ordering"}


def export(suite: str):
    return exported(suite, to_moodle_xml, lms_moodle.read_moodle_xml)


@pytest.mark.parametrize("suite", ["project", "characters"])
def test_every_item_is_imported_into_its_banks_category(suite):
    banks, items, output, imported = export(suite)
    # Passages arrive as description questions (tested below); the questions are the items.
    questions = [ident for ident, q in imported.items() if q.qtype != "description"]
    assert questions == [item.id for item in items] == list(output.included)
    check_categories(banks, imported, DEFAULT_COURSE)


@pytest.mark.parametrize("suite, item_id", cases())
def test_moodle_imports_the_item_unchanged_and_grades_only_the_key_right(suite, item_id):
    banks, items, output, imported = export(suite)
    item = next(i for i in items if i.id == item_id)
    question = imported[item.id]
    assert question.qtype == TYPES[item.type]
    assert (question.name, question.idnumber) == (item.id, item.id)
    assert question.tags == list(item.tags)
    check_imported(item, question, lms_moodle.grade, output, banks, items)
    if item.type == "order":
        assert [as_displayed(e) for e in question.events] == [as_displayed(e) for e in item.events]
        full = [order for order in permutations(len(item.events))
                if lms_moodle.grade(question, [question.events[i] for i in order]) == 1.0]
        assert full == [tuple(range(len(item.events)))]


@pytest.mark.parametrize("version, carried", [((4, 1), False), ((4, 3), False), ((4, 4), True),
                                               ((5, 0), True)])


def test_moodle_version_below_4_4_skips_and_names_order_items(version, carried):
    banks, items = suites()["characters"]
    output = to_moodle_xml(items, banks, Options(moodle_version=version))
    orders = [i.id for i in items if i.type == "order"]
    types = {q.qtype for q in lms_moodle.read_moodle_xml(output.data)}
    assert ("ordering" in types) == carried
    skipped = {s.item_id: s.reason for s in output.skipped}
    if carried:
        assert not skipped
    else:
        assert list(skipped) == orders and "4.4" in skipped[orders[0]]
        assert list(output.included) == [i.id for i in items if i.type != "order"]


# -- context-dependent sets -----------------------------------------------------------------
# moodle/moodle question/format/xml/format.php, import_description(): "$qo->qtype =
# 'description'; $qo->defaultmark = 0; $qo->length = 0;" — a description question is
# shown but carries no mark and takes no question number.


@pytest.mark.parametrize("suite", ["project", "sets"])
def test_a_passage_is_one_unscored_description_right_before_its_set(suite):
    from support.lms import check_passages
    from support.lms_moodle import read_moodle_xml

    _, items, output, _ = exported(suite, to_moodle_xml, read_moodle_xml)
    questions = read_moodle_xml(output.data)
    checked = check_passages(items, output, questions)
    assert checked >= (2 if suite == "sets" else 1)
    # The export says, in its notes, which passages it carries and how.
    [note] = [n for n in output.notes if "passage" in n]
    assert f"{checked} passage" in note and "not scored" in note
    for question in questions:
        if question.qtype == "description":
            assert question.raw["defaultmark"] == 0 and question.idnumber == question.ident
    # Passages are not questions of the export: what a gradebook counts is unchanged.
    assert all(not i.startswith("sets-p") for i in output.included)


def test_a_passage_table_arrives_cell_by_cell_and_escaped():
    from bs4 import BeautifulSoup

    from support.lms_moodle import read_moodle_xml

    _, items, output, _ = exported("sets", to_moodle_xml, read_moodle_xml)
    description = next(q for q in read_moodle_xml(output.data) if q.ident == "sets-p2")
    table = BeautifulSoup(description.raw["html"], "html.parser").find("table")
    cells = [[cell.get_text() for cell in row.find_all(["th", "td"])]
             for row in table.find_all("tr")]
    assert cells == [["Tracker", "Deaths & injuries", "Attacks <n>"],
                     ["GTI", "1,081", "1,099"], ["PIPS", "852", "521"]]
    first = next(q for q in read_moodle_xml(output.data) if q.ident == "sets-p1")
    assert "A second paragraph: 50% of <b>nothing</b> is not markup." in first.text
