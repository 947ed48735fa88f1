"""The built student site in a real browser, as readers use it.

Run `make book` first (`make test` does): these tests serve `_build/html` (or the
folder named by $BOOK_SITE) from a local server and drive Debian's Chromium
(/usr/bin/chromium, package `chromium`) through Playwright; skipped without it.
Nothing is fetched from the network: any request that would leave 127.0.0.1 is
aborted, recorded and reported as a failure. axe-core comes bundled in the
axe-playwright-python package (no download at test time).

The expected answers of a quiz come from the quiz banks, never from the page.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from browser_support import (CHROMIUM, SETTLED, SITE, InFlight, axe_problems, axe_source,
                             block_outside, launch, scroll_through, serve, site_pages)
from quizkit.project import load_catalog

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium package (/usr/bin/chromium): apt-get install chromium")

ROOT = Path(__file__).resolve().parents[1]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# Tab presses allowed to reach a quiz item from the start of its quiz.
MAX_TABS = 200
# Seconds a page may keep loading after its load event.
QUIET_TIMEOUT = 15


def _pages_to_collect(*, redirects: bool = False) -> list[str]:
    """The pages, known when the tests are collected so that each is a test of its own
    (xdist spreads them over the workers); a placeholder if the site is not built, so
    that the ``site`` fixture reports it."""
    if not (SITE / "index.html").exists():
        return ["(site not built)"]
    return site_pages(SITE, redirects=redirects)


def _chapter_pages() -> list[str]:
    """The numbered chapters, in the book's order (from _toc.yml)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    part = next(part for part in toc["parts"] if part.get("numbered"))
    return [entry["file"] + ".html" for entry in part["chapters"]]


# -- fixtures: one server and one browser per module (per xdist worker) --------------


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"{SITE} is not built: run `make book` first")
    return SITE


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


class Watched:
    """A page with its console errors, uncaught exceptions, failed local requests and
    blocked outside requests recorded since the last ``reset``."""

    def __init__(self, context):
        self.context = context
        self.outside = block_outside(context)
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda msg: self.errors.append(f"console {msg.type}: {msg.text}")
                     if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}")
                     if r.status >= 400 else None)
        self.in_flight = InFlight(self.page)
        self.requested: list[str] = []
        self.page.on("request", lambda request: self.requested.append(request.url))

    def _failed(self, request) -> None:
        if request.url not in self.outside:
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def reset(self) -> None:
        self.errors.clear()
        self.outside.clear()
        self.requested.clear()

    def open(self, url: str) -> None:
        """Load ``url`` and wait until its late requests are done too."""
        self.reset()
        self.page.goto(url, wait_until="load")
        if not self.in_flight.wait_quiet(timeout=QUIET_TIMEOUT):
            self.errors.append(f"requests still loading after {QUIET_TIMEOUT} s: "
                               f"{sorted(r.url for r in self.in_flight.requests)}")


@pytest.fixture()
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield Watched(context)
    context.close()


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    yield Watched(context)
    context.close()


# -- every page: loads cleanly, offline ----------------------------------------------


# Files a page must not load (src/resolve_book/slim.py drops them): the 1.4 MB icon
# script and the icon fonts (icons are inline SVG, see icons.py), thebe (live code through Binder, only ever on a reader's click), and the
# search index outside the search page.
NOT_LOADED = re.compile(r"/_static/scripts/fontawesome\.js|sphinx-thebe|thebe@|"
                        r"/webfonts/fa-[a-z0-9-]+\.(?:woff2?|ttf)")
SEARCH_FILES = re.compile(r"/searchindex\.js|/_static/searchtools\.js")


@pytest.mark.parametrize("name", _pages_to_collect(redirects=True))
def test_page_loads_without_errors_or_outside_requests(desktop, site, base_url, name):
    desktop.open(base_url + name)
    problems = desktop.errors + [f"request to {url} (blocked)" for url in desktop.outside]
    problems += [f"loads {url}, which the book does not use" for url in desktop.requested
                 if NOT_LOADED.search(url) or (SEARCH_FILES.search(url) and name != "search.html")]
    assert not problems, f"{name}:\n" + "\n".join(problems)


