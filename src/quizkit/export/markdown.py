"""Markdown for instructors: every question with its answer, feedback, explanation and
source, grouped by bank; or (``Options(answers=False)``) the questions alone, lettered
as on paper, to hand out or project.

Bank texts are plain text, so every character Markdown (CommonMark, GFM or MyST)
could read as markup is backslash-escaped: the page shows exactly what the bank says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Bank, Item
from ..notation import letter
from ..sets import passage_runs, set_heading
from ..shuffle import event_display_order, right_display_order
from .common import Options, Output, bank_groups

SUFFIX = ".md"
SUFFIX_NO_ANSWERS = "-questions.md"

# Characters that start emphasis, code, links, HTML, entities, strikethrough,
# tables, headings or (in MyST) maths anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>&~$|#])")
# At the start of a line only: list items, setext underlines, ordered lists.
_LINE_START = re.compile(r"(?m)^(\s*)([+\-=])")
_ORDERED = re.compile(r"(?m)^(\s*\d+)([.)])")


def md_escape(text: str) -> str:
    """Plain text as Markdown that displays exactly that text; a line break stays one."""
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _ORDERED.sub(r"\1\\\2", text)
    return text.replace("\n", "  \n")


def to_markdown(items: Sequence[Item], banks: Sequence[Bank], options: Options = Options()) -> Output:
    what = ("answers, feedback, explanations and sources for instructors" if options.answers
            else "questions only, without answers")
    lines = [f"# {md_escape(options.title)}", "", f"{len(items)} questions: {what}.", ""]
    number = 0
    ids = []
    for bank, run in bank_groups(items, banks):
        lines += [f"## {md_escape(bank.title)}", ""]
        for passage, length, item in passage_runs(run):
            number += 1
            ids.append(item.id)
            if passage is not None:
                lines += _passage(passage, set_heading(number, length))
            lines += _item(item, number, options.answers)
    return Output(("\n".join(lines).rstrip("\n") + "\n").encode("utf-8"), tuple(ids))


def _passage(passage, heading: str) -> list[str]:
    """A passage as a Markdown block quote, before its set's first question."""
    lines = [f"> **{md_escape(passage.title)}** *{md_escape(heading)}*", ">"]
    for paragraph in passage.paragraphs():
        lines += [f"> {md_escape(paragraph)}", ">"]
    if passage.table is not None:
        lines.append("> | " + " | ".join(md_escape(c) for c in passage.table.header) + " |")
        lines.append("> |" + "---|" * len(passage.table.header))
        lines += ["> | " + " | ".join(md_escape(c) for c in row) + " |"
                  for row in passage.table.rows]
        lines.append(">")
    lines += [f"> Source: {md_escape(passage.source.citation_text())}", ""]
    return lines


def _item(item: Item, number: int, answers: bool) -> list[str]:
    about = f"{item.type}, {item.pool}, {item.difficulty}" if answers else item.type
    lines = [f"### {number}. `{item.id}` ({about})", "", md_escape(item.stem), ""]
    lines += (_ANSWERED if answers else _QUESTION)[item.type](item)
    if answers:
        if item.feedback.correct:
            lines += [f"*If right:* {md_escape(item.feedback.correct)}", ""]
        if item.feedback.incorrect:
            lines += [f"*If wrong:* {md_escape(item.feedback.incorrect)}", ""]
        lines += [f"**Explanation:** {md_escape(item.explanation)}", "",
                  f"**Source:** {md_escape(item.source.citation_text())}", "",
                  f"**Objective:** {md_escape(item.objective)}", ""]
    return lines


# -- with answers ------------------------------------------------------------------


def _choices_answered(item: Item) -> list[str]:
    lines = []
    for index, option in enumerate(item.options):
        mark = " **(correct)**" if option.correct else ""
        line = f"- **{letter(index)}.** {md_escape(option.text)}{mark}"
        if option.feedback:
            line += f"  \n  *Feedback:* {md_escape(option.feedback)}"
        lines.append(line)
    return [*lines, ""]


def _answer_line(item: Item) -> list[str]:
    return [f"**Answer:** {md_escape(item.answer_text())}", ""]


def _accepted(item: Item) -> list[str]:
    return ["**Accepted answers:** " + "; ".join(md_escape(a) for a in item.accept), ""]


def _order_answered(item: Item) -> list[str]:
    return ["**Correct order:**", "",
            *[f"{n}. {md_escape(event)}" for n, event in enumerate(item.events, start=1)], ""]


def _match_answered(item: Item) -> list[str]:
    return ["**Pairs:**", "",
            *[f"- {md_escape(pair.left)} → {md_escape(pair.right)}" for pair in item.pairs], ""]


_ANSWERED = {"single": _choices_answered, "multiple": _choices_answered,
             "numeric": _answer_line, "text": _accepted, "order": _order_answered,
             "match": _match_answered}


# -- questions only (lettered as on paper) -------------------------------------------


def _choices_question(item: Item) -> list[str]:
    hint = [] if item.type == "single" else ["*Choose all that apply.*", ""]
    return [*hint, *[f"- **{letter(i)}.** {md_escape(o.text)}" for i, o in enumerate(item.options)], ""]


def _numeric_question(item: Item) -> list[str]:
    unit = f" ({md_escape(item.unit)})" if item.unit else ""
    return [f"Answer{unit}: ______", ""]


def _text_question(item: Item) -> list[str]:
    return ["Answer: ______", ""]


def _order_question(item: Item) -> list[str]:
    order = event_display_order(item)
    return ["*Write the letters in chronological order, earliest first.*", "",
            *[f"- **{letter(pos)}.** {md_escape(item.events[i])}" for pos, i in enumerate(order)], ""]


def _match_question(item: Item) -> list[str]:
    order = right_display_order(item)
    return ["*Write one letter for each numbered entry.*", "",
            *[f"{n}. {md_escape(pair.left)}" for n, pair in enumerate(item.pairs, start=1)], "",
            *[f"- **{letter(pos)}.** {md_escape(item.pairs[i].right)}" for pos, i in enumerate(order)], ""]


_QUESTION = {"single": _choices_question, "multiple": _choices_question,
             "numeric": _numeric_question, "text": _text_question,
             "order": _order_question, "match": _match_question}
