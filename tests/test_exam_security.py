"""A secure exam pool: exam items with a self-check twin, and exam answers printed in
student-edition solutions (``quizkit.exam_security``, ``quizkit check``).

The twins and non-twins below are rewritten from pairs found in the project's banks
(the exam item's id in its comment), so that the check is tested on the kind of pair a
reader calls a twin, not on pasted copies.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from quizkit.exam_security import (answers_in_solutions, cross_pool_twins, score_pairs,
                                   twin_problems, words)
from quizkit.solutions import HoldBack, hold_setting, page_solutions, parse_hold
from support.cli import run_quizkit
from support.sources import load_fixture_catalog


def item(item_id: str, pool: str, body: str) -> str:
    return textwrap.indent(textwrap.dedent(f"""\
        - id: {item_id}
          pool: {pool}
          objective: "o"
          difficulty: medium
          explanation: "e"
          source: {{id: seed-brief, locator: "here"}}
        """) + textwrap.indent(textwrap.dedent(body), "  "), "  ")


# Exam items and the self-check items that give them away (or do not).
TWINS = {
    # operation-q22 <- operation-q08: the three components, printed in a match item.
    "components": item("b-q01", "exam", """\
        type: single
        stem: "At the Wilson Center on 26 June 2024, Ambassador Masood Khan said the campaign had three components. Which three?"
        options:
          - {text: "Doctrinal, societal and operational", correct: true}
          - {text: "Military, economic and diplomatic"}
          - {text: "Kinetic, legal and informational"}
        """),
    "components-twin": item("b-q02", "self-check", """\
        type: match
        stem: "Match each speaker with the way he described Azm-e-Istehkam."
        pairs:
          - {left: "Shehbaz Sharif, federal cabinet, 25 June 2024", right: "A whole of system national vision"}
          - {left: "Masood Khan, Wilson Center, 26 June 2024", right: "Three components: doctrinal, societal and operational"}
          - {left: "Fazlur Rehman, Quetta, 24 June 2024", right: "A pun meaning instability"}
        """),
    # afghan_border-q22 <- operation-q07: the date, printed in an order item's explanation.
    "date": item("b-q03", "exam", """\
        type: single
        stem: "The Nation's transcript of the DG ISPR's briefing of 7 May 2024 dates the Besham attack to \\"March 2\\". What is the correct date?"
        options:
          - {text: "26 March 2024", correct: true}
          - {text: "2 March 2024"}
          - {text: "16 March 2024"}
          - {text: "26 May 2024"}
        """),
    "date-twin": item("b-q04", "self-check", """\
        type: order
        stem: "Starting with the earliest, arrange these steps in the story of Chinese nationals' security."
        events:
          - "A suicide car bomb near Besham kills five Chinese engineers and their driver"
          - "The Economic Coordination Committee decides on compensation"
          - "Xi Jinping meets Shehbaz Sharif in Beijing"
        feedback: {correct: "Right: Besham (26 March 2024), the ECC decision (23 May), Xi and Sharif (7 June).", incorrect: "Besham came first."}
        """),
    # critiques-q20 <- critiques-q08: a typed answer, printed as an event to order.
    "word": item("b-q05", "exam", """\
        type: text
        stem: "On 22 July 2024 the DG ISPR said the campaign was being turned into a political issue. Give the one word he used."
        accept: ["politicised", "politicized"]
        """),
    "word-twin": item("b-q06", "self-check", """\
        type: order
        stem: "Put these moments in the argument over Azm-e-Istehkam in chronological order."
        events:
          - "The Central Apex Committee approves Azm-e-Istehkam"
          - "The federal cabinet endorses the campaign"
          - "The DG ISPR says the campaign is being 'politicised'"
        """),
}
NOT_TWINS = {
    # background-q18 and us_position-q13: the same dialogue series and a shared
    # co-chair, but another year and another answer.
    "co-chairs": item("b-q07", "exam", """\
        type: single
        stem: "Who co-chaired the Pakistan–US Counterterrorism Dialogue held in Islamabad on 6–7 March 2023?"
        options:
          - {text: "Christopher Landberg and Syed Haider Shah", correct: true}
          - {text: "Elizabeth Richard and Syed Haider Shah"}
          - {text: "Ned Price and Syed Haider Shah"}
        """),
    "co-chairs-other-year": item("b-q08", "self-check", """\
        type: text
        stem: "The Pakistan–US Counterterrorism Dialogue in Washington on 10 May 2024 was co-chaired by Ambassador Syed Haider Shah and by the State Department's Coordinator for Counterterrorism. Give the US co-chair's full name."
        accept: ["Elizabeth Richard"]
        feedback: {correct: "Right: Elizabeth Richard co-chaired with Syed Haider Shah.", incorrect: "The US co-chair was Elizabeth Richard."}
        """),
    # sources-q16 and sources-q07: the same kind of question about another document.
    "earliest": item("b-q09", "exam", """\
        type: single
        stem: "An undated article says that talks between Pakistan and Afghanistan in Istanbul have ended without agreement. What is the earliest date on which it can have been written?"
        options:
          - {text: "7 November 2025, when the Istanbul talks ended", correct: true}
          - {text: "19 October 2025, when a ceasefire was agreed in Doha"}
          - {text: "25 June 2024, the day of Miller's briefing"}
        """),
    "earliest-other-document": item("b-q10", "self-check", """\
        type: single
        stem: "The International Defence Analysis item reports Matthew Miller's briefing remarks on Pakistan but gives no date. What is the earliest date on which it can have been written?"
        options:
          - {text: "25 June 2024, the day of Miller's briefing", correct: true}
          - {text: "22 June 2024, the day of the approval"}
          - {text: "26 June 2024, the day of the reports in Pakistan"}
        """),
    # us_position-q25 and sources-q06: the self-check item prints the date, but the
    # exam item's own stem gives it too; what it asks is which date to use.
    "which-date": item("b-q11", "exam", """\
        type: single
        stem: "The State Department's statement supporting Pakistan's right to defend itself was issued on Friday 27 February 2026, Washington time; several Pakistani outlets date it Saturday 28 February. Which date should an essay give?"
        options:
          - {text: "27 February 2026, the day it was issued in Washington", correct: true}
          - {text: "28 February 2026, because the statement concerned events in Pakistan"}
          - {text: "Either date, because the two differ by less than a day"}
        """),
    "which-date-printed": item("b-q12", "self-check", """\
        type: order
        stem: "Put these US statements in chronological order, earliest first."
        events:
          - "Ned Price says Pakistan has a right to defend itself from terrorism"
          - "Matthew Miller says the US supports Pakistan's efforts to combat terrorism"
          - "A State Department spokesperson expresses support for Pakistan's right to defend itself"
        feedback: {correct: "Right: 3 January 2023, 25 June 2024, 27 February 2026.", incorrect: "The spokesperson spoke on 27 February 2026."}
        """),
}


def write_bank(folder: Path, name: str, items: list[str]) -> Path:
    path = folder / f"{name}.yml"
    path.write_text(f"bank: {name}\ntitle: \"{name}\"\nitems:\n" + "\n".join(items),
                    encoding="utf-8")
    return path


def banks_of(tmp_path: Path, items: dict[str, str]):
    return load_fixture_catalog(write_bank(tmp_path, "b", list(items.values())),
                                sources=False).banks


def twin_ids(banks) -> set[tuple[str, str]]:
    return {(t.exam.id, t.self_check.id) for t in cross_pool_twins(banks)}


def test_twins_are_found_and_look_alikes_are_not(tmp_path):
    found = twin_ids(banks_of(tmp_path, TWINS | NOT_TWINS))
    assert found == {("b-q01", "b-q02"), ("b-q03", "b-q04"), ("b-q05", "b-q06")}


def test_a_twin_is_found_across_banks(tmp_path):
    exam = write_bank(tmp_path, "x", [TWINS["date"].replace("b-q", "x-q"),
                                      NOT_TWINS["earliest"].replace("b-q", "x-q")])
    selfcheck = write_bank(tmp_path, "y", [TWINS["date-twin"].replace("b-q", "y-q"),
                                           NOT_TWINS["earliest-other-document"].replace("b-q", "y-q")])
    banks = load_fixture_catalog(exam, selfcheck, sources=False).banks
    assert twin_ids(banks) == {("x-q03", "y-q04")}
    [problem] = twin_problems(banks)
    assert problem.severity == "warning" and problem.path.endswith("x.yml")
    assert "\n" not in str(problem)
    assert str(problem).startswith(f"warning: In {problem.path}, line {problem.line}: x-q03: "
                                   "exam item answerable from self-check item y-q04 (")
    assert "26 Mar" in problem.rule


def test_a_twin_with_its_answer_removed_is_no_twin(tmp_path):
    # The self-check item without the date it gave away: no longer a twin.
    banks = banks_of(tmp_path, {"date": TWINS["date"], "twin": TWINS["date-twin"].replace(
        "Besham (26 March 2024), ", "Besham, ")})
    assert twin_ids(banks) == set()


def test_pairs_in_one_pool_are_not_compared(tmp_path):
    same_pool = TWINS["components-twin"].replace("pool: self-check", "pool: exam")
    banks = banks_of(tmp_path, {"exam": TWINS["components"], "also-exam": same_pool})
    assert score_pairs(banks) == [] and twin_ids(banks) == set()


def test_words_keep_dates_and_numbers_apart():
    assert words("On 26 March 2024, 1,034 people") == ["26mar", "2024", "1034", "people"]
    assert "26mar" not in words("26 people on 2 March")


# -- solutions in the book ------------------------------------------------------------

PAGE = """\
# A chapter

