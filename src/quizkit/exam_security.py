"""A secure exam pool: no exam item answerable from what a student can already read.

Two checks, both warnings in ``quizkit check``:

* **Twins across pools.** A self-check item is printed in the student edition with its
  answer, feedback and explanation; an exam item that asks the same fact is answered
  there. Comparing stems is too blunt (the same fact is usually asked differently), so
  ``cross_pool_twins`` compares what the exam item *answers* with everything the
  self-check item shows. The answer is reduced to its deciding words: for a choice item
  the words of the keyed options that no distractor shares and the stem does not
  already give (the names, numbers and dates that make the key right), for a typed answer the accepted answers, for a
  numeric item the number, for order and match items the events and pairs (a match
  item's share is of pairs whose two sides are both shown). Words are weighted by
  their rarity across the banks, and numbers, years and dates (a day and its month
  make one word) three times more. A pair is a twin when the self-check item shows most of the exam
  answer's weight and shares a fair part of the exam question's words; or shows nearly
  all of the answer and shares less of the question; or shows a good part of it while
  asking nearly the same question (the three threshold pairs below). The thresholds
  were tuned on the project's own banks: the pairs a reader calls twins are flagged,
  look-alikes with another answer are not. Words are compared, not meanings: "five
  engineers and their driver" does not give away "6" to this check.
* **Answers in solutions.** ``answers_in_solutions`` finds exam items whose typed
  answer, number or pairs a student can read in a solution printed beside an exercise.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Problem
from .model import TYPOGRAPHIC_FOLDING, Bank, Item, format_number
from .solutions import Solution

# Share of the exam answer's weight the self-check item must show, and share of the
# exam question's weight it must share: one of the three pairs, for a twin.
ANSWER_SHOWN = 0.6
SAME_TOPIC = 0.25
ANSWER_ALL_BUT_SHOWN = 0.9
SAME_TOPIC_WHEN_ALL_SHOWN = 0.12
ANSWER_PART_SHOWN = 0.375
SAME_TOPIC_WHEN_PART_SHOWN = 0.6
NUMBER_WEIGHT = 3.0

_MONTHS = {m[:3]: m for m in ("january", "february", "march", "april", "may", "june", "july",
                              "august", "september", "october", "november", "december")}
_WORD = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?[a-z]{0,3}|[^\W\d_]+", re.UNICODE)
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:[–-]\d{1,2})?\s+(" + "|".join(_MONTHS.values())
                        + r"|" + "|".join(_MONTHS) + r")\b")
# Function words and the words every item of this kind of bank uses.
STOPWORDS = frozenset((
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "down", "during", "each", "either", "every", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least",
    "less", "like", "many", "may", "me", "might", "more", "most", "much", "must", "my",
    "neither", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only",
    "or", "other", "our", "out", "over", "own", "same", "says", "said", "say", "she",
    "should", "since", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "two",
    "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "would", "yet", "you", "your", "select", "apply", "applies", "choose",
    "true", "correct", "correctly", "give", "given", "name", "named", "put", "order",
    "chronological", "earliest", "first", "last", "following", "statement",
    "statements", "best", "describe", "describes", "described", "according", "reported",
    "reports", "report", "record",
))


def words(text: str) -> list[str]:
    """Lower-case content words and normalised numbers of ``text``: "1,034" → "1034",
    "March" → "mar", and a day with its month as one word ("26 March" → "26mar"), so
    that the 26 of a date does not match 26 of anything else; function words dropped."""
    text = unicodedata.normalize("NFKC", text).translate(TYPOGRAPHIC_FOLDING).lower()
    text = _DAY_MONTH.sub(lambda m: f"{m.group(1)}{m.group(2)[:3]}", text)
    out = []
    for token in _WORD.findall(text):
        if token[0] in "$0123456789":
            out.append(token.lstrip("$").rstrip("%").replace(",", ""))
        elif token[:3] in _MONTHS and _MONTHS[token[:3]].startswith(token):
            out.append(token[:3])
        elif len(token) > 2 and token not in STOPWORDS:
            out.append(token)
    return out


def _is_number(word: str) -> bool:
    return word[0].isdigit()


def shown_text(item: Item) -> str:
    """Everything a student reads about a self-check item once it is answered: stem,
    options, events, pairs, answers, every feedback and the explanation."""
    parts = [item.stem, item.explanation, item.feedback.correct, item.feedback.incorrect,
             *item.events, *(f"{p.left} {p.right}" for p in item.pairs), *item.accept]
    for option in item.options:
        parts += [option.text, option.feedback]
    if item.answer is not None:
        parts.append(format_number(item.answer.value))
    return " ".join(parts)


def deciding_words(item: Item) -> list[str]:
    """The words a student must know to give the item's answer (see the module text)."""
    if item.type in ("single", "multiple"):
        # What no distractor shares, and what the question itself does not already say.
        keyed = [w for o in item.options if o.correct for w in words(o.text)]
        others = {w for o in item.options if not o.correct for w in words(o.text)}
        given = set(words(item.stem))
        distinct = [w for w in keyed if w not in others] or keyed
        return [w for w in distinct if w not in given]
    if item.type == "numeric" and item.answer is not None:
        return [format_number(item.answer.value)]
    if item.type == "text":
        return list(dict.fromkeys(w for a in item.accept for w in words(a)))
    if item.type == "order":
        return [w for event in item.events for w in words(event)]
    if item.type == "match":
        return [w for pair in item.pairs for w in words(f"{pair.left} {pair.right}")]
    return []


