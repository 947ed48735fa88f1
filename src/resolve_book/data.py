"""The book's data layer: load and validate the files in ``data/``.

Chapters, the glossary directive and the tests read the data only through these
loaders, so a fact lives in one file and one bad row fails loudly in one place. Each
loader checks its whole file and raises a single ``QuizkitError`` listing every problem
as ``In data/timeline.csv, line 7: <rule broken>`` (the CSV header is line 1). The
columns and allowed values are documented in ``data/README.md``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

import pandas as pd

from quizkit.errors import Problems, QuizkitError
from quizkit.files import read_user_text
from quizkit.sources import ID, reference_keys
from quizkit.yaml_lines import LocatedDict, YamlSyntaxError, load_located

#: The data folder of this checkout; every loader takes ``data_dir`` to read another.
DATA_DIR = Path(__file__).resolve().parents[2] / "data"

CONFIDENCE = ("verified", "single-source", "uncertain")
TIMELINE_ACTORS = (
    "United States", "Pakistan government", "Pakistan military", "TTP", "Afghan Taliban",
    "China", "PTI", "JUI-F", "PPP", "United Nations", "al-Qaeda", "BLA", "ISKP",
)
CATEGORIES = ("us-pakistan", "operation", "attack", "afghanistan", "policy", "statement")
ACTOR_TYPES = (
    "government", "military", "party", "armed group", "foreign government",
    "international organization",
)
UNITS = ("people", "attacks", "percent", "USD", "rank")
RELIABILITY = ("low", "low to moderate", "moderate", "moderate to high", "high")
MAX_QUOTE_WORDS = 25  # a key statement is a short quotation, never a passage

COLUMNS = {
    "timeline.csv": ("id", "date", "date_precision", "event", "actors", "category", "refs",
                     "confidence", "note", "later"),
    "statistics.csv": ("id", "tracker", "subject", "metric", "year", "value", "value_low",
                       "value_high", "unit", "refs", "caveat", "confidence"),
    "actors.csv": ("actor", "actor_type", "position", "summary", "key_statement",
                   "statement_by", "statement_date", "refs", "confidence"),
    "glossary.csv": ("term", "abbreviation", "variants", "variants_note", "definition", "refs"),
}
# Columns that may be left empty; every other column is required.
OPTIONAL = {
    "timeline.csv": {"note"},
    "statistics.csv": {"value", "value_low", "value_high"},
    "actors.csv": {"key_statement", "statement_by", "statement_date"},
    "glossary.csv": {"abbreviation", "variants", "variants_note"},
}

DATE_FORMS = {"year": re.compile(r"\d{4}"), "month": re.compile(r"\d{4}-\d{2}"),
              "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
              # an ISO 8601 interval of days, for events the sources date only to a span
              # ("reported 27-28 June"): first and last day, both inclusive
              "range": re.compile(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}")}
PERIOD = re.compile(r"(\d{4})(?:-(\d{4}))?")
METRIC = re.compile(r"[a-z]+(?:_[a-z]+)*")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")  # plain figures only: no thousands separators, no "nan"
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def _read_text(path: Path) -> str:
    return read_user_text(path).text  # a spreadsheet's byte-order mark is accepted


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";")]


# ------------------------------------------------------------------ CSV files

def _read_rows(path: Path, problems: Problems) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with the line each starts on; header and empty cells checked."""
    columns, optional = COLUMNS[path.name], OPTIONAL[path.name]
    rows = []
    # newline="" keeps line ends as they are, as the csv module requires.
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header = [name.strip() for name in next(reader, [])]
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    if missing:
        problems.add(1, "missing column(s): " + ", ".join(missing))
    if extra:
        problems.add(1, "unexpected column(s): " + ", ".join(extra))
    if missing or extra or not header:
        return []
    # A quoted cell may span lines, so a row starts one line after the previous
    # row ended; reader.line_num is the line where the current row ends.
    end = reader.line_num
    for cells in reader:
        start, end = end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != len(header):
            problems.add(start, f"{len(cells)} cells but {len(header)} columns "
                                "(is a comma inside an unquoted cell?)")
            continue
        row = {name: cell.strip() for name, cell in zip(header, cells)}
        for name in columns:
            if name not in optional and not row[name]:
                problems.add(start, f"column '{name}' is empty")
        rows.append((start, row))
    return rows


