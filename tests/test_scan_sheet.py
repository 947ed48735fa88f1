"""Answer sheets: the PDF puts every mark where the layout says (the reader measures
there), the QR code names paper set, version and page, and sheets.json guards the
geometry."""

from __future__ import annotations

import json

import numpy as np
import pytest
import zxingcpp
from support.scans import choice_rows, render_pdf_page, write_paper

from quizkit.errors import QuizkitError
from quizkit.paper.key import KeyRow
from quizkit.paper.sheet import render_sheet
from quizkit.scan.layout import (
    BUBBLE_RADIUS, MARKER_SIDE, SheetSettings, bubbled_kind, index_centre, qr_box,
    sheet_pages,
)
from quizkit.scan.paperset import load_paper, paper_set_code, parse_qr

DPI = 200


def px(mm: float) -> int:
    return int(round(mm * DPI / 25.4))


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_the_drawn_sheet_matches_the_layout(tmp_path, size):
    rows = choice_rows("A", 70, options=5) + [
        KeyRow("A", 71, "n-q71", "n", "numeric", "292"),
        KeyRow("A", 72, "n-q72", "n", "text", "words")]
    settings = SheetSettings(size, 10, 3, "Layout")
    write_paper(tmp_path, rows, settings)
    paper = load_paper(tmp_path)
    for (_, number), layout in paper.layouts.items():
        image = render_pdf_page(str(tmp_path / "sheet-A.pdf"), number - 1, DPI)
        assert abs(image.shape[1] - px(layout.width)) <= 1
        assert abs(image.shape[0] - px(layout.height)) <= 1
        for x, y in [*layout.markers, index_centre()]:
            assert image[px(y), px(x)] < 50, (x, y)  # solid black
        for group in layout.groups:
            for b in group.bubbles:
                assert image[px(b.y), px(b.x)] > 200  # an empty bubble's centre is white
                ring = image[px(b.y), px(b.x - BUBBLE_RADIUS) - 1:px(b.x - BUBBLE_RADIUS) + 2]
                assert ring.min() < 160, (group.field, b)  # its printed ring is there
        x0, y0, x1, y1 = qr_box(layout.width)
        crop = image[px(y0) - 20:px(y1) + 20, px(x0) - 20:px(x1) + 20]
        [code] = zxingcpp.read_barcodes(crop)
        assert parse_qr(code.text) == parse_qr(f"QK1 {paper.code} A {number} {layout.pages}")


def test_no_two_marks_overlap_and_all_stay_inside_the_markers():
    rows = (choice_rows("A", 40, options=5) + [
        KeyRow("A", q, f"n-q{q}", "n", "numeric", "7") for q in range(41, 45)])
    for settings in (SheetSettings("a4", 12, 4), SheetSettings("letter", 8, 0)):
        for layout in sheet_pages("A", rows, settings):
            bubbles = [b for g in layout.groups for b in g.bubbles]
            centres = np.array([(b.x, b.y) for b in bubbles])
            gaps = np.hypot(*(centres[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
            np.fill_diagonal(gaps, np.inf)
            assert gaps.min() >= 2 * BUBBLE_RADIUS + 0.5
            inner = MARKER_SIDE + 6
            assert centres[:, 0].min() > inner and centres[:, 0].max() < layout.width - inner
            assert centres[:, 1].min() > inner and centres[:, 1].max() < layout.height - inner


def test_long_papers_continue_on_more_pages_with_every_question_once():
    rows = choice_rows("A", 200, options=4)
    pages = sheet_pages("A", rows, SheetSettings())
    assert len(pages) >= 2
    assert all(p.pages == len(pages) for p in pages)
    questions = [q for page in pages for q in page.questions]
    assert questions == list(range(1, 201))
    assert all(any(g.kind == "id" for g in page.groups) for page in pages)


def test_which_questions_are_bubbled():
    on = SheetSettings(numeric_digits=3)
    off = SheetSettings()
    whole = KeyRow("A", 1, "x", "x", "numeric", "292")
    assert bubbled_kind(whole, on) == "numeric" and bubbled_kind(whole, off) is None
    for answer in ("2.5", "-3", "1947"):  # decimals, negatives, too many digits
        assert bubbled_kind(KeyRow("A", 1, "x", "x", "numeric", answer), on) is None
    assert bubbled_kind(KeyRow("A", 1, "x", "x", "order", "BA", (1, 0)), on) is None
    assert bubbled_kind(KeyRow("A", 1, "x", "x", "multiple", "AB", (0, 1, 2)), on) == "multiple"


def test_the_same_sheet_gives_the_same_bytes():
    pages = sheet_pages("B", choice_rows("B", 12), SheetSettings(title="Same"))
    assert render_sheet(pages, "abc123abc123") == render_sheet(pages, "abc123abc123")


def test_the_paper_set_changes_with_the_key_and_the_settings():
    rows = choice_rows("A", 5)
    base = paper_set_code(rows, SheetSettings())
    assert paper_set_code(rows[::-1], SheetSettings()) == base  # the order of rows is not
    other = [*rows[:-1], KeyRow("A", 5, rows[-1].item_id, "synthetic", "single", "B",
                                rows[-1].option_order)]
    assert paper_set_code(other, SheetSettings()) != base
    assert paper_set_code(rows, SheetSettings(id_digits=7)) != base


def test_a_key_edited_after_printing_is_refused(tmp_path):
    write_paper(tmp_path, choice_rows("A", 5), SheetSettings())
    key = tmp_path / "key.csv"
    key.write_text(key.read_text(encoding="utf-8").replace(",A,", ",B,", 1), encoding="utf-8")
    with pytest.raises(QuizkitError, match=r"sheets.json: paper set '\w+' does not match"):
        load_paper(tmp_path)


def test_unknown_settings_are_named(tmp_path):
    write_paper(tmp_path, choice_rows("A", 5), SheetSettings())
    path = tmp_path / "sheets.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["bubble_size"] = 3
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(QuizkitError, match="unknown key bubble_size"):
        load_paper(tmp_path)
