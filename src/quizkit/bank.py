"""Load quiz banks (``quizzes/<name>.yml``) into ``Bank`` objects, or say exactly why not.

Every problem is collected, with the line where it occurs, before anything is raised:
a maintainer fixing a bank sees the whole list at once, not one error per run.

``read_banks`` never raises for bad content: it returns what could be loaded plus the
problems. ``quizkit.project.load_project`` is the one loader built on it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path

from .citations import source_problems
from .errors import Problem, Problems, QuizkitError, display_path
from .files import os_reason, read_user_text
from .model import (
    DIFFICULTIES, ITEM_TYPES, LEVELS, OBJECTIVE_ID, POOLS, Bank, Feedback, Item,
    NumericAnswer, Option, Pair, Passage, PassageTable, Source,
)
from .yaml_lines import LocatedDict, LocatedList, YamlSyntaxError, load_located

BANK_KEYS = ("bank", "title", "items")
BANK_OPTIONAL = ("passages",)
PASSAGE_REQUIRED = ("id", "title", "text", "source")
PASSAGE_OPTIONAL = ("table",)
TABLE_KEYS = ("header", "rows")
ITEM_REQUIRED = ("id", "type", "pool", "objective", "difficulty", "stem", "explanation",
                 "source")
ITEM_OPTIONAL = ("tags", "level", "objectives", "passage")
# Per type: the keys it requires, then the keys it may have.
TYPE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "single": (("options",), ()),
    "multiple": (("options",), ()),
    "numeric": (("answer",), ("unit", "feedback")),
    "text": (("accept",), ("feedback",)),
    "order": (("events",), ("feedback",)),
    "match": (("pairs",), ("feedback",)),
}
FEEDBACK_KEYS = ("correct", "incorrect")
ANSWER_KEYS = ("value", "tolerance")
PAIR_KEYS = ("left", "right")
# Ids end up in HTML ids, storage keys and LMS exports: keep them plain.
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_BOOL_HINT = "; put it in quotes (YAML reads yes, no, on, off, true and false as true/false)"


@dataclass
class BankReading:
    """What reading one bank file gave: the bank (``None`` if unusable) and its problems."""

    path: str
    bank: Bank | None
    problems: list[Problem] = field(default_factory=list)
    item_count: int = 0  # entries under ``items``, loadable or not
    readable: bool = True  # False when the file itself could not be read


# -- reading files ----------------------------------------------------------------


def read_bank(
    path: str | Path,
    *,
    references: Set[str] | None = None,
    seed_ids: Set[str] | None = None,
    seed_texts: Mapping[str, str] | None = None,
) -> BankReading:
    """Read and validate one bank file; never raises for bad input."""
    path = Path(path)
    shown = display_path(path)
    problems = Problems(shown)
    try:
        text = read_user_text(path).text
    except QuizkitError as exc:
        return BankReading(shown, None, exc.problems, readable=False)
    try:
        data = load_located(text)
    except YamlSyntaxError as exc:
        problems.add(exc.line, exc.message)
        return BankReading(shown, None, problems.items)
    _report_repeated_keys(data, problems)
    bank, item_count = _parse_bank(data, path.stem, shown, problems)
    if bank is not None:
        for violation in bank.problems():
            problems.add(violation.line, violation.rule)
        for item in (*bank.passages, *bank.items):  # a passage's source is checked alike
            for violation in source_problems(item, references=references,
                                             seed_ids=seed_ids, seed_texts=seed_texts):
                problems.add(violation.line, violation.rule)
    problems.items.sort(key=lambda p: p.line or 0)
    return BankReading(shown, bank, problems.items, item_count)


def read_banks(
    paths: Iterable[str | Path],
    *,
    references: Set[str] | None = None,
    seed_ids: Set[str] | None = None,
    seed_texts: Mapping[str, str] | None = None,
) -> list[BankReading]:
    """Read several banks and also check that item ids are unique across all of them."""
    readings = [read_bank(p, references=references, seed_ids=seed_ids,
                          seed_texts=seed_texts) for p in paths]
    first_seen: dict[str, str] = {}
    for reading in readings:
        if reading.bank is None:
            continue
        own_ids: set[str] = set()
        for item in reading.bank.items:
            where = f"{reading.path}, line {item.line_of('id')}"
            if item.id in first_seen and item.id not in own_ids:
                reading.problems.append(Problem(
                    reading.path, item.line_of("id"),
                    f"duplicate id {item.id}, first defined in {first_seen[item.id]}"))
            first_seen.setdefault(item.id, where)
            own_ids.add(item.id)  # repeats within one bank are reported by Bank.problems
        reading.problems.sort(key=lambda p: p.line or 0)
    return readings


def bank_files(folder: str | Path) -> list[Path]:
    """The bank files of a folder (``*.yml``, ``*.yaml``; not hidden ones), by name."""
    folder = Path(folder)
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yml", ".yaml") and p.is_file() and not p.name.startswith("."))


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files stay files; a folder stands for its bank files (an empty one is a problem)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_dir():
            try:
                found = bank_files(path)
            except OSError as exc:
                problems.append(Problem(display_path(path), None,
                                        f"cannot list the folder: {os_reason(exc)}"))
                continue
            if not found:
                problems.append(Problem(display_path(path), None,
                                        "no bank files (*.yml) in this folder"))
            files.extend(found)
        elif not path.exists() and path.suffix not in (".yml", ".yaml"):
            problems.append(Problem(display_path(path), None,
                                    "folder not found: run quizkit in the book's folder (the "
                                    "one that holds quizzes/), or name the banks' folder"))
        else:
            files.append(path)  # a missing file is reported by the loader, by name
    unique, seen = [], set()
    for path in files:  # a file named twice (directly and via its folder) is read once
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique, problems


# -- structure --------------------------------------------------------------------


def _report_repeated_keys(data: object, problems: Problems) -> None:
    if isinstance(data, LocatedDict):
        for key, line, first in data.repeated_keys:
            problems.add(line, f"key `{key}` appears twice in this mapping "
                               f"(first at line {first})")
        children: Iterable[object] = data.values()
    elif isinstance(data, list):
        children = data
    else:
        return
    for child in children:
        _report_repeated_keys(child, problems)


def _check_keys(node: LocatedDict, required: Iterable[str], optional: Iterable[str],
                where: str, problems: Problems,
                foreign: Mapping[str, str] | None = None) -> bool:
    """Report unknown and missing keys; ``foreign`` explains keys of other item types."""
    allowed = (*required, *optional)
    fine = True
    for key in node:
        if key not in allowed:
            fine = False
            if foreign and key in foreign:
                problems.add(node.key_lines[key], foreign[key])
            else:
                problems.add(node.key_lines[key],
                             f"unknown key `{key}` in {where} (allowed: {', '.join(allowed)})")
    for key in required:
        if key not in node:
            fine = False
            problems.add(node.line, f"missing key `{key}` in {where}")
    return fine


def _parse_bank(data: object, stem: str, shown: str,
                problems: Problems) -> tuple[Bank | None, int]:
    if data is None:
        problems.add(1, "the file is empty; a bank needs the keys bank, title and items")
        return None, 0
    if not isinstance(data, LocatedDict):
        problems.add(getattr(data, "line", 1),
                     "a bank must be a mapping with the keys bank, title and items")
        return None, 0
    _check_keys(data, BANK_KEYS, BANK_OPTIONAL, "the bank", problems)
    name = data.get("bank")
    if "bank" in data and name != stem:
        problems.add(data.key_lines["bank"],
                     f"`bank` must equal the file name \"{stem}\" (found \"{name}\")")
        name = stem
    title = _text(data, "title", problems) if "title" in data else ""
    items_node = data.get("items")
    if "items" in data and not (isinstance(items_node, LocatedList) and items_node):
        problems.add(data.key_lines["items"], "`items` must be a list of at least one item")
        items_node = None
    passages, broken = _passages(data, problems)
    by_id: dict[str, Passage | None] = dict.fromkeys(broken)  # reported already
    for passage in passages:
        if by_id.get(passage.id) is None:
            by_id[passage.id] = passage
    items: list[Item] = []
    for index, entry in enumerate(items_node or ()):
        line = items_node.item_lines[index]
        if not isinstance(entry, LocatedDict):
            problems.add(line, f"item {index + 1} must be a mapping of keys such as id, type, stem")
            continue
        item = _parse_item(entry, problems, by_id)
        if item is not None:
            items.append(item)
    bank = Bank(name=stem, title=title or "", items=tuple(items), path=shown,
                line=data.line, passages=tuple(passages))
    return bank, len(items_node or ())


def _passages(data: LocatedDict, problems: Problems) -> tuple[list[Passage], set[str]]:
    """The bank's passages, in file order (a repeated id is kept: Bank.problems names
    it with its line), and the ids of passages that could not be loaded."""
    if "passages" not in data:
        return [], set()
    node = data["passages"]
    if not isinstance(node, LocatedList) or not node:
        problems.add(data.key_lines["passages"], "`passages` must be a list of at least one "
                                                 "passage (id, title, text, source)")
        return [], set()
    found: list[Passage] = []
    broken: set[str] = set()
    for index, entry in enumerate(node):
        if not isinstance(entry, LocatedDict):
            problems.add(node.item_lines[index],
                         f"passage {index + 1} must be a mapping with id, title, text and source")
            continue
        passage = _parse_passage(entry, problems)
        if passage is not None:
            found.append(passage)
        elif isinstance(entry.get("id"), str):
            broken.add(entry["id"])
    return found, broken


def _parse_passage(node: LocatedDict, problems: Problems) -> Passage | None:
    before = len(problems.items)
    _check_keys(node, PASSAGE_REQUIRED, PASSAGE_OPTIONAL, "a passage", problems)
    passage_id = _text(node, "id", problems)
    if passage_id is not None and not _ID_PATTERN.match(passage_id):
        problems.add(node.key_lines["id"],
                     f"id \"{passage_id}\" may contain only letters, digits, '-', '_' and '.'")
    title = _text(node, "title", problems)
    text = _text(node, "text", problems)
    source = _source(node, problems)
    table = _table(node, problems) if "table" in node else None
    if len(problems.items) > before or None in (passage_id, title, text, source):
        return None
    lines: dict[str, int] = {}
    _record_lines(node, "", lines)
    return Passage(id=passage_id, title=title, text=text, source=source, table=table,
                   line=node.line, lines=lines)


def _table(node: LocatedDict, problems: Problems) -> PassageTable | None:
    if (value := _mapping(node, "table", problems)) is None:
        return None
    if not _check_keys(value, TABLE_KEYS, (), "`table`", problems):
        return None
    header = _text_list(value, "header", problems)
    rows_node = value["rows"]
    if not isinstance(rows_node, LocatedList):
        problems.add(value.key_lines["rows"], "`table.rows` must be a list of rows, each a "
                                              "list of cells")
        return None
    rows = []
    for index, row in enumerate(rows_node):
        line = rows_node.item_lines[index]
        if not isinstance(row, LocatedList):
            problems.add(line, f"row {index + 1} of `table.rows` must be a list of cells")
            continue
        cells = [_as_text(cell) for cell in row]
        if any(cell is None for cell in cells):
            problems.add(line, f"row {index + 1} of `table.rows` must hold only texts and "
                               "numbers")
            continue
        rows.append(tuple(cells))
    if header is None:
        return None
    return PassageTable(header=tuple(header), rows=tuple(rows))


def _parse_item(node: LocatedDict, problems: Problems,
                passages: Mapping[str, Passage | None] | None = None) -> Item | None:
    before = len(problems.items)
    item_type = node.get("type")
    if "type" in node and item_type not in ITEM_TYPES:
        problems.add(node.key_lines["type"],
                     f"`type` must be one of {', '.join(ITEM_TYPES)}")
        item_type = None
    if item_type is not None:
        required, optional = TYPE_KEYS[item_type]
        foreign = {key: f"`{key}` is not used by a {item_type} item"
                   for keys in TYPE_KEYS.values() for group in keys for key in group
                   if key not in (*required, *optional)}
        _check_keys(node, ITEM_REQUIRED + required, ITEM_OPTIONAL + optional,
                    "an item", problems, foreign)
    else:  # without a known type only the common keys can be judged
        every_type_key = {k for keys in TYPE_KEYS.values() for group in keys for k in group}
        _check_keys(node, ITEM_REQUIRED, (*ITEM_OPTIONAL, *sorted(every_type_key)),
                    "an item", problems)

    item_id = _text(node, "id", problems) if "id" in node else None
    if item_id is not None and not _ID_PATTERN.match(item_id):
        problems.add(node.key_lines["id"],
                     f"id \"{item_id}\" may contain only letters, digits, '-', '_' and '.'")
    values = {
        "pool": _choice(node, "pool", POOLS, problems),
        "difficulty": _choice(node, "difficulty", DIFFICULTIES, problems),
        "objective": _text(node, "objective", problems),
        "stem": _text(node, "stem", problems),
        "explanation": _text(node, "explanation", problems),
        "source": _source(node, problems),
        "tags": tuple(_text_list(node, "tags", problems) or ()),
        "level": _choice(node, "level", LEVELS, problems),
        "objectives": _objective_ids(node, problems),
    }
    if "passage" in node:
        passage_id = _text(node, "passage", problems)
        if passage_id is not None and passage_id.strip():
            if passage_id not in (passages or {}):
                known = ", ".join(passages or {})
                problems.add(node.key_lines["passage"],
                             f"unknown passage id {passage_id} (passages of this bank: "
                             f"{known or 'none'})")
            elif passages[passage_id] is not None:  # else its own problems were reported
                values["passage"] = passages[passage_id]
    if item_type in ("single", "multiple"):
        values["options"] = _options(node, problems)
    elif item_type == "numeric":
        values["answer"] = _numeric_answer(node, problems)
        if "unit" in node:
            values["unit"] = _text(node, "unit", problems)
    elif item_type == "text":
        values["accept"] = tuple(_text_list(node, "accept", problems, allow_empty=True) or ())
    elif item_type == "order":
        values["events"] = tuple(_text_list(node, "events", problems) or ())
    elif item_type == "match":
        values["pairs"] = _pairs(node, problems)
    if item_type not in ("single", "multiple", None) and "feedback" in node:
        values["feedback"] = _feedback(node, problems)

    if len(problems.items) > before or item_id is None or item_type is None:
        return None  # the item's own rules make sense only once its shape is right
    lines: dict[str, int] = {}
    _record_lines(node, "", lines)
    return Item(id=item_id, type=item_type, line=node.line, lines=lines, **values)


def _record_lines(value: object, prefix: str, lines: dict[str, int]) -> None:
    """Record the line of every key and list entry below ``value`` by dotted path."""
    if isinstance(value, LocatedDict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            lines[path] = value.key_lines[key]
            _record_lines(child, path, lines)
    elif isinstance(value, LocatedList):
        for index, child in enumerate(value):
            path = f"{prefix}[{index}]"
            lines[path] = value.item_lines[index]
            _record_lines(child, path, lines)


# -- values -----------------------------------------------------------------------


def _as_text(value: object) -> str | None:
    """YAML turns ``2014`` into a number and ``2024-06-22`` into a date; as answer text
    they were meant literally, so they are taken as text. Lists, mappings, booleans and
    empty values are not text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return None


