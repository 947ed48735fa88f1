"""Readable, linked names for the sources that quiz items cite.

An item names its source by a reference key (``isas-2024``). Where the book has a
bibliography (sphinxcontrib-bibtex) that lists the key, quiz feedback shows the
entry's short name and number instead, "Ahmed and Karikalan [46]", linked to the
entry; otherwise it shows the key. The same holds for a key written in an item's text
("How does the news item ida-2024 present ...?"): ``link_keys_html`` turns it into a
linked label in HTML, ``label_keys_text`` into the plain label where text is inserted
as text (feedback) or printed.
"""

from __future__ import annotations

import html
import re

TITLE_WORDS = 5
# BibTeX writes these characters escaped ("Economics \& Peace"); a label shows them.
_BIBTEX_ESCAPE = re.compile(r"\\([&%$#_])")


def _plain(value: object) -> str:
    """A BibTeX field as a reader sees it: no braces, no escaping backslashes."""
    return _BIBTEX_ESCAPE.sub(r"\1", str(value).replace("{", "").replace("}", ""))


def _short_name(entry) -> str:
    """Authors' last names, else the organization, else the title."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(person.last_names) for person in people]
    if len(names) > 2:
        return f"{names[0]} et al."
    if names:
        return " and ".join(names)
    for field in ("organization", "institution", "publisher"):
        value = entry.fields.get(field)
        if value:
            return _plain(value)
    words = _plain(entry.fields.get("title", entry.key)).split()
    # A title stands in for a name: its first words are enough beside the number.
    return " ".join(words) if len(words) <= TITLE_WORDS else " ".join(words[:TITLE_WORDS]) + "\u2026"


def source_links(builder, docname: str) -> dict[str, dict[str, str]]:
    """``{key: {"label": ..., "href": ...}}`` for every entry of the book's
    bibliographies, with links relative to the page ``docname``."""
    try:
        domain = builder.env.get_domain("cite")
    except Exception:  # sphinxcontrib-bibtex not loaded: keys stay keys
        return {}
    links: dict[str, dict[str, str]] = {}
    for citation in getattr(domain, "citations", ()):
        if citation.key in links:
            continue
        page = builder.get_relative_uri(docname, citation.bibliography_key.docname)
        links[citation.key] = {
            "label": f"{_short_name(citation.entry)} [{citation.formatted_entry.label}]",
            "href": f"{page}#{citation.citation_id}",
        }
    return links


def key_pattern(links: dict) -> re.Pattern:
    """A pattern matching any key of ``links`` as a whole word (keys contain hyphens,
    so a key is never matched inside a longer key or a longer hyphenated word)."""
    if not links:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(re.escape(key) for key in sorted(links, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def label_keys_text(text: str, links: dict, pattern: re.Pattern | None = None) -> str:
    """Plain text with every key replaced by its readable label (for text that is
    inserted as text, such as quiz feedback)."""
    if not text or not links:
        return text
    pattern = pattern or key_pattern(links)
    return pattern.sub(lambda match: links[match.group(0)]["label"], text)


_TAG = re.compile(r"(<[^>]*>)")
_CODE_KEY = re.compile(r"<code>([^<>]+)</code>")
_CELL = re.compile(r"(<(t[hd])(?:\s[^>]*)?>)([^<>]+)(</\2>)")
_SEPARATOR = re.compile(r"\s*[,;]\s*")
# Text inside these elements is left alone: a link already, or not shown as text.
_LEAVE = {"a", "script", "style", "pre", "textarea", "title"}


def link_keys_html(markup: str, links: dict, pattern: re.Pattern | None = None) -> str:
    """HTML with every key shown as text (in running text, as ``<code>key</code>``, or as
    a table cell listing keys) replaced by a link to its bibliography entry, labelled
    with the entry's short name and number. Tags and attribute values are untouched."""
    if not markup or not links:
        return markup
    pattern = pattern or key_pattern(links)

    def anchor(key: str) -> str:
        entry = links[key]
        return (f'<a class="reference internal source-key" href="{html.escape(entry["href"])}">'
                f'{html.escape(entry["label"])}</a>')

    def code(match: re.Match) -> str:
        key = html.unescape(match.group(1))
        return anchor(key) if key in links else match.group(0)

    def cell(match: re.Match) -> str:
        keys = _SEPARATOR.split(html.unescape(match.group(3)).strip())
        if not all(key in links for key in keys):
            return match.group(0)
        return match.group(1) + ", ".join(anchor(key) for key in keys) + match.group(4)

    markup = _CELL.sub(cell, _CODE_KEY.sub(code, markup))
    out: list[str] = []
    open_leave: list[str] = []
    for piece in _TAG.split(markup):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([A-Za-z0-9]+)", piece)
            if name and name.group(1).lower() in _LEAVE and not piece.endswith("/>"):
                if piece.startswith("</"):
                    if open_leave and open_leave[-1] == name.group(1).lower():
                        open_leave.pop()
                else:
                    open_leave.append(name.group(1).lower())
            out.append(piece)
        elif open_leave or not pattern.search(html.unescape(piece)):
            out.append(piece)
        else:
            text = html.unescape(piece)
            position, parts = 0, []
            for match in pattern.finditer(text):
                parts.append(html.escape(text[position:match.start()], quote=False))
                parts.append(anchor(match.group(0)))
                position = match.end()
            parts.append(html.escape(text[position:], quote=False))
            out.append("".join(parts))
    return "".join(out)
