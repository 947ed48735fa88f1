"""``quizkit export`` as an instructor runs it: selection, files written and never
overwritten, messages, stable identifiers, outputs compared byte for byte with stored
files, and a run over the project's real exam pool.

The stored outputs in tests/fixtures/export/expected/ are the exports of the two
fixture banks (both pools). After a deliberate change to an exporter, regenerate them
with

    QUIZKIT_REGENERATE_EXPORTS=1 .venv/bin/python -m pytest tests/test_export_command.py

and review the diff before committing it.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from quizkit.cli import ExitStatus
from quizkit.export import FORMATS, Options
from quizkit.project import load_catalog
from quizkit.select import Selection, select_items
from support.cli import run_quizkit
from support.disk import fill_disk_after
from support.exports import EXPECTED, FIXTURE_COURSE, FIXTURE_QUIZZES, fixture_banks, fixture_items

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = os.environ.get("QUIZKIT_REGENERATE_EXPORTS") == "1"
ALL_FILES = ("quiz-exam.gift.txt", "quiz-exam.moodle.xml", "quiz-exam.qti.zip",
             "quiz-exam-key.csv", "quiz-exam.md")


def export(*argv: str, quizzes: Path = FIXTURE_QUIZZES) -> tuple[int, str, str]:
    return run_quizkit("export", "--quizzes", str(quizzes), *argv)


def test_help_shows_the_formats_and_examples():
    status, out, _ = run_quizkit("export", "--help")
    assert status == ExitStatus.OK
    assert "examples:" in out and "quizkit export --format moodle" in out


def test_by_default_every_format_of_the_exam_pool_goes_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = export()
    assert status == ExitStatus.OK
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ALL_FILES)
    lines = out.splitlines()
    assert lines[0] == ("wrote quiz-exam.gift.txt: 10 items (3 skipped: 2 order — GIFT has no "
                        "ordering question type; 1 text — accepted answer 'A -> B' contains "
                        "\"->\", which GIFT reads as a match item)")
    assert lines[1] == "wrote quiz-exam.moodle.xml: 13 items"
    assert lines[2].startswith("wrote quiz-exam.qti.zip: 11 items (2 skipped: 2 order — ")
    # Each skipped item is named on err, with the format and the reason.
    for item_id in ("mini-q05", "specials-q06", "specials-q07"):
        assert f"skipped {item_id} " in err
    assert "skipped mini-q05 (order) in Canvas QTI 1.2 package: " in err


def test_an_existing_file_is_never_overwritten_and_nothing_is_written(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "quiz-exam.moodle.xml").write_text("mine", encoding="utf-8")
    status, out, err = export("-o", str(target))
    assert status == ExitStatus.BAD_INPUT
    assert "quiz-exam.moodle.xml: the file already exists" in err and "--force" in err
    assert (target / "quiz-exam.moodle.xml").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in target.iterdir()] == ["quiz-exam.moodle.xml"]
    assert out == ""


def test_force_overwrites(tmp_path):
    path = tmp_path / "quiz.xml"
    path.write_text("old", encoding="utf-8")
    status, out, _ = export("--format", "moodle", "-o", str(path), "--force")
    assert status == ExitStatus.OK and out.startswith("wrote ")
    etree.fromstring(path.read_bytes())


def test_output_is_a_file_for_one_format_and_a_folder_for_several(tmp_path):
    status, _, _ = export("--format", "gift", "-o", str(tmp_path / "sub" / "my.txt"))
    assert status == ExitStatus.OK and (tmp_path / "sub" / "my.txt").is_file()
    status, _, _ = export("--format", "csv", "--format", "markdown", "-o", str(tmp_path / "new"))
    assert status == ExitStatus.OK
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["quiz-exam-key.csv",
                                                                     "quiz-exam.md"]
    status, _, err = export("--format", "all", "-o", str(tmp_path / "sub" / "my.txt"))
    assert status == ExitStatus.BAD_INPUT and "need a folder" in err


def test_report_lists_per_question_and_lms_what_is_imported_and_dropped(tmp_path):
    status, out, _ = export("--pool", "all", "--report", "--moodle-version", "4.1",
                            "-o", str(tmp_path))
    assert status == ExitStatus.OK and "quiz-all-lms-report.md" in out
    report = (tmp_path / "quiz-all-lms-report.md").read_text(encoding="utf-8")
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")
            for line in report.splitlines() if line.startswith("| ") and "-q" in line}
    assert set(rows) == {item.id for item in fixture_items()}
    header = next(line for line in report.splitlines() if line.startswith("| question"))
    assert header == "| question | type | Moodle XML | Moodle GIFT | Canvas QTI 1.2 package |"
    # An order item: not in Moodle 4.1, not in GIFT, not in Canvas; each says why.
    order = rows["mini-q05"]
    assert all(cell.startswith("**not imported**") for cell in order[2:])
    assert "Moodle 4.1 has no ordering" in order[2]
    # A text item: the number of spellings each LMS accepts.
    assert all("spellings" in cell for cell in rows["mini-q04"][2:])


def test_report_needs_an_lms_format_and_moodle_version_a_release(tmp_path):
    status, _, err = export("--format", "csv", "--report", "-o", str(tmp_path / "a"))
    assert status == ExitStatus.BAD_INPUT and "--report" in err
    assert not (tmp_path / "a").exists()
    status, out, err = export("--moodle-version", "four")
    assert status == ExitStatus.BAD_INPUT and "'four' is not a Moodle release" in err
    assert out == ""


def test_moodle_version_4_4_keeps_order_items(tmp_path):
    path = tmp_path / "q.xml"
    status, out, _ = export("--format", "moodle", "--moodle-version", "4.4", "-o", str(path))
    assert status == ExitStatus.OK and "skipped" not in out
    assert etree.parse(str(path)).getroot().findall("question[@type='ordering']")


def test_no_answers_needs_the_markdown_format(tmp_path):
    status, _, err = export("--format", "gift", "--no-answers", "-o", str(tmp_path))
    assert status == ExitStatus.BAD_INPUT and "--no-answers" in err
    status, out, _ = export("--format", "markdown", "--no-answers", "-o", str(tmp_path))
    assert status == ExitStatus.OK and "quiz-exam-questions.md" in out
    assert "(correct)" not in (tmp_path / "quiz-exam-questions.md").read_text(encoding="utf-8")


def _ids_in_key(path: Path) -> list[str]:
    return [line.split(",")[1] for line in path.read_text(encoding="utf-8").splitlines()[1:]]


@pytest.mark.parametrize("argv, expected", [
    (["--bank", "mini"], ["mini-q01", "mini-q02", "mini-q03", "mini-q04", "mini-q05", "mini-q06"]),
    (["--tag", "dates"], ["mini-q01", "mini-q03"]),
    (["--tag", "dates", "--pool", "all"], ["mini-q01", "mini-q03", "mini-q07"]),
    (["--id", "mini-q07", "--id", "specials-q02"], ["mini-q07", "specials-q02"]),
    (["--bank", "specials", "--count", "2"], ["specials-q01", "specials-q02"]),
    (["--pool", "self-check"], ["mini-q07"]),
])
def test_selection_options(tmp_path, argv, expected):
    status, out, _ = export("--format", "csv", "-o", str(tmp_path / "key.csv"), *argv)
    assert status == ExitStatus.OK, out
    assert _ids_in_key(tmp_path / "key.csv") == expected


def test_bank_names_name_the_default_files(tmp_path):
    status, out, _ = export("--format", "csv", "--bank", "mini", "-o", f"{tmp_path}/")
    assert status == ExitStatus.OK and (tmp_path / "mini-exam-key.csv").is_file()


@pytest.mark.parametrize("argv, message", [
    (["--bank", "nosuch"], "no bank named 'nosuch'"),
    (["--id", "mini-q99"], "no item with id 'mini-q99'"),
    (["--count", "50"], "asked for 50 items"),
    (["--bank", "mini", "--pool", "self-check", "--tag", "plans"], "no self-check item has the tags"),
])
def test_a_selection_that_cannot_be_met_is_an_error(tmp_path, argv, message):
    status, out, err = export("-o", str(tmp_path), *argv)
    assert status == ExitStatus.BAD_INPUT and message in err
    assert list(tmp_path.iterdir()) == [] and out == ""


def test_a_broken_bank_stops_the_export_with_its_file_and_line(tmp_path):
    bank = tmp_path / "broken.yml"
    bank.write_text("bank: broken\ntitle: Broken\nitems:\n  - id: broken-q01\n    type: nope\n",
                    encoding="utf-8")
    status, _, err = export("-o", str(tmp_path / "out"), quizzes=bank)
    assert status == ExitStatus.BAD_INPUT
    assert "broken.yml, line 5" in err
    assert not (tmp_path / "out").exists()


def test_a_format_that_can_carry_nothing_writes_nothing_and_says_so(tmp_path):
    status, out, err = export("--format", "gift", "--format", "moodle", "--id", "mini-q05",
                              "-o", str(tmp_path))
    assert status == ExitStatus.BAD_INPUT
    assert "nothing written for Moodle GIFT" in err
    assert [p.name for p in tmp_path.iterdir()] == ["quiz-all.moodle.xml"]


def test_two_exports_are_identical_byte_for_byte(tmp_path):
    for folder in ("one", "two"):
        assert export("--pool", "all", "-o", str(tmp_path / folder))[0] == ExitStatus.OK
    for name in (p.name for p in (tmp_path / "one").iterdir()):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_identifiers_are_the_item_ids_whatever_else_is_selected(tmp_path):
    export("--format", "moodle", "--format", "qti", "-o", str(tmp_path / "all"), "--pool", "all")
    export("--format", "moodle", "--format", "qti", "-o", str(tmp_path / "some"),
           "--id", "specials-q03", "--id", "mini-q02")
    for folder in ("all", "some"):
        root = etree.parse(str(next((tmp_path / folder).glob("*.moodle.xml")))).getroot()
        numbers = {q.findtext("name/text"): q.findtext("idnumber") for q in root.findall("question")
                   if q.get("type") != "category"}
        assert all(name == number for name, number in numbers.items())
        archive = zipfile.ZipFile(next((tmp_path / folder).glob("*.qti.zip")))
        [assessment] = [n for n in archive.namelist() if n.count("/") == 1 and "meta" not in n]
        idents = etree.fromstring(archive.read(assessment)).xpath("//*[local-name()='item']/@ident")
        assert set(idents) <= {i.id for i in fixture_items()}
    assert {"mini-q02", "specials-q03"} <= set(idents)


# -- stored outputs ----------------------------------------------------------------


def _current_outputs() -> dict[str, bytes]:
    """File name under expected/ → bytes, for every format of the fixture export.

    The QTI zip is stored as its members: the zip container's compressed bytes depend
    on the zlib build, its contents must not.
    """
    items, banks = fixture_items(), fixture_banks()
    files = {}
    for name, fmt in FORMATS.items():
        for answers in ((True, False) if name == "markdown" else (True,)):
            options = Options(title="Fixture quiz", course=FIXTURE_COURSE, answers=answers)
            data = fmt.build(items, banks, options).data
            if name == "qti":
                archive = zipfile.ZipFile(io.BytesIO(data))
                for member in archive.namelist():
                    files[f"fixture.qti/{member}"] = archive.read(member)
            else:
                files[f"fixture{fmt.file_suffix(options)}"] = data
    return files


def test_outputs_match_the_stored_files_byte_for_byte():
    current = _current_outputs()
    if REGENERATE:
        for name, data in current.items():
            path = EXPECTED / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        pytest.skip("stored export outputs regenerated; review the diff")
    stored = {str(p.relative_to(EXPECTED)): p.read_bytes()
              for p in EXPECTED.rglob("*") if p.is_file()}
    assert sorted(stored) == sorted(current)
    for name, data in current.items():
        assert data == stored[name], f"{name} differs from the stored file (see the module docstring)"


# -- the project's real banks --------------------------------------------------------


@pytest.fixture(scope="module")
def real_export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("real")
    status, out, err = export("-o", str(folder), quizzes=ROOT / "quizzes")
    banks = load_catalog([ROOT / "quizzes"])
    return status, out, err, folder, select_items(banks, Selection(pool="exam"))


def test_the_real_exam_pool_exports_in_every_format(real_export):
    status, out, err, folder, items = real_export
    assert status == ExitStatus.OK, err
    assert len(items) >= 40 and len({i.id.split("-")[0] for i in items}) >= 5
    carried_without_order = len([i for i in items if i.type != "order"])
    assert out.splitlines()[0].startswith(f"wrote {folder / 'quiz-exam.gift.txt'}: "
                                          f"{carried_without_order} items")

    # A set's passage travels once, before its set, as an unscored description.
    passages = {i.passage.id for i in items if i.passage is not None}
    assert passages, "the exam pool has a context-dependent set"
    root = etree.parse(str(folder / "quiz-exam.moodle.xml")).getroot()
    types = [q.get("type") for q in root.findall("question") if q.get("type") != "category"]
    assert len(types) - types.count("description") == len(items)
    assert types.count("description") == len(passages)

    archive = zipfile.ZipFile(folder / "quiz-exam.qti.zip")
    [assessment] = [n for n in archive.namelist() if n.count("/") == 1 and "meta" not in n]
    tree = etree.fromstring(archive.read(assessment))
    assert len(tree.xpath("//*[local-name()='item']")) == carried_without_order + len(passages)

    key_rows = (folder / "quiz-exam-key.csv").read_text(encoding="utf-8").count("\n") - 1
    assert key_rows >= len(items)  # quoted cells may span lines, never fewer rows
    assert _ids_in_key(folder / "quiz-exam-key.csv")[:1] == [items[0].id]
    markdown = (folder / "quiz-exam.md").read_text(encoding="utf-8")
    assert markdown.count("\n### ") == len(items)
    assert markdown.count("\n> **") == len(passages)
    gift = (folder / "quiz-exam.gift.txt").read_text(encoding="utf-8")
    assert gift.count("\n::") == carried_without_order + len(passages)


def test_a_full_disk_leaves_no_export_behind(tmp_path, monkeypatch):
    fill_disk_after(monkeypatch, 2)  # two formats written, then the disk is full
    status, out, err = export("-o", str(tmp_path / "out") + "/")
    assert status == 2
    assert err.strip().splitlines()[-1].endswith("cannot write the file: No space left on device")
    assert not any(p.is_file() for p in (tmp_path / "out").iterdir())  # none half-exported


def test_a_file_never_appears_truncated(tmp_path, monkeypatch):
    fill_disk_after(monkeypatch, 0)
    status, _, _ = export("--format", "gift", "-o", str(tmp_path / "quiz.gift.txt"))
    assert status == 2
    assert list(tmp_path.iterdir()) == []  # neither the file nor a temporary one
