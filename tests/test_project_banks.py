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


def solutions_in_chapters() -> dict[str, str]:
    """Every exercise solution printed in the student edition, by exercise label."""
    import json
    import re

    found = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for match in re.finditer(r"```\{solution\}\s+(\S+).*?```", text, re.S):
            found[match.group(1)] = match.group(0)
    return found


def exam_answers_printed_in(solutions: dict[str, str], banks) -> list[str]:
    """Exam items whose typed answer, number or pairs a student can read in a solution."""
    import re

    from quizkit.model import format_number

    leaks = []
    for item in (i for bank in banks for i in bank.items if i.pool == "exam"):
        for label, text in solutions.items():
            if item.type == "numeric" and abs(item.answer.value) >= 10:
                forms = {format_number(item.answer.value), f"{item.answer.value:,.0f}"}
                if any(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d])", text) for f in forms):
                    leaks.append(f"{item.id}: {item.answer.value:g} in {label}")
            elif item.type == "text":
                if any(re.search(rf"\b{re.escape(a)}\b", text, re.I) for a in item.accept):
                    leaks.append(f"{item.id}: '{item.accept[0]}' in {label}")
            elif item.type == "match":
                shown = [p for p in item.pairs
                         if p.left.lower() in text.lower() and p.right.lower() in text.lower()]
                if len(shown) >= 2:
                    leaks.append(f"{item.id}: {len(shown)} pairs in {label}")
    return leaks


def test_no_exam_answer_is_printed_in_a_student_solution():
    banks = [load_bank(QUIZZES / f"{name}.yml") for name in ALL_BANKS]
    assert exam_answers_printed_in(solutions_in_chapters(), banks) == []


def test_the_leak_check_finds_a_printed_answer():
    # The exam once asked for the days from the Besham attack to the DG ISPR's claim
    # while a solution printed "42": the check must catch that kind of leak.
    banks = [load_bank(QUIZZES / "us_position.yml")]
    item = next(i for i in banks[0].items
                if i.pool == "exam" and i.type == "numeric" and i.answer.value >= 10)
    printed = {"us_position-ex9": f"... the answer is {item.answer.value:g} days ..."}
    assert exam_answers_printed_in(printed, banks) == [
        f"{item.id}: {item.answer.value:g} in us_position-ex9"]


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
