"""The first paint waits for nothing but the page itself.

On a slow link (400 ms a round trip) each stylesheet and each script in a page's
``<head>`` holds back the first paint until it has arrived. After the build, each
page is rewritten so that it paints as soon as its first bytes are in:

* its critical CSS (``critical.py``: the rules that style its own elements) is inline;
* its stylesheets, joined into one file (``bundle.py``), load without blocking:
  ``media="print"`` until the file has loaded, then ``"all"``; a ``<noscript>``
  links it as usual when scripts are off;
* every script is deferred (run in order once the page is parsed, as the theme's own
  scripts already were), and the local ones are joined into one file, linked where
  the first of them stood (the theme's ``<link rel="preload">`` of the ones joined
  goes, or they would be fetched twice); Sphinx's few lines of
  ``documentation_options.js``, which inline scripts of the page extend, are inline.

``THEME_SCRIPT`` (linked by ``slim.py`` as an inline script of the head) resolves the
"auto" colour mode to light or dark at once: the theme's script does it only once it
has run, and the first paint would show neither theme's colours. It also marks the page
as running scripts, so that ``UNTIL_TOGGLED_CSS`` keeps solutions closed until their
toggle script has run.

A page that an incremental build leaves as it was keeps its rewriting (the bundles it
links are rewritten from the current files). Used by ``resolve_book.slim``
(build-finished, after purge.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import rcssmin

from resolve_book.bundle import Bundles, bundlable_script
from resolve_book.critical import critical_css

THEME_SCRIPT = (
    "(function(d){d.classList.add('rb-js');var t=d.dataset.theme;"
    "if(t!=='light'&&t!=='dark'){d.dataset.theme="
    "window.matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';}})"
    "(document.documentElement);")
# Solutions open only on request. Their toggle script runs after the first paint, so
# until it has marked a solution (class "toggle") its body stays hidden when scripts
# run ("rb-js", set by THEME_SCRIPT); with scripts off, solutions show as they always did.
UNTIL_TOGGLED_CSS = ("html.rb-js .admonition.dropdown:not(.toggle)>:not(.admonition-title)"
                     "{display:none}")

CRITICAL_ID = "resolve-critical"
SWAP = ' media="print" onload="this.media=\'all\'"'

_HEAD = re.compile(r"<head>.*?</head>", re.S)
_LINK = re.compile(r"\s*<link\b[^>]*>")
_SCRIPT_SRC = re.compile(r"\s*<script\b([^>]*)\bsrc=\"([^\"]*)\"([^>]*)>\s*</script>")
_HREF = re.compile(r'\bhref="([^"]*)"')


def _local_file(page: Path, url: str) -> Path | None:
    if re.match(r"^(?:[a-z][\w+.-]*:|/|#)", url, re.I):
        return None
    path = (page.parent / url.split("?")[0].split("#")[0]).resolve()
    return path if path.is_file() else None


def _relative(page: Path, outdir: Path, target: str) -> str:
    path, _, query = target.partition("?")
    url = Path(os.path.relpath(outdir / path, page.parent)).as_posix()
    return url + ("?" + query if query else "")


def _stylesheets(head: str, page: Path) -> list[tuple[str, Path]]:
    """``(tag, file)`` of the head's local stylesheets for every medium."""
    found = []
    for match in _LINK.finditer(head):
        tag = match.group(0)
        href = _HREF.search(tag)
        if 'rel="stylesheet"' in tag and "media=" not in tag and href:
            path = _local_file(page, href.group(1))
            if path is not None:
                found.append((tag, path))
    return found


_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)


def _script_texts(html: str, page: Path) -> list[str]:
    """The texts of the page's scripts: its own files and its inline scripts."""
    texts = [body for body in _INLINE_SCRIPT.findall(html) if body.strip()]
    for match in _SCRIPT_SRC.finditer(html):
        path = _local_file(page, match.group(2))
        if path is not None:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def merged(lists: list[list[Path]]) -> list[Path]:
    """One list holding every item of ``lists``, each list's order kept."""
    result: list[Path] = []
    for items in lists:
        for index, item in enumerate(items):
            if item in result:
                continue
            # Before the next item of its list that is already placed, else at the end.
            following = next((result.index(later) for later in items[index + 1:]
                              if later in result), len(result))
            result.insert(following, item)
    return result


