"""Helpers for driving the built site in a real browser: a local static server, the
Debian Chromium launched offline through Playwright, and the site's list of pages.

Used by ``tests/test_browser.py`` and ``bench/page_weight.py``. Nothing here
downloads anything: Playwright drives ``/usr/bin/chromium`` (never a browser of its
own), and every request that would leave 127.0.0.1 is aborted and recorded.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
# The site under test; BOOK_SITE points the tests at another build of the book.
SITE = Path(os.environ.get("BOOK_SITE") or ROOT / "_build" / "html")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Folders of the built site that hold assets and sources, not pages (the themes
# ship HTML fragments such as _static/webpack-macros.html that are no pages).
NOT_PAGES = ("_static", "_sources", "_images", "_downloads")


def is_redirect(path: Path) -> bool:
    """Jupyter Book's ``index.html`` is a one-line ``<meta http-equiv="Refresh">`` stub."""
    return path.stat().st_size < 512 and "http-equiv=\"Refresh\"" in path.read_text("utf-8")


def site_pages(site: Path, *, redirects: bool = False) -> list[str]:
    """Every page of the built site, as URL paths relative to its root (redirect stubs
    only if ``redirects``)."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if path.relative_to(site).parts[0] not in NOT_PAGES
        and (redirects or not is_redirect(path))
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


# Served compressed when the browser accepts it, as GitHub Pages does.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class _GzipHandler(_QuietHandler):
    """Text files gzipped (level 6) for browsers that accept it: what a first visit
    to a static host that compresses costs."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        accepts = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if not (accepts and path.is_file() and ctype.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    # A page opens some 30 connections at once; the default backlog of 5 drops some
    # under load, and the browser then retries only seconds later.
    request_queue_size = 128
    daemon_threads = True


@contextlib.contextmanager
def serve(site: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 at a free port, in a thread; yields the base URL
    (ending in ``/``). With ``compress``, text files are served gzipped."""
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright):
    """The Debian Chromium, headless and with no background traffic of its own."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


def block_outside(context) -> list[str]:
    """Abort every request of ``context`` that would leave 127.0.0.1; returns the
    (live) list of the URLs that tried."""
    attempts: list[str] = []

    def handle(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            attempts.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return attempts


class InFlight:
    """The requests of ``page`` still loading. Playwright's own "networkidle" state
    sometimes never arrives in headless Chromium, so quiet is judged from the page's
    request events instead."""

    def __init__(self, page):
        self.page = page
        self.requests: set = set()
        page.on("request", lambda request: self.requests.add(request))
        page.on("requestfinished", lambda request: self.requests.discard(request))
        page.on("requestfailed", lambda request: self.requests.discard(request))

    def wait_quiet(self, quiet: float = 0.5, timeout: float = 15) -> bool:
        """Wait until no request has been in flight for ``quiet`` seconds (late
        requests, such as scripts loading scripts, are then seen); False on timeout."""
        start = time.monotonic()
        quiet_since = start
        while time.monotonic() - start < timeout:
            self.page.wait_for_timeout(100)
            if self.requests:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet:
                return True
        return False


def scroll_through(page, pause_ms: int = 100, timeout_ms: int = 15_000) -> None:
    """Scroll from the top to the end a screen at a time, as a reader does, so that
    lazy images (``loading="lazy"``) load; then wait until every image that is shown
    has loaded."""
    page.evaluate("""async (pause) => {
      const root = document.scrollingElement;
      for (let y = 0; y < root.scrollHeight; y += window.innerHeight / 2) {
        window.scrollTo(0, y);
        await new Promise(resolve => setTimeout(resolve, pause));
      }
      window.scrollTo(0, root.scrollHeight);
    }""", pause_ms)
    page.wait_for_function("""() => [...document.images].every(
        img => img.complete || !img.getClientRects().length)""", timeout=timeout_ms)


# -- accessibility: axe-core ----------------------------------------------------------

# The theme fades colours in (0.15 s transitions) when it applies the colour mode, and
# quiz feedback fades in too: contrast is measured once every animation has finished.
SETTLED = """() => Promise.race([
  Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))),
  new Promise(resolve => setTimeout(resolve, 3000)),
])"""


def axe_source() -> str:
    """axe.min.js, shipped in the axe-playwright-python package (nothing downloaded)."""
    from axe_playwright_python.base import AXE_FILE_PATH

    return AXE_FILE_PATH.read_text(encoding="utf-8")


def axe_problems(page, axe_script: str, where: str, options: dict | None = None) -> list[str]:
    """The serious and critical axe-core violations within ``where`` (a CSS selector,
    or "document"), once the page's transitions have finished."""
    page.evaluate(SETTLED)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_script)
    # preload: false, or axe fetches the stylesheets itself and resolves the theme's
    # relative @import against the page (a 404 that is axe's, not the site's).
    options = {"resultTypes": ["violations"], **(options or {}), "preload": False}
    violations = page.evaluate(
        "([where, options]) => axe.run(where === 'document' ? document : where, options)"
        ".then(results => results.violations)", [where, options])
    return [
        f"{violation['impact']} {violation['id']} ({violation['help']}) at "
        + "; ".join(", ".join(map(str, node["target"])) for node in violation["nodes"][:5])
        for violation in violations if violation["impact"] in ("serious", "critical")
    ]
