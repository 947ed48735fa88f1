"""Notebook tables in print: a pandas DataFrame becomes a typeset table in the PDF.

A cell that ends with a DataFrame stores two forms of it: an HTML table, which the site
shows, and a fixed-width text dump, which is all the LaTeX builder can use (it takes
neither HTML nor, without it being asked for, ``text/latex``), so the PDF printed
columns of monospace text that ran off the page or broke mid-row. For the LaTeX
builders only, this post-transform reads the stored HTML table and puts a docutils
table in place of the output (a longtable whose columns wrap, sized to their
contents). The notebooks and the site are unchanged; other outputs (figures,
Markdown, text) are left alone.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .tables import compact_table

# About how many characters of the body font fit on a line of a cell output (the
# text width less the output's indent); columns are sized in these units.
LINE_CHARS = 80
PADDING = 2.5  # a column's inner margins, in the same characters
HEADER_SCALE = 1.25  # the header's bold sans runs wider than the serif body
STUB_SCALE = 1.15  # and the row labels' sans


class DataFrameTable:
    """The cells of one pandas HTML table: header rows, body rows and how many leading
    columns are row labels (the index), each row as wide as the table."""

    def __init__(self, header_rows: list[list[str]], rows: list[list[str]], stubs: int):
        self.header_rows, self.rows, self.stubs = header_rows, rows, stubs


class _DataFrameHTML(HTMLParser):
    """Collects the rows of the first ``<table class="dataframe">`` in a document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # nesting of <table> elements, 1 inside the DataFrame's
        self.found = False
        self.section = None  # "head" or "body"
        self.head: list[list[tuple]] = []
        self.body: list[list[tuple]] = []
        self.cell: list | None = None  # [tag, text parts, rowspan, colspan]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            if not self.found and not self.depth and "dataframe" in (attrs.get("class") or "").split():
                self.found = True
                self.depth = 1
            elif self.depth:
                self.depth += 1
        elif self.depth == 1 and tag in ("thead", "tbody"):
            self.section = tag[1:]
        elif self.depth == 1 and tag == "tr" and self.section:
            (self.head if self.section == "head" else self.body).append([])
        elif self.depth == 1 and tag in ("th", "td") and self.section:
            self.cell = [tag, [], _span(attrs.get("rowspan")), _span(attrs.get("colspan"))]
        elif tag == "br" and self.cell is not None:
            self.cell[1].append(" ")

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth == 1 and tag in ("th", "td") and self.cell is not None:
            rows = self.head if self.section == "head" else self.body
            if rows:
                kind, parts, rowspan, colspan = self.cell
                rows[-1].append((kind, " ".join("".join(parts).split()), rowspan, colspan))
            self.cell = None
        elif self.depth == 1 and tag in ("thead", "tbody"):
            self.section = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1].append(data)


