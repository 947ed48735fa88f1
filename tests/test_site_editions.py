"""The two editions of the built site: students see no keys, instructors see them all.

`make test` builds both editions first (`make book book-instructor`); these tests read
the result. Run `make book book-instructor` before running them on their own.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quizkit.project import load_catalog
from support.labels import site_labels, with_labels

ROOT = Path(__file__).resolve().parents[1]
STUDENT = ROOT / "_build" / "html"
INSTRUCTOR = ROOT / "_build" / "instructor" / "_build" / "html"


def site_text(site: Path) -> dict[str, str]:
    if not (site / "index.html").exists():
        pytest.fail(f"{site.relative_to(ROOT)} is not built: run `make book book-instructor` first")
    pages = {str(p.relative_to(site)): p.read_text(encoding="utf-8")
             for p in site.rglob("*.html")}
    pages["searchindex.js"] = (site / "searchindex.js").read_text(encoding="utf-8")
    return pages


# Sphinx's smart quotes turn ' " ... and -- into typographic characters in ordinary
# text; page and bank text are compared after the same folding.
TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-"})


def fold(text: str) -> str:
    return text.translate(TYPOGRAPHIC).replace("\u2026", "...").replace("--", "-")


def visible(page: str) -> str:
    """Page text as a reader (or a search engine) sees it: entities decoded, typography
    folded."""
    return fold(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def squash(text: str) -> str:
    return " ".join(text.split())


def as_shown(text: str, labels: dict[str, str]) -> str:
    """Bank text as the site shows it: reference keys read as their labels (spaces
    squashed: a label is a link, whose tags ``visible`` turns into spaces)."""
    return squash(fold(with_labels(text, labels)))


def shown_labels(pages: dict[str, str]) -> dict[str, str]:
    return {key: fold(label) for key, label in site_labels(pages).items()}

@pytest.fixture(scope="module")
def items():
    return [item for bank in load_catalog([ROOT / "quizzes"]) for item in bank.items]


@pytest.fixture(scope="module")
def student_pages():
    return site_text(STUDENT)


@pytest.fixture(scope="module")
def instructor_pages():
    return site_text(INSTRUCTOR)


def test_student_edition_has_no_exam_item(student_pages, items):
    exam = [item for item in items if item.pool == "exam"]
    assert exam, "the banks hold no exam items"
    # A generic stem ("Put these events in order…") may be shared with a self-check item.
    labels = shown_labels(student_pages)
    shown_stems = {as_shown(item.stem, labels) for item in items if item.pool == "self-check"}
    for name, page in student_pages.items():
        text = squash(fold(page) if name.endswith(".js") else visible(page))
        for item in exam:
            for stem in {squash(fold(item.stem)), as_shown(item.stem, labels)}:
                if stem not in shown_stems:
                    assert stem not in text, f"exam item {item.id} appears in the student page {name}"
            assert item.id not in page, f"exam item id {item.id} appears in the student page {name}"


def test_student_edition_has_no_plain_key(student_pages, items):
    assert not any("answer_key" in name or "instructors/" in name for name in student_pages)
    for name, page in student_pages.items():
        assert "data-correct" not in page, f"{name} marks correct options in plain view"
        assert "quizkit-answer-key" not in page, f"{name} carries an answer key"
    # No self-check explanation is readable without answering: they travel encoded.
    for item in items:
        if item.pool == "self-check" and len(item.explanation) > 40:
            for name, page in student_pages.items():
                if name.endswith(".html"):
                    assert fold(item.explanation) not in visible(page), (
                        f"the explanation of {item.id} is in plain view in {name}")


def test_every_self_check_item_is_in_the_student_book(student_pages, items):
    pages = squash(" ".join(visible(p) for n, p in student_pages.items() if n.endswith(".html")))
    labels = shown_labels(student_pages)
    # quizzes/handout.yml is the printed handout's own self-check, shown in no chapter.
    missing = [item.id for item in items
               if item.pool == "self-check" and not item.id.startswith("handout-")
               and as_shown(item.stem, labels) not in pages]
    assert not missing, f"self-check items not shown in any chapter: {missing}"


def test_instructor_edition_has_the_whole_key(instructor_pages, items):
    key_pages = [name for name in instructor_pages if name.endswith("answer_key.html")]
    assert key_pages, "the instructor edition has no answer-key page"
    key = squash(visible(instructor_pages[key_pages[0]]))
    labels = shown_labels(instructor_pages)
    for item in items:
        assert as_shown(item.stem, labels) in key, f"{item.id} is missing from the answer key"
        for line in item.answer_lines():
            assert as_shown(line, labels) in key, (
                f"the answer of {item.id} ({line!r}) is missing from the key")
    assert any(item.pool == "exam" and as_shown(item.stem, labels) in key for item in items)


def test_answer_key_page_lists_banks_in_chapter_order_with_their_pools(instructor_pages):
    """The key's page contents (the right-hand table of contents) lead to each chapter's
    bank, in the book's order, and within it to each pool; every option is shown."""
    from bs4 import BeautifulSoup

    name = next(n for n in instructor_pages if n.endswith("answer_key.html"))
    soup = BeautifulSoup(instructor_pages[name], "lxml")
    # The theme prints the page contents twice (sidebar, and a dialog on phones).
    nav = soup.select_one("li.toc-entry").find_parent("nav")
    contents = [" ".join(a.get_text(" ").split()) for a in nav.select("li.toc-entry > a")]
    chapters = [fold(t) for t in (
        "Two decades of uneasy partnership (2001–2023)",
        "Azm-e-Istehkam: what was approved on 22 June 2024",
        "What Washington said, and what it left out",
        "The border, the sanctuaries and the right to self-defence",
        "Resolve, or instability? Critiques of Azm-e-Istehkam and the answers to them",
        "Sources and how to read them")]
    listed = [fold(t) for t in contents]
    assert [t for t in listed if t in chapters] == chapters, listed
    for chapter in chapters:
        assert listed[listed.index(chapter) + 1] == "Self-check pool"
    assert listed.count("Exam pool") == len(chapters)
    key = visible(instructor_pages[name])
    assert key.count("Distractor:") >= 150 and key.count("Correct:") >= 80


