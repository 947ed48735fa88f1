"""The one exception type for bad input, its one-line message format, and the one
collector of problems.

Every problem a user can fix (a malformed bank, a broken CSV, a missing file, an
option that makes no sense) is a ``QuizkitError``. Its message always reads
``In quizzes/operation.yml, line 12: <rule broken>`` so that the CLI, the Sphinx
extension and the tests print and compare one shape. A problem with no file (a bad
combination of command-line options) is printed as its rule alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One rule broken at one place. ``line`` is 1-based; ``None`` when no line applies;
    ``path`` is empty when no file applies."""

    path: str
    line: int | None
    rule: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        if not self.path:
            return f"{prefix}{self.rule}"
        where = f"In {self.path}" + (f", line {self.line}" if self.line else "")
        return f"{prefix}{where}: {self.rule}"


def display_path(path: str | Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class QuizkitError(Exception):
    """Bad input. Carries one or more problems; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str | Path, line: int | None, rule: str) -> QuizkitError:
        return cls(Problem(display_path(path), line, rule))

    @classmethod
    def usage(cls, rule: str) -> QuizkitError:
        """A problem with how a command was called rather than with a file."""
        return cls(Problem("", None, rule))


class Problems:
    """The problems found in one file, each with its line, raised together (or handed
    over) once the whole file has been read: a maintainer sees the whole list at once."""

    def __init__(self, path: str | Path):
        self.path = path if isinstance(path, str) else display_path(path)
        self.items: list[Problem] = []

    def add(self, line: int | None, rule: str) -> None:
        self.items.append(Problem(self.path, line, rule))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise QuizkitError(self.items)