ICON_PROBLEMS = """() => {
  const problems = [];
  for (const icon of document.querySelectorAll("[class*='fa-']")) {
    if (!/\\b(fa|fas|fab|far|fa-solid|fa-brands|fa-regular)\\b/.test(icon.className)) continue;
    if (!icon.getClientRects().length) continue;  // not shown at this width or mode
    const before = getComputedStyle(icon, "::before");
    const mask = before.maskImage || before.webkitMaskImage;
    if (!mask || mask === "none" || parseFloat(before.width) === 0) {
      problems.push(`icon not drawn: ${icon.className}`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("name", _chapter_pages()[:1] + ["search.html"])
def test_icons_are_drawn_without_the_icon_font(desktop, phone, base_url, name):
    """Every icon on screen is drawn (from inline SVG), and no font file is loaded."""
    for watched in (desktop, phone):
        watched.open(base_url + name)
        fonts = [url for url in watched.requested if re.search(r"\.(woff2?|ttf|otf)\b", url)]
        assert not fonts, f"{name} loads fonts: {fonts}"
        problems = watched.page.evaluate(ICON_PROBLEMS)
        assert not problems, f"{name}: {problems}"


def test_search_works_offline(desktop, base_url):
    """The search box leads to search.html, which finds a word from a chapter."""
    desktop.open(base_url + "search.html?q=Azm-e-Istehkam")
    desktop.page.wait_for_selector("#search-results li", timeout=10_000)
    assert desktop.page.locator("#search-results li").count() > 0
    assert not desktop.errors and not desktop.outside


def _notebook_pages() -> list[str]:
    if not (SITE / "index.html").exists():
        return ["(site not built)"]
    return sorted(f"{p.relative_to(SITE / '_sources').with_suffix('.html').as_posix()}"
                  for p in (SITE / "_sources").rglob("*.ipynb"))


@pytest.mark.parametrize("name", _notebook_pages())
def test_notebook_page_offers_launch_links_and_download(desktop, site, base_url, name):
    """Binder and Colab open the chapter from the project's repository (plain links:
    nothing loads until a reader clicks); the notebook itself can be downloaded."""
    import yaml

    repository = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    owner_repo = repository["url"].removeprefix("https://github.com/").strip("/")
    notebook = Path(name).with_suffix(".ipynb").as_posix()
    desktop.open(base_url + name)
    links = desktop.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert f"{repository['url']}" in links, "no link to the project's repository"
    assert any(link.startswith(f"https://mybinder.org/v2/gh/{owner_repo}/{repository['branch']}")
               and link.endswith(notebook) for link in links), "no Binder link to this notebook"
    assert any(link.startswith(f"https://colab.research.google.com/github/{owner_repo}/blob/")
               and link.endswith(notebook) for link in links), "no Colab link to this notebook"
    download = next((link for link in links if link.endswith(f"_sources/{notebook}")), None)
    assert download, "no download link for the notebook"
    response = desktop.page.request.get(download)
    assert response.ok and response.json()["cells"], f"{download} is not the notebook"
    assert not desktop.outside, desktop.outside


# -- phones: no sideways scrolling, readable figures and tables ----------------------

LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`page scrolls sideways: ${root.scrollWidth}px wide in ${root.clientWidth}px`);
  }
  const main = document.querySelector("main") || document.body;
  const view = document.documentElement.clientWidth;
  // Figures scale to the column: within the viewport, aspect ratio kept.
  for (const img of main.querySelectorAll("img")) {
    const box = img.getBoundingClientRect();
    // Inside a closed dropdown: not shown, so (being lazy) not loaded either.
    if (box.width === 0 && !img.getClientRects().length) continue;
    if (!img.complete || img.naturalWidth === 0) {
      problems.push(`image not loaded: ${img.getAttribute("src")}`);
      continue;
    }
    if (box.left < -1 || box.right > view + 1) {
      problems.push(`image wider than the screen: ${img.getAttribute("src")} (${Math.round(box.width)}px)`);
    }
    const natural = img.naturalHeight / img.naturalWidth, shown = box.height / box.width;
    if (Math.abs(natural - shown) > 0.02 * natural + 0.01) {
      problems.push(`image distorted: ${img.getAttribute("src")}`);
    }
  }
  // Wide tables scroll inside their own box, which fits the screen.
  for (const table of main.querySelectorAll("table")) {
    const box = table.getBoundingClientRect();
    if (box.width === 0 || (box.left >= -1 && box.right <= view + 1)) continue;
    let scroller = table;
    while (scroller && scroller !== main) {
      const overflow = getComputedStyle(scroller).overflowX;
      if ((overflow === "auto" || overflow === "scroll") &&
          scroller.scrollWidth > scroller.clientWidth) break;
      scroller = scroller.parentElement;
    }
    if (!scroller || scroller === main) {
      problems.push(`wide table with no scrolling box of its own: ${table.className || table.outerHTML.slice(0, 60)}`);
      continue;
    }
    const outer = scroller.getBoundingClientRect();
    if (outer.left < -1 || outer.right > view + 1) {
      problems.push(`the scrolling box of a table is wider than the screen: ${table.className}`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("name", _pages_to_collect())
def test_phone_layout(phone, site, base_url, name):
    phone.page.goto(base_url + name, wait_until="load")
    # Scroll through as a reader would, so that lazy images load and are laid out.
    scroll_through(phone.page)
    problems = phone.page.evaluate(LAYOUT_PROBLEMS)
    assert not problems, f"{name} at {PHONE['width']} pixels wide:\n" + "\n".join(problems)


# -- navigation: the menu and the page contents, on touch screens and on desktops -----

# Touch screens at which the theme shows the menu and the page contents as dialogs.
TOUCH_SCREENS = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 768, "height": 1024}}


@pytest.fixture(params=sorted(TOUCH_SCREENS))
def touch(browser, request):
    context = browser.new_context(viewport=TOUCH_SCREENS[request.param], device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    yield Watched(context)
    context.close()


def _visible_button(page, selector: str):
    buttons = page.locator(f"{selector}:visible")
    assert buttons.count() == 1, f"{buttons.count()} visible {selector} buttons"
    return buttons.first


def _dialog_open(page, dialog_id: str) -> bool:
    return page.evaluate(f"() => document.getElementById('{dialog_id}').open")


def test_menu_and_page_contents_on_touch_screens(touch, site, base_url):
    """A reader taps the menu, follows a chapter link, then opens the page contents
    and taps a section: each tap does what it says, and no script fails."""
    page = touch.page
    first, second = _chapter_pages()[:2]
    touch.open(base_url + first)

    _visible_button(page, ".primary-toggle").tap()
    page.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open")
    link = page.locator(f'#pst-primary-sidebar-modal a[href$="{Path(second).name}"]')
    assert link.is_visible(), f"the menu shows no link to {second}"
    assert not touch.errors, touch.errors
    with page.expect_navigation(wait_until="load"):
        link.tap()
    assert page.url == base_url + second
    assert not touch.errors, touch.errors

    _visible_button(page, ".secondary-toggle").tap()
    page.wait_for_function("() => document.getElementById('pst-secondary-sidebar-modal').open")
    sections = page.locator("#pst-secondary-sidebar-modal nav a[href^='#']")
    assert sections.count() >= 2, "the page contents list fewer than two sections"
    target = sections.nth(1)
    anchor = target.get_attribute("href")
    target.tap()
    page.wait_for_function("() => !document.getElementById('pst-secondary-sidebar-modal').open")
    assert page.url.endswith(anchor)
    # The section is on screen, not under the dialog or above the viewport.
    page.wait_for_function(
        "(id) => { const box = document.getElementById(id).getBoundingClientRect();"
        " return box.top >= 0 && box.top < window.innerHeight; }", arg=anchor[1:])
    # The menu opens again after it was closed, and Escape closes it.
    _visible_button(page, ".primary-toggle").tap()
    page.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open")
    page.keyboard.press("Escape")
    assert not _dialog_open(page, "pst-primary-sidebar-modal")
    assert not touch.errors, touch.errors


@pytest.mark.parametrize("width", [975, DESKTOP["width"]])
def test_menu_button_collapses_the_sidebar_on_desktops(browser, base_url, width):
    context = browser.new_context(viewport={"width": width, "height": DESKTOP["height"]})
    try:
        watched = Watched(context)
        page = watched.page
        watched.open(base_url + _chapter_pages()[0])
        article = page.locator("main .bd-article")
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.is_visible()
        left = article.bounding_box()["x"]
        button = _visible_button(page, ".primary-toggle")
        button.click()
        page.wait_for_function("() => !document.getElementById('pst-primary-sidebar-modal').open")
        expect_hidden = "() => getComputedStyle(document.getElementById('pst-primary-sidebar'))" \
                        ".visibility === 'hidden' || getComputedStyle(" \
                        "document.getElementById('pst-primary-sidebar')).display === 'none'"
        page.wait_for_function(expect_hidden)
        page.wait_for_function(f"() => document.querySelector('main .bd-article')"
                               f".getBoundingClientRect().x < {left}")
        assert button.get_attribute("aria-expanded") == "false"
        button.click()
        page.wait_for_function(f"() => !({expect_hidden[6:]})")
        assert button.get_attribute("aria-expanded") == "true"
        assert not watched.errors, watched.errors
    finally:
        context.close()


# -- no script errors, whatever a reader does ----------------------------------------


def _press(page, locator, touch: bool) -> None:
    locator.scroll_into_view_if_needed()
    if touch:
        locator.tap()
    else:
        locator.click()


def _interact_with_everything(page, touch: bool) -> int:
    """Open and close the menu (and the page contents where shown), open every
    dropdown by a press on its title's text, answer and check every quiz item, then
    start it again. Returns the number of interactions."""
    done = 0
    for toggle, dialog in ((".primary-toggle", "pst-primary-sidebar-modal"),
                           (".secondary-toggle", "pst-secondary-sidebar-modal")):
        buttons = page.locator(f"{toggle}:visible")
        if buttons.count():
            _press(page, buttons.first, touch)
            page.wait_for_timeout(300)
            if _dialog_open(page, dialog):
                page.keyboard.press("Escape")
            elif toggle == ".primary-toggle":
                _press(page, buttons.first, touch)  # the sidebar back
            done += 1
    titles = page.locator(".admonition.toggle > .admonition-title")
    for index in range(titles.count()):
        title = titles.nth(index)
        # The press lands on the title's text (the left end), not on its button.
        title.scroll_into_view_if_needed()
        box = title.bounding_box()
        position = {"x": min(40, box["width"] / 4), "y": box["height"] / 2}
        title.tap(position=position) if touch else title.click(position=position)
        done += 1
    for summary in page.locator("details > summary").all():
        if summary.is_visible():
            _press(page, summary, touch)
            done += 1
    for item in page.locator(".quizkit-item").all():
        radio_or_box = item.locator("input[type=radio], input[type=checkbox]")
        if radio_or_box.count():
            _press(page, radio_or_box.first, touch)
        for field in item.locator("input[type=text], input[type=number]").all():
            field.fill("1")
        for select in item.locator("select").all():
            select.select_option(index=1)
        _press(page, item.locator(".quizkit-check"), touch)
        retry = item.locator(".quizkit-retry")
        if retry.is_visible():
            _press(page, retry, touch)
        done += 1
    return done


@pytest.mark.parametrize("name", _pages_to_collect())
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_no_script_errors_after_any_interaction(browser, base_url, device, name):
    """Every page, on a desktop (mouse) and a phone (touch): no uncaught exception or
    console error after loading and after each kind of interaction."""
    touch = device == "phone"
    context = (browser.new_context(viewport=TOUCH_SCREENS["phone"], device_scale_factor=2,
                                   is_mobile=True, has_touch=True)
               if touch else browser.new_context(viewport=DESKTOP))
    try:
        watched = Watched(context)
        watched.open(base_url + name)
        assert not watched.errors, f"{name} on load: {watched.errors}"
        _interact_with_everything(watched.page, touch)
        watched.page.wait_for_timeout(200)
        assert watched.page.url.startswith(base_url + name), \
            f"an interaction on {name} left the page for {watched.page.url}"
        assert not watched.errors, f"{name} ({device}):\n" + "\n".join(watched.errors)
    finally:
        context.close()


def test_solution_opens_from_its_title(touch, base_url):
    """A tap on the words of a "Solution to …" title opens the solution in place."""
    page = touch.page
    for name in _chapter_pages():
        touch.open(base_url + name)
        titles = page.locator(".solution.toggle > .admonition-title")
        if titles.count():
            break
    else:
        pytest.fail("no chapter has a solution dropdown")
    solution = page.locator(".solution.toggle").first
    title = titles.first
    assert "toggle-hidden" in solution.get_attribute("class")
    title.scroll_into_view_if_needed()
    url = page.url
    title.tap(position={"x": title.bounding_box()["width"] / 3, "y": 10})
    page.wait_for_function("(e) => !e.classList.contains('toggle-hidden')",
                           arg=solution.element_handle())
    assert page.url == url, "the tap followed a link instead of opening the solution"
    assert not touch.errors, touch.errors


# -- accessibility: axe-core ----------------------------------------------------------


COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.fixture(scope="module")
def axe_script() -> str:
    return axe_source()


_axe_problems = axe_problems


@pytest.mark.parametrize("name", _pages_to_collect())
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, site, base_url, axe_script, mode, name):
    context = browser.new_context(viewport=DESKTOP, color_scheme=mode)
    try:
        page = context.new_page()
        block_outside(context)
        page.goto(base_url + name, wait_until="load")
        # Only colours change with the mode: in dark mode check the colour rules alone.
        options = {"resultTypes": ["violations"]}
        if mode == "dark":
            options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
        problems = _axe_problems(page, axe_script, "document", options)
    finally:
        context.close()
    assert not problems, f"{name} ({mode} mode):\n" + "\n".join(problems)


# -- a quiz, with the keyboard alone -------------------------------------------------


@pytest.fixture(scope="module")
def single_choice_item(site):
    """A self-check single-choice item shown on a chapter page, with a wrong option
    that has its own feedback: (page, item, wrong index, right index)."""
    items = {item.id: item for bank in load_catalog([ROOT / "quizzes"])
             for item in bank.items if item.pool == "self-check" and item.type == "single"}
    for path in sorted(site.glob("chapters/*.html")):
        text = path.read_text(encoding="utf-8")
        for item_id in re.findall(r'data-qk-item="([^"]+)" data-qk-type="single"', text):
            item = items.get(html.unescape(item_id))
            if item is None:
                continue
            right = item.correct_indices[0]
            wrong = [i for i, o in enumerate(item.options) if i != right and o.feedback]
            if wrong:
                return path.relative_to(site).as_posix(), item, wrong[-1], right
    pytest.fail("no chapter page of the built site shows a single-choice self-check item "
                "whose wrong options have feedback")


def _tab_to_item(page, item_id: str) -> None:
    """Tab from the quiz's start until a radio button of ``item_id`` has the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " const item = e && e.closest('.quizkit-item');"
            " return [e && e.type, item && item.dataset.qkItem]; }")
        if focused == ["radio", item_id]:
            return
    pytest.fail(f"{MAX_TABS} presses of Tab never reached the options of {item_id}")


