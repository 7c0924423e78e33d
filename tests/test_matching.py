"""Finding an editor's words in a seed, as the spec defines a match.

Matching ignores typographic vs straight quotes and apostrophes, dash kinds and runs of
whitespace, and nothing else: case and words count. Elision marks split a quote into
pieces that must occur in order within one paragraph. A match maps back to the exact
characters of the seed, which is where footnotes and notes point.
"""

from __future__ import annotations

import pytest

from briefgen.matching import (
    closest_passage,
    find_all,
    fold,
    mark_differences,
    match_pieces,
    normalize,
    split_elisions,
)

# A paragraph as publishers send it: typographic quotes and apostrophes, dashes of
# several kinds, non-breaking and doubled spaces.
PARAGRAPH = (
    "Despite protests from Baghdad \u2013 Prime Minister Mustafa Al-Kadhimi denounced a "
    "\u201cFlagrant violation of sovereignty\u201d Iraqi and called \u201cTo avoid "
    "escalation\u201d \u2014 the US administration has shown its firmness. \u201cThis "
    "action of self-defense (\u2026) to prevent further attacks sends a very important "
    "and strong message\u00a0\u201c, assured US Secretary of State Antony Blinken, on the "
    "Revolutionary Guards\u2019 external operations and the pro-Iranian  militias\u2019 "
    "action in 2020."
)


def pieces_in(paragraph: str, quote: str) -> list[str] | None:
    """The original text of each piece of `quote` as matched in `paragraph`, or None."""
    norm = normalize(paragraph)
    spans = match_pieces(norm, split_elisions(quote))
    if spans is None:
        return None
    return [paragraph[slice(*norm.span(s, e))] for s, e in spans]


def occurs(paragraph: str, quote: str) -> bool:
    return pieces_in(paragraph, quote) is not None


