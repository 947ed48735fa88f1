"""A reader of GIFT files that applies Moodle's own import rules, re-implemented from
moodle/moodle ``question/format/gift/format.php`` (``qformat_gift``; no maintained
Python parser of Moodle's GIFT exists on PyPI: ``pygiftparser`` 1.1 predates Moodle's
``[id:]``/``[tag:]`` comments and applies its own escaping rules):

* questions are blocks of lines separated by blank lines (``qformat_default::readquestions``);
* lines starting with ``//`` are comments; ``extract_idnumber_and_tags_from_comment``
  reads ``[id:…]`` (the first) and every ``[tag:…]`` from them (``\\]`` is a ``]``;
  a tag may not contain ``<`` or ``>``);
* ``escapedchar_pre``/``escapedchar_post`` (``\\\\``, ``\\:``, ``\\#``, ``\\=``, ``\\{``,
  ``\\}``, ``\\~``, ``\\n``); ``$CATEGORY:``; ``::name::``; the answer block between the first
  ``{`` and the first ``}``; general feedback after the last ``####``;
  ``parse_text_with_format`` (a leading ``[html]``-style marker, then trim);
* no ``{`` and no ``}`` at all: a description ("No answer means it's a description"),
  imported with ``defaultmark`` 0 and ``length`` 0, its whole text the question text;
* the question type from the answer block (``#`` numerical, ``~`` multichoice, ``=`` with
  ``->`` match, else short answer), and each type's parsing of weights (``%…%``),
  feedback (``#``), pairs (``->``) and numbers (``value:tolerance``).

Grading is Moodle's question engine, as in ``lms_moodle``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from support.lms_moodle import php_trim, split_category_path
from support.lms import Choice, Imported, shown_paragraphs, shown_text

_PRE = [("\\:", "&&058;"), ("\\#", "&&035;"), ("\\=", "&&061;"), ("\\{", "&&123;"),
        ("\\}", "&&125;"), ("\\~", "&&126;"), ("\\n", "&&010")]
_POST = [("&&058;", ":"), ("&&035;", "#"), ("&&061;", "="), ("&&123;", "{"), ("&&125;", "}"),
         ("&&126;", "~"), ("&&010", "\n")]
_WEIGHT = re.compile(r"^%\-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = {"moodle", "html", "plain", "markdown"}


def escapedchar_pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _PRE:
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def escapedchar_post(text: str) -> str:
    for placeholder, char in _POST:
        text = text.replace(placeholder, char)
    return text


def parse_text_with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end]
        if name in _FORMATS:
            fmt, text = name, text[end + 1:]
    return php_trim(escapedchar_post(text)), fmt


def extract_idnumber_and_tags(comments: str) -> tuple[str, list[str]]:
    found = re.search(r"\[id:((?:\\\]|[^\]\[\x00-\x1f\x7f])+)\]", comments)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    tags = [raw.strip().replace("\\]", "]")
            for raw in re.findall(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]", comments)]
    return idnumber, tags


def _weight(answer: str) -> tuple[float, str]:
    answer = answer[1:]
    end = answer.find("%")
    return float(answer[:end] or 0) / 100, answer[end + 1:]


def _comment(answer: str, fmt: str) -> tuple[str, str]:
    bits = answer.split("#", 1)
    text, _ = parse_text_with_format(php_trim(bits[0]), fmt)
    feedback = parse_text_with_format(php_trim(bits[1]), fmt)[0] if len(bits) > 1 else ""
    return text, feedback


def _shown(text: str, fmt: str) -> str:
    return shown_text(text) if fmt in ("html", "moodle") else text


def read_gift(data: bytes) -> list[Imported]:
    blocks, current = [], []
    for line in data.decode("utf-8").split("\n"):
        if php_trim(line) == "":
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    questions, category = [], None
    for block in blocks:
        question = read_question(block)
        if question is None:
            continue
        if question.qtype == "category":
            category = question.category
            continue
        question.category = category
        questions.append(question)
    return questions


def read_question(lines: list[str]) -> Imported | None:
    comments = ""
    kept = []
    for line in lines:
        if php_trim(line).startswith("//"):
            comments += php_trim(line) + "\n"
            kept.append(" ")
        else:
            kept.append(line)
    text = php_trim("\n".join(kept))
    if text == "":
        return None
    text = escapedchar_pre(text)
    if text.startswith("$CATEGORY:"):
        return Imported(ident="", qtype="category", name="", text=[],
                        category=split_category_path(php_trim(text[10:])))
    name = ""
    if text.startswith("::"):
        text = text[2:]
        finish = text.find("::")
        name = escapedchar_post(text[:finish])
        text = php_trim(text[finish + 2:])
    start, finish = text.find("{"), text.find("}")
    if start == -1 and finish == -1:  # readquestion: "No answer means it's a description."
        stem, fmt = parse_text_with_format(text)
        idnumber, tags = extract_idnumber_and_tags(comments)
        return Imported(ident=name, qtype="description", name=name,
                        text=shown_paragraphs(stem) if fmt == "html" else [stem],
                        idnumber=idnumber or None, tags=tags,
                        raw={"defaultmark": 0.0, "length": 0, "html": stem})
    answertext = php_trim(text[start + 1:finish])
    # Text after the answers makes a missing-word question: the blank is marked.
    blank = "" if text.endswith("}") else "_____"
    questiontext = text[:start] + blank + text[finish + 1:]
    general = ""
    if "####" in answertext:
        cut = answertext.rfind("####")
        general, answertext = answertext[cut + 4:], php_trim(answertext[:cut])
    stem, fmt = parse_text_with_format(questiontext)
    general_text, _ = parse_text_with_format(general, fmt)
    idnumber, tags = extract_idnumber_and_tags(comments)
    question = Imported(ident=name, qtype="", name=name,
                        text=shown_paragraphs(stem) if fmt == "html" else [stem],
                        general_feedback=shown_paragraphs(general_text),
                        idnumber=idnumber or None, tags=tags)
    if answertext.startswith("#"):
        _numerical(question, answertext, fmt)
    elif "~" in answertext:
        _multichoice(question, answertext, fmt)
    elif "=" in answertext and "->" in answertext:
        _match(question, answertext, fmt)
    else:
        _shortanswer(question, answertext, fmt)
    return question


def _split(answertext: str, separator: str) -> list[str]:
    answers = answertext.split(separator)
    answers[0] = php_trim(answers[0])
    return answers[1:] if not answers[0] else answers


def _multichoice(question: Imported, answertext: str, fmt: str) -> None:
    question.qtype = "multichoice"
    question.raw = {"single": "=" in answertext}
    for answer in _split(answertext.replace("=", "~="), "~"):
        answer = php_trim(answer)
        if answer.startswith("="):
            weight, answer = 1.0, answer[1:]
        elif _WEIGHT.match(answer):
            weight, answer = _weight(answer)
        else:
            weight = 0.0
        text, feedback = _comment(answer, fmt)
        question.choices.append(Choice(_shown(text, fmt), weight, _shown(feedback, fmt)))


def _match(question: Imported, answertext: str, fmt: str) -> None:
    question.qtype = "match"
    stems = []
    for answer in _split(answertext, "="):
        answer = php_trim(answer)
        marker = answer.find("->")
        left, _ = parse_text_with_format(answer[:marker], fmt)
        right = php_trim(escapedchar_post(answer[marker + 2:]))
        stems.append((_shown(left, fmt), shown_text(right)))  # subanswers are shown as HTML
    question.lefts = [left for left, _ in stems]
    question.rights = list(dict.fromkeys(right for _, right in stems))
    question.raw = {"stems": stems}


def _shortanswer(question: Imported, answertext: str, fmt: str) -> None:
    question.qtype = "shortanswer"
    answers = []
    for answer in _split(answertext, "="):
        answer = php_trim(answer)
        weight, answer = _weight(answer) if _WEIGHT.match(answer) else (1.0, answer)
        text, feedback = _comment(answer, fmt)
        answers.append((text, weight, _shown(feedback, fmt)))
    question.raw = {"usecase": False, "answers": answers}
    question.answers = [text for text, weight, _ in answers if weight == 1.0]
    question.correct_feedback = next((fb for _, w, fb in answers if w == 1.0), "")
    question.incorrect_feedback = next((fb for t, w, fb in answers if t == "*" and w == 0), "")


def _numerical(question: Imported, answertext: str, fmt: str) -> None:
    question.qtype = "numerical"
    answertext = answertext[1:]
    wrong = ""
    if "~" in answertext:
        cut = answertext.find("~")
        wrong, answertext = answertext[cut:], answertext[:cut]
    answers = []
    for answer in _split(answertext, "="):
        answer = php_trim(answer)
        weight, answer = _weight(answer) if _WEIGHT.match(answer) else (1.0, answer)
        text, feedback = _comment(answer, fmt)
        value, _, tolerance = text.partition(":")
        answers.append((php_trim(value), php_trim(tolerance) or "0", weight, _shown(feedback, fmt)))
    if wrong:
        _, feedback = _comment(wrong, fmt)
        answers.append(("*", "", 0.0, _shown(feedback, fmt)))
    question.raw = {"answers": answers}
    question.numeric = [(Decimal(v), Decimal(t)) for v, t, w, _ in answers if v != "*" and w == 1.0]
    question.correct_feedback = next((fb for _, _, w, fb in answers if w == 1.0), "")
    question.incorrect_feedback = next((fb for v, _, _, fb in answers if v == "*"), "")
