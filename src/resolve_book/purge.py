"""Unused CSS removed from the built site with RefreshCSS (PyPI ``refreshcss``).

The theme's stylesheet (65 kB compressed, render-blocking) styles far more than
this book uses. After the build, each third-party stylesheet in ``_static`` keeps
only the rules whose classes, ids and elements occur in the site's pages or are
named in its scripts, minified (rcssmin) (which add classes such as ``show``, ``toggle-hidden`` or
``pst-squeeze`` as a reader clicks). The book's own stylesheets (quizkit,
resolve-book) are left as written. Used by ``resolve_book.slim`` (build-finished).
"""

from __future__ import annotations

import re
from pathlib import Path

# Any name a script could put into a class, an id or a tag name.
_NAME = re.compile(r"[A-Za-z_][\w-]*")
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
_ID_ATTR = re.compile(r'\bid="([^"]*)"')
_TAG = re.compile(r"<([A-Za-z][\w-]*)")
# Stylesheets of the book itself (written for what quiz.js and the pages use) and the
# bundles of purged stylesheets (bundle.py).
OWN = ("quizkit/", "resolve-book.css", "bundles/")


def _site(outdir: Path):
    """What the site uses, for RefreshCSS: the classes, ids and tags of its pages
    (read as plain HTML: RefreshCSS's own reader takes pages for Django templates
    and misses classes), and every name its scripts mention."""
    from refreshcss.html.site import Site

    import rjsmin

    pages = [path.read_text(encoding="utf-8") for path in sorted(outdir.rglob("*.html"))]
    # Names in the scripts' code, not in their comments: the same whether or not
    # minify.py has already stripped them (the bundles hold the same scripts).
    scripts = [rjsmin.jsmin(path.read_text(encoding="utf-8", errors="replace"))
               for path in (outdir / "_static").rglob("*.js")
               if "bundles" not in path.relative_to(outdir / "_static").parts]
    scripts += [body for page in pages for body in _INLINE_SCRIPT.findall(page)]
    names = {name for script in scripts for name in _NAME.findall(script)}

    class BookSite(Site):
        def parse(self) -> None:
            self.classes = {token for page in pages for value in _CLASS_ATTR.findall(page)
                            for token in value.split()} | names
            self.ids = {value for page in pages for value in _ID_ATTR.findall(page)} | names
            self.elements = ({tag.lower() for page in pages for tag in _TAG.findall(page)}
                             | {name.lower() for name in names})

    site = BookSite()
    site.parse()
    return site


def purge_unused_css(outdir: Path, cache: Path) -> dict[str, tuple[int, int]]:
    """Rewrite the third-party stylesheets of ``outdir/_static``; returns
    ``{name: (bytes before, bytes after)}``.

    Sphinx does not copy a stylesheet again over a newer one, so the full stylesheet
    is kept in ``cache`` (the build's doctree folder): a later build starts from it,
    not from the purged file, and a rule that a new page needs comes back.
    """
    import rcssmin
    from refreshcss import RefreshCSS

    outdir = Path(outdir)
    static = outdir / "_static"
    sheets = [path for path in sorted(static.rglob("*.css"))
              if not any(path.relative_to(static).as_posix().startswith(own) for own in OWN)]
    if not sheets:
        return {}
    cleaner = RefreshCSS(_site(outdir))
    sizes = {}
    for path in sheets:
        name = path.relative_to(static).as_posix()
        full, purged = cache / name, cache / (name + ".purged")
        current = path.read_text(encoding="utf-8")
        if full.exists() and purged.exists() and purged.read_text(encoding="utf-8") == current:
            css = full.read_text(encoding="utf-8")
        else:
            css = current  # freshly copied by Sphinx
            _write(full, css)
        cleaned = rcssmin.cssmin(cleaner.clean(css))
        _write(path, cleaned)
        _write(purged, cleaned)
        sizes[name] = (len(css), len(cleaned))
    return sizes


def _write(path: Path, text: str) -> None:
    """Written whole or not at all (a reader never sees half a stylesheet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
