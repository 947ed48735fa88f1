"""Moodle XML (import in Moodle: Question bank → Import → Moodle XML format).

Mapping, type by type (every question gets ``<idnumber>`` = item id and one
``$course$/top/<course>/<bank title>`` category per bank):

* single → ``multichoice`` with ``<single>true``; the right option 100%, the others 0.
* multiple → ``multichoice`` with ``<single>false``: each correct option 100/c %,
  each wrong one −100/w % (c correct, w wrong options), so the right set scores 100%
  and ticking every box scores 0. Moodle gives partial credit between the two.
* numeric → ``numerical``: the value with its tolerance, plus a ``*`` answer (any
  other number, 0%) that carries the "incorrect" feedback. The unit is shown in the
  question text (Moodle's unit handling would grade it).
* text → ``shortanswer``, case-insensitive (``usecase`` 0): each accepted answer and
  its typographic variants (``variants.answer_variants``: Moodle compares only after
  trimming and ignoring case) 100%, a literal ``*`` written ``\\*`` (a bare one is
  Moodle's wildcard), and a final ``*`` answer (0%) for the "incorrect" feedback.
* match → ``match``: lefts as HTML sub-questions; rights as answers, which Moodle
  stores as text but shows as HTML, so they are HTML-escaped too.
* order → ``ordering`` (standard in Moodle since 4.4), all items shown, graded
  all-or-nothing like the book. For an older site (``Options.moodle_version`` below
  4.4) order items are skipped and named, because one question of an unknown type
  stops the whole import.

Every ``<text>`` is written as CDATA (a ``]]>`` inside is split across two sections):
Moodle's reader (``xmlize``: PHP's ``xml_parse_into_struct`` with
``XML_OPTION_SKIP_WHITE``) drops a run of spaces that falls between two escaped
characters (``&lt; &gt;``), which CDATA does not split. Category names are
HTML-escaped, since Moodle shows them as HTML.

A context-dependent set's passage is a ``description`` question placed just before the
set's first carried question: Moodle imports it with no mark (``import_description``
sets ``defaultmark`` 0 and ``length`` 0), so it is shown but neither numbered nor
scored. Its ``idnumber`` is the passage id.

Per-option feedback goes to each answer's ``<feedback>``; the explanation and source
to ``<generalfeedback>``; the item-level "correct"/"incorrect" feedback to Moodle's
combined feedback fields where the type has them (match, ordering).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from ..model import Bank, Item, Passage, format_number
from .common import (
    Options, Output, Skip, bank_groups, general_feedback_html, html_text, grading_limits,
    multiple_answer_weights, passage_html, passage_note, stem_html, weights_skip,
    xml_unsafe_reason,
)
from .gift import category_path, shortanswer_pattern
from .variants import answer_variants

SUFFIX = ".moodle.xml"
QUESTION_TYPES = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical",
                  "text": "shortanswer", "match": "match", "order": "ordering"}
ORDERING_SINCE = (4, 4)  # the Moodle release that made qtype_ordering standard


def ordering_skip(item: Item, version: tuple[int, ...] | None) -> Skip | None:
    """An order item cannot go to a Moodle older than 4.4 (its import would stop)."""
    if item.type == "order" and version is not None and version < ORDERING_SINCE:
        return Skip(item.id, item.type,
                    f"Moodle {'.'.join(map(str, version))} has no ordering question type "
                    "(standard since 4.4), and one unknown type stops the whole import")
    return None


def to_moodle_xml(items: Sequence[Item], banks: Sequence[Bank],
                  options: Options = Options()) -> Output:
    quiz = ET.Element("quiz")
    included: list[str] = []
    skipped: list[Skip] = []
    ordering: list[str] = []
    shown_passage: Passage | None = None  # the passage of the last carried question
    for bank, run in bank_groups(items, banks):
        category_added = False
        for item in run:
            reason = xml_unsafe_reason(item)
            if reason:
                skipped.append(Skip(item.id, item.type, reason))
                continue
            too_old = ordering_skip(item, options.moodle_version)
            if too_old:
                skipped.append(too_old)
                continue
            if item.type == "multiple" and multiple_answer_weights(item) is None:
                skipped.append(weights_skip(item, "Moodle"))
                continue
            if not category_added:
                _category(quiz, category_path(options.course, bank.title))
                category_added = True
            if item.passage is not None and item.passage != shown_passage:
                _description(quiz, item.passage)
            shown_passage = item.passage
            _question(quiz, item)
            included.append(item.id)
            if item.type == "order":
                ordering.append(item.id)
    notes = []
    if ordering and options.moodle_version is None:
        notes.append("order items are Moodle 'ordering' questions, standard since Moodle 4.4; "
                     "for an older site export with --moodle-version (e.g. 4.1) to leave "
                     f"them out ({', '.join(ordering)})")
    notes += passage_note(items, included, "Moodle 'description' questions")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + serialize(quiz) + "\n"
    limits = [limit for item in items if item.id in included for limit in grading_limits(item)]
    return Output(text.encode("utf-8"), tuple(included), tuple(skipped), tuple(notes),
                  tuple(limits))


# -- writing ------------------------------------------------------------------------


def cdata(text: str) -> str:
    """``text`` as CDATA; a ``]]>`` inside ends one section and starts the next."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>" if text else ""


