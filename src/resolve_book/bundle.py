"""Fewer requests: a page's stylesheets served as one file, its deferred scripts as
another.

A chapter links ten stylesheets and nine scripts. Over HTTP/1.1 a browser opens six
connections to a host, and on a slow link each request waits a round trip (400 ms
on slow 3G) before its first byte, so twenty small files cost more than their bytes.
``first_paint.py`` hands each page's list of stylesheets and of deferred scripts to
``Bundles``, which joins each list, in its order, into one file in
``_static/bundles/`` named after the list (pages with the same list share the
file, and a reader's browser caches it once):

* stylesheets: an ``@import`` of a local file is replaced by that file's text and
  every relative ``url(...)`` rewritten for the bundle's folder;
* scripts: the files' texts, run one after the other (deferred scripts run in
  document order), each as a script of its own (``RUN_EACH``); a script that looks
  for its own ``<script>`` element (``document.currentScript``) is not bundled.

The lists are kept in ``_static/bundles/manifest.json``, so that pages an incremental
build leaves as they were still find their bundles, rewritten from the current files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

FOLDER = "bundles"
MANIFEST = "manifest.json"
# The last declaration of a minified file has no ";".
_IMPORT = re.compile(r"""@import\s*(?:url\(\s*)?(['"]?)([^'")\s;]+)\1\s*\)?[^;]*?(?:;|$)""")
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
# Each script of a bundle runs as a script of its own, as when it had its own file:
# joined into one script, a ``typeof Search`` in one file (sphinx_highlight.js) would
# throw while a ``const Search`` of a later one (searchtools.js) is not yet declared,
# and one file's error or "use strict" would reach the others.
RUN_EACH = """(function (d) {
  [SCRIPTS].forEach(function (text) {
    var script = d.createElement("script");
    script.text = text;
    d.head.appendChild(script).remove();
  });
})(document);
"""
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.M)


def _rebase_css(css: str, source: Path, folder: Path) -> str:
    def rebase(match: re.Match) -> str:
        url = match.group(2)
        if re.match(r"^(?:[a-z][\w+.-]*:|/|#)", url, re.I):
            return match.group(0)
        return f'url("{Path(os.path.relpath(source.parent / url, folder)).as_posix()}")'

    return _URL.sub(rebase, css)


def stylesheet_text(path: Path, folder: Path, seen: frozenset = frozenset()) -> str:
    """The stylesheet at ``path``, its local ``@import``s taken in, its relative URLs
    made relative to ``folder``."""
    path = path.resolve()
    taken: list[str] = []

    def take_in(match: re.Match) -> str:
        target = (path.parent / match.group(2)).resolve()
        if "://" in match.group(2) or not target.is_file() or target in seen:
            return match.group(0)
        taken.append(stylesheet_text(target, folder, seen | {path}))
        return f"\0{len(taken) - 1}\0"

    # Imports are taken in after this file's own URLs are rebased (theirs already are).
    text = _rebase_css(_IMPORT.sub(take_in, path.read_text(encoding="utf-8")), path, folder)
    return re.sub(r"\0(\d+)\0", lambda m: taken[int(m.group(1))], text)


def bundlable_script(path: Path) -> bool:
    """A local script that does not look for its own ``<script>`` element."""
    return path.is_file() and "currentScript" not in path.read_text(encoding="utf-8")


class Bundles:
    """The bundles of one site: ``add`` a list, get the bundle's path; ``write``."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = Path(outdir).resolve()
        self.folder = self.outdir / "_static" / FOLDER
        manifest = self.folder / MANIFEST
        try:
            self.lists: dict[str, list[str]] = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.lists = {}
        self.texts: dict[str, str] = {}

    def _text(self, name: str, members: list[Path]) -> str:
        if name.endswith(".css"):
            return "\n".join(stylesheet_text(path, self.folder) for path in members)
        parts = [_SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).strip()
                 for path in members]
        return RUN_EACH.replace("SCRIPTS", ",\n".join(json.dumps(part) for part in parts))

    def add(self, kind: str, members: list[Path]) -> str:
        """The bundle of ``members`` (``kind`` "css" or "js"): its path relative to
        the site's folder, with ``?v=`` and a digest of its content."""
        relative = [path.resolve().relative_to(self.outdir).as_posix() for path in members]
        digest = hashlib.sha1("\n".join(relative).encode("utf-8")).hexdigest()[:10]
        name = f"{kind}-{digest}.{kind}"
        self.lists[name] = relative
        if name not in self.texts:
            self.texts[name] = self._text(name, [path.resolve() for path in members])
        version = hashlib.sha1(self.texts[name].encode("utf-8")).hexdigest()[:8]
        return f"_static/{FOLDER}/{name}?v={version}"

    def write(self) -> None:
        """Every bundle of the manifest, from the current files, and the manifest."""
        from quizkit.files import write_new_file

        self.folder.mkdir(parents=True, exist_ok=True)
        for name, relative in sorted(self.lists.items()):
            members = [self.outdir / member for member in relative]
            if not all(path.is_file() for path in members):
                continue
            text = self.texts.get(name) or self._text(name, members)
            path = self.folder / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                write_new_file(path, text, force=True)
        write_new_file(self.folder / MANIFEST, json.dumps(self.lists, indent=1, sort_keys=True),
                       force=True)
