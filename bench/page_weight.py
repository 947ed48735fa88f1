"""Page weight: the bytes a reader's first visit downloads, page by page, against a
page of the stock Jupyter Book 1 template built in the same run with the same versions.

How it measures: each page is opened in a fresh Chromium context (empty cache) served
from a local static server; every response is recorded (HTML, CSS, JS, fonts,
images, the search index …), and the page is scrolled through to the end so that
lazy images below the fold count too. "bytes" is the sum of the response bodies as served
(uncompressed); "gzip" estimates what a server that compresses text (GitHub Pages
does) sends: text bodies gzipped at level 6, images and fonts as they are. The
ratio is our page's bytes over the stock notebook page's bytes (the stock template's
closest match to a chapter: a notebook with a figure). Target: the home page and
every chapter at most 0.25 times the stock page, quizzes and figures included.

Then, on an emulated slow 3G link (Chrome DevTools Network.emulateNetworkConditions:
400 ms round trip, 400 kbit/s both ways, cache disabled, a 390-pixel phone), the home
page and each chapter are opened from a local server on 127.0.0.1 that gzips text as
GitHub Pages does; printed are the first contentful paint and the load event, both
counted from the moment the address is requested (so the home page's redirect, if
any, is included), and the bytes that crossed the emulated link. Goal: for the home
page and every chapter, first contentful paint within 2.0 s and load within 4 s.

    make book                          # or pass --site
    .venv/bin/python bench/page_weight.py [--site _build/html] [--stock /tmp/stock]
                                          [--slow-3g-only]

The stock book is created with ``jupyter-book create`` and built (into ``--stock``,
default a temporary folder) unless ``--stock`` already holds a built book. Needs
Playwright (the ``test`` extra) and /usr/bin/chromium. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (InFlight, block_outside, launch, scroll_through,  # noqa: E402
                             serve, site_pages)

STOCK_PAGE = "notebooks.html"
TARGET = 0.25
# Chrome's DevTools throttling: latency in ms, throughput in bytes per second.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
           "uploadThroughput": 400_000 / 8}
GOAL_FCP, GOAL_LOAD = 2.0, 4.0
SLOW_TIMEOUT_MS = 90_000
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml")


@dataclass
class Weight:
    requests: int = 0
    raw: int = 0
    gzipped: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    outside: list[str] = field(default_factory=list)


def _kind(content_type: str, url: str) -> str:
    path = urlsplit(url).path
    if "html" in content_type:
        return "html"
    if "css" in content_type:
        return "css"
    if "javascript" in content_type or path.endswith(".js"):
        return "js"
    if content_type.startswith("image/"):
        return "img"
    if "font" in content_type or path.endswith((".woff", ".woff2", ".ttf")):
        return "font"
    return "other"


def weigh(browser, url: str) -> Weight:
    weight = Weight()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    weight.outside = block_outside(context)
    bodies = []
    page = context.new_page()
    in_flight = InFlight(page)
    page.on("response", lambda response: bodies.append(response))
    page.goto(url, wait_until="load")
    # Lazy content (images below the fold) counts: a reader scrolls the whole chapter.
    scroll_through(page)
    in_flight.wait_quiet()
    for response in bodies:
        if response.status != 200 or not response.url.startswith("http"):
            continue
        body = response.body()
        content_type = (response.headers.get("content-type") or "").split(";")[0]
        weight.requests += 1
        weight.raw += len(body)
        text = content_type.startswith(TEXT_TYPES) or content_type.endswith("+xml")
        weight.gzipped += len(gzip.compress(body, 6)) if text else len(body)
        kind = _kind(content_type, response.url)
        weight.by_kind[kind] = weight.by_kind.get(kind, 0) + len(body)
    context.close()
    return weight


@dataclass
class SlowVisit:
    fcp: float | None  # seconds from the request of the address
    load: float  # seconds from the request of the address to the load event
    transferred: int  # bytes over the emulated link (compressed, headers included)
    final_url: str


def slow_3g_visit(browser, url: str) -> SlowVisit:
    """Open ``url`` on an emulated slow 3G phone with a cold cache."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    block_outside(context)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    sizes: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: sizes.append(event["encodedDataLength"]))
    started = time.time() * 1000
    page.goto(url, wait_until="load", timeout=SLOW_TIMEOUT_MS)
    # A meta-refresh home page moves on to another page: wait for that one's load too.
    page.wait_for_function("() => !document.querySelector('meta[http-equiv=Refresh i]')",
                           timeout=SLOW_TIMEOUT_MS)
    page.wait_for_load_state("load", timeout=SLOW_TIMEOUT_MS)
    page.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0",
                           timeout=SLOW_TIMEOUT_MS)
    origin, fcp, load = page.evaluate(
        "() => [performance.timeOrigin,"
        " (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,"
        " performance.getEntriesByType('navigation')[0].loadEventEnd]")
    visit = SlowVisit(fcp=None if fcp is None else (origin + fcp - started) / 1000,
                      load=(origin + load - started) / 1000, transferred=sum(sizes),
                      final_url=page.url)
    context.close()
    return visit


