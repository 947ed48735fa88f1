"""Exercise and figure numbers in print as online.

LaTeX numbers figures with its own counter, which the book's document class resets
at every chapter while Sphinx's LaTeX options (with the numbering set back to chapters
for exercises, see ``same_numbers_in_print``) print the number without the chapter:
every chapter's first figure was "Fig. 1". Sphinx has already numbered every figure
for the site ("Fig. 2.1" in chapter 2; the unnumbered chapters count on from 1), so
the printed caption, and any reference to it, shows that same number: each figure sets
LaTeX's ``\\thefigure`` to it, inside its own float, before the caption.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape


def _docname(node: nodes.Node, default: str) -> str:
    """The document a node of the assembled LaTeX doctree came from: Sphinx marks each
    included document with a ``start_of_file`` node, sphinx-jupyterbook-latex (which
    rearranges them into parts) its sections with a ``docname``."""
    while node is not None:
        if isinstance(node, addnodes.start_of_file) or (
                isinstance(node, nodes.Element) and node.get("docname")):
            return node["docname"]
        node = node.parent
    return default


class FigureNumbersAsOnline(SphinxPostTransform):
    default_priority = 10
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        numbers = getattr(self.env, "toc_fignumbers", {})
        for figure in list(self.document.findall(nodes.figure)):
            captions = [i for i, child in enumerate(figure.children)
                        if isinstance(child, nodes.caption)]
            if not captions or not figure["ids"]:
                continue
            docname = _docname(figure, self.env.docname)
            number = numbers.get(docname, {}).get("figure", {}).get(figure["ids"][0])
            if number:
                text = ".".join(map(str, number))
                figure.insert(captions[0], nodes.raw(
                    "", rf"\renewcommand{{\thefigure}}{{{text}}}", format="latex"))


class ExerciseReferencesAcrossPages(SphinxPostTransform):
    """A reference to an exercise of another page prints its number, not "Exercise ??".

    sphinx-exercise labels an exercise ``exercise:<label>`` in LaTeX and points the
    references within its page there; a reference from another page (the unit plan's
    "redo Exercise 1.3") pointed at ``<page>:<label>``, a label that does not exist.
    Such a reference becomes a link to the exercise's label with its text ("Exercise
    1.3", as online).
    """

    default_priority = 21  # before sphinx-exercise's own rewriting (22)
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for reference in list(self.document.findall(nodes.reference)):
            uri = reference.get("refuri", "")
            if not uri.startswith("%") or "#" not in uri:
                continue
            label = uri.split("#", 1)[1]
            target = registry.get(label, {})
            node = target.get("node")
            if (node is None or type(node).__name__ != "exercise_enumerable_node"
                    or target.get("docname") == _docname(reference, self.env.docname)):
                continue
            reference.replace_self(nodes.raw(
                "", rf"\hyperref[exercise:{label}]{{{escape(reference.astext())}}}",
                format="latex"))


def same_numbers_in_print(app) -> None:
    """``builder-inited``: exercises, figures and equations numbered chapter.n in
    print as online ("Exercise 2.1", not "Exercise 2.2.1").

    sphinx-jupyterbook-latex turns the table of contents' captions into parts and
    sets ``numfig_secnum_depth`` to 2 for that, but parts carry no section number,
    so depth 2 counts per section; this sets the depth back to chapters.
    """
    if app.builder.format == "latex" and getattr(app.env, "jblatex_captions_to_parts", False):
        app.config.numfig_secnum_depth = 1


def setup(app):
    # After sphinx-jupyterbook-latex's own builder-inited (which Jupyter Book may
    # register after the book's extensions).
    app.connect("builder-inited", same_numbers_in_print, priority=900)
    app.add_post_transform(FigureNumbersAsOnline)
    app.add_post_transform(ExerciseReferencesAcrossPages)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
