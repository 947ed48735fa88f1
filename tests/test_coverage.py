"""What `quizkit check` reports about levels and objectives, on a small bank and on
the project's own banks."""

from __future__ import annotations

from pathlib import Path

from quizkit.coverage import TARGET_BEYOND_RECALL, coverage
from quizkit.bank import read_bank
from quizkit.project import load_project

ROOT = Path(__file__).resolve().parents[1]
BANK = """bank: cov
title: "Coverage fixture"
items:
{items}
"""
ITEM = """  - id: cov-q{n:02d}
    type: single
    pool: {pool}
    objective: "An objective"
    difficulty: easy
    level: {level}
    objectives: [{objectives}]
    stem: "Question {n}?"
    options:
      - text: "Right"
        correct: true
      - text: "Wrong"
      - text: "Also wrong"
    explanation: "Because."
    source: {{id: other-book, locator: "chapter 2"}}
"""


def write_bank(tmp_path, specs) -> Path:
    items = "".join(ITEM.format(n=n, pool=pool, level=level, objectives=objectives)
                    for n, (pool, level, objectives) in enumerate(specs, start=1))
    path = tmp_path / "cov.yml"
    path.write_text(BANK.format(items=items), encoding="utf-8")
    return path


def test_levels_and_objectives_are_counted_and_gaps_flagged(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "objectives.csv").write_text(
        "id,chapter,objective\nX1,one,First\nX2,one,Second\n", encoding="utf-8")
    path = write_bank(tmp_path, [
        ("exam", "remember", "X1"), ("exam", "analyse", "X1"),
        ("self-check", "evaluate", "X2"), ("self-check", "remember", "Y9")])
    reading = read_bank(path)  # no reference list: the source ids are not checked here
    assert reading.problems == [], reading.problems
    bank = reading.bank
    result = coverage([bank], data)
    assert result.beyond_recall("exam") == 0.5
    assert result.beyond_recall("self-check") == 0.5
    rules = [(p.severity, p.rule) for p in result.problems]
    # Y9 is named by an item but listed nowhere: an error at the item.
    assert ("error", "cov-q04: objective Y9 is not listed in objectives.csv") in rules
    # X2 has a single item: a warning naming the objective.
    assert any(sev == "warning" and "objective X2 is assessed by 1 item(s)" in rule
               for sev, rule in rules)
    assert not any("X1" in rule for _, rule in rules)
    lines = result.lines()
    assert lines[0].startswith("levels (self-check): remember 1, understand 0, apply 0, "
                               "analyse 0, evaluate 1; beyond recall 50%")
    assert "objectives (items each): X1 2, X2 1" in lines


def test_project_banks_meet_the_level_targets_and_cover_every_objective():
    report = load_project([ROOT / "quizzes"], data_dir=ROOT / "data", lint=True)
    assert report.errors == [], [str(p) for p in report.errors]
    cov = report.coverage
    for pool, target in TARGET_BEYOND_RECALL.items():
        assert cov.beyond_recall(pool) >= target, (pool, cov.lines())
    assert all(None not in counts or counts[None] == 0 for counts in cov.levels.values())
    assert cov.without_objective == 0
    thin = [str(p) for p in report.warnings if "is assessed by" in p.rule]
    assert thin == []


def test_item_sets_are_counted_per_pool():
    """An instructor sees how many context-dependent sets each pool holds, and their size."""
    from support.lms import SETS_BANK

    result = coverage([read_bank(SETS_BANK / "sets.yml").bank], None)
    assert "item sets (exam): 2, with 5 items (sets-p1 3, sets-p2 2)" in result.lines()
    assert not any(line.startswith("item sets (self-check)") for line in result.lines())
