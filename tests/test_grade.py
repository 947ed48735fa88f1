"""Grading (quizkit.grading): reading responses, scoring through the key, exceptions,
output files, the ``quizkit grade`` command and the simulated sample class."""

from __future__ import annotations

import csv
import dataclasses
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from quizkit.errors import QuizkitError
from quizkit.grading import (
    analyse, bank_key, grade, paper_key, read_key, read_responses, scoring, summary_lines,
    write_tables,
)
from quizkit.grading.simulate import PAPER, SAMPLE_DIR, sample_class, write_responses
from quizkit.paper.key import write_key
from quizkit.project import load_catalog
from support.cli import run_quizkit
from support.grading import BROKEN, FIXTURES, demo_catalog, demo_key

ROOT = Path(__file__).resolve().parents[1]

# Each broken file: (file-level error, or row set aside), the line, words of the rule.
EXPECTED = {
    "empty.csv": ("error", 1, "the file is empty"),
    "header_only.csv": ("error", 1, "has a header but no student rows"),
    "not_utf8.csv": ("error", 3, "not UTF-8 text"),
    "unknown_question_column.csv": ("error", 1, "unknown column 7"),
    "missing_question_column.csv": ("error", 1, "no column for question 6"),
    "no_student_id_column.csv": ("error", 1, "no student_id column"),
    "no_version_column.csv": ("error", 1, "no version column"),
    "repeated_column.csv": ("error", 1, "column 3 appears more than once"),
    "unknown_version.csv": ("row", 3, "version C is not in the key"),
    "missing_version.csv": ("row", 3, "no version"),
    "duplicate_student.csv": ("row", 2, "student_id S01 is on 2 rows (lines 2, 4)"),
    "answer_not_an_option.csv": ("row", 3, "question 1: 'E' is not one of the letters A–D"),
    "answer_not_a_number.csv": ("row", 3, "question 4: 'lots' is not a number"),
    "missing_student_id.csv": ("row", 3, "student_id is empty"),
    "wrong_cell_count.csv": ("row", 3, "the row has 7 cells but the header has 8"),
}


def grade_file(path: Path):
    return grade(read_responses(path), demo_key())


def write(tmp_path: Path, text: str, name: str = "responses.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- scoring ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return grade_file(FIXTURES / "responses.csv")


def test_scores_follow_the_key_of_each_version(demo):
    # Worked out by hand in fixtures/grade/responses.csv (see the comments below).
    assert demo.student_ids == [f"S0{i}" for i in range(1, 9)]
    assert demo.points.tolist() == [6, 6, 3, 3, 4, 0, 3, 2]
    assert demo.answered.tolist() == [6, 6, 5, 6, 6, 0, 6, 6]
    assert demo.max_points.tolist() == [6] * 8
    # S03 (version A): q1 "A" is bank option 2 (wrong), q3 300 (wrong), q4 blank.
    assert demo.question_scores[2].tolist() == [0, 1, 0, 0, 1, 1]


def test_answers_are_read_as_students_write_them(demo):
    # S05 writes "d" and "B, D"; S02 "rah-e-nijaat"; S04 "292 deaths" and "CA".
    s05, s02, s04 = demo.question_scores[4], demo.question_scores[1], demo.question_scores[3]
    assert s05[:4].tolist() == [1, 1, 1, 1]
    assert s02[2] == 1
    assert s04[3] == 1 and s04[4] == 1


def test_items_are_aggregated_across_versions_by_id(demo):
    assert demo.item_ids == [f"demo-q{i}" for i in range(1, 7)]
    # demo-q1 is question 1 on A and question 6 on B: right for S01, S02, S05, S08.
    assert demo.scores[:, 0].tolist() == [1, 1, 0, 0, 1, 0, 0, 1]


def test_option_choices_are_mapped_back_to_bank_order(demo):
    # demo-q1: A shows bank options 2 0 3 1 on version A, 1 0 2 3 on version B.
    chosen = demo.choices["demo-q1"]  # columns: bank options 0..3, then blank
    assert chosen.sum(axis=0).tolist() == [2, 4, 1, 0, 1]
    assert chosen[2].tolist() == [0, 0, 1, 0, 0]  # S03 wrote "A" on version A


def test_to_model_response_runs_once_per_distinct_answer(monkeypatch, tmp_path):
    key = demo_key()  # checks the key's own answers first: not counted below
    calls = []
    real = scoring.to_model_response

    def counting(item, row, written):
        calls.append((row.version, row.question, written))
        return real(item, row, written)

    monkeypatch.setattr(scoring, "to_model_response", counting)
    rows = "".join(f"S{n:03d},A,D,BD,292,Rah-e-Nijat,BDAC,CAB\n" for n in range(200))
    graded = grade(read_responses(write(tmp_path, "student_id,version,1,2,3,4,5,6\n" + rows)),
                   key)
    assert len(graded.student_ids) == 200
    assert len(calls) == len(set(calls)) == 6


# -- broken files -------------------------------------------------------------------------


def test_every_broken_fixture_is_listed():
    assert sorted(p.name for p in BROKEN.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e[0] == "error"))
