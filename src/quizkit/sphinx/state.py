"""What the extension knows during one build, and how it fails: log every problem
where it happens, then fail once at the end.

Banks are read once per build (``builder-inited``) and kept on the application.
Problems found while reading documents are kept in the environment, per document, so
they survive parallel reading (merged back) and incremental builds (purged when a
document is read again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util import logging

from ..catalog import Catalog
from ..project import load_project
from ..sources import find_data_dir, project_sources

logger = logging.getLogger(__name__)

EDITIONS = ("student", "instructor")


class QuizkitBuildError(SphinxError):
    category = "quizkit error"


@dataclass
class BuildState:
    bank_dir: Path
    catalog: Catalog = field(default_factory=lambda: Catalog(()))
    bank_paths: dict[str, Path] = field(default_factory=dict)
    bank_problems: list[str] = field(default_factory=list)
    unreadable_banks: set[str] = field(default_factory=set)  # file stems


def build_state(app: Sphinx) -> BuildState:
    return app.quizkit_state  # set in load_banks_for_build


def is_instructor_edition(config) -> bool:
    return config.quizkit_edition == "instructor"


def _relative(path: Path, srcdir: Path) -> str:
    try:
        return path.resolve().relative_to(srcdir.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_banks_for_build(app: Sphinx) -> None:
    """Read and validate every bank in ``quizkit_bank_dir``; log each problem."""
    srcdir = Path(app.srcdir)
    bank_dir = (srcdir / app.config.quizkit_bank_dir).resolve()
    state = BuildState(bank_dir=bank_dir)
    app.quizkit_state = state
    if not bank_dir.is_dir():
        return  # a book without banks; a {quiz} directive will say so where it is used
    seeds = app.config.quizkit_seeds_dir
    # Reference keys and seed texts come from the book's own data/ (searched from the
    # book's source folder, never above it): a sample book inside the repository must
    # not be judged by the repository's data.
    sources = project_sources(find_data_dir(srcdir),
                              seeds_dir=(srcdir / seeds) if seeds else None)
    project = load_project([bank_dir], sources=sources)
    for note in project.notes:
        logger.info("quizkit: %s", note)
    state.catalog = project.catalog
    for reading in project.readings:
        if not state.catalog.has_bank(Path(reading.path).stem):
            state.unreadable_banks.add(Path(reading.path).stem)
        else:
            state.bank_paths[Path(reading.path).stem] = bank_dir / Path(reading.path).name
    for problem in project.problems:
        shown = _relative(Path(problem.path), srcdir)
        location = f"{shown}:{problem.line}" if problem.line else shown
        state.bank_problems.append(f"{location}: {problem.rule}")
        logger.error(problem.rule, location=location, type="quizkit", subtype="bank")


# -- problems found in documents ---------------------------------------------------


def report_in_document(env: BuildEnvironment, lineno: int | None, message: str) -> None:
    """Log ``message`` at the document and line, and remember it to fail the build."""
    logger.error(message, location=(env.docname, lineno), type="quizkit", subtype="edition")
    where = f"{env.doc2path(env.docname)}:{lineno}" if lineno else str(env.doc2path(env.docname))
    env.quizkit_doc_problems.setdefault(env.docname, []).append(f"{where}: {message}")


def init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: make sure the bookkeeping exists (new or old env)."""
    if not hasattr(env, "quizkit_doc_problems"):
        env.quizkit_doc_problems = {}


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    if hasattr(env, "quizkit_doc_problems"):
        env.quizkit_doc_problems.pop(docname, None)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: list[str],
               other: BuildEnvironment) -> None:
    """Parallel reading: bring the workers' findings back into the main environment."""
    init_env(app, env, docnames)
    for docname in docnames:
        if docname in getattr(other, "quizkit_doc_problems", {}):
            env.quizkit_doc_problems[docname] = other.quizkit_doc_problems[docname]


def fail_if_problems(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: one failure for everything logged during the build."""
    if exception is not None:
        return
    state = getattr(app, "quizkit_state", None)
    problems = list(state.bank_problems if state else [])
    problems += [p for docname in sorted(getattr(app.env, "quizkit_doc_problems", {}))
                 for p in app.env.quizkit_doc_problems[docname]]
    if problems:
        raise QuizkitBuildError(f"{len(problems)} quiz problem(s), logged above:\n"
                                + "\n".join(problems))
