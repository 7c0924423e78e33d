"""Finding an editor's words in a seed, as the spec defines a match.

Matching ignores typographic vs straight quotes and apostrophes, dash kinds, runs of
whitespace, the space French typography puts before : ; ? ! and inside « » (so any space
next to a double quote mark), Arabic harakat and tatweel, and a one-letter Arabic
proclitic before a quote's first word; nothing else: case, words and other punctuation
count. Elision marks split a quote into
pieces that must occur in order within one paragraph. A match maps back to the exact
characters of the seed, which is where footnotes and notes point.
"""

from __future__ import annotations

import pytest

from briefgen.stages.matching import (
    Passages,
    closest_passage,
    find_all,
    find_parts,
    fold,
    mark_differences,
    match_pieces,
    normalize,
    raw_pieces,
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
    assert norm.text == 'He said"it\'s a deal"'
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
    norm = normalize("a \u2014 b")
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
        pytest.param(
            "a\u00bbFlagrant violation of sovereignty \u00abIraqi", id="any-quote-kind-any-spacing"
        ),
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


def marked(found: str, wanted: str) -> str:
    return mark_differences(found, wanted).text


@pytest.mark.parametrize(
    ("found", "wanted", "shown"),
    [
        pytest.param(
            "sends a very important and strong message",
            "sends a very important and clear message",
            "sends a very important and [-strong-]{+clear+} message",
            id="changed-word",
        ),
        pytest.param(
            "sends a very important and strong message",
            "sends a very strong message",
            "sends a very [-important and-] strong message",
            id="missing-words",
        ),
        pytest.param(
            "sends a strong message",
            "sends a very strong message",
            "sends a {+very+} strong message",
            id="extra-word",
        ),
        pytest.param(
            "killing ten people, according to the Pentagon",
            "killing ten people.",
            "killing ten people[-, according to the Pentagon-]{+.+}",
            id="full-stop-for-comma-and-more",
        ),
        pytest.param(
            "dominated by pro-Tehran militias,",
            "dominated by pro-Tehran militias.",
            "dominated by pro-Tehran militias[-,-]{+.+}",
            id="full-stop-for-comma",
        ),
        pytest.param(
            "Antony Blinken, on the",
            "Antony Blinken on the",
            "Antony Blinken[-,-] on the",
            id="comma-dropped",
        ),
        pytest.param(
            "Antony Blinken on the",
            "Antony Blinken, on the",
            "Antony Blinken{+,+} on the",
            id="comma-added",
        ),
        pytest.param(
            "pro-Iranian militias",
            "pro Iranian militias",
            "[-pro-Iranian-]{+pro Iranian+} militias",
            id="hyphen-dropped-marks-the-word",
        ),
        pytest.param(
            "denounced a \u201cFlagrant violation of sovereignty\u201d",
            'denounced a "flagrant violation of sovereignty"',
            "denounced a \u201c[-Flagrant-]{+flagrant+} violation of sovereignty\u201d",
            id="case",
        ),
        pytest.param(
            "\u00ab Il n\u2019y a pas de risque \u00bb, a assur\u00e9 le ministre",
            "\u00abIl n'y a aucun risque\u00bb, a assur\u00e9 le ministre",
            "\u00ab Il n\u2019y a [-pas de-]{+aucun+} risque \u00bb, a assur\u00e9 le ministre",
            id="guillemets-stay-readable",
        ),
        pytest.param(
            "Revolutionary Guards\u2019 external operations \u2013 in 2020",
            "Revolutionary Guards' external operations - in 2020",
            "Revolutionary Guards\u2019 external operations \u2013 in 2020",
            id="what-matching-ignores-is-not-marked",
        ),
        pytest.param(
            "Le vote a \u00e9t\u00e9 unanime\u202f: correctement",
            "Le vote a \u00e9t\u00e9 unanime: correctement",
            "Le vote a \u00e9t\u00e9 unanime : correctement",
            id="french-space-is-not-marked",
        ),
        pytest.param(
            "وَكُلُّ الشروط",
            "وكل الشروط",
            "وَكُلُّ الشروط",
            id="harakat-are-not-marked",
        ),
        pytest.param(
            "to avoid escalation", "to avoid escalation", "to avoid escalation", id="same"
        ),
    ],
)
def test_mark_differences(found: str, wanted: str, shown: str) -> None:
    assert marked(found, wanted) == shown


@pytest.mark.parametrize(
    ("found", "wanted", "shown"),
    [
        pytest.param(
            "installations in Iraq\u201d,",
            "installations in Iraq",
            "installations in Iraq",
            id="closing-quote-and-comma-after-the-last-word",
        ),
        pytest.param(
            "\u201cTo avoid escalation\u201d",
            "To avoid an escalation",
            "To avoid {+an+} escalation",
            id="quote-marks-around",
        ),
        pytest.param(
            "installations in Iraq\u201d,",
            'installations in Iraq"',
            "installations in Iraq\u201d",
            id="the-quote-has-the-quote-mark-not-the-comma",
        ),
        pytest.param(
            "killing ten people.",
            "killing ten people,",
            "killing ten people[-.-]{+,+}",
            id="the-quote-has-punctuation-there",
        ),
    ],
)
def test_punctuation_at_the_passage_edges_counts_only_where_the_quote_has_some(
    found: str, wanted: str, shown: str
) -> None:
    result = mark_differences(found, wanted)
    assert result.text == shown
    # start/end say which characters of `found` are shown.
    assert fold(found[result.start : result.end]).split()[0] == fold(shown).split()[0]


def test_mark_differences_says_where_the_shown_passage_starts() -> None:
    found = "\u201cTo avoid escalation\u201d"
    result = mark_differences(found, "To avoid an escalation")
    assert found[result.start : result.end] == "To avoid escalation"


def test_mark_differences_marks_a_punctuation_difference() -> None:
    found = "Antony Blinken, on the Revolutionary Guards"
    wanted = "Antony Blinken on the Revolutionary Guards"
    assert not occurs(found, wanted)
    assert "[-,-]" in marked(found, wanted)


@pytest.mark.parametrize("text", ["U.S. forces", "a .. b", "a \u2025 b", "a () b", "a [] b"])
def test_other_dots_and_brackets_are_not_elisions(text: str) -> None:
    assert split_elisions(text) == [text]


def test_closest_passage_ignores_a_dash_and_prefers_one_edit() -> None:
    paragraph = (
        "Al-Kadhimi called \u201cTo avoid escalation\u201d \u2013 and calls for revenge followed."
    )
    found = closest_passage(paragraph, "To avoid an escalation")
    assert found is not None
    passage = paragraph[found.start : found.end]
    assert passage == "\u201cTo avoid escalation\u201d"
    assert marked(passage, "To avoid an escalation") == "To avoid {+an+} escalation"


def test_closest_passage_widens_to_words_the_quote_left_out() -> None:
    paragraph = (
        "a strong message, assured, on Monday, US Secretary of State Antony Blinken in Rome."
    )
    found = closest_passage(
        paragraph, "a strong message, assured US Secretary of State Antony Blinken"
    )
    assert found is not None
    assert paragraph[found.start : found.end].endswith("Antony Blinken")


def test_closest_passage_searches_every_paragraph() -> None:
    paragraphs = ["Nothing alike here.", "Ten people were killed near Al-Qaim.", "Other words."]
    found = Passages([normalize(p) for p in paragraphs]).closest("ten people were killed")
    assert found is not None
    assert found.paragraph == 1
    assert paragraphs[1][found.start : found.end] == "Ten people were killed"


def test_closest_passage_in_a_long_seed_stays_within_its_budget() -> None:
    # Words common in the seed are dropped when over budget; the rare ones still find it.
    filler = " ".join(["the militias said the strikes"] * 20_000)
    paragraphs = [filler, "the militias said the truce has fizzled out", filler]
    found = Passages([normalize(p) for p in paragraphs]).closest(
        "the militias said the truce had fizzled out"
    )
    assert found is not None
    assert found.paragraph == 1


# -- French typography ----------------------------------------------------------------------

FRENCH = (
    "Le vote a \u00e9t\u00e9 unanime : correctement appliqu\u00e9. "
    "\u00ab Il n\u2019y a pas de risque \u00bb, a assur\u00e9 le ministre ; "
    "\u00ab Vraiment ? \u00bb, a-t-il ajout\u00e9 ! \u2039 Non \u203a."
)
FRENCH_TIGHT = (
    "Le vote a \u00e9t\u00e9 unanime: correctement appliqu\u00e9. "
    "\u00abIl n\u2019y a pas de risque\u00bb, a assur\u00e9 le ministre; "
    "\u00abVraiment?\u00bb, a-t-il ajout\u00e9! \u2039Non\u203a."
)


@pytest.mark.parametrize("space", [" ", "\u2009", "\u202f", "\u00a0", "  "])
@pytest.mark.parametrize(
    ("quote", "original"),
    [
        pytest.param("unanime: correctement", "unanime{s}: correctement", id="colon"),
        pytest.param(
            "Le vote a \u00e9t\u00e9 unanime : correctement",
            "Le vote a \u00e9t\u00e9 unanime{s}: correctement",
            id="colon-typed-spaced",
        ),
        pytest.param("le ministre;", "le ministre{s};", id="semicolon"),
        pytest.param("Vraiment?", "Vraiment{s}?", id="question-mark"),
        pytest.param("ajout\u00e9!", "ajout\u00e9{s}!", id="exclamation-mark"),
        pytest.param(
            "\u00abIl n'y a pas de risque\u00bb, a assur\u00e9 le ministre",
            "\u00ab{s}Il n\u2019y a pas de risque{s}\u00bb, a assur\u00e9 le ministre",
            id="guillemets-typed-tight",
        ),
        pytest.param(
            "\u00ab Il n\u2019y a pas de risque \u00bb",
            "\u00ab{s}Il n\u2019y a pas de risque{s}\u00bb",
            id="guillemets-typed-spaced",
        ),
        pytest.param(
            '"Il n\'y a pas de risque"',
            "\u00ab{s}Il n\u2019y a pas de risque{s}\u00bb",
            id="straight-quotes-for-guillemets",
        ),
        pytest.param("\u2039Non\u203a", "\u2039{s}Non{s}\u203a", id="single-guillemets"),
        pytest.param(
            "pas de risque \u00bb \u2026 le ministre ;",
            "pas de risque{s}\u00bb|le ministre{s};",
            id="elided",
        ),
    ],
)
def test_french_spaces_are_optional_both_ways(quote: str, original: str, space: str) -> None:
    spaced = FRENCH.replace(" :", f"{space}:").replace(" ;", f"{space};")
    spaced = spaced.replace(" ?", f"{space}?").replace(" !", f"{space}!")
    spaced = spaced.replace("\u00ab ", f"\u00ab{space}").replace(" \u00bb", f"{space}\u00bb")
    spaced = spaced.replace("\u2039 ", f"\u2039{space}").replace(" \u203a", f"{space}\u203a")
    # The seed spaced the French way, the quote typed either way: the matched span is
    # exactly the seed's characters, its spaces included.
    assert pieces_in(spaced, quote) == original.format(s=space).split("|")
    # The seed without the spaces, the quote typed with them (or not).
    assert pieces_in(FRENCH_TIGHT, quote) == original.format(s="").split("|")


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param("unanime correctement", id="colon-dropped"),
        pytest.param("unanime :correctement", id="space-after-colon-dropped"),
        pytest.param("Il n'y a pas de risque, a", id="guillemet-dropped"),
        pytest.param("le ministre ,", id="space-before-comma"),
        pytest.param("a assur\u00e9le ministre", id="word-space-dropped"),
        pytest.param("appliqu\u00e9 .", id="space-before-full-stop"),
        pytest.param("\u00ab Vraiment ?\u00bb,a-t-il", id="space-after-comma-dropped"),
    ],
)
def test_only_those_french_spaces_are_optional(quote: str) -> None:
    assert not occurs(FRENCH, quote)


