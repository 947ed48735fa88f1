"""A whole live session in a real browser (Playwright driving Debian's Chromium): a
presenter on a projector-sized page, by keyboard, and three students on phone
viewports (two by touch, one by keyboard; one on a network that breaks event
streams, so its page polls), through all six item types; a reload mid-question
keeps the student; axe finds nothing serious; and the exported files,
graded by ``quizkit grade``, give the scores the students saw.

QUIZKIT_LIVE_SCREENSHOTS=DIR also saves the README's screenshots into DIR.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from browser_support import CHROMIUM, axe_problems, axe_source, block_outside, launch
from support.cli import run_quizkit
from support.live import ROOT, start_server, stop
from quizkit.model import format_number
from quizkit.project import load_catalog

pytestmark = [pytest.mark.server,
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="Debian's Chromium (/usr/bin/chromium) is not installed")]

QUIZZES = str(ROOT / "quizzes" / "operation.yml")
IDS = ["operation-q01", "operation-q03", "operation-q05", "operation-q06", "operation-q07",
       "operation-q08"]  # single, multiple, text, numeric, order, match (bank order)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
# Who answers what, question by question ("right", "wrong" or None for no answer).
PLAN = {
    "Amina": ["right", "right", "right", "right", "right", "right"],
    "<b>Bilal</b>": ["wrong", "right", "wrong", "right", None, "wrong"],
    "Chen": ["right", "wrong", "right", "wrong", "right", "right"],
}
TIMEOUT = 30_000


def answer(page, item, choice: str, by_touch: bool) -> None:
    """Answer ``item`` on a student's page as a person would: tap or keyboard."""
    if item.type in ("single", "multiple"):
        right = set(item.correct_indices)
        wrong = [i for i in range(len(item.options)) if i not in right]
        picks = sorted(right) if choice == "right" else wrong[:1]
        for index in picks:
            label = page.get_by_label(item.options[index].text, exact=True)
            if by_touch:
                label.tap()
            else:
                label.focus()
                page.keyboard.press("Space")
    elif item.type in ("numeric", "text"):
        box = page.get_by_label(re.compile("^Your answer"))
        text = (format_number(item.answer.value) if item.type == "numeric" else item.accept[0]) \
            if choice == "right" else ("7777" if item.type == "numeric" else "Zarb-e-Azb")
        box.fill(text)
    elif item.type == "order":
        for index, event in enumerate(item.events):
            position = index + 1 if choice == "right" else len(item.events) - index
            page.get_by_label(event, exact=True).select_option(str(position))
    else:
        rights = [pair.right for pair in item.pairs]
        for index, pair in enumerate(item.pairs):
            target = rights[index] if choice == "right" else rights[(index + 1) % len(rights)]
            page.get_by_label(pair.left, exact=True).select_option(label=target)
    send = page.get_by_role("button", name="Send answer")
    if by_touch:
        send.tap()
    else:
        send.focus()
        page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Answer received.").wait_for(timeout=TIMEOUT)