def _text(node: LocatedDict, key: str, problems: Problems, *, where: str = "",
          allow_empty: bool = False) -> str | None:
    if key not in node:
        return None
    value = node[key]
    text = _as_text(value)
    name = f"`{where}{key}`"
    if text is None:
        hint = _BOOL_HINT if isinstance(value, bool) else ""
        problems.add(node.key_lines[key], f"{name} must be text{hint}")
    elif not text.strip() and not allow_empty:
        problems.add(node.key_lines[key], f"{name} must not be empty")
    return text


def _choice(node: LocatedDict, key: str, allowed: tuple[str, ...],
            problems: Problems) -> str | None:
    if key not in node:
        return None
    value = node[key]
    if value not in allowed:
        problems.add(node.key_lines[key], f"`{key}` must be one of {', '.join(allowed)}")
        return None
    return value


def _objective_ids(node: LocatedDict, problems: Problems) -> tuple[str, ...]:
    ids = _text_list(node, "objectives", problems) or []
    for index, objective in enumerate(ids):
        if not OBJECTIVE_ID.fullmatch(objective):
            problems.add(node["objectives"].item_lines[index],
                         f"objective id \"{objective}\" must be one to three capitals and a "
                         "number, like B1 or OP3")
    if len(set(ids)) < len(ids):
        problems.add(node.key_lines["objectives"], "`objectives` lists an id twice")
    return tuple(ids)


