"""HTML for a self-check quiz: native form controls, every one labelled, no key in sight.

Everything from a bank goes through ``html.escape``; correctness lives only in the
obfuscated ``data-qk`` payload (see ``payload.py``), read by quiz.js on Check.
"""

from __future__ import annotations

from html import escape

from ..model import Item, Passage
from ..sets import passage_runs, set_heading
from ..shuffle import event_display_order, right_display_order
from .payload import answer_data, encode_payload
from .sources import key_pattern, label_keys_text, link_keys_html


def letter(position: int) -> str:
    """A, B, … Z, then AA, AB, … (the labels of a match item's options)."""
    label = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def render_quiz_html(items: list[Item], *, title: str, quiz_id: str,
                     heading_level: int = 2, sources: dict | None = None) -> str:
    """One ``<section class="quizkit-quiz">``; ``quiz_id`` must be unique on the page.
    ``sources`` maps a source key to its readable label and link (see sources.py)."""
    level = max(2, min(heading_level, 6))
    parts = [
        f'<section class="quizkit-quiz" id="{_attr(quiz_id)}" '
        f'aria-labelledby="{_attr(quiz_id)}-title">',
        f'<h{level} class="quizkit-title" id="{_attr(quiz_id)}-title">{escape(title)}</h{level}>',
        '<noscript><p class="quizkit-note">Checking answers needs JavaScript; '
        "the questions can still be read.</p></noscript>",
        # The summary comes first: a reader sees at once how far the quiz has gone.
        f'<div class="quizkit-summary"><p class="quizkit-score" aria-live="polite" '
        f'data-qk-total="{len(items)}">0 of {len(items)} answered, 0 correct</p>'
        '<button type="button" class="quizkit-reset">Reset all answers</button></div>',
    ]
    passage_id = ""
    for number, (passage, length, item) in enumerate(passage_runs(items), start=1):
        if passage is not None:
            passage_id = f"{quiz_id}-passage-{number}"
            parts.append(render_passage_html(passage, passage_id, set_heading(number, length),
                                             sources or {}))
        elif item.passage is None:
            passage_id = ""
        parts.append(_render_item(item, number, f"{quiz_id}-{number}", sources or {},
                                  passage_id))
    parts.append("</section>")
    return "\n".join(parts)


def render_passage_html(passage: Passage, dom_id: str, heading: str, sources: dict) -> str:
    """The passage block shown once above its set: title, the set's question numbers,
    paragraphs, the table if any, and the source. Every text is escaped (a passage is
    plain text like a stem); a reference key in it is linked as in an item's text."""
    parts = [f'<div class="quizkit-passage" id="{_attr(dom_id)}" role="group" '
             f'aria-labelledby="{_attr(dom_id)}-title">',
             f'<p class="quizkit-passage-title" id="{_attr(dom_id)}-title">'
             f'<strong>{escape(passage.title)}</strong> '
             f'<span class="quizkit-passage-scope">{escape(heading)}</span></p>']
    parts += [f"<p>{escape(paragraph)}</p>" for paragraph in passage.paragraphs()]
    if passage.table is not None:
        head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in passage.table.header)
        rows = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                       for row in passage.table.rows)
        parts.append(f'<table class="quizkit-passage-table"><thead><tr>{head}</tr></thead>'
                     f"<tbody>{rows}</tbody></table>")
    detail = f", {escape(passage.source.locator)}" if passage.source.locator else ""
    parts.append(f'<p class="quizkit-passage-source">Source: {escape(passage.source.id)}'
                 f"{detail}</p>")
    parts.append("</div>")
    return link_keys_html("\n".join(parts), sources, key_pattern(sources))


def _render_item(item: Item, number: int, dom_id: str, sources: dict,
                 passage_id: str = "") -> str:
    # A reference key in an item's text reads as the entry's short name and number,
    # linked where the text is HTML and plain where quiz.js inserts it as text.
    pattern = key_pattern(sources)
    controls = link_keys_html(_CONTROLS[item.type](item, dom_id), sources, pattern)
    data = answer_data(item)
    data["source"].update(sources.get(item.source.id, {}))
    _label_feedback(data, sources, pattern)
    # Each item of a set points at its passage, so a screen reader announces it.
    described = f' aria-describedby="{_attr(passage_id)}"' if passage_id else ""
    return "\n".join([
        f'<div class="quizkit-item" id="{_attr(dom_id)}" data-qk-item="{_attr(item.id)}" '
        f'data-qk-type="{_attr(item.type)}" data-qk="{encode_payload(item.id, data)}">',
        f"<fieldset{described}>",
        f'<legend><span class="quizkit-number">{number}.</span> '
        f'{link_keys_html(escape(item.stem), sources, pattern)}</legend>',
        controls,
        '<div class="quizkit-actions">'
        '<button type="button" class="quizkit-check">Check</button> '
        '<button type="button" class="quizkit-show" hidden>Show answer</button> '
        '<button type="button" class="quizkit-retry" hidden>Try again</button></div>',
        '<div class="quizkit-feedback" aria-live="polite"></div>',
        "</fieldset>",
        "</div>",
    ])


