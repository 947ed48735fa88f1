"""CSV answer key: read back with the csv module, one row per item, every type."""

from __future__ import annotations

import csv
import io

from quizkit.export import Options
from quizkit.export.csv_key import COLUMNS, to_csv_key
from support.exports import fixture_banks, fixture_items


def _rows() -> tuple[list, list[dict[str, str]]]:
    items = fixture_items()
    output = to_csv_key(items, fixture_banks(), Options())
    text = output.data.decode("utf-8")
    assert not text.startswith("\ufeff")
    return items, list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_header_names_every_column():
    output = to_csv_key(fixture_items(), fixture_banks())
    assert output.data.decode().splitlines()[0] == ",".join(COLUMNS)


def test_one_row_per_item_numbered_in_order_with_nothing_skipped():
    items, rows = _rows()
    assert [(r["question"], r["item_id"]) for r in rows] == [
        (str(n), i.id) for n, i in enumerate(items, start=1)]


def test_every_field_round_trips_exactly_special_characters_included():
    items, rows = _rows()
    bank_of = {item.id: bank.name for bank in fixture_banks() for item in bank.items}
    for item, row in zip(items, rows):
        assert row == {
            "question": row["question"], "item_id": item.id, "bank": bank_of[item.id],
            "type": item.type, "pool": item.pool, "difficulty": item.difficulty,
            "answer": item.answer_text(), "points": "1", "explanation": item.explanation,
            "source": item.source.citation_text(), "objective": item.objective,
        }


def test_answers_are_written_in_words_for_every_type():
    _, rows = _rows()
    answer = {r["item_id"]: r["answer"] for r in rows}
    assert answer["mini-q01"] == "22 June 2024"
    assert answer["mini-q02"] == ("Regional cooperation; Socio-economic measures; "
                                  "Intelligence-based operations")
    assert answer["mini-q03"] == "292 (+/- 2) deaths"
    assert answer["mini-q04"] == "Rah-e-Nijat (also accepted: Rah-e-Nijaat, Operation Rah-e-Nijat)"
    assert answer["mini-q05"].startswith("1. The ceasefire ends; 2. ")
    assert answer["mini-q06"].startswith("JUI-F: calls it an instability operation; ")
