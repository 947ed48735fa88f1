"""report.html: self-contained, accessible, and saying what an instructor needs."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from quizkit.errors import QuizkitError
from quizkit.grading import analyse, grade, read_responses
from quizkit.grading.report import ADVICE, render_report, write_report
from support.grading import BROKEN, FIXTURES, demo_key

TRICKY_STEM = 'Is 5 < 6 & is "x" <b>bold</b>?'


def render(path: Path, stem: str | None = None) -> BeautifulSoup:
    result = analyse(grade(read_responses(path), demo_key(stem)))
    return BeautifulSoup(render_report(result), "html.parser")


@pytest.fixture(scope="module")
def easy_class(tmp_path_factory) -> Path:
    """Everyone gets demo-q1 right (too easy, point-biserial undefined); one student row
    is a duplicate, so two rows are set aside."""
    rows = ["student_id,version,1,2,3,4,5,6",
            "S1,A,D,BD,292,Rah-e-Nijat,BDAC,CAB", "S2,A,D,BD,292,,,", "S3,B,,,,,AC,A",
            "S4,B,BCA,CADB,x,291,A,A", "S5,A,D,,,,,", "S5,B,,,,,,A", "S6,B,,,,,,A"]
    path = tmp_path_factory.mktemp("easy") / "responses.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(easy_class) -> BeautifulSoup:
    return render(easy_class, stem=TRICKY_STEM)


def visible_text(soup: BeautifulSoup) -> str:
    return soup.get_text(" ", strip=True)


def test_self_contained(page):
    assert not page.find_all(["script", "link", "iframe", "object"])
    for tag in page.find_all(src=True):
        assert tag["src"].startswith("data:image/png;base64,")
        data = base64.b64decode(tag["src"].split(",", 1)[1])
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert all(a["href"].startswith("#") for a in page.find_all("a", href=True))
    assert page.find("style") is not None


def test_structure_for_screen_readers(page):
    assert page.html["lang"] == "en"
    assert page.find("meta", charset=True)["charset"] == "utf-8"
    assert len(page.find_all("h1")) == 1
    assert [h.get_text() for h in page.find_all("h2")] == [
        "The test as a whole", "Items to review", "Items", "Options chosen, by group",
        "Rows not graded", "How these figures are computed"]
    for table in page.find_all("table"):
        assert table.caption and table.caption.get_text(strip=True)
        assert table.find("th")
    for th in page.find_all("th"):
        assert th.get("scope") in ("col", "row")


def test_two_plots_with_alt_text_and_captions(page):
    images = page.find_all("img")
    assert len(images) == 2
    histogram, scatter = (img["alt"] for img in images)
    assert histogram.startswith("Histogram of the scores of 5 students, out of 6 points")
    assert scatter.startswith("Scatter plot of") and "labelled with the item's number" in scatter
    for img in images:
        assert img.find_parent("figure").figcaption.get_text(strip=True)


def test_flagged_items_come_with_plain_advice(page):
    section = page.find("h2", string="Items to review").find_parent("section")
    text = visible_text(section)
    assert "demo-q1" in text and "(too easy)" in text
    assert ADVICE["too easy"] in text
    assert "Key: 22 June 2024" in text


def test_undefined_values_read_n_a_never_nan(page):
    text = visible_text(page)
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)
    row = page.find("th", string="demo-q1").find_parent("tr")
    cells = [td.get_text() for td in row.find_all("td")]  # #, type, n, p, r, D, flags
    assert cells[3:5] == ["1.00", "n/a"]


def test_bank_text_is_escaped(page):
    assert TRICKY_STEM in visible_text(page)
    assert page.find("b") is None


def test_exceptions_are_listed_with_lines(page):
    section = page.find("h2", string="Rows not graded").find_parent("section")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in section.find_all("tr")[1:]]
    assert [(r[0], r[1]) for r in rows] == [("6", "S5"), ("7", "S5")]
    assert "is on 2 rows" in rows[0][3]
    assert "2 set aside" in visible_text(page.find("h1").find_next("p"))


def test_a_class_without_problems_says_so():
    soup = render(FIXTURES / "responses.csv")
    assert "Every row was graded." in visible_text(soup)


def test_one_student_gives_a_report(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("student_id,version,1,2,3,4,5,6\nS1,A,D,,,,,\n", encoding="utf-8")
    soup = render(path)
    text = visible_text(soup)
    assert "No item has a defined difficulty and point-biserial" in text
    assert len(soup.find_all("img")) == 1  # the histogram still
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)


def test_same_class_same_bytes_and_never_overwritten(tmp_path, easy_class):
    result = analyse(grade(read_responses(easy_class), demo_key()))
    first = write_report(result, tmp_path / "report.html").read_bytes()
    assert render_report(result).encode("utf-8") == first
    with pytest.raises(QuizkitError, match="already exists"):
        write_report(result, tmp_path / "report.html")
    assert (tmp_path / "report.html").read_bytes() == first


def test_broken_rows_fixture_still_renders():
    soup = render(BROKEN / "answer_not_an_option.csv")
    assert "'E' is not one of the letters" in visible_text(soup)
