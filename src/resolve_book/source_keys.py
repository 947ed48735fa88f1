"""Sphinx extension ``resolve_book.source_keys``: no raw reference keys on a page.

Tables and notes name their sources by reference key (the timeline's Sources column
shows ``<code>pmo-2024-06-22</code>``, a table of positions lists keys in a cell, prose
and exercises say "ida-2024 does not quote this sentence"), which tells a student nothing
and cannot be looked up. In HTML, every key written as code, in running text or in a
notebook's HTML output becomes the entry's short name and bibliography number,
"Prime Minister's Office, Pakistan [78]", linked to the entry; in print it becomes that
text. Code blocks are left alone: code is shown as written.

Quizzes are rendered by quizkit, which does the same for the text of its items
(``quizkit.sphinx.sources.link_keys_html``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from quizkit.sphinx.sources import key_pattern, link_keys_html, source_links

# Text inside these nodes is never rewritten: code is shown as written, and a key that
# is already a link (a citation) or part of one stays as it is.
_SKIP = (nodes.literal_block, nodes.literal, nodes.reference, nodes.raw, nodes.comment,
         nodes.target, nodes.citation_reference, nodes.FixedTextElement)


def _inside_skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIP):
            return True
        parent = parent.parent
    return False


class LinkSourceKeys(SphinxPostTransform):
    # After sphinxcontrib-bibtex has numbered the entries (its post-transforms run at
    # the default priority).
    default_priority = 900

    def run(self) -> None:
        builder = self.app.builder
        links = source_links(builder, self.env.docname)
        if not links:
            return
        is_html = builder.format == "html"
        pattern = key_pattern(links)

        def label_node(key: str) -> nodes.Node:
            label = links[key]["label"]
            if not is_html:
                return nodes.Text(label)
            return nodes.reference("", label, refuri=links[key]["href"], internal=True,
                                   classes=["source-key"])

        # A key written as code: ``isas-2024``.
        for literal in list(self.document.findall(nodes.literal)):
            key = literal.astext()
            if key in links and not _inside_skipped(literal):
                literal.replace_self(label_node(key))

        # A key in running text: "ida-2024 does not quote this sentence".
        for text in list(self.document.findall(nodes.Text)):
            value = str(text)
            if not pattern.search(value) or _inside_skipped(text):
                continue
            pieces: list[nodes.Node] = []
            position = 0
            for match in pattern.finditer(value):
                if match.start() > position:
                    pieces.append(nodes.Text(value[position:match.start()]))
                pieces.append(label_node(match.group(0)))
                position = match.end()
            if position < len(value):
                pieces.append(nodes.Text(value[position:]))
            parent = text.parent
            index = parent.index(text)
            parent.remove(text)
            for offset, piece in enumerate(pieces):
                parent.insert(index + offset, piece)

        if not is_html:
            return
        # A notebook's HTML output: a key as code, a table cell listing keys, a key in text.
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split():
                continue
            text = raw.astext()
            new = link_keys_html(text, links, pattern)
            if new != text:
                raw.replace_self(nodes.raw("", new, format=raw["format"]))


def setup(app) -> dict:
    app.add_post_transform(LinkSourceKeys)
    return {"version": "0.2", "parallel_read_safe": True, "parallel_write_safe": True}

