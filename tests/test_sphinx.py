"""The Sphinx extension, on tiny sample books built into temporary folders.

tests/books/quizzes/demo.yml is shared by the books; its texts carry markers
(EXPLANATION-…, FEEDBACK-…, EXAM-STEM) whose absence from student output is asserted.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from docutils import nodes
from bs4 import BeautifulSoup
from sphinx.cmd.build import build_main

from quizkit.shuffle import stable_permutation
from quizkit.sphinx.payload import decode_payload

BOOKS = Path(__file__).parent / "books"
STATIC = Path(__file__).parents[1] / "src" / "quizkit" / "sphinx" / "static"


class Build:
    """A finished build: ``log`` holds warnings and errors, ``stderr`` what
    sphinx-build printed there (including a final failure message)."""

    def __init__(self, outdir: Path, status: int, log: str, stderr: str):
        self.outdir, self.status, self.log, self.stderr = outdir, status, log, stderr

    def html(self, page: str) -> str:
        return (self.outdir / f"{page}.html").read_text(encoding="utf-8")

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(page), "lxml")

    def tex(self) -> str:
        return next(self.outdir.glob("*.tex")).read_text(encoding="utf-8")


def build(book: str, outdir: Path, builder: str, *, edition: str | None = None,
          env_edition: str | None = None) -> Build:
    """Build strictly (-W --keep-going) in this process; the log holds warnings and errors."""
    args = [str(BOOKS / book), str(outdir), "-b", builder, "-W", "--keep-going", "-q", "-E",
            "-d", str(outdir / ".doctrees"), "-w", str(outdir / "warnings.log")]
    if edition:
        args += ["-D", f"quizkit_edition={edition}"]
    errors = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(errors):
        patch.delenv("QUIZKIT_EDITION", raising=False)
        if env_edition:
            patch.setenv("QUIZKIT_EDITION", env_edition)
        status = build_main(args)
    warnings = outdir / "warnings.log"
    log = warnings.read_text(encoding="utf-8") if warnings.exists() else ""
    return Build(outdir, status, log + errors.getvalue(), errors.getvalue())


@pytest.fixture(scope="module")
def student_html(tmp_path_factory) -> Build:
    result = build("basic", tmp_path_factory.mktemp("student_html"), "html")
    assert result.status == 0, result.log
    return result


@pytest.fixture(scope="module")
def student_latex(tmp_path_factory) -> Build:
    result = build("basic", tmp_path_factory.mktemp("student_latex"), "latex")
    assert result.status == 0, result.log
    return result


@pytest.fixture(scope="module")
def instructor_html(tmp_path_factory) -> Build:
    # The environment variable alone selects the instructor edition.
    result = build("basic", tmp_path_factory.mktemp("instructor_html"), "html",
                   env_edition="instructor")
    assert result.status == 0, result.log
    return result


@pytest.fixture(scope="module")
def instructor_latex(tmp_path_factory) -> Build:
    # This book's only page has an answer key (an orphan page would not be in the PDF).
    result = build("student_violations", tmp_path_factory.mktemp("instructor_latex"), "latex",
                   edition="instructor")
    assert result.status == 0, result.log
    return result


# -- HTML structure -----------------------------------------------------------------


def quiz_items(soup: BeautifulSoup):
    return soup.select("section.quizkit-quiz .quizkit-item")


def test_each_quiz_is_a_section_with_a_heading_and_live_score(student_html):
    quizzes = student_html.soup("index").select("section.quizkit-quiz")
    assert len(quizzes) == 2
    for quiz in quizzes:
        heading = quiz.find(re.compile(r"h[2-6]"))
        assert heading is not None and heading["id"] == quiz["aria-labelledby"]
        score = quiz.select_one(".quizkit-score")
        assert score["aria-live"] == "polite"
        # The summary and "Reset all answers" stand above the first question.
        summary = quiz.select_one(".quizkit-summary")
        assert summary.find_next(class_="quizkit-item") is quiz.select_one(".quizkit-item")
        assert summary.select_one("button.quizkit-reset").get_text() == "Reset all answers"
    assert quizzes[0].find("h2").get_text() == "Self-check: Demo bank: Azm-e-Istehkam's approval"
    assert quizzes[1].find("h3").get_text() == "Just one question"  # inside a subsection


def test_quiz_options_select_items(student_html):
    quizzes = student_html.soup("index").select("section.quizkit-quiz")
    first = [i["data-qk-item"] for i in quizzes[0].select(".quizkit-item")]
    assert first == [f"demo-q0{n}" for n in range(1, 7)]  # self-check pool only
    assert [i["data-qk-item"] for i in quizzes[1].select(".quizkit-item")] == ["demo-q01"]


def test_every_item_is_a_fieldset_with_legend_buttons_and_live_feedback(student_html):
    items = quiz_items(student_html.soup("index"))
    for number, item in enumerate(items[:6], start=1):
        fieldset = item.find("fieldset")
        legend = fieldset.find("legend")
        assert legend.get_text().startswith(f"{number}. ")
        buttons = fieldset.find_all("button")
        assert [b.get_text() for b in buttons] == ["Check", "Show answer", "Try again"]
        assert all(b["type"] == "button" for b in buttons)
        assert fieldset.select_one(".quizkit-feedback")["aria-live"] == "polite"


def test_native_controls_per_type(student_html):
    items = {i["data-qk-type"]: i for i in quiz_items(student_html.soup("index"))}
    assert len(items["single"].select("input[type=radio]")) == 3
    assert len(items["multiple"].select("input[type=checkbox]")) == 3
    number = items["numeric"].select_one("input[type=number]")
    assert number["step"] == "any"
    assert items["text"].select_one("input[type=text]") is not None
    assert len(items["order"].select("select")) == 3
    assert len(items["match"].select("select")) == 3
    # Match options are lettered once above the rows; each row's control offers the letters.
    match_options = [o.get_text() for o in items["match"].select("select")[0].select("option")]
    assert match_options == ["Letter", "A", "B", "C"]
    choices = items["match"].select_one("ul.quizkit-choices")
    assert [li.get_text()[:3] for li in choices.select("li")] == ["A. ", "B. ", "C. "]
    assert all(s["aria-describedby"] == choices["id"] for s in items["match"].select("select"))


def test_every_control_has_a_label_and_ids_are_unique(student_html):
    soup = student_html.soup("index")
    controls = soup.select("section.quizkit-quiz input, section.quizkit-quiz select")
    assert controls
    for control in controls:
        assert soup.find("label", attrs={"for": control["id"]}), control
    ids = [tag["id"] for tag in soup.select("section.quizkit-quiz [id]")]
    assert len(ids) == len(set(ids))


def test_order_and_match_are_shown_shuffled_but_reproducibly(student_html):
    items = {i["data-qk-type"]: i for i in quiz_items(student_html.soup("index"))}
    events = [label.get_text() for label in items["order"].select("label")]
    assert events != ["The TTP ends its ceasefire", "The committee approves the operation",
                      "The US backs the operation"]
    # Seeded by item id: the same on every build, machine and Python version.
    assert stable_permutation("demo-q05:events", 3) == [1, 2, 0]
    assert events[0] == "The committee approves the operation"


# -- escaping and hidden answers ----------------------------------------------------


def test_bank_text_is_escaped(student_html):
    raw = student_html.html("index")
    soup = student_html.soup("index")
    legend = quiz_items(soup)[0].find("legend")
    assert "<script>alert(1)</script>" in legend.get_text()
    assert "It's the committee's date" in legend.get_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert not any("alert(1)" in (s.string or "") for s in soup.find_all("script"))
    label = soup.find("label", attrs={"for": "quizkit-1-1-1"})
    assert label.get_text() == "22 June 2024 <b>approved</b>" and label.find("b") is None


def test_no_answers_in_plain_view(student_html):
    raw = student_html.html("index")
    assert "data-correct" not in raw
    for marker in ("EXPLANATION-", "FEEDBACK-", "Rah-e-Nijat", "EXAM-STEM", "demo-q07",
                   "On 22 June 2024, the Pakistan government approved"):
        assert marker not in raw, marker
    soup = student_html.soup("index")
    first = quiz_items(soup)[0]
    options = first.select(".quizkit-option")
    # The right option (the second) looks exactly like the others.
    shapes = [sorted((tag.name, tuple(sorted(tag.attrs))) for tag in o.find_all(True))
              for o in options]
    assert shapes[0] == shapes[1] == shapes[2]
    for tag in soup.select("section.quizkit-quiz, section.quizkit-quiz *"):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else value
            assert "correct" not in name.lower() and "correct" not in text.lower(), tag


def test_payload_decodes_to_the_answer_data(student_html):
    items = {i["data-qk-item"]: i for i in quiz_items(student_html.soup("index"))}
    single = decode_payload("demo-q01", items["demo-q01"]["data-qk"])
    assert single["correct"] == [1]
    assert single["explanation"].startswith("EXPLANATION-ONE")
    assert single["source"]["quote"] == "On 22 June 2024, the Pakistan government approved"
    assert decode_payload("demo-q04", items["demo-q04"]["data-qk"])["accept"] == [
        "rah-e-nijaat", "rah-e-nijat"]
    order = decode_payload("demo-q05", items["demo-q05"]["data-qk"])
    assert order["positions"] == [2, 3, 1]  # as shown: approval, US backing, ceasefire end


# -- assets ---------------------------------------------------------------------------


def test_script_and_style_are_small_and_only_on_quiz_pages(student_html):
    static = student_html.outdir / "_static" / "quizkit"
    sizes = [(static / name).stat().st_size for name in ("quiz.js", "quiz.css")]
    assert sum(sizes) < 15_000
    index, other = student_html.html("index"), student_html.html("other")
    assert "_static/quizkit/quiz.js" in index and "_static/quizkit/quiz.css" in index
    assert "_static/quizkit/" not in other


def test_script_never_inserts_html_and_fetches_nothing():
    script = (STATIC / "quiz.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "fetch(" not in script and "XMLHttpRequest" not in script and "import " not in script
    style = (STATIC / "quiz.css").read_text(encoding="utf-8")
    assert "prefers-reduced-motion" in style and ":focus-visible" in style
    assert "@import" not in style and "url(" not in style


# -- LaTeX ------------------------------------------------------------------------------


def test_latex_has_questions_with_boxes_and_escapes(student_latex):
    tex = student_latex.tex()
    assert r"\fbox{\phantom{X}}" in tex
    assert r"Is \textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{}" in tex
    assert r"It\textquotesingle{}s the committee\textquotesingle{}s" in tex
    assert (r"Costs: 50\% \& \$5 \#1 \textasciitilde{} \_x\_ \textasciicircum{} "
            r"\textbackslash{} \{braces\} \textquotedbl{}quoted\textquotedbl{}") in tex
    assert "Match each actor with its position." in tex and r"\begin{tabular}" in tex


def test_latex_has_no_answers(student_latex):
    tex = student_latex.tex()
    # Markers without hyphens: Sphinx's own LaTeX writes "-" as \sphinxhyphen{}.
    for marker in ("EXPLANATION", "FEEDBACK", "Nijat", "EXAM", "Answer key", "correct"):
        assert marker not in tex, marker


def test_other_builders_get_questions_without_answers(tmp_path):
    result = build("basic", tmp_path, "text")
    assert result.status == 0, result.log
    text = (tmp_path / "index.txt").read_text(encoding="utf-8")
    assert "Which 2009 operation in South Waziristan came first?" in text
    assert "[ ] 25 June 2024" in text
    assert "EXPLANATION-" not in text and "Rah-e-Nijat" not in text


# -- editions ---------------------------------------------------------------------------


def test_student_edition_leaves_out_instructor_pages(student_html):
    assert not (student_html.outdir / "chapters" / "instructors" / "key.html").exists()


def test_student_edition_fails_on_exam_items_and_answer_keys(tmp_path):
    result = build("student_violations", tmp_path, "html")
    assert result.status != 0
    index = str(BOOKS / "student_violations" / "index.md")
    assert (f"{index}:3: ERROR: exam-pool item demo-q07 is not allowed in the student "
            "edition") in result.log
    assert f"{index}:7: ERROR: pool exam is not allowed in the student edition" in result.log
    assert (f"{index}:11: ERROR: quiz-answer-key is only allowed in the instructor "
            "edition") in result.log
    assert result.stderr.count("3 quiz problem(s)") == 1  # logged each, failed once


def test_same_book_builds_in_the_instructor_edition(tmp_path):
    result = build("student_violations", tmp_path, "html", edition="instructor")
    assert result.status == 0, result.log
    assert "EXAM-STEM" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_instructor_edition_renders_the_answer_key_in_html(instructor_html):
    soup = instructor_html.soup("chapters/instructors/key")
    key = soup.select_one("section.quizkit-key")
    text = key.get_text(" ")
    # A section per bank, titled like the bank, with a section per pool: the page's
    # contents list them.
    assert key["id"] == "key-demo"
    assert key.find(["h2"]).get_text(" ").startswith("Demo bank: Azm-e-Istehkam")
    pools = [(section["id"], section.find("h3").get_text(" ").strip(" ¶"))
             for section in key.select("section")]
    assert pools == [("key-demo-self-check", "Self-check pool"), ("key-demo-exam", "Exam pool")]
    assert "EXAM-STEM" in key.select_one("#key-demo-exam").get_text(" ")
    assert "EXAM-STEM" not in key.select_one("#key-demo-self-check").get_text(" ")
    for expected in ("EXPLANATION-ONE", "Rah-e-Nijat", "292 deaths",
                     "1. The TTP ends its ceasefire", "isas-2024",
                     "On 22 June 2024, the Pakistan government approved",
                     "other-book, chapter 3"):
        assert expected in text, expected
    assert "&lt;script&gt;alert(1)" in instructor_html.html("chapters/instructors/key")


def test_answer_key_shows_every_option_with_the_correct_ones_marked(instructor_html):
    first = instructor_html.soup("chapters/instructors/key").select_one(
        "#key-demo-self-check li")
    options = [" ".join(li.get_text(" ").split()) for li in first.select("ul li")]
    assert options == [
        "Distractor: 25 June 2024 — FEEDBACK-WRONG-DATE: that is three days late.",
        "Correct: 22 June 2024 <b>approved</b> — FEEDBACK-RIGHT-DATE: yes.",
        "Distractor: 22 June 2023 — FEEDBACK-WRONG-YEAR: a year early.",
    ]


def test_instructor_edition_renders_the_answer_key_in_latex(instructor_latex):
    tex = instructor_latex.tex()
    # The sample's only page has no sections of its own, so the banks are chapters there.
    assert re.search(r"\\chapter\{Demo bank: Azm\\sphinxhyphen\{\}e", tex)
    assert r"\section{Self\sphinxhyphen{}check pool}" in tex and r"\section{Exam pool}" in tex
    assert r"EXPLANATION\sphinxhyphen{}ONE" in tex and "Nijat" in tex and "EXAM" in tex
    assert r"Is \textless{}script\textgreater{}alert(1)" in tex  # escaped by Sphinx


def test_printed_quiz_carries_its_answers_in_the_instructor_edition(instructor_latex, student_latex):
    """The instructor's copy of a printed quiz is the same page filled in, so the answer
    sits beside each question, not only in the key at the back."""
    tex = instructor_latex.tex()
    quiz = tex[tex.index(r"\begin{enumerate}"):tex.index(r"\end{enumerate}")]
    # demo-q01 is printed first: its second option (the correct one) is ticked.
    first = quiz[:quiz.index(r"\item ", quiz.index(r"\item ") + 1)]
    boxes = re.findall(r"\\item\[(.*?)\] ", first.split(r"\begin{list}")[1])
    ticked = [r"\textbf{X}" in box for box in boxes]
    assert ticked == [False, True, False]
    assert r"\textbf{Key:} 22 June 2024 \textless{}b\textgreater{}approved" in quiz
    assert quiz.count(r"\textbf{Key:}") == quiz.count(r"\item ") == 2
    assert r"\textbf{Key:}" not in student_latex.tex()
    assert r"\textbf{X}" not in student_latex.tex()


def test_printed_order_and_match_items_carry_their_answers(tmp_path):
    from quizkit.bank import read_bank
    from quizkit.shuffle import event_display_order, right_display_order
    from quizkit.sphinx.latex import render_quiz_latex

    bank = read_bank(BOOKS / "quizzes" / "demo.yml").bank
    order = next(i for i in bank.items if i.type == "order")
    match = next(i for i in bank.items if i.type == "match")
    tex = render_quiz_latex([order, match], title="Quiz", with_key=True)
    filled = re.findall(r"\\textbf\{(\w)\}\}\}", tex)
    shown = event_display_order(order)
    rights = right_display_order(match)
    assert filled == ([str(i + 1) for i in shown]
                      + ["ABCDEFGH"[rights.index(n)] for n in range(len(match.pairs))])
    assert "Key" not in render_quiz_latex([order, match], title="Quiz")


def test_answer_key_follows_the_books_chapter_order():
    from sphinx_external_toc.parsing import parse_toc_yaml

    from quizkit.sphinx.answer_key import chapter_of, in_book_order, toc_docnames

    class Config:
        external_site_map = parse_toc_yaml(Path(__file__).parents[1] / "_toc.yml")

    docnames = toc_docnames(Config)
    banks = ["afghan_border", "background", "critiques", "handout", "operation", "sources",
             "us_position"]
    assert in_book_order(banks, docnames) == [
        "background", "operation", "us_position", "afghan_border", "critiques", "sources",
        "handout"]
    assert chapter_of("background", docnames) == "chapters/01_background"
    assert chapter_of("handout", docnames) is None
    assert toc_docnames(object()) == []


def test_unknown_edition_is_a_configuration_error(tmp_path):
    result = build("basic", tmp_path, "html", edition="teacher")
    assert result.status != 0
    assert "quizkit_edition (or $QUIZKIT_EDITION) must be 'student' or 'instructor'" in result.log


# -- bank errors at build time --------------------------------------------------------


def test_bank_errors_fail_the_build_with_file_and_line(tmp_path):
    result = build("broken_bank", tmp_path, "html")
    assert result.status != 0
    assert ("quizzes/broken.yml:11: ERROR: a single-answer item needs exactly one correct "
            "option (found 2)") in result.log


def test_edition_is_a_tag_for_only_blocks(student_html, instructor_html):
    assert "TEACHING-NOTE" not in student_html.html("index")
    assert "TEACHING-NOTE" in instructor_html.html("index")


def test_compact_key_is_one_row_per_printed_question():
    from quizkit.bank import read_bank
    from quizkit.shuffle import event_display_order, right_display_order
    from quizkit.sphinx.answer_key import compact_key_table

    items = [i for i in read_bank(BOOKS / "quizzes" / "demo.yml").bank.items
             if i.pool == "self-check"]
    table = compact_key_table(items)
    rows = [[entry.astext() for entry in row.children] for row in table.findall(nodes.row)]
    assert rows[0] == ["No.", "Answer", "Item"]
    assert [row[0] for row in rows[1:]] == [f"{n}." for n in range(1, len(items) + 1)]
    by_id = {row[2]: row[1] for row in rows[1:]}
    assert by_id["demo-q01"] == "22 June 2024 <b>approved</b>"
    assert by_id["demo-q04"].startswith("Rah-e-Nijat (also accepted: Rah-e-Nijaat)")
    order = next(i for i in items if i.type == "order")
    match = next(i for i in items if i.type == "match")
    assert by_id[order.id] == "boxes, top to bottom: " + ", ".join(
        str(i + 1) for i in event_display_order(order))
    rights = right_display_order(match)
    assert by_id[match.id] == "boxes, top to bottom: " + ", ".join(
        "ABC"[rights.index(n)] for n in range(3))
    # Explanations and feedback stay in the full key.
    assert "EXPLANATION" not in table.astext() and "FEEDBACK" not in table.astext()
