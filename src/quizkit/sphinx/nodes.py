"""The ``quiz`` doctree node and how the HTML and LaTeX writers render it.

The node carries the selected ``Item`` objects (frozen dataclasses, so the pickled
doctree holds everything a writer needs). Other builders never see it: the fallback
post-transform replaces it with plain docutils nodes first.
"""

from __future__ import annotations

from docutils import nodes

from .html import render_quiz_html
from .latex import render_quiz_latex
from .sources import source_links
from .state import is_instructor_edition


class quiz_node(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """A self-check quiz: ``items`` (list of Item) and ``quiz_title`` (str)."""


def visit_quiz_html(self, node: quiz_node) -> None:
    # Translators are made per page, so the counter numbers the quizzes of one page.
    self.quizkit_count = getattr(self, "quizkit_count", 0) + 1
    if not hasattr(self, "quizkit_sources"):
        self.quizkit_sources = source_links(self.builder, self.builder.current_docname)
    self.body.append(render_quiz_html(node["items"], title=node["quiz_title"],
                                      quiz_id=f"quizkit-{self.quizkit_count}",
                                      heading_level=self.section_level + 1,
                                      sources=self.quizkit_sources))
    raise nodes.SkipNode


def visit_quiz_latex(self, node: quiz_node) -> None:
    if not hasattr(self, "quizkit_sources"):
        # One LaTeX document holds every page; only the labels are used, not links.
        docname = getattr(self.builder, "current_docname", None) or self.builder.config.root_doc
        self.quizkit_sources = source_links(self.builder, docname)
    self.body.append(render_quiz_latex(node["items"], title=node["quiz_title"],
                                       with_key=is_instructor_edition(self.builder.config),
                                       sources=self.quizkit_sources))
    raise nodes.SkipNode


def depart_quiz(self, node: quiz_node) -> None:
    """Never reached: the visitors skip the node's (empty) children."""