def _arrow_to(page, index: int, size: int) -> None:
    """Arrow keys move the selection within the focused radio group."""
    current = page.evaluate("() => Number(document.activeElement.value)")
    for _ in range((index - current) % size):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => Number(document.activeElement.value)") == index


def test_quiz_by_keyboard_and_progress_survives_reload(desktop, site, base_url, axe_script,
                                                       single_choice_item):
    name, item, wrong, right = single_choice_item
    page = desktop.page
    quiz_id = re.search(r'<section class="quizkit-quiz" id="([^"]+)"[^>]*>(?:(?!</section>).)*'
                        rf'data-qk-item="{re.escape(item.id)}"',
                        (site / name).read_text(encoding="utf-8"), re.S).group(1)
    # A reader follows a link to the quiz; the keyboard takes it from there.
    desktop.open(f"{base_url}{name}#{quiz_id}")
    _tab_to_item(page, item.id)
    box = page.locator(f'.quizkit-item[data-qk-item="{item.id}"] .quizkit-feedback')
    live = box.evaluate("e => e.closest('[aria-live]')?.getAttribute('aria-live')")
    assert live in ("polite", "assertive"), "the feedback is not inside an aria-live region"

    # A wrong answer: Space selects the focused option, arrows move, Tab, Enter checks.
    page.keyboard.press("Space")
    _arrow_to(page, wrong, len(item.options))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "quizkit-check"
    page.keyboard.press("Enter")
    assert "is-incorrect" in box.get_attribute("class")
    feedback = box.inner_text()
    assert item.options[wrong].feedback in feedback
    assert item.explanation not in feedback, "a wrong answer gives the explanation away"
    assert not _axe_problems(page, axe_script, f"#{quiz_id}")

    # The right answer: back to the options, arrows, Tab, Space on Check.
    page.keyboard.press("Shift+Tab")
    _arrow_to(page, right, len(item.options))
    assert box.inner_text() == "", "changing the answer keeps the old feedback"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert "is-correct" in box.get_attribute("class")
    # The explanation and the source wait, collapsed, under "Why?".
    why = box.locator("details.quizkit-why")
    assert why.get_attribute("open") is None and item.explanation not in box.inner_text()
    why.locator("summary").focus()
    page.keyboard.press("Enter")
    feedback = box.inner_text()
    assert item.explanation in feedback
    assert (item.source.quote or item.source.locator) in feedback
    # The source by its number in the bibliography, linked to the entry (no raw key).
    assert item.source.id not in feedback
    link = why.locator("a")
    entry = f"bib-{item.source.id}"
    number = re.search(rf'id="{re.escape(entry)}"[^>]*>\s*<span class="label">'
                       r'<span class="fn-bracket">\[</span>(\d+)',
                       (site / "chapters" / "bibliography.html").read_text(encoding="utf-8"))
    assert number, f"the bibliography has no entry {entry}"
    assert link.inner_text().endswith(f"[{number.group(1)}]")
    assert f"Source: {link.inner_text()}" in feedback
    assert link.evaluate("a => a.href") == f"{base_url}chapters/bibliography.html#{entry}"
    assert not _axe_problems(page, axe_script, f"#{quiz_id}")
    assert not desktop.errors, desktop.errors

    # Progress is kept in the browser: after a reload the answer is still checked.
    page.reload(wait_until="load")
    radio = page.locator(f'.quizkit-item[data-qk-item="{item.id}"] input[value="{right}"]')
    assert radio.is_checked()
    assert "is-correct" in box.get_attribute("class")
    assert box.locator("details.quizkit-why").count() == 1