def _text_list(node: LocatedDict, key: str, problems: Problems, *,
               allow_empty: bool = False) -> list[str] | None:
    if key not in node:
        return None
    value = node[key]
    if not isinstance(value, LocatedList):
        problems.add(node.key_lines[key], f"`{key}` must be a list of texts")
        return None
    texts = []
    for index, entry in enumerate(value):
        text = _as_text(entry)
        line = value.item_lines[index]
        if text is None:
            hint = _BOOL_HINT if isinstance(entry, bool) else ""
            problems.add(line, f"entry {index + 1} of `{key}` must be text{hint}")
        elif not text.strip() and not allow_empty:
            problems.add(line, f"entry {index + 1} of `{key}` must not be empty")
        else:
            texts.append(text)
    return texts


def _mapping(node: LocatedDict, key: str, problems: Problems) -> LocatedDict | None:
    value = node[key]
    if not isinstance(value, LocatedDict):
        problems.add(node.key_lines[key], f"`{key}` must be a mapping")
        return None
    return value


def _source(node: LocatedDict, problems: Problems) -> Source | None:
    if "source" not in node or (value := _mapping(node, "source", problems)) is None:
        return None
    _check_keys(value, ("id",), ("quote", "locator"), "`source`", problems)
    source_id = _text(value, "id", problems, where="source.")
    quote = _text(value, "quote", problems, where="source.", allow_empty=True)
    locator = _text(value, "locator", problems, where="source.")
    if source_id is None:
        return None
    return Source(id=source_id.strip(), quote=quote, locator=locator)


