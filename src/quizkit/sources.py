"""What the bank's source checks compare against: the project's reference keys
(``data/references.bib``), its seed documents (``data/sources.yml``: which source ids
are seed documents, and their file names) and the seed texts themselves, which live
in a seeds folder outside the repository.

Only what the checks need is read here; the book's own data layer
(``resolve_book.data``) validates the rest of those files. Anything unavailable is
skipped with a note, never silently.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database import parse_string
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError

from .errors import Problem, Problems, QuizkitError, display_path
from .files import read_user_text
from .yaml_lines import LocatedDict, YamlSyntaxError, load_located

SEEDS_ENV = "QUIZKIT_SEEDS"
DATA_FILES = ("references.bib", "sources.yml")
# Files that mark the root of a book: the search for data/ stops there, so a sample
# book inside the repository is never judged by the repository's data.
BOOK_ROOT_FILES = ("_config.yml", "conf.py")

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # ids and BibTeX keys: lowercase, single hyphens
# Where an entry starts in a .bib file: "@type{key," (pybtex itself keeps no line numbers).
BIB_ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]*)", re.M)


@dataclass
class SourceContext:
    """What the source checks can use; ``None`` means "skip that check"."""

    references: set[str] | None = None
    seed_ids: set[str] | None = None
    seed_texts: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)  # checks skipped, and why
    problems: list[Problem] = field(default_factory=list)  # unusable data or seeds


# -- where -----------------------------------------------------------------------


def is_data_dir(folder: Path) -> bool:
    return any((folder / name).is_file() for name in DATA_FILES)


def find_data_dir(start: Path) -> Path | None:
    """The project's ``data/`` folder: in ``start`` or the nearest folder above it,
    never above the root of the book that holds ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_data_dir(folder / "data"):
            return folder / "data"
        if any((folder / name).is_file() for name in BOOK_ROOT_FILES):
            return None
    return None


def default_seeds_dir(data_dir: Path) -> Path:
    """``<repository>/../shared/seeds``: the seed texts live outside the repository."""
    return data_dir.resolve().parent.parent / "shared" / "seeds"


def find_seeds_dir(data_dir: Path, explicit: str | Path | None = None) -> tuple[Path, bool]:
    """The seeds folder, and whether it was asked for (option or environment) rather
    than the default guess."""
    if explicit:
        return Path(explicit), True
    if os.environ.get(SEEDS_ENV):
        return Path(os.environ[SEEDS_ENV]), True
    return default_seeds_dir(data_dir), False


# -- references.bib ----------------------------------------------------------------


def reference_keys(data_dir: Path | str) -> set[str]:
    """The BibTeX keys of ``references.bib``: every id a source may use."""
    path = Path(data_dir) / "references.bib"
    text = read_user_text(path).text
    problems = Problems(path)
    first_line: dict[str, int] = {}
    for match in BIB_ENTRY.finditer(text):
        kind, key = match.group(1).lower(), match.group(2)
        if kind in ("comment", "string", "preamble"):
            continue
        line = text.count("\n", 0, match.start(2)) + 1
        if not ID.fullmatch(key):
            problems.add(line, f"key '{key}' must use lowercase letters, digits and single hyphens")
        # BibTeX keys are case-insensitive, so 'A' and 'a' clash too.
        if key.lower() in first_line:
            problems.add(line, f"duplicate key '{key}' (first on line {first_line[key.lower()]})")
        else:
            first_line[key.lower()] = line
    problems.raise_if_any()  # pybtex would stop at the first duplicate without a line
    try:
        bib = parse_string(text, "bibtex")
    except PybtexSyntaxError as err:
        raise QuizkitError.at(path, err.lineno, f"BibTeX syntax error: {err.args[0]}") from None
    except PybtexError as err:
        raise QuizkitError.at(path, None, f"BibTeX error: {err}") from None
    for key, entry in bib.entries.items():
        # Without a title the author-year style has nothing to cite an unsigned document by.
        if not entry.fields.get("title", "").strip():
            problems.add(first_line.get(key.lower()), f"entry '{key}' has no title")
    problems.raise_if_any()
    return set(bib.entries.keys())


# -- sources.yml ---------------------------------------------------------------------


def seed_files(data_dir: Path | str) -> dict[str, str]:
    """Seed document file names by source id, from ``sources.yml`` (a list of records
    with at least ``id`` and ``seed_file``)."""
    path = Path(data_dir) / "sources.yml"
    try:
        records = load_located(read_user_text(path).text)
    except YamlSyntaxError as err:
        raise QuizkitError.at(path, err.line, err.message) from None
    if not isinstance(records, list):
        raise QuizkitError.at(path, getattr(records, "line", 1),
                              "must be a list of source records")
    problems = Problems(path)
    found: dict[str, str] = {}
    for record, line in zip(records, records.item_lines):
        if not isinstance(record, LocatedDict):
            problems.add(line, "each source record must be a mapping of keys")
            continue
        source_id, seed_file = record.get("id"), record.get("seed_file")
        if not isinstance(source_id, str) or not isinstance(seed_file, str):
            problems.add(line, "a source record needs `id` and `seed_file` as text")
            continue
        found[source_id] = seed_file
    problems.raise_if_any()
    return found


# -- all together ----------------------------------------------------------------------


def project_sources(data_dir: Path | None, *,
                    seeds_dir: str | Path | None = None) -> SourceContext:
    """Reference keys and seed ids from ``data_dir``, seed texts from the seeds folder."""
    context = SourceContext()
    if data_dir is None:
        context.notes.append("no data/ folder found: source ids and quotes are not checked")
        return context
    try:
        context.references = reference_keys(data_dir)
        seeds = seed_files(data_dir)
    except QuizkitError as exc:
        context.problems.extend(exc.problems)
        return context
    context.seed_ids = set(seeds)

    folder, asked = find_seeds_dir(data_dir, seeds_dir)
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
    for source_id, seed_file in seeds.items():
        path = folder / seed_file
        try:
            context.seed_texts[source_id] = read_user_text(path).text
        except QuizkitError as exc:
            context.notes.append(f"{exc.problems[0]}: quotes from {source_id} are not "
                                 "compared with it")
    return context
