"""The key CSV written by `quizkit paper` (quizkit.paper.key) and read by `quizkit grade`
(quizkit.grading.key), the paper notation, and the reading of what students write."""

from __future__ import annotations

import pytest

from quizkit.catalog import Catalog
from quizkit.errors import QuizkitError
from quizkit.grading.key import (
    InvalidAnswerError, key_from_items, read_key, row_mismatch, to_model_response,
)
from quizkit.model import Bank, Item, NumericAnswer, Option, Pair, Source
from quizkit.notation import answer_in_paper_notation
from quizkit.paper.key import KEY_COLUMNS, KeyRow, write_key
from support.items import make_item

SOURCE = Source("other-book", locator="chapter 2")
HEADER = ",".join(KEY_COLUMNS)


def make(item_id: str, item_type: str, **fields) -> Item:
    return make_item(item_id, type=item_type, stem="s?", source=SOURCE,
                     options=fields.pop("options", ()), **fields)


SINGLE = make("demo-single", "single", options=(
    Option("a"), Option("b", correct=True), Option("c"), Option("d")))
MULTIPLE = make("demo-multiple", "multiple", options=(
    Option("a", True), Option("b"), Option("c", True), Option("d")))
NUMERIC = make("demo-numeric", "numeric", answer=NumericAnswer(292), unit="deaths")
TEXT = make("demo-text", "text", accept=("Rah-e-Nijat", "Rah-e-Nijaat"))
ORDER = make("demo-order", "order", events=("first", "second", "third", "fourth"))
MATCH = make("demo-match", "match", pairs=(Pair("JUI-F", "opposes"), Pair("US", "supports"),
                                           Pair("China", "asks for security")))
ITEMS = (SINGLE, MULTIPLE, NUMERIC, TEXT, ORDER, MATCH)

# One shuffled version of each item, as a paper would print it.
SHUFFLED = {
    SINGLE.id: KeyRow("B", 1, SINGLE.id, "demo", "single", "D", (2, 0, 3, 1)),
    MULTIPLE.id: KeyRow("B", 2, MULTIPLE.id, "demo", "multiple", "BD", (3, 0, 1, 2)),
    NUMERIC.id: KeyRow("B", 3, NUMERIC.id, "demo", "numeric", "292"),
    TEXT.id: KeyRow("B", 4, TEXT.id, "demo", "text", "Rah-e-Nijat"),
    ORDER.id: KeyRow("B", 5, ORDER.id, "demo", "order", "CADB", (1, 3, 0, 2)),
    MATCH.id: KeyRow("B", 6, MATCH.id, "demo", "match", "BCA", (2, 0, 1)),
}


