"""Item-writing advice: patterns that make questions easier to guess or harder to read.

Everything here is a warning (``Problem.severity == "warning"``), never an error: a
bank that triggers one is valid, but a test-wise student may beat it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable

from .errors import Problem
from .exam_security import twin_problems
from .model import Bank, Item
from .notation import letter

MIN_ITEMS_FOR_POSITION_CHECK = 8
MAX_SHARE_ONE_POSITION = 0.5
MIN_ITEMS_FOR_LENGTH_CHECK = 5
MAX_SHARE_LONGEST_CORRECT = 0.6
NEAR_DUPLICATE_RATIO = 0.9

_ABOVE = re.compile(r"\b(all|none|both|neither) of the above\b", re.IGNORECASE)
# Capitalised negatives are how writers flag a reversed question; "which … is not"
# is the lower-case form. Both trip up readers scanning for the usual polarity.
_CAPITAL_NEGATIVE = re.compile(r"\b(NOT|EXCEPT|NEVER)\b")
_WHICH_NOT = re.compile(
    r"\bwhich\b[^.?!]{0,60}?\b(is|are|was|were|does|do|did|has|have|had|could|would)"
    r"(\s+not\b|n't\b)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TAG_SEPARATORS = re.compile(r"[\s_-]+")
# Days of the month written before a month name: "9 March", "9 and 13 March", "6, 9 or 13 Mar".
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*")
_DAYS_OF_MONTH = re.compile(
    rf"\b(\d{{1,2}}(?:\s*(?:,|and|&)\s*\d{{1,2}})*)\s+{_MONTH}\b", re.IGNORECASE)
_OR = re.compile(r"\bor\b", re.IGNORECASE)
# Words that keep a list open: the record shows these dates, not only these dates.
_OPEN_LIST = re.compile(
    r"\b(include[sd]?|including|among|for example|e\.g\.|such as|at least|other|others)\b",
    re.IGNORECASE)


def lint_banks(banks: Iterable[Bank]) -> list[Problem]:
    """Warnings for every bank, plus near-duplicate stems and exam items with a
    self-check twin (``quizkit.exam_security``) across all of them."""
    banks = list(banks)
    warnings: list[Problem] = []
    for bank in banks:
        warnings.extend(lint_bank(bank))
    warnings.extend(_near_duplicate_stems(banks))
    warnings.extend(twin_problems(banks))
    warnings.extend(_tag_spellings(banks))
    return sorted(warnings, key=lambda w: (w.path, w.line or 0))


def lint_bank(bank: Bank) -> list[Problem]:
    """Warnings that concern one bank."""
    def warn(line: int | None, rule: str) -> Problem:
        return Problem(bank.path, line, rule, severity="warning")

    found = [warn(line, rule) for line, rule in _key_position_balance(bank)]
    found += [warn(line, rule) for line, rule in _longest_option_correct(bank)]
    for item in bank.items:
        for option in item.options:
            if _ABOVE.search(option.text):
                found.append(warn(option.line or item.line,
                                  f'{item.id}: avoid "{_ABOVE.search(option.text).group(0)}" '
                                  "as an option; write the alternatives out"))
        for option in (o for o in item.options if o.correct):
            if _closed_date_list(option.text):
                found.append(warn(option.line or item.line,
                                  f"{item.id}: the keyed option lists dates as if the list "
                                  "were complete; write 'include' or 'for example' unless a "
                                  "source says no other date exists"))
        if _CAPITAL_NEGATIVE.search(item.stem) or _WHICH_NOT.search(item.stem):
            found.append(warn(item.line_of("stem"),
                              f"{item.id}: negative stem; ask for what is true, "
                              "or the student may answer the opposite question"))
        if item.source.quote is None and not item.source.locator:
            found.append(warn(item.line_of("source"),
                              f"{item.id}: the source has neither a quote nor a locator; "
                              f"say where in {item.source.id} the fact is"))
    return found


def _closed_date_list(text: str) -> bool:
    """Two or more days named in a keyed option, with no word that keeps the list open.

    A record searched by one person shows that these days exist, rarely that no other
    does: "his briefings fall on 9 and 13 March" marks wrong the student who knows of a
    third, while "his briefings include 9 and 13 March" stays true.
    """
    if _OPEN_LIST.search(text):
        return False
    # Alternatives ("31 October or 1 November") are not a list of events.
    return any(
        sum(len(re.findall(r"\d{1,2}", m.group(1))) for m in _DAYS_OF_MONTH.finditer(part)) >= 2
        for part in _OR.split(text))


def _key_position_balance(bank: Bank) -> list[tuple[int | None, str]]:
    """A key that sits mostly in one position (or never in one) can be guessed."""
    singles = [i for i in bank.items if i.type == "single" and len(i.correct_indices) == 1]
    if len(singles) < MIN_ITEMS_FOR_POSITION_CHECK:
        return []
    positions = Counter(i.correct_indices[0] for i in singles)
    shared_positions = min(len(i.options) for i in singles)
    found = []
    position, count = positions.most_common(1)[0]
    if count > MAX_SHARE_ONE_POSITION * len(singles):
        found.append((bank.line, f"the correct option is {letter(position)} in {count} of "
                                 f"{len(singles)} single-answer items; move some keys"))
    unused = [letter(p) for p in range(shared_positions) if p not in positions]
    if unused:
        found.append((bank.line, f"no single-answer item has its correct option in position "
                                 f"{', '.join(unused)}; spread the keys over all positions"))
    return found


def _longest_option_correct(bank: Bank) -> list[tuple[int | None, str]]:
    """Writers tend to make the key the most careful, hence longest, option."""
    choice_items = [i for i in bank.items if i.type in ("single", "multiple") and i.options]
    if len(choice_items) < MIN_ITEMS_FOR_LENGTH_CHECK:
        return []
    longest_correct = 0
    for item in choice_items:
        lengths = [len(o.text) for o in item.options]
        top = max(lengths)
        if lengths.count(top) == 1 and item.options[lengths.index(top)].correct:
            longest_correct += 1
    if longest_correct > MAX_SHARE_LONGEST_CORRECT * len(choice_items):
        return [(bank.line, f"the correct option is the longest in {longest_correct} of "
                            f"{len(choice_items)} choice items; lengthen some distractors")]
    return []


def _question_text(item: Item) -> str:
    """The stem, plus the entries for order and match items, whose stems are often
    generic instructions ("Put these events in order") while the entries are the
    question."""
    parts = [item.stem, *item.events, *(pair.left for pair in item.pairs)]
    return _SPACES.sub(" ", " ".join(parts).lower()).strip()


def _near_duplicate_stems(banks: list[Bank]) -> list[Problem]:
    """Two near-identical stems usually mean one question was pasted twice."""
    seen: list[tuple[str, Item, Bank]] = []
    found = []
    for bank in banks:
        for item in bank.items:
            stem = _question_text(item)
            # One matcher per stem: SequenceMatcher indexes its second sequence once.
            matcher = difflib.SequenceMatcher(None, "", stem, autojunk=False)
            for other_stem, other, other_bank in seen:
                matcher.set_seq1(other_stem)
                if (matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
                        and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
                        and matcher.ratio() >= NEAR_DUPLICATE_RATIO):
                    found.append(Problem(
                        bank.path, item.line_of("stem"),
                        f"{item.id}: stem nearly repeats {other.id} "
                        f"({other_bank.path}, line {other.line_of('stem')})",
                        severity="warning"))
                    break
            seen.append((stem, item, bank))
    return found


def _tag_spellings(banks: list[Bank]) -> list[Problem]:
    """Tags that differ only in case or separator ("NAP"/"nap", "source criticism"/
    "source-criticism") split one topic in two: ``--tag`` picks only one of them, and
    Moodle, whose tags ignore case, merges some and not others."""
    first: dict[str, tuple[str, Item, Bank]] = {}
    found = []
    for bank in banks:
        for item in bank.items:
            for index, tag in enumerate(item.tags):
                key = _TAG_SEPARATORS.sub("", tag.casefold())
                seen = first.setdefault(key, (tag, item, bank))
                if seen[0] != tag:
                    found.append(Problem(
                        bank.path, item.line_of(f"tags[{index}]"),
                        f"{item.id}: tag {tag!r} differs from {seen[0]!r} ({seen[1].id}, "
                        f"{seen[2].path}) only in case or separator; use one spelling",
                        severity="warning"))
    return found
