"""Readable, linked names for the sources that quiz items cite.

An item names its source by a reference key (``isas-2024``). Where the book has a
bibliography (sphinxcontrib-bibtex) that lists the key, quiz feedback shows the
entry's short name and number instead, "Ahmed and Karikalan [46]", linked to the
entry; otherwise it shows the key.
"""

from __future__ import annotations

TITLE_WORDS = 5


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
            return str(value).replace("{", "").replace("}", "")
    words = str(entry.fields.get("title", entry.key)).replace("{", "").replace("}", "").split()
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