def _load_csv(data_dir, name: str, unique: str, check_row) -> pd.DataFrame:
    """Read and check one CSV file; ``check_row(line, row, add)`` adds its own rules."""
    path = Path(data_dir) / name
    keys = reference_keys(data_dir)
    problems = Problems(path)
    rows = _read_rows(path, problems)
    first_line: dict[str, int] = {}
    for line, row in rows:
        value = row[unique]
        if value in first_line:
            problems.add(line, f"duplicate {unique} '{value}' (first on line {first_line[value]})")
        elif value:
            first_line[value] = line
        if unique == "id" and value and not ID.fullmatch(value):
            problems.add(line, f"id '{value}' must use lowercase letters, digits and single hyphens")
        for key in _split(row["refs"]) if row["refs"] else []:
            if key not in keys:
                problems.add(line, f"refs: '{key}' is not a key in references.bib")
        if "confidence" in row and row["confidence"] and row["confidence"] not in CONFIDENCE:
            problems.add(line, f"confidence '{row['confidence']}' is not one of: {', '.join(CONFIDENCE)}")
        check_row(line, row, problems.add)
    problems.raise_if_any()
    return pd.DataFrame([row for _, row in rows], columns=list(COLUMNS[name]))


def _check_choice(row: dict, column: str, allowed, add, line: int) -> None:
    if row[column] and row[column] not in allowed:
        add(line, f"{column} '{row[column]}' is not one of: {', '.join(allowed)}")


def _parse_date(text: str) -> tuple[str | None, _date | None]:
    """(precision, first day of the period) of an ISO date; (None, None) if malformed,
    (precision, None) if well formed but not a real date."""
    for precision, form in DATE_FORMS.items():
        if form.fullmatch(text):
            try:
                days = [_date(*([int(p) for p in part.split("-")] + [1, 1])[:3])
                        for part in text.split("/")]
            except ValueError:
                return precision, None
            if len(days) == 2 and days[1] <= days[0]:
                return precision, None  # a range must end after it starts
            return precision, days[0]
    return None, None


def _last_day(text: str, precision: str) -> _date:
    """The last day a date of this precision may fall on."""
    if precision == "range":
        return _date.fromisoformat(text.split("/")[1])
    first = _parse_date(text)[1]
    if precision == "year":
        return _date(first.year, 12, 31)
    if precision == "month":
        following = _date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return _date.fromordinal(following.toordinal() - 1)
    return first


def _check_date(text: str, column: str, add, line: int) -> tuple[str | None, _date | None]:
    precision, day = _parse_date(text)
    if precision is None:
        add(line, f"{column} '{text}' is not an ISO date (YYYY, YYYY-MM, YYYY-MM-DD "
                  "or a range YYYY-MM-DD/YYYY-MM-DD)")
    elif day is None:
        add(line, f"{column} '{text}' is not a real date"
                  + (", or its range does not end after it starts" if precision == "range" else ""))
    return precision, day


# ------------------------------------------------------------------ timeline.csv

