"""Typographic variants of short answers (quizkit.export.variants): every spelling
written is one the book accepts, the usual ways of typing an answer are all there,
and what cannot be listed is said."""

from __future__ import annotations

from quizkit.export.variants import MAX_SPELLINGS, answer_variants
from quizkit.model import normalize_answer


def test_the_accepted_answers_come_first_as_written():
    variants = answer_variants(("Rah-e-Nijat", "Operation Rah-e-Nijat"))
    assert variants.spellings[:2] == ("Rah-e-Nijat", "Operation Rah-e-Nijat")


def test_dashes_apostrophes_quotes_and_doubled_spaces_are_covered():
    spellings = set(answer_variants(("Pakistan's Azm-e-Istehkam", 'the "resolve"')).spellings)
    assert {"Pakistan’s Azm–e–Istehkam", "Pakistan's Azm—e—Istehkam",
            "Pakistan’s  Azm-e-Istehkam", "the “resolve”", 'the  "resolve"'} <= spellings


def test_every_spelling_is_one_the_book_accepts_and_none_repeats_ignoring_case():
    accepted = ("Rah-e-Nijat", "rah-e-nijat", "Director General of Inter-Services Public Relations")
    spellings = answer_variants(accepted).spellings
    keys = {normalize_answer(a) for a in accepted}
    assert all(normalize_answer(s) in keys for s in spellings)
    assert len({s.lower() for s in spellings}) == len(spellings)


def test_an_answer_with_too_many_spacings_keeps_its_dash_variants_and_names_the_limit():
    answer = "Director General of Inter-Services Public Relations"
    variants = answer_variants((answer,))
    assert "Director General of Inter–Services Public Relations" in variants.spellings
    assert not any("  " in s for s in variants.spellings)
    assert len(variants.spellings) <= MAX_SPELLINGS
    assert variants.limits == (f"doubled spaces inside {answer!r} are not accepted "
                               "(it would need 96 spellings)",)


def test_blank_answers_are_left_out():
    assert answer_variants(("  ", "Khost")).spellings == ("Khost",)
