"""Canvas QTI 1.2 package: a zip to import as a Canvas *classic* quiz
(Course → Settings → Import course content → "QTI .zip file").

The layout is the one Canvas itself and text2qti write:

* ``imsmanifest.xml`` with one ``imsqti_xmlv1p2`` resource whose file is the
  assessment, depending on an ``associatedcontent/imscc_xmlv1p1/learning-application-resource``
  (``assessment_meta.xml``: the quiz settings — unpublished, one attempt, options
  shuffled, correct answers not shown);
* ``<id>/<id>.xml``: one ``ims_qtiasiv1p2`` assessment, every item carrying its
  Canvas ``question_type`` in ``qtimetadata``.

Types: single → ``multiple_choice_question``; multiple → ``multiple_answers_question``;
numeric → ``numerical_question`` (value, or the range value ± tolerance, with bounds
computed in decimal from the bank's numbers); text → ``short_answer_question``; match →
``matching_question`` (rights offered in a fixed shuffled order). Canvas classic
quizzes have no ordering type: order items are skipped, each with a reason.

Written for the way Canvas's importer (the QTI 1.2 → 2 converter, then
``gems/plugins/qti_exporter/lib/qti/*.rb``) and its grader read a package:

* Response labels have plain numeric idents (``choice_ident``, ``right_ident``).
  Canvas takes a matching choice's match id from the *first run of digits* in its
  ident, and answer ids from ``original_answer_ids`` as integers, so an ident such as
  ``operation-q19-r5`` would give every right-hand choice the id 19.
* Option texts and both sides of a pair are ``text/plain``: Canvas keeps them exactly
  (as ``html`` they would go through ``clear_html``, which drops every ``&…;``).
  Feedback is HTML in ``<p dir="auto">`` paragraphs: a single bare paragraph would be
  unwrapped and stored as escaped text (``a &lt; b``), shown to students as typed.
* Canvas's short-answer grader ignores only case and outer spaces, so every accepted
  answer is written with its typographic variants (``variants.answer_variants``).

A context-dependent set's passage is a ``text_only_question`` item placed just before
the set's first carried item, worth 0 points: Canvas's importer
(``assessment_item_converter.rb``) takes its text from the item body and does not parse
any answers for a ``text_only_question``; the quiz's points count the questions only.

Identifiers are stable: each item's ``ident`` is its id and the assessment's is
derived from the quiz title, so re-importing with Canvas's "Overwrite assessment
content with matching IDs" updates the quiz instead of adding a copy.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from xml.etree import ElementTree as ET

from ..model import Bank, Item, Passage, format_number
from ..shuffle import right_display_order
from .common import (
    Limit, Options, Output, Skip, grading_limits, html_text, passage_html, passage_note,
    stem_html, xml_unsafe_reason,
)
from .variants import answer_variants

SUFFIX = ".qti.zip"
QUESTION_TYPES = {"single": "multiple_choice_question",
                  "multiple": "multiple_answers_question",
                  "numeric": "numerical_question",
                  "text": "short_answer_question",
                  "match": "matching_question"}
MANIFEST = "imsmanifest.xml"
META = "assessment_meta.xml"
_NAMESPACE = uuid.UUID("6f1c7a52-2f4e-5b0e-9d55-7d2b8f3c1a10")  # fixed: ids must not drift
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so that one export gives the same bytes twice
_QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Response labels are numbered base * 1000 + n: lefts and options 1…499, rights 501…999.
MAX_CHOICES = 499
# Canvas passes each matching answer's right side through CGI.unescapeHTML.
_ENTITY_LIKE = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|\w+);")
_RIGHTS_OFFSET = 500


def assessment_ident(title: str) -> str:
    """A stable identifier for a quiz, from its title."""
    return "qk" + uuid.uuid5(_NAMESPACE, f"assessment:{title}").hex


def to_qti(items: Sequence[Item], banks: Sequence[Bank], options: Options = Options()) -> Output:
    included: list[Item] = []
    skipped: list[Skip] = []
    for item in items:
        reason = skip_reason(item)
        if reason:
            skipped.append(Skip(item.id, item.type, reason))
        else:
            included.append(item)
    ident = assessment_ident(options.title)
    files = {
        MANIFEST: manifest_xml(ident, options.title),
        f"{ident}/{ident}.xml": assessment_xml(included, ident, options.title),
        f"{ident}/{META}": meta_xml(ident, options.title, len(included)),
    }
    carried = tuple(i.id for i in included)
    return Output(_zip(files), carried, tuple(skipped),
                  notes=tuple(passage_note(items, carried, "Canvas text-only questions "
                                                           "(0 points)")),
                  limits=tuple(limit for item in included for limit in limits(item)))


def skip_reason(item: Item) -> str | None:
    """Why Canvas cannot carry ``item``, or ``None``."""
    if item.type == "order":
        return "Canvas classic quizzes have no ordering question type"
    if max(len(item.options), len(item.pairs)) > MAX_CHOICES:
        return f"more than {MAX_CHOICES} options or pairs"
    return xml_unsafe_reason(item)


def limits(item: Item) -> list[Limit]:
    """What Canvas will not do with ``item`` as the book does."""
    found = grading_limits(item)
    if item.type == "match" and any(_ENTITY_LIKE.search(pair.right) for pair in item.pairs):
        found.append(Limit(item.id, "a right-hand entry that looks like an HTML entity "
                                    "(\"&amp;\") is shown decoded by Canvas"))
    return found


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def _serialize(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


# -- the manifest and the quiz settings -------------------------------------------------


def manifest_xml(ident: str, title: str) -> str:
    # Namespace declarations are written as plain attributes, so that ElementTree's
    # global prefix registry is left alone.
    root = ET.Element("manifest", {
        "identifier": f"{ident}_manifest",
        "xmlns": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
        "xmlns:imsmd": "http://www.imsglobal.org/xsd/imsmd_v1p2",
    })
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    lom = _sub(metadata, "imsmd:lom")
    _sub(_sub(_sub(lom, "imsmd:general"), "imsmd:title"), "imsmd:string", title)
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    assessment = _sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    _sub(assessment, "file", href=f"{ident}/{ident}.xml")
    _sub(assessment, "dependency", identifierref=f"{ident}_meta")
    meta = _sub(resources, "resource", identifier=f"{ident}_meta",
                type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                href=f"{ident}/{META}")
    _sub(meta, "file", href=f"{ident}/{META}")
    return _serialize(root)


def meta_xml(ident: str, title: str, count: int) -> str:
    root = ET.Element("quiz", {"identifier": ident,
                               "xmlns": "http://canvas.instructure.com/xsd/cccv1p0"})
    points = f"{float(count):.1f}"
    for tag, value in (("title", title), ("description", ""), ("shuffle_answers", "true"),
                       ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                       ("points_possible", points), ("show_correct_answers", "false"),
                       ("allowed_attempts", "1"), ("one_question_at_a_time", "false"),
                       ("cant_go_back", "false"), ("available", "false")):
        _sub(root, tag, value)
    assignment = _sub(root, "assignment", identifier=f"{ident}_assignment")
    for tag, value in (("title", title), ("workflow_state", "unpublished"),
                       ("quiz_identifierref", ident), ("points_possible", points),
                       ("grading_type", "points"), ("submission_types", "online_quiz")):
        _sub(assignment, tag, value)
    return _serialize(root)


# -- the assessment --------------------------------------------------------------------


def assessment_xml(items: Sequence[Item], ident: str, title: str) -> str:
    root = ET.Element("questestinterop", {
        "xmlns": _QTI_NS, "xmlns:xsi": _XSI,
        "xsi:schemaLocation": f"{_QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd",
    })
    assessment = _sub(root, "assessment", ident=ident, title=title)
    _metadata(_sub(assessment, "qtimetadata"), [("cc_maxattempts", "1")])
    section = _sub(assessment, "section", ident="root_section")
    shown: Passage | None = None
    for item in items:
        if item.passage is not None and item.passage != shown:
            _text_only(section, item.passage)
        shown = item.passage
        _item(section, item)
    return _serialize(root)


def _text_only(section: ET.Element, passage: Passage) -> None:
    """The passage as a Canvas text-only question: shown, not scored."""
    element = _sub(section, "item", ident=passage.id, title=passage.title)
    _metadata(_sub(_sub(element, "itemmetadata"), "qtimetadata"),
              [("question_type", "text_only_question"), ("points_possible", "0.0")])
    _material(_sub(element, "presentation"), passage_html(passage))


def _metadata(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    for label, entry in fields:
        field = _sub(parent, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _material(parent: ET.Element, text: str, texttype: str = "text/html") -> None:
    _sub(_sub(parent, "material"), "mattext", text, texttype=texttype)


def _ident_base(item: Item) -> int:
    """Six digits fixed by the item id, so that idents do not change between exports."""
    digest = hashlib.sha256(item.id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 900_000 + 100_000


def choice_ident(item: Item, index: int) -> str:
    """Ident of option ``index`` (or of the left side of pair ``index``): digits only,
    unique within the item, never 0 (Canvas reads answer ids as integers)."""
    return str(_ident_base(item) * 1000 + index + 1)


def right_ident(item: Item, index: int) -> str:
    """Ident of the right side of pair ``index``. Canvas takes a matching choice's match
    id from the first run of digits in its ident, so the ident is that run alone."""
    return str(_ident_base(item) * 1000 + _RIGHTS_OFFSET + index + 1)


def feedback_html(*texts: str) -> str:
    """Plain texts as HTML paragraphs Canvas keeps as HTML. ``dir="auto"`` gives the
    paragraph an attribute, without which Canvas unwraps a lone paragraph and stores
    its escaped text (``a &lt; b``) as plain text; it also lets Urdu run right to left."""
    return "".join(f'<p dir="auto">{html_text(text)}</p>' for text in texts if text)


def general_feedback(item: Item) -> str:
    return feedback_html(item.explanation, f"Source: {item.source.citation_text()}")


def decimal_text(value: Decimal) -> str:
    """``Decimal("1E+1")`` → ``"10"``: positional notation, as every reader parses it."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _item(section: ET.Element, item: Item) -> None:
    element = _sub(section, "item", ident=item.id, title=item.id)
    answers = len(item.options) or len(item.pairs)  # 0 for numeric and text items
    fields = [("question_type", QUESTION_TYPES[item.type]), ("points_possible", "1.0")]
    if answers:
        fields.append(("original_answer_ids",
                       ",".join(choice_ident(item, i) for i in range(answers))))
    fields.append(("assessment_question_identifierref", f"{item.id}-ref"))
    _metadata(_sub(_sub(element, "itemmetadata"), "qtimetadata"), fields)
    presentation = _sub(element, "presentation")
    _material(presentation, stem_html(item))
    processing = _sub(element, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0",
         varname="SCORE", vartype="Decimal")
    _feedback_condition(processing, None, "general_fb")
    feedback = [("general_fb", general_feedback(item)),
                *_BODIES[item.type](presentation, processing, item)]
    for ident, markup in feedback:
        _material(_sub(_sub(element, "itemfeedback", ident=ident), "flow_mat"), markup)