def test_french_spaces_keep_the_offset_map_exact() -> None:
    text = "unanime\u202f: \u00ab\u00a0pas de risque\u2009\u00bb !"
    norm = normalize(text)
    assert norm.text == 'unanime:"pas de risque"!'
    for i, ch in enumerate(norm.text):
        assert fold(text[norm.origin[i]]) == ch or (ch == " " and text[norm.origin[i]].isspace())
    assert norm.span(0, len(norm.text)) == (0, len(text))


# -- Arabic ---------------------------------------------------------------------------------

ARABIC = "وكل الشروط متوفرة لإجراء الانتخابات في موعدها"
"""“And all the conditions are met to hold the elections on time.”"""
KUL = "كل"
SHURUT = "الشروط"
REST = "الشروط متوفرة"


@pytest.mark.parametrize(
    "letter",
    [
        pytest.param("و", id="waw"),
        pytest.param("ف", id="fa"),
        pytest.param("ب", id="ba"),
        pytest.param("ل", id="lam"),
        pytest.param("ك", id="kaf"),
    ],
)
def test_a_quote_may_leave_out_a_one_letter_proclitic(letter: str) -> None:
    seed = ARABIC.replace("وكل", letter + KUL, 1)
    quote = f"{KUL} {REST}"
    # The match starts after the proclitic: its original text is exactly the quote.
    assert pieces_in(seed, quote) == [quote]
    # So may an elided piece: ... في موعدها after the proclitic of ... فالانتخابات
    elided_seed = ARABIC.replace(" الان", f" {letter}الان")
    piece = "الانتخابات في"
    assert pieces_in(elided_seed, f"{KUL} {SHURUT} \u2026 {piece}") == [f"{KUL} {SHURUT}", piece]


