"""Sphinx extension ``resolve_book.slim``: pages download only what they use.

Students read the book on phones and slow links, and Jupyter Book's stock pages carry
about 2.6 MB of assets, most of which this book never uses. This extension drops, page
by page:

* the Font Awesome *script* (1.4 MB, every page): the theme's stylesheet already
  draws every ``fa-*`` icon with the icon font, so the script only duplicated it;
* outside the search page, ``searchindex.js``, ``searchtools.js`` and
  ``language_data.js``, which the theme loads on every page for search-as-you-type
  (off here: the search box submits to ``search.html``, which loads them);
* thebe (live code through Binder): its script, its stylesheet and its inline
  configuration, unless ``launch_buttons: thebe: true``; the Binder and Colab launch
  buttons are plain links and fetch nothing until a reader clicks;
* sphinx-togglebutton, sphinx-copybutton and sphinx-design assets on pages with no
  dropdown or toggle, no code block, or no sphinx-design component respectively.

It also adds ``_static/resolve-book.css``: a few small fixes for phones and for
accessibility (see ``CSS`` below).

In ``_config.yml``: ``sphinx: extra_extensions: [..., resolve_book.slim]``.
``bench/page_weight.py`` measures the result against the stock template.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

TEMPLATES = Path(__file__).parent / "templates"
CSS_NAME = "resolve-book.css"

# Script tags that the theme writes straight into its templates (not through
# app.add_js_file), so they can only be dropped from the rendered blocks.
_FONTAWESOME = re.compile(r'\s*<script[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>'
                          r"\s*</script>")
_SEARCH = re.compile(r'\s*<script[^>]*\bsrc="[^"]*(?:_static/searchtools\.js|'
                     r'_static/language_data\.js|searchindex\.js)[^"]*"[^>]*>\s*</script>')

# Assets of extensions that Jupyter Book always loads, by the feature they serve.
THEBE_FILES = {"sphinx-thebe.js", "sphinx-thebe.css"}
TOGGLE_FILES = {"togglebutton.js", "togglebutton.css"}
TOGGLE_INLINE = ("toggleHintShow", "toggleHintHide", "toggleOpenOnPrint", "togglebuttonSelector")
COPY_FILES = {"clipboard.min.js", "copybutton.js", "copybutton.css"}
DESIGN_FILES = {"sphinx-design.min.css", "design-tabs.js"}

# Small fixes, kept here so that the page needs no extra request for them beyond one
# tiny stylesheet:
# - wide tables scroll inside their own box instead of widening the page on phones;
# - figures and notebook images never exceed the text column;
# - the dropdown-download and launch menus' logos keep their size.
CSS = """\
/* resolve_book.slim: small fixes for phones and accessibility. */
.bd-article table:not(.quizkit-quiz table) { display: block; max-width: 100%; overflow-x: auto; }
.bd-article img, .bd-article svg, .bd-article video { max-width: 100%; height: auto; }
.bd-article .cell_output, .bd-article .output { max-width: 100%; overflow-x: auto; }
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


def _register_filter(app: Sphinx) -> None:
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
    if not target.exists() or target.read_text(encoding="utf-8") != CSS:
        target.write_text(CSS, encoding="utf-8")
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


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _register_filter)
    app.connect("html-page-context", drop_unused_assets, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
