"""What the LMS fidelity suites share: the banks they export (every project bank and
the special-characters bank), the item an LMS reader gives back (``Imported``), the
answers a student may type, and the text a student sees in an HTML field.

Nothing here calls quizkit's exporters or their encoding helpers: the readers
(``lms_canvas``, ``lms_moodle_xml``, ``lms_gift``) apply each LMS's own rules, so an
encoding mistake in an exporter fails a test instead of cancelling itself out.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

from quizkit.model import Bank, Item
from quizkit.project import load_catalog
from quizkit.select import Selection, select_items

ROOT = Path(__file__).resolve().parents[2]
CHARACTERS_BANK = ROOT / "tests" / "fixtures" / "lms" / "quizzes"
SETS_BANK = ROOT / "tests" / "fixtures" / "sets" / "quizzes"  # passages, a table, a set split in the file

_CACHE: dict[str, tuple[list[Bank], list[Item]]] = {}


def suites() -> dict[str, tuple[list[Bank], list[Item]]]:
    """The exports each fidelity suite reads back: every item of every project bank
    (both pools), every item of the special-characters bank, and of the bank of
    context-dependent sets."""
    if not _CACHE:
        for name, paths, options in (("project", [ROOT / "quizzes"], {"data_dir": ROOT / "data"}),
                                     ("characters", [CHARACTERS_BANK], {}),
                                     ("sets", [SETS_BANK], {})):
            catalog = load_catalog(paths, **options)
            _CACHE[name] = list(catalog.banks), select_items(catalog, Selection(pool="all"))
    return _CACHE


# -- what a reader gives back ----------------------------------------------------------


@dataclass
class Choice:
    text: str  # as the student sees it
    fraction: float  # of the question's mark, as the LMS stores it
    feedback: str = ""  # as the student sees it


@dataclass
class Imported:
    """One question as an LMS stored it after import."""

    ident: str
    qtype: str
    name: str
    text: list[str]  # the question text, paragraph by paragraph, as shown
    choices: list[Choice] = field(default_factory=list)  # single and multiple
    answers: list[str] = field(default_factory=list)  # text: every full-credit answer
    numeric: list[tuple[Decimal, Decimal]] = field(default_factory=list)  # value, margin
    lefts: list[str] = field(default_factory=list)  # match: the left sides, as shown
    rights: list[str] = field(default_factory=list)  # match: the drop-down entries, as shown
    events: list[str] = field(default_factory=list)  # order: the right order
    general_feedback: list[str] = field(default_factory=list)
    correct_feedback: str = ""
    incorrect_feedback: str = ""
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    raw: object = None  # the reader's own record, for its grader


# -- what a student sees -----------------------------------------------------------------


def shown_paragraphs(markup: str) -> list[str]:
    """The text of an HTML field as a browser shows it: one entry per paragraph, a
    ``<br>`` as a line break, entities decoded, runs of white space as one space."""
    soup = BeautifulSoup(markup, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    blocks = soup.find_all("p") or [soup]
    return ["\n".join(_collapse(line) for line in block.get_text().split("\n"))
            for block in blocks]


def shown_text(markup: str) -> str:
    return "\n".join(shown_paragraphs(markup))


def _collapse(text: str) -> str:
    return re.sub(r"[ \t\r\n\f]+", " ", text).strip()


def as_displayed(text: str) -> str:
    """A bank text as a browser lays it out: runs of white space shown as one space."""
    return "\n".join(_collapse(line) for line in text.split("\n"))


# -- what a student may type ----------------------------------------------------------------

_HYPHENS = re.compile("[-\u2010\u2011\u2012\u2013\u2014]")


def typed_variants(answer: str) -> list[str]:
    """Ways to type ``answer`` that the book's checker accepts and the README promises:
    another case, outer spaces, curly apostrophes and quotes, en or em dashes for
    hyphens, one inner space doubled."""
    found = {answer.upper(), answer.lower(), f"  {answer} "}
    if "'" in answer:
        found.add(answer.replace("'", "\u2019"))
    if '"' in answer:
        parts = answer.split('"')
        found.add("".join(p + ("\u201c" if i % 2 == 0 else "\u201d")
                          for i, p in enumerate(parts[:-1])) + parts[-1])
    if _HYPHENS.search(answer):
        found.add(_HYPHENS.sub("\u2013", answer))
        found.add(_HYPHENS.sub("\u2014", answer))
        found.add(_HYPHENS.sub("-", answer))
    for match in re.finditer(r"(?<=\S) (?=\S)", answer):
        found.add(answer[: match.start()] + "  " + answer[match.end():])
    found.discard(answer)
    return sorted(found)


def wrong_texts(item: Item, others: list[Item]) -> list[str]:
    """Typed answers the book marks wrong: near misses and other items' answers."""
    candidates = [f"{a}x" for a in item.accept] + [a[:-1] for a in item.accept if len(a) > 1]
    candidates += [a for other in others if other.id != item.id for a in other.accept]
    candidates += ["", "*", "-"]
    return [c for c in candidates if not item.is_correct(c)]