def write(tmp_path, text: str, name: str = "key.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- round trip -----------------------------------------------------------------


def test_write_then_read_gives_the_same_rows(tmp_path):
    rows = list(SHUFFLED.values()) + [
        KeyRow("A", 1, TEXT.id, "demo", "text", 'He said "no", then left', points=2.5)]
    path = tmp_path / "key.csv"
    write_key(rows, path)
    assert read_key(path) == rows
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    assert lines[1] == "B,1,demo-single,demo,single,D,2 0 3 1,1"
    assert lines[3] == "B,3,demo-numeric,demo,numeric,292,,1"


def test_write_key_never_overwrites(tmp_path):
    path = write(tmp_path, "keep me")
    with pytest.raises(QuizkitError, match="already exists"):
        write_key(list(SHUFFLED.values()), path)
    assert path.read_text(encoding="utf-8") == "keep me"


def test_read_key_accepts_a_byte_order_mark_and_blank_points(tmp_path):
    path = tmp_path / "key.csv"
    path.write_bytes(("\ufeff" + HEADER + "\nA,1,demo-single,demo,single,B,0 1 2 3,\n")
                     .encode("utf-8"))
    assert read_key(path) == [KeyRow("A", 1, SINGLE.id, "demo", "single", "B", (0, 1, 2, 3))]


# -- read_key errors: file and line ------------------------------------------------

GOOD = "A,1,demo-single,demo,single,B,0 1 2 3,1\n"


@pytest.mark.parametrize("text, line, rule", [
    ("version,question,item_id,bank,type,answer,points\n" + "A,1,x,demo,text,y,1\n",
     1, "missing column option_order"),
    (HEADER + ",notes\n", 1, "unknown column notes"),
    (HEADER + "\n" + GOOD + "A,2,demo-x,demo,essay,yes,,1\n", 3, "unknown type 'essay'"),
    (HEADER + "\n" + GOOD + "A,2,demo-single,demo,single,B,0 1 1 3,1\n", 3,
     "bad option_order '0 1 1 3'"),
    (HEADER + "\n" + GOOD + "A,2,demo-single,demo,single,B,0 one 2,1\n", 3,
     "bad option_order '0 one 2'"),
    (HEADER + "\n" + GOOD + "A,2,demo-numeric,demo,numeric,292,0 1,1\n", 3,
     "option_order must be empty for a numeric item"),
    (HEADER + "\n" + GOOD + "A,1,demo-text,demo,text,yes,,1\n", 3,
     "version A question 1 appears twice (first on line 2)"),
    (HEADER + "\n" + GOOD + "a,2,demo-text,demo,text,yes,,1\n", 3, "one capital letter"),
    (HEADER + "\n" + GOOD + "A,two,demo-text,demo,text,yes,,1\n", 3, "whole number"),
    (HEADER + "\n" + GOOD + "A,2,demo-single,demo,single,E,0 1 2 3,1\n", 3,
     "uses 'E'; a question with 4 choices uses the letters ABCD"),
    (HEADER + "\n" + GOOD + "A,2,demo-order,demo,order,CAD,1 3 0 2,1\n", 3,
     "must have 4 letters"),
    (HEADER + "\n" + GOOD + "A,2,demo-text,demo,text,,,1\n", 3, "answer is empty"),
    (HEADER + "\n" + GOOD + "A,2,demo-text,demo,text,yes,,-1\n", 3, "0 or more"),
    (HEADER + "\n" + GOOD + "A,2,demo-text,demo,text,yes\n", 3, "expected 8 cells, found 6"),
    (HEADER + "\n" + GOOD + "A,3,demo-text,demo,text,yes,,1\n", 3,
     "version A has question 3 but no question 2"),
    (HEADER + "\n", 1, "no rows"),
    ("", 1, "the key is empty"),
])
def test_read_key_names_file_line_and_rule(tmp_path, monkeypatch, text, line, rule):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text)
    with pytest.raises(QuizkitError) as caught:
        read_key("key.csv")
    message = str(caught.value)
    assert f"In key.csv, line {line}: " in message
    assert rule in message


def test_read_key_rejects_other_encodings_and_missing_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "key.csv").write_bytes((HEADER + "\nA,1,demo-text,demo,text,caf\xe9,,1\n")
                                       .encode("latin-1"))
    with pytest.raises(QuizkitError, match=r"In key.csv, line 2: .*not UTF-8"):
        read_key("key.csv")
    with pytest.raises(QuizkitError, match="In nowhere.csv: file not found"):
        read_key("nowhere.csv")


# -- what a student wrote --------------------------------------------------------


@pytest.mark.parametrize("item, written, response", [
    (SINGLE, "A", 2),
    (SINGLE, " d ", 1),            # lowercase and spaces
    (SINGLE, "", None),
    (SINGLE, "   ", None),
    (SINGLE, None, None),
    (MULTIPLE, "BD", {0, 2}),
    (MULTIPLE, "db", {0, 2}),      # any order, any case
    (MULTIPLE, "b, d", {0, 2}),
    (MULTIPLE, "A", {3}),
    (NUMERIC, " 292 ", 292.0),
    (NUMERIC, "1,292", 1292.0),
    (NUMERIC, "292 deaths", 292.0),  # the unit copied from the paper
    (NUMERIC, "", None),
    (TEXT, "  rah-e-nijat ", "rah-e-nijat"),
    (TEXT, "", None),
    (ORDER, "CADB", [0, 1, 2, 3]),
    (ORDER, "c a d b", [0, 1, 2, 3]),
    (ORDER, "ABCD", [1, 3, 0, 2]),
    (MATCH, "BCA", {0: 0, 1: 1, 2: 2}),
    (MATCH, "bca", {0: 0, 1: 1, 2: 2}),
    (MATCH, "AAA", {0: 2, 1: 2, 2: 2}),  # a wrong answer, not an unreadable one
])
def test_to_model_response(item, written, response):
    assert to_model_response(item, SHUFFLED[item.id], written) == response


