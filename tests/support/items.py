"""A small valid item for unit tests that need one, with any field overridden."""

from __future__ import annotations

from quizkit.model import Item, Option, Source


def make_item(item_id: str, **fields) -> Item:
    base = dict(id=item_id, type="single", pool="exam", objective="o", difficulty="easy",
                stem="s", explanation="e", source=Source("ref", locator="here"),
                options=(Option("a", True), Option("b"), Option("c")))
    base.update(fields)
    return Item(**base)
