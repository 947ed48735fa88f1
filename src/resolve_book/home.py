"""The home page served directly: ``index.html`` is the book's first page itself.

Jupyter Book writes ``index.html`` as a one-line ``<meta http-equiv="Refresh">`` to
the root document (``chapters/intro.html``): on a slow link one more round trip
before anything shows. After the build, ``index.html`` becomes a copy of the root
document with every relative address (``href``, ``src``, ``action``, the theme's
``data-content_root``) rewritten for the site's top folder; the root document keeps
its own address, so every existing link to it still works. The copy names the root
document as its canonical address. Used by ``resolve_book.slim`` (build-finished).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

_ATTRIBUTE = re.compile(r'(\s(?:href|src|action|poster|data-content_root)=")([^"]*)(")')
_ABSOLUTE = re.compile(r"^(?:[a-z][\w+.-]*:|/|#|\{)", re.I)
CANONICAL = '<link rel="canonical" href="{url}" />'


def rebase(url: str, folder: str) -> str:
    """``url``, relative to a page in ``folder`` ("chapters"), made relative to the
    site's top folder."""
    if not url or _ABSOLUTE.match(url):
        return url
    path, mark, rest = re.match(r"([^?#]*)([?#]?)(.*)", url).groups()
    if not path:
        return url
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined == ".":
        joined = "./" if path.endswith("/") else "."
    elif path.endswith("/") and not joined.endswith("/"):
        joined += "/"
    return joined + mark + rest


def home_page(root_page: str, root_html: str) -> str:
    """The text of ``index.html`` made from the root document's page (at
    ``root_page``, e.g. ``chapters/intro.html``)."""
    folder = posixpath.dirname(root_page)
    html = _ATTRIBUTE.sub(lambda m: m.group(1) + rebase(m.group(2), folder) + m.group(3),
                          root_html)
    canonical = CANONICAL.format(url=root_page)
    return html.replace("</head>", f"  {canonical}\n</head>", 1) if canonical not in html \
        else html


def write_home_page(outdir: Path, root_doc: str) -> bool:
    """Write ``index.html`` from the root document's page; False when the root
    document is ``index`` itself or its page is missing."""
    if root_doc == "index":
        return False
    root_page = f"{root_doc}.html"
    source = Path(outdir) / root_page
    if not source.is_file():
        return False
    from quizkit.files import write_new_file

    write_new_file(Path(outdir) / "index.html",
                   home_page(root_page, source.read_text(encoding="utf-8")), force=True)
    return True
