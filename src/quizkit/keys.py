"""The answer key shared by paper tests and the grader: ``key.csv``.

``quizkit paper`` writes one key for all versions of a printed test; ``quizkit grade``
reads it back and turns what each student wrote ("B", "ac", "CADB") into the response
``Item.is_correct`` takes. Both sides go through this module so that the letters on the
paper and the letters in the key can never drift apart.

Paper notation (the same on every version):

* single / multiple: options lettered A, B, C … in the version's order; a multiple
  answer is its letters, written in alphabetical order in the key ("AC").
* order: events lettered A, B, C … in the version's order; the answer is the letters
  in chronological order ("CADB").
* match: lefts numbered 1..n in bank order, rights lettered A, B, C … in the
  version's order; the answer is one letter per left, in order ("BAC" = 1→B, 2→A, 3→C).
* numeric: the number ("292"); text: words (the key holds the first accepted answer).

``option_order`` says which bank index each letter shows: "2 0 1 3" means A shows
bank option (or event, or right entry) 2.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, QuizkitError, display_path
from .model import ITEM_TYPES, Bank, Item, format_number

KEY_COLUMNS = ("version", "question", "item_id", "bank", "type", "answer",
               "option_order", "points")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERED_TYPES = ("single", "multiple", "order", "match")

# Students separate letters in all sorts of ways ("A, C", "a c", "A;C"); none of them
# changes the answer.
_LETTER_SEPARATORS = re.compile(r"[\s,;/+]+")
_VERSION = re.compile(r"[A-Z]\Z")


@dataclass(frozen=True)
class KeyRow:
    """One question of one paper version.

    ``option_order`` is empty for numeric and text items; ``points`` is 1 unless stated.
    """

    version: str
    question: int
    item_id: str
    bank: str
    type: str
    answer: str
    option_order: tuple[int, ...] = ()
    points: float = 1.0


# -- letters ------------------------------------------------------------------


def letter(position: int) -> str:
    """0 → "A", 1 → "B" … (a paper never shows more than 26 choices)."""
    if not 0 <= position < len(LETTERS):
        raise ValueError(f"no letter for position {position}: at most {len(LETTERS)} choices")
    return LETTERS[position]


def bank_choice_count(item: Item) -> int:
    """How many lettered entries ``item`` shows on paper (0 for numeric and text)."""
    if item.type in ("single", "multiple"):
        return len(item.options)
    if item.type == "order":
        return len(item.events)
    if item.type == "match":
        return len(item.pairs)
    return 0


def answer_in_paper_notation(item: Item, option_order: Sequence[int] = ()) -> str:
    """The right answer as a student writes it, with the entries shown in ``option_order``
    (bank indices by letter; empty means bank order)."""
    order = list(option_order) or list(range(bank_choice_count(item)))
    position_of = {bank_index: pos for pos, bank_index in enumerate(order)}
    if item.type in ("single", "multiple"):
        return "".join(sorted(letter(position_of[i]) for i in item.correct_indices))
    if item.type in ("order", "match"):
        # order: the letter of each event, earliest first (bank order is chronological);
        # match: the letter of each left entry's right, lefts 1..n in bank order.
        return "".join(letter(position_of[i]) for i in range(len(order)))
    if item.type == "numeric" and item.answer is not None:
        return format_number(item.answer.value)
    if item.type == "text" and item.accept:
        return item.accept[0]
    return ""


def key_from_items(items: Iterable[Item], version: str = "A", *,
                   banks: Iterable[Bank] = ()) -> list[KeyRow]:
    """A key for ``items`` shown in bank order, questions numbered 1..N: what grading
    straight from a bank uses.

    ``banks`` (the loaded banks) names each item's bank exactly; without them the bank
    is read from the id's "<bank>-" prefix, up to its first "-".
    """
    bank_of = {item.id: bank.name for bank in banks for item in bank.items}
    rows = []
    for number, item in enumerate(items, start=1):
        order = tuple(range(bank_choice_count(item)))
        bank = bank_of.get(item.id) or item.id.split("-", 1)[0]
        rows.append(KeyRow(version, number, item.id, bank, item.type,
                           answer_in_paper_notation(item, order), order))
    return rows


# -- what a student wrote -------------------------------------------------------


def to_model_response(item: Item, row: KeyRow, written: str | None) -> object | None:
    """What a student wrote on paper, as the response ``item.is_correct`` takes.

    ``None`` for a blank. Raises ``ValueError`` with a plain rule when ``written`` is
    not an answer this question can have ("E" on a four-option question, two letters
    on a single-answer question, "abc" on a numeric one), or when ``row`` does not
    describe ``item`` (the bank changed after the paper was printed).
    """
    mismatch = row_mismatch(row, item)
    if mismatch:
        raise ValueError(mismatch)
    text = (written or "").strip()
    if not text:
        return None
    if item.type == "numeric":
        return _number(item, text)
    if item.type == "text":
        return text
    letters = _letters(text)
    if not letters:
        return None
    size = len(row.option_order)
    valid = f"{LETTERS[0]}–{letter(size - 1)}"
    for char in letters:
        if char not in LETTERS[:size]:
            raise ValueError(f"{char!r} is not one of the letters {valid} of this question")
    shown = [row.option_order[LETTERS.index(char)] for char in letters]
    if item.type == "single":
        if len(letters) != 1:
            raise ValueError(f"a single-answer question takes one letter, not {len(letters)}")
        return shown[0]
    if item.type == "multiple":
        _no_repeats(letters)
        return set(shown)
    if item.type == "order":
        _no_repeats(letters)
        if len(letters) != size:
            raise ValueError(f"an order question takes all {size} letters {valid}, "
                             f"each once; got {len(letters)}")
        return shown
    # match: one letter per left entry; a repeated letter is a (wrong) answer, not a typo.
    if len(letters) != size:
        raise ValueError(f"a match question takes one letter for each of its {size} "
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
    size = bank_choice_count(item)
    if sorted(row.option_order) != list(range(size)):
        what = {"single": "options", "multiple": "options", "order": "events",
                "match": "pairs"}.get(item.type, "options")
        return (f"item {item.id} has {size} {what} in the bank but the key's option_order "
                f"is {' '.join(map(str, row.option_order)) or 'empty'}; was the bank "
                "changed after the paper was printed?")
    return None


def _letters(text: str) -> str:
    return _LETTER_SEPARATORS.sub("", text).upper()


def _no_repeats(letters: str) -> None:
    repeated = sorted({c for c in letters if letters.count(c) > 1})
    if repeated:
        raise ValueError(f"letter {', '.join(repeated)} written more than once")


def _number(item: Item, text: str) -> float:
    # A student may copy the unit printed next to the box ("292 deaths").
    if item.unit and text.lower().endswith(item.unit.lower()):
        text = text[: -len(item.unit)].strip()
    try:
        value = float(text.replace(",", "").replace(" ", ""))
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


# -- the file -------------------------------------------------------------------


def write_key(rows: Iterable[KeyRow], path: str | Path) -> None:
    """Write ``rows`` to ``path`` (UTF-8, "\\n" line ends). An existing file is never
    overwritten."""
    path = Path(path)
    try:
        with path.open("x", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(KEY_COLUMNS)
            for row in rows:
                writer.writerow([row.version, row.question, row.item_id, row.bank, row.type,
                                 row.answer, " ".join(map(str, row.option_order)),
                                 format_number(row.points)])
    except FileExistsError:
        raise QuizkitError.at(path, None, "the key file already exists; "
                                          "choose another name or remove it first") from None
    except OSError as exc:
        raise QuizkitError.at(path, None, f"cannot write the key: {exc.strerror}") from None


def read_key(path: str | Path) -> list[KeyRow]:
    """Rows of a key file, validated; a ``QuizkitError`` lists every broken rule with
    its line. A UTF-8 byte-order mark (a spreadsheet's "CSV UTF-8") is accepted."""
    shown = display_path(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise QuizkitError(Problem(shown, None, "no such key file")) from None
    except UnicodeDecodeError as exc:
        line = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        raise QuizkitError(Problem(shown, line, "the key is not UTF-8 text; save it as "
                                   "\"CSV UTF-8\"")) from None
    except OSError as exc:
        raise QuizkitError(Problem(shown, None, f"cannot read the key: {exc.strerror}")) from None

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
        row, rule = _parse_row(dict(zip(header, (c.strip() for c in cells))))
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


def _parse_row(cell: dict[str, str]) -> tuple[KeyRow | None, str | None]:
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
                  order, points), None


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