# -- normalize and fold -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("\u201cquoted\u201d", '"quoted"', id="curly-double"),
        pytest.param("\u201equoted\u201f", '"quoted"', id="low-and-reversed-double"),
        pytest.param("\u00abquoted\u00bb", '"quoted"', id="guillemets"),
        pytest.param("\u2018quoted\u2019", "'quoted'", id="curly-single"),
        pytest.param("it\u2019s", "it's", id="apostrophe"),
        pytest.param("it\u02bcs", "it's", id="modifier-apostrophe"),
        pytest.param("it\u2032s", "it's", id="prime"),
        pytest.param("a \u2013 b", "a - b", id="en-dash"),
        pytest.param("a \u2014 b", "a - b", id="em-dash"),
        pytest.param("a \u2212 b", "a - b", id="minus"),
        pytest.param("pro\u2010Iranian", "pro-Iranian", id="hyphen"),
        pytest.param("pro\u2011Iranian", "pro-Iranian", id="non-breaking-hyphen"),
        pytest.param("a  b", "a b", id="double-space"),
        pytest.param("a\tb", "a b", id="tab"),
        pytest.param("a\u00a0b", "a b", id="nbsp"),
        pytest.param("a\u202fb", "a b", id="narrow-nbsp"),
        pytest.param("a \n  b", "a b", id="newline-and-indent"),
        pytest.param("a\r\nb", "a b", id="crlf"),
        pytest.param("  a b \n", "a b", id="trimmed"),
        pytest.param("Caf\u00e9 \u00c9lys\u00e9e", "Caf\u00e9 \u00c9lys\u00e9e", id="letters-kept"),
        pytest.param("Flagrant", "Flagrant", id="case-kept"),
        pytest.param("(\u2026) ... [\u2026]", "(\u2026) ... [\u2026]", id="elisions-kept"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_normalize_keeps_the_original_offset_of_every_character() -> None:
    text = "He said \u201cit\u2019s  a\u00a0\n deal\u201d"
    norm = normalize(text)
    assert norm.text == 'He said "it\'s a deal"'
    assert len(norm.origin) == len(norm.text) + 1
    assert norm.origin[-1] == len(text)
    for i, ch in enumerate(norm.text):
        original = text[norm.origin[i]]
        assert fold(original) == ch or (ch == " " and original.isspace())


def test_span_maps_a_match_back_to_the_original_words() -> None:
    text = "He called it a \u201cflagrant\u00a0 violation\u201d \u2013 twice,\nin Rome."
    norm = normalize(text)
    wanted = fold('a "flagrant violation" - twice, in Rome')
    [start] = find_all(norm.text, wanted)
    begin, end = norm.span(start, start + len(wanted))
    assert text[begin:end] == "a \u201cflagrant\u00a0 violation\u201d \u2013 twice,\nin Rome"


def test_span_of_an_empty_match_is_empty() -> None:
    norm = normalize("a \u201cb\u201d")
    begin, end = norm.span(2, 2)
    assert begin == end == 2


# -- what matches and what does not -----------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param('a "Flagrant violation of sovereignty" Iraqi', id="straight-quotes"),
        pytest.param("a \u201cFlagrant violation of sovereignty\u201d Iraqi", id="same-quotes"),
        pytest.param("a \u00abFlagrant violation of sovereignty\u00bb Iraqi", id="guillemets"),
        pytest.param("a \u201eFlagrant violation of sovereignty\u201c Iraqi", id="german-quotes"),
        pytest.param("the Revolutionary Guards' external operations", id="straight-apostrophe"),
        pytest.param("the Revolutionary Guards\u2018 external operations", id="other-apostrophe"),
        pytest.param("Baghdad - Prime Minister", id="hyphen-for-en-dash"),
        pytest.param("Baghdad \u2014 Prime Minister", id="em-dash-for-en-dash"),
        pytest.param('escalation" - the US administration', id="hyphen-for-em-dash"),
        pytest.param("Mustafa Al\u2013Kadhimi", id="en-dash-for-hyphen"),
        pytest.param("Despite  protests\tfrom\nBaghdad", id="whitespace-runs"),
        pytest.param("the pro-Iranian militias' action", id="double-space-in-seed"),
        pytest.param('strong message ", assured', id="nbsp-in-seed"),
        pytest.param("  Despite protests from Baghdad  ", id="surrounding-spaces"),
        pytest.param("Despite", id="first-word"),
        pytest.param("action in 2020.", id="last-words"),
        pytest.param("sovereignty", id="word-before-closing-quote"),
        pytest.param("Flagrant violation", id="word-after-opening-quote"),
        pytest.param("action", id="word-before-space"),
    ],
)
def test_matches(quote: str) -> None:
    assert occurs(PARAGRAPH, quote)


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param('a "flagrant violation of sovereignty"', id="lowercase"),
        pytest.param("despite protests from Baghdad", id="lowercase-first-word"),
        pytest.param("PRIME MINISTER", id="uppercase"),
        pytest.param("a very important and clear message", id="one-word-changed"),
        pytest.param("a very important and a strong message", id="one-word-added"),
        pytest.param("a very important strong message", id="one-word-dropped"),
        pytest.param("a very strong and important message", id="words-swapped"),
        pytest.param("Baghdad Prime Minister", id="dash-dropped"),
        pytest.param("Baghdad, Prime Minister", id="dash-for-comma"),
        pytest.param("pro Iranian", id="hyphen-for-space"),
        pytest.param("Al Kadhimi", id="space-for-hyphen"),
        pytest.param("Revolutionary Guards external", id="apostrophe-dropped"),
        pytest.param("a Flagrant violation of sovereignty Iraqi", id="quotes-dropped"),
        pytest.param("Antony Blinken on the", id="comma-dropped"),
        pytest.param("self defense", id="hyphen-dropped"),
        pytest.param("Mustafa al-Kadhimi", id="case-inside-word"),
    ],
)
def test_does_not_match(quote: str) -> None:
    assert not occurs(PARAGRAPH, quote)


@pytest.mark.parametrize(
    ("haystack", "needle", "found"),
    [
        pytest.param("the action was an act", "act", [18], id="act-not-in-action"),
        pytest.param("react, act!", "act", [7], id="act-not-in-react"),
        pytest.param("Iranian and Iran", "Iran", [12], id="Iran-not-in-Iranian"),
        pytest.param("in 2020 and 20", "20", [12], id="digits"),
        pytest.param("self_defense self", "self", [13], id="underscore-is-a-word-char"),
        pytest.param("act act", "act", [0, 4], id="every-occurrence"),
        pytest.param("(act) act.", "act", [1, 6], id="punctuation-is-a-boundary"),
        pytest.param("it's it", "it", [0, 5], id="apostrophe-is-a-boundary"),
        pytest.param("pro-Iranian", "Iranian", [4], id="hyphen-is-a-boundary"),
        pytest.param('said "act', '"act', [5], id="punctuation-edge-needs-no-boundary"),
        pytest.param("the the the", "the the", [0, 4], id="overlapping"),
        pytest.param("Caf\u00e9s Caf\u00e9", "Caf\u00e9", [6], id="unicode-letters"),
        pytest.param("anything", "", [], id="empty-needle"),
    ],
)
def test_find_all_respects_word_boundaries(haystack: str, needle: str, found: list[int]) -> None:
    assert find_all(haystack, needle) == found


def test_find_all_starts_where_asked() -> None:
    assert find_all("act act act", "act", 1) == [4, 8]


