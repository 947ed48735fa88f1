"""Grade a class: a responses CSV and a key → scores, item analysis and exceptions.

Reading (``read_responses``), the key (``paper_key`` / ``bank_key``), scoring
(``grade``), the item analysis that ties statistics to items (``analyse``) and the
result tables (``write_tables``) live here; the numbers themselves come from
``quizkit.analysis`` and the HTML report from ``quizkit.report``.

Correctness is never decided here: each distinct answer written to a question goes
through ``keys.to_model_response`` and ``Item.is_correct`` once, and the verdict is
spread over the column with numpy.

Rules for a responses file (the instructors' guide quotes them):

- File-level problems stop grading with one ``In <file>, line <n>: …`` error and no
  output: a missing, unreadable, empty or non-UTF-8 file, a header without rows, a
  header without ``student_id``, a repeated or empty column name, an unknown
  column (a question number the key does not have), a question of the key with no
  column, and ``version`` missing while the key has several versions.
- A UTF-8 byte-order mark (what "CSV UTF-8" in a spreadsheet writes) is accepted,
  with a note.
- Row-level problems set the row aside in ``exceptions.csv`` with its line and every
  reason, and the rest of the class is graded: an empty ``student_id``; an unknown or
  missing version; a ``student_id`` on more than one row (*all* its rows are set
  aside: which one is right is the instructor's call); an answer that cannot be an
  answer to its question ("E" on a four-option question); an answer to a question not
  on the row's version; more or fewer cells than the header.
- Rows whose cells are all empty (a spreadsheet's trailing rows) carry no student and
  are skipped, and counted in a note. Every other row is either graded or listed:
  rows read = rows graded + rows in exceptions.csv.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import analysis
from .errors import Problem, QuizkitError, display_path
from .keys import KeyRow, key_from_items, row_mismatch, to_model_response
from .model import Bank, Item, format_number

ID_COLUMN = "student_id"
VERSION_COLUMN = "version"
CHOICE_TYPES = ("single", "multiple")
BLANK = "blank"

# Verdicts for one written answer.
_BLANK, _WRONG, _RIGHT, _INVALID = 0, 1, 2, 3
_QUESTION_NUMBER = re.compile(r"[1-9][0-9]*\Z")


# -- the responses file -------------------------------------------------------------


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
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise QuizkitError(Problem(shown, None, "no such responses file")) from None
    except IsADirectoryError:
        raise QuizkitError(Problem(shown, None, "is a folder, not a responses file")) from None
    except PermissionError:
        raise QuizkitError(Problem(shown, None, "permission denied: cannot read the "
                                   "file")) from None
    except OSError as exc:
        raise QuizkitError(Problem(shown, None, f"cannot read the file: "
                                   f"{exc.strerror or exc}")) from None
    notes = []
    if data.startswith(b"\xef\xbb\xbf"):
        notes.append(f"{shown} starts with a byte-order mark (a spreadsheet's \"CSV "
                     "UTF-8\"); it was ignored")
        data = data[3:]
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise QuizkitError(Problem(shown, line, "the file is not UTF-8 text; in a "
                                   "spreadsheet, save it as \"CSV UTF-8\"")) from None


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


# -- the key --------------------------------------------------------------------------


@dataclass(frozen=True)
class GradingKey:
    """Key rows with their items, checked against the bank."""

    rows: tuple[KeyRow, ...]
    items: dict[str, Item]
    bank_of: dict[str, str]
    source: str  # the key file as shown, or "the banks" when grading from a bank
    columns_are_item_ids: bool = False

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(sorted({row.version for row in self.rows}))


def paper_key(key_rows: Sequence[KeyRow], banks: Sequence[Bank], key_path: str | Path) -> GradingKey:
    """A key written by ``quizkit paper``, checked against the current banks: a bank
    edited since the paper was printed must not be graded silently."""
    shown = display_path(key_path)
    items = {item.id: item for bank in banks for item in bank.items}
    bank_of = {item.id: bank.name for bank in banks for item in bank.items}
    problems = []
    line_of: dict[tuple[str, int], int] | None = None
    for row in key_rows:
        where = f"version {row.version} question {row.question}"
        item = items.get(row.item_id)
        if item is None:
            mismatch = (f"item {row.item_id} is not in the banks (use --banks to name the "
                        "right folder)")
        else:
            mismatch = row_mismatch(row, item)
            if mismatch is None and not item.is_correct(_key_response(item, row)):
                mismatch = (f"the key's answer {row.answer!r} is not right for item "
                            f"{item.id} in the bank; was the bank changed after the paper "
                            "was printed?")
        if mismatch:
            if line_of is None:
                line_of = _key_lines(key_path)
            problems.append(Problem(shown, line_of.get((row.version, row.question)),
                                    f"{where}: {mismatch}"))
    if problems:
        raise QuizkitError(problems)
    return GradingKey(tuple(key_rows), items, bank_of, shown)


def _key_lines(key_path: str | Path) -> dict[tuple[str, int], int]:
    """Line of each (version, question) in a key file that ``read_key`` accepted, so
    that a key that no longer fits its bank is reported at the line to look at."""
    lines: dict[tuple[str, int], int] = {}
    try:
        text = Path(key_path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return lines  # rows built in memory, or a file gone since: no line to give
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    if "version" not in header or "question" not in header:
        return lines
    at_version, at_question = header.index("version"), header.index("question")
    start = reader.line_num + 1
    for cells in reader:
        if len(cells) > max(at_version, at_question) and cells[at_question].strip().isdigit():
            lines.setdefault((cells[at_version].strip(), int(cells[at_question])), start)
        start = reader.line_num + 1
    return lines


def _key_response(item: Item, row: KeyRow) -> object | None:
    try:
        return to_model_response(item, row, row.answer)
    except ValueError:
        return None


def bank_key(sheet: ResponseSheet, banks: Sequence[Bank]) -> GradingKey:
    """Grading straight from the bank: the question columns are item ids, the options
    lettered in bank order (one version, "A")."""
    items = {item.id: item for bank in banks for item in bank.items}
    unknown = [name for name in sheet.question_columns if name not in items]
    if unknown:
        raise QuizkitError(Problem(sheet.path, sheet.header_line, f"column "
                                   f"{', '.join(unknown)} is not an "
                                   "item id of the banks (with --bank-key the question "
                                   "columns are item ids)"))
    chosen = [items[name] for name in sheet.question_columns]
    rows = key_from_items(chosen, "A", banks=banks)
    bank_of = {item.id: bank.name for bank in banks for item in bank.items}
    return GradingKey(tuple(rows), items, bank_of, "the banks", columns_are_item_ids=True)


# -- grading ------------------------------------------------------------------------


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
    choices = {item_id: np.full((n_rows, _choice_width(key.items[item_id])), np.nan)
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
            item = key.items[key_row.item_id]
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
        except ValueError as exc:
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


# -- item analysis ----------------------------------------------------------------


@dataclass(frozen=True)
class OptionUse:
    """How often one bank option (or a blank) was chosen."""

    label: str  # "option 1" … in bank order, or "blank"
    text: str
    correct: bool
    everyone: float
    upper: float
    lower: float


@dataclass(frozen=True)
class ItemResult:
    number: int  # 1.. in the analysis order (the key's question order)
    item: Item
    bank: str
    n: int
    difficulty: float
    point_biserial: float
    discrimination: float
    upper_p: float
    lower_p: float
    options: tuple[OptionUse, ...]  # bank options (choice items), then blank
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ClassAnalysis:
    graded: GradedClass
    items: list[ItemResult]
    test: analysis.TestStatistics
    groups: analysis.Groups


def analyse(graded: GradedClass) -> ClassAnalysis:
    """Item statistics, option use by group and test statistics for a graded class."""
    totals = analysis.totals(graded.scores)
    groups = analysis.upper_lower_groups(totals)
    stats = analysis.item_statistics(graded.scores, groups)
    flags = analysis.item_flags(stats)
    results = []
    for j, item_id in enumerate(graded.item_ids):
        item = graded.key.items[item_id]
        everyone, upper, lower = analysis.choice_rates(graded.choices[item_id], groups)
        labels = [(f"option {i + 1}", o.text, o.correct) for i, o in enumerate(item.options)
                  ] if item.type in CHOICE_TYPES else []
        labels.append((BLANK, "(no answer)", False))
        options = tuple(OptionUse(label, text, correct, float(a), float(u), float(lo))
                        for (label, text, correct), a, u, lo in zip(labels, everyone, upper,
                                                                   lower))
        results.append(ItemResult(
            number=j + 1, item=item, bank=graded.key.bank_of.get(item_id, ""),
            n=int(stats.n[j]), difficulty=float(stats.difficulty[j]),
            point_biserial=float(stats.point_biserial[j]),
            discrimination=float(stats.discrimination[j]), upper_p=float(stats.upper_p[j]),
            lower_p=float(stats.lower_p[j]), options=options, flags=tuple(flags[j])))
    return ClassAnalysis(graded, results, analysis.test_statistics(graded.scores), groups)


# -- result tables --------------------------------------------------------------------

def number(value: float, places: int = 3) -> str:
    """A statistic for a table: rounded, and empty when undefined (NaN)."""
    if value is None or math.isnan(value):
        return ""
    return f"{value:.{places}f}"


def write_tables(result: ClassAnalysis, folder: Path) -> list[Path]:
    """scores.csv, items.csv, test.csv and exceptions.csv in ``folder`` (which exists)."""
    writers = {"scores.csv": _score_rows, "items.csv": _item_rows, "test.csv": _test_rows,
               "exceptions.csv": _exception_rows}
    written = []
    for name, rows in writers.items():
        path = folder / name
        with path.open("x", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows(result))
        written.append(path)
    return written


def _score_rows(result: ClassAnalysis) -> Iterable[list[str]]:
    graded = result.graded
    yield (["student_id", "version", "score", "max", "percent", "answered"]
           + [str(q) for q in range(1, graded.questions + 1)])
    # Built column-wise: a class of ten thousand is formatted in a blink.
    q = graded.question_scores
    marks = np.where(np.isnan(q), "", np.where(q > 0.5, "1", "0")).tolist()
    shown = {v: format_number(v) for v in set(graded.points.tolist())
             | set(graded.max_points.tolist())}
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = 100 * graded.points / graded.max_points
    for s, student in enumerate(graded.student_ids):
        yield ([student, graded.versions[s], shown[graded.points[s]],
                shown[graded.max_points[s]], number(percent[s], 1), str(graded.answered[s])]
               + marks[s])


def _item_rows(result: ClassAnalysis) -> Iterable[list[str]]:
    widest = max((len(r.item.options) for r in result.items
                  if r.item.type in CHOICE_TYPES), default=0)
    option_columns = [f"option{i}_{group}" for i in range(1, widest + 1)
                      for group in ("upper", "lower")]
    yield (["item_id", "bank", "type", "n", "difficulty", "point_biserial",
            "discrimination", "upper_p", "lower_p", "flags", "correct_options"]
           + option_columns + ["blank_upper", "blank_lower"])
    for r in result.items:
        chosen = [o for o in r.options if o.label != BLANK]
        correct = " ".join(o.label.split()[1] for o in chosen if o.correct)
        rates = []
        for i in range(widest):
            rates += ([number(chosen[i].upper), number(chosen[i].lower)] if i < len(chosen)
                      else ["", ""])
        blank = r.options[-1]
        yield ([r.item.id, r.bank, r.item.type, str(r.n), number(r.difficulty),
                number(r.point_biserial), number(r.discrimination), number(r.upper_p),
                number(r.lower_p), "; ".join(r.flags), correct]
               + rates + [number(blank.upper), number(blank.lower)])


def _test_rows(result: ClassAnalysis) -> Iterable[list[str]]:
    t, graded = result.test, result.graded
    yield ["statistic", "value", "meaning"]
    yield ["students", str(t.students), "students graded"]
    yield ["items", str(t.items), "distinct items across all versions"]
    yield ["rows_read", str(graded.rows_read), "student rows in the responses file"]
    yield ["rows_set_aside", str(len(graded.exceptions)), "rows listed in exceptions.csv"]
    yield ["mean", number(t.mean), "mean number of items right"]
    yield ["sd", number(t.sd), "standard deviation of the number right (population: divides by N)"]
    yield ["kr20", number(t.kr20), "KR-20 reliability (empty when undefined)"]
    yield ["sem", number(t.sem), "standard error of measurement = sd * sqrt(1 - kr20)"]
    yield ["group_size", str(result.groups.size), "students in each of the upper and lower 27% groups"]
    mean_points = float(graded.points.mean()) if len(graded.points) else math.nan
    yield ["mean_points", number(mean_points), "mean score in points"]


def _exception_rows(result: ClassAnalysis) -> Iterable[list[str]]:
    yield ["line", "student_id", "version", "reason"]
    for e in result.graded.exceptions:
        yield [str(e.line), e.student_id, e.version, e.reason]


def summary_lines(result: ClassAnalysis) -> list[str]:
    """What ``quizkit grade`` prints when it is done."""
    graded, t = result.graded, result.test
    aside = len(graded.exceptions)
    lines = [f"Graded {len(graded.student_ids)} of {graded.rows_read} rows"
             + (f"; {aside} set aside in exceptions.csv" if aside else "; none set aside")
             + f" ({len(graded.key.versions)} version{'s' if len(graded.key.versions) > 1 else ''},"
             f" {t.items} items)."]
    if t.students:
        line = (f"Mean {t.mean:.2f} of {t.items} items right, SD {t.sd:.2f}, KR-20 "
                f"{number(t.kr20, 2) or 'n/a'}, SEM {number(t.sem, 2) or 'n/a'}")
        if any(row.points != 1 for row in graded.key.rows):
            max_points = Counter(graded.max_points.tolist()).most_common(1)[0][0]
            line += (f"; mean score {graded.points.mean():.2f} of "
                     f"{format_number(max_points)} points")
        lines.append(line + ".")
    flagged = [r for r in result.items if r.flags]
    lines.append(f"{len(flagged)} item{'s' if len(flagged) != 1 else ''} flagged"
                 + (": " + ", ".join(f"{r.item.id} ({'; '.join(r.flags)})" for r in flagged)
                    if flagged else "."))
    return lines