def serialize(element: ET.Element, depth: int = 0) -> str:
    """The tree as indented XML, every ``<text>`` element's content as CDATA."""
    pad = "  " * depth
    attributes = "".join(f" {name}={quoteattr(value)}" for name, value in element.attrib.items())
    children = list(element)
    if children:
        inner = "\n".join(serialize(child, depth + 1) for child in children)
        return f"{pad}<{element.tag}{attributes}>\n{inner}\n{pad}</{element.tag}>"
    if element.text is None:
        return f"{pad}<{element.tag}{attributes} />"
    body = cdata(element.text) if element.tag == "text" else escape(element.text)
    return f"{pad}<{element.tag}{attributes}>{body}</{element.tag}>"


# -- building blocks --------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    """``<tag format="html"><text>…</text></tag>``; ElementTree escapes for XML."""
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _category(quiz: ET.Element, path: str) -> None:
    # Names are shown as HTML: escaped, so that "<tags>" survive.
    question = ET.SubElement(quiz, "question", {"type": "category"})
    _text(question, "category", path, fmt=None)
    _text(question, "info", "")


def _answer(parent: ET.Element, fraction: str, text: str, feedback_html: str,
            fmt: str = "html") -> ET.Element:
    answer = ET.SubElement(parent, "answer", {"fraction": fraction, "format": fmt})
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", feedback_html)
    return answer


def _combined_feedback(question: ET.Element, correct: str, incorrect: str) -> None:
    _text(question, "correctfeedback", html_text(correct))
    # Anything short of fully right gets the "incorrect" feedback, as in the book.
    _text(question, "partiallycorrectfeedback", html_text(incorrect))
    _text(question, "incorrectfeedback", html_text(incorrect))


def _description(quiz: ET.Element, passage: Passage) -> None:
    """The passage as a Moodle description: shown, not numbered, not scored."""
    question = ET.SubElement(quiz, "question", {"type": "description"})
    _text(question, "name", passage.id, fmt=None)
    _text(question, "questiontext", passage_html(passage))
    _text(question, "generalfeedback", "")
    _value(question, "defaultgrade", "0")
    _value(question, "penalty", "0")
    _value(question, "hidden", "0")
    _value(question, "idnumber", passage.id)


def _question(quiz: ET.Element, item: Item) -> None:
    question = ET.SubElement(quiz, "question", {"type": QUESTION_TYPES[item.type]})
    _text(question, "name", item.id, fmt=None)
    _text(question, "questiontext", stem_html(item))
    _text(question, "generalfeedback", general_feedback_html(item))
    _value(question, "defaultgrade", "1")
    _value(question, "penalty", "0.3333333")
    _value(question, "hidden", "0")
    _value(question, "idnumber", item.id)
    _BODIES[item.type](question, item)
    if item.tags:
        tags = ET.SubElement(question, "tags")
        for tag in item.tags:
            _text(tags, "tag", tag, fmt=None)


def _choices(question: ET.Element, item: Item) -> None:
    single = item.type == "single"
    _value(question, "single", "true" if single else "false")
    _value(question, "shuffleanswers", "true")
    _value(question, "answernumbering", "abc")
    _value(question, "showstandardinstruction", "1")
    _combined_feedback(question, "", "")
    if not single:
        ET.SubElement(question, "shownumcorrect")
    weights = (["100" if o.correct else "0" for o in item.options] if single
               else multiple_answer_weights(item) or [])
    for weight, option in zip(weights, item.options):
        _answer(question, weight, html_text(option.text), html_text(option.feedback))


def _numeric(question: ET.Element, item: Item) -> None:
    if item.answer is None:
        return
    answer = _answer(question, "100", format_number(item.answer.value),
                     html_text(item.feedback.correct), fmt="moodle_auto_format")
    _value(answer, "tolerance", format_number(item.answer.tolerance))
    if item.feedback.incorrect:
        other = _answer(question, "0", "*", html_text(item.feedback.incorrect),
                        fmt="moodle_auto_format")
        _value(other, "tolerance", "0")
    _value(question, "unitgradingtype", "0")
    _value(question, "unitpenalty", "0.1000000")
    _value(question, "showunits", "3")  # no unit box: the unit is in the question text
    _value(question, "unitsleft", "0")


def _shortanswer(question: ET.Element, item: Item) -> None:
    _value(question, "usecase", "0")
    for spelling in answer_variants(item.accept).spellings:
        _answer(question, "100", shortanswer_pattern(spelling),
                html_text(item.feedback.correct), fmt="moodle_auto_format")
    if item.feedback.incorrect:
        _answer(question, "0", "*", html_text(item.feedback.incorrect),
                fmt="moodle_auto_format")


def _match(question: ET.Element, item: Item) -> None:
    _value(question, "shuffleanswers", "true")
    _combined_feedback(question, item.feedback.correct, item.feedback.incorrect)
    ET.SubElement(question, "shownumcorrect")
    for pair in item.pairs:
        sub = _text(question, "subquestion", html_text(pair.left))
        _text(sub, "answer", html_text(pair.right), fmt=None)


def _ordering(question: ET.Element, item: Item) -> None:
    _value(question, "layouttype", "VERTICAL")
    _value(question, "selecttype", "ALL")
    _value(question, "selectcount", str(len(item.events)))
    _value(question, "gradingtype", "ALL_OR_NOTHING")
    _value(question, "showgrading", "SHOW")
    _value(question, "numberingstyle", "none")
    _combined_feedback(question, item.feedback.correct, item.feedback.incorrect)
    ET.SubElement(question, "shownumcorrect")
    # The fraction is the event's position; Moodle shuffles the display itself.
    for position, event in enumerate(item.events, start=1):
        answer = ET.SubElement(question, "answer", {"fraction": str(position), "format": "html"})
        ET.SubElement(answer, "text").text = html_text(event)


_BODIES = {"single": _choices, "multiple": _choices, "numeric": _numeric,
           "text": _shortanswer, "match": _match, "order": _ordering}
