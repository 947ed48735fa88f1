"""The printed editions: what a reader of each PDF relies on finding, or not finding.

`make test` builds the PDFs first (`make pdf pdf-instructor handout`); these tests read
them with pdftotext (Debian's poppler-utils) and read the XeLaTeX logs.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import nbformat
import pytest

from quizkit.project import load_catalog
from quizkit.sphinx.answer_key import compact_answer
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
    assert "Key:" not in handout
    key = texts["handout-instructor"]
    for item in printed:
        assert words(compact_answer(item))[:50] in key, f"the handout key lacks {item.id}"


def test_handout_self_check_asks_what_the_online_quizzes_do_not(texts, items):
    """The handout's questions are its own: none is an item a student has already
    answered online, or a near-twin of one, or of an exam item."""
    handout = texts["handout-student"]
    printed = [item for item in items if plain(item.stem)[:60] in handout]
    assert len(printed) == 6
    elsewhere = [item for item in items if item.id.split("-")[0] != "handout"]
    for item in printed:
        assert item.id.startswith("handout-"), f"the handout prints {item.id}, a book quiz item"
        for other in elsewhere:
            likeness = SequenceMatcher(None, item.stem.lower(), other.stem.lower()).ratio()
            assert likeness < 0.8, f"{item.id} repeats {other.id}'s question ({likeness:.0%} alike)"
    site = ROOT / "_build" / "html" / "chapters"
    if site.exists():  # the book's pages never show a handout item
        for page in site.glob("*.html"):
            assert 'data-qk-item="handout-' not in page.read_text(encoding="utf-8"), page.name


def test_handout_key_is_one_line_per_question(texts, items):
    """The instructor's handout keys its questions in one short table (numbered as
    printed, what goes in each box) instead of printing every question a second time."""
    key = texts["handout-instructor"]
    printed = [item for item in items if plain(item.stem)[:60] in texts["handout-student"]]
    for item in printed:
        assert key.count(plain(item.stem)[:60]) == 1, f"{item.id} is printed twice"
    table = key[key.index("No. Answer Item"):]
    for number, item in enumerate(printed, start=1):
        assert re.search(rf"\b{number}\. {re.escape(words(compact_answer(item))[:40])}", table), item.id
    assert "Explanation:" not in key and "Objective:" not in key


HANDOUT_HEADINGS = ("Overview", "Key events", "Key actors and their positions", "Key terms",
                    "Check yourself", "Self-check: the handout")


@pytest.mark.parametrize("name", ["handout-student", "handout-instructor"])
def test_handout_headings_and_questions_stay_with_what_follows(name, items):
    """No heading is the last thing on a page, and no question is split from its boxes."""
    layout = subprocess.run(["pdftotext", "-layout", str(PDFS[name]), "-"], capture_output=True,
                            text=True, check=True).stdout
    pages = [[line.strip() for line in page.splitlines() if line.strip()]
             for page in layout.split("\f")]
    for number, lines in enumerate(pages, start=1):
        body = lines[:-1]  # the last line is the running foot
        for heading in HANDOUT_HEADINGS:
            if heading in body:
                after = body[body.index(heading) + 1:]
                assert len(after) >= 3, f"{name} p.{number}: the heading {heading!r} ends the page"
    handout_items = [item for item in items if item.id.startswith("handout-")]
    for item in handout_items:
        stem = words(item.stem)[:40]
        page = next((n for n, lines in enumerate(pages) if stem in words("\n".join(lines))), None)
        assert page is not None, f"{item.id} is not printed"
        first = {"single": lambda i: i.options[0].text, "multiple": lambda i: i.options[0].text,
                 "numeric": lambda i: "Answer", "text": lambda i: "Answer",
                 "order": lambda i: "Number the events", "match": lambda i: "Write the letter"}
        opening = words(first[item.type](item))[:30]
        if name == "handout-instructor" and item.type in ("numeric", "text"):
            opening = "Key:"
        assert opening in words("\n".join(pages[page])), (
            f"{name}: {item.id}'s question and its boxes are on different pages")


def test_handout_dates_never_wrap():
    """Each date of the key events is printed on one line ("16 December 2014", never
    "16 December" over "2014")."""
    from resolve_book import _date_label
    from resolve_book.data import load_timeline

    source = (ROOT / "handout" / "index.md").read_text(encoding="utf-8")
    ids = [i.strip() for i in re.search(r":ids: (.+)", source).group(1).split(";")]
    timeline = load_timeline(ROOT / "data").set_index("id")
    labels = [_date_label(timeline.loc[i]) for i in ids]
    assert len(labels) >= 15
    for name in ("handout-student", "handout-instructor"):
        lines = [" ".join(line.split()) for line in
                 subprocess.run(["pdftotext", "-layout", str(PDFS[name]), "-"],
                                capture_output=True, text=True, check=True).stdout.splitlines()]
        broken = [label for label in labels if not any(line.startswith(label) for line in lines)]
        assert not broken, f"{name}: dates broken over two lines: {broken}"


def test_handout_actors_table_has_no_empty_statement_cell():
    """An actor without a quotation on record gets what was reported instead."""
    from resolve_book.data import load_actors

    # Reading order, not layout: a table's columns are then read one cell at a time.
    text = words(subprocess.run(["pdftotext", str(PDFS["handout-student"]), "-"],
                                capture_output=True, text=True, check=True).stdout)

    actors = load_actors(ROOT / "data").fillna("")
    quiet = actors[actors["key_statement"] == ""]
    assert len(quiet) >= 3
    for _, row in quiet.iterrows():
        assert words(row["summary"])[:60] in text, (
            f"the handout's row for {row['actor']} has no statement and no summary")


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


@pytest.mark.parametrize("name", list(PDFS))
def test_every_reference_resolves_in_print(texts, name):
    """A cross-reference LaTeX cannot resolve prints as "??" (the unit plan's "redo
    Exercise ??" pointed at a label sphinx-exercise never writes)."""
    log = BOOK_LOGS[name].read_text(encoding="utf-8", errors="replace")
    undefined = sorted(set(re.findall(r"Reference `([^']+)' on page \d+ undefined", log)))
    assert not undefined, f"{name}: unresolved references {undefined}"
    assert "??" not in texts[name], f"{name} prints '??' for a reference"


def test_instructor_pdf_names_the_exercises_the_unit_plan_assigns(texts):
    # chapters/instructors/unit_plan.md assigns exercises by reference.
    assert "pairs redo Exercise 1." in texts["instructor"]


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


# -- layout: nothing prints over the running foot, figures leave room for captions ------

FOOT_GAP = 4.0  # points kept clear above the running foot's line
PAGE_NUMBER = re.compile(r"^(\d+|[ivxlc]+)$")


def page_words(name: str) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, each word as (x0, top, x1, bottom, text), in points from the top left."""
    path = PDFS[name]
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make pdf pdf-instructor handout`")
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                      r'yMax="([\d.]+)">(.*?)</word>')
    return [[(float(a), float(b), float(c), float(d), html.unescape(t))
             for a, b, c, d, t in word.findall(page)]
            for page in out.split("<page ")[1:]]


def foot_line(pages) -> float:
    """The top of the running foot (page number, section name): the top of the lowest
    line on most pages; a page whose content runs into the foot does not move it."""
    lowest = Counter(round(max(words, key=lambda w: w[3])[1], 1) for words in pages if words)
    return lowest.most_common(1)[0][0]


@pytest.mark.parametrize("name", sorted(PDFS))
def test_no_text_runs_into_the_running_foot(name):
    """A caption (or any text) below the text block prints over the footer: student p.93
    (printed 89) had the timeline's caption on top of the page number."""
    pages = page_words(name)
    foot = foot_line(pages)
    clashes = []
    for number, words in enumerate(pages, start=1):
        footer = sorted((w for w in words if abs(w[1] - foot) < 1), key=lambda w: w[0])
        # The running foot is one line, a section name and the page number, whose
        # words never print over one another.
        overprinted = [b for a, b in zip(footer, footer[1:]) if b[0] < a[2] - 0.5]
        if overprinted or (footer and not any(PAGE_NUMBER.match(w[4]) for w in footer)):
            clashes.append((number, " ".join(w[4] for w in footer)[:80]))
        intruders = [w for w in words if w[3] > foot - FOOT_GAP and w not in footer]
        if intruders:
            clashes.append((number, " ".join(w[4] for w in intruders)[:80]))
    assert not clashes, f"{name}: text over the running foot on pages {clashes[:5]}"


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_figures_leave_room_for_their_captions(edition):
    """Every figure lies between the running head and the running foot, and none is
    taller than three quarters of that space, so its caption fits below it."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pages = page_words(edition)
    foot = foot_line(pages)
    head = Counter(round(min(words, key=lambda w: w[1])[1], 1) for words in pages if words)
    top = head.most_common(1)[0][0]
    document = pdfium.PdfDocument(str(PDFS[edition]))
    figures = 0
    try:
        for number, page in enumerate(document, start=1):
            height = page.get_height()
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
                left, bottom, right, upper = image.get_bounds()
                figures += 1
                assert height - bottom < foot - FOOT_GAP, f"p.{number}: a figure runs into the foot"
                assert height - upper >= top, f"p.{number}: a figure runs into the head"
                assert upper - bottom <= 0.75 * (foot - top), (
                    f"p.{number}: a figure {upper - bottom:.0f}pt tall leaves no room for a caption")
    finally:
        document.close()
    assert figures >= 6, f"only {figures} figures found in the {edition} PDF"


def test_instructor_pdf_prints_each_answer_beside_its_question(texts, items):
    """The instructor's chapters carry the answers of their printed quizzes (ticked
    boxes, a "Key:" line), not only the answer key at the back of the book."""
    text = texts["instructor"]
    chapters = text[:text.index("Questions of the chapter")]  # the key starts there
    printed = [item for item in items if item.pool == "self-check"
               and item.type in ("single", "multiple", "numeric", "text")
               and plain(item.stem)[:60] in chapters]
    assert len(printed) >= 30, f"only {len(printed)} printed questions found in the chapters"
    missing = [item.id for item in printed
               if words("Key: " + item.answer_text())[:60] not in chapters]
    assert not missing, f"printed questions without their answer beside them: {missing[:5]}"
    assert "Key:" not in texts["student"]


def test_instructor_pdf_key_follows_the_chapters(texts):
    """The key at the back lists the banks in the order the book teaches them, each
    under a heading that links to its chapter."""
    text = texts["instructor"]
    key = text[text.index("Questions of the chapter"):]
    titles = [plain(title) for title in chapter_titles()] + ["Sources and how to read them"]
    positions = [key.find(f"Questions of the chapter {title[:40]}") for title in titles]
    assert -1 not in positions, f"chapters without a key section: {titles[positions.index(-1)]}"
    assert positions == sorted(positions), "the key's banks are not in chapter order"
    assert key.count("Self-check pool") >= 6 and key.count("Exam pool") >= 6
    assert key.count("Distractor:") >= 150


# -- figures numbered as online; notebook tables typeset, not dumped in monospace ------

def online_figure_numbers() -> dict[str, str]:
    """Each figure's id on the site, with the number its caption shows there."""
    site = ROOT / "_build" / "html" / "chapters"
    if not site.exists():
        pytest.fail("_build/html is not built: run `make book`")
    numbers = {}
    for page in site.glob("*.html"):
        found = re.findall(r'<figure\b[^>]*\bid="([^"]+)"[^>]*>.*?caption-number">Fig\. ([\d.]+)',
                           page.read_text(encoding="utf-8"), flags=re.S)
        numbers.update(found)
    return numbers


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_figure_numbers_are_unique_and_the_same_in_print_and_online(edition):
    """Every chapter's first figure was "Fig. 1" in print: a reader told to look at
    Fig. 2.1 finds it under that number in both, and no number is used twice."""
    online = online_figure_numbers()
    assert len(online) >= 8, f"too few figures found online: {online}"
    assert len(set(online.values())) == len(online), f"the site repeats a figure number: {online}"
    raw = subprocess.run(["pdftotext", "-layout", str(PDFS[edition]), "-"], capture_output=True,
                         text=True, check=True).stdout
    printed = re.findall(r"^\s*Fig\. ([\d.]+): ", raw, flags=re.M)
    assert len(printed) == len(set(printed)), f"the {edition} PDF repeats a figure number: {printed}"
    assert sorted(printed) == sorted(online.values()), (
        f"{edition}: printed {printed}, online {sorted(online.values())}")
    # A reference to a figure prints the number LaTeX recorded for its label.
    aux = BOOK_LOGS[edition].with_suffix(".aux").read_text(encoding="utf-8", errors="replace")
    labels = dict(re.findall(r"\\newlabel\{[^:}]+:([^}]+)\}\{\{([\d.]+)\}\{\d+\}\{.*\}\{figure\.", aux))
    assert {name: labels.get(name) for name in online} == online