def test_instructor_edition_has_the_guide(instructor_pages):
    assert any(name.endswith("instructors/guide.html") for name in instructor_pages)


CITATION_LINK = re.compile(r'<a class="reference internal" href="(?:[^"#]*/)?bibliography\.html'
                           r'#([^"]+)"[^>]*>(.*?)</a>', re.S)


def test_citations_are_short_numbers_linked_to_bibliography_entries(student_pages):
    """Every in-text citation is a number that leads to its entry in the bibliography,
    the entry shows the same number, and no citation repeats its year."""
    bibliography = student_pages["chapters/bibliography.html"]
    numbers = dict(re.findall(r'<div class="citation" id="([^"]+)"[^>]*>\s*<span class="label">'
                              r'<span class="fn-bracket">\[</span>(\d+)<', bibliography))
    assert len(numbers) >= 20, "the bibliography lists few numbered entries"
    seen = 0
    for name, page in student_pages.items():
        if not name.endswith(".html"):
            continue
        for anchor, text in CITATION_LINK.findall(page):
            seen += 1
            assert anchor in numbers, f"{name}: a citation leads to #{anchor}, no bibliography entry"
            assert re.sub(r"<[^>]+>", "", text) == numbers[anchor], (
                f"{name}: the citation of {anchor} reads {text!r}, "
                f"not its number {numbers[anchor]}")
        assert not re.search(r"\b((?:19|20)\d\d), \1\b", visible(page)), f"{name} repeats a year"
    assert seen > 100, f"only {seen} citations in the whole site"


def test_no_table_or_code_span_shows_a_raw_reference_key(student_pages):
    """In tables (the timeline's Sources column, the positions table) and in code
    spans, sources appear by name and number, linked to the bibliography, never as
    keys such as ``pmo-2024-06-22`` that a student cannot look up. (Program code and
    the chapters' own prose are not checked here.)"""
    keys = set(re.findall(r"^@\w+\{([^,\s]+),",
                          (ROOT / "data" / "references.bib").read_text("utf-8"), re.M))
    assert len(keys) >= 20
    split = re.compile(r"[\s,;]+")
    for name, page in student_pages.items():
        if not name.endswith(".html"):
            continue
        page = re.sub(r"<pre\b.*?</pre>", " ", page, flags=re.S)
        cells = re.findall(r"<(td|code)\b[^>]*>(.*?)</\1>", page, re.S)
        shown = {word for _, cell in cells for word in split.split(visible(cell)) if word in keys}
        assert not shown, f"{name} shows raw reference keys: {sorted(shown)[:5]}"


