"""Loading banks: a valid bank of every type, and one broken fixture per rule.

Each file in fixtures/banks/ breaks exactly one rule and says on its first line which
problem it must produce: ``# expect: line 9: <fragment of the message>``. A fixture
without that line fails the test, so no defect goes unasserted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizkit.bank import read_banks
from quizkit.errors import QuizkitError
from quizkit.model import Bank, Feedback, Item, NumericAnswer, Option, Pair, Source
from support.sources import FIXTURES, load_fixture_bank, load_fixture_catalog

BROKEN = sorted((FIXTURES / "banks").glob("*.yml"))
PARTNERS = FIXTURES / "banks" / "partners"
EXPECT = re.compile(r"# expect: line (\d+): (.+)")
VALID = FIXTURES / "valid" / "sample.yml"


def expectation(path: Path) -> tuple[int, str]:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT.fullmatch(first_line.strip())
    assert match, f"{path.name} must start with '# expect: line N: <message>'"
    return int(match.group(1)), match.group(2)


def test_there_is_a_fixture_for_every_rule():
    assert len(BROKEN) >= 20


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_bank_reports_its_one_defect(path, source_sets):
    line, fragment = expectation(path)
    # A partner bank (same name, other folder) is read first: it holds the other half
    # of a cross-bank defect such as a duplicate id.
    partner = PARTNERS / path.name
    paths = [partner, path] if partner.exists() else [path]
    readings = read_banks(paths, **source_sets)
    problems = readings[-1].problems
    assert [p.line for p in problems] == [line], [str(p) for p in problems]
    assert fragment in problems[0].rule
    assert str(problems[0]).startswith(f"In {readings[-1].path}, line {line}: ")
    if partner.exists():
        assert readings[0].problems == []


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_load_bank_raises_one_error_naming_file_and_line(path, source_sets):
    line, fragment = expectation(path)
    partner = PARTNERS / path.name
    with pytest.raises(QuizkitError) as caught:
        load_fixture_catalog(*([partner, path] if partner.exists() else [path]))
    assert f"{path.name}, line {line}: " in str(caught.value)
    assert fragment in str(caught.value)


def test_valid_bank_loads_into_dataclasses(source_sets):
    bank = load_fixture_bank(VALID)
    assert isinstance(bank, Bank)
    assert bank.name == "sample" and bank.title.startswith("A sample bank")
    assert [i.type for i in bank.items] == ["single", "multiple", "numeric", "text",
                                            "order", "match"]
    assert all(isinstance(i, Item) for i in bank.items)
    single, multiple, numeric, text, order, match = bank.items
    assert single.options[1] == Option("22 June 2024", True,
                                       "Yes: the committee approved it on 22 June 2024.")
    assert single.tags == ("dates", "approval") and single.pool == "self-check"
    assert single.source == Source("seed-brief",
                                   quote="On 22 June 2024, the government approved the campaign")
    assert multiple.correct_indices == (0, 1)
    assert numeric.answer == NumericAnswer(292.0, 2.0) and numeric.unit == "deaths"
    assert numeric.feedback == Feedback("Right.", "Look at the table again.")
    assert numeric.pool == "exam"
    assert text.accept == ("Rah-e-Nijat", "Rah-e-Nijaat")
    assert order.events[0] == "The TTP ends its ceasefire"
    assert match.pairs[0] == Pair("JUI-F", "calls it an 'instability operation'")
    assert match.source.locator == "chapter 5"


def test_valid_bank_knows_the_line_of_every_key(source_sets):
    bank = load_fixture_bank(VALID)
    first = bank.items[0]
    assert first.line == 4
    assert first.line_of("stem") == 10
    assert first.line_of("options[1]") == 14
    assert first.line_of("source.quote") == 22
    assert first.line_of("no.such.key") == 4  # falls back to the item


def test_all_problems_of_a_file_are_reported_together(tmp_path, source_sets):
    bad = tmp_path / "two.yml"
    bad.write_text(VALID.read_text(encoding="utf-8").replace("bank: sample", "bank: two")
                   .replace("sample-", "two-").replace("difficulty: easy", "difficulty: simple")
                   .replace("tolerance: 2", "tolerance: -2"), encoding="utf-8")
    problems = read_banks([bad], **source_sets)[0].problems
    assert [p.line for p in problems] == [8, 48]


def test_loaders_skip_source_checks_without_source_sets():
    path = FIXTURES / "banks" / "unknown_source_id.yml"
    assert load_fixture_bank(path, sources=False).items[0].source.id == "nowhere-2024"


def test_missing_file_is_one_problem(tmp_path):
    with pytest.raises(QuizkitError, match="file not found"):
        load_fixture_catalog(tmp_path / "absent.yml")