```{exercise} Count the days
:label: ch-ex1

How many days?
```

```{solution} ch-ex1
:class: dropdown

The answer is 42 days, counted from the attack.
```

```{exercise} Name it
:label: ch-ex2

Which plan?
```

```{solution} ch-ex2
:class: dropdown

The National Action Plan.
```
"""


def test_solutions_are_read_from_markdown_and_notebooks(tmp_path):
    page = tmp_path / "ch.md"
    page.write_text(PAGE, encoding="utf-8")
    solutions = page_solutions(page, "chapters/ch")
    assert [(s.label, s.line) for s in solutions] == [("ch-ex1", 9), ("ch-ex2", 21)]
    assert "42 days" in solutions[0].text and "National Action Plan" not in solutions[0].text
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ["x = 1"], "metadata": {}, "outputs": []},
        {"cell_type": "markdown", "source": PAGE.splitlines(keepends=True), "metadata": {}},
    ]}), encoding="utf-8")
    [first, _] = page_solutions(notebook, "chapters/nb")
    assert (first.cell, first.line) == (2, 9)
    assert first.where().endswith("nb.ipynb, cell 2, line 9")


def test_hold_setting():
    assert not parse_hold(None) and not parse_hold("") and not parse_hold("none")
    assert parse_hold("all") == HoldBack(everything=True) == parse_hold(True)
    hold = parse_hold("ch-ex1, 05_critiques")
    assert hold.holds("ch-ex1", "chapters/ch") and not hold.holds("ch-ex2", "chapters/ch")
    assert hold.holds("c-ex3", "chapters/05_critiques")
    assert parse_hold(["ch-ex1", "chapters/ch"]).holds("ch-ex2", "chapters/ch")
    assert hold.unknown(["ch-ex1"], ["chapters/05_critiques"]) == []
    assert parse_hold("ch-ex9").unknown(["ch-ex1"], ["chapters/ch"]) == ["ch-ex9"]
    # The environment wins over the configuration, and can say "none".
    assert hold_setting("all", {"HOLD_SOLUTIONS": "none"}) == HoldBack()
    assert hold_setting("ch-ex1", {}) == HoldBack(names=("ch-ex1",))


EXAM_ITEMS = [
    item("b-q01", "exam", """\
        type: numeric
        stem: "How many days passed between the attack and the claim?"
        answer: {value: 42, tolerance: 0}
        """),
    item("b-q02", "exam", """\
        type: text
        stem: "What is the plan approved in December 2014 called?"
        accept: ["National Action Plan", "NAP"]
        """),
    item("b-q03", "exam", """\
        type: numeric
        stem: "How many soldiers were killed?"
        answer: {value: 7, tolerance: 0}
        """),
]


def test_exam_answers_printed_in_a_solution_are_found(tmp_path):
    page = tmp_path / "ch.md"
    page.write_text(PAGE, encoding="utf-8")
    banks = load_fixture_catalog(write_bank(tmp_path, "b", EXAM_ITEMS), sources=False).banks
    leaks = answers_in_solutions(banks, page_solutions(page, "chapters/ch"))
    assert [(leak.item.id, leak.solution.label, leak.shown) for leak in leaks] == [
        ("b-q01", "ch-ex1", "42"), ("b-q02", "ch-ex2", "'National Action Plan'")]
    # A number inside a longer one is not the answer.
    page.write_text(PAGE.replace("42 days", "420 days").replace("National Action Plan", "plan"),
                    encoding="utf-8")
    assert answers_in_solutions(banks, page_solutions(page, "chapters/ch")) == []


def make_book(tmp_path: Path, config: str = "") -> Path:
    book = tmp_path / "book"
    (book / "chapters" / "instructors").mkdir(parents=True)
    (book / "data").mkdir()
    (book / "data" / "references.bib").write_text(
        "@misc{seed-brief, title = {A brief}, year = {2024}}\n", encoding="utf-8")
    (book / "data" / "sources.yml").write_text("[]\n", encoding="utf-8")
    (book / "_config.yml").write_text("title: t\nsphinx:\n  config:\n    quizkit_course: c\n"
                                      + config, encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n- file: chapters/ch\n"
        "- file: chapters/instructors/guide\n", encoding="utf-8")
    (book / "chapters" / "intro.md").write_text("# Intro\n", encoding="utf-8")
    (book / "chapters" / "ch.md").write_text(PAGE.replace("The National Action Plan.", "A plan."),
                                             encoding="utf-8")
    (book / "chapters" / "instructors" / "guide.md").write_text(
        "# Guide\n\n```{solution} ch-ex2\nThe National Action Plan.\n```\n", encoding="utf-8")
    (book / "quizzes").mkdir()
    write_bank(book / "quizzes", "b", EXAM_ITEMS)
    return book


def check_lines(book: Path, monkeypatch) -> list[str]:
    monkeypatch.chdir(book)
    status, out, err = run_quizkit("check", "quizzes", "--data", "data")
    assert status == 0, out + err
    return [line for line in out.splitlines() if "student-edition solution" in line]


def test_quizkit_check_reports_exam_answers_in_the_books_solutions(tmp_path, monkeypatch):
    monkeypatch.delenv("HOLD_SOLUTIONS", raising=False)
    book = make_book(tmp_path)
    # The guide is an instructor page: its solution is not in the student edition.
    assert check_lines(book, monkeypatch) == [
        "warning: In quizzes/b.yml, line 11: b-q01: exam answer 42 is printed in the "
        "student-edition solution to ch-ex1 (chapters/ch.md, line 9); rewrite one of them "
        "or hold the solution back"]


def test_held_solutions_are_not_in_the_student_edition(tmp_path, monkeypatch):
    book = make_book(tmp_path, "    hold_solutions: [ch-ex1]\n")
    monkeypatch.delenv("HOLD_SOLUTIONS", raising=False)
    assert check_lines(book, monkeypatch) == []
    monkeypatch.setenv("HOLD_SOLUTIONS", "none")
    assert len(check_lines(book, monkeypatch)) == 1
    monkeypatch.setenv("HOLD_SOLUTIONS", "chapters/ch")
    assert check_lines(book, monkeypatch) == []


def test_banks_outside_a_book_are_not_judged_by_its_solutions(tmp_path, monkeypatch):
    book = make_book(tmp_path)
    elsewhere = book / "drafts"
    elsewhere.mkdir()
    write_bank(elsewhere, "b", EXAM_ITEMS)
    monkeypatch.chdir(book)
    status, out, _ = run_quizkit("check", "drafts", "--data", "data")
    assert "student-edition solution" not in out


# Rewritten from afghan_border-q21 and the solution of afghan_border-ex1 (a leak), and
# from critiques-q17 and the solution of afghan_border-ex4 (the same words, another
# question: no leak).
WORDED_ITEMS = [
    item("b-q01", "exam", """\
        type: single
        stem: "In his VOA interview of June 2024, on what ground did Defence Minister Khawaja Asif say that striking TTP sanctuaries across the border would not violate international law?"
        options:
          - {text: "Afghanistan was \\"exporting\\" terrorism", correct: true}
          - {text: "The UN Security Council had authorised such strikes"}
          - {text: "The Afghan Taliban had consented to the strikes"}
        """),
    item("b-q02", "exam", """\
        type: single
        stem: "The ISAS brief argues that military might alone is insufficient to stop political violence. What example does it give?"
        options:
          - {text: "The US withdrawal from Afghanistan", correct: true}
          - {text: "The Soviet campaign in Chechnya"}
          - {text: "The French war in Algeria"}
        """),
]
WORDED_PAGE = """\
# A chapter

