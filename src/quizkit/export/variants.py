"""Typographic variants of short answers, for LMS graders that do not fold them.

The book accepts a typed answer after ``normalize_answer`` (case, runs of spaces,
curly versus straight quotes and apostrophes, the dash family). Canvas's short-answer
grader only ignores case and outer spaces, and Moodle's (``compare_string_with_wildcard``)
only case, outer spaces and Unicode normal form. So that a student who types
``Rah–e–Nijat`` or ``Pakistan’s`` in the LMS gets the mark the book would give, each
accepted answer is exported together with the spellings a student is likely to type:

* every hyphen or dash written as ``-``, ``–`` or ``—`` (one style per spelling);
* every apostrophe written ``'`` or ``’``; every pair of double quotes ``"…"`` or ``“…”``;
* any of the answer's inner spaces doubled (while the number of spellings stays
  within ``MAX_SPELLINGS``).

What cannot be listed is said in the result (``Variants.limits``): mixed styles in one
answer (``Rah–e-Nijat``), three or more spaces in a row, non-breaking spaces, and doubled
spaces in long answers.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..model import TYPOGRAPHIC_FOLDING, normalize_answer

# Per accepted answer, at most this many spellings are written (the answer included).
MAX_SPELLINGS = 48


def _folded_to(plain: str) -> str:
    """``plain`` and every character the book folds to it (the one folding table)."""
    return plain + "".join(chr(c) for c, to in TYPOGRAPHIC_FOLDING.items() if to == plain)


_DASHES = re.escape(_folded_to("-"))
_DASH_STYLES = ("-", "\u2013", "\u2014")  # hyphen, en dash, em dash
_APOSTROPHES = re.escape(_folded_to("'"))
_APOSTROPHE_STYLES = ("'", "\u2019")  # straight, typographic
_DOUBLE_QUOTES = re.escape(_folded_to('"'))
_SPACE = re.compile(r"(?<=\S) (?=\S)")


@dataclass(frozen=True)
class Variants:
    """The spellings to export for one item, and what they cannot cover."""

    spellings: tuple[str, ...]
    limits: tuple[str, ...]


def _dash_forms(text: str) -> list[str]:
    if not re.search(f"[{_DASHES}]", text):
        return [text]
    return [re.sub(f"[{_DASHES}]", style, text) for style in _DASH_STYLES]


def _apostrophe_forms(text: str) -> list[str]:
    if not re.search(f"[{_APOSTROPHES}]", text):
        return [text]
    return [re.sub(f"[{_APOSTROPHES}]", style, text) for style in _APOSTROPHE_STYLES]


def _curly_pairs(text: str) -> str:
    """``"a" "b"`` → ``“a” “b”``: opening and closing quotes alternate."""
    out, opening = [], True
    for char in text:
        if re.fullmatch(f"[{_DOUBLE_QUOTES}]", char):
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append(char)
    return "".join(out)


def _quote_forms(text: str) -> list[str]:
    if not re.search(f"[{_DOUBLE_QUOTES}]", text):
        return [text]
    return [re.sub(f"[{_DOUBLE_QUOTES}]", '"', text), _curly_pairs(text)]


def _space_forms(text: str) -> list[str]:
    """The text with every subset of its inner single spaces doubled."""
    parts = _SPACE.split(text)
    forms = []
    for doubled in itertools.product((" ", "  "), repeat=len(parts) - 1):
        forms.append(parts[0] + "".join(sep + part for sep, part in zip(doubled, parts[1:])))
    return forms


def _typographic_forms(answer: str) -> list[str]:
    forms = [answer]
    for expand in (_dash_forms, _apostrophe_forms, _quote_forms):
        forms = [variant for form in forms for variant in expand(form)]
    return forms


def answer_variants(accepted: tuple[str, ...] | list[str]) -> Variants:
    """Every accepted answer first (as written), then its variants; each spelling
    once, compared as the LMSs compare (ignoring case and outer spaces)."""
    seen: set[str] = set()
    spellings: list[str] = []
    limits: list[str] = []

    def add(text: str) -> None:
        key = text.strip().lower()
        if key and key not in seen:
            seen.add(key)
            spellings.append(text.strip())

    answers = [a for a in accepted if normalize_answer(a)]
    for answer in answers:
        add(answer)
    for answer in answers:
        forms = _typographic_forms(answer.strip())
        spaced = [s for form in forms for s in _space_forms(form)]
        if len(spaced) <= MAX_SPELLINGS:
            forms = spaced
        elif len(_SPACE.findall(answer.strip())):
            limits.append(f"doubled spaces inside {answer.strip()!r} are not accepted "
                          f"(it would need {len(spaced)} spellings)")
        for form in forms:
            add(form)
    return Variants(tuple(spellings), tuple(limits))


def fold_limits() -> str:
    """What no exported spelling covers, in one sentence (for notes and the README)."""
    return ("mixed dash or quote styles within one answer, three or more spaces in a row "
            "and non-breaking spaces are not accepted")
