"""Checks of an item's ``source`` against the project's references and seed texts.

Kept apart from the loader's structural checks because these need outside data (the
reference keys, the seed documents) which the caller passes in; with ``None`` the
check is skipped, so tests can use tiny fixture sets and the loader never reads
``data/`` by itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set

from .model import TYPOGRAPHIC_FOLDING, Item, Passage, Violation

# The seed documents are Markdown conversions of web pages: a quote copied from the
# rendered text has no link brackets or emphasis stars, so those are ignored.
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*+")
_SPACES = re.compile(r"\s+")


def normalize_for_quote(text: str) -> str:
    """Text as compared for a verbatim quote: one kind of quote mark and of dash (the
    folding typed answers get), single spaces, no Markdown link or emphasis markup.
    Case and wording are kept."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    # A backtick pair is how plain-text sources write an opening quote.
    text = _EMPHASIS.sub("", text).replace("`", "'").translate(TYPOGRAPHIC_FOLDING)
    return _SPACES.sub(" ", text).strip()


def quote_found_in(quote: str, document: str) -> bool:
    """Whether ``quote`` appears word for word in ``document`` (after normalizing)."""
    wanted = normalize_for_quote(quote)
    return bool(wanted) and wanted in normalize_for_quote(document)


def source_problems(
    item: Item | Passage,
    *,
    references: Set[str] | None = None,
    seed_ids: Set[str] | None = None,
    seed_texts: Mapping[str, str] | None = None,
) -> list[Violation]:
    """Rules on ``item.source`` that need the project's references or seed texts.

    ``seed_texts`` maps a seed's source id to its text; a seed quote is looked up only
    when its text is given.
    """
    source, found = item.source, []
    if references is not None and source.id not in references:
        found.append(Violation(item.line_of("source.id"),
                               f"unknown source id {source.id}: it is not a reference key"))
    is_seed = (seed_ids is not None and source.id in seed_ids) or (
        seed_texts is not None and source.id in seed_texts)
    if not is_seed:
        return found
    if source.quote is None:
        found.append(Violation(item.line_of("source"),
                               f"source {source.id} is a seed document: add a `quote` "
                               "copied word for word from it"))
    elif (seed_texts is not None and source.id in seed_texts and source.quote.split()
          and not quote_found_in(source.quote, seed_texts[source.id])):
        found.append(Violation(item.line_of("source.quote"),
                               f"`source.quote` is not found word for word in the seed "
                               f"text of {source.id}"))
    return found