def _span(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _grid(rows: list[list[tuple]]) -> tuple[list[list[str]], list[int]]:
    """Rows of text with row and column spans laid out (a spanned cell's text in its
    first row and column, the rest left empty), and each row's count of leading <th>."""
    grid: list[list[str]] = []
    kinds: list[list[str]] = []
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan above
    for cells in rows:
        texts: list[str] = []
        row_kinds: list[str] = []
        queue = list(cells)
        while queue or any(column >= len(texts) for column in pending):
            column = len(texts)
            if pending.get(column):
                pending[column] -= 1
                texts.append("")
                row_kinds.append("th")
                continue
            if not queue:
                break
            kind, text, rowspan, colspan = queue.pop(0)
            for offset in range(colspan):
                texts.append(text if offset == 0 else "")
                row_kinds.append(kind)
                if rowspan > 1:
                    pending[column + offset] = rowspan - 1
        grid.append(texts)
        kinds.append(row_kinds)
    labels = [next((i for i, kind in enumerate(row) if kind != "th"), len(row)) for row in kinds]
    return grid, labels


def parse_dataframe_html(html: str) -> DataFrameTable | None:
    """The table of a DataFrame's HTML form, or None if the HTML holds none."""
    parser = _DataFrameHTML()
    parser.feed(html)
    parser.close()
    if not parser.found or not parser.body:
        return None
    head, _ = _grid(parser.head)
    body, labels = _grid(parser.body)
    width = max(len(row) for row in head + body)
    head = [row + [""] * (width - len(row)) for row in head]
    body = [row + [""] * (width - len(row)) for row in body]
    head = [row for row in head if any(row)]
    # pandas prints the index's name on a header row of its own; when no column has
    # text on more than one header row, they are one row in print.
    if len(head) > 1 and all(sum(1 for row in head if row[c]) <= 1 for c in range(width)):
        head = [[next((row[c] for row in head if row[c]), "") for c in range(width)]]
    return DataFrameTable(head, body, stubs=min(labels) if labels else 0)


SLASH = re.compile(r"(?<=\d)/(?=\d)")  # between the two days of a range: 2024-06-27/2024-06-28
LONG = 12  # longer words may break at their hyphens (Tehreek-e-Taliban, source keys)


def _words(text: str) -> list[str]:
    """The pieces LaTeX keeps whole: words, split after a range's slash (where the
    printed cell allows a break) and, if long, at their hyphens."""
    pieces = SLASH.sub("/ ", text).split()
    return [part for word in pieces
            for part in (re.findall(r"[^-]+-?", word) if len(word) > LONG else [word])]


def _longest_word(texts, scale: float = 1.0) -> float:
    return max((len(word) * scale for text in texts for word in _words(text)), default=1)


def cell_nodes(text: str) -> list[nodes.Node]:
    """A cell's text, with a line break allowed after a date range's slash."""
    parts = SLASH.split(text)
    out: list[nodes.Node] = [nodes.Text(parts[0])]
    for part in parts[1:]:
        out += [nodes.Text("/"), nodes.raw("", r"\allowbreak{}", format="latex"), nodes.Text(part)]
    return out


def column_widths(table: DataFrameTable, line: int = LINE_CHARS) -> list[int]:
    """Relative widths, in characters of the body font plus each column's padding.

    No column is narrower than its longest word (a date such as 2009-05-16 or a source
    key is never split at its hyphens; header and row-label words count wider, as
    they are set in the wider bold sans). If every column fits at its longest cell, that
    is its width; otherwise each column gets its longest word and the rest of the
    line goes to the columns with more text, in proportion to how much more."""
    widths = []
    stretch = []
    for index, column in enumerate(zip(*(table.header_rows + table.rows))):
        head, body = column[:len(table.header_rows)], column[len(table.header_rows):]
        body_scale = STUB_SCALE if index < table.stubs else 1.0
        least = max(_longest_word(head, HEADER_SCALE), _longest_word(body, body_scale)) + PADDING
        most = max(max((len(text) * body_scale for text in body), default=1) + PADDING, least)
        widths.append(least)
        stretch.append(most - least)
    spare = line - sum(widths)
    if spare > 0 and sum(stretch):
        share = min(1.0, spare / sum(stretch))
        widths = [least + extra * share for least, extra in zip(widths, stretch)]
    return [max(1, round(width)) for width in widths]


class DataFramesAsTables(SphinxPostTransform):
    """In LaTeX output, a cell output holding a DataFrame prints as a table."""

    # Before myst-nb's SelectMimeType (priority 4) picks the text dump for LaTeX.
    default_priority = 3
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            html = "".join(child.astext() for child in bundle.children
                           if child.get("mime_type") == "text/html")
            table = parse_dataframe_html(html) if "dataframe" in html else None
            if table is not None:
                rows = [[cell_nodes(text) for text in row] for row in table.rows]
                bundle.replace_self(compact_table(table.header_rows, rows,
                                                  column_widths(table), stubs=table.stubs))


def setup(app):
    app.add_post_transform(DataFramesAsTables)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
