"""Where a check finds the project's reference keys and seed texts.

The bank loader takes these as parameters; this module gathers them for the real
project (``quizkit check`` and the Sphinx extension): reference keys and seed ids from
``quizkit.datasets`` (which reads ``data/``), and seed texts from the seeds folder,
which lives outside the repository. Anything unavailable is skipped with a note, never
silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, QuizkitError, display_path

SEEDS_ENV = "QUIZKIT_SEEDS"
DATA_FILES = ("references.bib", "sources.yml")


@dataclass
class SourceContext:
    """What the source checks can use; ``None`` means "skip that check"."""

    references: set[str] | None = None
    seed_ids: set[str] | None = None
    seed_texts: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)  # checks skipped, and why
    problems: list[Problem] = field(default_factory=list)  # unusable data or seeds


def is_data_dir(folder: Path) -> bool:
    return any((folder / name).is_file() for name in DATA_FILES)


def find_data_dir(start: Path) -> Path | None:
    """The project's ``data/`` folder: in ``start`` or the nearest folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_data_dir(folder / "data"):
            return folder / "data"
    return None


def default_seeds_dir(data_dir: Path) -> Path:
    """``<repository>/../shared/seeds``: the seed texts live outside the repository."""
    return data_dir.resolve().parent.parent / "shared" / "seeds"


def find_seeds_dir(data_dir: Path, explicit: str | Path | None = None,
                   environ: Mapping[str, str] = os.environ) -> tuple[Path, bool]:
    """The seeds folder, and whether it was asked for (option or environment) rather
    than the default guess."""
    if explicit:
        return Path(explicit), True
    if environ.get(SEEDS_ENV):
        return Path(environ[SEEDS_ENV]), True
    return default_seeds_dir(data_dir), False


def _record_value(record: object, name: str) -> object:
    """Seed records may be dataclasses or mappings; read either."""
    if isinstance(record, Mapping):
        return record.get(name)
    return getattr(record, name, None)


def project_sources(data_dir: Path | None, *, seeds_dir: str | Path | None = None,
                    environ: Mapping[str, str] = os.environ) -> SourceContext:
    """Reference keys and seed ids from ``data_dir``, seed texts from the seeds folder."""
    context = SourceContext()
    if data_dir is None:
        context.notes.append("no data/ folder found: source ids and quotes are not checked")
        return context
    seed_records: list[object] = []
    try:
        from . import datasets
        context.references = set(datasets.reference_keys(data_dir))
        seed_records = list(datasets.load_sources(data_dir))
        context.seed_ids = {str(_record_value(r, "id")) for r in seed_records}
    except ImportError as exc:
        context.notes.append(f"quizkit.datasets is not available ({exc}): "
                             "source ids are not checked")
        return context
    except QuizkitError as exc:
        context.problems.extend(exc.problems)
        return context

    folder, asked = find_seeds_dir(data_dir, seeds_dir, environ)
    if not folder.is_dir():
        if asked:
            context.problems.append(Problem(display_path(folder), None,
                                            "seeds folder not found"))
        else:
            context.notes.append(
                f"seeds folder {display_path(folder)} not found: quotes are not compared "
                f"with the seed texts (use --seeds DIR or {SEEDS_ENV})")
        return context
    context.seed_texts = {}
    for record in seed_records:
        source_id, seed_file = _record_value(record, "id"), _record_value(record, "seed_file")
        if not source_id or not seed_file:
            continue
        path = folder / str(seed_file)
        try:
            context.seed_texts[str(source_id)] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            context.notes.append(f"cannot read seed text {display_path(path)} "
                                 f"({getattr(exc, 'strerror', None) or exc}): quotes from "
                                 f"{source_id} are not compared with it")
    return context
