"""The printed editions: what a reader of each PDF relies on finding, or not finding.

`make test` builds the PDFs first (`make pdf pdf-instructor handout`); these tests read
them with pdftotext (Debian's poppler-utils) and read the XeLaTeX logs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from quizkit.project import load_catalog
from support.labels import built_site_labels, with_labels

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "_build" / "pdf"
BOOK_LOGS = {
    "student": ROOT / "_build/latex-student/_build/latex/resolve-for-stability.log",
    "instructor": ROOT / "_build/latex-instructor/_build/latex/resolve-for-stability.log",
    "handout-student": ROOT / "_build/handout-student/_build/latex/handout.log",
    "handout-instructor": ROOT / "_build/handout-instructor/_build/latex/handout.log",
}
PDFS = {
    "student": PDF / "resolve-for-stability-student.pdf",
    "instructor": PDF / "resolve-for-stability-instructor.pdf",
    "handout-student": PDF / "handout-student.pdf",
    "handout-instructor": PDF / "handout-instructor.pdf",
}

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext missing: install Debian's poppler-utils")


def words(text: str) -> str:
    """Text as a run of words: undoes line breaks, hyphenation and typographic quotes."""
    text = text.replace("\u00ad", "")
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    text = re.sub(r"-\n(?=[a-z])", "", text)
    return " ".join(re.findall(r"[\w'%.,:;()\"-]+", text))


def plain(text: str) -> str:
    """A sentence from a source file, as words (markup roles and links dropped)."""
    text = re.sub(r"\{[a-z:-]+\}`([^`<]*?)(?:\s*<[^>]+>)?`", r"\1", text)
    return words(text.replace("*", "").replace("**", ""))


def pdf_text(name: str) -> str:
    path = PDFS[name]
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make pdf pdf-instructor handout`")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return words(out)


def page_count(name: str) -> int:
    info = subprocess.run(["pdfinfo", str(PDFS[name])], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))


@pytest.fixture(scope="module")
def texts():
    return {name: pdf_text(name) for name in PDFS}


@pytest.fixture(scope="module")
def items():
    return [item for bank in load_catalog([ROOT / "quizzes"]) for item in bank.items]


def chapter_titles() -> list[str]:
    titles = []
    for path in sorted((ROOT / "chapters").glob("0*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0].source
        titles.append(re.match(r"#\s+(.+)", first).group(1).strip())
    return titles


def solution_openings() -> list[str]:
    """The first words of every exercise solution in the chapters."""
    openings = []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for body in re.findall(r"```\{solution\}[^\n]*\n(?::[^\n]*\n)*\s*\n?(.+?)\n```",
                                   cell.source, flags=re.S):
                first_paragraph = body.strip().split("\n\n")[0]
                opening = " ".join(plain(first_paragraph).split()[:7])
                if len(opening.split()) == 7:
                    openings.append(opening)
    return openings


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_book_pdf_has_every_chapter_and_the_bibliography(texts, edition):
    text = texts[edition].lower()
    for title in chapter_titles():
        assert plain(title).lower() in text, f"{edition} PDF lacks the chapter {title!r}"
    for page in ("sources and how to read them", "timeline", "glossary", "bibliography"):
        assert page in text, f"{edition} PDF lacks the {page} page"


def test_title_page_carries_the_build_date(texts):
    from datetime import date

    today = date.today()
    head = texts["student"][:600]
    assert "Resolve for Stability" in head
    assert str(today.year) in head and today.strftime("%b") in head


def test_student_pdf_has_exercises_but_no_solutions(texts):
    openings = solution_openings()
    assert len(openings) >= 20, "too few solutions found to check"
    assert "Exercise" in texts["student"]
    leaked = [o for o in openings if o in texts["student"]]
    assert not leaked, f"solutions printed in the student PDF: {leaked[:3]}"
    shown = [o for o in openings if o in texts["instructor"]]
    assert len(shown) >= 0.8 * len(openings), "the instructor PDF lacks the solutions"


def distinctive_exam_stems(items) -> dict[str, str]:
    """Exam stems no self-check item shares (a generic stem such as "Put these events in
    order" may legitimately appear in both pools), as words, by item id."""
    shown = {plain(i.stem)[:80] for i in items if i.pool == "self-check"}
    stems = {i.id: plain(i.stem)[:80] for i in items if i.pool == "exam"}
    return {item_id: stem for item_id, stem in stems.items() if stem not in shown}


def test_student_editions_carry_no_answer_key(texts, items):
    exam_stems = distinctive_exam_stems(items)
    assert len(exam_stems) >= 40
    for name in ("student", "handout-student"):
        text = texts[name]
        assert "Answer key" not in text, f"{name} has an answer key"
        assert "Explanation:" not in text, f"{name} prints answer-key entries"
        for item in items:
            # The whole explanation: its opening may coincide with a sentence of a chapter.
            assert plain(item.explanation) not in text, f"{name} prints the explanation of {item.id}"
        for item_id, stem in exam_stems.items():
            assert stem not in text, f"{name} prints exam item {item_id}"


def test_instructor_book_carries_the_whole_key(texts, items):
    text = texts["instructor"]
    assert "Answer key" in text
    # A reference key in an explanation prints as its short name and number.
    labels = built_site_labels(ROOT / "_build" / "instructor" / "_build" / "html")
    missing = [item.id for item in items
               if plain(with_labels(item.explanation, labels))[:60] not in text]
    assert not missing, f"explanations missing from the instructor PDF: {missing[:5]}"


def test_printed_quiz_has_questions_without_answers(texts, items):
    handout = texts["handout-student"]
    printed = [item for item in items if item.pool == "self-check" and plain(item.stem)[:60] in handout]
    assert len(printed) == 6, "the handout prints six self-check questions"
    key = texts["handout-instructor"]
    for item in printed:
        assert plain(item.explanation)[:60] in key, f"the handout key lacks {item.id}"


def test_handout_overview_timeline_actors_terms(texts):
    text = texts["handout-student"]
    for heading in ("Overview", "Key events", "Key actors and their positions", "Key terms", "Check yourself"):
        assert heading in text


@pytest.mark.parametrize("name", sorted(BOOK_LOGS))
def test_no_missing_characters_or_overfull_tables(name):
    log = BOOK_LOGS[name].read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log, f"{name}: a character is missing from the font"
    # A table or figure wider than the page shows as a large overfull \hbox.
    wide = [float(w) for w in re.findall(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)", log)]
    assert not [w for w in wide if w > 30], f"{name}: something runs off the page by {max(wide):.0f}pt"


def test_page_counts_stay_sensible():
    assert 60 <= page_count("student") <= 250
    assert page_count("instructor") > page_count("student")
    assert page_count("handout-student") <= 8, "the handout must stay a few pages"
    assert page_count("handout-instructor") <= 10


def test_exercise_numbers_are_the_same_in_print_and_online():
    """An instructor who assigns "Exercise 2.1" means the same exercise for readers of
    the site and of the PDF: numbered chapter.n in both."""
    site = ROOT / "_build" / "html" / "chapters"
    if not site.exists():
        pytest.fail("_build/html is not built: run `make book`")
    online = sorted({number for page in site.glob("0*.html")
                     for number in re.findall(r"Exercise (\d+\.\d+)\b",
                                              page.read_text(encoding="utf-8"))})
    assert len(online) >= 10, "too few exercises found online"
    printed = pdf_text("student")
    assert not re.search(r"Exercise \d+\.\d+\.\d+", printed), "the PDF numbers exercises per section"
    missing = [number for number in online if f"Exercise {number}" not in printed]
    assert not missing, f"exercises numbered online but not in print: {missing}"


def test_instructor_pdf_is_marked_on_every_page_and_the_student_pdf_is_not():
    """A key-carrying copy left on a photocopier says what it is, cover included."""
    mark = "Instructor edition - contains answer keys"
    instructor = subprocess.run(["pdftotext", "-layout", str(PDFS["instructor"]), "-"],
                                capture_output=True, text=True, check=True).stdout
    pages = instructor.split("\f")
    pages = [page for page in pages if page.strip()]
    unmarked = [n for n, page in enumerate(pages, start=1)
                if mark not in " ".join(page.replace("\u2014", "-").split())]
    assert not unmarked, f"instructor PDF pages without the mark: {unmarked[:10]}"
    assert mark not in pdf_text("student").replace("\u2014", "-")


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_pdf_prints_notebook_outputs_without_their_code(edition):
    """Readers on paper get the tables and figures, not the Python that made them."""
    # Each code cell's longest line (solutions in the instructor edition may show a
    # short line such as an import on their own).
    code = set()
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            lines = [line.strip() for line in cell.source.splitlines()
                     if not line.strip().startswith("#")]
            if cell.cell_type == "code" and lines and len(max(lines, key=len)) >= 30:
                code.add(max(lines, key=len))
    assert len(code) >= 10, "too little notebook code found to look for"
    text = pdf_text(edition)
    printed = sorted(line for line in code if words(line) in text)
    assert not printed, f"the {edition} PDF prints notebook code: {printed[:3]}"