@pytest.mark.parametrize("item, written, rule", [
    (SINGLE, "E", "'E' is not one of the letters A–D"),
    (SINGLE, "1", "'1' is not one of the letters A–D"),
    (SINGLE, "AB", "takes one letter, not 2"),
    (MULTIPLE, "ABA", "letter A written more than once"),
    (MULTIPLE, "AX", "'X' is not one of the letters"),
    (NUMERIC, "about 300", "'about 300' is not a number"),
    (NUMERIC, "inf", "not a finite number"),
    (ORDER, "CAD", "takes all 4 letters A–D, each once; got 3"),
    (ORDER, "CADA", "letter A written more than once"),
    (ORDER, "CADE", "'E' is not one of the letters A–D"),
    (MATCH, "BC", "one letter for each of its 3 entries; got 2"),
    (MATCH, "BCD", "'D' is not one of the letters A–C"),
])
def test_to_model_response_rejects_impossible_answers(item, written, rule):
    with pytest.raises(InvalidAnswerError, match=rule):
        to_model_response(item, SHUFFLED[item.id], written)


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.type)
def test_the_keys_own_answer_is_correct_and_a_wrong_one_is_not(item):
    row = SHUFFLED[item.id]
    assert item.is_correct(to_model_response(item, row, row.answer))
    wrong = {"single": "A", "multiple": "B", "numeric": "293", "text": "Swat",
             "order": "ABCD", "match": "ABC"}[item.type]
    assert not item.is_correct(to_model_response(item, row, wrong))


def test_a_key_that_no_longer_fits_the_bank_is_refused():
    row = SHUFFLED[SINGLE.id]
    three = make(SINGLE.id, "single", options=SINGLE.options[:3])
    assert "has 3 options in the bank" in row_mismatch(row, three)
    with pytest.raises(InvalidAnswerError, match="changed after the paper was printed"):
        to_model_response(three, row, "A")
    with pytest.raises(InvalidAnswerError, match="single item in the bank but a text item"):
        to_model_response(SINGLE, KeyRow("B", 1, SINGLE.id, "demo", "text", "x"), "A")


# -- keys straight from a bank ----------------------------------------------------


def test_key_from_items_uses_bank_order():
    bank = Bank("my-bank", "Demo", ITEMS)
    rows = key_from_items(ITEMS, Catalog([bank]))
    assert [(r.version, r.question, r.answer, r.option_order, r.bank) for r in rows] == [
        ("A", 1, "B", (0, 1, 2, 3), "my-bank"),
        ("A", 2, "AC", (0, 1, 2, 3), "my-bank"),
        ("A", 3, "292", (), "my-bank"),
        ("A", 4, "Rah-e-Nijat", (), "my-bank"),
        ("A", 5, "ABCD", (0, 1, 2, 3), "my-bank"),
        ("A", 6, "ABC", (0, 1, 2), "my-bank"),
    ]
    assert key_from_items(ITEMS, Catalog([bank]), "C")[0].version == "C"
    for item, row in zip(ITEMS, rows):
        assert item.is_correct(to_model_response(item, row, row.answer))


def test_answer_in_paper_notation_follows_the_shown_order():
    for item in ITEMS:
        row = SHUFFLED[item.id]
        assert answer_in_paper_notation(item, row.option_order) == row.answer
