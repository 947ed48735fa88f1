"""Student or instructor edition: which pages are built at all.

The edition is also a Sphinx tag (``student`` or ``instructor``) for ``only`` blocks.

The student edition leaves out the instructor-only pages (``quizkit_instructor_pages``,
by default ``chapters/instructors/**``) by adding them to ``exclude_patterns``. If the
book's ``_toc.yml`` (sphinx-external-toc) lists those pages, their entries are removed
from the student edition's table of contents too; otherwise Sphinx would warn about a
toctree entry for an excluded document, and the strict build would fail.
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util.matching import Matcher

from .state import EDITIONS, is_instructor_edition

EDITION_ENV = "QUIZKIT_EDITION"


def choose_edition(app: Sphinx, config: Config) -> None:
    """``config-inited``: the environment variable wins over conf.py / _config.yml."""
    if os.environ.get(EDITION_ENV):
        config.quizkit_edition = os.environ[EDITION_ENV].strip().lower()
    if config.quizkit_edition not in EDITIONS:
        raise ConfigError(f"quizkit_edition (or ${EDITION_ENV}) must be 'student' or "
                          f"'instructor', not {config.quizkit_edition!r}")
    # A tag per edition, so that pages can say ```{only} instructor``` for teaching notes.
    app.tags.add(config.quizkit_edition)
    if not is_instructor_edition(config):
        config.exclude_patterns = [*config.exclude_patterns,
                                   *config.quizkit_instructor_pages]


def prune_external_toc(app: Sphinx, config: Config) -> None:
    """``config-inited``, after sphinx-external-toc parsed ``_toc.yml``: drop entries
    for pages the student edition excludes."""
    site_map = getattr(config, "external_site_map", None)
    if site_map is None or is_instructor_edition(config):
        return
    from sphinx_external_toc.api import FileItem  # present whenever a site map is

    matcher = Matcher(list(config.quizkit_instructor_pages))
    suffixes = list(config.source_suffix or [".md"])

    def excluded(docname: str) -> bool:
        # exclude_patterns match file names ("key.md"); toc entries are docnames ("key").
        return matcher(docname) or any(matcher(docname + suffix) for suffix in suffixes)

    for docname in list(site_map):
        document = site_map[docname]
        for tree in document.subtrees:
            tree.items = [entry for entry in tree.items
                          if not (isinstance(entry, FileItem) and excluded(str(entry)))]
        document.subtrees = [tree for tree in document.subtrees if tree.items]