def monospace_text(name: str) -> dict[int, str]:
    """Per page, the text set in the monospace font (FreeMono), from the PDF's own
    text objects."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(str(PDFS[name]))
    pages = {}
    try:
        for number, page in enumerate(document, start=1):
            textpage = page.get_textpage()
            runs = []
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=4):
                font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
                size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
                font_name = ctypes.create_string_buffer(size)
                pdfium_c.FPDFFont_GetBaseFontName(font, font_name, size)
                if b"Mono" not in font_name.value:
                    continue
                length = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
                text = ctypes.create_string_buffer(length)
                pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw,
                                             ctypes.cast(text, ctypes.POINTER(ctypes.c_ushort)), length)
                runs.append(text.raw.decode("utf-16-le").rstrip("\x00"))
            if runs:
                pages[number] = " ".join(runs)
    finally:
        document.close()
    return pages


def notebook_tables() -> list[tuple[str, list[str]]]:
    """The DataFrames the chapter notebooks display (their stored HTML tables): the
    notebook, and the table's cells that are long enough to be looked for."""
    from resolve_book.print_tables import parse_dataframe_html

    tables = []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                table = parse_dataframe_html(output.get("data", {}).get("text/html", ""))
                if table is not None:
                    cells = [text for row in table.header_rows + table.rows for text in row]
                    tables.append((path.name, [text for text in cells if len(text) >= 8]))
    return tables


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_notebook_tables_print_as_typeset_tables(edition):
    """A DataFrame printed as its fixed-width text dump (monospace columns running off
    the page) reads as a typeset table on paper, with every cell in the body font."""
    tables = notebook_tables()
    assert len(tables) >= 8, "too few notebook tables found"
    # A dump has most of a table's cells in monospace on a page (a page break may cut
    # it); prose and code name a few of them in monospace too ("single-source").
    dumped = []
    for page, mono in monospace_text(edition).items():
        mono = f" {words(mono)} "
        for notebook, cells in tables:
            found = {cell for cell in cells if f" {words(cell)} " in mono}
            if len(found) >= max(3, len(set(cells)) // 3):
                dumped.append((page, notebook, sorted(found)[:3]))
    assert not dumped, f"{edition}: a notebook table printed in monospace: {dumped[:3]}"
    # And the tables are there: every word of their cells is printed (pdftotext reads
    # a wrapped cell's lines interleaved with its neighbours', so words, not cells; and
    # a long word may break at a hyphen). A source key prints as its source's name
    # (resolve_book.source_keys), as on the site.
    from quizkit.sources import reference_keys

    keys = reference_keys(ROOT / "data")
    printed = set(re.split(r"[\s-]+", pdf_text(edition)))
    for notebook, cells in tables:
        table_words = {word for cell in cells for token in words(cell).split()
                       if token.strip(",;") not in keys for word in token.split("-")}
        missing = table_words - printed
        # LaTeX hyphenates the odd word in a narrow column ("recommenda- tions").
        assert len(missing) <= len(table_words) // 20, (
            f"{notebook}: words of a table not printed: {sorted(missing)[:5]}")


@pytest.mark.parametrize("name", sorted(PDFS))
def test_a_table_running_on_names_no_table_number(name):
    """The tables carry no numbers, so a table broken across pages must not print
    "Table 3 – continued from previous page" (longtable counts them anyway)."""
    raw = subprocess.run(["pdftotext", "-layout", str(PDFS[name]), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert not re.search(r"Table\s+\d+\s*\S?\s*continued from previous page", raw)
    if name == "student":
        assert "continued from previous page" in raw, "no table runs on: the check proves nothing"
