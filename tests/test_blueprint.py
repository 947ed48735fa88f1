"""The exam blueprint (objectives × levels): counted right, from whatever the banks hold.

The counts are checked against the project's banks as read here, independently, with
PyYAML; then an item added to a copy of a bank must change the table.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from quizkit.blueprint import NO_LEVEL, blueprint, shade_steps
from quizkit.coverage import load_objective_list
from quizkit.model import LEVELS
from quizkit.project import load_catalog
from support.cli import run_quizkit

ROOT = Path(__file__).resolve().parents[1]
QUIZZES = ROOT / "quizzes"
DATA = ROOT / "data"


def counted_from_yaml(pools=("exam",)) -> tuple[Counter, Counter, int]:
    """(objective, level) -> items, level -> items, and the number of items, read
    straight from the YAML files."""
    cells, levels, items = Counter(), Counter(), 0
    for path in sorted(QUIZZES.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            if item["pool"] not in pools:
                continue
            items += 1
            levels[item.get("level")] += 1
            for objective in item.get("objectives") or []:
                cells[objective, item.get("level")] += 1
    return cells, levels, items


def listed_objectives() -> list[str]:
    with (DATA / "objectives.csv").open(encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


@pytest.mark.parametrize("pools", [("exam",), ("self-check", "exam")])
def test_counts_match_the_banks(pools):
    cells, levels, items = counted_from_yaml(pools)
    objectives, problems = load_objective_list(DATA)
    assert problems == []
    plan = blueprint(load_catalog([QUIZZES]).banks, objectives, pools)
    assert [row.objective.id for row in plan.rows][:len(objectives)] == listed_objectives()
    for row in plan.rows:
        assert dict(zip(plan.columns, row.counts)) == {
            level: cells[row.objective.id, level] for level in LEVELS}, row.objective.id
    assert plan.columns == LEVELS  # every item of the project has a level
    assert plan.items_per_column == tuple(levels[level] for level in LEVELS)
    assert plan.items == items > 0


def cli_table(*argv: str) -> list[list[str]]:
    status, out, err = run_quizkit("blueprint", *argv, "--format", "csv")
    assert status == 0, err
    return list(csv.reader(io.StringIO(out)))


def test_an_added_item_changes_the_table(tmp_path):
    copy = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, copy)
    before = cli_table(str(copy), "--data", str(DATA))
    bank = copy / "operation.yml"
    bank.write_text(bank.read_text(encoding="utf-8") + """
  - id: operation-q99
    type: single
    pool: exam
    objective: "Judge a description of the approving forum"
    difficulty: hard
    level: evaluate
    objectives: [OP1]
    stem: "Which description of the body that approved the campaign on 22 June 2024 is best supported?"
    options:
      - text: "The Central Apex Committee on the National Action Plan"
        correct: true
      - text: "The federal cabinet"
      - text: "The National Security Committee"
    explanation: "The Central Apex Committee approved it."
    source: {id: pmo-2024-06-22, locator: "statement of 22 June 2024"}
""", encoding="utf-8")
    after = cli_table(str(copy), "--data", str(DATA))
    header = before[0]
    assert header == ["chapter", "objective", "text", *LEVELS, "total"]
    changed = [(b[1], header[i]) for b, a in zip(before, after)
               for i in range(3, len(header)) if b[i] != a[i]]
    assert changed == [("OP1", "evaluate"), ("OP1", "total"), ("", "evaluate"), ("", "total")]
    op1 = next(row for row in after if row[1] == "OP1")
    assert int(op1[header.index("evaluate")]) == int(
        next(row for row in before if row[1] == "OP1")[header.index("evaluate")]) + 1


def test_markdown_table_has_a_row_per_objective_and_totals():
    status, out, _ = run_quizkit("blueprint", str(QUIZZES), "--data", str(DATA))
    assert status == 0
    lines = out.splitlines()
    assert lines[2] == "| Chapter | Objective | " + " | ".join(LEVELS) + " | Total |"
    rows = [line for line in lines[4:] if line.startswith("|")]
    assert len(rows) == len(listed_objectives()) + 1
    _, _, items = counted_from_yaml()
    assert rows[-1].endswith(f"| {items} |") and "Items (each counted once)" in rows[-1]
    assert lines[0] == f"Exam blueprint: exam pool, {items} items"


def test_items_without_level_or_listed_objective_are_shown(tmp_path):
    from support.sources import load_fixture_catalog

    bank = tmp_path / "b.yml"
    bank.write_text("""bank: b
title: "b"
items:
  - id: b-q01
    type: numeric
    pool: exam
    objective: "o"
    difficulty: easy
    objectives: [ZZ9]
    stem: "How many?"
    answer: {value: 3, tolerance: 0}
    explanation: "e"
    source: {id: seed-brief, locator: "here"}
  - id: b-q02
    type: numeric
    pool: exam
    objective: "o"
    difficulty: easy
    level: apply
    stem: "How many more?"
    answer: {value: 4, tolerance: 0}
    explanation: "e"
    source: {id: seed-brief, locator: "here"}
