"""The book's data layer (resolve_book.data): the real files in data/ load, agree with each other and with the
fact sheet's key figures, and every broken fixture fails with a message that names its
file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from quizkit.errors import QuizkitError
from quizkit.sources import reference_keys as _reference_keys
from resolve_book import data as datasets
from resolve_book.data import (
    DATA_DIR, load_actors, load_glossary, load_sources, load_statistics, load_timeline,
    seed_ids,
)


def reference_keys(data_dir: Path = DATA_DIR) -> set[str]:
    return _reference_keys(data_dir)

FIXTURES = Path(__file__).parent / "fixtures" / "data"

SEEDS = {"ida-2024", "isas-2024", "selfdefense-undated", "safi-2023", "khalid-2023"}


@pytest.fixture(scope="module")
def keys() -> set[str]:
    return reference_keys()


@pytest.fixture(scope="module")
def timeline() -> pd.DataFrame:
    return load_timeline()


@pytest.fixture(scope="module")
def statistics() -> pd.DataFrame:
    return load_statistics()


# ------------------------------------------------------------------ the real data

def test_data_dir_is_the_repository_data_folder():
    assert Path(__file__).resolve().parents[1] / "data" == DATA_DIR


@pytest.mark.parametrize("loader", [load_timeline, load_statistics, load_actors, load_glossary])
def test_every_table_loads_and_is_not_empty(loader):
    assert len(loader()) > 0


def test_seed_ids_are_exactly_the_five_source_documents():
    assert seed_ids() == SEEDS
    assert [s.seed_file[:3] for s in load_sources()] == ["000", "001", "002", "003", "004"]


def test_every_seed_is_undated_and_says_how_its_date_was_estimated():
    for source in load_sources():
        assert source.undated and source.date is None, source.id
        assert source.date_estimate, source.id
        assert source.errors, f"{source.id}: FACTS.md lists errors for every seed"


def test_every_referenced_id_exists_in_references_bib(keys):
    tables = [load_timeline(), load_statistics(), load_actors(), load_glossary()]
    used = {key.strip() for table in tables for cell in table["refs"] for key in cell.split(";")}
    assert used <= keys, sorted(used - keys)
    assert seed_ids() <= keys


def test_the_keys_other_files_rely_on_exist(keys):
    required = {
        "state-briefing-2024-06-25", "joint-statement-2024-05-13", "pmo-2024-06-22",
        "pmo-2024-06-24", "cabinet-2024-06-25", "gti-2023", "pips-2022", "picss-2022",
        "price-2023-01-03", "price-2023-01-05", "patel-2024-03-18", "state-2026-02-27",
        "dawn-2024-06-26-smallarms", "asif-voa-2024-06", "ispr-2024-05-07",
        "un-monitoring-2024-07", "ct-dialogue-2023-03", "nacta-nap-2014",
        "state-ttp-designation-2010", "fazl-2024-06-24", "trump-aid-2018",
        "state-aid-suspension-2018-01-04",
    }
    assert required | SEEDS <= keys, sorted(required - keys)


def test_timeline_dates_parse_and_match_their_precision(timeline):
    lengths = {"year": 4, "month": 7, "day": 10, "range": 21}
    for row in timeline.itertuples():
        assert len(row.date_text) == lengths[row.date_precision], row.id
        assert isinstance(row.date, pd.Timestamp), row.id
        assert row.date.strftime("%Y-%m-%d").startswith(row.date_text.split("/")[0]), row.id
        assert row.date <= row.date_end, row.id


def test_events_known_only_to_a_span_of_days_keep_that_span(timeline):
    # Reactions reported over 23-25 June, and an interview first reported 27-28 June:
    # the data must not claim a single day the sources do not give.
    rows = timeline.set_index("id")
    for event_id, first, last in [("tl-2024-06-23-party-reactions", "2024-06-23", "2024-06-25"),
                                  ("tl-2024-06-27-asif-voa", "2024-06-27", "2024-06-28")]:
        row = rows.loc[event_id]
        assert row["date_precision"] == "range"
        assert (row["date"], row["date_end"]) == (pd.Timestamp(first), pd.Timestamp(last))
    month = rows[rows["date_precision"] == "month"].iloc[0]
    assert month["date_end"] == month["date"] + pd.offsets.MonthEnd(0)


def test_timeline_has_forty_events_from_2001_to_2026_in_order(timeline):
    assert len(timeline) >= 40
    assert timeline["date"].min().year == 2001 and timeline["date"].max().year == 2026
    assert timeline["date"].is_monotonic_increasing


def test_timeline_marks_only_events_after_june_2024_as_later(timeline):
    after = timeline["date"] >= pd.Timestamp("2024-07-01")
    assert (timeline["later"] == after).all()
    approval = timeline.set_index("id").loc["tl-2024-06-22-apex-approval"]
    assert approval["date_text"] == "2024-06-22" and not approval["later"]


@pytest.mark.parametrize("loader, column", [
    (load_timeline, "id"), (load_statistics, "id"), (load_actors, "actor"), (load_glossary, "term"),
])
def test_ids_are_unique(loader, column):
    assert loader()[column].is_unique


def test_each_statistic_comes_from_one_tracker(statistics):
    for row in statistics.itertuples():
        assert ";" not in row.tracker and "+" not in row.tracker, row.id
    # the three 2022 trackers stay three separate series
    deaths_2022 = statistics[(statistics.metric == "deaths") & (statistics.year == "2022")]
    assert dict(zip(deaths_2022.tracker, deaths_2022.value)) == {"GTI 2023": 643, "PIPS": 419, "PICSS": 533}


def test_gti_figures_give_the_120_percent_rise(statistics):
    gti = statistics[(statistics.tracker == "GTI 2023") & (statistics.metric == "deaths")]
    by_year = dict(zip(gti.year, gti.value))
    assert by_year == {"2022": 643, "2021": 292}
    assert round(by_year["2022"] / by_year["2021"] - 1, 2) == 1.20
    change = statistics.set_index("id").loc["st-gti-change-deaths-2022", "value"]
    assert change == 120


def test_every_statistic_has_a_figure_and_ranges_are_ordered(statistics):
    has_figure = statistics[["value", "value_low", "value_high"]].notna().any(axis=1)
    assert has_figure.all()
    ranged = statistics.dropna(subset=["value_low", "value_high"])
    assert (ranged.value_low <= ranged.value_high).all()


def test_the_83000_figure_is_flagged_uncertain(statistics):
    row = statistics.set_index("id").loc["st-losses-safi-2023"]
    assert row["value"] == 83000 and row["confidence"] == "uncertain"
    assert "typo" in row["caveat"]


def test_key_statements_are_short_and_attributed():
    actors = load_actors()
    quoted = actors[actors.key_statement != ""]
    assert (quoted.key_statement.str.split().str.len() <= datasets.MAX_QUOTE_WORDS).all()
    assert (quoted.statement_by != "").all()
    china = actors.set_index("actor").loc["China"]
    # China's position rests on the confirmed joint statement of June 2024; the Xi wording
    # only the ISAS brief gives is mentioned as unconfirmed, never quoted as China's.
    assert "predictable" not in china["key_statement"]
    assert "joint statement" in china["statement_by"]
    assert "dawn-china-joint-statement-2024" in china["refs"].split(";")
    assert "do not confirm" in china["summary"] and "isas-2024" in china["refs"].split(";")


def test_glossary_headwords_do_not_repeat():
    glossary = load_glossary()
    words = [w.lower() for w in list(glossary.term) + list(glossary.abbreviation) if w]
    assert len(words) == len(set(words))


# ------------------------------------------------------------------ broken fixtures

# fixture file → (line the problem is reported on, fragment of the message)
EXPECTED = {
    "timeline__missing_column.csv": (1, "missing column(s): later"),
    "timeline__extra_column.csv": (1, "unexpected column(s): source"),
    "timeline__empty_event.csv": (3, "column 'event' is empty"),
    "timeline__not_a_real_date.csv": (3, "date '2024-06-31' is not a real date"),
    "timeline__malformed_date.csv": (2, "date '22 June 2024' is not an ISO date"),
    "timeline__date_precision_mismatch.csv": (4, "has month precision, but date_precision says 'day'"),
    "timeline__range_backwards.csv": (3, "its range does not end after it starts"),
    "timeline__unknown_category.csv": (4, "category 'military' is not one of"),
    "timeline__unknown_actor.csv": (3, "actor 'Taliban' is not in the vocabulary"),
    "timeline__unknown_confidence.csv": (3, "confidence 'probable' is not one of"),
    "timeline__duplicate_id.csv": (4, "duplicate id 'tl-2024-06-22-apex-approval' (first on line 2)"),
    "timeline__unknown_ref.csv": (3, "refs: 'dawn-2024' is not a key in references.bib"),
    "timeline__later_not_boolean.csv": (4, "later 'yes' is not one of: true, false"),
    "timeline__out_of_date_order.csv": (4, "out of date order: 2024-06-25 comes after an event of 2024-11-19 (line 3)"),
    "timeline__unquoted_comma.csv": (3, "12 cells but 10 columns"),
    # the note on line 2 spans lines 2-4, so the third row starts on line 6
    "timeline__bad_category_after_multiline_note.csv": (6, "category 'military' is not one of"),
    "statistics__value_not_a_number.csv": (3, "value 'over 400' is not a number"),
    "statistics__low_above_high.csv": (4, "value_low 6500 is above value_high 6000"),
    "statistics__no_figure.csv": (3, "no figure"),
    "statistics__merged_trackers.csv": (3, "tracker 'PIPS; PICSS' names more than one tracker"),
    "statistics__unknown_unit.csv": (4, "unit 'fighters' is not one of"),
    "statistics__bad_period.csv": (2, "year '2022-21' must be YYYY or a period YYYY-YYYY"),
    "statistics__unknown_confidence.csv": (3, "confidence 'seed only' is not one of"),
    "actors__unknown_actor_type.csv": (3, "actor_type 'political party' is not one of"),
    "actors__quote_too_long.csv": (4, "key_statement has 30 words"),
    "actors__quote_without_speaker.csv": (2, "key_statement is quoted but statement_by is empty"),
    "actors__bad_statement_date.csv": (2, "statement_date '24/06/2024' is not an ISO date"),
    "actors__duplicate_actor.csv": (4, "duplicate actor 'Pakistan Peoples Party (PPP)' (first on line 3)"),
    "glossary__headword_repeated.csv": (4, "'ttp' is already a term or abbreviation on line 3"),
    "glossary__unknown_ref.csv": (3, "refs: 'state-2010' is not a key in references.bib"),
    "glossary__missing_definition.csv": (4, "column 'definition' is empty"),
    "sources__missing_key.yml": (20, "record is missing key(s): genre"),
    "sources__unknown_key.yml": (13, "unknown key 'archive'"),
    "sources__id_not_in_references.yml": (20, "id 'safi-op-ed' is not a key in references.bib"),
    "sources__undated_not_boolean.yml": (10, "'undated' must be true or false"),
    "sources__undated_with_date.yml": (27, "undated must be true exactly when date is null"),
    "sources__yaml_syntax_error.yml": (22, "YAML syntax error"),
    "sources__duplicate_id.yml": (20, "duplicate id 'isas-2024' (first on line 2)"),
    "sources__not_a_list.yml": (2, "must be a list of source records"),
    "references__duplicate_key.bib": (15, "duplicate key 'isas-2024' (first on line 3)"),
    "references__key_not_lowercase.bib": (9, "key 'GTI_2023' must use lowercase letters"),
    "references__missing_title.bib": (9, "entry 'gti-2023' has no title"),
    "references__syntax_error.bib": (12, "BibTeX syntax error"),
}

# the part of a fixture's name before "__" says which data file it replaces
LOADERS = {
    "timeline": ("timeline.csv", load_timeline),
    "statistics": ("statistics.csv", load_statistics),
    "actors": ("actors.csv", load_actors),
    "glossary": ("glossary.csv", load_glossary),
    "sources": ("sources.yml", load_sources),
    "references": ("references.bib", reference_keys),
}


def test_every_fixture_has_an_expected_message():
    on_disk = {path.name for path in FIXTURES.iterdir()}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*__*")), ids=lambda p: p.stem)
def test_a_broken_file_fails_naming_file_and_line(fixture, tmp_path):
    target, loader = LOADERS[fixture.name.split("__")[0]]
    line, fragment = EXPECTED[fixture.name]
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)  # every other file stays valid
    shutil.copy(fixture, data / target)
    with pytest.raises(QuizkitError) as caught:
        loader(data)
    problems = caught.value.problems
    assert len(problems) == 1, f"a fixture has exactly one defect: {caught.value}"
    assert problems[0].path.endswith(target) and problems[0].line == line, str(caught.value)
    assert f"{target}, line {line}: " in str(caught.value)
    assert fragment in str(caught.value)


def test_a_missing_file_is_reported_by_name(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    (tmp_path / "data" / "timeline.csv").unlink()
    with pytest.raises(QuizkitError, match=r"timeline\.csv: file not found"):
        load_timeline(tmp_path / "data")
