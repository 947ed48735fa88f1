"""The instructor's answer key as ordinary docutils nodes, so that every builder (HTML,
LaTeX, text …) renders and escapes it without special code.

The full key is a section per bank and, inside it, a section per pool, so that the
page's contents (and the PDF's bookmarks) list them. Banks come in the book's reading
order: a bank belongs to the chapter named like it (``chapters/02_operation`` holds the
``operation`` quizzes), and the chapters are taken in the order of the table of contents.
Choice items show every option, the correct ones marked, with the feedback each option
gives, so that an instructor can discuss the distractors.

The compact key is one table row per item, numbered like the printed quiz that selects
the same items, with what belongs in each box of an order or match item: for a handout,
where the questions are already on paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docutils import nodes
from sphinx.addnodes import pending_xref

from ..model import Bank, Item
from ..sets import keep_sets_together
from .fallback import numbered_with_passages
from .latex import box_answers

POOL_HEADINGS = {"self-check": "Self-check pool", "exam": "Exam pool"}
_CHAPTER_NUMBER = re.compile(r"^\d+[_-]")


def toc_docnames(config) -> list[str]:
    """The book's pages in reading order, from ``_toc.yml`` (sphinx-external-toc);
    empty for a book without one."""
    site_map = getattr(config, "external_site_map", None)
    if site_map is None:
        return []
    ordered: list[str] = []

    def walk(docname: str) -> None:
        if docname in ordered or docname not in site_map:
            return
        ordered.append(docname)
        for tree in site_map[docname].subtrees:
            for entry in tree.items:
                if isinstance(entry, str):  # FileItem is a str; URLs and globs are not
                    walk(str(entry))

    walk(site_map.root.docname)
    return ordered


def chapter_of(bank: str, docnames: Iterable[str]) -> str | None:
    """The page named like ``bank`` (``chapters/02_operation`` for ``operation``)."""
    for docname in docnames:
        if _CHAPTER_NUMBER.sub("", docname.rsplit("/", 1)[-1]) == bank:
            return docname
    return None


def in_book_order(banks: Iterable[str], docnames: Sequence[str]) -> list[str]:
    """``banks`` in the order of their chapters in ``docnames``; banks without a
    chapter follow, by name."""
    position = {docname: n for n, docname in enumerate(docnames)}

    def key(bank: str) -> tuple[int, str]:
        chapter = chapter_of(bank, docnames)
        return (position[chapter] if chapter else len(position), bank)

    return sorted(banks, key=key)


# -- one item -------------------------------------------------------------------------


def _labelled(label: str, text: str) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    paragraph += nodes.strong(text=label)
    paragraph += nodes.Text(" " + text)
    return paragraph


def _options(item: Item) -> nodes.bullet_list:
    """Every option, the correct ones marked, each with its feedback."""
    listing = nodes.bullet_list(bullet="-", classes=["quizkit-key-options"])
    for option in item.options:
        paragraph = nodes.paragraph()
        paragraph += (nodes.strong(text="Correct:") if option.correct
                      else nodes.emphasis(text="Distractor:"))
        paragraph += nodes.Text(" " + option.text)
        if option.feedback:
            paragraph += nodes.Text(" \u2014 ")
            paragraph += nodes.emphasis(text=option.feedback)
        listing += nodes.list_item("", paragraph)
    return listing


def _key_entry(item: Item) -> nodes.list_item:
    entry = nodes.list_item(ids=[])
    heading = nodes.paragraph()
    heading += nodes.literal(text=item.id)
    heading += nodes.Text(f" ({item.type}, {item.difficulty}) ")
    heading += nodes.Text(item.stem)
    entry += heading
    if item.type in ("single", "multiple"):
        entry += _options(item)
    else:
        entry += _labelled("Answer:", item.answer_text())
    entry += _labelled("Explanation:", item.explanation)
    entry += _labelled("Source:", item.source.citation_text())
    entry += _labelled("Objective:", item.objective)
    return entry


# -- the full key ---------------------------------------------------------------------


def _section(document: nodes.document, section_id: str, title: str) -> nodes.section:
    section = nodes.section(ids=[nodes.make_id(section_id)])
    section += nodes.title(text=title)
    document.set_id(section)  # registers the id; a clash is reported, not silently shared
    return section


def _chapter_link(chapter: str, current: str) -> nodes.paragraph:
    """"Questions of the chapter <its title, linked>"."""
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("Questions of the chapter ")
    ref = pending_xref("", refdomain="std", reftype="doc", reftarget="/" + chapter,
                       refdoc=current, refexplicit=False, refwarn=True)
    ref += nodes.inline(text=chapter, classes=["xref", "std", "std-doc"])
    paragraph += ref
    paragraph += nodes.Text(".")
    return paragraph


def answer_key_sections(document: nodes.document, bank: Bank, items: Sequence[Item], *,
                        chapter: str | None, current: str) -> nodes.section:
    """A section titled like the bank, a link to its chapter, then a section per pool
    with a numbered list of its items: every option, answer, explanation and source."""
    section = _section(document, f"key-{bank.name}", bank.title)
    section["classes"].append("quizkit-key")
    if chapter:
        section += _chapter_link(chapter, current)
    for pool, heading in POOL_HEADINGS.items():
        chosen = [item for item in items if item.pool == pool]
        if not chosen:
            continue
        pool_section = _section(document, f"key-{bank.name}-{pool}", heading)
        # A set's passage comes once, before its first item; the numbering resumes after it.
        for node in numbered_with_passages(keep_sets_together(chosen), _key_entry):
            pool_section += node
        section += pool_section
    return section


# -- the compact key ------------------------------------------------------------------


def compact_key_table(items: Sequence[Item]) -> nodes.table:
    """One row per item: its number in the printed quiz, the answer, the item id."""
    table = nodes.table(classes=["quizkit-compact-key", "colwidths-given"])
    group = nodes.tgroup(cols=3)
    table += group
    for width in (6, 74, 20):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    body = nodes.tbody()
    group += body
    head += _row(["No.", "Answer", "Item"])
    for number, item in enumerate(items, start=1):
        body += _row([f"{number}.", compact_answer(item), item.id])
    return table


def compact_answer(item: Item) -> str:
    """The answer as a marker checks it on the printed page: for order and match items
    what belongs in each box, top to bottom; otherwise the answer itself."""
    boxes = box_answers(item)
    if boxes:
        return "boxes, top to bottom: " + ", ".join(boxes)
    return item.answer_text()


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for text in cells:
        row += nodes.entry("", nodes.paragraph(text=text))
    return row