@dataclass(frozen=True)
class Twin:
    """An exam item whose answer a self-check item shows."""

    exam: Item
    exam_bank: Bank
    self_check: Item
    self_check_bank: Bank
    answer_shown: float  # share of the exam answer's weight shown by the self-check item
    same_topic: float  # share of the exam stem's weight the self-check item shares
    shared: tuple[str, ...]  # the deciding words shown, heaviest first

    def problem(self) -> Problem:
        return Problem(
            self.exam_bank.path, self.exam.line_of("stem"),
            f"{self.exam.id}: exam item answerable from self-check item {self.self_check.id} "
            f"({self.self_check_bank.path}, line {self.self_check.line_of('stem')}), which "
            f"shows {self.answer_shown:.0%} of its answer ({', '.join(map(_readable, self.shared[:5]))}); "
            "rewrite one of them", severity="warning")


def _readable(word: str) -> str:
    """A word as ``words`` made it, for a message: "26mar" → "26 Mar"."""
    match = re.fullmatch(r"(\d{1,2})([a-z]{3})", word)
    return f"{match.group(1)} {match.group(2).title()}" if match else word


class _Weights:
    """Inverse document frequency over every item's text: rare words weigh more."""

    def __init__(self, items: list[Item]):
        self.total = max(len(items), 1)
        self.df = Counter(w for item in items for w in set(words(shown_text(item))))
        self.cache: dict[str, float] = {}

    def __call__(self, word: str) -> float:
        if word not in self.cache:
            weight = math.log((self.total + 1) / (self.df[word] + 1)) + 1
            self.cache[word] = weight * (NUMBER_WEIGHT if _is_number(word) else 1.0)
        return self.cache[word]

    def share(self, wanted: Iterable[str], present: set[str]) -> tuple[float, list[str]]:
        wanted = set(wanted)
        total = sum(self(w) for w in wanted)
        found = sorted(wanted & present, key=self, reverse=True)
        return (sum(self(w) for w in found) / total if total else 0.0), found


def score_pairs(banks: Iterable[Bank]) -> list[Twin]:
    """Every (exam item, self-check item) pair with its two shares, highest first."""
    banks = list(banks)
    exam = [(item, bank) for bank in banks for item in bank.items if item.pool == "exam"]
    selfcheck = [(item, bank) for bank in banks for item in bank.items
                 if item.pool == "self-check"]
    weights = _Weights([item for item, _ in exam + selfcheck])
    shown = {item.id: set(words(shown_text(item))) for item, _ in selfcheck}
    scored = []
    for item, bank in exam:
        stem = words(" ".join((item.stem, *item.events, *(p.left for p in item.pairs))))
        parts = _answer_parts(item)
        for other, other_bank in selfcheck:
            answer, found = _answer_shown(item.type, parts, shown[other.id], weights)
            topic, _ = weights.share(stem, shown[other.id])
            scored.append(Twin(item, bank, other, other_bank, answer, topic, tuple(found)))
    return sorted(scored, key=lambda t: (t.answer_shown, t.same_topic), reverse=True)


def _answer_parts(item: Item) -> list[list[str]]:
    """The answer's words: one list per accepted answer (text items), per pair (match
    items), else one list of deciding words."""
    if item.type == "text":
        return [words(a) for a in item.accept]
    if item.type == "match" and item.pairs:
        return [words(f"{p.left} {p.right}") for p in item.pairs]
    return [deciding_words(item)]


def _answer_shown(kind: str, parts: list[list[str]], shown: set[str],
                  weights: _Weights) -> tuple[float, list[str]]:
    """How much of an answer the words ``shown`` give away, and which words."""
    if kind == "text":
        # One accepted spelling, shown whole, is the answer.
        return max((weights.share(p, shown) for p in parts), key=lambda r: r[0],
                   default=(0.0, []))
    if kind == "match":
        # A pair is given away when both its sides are; the share is of pairs.
        given = [weights.share(p, shown) for p in parts]
        pairs = [found for share, found in given if share >= ANSWER_SHOWN]
        return len(pairs) / len(parts), [w for found in pairs for w in found]
    return weights.share(parts[0], shown)


def cross_pool_twins(banks: Iterable[Bank]) -> list[Twin]:
    """Exam items a self-check item answers, each with its twins, closest first."""
    return [t for t in score_pairs(banks) if is_twin(t)]


