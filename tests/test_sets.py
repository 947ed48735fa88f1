"""Context-dependent item sets end to end below the exporters: the loader, selection,
paper versions, the book's HTML/LaTeX/plain renderings, the live student view, the
Markdown export, the CSV key and grading. The bank is tests/fixtures/sets: two
passages (one with a table), a lone item between them, and a set item written after
the lone one (the loader and selection gather it with its set)."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
from bs4 import BeautifulSoup

from quizkit.errors import QuizkitError
from quizkit.paper.latex import render_version
from quizkit.paper.versions import make_versions
from quizkit.project import load_catalog
from quizkit.select import Selection, select_items
from quizkit.sets import passage_runs, units
from support.cli import run_quizkit
from test_paper import needs_xelatex
from support.lms import SETS_BANK

SET_1 = ["sets-q01", "sets-q02", "sets-q06"]  # passage sets-p1, q06 written last
SET_2 = ["sets-q04", "sets-q05"]  # passage sets-p2 (a table)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([SETS_BANK])


def ids(catalog, **selection) -> list[str]:
    return [i.id for i in select_items(catalog, Selection(pool="all", **selection))]


def test_the_loader_links_each_item_to_its_passage(catalog):
    bank = catalog.bank("sets")
    assert [p.id for p in bank.passages] == ["sets-p1", "sets-p2"]
    assert {i.id for i in bank.items if i.passage and i.passage.id == "sets-p1"} == set(SET_1)
    assert catalog.item("sets-q03").passage is None
    p1 = bank.passages[0]
    assert p1.paragraphs() == [
        'Two trackers counted attacks & deaths in the same year; one says "over" and the '
        "other does not.", "A second paragraph: 50% of <b>nothing</b> is not markup."]
    assert bank.passages[1].table.rows == (("GTI", "1,081", "1,099"), ("PIPS", "852", "521"))


def test_selection_gathers_a_set_in_bank_order_where_its_first_item_stands(catalog):
    assert ids(catalog) == [*SET_1, "sets-q03", *SET_2]


def test_a_count_counts_items_and_takes_sets_whole(catalog):
    assert ids(catalog, count=4) == [*SET_1, "sets-q03"]
    assert ids(catalog, count=2) == SET_2  # the first set does not fit; the next that does
    assert ids(catalog, count=5) == [*SET_1, *SET_2]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6])
def test_a_seeded_draw_never_splits_a_set(catalog, count):
    for seed in range(12):
        drawn = ids(catalog, count=count, seed=str(seed))
        assert len(drawn) == count
        for members in (SET_1, SET_2):
            inside = [i for i in drawn if i in members]
            assert inside in ([], members)  # all or nothing, in bank order
            if inside:
                start = drawn.index(members[0])
                assert drawn[start:start + len(members)] == members


def test_a_count_no_choice_of_whole_sets_can_make_is_an_error(catalog):
    with pytest.raises(QuizkitError) as caught:
        select_items(catalog, Selection(pool="all", banks=("sets",), tags=(), count=1,
                                        ids=tuple(SET_1)))
    assert "without splitting a set" in str(caught.value)
    assert "set sizes 3" in str(caught.value)


def test_an_item_picked_alone_keeps_its_passage(catalog):
    items = select_items(catalog, Selection(pool="all", ids=("sets-q05",)))
    (passage, length, item), = passage_runs(items)
    assert passage.id == "sets-p2" and length == 1 and item.id == "sets-q05"


def test_paper_versions_move_a_set_as_one_block_and_print_its_passage_once(catalog):
    items = select_items(catalog, Selection(pool="all"))
    orders = set()
    for version in make_versions(items, catalog, 4, seed=11):
        order = [q.item.id for q in version.questions]
        orders.add(tuple(order))
        for members in (SET_1, SET_2):
            start = order.index(members[0])
            assert order[start:start + len(members)] == members
        latex = render_version(version)
        first = version.questions[order.index(SET_2[0])].number
        assert latex.count(r"\textbf{A table only}") == 1
        assert f"Questions {first}\u2013{first + 1} refer to this passage." in latex
        passage_at = latex.index(r"\textbf{A table only}")
        assert passage_at < latex.index(r"\begin{question}{" + str(first) + "}")
        if first > 1:  # right after the question before the set
            assert latex.index(r"\begin{question}{" + str(first - 1) + "}") < passage_at
        # Escaped like a stem: no bank text becomes LaTeX.
        assert r"Deaths \& injuries" in latex and r"50\% of \textless{}b\textgreater{}" in latex
    assert len(orders) > 1  # versions differ, sets still whole


def test_units_are_sets_or_single_items(catalog):
    items = select_items(catalog, Selection(pool="all"))
    assert [[i.id for i in unit] for unit in units(items)] == [SET_1, ["sets-q03"], SET_2]


# -- the book -------------------------------------------------------------------------------


def test_book_html_shows_each_passage_once_above_its_set_escaped(catalog):
    from quizkit.sphinx.html import render_quiz_html

    items = select_items(catalog, Selection(pool="all"))
    page = render_quiz_html(items, title="Sets", quiz_id="qz")
    soup = BeautifulSoup(page, "html.parser")
    blocks = soup.select(".quizkit-passage")
    assert len(blocks) == 2
    order = [node.get("id") for node in soup.select(".quizkit-passage, .quizkit-item")]
    assert order == ["qz-passage-1", "qz-1", "qz-2", "qz-3", "qz-4", "qz-passage-5", "qz-5",
                     "qz-6"]
    first, table = blocks
    assert "Questions 1\u20133 refer to this passage." in first.get_text()
    # Bank text is text: the <b> typed in the passage is shown, never made bold.
    assert first.find("b") is None
    assert "A second paragraph: 50% of <b>nothing</b> is not markup." in [
        p.get_text() for p in first.find_all("p")]
    assert [th.get_text() for th in table.find_all("th")] == [
        "Tracker", "Deaths & injuries", "Attacks <n>"]
    assert all(th.get("scope") == "col" for th in table.find_all("th"))
    # Each item of a set points its fieldset at the passage; the lone item does not.
    described = {item["id"]: item.fieldset.get("aria-describedby")
                 for item in soup.select(".quizkit-item")}
    assert described == {"qz-1": "qz-passage-1", "qz-2": "qz-passage-1", "qz-3": "qz-passage-1",
                         "qz-4": None, "qz-5": "qz-passage-5", "qz-6": "qz-passage-5"}
    # The score counts the questions, not the passages.
    assert soup.select_one(".quizkit-score")["data-qk-total"] == "6"


def test_book_latex_and_plain_builders_print_the_passage_before_its_set(catalog):
    from quizkit.sphinx.fallback import quiz_as_plain_nodes
    from quizkit.sphinx.latex import render_quiz_latex
    from quizkit.sphinx.nodes import quiz_node

    items = select_items(catalog, Selection(pool="all"))
    latex = render_quiz_latex(items, title="Sets")
    assert latex.count(r"\item[] ") == 2
    assert latex.index(r"\textbf{A table only}") < latex.index("How many deaths did PIPS")
    assert latex.index("Which tracker counts more?") > latex.index(r"\textbf{Two counts")
    node = quiz_node()
    node["items"], node["quiz_title"] = items, "Sets"
    plain = quiz_as_plain_nodes(node)
    texts = [n.astext() for n in plain]
    assert texts[1].startswith("Two counts of one year <2024>. Questions 1\u20133")
    assert "Tracker | Deaths & injuries | Attacks <n>" in texts[-2]
    assert plain[-1]["start"] == 5  # numbering runs on after the passage


# -- live, exports, grading ------------------------------------------------------------------


def test_live_students_and_projector_see_the_passage_with_every_item_of_its_set(catalog):
    from quizkit.live.questions import student_view

    views = {item.id: student_view(item, n, 6)
             for n, item in enumerate(select_items(catalog, Selection(pool="all")), start=1)}
    for item_id in SET_2:
        passage = views[item_id]["passage"]
        assert passage["title"] == "A table only"
        assert passage["table"] == {"header": ["Tracker", "Deaths & injuries", "Attacks <n>"],
                                    "rows": [["GTI", "1,081", "1,099"], ["PIPS", "852", "521"]]}
    assert "passage" not in views["sets-q03"]
    assert all("correct" not in str(view["passage"]) for view in views.values()
               if "passage" in view)


def test_live_fingerprints_of_items_without_a_passage_do_not_change():
    from quizkit.live.selection import fingerprint
    from support.items import make_item

    from quizkit.live.selection import _without_lines

    item = make_item("x-q01")
    # A stored session's fingerprints were taken before items had a passage field.
    assert "passage" not in _without_lines(item)
    in_set = load_catalog([SETS_BANK]).item("sets-q01")
    assert _without_lines(in_set)["passage"]["id"] == "sets-p1"
    # A changed passage changes what the item asks: a resumed session must notice.
    assert fingerprint(in_set) != fingerprint(dataclasses.replace(in_set, passage=None))


def test_markdown_and_csv_key_number_questions_only(catalog, tmp_path):
    out = tmp_path / "x"
    status, _, err = run_quizkit("export", "--quizzes", str(SETS_BANK), "--data",
                                 str(SETS_BANK.parent / "data"), "--pool", "all",
                                 "--format", "markdown", "--format", "csv", "-o", str(out))
    assert status == 0, err
    markdown = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert markdown.count("> **") == 2
    assert markdown.index("> **A table only**") < markdown.index("How many deaths did PIPS")
    key = next(out.glob("*key.csv")).read_text(encoding="utf-8")
    rows = key.strip().splitlines()[1:]
    assert len(rows) == 6 and not any("sets-p" in row for row in rows)


def test_a_graded_report_counts_items_not_passages(tmp_path):
    paper = tmp_path / "paper"
    status, _, err = run_quizkit("paper", "--quizzes", str(SETS_BANK), "--data",
                                 str(SETS_BANK.parent / "data"), "--pool", "all",
                                 "--versions", "2", "--seed", "5", "--tex-only", "--no-sheets",
                                 "-o", str(paper))
    assert status == 0, err
    key = (paper / "key.csv").read_text(encoding="utf-8").strip().splitlines()[1:]
    assert len(key) == 12 and not any("sets-p" in row for row in key)
    answers = {}
    for row in key:
        version, number, _, _, _, answer, *_ = row.split(",")
        answers.setdefault(version, {})[int(number)] = answer
    responses = tmp_path / "responses.csv"
    responses.write_text(
        "student_id,version,1,2,3,4,5,6\n"
        + "S1,A," + ",".join(answers["A"][n] for n in range(1, 7)) + "\n"
        + "S2,B," + ",".join(answers["B"][n] for n in range(1, 7)) + "\n", encoding="utf-8")
    status, out, err = run_quizkit("grade", str(responses), "--key", str(paper / "key.csv"),
                                   "--quizzes", str(SETS_BANK), "-o", str(tmp_path / "grades"))
    assert status == 0, err
    assert "(2 versions, 6 items)" in out
    assert "Mean 6.00 of 6 questions right" in out


@needs_xelatex
def test_a_printed_version_shows_each_passage_once_before_its_set(tmp_path):
    """The real PDF: the passage (its table cell by cell) comes before the set's first
    question, once, and the typed <b> is printed, not obeyed."""
    status, _, err = run_quizkit("paper", "--quizzes", str(SETS_BANK), "--data",
                                 str(SETS_BANK.parent / "data"), "--pool", "all",
                                 "--versions", "1", "--seed", "5", "--no-sheets",
                                 "-o", str(tmp_path / "built"))
    assert status == 0, err
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "built" / "version-A.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert flat.count("A table only") == 1 and flat.count("Two counts of one year <2024>") == 1
    assert "50% of <b>nothing</b> is not markup." in flat
    assert "Tracker Deaths & injuries Attacks <n> GTI 1,081 1,099 PIPS 852 521" in flat
    key = (tmp_path / "built" / "key.csv").read_text(encoding="utf-8").splitlines()[1:]
    by_number = {int(row.split(",")[1]): row.split(",")[2] for row in key}
    first = min(n for n, item in by_number.items() if item == SET_2[0])
    assert f"Questions {first}–{first + 1} refer to this passage." in flat
    assert flat.index("A table only") < flat.index("Which rows show more deaths than attacks?")


def test_the_answer_key_prints_each_passage_once_before_its_set(catalog):
    """The instructor's key shows what the students saw: a set's passage, once, before
    its first item, with the numbering of the pool running on after it."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from quizkit.sphinx.answer_key import answer_key_sections

    document = new_document("<key>", get_default_settings(Parser))
    bank = catalog.bank("sets")
    section = answer_key_sections(document, bank, list(bank.items), chapter=None,
                                  current="key")
    exam = section.children[-1]
    text = exam.astext()
    assert text.count("Two counts of one year <2024>") == 1
    assert text.count("A table only") == 1
    assert text.index("Two counts of one year") < text.index("Which tracker counts more?")
    assert text.index("A table only") < text.index("How many deaths did PIPS")
    # sets-q06, written after the lone sets-q03, is keyed with its set.
    assert text.index("sets-q06") < text.index("sets-q03")
    lists = [n for n in exam.children if n.tagname == "enumerated_list"]
    # The first set and the lone item, then the second passage and its set.
    assert [len(n.children) for n in lists] == [4, 2]
    assert lists[1]["start"] == 5
