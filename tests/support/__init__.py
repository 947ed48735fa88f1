"""Helpers shared by the test modules (no tests here): the item factory, the fixture
sources, the export fixtures and readers, and a way to run the ``quizkit`` command."""
