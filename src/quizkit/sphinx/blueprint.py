"""The ``quiz-blueprint`` directive: the exam blueprint (``quizkit.blueprint``) as a
table in the instructor edition, recounted from the banks on every build.

```{quiz-blueprint}
:pool: exam
```

``:pool:`` is ``exam`` (default), ``self-check`` or ``all``. Each count is printed; in
HTML a cell is also shaded by its share of the largest count (a light tint under dark
text, so the numbers keep their contrast), a help for the eye, never the only signal.
The page is rebuilt whenever a bank or ``objectives.csv`` changes.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from ..blueprint import Blueprint, blueprint, shade_steps
from ..coverage import OBJECTIVES_FILE, load_objective_list
from ..select import POOL_CHOICES
from ..sources import find_data_dir
from .directives import _QuizkitDirective
from .state import build_state

STYLE = """<style>
table.qk-blueprint td.qk-bp-count { text-align: right; font-variant-numeric: tabular-nums; }
table.qk-blueprint td.qk-bp-1 { background-color: rgba(37, 99, 235, 0.10); }
table.qk-blueprint td.qk-bp-2 { background-color: rgba(37, 99, 235, 0.18); }
table.qk-blueprint td.qk-bp-3 { background-color: rgba(37, 99, 235, 0.28); }
table.qk-blueprint td.qk-bp-4 { background-color: rgba(37, 99, 235, 0.38); }
table.qk-blueprint tr.qk-bp-totals td { font-weight: bold; }
table.qk-blueprint th { font-size: 0.85em; }
</style>"""


def _entry(text: str, classes: tuple[str, ...] = ()) -> nodes.entry:
    entry = nodes.entry(classes=list(classes))
    entry += nodes.paragraph(text=text)
    return entry


def _chapter_row(chapter: str, docname: str | None, here: str, columns: int) -> nodes.row:
    """A row across the table naming the chapter: its title, linked, when it is a page
    of the book; else its name as objectives.csv gives it."""
    entry = nodes.entry(morecols=columns - 1)
    paragraph = nodes.paragraph()
    if docname is None:
        paragraph += nodes.strong(text=chapter)
    else:
        link = addnodes.pending_xref("", nodes.inline(text=chapter), refdomain="std",
                                     reftype="doc", reftarget="/" + docname,
                                     refexplicit=False, refdoc=here)
        paragraph += nodes.strong("", "", link)
    entry += paragraph
    row = nodes.row(classes=["qk-bp-chapter"])
    row += entry
    return row


def blueprint_table(plan: Blueprint, docnames: dict[str, str] | None = None,
                    here: str = "") -> nodes.table:
    """A table: objective, one column per level, total; the objectives under a row
    naming their chapter; a line of totals. ``docnames`` maps chapters
    (``01_background``) to the pages they link to."""
    docnames = docnames or {}
    head = ["Objective", *plan.columns, "Total"]
    # "colwidths-given": LaTeX then wraps the objective column at its share of the width.
    table = nodes.table(classes=["qk-blueprint", "colwidths-given"])
    group = nodes.tgroup(cols=len(head))
    table += group
    for width in (40, *([10] * (len(head) - 1))):
        group += nodes.colspec(colwidth=width)
    header = nodes.thead()
    row = nodes.row()
    for name in head:
        row += _entry(name)
    header += row
    group += header
    body = nodes.tbody()
    largest = plan.largest_cell
    for chapter, rows in plan.chapters():
        body += _chapter_row(chapter, docnames.get(chapter), here, len(head))
        for line in rows:
            row = nodes.row()
            row += _entry(f"{line.objective.id}: {line.objective.text}")
            for count in line.counts:
                level = shade_steps(count, largest)
                row += _entry(str(count), ("qk-bp-count",) + ((f"qk-bp-{level}",) if level else ()))
            row += _entry(str(line.total), ("qk-bp-count",))
            body += row
    totals = nodes.row(classes=["qk-bp-totals"])
    totals += _entry("Items (each counted once)")
    for count in (*plan.items_per_column, plan.items):
        totals += _entry(str(count), ("qk-bp-count",))
    body += totals
    group += body
    return table


class BlueprintDirective(_QuizkitDirective):
    """```{quiz-blueprint}``` with ``:pool:``; instructor edition only."""

    has_content = False
    option_spec = {"pool": lambda argument: directives.choice(argument, POOL_CHOICES)}

    def run(self) -> list[nodes.Node]:
        if not self.instructor:
            self.report("quiz-blueprint is only allowed in the instructor edition "
                        "(build with QUIZKIT_EDITION=instructor)")
            return []
        state = build_state(self.env.app)
        for name in state.catalog.names:
            self.env.note_dependency(str(state.bank_paths[name]))
        data_dir = find_data_dir(Path(self.env.srcdir))
        objectives, problems = load_objective_list(data_dir)
        if data_dir is not None:
            self.env.note_dependency(str(Path(data_dir) / OBJECTIVES_FILE))
        for problem in problems:
            self.report(str(problem))
        pool = self.options.get("pool", "exam")
        pools = ("self-check", "exam") if pool == "all" else (pool,)
        plan = blueprint(state.catalog.banks, objectives, pools)
        if not plan.items:
            self.report(f"quiz-blueprint found no items in the {plan.pool_name()} pool")
            return []
        caption = nodes.paragraph(text=f"Blueprint of the {plan.pool_name()} pool: "
                                       f"{plan.items} items, {len(plan.rows)} objectives.")
        # A chapter is named by its file, as objectives.csv names it.
        docnames = {}
        for chapter in {row.objective.chapter for row in plan.rows}:
            matches = sorted(d for d in self.env.found_docs
                             if d == chapter or d.endswith("/" + chapter))
            if len(matches) == 1:
                docnames[chapter] = matches[0]
        table = blueprint_table(plan, docnames, self.env.docname)
        return [nodes.raw("", STYLE, format="html"), caption, table]
