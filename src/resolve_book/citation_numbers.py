"""Pages rewritten when citation numbers change.

The bibliography numbers its entries across the whole book, so a source added to one
chapter renumbers citations on pages that did not change. sphinxcontrib-bibtex
recomputes the numbers on every build but reports no page as updated, so an
incremental build kept the old numbers on every unchanged page (a glossary citation
read [105] while the bibliography listed it as [108]). This hook compares the numbers
with those of the previous build and, when any changed, has every page written again:
besides the citations, source labels in quizzes, tables and the timeline carry the
numbers too (source_keys.py), and a full write takes seconds.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

_SEEN = "resolve_book_citation_labels"


def citation_labels(env: BuildEnvironment) -> dict[str, str]:
    """Each cited key and the label (number) the bibliography gives it."""
    domain = env.get_domain("cite")
    return {c.key: str(c.formatted_entry.label) for c in domain.citations}


def renumbered_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    after = citation_labels(env)
    before = getattr(env, _SEEN, None)
    setattr(env, _SEEN, after)  # pickled with the environment for the next build
    # A first build (no earlier numbers) writes every page anyway.
    return sorted(env.found_docs) if after != before else []


def setup(app: Sphinx) -> dict:
    # After sphinxcontrib-bibtex's own env-updated handler has numbered the entries.
    app.connect("env-updated", renumbered_pages, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