# -- a quiz on a phone: summary, marks, the hint policy, reset -------------------------


@pytest.fixture(scope="module")
def quiz_page(site):
    """A chapter page whose quiz has a multiple-answer item with at least two right
    and one wrong option, a match item and a single-choice item: (page, quiz id,
    {type: item})."""
    items = {item.id: item for bank in load_catalog([ROOT / "quizzes"])
             for item in bank.items if item.pool == "self-check"}
    for path in sorted(site.glob("chapters/*.html")):
        text = path.read_text(encoding="utf-8")
        for quiz_id, body in re.findall(r'<section class="quizkit-quiz" id="([^"]+)"(.*?)</section>',
                                        text, re.S):
            shown = [items[html.unescape(i)] for i in re.findall(r'data-qk-item="([^"]+)"', body)
                     if html.unescape(i) in items]
            chosen = {}
            for item in shown:
                if item.type == "multiple" and len(item.correct_indices) >= 2 \
                        and len(item.correct_indices) < len(item.options):
                    chosen.setdefault("multiple", item)
                elif item.type in ("match", "single"):
                    chosen.setdefault(item.type, item)
            if len(chosen) == 3:
                return path.relative_to(site).as_posix(), quiz_id, chosen, len(shown)
    pytest.fail("no quiz has a multiple-answer, a match and a single-choice item")


