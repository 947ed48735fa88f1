"""The grading key: the rows of a paper's ``key.csv`` (or a key straight from the
banks), checked against the current banks, and what a student wrote turned into the
response ``Item.is_correct`` takes.

A key file is read whole; a ``QuizkitError`` lists every broken rule with its line, and
each row keeps its line so that a row that no longer fits its bank is reported there.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Catalog
from ..errors import Problem, QuizkitError, display_path
from ..files import read_user_text
from ..model import ITEM_TYPES, Item
from ..notation import (
    LETTERED_TYPES, LETTERS, answer_in_paper_notation, choice_count, letter,
    written_letters,
)
from ..paper.key import KEY_COLUMNS, KeyRow
from .responses import ResponseSheet

_VERSION = re.compile(r"[A-Z]\Z")


class InvalidAnswerError(Exception):
    """What a student wrote cannot be an answer to the question; the message says why."""


# -- the key, checked against the banks ----------------------------------------------


@dataclass(frozen=True)
class GradingKey:
    """Key rows with the catalog that holds their items, checked against it."""

    rows: tuple[KeyRow, ...]
    catalog: Catalog
    source: str  # the key file as shown, or "the banks" when grading from a bank
    columns_are_item_ids: bool = False

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(sorted({row.version for row in self.rows}))

    def item(self, item_id: str) -> Item:
        return self.catalog.item(item_id)

    def bank_name(self, item_id: str) -> str:
        return self.catalog.bank_of(item_id).name


def paper_key(key_rows: Sequence[KeyRow], catalog: Catalog,
              key_path: str | Path) -> GradingKey:
    """A key written by ``quizkit paper``, checked against the current banks: a bank
    edited since the paper was printed must not be graded silently."""
    shown = display_path(key_path)
    problems = []
    for row in key_rows:
        where = f"version {row.version} question {row.question}"
        if not catalog.has_item(row.item_id):
            mismatch = (f"item {row.item_id} is not in the banks (use --quizzes to name the "
                        "right folder)")
        else:
            item = catalog.item(row.item_id)
            mismatch = row_mismatch(row, item)
            if mismatch is None and not item.is_correct(_key_response(item, row)):
                mismatch = (f"the key's answer {row.answer!r} is not right for item "
                            f"{item.id} in the bank; was the bank changed after the paper "
                            "was printed?")
        if mismatch:
            problems.append(Problem(shown, row.line, f"{where}: {mismatch}"))
    if problems:
        raise QuizkitError(problems)
    return GradingKey(tuple(key_rows), catalog, shown)


def _key_response(item: Item, row: KeyRow) -> object | None:
    try:
        return to_model_response(item, row, row.answer)
    except InvalidAnswerError:
        return None


def bank_key(sheet: ResponseSheet, catalog: Catalog) -> GradingKey:
    """Grading straight from the bank: the question columns are item ids, the options
    lettered in bank order (one version, "A")."""
    unknown = [name for name in sheet.question_columns if not catalog.has_item(name)]
    if unknown:
        raise QuizkitError(Problem(sheet.path, sheet.header_line, f"column "
                                   f"{', '.join(unknown)} is not an "
                                   "item id of the banks (with --bank-key the question "
                                   "columns are item ids)"))
    chosen = [catalog.item(name) for name in sheet.question_columns]
    rows = key_from_items(chosen, catalog)
    return GradingKey(tuple(rows), catalog, "the banks", columns_are_item_ids=True)


def key_from_items(items: Iterable[Item], catalog: Catalog,
                   version: str = "A") -> list[KeyRow]:
    """A key for ``items`` shown in bank order, questions numbered 1..N: what grading
    straight from a bank uses."""
    rows = []
    for number, item in enumerate(items, start=1):
        order = tuple(range(choice_count(item)))
        bank = catalog.bank_of(item.id).name
        rows.append(KeyRow(version, number, item.id, bank, item.type,
                           answer_in_paper_notation(item, order), order))
    return rows


# -- what a student wrote ----------------------------------------------------------


def to_model_response(item: Item, row: KeyRow, written: str | None) -> object | None:
    """What a student wrote on paper, as the response ``item.is_correct`` takes.

    ``None`` for a blank. Raises ``InvalidAnswerError`` with a plain rule when ``written`` is
    not an answer this question can have ("E" on a four-option question, two letters
    on a single-answer question, "abc" on a numeric one), or when ``row`` does not
    describe ``item`` (the bank changed after the paper was printed).
    """
    mismatch = row_mismatch(row, item)
    if mismatch:
        raise InvalidAnswerError(mismatch)
    text = (written or "").strip()
    if not text:
        return None
    if item.type == "numeric":
        return _number(item, text)
    if item.type == "text":
        return text
    letters = written_letters(text)
    if not letters:
        return None
    size = len(row.option_order)
    valid = f"{LETTERS[0]}–{letter(size - 1)}"
    for char in letters:
        if char not in LETTERS[:size]:
            raise InvalidAnswerError(f"{char!r} is not one of the letters {valid} of this question")
    shown = [row.option_order[LETTERS.index(char)] for char in letters]
    if item.type == "single":
        if len(letters) != 1:
            raise InvalidAnswerError(f"a single-answer question takes one letter, not {len(letters)}")
        return shown[0]
    if item.type == "multiple":
        _no_repeats(letters)
        return set(shown)
    if item.type == "order":
        _no_repeats(letters)
        if len(letters) != size:
            raise InvalidAnswerError(f"an order question takes all {size} letters {valid}, "
                             f"each once; got {len(letters)}")
        return shown
    # match: one letter per left entry; a repeated letter is a (wrong) answer, not a typo.
    if len(letters) != size:
        raise InvalidAnswerError(f"a match question takes one letter for each of its {size} "
                         f"entries; got {len(letters)}")
    return dict(enumerate(shown))


def row_mismatch(row: KeyRow, item: Item) -> str | None:
    """Why ``row`` cannot be the key of ``item`` (another id or type, another number of
    options), or ``None``. A bank edited after printing must not be graded silently."""
    if row.item_id != item.id:
        return f"key row is for item {row.item_id}, not {item.id}"
    if row.type != item.type:
        return (f"item {item.id} is a {item.type} item in the bank but a {row.type} "
                "item in the key; was the bank changed after the paper was printed?")
    size = choice_count(item)
    if sorted(row.option_order) != list(range(size)):
        what = {"single": "options", "multiple": "options", "order": "events",
                "match": "pairs"}.get(item.type, "options")
        return (f"item {item.id} has {size} {what} in the bank but the key's option_order "
                f"is {' '.join(map(str, row.option_order)) or 'empty'}; was the bank "
                "changed after the paper was printed?")
    return None


def _no_repeats(letters: str) -> None:
    repeated = sorted({c for c in letters if letters.count(c) > 1})
    if repeated:
        raise InvalidAnswerError(f"letter {', '.join(repeated)} written more than once")


def _number(item: Item, text: str) -> float:
    # A student may copy the unit printed next to the box ("292 deaths").
    if item.unit and text.lower().endswith(item.unit.lower()):
        text = text[: -len(item.unit)].strip()
    try:
        value = float(text.replace(",", "").replace(" ", ""))
    except ValueError:
        raise InvalidAnswerError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise InvalidAnswerError(f"{text!r} is not a finite number")
    return value



# -- the key file ----------------------------------------------------------------


def read_key(path: str | Path) -> list[KeyRow]:
    """Rows of a key file, validated; a ``QuizkitError`` lists every broken rule with
    its line. A UTF-8 byte-order mark (a spreadsheet's "CSV UTF-8") is accepted."""
    shown = display_path(path)
    text = read_user_text(path).text

    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if header is None:
        raise QuizkitError(Problem(shown, 1, "the key is empty; expected the header "
                                   + ",".join(KEY_COLUMNS)))
    header = [name.strip() for name in header]
    problems = _header_problems(shown, header)
    if problems:
        raise QuizkitError(problems)

    rows: list[KeyRow] = []
    first_line: dict[tuple[str, int], int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a trailing empty line from a spreadsheet
        if len(cells) != len(header):
            problems.append(Problem(shown, line, f"expected {len(header)} cells, "
                                    f"found {len(cells)}"))
            continue
        row, rule = _parse_row(dict(zip(header, (c.strip() for c in cells))), line)
        if rule:
            problems.append(Problem(shown, line, rule))
            continue
        where = (row.version, row.question)
        if where in first_line:
            problems.append(Problem(shown, line, f"version {row.version} question "
                                    f"{row.question} appears twice (first on line "
                                    f"{first_line[where]})"))
            continue
        first_line[where] = line
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem(shown, 1, "the key has a header but no rows"))
    problems.extend(_numbering_problems(shown, rows, first_line))
    if problems:
        raise QuizkitError(problems)
    return rows


def _header_problems(shown: str, header: list[str]) -> list[Problem]:
    missing = [c for c in KEY_COLUMNS if c not in header]
    unknown = [c for c in header if c not in KEY_COLUMNS]
    repeated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(Problem(shown, 1, f"missing column {', '.join(missing)} "
                                f"(the header is {','.join(KEY_COLUMNS)})"))
    if unknown:
        problems.append(Problem(shown, 1, f"unknown column {', '.join(unknown)} "
                                f"(the header is {','.join(KEY_COLUMNS)})"))
    if repeated:
        problems.append(Problem(shown, 1, f"column {', '.join(repeated)} appears twice"))
    return problems


def _parse_row(cell: dict[str, str], line: int) -> tuple[KeyRow | None, str | None]:
    """A row, or the first rule it breaks."""
    version = cell["version"]
    if not _VERSION.match(version):
        return None, f"version {version!r} must be one capital letter A–Z"
    try:
        question = int(cell["question"])
    except ValueError:
        return None, f"question {cell['question']!r} must be a whole number"
    if question < 1:
        return None, f"question {question} must be 1 or more"
    for name in ("item_id", "bank", "answer"):
        if not cell[name]:
            return None, f"{name} is empty"
    kind = cell["type"]
    if kind not in ITEM_TYPES:
        return None, f"unknown type {kind!r} (one of {', '.join(ITEM_TYPES)})"
    order, rule = _parse_option_order(kind, cell["option_order"])
    if rule:
        return None, rule
    if kind in LETTERED_TYPES:
        rule = _answer_letters_problem(kind, cell["answer"], len(order))
        if rule:
            return None, rule
    points_text = cell["points"] or "1"
    try:
        points = float(points_text)
    except ValueError:
        return None, f"points {points_text!r} must be a number"
    if not math.isfinite(points) or points < 0:
        return None, f"points {points_text!r} must be a number of 0 or more"
    return KeyRow(version, question, cell["item_id"], cell["bank"], kind, cell["answer"],
                  order, points, line), None


def _parse_option_order(kind: str, text: str) -> tuple[tuple[int, ...], str | None]:
    if kind not in LETTERED_TYPES:
        if text:
            return (), f"option_order must be empty for a {kind} item"
        return (), None
    try:
        order = tuple(int(part) for part in text.split())
    except ValueError:
        return (), (f"bad option_order {text!r}: write the bank indices shown at A, B, C … "
                    "separated by spaces, e.g. \"2 0 1\"")
    if not order:
        return (), f"option_order is empty; a {kind} item needs one index per letter"
    if sorted(order) != list(range(len(order))):
        return (), (f"bad option_order {text!r}: it must list each of 0–{len(order) - 1} "
                    "exactly once")
    if len(order) > len(LETTERS):
        return (), f"option_order lists {len(order)} entries; at most {len(LETTERS)} fit letters"
    return order, None


def _answer_letters_problem(kind: str, answer: str, size: int) -> str | None:
    allowed = LETTERS[:size]
    bad = sorted({c for c in answer if c not in allowed})
    if bad:
        return (f"answer {answer!r} uses {', '.join(map(repr, bad))}; a question with "
                f"{size} choices uses the letters {allowed}")
    if kind == "single" and len(answer) != 1:
        return f"answer {answer!r} of a single item must be one letter"
    if kind == "multiple" and (list(answer) != sorted(set(answer))):
        return f"answer {answer!r} of a multiple item must list its letters once each, A to Z"
    if kind in ("order", "match") and len(answer) != size:
        return f"answer {answer!r} of a {kind} item must have {size} letters, one per entry"
    if kind == "order" and len(set(answer)) != size:
        return f"answer {answer!r} of an order item must use each letter once"
    return None


def _numbering_problems(shown: str, rows: list[KeyRow],
                        first_line: dict[tuple[str, int], int]) -> list[Problem]:
    """Each version's questions must run 1..N: a gap means a lost row."""
    numbers: dict[str, list[int]] = {}
    for row in rows:
        numbers.setdefault(row.version, []).append(row.question)
    problems = []
    for version, found in sorted(numbers.items()):
        missing = sorted(set(range(1, max(found) + 1)) - set(found))
        if missing:
            last = first_line[(version, max(found))]
            problems.append(Problem(shown, last, f"version {version} has question "
                                    f"{max(found)} but no question "
                                    f"{', '.join(map(str, missing))}"))
    return problems
