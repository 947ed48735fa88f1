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
    delimiter = _delimiter(text)
    if delimiter != ",":
        notes.append(f"{shown} separates its cells with {_DELIMITER_NAMES[delimiter]} (as a "
                     "spreadsheet set to another language saves CSV); it was read that way")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_line, names = 0, []
    rows, lines, empty = [], [], 0
    start = 1
    # A class writes the same few answers again and again: one string object per distinct
    # cell text, shared by every cell that holds it, keeps memory to the cells' pointers.
    shared: dict[str, str] = {}
    share = shared.setdefault
    try:
        # One pass, keeping only the stripped cells: memory grows with the cells.
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not cells:
                continue  # a blank line
            if not header_line:
                header_line, names = line, [name.strip() for name in cells]
                continue
            stripped = list(map(str.strip, cells))
            stripped = tuple(map(share, stripped, stripped))
            if not any(stripped):
                empty += 1
                continue
            rows.append(stripped)
            lines.append(line)
    except csv.Error as exc:
        raise QuizkitError(Problem(shown, reader.line_num or 1,
                                   f"not a readable CSV file ({exc})")) from None
    id_index, version_index, question_indices = _check_header(shown, header_line, names)
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


_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _delimiter(text: str) -> str:
    """The cell separator, judged from the header line: commas unless it has none and
    has semicolons or tabs instead."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    if "," in header:
        return ","
    for candidate in (";", "\t"):
        if candidate in header:
            return candidate
    return ","


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
        found = ", ".join(repr(name) for name in names[:4]) + (", …" if len(names) > 4 else "")
        problems.append(f"the header has no {ID_COLUMN} column (expected "
                        f"student_id,version,1,2,…; found {found})")
    if problems:
        raise QuizkitError([Problem(shown, line, rule) for rule in problems])
    id_index = folded.index(ID_COLUMN)
    version_index = folded.index(VERSION_COLUMN) if VERSION_COLUMN in folded else None
    questions = [i for i in range(len(names)) if i not in (id_index, version_index)]
    if not questions:
        raise QuizkitError(Problem(shown, line, "the header has no question columns "
                                   "(expected student_id,version,1,2,…)"))
    return id_index, version_index, questions