@pytest.mark.parametrize(
    ("seed_word", "quote"),
    [
        pytest.param("تكل", KUL, id="ta-is-no-proclitic"),
        pytest.param("اكل", KUL, id="alif-is-no-proclitic"),
        pytest.param("وبكل", KUL, id="two-prefix-letters"),
        pytest.param("كله", KUL, id="a-suffix-is-a-word-change"),
        pytest.param(KUL, "وكل", id="adding-a-proclitic"),
        pytest.param("و" + KUL, "و " + KUL, id="proclitic-as-a-word"),
    ],
)
def test_no_other_arabic_word_is_cut(seed_word: str, quote: str) -> None:
    assert not occurs(f"قال {seed_word} {SHURUT}", f"{quote} {SHURUT}")


def test_only_the_first_word_of_a_piece_may_drop_a_proclitic() -> None:
    # The second word of a piece is a whole word: الشروط does not match والشروط there.
    seed = f"{KUL} و{SHURUT}"
    assert not occurs(seed, f"{KUL} {SHURUT}")
    assert occurs(seed, SHURUT)
    # Latin text is not affected: "act" never matches inside "vact".
    assert not occurs("vact", "act")


@pytest.mark.parametrize(
    ("seed", "quote", "original"),
    [
        pytest.param(
            "وَكُلُّ الشُّرُوطِ",
            f"{KUL} {SHURUT}",
            "كُلُّ الشُّرُوطِ",
            id="seed-has-harakat",
        ),
        pytest.param(
            f"و{KUL} {SHURUT}",
            "كُلُّ الشُّرُوطِ",
            f"{KUL} {SHURUT}",
            id="quote-has-harakat",
        ),
        pytest.param(
            "كـل الشروط",
            f"{KUL} {SHURUT}",
            "كـل الشروط",
            id="tatweel",
        ),
        pytest.param(
            "كلٌ من",
            KUL,
            "كلٌ",
            id="span-ends-after-the-last-letters-harakat",
        ),
    ],
)
def test_harakat_and_tatweel_are_typography(seed: str, quote: str, original: str) -> None:
    assert pieces_in(seed, quote) == [original]


