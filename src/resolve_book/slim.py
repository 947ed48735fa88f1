"""Sphinx extension ``resolve_book.slim``: pages download only what they use.

Students read the book on phones and slow links, and Jupyter Book's stock pages carry
about 2.6 MB of assets, most of which this book never uses. This extension drops, page
by page:

* the Font Awesome *script* (1.4 MB, every page) and the icon *fonts* (150 kB or
  more): each page draws its few icons from inline SVG paths instead (icons.py);
* outside the search page, ``searchindex.js``, ``searchtools.js`` and
  ``language_data.js``, which the theme loads on every page for search-as-you-type
  (off here: the search box submits to ``search.html``, which loads them);
* thebe (live code through Binder): its script, its stylesheet and its inline
  configuration, unless ``launch_buttons: thebe: true``; the Binder and Colab launch
  buttons are plain links and fetch nothing until a reader clicks;
* sphinx-togglebutton, sphinx-copybutton and sphinx-design assets on pages with no
  dropdown or toggle, no code block, or no sphinx-design component respectively.

After the build, the theme's stylesheets lose the rules that no page and no script
uses (purge.py, with RefreshCSS), and the scripts their comments (minify.py); then
``lighten_site`` makes the first visit fast on a slow link: ``index.html`` is the
home page itself (home.py), figures are palette PNGs and every image is lazy and
sized (images.py), and each page paints from its own first bytes: its critical CSS
inline, its stylesheets and scripts bundled and not blocking (first_paint.py,
critical.py, bundle.py).

It also adds ``_static/resolve-book.css``: a few small fixes for phones and for
accessibility (see ``CSS`` below), and links the printable editions: each PDF listed
in ``resolve_book_downloads`` that exists when the book is built (``make pdf handout``
before ``make book``, as the Pages workflow does) is copied to ``downloads/`` and
offered in every page's download menu. The student site lists student editions only
(it is public, and the instructor PDFs carry the answer key); the instructor site
lists the instructor PDFs too and says on every page that it is the instructor
edition.

In ``_config.yml``: ``sphinx: extra_extensions: [..., resolve_book.slim]``.
``bench/page_weight.py`` measures the result against the stock template.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from resolve_book.first_paint import THEME_SCRIPT, first_paint_site
from resolve_book.home import write_home_page
from resolve_book.icons import inline_icons_in_site
from resolve_book.images import light_images_in_site
from resolve_book.minify import minify_scripts
from resolve_book.purge import purge_unused_css

TEMPLATES = Path(__file__).parent / "templates"
CSS_NAME = "resolve-book.css"
DOWNLOAD_DIR = "downloads"
# Paths are relative to the book's folder (where `make pdf handout` leaves them).
DOWNLOADS = [
    {"path": "_build/pdf/resolve-for-stability-student.pdf", "text": "Book (PDF)",
     "tooltip": "Download the whole book, ready to print (PDF)"},
    {"path": "_build/pdf/handout-student.pdf", "text": "Handout (PDF)",
     "tooltip": "Download the class handout (PDF)"},
]

# Script tags that the theme writes straight into its templates (not through
# app.add_js_file), so they can only be dropped from the rendered blocks.
_FONTAWESOME = re.compile(r'\s*<script[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js'
                          r'[^"]*"[^>]*>\s*</script>')
_SEARCH = re.compile(r'\s*<script[^>]*\bsrc="[^"]*(?:_static/searchtools\.js|'
                     r'_static/language_data\.js|searchindex\.js)[^"]*"[^>]*>\s*</script>')

# Assets of extensions that Jupyter Book always loads, by the feature they serve.
THEBE_FILES = {"sphinx-thebe.js", "sphinx-thebe.css"}
TOGGLE_FILES = {"togglebutton.js", "togglebutton.css"}
TOGGLE_INLINE = ("toggleHintShow", "toggleHintHide", "toggleOpenOnPrint", "togglebuttonSelector")
COPY_FILES = {"clipboard.min.js", "copybutton.js", "copybutton.css"}
DESIGN_FILES = {"sphinx-design.min.css", "design-tabs.js"}

# Small fixes for phones and accessibility, found by tests/test_browser.py (axe-core
# and a 375-pixel viewport); one small stylesheet, written by this extension.
CSS = """\
/* resolve_book.slim: fixes for phones and accessibility (see src/resolve_book/slim.py). */
/* Links in tinted boxes (exercises, notes, dropdowns) in light mode: the theme's blue
   #176de8 has only 4.3:1 on their backgrounds; this one has 5.5:1 or more. */