def print_slow_3g(browser, site: Path, stock_site: Path | None) -> None:
    pages = ["index.html"] + [p for p in site_pages(site) if p.startswith("chapters/0")]
    print(f"\nSlow 3G first visit (400 ms RTT, 400 kbit/s, cold cache, gzip served, "
          f"390 px phone); goal for the home page and every chapter: FCP <= {GOAL_FCP} s, "
          f"load <= {GOAL_LOAD} s")
    header = f"{'page':<34} {'FCP s':>6} {'load s':>7} {'KiB sent':>9}"
    print(f"{header}\n{'-' * len(header)}")
    rows = []
    if stock_site is not None:
        with serve(stock_site, compress=True) as base:
            rows.append((f"stock {STOCK_PAGE}", slow_3g_visit(browser, base + STOCK_PAGE)))
    with serve(site, compress=True) as base:
        rows += [(name, slow_3g_visit(browser, base + name)) for name in pages]
    for name, visit in rows:
        fcp = "-" if visit.fcp is None else f"{visit.fcp:.2f}"
        print(f"{name:<34} {fcp:>6} {visit.load:>7.2f} {kib(visit.transferred):>9}")
    ours = [visit for name, visit in rows if not name.startswith("stock")]
    if ours:
        worst_fcp = max(v.fcp or float("inf") for v in ours)
        worst_load = max(v.load for v in ours)
        met = worst_fcp <= GOAL_FCP and worst_load <= GOAL_LOAD
        print(f"slowest of the home page and the chapters: FCP {worst_fcp:.2f} s, load "
              f"{worst_load:.2f} s: goal {'met' if met else 'NOT met'}")


def build_stock(folder: Path) -> Path:
    """``jupyter-book create`` + build with this environment's jupyter-book."""
    site = folder / "_build" / "html"
    if (site / STOCK_PAGE).exists():
        return site
    jb = Path(sys.executable).with_name("jupyter-book")
    if folder.exists():
        shutil.rmtree(folder)
    for command in (["create", str(folder)], ["build", str(folder)]):
        result = subprocess.run([str(jb), *command], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:])
            raise SystemExit(f"jupyter-book {command[0]} failed for the stock book")
    return site


def kib(n: int) -> str:
    return f"{n / 1024:,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--stock", type=Path, default=None,
                        help="folder of the stock book (created and built if not built)")
    parser.add_argument("--slow-3g-only", action="store_true",
                        help="only the slow 3G figures, of this book alone")
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        parser.error(f"{args.site} holds no built book: run `make book` first")

    from playwright.sync_api import sync_playwright

    if args.slow_3g_only:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            print_slow_3g(browser, args.site, None)
            browser.close()
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        stock_site = build_stock(args.stock or Path(tmp) / "stock")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            with serve(stock_site) as base:
                stock = {p: weigh(browser, base + p) for p in site_pages(stock_site)}
            with serve(args.site) as base:
                ours = {p: weigh(browser, base + p) for p in site_pages(args.site)}
            print_slow_3g(browser, args.site, stock_site)
            browser.close()

    reference = stock[STOCK_PAGE]
    header = (f"{'page':<34} {'req':>4} {'KiB':>7} {'gzip KiB':>8} {'ratio':>6} "
              f"{'html':>5} {'css':>5} {'js':>6} {'img':>5} {'font':>5}")
    print(f"First-visit weight (Playwright, fresh cache, scrolled to the end); "
          f"ratio = bytes / stock {STOCK_PAGE} ({kib(reference.raw)} KiB)")
    for title, table in (("stock Jupyter Book template", stock), ("this book", ours)):
        print(f"\n{title}\n{header}\n{'-' * len(header)}")
        for name, w in table.items():
            k = w.by_kind
            print(f"{name:<34} {w.requests:>4} {kib(w.raw):>7} {kib(w.gzipped):>8} "
                  f"{w.raw / reference.raw:>6.2f} {kib(k.get('html', 0)):>5} "
                  f"{kib(k.get('css', 0)):>5} {kib(k.get('js', 0)):>6} "
                  f"{kib(k.get('img', 0)):>5} {kib(k.get('font', 0)):>5}")
    chapters = {n: w for n, w in ours.items() if n.startswith("chapters/0") or n == "index.html"}
    if chapters:
        worst_name, worst = max(chapters.items(), key=lambda kv: kv[1].raw)
        ratio = worst.raw / reference.raw
        gz_ratio = worst.gzipped / reference.gzipped
        print(f"\nheaviest of the home page and the chapters: {worst_name}, {kib(worst.raw)} KiB = {ratio:.2f} x the "
              f"stock page (gzip: {gz_ratio:.2f} x); target <= {TARGET}: "
              f"{'met' if ratio <= TARGET else 'NOT met'}")
    outside = sorted({u for w in ours.values() for u in w.outside})
    if outside:
        print("\nrequests that tried to leave 127.0.0.1 (blocked):")
        for url in outside:
            print("  " + url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
