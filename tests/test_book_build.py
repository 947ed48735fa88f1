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


def test_an_incremental_build_renumbers_citations_on_unchanged_pages(tmp_path):
    """The bibliography numbers every entry in author order; a new entry sorting first
    renumbers the others. A rebuild must show the new numbers on pages that did not
    change, not those of the previous build (resolve_book.citation_numbers)."""
    book = make_small_book(tmp_path, "# A page\n\nSee {doc}`other`.\n")
    # A page that neither changes nor lists the bibliography in its contents.
    (book / "chapters" / "other.md").write_text("# Other\n\nFine {cite:p}`isas-2024`.\n",
                                                encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n- file: chapters/other\n"
        "- file: chapters/bibliography\n", encoding="utf-8")

    def shown_and_listed() -> tuple[str, str]:
        site = book / "_build" / "html" / "chapters"
        page = (site / "other.html").read_text(encoding="utf-8")
        shown = re.search(r'href="bibliography\.html#bib-isas-2024"[^>]*>(.*?)</a>', page, re.S)
        listing = (site / "bibliography.html").read_text(encoding="utf-8")
        listed = re.search(r'id="bib-isas-2024"[^>]*>.*?(\d+)', listing, re.S)
        return re.sub(r"<[^>]+>|\D", "", shown.group(1)), listed.group(1)

    assert make_book(book).returncode == 0
    before, listed = shown_and_listed()
    assert before == listed
    with (book / "data" / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{aaa-first-2024,\n  author = {Aaberg, Anna},\n"
                  "  title = {{A report that sorts first}},\n  year = {2024},\n}\n")
    result = make_book(book)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    after, listed = shown_and_listed()
    assert listed == str(int(before) + 1), "the new entry did not renumber the bibliography"
    assert after == listed, f"the unchanged page still cites [{after}]; the bibliography lists [{listed}]"
