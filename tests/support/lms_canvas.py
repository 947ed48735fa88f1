"""A reader of Canvas QTI 1.2 packages that applies Canvas's own import and grading
rules (classic quizzes), re-implemented from their source:

* instructure/QTIMigrationTool ``lib/imsqtiv1.py`` (Canvas converts QTI 1.2 to 2.x with
  it before import): ``CheckNMTOKEN``/``ReadIdentifier`` (a response label ident not
  starting with a letter or ``_`` gets the prefix ``RESPONSE_``, other characters
  become ``-``, and in labels ``.``/``:`` become ``_``, while ``varequal`` values get
  only ``CheckNMTOKEN``); ``MatText`` (a ``mattext`` without ``texttype`` is HTML;
  ``text/plain`` is kept in a ``<div class="text">``, ``text/html`` as its source in a
  ``<div class="html">``).
* instructure/canvas-lms ``gems/plugins/qti_exporter/lib/qti/``:
  ``assessment_item_converter.rb`` (question type from ``question_type``; feedback by
  ident: ``/wrong|incorrect/`` → incorrect, ``/correct/`` → correct, ``general_`` →
  neutral; ``attach_feedback_values`` takes an answer's feedback from the first
  ``div`` of its ``modalFeedback``), ``html_helper.rb`` (``detect_html``,
  ``clear_html``, ``sanitize_html!`` with ``remove_extraneous_nodes``),
  ``choice_interaction.rb`` (answer text, weights from the response conditions in
  order), ``extended_text_interaction.rb`` (short-answer texts), ``numeric_interaction.rb``
  (exact answer and ``margin = BigDecimal(upper) - BigDecimal(exact)``),
  ``text_only_question``: ``create_instructure_question`` skips ``parse_question_data``
  for it (``%w(text_only_question file_upload_question)``), so only the question text
  is read and no answer is imported; ``associate_interaction.rb`` (``canvas_matching``: a right choice's ``match_id`` is
  the first run of digits of its ident; ``answer[:right]`` goes through
  ``CGI.unescapeHTML``).
* instructure/canvas-lms ``app/models/quizzes/quiz_question/``: ``multiple_choice_question.rb``,
  ``multiple_answers_question.rb``, ``short_answer_question.rb`` (``CGI::escapeHTML(x)
  .strip.downcase`` on both sides), ``numerical_question.rb`` (BigDecimal bounds,
  inclusive), ``matching_question.rb`` (a pairing is right when the chosen match id
  belongs to this answer, or to an answer with the same right text), ``base.rb`` and
  ``user_answer.rb`` (score = correct parts / total parts, minus one part per wrong
  choice for multiple answers, never below 0).

A "QTI .zip file" import runs with no flavour, so answer ids are local random numbers
(``get_or_generate_answer_id``); this reader numbers them in order instead, which
changes nothing a student sees or scores.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

from bs4 import BeautifulSoup
from lxml import etree

from support.lms import Choice, Imported, shown_paragraphs, shown_text

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
NS = {"q": QTI, "cp": CP}

_NMTOKEN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:")
_NMSTART = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_RUBY_SPACE = "\x00\t\n\v\f\r "


# -- QTIMigrationTool --------------------------------------------------------------------


def check_nmtoken(token: str, prefix: str = "RESPONSE_") -> str:
    new = ""
    for char in token.strip():
        if char not in _NMTOKEN and ord(char) < 128:
            char = "-"
        if not new and char not in _NMSTART:
            new = prefix
        new += char
    return new


def read_identifier(value: str) -> str:
    return check_nmtoken(value).replace(":", "_").replace(".", "_")


def material(parent) -> tuple[str, str] | None:
    """``("text", plain)`` or ``("html", source)`` for the first ``mattext`` below."""
    mattext = parent.find(".//q:mattext", NS)
    if mattext is None:
        return None
    kind = "text" if mattext.get("texttype") == "text/plain" else "html"
    return kind, mattext.text or ""


# -- html_helper.rb ------------------------------------------------------------------------


def ruby_strip(text: str) -> str:
    return text.strip(_RUBY_SPACE)


def clear_html(text: str) -> str:
    text = re.sub(r"</?[^>\n]*>", "", text)
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
    text = re.sub(r"&\w+;", "", text)
    return re.sub(r"(?:\\r\\n)+", "\n", text)


def _sanitized(fragment: BeautifulSoup) -> tuple[str, bool]:
    """``sanitize_html!(node, true)``: strip blank text and ``<br>`` at both ends,
    unwrap attribute-less lone ``p``/``div``/``span`` layers; the inner HTML, and
    whether it is more than one text node (the HTML heuristic)."""
    node = fragment
    while True:
        children = [c for c in node.children]
        while children and ((isinstance(children[0], str) and not children[0].strip())
                            or getattr(children[0], "name", None) == "br"):
            children[0].extract()
            children = children[1:]
        while children and ((isinstance(children[-1], str) and not children[-1].strip())
                            or getattr(children[-1], "name", None) == "br"):
            children[-1].extract()
            children = children[:-1]
        if not (len(children) == 1 and getattr(children[0], "name", None) in ("p", "div", "span")):
            break
        if children[0].attrs:
            break
        node = children[0]
    children = list(node.children)
    single_text = len(children) == 1 and isinstance(children[0], str)
    inner = "".join(html.escape(str(c), quote=False) if isinstance(c, str) else str(c)
                    for c in children).strip()
    return inner, not single_text


def detect_html(kind: str, content: str, container_is_node: bool) -> tuple[str, str | None]:
    """``detect_html``: the stored ``(text, html)`` of a converted material.

    ``container_is_node`` is true where Canvas passes the ``<div>`` itself (answer
    feedback, via ``attach_feedback_values``), so that ``at_css('div.text')``, which
    searches below the node, does not find it.
    """
    if kind == "text" and not container_is_node:
        return ruby_strip(content), None
    if kind == "text":
        # The div's own text node, serialised: "a < b" is stored as "a &lt; b".
        inner, _ = _sanitized(BeautifulSoup(html.escape(content, quote=False), "html.parser"))
        return re.sub(r"\s+", " ", inner).strip(), None
    text = ruby_strip(clear_html(re.sub(r"\s+", " ", content)))
    inner, is_html = _sanitized(BeautifulSoup(content, "html.parser"))
    if inner:
        if is_html:
            return text, inner
        return re.sub(r"\s+", " ", inner).strip(), None
    return text, None


def shown(stored: tuple[str, str | None]) -> str:
    """What the student sees: the HTML when Canvas kept HTML, else the text as typed."""
    text, markup = stored
    if markup is not None:
        return shown_text(markup)
    return text


# -- the package ----------------------------------------------------------------------------


def read_package(data: bytes) -> list[Imported]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    questions = []
    for resource in manifest.findall("cp:resources/cp:resource[@type='imsqti_xmlv1p2']", NS):
        href = resource.find("cp:file", NS).get("href")
        assessment = etree.fromstring(archive.read(href))
        questions += [read_item(item) for item in assessment.iterfind(".//q:item", NS)]
    return questions


def _metadata(item) -> dict[str, str]:
    return {f.findtext("q:fieldlabel", namespaces=NS): f.findtext("q:fieldentry", namespaces=NS)
            for f in item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS)}


def _feedback_nodes(item) -> dict[str, tuple[str, str]]:
    return {fb.get("ident"): material(fb) for fb in item.findall("q:itemfeedback", NS)}


def read_item(item) -> Imported:
    meta = _metadata(item)
    qtype = meta.get("question_type", "")
    stem_kind, stem = material(item.find("q:presentation", NS))
    question = Imported(ident=item.get("ident"), qtype=qtype, name=item.get("title") or "",
                        text=_paragraphs(stem_kind, stem))
    feedback = _feedback_nodes(item)
    for ident, (kind, content) in feedback.items():
        stored = shown(detect_html(kind, content, container_is_node=False))
        if re.search(r"wrong|incorrect|_IC$", ident, re.I):
            question.incorrect_feedback = stored
        elif re.search(r"correct|_C$", ident, re.I):
            question.correct_feedback = stored
        elif re.search(r"general_|_all", ident, re.I):
            question.general_feedback = _paragraphs(kind, content)
    if qtype == "text_only_question":  # no parse_question_data: text only, no answers
        question.raw = {"points_possible": float(meta.get("points_possible", "1")),
                        "html": stem}
        return question
    conditions = item.findall("q:resprocessing/q:respcondition", NS)
    reader = {"multiple_choice_question": _choices, "multiple_answers_question": _choices,
              "short_answer_question": _short_answer, "numerical_question": _numerical,
              "matching_question": _matching}[qtype]
    reader(question, item, conditions, feedback)
    return question


def _paragraphs(kind: str, content: str) -> list[str]:
    return [ruby_strip(content)] if kind == "text" else shown_paragraphs(content)


def _displayed_feedback_id(condition) -> str | None:
    shown_fb = condition.find("q:displayfeedback", NS)
    return shown_fb.get("linkrefid") if shown_fb is not None else None


def _score_of(condition) -> float:
    setvar = condition.find("q:setvar", NS)
    if setvar is None or setvar.get("varname", "SCORE") != "SCORE":
        return 0.0
    try:
        return 100.0 if float(setvar.text) > 0 else 0.0
    except (TypeError, ValueError):
        return 0.0


def _answer_feedback(feedback, feedback_id) -> str:
    if feedback_id not in feedback:
        return ""
    kind, content = feedback[feedback_id]
    return shown(detect_html(kind, content, container_is_node=True))


# -- choice_interaction.rb ------------------------------------------------------------------


def _choices(question: Imported, item, conditions, feedback) -> None:
    labels = item.findall("q:presentation//q:response_label", NS)
    by_id: dict[str, dict] = {}
    answers = []
    for label in labels:
        kind, content = material(label)
        if kind == "text":
            text = ruby_strip(content)
            markup = None
        else:
            text = re.sub(r"\s+", " ", ruby_strip(clear_html(content)))
            inner, _ = _sanitized(BeautifulSoup(content, "html.parser"))
            markup = inner if inner and inner != html.escape(text) else None
        answer = {"text": text, "html": markup, "weight": 0.0, "feedback_id": None}
        by_id[read_identifier(label.get("ident"))] = answer
        answers.append(answer)
    for condition in conditions:
        conditionvar = condition.find("q:conditionvar", NS)
        members = conditionvar.findall("q:and/q:varequal", NS)
        if members:  # responseIf > and > member: every bare one is correct
            for member in members:
                answer = by_id.get(check_nmtoken(member.text or ""))
                if answer is not None:
                    answer["weight"] = 100.0
                    answer["feedback_id"] = answer["feedback_id"] or _displayed_feedback_id(condition)
            continue
        match = conditionvar.find(".//q:varequal", NS)
        if match is not None:
            answer = by_id.get(check_nmtoken(match.text or ""))
            if answer is not None:
                answer["weight"] = _score_of(condition)
                answer["feedback_id"] = answer["feedback_id"] or _displayed_feedback_id(condition)
    for answer in answers:
        text = shown((answer["text"], answer["html"]))
        question.choices.append(Choice(text, answer["weight"] / 100,
                                       _answer_feedback(feedback, answer["feedback_id"])))


# -- extended_text_interaction.rb -------------------------------------------------------------


def _short_answer(question: Imported, item, conditions, feedback) -> None:
    for condition in conditions:
        for match in condition.iterfind("q:conditionvar//q:varequal", NS):
            text = match.text or ""
            if text != "" and text not in question.answers:
                question.answers.append(text)


# -- numeric_interaction.rb -------------------------------------------------------------------


def _numerical(question: Imported, item, conditions, feedback) -> None:
    for condition in conditions:
        either = condition.find("q:conditionvar/q:or", NS)
        if either is None:
            continue
        exact = either.find("q:varequal", NS)
        upper = either.find("q:and/q:varlte", NS)
        if exact is None:
            continue
        exact_value = Decimal(repr(float(exact.text)))  # exact.text.to_f, then BigDecimal(to_s)
        margin = Decimal(upper.text) - Decimal(exact.text) if upper is not None else Decimal(0)
        question.numeric.append((exact_value, Decimal(repr(float(margin)))))


# -- associate_interaction.rb (canvas_matching) ------------------------------------------------


def _matching(question: Imported, item, conditions, feedback) -> None:
    lids = item.findall("q:presentation/q:response_lid", NS)
    matches, match_map = [], {}
    local = iter(range(10_000_000, 20_000_000))  # unique_local_id stand-ins: never digits of ours
    for label in lids[0].findall("q:render_choice/q:response_label", NS):
        ident = read_identifier(label.get("ident"))
        digits = re.search(r"\d+", ident)
        kind, content = material(label)
        match = {"match_id": int(digits.group()) if digits else next(local),
                 "text": ruby_strip(content)}
        matches.append(match)
        match_map[ident] = match
    answers = []
    for lid in lids:
        kind, content = material(lid)
        left = shown(detect_html(kind, content, container_is_node=False))
        answer = {"ident": check_nmtoken(lid.get("ident")), "left": left, "match_id": None}
        answers.append(answer)
    by_response = {a["ident"]: a for a in answers}
    for condition in conditions:
        for match in condition.iterfind("q:conditionvar//q:varequal", NS):
            answer = by_response.get(check_nmtoken(match.get("respident") or ""))
            setvar = condition.find("q:setvar", NS)
            target = match_map.get(check_nmtoken(match.text or ""))
            if answer and setvar is not None and setvar.get("action") == "Add" and target:
                answer["match_id"] = target["match_id"]
    for answer in answers:
        found = next((m for m in matches if m["match_id"] == answer["match_id"]), None)
        answer["right"] = html.unescape(found["text"]) if found else None  # CGI.unescapeHTML
    question.lefts = [a["left"] for a in answers]
    question.rights = [m["text"] for m in matches]
    question.raw = {"answers": answers, "matches": matches}


# -- grading (app/models/quizzes/quiz_question) -------------------------------------------------


def grade(question: Imported, response) -> float:
    """The fraction of the mark Canvas gives ``response``.

    Choices: a set of indices into ``question.choices``. Short answer and numeric: the
    typed text. Matching: for each left side (by index), the index of the drop-down
    entry (``question.rights``) the student picked.
    """
    if question.qtype == "multiple_choice_question":
        [chosen] = response
        return 1.0 if question.choices[chosen].fraction == 1.0 else 0.0
    if question.qtype == "multiple_answers_question":
        total = sum(1 for c in question.choices if c.fraction == 1.0) or 1
        right = sum(1 for i in response if question.choices[i].fraction == 1.0)
        wrong = sum(1 for i in response if question.choices[i].fraction != 1.0)
        return max(0.0, (right - wrong) / total)
    if question.qtype == "short_answer_question":
        typed = ruby_strip(html.escape(response)).lower()
        return 1.0 if any(html.escape(ruby_strip(a).lower()) == typed and ruby_strip(a)
                          for a in question.answers) else 0.0
    if question.qtype == "numerical_question":
        try:
            number = Decimal(response)
        except InvalidOperation:
            return 0.0
        return 1.0 if any(value - margin <= number <= value + margin
                          for value, margin in question.numeric) else 0.0
    if question.qtype == "matching_question":
        answers, matches = question.raw["answers"], question.raw["matches"]
        correct = 0
        for index, answer in enumerate(answers):
            chosen = matches[response[index]]["match_id"]
            found = next((a for a in answers if a["match_id"] == chosen), None)
            if found is answer or (found is not None and found["right"] is not None
                                   and found["right"] == answer["right"]):
                correct += 1
        return correct / len(answers)
    raise ValueError(f"no grader for {question.qtype}")