def _summary(page, quiz_id: str) -> str:
    return page.locator(f"#{quiz_id} .quizkit-score").inner_text()


def test_quiz_on_a_phone_marks_options_reveals_on_second_try_and_resets(phone, base_url,
                                                                         quiz_page):
    """By touch: the summary counts answered and correct items; each chosen option or
    row is marked right or wrong in words; the answer shows only after a second wrong
    try or on "Show answer"; "Reset all answers" clears everything, also after a reload."""
    from quizkit.shuffle import right_display_order
    from quizkit.sphinx.html import letter

    name, quiz_id, items, total = quiz_page
    page = phone.page
    phone.open(f"{base_url}{name}#{quiz_id}")
    assert _summary(page, quiz_id) == f"0 of {total} answered, 0 correct"

    def item_box(item):
        return page.locator(f'#{quiz_id} .quizkit-item[data-qk-item="{item.id}"]')

    def marks(box):
        return [row.locator(".quizkit-mark").inner_text() if row.locator(".quizkit-mark").count()
                else "" for row in box.locator(".quizkit-option, .quizkit-row").all()]

    # Multiple answers: one right and one wrong option chosen.
    multiple = items["multiple"]
    box = item_box(multiple)
    right = multiple.correct_indices[0]
    wrong = next(i for i, o in enumerate(multiple.options) if not o.correct)
    for index in (right, wrong):
        _press(page, box.locator(f'input[value="{index}"]'), True)
    _press(page, box.locator(".quizkit-check"), True)
    shown = marks(box)
    assert shown[right] == "\u2713 right" and shown[wrong] == "\u2717 wrong"
    assert [m for i, m in enumerate(shown) if i not in (right, wrong)] == [""] * (len(shown) - 2), \
        "a first wrong try gives the other options away"
    assert "is-wrong" in box.locator(".quizkit-option").nth(wrong).get_attribute("class")
    feedback = box.locator(".quizkit-feedback")
    assert "is-incorrect" in feedback.get_attribute("class")
    assert box.locator("details.quizkit-why").count() == 0
    assert box.locator(".quizkit-show").is_visible()
    assert _summary(page, quiz_id) == f"1 of {total} answered, 0 correct"
    # A second wrong try shows the answer: every right option marked, "Why?" offered.
    _press(page, box.locator(".quizkit-check"), True)
    shown = marks(box)
    for index in multiple.correct_indices:
        assert shown[index].startswith("\u2713"), (index, shown)
    assert box.locator("details.quizkit-why").count() == 1
    assert not box.locator(".quizkit-show").is_visible()

    # Match: every row given letter A; the wrong rows are named, then the answer shown.
    match = items["match"]
    box = item_box(match)
    for select in box.locator("select").all():
        select.select_option(label="A")
    _press(page, box.locator(".quizkit-check"), True)
    order = right_display_order(match)
    expected = [letter(order.index(i)) for i in range(len(match.pairs))]
    wrong_rows = [n for n, want in enumerate(expected, start=1) if want != "A"]
    assert ", ".join(map(str, wrong_rows)) in box.locator(".quizkit-feedback").inner_text()
    assert marks(box) == ["\u2713 right" if want == "A" else "\u2717 wrong" for want in expected]
    _press(page, box.locator(".quizkit-show"), True)
    assert marks(box) == ["\u2713 right" if want == "A" else f"\u2717 answer: {want}"
                          for want in expected]
    assert _summary(page, quiz_id) == f"2 of {total} answered, 0 correct"

    # Single choice, right at once.
    single = items["single"]
    box = item_box(single)
    _press(page, box.locator(f'input[value="{single.correct_indices[0]}"]'), True)
    _press(page, box.locator(".quizkit-check"), True)
    assert "is-correct" in box.locator(".quizkit-feedback").get_attribute("class")
    assert _summary(page, quiz_id) == f"3 of {total} answered, 1 correct"
    _press(page, box.locator("details.quizkit-why summary"), True)
    assert single.explanation in box.locator(".quizkit-feedback").inner_text()

    # The state survives a reload; "Reset all answers" clears it, for good.
    page.reload(wait_until="load")
    assert _summary(page, quiz_id) == f"3 of {total} answered, 1 correct"
    assert marks(item_box(match))[0] != ""
    _press(page, page.locator(f"#{quiz_id} .quizkit-reset"), True)
    assert _summary(page, quiz_id) == f"0 of {total} answered, 0 correct"
    page.reload(wait_until="load")
    assert _summary(page, quiz_id) == f"0 of {total} answered, 0 correct"
    quiz = page.locator(f"#{quiz_id}")
    assert quiz.locator("input:checked").count() == 0
    assert quiz.locator(".quizkit-mark").count() == 0
    assert all(s.input_value() == "" for s in quiz.locator("select").all())
    assert not phone.errors, phone.errors