def test_file_level_problems_are_one_line_with_file_and_line(name):
    _, line, words = EXPECTED[name]
    with pytest.raises(QuizkitError) as caught:
        grade_file(BROKEN / name)
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert message.startswith("In ") and f"{name}, line {line}: " in message
    assert words in message


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e[0] == "row"))
def test_row_level_problems_set_the_row_aside_with_its_line(name):
    _, line, words = EXPECTED[name]
    graded = grade_file(BROKEN / name)
    assert any(e.line == line and words in e.reason for e in graded.exceptions), graded.exceptions
    # Nothing is dropped silently.
    assert graded.rows_read == len(graded.student_ids) + len(graded.exceptions)
    assert line not in graded.lines


def test_a_duplicated_student_sets_aside_every_row_with_that_id():
    graded = grade_file(BROKEN / "duplicate_student.csv")
    assert [(e.line, e.student_id) for e in graded.exceptions] == [(2, "S01"), (4, "S01")]
    assert graded.student_ids == ["S02"]


def test_every_reason_of_a_row_is_given(tmp_path):
    path = write(tmp_path, "student_id,version,1,2,3,4,5,6\n,A,E,BD,lots,x,BDAC,CAB\n"
                           "S02,A,D,BD,292,x,BDAC,CAB\n")
    reason = grade_file(path).exceptions[0].reason
    assert "student_id is empty" in reason and "question 1:" in reason and "question 3:" in reason


def test_header_errors_name_the_header_line(tmp_path):
    path = write(tmp_path, "\n\nstudent_id,version,1,2,3,4,5,6,9\nS1,A,,,,,,,\n")
    with pytest.raises(QuizkitError, match=r"responses\.csv, line 3: unknown column 9"):
        grade_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(QuizkitError, match=r"absent\.csv: file not found"):
        read_responses(tmp_path / "absent.csv")


def test_a_byte_order_mark_is_accepted_with_a_note(tmp_path):
    text = (FIXTURES / "responses.csv").read_bytes()
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text)
    graded = grade_file(path)
    assert len(graded.student_ids) == 8
    assert any("byte-order mark" in note for note in graded.notes)


def test_rows_with_every_cell_empty_are_skipped_and_counted(tmp_path):
    text = (FIXTURES / "responses.csv").read_text(encoding="utf-8") + ",,,,,,,\n\n,,,,,,,\n"
    graded = grade_file(write(tmp_path, text))
    assert graded.rows_read == 8 and not graded.exceptions
    assert any("skipped 2 rows with every cell empty" in note for note in graded.notes)


def test_a_quoted_cell_over_two_lines_keeps_later_line_numbers_right(tmp_path):
    path = write(tmp_path, 'student_id,version,1,2,3,4,5,6\n"S0\n1",A,D,BD,292,x,BDAC,CAB\n'
                           "S02,A,E,BD,292,x,BDAC,CAB\n")
    assert [e.line for e in grade_file(path).exceptions] == [4]


