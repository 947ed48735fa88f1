"""Sphinx extension ``resolve_book.solutions``: solution dropdowns that open when
their title is tapped, and solutions held back from the student edition for grading.

In HTML a solution is a dropdown whose title ("Solution to Exercise 2.1 (…)") is the
toggle. sphinx-exercise makes the exercise's name in that title a link back to the
exercise, so a tap on it jumped away instead of opening the solution; the link is
dropped here (the exercise stands just above its solution), keeping its text. And
``static/solutions.js`` hands a click anywhere in such a title to the toggle: see the
script for the sphinx-togglebutton defect it works around.

Solutions held back for grading: ``hold_solutions`` (in ``_config.yml`` under
``sphinx: config:``) or ``$HOLD_SOLUTIONS`` names ``all`` solutions, or exercise labels
and chapters (see ``quizkit.solutions``). In the student edition each held solution is
taken out of the document as soon as it is read, so it is in no page, no search index
and no download built from the documents; a one-line note stands in its place. The
instructor edition keeps every solution. A name that is neither an exercise label nor
a page fails the build with one line naming it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.transforms.post_transforms import SphinxPostTransform

from quizkit.files import write_new_file
from quizkit.solutions import HOLD_CONFIG, HOLD_ENV, HoldSettingError, hold_setting, without_held
from resolve_book.navigation import inline_script

SCRIPT = Path(__file__).parent / "static" / "solutions.js"
logger = logging.getLogger(__name__)


class UnlinkSolutionTitles(SphinxPostTransform):
    """After sphinx-exercise has written the titles (its priority 21)."""

    default_priority = 25
    formats = ("html",)

    def run(self) -> None:
        from sphinx_exercise.nodes import solution_node

        for solution in self.document.findall(solution_node):
            title = solution.next_node(nodes.title)
            if title is None:
                continue
            for reference in list(title.findall(nodes.reference)):
                reference.replace_self(reference.children)


HELD_NOTE = "The solution to this exercise is held back: your instructor grades it."


def choose_held(app: Sphinx, config: Config) -> None:
    """``config-inited``: the environment variable wins over ``_config.yml``; kept in the
    config, so that a change rebuilds the documents."""
    try:
        held = hold_setting(getattr(config, HOLD_CONFIG))
    except HoldSettingError as err:
        raise ConfigError(f"{err} (in _config.yml or ${HOLD_ENV})") from None
    setattr(config, HOLD_CONFIG, "all" if held.everything else list(held.names))
    app.resolve_held = held


def _held_in_this_edition(app: Sphinx) -> bool:
    return bool(app.resolve_held) and getattr(app.config, "quizkit_edition", "") != "instructor"


def remove_held_solutions(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: in the student edition, a held solution leaves the document."""
    if not _held_in_this_edition(app):
        return
    from sphinx_exercise.nodes import solution_node

    docname = app.env.docname
    for solution in list(doctree.findall(solution_node)):
        if app.resolve_held.holds(solution.get("target_label", ""), docname):
            solution.replace_self(nodes.paragraph(HELD_NOTE, HELD_NOTE,
                                                  classes=["solution-held"]))


def check_held_names(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: every name in the setting is an exercise label or a page."""
    registry = getattr(env, "sphinx_exercise_registry", {})
    labels = [label for label, entry in registry.items()
              if str(entry.get("type", "")).startswith("exercise")]
    unknown = app.resolve_held.unknown(labels, env.found_docs)
    if unknown:
        # One line, at the setting: the strict build (-W) then fails.
        names = ", ".join(repr(n) for n in unknown)
        rule = f"names {names}, which is neither an exercise label nor a chapter of this book"
        if os.environ.get(HOLD_ENV, "").strip():
            logger.error(f"${HOLD_ENV} {rule}", type="resolve_book", subtype="hold_solutions")
        else:
            logger.error(f"{HOLD_CONFIG} {rule}", location=_setting_location(app),
                         type="resolve_book", subtype="hold_solutions")


def _setting_location(app: Sphinx) -> str:
    """``path/_config.yml:line`` of the setting (Jupyter Book writes conf.py from it)."""
    for name in ("_config.yml", "conf.py"):
        path = Path(app.confdir) / name
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            line = next((n for n, text in enumerate(lines, start=1) if HOLD_CONFIG in text), 1)
            return f"{path}:{line}"
    return str(Path(app.confdir))


def strip_held_from_sources(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the page sources the HTML offers for download (``_sources/``)
    lose their held solutions too."""
    if exception is not None or app.builder.format != "html" or not _held_in_this_edition(app):
        return
    sources = Path(app.outdir) / "_sources"
    link_suffix = app.config.html_sourcelink_suffix or ""
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        copy = sources / (docname + source.suffix + (link_suffix if link_suffix != source.suffix
                                                     else ""))
        if not copy.is_file():
            continue
        text = copy.read_text(encoding="utf-8")
        stripped = without_held(text, source.suffix, docname, app.resolve_held, HELD_NOTE)
        if stripped != text:
            write_new_file(copy, stripped, force=True)
    prune_search_index(Path(app.outdir) / "searchindex.js")


SEARCH_INDEX = re.compile(r"\ASearch\.setIndex\((?P<index>.*)\)\s*\Z", re.S)


def prune_search_index(path: Path) -> None:
    """Drop the words no page contains any more. Sphinx updates the last build's index
    and keeps the words of removed text with an empty page list: after a build that
    held a solution back, its vocabulary would still be readable in searchindex.js."""
    match = SEARCH_INDEX.match(path.read_text(encoding="utf-8")) if path.is_file() else None
    if match is None:
        return
    index = json.loads(match.group("index"))
    pruned = False
    for key in ("terms", "titleterms"):
        terms = index.get(key, {})
        empty = [word for word, pages in terms.items() if pages == []]
        for word in empty:
            del terms[word]
        pruned = pruned or bool(empty)
    if pruned:
        # As Sphinx writes it, so that the next build reads it back.
        write_new_file(path, f"Search.setIndex({json.dumps(index, sort_keys=True)})",
                       force=True)


def setup(app) -> dict:
    app.add_config_value(HOLD_CONFIG, "", "env", [str, list, tuple, bool])
    app.connect("config-inited", choose_held)
    app.connect("doctree-read", remove_held_solutions)
    app.connect("env-updated", check_held_names)
    app.connect("build-finished", strip_held_from_sources)
    app.add_post_transform(UnlinkSolutionTitles)
    inline_script(app, "resolve_book_solutions_script", SCRIPT)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
