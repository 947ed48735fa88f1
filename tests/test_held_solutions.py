"""Solutions held back from the student edition (``hold_solutions`` / ``$HOLD_SOLUTIONS``).

A small book (the real _config.yml and extensions, two chapters with exercises) is
built through the Makefile's ``book`` and ``book-instructor`` targets, as an instructor
would, and the built site is read: its pages, its search index and the page sources it
offers for download. Each solution holds one made-up word, so that finding it anywhere
means the solution is there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.build  # builds books: not part of `make unit`

ROOT = Path(__file__).resolve().parents[1]

CHAPTER_ONE = """\
# Chapter one

```{exercise} Weigh the claim
:label: one-ex1

Is the claim sound?
```

```{solution} one-ex1
:class: dropdown

Quillwort: the claim rests on one unnamed source.
```

```{exercise} Date the document
:label: one-ex2

When was it written?
```

```{solution} one-ex2
:class: dropdown

Tamarind: after 25 June 2024.
```
"""

CHAPTER_TWO = """\
# Chapter two

```{exercise} Count
:label: two-ex1

How many?
```

```{solution} two-ex1
:class: dropdown

Kumquat: forty-two.
```
"""
# The word in each solution, by exercise label (single stems in the search index).
WORDS = {"one-ex1": "quillwort", "one-ex2": "tamarind", "two-ex1": "kumquat"}


def make_book(tmp_path: Path, config: str = "") -> Path:
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    if config:
        text = (book / "_config.yml").read_text(encoding="utf-8")
        # The book's own setting (none) is replaced, as an instructor would edit it.
        setting = "    hold_solutions: none\n"
        assert setting in text
        text = text.replace(setting, f"    {config}\n", 1)
        (book / "_config.yml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "data", book / "data")
    shutil.copy(ROOT / "chapters" / "bibliography.md", book / "chapters" / "bibliography.md")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n- file: chapters/ch1\n"
        "- file: chapters/ch2\n- file: chapters/bibliography\n", encoding="utf-8")
    (book / "chapters" / "intro.md").write_text("# Intro\n\nA page.\n", encoding="utf-8")
    (book / "chapters" / "ch1.md").write_text(CHAPTER_ONE, encoding="utf-8")
    (book / "chapters" / "ch2.md").write_text(CHAPTER_TWO, encoding="utf-8")
    return book


def build(book: Path, target: str = "book", hold: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("HOLD_SOLUTIONS", "QUIZKIT_EDITION")}
    if hold is not None:
        env["HOLD_SOLUTIONS"] = hold
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), target,
                           f"BOOK_DIR={book}"], capture_output=True, text=True, timeout=600,
                          env=env)


def site_of(book: Path, target: str) -> Path:
    return book / "_build" / ("instructor/_build/html" if target == "book-instructor" else "html")


def solutions_in(site: Path) -> dict[str, set[str]]:
    """Where each solution's word appears: "pages", "search", "sources"."""
    pages = " ".join(p.read_text(encoding="utf-8").lower() for p in site.glob("chapters/*.html"))
    # Every word in the file: Sphinx keeps a removed word with an empty page list.
    index = (site / "searchindex.js").read_text(encoding="utf-8").lower()
    sources = " ".join(p.read_text(encoding="utf-8").lower()
                       for p in (site / "_sources").rglob("*") if p.is_file())
    return {label: {where for where, found in (("pages", word in pages),
                                               ("search", word in index),
                                               ("sources", word in sources)) if found}
            for label, word in WORDS.items()}


EVERYWHERE = {"pages", "search", "sources"}


@pytest.fixture(scope="module")
def held_book(tmp_path_factory):
    """One book built three ways with one exercise and one chapter held back."""
    book = make_book(tmp_path_factory.mktemp("held"))
    results = {}
    for name, target, hold in (("plain", "book", None),
                               ("instructor", "book-instructor", "one-ex1, ch2")):
        result = build(book, target, hold)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        results[name] = solutions_in(site_of(book, target))
    # The student build last: the plain build above wrote the same folder.
    result = build(book, "book", "one-ex1, ch2")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results["held"] = solutions_in(site_of(book, "book"))
    results["held-page"] = (site_of(book, "book") / "chapters" / "ch1.html").read_text("utf-8")
    return results


def test_without_the_setting_every_solution_is_in_the_student_edition(held_book):
    assert held_book["plain"] == {label: EVERYWHERE for label in WORDS}


def test_held_solutions_leave_the_student_pages_search_index_and_sources(held_book):
    assert held_book["held"] == {"one-ex1": set(), "one-ex2": EVERYWHERE, "two-ex1": set()}
    assert "held back" in held_book["held-page"]  # the reader is told why


def test_the_instructor_edition_keeps_held_solutions(held_book):
    assert held_book["instructor"] == {label: EVERYWHERE for label in WORDS}


def test_all_solutions_can_be_held_in_the_config(tmp_path):
    book = make_book(tmp_path, "hold_solutions: all")
    result = build(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert solutions_in(site_of(book, "book")) == {label: set() for label in WORDS}


@pytest.mark.parametrize("where", ["environment", "config"])
def test_an_unknown_exercise_fails_the_build_in_one_line(tmp_path, where):
    book = make_book(tmp_path, "hold_solutions: [one-ex1, one-ex9]" if where == "config" else "")
    result = build(book, hold="one-ex1, one-ex9" if where == "environment" else None)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if "one-ex9" in line]
    assert len(lines) == 1, output[-3000:]
    assert "neither an exercise label nor a chapter of this book" in lines[0]
    assert "one-ex1" not in lines[0]
    assert ("$HOLD_SOLUTIONS" if where == "environment" else "_config.yml:") in lines[0]
    assert "Traceback" not in output