def choice_sets(count: int) -> list[frozenset[int]]:
    return [frozenset(c) for r in range(count + 1) for c in itertools.combinations(range(count), r)]


def permutations(count: int) -> list[tuple[int, ...]]:
    return list(itertools.permutations(range(count)))


def decimal_of(value: float) -> Decimal:
    """The bank's number as written (YAML reads it as the nearest float; its shortest
    repr is the text the author typed)."""
    return Decimal(repr(float(value)))


# -- the checks every format is held to -------------------------------------------------------


@functools.cache
def _bank_as_text(bank_path: Path) -> dict:
    """The bank file with every scalar kept as the text written (YAML's base schema)."""
    import yaml

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    with open(bank_path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def bank_numbers(item: Item, bank_path: str | Path) -> tuple[Decimal, Decimal]:
    """``answer.value`` and ``answer.tolerance`` exactly as written in the bank file."""
    raw = _bank_as_text(Path(bank_path))
    entry = next(i for i in raw["items"] if i["id"] == item.id)
    return Decimal(entry["answer"]["value"]), Decimal(entry["answer"].get("tolerance", "0"))


def check_text_unchanged(item: Item, question: Imported) -> None:
    stem = [item.stem] + ([f"Unit: {item.unit}"] if item.unit else [])
    assert [as_displayed(p) for p in question.text] == [as_displayed(s) for s in stem]
    assert [as_displayed(p) for p in question.general_feedback] == [
        as_displayed(item.explanation), as_displayed(f"Source: {item.source.citation_text()}")]


def check_choices(item: Item, question: Imported, grade) -> None:
    assert [as_displayed(c.text) for c in question.choices] == [
        as_displayed(o.text) for o in item.options]
    assert [as_displayed(c.feedback) for c in question.choices] == [
        as_displayed(o.feedback) for o in item.options]
    count = len(item.options)
    candidates = (choice_sets(count) if item.type == "multiple"
                  else [frozenset({i}) for i in range(count)])
    full = [chosen for chosen in candidates if grade(question, chosen) == 1.0]
    assert full == [frozenset(item.correct_indices)]


def check_text_answers(item: Item, question: Imported, grade, others: list[Item],
                       limits: list[str]) -> None:
    for answer in item.accept:
        assert grade(question, answer) == 1.0, answer
        for typed in typed_variants(answer):
            assert item.is_correct(typed), typed  # the book accepts it: so must the LMS
            if "  " in typed.strip() and any(repr(answer.strip()) in text for text in limits):
                continue  # named in the export's limits, and in the README
            assert grade(question, typed) == 1.0, typed
    for typed in wrong_texts(item, others):
        assert grade(question, typed) == 0.0, typed


def check_numbers(item: Item, question: Imported, grade, value: Decimal,
                  tolerance: Decimal) -> None:
    step = Decimal(1).scaleb(min(value.as_tuple().exponent, tolerance.as_tuple().exponent) - 2)
    for typed in (value, value - tolerance, value + tolerance):
        assert grade(question, str(typed)) == 1.0, typed
    for typed in (value - tolerance - step, value + tolerance + step):
        assert grade(question, str(typed)) == 0.0, typed


def check_pairs(item: Item, question: Imported, grade) -> None:
    assert [as_displayed(x) for x in question.lefts] == [as_displayed(p.left) for p in item.pairs]
    shown_rights = [as_displayed(x) for x in question.rights]
    assert sorted(shown_rights) == sorted(as_displayed(p.right) for p in item.pairs)
    full = []
    for order in permutations(len(item.pairs)):
        response = {left: shown_rights.index(as_displayed(item.pairs[right].right))
                    for left, right in enumerate(order)}
        if grade(question, response) == 1.0:
            full.append(order)
    assert full == [tuple(range(len(item.pairs)))]


def check_item_feedback(item: Item, question: Imported) -> None:
    assert as_displayed(question.correct_feedback) == as_displayed(item.feedback.correct)
    assert as_displayed(question.incorrect_feedback) == as_displayed(item.feedback.incorrect)


def bank_file(banks: list[Bank], item: Item) -> Path:
    bank = next(b for b in banks if item in b.items)
    path = Path(bank.path)
    return path if path.is_absolute() else ROOT / path


_EXPORTS: dict[tuple[str, str], tuple] = {}


def exported(suite: str, build, read, options=None):
    """``(banks, items, output, imported by ident)`` for one suite, built once per
    exporter: ``build(items, banks, options)`` is the exporter, ``read(data)`` the
    LMS reader."""
    key = (build.__name__, suite)
    if key not in _EXPORTS:
        from quizkit.export import Options

        banks, items = suites()[suite]
        output = build(items, banks, options or Options(title=f"Fidelity: {suite}"))
        imported = {question.ident: question for question in read(output.data)}
        _EXPORTS[key] = banks, items, output, imported
    return _EXPORTS[key]


def cases() -> list[tuple[str, str]]:
    """(suite, item id) for every item the fidelity suites check."""
    return [(name, item.id) for name, (_, items) in suites().items() for item in items]


def check_imported(item: Item, question: Imported, grade, output, banks: list[Bank],
                   items: list[Item], *, item_feedback: bool = True) -> None:
    """Every check that applies to ``item``'s type, for any LMS reader and grader."""
    limits = [limit.text for limit in output.limits if limit.item_id == item.id]
    check_text_unchanged(item, question)
    if item.type in ("single", "multiple"):
        check_choices(item, question, grade)
        return
    if item_feedback:
        check_item_feedback(item, question)
    if item.type == "text":
        check_text_answers(item, question, grade, items, limits)
    elif item.type == "numeric":
        value, tolerance = bank_numbers(item, bank_file(banks, item))
        assert question.numeric == [(value, tolerance)]  # the bank's numbers, exactly
        check_numbers(item, question, grade, value, tolerance)
    elif item.type == "match":
        check_pairs(item, question, grade)


# How each LMS imports a passage: shown, never scored (see check_passages).
PASSAGE_TYPES = ("description", "text_only_question")


def check_passages(items: list[Item], output, questions: list[Imported]) -> int:
    """Each set's passage is imported once, right before the set's first carried
    question, with its title and paragraphs as the student sees them; returns how many
    passages were checked."""
    carried = [i for i in items if i.id in output.included]
    by_id = {item.id: item for item in carried}
    checked = 0
    for position, question in enumerate(questions):
        if question.qtype not in PASSAGE_TYPES:
            continue
        following = questions[position + 1]
        item = by_id[following.ident]
        assert item.passage is not None and item.passage.id == question.ident
        previous = [q for q in questions[:position] if q.ident in by_id]
        assert not previous or by_id[previous[-1].ident].passage != item.passage
        assert question.text[:1] == [item.passage.title]
        for paragraph in item.passage.paragraphs():
            assert as_displayed(paragraph) in question.text
        checked += 1
    starts = sum(1 for n, item in enumerate(carried) if item.passage is not None
                 and (n == 0 or carried[n - 1].passage != item.passage))
    assert checked == starts
    return checked


def check_carried_or_skipped(items: list[Item], output, imported: dict, reason: str) -> None:
    """Every item is imported, or skipped because of its type with ``reason`` named."""
    skipped = {s.item_id: s.reason for s in output.skipped}
    imported = {ident: q for ident, q in imported.items() if q.qtype not in PASSAGE_TYPES}
    assert list(imported) == list(output.included)
    assert sorted([*imported, *skipped]) == sorted(i.id for i in items)
    for item in items:
        if item.id in skipped:
            assert item.type == "order" and reason in skipped[item.id]


def check_categories(banks: list[Bank], imported: dict, course: str) -> None:
    """Each bank's questions land in ``$course$/top/<course>/<bank title>``, as shown."""
    for bank in banks:
        for item in bank.items:
            if item.id in imported:
                assert imported[item.id].category == ["$course$", "top", course,
                                                      as_displayed(bank.title)]
