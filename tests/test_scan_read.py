"""Reading one scanned answer sheet: registration, code, fills and decisions, on
synthetic scans at 150/200/300 dpi, turned, skewed, shifted, scaled, tilted, blurred,
noisy and JPEG-compressed."""

from __future__ import annotations

import random

import numpy as np
import pytest
from support.scans import (
    AMBIGUOUS_STYLES, Answers, jpeg, render_pdf_page, scan_page, write_paper,
)

from quizkit.paper.key import KeyRow
from quizkit.scan.layout import SheetSettings
from quizkit.scan.paperset import load_paper
from quizkit.scan.read import MARKED, MARKED_PENCIL, UnreadableError, read_page


def rows(version: str) -> list[KeyRow]:
    """Every kind of question: single (3, 4, 5 options), multiple, numeric bubbled,
    and the ones answered on the question paper."""
    return [
        KeyRow(version, 1, "x-q1", "x", "single", "B", (0, 1, 2, 3)),
        KeyRow(version, 2, "x-q2", "x", "single", "A", (0, 1, 2)),
        KeyRow(version, 3, "x-q3", "x", "multiple", "AC", (0, 1, 2, 3, 4)),
        KeyRow(version, 4, "x-q4", "x", "numeric", "1947"),
        KeyRow(version, 5, "x-q5", "x", "text", "words"),
        KeyRow(version, 6, "x-q6", "x", "order", "ABC", (0, 1, 2)),
        KeyRow(version, 7, "x-q7", "x", "single", "E", (0, 1, 2, 3, 4)),
        KeyRow(version, 8, "x-q8", "x", "multiple", "BD", (0, 1, 2, 3)),
        KeyRow(version, 9, "x-q9", "x", "numeric", "2.5"),
        KeyRow(version, 10, "x-q10", "x", "single", "C", (0, 1, 2, 3)),
        KeyRow(version, 11, "x-q11", "x", "single", "D", (0, 1, 2, 3)),
        KeyRow(version, 12, "x-q12", "x", "single", "A", (0, 1, 2, 3)),
    ]


SETTINGS = SheetSettings("a4", 8, 4, "Scan test")
ANSWERS = Answers("20240917", {"1": "B", "2": "C", "3": "ACE", "4": "1947", "7": "E",
                               "8": "", "10": "D"})
EXPECTED = {"student_id": "20240917", "1": "B", "2": "C", "3": "ACE", "4": "1947", "7": "E",
            "8": "", "10": "D", "11": "", "12": ""}


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paper")
    write_paper(folder, rows("A") + rows("B"), SETTINGS)
    return folder


def values(reading) -> dict[str, str | None]:
    return {name: d.value for name, d in reading.decisions.items()}


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_clean_scans_read_every_mark_at_each_resolution(paper, dpi):
    loaded = load_paper(paper)
    image = scan_page(paper / "sheet-A.pdf", loaded.layouts[("A", 1)], dpi, ANSWERS, seed=dpi,
                      bed=0.0)
    reading = read_page(image, loaded)
    assert (reading.code.version, reading.code.page, reading.code.pages) == ("A", 1, 1)
    assert values(reading) == EXPECTED
    # Text, order and a decimal numeric are answered on the question paper.
    assert reading.layout.on_paper == (5, 6, 9)


SCANNERS = {
    "rotated +5°": dict(angle=5.0),
    "rotated -5°, shifted": dict(angle=-5.0, shift=(0.02, -0.015)),
    "scaled 93 %": dict(scale=0.93),
    "scaled 104 %, shifted": dict(scale=1.04, shift=(-0.01, 0.01)),
    "perspective": dict(perspective=0.02, angle=1.5),
    "blurred and noisy": dict(blur=1.6, noise=12.0),
    "upside down": dict(turn=2, angle=3.0),
    "quarter turn": dict(turn=1, angle=-2.0),
    "three quarter turns": dict(turn=3),
}


@pytest.mark.parametrize("name", sorted(SCANNERS))
def test_what_scanners_do_does_not_change_what_is_read(paper, name):
    loaded = load_paper(paper)
    image = scan_page(paper / "sheet-B.pdf", loaded.layouts[("B", 1)], 200, ANSWERS,
                      seed=len(name), **SCANNERS[name])
    reading = read_page(jpeg(image, 55), loaded)
    assert reading.code.version == "B"
    assert values(reading) == EXPECTED


