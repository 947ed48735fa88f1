"""LaTeX for one paper version (what students get) and for its key (what markers get).

The student version prints stems, options, events, matching entries and units, and
nothing else from the bank: no answers, explanations, feedback or item ids. The key
prints, per question, the answer in the letters of that version.
"""

from __future__ import annotations

import re

from ..escape import escape_latex
from ..model import ITEM_TYPES, Passage, format_number
from ..notation import letter
from ..sets import passage_runs, set_heading
from .templates import INSTRUCTIONS, KEY, PREAMBLE, VERSION
from .versions import PaperQuestion, PaperVersion

DEFAULT_TITLE = "Quiz"  # a book sets its own: quizkit_paper_title in its configuration
PAPER_SIZES = {"a4": "a4paper", "letter": "letterpaper"}
EXPLANATION_CHARS = 220  # a key line, not a lecture: the chapter has the rest
_BLANK_LINES = re.compile(r"\n\s*\n")


def tex(text: str) -> str:
    """Bank text as LaTeX: escaped, and with a blank line kept as a paragraph break."""
    return "\n\n".join(escape_latex(part.strip()) for part in _BLANK_LINES.split(text))


def tex_inline(text: str) -> str:
    """Bank text for a table cell or a heading: escaped, on one line."""
    return escape_latex(" ".join(text.split()))


def _preamble(title: str, header: str, paper: str) -> str:
    return PREAMBLE.substitute(paper=PAPER_SIZES[paper], title=tex_inline(title),
                               header=header)


# -- the student version ----------------------------------------------------------


def render_version(version: PaperVersion, *, title: str = DEFAULT_TITLE,
                   paper: str = "a4") -> str:
    used = {q.item.type for q in version.questions}
    instructions = "\n".join(f"\\item {INSTRUCTIONS[kind]}" for kind in ITEM_TYPES
                             if kind in used)
    return VERSION.substitute(
        preamble=_preamble(title, f"Version {version.letter}", paper),
        title=tex_inline(title), letter=version.letter, count=len(version.questions),
        instructions=instructions,
        questions="\n".join(_with_passages(version)))


def _with_passages(version: PaperVersion) -> list[str]:
    """Each question's LaTeX, a set's passage once before the set's first question."""
    blocks = []
    runs = passage_runs([q.item for q in version.questions])
    for question, (passage, length, _) in zip(version.questions, runs):
        if passage is not None:
            blocks.append(passage_latex(passage, set_heading(question.number, length)))
        blocks.append(render_question(question))
    return blocks


def passage_latex(passage: Passage, heading: str, text=tex_inline) -> str:
    """A framed passage (title, the questions it serves, paragraphs, table, source),
    printed once before its set. Plain text, escaped like stems; ``text`` turns one
    bank text into LaTeX (the book passes one that also labels reference keys)."""
    lines = [r"\par\medskip\noindent\fbox{\begin{minipage}"
             r"{\dimexpr\linewidth-2\fboxsep-2\fboxrule\relax}",
             f"\\textbf{{{text(passage.title)}}}\\quad\\textit{{{tex_inline(heading)}}}"
             r"\par\smallskip"]
    lines += [f"{text(paragraph)}\\par" for paragraph in passage.paragraphs()]
    if passage.table is not None:
        table = passage.table
        # Columns as wide as their longest entry needs, none narrower than a number's.
        needs = [max(len(cell) for cell in column) for column in
                 zip(table.header, *(row for row in table.rows if len(row) == len(table.header)))]
        needs = [max(need, 10) for need in needs]
        columns = [f"p{{\\dimexpr{need / sum(needs):.3f}\\linewidth-2\\tabcolsep\\relax}}"
                   for need in needs]
        lines.append(r"\smallskip\noindent\begin{tabular}{@{}" + "".join(columns) + "@{}}")
        lines.append(" & ".join(f"\\textbf{{{text(c)}}}" for c in table.header)
                     + r" \tabularnewline\hline")
        lines += [" & ".join(text(c) for c in row) + r" \tabularnewline" for row in table.rows]
        lines.append(r"\end{tabular}\par")
    source = passage.source.id + (f", {passage.source.locator}" if passage.source.locator else "")
    lines.append(f"\\smallskip{{\\footnotesize Source: {text(source)}}}")
    lines.append(r"\end{minipage}}\par\medskip")
    return "\n".join(lines) + "\n"