def _feedback_condition(processing: ET.Element, condition: ET.Element | None,
                        linkrefid: str) -> None:
    """Show feedback ``linkrefid`` when ``condition`` holds (always, when ``None``)."""
    respcondition = _sub(processing, "respcondition", **{"continue": "Yes"})
    conditionvar = _sub(respcondition, "conditionvar")
    if condition is None:
        _sub(conditionvar, "other")
    else:
        conditionvar.append(condition)
    _sub(respcondition, "displayfeedback", feedbacktype="Response", linkrefid=linkrefid)


def _varequal(respident: str, value: str) -> ET.Element:
    element = ET.Element("varequal", {"respident": respident})
    element.text = value
    return element


def _score(processing: ET.Element, conditions: list[ET.Element], combine: str | None,
           action: str = "Set", score: str = "100", linkrefid: str | None = None) -> None:
    respcondition = _sub(processing, "respcondition", **{"continue": "No" if action == "Set" else "Yes"})
    conditionvar = _sub(respcondition, "conditionvar")
    target = _sub(conditionvar, combine) if combine else conditionvar
    for condition in conditions:
        target.append(condition)
    _sub(respcondition, "setvar", score, action=action, varname="SCORE")
    if linkrefid:
        _sub(respcondition, "displayfeedback", feedbacktype="Response", linkrefid=linkrefid)


