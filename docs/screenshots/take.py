"""The README's phone screenshots, taken from the built book in Debian's Chromium.

    make book && .venv/bin/python docs/screenshots/take.py [--site _build/html]

Writes phone-chapter.png, phone-menu.png and phone-quiz.png beside this file: a
390-pixel phone (touch), a chapter's opening, its menu opened, and a quiz after a
wrong and a right answer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import block_outside, launch, serve  # noqa: E402

CHAPTER = "chapters/02_operation.html"
PHONE = {"width": 390, "height": 844}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, serve(args.site) as base:
        browser = launch(playwright)
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      device_scale_factor=1)
        block_outside(context)
        page = context.new_page()
        page.goto(base + CHAPTER, wait_until="load")
        page.screenshot(path=HERE / "phone-chapter.png")
        page.locator(".primary-toggle:visible").tap()
        page.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open")
        page.wait_for_timeout(400)
        page.screenshot(path=HERE / "phone-menu.png")
        page.keyboard.press("Escape")
        # A multiple-answer item checked with one right and one wrong option, a
        # single-choice item checked with its first option.
        item = page.locator('.quizkit-item[data-qk-type="multiple"]').first
        for index in (0, 1):
            item.locator(f'input[value="{index}"]').tap()
        item.locator(".quizkit-check").tap()
        item.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -140)")
        page.wait_for_timeout(400)
        page.screenshot(path=HERE / "phone-quiz.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
