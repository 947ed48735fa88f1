"""Readers of Moodle XML and the graders of Moodle's question engine, re-implemented
from moodle/moodle (no maintained Python parser of either format exists on PyPI):

* ``lib/xmlize.php``: the XML is parsed with PHP's ``xml_parse_into_struct`` (expat)
  with ``XML_OPTION_SKIP_WHITE``, which drops every chunk of character data that is
  only white space. Expat hands over an entity reference (``&lt;``) as a chunk of its
  own, so a space between two escaped characters is lost; CDATA is one chunk (cut only
  where the 4096-byte reads of the file cut it). This reader uses Python's expat the
  same way.
* ``question/format/xml/format.php``: ``import_headers`` (name, question text,
  ``idnumber``, general feedback, tags), ``import_answer``, ``import_multichoice``,
  ``import_shortanswer``, ``import_numerical``, ``import_match`` (sub-question answers
  are stored as text, but shown as HTML), ``import_ordering``, ``import_description``
  (qtype ``description`` with ``defaultmark`` 0 and ``length`` 0: shown, never
  numbered or scored) and ``getpath`` (every
  text is trimmed); categories come from ``$course$/top/…`` paths split on ``/``
  (``//`` is a slash inside a name), each name cleaned as ``PARAM_TEXT`` (tags
  stripped) and shown as HTML.
* Graders: ``question/type/multichoice/question.php`` (single: the chosen answer's
  fraction; multiple: the sum of the chosen fractions, clamped to 0…1),
  ``question/type/shortanswer/question.php`` (``compare_string_with_wildcard``: NFC,
  ``*`` a wildcard unless escaped, ``/i`` when case is ignored, the response trimmed;
  the first matching answer counts), ``question/type/numerical/question.php``
  (``get_tolerance_interval``, nominal: tolerance + 1e-14 · max(1, |answer|)),
  ``question/engine/states.php`` (``graded_state_for_fraction``: a fraction above
  0.999999 is graded right, so three answers of 33.33333% make a full mark),
  ``question/type/match/question.php`` (a right per stem, answers with equal text are
  one choice), ``question/type/ordering`` (all or nothing).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from xml.parsers import expat

from support.lms import Choice, Imported, shown_paragraphs, shown_text

_PHP_WHITE = " \t\n\r\x0b\x00"  # PHP's trim()
READ_SIZE = 4096


def php_trim(text: str) -> str:
    return text.strip(_PHP_WHITE)


class Node:
    def __init__(self, tag: str, attributes: dict[str, str]):
        self.tag, self.attributes, self.children, self.text = tag, attributes, [], ""

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def get(self, path: str, default: str = "") -> str:
        """``getpath(…, true)``: the text at ``a/b/c``, trimmed."""
        node = self
        for tag in path.split("/"):
            node = node.find(tag) if node is not None else None
        return php_trim(node.text) if node is not None else default


def xmlize(data: bytes) -> Node:
    """The document as Moodle's ``xmlize`` sees it (white-space-only chunks dropped)."""
    root = Node("#document", {})
    stack = [root]
    parser = expat.ParserCreate("UTF-8")
    parser.buffer_text = False  # chunks as expat reports them, as PHP receives them

    def start(tag, attributes):
        node = Node(tag, attributes)
        stack[-1].children.append(node)
        stack.append(node)

    def end(tag):
        stack.pop()

    def characters(chunk):
        if chunk.strip(" \t\n\r") == "":
            return  # XML_OPTION_SKIP_WHITE
        stack[-1].text += chunk

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = characters
    # Fed as a file is read, 4096 bytes at a time: expat reports text cut at each
    # boundary, and a piece that is only white space is dropped like any other.
    for start in range(0, len(data), READ_SIZE):
        parser.Parse(data[start:start + READ_SIZE], False)
    parser.Parse(b"", True)
    return root.children[0]


# -- import ------------------------------------------------------------------------------------


def _html(node: Node | None) -> str:
    """A text field (``format="html"`` or Moodle's auto format) as the student sees it."""
    return shown_text(node.get("text")) if node is not None else ""


def split_category_path(path: str) -> list[str]:
    parts = re.split(r"(?<!/)/(?!/)", path.strip("/"))
    return [shown_text(re.sub(r"<[^>]*>", "", part.replace("//", "/"))) for part in parts]


def read_moodle_xml(data: bytes) -> list[Imported]:
    quiz = xmlize(data)
    questions, category = [], None
    for node in quiz.findall("question"):
        qtype = node.attributes.get("type")
        if qtype == "category":
            category = split_category_path(node.get("category/text"))
            continue
        question = Imported(ident=node.get("name/text"), qtype=qtype, name=node.get("name/text"),
                            text=shown_paragraphs(node.get("questiontext/text")),
                            general_feedback=shown_paragraphs(node.get("generalfeedback/text")),
                            idnumber=node.get("idnumber") or None,
                            tags=[tag.get("text") for tag in (node.find("tags") or Node("", {})).findall("tag")],
                            category=category)
        _READERS[qtype](question, node)
        questions.append(question)
    return questions