def _label_feedback(data: dict, sources: dict, pattern) -> None:
    if not sources:
        return
    feedback = data["feedback"]
    for field in ("correct", "incorrect"):
        feedback[field] = label_keys_text(feedback[field], sources, pattern)
    data["explanation"] = label_keys_text(data["explanation"], sources, pattern)
    if "optionFeedback" in data:
        data["optionFeedback"] = [label_keys_text(text, sources, pattern)
                                  for text in data["optionFeedback"]]


def _choices(item: Item, dom_id: str) -> str:
    kind = "radio" if item.type == "single" else "checkbox"
    hint = "" if item.type == "single" else (
        '<p class="quizkit-hint">Choose all that apply.</p>')
    rows = [
        f'<div class="quizkit-option"><input type="{kind}" name="{_attr(dom_id)}" '
        f'id="{_attr(dom_id)}-{i}" value="{i}"> '
        f'<label for="{_attr(dom_id)}-{i}">{escape(option.text)}</label></div>'
        for i, option in enumerate(item.options)
    ]
    return hint + '<div class="quizkit-options">' + "".join(rows) + "</div>"


def _numeric(item: Item, dom_id: str) -> str:
    unit = f" ({escape(item.unit)})" if item.unit else ""
    return (f'<div class="quizkit-row"><label for="{_attr(dom_id)}-answer">Your answer{unit}</label> '
            f'<input type="number" step="any" inputmode="decimal" autocomplete="off" '
            f'id="{_attr(dom_id)}-answer"></div>')


def _text(item: Item, dom_id: str) -> str:
    return (f'<div class="quizkit-row"><label for="{_attr(dom_id)}-answer">Your answer</label> '
            f'<input type="text" autocomplete="off" autocapitalize="off" spellcheck="false" '
            f'id="{_attr(dom_id)}-answer"></div>')


def _select(select_id: str, placeholder: str, choices: list[tuple[str, str]], *,
            described_by: str = "") -> str:
    options = [f'<option value="">{escape(placeholder)}</option>']
    options += [f'<option value="{_attr(value)}">{escape(label)}</option>'
                for value, label in choices]
    described = f' aria-describedby="{_attr(described_by)}"' if described_by else ""
    return f'<select id="{_attr(select_id)}"{described}>' + "".join(options) + "</select>"


def _order(item: Item, dom_id: str) -> str:
    size = len(item.events)
    positions = [(str(n), str(n)) for n in range(1, size + 1)]
    rows = [
        f'<div class="quizkit-row"><label for="{_attr(dom_id)}-{row}">{escape(item.events[index])}'
        f"</label> {_select(f'{dom_id}-{row}', 'Position', positions)}</div>"
        for row, index in enumerate(event_display_order(item))
    ]
    return (f'<p class="quizkit-hint">Give each event its position, from 1 (earliest) '
            f"to {size} (latest).</p>" + "".join(rows))


def _match(item: Item, dom_id: str) -> str:
    """The right-hand options are lettered once, above the rows; each row's control
    offers the letters, so that no option is cut off in a narrow dropdown."""
    shown = right_display_order(item)
    letters = [(str(position), letter(position)) for position in range(len(shown))]
    choices = "".join(f'<li><span class="quizkit-letter">{letter(position)}.</span> '
                      f"{escape(item.pairs[index].right)}</li>"
                      for position, index in enumerate(shown))
    rows = [
        f'<div class="quizkit-row"><label for="{_attr(dom_id)}-{row}">{escape(pair.left)}</label> '
        f"{_select(f'{dom_id}-{row}', 'Letter', letters, described_by=f'{dom_id}-choices')}</div>"
        for row, pair in enumerate(item.pairs)
    ]
    return ('<p class="quizkit-hint">Choose the letter of the match for each entry.</p>'
            f'<ul class="quizkit-choices" id="{_attr(dom_id)}-choices">{choices}</ul>'
            + "".join(rows))


_CONTROLS = {
    "single": _choices,
    "multiple": _choices,
    "numeric": _numeric,
    "text": _text,
    "order": _order,
    "match": _match,
}