def test_a_class_plays_a_whole_session(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    catalog = load_catalog([QUIZZES])
    items = [catalog.item(item_id) for item_id in IDS]
    args = ["--quizzes", QUIZZES, "--database", f"sqlite:///{tmp_path / 'class.sqlite'}"]
    for item_id in IDS:
        args += ["--id", item_id]
    served = start_server(args, cwd=tmp_path)
    shots = os.environ.get("QUIZKIT_LIVE_SCREENSHOTS")
    axe = axe_source()
    problems: list[str] = []
    outside: list[str] = []
    polls: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            projector = browser.new_context(viewport={"width": 1366, "height": 900})
            outside += block_outside(projector)
            presenter = projector.new_page()
            presenter.set_default_timeout(TIMEOUT)
            presenter.goto(served.presenter_url)
            presenter.locator("#join-code").filter(has_text=served.code).wait_for()
            assert "token" not in presenter.url  # taken off the address bar
            presenter.wait_for_function(
                "() => document.getElementById('qr').naturalWidth > 0")  # the QR code shows
            problems += [f"presenter lobby: {p}" for p in axe_problems(presenter, axe, "document")]

            phones = {}
            for n, name in enumerate(PLAN):
                context = browser.new_context(**PHONE)
                outside += block_outside(context)
                if name == "Chen":  # a network that breaks event streams: the page polls
                    context.route("**/events", lambda route: route.fulfill(status=503))
                page = context.new_page()
                page.set_default_timeout(TIMEOUT)
                if name == "Chen":
                    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/state")
                            else None)
                page.goto(served.student_url)
                if n == 0:
                    problems += [f"join page: {p}" for p in axe_problems(page, axe, "document")]
                field = page.get_by_label("Your name or student id")
                field.fill(name)
                if n == 1:
                    field.press("Enter")  # by keyboard
                else:
                    page.get_by_role("button", name="Join").tap()
                page.get_by_text(f"You are {name}").wait_for()
                phones[name] = page
            presenter.locator("#joined").filter(has_text="3").wait_for()
            presenter.get_by_role("button", name="Show names").click()
            assert presenter.locator("#names li").all_text_contents() == list(PLAN)
            assert presenter.locator("#names b").count() == 0  # a name is text, not markup

            seen_right: dict[str, list[bool | None]] = {name: [] for name in PLAN}
            for number, item in enumerate(items, start=1):
                presenter.keyboard.press("ArrowRight" if number == 1 else "Space")
                presenter.locator("#stage-heading").filter(
                    has_text=f"Question {number} of {len(items)}").wait_for()
                for n, (name, page) in enumerate(phones.items()):
                    page.locator("legend").filter(has_text=f"{number} of {len(items)}.").wait_for()
                    if n == 0:
                        problems += [f"{item.type} question: {p}"
                                     for p in axe_problems(page, axe, "document")]
                    choice = PLAN[name][number - 1]
                    if choice:
                        answer(page, item, choice, by_touch=(n != 1))
                if number == 4:  # a reload keeps the student and the answer given
                    amina = phones["Amina"]
                    amina.reload()
                    amina.get_by_text("You are Amina").wait_for()
                    expect(amina.get_by_label(re.compile("^Your answer"))).to_have_value(
                        format_number(item.answer.value), timeout=TIMEOUT)
                answered = sum(1 for name in PLAN if PLAN[name][number - 1])
                presenter.locator("#answered").filter(has_text=f"{answered} of 3").wait_for()
                presenter.keyboard.press("r")
                presenter.locator("#reveal").filter(has_text=item.explanation).wait_for()
                for name, page in phones.items():
                    verdict = page.locator(".verdict")
                    verdict.wait_for()
                    text = verdict.text_content()
                    seen_right[name].append(None if "did not answer" in text
                                            else text == "Right!")
                    assert page.locator(".source").text_content().startswith(
                        f"Source: {item.source.id}")
                if shots and number == 2:
                    presenter.screenshot(path=str(Path(shots) / "live-presenter-reveal.png"),
                                         full_page=True)
                    phones["Chen"].screenshot(path=str(Path(shots) / "live-phone-reveal.png"),
                                              full_page=True)
            for name in PLAN:
                expected = [None if c is None else c == "right" for c in PLAN[name]]
                assert seen_right[name] == expected, name

            presenter.keyboard.press("e")
            presenter.keyboard.press("e")  # twice: ending is final
            presenter.locator("#stage-heading").filter(has_text="has ended").wait_for()
            scores_seen = {}
            for name, page in phones.items():
                heading = page.get_by_role("heading", name=re.compile("^Your score"))
                heading.wait_for()
                scores_seen[name] = int(re.search(r"(\d+) of", heading.text_content()).group(1))
            assert scores_seen == {n: c.count("right") for n, c in PLAN.items()}
            board = dict(zip(presenter.locator("#results tbody tr td:first-child").all_text_contents(),
                             presenter.locator("#results tbody tr td:nth-child(2)").all_text_contents()))
            assert {n: int(s.split()[0]) for n, s in board.items() if n in PLAN} == scores_seen
            problems += [f"results: {p}" for p in axe_problems(presenter, axe, "document")]
            presenter.get_by_role("button", name="Export files").click()
            presenter.get_by_text("Written to").wait_for()
            browser.close()
    finally:
        stop(served)
    assert not problems, "\n".join(problems)
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert len(polls) > len(items), "the page without event streams did not poll"

    folder = tmp_path / f"live-{served.code}"
    assert run_quizkit("grade", str(folder / "responses.csv"), "--key", str(folder / "key.csv"),
                 "--quizzes", QUIZZES, "-o", str(tmp_path / "graded"), "--no-report")[0] == 0
    with (tmp_path / "graded" / "scores.csv").open(encoding="utf-8") as handle:
        graded = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert graded == {name: float(score) for name, score in scores_seen.items()}


