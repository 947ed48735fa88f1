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
from ..model import Item, format_number, normalize_answer
from ..notation import letter
from ..paper.key import KeyRow
from .key import (
    INVALID_POLICIES, DecimalCommaNumber, GradingKey, InvalidAnswerError, to_model_response,
)
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
    answer_notes: list[AnswerNote] = field(default_factory=list)
    # Items without options: the wrong answers given, most common first, as
    # (answer in bank terms, students); see ``bank_terms``.
    wrong_answers: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def questions(self) -> int:
        return self.question_scores.shape[1]


@dataclass(frozen=True)
class AnswerNote:
    """One answer graded with a remark: spoiled and scored 0, or read with a decimal comma."""

    line: int
    student_id: str
    version: str
    question: int
    answer: str
    note: str


def grade(sheet: ResponseSheet, key: GradingKey, *, invalid_answers: str = "set-aside",
          decimal_comma: bool = False) -> GradedClass:
    """Score every row, set aside the rows that break a rule, keep the invariant.

    ``invalid_answers``: an answer that cannot be an answer to its question ("AB" on a
    single-answer question, an ambiguous number) sets its row aside ("set-aside"), or
    scores 0 with a note naming the cell ("wrong"). ``decimal_comma``: commas in numbers
    are decimal commas (else a comma groups thousands where it can)."""
    if invalid_answers not in INVALID_POLICIES:
        raise ValueError(f"invalid_answers must be one of {INVALID_POLICIES}")
    answer_notes: list[AnswerNote] = []
    wrong_codes: dict[str, tuple[np.ndarray, dict[str, int]]] = {}
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

    # What was written, one array of the cells' own strings per question number: memory
    # grows with the number of cells, never with the longest answer (a fixed-width
    # string matrix would give every cell the width of the longest). Short rows are set
    # aside above; their missing cells read as blank.
    width = sheet.width
    pad = ("",) * width
    cells = np.empty((n_rows, width), dtype=object)  # pointers to the cells' strings
    cells[:] = [row if len(row) == width else (row + pad)[:width] for row in sheet.rows]
    written = {question: cells[:, index]
               for index, question in zip(sheet.question_indices, column_questions)}
    nothing = np.full(n_rows, "", dtype=object)

    item_ids = list(dict.fromkeys(row.item_id for row in sorted(
        key.rows, key=lambda row: (row.version, row.question))))
    item_column = {item_id: j for j, item_id in enumerate(item_ids)}
    scores = np.full((n_rows, len(item_ids)), np.nan)
    question_scores = np.full((n_rows, question_count), np.nan)
    points = np.zeros(n_rows)
    max_points = np.zeros(n_rows)
    answered = np.zeros(n_rows, dtype=int)
    # float32 holds 0, 1 and NaN exactly, in half the memory.
    choices = {item_id: np.full((n_rows, _choice_width(key.item(item_id))), np.nan,
                                dtype=np.float32)
               for item_id in item_ids}
    version_array = np.array(versions, dtype=object)

    for version, questions in by_version.items():
        rows = np.flatnonzero(version_array == version)
        if not rows.size:
            continue
        for question in range(1, question_count + 1):
            key_row = questions.get(question)
            column = written.get(question, nothing)[rows]
            if key_row is None:
                for r in rows[column != ""]:
                    reasons[r].append(f"question {question} is not on version {version}")
                continue
            item = key.item(key_row.item_id)
            where, distinct = _factorize(column)
            verdicts, chosen = _judge(item, key_row, distinct, decimal_comma)
            for u in np.flatnonzero(verdicts == _INVALID):
                message = chosen[u]
                for r in rows[where == u]:
                    if invalid_answers == "wrong":
                        answer_notes.append(AnswerNote(
                            sheet.lines[r], ids[r], versions[r], question, distinct[u],
                            f"{message}; scored 0 (--invalid-answers wrong)"))
                    else:
                        reasons[r].append(f"question {question}: {message}")
            for u, response in enumerate(chosen):
                if isinstance(response, DecimalCommaNumber):
                    answer_notes.extend(AnswerNote(
                        sheet.lines[r], ids[r], versions[r], question, distinct[u],
                        f"read as {format_number(response)} (a decimal comma)")
                        for r in rows[where == u])
            if invalid_answers == "wrong":  # spoiled answers: wrong, no option chosen
                spoiled = verdicts == _INVALID
                verdicts[spoiled] = _WRONG
                chosen = [None if bad else c for bad, c in zip(spoiled, chosen)]
            verdict = verdicts[where]
            if item.type not in CHOICE_TYPES:
                codes, names = wrong_codes.setdefault(
                    item.id, (np.full(n_rows, -1, dtype=np.int32), {}))
                code_of = np.full(len(distinct), -1, dtype=np.int32)
                for u in np.flatnonzero(verdicts == _WRONG):
                    if chosen[u] is not None:
                        code_of[u] = names.setdefault(bank_terms(item, chosen[u]), len(names))
                if (code_of >= 0).any():
                    codes[rows] = np.maximum(codes[rows], code_of[where])
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
    keep = np.flatnonzero(graded) if len(exceptions) else slice(None)  # no copies if all kept
    return GradedClass(
        responses=sheet.path, key=key,
        student_ids=_kept(ids, graded), versions=_kept(versions, graded),
        lines=_kept(sheet.lines, graded), item_ids=item_ids,
        scores=scores[keep], question_scores=question_scores[keep], points=points[keep],
        max_points=max_points[keep], answered=answered[keep],
        choices={item_id: table[keep] for item_id, table in choices.items()},
        exceptions=exceptions, rows_read=n_rows, notes=list(sheet.notes),
        answer_notes=sorted(answer_notes, key=lambda n: (n.line, n.question)),
        wrong_answers={item_id: _most_common(codes[graded], names)
                       for item_id, (codes, names) in wrong_codes.items()})