def test_a_word_is_not_found_inside_a_longer_word() -> None:
    assert not occurs("The action was swift.", "act")
    assert not occurs("The action was swift.", "The act")
    assert occurs("The act was swift.", "The act")


# -- elisions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mark",
    ["\u2026", "...", "(\u2026)", "[\u2026]", "[...]", "(...)", "( \u2026 )", "[ ... ]"],
)
def test_each_elision_mark_splits_a_quote(mark: str) -> None:
    assert split_elisions(f"This action of self-defense {mark} to prevent further attacks") == [
        "This action of self-defense",
        "to prevent further attacks",
    ]


@pytest.mark.parametrize(
    "mark", ["\u2026", "...", "(\u2026)", "[\u2026]", "[...]", "(...)", "( \u2026 )", "[ ... ]"]
)
def test_each_elision_mark_matches_in_the_seed(mark: str) -> None:
    quote = f"Despite protests from Baghdad {mark} the US administration has shown its firmness"
    assert pieces_in(PARAGRAPH, quote) == [
        "Despite protests from Baghdad",
        "the US administration has shown its firmness",
    ]


def test_elision_needs_no_spaces_around_it() -> None:
    assert split_elisions("Despite protests\u2026the US administration") == [
        "Despite protests",
        "the US administration",
    ]


def test_several_elisions_and_normalized_pieces() -> None:
    quote = (
        "Prime Minister [\u2026] denounced (...) "
        "\u00abFlagrant  violation of sovereignty\u00bb \u2026 Iraqi"
    )
    assert split_elisions(quote) == [
        "Prime Minister",
        "denounced",
        '"Flagrant violation of sovereignty"',
        "Iraqi",
    ]
    # Each piece maps back to the seed's own characters.
    assert pieces_in(PARAGRAPH, quote) == [
        "Prime Minister",
        "denounced",
        "\u201cFlagrant violation of sovereignty\u201d",
        "Iraqi",
    ]


def test_leading_and_trailing_elisions_are_dropped() -> None:
    assert split_elisions("\u2026 to prevent further attacks \u2026") == [
        "to prevent further attacks"
    ]
    assert split_elisions("[...] sends a very important (\u2026)") == ["sends a very important"]


def test_a_quote_that_is_only_elisions_has_no_pieces() -> None:
    assert split_elisions("(\u2026)") == []
    assert split_elisions(" \u2026 ... ") == []
    assert match_pieces(normalize(PARAGRAPH), []) is None


def test_elided_quote_matches_an_elision_in_the_seed_itself() -> None:
    # Le Monde's own text has "(…)" inside Blinken's words.
    quote = (
        "This action of self-defense (\u2026) to prevent further attacks sends a very "
        "important and strong message"
    )
    assert pieces_in(PARAGRAPH, quote) == [
        "This action of self-defense",
        "to prevent further attacks sends a very important and strong message",
    ]


def test_pieces_must_occur_in_order() -> None:
    assert occurs(PARAGRAPH, "Despite protests \u2026 Antony Blinken")
    assert not occurs(PARAGRAPH, "Antony Blinken \u2026 Despite protests")
    assert not occurs(PARAGRAPH, "strong message [\u2026] This action of self-defense")


def test_pieces_may_not_overlap() -> None:
    assert occurs("one act, then another act.", "act \u2026 act")
    assert not occurs("only one act.", "act \u2026 act")
    assert not occurs("a strong message", "a strong \u2026 strong message")


def test_every_piece_must_occur() -> None:
    assert not occurs(PARAGRAPH, "Despite protests \u2026 from Tehran")
    assert not occurs(PARAGRAPH, "Despite protests \u2026 the US \u2026 Donald Trump")


def test_pieces_must_be_in_one_paragraph() -> None:
    first = "President Joe Biden ordered strikes against pro-Iranian Shiite militias."
    second = "Prime Minister Mustafa Al-Kadhimi denounced the strikes."
    quote = "President Joe Biden ordered strikes \u2026 Prime Minister Mustafa Al-Kadhimi"
    assert not occurs(first, quote)
    assert not occurs(second, quote)
    assert occurs(f"{first} {second}", quote)


def test_repeated_words_in_pieces() -> None:
    paragraph = "the US said no. Later the US said yes, according to Blinken."
    assert pieces_in(paragraph, "the US said \u2026 the US said yes") == [
        "the US said",
        "the US said yes",
    ]
    assert pieces_in(paragraph, "the US said \u2026 Blinken") == ["the US said", "Blinken"]
    assert not occurs(paragraph, "the US said yes \u2026 the US said")