""", encoding="utf-8")
    objectives, _ = load_objective_list(DATA)
    plan = blueprint(load_fixture_catalog(bank, sources=False).banks, objectives)
    assert plan.columns == (*LEVELS, NO_LEVEL)
    extra = {row.objective.id: row.counts for row in plan.rows[len(objectives):]}
    assert extra == {"ZZ9": (0, 0, 0, 0, 0, 1), "—": (0, 0, 1, 0, 0, 0)}
    assert plan.items == 2 and sum(row.total for row in plan.rows) == 2


def test_output_file_is_new_unless_forced(tmp_path):
    target = tmp_path / "blueprint.csv"
    status, out, _ = run_quizkit("blueprint", str(QUIZZES), "--data", str(DATA),
                                 "--format", "csv", "-o", str(target))
    assert status == 0 and target.read_text(encoding="utf-8").startswith("chapter,objective")
    target.write_text("mine", encoding="utf-8")
    status, _, err = run_quizkit("blueprint", str(QUIZZES), "--data", str(DATA), "-o", str(target))
    assert status == 2 and len(err.strip().splitlines()) == 1 and "already exists" in err
    assert target.read_text(encoding="utf-8") == "mine"


def test_shading_steps():
    assert [shade_steps(n, 8) for n in (0, 1, 2, 3, 4, 5, 8)] == [0, 1, 1, 2, 2, 3, 4]
    assert shade_steps(0, 0) == 0


# -- the quiz-blueprint directive, in a small book built through the Makefile ----------


def make_book(tmp_path: Path, page: str) -> Path:
    book = tmp_path / "book"
    (book / "chapters" / "instructors").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(DATA, book / "data")
    (book / "quizzes").mkdir()
    shutil.copy(QUIZZES / "operation.yml", book / "quizzes" / "operation.yml")
    shutil.copy(ROOT / "chapters" / "bibliography.md", book / "chapters" / "bibliography.md")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n- file: chapters/bibliography\n"
        "- file: chapters/instructors/plan\n", encoding="utf-8")
    (book / "chapters" / "intro.md").write_text("# Intro\n\nA page.\n", encoding="utf-8")
    (book / "chapters" / "instructors" / "plan.md").write_text(
        "# Plan\n\n```{quiz-blueprint}\n:pool: exam\n```\n", encoding="utf-8")
    if page:
        (book / "chapters" / "intro.md").write_text(page, encoding="utf-8")
    return book


def build(book: Path, target: str):
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("HOLD_SOLUTIONS", "QUIZKIT_EDITION")}
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), target,
                           f"BOOK_DIR={book}"], capture_output=True, text=True, timeout=600,
                          env=env)


def exam_items(bank: Path) -> int:
    return sum(i["pool"] == "exam" for i in yaml.safe_load(bank.read_text("utf-8"))["items"])


@pytest.mark.build
def test_the_instructor_page_is_recounted_when_a_bank_changes(tmp_path):
    book = make_book(tmp_path, "")
    bank = book / "quizzes" / "operation.yml"
    count = exam_items(bank)
    result = build(book, "book-instructor")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = book / "_build" / "instructor" / "_build" / "html" / "chapters" / "instructors" / "plan.html"
    assert f"Blueprint of the exam pool: {count} items" in page.read_text("utf-8")
    # One more exam item: the next (incremental) build recounts.
    text = bank.read_text("utf-8")
    first = text.index("  - id: operation-q16")
    end = text.index("  - id: ", first + 10)
    bank.write_text(text + "\n" + text[first:end].replace("operation-q16", "operation-q98"),
                    encoding="utf-8")
    assert exam_items(bank) == count + 1
    result = build(book, "book-instructor")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"Blueprint of the exam pool: {count + 1} items" in page.read_text("utf-8")


@pytest.mark.build
def test_the_blueprint_is_refused_in_the_student_edition(tmp_path):
    book = make_book(tmp_path, "# Intro\n\n```{quiz-blueprint}\n```\n")
    result = build(book, "book")
    assert result.returncode != 0
    assert "quiz-blueprint is only allowed in the instructor edition" in result.stdout + result.stderr


@pytest.mark.build
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_blueprint_table_passes_axe_in_both_colour_modes(mode):
    # The shading must keep every number readable (axe-core's contrast rule among others).
    from browser_support import CHROMIUM, axe_problems, axe_source, block_outside, launch, serve

    site = ROOT / "_build" / "instructor" / "_build" / "html"
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium package (/usr/bin/chromium)")
    if not (site / "index.html").exists():
        pytest.fail("the instructor edition is not built: run `make book-instructor` first")
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          color_scheme=mode)
            page = context.new_page()
            block_outside(context)
            page.goto(base + "chapters/instructors/unit_plan.html", wait_until="load")
            assert page.locator("table.qk-blueprint td.qk-bp-4").count() >= 1  # shaded
            problems = axe_problems(page, axe_source(), "table.qk-blueprint")
        finally:
            browser.close()
    assert problems == []


def test_a_broken_bank_stops_the_blueprint_with_one_line_per_problem(tmp_path):
    bank = tmp_path / "quizzes" / "operation.yml"
    bank.parent.mkdir()
    text = (QUIZZES / "operation.yml").read_text(encoding="utf-8")
    bank.write_text(text.replace("level: remember", "level: recall", 1), encoding="utf-8")
    status, out, err = run_quizkit("blueprint", str(bank.parent), "--data", str(DATA))
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"In {bank}, line ")
    assert "`level` must be one of" in lines[0]
    assert "Traceback" not in err