class _ShownText(HTMLParser):
    """The text a reader sees on a page, outside links (a source shown as a link reads
    as its short name and number), program code, scripts and styles; attribute values
    are never text."""

    SKIP = {"a", "script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip: list[str] = []
        self.code_cell = 0  # depth inside a notebook's code input
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.depth += 1
        if self.code_cell:
            self.code_cell += 1
        elif tag == "div" and "cell_input" in (dict(attrs).get("class") or "").split():
            self.code_cell = 1
        if tag in self.SKIP:
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.depth -= 1
        if self.code_cell:
            self.code_cell -= 1
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip and not self.code_cell:
            self.parts.append(data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


def shown_text(page: str) -> str:
    parser = _ShownText()
    parser.feed(page)
    return " ".join(parser.parts)


def test_no_page_shows_a_raw_reference_key_as_text(student_pages):
    """Nowhere in the student book (prose, exercises, tables, figure captions, the
    timeline, quiz questions) does a source appear as a key such as ``ida-2024``: each
    is shown by its short name and number, linked to the bibliography. Program code is
    shown as written and is not checked."""
    keys = set(re.findall(r"^@\w+\{([^,\s]+),",
                          (ROOT / "data" / "references.bib").read_text("utf-8"), re.M))
    assert len(keys) >= 20
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(
        re.escape(key) for key in sorted(keys, key=len, reverse=True)) + r")(?![\w-])")
    checked = 0
    for name, page in student_pages.items():
        if not name.endswith(".html") or name.startswith(("_static", "_sources")):
            continue
        checked += 1
        text = shown_text(page)
        found = sorted({match.group(0) for match in pattern.finditer(text)})
        assert not found, f"{name} shows raw reference keys as text: {found[:5]}"
    assert checked >= 10, f"only {checked} pages checked"


def test_the_raw_key_check_sees_text_and_ignores_links_and_code():
    """The page reader used above: a key in text is seen; in a link, an attribute or a
    code cell it is not."""
    page = ('<p>As ida-2024 says <a href="b.html#bib-isas-2024">Ahmed [3]</a>.</p>'
            '<div class="cell docutils"><div class="cell_input"><pre>profile("khalid-2023")</pre>'
            '</div><div class="cell_output"><p>safi-2023</p></div></div>'
            '<img alt="gti-2023"><script>var k = "pips-2022";</script>')
    text = shown_text(page)
    assert "ida-2024" in text and "safi-2023" in text
    for hidden in ("isas-2024", "khalid-2023", "gti-2023", "pips-2022"):
        assert hidden not in text


def test_instructor_site_is_marked_and_the_student_site_is_not(student_pages, instructor_pages):
    banner = "Instructor edition - contains answer keys"
    for name, page in instructor_pages.items():
        redirect = 'http-equiv="Refresh"' in page and len(page) < 512
        if name.endswith(".html") and not name.startswith("_static") and not redirect:
            assert banner in visible(page), f"the instructor page {name} is not marked"
    for name, page in student_pages.items():
        assert banner not in visible(page), f"the student page {name} says it is the instructor's"


def test_instructor_unit_plan_has_the_exam_blueprint(instructor_pages, student_pages, items):
    # Regenerated from the banks on every build (the quiz-blueprint directive), never pasted.
    import re

    page = instructor_pages["chapters/instructors/unit_plan.html"]
    exam = [item for item in items if item.pool == "exam"]
    assert f"Blueprint of the exam pool: {len(exam)} items" in page
    table = page[page.index('class="qk-blueprint'):]
    table = table[:table.index("</table>")]
    totals = re.search(r'<tr class="qk-bp-totals[^"]*">(.*?)</tr>', table, re.S).group(1)
    numbers = [int(n) for n in re.findall(r"<p>(\d+)</p>", totals)]
    assert numbers[-1] == len(exam) and sum(numbers[:-1]) == len(exam)
    assert 'href="../01_background.html"' in table  # chapters linked by their titles
    assert "blueprint" not in "".join(p for name, p in student_pages.items()
                                       if name.endswith(".html")).lower()
