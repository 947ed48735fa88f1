"""Sphinx helpers for the book itself (not for quizzes).

``csv-glossary``: turns ``data/glossary.csv`` into a Sphinx glossary, so that the
glossary has one source of truth and chapters can link terms with ``{term}``.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Parser as RstParser
from docutils.utils import new_document
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from quizkit.datasets import load_glossary
from quizkit.errors import QuizkitError

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


class CsvGlossary(SphinxDirective):
    """``{csv-glossary} data`` — the argument is the data folder, relative to the book."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        data_dir = Path(self.env.srcdir) / self.arguments[0]
        try:
            table = load_glossary(data_dir)
        except QuizkitError as err:
            for problem in err.problems:
                logger.error(str(problem), location=(self.env.docname, self.lineno))
            return []
        self.env.note_dependency(str(data_dir / "glossary.csv"))
        rows = [
            {k: ("" if v != v else v) for k, v in rec.items()}  # NaN → ""
            for rec in table.to_dict("records")
        ]
        # The glossary is generated as RST and parsed as RST even on a MyST page:
        # nested_parse would hand it to the page's own (Markdown) parser.
        document = new_document(str(data_dir / "glossary.csv"), self.state.document.settings)
        RstParser().parse("\n".join(glossary_rst(rows)), document)
        return document.children


def setup(app):
    app.add_directive("csv-glossary", CsvGlossary)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
