"""Reading a responses CSV: its header and rows, each with the line it starts on.

Rules for a responses file (the instructors' guide quotes them):

- File-level problems stop grading with one ``In <file>, line <n>: …`` error and no
  output: a missing, unreadable, empty or non-UTF-8 file, a header without rows, a
  header without ``student_id``, a repeated or empty column name, an unknown
  column (a question number the key does not have), a question of the key with no
  column, and ``version`` missing while the key has several versions.
- A UTF-8 byte-order mark (what "CSV UTF-8" in a spreadsheet writes) is accepted,
  with a note.
- Rows whose cells are all empty (a spreadsheet's trailing rows) carry no student and
  are skipped, and counted in a note.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, QuizkitError, display_path
from ..files import read_user_text

ID_COLUMN = "student_id"
VERSION_COLUMN = "version"


@dataclass(frozen=True)
class ResponseSheet:
    """A responses file as read: header and non-empty rows, with their line numbers."""

    path: str  # as shown in messages
    question_columns: tuple[str, ...]  # header names after student_id/version, in order
    has_version: bool
    rows: tuple[tuple[str, ...], ...]  # cells, stripped, in header order
    lines: tuple[int, ...]  # line where each row starts
    width: int  # cells in the header
    notes: tuple[str, ...] = ()
    id_index: int = 0
    version_index: int | None = None
    question_indices: tuple[int, ...] = ()
    header_line: int = 1


def read_responses(path: str | Path) -> ResponseSheet:
    """Read and check the file's shape; a ``QuizkitError`` for any file-level problem."""
    shown = display_path(path)
    text, notes = _read_text(Path(path), shown)
    if not text.strip():
        raise QuizkitError(Problem(shown, 1, "the file is empty; expected a header "
                                   "student_id,version,1,2,… and one row per student"))
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise QuizkitError(Problem(shown, reader.line_num or 1,
                                   f"not a readable CSV file ({exc})")) from None
    records = [(line, cells) for line, cells in records if cells]  # blank lines
    header_line, header = records[0]
    names = [name.strip() for name in header]
    id_index, version_index, question_indices = _check_header(shown, header_line, names)

    rows, lines, empty = [], [], 0
    for line, cells in records[1:]:
        stripped = tuple(map(str.strip, cells))
        if not any(stripped):
            empty += 1
            continue
        rows.append(stripped)
        lines.append(line)
    if not rows:
        raise QuizkitError(Problem(shown, header_line, "the file has a header but no "
                                   "student rows"))
    if empty:
        notes.append(f"{shown}: skipped {empty} row{'s' if empty > 1 else ''} with every "
                     "cell empty")
    return ResponseSheet(shown, tuple(names[i] for i in question_indices),
                         version_index is not None, tuple(rows), tuple(lines), len(names),
                         tuple(notes), id_index, version_index, tuple(question_indices),
                         header_line)


def _read_text(path: Path, shown: str) -> tuple[str, list[str]]:
    user_text = read_user_text(path)
    notes = []
    if user_text.had_bom:
        notes.append(f"{shown} starts with a byte-order mark (a spreadsheet's \"CSV "
                     "UTF-8\"); it was ignored")
    return user_text.text, notes


def _check_header(shown: str, line: int, names: list[str]) -> tuple[int, int | None, list[int]]:
    folded = [name.lower() for name in names]
    problems = []
    if "" in names:
        problems.append(f"column {names.index('') + 1} of the header has no name")
    repeated = sorted({n for n in folded if n and folded.count(n) > 1})
    if repeated:
        problems.append(f"column {', '.join(repeated)} appears more than once in the header")
    if ID_COLUMN not in folded:
        problems.append(f"the header has no {ID_COLUMN} column (expected "
                        "student_id,version,1,2,…)")
    if problems:
        raise QuizkitError([Problem(shown, line, rule) for rule in problems])
    id_index = folded.index(ID_COLUMN)
    version_index = folded.index(VERSION_COLUMN) if VERSION_COLUMN in folded else None
    questions = [i for i in range(len(names)) if i not in (id_index, version_index)]
    if not questions:
        raise QuizkitError(Problem(shown, line, "the header has no question columns "
                                   "(expected student_id,version,1,2,…)"))
    return id_index, version_index, questions