html[data-theme="light"] .bd-article .admonition,
html[data-theme="light"] .bd-article details { --pst-color-link: #1a5fb4; }
/* In dark mode notebook HTML outputs keep a light background and dark text, but the
   theme gives captions its dark-mode grey (1.7:1 there): use the output's text colour. */
html[data-theme="dark"] .bd-article .output.text_html caption { color: inherit; }
/* Source links (source_keys.py) in notebook tables, which in dark mode may keep a
   light background (the timeline) or not (pandas tables): the cell's own text colour,
   underlined. */
html[data-theme="dark"] .bd-article .output.text_html a.source-key {
  color: inherit; text-decoration: underline;
}
/* Figures never exceed the text column on a phone. */
.bd-article img { max-width: 100%; height: auto; }
/* The menu button hides the sidebar wherever it sits beside the text (960 px up, see
   static/navigation.js); sphinx-book-theme's own rule starts only at 992 px. */
@media (min-width: 960px) and (max-width: 991.98px) {
  .bd-sidebar-primary.pst-sidebar-hidden { display: none; }
}
"""


def _add_templates(app: Sphinx, config: Config) -> None:
    """``config-inited``: our ``layout.html`` wraps the theme's (``!layout.html``)."""
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


def _theme_option(config: Config, name: str, default=None):
    return (config.html_theme_options or {}).get(name, default)


def _thebe_wanted(config: Config) -> bool:
    launch = _theme_option(config, "launch_buttons") or {}
    thebe = getattr(config, "thebe_config", None)
    always = isinstance(thebe, dict) and bool(thebe.get("always_load"))
    return bool(launch.get("thebe")) or always


def drop_scripts(html: str) -> str:
    """Jinja filter for the theme's ``css`` and ``extrahead`` blocks (see layout.html)."""
    html = _FONTAWESOME.sub("", html)
    return _SEARCH.sub("", html)


def _prepare_html(app: Sphinx) -> None:
    """``builder-inited``: the filter used by ``templates/layout.html``; the stylesheet."""
    templates = getattr(app.builder, "templates", None)
    if app.builder.format != "html" or templates is None:
        return
    keep_search = bool(_theme_option(app.config, "search_as_you_type", False))
    templates.environment.filters["slim_drop_scripts"] = (
        (lambda html: _FONTAWESOME.sub("", html)) if keep_search else drop_scripts)
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / CSS_NAME
    import rcssmin

    css = rcssmin.cssmin(CSS)
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")
    app.add_css_file(CSS_NAME, priority=900)


def _has_class(doctree: nodes.Node, wanted) -> bool:
    return any(wanted(cls) for node in doctree.findall(nodes.Element)
               for cls in node.get("classes", ()))


def _uses_toggle(doctree) -> bool:
    # sphinx-togglebutton's selector is ".toggle, .admonition.dropdown"
    # (sphinx-exercise solutions are dropdown admonitions).
    return doctree is not None and _has_class(doctree, lambda c: c in ("toggle", "dropdown"))


def _uses_code(doctree) -> bool:
    return doctree is not None and next(doctree.findall(nodes.literal_block), None) is not None


def _uses_design(doctree) -> bool:
    return doctree is not None and _has_class(doctree, lambda c: c.startswith("sd-"))


def _name(asset) -> str:
    return Path(str(asset.filename or "")).name


def _body(asset) -> str:
    return (getattr(asset, "attributes", {}) or {}).get("body", "")


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                       doctree) -> None:
    """``html-page-context`` (late, after extensions have added their per-page files)."""
    unused: set[str] = set()
    inline: tuple[str, ...] = ()
    if not _thebe_wanted(app.config):
        unused |= THEBE_FILES
        inline += ("THEBE_JS_URL",)
    if not _uses_toggle(doctree):
        unused |= TOGGLE_FILES
        inline += TOGGLE_INLINE
    if not _uses_code(doctree):
        unused |= COPY_FILES
    if not _uses_design(doctree):
        unused |= DESIGN_FILES

    def keep(asset) -> bool:
        if _name(asset) in unused:
            return False
        body = _body(asset)
        return not (body and any(marker in body for marker in inline))

    for key in ("script_files", "css_files"):
        if isinstance(context.get(key), list):
            context[key][:] = [asset for asset in context[key] if keep(asset)]


INSTRUCTOR_DOWNLOADS = [
    {"path": "_build/pdf/resolve-for-stability-instructor.pdf", "text": "Book, instructor edition (PDF)",
     "tooltip": "Download the whole book with solutions and answer keys (PDF)"},
    {"path": "_build/pdf/handout-instructor.pdf", "text": "Handout with key (PDF)",
     "tooltip": "Download the class handout with its answer key (PDF)"},
]
INSTRUCTOR_BANNER = "Instructor edition \u2014 contains answer keys"


def _instructor(config: Config) -> bool:
    return getattr(config, "quizkit_edition", "student") == "instructor"


