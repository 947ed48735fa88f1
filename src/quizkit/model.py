"""The quiz data model: ``Bank`` → ``Item`` → ``Option`` (and friends).

Loaders (``quizkit.bank``) return these objects, never raw dicts. Each object knows
its own rules: ``Item.problems()`` and ``Bank.problems()`` return plain-language
``Violation``s, and ``Item.is_correct`` / ``Item.answer_text`` are the one place where
correctness lives, so the self-check, the printed key, the exporters and the grader
can never disagree.

The model does not read YAML; it only carries the line numbers the loader found
(``Item.lines``) so that every rule can be reported at the line where it is broken.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ITEM_TYPES = ("single", "multiple", "numeric", "text", "order", "match")
POOLS = ("self-check", "exam")
DIFFICULTIES = ("easy", "medium", "hard")
# What an item asks a student to do, after Bloom's revised taxonomy (its top level,
# "create", cannot be asked in a closed item). Everything above "remember" counts as
# beyond recall in the coverage that ``quizkit check`` reports.
LEVELS = ("remember", "understand", "apply", "analyse", "evaluate")
OBJECTIVE_ID = re.compile(r"[A-Z]{1,3}[0-9]{1,2}")  # "B1", "OP3", "C2": the bank README lists them
MAX_QUOTE_WORDS = 40
MIN_CHOICES = 3  # options, events and pairs alike: fewer makes guessing too easy
MIN_SET_ITEMS = 2  # a passage with a single item is just a long stem

# Students type on phones and copy from the page: curly quotes, odd dashes and
# non-breaking spaces must not turn a right answer into a wrong one.
TYPOGRAPHIC_FOLDING = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u00a0": " ",
})
_SPACES = re.compile(r"\s+")


def normalize_answer(text: str) -> str:
    """Fold a typed answer for comparison: case, extra spaces, curly quotes, dashes.

    quiz.js applies the same folding (``normalizeAnswer``); keep the two in step.
    """
    text = unicodedata.normalize("NFC", text).translate(TYPOGRAPHIC_FOLDING).lower()
    return _SPACES.sub(" ", text).strip()


def format_number(value: float) -> str:
    """``292.0`` → ``"292"``; ``0.25`` → ``"0.25"``: numbers as a reader writes them."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


# How people write numbers. Point-decimal by default: "1,440" groups thousands, and a
# comma that cannot group thousands ("1,44") is a decimal comma. With decimal_comma the
# roles swap. Anything else with a separator ("1 44", "1_44", "1.234,5") is not read at
# all: a number is never changed silently.
_PLAIN = re.compile(r"[+-]?(\d+(\.\d+)?|\.\d+)\Z")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?\Z")
_COMMA_DECIMAL = re.compile(r"[+-]?\d+,\d+\Z")
_PLAIN_EU = re.compile(r"[+-]?(\d+(,\d+)?|,\d+)\Z")
_GROUPED_EU = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?\Z")
_POINT_DECIMAL = re.compile(r"[+-]?\d+\.\d+\Z")


class NotANumberError(ValueError):
    """Text that is not a number, or not one that can be read without guessing."""


def read_number(text: str, *, decimal_comma: bool = False) -> tuple[float, bool]:
    """The number ``text`` writes, and whether it was read with a decimal comma.

    ``NotANumberError`` for anything else, saying why."""
    text = text.strip()
    if not decimal_comma:
        if _PLAIN.match(text):
            return float(text), False
        if _GROUPED.match(text):
            return float(text.replace(",", "")), False
        if _COMMA_DECIMAL.match(text):
            return float(text.replace(",", ".")), True
    else:
        if _PLAIN_EU.match(text):
            return float(text.replace(",", ".")), "," in text
        if _GROUPED_EU.match(text):
            return float(text.replace(".", "").replace(",", ".")), "," in text
        if _POINT_DECIMAL.match(text):
            return float(text), False
    if re.search(r"\d", text) and re.fullmatch(r"[+-]?[\d.,_ '\u00a0\u202f]+", text):
        raise NotANumberError(f"{_shown(text)} is an ambiguous number (write it as 1440 or "
                              "1.44, without spaces or other separators)")
    raise NotANumberError(f"{_shown(text)} is not a number")


def _shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut short if long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


@dataclass(frozen=True)
class Violation:
    """One rule broken inside a bank; ``line`` is 1-based or ``None``."""

    line: int | None
    rule: str


