"""What every exporter shares: its result type, the bank of each item, and the way
bank text (plain text) becomes HTML for an LMS.

Bank texts are plain text: a ``<``, ``&`` or apostrophe is shown as typed. LMS fields
that hold HTML therefore get ``html.escape``d text, and the XML writers escape that
again for XML; nothing a bank author types can turn into markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..model import Bank, Item, Passage
from .variants import answer_variants

DEFAULT_COURSE = "Quizzes"  # a book sets its own: quizkit_course in its configuration

# XML 1.0 cannot carry these at all, not even as character references.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Options:
    """Settings shared by the exporters; each reads only what it needs."""

    title: str = f"{DEFAULT_COURSE}: exam questions"  # the quiz or document title
    course: str = DEFAULT_COURSE  # first level of the Moodle category path
    answers: bool = True  # Markdown only: False gives the questions without answers
    # Moodle XML only: the target site's release, e.g. (4, 1); None means 4.4 or later.
    moodle_version: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Skip:
    """An item a format cannot carry, and why. Never dropped without one of these."""

    item_id: str
    item_type: str
    reason: str


@dataclass(frozen=True)
class Limit:
    """Something an LMS does with a carried item that the book does not (or cannot
    do what the book does): listed per item in ``quizkit export --report``."""

    item_id: str
    text: str


@dataclass(frozen=True)
class Output:
    """One export: the file's bytes, the ids it carries (in order), what it skipped,
    notes about what the format changes (e.g. feedback it has no field for), and the
    per-item limits of the LMS that imports it."""

    data: bytes
    included: tuple[str, ...]
    skipped: tuple[Skip, ...] = ()
    notes: tuple[str, ...] = field(default=())
    limits: tuple[Limit, ...] = field(default=())


# -- banks ----------------------------------------------------------------------


def bank_groups(items: Sequence[Item], banks: Sequence[Bank]) -> Iterator[tuple[Bank, list[Item]]]:
    """Runs of consecutive items from one bank, with that bank, in the given order.

    An item found in no bank (one built in code) gets a stand-in bank named after
    its id prefix, so that exporters never need to special-case it.
    """
    bank_of = {item.id: bank for bank in banks for item in bank.items}
    current: Bank | None = None
    run: list[Item] = []
    for item in items:
        bank = bank_of.get(item.id)
        if bank is None:
            prefix = item.id.split("-", 1)[0]
            bank = Bank(name=prefix, title=prefix, items=())
        if current is not None and bank.name != current.name:
            yield current, run
            run = []
        current = bank
        run.append(item)
    if current is not None and run:
        yield current, run


# -- text -----------------------------------------------------------------------


def html_text(text: str) -> str:
    """Plain bank text as HTML that displays exactly that text."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def html_paragraphs(*texts: str) -> str:
    """Non-empty texts as ``<p>`` paragraphs."""
    return "".join(f"<p>{html_text(text)}</p>" for text in texts if text)


def stem_html(item: Item) -> str:
    """The question text: the stem, then the unit a numeric answer is given in.

    LMS number fields have no place for a unit beside the box, which the book shows.
    """
    return html_paragraphs(item.stem, f"Unit: {item.unit}" if item.unit else "")


def general_feedback_html(item: Item) -> str:
    """What every student sees after answering: the explanation and its source."""
    return html_paragraphs(item.explanation, f"Source: {item.source.citation_text()}")


def item_texts(item: Item) -> list[str]:
    """Every text of an item, for checks that apply to all of them."""
    texts = [item.id, item.stem, item.explanation, item.objective, item.source.id,
             item.source.quote or "", item.source.locator or "", item.unit or "",
             item.feedback.correct, item.feedback.incorrect, *item.tags, *item.accept,
             *item.events]
    for option in item.options:
        texts += [option.text, option.feedback]
    for pair in item.pairs:
        texts += [pair.left, pair.right]
    if item.passage is not None:  # an item cannot go where its passage cannot
        texts += item.passage.texts()
    return texts


