"""quiz.js and quiz.css: minified (rjsmin, rcssmin) into ``_static/quizkit/``, linked
only from the pages that contain a quiz (other pages stay as light as they were)."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.osutil import ensuredir

from .nodes import quiz_node

STATIC = Path(__file__).parent / "static"
ASSETS = ("quiz.js", "quiz.css")


def copy_assets(app: Sphinx) -> None:
    """``builder-inited``: copied before pages are written, so Sphinx can add each
    file's checksum to its URL and browsers refetch it after a change."""
    if app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "quizkit"
    ensuredir(target)
    import rcssmin
    import rjsmin

    minify = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}
    for name in ASSETS:
        text = minify[Path(name).suffix]((STATIC / name).read_text(encoding="utf-8"))
        path = target / name
        # Rewritten only when changed: the file's date stays that of its content.
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def link_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                doctree) -> None:
    """``html-page-context``: link the files from pages whose doctree holds a quiz.

    Sphinx resets the page's script and style lists before this event, so files added
    here appear on this page only.
    """
    if doctree is None or next(doctree.findall(quiz_node), None) is None:
        return
    app.add_css_file("quizkit/quiz.css")
    app.add_js_file("quizkit/quiz.js", defer="defer")