@dataclass(frozen=True)
class Option:
    """A choice of a single- or multiple-answer item."""

    text: str
    correct: bool = False
    feedback: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Feedback:
    """What a student reads after checking an item that has no options."""

    correct: str = ""
    incorrect: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    value: float
    tolerance: float = 0.0


@dataclass(frozen=True)
class Pair:
    """One line of a matching item: ``left`` is matched with ``right``."""

    left: str
    right: str
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Source:
    """Where the item's fact comes from: a BibTeX key plus a verbatim quote or a locator."""

    id: str
    quote: str | None = None
    locator: str | None = None

    def citation_text(self) -> str:
        """``isas-2024: "On 22 June 2024, …"`` or ``isas-2024, transcript, para. 3``."""
        if self.quote:
            return f'{self.id}: "{self.quote}"'
        if self.locator:
            return f"{self.id}, {self.locator}"
        return self.id


@dataclass(frozen=True)
class PassageTable:
    """A small table printed with a passage: column headings, then rows of cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Passage:
    """A short text (and optional table) new to the student, shown once before the
    items of its set (a context-dependent item set). It is never scored."""

    id: str
    title: str
    text: str
    source: Source
    table: PassageTable | None = None
    line: int | None = field(default=None, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, path: str) -> int | None:
        """Line of ``path`` ("table.rows[1]"), else of its nearest recorded parent."""
        return _line_of(self.lines, path, self.line)

    def paragraphs(self) -> list[str]:
        """The text's paragraphs (separated by blank lines), each on one line."""
        return [" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(self.text)
                if part.strip()]

    def plain_lines(self) -> list[str]:
        """The passage as plain lines (title, paragraphs, the table as ``a | b`` rows,
        source), for outputs without HTML or LaTeX."""
        lines = [self.title, *self.paragraphs()]
        if self.table is not None:
            lines += [" | ".join(self.table.header),
                      *(" | ".join(row) for row in self.table.rows)]
        lines.append(f"Source: {self.source.citation_text()}")
        return lines

    def texts(self) -> list[str]:
        """Every text of the passage, for checks that apply to all of them."""
        texts = [self.id, self.title, self.text, self.source.id, self.source.quote or "",
                 self.source.locator or ""]
        if self.table is not None:
            texts += [*self.table.header, *(cell for row in self.table.rows for cell in row)]
        return texts

    def problems(self) -> list[Violation]:
        found = []
        if self.table is not None:
            width = len(self.table.header)
            if width < 2:
                found.append(Violation(self.line_of("table.header"),
                                       "`table.header` needs at least 2 columns"))
            if not self.table.rows:
                found.append(Violation(self.line_of("table.rows"),
                                       "`table.rows` needs at least one row"))
            for index, row in enumerate(self.table.rows):
                if len(row) != width:
                    found.append(Violation(self.line_of(f"table.rows[{index}]"),
                                           f"row {index + 1} of the table has {len(row)} cells; "
                                           f"the header has {width}"))
        return found


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _line_of(lines: Mapping[str, int], path: str, default: int | None) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return default