def _inline_css(html: str, page: Path, outdir: Path, site_css: str) -> str:
    head = _HEAD.search(html)
    sheets = _stylesheets(head.group(0), page)
    if not sheets:
        return html
    css = rcssmin.cssmin(critical_css(html, [path for _, path in sheets], page.parent,
                                      _script_texts(html, page)))
    url = _relative(page, outdir, site_css)
    block = (f'\n<style id="{CRITICAL_ID}">{css}{UNTIL_TOGGLED_CSS}</style>'
             f'\n<link rel="stylesheet" href="{url}"{SWAP} />'
             f'\n<noscript><link rel="stylesheet" href="{url}" /></noscript>')
    new_head = head.group(0)
    first = new_head.index(sheets[0][0])
    new_head = new_head[:first] + "\0" + new_head[first:]
    for tag, _ in sheets:
        new_head = new_head.replace(tag, "", 1)
    new_head = new_head.replace("\0", block, 1)
    return html[:head.start()] + new_head + html[head.end():]


def _defer_scripts(html: str, page: Path, outdir: Path, bundles: Bundles) -> str:
    static = (outdir / "_static").resolve()
    members: list[tuple[str, Path]] = []

    def script(match: re.Match) -> str:
        tag, (before, src, after) = match.group(0), match.groups()
        attributes = before + after
        if re.search(r"\basync\b|type=\"module\"", attributes):
            return tag
        path = _local_file(page, src)
        deferred = re.search(r"\bdefer\b", attributes)
        if path is not None and not deferred and path.name == "documentation_options.js":
            return f"\n<script>{path.read_text(encoding='utf-8').strip()}</script>"
        if path is not None and path.is_relative_to(static) and bundlable_script(path):
            members.append((tag, path))
            return "\0" if len(members) == 1 else ""
        if deferred:
            return tag
        return tag.replace("<script", "<script defer", 1)

    html = _SCRIPT_SRC.sub(script, html)
    if not members:
        return html
    url = _relative(page, outdir, bundles.add("js", [path for _, path in members]))
    bundled = {path for _, path in members}

    def preload(match: re.Match) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if 'rel="preload"' in tag and href and _local_file(page, href.group(1)) in bundled:
            return ""
        return tag

    html = _LINK.sub(preload, html)
    return html.replace("\0", f'\n<script defer src="{url}"></script>', 1)


def _unprocessed(path: Path) -> str | None:
    """The page's text, or None if it has no ``<head>`` (a redirect) or was rewritten
    by an earlier build."""
    html = path.read_text(encoding="utf-8")
    if _HEAD.search(html) is None or f'<style id="{CRITICAL_ID}">' in html:
        return None
    return html


def first_paint_site(outdir: Path, skip: tuple[str, ...] = ("_static", "_sources",
                                                             "_images")) -> int:
    """Rewrite every page of the built site, write the bundles; returns how many
    pages were rewritten. All pages share one bundle of stylesheets (every sheet
    any page links, in their order: a reader's browser fetches it once); a page's
    scripts are bundled as the page lists them (which scripts run matters)."""
    from quizkit.files import write_new_file

    outdir = Path(outdir).resolve()
    bundles = Bundles(outdir)
    pages = {}
    for path in sorted(outdir.rglob("*.html")):
        if path.relative_to(outdir).parts[0] not in skip:
            html = _unprocessed(path)
            if html is not None:
                pages[path] = html
    sheets = merged([[sheet for _, sheet in _stylesheets(_HEAD.search(html).group(0), path)]
                     for path, html in pages.items()])
    site_css = bundles.add("css", sheets) if sheets else ""
    for path, html in pages.items():
        new = _inline_css(html, path, outdir, site_css)
        new = _defer_scripts(new, path, outdir, bundles)
        if new != html:
            write_new_file(path, new, force=True)
    bundles.write()
    return len(pages)
