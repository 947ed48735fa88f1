"""Moodle GIFT text (import in Moodle: Question bank → Import → GIFT format).

Written to read back exactly through Moodle's own importer (``qformat_gift``):

* every text is escaped for GIFT (``\\ ~ = # { } :`` get a backslash, a line break
  becomes ``\\n``), so a bank text can never end an answer or start a new one;
* texts are HTML (``[html]`` on the question applies to its answers and feedback)
  and ``html.escape``d, so a ``<`` or ``&`` is shown as typed;
* a text that would start with ``[`` gets ``&#91;`` instead, or Moodle would read
  ``[plain]`` as a format marker; wrong options carry an explicit ``%0%`` weight so
  that an option beginning with ``%50%`` is not read as a weight;
* short answers are not HTML (Moodle compares them with what students type): their
  ``*`` is written ``\\*``, because a bare ``*`` is Moodle's wildcard; each accepted
  answer comes with its typographic variants (``variants.answer_variants``), which
  Moodle's grader does not fold;
* the right side of a pair is stored as text but shown as HTML: it is escaped too;
* each question is preceded by ``// [id:…] [tag:…]``, from which Moodle 4.x reads the
  question's ID number and tags (``extract_idnumber_and_tags_from_comment``; a ``]``
  inside is written ``\\]``; a tag with ``<`` or ``>`` cannot be carried and is named
  in the result's limits).

A context-dependent set's passage is written just before the set's first carried
question as a question without an answer block, which Moodle's GIFT reader imports as
a ``description`` (no mark, no number).

GIFT has no ordering question type (qtype_ordering's GIFT syntax takes the lines
raw, so escapes would not survive): order items are skipped, each with a reason.
Match items keep their pairs and explanation but lose the "correct"/"incorrect"
feedback, for which GIFT has no field; the result's notes say so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..model import Bank, Item, Passage, format_number
from .common import (
    Limit, Options, Output, Skip, bank_groups, general_feedback_html, html_text,
    grading_limits, multiple_answer_weights, passage_html, passage_note, stem_html,
    weights_skip,
)
from .variants import answer_variants

SUFFIX = ".gift.txt"  # Moodle's import form takes GIFT only from a .txt file

_ESCAPES = str.maketrans({
    "\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:",
    "\n": "\\n", "\r": "",
})
# Format names Moodle recognises at the start of a text (``[html]``, ``[plain]`` …).
_FORMAT_MARKER = re.compile(r"\[(moodle|html|plain|markdown)\]")


def gift_escape(text: str) -> str:
    """``a = b: {c}`` → ``a \\= b\\: \\{c\\}``; a line break becomes ``\\n``."""
    return text.translate(_ESCAPES)


def gift_html(text: str) -> str:
    """Plain bank text as an escaped GIFT field in HTML format."""
    markup = html_text(text)
    if markup.startswith("["):
        markup = "&#91;" + markup[1:]
    return gift_escape(markup)


def shortanswer_pattern(answer: str) -> str:
    """An accepted answer as a Moodle short-answer pattern (``*`` is a wildcard)."""
    return answer.replace("*", "\\*")


def category_path(course: str, bank_title: str) -> str:
    """Moodle's category path: each name HTML-escaped (Moodle shows category names as
    HTML, and strips what looks like a tag), a ``/`` inside a name written ``//``."""
    names = [html.escape(name, quote=False).replace("/", "//") for name in (course, bank_title)]
    return "/".join(["$course$", "top", *names])


def to_gift(items: Sequence[Item], banks: Sequence[Bank], options: Options = Options()) -> Output:
    blocks: list[str] = []
    included: list[str] = []
    skipped: list[Skip] = []
    lost_feedback: list[str] = []
    shown = None  # the passage of the last carried question
    for bank, run in bank_groups(items, banks):
        questions = []
        for item in run:
            body, skip = _question(item)
            if skip:
                skipped.append(skip)
                continue
            if item.passage is not None and item.passage != shown:
                questions.append(_description(item.passage))
            shown = item.passage
            questions.append(body)
            included.append(item.id)
            if item.type == "match" and (item.feedback.correct or item.feedback.incorrect):
                lost_feedback.append(item.id)
        if questions:
            blocks.append(f"$CATEGORY: {category_path(options.course, bank.title)}")
            blocks.extend(questions)
    notes = []
    if lost_feedback:
        notes.append("GIFT has no field for the correct/incorrect feedback of match items, "
                     f"so it is left out for {', '.join(lost_feedback)} (the explanation is "
                     "kept, as general feedback)")
    notes += passage_note(items, included, "GIFT descriptions (Moodle imports them as "
                          "'description' questions)")
    header = "\n".join(f"// {line}" for line in _header(options, included, skipped))
    text = "\n\n".join([header, *blocks]) + "\n"
    carried = [item for item in items if item.id in included]
    limits = [limit for item in carried for limit in _limits(item)]
    return Output(text.encode("utf-8"), tuple(included), tuple(skipped), tuple(notes),
                  tuple(limits))


