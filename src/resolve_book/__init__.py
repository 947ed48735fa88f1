"""Sphinx helpers for the book itself (not for quizzes).

``csv-glossary``: turns ``data/glossary.csv`` into a Sphinx glossary, so that the
glossary has one source of truth and chapters can link terms with ``{term}``.
``timeline-table`` and ``actors-table``: compact tables from the data layer, for the
printed handout. And in print: the student edition keeps exercises but drops their
solutions (the instructor edition prints them); notebook code is left out (outputs
kept); numbers are chapter.n as online; the instructor edition is marked on every page.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Parser as RstParser
from docutils.utils import new_document
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from quizkit.errors import QuizkitError

from .data import load_glossary
from .tables import compact_table

logger = logging.getLogger(__name__)


def _rst_escape(text: str) -> str:
    # Glossary text is plain prose; only characters that open RST markup need escaping.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("|", "\\|")


def glossary_rst(rows) -> list[str]:
    """RST lines for a ``glossary`` directive: house spelling and abbreviation as
    terms, then the definition, the variants and the citations."""
    lines = [".. glossary::", "   :sorted:", ""]
    for row in rows:
        lines.append(f"   {_rst_escape(row['term'])}")
        if row.get("abbreviation"):
            lines.append(f"   {_rst_escape(row['abbreviation'])}")
        body = _rst_escape(row["definition"])
        refs = [key for key in str(row.get("refs") or "").split(";") if key.strip()]
        if refs:
            body += " :cite:p:`" + ",".join(k.strip() for k in refs) + "`"
        lines.append(f"      {body}")
        variants = [v.strip() for v in str(row.get("variants") or "").split(";") if v.strip()]
        if variants:
            note = f" ({_rst_escape(row['variants_note'])})" if row.get("variants_note") else ""
            lines.append("")
            lines.append("      *Variants:* " + ", ".join(_rst_escape(v) for v in variants) + note)
        lines.append("")
    return lines


def _names(argument: str) -> list[str]:
    return [name.strip() for name in argument.split(";") if name.strip()]


def _data_dir(directive: SphinxDirective) -> Path:
    return Path(directive.env.srcdir) / directive.arguments[0]


def _load(directive: SphinxDirective, loader, filename: str):
    """A data table, with its problems logged at the directive (the build then fails)."""
    data_dir = _data_dir(directive)
    try:
        table = loader(data_dir)
    except QuizkitError as err:
        for problem in err.problems:
            logger.error(str(problem), location=(directive.env.docname, directive.lineno))
        return None
    directive.env.note_dependency(str(data_dir / filename))
    return table


class CsvGlossary(SphinxDirective):
    """``{csv-glossary} data`` — the argument is the data folder, relative to the book.
    ``:terms:`` (``;``-separated) keeps only those terms, for the handout."""

    required_arguments = 1
    option_spec = {"terms": _names}

    def run(self) -> list[nodes.Node]:
        data_dir = _data_dir(self)
        table = _load(self, load_glossary, "glossary.csv")
        if table is None:
            return []
        wanted = self.options.get("terms")
        if wanted:
            unknown = sorted(set(wanted) - set(table["term"]))
            for term in unknown:
                logger.error(f"csv-glossary: no term {term!r} in glossary.csv",
                             location=(self.env.docname, self.lineno))
            table = table[table["term"].isin(wanted)]
        rows = [
            {k: ("" if v != v else v) for k, v in rec.items()}  # NaN → ""
            for rec in table.to_dict("records")
        ]
        # The glossary is generated as RST and parsed as RST even on a MyST page:
        # nested_parse would hand it to the page's own (Markdown) parser.
        document = new_document(str(data_dir / "glossary.csv"), self.state.document.settings)
        RstParser().parse("\n".join(glossary_rst(rows)), document)
        return document.children


def _date_label(row) -> str:
    """A date as precise as the data says it is: ``2024``, ``June 2024``, ``22 June 2024``,
    ``23–25 June 2024``."""
    stamp = row["date"]
    if row["date_precision"] == "range":
        end = row["date_end"]
        if (stamp.year, stamp.month) == (end.year, end.month):
            return f"{stamp.day}–{end.day} {end:%B %Y}"
        return f"{stamp.day} {stamp:%B %Y}–{end.day} {end:%B %Y}"
    return {"year": f"{stamp.year}", "month": f"{stamp:%B %Y}"}.get(
        row["date_precision"], f"{stamp.day} {stamp:%B %Y}")


class TimelineTable(SphinxDirective):
    """``{timeline-table} data`` with ``:ids:`` (``;``-separated event ids, in date order)."""

    required_arguments = 1
    option_spec = {"ids": _names}

    def run(self) -> list[nodes.Node]:
        from .data import load_timeline

        table = _load(self, load_timeline, "timeline.csv")
        if table is None:
            return []
        wanted = self.options.get("ids")
        if wanted:
            for missing in sorted(set(wanted) - set(table["id"])):
                logger.error(f"timeline-table: no event {missing!r} in timeline.csv",
                             location=(self.env.docname, self.lineno))
            table = table[table["id"].isin(wanted)]
        # No-break spaces: a date is read as one unit and never wraps ("22 June" on one
        # line, "2024" on the next); the column is wide enough for the longest one.
        rows = [[_date_label(row).replace(" ", "\u00a0"),
                 row["event"] + (" (later development)" if row["later"] else "")]
                for _, row in table.sort_values("date", kind="stable").iterrows()]
        return compact_table([["Date", "Event"]], rows, [22, 78])


class ActorsTable(SphinxDirective):
    """``{actors-table} data``: each actor's position and key statement. An actor with
    no statement on record gets the data's summary of what was reported instead (in
    our words, so without quotation marks): no cell is left empty."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from .data import load_actors

        table = _load(self, load_actors, "actors.csv")
        if table is None:
            return []
        rows = []
        for _, row in table.fillna("").iterrows():
            said = (f"\u201c{row['key_statement']}\u201d ({row['statement_by']})"
                    if row["key_statement"] else row["summary"])
            rows.append([row["actor"], row["position"], said])
        return compact_table([["Actor", "Position", "Key statement, or what was reported"]], rows,
                             [22, 20, 58])