def _item_feedback(processing: ET.Element, item: Item,
                   right: ET.Element | None = None) -> list[tuple[str, str]]:
    """The item-level "correct"/"incorrect" feedback, with the conditions that show it.

    Without ``right``, the scoring condition (``continue="No"``) already shows the
    correct feedback, and "incorrect" is whatever comes after it (text2qti's pattern);
    with ``right`` (match items, scored part by part), both get explicit conditions.
    """
    feedback = []
    if item.feedback.correct:
        if right is not None:
            _feedback_condition(processing, copy.deepcopy(right), "correct_fb")
        feedback.append(("correct_fb", feedback_html(item.feedback.correct)))
    if item.feedback.incorrect:
        wrong = None
        if right is not None:
            wrong = ET.Element("not")
            wrong.append(copy.deepcopy(right))
        _feedback_condition(processing, wrong, "general_incorrect_fb")
        feedback.append(("general_incorrect_fb", feedback_html(item.feedback.incorrect)))
    return feedback


def _choices(presentation: ET.Element, processing: ET.Element, item: Item) -> list[tuple[str, str]]:
    cardinality = "Single" if item.type == "single" else "Multiple"
    response = _sub(presentation, "response_lid", ident="response1", rcardinality=cardinality)
    render = _sub(response, "render_choice")
    for index, option in enumerate(item.options):
        label = _sub(render, "response_label", ident=choice_ident(item, index))
        _material(label, option.text, texttype="text/plain")
    feedback = []
    for index, option in enumerate(item.options):
        if option.feedback:
            fb_ident = f"{choice_ident(item, index)}_fb"
            _feedback_condition(processing, _varequal("response1", choice_ident(item, index)),
                                fb_ident)
            feedback.append((fb_ident, feedback_html(option.feedback)))
    if item.type == "single":
        right = choice_ident(item, item.correct_indices[0])
        _score(processing, [_varequal("response1", right)], None)
    else:
        conditions = []
        for index, option in enumerate(item.options):
            condition = _varequal("response1", choice_ident(item, index))
            if not option.correct:
                negated = ET.Element("not")
                negated.append(condition)
                condition = negated
            conditions.append(condition)
        _score(processing, conditions, "and")
    return feedback


