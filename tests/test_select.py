"""The one selection engine (quizkit.select), as the book, export and paper use it."""

from __future__ import annotations

import re

import pytest

from quizkit.errors import QuizkitError
from quizkit.select import Selection, select_items
from support.exports import fixture_catalog


def ids(selection: Selection) -> list[str]:
    return [item.id for item in select_items(fixture_catalog(), selection)]


def test_bank_order_then_item_order_within_the_pool():
    exam = ids(Selection(pool="exam"))
    every = ids(Selection(pool="all"))
    assert exam and set(exam) < set(every)
    assert exam == [i for i in every if i in exam]  # the order of the banks, not of the pool
    assert "mini-q07" not in exam and "mini-q07" in ids(Selection(pool="self-check"))


def test_banks_tags_and_ids_narrow_the_selection():
    assert ids(Selection(banks=("mini",), tags=("dates",))) == ["mini-q01", "mini-q03"]
    assert ids(Selection(pool="all", tags=("dates",), banks=("mini",))) == [
        "mini-q01", "mini-q03", "mini-q07"]
    assert ids(Selection(pool="all", ids=("mini-q03", "mini-q01"))) == ["mini-q01", "mini-q03"]


def test_count_takes_the_first_n_or_n_picked_by_the_seed():
    everything = ids(Selection(pool="all"))
    assert ids(Selection(pool="all", count=3)) == everything[:3]
    picked = ids(Selection(pool="all", count=4, seed="s7"))
    assert picked == ids(Selection(pool="all", count=4, seed="s7"))  # fixed by the seed
    assert len(set(picked)) == 4 and picked == [i for i in everything if i in picked]
    draws = {tuple(ids(Selection(pool="all", count=4, seed=f"s{n}"))) for n in range(10)}
    assert len(draws) > 1  # the seed matters


@pytest.mark.parametrize("selection, message", [
    (Selection(banks=("nope",)), "no bank named 'nope' (known: mini, specials)"),
    (Selection(ids=("mini-q99",)), "no item with id 'mini-q99'"),
    (Selection(banks=("specials",), ids=("mini-q01",)), "item 'mini-q01' is not in bank specials"),
    (Selection(pool="all", count=999), "asked for 999 items, but the selection holds only"),
    (Selection(count=0), "count must be at least 1"),
    (Selection(tags=("no-such-tag",)), "no exam item has the tags no-such-tag"),
])
def test_what_matches_nothing_is_an_error_not_a_smaller_quiz(selection, message):
    with pytest.raises(QuizkitError, match=re.escape(message)):
        select_items(fixture_catalog(), selection)
