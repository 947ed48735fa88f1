"""The strict build: `make book` must fail on any Sphinx warning.

A tiny copy of the book (the real _config.yml, the data and one page) is built through
the real Makefile target, once as it is and once with a broken cross-reference.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def make_small_book(tmp_path: Path, page: str) -> Path:
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(ROOT / "data", book / "data")
    # Citations resolve only against a {bibliography} directive, so the real one comes too.
    shutil.copy(ROOT / "chapters" / "bibliography.md", book / "chapters" / "bibliography.md")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n- file: chapters/bibliography\n", encoding="utf-8"
    )
    (book / "chapters" / "intro.md").write_text(page, encoding="utf-8")
    return book


def make_book(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "book", f"BOOK_DIR={book}"],
        capture_output=True, text=True, timeout=600,
    )


@pytest.mark.parametrize(
    "broken, message",
    [
        ("See {doc}`no_such_page`.", "unknown document"),
        ("As {cite:p}`no-such-key-1999` shows.", "could not find bibtex key"),
    ],
)
def test_a_warning_fails_the_build(tmp_path, broken, message):
    book = make_small_book(tmp_path, f"# A page\n\nFine {{cite:p}}`isas-2024`. {broken}\n")
    result = make_book(book)
    assert result.returncode != 0, "a page with a Sphinx warning built without error"
    assert message in (result.stdout + result.stderr).lower()


def test_a_clean_page_builds(tmp_path):
    book = make_small_book(tmp_path, "# A page\n\nFine {cite:p}`isas-2024`.\n")
    result = make_book(book)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (book / "_build" / "html" / "index.html").exists()


def test_a_key_written_in_text_is_shown_as_a_linked_name(tmp_path):
    """A reference key written in running text, as code or in a notebook's HTML output
    reads as the entry's short name and number, linked to the bibliography
    (resolve_book.source_keys); a key in a code block is left as written."""
    page = ("# A page\n\nAs isas-2024 says, and `ida-2024` too {cite:p}`isas-2024`.\n\n"
            "```python\nprofile(\"isas-2024\")\n```\n")
    book = make_small_book(tmp_path, page)
    result = make_book(book)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    html = (book / "_build" / "html" / "chapters" / "intro.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    assert "As Ahmed and Karikalan [" in text
    assert "International Defence Analysis [" in text
    links = re.findall(r'<a class="[^"]*\bsource-key\b[^"]*" href="bibliography\.html#bib-([^"]+)"', html)
    assert sorted(links) == ["ida-2024", "isas-2024"]
    assert "As isas-2024 says" not in text and "`ida-2024`" not in text
    assert "isas-2024" in re.sub(r"<[^>]+>", "", html.split('<div class="highlight', 1)[1])
