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


# -- notebook tables in print (resolve_book.print_tables) -------------------------------

def test_a_dataframe_html_table_is_read_back_as_its_cells():
    import pandas as pd

    from resolve_book.print_tables import parse_dataframe_html

    frame = pd.DataFrame({"Date": ["2009-05-16", "2024-06-27/2024-06-28"],
                          "Event": ["Rah-e-Rast & Swat", "An interview <reported>"]})
    table = parse_dataframe_html(frame.set_index("Date")._repr_html_())
    # The index's name, on a header row of its own in pandas, joins the column names.
    assert table.header_rows == [["Date", "Event"]]
    assert table.rows == [["2009-05-16", "Rah-e-Rast & Swat"],
                          ["2024-06-27/2024-06-28", "An interview <reported>"]]
    assert table.stubs == 1
    assert parse_dataframe_html('<table class="timeline-table"><tr><td>x</td></tr></table>') is None


def test_a_two_level_index_keeps_its_rows_and_both_header_rows():
    import pandas as pd

    from resolve_book.print_tables import parse_dataframe_html

    frame = pd.DataFrame({"tracker": ["PICSS", "PICSS", "PIPS"], "metric": ["attacks", "deaths", "deaths"],
                          "2022": ["376", "533", "419"]}).set_index(["tracker", "metric"])
    frame.columns.name = "year covered"
    table = parse_dataframe_html(frame._repr_html_())
    # "year covered" and "metric" share a column, so the header keeps two rows.
    assert table.header_rows == [["", "year covered", "2022"], ["tracker", "metric", ""]]
    # pandas spans the repeated "PICSS" over two rows: its second row is left blank.
    assert table.rows == [["PICSS", "attacks", "376"], ["", "deaths", "533"], ["PIPS", "deaths", "419"]]
    assert table.stubs == 2


def test_columns_are_never_narrower_than_their_longest_word():
    from resolve_book.print_tables import LINE_CHARS, DataFrameTable, column_widths

    long_text = " ".join(["word"] * 60)
    table = DataFrameTable([["Date", "Event", "Confidence"]],
                           [["2009-05-16", long_text, "single-source"]], stubs=1)
    date, event, confidence = column_widths(table)
    assert date >= len("2009-05-16") and confidence >= len("Confidence")
    assert event > date + confidence, "the long text takes what is left of the line"
    assert abs(date + event + confidence - LINE_CHARS) <= 2
    # A table that fits keeps its natural widths.
    assert column_widths(DataFrameTable([["A", "B"]], [["x", "y"]], stubs=0)) == [4, 4]