def test_match_pieces_spans_are_in_the_normalized_text() -> None:
    norm = normalize(PARAGRAPH)
    spans = match_pieces(norm, split_elisions('Minister … "Flagrant'))
    assert spans is not None
    assert [norm.text[s:e] for s, e in spans] == ["Minister", '"Flagrant']


def test_original_slices_equal_the_quoted_words() -> None:
    quote = (
        'Prime Minister Mustafa Al-Kadhimi denounced a "Flagrant violation of sovereignty" '
        'Iraqi and called "To avoid escalation" - the US administration'
    )
    original = (
        "Prime Minister Mustafa Al-Kadhimi denounced a \u201cFlagrant violation of "
        "sovereignty\u201d Iraqi and called \u201cTo avoid escalation\u201d \u2014 the US "
        "administration"
    )
    assert pieces_in(PARAGRAPH, quote) == [original]
    assert fold(original) == fold(quote)


def test_original_slices_across_wrapped_lines() -> None:
    paragraph = "the pro-Iranian  militias\u2019\n  action in 2020."
    assert pieces_in(paragraph, "militias' action") == ["militias\u2019\n  action"]


# -- closest passage and differences, for "did you mean" notes -------------------------


def test_closest_passage_of_a_one_word_misquote() -> None:
    closest = closest_passage(PARAGRAPH, "sends a very important and clear message")
    assert closest is not None
    assert PARAGRAPH[closest.start : closest.end] == "sends a very important and strong message"
    assert 0.8 < closest.ratio < 1


def test_closest_passage_of_exact_words_is_those_words() -> None:
    closest = closest_passage(PARAGRAPH, "Antony Blinken")
    assert closest is not None
    assert PARAGRAPH[closest.start : closest.end].startswith("Antony Blinken")
    assert closest.ratio == 1


def test_closest_passage_maps_back_to_typographic_text() -> None:
    closest = closest_passage(PARAGRAPH, 'denounced a "flagrant violation of sovereignty"')
    assert closest is not None
    assert PARAGRAPH[closest.start : closest.end] == (
        "denounced a \u201cFlagrant violation of sovereignty\u201d"
    )


def test_closest_passage_needs_words() -> None:
    assert closest_passage("", "anything") is None
    assert closest_passage(PARAGRAPH, "") is None
    assert closest_passage(PARAGRAPH, " \n ") is None


def test_mark_differences_marks_a_changed_word() -> None:
    found = "sends a very important and strong message"
    assert (
        mark_differences(found, "sends a very important and clear message")
        == "sends a very important and »strong« message"
    )


def test_mark_differences_marks_words_the_seed_has_and_the_quote_lacks() -> None:
    found = "sends a very important and strong message"
    assert (
        mark_differences(found, "sends a very strong message")
        == "sends a very »important and« strong message"
    )


def test_mark_differences_shows_words_the_seed_lacks() -> None:
    assert (
        mark_differences("sends a strong message", "sends a very strong message")
        == "sends a »(not in seed: very)« strong message"
    )


def test_mark_differences_ignores_what_matching_ignores() -> None:
    found = "Revolutionary Guards\u2019 external operations \u2013 in 2020"
    assert mark_differences(found, "Revolutionary Guards' external operations - in 2020") == found


def test_mark_differences_of_identical_words_marks_nothing() -> None:
    assert mark_differences("to avoid escalation", "to avoid escalation") == "to avoid escalation"


def test_mark_differences_marks_a_case_difference() -> None:
    found = "denounced a \u201cFlagrant violation of sovereignty\u201d"
    assert (
        mark_differences(found, 'denounced a "flagrant violation of sovereignty"')
        == "denounced a »\u201cFlagrant« violation of sovereignty\u201d"
    )


def test_mark_differences_marks_a_punctuation_difference() -> None:
    found = "Antony Blinken, on the Revolutionary Guards"
    wanted = "Antony Blinken on the Revolutionary Guards"
    assert not occurs(found, wanted)
    assert "»" in mark_differences(found, wanted)


@pytest.mark.parametrize("text", ["U.S. forces", "a .. b", "a \u2025 b", "a () b", "a [] b"])
def test_other_dots_and_brackets_are_not_elisions(text: str) -> None:
    assert split_elisions(text) == [text]


def test_closest_passage_ignores_a_dash_and_prefers_one_edit() -> None:
    paragraph = "Al-Kadhimi called “To avoid escalation” – and calls for revenge followed."
    found = closest_passage(paragraph, "To avoid an escalation")
    assert found is not None
    passage = paragraph[found.start : found.end]
    assert passage == "“To avoid escalation”"
    assert mark_differences(passage, "To avoid an escalation") == (
        "“To avoid »(not in seed: an)« escalation”"
    )
