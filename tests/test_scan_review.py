"""review.html in a real browser (Debian's Chromium through Playwright; skipped
without it): the decisions typed on the page come out as a corrections file that a
re-run of `quizkit scan` applies, and the page loads nothing from anywhere."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from browser_support import CHROMIUM, block_outside, launch, serve
from support.cli import run_quizkit
from support.scans import Answers, choice_rows, scan_page, to_pdf, write_paper

from quizkit.scan.layout import SheetSettings
from quizkit.scan.paperset import load_paper

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed (/usr/bin/chromium)")


def run(*argv) -> tuple[int, str]:
    status, out, err = run_quizkit(*map(str, argv))
    return status, out + err


def test_decisions_typed_in_the_review_page_are_applied_by_a_rerun(tmp_path):
    from playwright.sync_api import sync_playwright

    write_paper(tmp_path / "paper", choice_rows("A", 6), SheetSettings(id_digits=4))
    paper = load_paper(tmp_path / "paper")
    layout = paper.layouts[("A", 1)]
    answers = {"1": "A", "2": "B", "3": "C", "4": "D", "5": "A", "6": ""}
    pages = [scan_page(tmp_path / "paper" / "sheet-A.pdf", layout, 150,
                       Answers("1234", {**answers, "2": ""}), seed=1,
                       extra=[("2", "B", "faint"), ("6", "C", "cross")]),
             scan_page(tmp_path / "paper" / "sheet-A.pdf", layout, 150,
                       Answers("123", answers), seed=2, extra=[("student_id", "9@4", "erased")])]
    (tmp_path / "scans.pdf").write_bytes(to_pdf(pages, 150))
    status, output = run("scan", tmp_path / "scans.pdf", "--paper", tmp_path / "paper",
                         "-o", tmp_path / "first")
    assert status == 0, output
    assert "0 responses rows" in output

    with serve(tmp_path / "first") as base, sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(accept_downloads=True)
        outside = block_outside(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/review.html")
        boxes = page.locator("input[data-page]")
        fields = [(boxes.nth(i).get_attribute("data-page"),
                   boxes.nth(i).get_attribute("data-field")) for i in range(boxes.count())]
        assert sorted(fields) == [("scans.pdf#1", "2"), ("scans.pdf#1", "6"),
                                  ("scans.pdf#2", "student_id")]
        assert page.locator("img").count() == 3  # a crop beside every decision
        decisions = {"2": "B", "6": "", "student_id": "1239"}
        for i, (_, field) in enumerate(fields):
            boxes.nth(i).fill(decisions[field])
        with page.expect_download() as download:
            page.get_by_role("button", name="Download corrections.csv").click()
        saved = tmp_path / "corrections.csv"
        download.value.save_as(saved)
        browser.close()
    assert errors == [] and outside == []
    rows = list(csv.reader(saved.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["page", "field", "value"]
    assert sorted(rows[1:]) == [["scans.pdf#1", "2", "B"], ["scans.pdf#1", "6", ""],
                                ["scans.pdf#2", "student_id", "1239"]]

    status, output = run("scan", tmp_path / "scans.pdf", "--paper", tmp_path / "paper",
                         "-o", tmp_path / "second", "--corrections", saved)
    assert status == 0, output
    with (tmp_path / "second" / "responses.csv").open(encoding="utf-8") as handle:
        responses = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert responses["1234"] == {"student_id": "1234", "version": "A", **answers}
    assert responses["1239"] == {"student_id": "1239", "version": "A", **answers}
    assert not Path(tmp_path / "second" / "review.csv").read_text().strip().count("\n")
