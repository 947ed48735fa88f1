"""The project's own banks in quizzes/: valid against the project's data, and complete.

These banks are written alongside the code; until they all exist, the completeness
tests fail by design.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizkit.model import ITEM_TYPES
from quizkit.project import load_catalog, load_project
from quizkit.sources import find_seeds_dir

ROOT = Path(__file__).resolve().parents[1]
QUIZZES = ROOT / "quizzes"
DATA = ROOT / "data"
CHAPTER_BANKS = ("background", "operation", "us_position", "afghan_border", "critiques")
ALL_BANKS = (*CHAPTER_BANKS, "sources")
MIN_SELF_CHECK, MIN_EXAM, MIN_SOURCES_ITEMS = 12, 8, 6


def load_bank(path: Path):
    return load_catalog([path]).banks[0]


def test_every_bank_passes_quizkit_check():
    # Seeds from $QUIZKIT_SEEDS if set, else ../shared/seeds beside the repository.
    report = load_project([QUIZZES], data_dir=DATA, lint=True)
    assert report.errors == [], "\n".join(str(p) for p in report.errors)
    seeds_dir, _ = find_seeds_dir(DATA)
    if seeds_dir.is_dir():
        # The quotes were really compared with the seed texts, not skipped.
        assert report.notes == [], report.notes


def student_solutions():
    """Every exercise solution the student edition prints (none held back)."""
    from quizkit.project import book_settings, student_solutions as solutions

    return solutions(book_settings(QUIZZES), environ={})


def test_no_exam_answer_is_printed_in_a_student_solution():
    from quizkit.exam_security import answers_in_solutions

    banks = [load_bank(QUIZZES / f"{name}.yml") for name in ALL_BANKS]
    solutions = student_solutions()
    assert len(solutions) >= 25  # the chapters' solutions were really read
    leaks = [leak.problem() for leak in answers_in_solutions(banks, solutions)]
    assert leaks == [], "\n".join(map(str, leaks))


def test_the_leak_check_finds_a_printed_answer():
    # The exam once asked for the days from the Besham attack to the DG ISPR's claim
    # while a solution printed "42": the check must catch that kind of leak.
    from dataclasses import replace

    from quizkit.exam_security import answers_in_solutions

    banks = [load_bank(QUIZZES / "us_position.yml")]
    item = next(i for i in banks[0].items
                if i.pool == "exam" and i.type == "numeric" and i.answer.value >= 10)
    solution = next(s for s in student_solutions() if s.label.startswith("us_position-"))
    printed = replace(solution, text=f"... the answer is {item.answer.value:g} days ...")
    leaks = answers_in_solutions(banks, [printed])
    assert [(leak.item.id, leak.shown, leak.solution.label) for leak in leaks] == [
        (item.id, f"{item.answer.value:g}", solution.label)]
    assert str(leaks[0].problem()).startswith(f"warning: In {banks[0].path}, line ")


def test_no_exam_item_has_a_self_check_twin():
    # Issue 19, item 3: no exam item answerable from a self-check item. The lint's
    # cross-pool twin check (quizkit.exam_security) names each pair.
    report = load_project([QUIZZES], data_dir=DATA, lint=True)
    twins = [str(w) for w in report.warnings if "answerable from self-check item" in w.rule]
    assert twins == [], f"{len(twins)} exam items with a self-check twin:\n" + "\n".join(twins)


def test_every_item_has_a_level_and_an_objective():
    for name in ALL_BANKS:
        for item in load_bank(QUIZZES / f"{name}.yml").items:
            assert item.level and item.objectives, item.id


def test_no_keyed_option_closes_a_list_of_dates():
    # CONTENT.md rule 8: a key marked wrong for the student who knows one more date
    # (the March 2023 briefings) must not come back.
    report = load_project([QUIZZES], data_dir=DATA, lint=True)
    closed = [str(w) for w in report.warnings if "as if the list were complete" in w.rule]
    assert closed == [], "\n".join(closed)


@pytest.mark.parametrize("name", CHAPTER_BANKS)
def test_chapter_bank_has_enough_items_in_each_pool(name):
    bank = load_bank(QUIZZES / f"{name}.yml")
    assert len(bank.in_pool("self-check")) >= MIN_SELF_CHECK
    assert len(bank.in_pool("exam")) >= MIN_EXAM


def test_sources_bank_has_enough_items():
    assert len(load_bank(QUIZZES / "sources.yml").items) >= MIN_SOURCES_ITEMS


def test_all_six_item_types_are_used():
    used = {item.type for name in ALL_BANKS if (QUIZZES / f"{name}.yml").exists()
            for item in load_bank(QUIZZES / f"{name}.yml").items}
    assert used == set(ITEM_TYPES)