def hide_solutions_in_student_print(app) -> None:
    """``builder-inited``: printed student editions carry exercises without solutions.

    sphinx-exercise reads ``hide_solutions`` while documents are parsed, which comes
    after this event; the PDF builds have their own doctree cache, so the HTML
    edition keeps its dropdown solutions.
    """
    edition = getattr(app.config, "quizkit_edition", "student")
    if app.builder.format == "latex" and edition != "instructor":
        app.config.hide_solutions = True


INSTRUCTOR_MARK = "Instructor edition \u2014 contains answer keys"
# On every page of the instructor PDF, the cover included, above the running header:
# a LaTeX kernel hook, so that it works whatever the document class draws.
INSTRUCTOR_PREAMBLE = r"""
\AddToHook{shipout/foreground}{\put(0,0){\raisebox{-1.1cm}[0pt][0pt]{%
  \makebox[\paperwidth][c]{\sffamily\small\bfseries MARK}}}}
""".replace("MARK", INSTRUCTOR_MARK)


def mark_instructor_print(app) -> None:
    """``builder-inited``: the instructor PDF says on every page what it is."""
    if app.builder.format == "latex" and getattr(app.config, "quizkit_edition", "") == "instructor":
        # The LaTeX builder has copied latex_elements into its context by now.
        context = app.builder.context
        context["preamble"] = context.get("preamble", "") + INSTRUCTOR_PREAMBLE


def no_code_in_print(app) -> None:
    """``builder-inited``: printed editions show the notebooks' outputs (tables,
    figures) without the Python that made them, which readers of a politics module
    on paper do not need; the site keeps the code. myst-nb has made its settings at
    this point (it runs first), so they are changed for print here; the PDF builds
    have doctree caches of their own."""
    config = getattr(app.env, "mystnb_config", None)
    if app.builder.format == "latex" and config is not None:
        app.env.mystnb_config = config.copy(remove_code_source=True)


def setup(app):
    app.add_directive("csv-glossary", CsvGlossary)
    app.add_directive("timeline-table", TimelineTable)
    app.add_directive("actors-table", ActorsTable)
    app.connect("builder-inited", hide_solutions_in_student_print)
    # Print: figure and exercise numbers as online; notebook tables as tables.
    app.setup_extension("resolve_book.print_numbers")
    app.setup_extension("resolve_book.print_tables")
    # Incremental builds: pages rewritten when the bibliography's numbers change.
    app.setup_extension("resolve_book.citation_numbers")
    app.connect("builder-inited", mark_instructor_print)
    app.connect("builder-inited", no_code_in_print)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