def test_a_passage_shows_once_above_its_set_and_its_table_fits_a_phone(phone, site, base_url):
    """A context-dependent set in a chapter quiz: the passage block sits right above the
    set's first item, each item of the set is described by it, and its table scrolls
    inside the block instead of widening the page."""
    catalog = load_catalog([Path("quizzes")], data_dir=Path("data"))
    sets = [(bank.name, passage) for bank in catalog for passage in bank.passages
            if any(i.passage == passage and i.pool == "self-check" for i in bank.items)]
    assert sets, "no self-check set to show"
    chapters = {"background": "chapters/01_background.html"}
    bank, passage = next((b, p) for b, p in sets if b in chapters)
    members = [i.id for i in catalog.bank(bank).items if i.passage == passage]
    page = phone.page
    phone.open(base_url + chapters[bank])
    block = page.locator(".quizkit-passage")
    assert block.count() == 1
    block_id = block.get_attribute("id")
    following = page.evaluate(
        "id => Array.from(document.getElementById(id).parentElement.children)"
        ".slice([...document.getElementById(id).parentElement.children]"
        ".indexOf(document.getElementById(id)) + 1).filter(e => e.matches('.quizkit-item'))"
        ".map(e => [e.dataset.qkItem, e.querySelector('fieldset').getAttribute("
        "'aria-describedby')])", block_id)
    assert [item for item, _ in following[:len(members)]] == members
    assert all(described == block_id for _, described in following[:len(members)])
    block.scroll_into_view_if_needed()
    assert block.is_visible() and block.get_by_text(passage.title).is_visible()
    widths = page.evaluate("id => { const b = document.getElementById(id);"
                           " return [b.getBoundingClientRect().right, window.innerWidth,"
                           " document.documentElement.scrollWidth]; }", block_id)
    assert widths[0] <= widths[1] + 1 and widths[2] <= widths[1] + 1, widths
    assert not phone.errors


# -- a first visit on a slow link: first paint from the page alone ---------------------
#
# Each page carries its critical CSS inline and loads the bundled stylesheets without
# blocking (src/resolve_book/first_paint.py); index.html is the home page itself
# (home.py). bench/page_weight.py measures the times; these tests check that nothing
# is lost on the way: styles, dark mode, pages without JavaScript, the home page.

STYLE_PROPERTIES = ["display", "position", "visibility", "float", "color", "background-color",
                    "font-family", "font-size", "font-weight", "line-height", "text-align",
                    "margin-top", "margin-right", "margin-bottom", "margin-left", "padding-top",
                    "padding-right", "padding-bottom", "padding-left", "border-top-width",
                    "border-top-style", "border-top-color", "width", "height"]
# Each element of the page (or of its first screen) with its computed style.
STYLES = """([properties, firstScreen]) => {
  const out = {};
  const all = document.querySelectorAll("body *:not(script):not(style):not(link)");
  all.forEach((element, index) => {
    const box = element.getBoundingClientRect();
    if (firstScreen && (box.top >= window.innerHeight || box.bottom <= 0)) return;
    const style = getComputedStyle(element);
    out[`${index} ${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`] =
      properties.map(name => `${name}: ${style.getPropertyValue(name)}`).join("; ");
  });
  return out;
}"""
SHEETS = """() => [...document.styleSheets].map(sheet => {
  let rules = -1;  // a sheet that never arrived has no readable rules
  try { rules = sheet.cssRules.length; } catch (error) {}
  return [sheet.href || "(inline)", sheet.ownerNode.media || "", rules];
})"""
STYLESHEET_BUNDLE = re.compile(r"/_static/bundles/css-[0-9a-f]+\.css")
SCRIPT_BUNDLE = re.compile(r"/_static/bundles/js-[0-9a-f]+\.js")


