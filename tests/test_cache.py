"""The bank cache (quizkit.cache): a second load is served from it, and any change to a
bank, the data or the seeds is seen at once."""

from __future__ import annotations

import shutil

import pytest

from quizkit import bank as bank_module
from quizkit.project import load_project
from support.sources import FIXTURES


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "quizzes").mkdir()
    shutil.copy(FIXTURES / "valid" / "sample.yml", tmp_path / "quizzes" / "sample.yml")
    return tmp_path


def count_parses(monkeypatch) -> list:
    calls = []
    real = bank_module.read_bank

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(bank_module, "read_bank", counting)
    return calls


def test_second_load_comes_from_the_cache_and_equals_the_first(project, monkeypatch):
    first = load_project(["quizzes"])
    calls = count_parses(monkeypatch)
    second = load_project(["quizzes"])
    assert calls == []
    assert second.catalog.banks == first.catalog.banks and second.problems == first.problems


def test_an_edited_bank_is_read_again(project, monkeypatch):
    load_project(["quizzes"])
    path = project / "quizzes" / "sample.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("difficulty: easy",
                                                             "difficulty: simple", 1),
                    encoding="utf-8")
    calls = count_parses(monkeypatch)
    edited = load_project(["quizzes"])
    assert len(calls) == 1
    assert any("`difficulty` must be one of" in p.rule for p in edited.errors)


def test_cache_off_reads_every_time(project, monkeypatch):
    monkeypatch.setenv("QUIZKIT_CACHE_DIR", "off")
    load_project(["quizzes"])
    calls = count_parses(monkeypatch)
    load_project(["quizzes"])
    assert len(calls) == 1 and not (project / "cache").exists()
