"""Every CSV file quizkit writes, written one way: safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel and LibreOffice as a formula, so a student id typed as ``=HYPERLINK(…)`` would run
when the instructor opens scores.csv. Following OWASP's advice on CSV injection, such a
cell is written with a single quote in front (``'=HYPERLINK(…)``), which a spreadsheet
shows as text; a plain number such as ``-0.25`` is left as it is. quizkit strips that
quote again when it reads back a file it wrote (``restore_cell``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def neutralise(cell: object) -> str:
    """The cell as text a spreadsheet shows, never runs."""
    text = "" if cell is None else str(cell)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """The inverse of ``neutralise`` for a cell read back from a file quizkit wrote."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_text(rows: Iterable[Iterable[object]], *, text_columns: int | None = None) -> str:
    """Rows as CSV text (UTF-8, "\\n" line ends), every cell neutralised.

    ``text_columns``: only the first so many columns of each row can hold text from
    outside (the rest are numbers quizkit computed), so only they need the check."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if text_columns is None:
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
    else:
        for row in rows:
            row = list(row)
            row[:text_columns] = [neutralise(cell) for cell in row[:text_columns]]
            writer.writerow(row)
    return buffer.getvalue()