def test_scribbled_marks_count_and_stray_touches_do_not(paper):
    loaded = load_paper(paper)
    layout = loaded.layouts[("A", 1)]
    image = scan_page(paper / "sheet-A.pdf", layout, 200, ANSWERS, seed=3, style="scribble",
                      extra=[("11", "A", "stray"), ("12", "C", "stray"), ("10", "A", "stray")])
    assert values(read_page(image, loaded)) == EXPECTED


@pytest.mark.parametrize("dpi", [150, 300])
def test_every_ambiguous_mark_is_flagged_never_guessed(paper, dpi):
    loaded = load_paper(paper)
    layout = loaded.layouts[("A", 1)]
    # Each ambiguous style alone on a question, beside a clear answer (an erased first
    # choice), in a column of the student id and as a digit of a number.
    alone = (("11", "C"), ("12", "C"), ("8", "C"), ("11", "A"))
    beside = (("1", "A"), ("10", "A"), ("7", "A"), ("3", "B"))
    extra = []
    for k, style in enumerate(AMBIGUOUS_STYLES):
        extra += [(*alone[k], style), (*beside[k], style),
                  ("student_id", f"3@{2 * k + 1}", style), ("4", f"3@{k + 1}", style)]
    image = scan_page(paper / "sheet-A.pdf", layout, dpi, ANSWERS, seed=dpi,
                      extra=extra, angle=2.0, noise=5.0)
    reading = read_page(jpeg(image, 70), loaded)
    flagged = {*(q for q, _ in alone + beside), "student_id", "4"}
    for name in flagged:
        decision = reading.decisions[name]
        assert decision.value is None, (name, decision)
        assert name in reading.crops
    for k in range(len(AMBIGUOUS_STYLES)):
        assert f"at {alone[k][1]} " in reading.decisions[alone[k][0]].reason
        assert f"at {beside[k][1]} " in reading.decisions[beside[k][0]].reason
        assert f"at 3 in column {2 * k + 1} " in reading.decisions["student_id"].reason
        assert f"at 3 in column {k + 1} " in reading.decisions["4"].reason
    # The rest of the sheet is still read.
    assert {k: v for k, v in values(reading).items() if k not in flagged} == \
        {k: v for k, v in EXPECTED.items() if k not in flagged}


def test_two_marks_on_a_single_answer_question_are_flagged(paper):
    loaded = load_paper(paper)
    answers = Answers("20240917", {**ANSWERS.choices, "1": "BD", "4": "1947"})
    image = scan_page(paper / "sheet-A.pdf", loaded.layouts[("A", 1)], 200, answers, seed=4)
    reading = read_page(image, loaded)
    decision = reading.decisions["1"]
    assert decision.value is None
    assert "2 marks" in decision.reason and "B, D" in decision.reason
    # On a multiple-answer question several marks are the answer.
    assert reading.decisions["3"].value == "ACE"


def test_an_incomplete_student_id_is_flagged(paper):
    loaded = load_paper(paper)
    answers = Answers("2024091", ANSWERS.choices)  # one column short
    image = scan_page(paper / "sheet-A.pdf", loaded.layouts[("A", 1)], 200, answers, seed=5)
    decision = read_page(image, loaded).decisions["student_id"]
    assert decision.value is None
    assert "column 8" in decision.reason


def test_a_number_with_a_gap_is_flagged(paper):
    loaded = load_paper(paper)
    layout = loaded.layouts[("A", 1)]
    image = scan_page(paper / "sheet-A.pdf", layout, 200, Answers("20240917", {}), seed=6,
                      extra=[("4", "1@1", "full"), ("4", "7@3", "full")])
    decision = read_page(image, loaded).decisions["4"]
    assert decision.value is None
    assert "blank column between the digits" in decision.reason


