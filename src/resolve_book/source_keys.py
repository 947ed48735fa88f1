"""Sphinx extension ``resolve_book.source_keys``: no raw reference keys on a page.

Tables and notes name their sources by reference key (the timeline's Sources column
shows ``<code>pmo-2024-06-22</code>``, a table of positions lists keys in a cell), which tells a student nothing and cannot be
looked up. In HTML, every key written as code, in text or in a notebook's HTML
output, becomes the entry's short name and bibliography number, "Prime Minister's
Office, Pakistan [78]", linked to the entry; in print it becomes that text.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from quizkit.sphinx.sources import source_links

# In a notebook's HTML output: a key as code, or a table cell listing only keys
# (a pandas table with a "refs" column).
_CODE = re.compile(r"<code>([^<>]+)</code>")
_CELL = re.compile(r"(<td[^>]*>)([^<>]+)(</td>)")
_SEPARATOR = re.compile(r"\s*[,;]\s*")


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
        for literal in list(self.document.findall(nodes.literal)):
            key = literal.astext()
            if key in links and not isinstance(literal.parent, nodes.reference):
                label = links[key]["label"]
                replacement = (nodes.reference("", label, refuri=links[key]["href"],
                                               internal=True, classes=["source-key"])
                               if is_html else nodes.Text(label))
                literal.replace_self(replacement)
        if not is_html:
            return
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split():
                continue
            text = raw.astext()

            def anchor(key: str) -> str:
                entry = links[key]
                return (f'<a class="reference internal source-key" href="{html.escape(entry["href"])}">'
                        f'{html.escape(entry["label"])}</a>')

            def code(match: re.Match) -> str:
                key = html.unescape(match.group(1))
                return anchor(key) if key in links else match.group(0)

            def cell(match: re.Match) -> str:
                keys = _SEPARATOR.split(html.unescape(match.group(2)).strip())
                if not all(key in links for key in keys):
                    return match.group(0)
                return match.group(1) + ", ".join(anchor(key) for key in keys) + match.group(3)

            new = _CELL.sub(cell, _CODE.sub(code, text))
            if new != text:
                raw.replace_self(nodes.raw("", new, format=raw["format"]))


def setup(app) -> dict:
    app.add_post_transform(LinkSourceKeys)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
