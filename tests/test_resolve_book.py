"""The book's own helpers: dates in the handout's tables are as precise as the data."""

from __future__ import annotations

from resolve_book.data import load_timeline
from resolve_book import _date_label


def test_dates_are_written_with_the_precision_the_data_gives():
    rows = load_timeline().set_index("id")
    assert _date_label(rows.loc["tl-2024-06-22-apex-approval"]) == "22 June 2024"
    assert _date_label(rows.loc["tl-2024-06-23-party-reactions"]) == "23\u201325 June 2024"
    assert _date_label(rows.loc["tl-2024-06-27-asif-voa"]) == "27\u201328 June 2024"
    assert _date_label(rows.loc["tl-2015-apex-committees"]) == "2015"