def test_harakat_do_not_hide_a_longer_word() -> None:
    # كتب must not match inside كتبَت: the fatha once made a false word boundary.
    assert not occurs("كتبَت", "كتب")


# -- words left out without an elision mark ---------------------------------------------------


def parts_of(paragraphs: list[str], quote: str) -> tuple[int, list[str], list[str]] | None:
    found = find_parts([normalize(p) for p in paragraphs], raw_pieces(quote))
    if found is None:
        return None
    text = paragraphs[found.paragraph]
    return found.paragraph, [text[s:e] for s, e in found.spans], list(found.after)


def test_two_parts_with_words_between() -> None:
    paragraphs = [
        "Unrelated words.",
        "Despite protests from Baghdad \u2013 and calls for revenge \u2013 the US "
        "administration has shown its firmness.",
    ]
    quote = "Despite protests from Baghdad, the US administration has shown its firmness"
    assert parts_of(paragraphs, quote) is None  # the comma is not in the seed
    quote = "Despite protests from Baghdad the US administration has shown its firmness"
    assert parts_of(paragraphs, quote) == (
        1,
        ["Despite protests from Baghdad", "the US administration has shown its firmness"],
        ["Baghdad"],
    )


def test_three_parts_and_the_words_as_typed() -> None:
    paragraph = (
        "The roads, after a week of congestion, were cleared on Monday by the army, "
        "said the prefect \u00ab sans d\u00e9lai \u00bb."
    )
    quote = "The roads were cleared on Monday, said the prefect \u00absans d\u00e9lai\u00bb"
    assert parts_of([paragraph], quote) is None  # "Monday," is not in the seed
    quote = "The roads were cleared on Monday said the prefect \u00absans d\u00e9lai\u00bb"
    assert parts_of([paragraph], quote) == (
        0,
        ["The roads", "were cleared on Monday", "said the prefect \u00ab sans d\u00e9lai \u00bb"],
        ["roads", "Monday"],
    )


