"""The one project loader: bank files → validated banks → a ``Catalog``.

Every user of the banks goes through ``load_project``: ``quizkit check`` (with the
lint), the Sphinx extension, export, paper, grade and the benchmarks (without it:
the lint is advice for authors and the slowest step). Source ids and quotes are
checked against the project's ``data/`` and seed texts (see ``quizkit.sources``).
``load_catalog`` is the same, for tools that stop at the first invalid bank.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import yaml

from . import cache
from .bank import BankReading, expand_paths, read_banks
from .catalog import Catalog
from .errors import Problem, QuizkitError, display_path
from .files import read_user_text
from .coverage import Coverage, coverage
from .exam_security import leak_problems
from .lint import lint_banks
from .solutions import HOLD_CONFIG, HoldSettingError, Solution, hold_setting, page_solutions
from .sources import SourceContext, find_data_dir, project_sources


@dataclass
class Project:
    """What loading gave: the valid banks (as a catalog), every problem, every note."""

    catalog: Catalog
    readings: list[BankReading] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors and warnings, in order
    notes: list[str] = field(default_factory=list)
    coverage: Coverage | None = None  # levels and objectives, computed with the lint
    data_dir: Path | None = None  # where references.bib and objectives.csv were looked for

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


def load_project(paths: Iterable[str | Path] = ("quizzes",), *,
                 data_dir: str | Path | None = None, seeds_dir: str | Path | None = None,
                 sources: SourceContext | None = None, lint: bool = False) -> Project:
    """Load and validate the banks at ``paths`` (files or folders); lint them only when
    asked. Never raises for bad banks: the problems are in the result.

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
        cached = cache.load(files, data_dir, seeds_dir)
        if cached is None:
            sources = project_sources(Path(data_dir) if data_dir else None,
                                      seeds_dir=seeds_dir)
            readings = read_banks(files, references=sources.references,
                                  seed_ids=sources.seed_ids, seed_texts=sources.seed_texts)
            cache.store(files, data_dir, seeds_dir, (sources, readings))
        else:
            sources, readings = cached
    else:
        readings = read_banks(files, references=sources.references,
                              seed_ids=sources.seed_ids, seed_texts=sources.seed_texts)
    valid = [r.bank for r in readings if r.bank is not None and not r.problems]
    project = Project(Catalog(valid), readings, notes=list(sources.notes),
                      data_dir=Path(data_dir) if data_dir else None)
    project.problems.extend(problems)
    project.problems.extend(sources.problems)
    warnings = lint_banks(r.bank for r in readings if r.bank is not None) if lint else []
    book_problems: list[Problem] = []  # about the book's files, not a bank's
    if lint:
        found = _solution_warnings(paths, [r.bank for r in readings if r.bank is not None])
        bank_paths = {r.path for r in readings}
        warnings = sorted(warnings + [p for p in found if p.path in bank_paths],
                          key=lambda w: (w.path, w.line or 0))
        book_problems = [p for p in found if p.path not in bank_paths]
    for reading in readings:
        project.problems.extend(reading.problems)
        project.problems.extend(w for w in warnings if w.path == reading.path)
    project.problems.extend(book_problems)
    if lint:
        project.coverage = coverage((r.bank for r in readings if r.bank is not None),
                                    Path(data_dir) if data_dir else None)
        project.problems.extend(project.coverage.problems)
    return project


def load_catalog(paths: Iterable[str | Path] = ("quizzes",), **options) -> Catalog:
    """The catalog of valid banks, or one ``QuizkitError`` listing every error: a
    broken bank never reaches an LMS or a printed test."""
    project = load_project(paths, **options)
    if project.errors:
        raise QuizkitError(project.errors)
    return project.catalog


# -- the book's settings -----------------------------------------------------------

BOOK_CONFIG = "_config.yml"


