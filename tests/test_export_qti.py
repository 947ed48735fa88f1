"""Canvas QTI 1.2 export: the zip is opened, the manifest followed to the assessment,
and every item read back (question type, texts, right answers, feedback) and compared
with the bank."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from lxml import etree

from quizkit.export import Options
from quizkit.export.qti import to_qti
from support.exports import (
    FIXTURE_COURSE, expected_general_feedback, expected_stem, fixture_banks, fixture_items,
    html_field, html_paragraphs,
)

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
NS = {"q": QTI, "cp": CP}
TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
         "numeric": "numerical_question", "text": "short_answer_question",
         "match": "matching_question"}


def read_package(data: bytes) -> tuple[zipfile.ZipFile, etree._Element, etree._Element]:
    """The archive, its manifest and the assessment the manifest points at."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    [resource] = manifest.findall("cp:resources/cp:resource[@type='imsqti_xmlv1p2']", NS)
    href = resource.find("cp:file", NS).get("href")
    dependency = resource.find("cp:dependency", NS).get("identifierref")
    [meta] = manifest.findall(f"cp:resources/cp:resource[@identifier='{dependency}']", NS)
    assert meta.get("type") == "associatedcontent/imscc_xmlv1p1/learning-application-resource"
    etree.fromstring(archive.read(meta.find("cp:file", NS).get("href")))  # well-formed
    return archive, manifest, etree.fromstring(archive.read(href))


def _metadata(item) -> dict[str, str]:
    return {f.findtext("q:fieldlabel", namespaces=NS): f.findtext("q:fieldentry", namespaces=NS)
            for f in item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS)}


def _mattext(element) -> tuple[str, str]:
    mattext = element.find("q:material/q:mattext", NS)
    return mattext.text or "", mattext.get("texttype")


def _feedback(item) -> dict[str, str]:
    return {f.get("ident"): f.findtext("q:flow_mat/q:material/q:mattext", namespaces=NS)
            for f in item.findall("q:itemfeedback", NS)}


def _scoring(item):
    """The respconditions that set or add to the score."""
    return [c for c in item.findall("q:resprocessing/q:respcondition", NS)
            if c.find("q:setvar", NS) is not None]


@pytest.fixture(scope="module")
def exported():
    items = fixture_items()
    output = to_qti(items, fixture_banks(), Options(title="Fixture quiz", course=FIXTURE_COURSE))
    archive, manifest, assessment = read_package(output.data)
    return items, output, assessment


def _items(assessment) -> dict[str, etree._Element]:
    return {i.get("ident"): i for i in assessment.findall(".//q:item", NS)}


def test_the_package_holds_a_manifest_an_assessment_and_the_quiz_settings(exported):
    _, output, assessment = exported
    archive = zipfile.ZipFile(io.BytesIO(output.data))
    names = archive.namelist()
    assert names[0] == "imsmanifest.xml" and len(names) == 3
    assert assessment.tag == f"{{{QTI}}}questestinterop"
    assert assessment.find("q:assessment", NS).get("title") == "Fixture quiz"


def test_every_item_but_order_is_carried_with_its_id_as_ident(exported):
    items, output, assessment = exported
    carried = [i.id for i in items if i.type != "order"]
    assert list(_items(assessment)) == carried == list(output.included)
    assert {(s.item_id, s.reason) for s in output.skipped} == {
        (i.id, "Canvas classic quizzes have no ordering question type")
        for i in items if i.type == "order"}


def test_every_text_answer_and_feedback_round_trips_exactly(exported):
    items, _, assessment = exported
    elements = _items(assessment)
    for item in items:
        if item.type == "order":
            continue
        element = elements[item.id]
        assert _metadata(element)["question_type"] == TYPES[item.type]
        stem, texttype = _mattext(element.find("q:presentation", NS))
        assert texttype == "text/html"
        assert html_paragraphs(stem) == expected_stem(item), item.id
        feedback = _feedback(element)
        assert html_paragraphs(feedback.pop("general_fb")) == expected_general_feedback(item)
        if item.feedback.correct:
            assert html_field(feedback.pop("correct_fb")) == item.feedback.correct
        if item.feedback.incorrect:
            assert html_field(feedback.pop("general_incorrect_fb")) == item.feedback.incorrect
        _CHECKS[item.type](item, element, feedback)


