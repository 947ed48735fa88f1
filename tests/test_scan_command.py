"""`quizkit scan` as instructors run it: paper → filled synthetic scans → scan →
(review, corrections) → grade."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from support.cli import run_quizkit
from support.scans import Answers, choice_rows, jpeg, scan_page, to_pdf, write_paper

from quizkit.grading.key import read_key
from quizkit.notation import LETTERS
from quizkit.scan.layout import SheetSettings
from quizkit.scan.paperset import load_paper

FIXTURE = Path(__file__).parent / "fixtures" / "paper"
DPI = 150
BATCH_DPI = 200


def run(*argv) -> tuple[int, str, str]:
    return run_quizkit(*map(str, argv))


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """`quizkit paper --sheets` on the fixture bank: two versions of every item type."""
    folder = tmp_path_factory.mktemp("printed") / "paper"
    status, _, err = run("paper", "--quizzes", FIXTURE / "quizzes", "--data", FIXTURE / "data",
                         "--versions", "2", "--seed", "7", "--tex-only", "--sheets",
                         "--numeric-bubbles", "-o", folder)
    assert status == 0, err
    return folder


def key_answers(folder: Path, version: str, wrong: set[int] = frozenset()) -> dict[str, str]:
    """A student's bubbled answers: the key's, except a wrong letter on ``wrong``."""
    answers = {}
    for row in read_key(folder / "key.csv"):
        if row.version != version or row.type not in ("single", "multiple", "numeric"):
            continue
        answer = row.answer
        if row.question in wrong:
            answer = (LETTERS[(LETTERS.index(answer[0]) + 1) % len(row.option_order)]
                      if row.type != "numeric" else "1900")
        answers[str(row.question)] = answer
    return answers


def test_paper_writes_a_sheet_per_version_unless_told_not_to(printed, tmp_path):
    names = sorted(p.name for p in printed.iterdir())
    assert names == ["key-A.tex", "key-B.tex", "key.csv", "sheet-A.pdf", "sheet-B.pdf",
                     "sheets.json", "version-A.tex", "version-B.tex"]
    status, _, err = run("paper", "--quizzes", FIXTURE / "quizzes", "--versions", "1",
                         "--seed", "7", "--tex-only", "--no-sheets", "-o", tmp_path / "plain")
    assert status == 0, err
    assert not list((tmp_path / "plain").glob("sheet*"))
    status, _, err = run("paper", "--quizzes", FIXTURE / "quizzes", "--versions", "1",
                         "--seed", "7", "--tex-only", "-o", tmp_path / "default")
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "default").glob("sheet*")) == [
        "sheet-A.pdf", "sheets.json"]


def test_paper_refuses_a_title_the_sheet_cannot_print_before_writing(tmp_path):
    status, _, err = run("paper", "--quizzes", FIXTURE / "quizzes", "--seed", "7",
                         "--tex-only", "--sheets", "--title", "Quiz \u0627\u0644\u0641",
                         "-o", tmp_path / "p")
    assert status == 2
    assert "cannot print" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())


def test_end_to_end_paper_scans_scan_grade_gives_the_implied_scores(printed, tmp_path):
    paper = load_paper(printed)
    students = [("20240001", "A", set()), ("20240002", "B", {2}), ("20240003", "A", {2, 5}),
                ("20240004", "B", {1, 4, 5})]
    pages = []
    for n, (student, version, wrong) in enumerate(students):
        answers = Answers(student, key_answers(printed, version, wrong))
        image = scan_page(printed / f"sheet-{version}.pdf", paper.layouts[(version, 1)], DPI,
                          answers, seed=n, angle=(-1) ** n * 2.5, noise=4.0,
                          turn=2 if n == 2 else 0)
        pages.append(image)
    scans = tmp_path / "class.pdf"
    scans.write_bytes(to_pdf(pages[::-1], DPI))  # out of order, one upside down

    status, out, err = run("scan", scans, "--paper", printed, "-o", tmp_path / "scanned",
                           "--dpi", DPI, "--jobs", "1")
    assert status == 0, err
    assert "4 pages: 4 read, 0 need review, 0 unreadable" in out
    responses = table(tmp_path / "scanned" / "responses.csv")
    assert [r["student_id"] for r in responses] == [s for s, _, _ in students[::-1]]
    # Order, match and text items are left for the instructor to type.
    on_paper = {(r.version, str(r.question)) for r in read_key(printed / "key.csv")
                if r.type in ("order", "match", "text")}
    assert on_paper
    assert all(r[q] == "" for r in responses for v, q in on_paper if r["version"] == v)

    status, _, err = run("grade", tmp_path / "scanned" / "responses.csv", "--key",
                         printed / "key.csv", "--quizzes", FIXTURE / "quizzes", "-o",
                         tmp_path / "grades", "--no-report")
    assert status == 0, err
    scores = {r["student_id"]: r for r in table(tmp_path / "grades" / "scores.csv")}
    for student, version, wrong in students:
        bubbled = key_answers(printed, version)
        wrong_bubbled = [q for q in wrong if str(q) in bubbled]
        assert scores[student]["version"] == version
        assert float(scores[student]["score"]) == len(bubbled) - len(wrong_bubbled), student
    assert float(scores["20240004"]["score"]) < float(scores["20240001"]["score"])


def make_batch(printed: Path, tmp_path: Path) -> Path:
    """Six pages at 200 dpi: four sheets (one with a faint mark, two with the same id),
    a blank page, and a sheet of another paper set."""
    paper = load_paper(printed)
    other = tmp_path / "other-paper"
    write_paper(other, choice_rows("A", 6), SheetSettings(title="Another test"))
    theirs = load_paper(other)
    a, b = key_answers(printed, "A"), key_answers(printed, "B")
    single = next(q for q, v in a.items() if len(v) == 1 and v.isalpha())
    pages = [
        scan_page(printed / "sheet-A.pdf", paper.layouts[("A", 1)], BATCH_DPI,
                  Answers("11111111", a), seed=1, angle=3),
        scan_page(printed / "sheet-B.pdf", paper.layouts[("B", 1)], BATCH_DPI,
                  Answers("22222222", b), seed=2, turn=2),
        np.full((1754, 1240), 245, np.uint8),
        scan_page(printed / "sheet-A.pdf", paper.layouts[("A", 1)], BATCH_DPI,
                  Answers("33333333", {**a, single: ""}), seed=3,
                  extra=[(single, a[single], "faint")]),
        scan_page(other / "sheet-A.pdf", theirs.layouts[("A", 1)], BATCH_DPI,
                  Answers("44444444", {"1": "A"}), seed=4),
        scan_page(printed / "sheet-B.pdf", paper.layouts[("B", 1)], BATCH_DPI,
                  Answers("11111111", b), seed=5, angle=-2),
    ]
    scans = tmp_path / "batch.pdf"
    scans.write_bytes(to_pdf(pages, BATCH_DPI))  # JPEG pages decoded at half size (≥ 190 dpi)
    return scans


def test_every_page_is_accounted_for_and_nothing_is_guessed(printed, tmp_path):
    scans = make_batch(printed, tmp_path)
    status, out, err = run("scan", scans, "--paper", printed, "-o", tmp_path / "s",
                           "--dpi", DPI, "--jobs", "2")
    assert status == 0, err
    pages = table(tmp_path / "s" / "pages.csv")
    assert [p["page"] for p in pages] == [f"batch.pdf#{n}" for n in range(1, 7)]
    status_of = {p["page"]: p for p in pages}
    assert status_of["batch.pdf#2"]["status"] == "read"
    assert status_of["batch.pdf#3"]["status"] == "unreadable"
    assert "no answer sheet found" in status_of["batch.pdf#3"]["reason"]
    assert status_of["batch.pdf#5"]["status"] == "unreadable"
    assert "another paper set" in status_of["batch.pdf#5"]["reason"]
    assert status_of["batch.pdf#4"]["status"] == "needs review"
    for duplicate in ("batch.pdf#1", "batch.pdf#6"):
        assert status_of[duplicate]["status"] == "needs review"
        assert "student id 11111111 is also on" in status_of[duplicate]["reason"]
    assert "unreadable: batch.pdf#3" in out and "unreadable: batch.pdf#5" in out
    assert "duplicate student id 11111111: batch.pdf#1, batch.pdf#6" in out
    # Only the sheet read in full becomes a row.
    assert [r["student_id"] for r in table(tmp_path / "s" / "responses.csv")] == ["22222222"]
    review = table(tmp_path / "s" / "review.csv")
    assert {(r["page"], r["field"]) for r in review} >= {
        ("batch.pdf#3", "page"), ("batch.pdf#5", "page"), ("batch.pdf#1", "student_id"),
        ("batch.pdf#6", "student_id")}
    assert all(r["value"] == "?" for r in review)

    # review.html: self-contained, a picture beside every decision.
    html = (tmp_path / "s" / "review.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert html.count('data-page="') == len(review)
    assert html.count("data:image/png;base64,") >= len(review)

    # The instructor decides; the re-run applies the decisions and is complete.
    decided = []
    for r in review:
        if r["page"] in ("batch.pdf#3", "batch.pdf#5"):
            r["value"] = "skip"
        elif r["page"] == "batch.pdf#6" and r["field"] == "student_id":
            r["value"] = "55555555"
        elif r["field"] == "student_id":
            r["value"] = r["suggested"]
        else:
            r["value"] = "B" if r["suggested"] == "" else r["suggested"]
            decided.append((r["page"], r["field"], r["value"]))
    corrections = tmp_path / "corrections.csv"
    with corrections.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(review[0]))
        writer.writeheader()
        writer.writerows(review)
    status, out, err = run("scan", scans, "--paper", printed, "-o", tmp_path / "s2",
                           "--dpi", DPI, "--corrections", corrections)
    assert status == 0, err
    assert "6 pages: 4 read, 0 need review, 0 unreadable, 2 skipped; 4 responses rows" in out
    rows = {r["student_id"]: r for r in table(tmp_path / "s2" / "responses.csv")}
    assert sorted(rows) == ["11111111", "22222222", "33333333", "55555555"]
    for _, field, value in decided:
        assert rows["33333333"][field] == value
    # The same scans and corrections give the same files, byte for byte, with any
    # number of workers.
    status, _, err = run("scan", scans, "--paper", printed, "-o", tmp_path / "s3",
                         "--dpi", DPI, "--corrections", corrections, "--jobs", "1")
    assert status == 0, err
    for name in ("responses.csv", "pages.csv", "review.csv", "review.html"):
        assert (tmp_path / "s2" / name).read_bytes() == (tmp_path / "s3" / name).read_bytes()


def test_images_of_every_kind_and_a_sheet_over_two_pages(tmp_path):
    folder = tmp_path / "long"
    write_paper(folder, choice_rows("A", 130, options=5), SheetSettings(id_digits=6))
    paper = load_paper(folder)
    assert paper.pages["A"] == 2
    answers = Answers("123456", {str(q): LETTERS[q % 5] for q in range(1, 131)})
    first = scan_page(folder / "sheet-A.pdf", paper.layouts[("A", 1)], 200, answers, seed=1,
                      angle=1.5)
    second = scan_page(folder / "sheet-A.pdf", paper.layouts[("A", 2)], 200, answers, seed=2,
                       turn=2)
    lonely = scan_page(folder / "sheet-A.pdf", paper.layouts[("A", 1)], 200,
                       Answers("654321", answers.choices), seed=3)
    scans = tmp_path / "scans"
    scans.mkdir()
    cv2.imwrite(str(scans / "p2.jpg"), jpeg(second, 80))
    Image.fromarray(first).save(scans / "p1.tiff", save_all=True,
                                append_images=[Image.fromarray(lonely)])
    (scans / "broken.png").write_bytes(b"not an image")
    status, out, err = run("scan", scans, "--paper", folder, "-o", tmp_path / "out")
    assert status == 0, err
    pages = {p["page"]: p for p in table(tmp_path / "out" / "pages.csv")}
    assert pages["broken.png#1"]["status"] == "unreadable"
    assert "cannot be decoded" in pages["broken.png#1"]["reason"]
    assert pages["p1.tiff#1"]["status"] == pages["p2.jpg#1"]["status"] == "read"
    assert pages["p1.tiff#2"]["status"] == "needs review"
    assert "page 2 of 2 of this sheet" in pages["p1.tiff#2"]["reason"]
    [row] = table(tmp_path / "out" / "responses.csv")
    assert row == {"student_id": "123456", "version": "A",
                   **{str(q): LETTERS[q % 5] for q in range(1, 131)}}


def test_bad_input_is_one_line_naming_the_file(printed, tmp_path):
    status, _, err = run("scan", tmp_path / "missing.pdf", "--paper", printed, "-o",
                         tmp_path / "o")
    assert status == 2 and err.strip() == f"In {tmp_path / 'missing.pdf'}: no such scan file"
    status, _, err = run("scan", tmp_path, "--paper", tmp_path, "-o", tmp_path / "o")
    assert status == 2 and "sheets.json: not found" in err

    image = tmp_path / "one.png"
    cv2.imwrite(str(image), np.full((400, 300), 250, np.uint8))
    bad = tmp_path / "bad.csv"
    bad.write_text("page,field,value\none.png#1,12,B\none.png,12,B\n", encoding="utf-8")
    status, _, err = run("scan", image, "--paper", printed, "-o", tmp_path / "o",
                         "--corrections", bad)
    assert status == 2
    assert err.strip() == (f"In {bad}, line 3: page 'one.png' must name a scanned page as "
                           "<file name>#<page number>, e.g. scans.pdf#3")
    wrong_page = tmp_path / "wrong.csv"
    wrong_page.write_text("page,field,value\nother.png#1,page,skip\n", encoding="utf-8")
    status, _, err = run("scan", image, "--paper", printed, "-o", tmp_path / "o",
                         "--corrections", wrong_page)
    assert status == 2 and "line 2: no scanned page other.png#1" in err
    assert not (tmp_path / "o").exists()

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    status, _, err = run("scan", image, "--paper", printed, "-o", tmp_path / "full")
    assert status == 2 and "not empty" in err
    assert (tmp_path / "full" / "keep.txt").read_text() == "x"


def test_names_from_files_never_become_markup(printed, tmp_path):
    image = tmp_path / "<img src=x onerror=alert(1)>.png"
    cv2.imwrite(str(image), np.full((400, 300), 250, np.uint8))
    status, _, err = run("scan", image, "--paper", printed, "-o", tmp_path / "o")
    assert status == 0, err
    html = (tmp_path / "o" / "review.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.png#1" in html
