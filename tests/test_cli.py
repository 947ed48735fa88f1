"""The ``quizkit`` command and ``quizkit check``: exit codes, one line per problem,
help and version on the streams given, and never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quizkit import __version__
from quizkit.cli import ExitStatus
from support.cli import run_quizkit as run
from support.sources import FIXTURES, fixture_references, fixture_seed_texts

BROKEN = FIXTURES / "banks"


@pytest.fixture(autouse=True)
def outside_the_project(tmp_path, monkeypatch):
    """Run from a folder outside the repository, so that the repository's own data/
    is not used to judge the fixture banks (their source checks are tested below)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUIZKIT_SEEDS", raising=False)


def copy_fixture(tmp_path: Path, relative: str) -> Path:
    source = FIXTURES / relative
    target = tmp_path / "banks" / source.name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(source.read_bytes())
    return target


@pytest.fixture
def valid(tmp_path) -> Path:
    return copy_fixture(tmp_path, "valid/sample.yml")


def test_valid_bank_exits_0_with_a_summary(valid):
    status, out, _ = run("check", str(valid))
    assert status == ExitStatus.OK
    assert out.strip().splitlines()[-1] == "1 bank, 6 items: 0 errors, 0 warnings"


def test_broken_bank_exits_2_and_names_file_and_line(tmp_path):
    status, out, err = run("check", str(copy_fixture(tmp_path, "banks/single_two_correct.yml")))
    assert status == ExitStatus.BAD_INPUT
    lines = out.strip().splitlines()
    assert lines[0].startswith("In ") and "single_two_correct.yml, line 11: " in lines[0]
    assert lines[-1] == "1 bank, 1 item: 1 error, 0 warnings"
    assert "Traceback" not in out + err


def test_two_defects_in_one_file_print_two_lines(tmp_path, valid):
    text = valid.read_text(encoding="utf-8").replace("bank: sample", "bank: two")
    text = text.replace("sample-", "two-").replace("difficulty: easy", "difficulty: simple")
    text = text.replace("tolerance: 2", "tolerance: -2")
    valid.unlink()
    (tmp_path / "banks" / "two.yml").write_text(text, encoding="utf-8")
    status, out, _ = run("check", str(tmp_path / "banks"))
    problems = [line for line in out.splitlines() if line.startswith("In ")]
    assert status == ExitStatus.BAD_INPUT
    assert [p.split(": ", 1)[0].rsplit(", ", 1)[1] for p in problems] == ["line 8", "line 48"]
    assert out.strip().splitlines()[-1] == "1 bank, 6 items: 2 errors, 0 warnings"


def test_warnings_are_printed_but_do_not_fail(tmp_path):
    status, out, _ = run("check", str(copy_fixture(tmp_path, "lint/negative_stem_capitals.yml")))
    assert status == ExitStatus.OK
    assert out.startswith("warning: In ") and "negative stem" in out
    assert out.strip().endswith("0 errors, 1 warning")


def test_folder_and_files_are_all_checked(tmp_path, valid):
    other = tmp_path / "more"
    other.mkdir()
    for name in ("empty_quote.yml", "unknown_key.yml"):
        (other / name).write_bytes((BROKEN / name).read_bytes())
    status, out, _ = run("check", str(valid.parent), str(other / "empty_quote.yml"),
                         str(other / "unknown_key.yml"), str(valid))  # valid twice: read once
    assert status == ExitStatus.BAD_INPUT
    assert out.strip().splitlines()[-1] == "3 banks, 8 items: 2 errors, 0 warnings"


def test_missing_file_is_one_line(tmp_path):
    status, out, err = run("check", str(tmp_path / "absent.yml"))
    assert status == ExitStatus.BAD_INPUT
    assert "absent.yml: file not found" in out
    assert "Traceback" not in out + err


def test_non_utf8_file_is_one_line(tmp_path):
    bad = tmp_path / "latin.yml"
    bad.write_bytes(b"bank: latin\ntitle: \"caf\xe9\"\nitems: []\n")
    status, out, err = run("check", str(bad))
    assert status == ExitStatus.BAD_INPUT
    assert "latin.yml, line 2: the file is not UTF-8 text" in out
    assert "Traceback" not in out + err


def test_folder_without_banks_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    status, out, _ = run("check", "empty")
    assert status == ExitStatus.BAD_INPUT
    assert "In empty: no bank files (*.yml) in this folder" in out


def test_unreadable_file_is_one_line(valid, monkeypatch):
    # Simulated: tests may run as root, who can read a file whatever its mode.
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    status, out, err = run("check", str(valid))
    assert status == ExitStatus.BAD_INPUT
    assert "sample.yml: permission denied: cannot read the file" in out
    assert "Traceback" not in out + err


def test_default_path_is_quizzes():
    status, out, _ = run("check")
    assert status == ExitStatus.BAD_INPUT
    assert "In quizzes: file not found" in out


