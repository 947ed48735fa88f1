"""Lint warnings: each is triggered by its fixture and by nothing in the clean bank.

Each fixture in fixtures/lint/ starts with ``# expect: line N: <fragment>`` (exactly one
warning) or ``# expect: nothing``.
"""

from __future__ import annotations

import re

import pytest

from quizkit.lint import lint_banks
from support.sources import FIXTURES, load_fixture_bank

LINT = sorted((FIXTURES / "lint").glob("*.yml"))
EXPECT = re.compile(r"# expect: (?:line (\d+): (.+)|nothing)")


@pytest.mark.parametrize("path", LINT, ids=lambda p: p.stem)
def test_lint_fixture_gives_its_one_warning(path):
    match = EXPECT.fullmatch(path.read_text(encoding="utf-8").splitlines()[0].strip())
    assert match, f"{path.name} must start with '# expect: line N: <warning>' or '# expect: nothing'"
    warnings = lint_banks([load_fixture_bank(path)])  # lint only ever sees valid banks
    assert all(w.severity == "warning" for w in warnings)
    if match.group(1) is None:
        assert warnings == []
        return
    assert [w.line for w in warnings] == [int(match.group(1))], [str(w) for w in warnings]
    assert match.group(2) in warnings[0].rule
    assert str(warnings[0]).startswith(f"warning: In {warnings[0].path}, line ")


def test_every_warning_kind_has_a_fixture():
    names = {p.stem for p in LINT}
    assert {"clean", "key_position_unbalanced", "key_position_never_used",
            "correct_option_longest", "all_of_the_above", "negative_stem_capitals",
            "negative_stem_which_is_not", "near_duplicate_stems", "closed_date_list"} <= names


def test_near_duplicate_stems_are_found_across_banks(tmp_path):
    clean = FIXTURES / "lint" / "clean.yml"
    copy = tmp_path / "copy.yml"
    text = clean.read_text(encoding="utf-8").replace("bank: clean", "bank: copy")
    copy.write_text(text.replace("clean-q", "copy-q"), encoding="utf-8")
    warnings = lint_banks([load_fixture_bank(clean), load_fixture_bank(copy)])
    assert len(warnings) == 8
    assert all(w.path.endswith("copy.yml") and "nearly repeats clean-q" in w.rule
               for w in warnings)
    assert "clean.yml, line 10)" in warnings[0].rule


def test_valid_sample_bank_has_no_warnings():
    assert lint_banks([load_fixture_bank(FIXTURES / "valid" / "sample.yml")]) == []