@dataclass(frozen=True)
class BookSettings:
    """What a book's configuration says about its quizzes (``None``: not said)."""

    course: str | None = None  # sphinx.config.quizkit_course
    paper_title: str | None = None  # sphinx.config.quizkit_paper_title
    root: Path | None = None  # the folder holding _config.yml; None: no book found
    bank_dir: str = "quizzes"  # sphinx.config.quizkit_bank_dir
    instructor_pages: tuple[str, ...] = ("chapters/instructors/**",)
    hold_solutions: object = None  # sphinx.config.hold_solutions, as written


def book_settings(start: str | Path) -> BookSettings:
    """The settings in the ``_config.yml`` of the book holding ``start`` (the banks'
    folder), or in ``start`` and the folders above it; empty when there is none."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        path = folder / BOOK_CONFIG
        if path.is_file():
            try:
                config = yaml.safe_load(read_user_text(path).text) or {}
            except yaml.YAMLError as exc:
                raise QuizkitError.at(path, None, f"YAML syntax error: {exc}") from None
            sphinx_config = ((config.get("sphinx") or {}).get("config") or {}
                             if isinstance(config, dict) else {})
            pages = sphinx_config.get("quizkit_instructor_pages")
            return BookSettings(course=sphinx_config.get("quizkit_course"),
                                paper_title=sphinx_config.get("quizkit_paper_title"),
                                root=folder,
                                bank_dir=sphinx_config.get("quizkit_bank_dir") or "quizzes",
                                instructor_pages=(tuple(pages) if isinstance(pages, list)
                                                  else BookSettings.instructor_pages),
                                hold_solutions=sphinx_config.get(HOLD_CONFIG))
    return BookSettings()


# -- the book's pages and their solutions -------------------------------------------

BOOK_TOC = "_toc.yml"
PAGE_SUFFIXES = (".ipynb", ".md")


def book_pages(root: Path) -> list[tuple[str, Path]]:
    """(docname, file) of every page the book's ``_toc.yml`` lists, in order."""
    path = root / BOOK_TOC
    if not path.is_file():
        return []
    try:
        toc = yaml.safe_load(read_user_text(path).text) or {}
    except yaml.YAMLError as exc:
        raise QuizkitError.at(path, None, f"YAML syntax error: {exc}") from None
    names: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    names.append(node[key])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    pages = []
    for name in dict.fromkeys(names):
        docname = str(Path(name).with_suffix("")) if Path(name).suffix in PAGE_SUFFIXES else name
        for suffix in PAGE_SUFFIXES:
            if (root / (docname + suffix)).is_file():
                pages.append((docname, root / (docname + suffix)))
                break
    return pages


def student_solutions(book: BookSettings,
                      environ: Mapping[str, str] | None = None) -> list[Solution]:
    """The solutions the book's student edition prints: on student pages, not held back
    (``quizkit.solutions``; ``environ``: the environment, ``os.environ`` by default)."""
    if book.root is None:
        return []
    hold = hold_setting(book.hold_solutions, os.environ if environ is None else environ)
    found = []
    for docname, path in book_pages(book.root):
        if any(fnmatch(docname + suffix, pattern) for pattern in book.instructor_pages
               for suffix in ("", path.suffix)):
            continue
        found += [s for s in page_solutions(path, docname) if not hold.holds(s.label, docname)]
    return found


def _book_of_banks(paths: list[Path]) -> BookSettings | None:
    """The book whose own bank folder (``quizkit_bank_dir``) holds the banks at
    ``paths``, or None: banks elsewhere are not judged by a book's solutions."""
    if not paths:
        return None
    folder = paths[0] if paths[0].is_dir() else paths[0].parent
    book = book_settings(folder)
    if book.root is None or (book.root / book.bank_dir).resolve() != folder.resolve():
        return None
    return book


def _solution_warnings(paths: list[Path], banks: list) -> list[Problem]:
    """Exam answers printed in the student edition's solutions (warnings), or the one
    problem that stops the check (an unreadable _config.yml, _toc.yml or setting)."""
    try:
        book = _book_of_banks(paths)
        if book is None:
            return []
        solutions = student_solutions(book)
    except QuizkitError as err:
        return err.problems
    except HoldSettingError as err:
        return [Problem(display_path(book.root / BOOK_CONFIG), None, str(err))]
    return leak_problems(banks, solutions)