def test_outside_a_project_sources_are_skipped_with_a_note(valid):
    status, _, err = run("check", str(valid))
    assert status == ExitStatus.OK
    assert err.strip() == ("note: no data/ folder found: source ids and quotes are "
                           "not checked")


@pytest.fixture
def fixture_data(tmp_path) -> Path:
    """A data/ folder whose references.bib and sources.yml hold the fixture sets."""
    data = tmp_path / "project" / "data"
    data.mkdir(parents=True)
    (data / "references.bib").write_text("".join(
        f"@misc{{{key},\n  title = {{Fixture source {key}}},\n}}\n\n"
        for key in sorted(fixture_references())), encoding="utf-8")
    (data / "sources.yml").write_text("".join(
        f"- id: {source_id}\n  seed_file: {source_id}.txt\n"
        for source_id in sorted(fixture_seed_texts())), encoding="utf-8")
    return data


def test_sources_are_checked_against_data_and_seeds(tmp_path, fixture_data):
    bad = copy_fixture(tmp_path, "banks/quote_not_in_seed.yml")
    seeds = str(FIXTURES / "sources" / "seeds")
    status, out, err = run("check", str(bad), "--data", str(fixture_data), "--seeds", seeds)
    assert status == ExitStatus.BAD_INPUT
    assert "line 19: `source.quote` is not found word for word" in out
    assert err == ""


def test_unknown_source_id_is_found_with_project_data(tmp_path, fixture_data):
    bad = copy_fixture(tmp_path, "banks/unknown_source_id.yml")
    status, out, _ = run("check", str(bad), "--data", str(fixture_data))
    assert status == ExitStatus.BAD_INPUT
    assert "line 18: unknown source id nowhere-2024" in out


def test_absent_default_seeds_folder_is_a_note_not_silence(valid, fixture_data):
    status, _, err = run("check", str(valid), "--data", str(fixture_data))
    assert status == ExitStatus.OK
    assert "note: seeds folder" in err and "quotes are not compared" in err


def test_seeds_folder_from_the_environment(tmp_path, fixture_data, monkeypatch):
    bad = copy_fixture(tmp_path, "banks/quote_not_in_seed.yml")
    monkeypatch.setenv("QUIZKIT_SEEDS", str(FIXTURES / "sources" / "seeds"))
    status, out, _ = run("check", str(bad), "--data", str(fixture_data))
    assert status == ExitStatus.BAD_INPUT and "not found word for word" in out


def test_missing_seeds_folder_asked_for_is_an_error(tmp_path, valid, fixture_data):
    status, out, _ = run("check", str(valid), "--data", str(fixture_data),
                         "--seeds", str(tmp_path / "nowhere"))
    assert status == ExitStatus.BAD_INPUT
    assert "nowhere: seeds folder not found" in out


def test_version_and_help_go_to_the_output_stream_given():
    status, out, err = run("--version")
    assert (status, out, err) == (ExitStatus.OK, f"quizkit {__version__}\n", "")
    status, out, err = run("--help")
    assert status == ExitStatus.OK and err == ""
    assert all(name in out for name in ("check", "export", "paper", "grade", "--version"))
    status, out, _ = run("check", "--help")
    assert "examples:" in out and "quizkit check quizzes/operation.yml" in out
    assert "exit status" in out


def test_python_dash_m_quizkit_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "quizkit", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.strip() == f"quizkit {__version__}"


def test_usage_error_exits_2_on_the_error_stream():
    status, out, err = run("check", "--no-such-option")
    assert status == ExitStatus.BAD_INPUT
    assert out == "" and "unrecognized arguments: --no-such-option" in err


def test_internal_error_is_one_line(monkeypatch, valid):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("quizkit.cli.check.load_project", explode)
    status, out, err = run("check", str(valid))
    assert status == ExitStatus.ERROR
    assert err.strip() == ("quizkit: internal error: RuntimeError: boom "
                           "(run with --traceback for details, and please report it)")


@pytest.mark.parametrize("command, example", [
    ("export", "quizkit export"),
    ("paper", "quizkit paper --versions 3 --seed 7 --count 20"),
    ("grade", "quizkit grade"),
])
def test_instructor_commands_are_reachable_with_examples(command, example):
    status, out, err = run(command, "--help")
    assert status == ExitStatus.OK, err
    assert example in out and "examples:" in out


def test_instructor_command_bad_input_exits_2_without_traceback(tmp_path):
    missing = tmp_path / "no-such-responses.csv"
    status, out, err = run("grade", str(missing), "--key", str(tmp_path / "key.csv"),
                           "-o", str(tmp_path / "out"))
    assert status == ExitStatus.BAD_INPUT
    assert "Traceback" not in out + err
    assert "no-such-responses.csv" in err
    assert not (tmp_path / "out").exists()
