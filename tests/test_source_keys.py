"""Reference keys shown to a reader become the entry's short name and number.

Unit tests of the functions behind ``resolve_book.source_keys`` and the quiz renderer
(``quizkit.sphinx.sources``); the built book is checked as a whole in
``test_site_editions.py``.
"""

from __future__ import annotations

from quizkit.sphinx.sources import key_pattern, label_keys_text, link_keys_html

LINKS = {
    "ida-2024": {"label": "International Defence Analysis [6]", "href": "bibliography.html#bib-ida-2024"},
    "isas-2024": {"label": "Ahmed and Karikalan [113]", "href": "bibliography.html#bib-isas-2024"},
    "gti-2023": {"label": "Institute for Economics & Peace [40]", "href": "bibliography.html#bib-gti-2023"},
}


def test_a_key_in_text_becomes_its_label():
    assert label_keys_text("No: ida-2024 does not quote it.", LINKS) == (
        "No: International Defence Analysis [6] does not quote it.")


def test_a_key_is_matched_only_as_a_whole_word():
    text = "ida-2024-draft, xida-2024 and ida-20245 are not keys"
    assert label_keys_text(text, LINKS) == text
    assert key_pattern(LINKS).findall("ida-2024's list") == ["ida-2024"]


def test_in_html_a_key_in_text_becomes_a_linked_label():
    out = link_keys_html("<p>As ida-2024 says.</p>", LINKS)
    assert out == ('<p>As <a class="reference internal source-key" '
                   'href="bibliography.html#bib-ida-2024">International Defence Analysis [6]</a>'
                   ' says.</p>')


def test_in_html_labels_are_escaped():
    out = link_keys_html("<td>gti-2023</td>", LINKS)
    assert "Institute for Economics &amp; Peace [40]" in out
    assert "gti-2023" not in out.split('href="')[0]


def test_in_html_code_and_cells_listing_keys_become_links():
    assert link_keys_html("<code>isas-2024</code>", LINKS).count("source-key") == 1
    cell = link_keys_html("<td>isas-2024; ida-2024</td>", LINKS)
    assert cell.count("source-key") == 2 and ";" not in cell
    header = link_keys_html('<th class="x">ida-2024</th>', LINKS)
    assert "International Defence Analysis [6]" in header and "source-key" in header


def test_in_html_attributes_links_and_scripts_are_left_alone():
    markup = ('<a href="x.html#ida-2024" title="isas-2024">ida-2024</a>'
              '<img alt="gti-2023"><script>var k = "isas-2024";</script><pre>ida-2024</pre>')
    assert link_keys_html(markup, LINKS) == markup


def test_unknown_words_and_empty_links_change_nothing():
    markup = "<p>pmo-2024-06-22 and isas-2024</p>"
    assert link_keys_html(markup, {}) == markup
    assert "pmo-2024-06-22" in link_keys_html(markup, LINKS)


def test_a_label_shows_bibtex_escaped_characters_as_characters():
    """"Institute for Economics \\& Peace" in references.bib reads "… & Peace" in a label
    (a passage's source line showed the backslash)."""
    from types import SimpleNamespace

    from quizkit.sphinx.sources import _short_name

    entry = SimpleNamespace(persons={}, key="gti-2025",
                            fields={"organization": "Institute for Economics \\& Peace"})
    assert _short_name(entry) == "Institute for Economics & Peace"
    untitled = SimpleNamespace(persons={}, key="x", fields={"title": "{50\\% of {PIPS}}"})
    assert _short_name(untitled) == "50% of PIPS"