def mark_instructor_edition(app: Sphinx, config: Config) -> None:
    """``config-inited`` (after quizkit has chosen the edition): the instructor site
    says on every page what it is, in the theme's announcement banner."""
    if _instructor(config):
        config.html_theme_options = {**(config.html_theme_options or {}),
                                     "announcement": INSTRUCTOR_BANNER}


def find_downloads(app: Sphinx, config: Config) -> None:
    """``config-inited``: the listed PDFs that exist (the instructor site also offers
    the instructor PDFs). Kept as an "html" config value, so that a PDF appearing or
    disappearing rewrites every page's menu."""
    found = []
    entries = [*config.resolve_book_downloads,
               *(INSTRUCTOR_DOWNLOADS if _instructor(config) else [])]
    for entry in entries:
        source = Path(app.srcdir, entry["path"])
        if source.is_file():
            found.append({**entry, "name": source.name})
    config.resolve_book_downloads_found = found


def link_downloads(app: Sphinx, pagename: str, templatename: str, context: dict,
                   doctree) -> None:
    """``html-page-context``, after sphinx-book-theme built its download menu."""
    found = app.config.resolve_book_downloads_found
    groups = [button for button in context.get("header_buttons") or ()
              if button.get("label") == "download-buttons"]
    if not found or not groups:
        return
    for entry in found:
        groups[0]["buttons"].append({
            "type": "link",
            "url": context["pathto"](f"{DOWNLOAD_DIR}/{entry['name']}", 1),
            "text": entry["text"],
            "tooltip": entry["tooltip"],
            "icon": "fas fa-file-pdf",
            "label": "download-" + re.sub(r"[^a-z0-9]+", "-", entry["name"].lower()),
        })


def lighten_site(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, in this order: icons drawn from inline SVG paths, not the
    icon font; the stylesheets' unused rules removed (the icon rules are found in the
    full ones) and the scripts minified (minify.py); ``index.html`` made the home
    page itself (home.py); figures as palette PNGs, every image lazy and sized
    (images.py); then each page's critical CSS inline and its stylesheets and
    scripts made not to block its first paint (first_paint.py)."""
    if exception is None and app.builder.format == "html":
        outdir = Path(app.outdir)
        inline_icons_in_site(outdir)
        purge_unused_css(outdir, Path(app.doctreedir) / "resolve-book-css")
        minify_scripts(outdir)
        write_home_page(outdir, app.config.root_doc)
        light_images_in_site(outdir)
        first_paint_site(outdir)


def copy_downloads(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the linked PDFs into the site's ``downloads/``."""
    if exception is not None or app.builder.format != "html":
        return
    for entry in app.config.resolve_book_downloads_found:
        target = Path(app.outdir, DOWNLOAD_DIR, entry["name"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(app.srcdir, entry["path"]), target)


# Without an icon link every browser asks for /favicon.ico on a first visit: one more
# request on a slow link, and a 404. A small inline icon (a blue square) instead.
FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
           "%3Crect width='16' height='16' rx='3' fill='%231a5fb4'/%3E%3C/svg%3E")


def inline_favicon(app: Sphinx, pagename: str, templatename: str, context: dict,
                   doctree) -> None:
    """``html-page-context``: the inline icon, unless the book sets ``html: favicon``."""
    if not context.get("favicon_url"):
        context["favicon_url"] = FAVICON


def fix_citation_roles(app: Sphinx, pagename: str, templatename: str, context: dict,
                       doctree) -> None:
    """``html-page-context``: docutils marks each bibliography entry
    ``role="doc-biblioentry"`` inside a ``role="list"``; that role is deprecated and
    leaves the list with no items for screen readers (axe: aria-required-children)."""
    if isinstance(context.get("body"), str):
        context["body"] = context["body"].replace(' role="doc-biblioentry"', ' role="listitem"')


def setup(app: Sphinx) -> dict:
    app.add_config_value("resolve_book_downloads", DOWNLOADS, "html", [list])
    app.add_config_value("resolve_book_downloads_found", [], "html", [list])
    app.connect("config-inited", _add_templates)
    # Before the first paint, the colour mode "auto" resolved (see first_paint.py).
    app.add_js_file(None, body=THEME_SCRIPT, priority=1)
    app.connect("config-inited", find_downloads)
    app.connect("config-inited", mark_instructor_edition)
    app.connect("builder-inited", _prepare_html)
    app.connect("html-page-context", drop_unused_assets, priority=900)
    app.connect("html-page-context", fix_citation_roles)
    app.connect("html-page-context", inline_favicon, priority=900)
    app.connect("html-page-context", link_downloads, priority=600)
    app.connect("build-finished", copy_downloads)
    # Late: after pydata-sphinx-theme writes its light and dark pygments.css, and after
    # sphinx-external-toc's index.html (a redirect that home.py replaces).
    app.connect("build-finished", lighten_site, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