def passage_note(items: Sequence[Item], included: Sequence[str], how: str) -> list[str]:
    """The note an export gives when it carries passages: which ones, and as what."""
    carried = set(included)
    ids = list(dict.fromkeys(i.passage.id for i in items
                             if i.passage is not None and i.id in carried))
    if not ids:
        return []
    return [f"{len(ids)} passage{'s' if len(ids) != 1 else ''} of item sets "
            f"({', '.join(ids)}) {'are' if len(ids) != 1 else 'is'} {how}, just before "
            "the set's first question; not scored, and not counted among the questions"]


def passage_html(passage: Passage, heading: str = "") -> str:
    """A passage as LMS HTML: title, the questions it serves, paragraphs, an HTML table
    (every cell escaped) and the source. Shown once before its set, never scored."""
    title = f"<p><strong>{html_text(passage.title)}</strong></p>"
    parts = [title, html_paragraphs(heading, *passage.paragraphs())]
    if passage.table is not None:
        head = "".join(f"<th>{html_text(cell)}</th>" for cell in passage.table.header)
        rows = "".join("<tr>" + "".join(f"<td>{html_text(cell)}</td>" for cell in row) + "</tr>"
                       for row in passage.table.rows)
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    parts.append(html_paragraphs(f"Source: {passage.source.citation_text()}"))
    return "".join(parts)



def xml_unsafe_reason(item: Item) -> str | None:
    """Why an XML format cannot carry ``item`` (a control character), or ``None``."""
    for text in item_texts(item):
        found = _XML_INVALID.search(text)
        if found:
            return (f"its text contains the control character U+{ord(found.group()):04X}, "
                    "which XML cannot carry")
    return None


# -- grades ---------------------------------------------------------------------

# Moodle accepts only grades from a fixed list on import; for 1/n that list stops at
# n = 10 (question_bank::fraction_options_full).
MAX_SHARED_GRADE = 10


def moodle_percent(share: int, sign: int = 1) -> str:
    """``100/share`` as Moodle writes grades: ``"33.33333"``, ``"-50"``, ``"12.5"``."""
    text = f"{100 / share:.5f}".rstrip("0").rstrip(".")
    return f"-{text}" if sign < 0 else text


def multiple_answer_weights(item: Item) -> list[str] | None:
    """Moodle grades (percent) for the options of a multiple-answer item, or ``None``
    when Moodle's grade list cannot express them.

    Each correct option is worth 100/c (c correct options), so that the right set
    scores 100%. Each wrong option costs 100/w (w wrong options), so that ticking
    every box scores 0 and guessing everything never pays.
    """
    n_correct = len(item.correct_indices)
    n_wrong = len(item.options) - n_correct
    if not (1 <= n_correct <= MAX_SHARED_GRADE and 1 <= n_wrong <= MAX_SHARED_GRADE):
        return None
    return [moodle_percent(n_correct) if option.correct else moodle_percent(n_wrong, -1)
            for option in item.options]


def weights_skip(item: Item, format_name: str) -> Skip:
    return Skip(item.id, item.type,
                f"{format_name} grades need 1 to {MAX_SHARED_GRADE} correct and 1 to "
                f"{MAX_SHARED_GRADE} wrong options (Moodle's list of grades stops at "
                f"1/{MAX_SHARED_GRADE})")


# -- what an LMS does differently -------------------------------------------------


def grading_limits(item: Item) -> list[Limit]:
    """What the LMS graders (Moodle's question engine and Canvas's classic quizzes
    alike) do with ``item`` that the book does not."""
    if item.type == "multiple":
        return [Limit(item.id, "partial credit: each correct choice adds its share, each "
                               "wrong one takes a share off (the book: all or nothing)")]
    if item.type == "match":
        return [Limit(item.id, "partial credit: each pair scores its share (the book: all "
                               "or nothing)")]
    if item.type != "text":
        return []
    variants = answer_variants(item.accept)
    return [Limit(item.id, f"{len(variants.spellings)} spellings accepted"),
            *(Limit(item.id, text) for text in variants.limits)]
