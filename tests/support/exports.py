"""The export tests' fixture banks, and readers of exports.

The readers here decode what an LMS would decode (HTML entities, ``<br>``); they
never call the exporters' own encoding functions, so a wrong encoding fails a test
instead of cancelling itself out.
"""

from __future__ import annotations

import html
import re
from fractions import Fraction
from pathlib import Path

from quizkit.catalog import Catalog
from quizkit.model import Bank, Item
from quizkit.project import load_catalog
from quizkit.select import Selection, select_items

EXPORT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "export"
FIXTURE_QUIZZES = EXPORT_FIXTURES / "quizzes"
EXPECTED = EXPORT_FIXTURES / "expected"
# The course the stored outputs were written for (the Moodle category above the banks').
FIXTURE_COURSE = "Resolve for Stability"

# Every item of both fixture banks, both pools: what the round-trip tests export.
_CACHE: dict[str, Catalog] = {}


def fixture_catalog() -> Catalog:
    if "catalog" not in _CACHE:
        _CACHE["catalog"] = load_catalog([FIXTURE_QUIZZES])
    return _CACHE["catalog"]


def fixture_banks() -> tuple[Bank, ...]:
    return fixture_catalog().banks


def fixture_items() -> list[Item]:
    return select_items(fixture_catalog(), Selection(pool="all"))


def bank_titles() -> dict[str, str]:
    """Item id → the title of its bank."""
    return {item.id: bank.title for bank in fixture_banks() for item in bank.items}


# -- decoding what an LMS shows ----------------------------------------------------


def html_field(markup: str) -> str:
    """The text an HTML field shows, for fields that are text with line breaks only."""
    assert not re.search(r"<(?!br>)", markup), f"unexpected markup in {markup!r}"
    return html.unescape(markup.replace("<br>", "\n"))


def html_paragraphs(markup: str) -> list[str]:
    """The texts of a field made of ``<p>`` paragraphs, and nothing else."""
    found = re.findall(r"<p>(.*?)</p>", markup, flags=re.S)
    assert "".join(f"<p>{p}</p>" for p in found) == markup, f"not only paragraphs: {markup!r}"
    return [html_field(p) for p in found]


def expected_stem(item: Item) -> list[str]:
    return [item.stem] + ([f"Unit: {item.unit}"] if item.unit else [])


def expected_general_feedback(item: Item) -> list[str]:
    return [item.explanation, f"Source: {item.source.citation_text()}"]


def expected_weights(item: Item) -> list[Fraction]:
    """The documented grading of a multiple-answer item: +1/c per correct option,
    -1/w per wrong one."""
    correct = sum(o.correct for o in item.options)
    wrong = len(item.options) - correct
    return [Fraction(1, correct) if o.correct else Fraction(-1, wrong) for o in item.options]


def close(a: float, b: Fraction) -> bool:
    return abs(a - float(b)) < 1e-6


