"""Grading a class: ``quizkit grade``.

``responses`` reads the responses CSV; ``key`` reads a paper's key.csv (or makes a key
straight from the banks) and turns what a student wrote into a response; ``scoring``
grades every row and sets aside the rows that break a rule; ``analysis`` computes the
item analysis (difficulty, discrimination, option use, KR-20); ``tables`` writes the
CSV results and the summary; ``report`` the self-contained HTML report.
"""

from .analysis import ClassAnalysis, analyse
from .key import GradingKey, bank_key, paper_key, read_key
from .responses import ResponseSheet, read_responses
from .scoring import GradedClass, grade
from .tables import summary_lines, write_tables

__all__ = [
    "ClassAnalysis", "GradedClass", "GradingKey", "ResponseSheet", "analyse", "bank_key",
    "grade", "paper_key", "read_key", "read_responses", "summary_lines", "write_tables",
]