def _styles(page, first_screen: bool = False) -> dict[str, str]:
    page.evaluate(SETTLED)
    return page.evaluate(STYLES, [STYLE_PROPERTIES, first_screen])


def _differences(expected: dict, actual: dict, limit: int = 8) -> list[str]:
    keys = sorted(set(expected) | set(actual), key=lambda key: int(key.split()[0]))
    return [f"{key}:\n    full:  {expected.get(key)}\n    first: {actual.get(key)}"
            for key in keys if expected.get(key) != actual.get(key)][:limit]


def _first_pages() -> list[str]:
    return ["index.html", _chapter_pages()[0], "search.html"]


@pytest.mark.parametrize("name", _first_pages())
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_full_stylesheets_are_applied_after_load(browser, base_url, device, name):
    """After the load event the bundled stylesheets apply to the screen (their link
    swapped from media="print" to "all"), and they alone style the page as it is
    shown: taking the inline critical CSS away changes no element's style."""
    options = ({"viewport": TOUCH_SCREENS["phone"], "is_mobile": True, "has_touch": True}
               if device == "phone" else {"viewport": DESKTOP})
    context = browser.new_context(**options)
    try:
        watched = Watched(context)
        watched.open(base_url + name)
        page = watched.page
        sheets = page.evaluate(SHEETS)
        bundles = [sheet for sheet in sheets if STYLESHEET_BUNDLE.search(sheet[0])]
        assert len(bundles) == 1, f"{name} applies no stylesheet bundle: {sheets}"
        assert bundles[0][1] == "all" and bundles[0][2] > 500, bundles
        with_critical = _styles(page)
        assert page.evaluate("() => document.getElementById('resolve-critical') !== null")
        page.evaluate("() => document.getElementById('resolve-critical').remove()")
        differences = _differences(with_critical, _styles(page))
        assert not differences, f"{name}: the full stylesheets style these elements " \
                                "differently from the critical CSS:\n" + "\n".join(differences)
        if name != "search.html":  # a chapter and the home page: the theme's layout
            assert page.evaluate("() => getComputedStyle(document.querySelector("
                                 "'.bd-header-article')).display") != "inline"
        assert not watched.errors, watched.errors
    finally:
        context.close()


@pytest.mark.parametrize("name", _first_pages() + _chapter_pages()[1:2])
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_first_paint_looks_like_the_loaded_page(browser, base_url, mode, name):
    """What a reader sees before the stylesheets arrive (the critical CSS alone: the
    bundle's request never answered) is styled as the page once loaded, in light and
    in dark mode: nothing on the first screen moves or changes colour when they land."""
    styles = {}
    for blocked in (False, True):
        context = browser.new_context(viewport=TOUCH_SCREENS["phone"], is_mobile=True,
                                      has_touch=True, color_scheme=mode)
        try:
            watched = Watched(context)
            if blocked:
                context.route(STYLESHEET_BUNDLE, lambda route: route.abort())
            watched.page.goto(base_url + name, wait_until="load")
            sheets = watched.page.evaluate(SHEETS)
            applied = [s for s in sheets if STYLESHEET_BUNDLE.search(s[0]) and s[1] == "all"]
            assert bool(applied) != blocked, sheets
            styles[blocked] = _styles(watched.page, first_screen=True)
        finally:
            context.close()
    differences = _differences(styles[False], styles[True])
    assert not differences, f"{name} ({mode}): the first screen changes when the " \
                            "stylesheets arrive:\n" + "\n".join(differences)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_flash_of_the_wrong_colour_mode(browser, base_url, mode):
    """Before any script file has arrived, the page already shows the reader's colour
    mode (the inline head script resolves "auto"), not the other one, nor none."""
    backgrounds = {}
    for blocked in (False, True):
        context = browser.new_context(viewport=TOUCH_SCREENS["phone"], color_scheme=mode)
        try:
            page = context.new_page()
            block_outside(context)
            if blocked:
                context.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
                context.route(STYLESHEET_BUNDLE, lambda route: route.abort())
            page.goto(base_url + _chapter_pages()[0], wait_until="load")
            page.evaluate(SETTLED)
            if blocked:
                assert not page.evaluate("() => typeof bootstrap !== 'undefined'")
            assert page.evaluate("() => document.documentElement.dataset.theme") == mode
            backgrounds[blocked] = page.evaluate(
                "() => getComputedStyle(document.body).backgroundColor")
        finally:
            context.close()
    assert backgrounds[True] == backgrounds[False], backgrounds
    red, green, blue = map(int, re.findall(r"\d+", backgrounds[True])[:3])
    assert (red + green + blue < 3 * 100) == (mode == "dark"), backgrounds


SOLUTION_BODIES = """() => [...document.querySelectorAll('.solution.dropdown')].map(
  s => [...s.children].filter(c => !c.classList.contains('admonition-title'))
         .some(c => c.getBoundingClientRect().height > 0))"""


