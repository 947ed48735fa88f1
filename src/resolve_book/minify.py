"""The scripts of the built site without comments and spare whitespace (rjsmin).

The theme's own bundles come minified, but Sphinx's (doctools.js,
sphinx_highlight.js, searchtools.js …) and the extensions' (copybutton.js,
togglebutton.js …) come as written: about a third of their compressed bytes is
comments and indentation. rjsmin removes only those (it renames nothing). The
stylesheets are minified where they are purged (purge.py). Idempotent: a file
already minified is left as it is. Used by ``resolve_book.slim`` (build-finished).
"""

from __future__ import annotations

from pathlib import Path

# Larger scripts are bundles that come minified (and the Font Awesome script, which
# no page loads: see slim.py).
LARGEST = 200_000


def minify_scripts(outdir: Path) -> dict[str, tuple[int, int]]:
    """Minify every script of ``outdir/_static``; returns ``{name: (before, after)}``
    for the files that changed."""
    import rjsmin

    from quizkit.files import write_new_file

    static = Path(outdir) / "_static"
    sizes = {}
    for path in sorted(static.rglob("*.js")):
        if path.stat().st_size > LARGEST:
            continue
        text = path.read_text(encoding="utf-8")
        small = rjsmin.jsmin(text, keep_bang_comments=True)
        if len(small) < len(text):
            write_new_file(path, small, force=True)
            sizes[path.relative_to(static).as_posix()] = (len(text), len(small))
    return sizes