def _limits(item: Item) -> list[Limit]:
    found = grading_limits(item)
    found += [Limit(item.id, f"tag {tag!r} is left out: Moodle reads no tag with < or > "
                             "from GIFT") for tag in item.tags if not _tag_carried(tag)]
    if item.type == "match" and (item.feedback.correct or item.feedback.incorrect):
        found.append(Limit(item.id, "no correct/incorrect feedback (GIFT has no field "
                                    "for it; the explanation is kept)"))
    return found


def _tag_carried(tag: str) -> bool:
    return not re.search(r"[<>\x00-\x1f\x7f]", tag)


def id_and_tags_comment(item: Item) -> str:
    """``// [id:operation-q03] [tag:dates] [tag:approval]``, as Moodle 4.x reads it."""
    def bracketed(text: str) -> str:
        return text.replace("]", "\\]")
    parts = [f"[id:{bracketed(item.id)}]"]
    parts += [f"[tag:{bracketed(tag)}]" for tag in item.tags if _tag_carried(tag)]
    return "// " + " ".join(parts)


def _header(options: Options, included: list[str], skipped: list[Skip]) -> list[str]:
    lines = [
        " ".join(options.title.split()),  # a line break would end the comment
        f"{len(included)} questions. In Moodle: Question bank > Import > GIFT format,",
        "with \"Get category from file\" ticked to file them by bank.",
    ]
    if skipped:
        lines.append("Not included (GIFT cannot carry them): "
                     + ", ".join(skip.item_id for skip in skipped))
    return lines


def _description(passage: Passage) -> str:
    """A passage as a GIFT description: a question with no answer block, which Moodle
    imports with no mark and no number. Every brace in it is escaped, so none opens one."""
    # Passage ids are plain (letters, digits, "-", "_", "."): safe in the [id:] comment.
    return "\n".join([f"// {passage.id} (passage)", f"// [id:{passage.id}]",
                      f"::{gift_escape(passage.id)}::[html]{gift_escape(passage_html(passage))}"])


def _question(item: Item) -> tuple[str, Skip | None]:
    if item.type == "order":
        return "", Skip(item.id, item.type, "GIFT has no ordering question type")
    answers = _ANSWERS[item.type](item)
    if isinstance(answers, Skip):
        return "", answers
    lines = [f"// {item.id} ({item.type}, {item.pool})", id_and_tags_comment(item),
             f"::{gift_escape(item.id)}::[html]{gift_escape(stem_html(item))}{{"]
    lines += [f"\t{answer}" for answer in answers]
    lines.append(f"\t####{gift_escape(general_feedback_html(item))}")
    lines.append("}")
    return "\n".join(lines), None


def _feedback(text: str) -> str:
    return f"#{gift_html(text)}" if text else ""


def _single(item: Item) -> list[str]:
    # "=" marks the one right option; "%0%" keeps a leading "%" of a wrong one literal.
    return [("=" if option.correct else "~%0%") + gift_html(option.text) + _feedback(option.feedback)
            for option in item.options]


def _multiple(item: Item) -> list[str] | Skip:
    weights = multiple_answer_weights(item)
    if weights is None:
        return weights_skip(item, "GIFT")
    return [f"~%{weight}%{gift_html(option.text)}{_feedback(option.feedback)}"
            for weight, option in zip(weights, item.options)]


def _numeric(item: Item) -> list[str] | Skip:
    if item.answer is None:
        return Skip(item.id, item.type, "the item has no answer value")
    answer = f"{format_number(item.answer.value)}:{format_number(item.answer.tolerance)}"
    lines = ["#", f"=%100%{answer}{_feedback(item.feedback.correct)}"]
    if item.feedback.incorrect:
        lines.append(f"~{_feedback(item.feedback.incorrect)}")  # any other number
    return lines


def _text(item: Item) -> list[str] | Skip:
    lines = []
    spellings = answer_variants(item.accept).spellings
    for answer in spellings:
        if "->" in answer:
            return Skip(item.id, item.type, f"accepted answer {answer!r} contains \"->\", "
                                            "which GIFT reads as a match item")
        if _FORMAT_MARKER.match(answer.strip()):
            return Skip(item.id, item.type, f"accepted answer {answer!r} starts with a GIFT "
                                            "format marker")
    for spelling in spellings:
        lines.append(f"=%100%{gift_escape(shortanswer_pattern(spelling))}"
                     f"{_feedback(item.feedback.correct)}")
    if item.feedback.incorrect:
        lines.append(f"=%0%*{_feedback(item.feedback.incorrect)}")  # any other answer
    return lines


def _match(item: Item) -> list[str]:
    # Moodle stores the right-hand side as text (a drop-down entry) but shows it as HTML.
    return [f"={gift_html(pair.left)} -> {gift_escape(html_text(pair.right))}"
            for pair in item.pairs]


_ANSWERS = {"single": _single, "multiple": _multiple, "numeric": _numeric, "text": _text,
            "match": _match}
