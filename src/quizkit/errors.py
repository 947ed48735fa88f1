"""The one exception type for bad input, and its one-line message format.

Every problem a user can fix (a malformed bank, a broken CSV, a missing file) is a
``QuizkitError``. Its message always reads
``In quizzes/operation.yml, line 12: <rule broken>`` so that the CLI, the Sphinx
extension and the tests print and compare one shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One rule broken at one place. ``line`` is 1-based; ``None`` when no line applies."""

    path: str
    line: int | None
    rule: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"In {self.path}" + (f", line {self.line}" if self.line else "")
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{where}: {self.rule}"


def display_path(path: str | Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


class QuizkitError(Exception):
    """Bad input. Carries one or more problems; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str | Path, line: int | None, rule: str) -> "QuizkitError":
        return cls(Problem(display_path(path), line, rule))