def _fraction(answer: Node) -> float:
    return float(answer.attributes.get("fraction", "0")) / 100


def _multichoice(question: Imported, node: Node) -> None:
    question.raw = {"single": node.get("single") in ("true", "1")}
    for answer in node.findall("answer"):
        question.choices.append(Choice(_html(answer), _fraction(answer),
                                       _html(answer.find("feedback"))))


def _shortanswer(question: Imported, node: Node) -> None:
    question.raw = {"usecase": node.get("usecase") not in ("", "0"),
                    "answers": [(answer.get("text"), _fraction(answer),
                                 _html(answer.find("feedback"))) for answer in node.findall("answer")]}
    question.answers = [text for text, fraction, _ in question.raw["answers"] if fraction == 1.0]
    other = [fb for text, fraction, fb in question.raw["answers"] if text == "*" and fraction == 0]
    right = [fb for text, fraction, fb in question.raw["answers"] if fraction == 1.0]
    question.correct_feedback = right[0] if right else ""
    question.incorrect_feedback = other[0] if other else ""


def _numerical(question: Imported, node: Node) -> None:
    answers = [(answer.get("text"), answer.get("tolerance", "0"), _fraction(answer),
                _html(answer.find("feedback"))) for answer in node.findall("answer")]
    question.raw = {"answers": answers}
    question.numeric = [(Decimal(text), Decimal(tolerance or "0"))
                        for text, tolerance, fraction, _ in answers if text != "*" and fraction == 1.0]
    question.correct_feedback = next((fb for t, _, f, fb in answers if f == 1.0), "")
    question.incorrect_feedback = next((fb for t, _, f, fb in answers if t == "*"), "")


def _combined(question: Imported, node: Node) -> None:
    question.correct_feedback = _html(node.find("correctfeedback"))
    question.incorrect_feedback = _html(node.find("incorrectfeedback"))


def _match(question: Imported, node: Node) -> None:
    stems = [(_html(sub), shown_text(sub.get("answer/text"))) for sub in node.findall("subquestion")]
    question.lefts = [left for left, _ in stems]
    question.rights = list(dict.fromkeys(right for _, right in stems))  # one choice per text
    question.raw = {"stems": stems}
    _combined(question, node)


def _ordering(question: Imported, node: Node) -> None:
    answers = sorted(node.findall("answer"), key=lambda a: float(a.attributes["fraction"]))
    question.events = [_html(answer) for answer in answers]
    _combined(question, node)


def _description(question: Imported, node: Node) -> None:
    # import_description: import_headers, then defaultmark = 0 and length = 0.
    question.raw = {"defaultmark": 0.0, "length": 0, "html": node.get("questiontext/text")}


_READERS = {"description": _description, "multichoice": _multichoice,
            "shortanswer": _shortanswer, "numerical": _numerical, "match": _match,
            "ordering": _ordering}


# -- grading ---------------------------------------------------------------------------------


def compare_string_with_wildcard(string: str, pattern: str, ignorecase: bool) -> bool:
    pattern = unicodedata.normalize("NFC", pattern)
    string = unicodedata.normalize("NFC", string)
    bits = re.split(r"(?<!\\)\*+", pattern)
    regexp = "^" + ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits) + "$"
    return re.match(regexp, php_trim(string), re.IGNORECASE if ignorecase else 0) is not None


def _within(value: float, answer: str, tolerance: str) -> bool:
    if answer == "*":
        return True
    centre, margin = float(answer), abs(float(tolerance or 0))
    margin += 10.0 ** -14 * max(1.0, abs(centre))
    return centre - margin <= value <= centre + margin


def grade(question: Imported, response) -> float:
    """The fraction of the mark Moodle gives ``response`` (choices: a set of indices;
    shortanswer and numerical: the typed text; match: left index → index into
    ``question.rights``; ordering: the event texts in the student's order)."""
    if question.qtype == "multichoice":
        fractions = [question.choices[i].fraction for i in response]
        if question.raw["single"]:
            return fractions[0] if len(fractions) == 1 else 0.0
        fraction = min(1.0, max(0.0, sum(fractions)))
        # question_state::graded_state_for_fraction: above 0.999999 is "right".
        return 1.0 if fraction > 0.999999 else fraction
    if question.qtype == "shortanswer":
        for text, fraction, _ in question.raw["answers"]:
            if text == "*" or compare_string_with_wildcard(response, text, not question.raw["usecase"]):
                return fraction if php_trim(response) else 0.0
        return 0.0
    if question.qtype == "numerical":
        try:
            value = float(response)
        except ValueError:
            return 0.0
        for text, tolerance, fraction, _ in question.raw["answers"]:
            if _within(value, text, tolerance):
                return fraction
        return 0.0
    if question.qtype == "match":
        stems = question.raw["stems"]
        right = sum(1 for index, (_, answer) in enumerate(stems)
                    if question.rights[response[index]] == answer)
        return right / len(stems)
    if question.qtype == "ordering":
        return 1.0 if list(response) == question.events else 0.0
    raise ValueError(f"no grader for {question.qtype}")
