"""Reference keys as a reader sees them.

The book shows a source key written in text ("ida-2024 does not quote ...") as the
entry's short name and bibliography number, "International Defence Analysis [6]"
(``resolve_book.source_keys``; quiz items through ``quizkit.sphinx.sources``). Tests that
look for bank text in the built book or PDF compare it in that form; the labels are read
from the built site's own source links, so their numbers are the bibliography's.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

SOURCE_KEY_LINK = re.compile(
    r'<a class="[^"]*\bsource-key\b[^"]*" href="[^"#]*#bib-([^"]+)"[^>]*>(.*?)</a>', re.S)


def site_labels(pages) -> dict[str, str]:
    """Reference key -> label, from the pages of a built site (``{name: html}`` or an
    iterable of HTML strings)."""
    labels: dict[str, str] = {}
    for page in (pages.values() if isinstance(pages, dict) else pages):
        for key, label in SOURCE_KEY_LINK.findall(page):
            labels.setdefault(html.unescape(key), html.unescape(label))
    return labels


def built_site_labels(site: Path) -> dict[str, str]:
    """The labels of the site built in ``site`` (empty if it is not built)."""
    return site_labels(path.read_text(encoding="utf-8") for path in site.rglob("*.html"))


def with_labels(text: str, labels: dict[str, str]) -> str:
    """``text`` with every reference key replaced by its label."""
    if not labels:
        return text
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(
        re.escape(key) for key in sorted(labels, key=len, reverse=True)) + r")(?![\w-])")
    return pattern.sub(lambda match: labels[match.group(0)], text)
