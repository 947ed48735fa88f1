"""The instructor's answer key as ordinary docutils nodes, so that every builder (HTML,
LaTeX, text …) renders and escapes it without special code."""

from __future__ import annotations

from docutils import nodes

from ..model import Bank, Item


def _labelled(label: str, text: str) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    paragraph += nodes.strong(text=label)
    paragraph += nodes.Text(" " + text)
    return paragraph


def _key_entry(item: Item) -> nodes.list_item:
    entry = nodes.list_item(ids=[])
    heading = nodes.paragraph()
    heading += nodes.literal(text=item.id)
    heading += nodes.Text(f" ({item.pool}, {item.type}, {item.difficulty}) ")
    heading += nodes.Text(item.stem)
    entry += heading
    entry += _labelled("Answer:", item.answer_text())
    entry += _labelled("Explanation:", item.explanation)
    entry += _labelled("Source:", item.source.citation_text())
    entry += _labelled("Objective:", item.objective)
    return entry


def answer_key_nodes(bank: Bank, items: tuple[Item, ...]) -> nodes.container:
    """A titled, numbered list of ``items`` with answer, explanation and source."""
    key = nodes.container(classes=["quizkit-key"])
    key += nodes.rubric(text=f"Answer key: {bank.title}")
    numbered = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
    for item in items:
        numbered += _key_entry(item)
    key += numbered
    return key