```{solution} ch-ex1
:class: dropdown

Asif said strikes on TTP sanctuaries across the border would not breach international
law because Afghanistan was "exporting" terrorism. A critic could dispute the facts.
```

```{solution} ch-ex2
:class: dropdown

The explainer mentions the US withdrawal from Afghanistan of 2021, which only shows it
was written after that withdrawal; it names no official and gives no date.
```
"""


def test_an_exam_answer_given_in_other_words_is_found(tmp_path):
    page = tmp_path / "ch.md"
    page.write_text(WORDED_PAGE, encoding="utf-8")
    banks = load_fixture_catalog(write_bank(tmp_path, "b", WORDED_ITEMS), sources=False).banks
    leaks = answers_in_solutions(banks, page_solutions(page, "chapters/ch"))
    assert [(leak.item.id, leak.solution.label) for leak in leaks] == [("b-q01", "ch-ex1")]
    rule = leaks[0].problem().rule
    assert rule.startswith("b-q01: the student-edition solution to ch-ex1 (")
    assert "exporting" in rule and "\n" not in rule


def test_held_solutions_are_cut_from_a_page_source(tmp_path):
    from quizkit.solutions import without_held

    note = "Held back."
    hold = parse_hold("ch-ex1")
    assert without_held(PAGE, ".md", "chapters/ch", hold, note).count("```{solution}") == 1
    stripped = without_held(PAGE, ".md", "chapters/ch", hold, note)
    assert "42 days" not in stripped and "National Action Plan" in stripped and note in stripped
    notebook = json.dumps({"cells": [
        {"cell_type": "markdown", "source": PAGE.splitlines(keepends=True), "metadata": {}},
        {"cell_type": "code", "source": ["print('42 days')"], "metadata": {}, "outputs": []},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    cells = json.loads(without_held(notebook, ".ipynb", "chapters/ch", hold, note))["cells"]
    assert "42 days" not in "".join(cells[0]["source"]) and note in "".join(cells[0]["source"])
    assert cells[1]["source"] == ["print('42 days')"]  # code is not a solution
    # Nothing held: the source is left exactly as it was.
    assert without_held(PAGE, ".md", "chapters/ch", parse_hold("none"), note) == PAGE


def test_a_bad_hold_setting_is_one_error_at_the_config(tmp_path, monkeypatch):
    monkeypatch.delenv("HOLD_SOLUTIONS", raising=False)
    book = make_book(tmp_path, "    hold_solutions: 5\n")
    monkeypatch.chdir(book)
    status, out, err = run_quizkit("check", "quizzes", "--data", "data")
    assert status == 2
    errors = [line for line in out.splitlines() if line.startswith("In _config.yml")]
    assert errors == ["In _config.yml: hold_solutions must be 'all', 'none' or a list of "
                      "exercise labels and chapters, not 5"]


def test_what_the_exam_stem_already_says_is_not_given_away(tmp_path):
    banks = banks_of(tmp_path, {k: NOT_TWINS[k] for k in ("which-date", "which-date-printed")})
    [pair] = score_pairs(banks)
    # The self-check item prints 27 February 2026, which the exam stem states itself.
    assert (pair.exam.id, pair.self_check.id) == ("b-q11", "b-q12")
    assert pair.answer_shown == 0 and pair.shared == ()
