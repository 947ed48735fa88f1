"""Grading a class: ``quizkit grade``.

``responses`` reads the responses CSV; ``key`` reads a paper's key.csv (or makes a key
straight from the banks) and turns what a student wrote into a response; ``scoring``
grades every row and sets aside the rows that break a rule; ``analysis`` computes the
item analysis (difficulty, discrimination, option use, KR-20); ``tables`` writes the
CSV results and the summary; ``report`` the self-contained HTML report.
"""

import importlib

# Loaded on first use, so that importing one light module (the key, the responses
# reader) does not load numpy and pandas: the other commands start faster.
_HOMES = {
    "ClassAnalysis": "analysis", "analyse": "analysis",
    "GradingKey": "key", "bank_key": "key", "paper_key": "key", "read_key": "key",
    "ResponseSheet": "responses", "read_responses": "responses",
    "GradedClass": "scoring", "grade": "scoring",
    "summary_lines": "tables", "write_tables": "tables",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
