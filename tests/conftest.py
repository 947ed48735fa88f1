"""Fixtures shared by the test modules; helpers live in the ``support`` package."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from support.sources import source_sets as _source_sets


def pytest_configure(config):
    # The bank cache of this test session (subprocesses inherit it), never the user's.
    if "QUIZKIT_CACHE_DIR" not in os.environ:
        config.quizkit_cache = tempfile.mkdtemp(prefix="quizkit-test-cache-")
        os.environ["QUIZKIT_CACHE_DIR"] = config.quizkit_cache


def pytest_unconfigure(config):
    folder = getattr(config, "quizkit_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def source_sets() -> dict:
    """The fixture references and seed texts, as keyword arguments of ``read_banks``."""
    return _source_sets()


# Modules that read the built book, site or PDFs (`make test` builds them first):
# `make unit` leaves them out.
BUILD_MODULES = {"test_book_build", "test_browser", "test_pdf", "test_site_editions"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        # Notebook cells collected by nbval (chapters/) belong to no Python module.
        module = getattr(item, "module", None)
        if module is not None and module.__name__ in BUILD_MODULES:
            item.add_marker(pytest.mark.build)
