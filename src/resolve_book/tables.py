"""Compact docutils tables that every builder renders, LaTeX with wrapped columns.

Used by the data-table directives (``timeline-table``, ``actors-table``) and by the
printed form of notebook tables (:mod:`resolve_book.print_tables`).
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes


Cell = str | list[nodes.Node]  # plain text, or inline nodes


def compact_table(header_rows: list[list[Cell]], rows: list[list[Cell]], widths: list[int],
                  stubs: int = 0) -> list[nodes.Node]:
    """A plain docutils table: LaTeX wraps its columns at ``widths`` (relative) and sets
    them ragged right (justified narrow columns print "Defence      Minister"). The
    first ``stubs`` columns are row labels, printed in the header's font."""
    spec = "".join(rf">{{\raggedright\arraybackslash}}\X{{{w}}}{{{sum(widths)}}}" for w in widths)
    # longtable: in print the table flows on from the text and breaks across pages;
    # colwidths-given: LaTeX wraps the columns at the widths below instead of "l".
    table = nodes.table(classes=["resolve-compact", "longtable", "colwidths-given"])
    group = nodes.tgroup(cols=len(widths))
    table += group
    for column, width in enumerate(widths):
        group += nodes.colspec(colwidth=width, **({"stub": 1} if column < stubs else {}))
    if header_rows:
        head = nodes.thead()
        group += head
        for cells in header_rows:
            head += _row(cells)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return [addnodes.tabular_col_spec(spec=spec), table]


def _row(cells: list[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, str) and cell:
            entry += nodes.paragraph(text=cell)
        elif not isinstance(cell, str) and any(node.astext() for node in cell):
            entry += nodes.paragraph("", "", *cell)
        row += entry
    return row