def test_solutions_stay_closed_before_their_toggle_script_runs(browser, base_url):
    """On a slow link the toggle script runs seconds after the first paint: until then
    no solution may show (the inline head script marks the page and the inline CSS
    hides it). With scripts off, solutions show, as there is no way to open them."""
    shown = {}
    for scripts in ("blocked", "off"):
        context = browser.new_context(viewport=TOUCH_SCREENS["phone"],
                                      java_script_enabled=scripts != "off")
        try:
            page = context.new_page()
            block_outside(context)
            if scripts == "blocked":  # script files never arrive; inline scripts run
                context.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
            page.goto(base_url + _chapter_pages()[0], wait_until="load")
            shown[scripts] = page.evaluate(SOLUTION_BODIES)
        finally:
            context.close()
    assert shown["blocked"] and not any(shown["blocked"]), shown
    assert all(shown["off"]), shown


def test_the_colour_mode_switch_works(desktop, base_url):
    """The theme's switch (its script now comes in the bundle) cycles the colour mode,
    and the choice survives a reload."""
    page = desktop.page
    desktop.open(base_url + _chapter_pages()[0])
    start = page.evaluate("() => document.documentElement.dataset.theme")
    page.locator(".theme-switch-button:visible").first.click()
    page.wait_for_function("(start) => document.documentElement.dataset.mode !== 'auto'",
                           arg=start)
    themes = set()
    for _ in range(3):
        page.locator(".theme-switch-button:visible").first.click()
        themes.add(page.evaluate("() => document.documentElement.dataset.theme"))
    assert themes == {"light", "dark"}, themes
    mode = page.evaluate("() => document.documentElement.dataset.mode")
    theme = page.evaluate("() => document.documentElement.dataset.theme")
    desktop.open(base_url + _chapter_pages()[0])
    assert page.evaluate("() => document.documentElement.dataset.mode") == mode
    assert page.evaluate("() => document.documentElement.dataset.theme") == theme
    assert not desktop.errors, desktop.errors


LAYOUT = """() => {
  const get = (selector, property) => {
    const element = document.querySelector(selector);
    return element ? getComputedStyle(element).getPropertyValue(property) : null;
  };
  return {
    "sidebar position": get(".bd-sidebar-primary", "position"),
    "sidebar width": get(".bd-sidebar-primary", "width"),
    "article header position": get(".bd-header-article", "position"),
    "article header display": get(".bd-header-article", "display"),
    "article padding": get(".bd-article", "padding-left"),
    "heading size": get("main h1", "font-size"),
    "quiz border": get(".quizkit-quiz", "border-top-style"),
    "font": get("body", "font-family"),
  };
}"""


@pytest.mark.parametrize("name", _first_pages())
def test_pages_are_styled_without_javascript(browser, base_url, name):
    """With scripts off, the <noscript> link applies the bundled stylesheets: the page
    has the theme's layout (as with scripts on), and a chapter's quiz its box."""
    layouts = {}
    for scripts in (True, False):
        context = browser.new_context(viewport=DESKTOP, java_script_enabled=scripts)
        try:
            page = context.new_page()
            block_outside(context)
            page.goto(base_url + name, wait_until="load")
            # The page's scripts may be off; Playwright's evaluate still reads the page.
            sheets = page.evaluate(SHEETS)
            bundles = [s for s in sheets if STYLESHEET_BUNDLE.search(s[0])]
            assert any(media in ("", "all") and rules > 500 for _, media, rules in bundles), \
                f"{name} (scripts {'on' if scripts else 'off'}): {sheets}"
            layouts[scripts] = page.evaluate(LAYOUT)
        finally:
            context.close()
    assert layouts[False] == layouts[True], layouts
    assert layouts[False]["sidebar position"] == "sticky", layouts[False]
    if name.startswith("chapters/0"):
        assert layouts[False]["quiz border"] == "solid", layouts[False]


def test_the_home_page_is_the_first_page_itself(desktop, site, base_url):
    """index.html is the book's first page (no redirect): the same heading and text as
    chapters/intro.html, every local link and file it names exists, and its menu
    leads to the chapters."""
    text = (site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Refresh"' not in text and "http-equiv=\"refresh\"" not in text.lower()
    page = desktop.page
    desktop.open(base_url + "index.html")
    assert page.url == base_url + "index.html", f"the home page moved on to {page.url}"
    heading = page.locator("main h1").first.inner_text()
    body = page.locator("main .bd-article").inner_text()
    assert not desktop.errors, desktop.errors
    desktop.open(base_url + "chapters/intro.html")
    assert page.locator("main h1").first.inner_text() == heading
    assert page.locator("main .bd-article").inner_text() == body
    desktop.open(base_url)
    assert page.locator("main h1").first.inner_text() == heading
    addresses = page.evaluate("""() => [...document.querySelectorAll('[href], [src]')]
        .map(e => e.href || e.src).filter(u => u && u.startsWith(location.origin))
        .map(u => u.split('#')[0])""")
    assert len(set(addresses)) > 10
    missing = [url for url in sorted(set(addresses)) if not page.request.get(url).ok]
    assert not missing, f"the home page names files that do not exist: {missing}"
    chapter = _chapter_pages()[0]
    with page.expect_navigation(wait_until="load"):
        page.locator(f'#pst-primary-sidebar a[href$="{chapter}"]').first.click()
    assert page.url == base_url + chapter
    assert not desktop.errors, desktop.errors