def _options(node: LocatedDict, problems: Problems) -> tuple[Option, ...]:
    value = node["options"]
    if not isinstance(value, LocatedList):
        problems.add(node.key_lines["options"], "`options` must be a list of options")
        return ()
    options = []
    for index, entry in enumerate(value):
        if not isinstance(entry, LocatedDict):
            problems.add(value.item_lines[index],
                         f"option {index + 1} must be a mapping with `text` "
                         "(and `correct`, `feedback`)")
            continue
        _check_keys(entry, ("text",), ("correct", "feedback"), "an option", problems)
        correct = entry.get("correct", False)
        if not isinstance(correct, bool):
            problems.add(entry.key_lines["correct"], "`correct` must be true or false")
        text = _text(entry, "text", problems)
        feedback = _text(entry, "feedback", problems, allow_empty=True) or ""
        if text is not None:
            options.append(Option(text=text, correct=correct is True, feedback=feedback,
                                  line=entry.line))
    return tuple(options)


def _number(node: LocatedDict, key: str, problems: Problems) -> float | None:
    value = node[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(node.key_lines[key], f"`answer.{key}` must be a number (without quotes)")
        return None
    return float(value)


def _numeric_answer(node: LocatedDict, problems: Problems) -> NumericAnswer | None:
    if (value := _mapping(node, "answer", problems)) is None:
        return None
    _check_keys(value, (), ANSWER_KEYS, "`answer`", problems)
    if "value" not in value:
        problems.add(value.line, "a numeric item needs a number in `answer.value`")
        return None
    number = _number(value, "value", problems)
    tolerance = _number(value, "tolerance", problems) if "tolerance" in value else 0.0
    if number is None or tolerance is None:
        return None
    return NumericAnswer(value=number, tolerance=tolerance)


def _pairs(node: LocatedDict, problems: Problems) -> tuple[Pair, ...]:
    value = node["pairs"]
    if not isinstance(value, LocatedList):
        problems.add(node.key_lines["pairs"], "`pairs` must be a list of {left, right} pairs")
        return ()
    pairs = []
    for index, entry in enumerate(value):
        if not isinstance(entry, LocatedDict):
            problems.add(value.item_lines[index],
                         f"pair {index + 1} must be a mapping with `left` and `right`")
            continue
        _check_keys(entry, PAIR_KEYS, (), "a pair", problems)
        left, right = _text(entry, "left", problems), _text(entry, "right", problems)
        if left is not None and right is not None:
            pairs.append(Pair(left=left, right=right, line=entry.line))
    return tuple(pairs)


def _feedback(node: LocatedDict, problems: Problems) -> Feedback:
    if (value := _mapping(node, "feedback", problems)) is None:
        return Feedback()
    _check_keys(value, (), FEEDBACK_KEYS, "`feedback`", problems)
    return Feedback(
        correct=_text(value, "correct", problems, where="feedback.", allow_empty=True) or "",
        incorrect=_text(value, "incorrect", problems, where="feedback.",
                        allow_empty=True) or "",
    )
