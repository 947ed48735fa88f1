"""The first paint waits for nothing but the page itself.

On a slow link (400 ms a round trip) each stylesheet and each script in a page's
``<head>`` holds back the first paint until it has arrived. After the build, each
page's ``<head>`` is rewritten so that the page paints as soon as its first bytes
are in:

* its critical CSS (``critical.py``: the rules that style its own elements) is inline;
* its stylesheets load without blocking: ``media="print"`` until they have loaded,
  then ``"all"``; a ``<noscript>`` links them as usual when scripts are off;
* every script is deferred (run in order once the page is parsed, as the theme's own
  scripts already are); Sphinx's few lines of ``documentation_options.js``, which
  inline scripts of the page extend, are inline;
* the theme's ``<link rel="preload">`` of its scripts goes: preloading fetches them
  first, ahead of the page's own text.

``THEME_SCRIPT`` (linked by ``slim.py`` as the first script of the head) resolves the
"auto" colour mode to light or dark at once: the theme's script does it only once it
has run, and the first paint would show neither theme's colours.

Idempotent: a page already rewritten (an incremental build leaves unchanged pages
as they were) is first put back as Sphinx wrote it, then rewritten with the current
stylesheets. Used by ``resolve_book.slim`` (build-finished, after purge.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import rcssmin

from resolve_book.critical import critical_css

THEME_SCRIPT = (
    "(function(d){var t=d.dataset.theme;if(t!=='light'&&t!=='dark'){d.dataset.theme="
    "window.matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';}})"
    "(document.documentElement);")

CRITICAL_ID = "resolve-critical"
NOSCRIPT_ID = "resolve-stylesheets"
OPTIONS_ID = "resolve-documentation-options"
SWAP = ' media="print" onload="this.media=\'all\'" data-resolve-deferred'
DEFERRED_MARK = " data-resolve-defer"

_HEAD = re.compile(r"<head>.*?</head>", re.S)
_LINK = re.compile(r"<link\b[^>]*>")
_SCRIPT_SRC = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]*)\"([^>]*)>\s*</script>")
_HREF = re.compile(r'\bhref="([^"]*)"')
_PRELOAD_SCRIPT = re.compile(r'\s*<link\b[^>]*\brel="preload"[^>]*\bas="script"[^>]*/?>')
_CRITICAL_BLOCK = re.compile(rf'\s*<style id="{CRITICAL_ID}">.*?</style>', re.S)
_NOSCRIPT_BLOCK = re.compile(rf'\s*<noscript id="{NOSCRIPT_ID}">.*?</noscript>', re.S)
_OPTIONS_BLOCK = re.compile(rf'<script id="{OPTIONS_ID}" data-src="([^"]*)">.*?</script>', re.S)


def _is_stylesheet(tag: str) -> bool:
    return bool(re.search(r'\brel="stylesheet"', tag)) and "://" not in tag


def _local_file(page: Path, href: str) -> Path:
    return (page.parent / href.split("?")[0].split("#")[0]).resolve()


def restore(head: str) -> str:
    """The ``<head>`` as Sphinx wrote it, from one rewritten by ``rewrite``."""
    head = _CRITICAL_BLOCK.sub("", head)
    head = _NOSCRIPT_BLOCK.sub("", head)
    head = head.replace(SWAP, "")
    head = _OPTIONS_BLOCK.sub(lambda m: f'<script src="{m.group(1)}"></script>', head)
    return head.replace(DEFERRED_MARK + " defer", "")


def rewrite(head: str, page: Path, html: str) -> str:
    """The rewritten ``<head>`` of ``page`` (whose whole text is ``html``)."""
    links = [tag for tag in _LINK.findall(head) if _is_stylesheet(tag)
             and "media=" not in tag and _HREF.search(tag)]
    sheets = [_local_file(page, _HREF.search(tag).group(1)) for tag in links]
    links = [tag for tag, sheet in zip(links, sheets) if sheet.is_file()]
    sheets = [sheet for sheet in sheets if sheet.is_file()]
    if links:
        css = rcssmin.cssmin(critical_css(html, sheets, page.parent))
        first, last = head.index(links[0]), head.index(links[-1]) + len(links[-1])
        block = head[first:last]
        for tag in links:
            block = block.replace(tag, tag[:-1].rstrip("/ ") + SWAP + " />", 1)
        noscript = "".join(links)
        head = (head[:first] + f'<style id="{CRITICAL_ID}">{css}</style>\n' + block
                + f'\n<noscript id="{NOSCRIPT_ID}">{noscript}</noscript>' + head[last:])

    def script(match: re.Match) -> str:
        before, src, after = match.groups()
        attributes = before + after
        if re.search(r"\b(defer|async)\b|type=\"module\"", attributes):
            return match.group(0)
        if Path(src.split("?")[0]).name == "documentation_options.js":
            options = _local_file(page, src)
            if options.is_file():
                text = options.read_text(encoding="utf-8").strip()
                return f'<script id="{OPTIONS_ID}" data-src="{src}">{text}</script>'
        return f'<script{DEFERRED_MARK} defer{before.rstrip()} src="{src}"{after}></script>'

    return _SCRIPT_SRC.sub(script, head)


def first_paint_page(path: Path) -> bool:
    """Rewrite one page in place; False if it has no ``<head>`` (a redirect)."""
    html = path.read_text(encoding="utf-8")
    match = _HEAD.search(html)
    if match is None:
        return False
    head = restore(match.group(0))
    page = html[:match.start()] + head + html[match.end():]
    new = html[:match.start()] + rewrite(head, path, page) + html[match.end():]
    if new != html:
        from quizkit.files import write_new_file

        write_new_file(path, new, force=True)
    return True


def first_paint_site(outdir: Path, skip: tuple[str, ...] = ("_static", "_sources",
                                                             "_images")) -> int:
    """Rewrite every page of the built site; returns how many were pages."""
    outdir = Path(outdir)
    count = 0
    for path in sorted(outdir.rglob("*.html")):
        if path.relative_to(outdir).parts[0] in skip:
            continue
        count += first_paint_page(path)
    return count
