"""quizkit.csvfiles: the one CSV writer, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from quizkit.csvfiles import csv_text, neutralise, restore_cell


@pytest.mark.parametrize("cell, shown", [
    ("=1+1", "'=1+1"), ("+41 22 000", "'+41 22 000"), ("-x", "'-x"), ("@cmd", "'@cmd"),
    ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-0.25", "-0.25"), ("+3", "+3"), ("1e-5", "1e-5"), ("S01", "S01"), ("", ""),
    ("'=already quoted text", "'=already quoted text"),
])
def test_formula_cells_get_a_leading_quote_numbers_do_not(cell, shown):
    assert neutralise(cell) == shown
    if shown != cell:
        assert restore_cell(shown) == cell


def test_csv_text_writes_every_cell_neutralised_and_quotes_what_csv_needs():
    text = csv_text([["id", "note"], ["=A1", 'say "hi", then go']])
    assert list(csv.reader(io.StringIO(text))) == [["id", "note"],
                                                   ["'=A1", 'say "hi", then go']]
    assert text.endswith("\n") and "\r" not in text