def test_version_may_be_left_out_with_a_one_version_key(tmp_path):
    rows = [r for r in read_key(FIXTURES / "key.csv") if r.version == "A"]
    key = paper_key(rows, demo_catalog(), FIXTURES / "key.csv")
    path = write(tmp_path, "student_id,1,2,3,4,5,6\nS01,D,BD,292,x,BDAC,CAB\n")
    graded = grade(read_responses(path), key)
    assert graded.versions == ["A"] and graded.points.tolist() == [5]


def test_an_answer_to_a_question_not_on_the_version_is_set_aside(tmp_path):
    rows = read_key(FIXTURES / "key.csv")
    short_b = [r for r in rows if not (r.version == "B" and r.question == 6)]
    key = paper_key(short_b, demo_catalog(), FIXTURES / "key.csv")
    path = write(tmp_path, "student_id,version,1,2,3,4,5,6\nS01,B,BCA,CADB,x,292,AC,\n"
                           "S02,B,BCA,CADB,x,292,AC,A\n")
    graded = grade(read_responses(path), key)
    assert graded.student_ids == ["S01"] and graded.max_points.tolist() == [5]
    assert "question 6 is not on version B" in graded.exceptions[0].reason
    assert math.isnan(graded.question_scores[0, 5])


def test_points_weight_the_score_but_not_the_item_analysis(tmp_path, demo):
    rows = [dataclasses.replace(r, points=3.0) if r.item_id == "demo-q6" else r
            for r in read_key(FIXTURES / "key.csv")]
    graded = grade(read_responses(FIXTURES / "responses.csv"),
                   paper_key(rows, demo_catalog(), FIXTURES / "key.csv"))
    # S01 to S04 got demo-q6 right: 2 more points each than in the demo class.
    assert graded.points.tolist() == [8, 8, 5, 5, 4, 0, 3, 2]
    assert graded.max_points.tolist() == [8] * 8
    np.testing.assert_array_equal(graded.scores, demo.scores)  # still 0/1
    assert "mean score 4.38 of 8 points" in summary_lines(analyse(graded))[1]


# -- the key against the bank ------------------------------------------------------------


def test_a_key_that_disagrees_with_the_bank_is_refused():
    rows = read_key(FIXTURES / "key.csv")
    rows[0] = dataclasses.replace(rows[0], answer="A", option_order=(2, 0, 3, 1))
    with pytest.raises(QuizkitError, match=r"key\.csv, line 2: version A question 1: the "
                                           "key's answer 'A' is not right for item demo-q1"):
        paper_key(rows, demo_catalog(), FIXTURES / "key.csv")


def test_a_key_item_missing_from_the_banks_is_refused():
    rows = read_key(FIXTURES / "key.csv")
    rows[2] = dataclasses.replace(rows[2], item_id="demo-q99", type="numeric", answer="292",
                                  option_order=())
    with pytest.raises(QuizkitError, match="line 4: version A question 3: item demo-q99 is "
                                           "not in the banks"):
        paper_key(rows, demo_catalog(), FIXTURES / "key.csv")


def test_grading_straight_from_the_bank(tmp_path):
    path = write(tmp_path, "student_id,demo-q1,demo-q3\nS01,B,292\nS02,a,1\nS03,,292\n")
    sheet = read_responses(path)
    graded = grade(sheet, bank_key(sheet, demo_catalog()))
    assert graded.points.tolist() == [2, 0, 1]
    assert graded.item_ids == ["demo-q1", "demo-q3"]


def test_bank_key_refuses_an_unknown_item_column(tmp_path):
    sheet = read_responses(write(tmp_path, "student_id,demo-q1,demo-q42\nS01,B,292\n"))
    with pytest.raises(QuizkitError, match="line 1: column demo-q42 is not an item id"):
        bank_key(sheet, demo_catalog())


# -- output tables ---------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_tables(tmp_path, demo):
    write_tables(analyse(demo), tmp_path)
    scores = read_csv(tmp_path / "scores.csv")
    assert scores[0] == {"student_id": "S01", "version": "A", "score": "6", "max": "6",
                         "percent": "100.0", "answered": "6", "1": "1", "2": "1", "3": "1",
                         "4": "1", "5": "1", "6": "1"}
    items = {row["item_id"]: row for row in read_csv(tmp_path / "items.csv")}
    q1 = items["demo-q1"]
    assert (q1["n"], q1["difficulty"], q1["correct_options"]) == ("8", "0.500", "2")
    assert q1["option4_upper"] == "0.000" and items["demo-q3"]["option1_upper"] == ""
    test = {row["statistic"]: row["value"] for row in read_csv(tmp_path / "test.csv")}
    assert test["students"] == "8" and test["mean"] == "3.375" and test["group_size"] == "2"
    assert read_csv(tmp_path / "exceptions.csv") == []