def _decimal(value: float) -> Decimal:
    # The shortest text that reads back as the bank's number (the bank's own text for
    # any number written with up to 15 digits), so that bounds are exact: 2.58 ± 0.005
    # gives 2.575 and 2.585, never 2.5749999999999997.
    return Decimal(format_number(value))


def _numeric(presentation: ET.Element, processing: ET.Element, item: Item) -> list[tuple[str, str]]:
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(_sub(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    if item.answer is not None:
        value, tolerance = _decimal(item.answer.value), _decimal(item.answer.tolerance)
        bounds = ET.Element("and")
        _sub(bounds, "vargte", decimal_text(value - tolerance), respident="response1")
        _sub(bounds, "varlte", decimal_text(value + tolerance), respident="response1")
        _score(processing, [_varequal("response1", decimal_text(value)), bounds], "or",
               linkrefid="correct_fb" if item.feedback.correct else None)
    return _item_feedback(processing, item)


def _text(presentation: ET.Element, processing: ET.Element, item: Item) -> list[tuple[str, str]]:
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(_sub(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    accepted = [_varequal("response1", spelling)
                for spelling in answer_variants(item.accept).spellings]
    _score(processing, accepted, None,
           linkrefid="correct_fb" if item.feedback.correct else None)
    return _item_feedback(processing, item)


def _match(presentation: ET.Element, processing: ET.Element, item: Item) -> list[tuple[str, str]]:
    order = right_display_order(item)
    share = f"{100 / len(item.pairs):.2f}"
    for index, pair in enumerate(item.pairs):
        response = _sub(presentation, "response_lid", ident=f"response_{choice_ident(item, index)}",
                        rcardinality="Single")
        _material(response, pair.left, texttype="text/plain")  # Canvas keeps both sides plain
        render = _sub(response, "render_choice")
        for right in order:
            label = _sub(render, "response_label", ident=right_ident(item, right))
            _material(label, item.pairs[right].right, texttype="text/plain")
    all_right = ET.Element("and")
    for index in range(len(item.pairs)):
        condition = _varequal(f"response_{choice_ident(item, index)}", right_ident(item, index))
        all_right.append(copy.deepcopy(condition))
        _score(processing, [condition], None, action="Add", score=share)
    return _item_feedback(processing, item, all_right)


_BODIES = {"single": _choices, "multiple": _choices, "numeric": _numeric, "text": _text,
           "match": _match}
