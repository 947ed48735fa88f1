"""Sphinx extension ``resolve_book.solutions``: solution dropdowns that open when
their title is tapped.

In HTML a solution is a dropdown whose title ("Solution to Exercise 2.1 (…)") is the
toggle. sphinx-exercise makes the exercise's name in that title a link back to the
exercise, so a tap on it jumped away instead of opening the solution; the link is
dropped here (the exercise stands just above its solution), keeping its text. And
``static/solutions.js`` hands a click anywhere in such a title to the toggle: see the
script for the sphinx-togglebutton defect it works around.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from resolve_book.navigation import inline_script

SCRIPT = Path(__file__).parent / "static" / "solutions.js"


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


def setup(app) -> dict:
    app.add_post_transform(UnlinkSolutionTitles)
    inline_script(app, "resolve_book_solutions_script", SCRIPT)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