def test_undefined_statistics_are_empty_cells_not_nan(tmp_path):
    everyone_right = "".join(f"S{n},A,D,BD,292,x,,\n" for n in range(3))
    graded = grade(read_responses(write(tmp_path, "student_id,version,1,2,3,4,5,6\n"
                                        + everyone_right)), demo_key())
    out = tmp_path / "out"
    out.mkdir()
    assert len(graded.student_ids) == 3
    write_tables(analyse(graded), out)
    items = read_csv(out / "items.csv")
    assert items[0]["point_biserial"] == "" and items[0]["flags"] == "too easy"
    assert "nan" not in (out / "items.csv").read_text(encoding="utf-8").lower()


# -- the command ------------------------------------------------------------------------------


def run_grade(*argv: str) -> tuple[int, str, str]:
    return run_quizkit("grade", *argv)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """The demo bank and key in a folder outside the repository (no data/ above it)."""
    shutil.copytree(FIXTURES / "quizzes", tmp_path / "quizzes")
    shutil.copy(FIXTURES / "key.csv", tmp_path / "key.csv")
    shutil.copy(FIXTURES / "responses.csv", tmp_path / "responses.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_command_writes_every_file_and_a_summary(project):
    status, out, err = run_grade("responses.csv", "--key", "key.csv", "-o", "grades")
    assert status == 0, err
    assert sorted(p.name for p in (project / "grades").iterdir()) == [
        "exceptions.csv", "items.csv", "report.html", "scores.csv", "test.csv"]
    assert out.splitlines()[0] == "Graded 8 of 8 rows; none set aside (2 versions, 6 items)."
    assert "Wrote grades/: scores.csv, items.csv, test.csv, exceptions.csv, report.html" in out


def test_command_default_banks_and_output_folder(project):
    status, out, _ = run_grade("responses.csv", "--key", "key.csv", "--no-report")
    assert status == 0
    assert not (project / "responses-graded" / "report.html").exists()
    assert (project / "responses-graded" / "scores.csv").is_file()


def test_command_reports_rows_set_aside(project):
    shutil.copy(BROKEN / "duplicate_student.csv", project / "dup.csv")
    status, out, err = run_grade("dup.csv", "--key", "key.csv", "-o", "g", "--no-report")
    assert status == 0
    assert out.startswith("Graded 1 of 3 rows; 2 set aside in exceptions.csv")
    assert "warning: 2 rows not graded; see g/exceptions.csv" in err
    lines = [row["line"] for row in read_csv(project / "g" / "exceptions.csv")]
    assert lines == ["2", "4"]


def test_command_refuses_an_existing_output_folder(project):
    (project / "grades").mkdir()
    (project / "grades" / "mine.txt").write_text("keep me", encoding="utf-8")
    status, _, err = run_grade("responses.csv", "--key", "key.csv", "-o", "grades")
    assert status == 2
    assert err.strip() == ("In grades: the output folder already exists; choose a new one "
                           "with -o (results are never overwritten)")
    assert [p.name for p in (project / "grades").iterdir()] == ["mine.txt"]


@pytest.mark.parametrize("name", ["not_utf8.csv", "empty.csv", "unknown_question_column.csv"])
def test_command_file_level_error_leaves_no_folder(project, name):
    shutil.copy(BROKEN / name, project / name)
    status, out, err = run_grade(name, "--key", "key.csv", "-o", "grades")
    assert status == 2 and out == ""
    problems = [line for line in err.splitlines() if line.startswith("In ")]
    assert len(problems) == 1 and problems[0].startswith(f"In {name}, line ")
    assert err.strip().splitlines()[-1] == problems[0]
    assert "Traceback" not in err
    assert not (project / "grades").exists()


def test_command_missing_responses_file(project):
    status, _, err = run_grade("absent.csv", "--key", "key.csv", "-o", "grades")
    assert status == 2 and err.strip() == "In absent.csv: file not found"
    assert not (project / "grades").exists()


def test_command_missing_key_file(project):
    status, _, err = run_grade("responses.csv", "--key", "nokey.csv", "-o", "grades")
    assert status == 2 and "nokey.csv" in err and not (project / "grades").exists()


def test_command_with_bank_key(project):
    (project / "quick.csv").write_text("student_id,demo-q1,demo-q2\nS1,B,AC\nS2,C,A\n",
                                       encoding="utf-8")
    status, out, _ = run_grade("quick.csv", "--bank-key", "-o", "q", "--no-report")
    assert status == 0
    assert [row["score"] for row in read_csv(project / "q" / "scores.csv")] == ["2", "0"]


def test_command_when_no_row_can_be_graded(project):
    (project / "bad.csv").write_text("student_id,version,1,2,3,4,5,6\nS1,Z,,,,,,\n",
                                     encoding="utf-8")
    status, out, err = run_grade("bad.csv", "--key", "key.csv", "-o", "g")
    assert status == 2
    assert "none of the 1 rows could be graded" in err
    assert len(read_csv(project / "g" / "exceptions.csv")) == 1


def test_one_student_and_an_all_blank_class_grade_without_error(project):
    (project / "one.csv").write_text("student_id,version,1,2,3,4,5,6\nS1,A,D,,,,,\n",
                                     encoding="utf-8")
    (project / "blank.csv").write_text("student_id,version,1,2,3,4,5,6\nS1,A,,,,,,\n"
                                       "S2,B,,,,,,\n", encoding="utf-8")
    for name in ("one.csv", "blank.csv"):
        status, out, err = run_grade(name, "--key", "key.csv", "-o", name + ".out")
        assert status == 0, err
        assert "KR-20 n/a" in out
        assert (project / f"{name}.out" / "report.html").is_file()


def test_help_has_examples():
    status, text, _ = run_grade("--help")
    assert status == 0
    assert "examples:" in text and "quizkit grade responses.csv --key key.csv -o grades" in text


def test_rows_read_equals_rows_graded_plus_exceptions_on_a_messy_file(tmp_path):
    good = (FIXTURES / "responses.csv").read_text(encoding="utf-8").splitlines()[1:]
    messy = ["student_id,version,1,2,3,4,5,6", *good, "S01,A,D,BD,292,x,BDAC,CAB",
             ",B,,,,,,", "S90,Q,,,,,,", "S91,A,Z,,,,,", "S92,A,,,", ",,,,,,,"]
    graded = grade_file(write(tmp_path, "\n".join(messy) + "\n"))
    assert graded.rows_read == 13
    assert len(graded.student_ids) + len(graded.exceptions) == 13
    assert len(graded.exceptions) == 6  # both S01 rows, no id, Q, Z, short row
    assert np.isfinite(graded.scores).all()


# -- the sample class of the README ---------------------------------------------------------


def test_sample_is_reproducible_and_grades_as_documented(tmp_path):
    """data/sample/ is what the simulator writes from the current banks, and its key
    still matches them (an exam item edited since would make `quizkit grade` refuse it)."""
    sample = ROOT / SAMPLE_DIR
    banks = load_catalog([ROOT / "quizzes"])
    key_rows, rows = sample_class(banks)
    write_key(key_rows, tmp_path / "key.csv")
    write_responses(rows, PAPER["count"], tmp_path / "responses.csv")
    for name in ("key.csv", "responses.csv"):
        assert (tmp_path / name).read_bytes() == (sample / name).read_bytes(), name

    graded = grade(read_responses(sample / "responses.csv"),
                   paper_key(read_key(sample / "key.csv"), banks, sample / "key.csv"))
    assert (graded.rows_read, len(graded.student_ids)) == (63, 60)
    assert [e.line for e in graded.exceptions] == [62, 63, 64]
    assert graded.key.versions == ("A", "B", "C") and len(graded.item_ids) == 20
