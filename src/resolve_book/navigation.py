"""Sphinx extension ``resolve_book.navigation``: menu and contents buttons that work.

With the pinned themes (pydata-sphinx-theme 0.17.1, sphinx-book-theme 1.3.0) the
buttons a reader sees do nothing: the theme listens to the first button of each kind
on the page, a hidden one. ``static/navigation.js`` (inlined into every page, so it
costs no request) passes clicks on to it; see the script for the details.
``tests/test_browser.py`` opens the menu and the page contents at phone, tablet and
desktop widths.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

SCRIPT = Path(__file__).parent / "static" / "navigation.js"


def inline_script(app: Sphinx, name: str, script: Path) -> None:
    """Write ``script`` into every HTML page (only HTML builders write scripts). It is
    kept as a config value ``name`` of the "html" kind, so that an edit of the script
    rewrites every page (Sphinx compares these values with the last build's)."""
    app.add_config_value(name, script.read_text(encoding="utf-8"), "html", [str])
    app.connect("config-inited",
                lambda app, config: app.add_js_file(None, body=getattr(config, name), priority=900))


def setup(app: Sphinx) -> dict:
    inline_script(app, "resolve_book_navigation_script", SCRIPT)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