def _check_choices(item, element, feedback):
    response = element.find("q:presentation/q:response_lid", NS)
    assert response.get("rcardinality") == ("Single" if item.type == "single" else "Multiple")
    labels = response.findall("q:render_choice/q:response_label", NS)
    texts = {label.get("ident"): html_field(_mattext(label)[0]) for label in labels}
    assert list(texts.values()) == [o.text for o in item.options]
    [scoring] = _scoring(element)
    assert scoring.findtext("q:setvar", namespaces=NS) == "100"
    right = {v.text for v in scoring.iter(f"{{{QTI}}}varequal")
             if v.getparent().tag != f"{{{QTI}}}not"}
    assert right == {ident for ident, o in zip(texts, item.options) if o.correct}
    if item.type == "multiple":
        wrong = {v.text for v in scoring.iterfind(".//q:not/q:varequal", NS)}
        assert wrong == {ident for ident, o in zip(texts, item.options) if not o.correct}
    shown = {ident: html_field(feedback[f"{ident}_fb"]) for ident in texts if f"{ident}_fb" in feedback}
    assert shown == {ident: o.feedback for ident, o in zip(texts, item.options) if o.feedback}


def _check_numeric(item, element, feedback):
    [scoring] = _scoring(element)
    value = Decimal(scoring.findtext(".//q:or/q:varequal", namespaces=NS))
    low = Decimal(scoring.findtext(".//q:and/q:vargte", namespaces=NS))
    high = Decimal(scoring.findtext(".//q:and/q:varlte", namespaces=NS))
    answer = item.answer
    assert float(value) == answer.value
    # Exact decimals: 0.3 ± 0.1 must be 0.2 … 0.4, not 0.19999999999999998.
    assert (low, high) == (Decimal(str(answer.value)) - Decimal(str(answer.tolerance)),
                           Decimal(str(answer.value)) + Decimal(str(answer.tolerance)))


def _check_text(item, element, feedback):
    [scoring] = _scoring(element)
    assert [v.text for v in scoring.iterfind("q:conditionvar/q:varequal", NS)] == list(item.accept)


def _check_match(item, element, feedback):
    lefts = element.findall("q:presentation/q:response_lid", NS)
    rights = {}
    for left in lefts:
        assert _mattext(left)[1] == "text/plain"
        for label in left.findall("q:render_choice/q:response_label", NS):
            rights[label.get("ident")] = _mattext(label)[0]
    chosen = {}
    total = 0.0
    for condition in _scoring(element):
        setvar = condition.find("q:setvar", NS)
        assert setvar.get("action") == "Add"
        total += float(setvar.text)
        varequal = condition.find("q:conditionvar/q:varequal", NS)
        chosen[varequal.get("respident")] = varequal.text
    pairs = [(_mattext(left)[0], rights[chosen[left.get("ident")]]) for left in lefts]
    assert pairs == [(p.left, p.right) for p in item.pairs]
    assert round(total) == 100
    # The rights are offered in a fixed order that does not give the answer away.
    offered = [_mattext(label)[0] for label in lefts[0].findall("q:render_choice/q:response_label", NS)]
    assert sorted(offered) == sorted(p.right for p in item.pairs)
    assert offered != [p.right for p in item.pairs]


_CHECKS = {"single": _check_choices, "multiple": _check_choices, "numeric": _check_numeric,
           "text": _check_text, "match": _check_match}


def test_the_quiz_settings_count_the_points_and_stay_unpublished(exported):
    _, output, _ = exported
    archive = zipfile.ZipFile(io.BytesIO(output.data))
    [meta_name] = [n for n in archive.namelist() if n.endswith("assessment_meta.xml")]
    meta = etree.fromstring(archive.read(meta_name))
    ns = {"c": "http://canvas.instructure.com/xsd/cccv1p0"}
    assert meta.findtext("c:title", namespaces=ns) == "Fixture quiz"
    assert float(meta.findtext("c:points_possible", namespaces=ns)) == len(output.included)
    assert meta.findtext("c:available", namespaces=ns) == "false"


def test_the_assessment_ident_depends_on_the_title_only(exported):
    items, output, assessment = exported
    again = to_qti(list(reversed(items)), fixture_banks(), Options(title="Fixture quiz", course=FIXTURE_COURSE))
    other = to_qti(items, fixture_banks(), Options(title="Another quiz"))
    ident = assessment.find("q:assessment", NS).get("ident")
    assert read_package(again.data)[2].find("q:assessment", NS).get("ident") == ident
    assert read_package(other.data)[2].find("q:assessment", NS).get("ident") != ident