def load_timeline(data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """Events in date order. ``date`` is a Timestamp (the first day of a month, year or
    range for coarser precision), ``date_end`` the last day the event may fall on,
    ``date_text`` the date as written, ``later`` a bool."""
    previous: list = []  # (line, date) of the last well-dated row, to check the order

    def check(line, row, add):
        precision, day = _check_date(row["date"], "date", add, line) if row["date"] else (None, None)
        _check_choice(row, "date_precision", tuple(DATE_FORMS), add, line)
        if precision and row["date_precision"] in DATE_FORMS and precision != row["date_precision"]:
            add(line, f"date '{row['date']}' has {precision} precision, "
                      f"but date_precision says '{row['date_precision']}'")
        for actor in _split(row["actors"]) if row["actors"] else []:
            if actor not in TIMELINE_ACTORS:
                add(line, f"actor '{actor}' is not in the vocabulary: {', '.join(TIMELINE_ACTORS)}")
        _check_choice(row, "category", CATEGORIES, add, line)
        _check_choice(row, "later", ("true", "false"), add, line)
        if day:
            if previous and day < previous[-1][1]:
                add(line, f"out of date order: {row['date']} comes after an event of "
                          f"{previous[-1][1].isoformat()} (line {previous[-1][0]})")
            previous.append((line, day))

    table = _load_csv(data_dir, "timeline.csv", "id", check)
    table.insert(1, "date_text", table["date"])
    table["date"] = pd.to_datetime([_parse_date(text)[1] for text in table["date_text"]])
    table.insert(3, "date_end", pd.to_datetime(
        [_last_day(text, precision)
         for text, precision in zip(table["date_text"], table["date_precision"])]))
    table["later"] = table["later"] == "true"
    return table


# ------------------------------------------------------------------ statistics.csv

def load_statistics(data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """One figure per row from one named tracker. ``value`` is a point figure;
    ``value_low``/``value_high`` a range, ``value_low`` alone a lower bound."""

    def check(line, row, add):
        filled = [column for column in ("value", "value_low", "value_high") if row[column]]
        if not filled:
            add(line, "no figure: fill value, or value_low and/or value_high")
        for column in filled:
            if not NUMBER.fullmatch(row[column]):
                add(line, f"{column} '{row[column]}' is not a number "
                          "(write 80000, not '80,000' or 'over 80000')")
        low, high = (float(row[c]) if NUMBER.fullmatch(row[c]) else None for c in ("value_low", "value_high"))
        if low is not None and high is not None and low > high:
            add(line, f"value_low {row['value_low']} is above value_high {row['value_high']}")
        # Trackers count differently, so a row never merges two of them.
        if ";" in row["tracker"] or "+" in row["tracker"]:
            add(line, f"tracker '{row['tracker']}' names more than one tracker; give each its own row")
        if row["metric"] and not METRIC.fullmatch(row["metric"]):
            add(line, f"metric '{row['metric']}' must be snake_case (e.g. change_in_deaths_pct)")
        period = PERIOD.fullmatch(row["year"])
        if row["year"] and (not period or (period.group(2) and period.group(2) < period.group(1))):
            add(line, f"year '{row['year']}' must be YYYY or a period YYYY-YYYY")
        _check_choice(row, "unit", UNITS, add, line)

    table = _load_csv(data_dir, "statistics.csv", "id", check)
    for column in ("value", "value_low", "value_high"):
        table[column] = pd.to_numeric(table[column].replace("", None), errors="raise").astype(float)
    return table


# ------------------------------------------------------------------ actors.csv

def load_actors(data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """Each actor's position, with at most one short verbatim key statement."""

    def check(line, row, add):
        _check_choice(row, "actor_type", ACTOR_TYPES, add, line)
        if row["statement_date"]:
            _check_date(row["statement_date"], "statement_date", add, line)
        if row["key_statement"]:
            words = len(row["key_statement"].split())
            if words > MAX_QUOTE_WORDS:
                add(line, f"key_statement has {words} words; a key statement is a short "
                          f"quotation of at most {MAX_QUOTE_WORDS}")
            if not row["statement_by"]:
                add(line, "key_statement is quoted but statement_by is empty")

    return _load_csv(data_dir, "actors.csv", "actor", check)


# ------------------------------------------------------------------ glossary.csv

def load_glossary(data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """Glossary terms in house spelling, with the variants the sources use."""
    headwords: dict[str, int] = {}  # term or abbreviation, lowercased → line

    def check(line, row, add):
        # Sphinx makes both the term and its abbreviation glossary entries and matches
        # them case-insensitively, so neither may repeat anywhere in the file.
        for word in (row["term"], row["abbreviation"]):
            if not word:
                continue
            if word.lower() in headwords and headwords[word.lower()] != line:
                add(line, f"'{word}' is already a term or abbreviation on line {headwords[word.lower()]}")
            headwords.setdefault(word.lower(), line)

    return _load_csv(data_dir, "glossary.csv", "term", check)


# ------------------------------------------------------------------ sources.yml

@dataclass(frozen=True)
class Source:
    """One of the module's source documents, with what FACTS.md found about it."""

    id: str
    seed_file: str
    title: str
    outlet: str | None
    authors: tuple[str, ...]
    date: str | None
    undated: bool
    date_estimate: str
    url: str | None
    genre: str
    reliability: str
    strengths: tuple[str, ...]
    errors: tuple[str, ...]
    notes: str


# key → (accepted types, may be null)
SOURCE_KEYS = {
    "id": (str, False), "seed_file": (str, False), "title": (str, False),
    "outlet": (str, True), "authors": (list, False), "date": ((str, _date), True),
    "undated": (bool, False), "date_estimate": (str, False), "url": (str, True),
    "genre": (str, False), "reliability": (str, False), "strengths": (list, False),
    "errors": (list, False), "notes": (str, False),
}


def _check_source(record: LocatedDict, keys: set[str], add) -> dict | None:
    """The record's values ready for ``Source``, or None when a key is missing or malformed."""
    line = record.line
    missing = [k for k in SOURCE_KEYS if k not in record]
    if missing:
        add(line, "record is missing key(s): " + ", ".join(missing))
    for key in record:
        if key not in SOURCE_KEYS:
            add(record.key_lines[key], f"unknown key '{key}'")
    for key, repeat_line, first in record.repeated_keys:
        add(repeat_line, f"key '{key}' repeated (first on line {first})")
    ok = not missing
    for key, (types, nullable) in SOURCE_KEYS.items():
        value = record.get(key)
        at = record.key_lines.get(key, line)
        if key not in record or (value is None and nullable):
            continue
        if isinstance(value, bool) != (types is bool) or not isinstance(value, types):
            expected = {str: "text", list: "a list", bool: "true or false"}.get(types, "an ISO date")
            add(at, f"'{key}' must be {expected}" + (" or null" if nullable else ""))
            ok = False
        elif types is list and not all(isinstance(item, str) and item.strip() for item in value):
            add(at, f"every entry of '{key}' must be non-empty text")
            ok = False
        elif isinstance(value, str) and not value.strip() and not nullable:
            add(at, f"'{key}' is empty")
            ok = False
    if not ok:
        return None
    values = {k: tuple(record[k]) if isinstance(record[k], list) else record[k] for k in SOURCE_KEYS}
    if isinstance(values["date"], _date):
        values["date"] = values["date"].isoformat()
    at = record.key_lines
    if values["id"] not in keys:
        add(at["id"], f"id '{values['id']}' is not a key in references.bib")
    if not SEED_FILE.fullmatch(values["seed_file"]):
        add(at["seed_file"], f"seed_file '{values['seed_file']}' is not a seed file name (NNN_<16 hex>.txt)")
    if values["reliability"] not in RELIABILITY:
        add(at["reliability"], f"reliability '{values['reliability']}' is not one of: {', '.join(RELIABILITY)}")
    if values["date"] is not None:
        _check_date(values["date"], "date", add, at["date"])
    if values["undated"] == (values["date"] is not None):
        add(at["undated"], "undated must be true exactly when date is null")
    return values


def load_sources(data_dir: Path | str = DATA_DIR) -> list[Source]:
    """The source documents in file order."""
    path = Path(data_dir) / "sources.yml"
    text = _read_text(path)
    keys = reference_keys(data_dir)
    problems = Problems(path)
    try:
        records = load_located(text)
    except YamlSyntaxError as err:
        raise QuizkitError.at(path, err.line, err.message) from None
    if not isinstance(records, list):
        raise QuizkitError.at(path, getattr(records, "line", 1), "must be a list of source records")
    sources, first_line = [], {}
    for record, line in zip(records, records.item_lines):
        if not isinstance(record, dict):
            problems.add(line, "each source record must be a mapping of keys")
            continue
        values = _check_source(record, keys, problems.add)
        if values is None:
            continue
        if values["id"] in first_line:
            problems.add(record.key_lines["id"],
                         f"duplicate id '{values['id']}' (first on line {first_line[values['id']]})")
        first_line.setdefault(values["id"], record.key_lines["id"])
        sources.append(Source(**values))
    problems.raise_if_any()
    return sources


def seed_ids(data_dir: Path | str = DATA_DIR) -> set[str]:
    """The ids of the source documents (their BibTeX keys)."""
    return {source.id for source in load_sources(data_dir)}
