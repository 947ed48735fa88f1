"""For builders other than HTML and LaTeX (text, man, texinfo, xml …): replace each quiz
with its questions as plain docutils nodes, without answers, so that no builder
crashes on an unknown node and none prints a key."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..model import Item, Passage
from ..sets import passage_runs, set_heading
from ..notation import letter
from ..shuffle import event_display_order, right_display_order
from .nodes import quiz_node

BLANK = "____"


def _bullets(texts: list[str]) -> nodes.bullet_list:
    listing = nodes.bullet_list(bullet="-")
    for text in texts:
        listing += nodes.list_item("", nodes.paragraph(text=text))
    return listing


def question_nodes(item: Item) -> nodes.list_item:
    entry = nodes.list_item()
    entry += nodes.paragraph(text=item.stem)
    if item.type in ("single", "multiple"):
        entry += _bullets([f"[ ] {o.text}" for o in item.options])
    elif item.type in ("numeric", "text"):
        unit = f" {item.unit}" if item.unit else ""
        entry += nodes.paragraph(text=f"Answer: {BLANK}{unit}")
    elif item.type == "order":
        entry += nodes.paragraph(text="Number the events from 1 (earliest):")
        entry += _bullets([f"[ ] {item.events[i]}" for i in event_display_order(item)])
    elif item.type == "match":
        rights = [item.pairs[i].right for i in right_display_order(item)]
        entry += nodes.paragraph(text="Write the letter of the matching entry:")
        entry += _bullets([f"[ ] {pair.left}" for pair in item.pairs])
        entry += _bullets([f"{letter(n)}. {right}" for n, right in enumerate(rights)])
    return entry


def passage_nodes(passage: Passage, heading: str) -> nodes.block_quote:
    """A passage as plain nodes: title and scope, paragraphs, the table as lines, source."""
    quote = nodes.block_quote()
    quote += nodes.paragraph(text=f"{passage.title}. {heading}")
    for line in passage.plain_lines()[1:]:
        quote += nodes.paragraph(text=line)
    return quote


def numbered_with_passages(items: Sequence[Item],
                           entry: Callable[[Item], nodes.Node]) -> list[nodes.Node]:
    """``entry(item)`` for each item in one numbered list; a passage interrupts it just
    before its set, and the numbering resumes where it stopped."""
    result: list[nodes.Node] = []
    numbered = None
    for number, (passage, length, item) in enumerate(passage_runs(items), start=1):
        if passage is not None or numbered is None:
            if passage is not None:
                result.append(passage_nodes(passage, set_heading(number, length)))
            numbered = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".",
                                             start=number)
            result.append(numbered)
        numbered += entry(item)
    return result


def quiz_as_plain_nodes(node: quiz_node) -> list[nodes.Node]:
    """The quiz's title, then its questions (``numbered_with_passages``)."""
    return [nodes.rubric(text=node["quiz_title"]),
            *numbered_with_passages(node["items"], question_nodes)]


class QuizFallback(SphinxPostTransform):
    """Runs for every builder whose output is neither HTML nor LaTeX."""

    default_priority = 200

    def is_supported(self) -> bool:
        return self.app.builder.format not in ("html", "latex")

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(quiz_node)):
            node.replace_self(quiz_as_plain_nodes(node))