def test_a_set_shows_its_passage_with_each_of_its_questions(tmp_path):
    """A context-dependent set in class: the projector and a phone show the passage
    (its table cell by cell, typed markup as text) above each question of the set, and
    nothing of it with a question outside the set (selection keeps bank order: the lone
    sets-q03 comes first)."""
    sets = ROOT / "tests" / "fixtures" / "sets"
    args = ["--quizzes", str(sets / "quizzes"), "--data", str(sets / "data"), "--pool", "all",
            "--database", f"sqlite:///{tmp_path / 'class.sqlite'}",
            "--id", "sets-q04", "--id", "sets-q05", "--id", "sets-q03"]
    served = start_server(args, cwd=tmp_path)
    axe = axe_source()
    problems: list[str] = []
    cells = ["Tracker", "Deaths & injuries", "Attacks <n>", "GTI", "1,081", "1,099", "PIPS",
             "852", "521"]
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch(playwright)
            presenter = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
            presenter.set_default_timeout(TIMEOUT)
            presenter.goto(served.presenter_url)
            presenter.locator("#join-code").filter(has_text=served.code).wait_for()
            phone = browser.new_context(**PHONE).new_page()
            phone.set_default_timeout(TIMEOUT)
            phone.goto(served.student_url)
            phone.get_by_label("Your name or student id").fill("Dana")
            phone.get_by_role("button", name="Join").tap()
            phone.get_by_text("You are Dana").wait_for()
            presenter.keyboard.press("ArrowRight")
            presenter.locator("#stage-heading").filter(has_text="Question 1 of 3").wait_for()
            phone.locator("legend").filter(has_text="1 of 3.").wait_for()
            assert phone.locator(".passage").count() == 0
            assert presenter.locator("#passage").is_hidden()
            for number in (2, 3):
                presenter.keyboard.press("ArrowRight")  # the next question, unrevealed
                presenter.locator("#stage-heading").filter(
                    has_text=f"Question {number} of 3").wait_for()
                phone.locator("legend").filter(has_text=f"{number} of 3.").wait_for()
                for page in (presenter, phone):
                    block = page.locator(".passage")
                    assert block.count() == 1 and block.is_visible()
                    assert block.locator(".passage-title").text_content() == "A table only"
                    assert block.locator("th, td").all_text_contents() == cells
                    assert block.locator("b").count() == 0
                # The passage comes before the question on the phone.
                assert phone.evaluate("() => { const p = document.querySelector('.passage');"
                                      " const l = document.querySelector('legend');"
                                      " return !!(p.compareDocumentPosition(l) & 4); }")
                problems += [f"phone, set question {number}: {p}"
                             for p in axe_problems(phone, axe, "document")]
                problems += [f"projector, set question {number}: {p}"
                             for p in axe_problems(presenter, axe, "document")]
            browser.close()
    finally:
        stop(served)
    assert not problems, "\n".join(problems)
