"""Helpers shared by the test modules (no tests here): the item factory, the fixture
sources, the export fixtures and readers, a way to run the ``quizkit`` command, and synthetic
scans of answer sheets."""
