"""Fixtures shared by the test modules; helpers live in the ``support`` package."""

from __future__ import annotations

import pytest

from support.sources import source_sets as _source_sets


@pytest.fixture
def source_sets() -> dict:
    """The fixture references and seed texts, as keyword arguments of ``read_banks``."""
    return _source_sets()


# Modules that read the built book, site or PDFs (`make test` builds them first):
# `make unit` leaves them out.
BUILD_MODULES = {"test_book_build", "test_browser", "test_pdf", "test_site_editions"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module is not None and item.module.__name__ in BUILD_MODULES:
            item.add_marker(pytest.mark.build)
