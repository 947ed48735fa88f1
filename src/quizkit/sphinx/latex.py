"""LaTeX for a printed quiz: numbered questions with empty boxes and lines to fill in.

The student edition never prints answers, feedback or explanations: the printed
student handout must not carry a key. The instructor edition (``with_key``) prints the
same page filled in: the correct boxes ticked, each order box and match box holding its
answer, and a "Key:" line under choice, numeric and text questions (order and match
boxes say it all), so that the answer sits beside the question rather than in a key at
the back. Order and match items use the same stable
shuffles as the web page.
"""

from __future__ import annotations

from ..escape import escape_latex as tex
from ..model import Item
from ..notation import letter
from ..paper.latex import passage_latex
from ..sets import passage_runs, set_heading
from ..shuffle import event_display_order, right_display_order
from .sources import key_pattern, label_keys_text

BOX = r"\fbox{\phantom{X}}"
WIDE_BOX = r"\fbox{\phantom{00}}"
ANSWER_LINE = r"\rule{0.5\linewidth}{0.4pt}"


def _filled(text: str, box: str = BOX) -> str:
    """A box the size of ``box`` with ``text`` centred in it (the instructor's copy)."""
    content = box.removeprefix(r"\fbox{").removesuffix("}")
    return rf"\fbox{{\sbox0{{{content}}}\makebox[\wd0][c]{{\textbf{{{text}}}}}}}"


def box_answers(item: Item) -> list[str]:
    """What the key writes in the boxes of a printed order or match item, top to bottom:
    each event's position (1 = earliest), or the letter of each left entry's match."""
    if item.type == "order":
        return [str(i + 1) for i in event_display_order(item)]
    if item.type == "match":
        shown = right_display_order(item)
        return [letter(shown.index(n)) for n in range(len(item.pairs))]
    return []


def _boxed_list(entries: list[str], boxes: list[str]) -> str:
    lines = [r"\begin{list}{}{\setlength{\leftmargin}{2.8em}\setlength{\labelwidth}{2.2em}"
             r"\setlength{\itemsep}{0.2ex}}"]
    lines += [f"\\item[{box}] {entry}" for box, entry in zip(boxes, entries)]
    lines.append(r"\end{list}")
    return "\n".join(lines)


def _item_body(item: Item, with_key: bool, tex=tex) -> str:
    if item.type in ("single", "multiple"):
        hint = "" if item.type == "single" else "\n\\textit{(Tick all that apply.)}"
        return hint + "\n" + _boxed_list([tex(o.text) for o in item.options],
                                         [_filled("X") if with_key and o.correct else BOX
                                          for o in item.options])
    if item.type in ("numeric", "text"):
        if with_key:
            return ""  # the key line below says it, with the other accepted answers
        unit = f" {tex(item.unit)}" if item.unit else ""
        return f"\n\\par\\medskip\\noindent Answer: {ANSWER_LINE}{unit}\\par"
    if item.type == "order":
        events = [tex(item.events[i]) for i in event_display_order(item)]
        boxes = ([_filled(answer, WIDE_BOX) for answer in box_answers(item)] if with_key
                 else [WIDE_BOX] * len(events))
        return (f"\n\\par\\noindent\\textit{{Number the events from 1 (earliest) to "
                f"{len(events)} (latest).}}\n" + _boxed_list(events, boxes))
    if item.type == "match":
        rights = [item.pairs[i].right for i in right_display_order(item)]
        boxes = ([_filled(answer) for answer in box_answers(item)] if with_key
                 else [BOX] * len(item.pairs))
        rows = [f"{box}\\quad {tex(pair.left)} & {letter(n)}.\\ {tex(right)} \\\\"
                for n, (box, pair, right) in enumerate(zip(boxes, item.pairs, rights))]
        return ("\n\\par\\noindent\\textit{Write the letter of the matching entry in each box.}"
                "\\par\\smallskip\\noindent\n"
                # Taller rows so that the boxes of neighbouring lines do not touch.
                r"{\renewcommand{\arraystretch}{1.6}"
                r"\begin{tabular}{@{}p{0.44\linewidth}p{0.44\linewidth}@{}}" + "\n"
                + "\n".join(rows) + "\n\\end{tabular}\\par}")
    return ""


def _key_line(item: Item, text=tex) -> str:
    return (r"\par\smallskip\noindent{\small\sffamily\textbf{Key:} "
            + text(item.answer_text()) + r"}\par")


def _lines_needed(item: Item, with_key: bool) -> int:
    """About how many lines a question takes, stem to last box: a question starts on a
    new page rather than leave its stem at the foot of one and its boxes on the next."""
    stem = 1 + len(item.stem) // 90
    parts = {"single": len(item.options), "multiple": len(item.options) + 1,
             "numeric": 2, "text": 2, "order": len(item.events) + 1,
             "match": 2 * len(item.pairs) + 1}[item.type]
    return min(stem + parts + 2 + (2 if with_key else 0), 20)


def render_quiz_latex(items: list[Item], *, title: str, with_key: bool = False,
                      sources: dict | None = None) -> str:
    """A titled ``enumerate`` of the questions, ready to drop into Sphinx's LaTeX body;
    ``with_key`` fills in the answers (instructor edition only). ``sources`` (see
    sources.py): a reference key in an item's text prints as the entry's short name and
    number."""
    pattern = key_pattern(sources or {})

    def text(value: str) -> str:
        return tex(label_keys_text(value, sources or {}, pattern))

    # The title never ends a page: it stays with the first question.
    first = _lines_needed(items[0], with_key) + 2 if items else 4
    parts = ["", rf"\par\needspace{{{first}\baselineskip}}\medskip\noindent\textbf{{"
             + tex(title) + r"}\par", r"\begin{enumerate}"]
    for number, (passage, length, item) in enumerate(passage_runs(items), start=1):
        if passage is not None:  # an unnumbered entry: the numbering runs on
            parts.append(r"\item[] " + passage_latex(passage, set_heading(number, length),
                                                       lambda value: text(" ".join(value.split()))))
        parts.append(rf"\needspace{{{_lines_needed(item, with_key)}\baselineskip}}"
                     r"\item " + text(item.stem) + _item_body(item, with_key, text)
                     + ("\n" + _key_line(item, text)
                        if with_key and item.type not in ("order", "match") else ""))
    parts += [r"\end{enumerate}", ""]
    return "\n".join(parts)
