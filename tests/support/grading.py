"""The grading tests' demo bank, key and responses (tests/fixtures/grade/)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from quizkit.catalog import Catalog
from quizkit.grading import GradingKey, paper_key, read_key
from support.sources import load_fixture_catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grade"
BROKEN = FIXTURES / "broken"
KEY = FIXTURES / "key.csv"


def demo_catalog(stem: str | None = None) -> Catalog:
    """The demo bank; with ``stem``, its first item asks that instead."""
    catalog = load_fixture_catalog(FIXTURES / "quizzes" / "demo.yml", sources=False)
    if stem is None:
        return catalog
    bank = catalog.banks[0]
    items = tuple(dataclasses.replace(item, stem=stem) if item.id == "demo-q1" else item
                  for item in bank.items)
    return Catalog([dataclasses.replace(bank, items=items)])


def demo_key(stem: str | None = None) -> GradingKey:
    return paper_key(read_key(KEY), demo_catalog(stem), KEY)
