"""LaTeX for a printed quiz: numbered questions with empty boxes and lines to fill in.

Never prints answers, feedback or explanations: the printed student handout must not
carry a key. Order and match items use the same stable shuffles as the web page.
"""

from __future__ import annotations

from ..escape import escape_latex as tex
from ..model import Item
from ..notation import letter
from ..shuffle import event_display_order, right_display_order
from .sources import key_pattern, label_keys_text

BOX = r"\fbox{\phantom{X}}"
WIDE_BOX = r"\fbox{\phantom{00}}"
ANSWER_LINE = r"\rule{0.5\linewidth}{0.4pt}"


def _boxed_list(entries: list[str], box: str = BOX) -> str:
    lines = [r"\begin{list}{}{\setlength{\leftmargin}{2.8em}\setlength{\labelwidth}{2.2em}"
             r"\setlength{\itemsep}{0.2ex}}"]
    lines += [f"\\item[{box}] {entry}" for entry in entries]
    lines.append(r"\end{list}")
    return "\n".join(lines)


def _item_body(item: Item, tex=tex) -> str:
    if item.type in ("single", "multiple"):
        hint = "" if item.type == "single" else "\n\\textit{(Tick all that apply.)}"
        return hint + "\n" + _boxed_list([tex(o.text) for o in item.options])
    if item.type in ("numeric", "text"):
        unit = f" {tex(item.unit)}" if item.unit else ""
        return f"\n\\par\\medskip\\noindent Answer: {ANSWER_LINE}{unit}\\par"
    if item.type == "order":
        events = [tex(item.events[i]) for i in event_display_order(item)]
        return (f"\n\\par\\noindent\\textit{{Number the events from 1 (earliest) to "
                f"{len(events)} (latest).}}\n" + _boxed_list(events, WIDE_BOX))
    if item.type == "match":
        rights = [item.pairs[i].right for i in right_display_order(item)]
        rows = [f"{BOX}\\quad {tex(pair.left)} & {letter(n)}.\\ {tex(right)} \\\\"
                for n, (pair, right) in enumerate(zip(item.pairs, rights))]
        return ("\n\\par\\noindent\\textit{Write the letter of the matching entry in each box.}"
                "\\par\\smallskip\\noindent\n"
                # Taller rows so that the boxes of neighbouring lines do not touch.
                r"{\renewcommand{\arraystretch}{1.6}"
                r"\begin{tabular}{@{}p{0.44\linewidth}p{0.44\linewidth}@{}}" + "\n"
                + "\n".join(rows) + "\n\\end{tabular}\\par}")
    return ""


def render_quiz_latex(items: list[Item], *, title: str, sources: dict | None = None) -> str:
    """A titled ``enumerate`` of the questions, ready to drop into Sphinx's LaTeX body.
    ``sources`` (see sources.py): a reference key in an item's text prints as the
    entry's short name and number."""
    pattern = key_pattern(sources or {})

    def text(value: str) -> str:
        return tex(label_keys_text(value, sources or {}, pattern))

    parts = ["", r"\par\medskip\noindent\textbf{" + tex(title) + r"}\par",
             r"\begin{enumerate}"]
    for item in items:
        parts.append(r"\item " + text(item.stem) + _item_body(item, text))
    parts += [r"\end{enumerate}", ""]
    return "\n".join(parts)
