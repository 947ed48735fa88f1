"""Markdown for instructors (and the questions-only variant), read back: headings,
texts (unescaped as a Markdown renderer would), answers and explanations."""

from __future__ import annotations

import re

import pytest

from quizkit.export import Options
from quizkit.export.markdown import md_escape, to_markdown
from quizkit.shuffle import event_display_order, right_display_order
from support.exports import FIXTURE_COURSE, fixture_banks, fixture_items

# CommonMark: a backslash before ASCII punctuation shows the punctuation itself.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(markdown: str) -> str:
    return _ESCAPE.sub(r"\1", markdown.replace("  \n", "\n"))


def sections(text: str) -> dict[str, str]:
    """Item id → the Markdown of its section."""
    parts = re.split(r"^### \d+\. `([^`]+)` .*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


@pytest.fixture(scope="module")
def answered():
    items = fixture_items()
    return items, to_markdown(items, fixture_banks(), Options(title="Fixture quiz", course=FIXTURE_COURSE))


@pytest.fixture(scope="module")
def questions_only():
    items = fixture_items()
    return items, to_markdown(items, fixture_banks(), Options(title="Fixture quiz", answers=False))


@pytest.mark.parametrize("text", [
    'Stem ~ = # { } : < > & " \' \\ [x] 50% *a* _b_ `c` $d$ |e| -> &amp; &#35; \\n end',
    "# heading", "- list", "+ list", "1. ordered", "12) ordered", "=== underline", "two\nlines",
])
def test_md_escape_round_trips_through_unescaping(text):
    escaped = md_escape(text)
    assert unescape(escaped) == text
    # Nothing left that a renderer would read as markup at the start of a line.
    assert not re.match(r"\s*([#+=\-]|\d+[.)])", escaped)


def test_a_section_per_bank_and_per_item_in_order(answered):
    items, output = answered
    text = output.data.decode("utf-8")
    assert text.startswith("# Fixture quiz\n")
    assert list(sections(text)) == [i.id for i in items] == list(output.included)
    titles = [unescape(t) for t in re.findall(r"^## (.*)$", text, flags=re.M)]
    assert titles == [bank.title for bank in fixture_banks()]


def test_every_text_answer_and_explanation_round_trips(answered):
    items, output = answered
    found = sections(output.data.decode("utf-8"))
    for item in items:
        body = found[item.id]
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        assert unescape(paragraphs[0].strip()) == item.stem
        fields = dict(re.findall(r"^\*\*(Explanation|Source|Objective):\*\* (.*)$", body, flags=re.M))
        assert unescape(fields["Explanation"]) == item.explanation
        assert unescape(fields["Source"]) == item.source.citation_text()
        assert unescape(fields["Objective"]) == item.objective
        if item.type in ("single", "multiple"):
            options = re.findall(r"^- \*\*[A-Z]\.\*\* (.*?)( \*\*\(correct\)\*\*)?"
                                 r"(?:  \n  \*Feedback:\* (.*))?$", body, flags=re.M)
            assert [(unescape(t), bool(c), unescape(f)) for t, c, f in options] == [
                (o.text, o.correct, o.feedback) for o in item.options]
        elif item.type == "text":
            [accepted] = re.findall(r"^\*\*Accepted answers:\*\* (.*)$", body, flags=re.M)
            assert [unescape(a) for a in accepted.split("; ")] == list(item.accept)
        elif item.type == "numeric":
            [answer] = re.findall(r"^\*\*Answer:\*\* (.*)$", body, flags=re.M)
            assert unescape(answer) == item.answer_text()
        elif item.type == "order":
            events = re.findall(r"^\d+\. (.*)$", body, flags=re.M)
            assert [unescape(e) for e in events] == list(item.events)
        elif item.type == "match":
            pairs = re.findall(r"^- (.*) → (.*)$", body, flags=re.M)
            assert [(unescape(a), unescape(b)) for a, b in pairs] == [(p.left, p.right) for p in item.pairs]
        if item.feedback.correct:
            assert f"*If right:* {md_escape(item.feedback.correct)}" in body


def test_questions_only_gives_no_answer_away(questions_only, answered):
    items, output = questions_only
    text = output.data.decode("utf-8")
    assert "(correct)" not in text and "**Explanation:**" not in text and "Feedback" not in text
    for item in items:
        for secret in (item.explanation, *(o.feedback for o in item.options if o.feedback),
                       *item.accept, item.feedback.correct, item.feedback.incorrect):
            if secret:
                assert md_escape(secret) not in text, (item.id, secret)
    assert output.included == answered[1].included


def test_questions_only_letters_order_and_match_entries_as_on_paper(questions_only):
    items, output = questions_only
    found = sections(output.data.decode("utf-8"))
    order_item = next(i for i in items if i.id == "mini-q05")
    shown = re.findall(r"^- \*\*([A-Z])\.\*\* (.*)$", found["mini-q05"], flags=re.M)
    assert [unescape(t) for _, t in shown] == [order_item.events[i] for i in event_display_order(order_item)]
    match_item = next(i for i in items if i.id == "mini-q06")
    lefts = re.findall(r"^(\d+)\. (.*)$", found["mini-q06"], flags=re.M)
    rights = re.findall(r"^- \*\*([A-Z])\.\*\* (.*)$", found["mini-q06"], flags=re.M)
    assert [unescape(t) for _, t in lefts] == [p.left for p in match_item.pairs]
    assert [unescape(t) for _, t in rights] == [match_item.pairs[i].right
                                                for i in right_display_order(match_item)]


def test_a_markdown_renderer_shows_every_text_as_written(answered):
    # A real CommonMark renderer (with GFM strikethrough and tables), not our unescaping.
    markdown_it = pytest.importorskip("markdown_it")
    bs4 = pytest.importorskip("bs4")
    items, output = answered
    renderer = markdown_it.MarkdownIt("commonmark").enable(["strikethrough", "table"])
    soup = bs4.BeautifulSoup(renderer.render(output.data.decode("utf-8")), "html.parser")
    assert [h.get_text() for h in soup.find_all("h2")] == [b.title for b in fixture_banks()]
    paragraphs = [p.get_text() for p in soup.find_all("p")]
    entries = [li.get_text() for li in soup.find_all("li")]
    for item in items:
        assert item.stem in paragraphs, item.id
        assert f"Explanation: {item.explanation}" in paragraphs, item.id
        assert f"Source: {item.source.citation_text()}" in paragraphs, item.id
        for letter_, option in zip("ABCDEFGH", item.options):
            shown = f"{letter_}. {option.text}" + (" (correct)" if option.correct else "")
            if option.feedback:
                shown += f"\nFeedback: {option.feedback}"
            assert shown in entries, (item.id, shown)
    # No markup came from the banks: the only emphasis and code is the document's own.
    assert {c.get_text() for c in soup.find_all("code")} == {i.id for i in items}
    assert not soup.find_all(["a", "del", "table", "img", "b"])
