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
numeric → ``numerical_question`` (value, or the range value ± tolerance); text →
``short_answer_question`` (Canvas compares without regard to case); match →
``matching_question`` (rights offered in a fixed shuffled order). Canvas classic
quizzes have no ordering type: order items are skipped, each with a reason.

Identifiers are stable: each item's ``ident`` is its id and the assessment's is
derived from the quiz title, so re-importing with Canvas's "Overwrite assessment
content with matching IDs" updates the quiz instead of adding a copy.
"""

from __future__ import annotations

import copy
import io
import uuid
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from xml.etree import ElementTree as ET

from ..model import Bank, Item, format_number
from ..shuffle import right_display_order
from .common import (
    Options, Output, Skip, general_feedback_html, html_text, stem_html, xml_unsafe_reason,
)

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


def assessment_ident(title: str) -> str:
    """A stable identifier for a quiz, from its title."""
    return "qk" + uuid.uuid5(_NAMESPACE, f"assessment:{title}").hex


def to_qti(items: Sequence[Item], banks: Sequence[Bank], options: Options = Options()) -> Output:
    included: list[Item] = []
    skipped: list[Skip] = []
    for item in items:
        reason = ("Canvas classic quizzes have no ordering question type"
                  if item.type == "order" else xml_unsafe_reason(item))
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
    return Output(_zip(files), tuple(i.id for i in included), tuple(skipped))


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
    for item in items:
        _item(section, item)
    return _serialize(root)


def _metadata(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    for label, entry in fields:
        field = _sub(parent, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _material(parent: ET.Element, text: str, texttype: str = "text/html") -> None:
    _sub(_sub(parent, "material"), "mattext", text, texttype=texttype)


def choice_ident(item: Item, index: int) -> str:
    return f"{item.id}-{index + 1}"


def _item(section: ET.Element, item: Item) -> None:
    element = _sub(section, "item", ident=item.id, title=item.id)
    answers = len(item.options) or len(item.pairs)  # 0 for numeric and text items
    _metadata(_sub(_sub(element, "itemmetadata"), "qtimetadata"), [
        ("question_type", QUESTION_TYPES[item.type]),
        ("points_possible", "1.0"),
        ("original_answer_ids", ",".join(choice_ident(item, i) for i in range(answers))),
        ("assessment_question_identifierref", f"{item.id}-ref"),
    ])
    presentation = _sub(element, "presentation")
    _material(presentation, stem_html(item))
    processing = _sub(element, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0",
         varname="SCORE", vartype="Decimal")
    _feedback_condition(processing, None, "general_fb")
    feedback = [("general_fb", general_feedback_html(item)),
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
        feedback.append(("correct_fb", html_text(item.feedback.correct)))
    if item.feedback.incorrect:
        wrong = None
        if right is not None:
            wrong = ET.Element("not")
            wrong.append(copy.deepcopy(right))
        _feedback_condition(processing, wrong, "general_incorrect_fb")
        feedback.append(("general_incorrect_fb", html_text(item.feedback.incorrect)))
    return feedback


def _choices(presentation: ET.Element, processing: ET.Element, item: Item) -> list[tuple[str, str]]:
    cardinality = "Single" if item.type == "single" else "Multiple"
    response = _sub(presentation, "response_lid", ident="response1", rcardinality=cardinality)
    render = _sub(response, "render_choice")
    for index, option in enumerate(item.options):
        label = _sub(render, "response_label", ident=choice_ident(item, index))
        _material(label, html_text(option.text))
    feedback = []
    for index, option in enumerate(item.options):
        if option.feedback:
            fb_ident = f"{choice_ident(item, index)}_fb"
            _feedback_condition(processing, _varequal("response1", choice_ident(item, index)),
                                fb_ident)
            feedback.append((fb_ident, html_text(option.feedback)))
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
    # Through the shortest decimal text, so that 0.3 - 0.1 is 0.2, not 0.19999999999999998.
    return Decimal(format_number(value))


def _numeric(presentation: ET.Element, processing: ET.Element, item: Item) -> list[tuple[str, str]]:
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(_sub(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    if item.answer is not None:
        value, tolerance = _decimal(item.answer.value), _decimal(item.answer.tolerance)
        bounds = ET.Element("and")
        _sub(bounds, "vargte", str(value - tolerance), respident="response1")
        _sub(bounds, "varlte", str(value + tolerance), respident="response1")
        _score(processing, [_varequal("response1", str(value)), bounds], "or",
               linkrefid="correct_fb" if item.feedback.correct else None)
    return _item_feedback(processing, item)


def _text(presentation: ET.Element, processing: ET.Element, item: Item) -> list[tuple[str, str]]:
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(_sub(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    accepted = [_varequal("response1", answer) for answer in item.accept if answer.strip()]
    _score(processing, accepted, None,
           linkrefid="correct_fb" if item.feedback.correct else None)
    return _item_feedback(processing, item)


def _match(presentation: ET.Element, processing: ET.Element, item: Item) -> list[tuple[str, str]]:
    order = right_display_order(item)
    share = f"{100 / len(item.pairs):.2f}"
    for index, pair in enumerate(item.pairs):
        response = _sub(presentation, "response_lid", ident=f"response_{choice_ident(item, index)}")
        _material(response, pair.left, texttype="text/plain")  # Canvas keeps both sides plain
        render = _sub(response, "render_choice")
        for right in order:
            label = _sub(render, "response_label", ident=f"{item.id}-r{right + 1}")
            _material(label, item.pairs[right].right, texttype="text/plain")
    all_right = ET.Element("and")
    for index in range(len(item.pairs)):
        condition = _varequal(f"response_{choice_ident(item, index)}", f"{item.id}-r{index + 1}")
        all_right.append(copy.deepcopy(condition))
        _score(processing, [condition], None, action="Add", score=share)
    return _item_feedback(processing, item, all_right)


_BODIES = {"single": _choices, "multiple": _choices, "numeric": _numeric, "text": _text,
           "match": _match}
