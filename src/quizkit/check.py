"""``quizkit check``: validate and lint banks, and count what was found.

Returns a report rather than printing, so the CLI, the tests and other tools share it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .bank import BankReading, bank_files, read_banks
from .coverage import Coverage, coverage
from .errors import Problem, display_path
from .lint import lint_banks
from .project import SourceContext, find_data_dir, project_sources


@dataclass
class CheckReport:
    readings: list[BankReading] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors and warnings, in order
    notes: list[str] = field(default_factory=list)
    coverage: Coverage | None = None  # levels and objectives, once the banks are read

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "warning"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def summary(self) -> str:
        banks = sum(r.readable for r in self.readings)
        items = sum(r.item_count for r in self.readings)
        return (f"{_count(banks, 'bank')}, {_count(items, 'item')}: "
                f"{_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files stay files; a folder stands for its bank files (an empty one is a problem)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_dir():
            try:
                found = bank_files(path)
            except OSError as exc:
                problems.append(Problem(display_path(path), None,
                                        f"cannot list the folder: {exc.strerror or exc}"))
                continue
            if not found:
                problems.append(Problem(display_path(path), None,
                                        "no bank files (*.yml) in this folder"))
            files.extend(found)
        else:
            files.append(path)  # a missing file is reported by the loader, by name
    unique, seen = [], set()
    for path in files:  # a file named twice (directly and via its folder) is read once
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique, problems


def check_paths(paths: Iterable[str | Path], *, data_dir: str | Path | None = None,
                seeds_dir: str | Path | None = None, sources: SourceContext | None = None,
                environ: Mapping[str, str] = os.environ) -> CheckReport:
    """Load, validate and lint the banks at ``paths`` (files or folders).

    Source ids and quotes are checked against ``data_dir`` (default: the ``data/``
    folder of the project holding the first path) and the seed texts in ``seeds_dir``;
    or pass a ready ``SourceContext`` as ``sources``.
    """
    paths = [Path(p) for p in paths]
    files, problems = expand_paths(paths)
    if sources is None:
        if data_dir is None:
            start = paths[0] if paths else Path.cwd()
            data_dir = find_data_dir(start if start.is_dir() else start.parent)
        elif not Path(data_dir).is_dir():
            problems.append(Problem(display_path(data_dir), None, "data folder not found"))
            data_dir = None
        sources = project_sources(Path(data_dir) if data_dir else None,
                                  seeds_dir=seeds_dir, environ=environ)
    readings = read_banks(files, references=sources.references, seed_ids=sources.seed_ids,
                          seed_texts=sources.seed_texts)
    report = CheckReport(readings=readings, notes=list(sources.notes))
    report.problems.extend(problems)
    report.problems.extend(sources.problems)
    warnings = lint_banks(r.bank for r in readings if r.bank is not None)
    for reading in readings:
        report.problems.extend(reading.problems)
        report.problems.extend(w for w in warnings if w.path == reading.path)
    report.coverage = coverage((r.bank for r in readings if r.bank is not None),
                               Path(data_dir) if data_dir else None)
    report.problems.extend(report.coverage.problems)
    return report
