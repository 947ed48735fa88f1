"""Scoring a class: every row of a responses sheet against the grading key.

Correctness is never decided here: each distinct answer written to a question goes
through ``to_model_response`` and ``Item.is_correct`` once, and the verdict is spread
over the column with numpy.

Row-level problems set the row aside in ``exceptions.csv`` with its line and every
reason, and the rest of the class is graded: an empty ``student_id``; an unknown or
missing version; a ``student_id`` on more than one row (*all* its rows are set aside:
which one is right is the instructor's call); an answer that cannot be an answer to
its question ("E" on a four-option question); an answer to a question not on the
row's version; more or fewer cells than the header. Every row is either graded or
listed: rows read = rows graded + rows in exceptions.csv.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import Problem, QuizkitError
from ..model import Item
from ..paper.key import KeyRow
from .key import GradingKey, InvalidAnswerError, to_model_response
from .responses import ResponseSheet

CHOICE_TYPES = ("single", "multiple")

# Verdicts for one written answer.
_BLANK, _WRONG, _RIGHT, _INVALID = 0, 1, 2, 3
_QUESTION_NUMBER = re.compile(r"[1-9][0-9]*\Z")


@dataclass(frozen=True)
class SetAside:
    """A row that was not graded, and why (every reason found)."""

    line: int
    student_id: str
    version: str
    reason: str


@dataclass
class GradedClass:
    """The graded students (file order) and the rows set aside."""

    responses: str
    key: GradingKey
    student_ids: list[str]
    versions: list[str]
    lines: list[int]
    item_ids: list[str]  # analysis columns: each item once, in the key's question order
    scores: np.ndarray  # students × items, 1/0, NaN where the item was not on the paper
    question_scores: np.ndarray  # students × question numbers, 1/0, NaN if not on paper
    points: np.ndarray
    max_points: np.ndarray
    answered: np.ndarray
    choices: dict[str, np.ndarray]  # item id → students × (options…, blank)
    exceptions: list[SetAside]
    rows_read: int
    notes: list[str] = field(default_factory=list)

    @property
    def questions(self) -> int:
        return self.question_scores.shape[1]


def grade(sheet: ResponseSheet, key: GradingKey) -> GradedClass:
    """Score every row, set aside the rows that break a rule, keep the invariant."""
    by_version: dict[str, dict[int, KeyRow]] = defaultdict(dict)
    for row in key.rows:
        by_version[row.version][row.question] = row
    column_questions = _column_questions(sheet, key, by_version)
    question_count = max(q for v in by_version.values() for q in v)
    reasons: dict[int, list[str]] = defaultdict(list)
    n_rows = len(sheet.rows)

    # Row shape, id and version: plain Python, one pass.
    ids, versions = [], []
    only_version = key.versions[0] if len(key.versions) == 1 else None
    for r, cells in enumerate(sheet.rows):
        if len(cells) < sheet.width or any(cells[sheet.width:]):
            reasons[r].append(f"the row has {len(cells)} cells but the header has "
                              f"{sheet.width}")
        cells = (cells + ("",) * sheet.width)[: sheet.width]
        student = cells[sheet.id_index]
        version = cells[sheet.version_index].upper() if sheet.has_version else ""
        if not student:
            reasons[r].append("student_id is empty")
        if not version and only_version:
            version = only_version
        if not version:
            reasons[r].append(f"no version (the key has versions {', '.join(key.versions)})")
        elif version not in by_version:
            reasons[r].append(f"version {version} is not in the key (versions: "
                              f"{', '.join(key.versions)})")
        ids.append(student)
        versions.append(version)
    _mark_duplicates(ids, sheet.lines, reasons)

    # One matrix of what was written, one column per question number (short rows are
    # padded: they are set aside above, but keep the matrix rectangular).
    pad = ("",) * sheet.width
    cells = np.array([(row + pad)[: sheet.width] for row in sheet.rows], dtype=str)
    written = np.full((n_rows, question_count), "", dtype=cells.dtype)
    for index, question in zip(sheet.question_indices, column_questions):
        written[:, question - 1] = cells[:, index]

    item_ids = list(dict.fromkeys(row.item_id for row in sorted(
        key.rows, key=lambda row: (row.version, row.question))))
    item_column = {item_id: j for j, item_id in enumerate(item_ids)}
    scores = np.full((n_rows, len(item_ids)), np.nan)
    question_scores = np.full((n_rows, question_count), np.nan)
    points = np.zeros(n_rows)
    max_points = np.zeros(n_rows)
    answered = np.zeros(n_rows, dtype=int)
    choices = {item_id: np.full((n_rows, _choice_width(key.item(item_id))), np.nan)
               for item_id in item_ids}
    version_array = np.array(versions, dtype=object)

    for version, questions in by_version.items():
        rows = np.flatnonzero(version_array == version)
        if not rows.size:
            continue
        for question in range(1, question_count + 1):
            key_row = questions.get(question)
            column = written[rows, question - 1]
            if key_row is None:
                for r in rows[column != ""]:
                    reasons[r].append(f"question {question} is not on version {version}")
                continue
            item = key.item(key_row.item_id)
            distinct, where = np.unique(column, return_inverse=True)
            verdicts, chosen = _judge(item, key_row, distinct)
            verdict = verdicts[where]
            for u in np.flatnonzero(verdicts == _INVALID):
                message = chosen[u]
                for r in rows[where == u]:
                    reasons[r].append(f"question {question}: {message}")
            right = (verdict == _RIGHT).astype(float)
            scores[rows, item_column[item.id]] = right
            question_scores[rows, question - 1] = right
            points[rows] += right * key_row.points
            max_points[rows] += key_row.points
            answered[rows] += verdict != _BLANK
            choices[item.id][rows] = _choice_table(item, verdicts, chosen)[where]

    graded = np.array([r not in reasons for r in range(n_rows)], dtype=bool)
    exceptions = [SetAside(sheet.lines[r], ids[r], versions[r], "; ".join(reasons[r]))
                  for r in sorted(reasons)]
    if graded.sum() + len(exceptions) != n_rows:  # a bug, never bad input
        raise RuntimeError("rows read != rows graded + rows set aside")
    keep = np.flatnonzero(graded)
    return GradedClass(
        responses=sheet.path, key=key,
        student_ids=[ids[r] for r in keep], versions=[versions[r] for r in keep],
        lines=[sheet.lines[r] for r in keep], item_ids=item_ids,
        scores=scores[keep], question_scores=question_scores[keep], points=points[keep],
        max_points=max_points[keep], answered=answered[keep],
        choices={item_id: table[keep] for item_id, table in choices.items()},
        exceptions=exceptions, rows_read=n_rows, notes=list(sheet.notes))


def _column_questions(sheet: ResponseSheet, key: GradingKey,
                      by_version: dict[str, dict[int, KeyRow]]) -> list[int]:
    """The question number of each question column; file-level errors otherwise."""
    known = sorted({q for questions in by_version.values() for q in questions})
    if key.columns_are_item_ids:
        numbers = list(range(1, len(sheet.question_columns) + 1))
    else:
        unknown = [name for name in sheet.question_columns
                   if not _QUESTION_NUMBER.match(name) or int(name) not in known]
        if unknown:
            raise QuizkitError(Problem(sheet.path, sheet.header_line, f"unknown column "
                                       f"{', '.join(unknown)}: the key {key.source} has "
                                       f"questions 1–{known[-1]}; the header is "
                                       "student_id,version,1,2,…"))
        numbers = [int(name) for name in sheet.question_columns]
    missing = sorted(set(known) - set(numbers))
    if missing:
        raise QuizkitError(Problem(sheet.path, sheet.header_line,
                                   f"no column for question {', '.join(map(str, missing))} "
                                   f"of the key {key.source}"))
    if not sheet.has_version and len(key.versions) > 1:
        raise QuizkitError(Problem(sheet.path, sheet.header_line,
                                   "the header has no version column, but the key has "
                                   f"versions {', '.join(key.versions)}"))
    return numbers


def _mark_duplicates(ids: list[str], lines: Sequence[int],
                     reasons: dict[int, list[str]]) -> None:
    rows_of: dict[str, list[int]] = defaultdict(list)
    for r, student in enumerate(ids):
        if student:
            rows_of[student].append(r)
    for student, rows in rows_of.items():
        if len(rows) > 1:
            where = ", ".join(str(lines[r]) for r in rows)
            for r in rows:
                reasons[r].append(f"student_id {student} is on {len(rows)} rows (lines "
                                  f"{where}); none of them is graded until one is left")


def _judge(item: Item, row: KeyRow, distinct: np.ndarray) -> tuple[np.ndarray, list]:
    """Verdict per distinct written answer, plus the chosen bank options (choice items)
    or the reason an answer is invalid."""
    verdicts = np.empty(len(distinct), dtype=np.int8)
    chosen: list = []
    for u, written in enumerate(distinct):
        try:
            response = to_model_response(item, row, str(written))
        except InvalidAnswerError as exc:
            verdicts[u] = _INVALID
            chosen.append(str(exc))
            continue
        if response is None:
            verdicts[u] = _BLANK
        else:
            verdicts[u] = _RIGHT if item.is_correct(response) else _WRONG
        chosen.append(response)
    return verdicts, chosen


def _choice_width(item: Item) -> int:
    return len(item.options) + 1 if item.type in CHOICE_TYPES else 1


def _choice_table(item: Item, verdicts: np.ndarray, responses: list) -> np.ndarray:
    """One row per distinct answer: 1 under each bank option chosen, or under blank."""
    table = np.zeros((len(verdicts), _choice_width(item)))
    table[verdicts == _BLANK, -1] = 1.0
    if item.type in CHOICE_TYPES:
        for u, response in enumerate(responses):
            if verdicts[u] in (_RIGHT, _WRONG):
                picked = [response] if item.type == "single" else list(response)
                table[u, picked] = 1.0
    return table