def is_twin(twin: Twin) -> bool:
    """Most of the answer shown by an item on the same topic; or nearly all of it by an
    item that shares less of the question; or a good part of it by an item that asks
    nearly the same question."""
    return ((twin.answer_shown >= ANSWER_SHOWN and twin.same_topic >= SAME_TOPIC)
            or (twin.answer_shown >= ANSWER_ALL_BUT_SHOWN
                and twin.same_topic >= SAME_TOPIC_WHEN_ALL_SHOWN)
            or (twin.answer_shown >= ANSWER_PART_SHOWN
                and twin.same_topic >= SAME_TOPIC_WHEN_PART_SHOWN))


def twin_problems(banks: Iterable[Bank]) -> list[Problem]:
    """One warning per exam item that has a self-check twin, naming the closest."""
    by_exam: dict[str, list[Twin]] = {}
    for twin in cross_pool_twins(banks):
        by_exam.setdefault(twin.exam.id, []).append(twin)
    problems = []
    for twins in by_exam.values():
        problem = twins[0].problem()
        if len(twins) > 1:
            others = ", ".join(t.self_check.id for t in twins[1:])
            problem = Problem(problem.path, problem.line,
                              problem.rule.replace("; rewrite one of them",
                                                   f"; also {others}; rewrite one of them"),
                              severity="warning")
        problems.append(problem)
    return problems


# -- exam answers printed in student-edition solutions ------------------------------

# Numbers below this are too common in prose ("3 days", "2 sources") to mean a leak,
# unless they have decimals.
MIN_LEAKED_NUMBER = 10
MIN_PAIRS_SHOWN = 2


@dataclass(frozen=True)
class Leak:
    """An exam item whose answer a student can read in a solution."""

    item: Item
    bank: Bank
    solution: Solution
    shown: str  # what is printed: the number, the typed answer, "2 of its pairs"
    by_words: bool = False  # found by the words of the answer, not written out whole

    def problem(self) -> Problem:
        if self.by_words:
            what = (f"the student-edition solution to {self.solution.label} "
                    f"({self.solution.where()}) prints {self.shown} of this exam item's answer")
        else:
            what = (f"exam answer {self.shown} is printed in the student-edition solution "
                    f"to {self.solution.label} ({self.solution.where()})")
        return Problem(self.bank.path, self.item.line_of("stem"),
                       f"{self.item.id}: {what}; rewrite one of them or hold the solution "
                       "back", severity="warning")


def _number_forms(value: float) -> set[str]:
    forms = {format_number(value)}
    if float(value).is_integer():
        forms.add(f"{value:,.0f}")
    return forms


def answers_in_solutions(banks: Iterable[Bank], solutions: Iterable[Solution]) -> list[Leak]:
    """Exam items whose answer appears in a solution: the number, a typed answer or
    two pairs, written out; or, for any item, the words of its answer in a solution
    about the same question, as ``cross_pool_twins`` weighs them (the first of its
    rules only, as a solution is long and touches many topics).

    Numbers count from ``MIN_LEAKED_NUMBER`` (or with decimals), written alone
    ("42", "1,440", not "1420"); typed answers as whole words, any case; a match item
    when at least ``MIN_PAIRS_SHOWN`` of its pairs are both named in one solution."""
    banks, solutions = list(banks), list(solutions)
    weights = _Weights([item for bank in banks for item in bank.items])
    solution_words = [set(words(solution.text)) for solution in solutions]
    leaks = []
    for bank in banks:
        for item in (i for i in bank.items if i.pool == "exam"):
            stem = words(" ".join((item.stem, *item.events, *(p.left for p in item.pairs))))
            parts = _answer_parts(item)
            for solution, shown_words in zip(solutions, solution_words):
                shown = _shown_in(item, solution.text)
                if shown:
                    leaks.append(Leak(item, bank, solution, shown))
                    continue
                answer, found = _answer_shown(item.type, parts, shown_words, weights)
                topic, _ = weights.share(stem, shown_words)
                if answer >= ANSWER_SHOWN and topic >= SAME_TOPIC:
                    words_shown = ", ".join(map(_readable, found[:5]))
                    leaks.append(Leak(item, bank, solution,
                                      f"{answer:.0%} ({words_shown})", by_words=True))
    return leaks


def _shown_in(item: Item, text: str) -> str | None:
    if item.type == "numeric" and item.answer is not None:
        value = item.answer.value
        if abs(value) >= MIN_LEAKED_NUMBER or not float(value).is_integer():
            for form in _number_forms(value):
                if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", text):
                    return form
    elif item.type == "text":
        for answer in item.accept:
            if re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", text, re.I):
                return repr(answer)
    elif item.type == "match":
        lowered = text.lower()
        shown = [p for p in item.pairs
                 if p.left.lower() in lowered and p.right.lower() in lowered]
        if len(shown) >= MIN_PAIRS_SHOWN:
            return f"({len(shown)} of its pairs)"
    return None


def leak_problems(banks: Iterable[Bank], solutions: Iterable[Solution]) -> list[Problem]:
    return [leak.problem() for leak in answers_in_solutions(banks, solutions)]
