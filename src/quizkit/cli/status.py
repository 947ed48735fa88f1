"""Exit statuses of the ``quizkit`` command."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # a bug in quizkit, not in the input
    BAD_INPUT = 2  # the input breaks a rule; the messages say which and where