def render_question(question: PaperQuestion) -> str:
    item = question.item
    lines = [f"\\begin{{question}}{{{question.number}}}{tex(item.stem)}\\par\\smallskip"]
    if item.type in ("single", "multiple"):
        lines += [_option(k, item.options[i].text) for k, i in enumerate(question.option_order)]
        if item.type == "single":
            lines.append(r"\answerrow{Answer (one letter): \letterbox}")
        else:
            lines.append(r"\answerrow{Answer (all correct letters): \answerbox{7em}}")
    elif item.type == "numeric":
        unit = f"\\ {tex_inline(item.unit)}" if item.unit else ""
        lines.append(rf"\answerrow{{Answer: \answerline{{10em}}{unit}}}")
    elif item.type == "text":
        lines.append(r"\answerrow{Answer: \answerline{0.6\linewidth}}")
    elif item.type == "order":
        lines += [_option(k, item.events[i]) for k, i in enumerate(question.option_order)]
        boxes = r"\ ".join([r"\letterbox"] * len(question.option_order))
        lines.append(rf"\answerrow{{Earliest\quad {boxes}\quad latest}}")
    elif item.type == "match":
        lines.append(r"\textit{Write the letter of the matching entry in each box.}"
                     r"\par\smallskip")
        # Each column loses 1em: the question's text is indented by 2em.
        column = r"L{\dimexpr0.47\linewidth-1em\relax}"
        lines.append(rf"\begin{{tabular}}{{@{{}}{column}@{{\hspace{{0.04\linewidth}}}}"
                     rf"{column}@{{}}}}")
        rows = max(len(item.pairs), len(question.option_order))
        for n in range(rows):
            left = (f"\\matchleft{{{n + 1}}}{{{tex_inline(item.pairs[n].left)}}}"
                    if n < len(item.pairs) else "")
            right = (_option(n, item.pairs[question.option_order[n]].right)
                     if n < len(question.option_order) else "")
            lines.append(f"{left} & {right} \\tabularnewline")
        lines.append(r"\end{tabular}")
    lines.append(r"\end{question}")
    return "\n".join(lines) + "\n"


def _option(position: int, text: str) -> str:
    return f"\\option{{{letter(position)}}}{{{tex_inline(text)}}}"


# -- the key ----------------------------------------------------------------------


def render_key(version: PaperVersion, *, title: str = DEFAULT_TITLE, paper: str = "a4") -> str:
    rows = "\n".join(_key_row(q) for q in version.questions)
    return KEY.substitute(
        preamble=_preamble(title, f"Version {version.letter} \u2014 answer key", paper),
        title=tex_inline(title), letter=version.letter, count=len(version.questions),
        rows=rows)


def _key_row(question: PaperQuestion) -> str:
    item = question.item
    answer = f"\\textbf{{{tex_inline(question.answer)}}}"
    extra = ""
    if item.type == "numeric" and item.answer is not None:
        if item.answer.tolerance:
            extra = f"\u00b1\u2009{format_number(item.answer.tolerance)}"
        if item.unit:
            extra = f"{extra} {item.unit}".strip()
    elif item.type == "text" and len(item.accept) > 1:
        extra = "also: " + "; ".join(item.accept[1:])
    if extra:
        answer += f"\\newline{{\\footnotesize {tex_inline(extra)}}}"
    return (f"{question.number} & {answer} & {tex_inline(item.id)} & "
            f"{tex_inline(short_explanation(item.explanation))} \\tabularnewline")


def short_explanation(text: str, limit: int = EXPLANATION_CHARS) -> str:
    """The explanation cut at a word near ``limit`` characters, marked with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"