@dataclass(frozen=True)
class Item:
    """One question. Only the fields its ``type`` needs are filled in."""

    id: str
    type: str
    pool: str
    objective: str
    difficulty: str
    stem: str
    explanation: str
    source: Source
    tags: tuple[str, ...] = ()
    level: str | None = None  # one of LEVELS; optional so that older banks still load
    objectives: tuple[str, ...] = ()  # objective ids the item assesses
    options: tuple[Option, ...] = ()
    answer: NumericAnswer | None = None
    unit: str | None = None
    accept: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()
    feedback: Feedback = Feedback()
    # The passage the item belongs to (its set), shown once before the set's first item.
    passage: Passage | None = None
    line: int | None = field(default=None, compare=False)
    # Line of every key the loader saw, by dotted path ("stem", "answer.tolerance",
    # "events[2]"). Kept out of equality and hashing: it describes the file, not the item.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    # -- where ----------------------------------------------------------------

    def line_of(self, path: str) -> int | None:
        """Line of ``path`` ("events[2]"), else of its nearest recorded parent, else of the item."""
        return _line_of(self.lines, path, self.line)

    # -- correctness ----------------------------------------------------------

    @property
    def correct_indices(self) -> tuple[int, ...]:
        """Indices of the correct options (single and multiple items)."""
        return tuple(i for i, option in enumerate(self.options) if option.correct)

    def is_correct(self, response: object) -> bool:
        """Whether ``response`` answers the item. A malformed response is simply wrong.

        single: an option index; multiple: a set of option indices; numeric: a number
        (or a numeric string); text: a string; order: the event indices in the order
        the student put them; match: a mapping of left index → right index.
        """
        checker = getattr(self, f"_is_correct_{self.type}", None)
        if checker is None:
            return False
        try:
            return bool(checker(response))
        except (TypeError, ValueError, OverflowError):
            return False

    def _is_correct_single(self, response: object) -> bool:
        return _is_index(response, len(self.options)) and self.options[response].correct

    def _is_correct_multiple(self, response: object) -> bool:
        if isinstance(response, (str, bytes)) or not isinstance(response, Iterable):
            return False
        chosen = list(response)
        if not all(_is_index(i, len(self.options)) for i in chosen):
            return False
        return set(chosen) == set(self.correct_indices)

    def _is_correct_numeric(self, response: object) -> bool:
        if isinstance(response, bool) or self.answer is None:
            return False
        given = read_number(response)[0] if isinstance(response, str) else float(response)
        if not math.isfinite(given):
            return False
        # A small relative slack so that 0.1 + 0.2 counts as 0.3 when tolerance is 0.
        slack = 1e-9 * max(1.0, abs(self.answer.value))
        return abs(given - self.answer.value) <= self.answer.tolerance + slack

    def _is_correct_text(self, response: object) -> bool:
        if not isinstance(response, str):
            return False
        given = normalize_answer(response)
        return bool(given) and given in {normalize_answer(a) for a in self.accept}

    def _is_correct_order(self, response: object) -> bool:
        if isinstance(response, (str, bytes, Mapping)) or not isinstance(response, Iterable):
            return False
        return list(response) == list(range(len(self.events)))

    def _is_correct_match(self, response: object) -> bool:
        if not isinstance(response, Mapping) or len(response) != len(self.pairs):
            return False
        return all(response.get(i) == i and not isinstance(response.get(i), bool)
                   for i in range(len(self.pairs)))

    def answer_lines(self) -> list[str]:
        """The right answer, one line per part (option, event, pair)."""
        if self.type in ("single", "multiple"):
            return [self.options[i].text for i in self.correct_indices]
        if self.type == "numeric" and self.answer is not None:
            text = format_number(self.answer.value)
            if self.answer.tolerance:
                text += f" (+/- {format_number(self.answer.tolerance)})"
            return [f"{text} {self.unit}" if self.unit else text]
        if self.type == "text":
            return list(self.accept[:1])
        if self.type == "order":
            return [f"{n}. {event}" for n, event in enumerate(self.events, start=1)]
        if self.type == "match":
            return [f"{pair.left}: {pair.right}" for pair in self.pairs]
        return []

    def answer_text(self) -> str:
        """The right answer as one line of plain text, for keys, exports and reports."""
        text = "; ".join(self.answer_lines())
        if self.type == "text" and len(self.accept) > 1:
            text += " (also accepted: " + ", ".join(self.accept[1:]) + ")"
        return text

    # -- rules ----------------------------------------------------------------

    def problems(self) -> list[Violation]:
        """Every rule of the item's type that its content breaks (the loader has
        already checked keys and value types)."""
        found: list[Violation] = []

        def broken(path: str, rule: str) -> None:
            found.append(Violation(self.line_of(path), rule))

        if self.type in ("single", "multiple"):
            self._option_problems(broken)
        elif self.type == "numeric":
            if self.answer is None:
                broken("answer", "a numeric item needs a number in `answer.value`")
            elif self.answer.tolerance < 0:
                broken("answer.tolerance", "`answer.tolerance` must not be negative")
            elif not (math.isfinite(self.answer.value) and math.isfinite(self.answer.tolerance)):
                broken("answer", "`answer.value` and `answer.tolerance` must be finite numbers")
        elif self.type == "text":
            if not any(normalize_answer(a) for a in self.accept):
                broken("accept", "a text item needs at least one accepted answer in `accept`")
        elif self.type == "order":
            if len(self.events) < MIN_CHOICES:
                broken("events", f"an order item needs at least {MIN_CHOICES} events")
            _duplicates(self.events, "events", "event", broken)
        elif self.type == "match":
            if len(self.pairs) < MIN_CHOICES:
                broken("pairs", f"a match item needs at least {MIN_CHOICES} pairs")
            _duplicates([p.left for p in self.pairs], "pairs", "left entry", broken)
            _duplicates([p.right for p in self.pairs], "pairs", "right entry", broken)
        self._quote_problems(broken)
        return found

    def _option_problems(self, broken) -> None:
        n_correct = len(self.correct_indices)
        if len(self.options) < MIN_CHOICES:
            broken("options", f"a {self.type}-answer item needs at least {MIN_CHOICES} options")
        if self.type == "single" and n_correct != 1:
            broken("options", "a single-answer item needs exactly one correct option "
                              f"(found {n_correct})")
        if self.type == "multiple" and not 0 < n_correct < len(self.options):
            broken("options", "a multiple-answer item needs at least one correct "
                              "and at least one incorrect option")
        _duplicates([o.text for o in self.options], "options", "option text", broken)

    def _quote_problems(self, broken) -> None:
        quote = self.source.quote
        if quote is None:
            return
        words = len(quote.split())
        if words == 0:
            broken("source.quote", "`source.quote` is empty")
        elif words > MAX_QUOTE_WORDS:
            broken("source.quote", f"`source.quote` has {words} words; "
                                   f"quote at most {MAX_QUOTE_WORDS}")