def test_parts_keep_the_editors_own_elisions() -> None:
    paragraph = "one two three four five six seven eight nine"
    assert parts_of([paragraph], "one two four five (\u2026) eight nine") == (
        0,
        ["one two", "four five", "eight nine"],
        ["two"],
    )


def test_no_parts_suggestion_for_a_changed_word_or_a_scatter() -> None:
    paragraph = "President Joe Biden ordered strikes against militias; drone attacks continued."
    # A changed word that occurs later is not words left out: one-word parts do not count.
    assert parts_of([paragraph], "President Joe Biden ordered attacks against militias") is None
    # Parts in separate paragraphs do not count either.
    assert parts_of(["one two three", "four five six"], "one two four five") is None
    # Too many parts is words found here and there.
    scatter = "a b x c d x e f x g h x i j"
    assert parts_of([scatter], "a b c d e f g h i j") is None
    assert parts_of([scatter], "a b c d e f g h") is not None


def test_normalize_remembers_quote_pieces_not_paragraphs() -> None:
    """A server normalises every seed paragraph each build: remembered, a thousand of
    them would stay in memory between builds (found by review: up to 0.9 MB each)."""
    from briefgen.stages import matching

    piece = "« Nous ne reculerons pas », a-t-il dit."
    paragraph = "Le ministre a parlé longtemps. " * 200
    assert matching.normalize(piece) is matching.normalize(piece)
    before = matching.remembered.cache_info().currsize
    first = matching.normalize(paragraph)
    assert matching.remembered.cache_info().currsize == before
    assert first == matching.normalize(paragraph)