def bank_terms(item: Item, response: object) -> str:
    """A response as the same text whatever the version: a number as written in the
    key, a text answer folded as it is compared, an order or a match in the letters of
    the bank's own order (A = the bank's first event or right-hand entry)."""
    if item.type == "numeric":
        return format_number(float(response))
    if item.type == "text":
        return normalize_answer(str(response))
    if item.type == "order":
        return "".join(letter(i) for i in response)
    if item.type == "match":
        return "".join(letter(response[i]) for i in range(len(response)))
    return str(response)


def _most_common(codes: np.ndarray, names: dict[str, int],
                 limit: int = 5) -> list[tuple[str, int]]:
    counts = np.bincount(codes[codes >= 0], minlength=len(names))
    by_code = list(names)
    order = sorted(range(len(by_code)), key=lambda c: (-counts[c], by_code[c]))
    return [(by_code[c], int(counts[c])) for c in order[:limit] if counts[c]]


_IDENTITY = np.frompyfunc(id, 1, 1)


def _factorize(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each cell, the distinct cells), comparing cells by identity: the reader
    gives every distinct text one string object, so equal texts are the same object
    (and two objects with one text would merely be judged twice, never wrongly)."""
    if not len(column):
        return np.zeros(0, dtype=np.intp), column
    identities = _IDENTITY(column).astype(np.int64)
    _, first, codes = np.unique(identities, return_index=True, return_inverse=True)
    return codes.reshape(-1), column[first]


def _kept(values: Sequence, graded: np.ndarray) -> list:
    return [value for value, keep in zip(values, graded) if keep]


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


def _judge(item: Item, row: KeyRow, distinct: np.ndarray,
           decimal_comma: bool = False) -> tuple[np.ndarray, list]:
    """Verdict per distinct written answer, plus the chosen bank options (choice items)
    or the reason an answer is invalid."""
    verdicts = np.empty(len(distinct), dtype=np.int8)
    chosen: list = []
    for u, written in enumerate(distinct):
        try:
            response = to_model_response(item, row, str(written), decimal_comma=decimal_comma)
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
            if verdicts[u] in (_RIGHT, _WRONG) and response is not None:
                picked = [response] if item.type == "single" else list(response)
                table[u, picked] = 1.0
    return table


