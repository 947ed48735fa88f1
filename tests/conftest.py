"""Fixtures shared by the test modules; helpers live in the ``support`` package."""

from __future__ import annotations

import pytest

from support.sources import source_sets as _source_sets


@pytest.fixture
def source_sets() -> dict:
    """The fixture references and seed texts, as keyword arguments of ``read_banks``."""
    return _source_sets()