def test_a_sheet_of_another_paper_set_is_never_read(paper, tmp_path):
    other = tmp_path / "other"
    write_paper(other, rows("A")[:-1], SETTINGS)  # the same test less one question
    theirs = load_paper(other)
    image = scan_page(other / "sheet-A.pdf", theirs.layouts[("A", 1)], 200, ANSWERS, seed=7)
    with pytest.raises(UnreadableError, match="another paper set"):
        read_page(image, load_paper(paper))


def test_pages_without_a_sheet_are_unreadable_with_a_reason(paper):
    loaded = load_paper(paper)
    blank = np.full((2339, 1654), 250, np.uint8)
    with pytest.raises(UnreadableError, match="no answer sheet found"):
        read_page(blank, loaded)
    # A sheet whose QR code was torn off or scribbled over.
    image = render_pdf_page(str(paper / "sheet-A.pdf"), 0, 200)
    layout = loaded.layouts[("A", 1)]
    x0 = int((layout.width - 12 - 22 - 4) * 200 / 25.4)
    image[int(20 * 200 / 25.4):int(44 * 200 / 25.4), x0:x0 + int(23 * 200 / 25.4)] = 250
    with pytest.raises(UnreadableError, match="QR code cannot be read"):
        read_page(image, loaded)


def test_fills_of_clear_marks_sit_far_from_the_threshold(paper):
    """The margin that lets a pale copy still read: full marks well above MARKED."""
    loaded = load_paper(paper)
    rng = random.Random(8)
    image = scan_page(paper / "sheet-A.pdf", loaded.layouts[("A", 1)], 150, ANSWERS,
                      seed=rng.randint(0, 99))
    pale = (image.astype(np.float32) * 0.55 + 110).astype(np.uint8)  # a grey photocopy
    reading = read_page(pale, loaded)
    assert values(reading) == EXPECTED
    full = [f for d in reading.decisions.values() for _, f in d.fills]
    assert min(full) > MARKED + 0.1


@pytest.mark.parametrize("size, dpi", [("letter", 300), ("a4", 600)])
def test_letter_paper_and_a_600_dpi_scan(tmp_path, size, dpi):
    write_paper(tmp_path, rows("A"), SheetSettings(size, 8, 4, "Scan test"))
    loaded = load_paper(tmp_path)
    image = scan_page(tmp_path / "sheet-A.pdf", loaded.layouts[("A", 1)], dpi, ANSWERS,
                      seed=dpi, angle=-3.0, turn=2)
    assert values(read_page(image, loaded)) == EXPECTED


def test_a_sheet_of_an_unknown_version_is_never_read(paper, tmp_path):
    """A code of this paper set naming a version the key does not have (a sheet
    printed for a version later dropped) is reported, not read with another key."""
    from quizkit.paper.sheet import render_sheet
    from quizkit.scan.layout import sheet_pages

    loaded = load_paper(paper)
    pages = sheet_pages("Z", rows("Z"), SETTINGS)
    (tmp_path / "sheet-Z.pdf").write_bytes(render_sheet(pages, loaded.code))
    image = scan_page(tmp_path / "sheet-Z.pdf", pages[0], 200, ANSWERS, seed=9)
    with pytest.raises(UnreadableError, match="version Z page 1 of 1, which this paper does not "
                                         r"have \(versions A, B\)"):
        read_page(image, loaded)


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_soft_pencil_reads_and_its_light_marks_still_go_to_review(paper, dpi):
    loaded = load_paper(paper)
    image = scan_page(paper / "sheet-A.pdf", loaded.layouts[("A", 1)], dpi, ANSWERS,
                      seed=dpi + 1, style="pencil", angle=-1.5, noise=4.0,
                      extra=[("11", "B", "faint"), ("12", "D", "erased"),
                             ("10", "A", "erased")])
    reading = read_page(jpeg(image, 75), loaded)
    full = [f for d in reading.decisions.values() for v, f in d.fills if f >= MARKED_PENCIL]
    assert max(full) < MARKED  # lighter than any pen: a fixed threshold would flag them all
    for name in ("11", "12", "10"):
        assert reading.decisions[name].value is None, reading.decisions[name]
    assert {k: v for k, v in values(reading).items() if k not in ("11", "12", "10")} == \
        {k: v for k, v in EXPECTED.items() if k not in ("11", "12", "10")}