def _is_index(value: object, size: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size


def _duplicates(texts: Iterable[str], path: str, what: str, broken) -> None:
    """Report each repeated entry (compared as a reader would) at the repeat's line."""
    first_seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        key = normalize_answer(text)
        if key in first_seen:
            broken(f"{path}[{index}]", f'duplicate {what} "{text}" '
                                       f"(same as entry {first_seen[key] + 1})")
        else:
            first_seen[key] = index


@dataclass(frozen=True)
class Bank:
    """One chapter's questions, as read from ``quizzes/<name>.yml``."""

    name: str
    title: str
    items: tuple[Item, ...]
    path: str = ""  # as shown in messages, e.g. "quizzes/operation.yml"
    line: int | None = field(default=1, compare=False)
    passages: tuple[Passage, ...] = ()

    def in_pool(self, pool: str) -> tuple[Item, ...]:
        """Items of one pool; ``"all"`` gives every item."""
        return tuple(i for i in self.items if pool == "all" or i.pool == pool)

    def problems(self) -> list[Violation]:
        """Rules that need the bank: id prefixes, ids unique within the bank (items and
        passages share one namespace), every item's own rules, and the rules of sets."""
        found: list[Violation] = []
        first_line: dict[str, int | None] = {}
        prefix = f"{self.name}-"
        for label, entries in (("passage id", self.passages), ("id", self.items)):
            for entry in entries:
                if not entry.id.startswith(prefix) or entry.id == prefix:
                    found.append(Violation(entry.line_of("id"),
                                           f"{label} {entry.id} must start with \"{prefix}\""))
                if entry.id in first_line:
                    where = f"{self.path}, line {first_line[entry.id]}"
                    found.append(Violation(entry.line_of("id"),
                                           f"duplicate id {entry.id}, first defined in {where}"))
                else:
                    first_line[entry.id] = entry.line_of("id")
                found.extend(entry.problems())
        found.extend(self._set_problems())
        return found

    def _set_problems(self) -> list[Violation]:
        """Each passage has a set of at least ``MIN_SET_ITEMS`` items, all in one pool."""
        found = []
        for passage in self.passages:
            members = [item for item in self.items
                       if item.passage is not None and item.passage.id == passage.id]
            if not members:
                found.append(Violation(passage.line_of("id"),
                                       f"passage {passage.id} is used by no item (give its "
                                       f"items `passage: {passage.id}`, or remove it)"))
            elif len(members) < MIN_SET_ITEMS:
                found.append(Violation(passage.line_of("id"),
                                       f"passage {passage.id} has only {len(members)} item "
                                       f"({members[0].id}); a set needs at least "
                                       f"{MIN_SET_ITEMS}"))
            pools = {item.pool for item in members}
            if len(pools) > 1:
                first = members[0].pool
                for item in members:
                    if item.pool != first:
                        found.append(Violation(
                            item.line_of("pool"),
                            f"item {item.id} is in pool {item.pool} but its passage "
                            f"{passage.id} has {members[0].id} in pool {first}: a set "
                            "stays in one pool"))
        return found
