"""quizkit: one quiz bank, many outputs.

A bank in ``quizzes/`` becomes the in-book self-check, the printed questions, the
answer key, the LMS exports and the grading key.
"""

__version__ = "0.1.0"
