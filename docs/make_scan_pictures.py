"""Redraw the README's pictures of an answer sheet and of a scan's review page.

    .venv/bin/python docs/make_scan_pictures.py

Prints the fixture bank's paper with answer sheets (`quizkit paper --sheets`), fills
synthetic sheets (tests/support/scans.py) with a few doubtful marks, scans them with
`quizkit scan`, and saves docs/scan-sheet.png (a filled sheet) and
docs/scan-review.png (review.html in Debian's Chromium).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import cv2  # noqa: E402
from browser_support import launch  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from support.scans import Answers, scan_page, to_pdf  # noqa: E402

from quizkit.cli import main  # noqa: E402
from quizkit.grading.key import read_key  # noqa: E402
from quizkit.scan.paperset import load_paper  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "paper"


def main_() -> None:
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        paper_dir = temp / "paper-exam-seed7"
        status = main(["paper", "--quizzes", str(FIXTURE / "quizzes"), "--data",
                       str(FIXTURE / "data"), "--versions", "2", "--seed", "7", "--tex-only",
                       "--sheets", "--numeric-bubbles", "--title", "Midterm, week 6",
                       "-o", str(paper_dir)])
        assert status == 0
        paper = load_paper(paper_dir)
        key = {(r.version, str(r.question)): r.answer for r in read_key(paper_dir / "key.csv")
               if r.type in ("single", "multiple", "numeric")}
        a = {q: answer for (v, q), answer in key.items() if v == "A"}
        b = {q: answer for (v, q), answer in key.items() if v == "B"}
        sheet = scan_page(paper_dir / "sheet-A.pdf", paper.layouts[("A", 1)], 110,
                          Answers("20240117", {**a, "3": "B"}), seed=1, bed=0.0)
        cv2.imwrite(str(ROOT / "docs" / "scan-sheet.png"), sheet)
        pages = [
            scan_page(paper_dir / "sheet-A.pdf", paper.layouts[("A", 1)], 150,
                      Answers("20240117", {**a, "2": ""}), seed=2, angle=2,
                      extra=[("2", "B", "faint"), ("2", "C", "full")]),
            scan_page(paper_dir / "sheet-B.pdf", paper.layouts[("B", 1)], 150,
                      Answers("20240118", {**b, "4": "AB"}), seed=3, turn=2),
        ]
        (temp / "scans.pdf").write_bytes(to_pdf(pages, 150))
        status = main(["scan", str(temp / "scans.pdf"), "--paper", str(paper_dir), "-o",
                       str(temp / "scanned")])
        assert status == 0
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto((temp / "scanned" / "review.html").as_uri())
            page.screenshot(path=str(ROOT / "docs" / "scan-review.png"), full_page=True)
            browser.close()
    print("wrote docs/scan-sheet.png and docs/scan-review.png")


if __name__ == "__main__":
    main_()
