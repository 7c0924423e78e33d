"""Seed articles: date line, headline, body paragraphs and publisher boilerplate.

Everything here is what an editor sees: the parsed date and headline, which paragraphs
make the body (and where they are in the file, for notes that point into the seed), and
the exact located errors for seeds that cannot be read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.inputs import decode
from briefgen.seeds import Seed, parse_seed

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = "seeds/us-strikes-iraq-syria.txt"
PATH = "seeds/x.txt"
DATE_HINT = "  hint: write it as August 3, 2021, 3 August 2021 or 2021-08-03"
EMPTY = (
    f"{PATH}:1:1: error: seed is empty\n  hint: a seed starts with a date line, then the headline"
)
UTF8_HINT = "  hint: save the file as UTF-8 (most editors: 'Save with encoding')"


def parse(text: str, boilerplate: tuple[str, ...] = ()) -> Seed:
    """A seed that must parse without problems."""
    seed, problems = parse_seed(PATH, "x", text, boilerplate)
    assert [p.format() for p in problems] == []
    assert seed is not None
    return seed


def problems_of(text: str) -> list[str]:
    """The diagnostics of a seed that must fail, as the CLI prints them."""
    seed, problems = parse_seed(PATH, "x", text)
    assert seed is None
    return [p.format() for p in problems]


def body(seed: Seed) -> list[str]:
    return [p.text for p in seed.paragraphs]


# -- the date line ----------------------------------------------------------------------

AUG_3 = dt.date(2021, 8, 3)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the spec's three formats
        ("August 3, 2021", AUG_3),
        ("3 August 2021", AUG_3),
        ("2021-08-03", AUG_3),
        # variants of the same formats
        ("August 3 2021", AUG_3),
        ("August 03, 2021", AUG_3),
        ("03 August 2021", AUG_3),
        ("august 3, 2021", AUG_3),
        ("AUGUST 3, 2021", AUG_3),
        ("  August 3, 2021  ", AUG_3),
        ("August\u00a03,\u00a02021", AUG_3),
        ("August  3,   2021", AUG_3),
        # abbreviated months
        ("Aug 3, 2021", AUG_3),
        ("Aug. 3, 2021", AUG_3),
        ("3 Aug 2021", AUG_3),
        ("3 Aug. 2021", AUG_3),
        ("Jan 5, 2021", dt.date(2021, 1, 5)),
        ("Feb. 28, 2021", dt.date(2021, 2, 28)),
        ("Mar 1, 2021", dt.date(2021, 3, 1)),
        ("Apr 30, 2021", dt.date(2021, 4, 30)),
        ("May 9, 2021", dt.date(2021, 5, 9)),
        ("Jun 28, 2021", dt.date(2021, 6, 28)),
        ("Jul 14, 2021", dt.date(2021, 7, 14)),
        ("Sep 3, 2021", dt.date(2021, 9, 3)),
        ("Sept. 3, 2021", dt.date(2021, 9, 3)),
        ("Oct 1, 2021", dt.date(2021, 10, 1)),
        ("11 Nov 2021", dt.date(2021, 11, 11)),
        ("25 Dec. 2021", dt.date(2021, 12, 25)),
        # a leading weekday, full or abbreviated, with or without a comma
        ("Tuesday, August 3, 2021", AUG_3),
        ("Tuesday August 3, 2021", AUG_3),
        ("Tuesday, 3 August 2021", AUG_3),
        ("Tuesday 3 August 2021", AUG_3),
        ("Tue, 3 Aug 2021", AUG_3),
        ("Tue. Aug. 3, 2021", AUG_3),
        ("Tues. Aug. 3, 2021", AUG_3),
        ("Monday, August 2, 2021", dt.date(2021, 8, 2)),
        ("Wednesday, August 4, 2021", dt.date(2021, 8, 4)),
        ("Wed 4 Aug 2021", dt.date(2021, 8, 4)),
        ("Thursday, 5 August 2021", dt.date(2021, 8, 5)),
        ("Thu, Aug 5, 2021", dt.date(2021, 8, 5)),
        ("Thurs. 5 Aug 2021", dt.date(2021, 8, 5)),
        ("Friday, August 6, 2021", dt.date(2021, 8, 6)),
        ("Saturday, 7 August 2021", dt.date(2021, 8, 7)),
        ("Sat 7 Aug 2021", dt.date(2021, 8, 7)),
        ("Sunday, August 8, 2021", dt.date(2021, 8, 8)),
        ("Sun, 8 Aug 2021", dt.date(2021, 8, 8)),
    ],
)
def test_date_line_formats(line: str, expected: dt.date) -> None:
    seed = parse(f"{line}\n\nA headline\n\nA body paragraph.\n")
    assert seed.date == expected
    assert seed.headline == "A headline"


@pytest.mark.parametrize(
    "line",
    [
        "2021-8-3",
        "2021/08/03",
        "03/08/2021",
        "August 32, 2021",
        "February 30, 2021",
        "2021-02-30",
        "2021-13-01",
        "Augustus 3, 2021",
        "August 2021",
        "August 3",
        "Yesterday",
        "By Madjid Zerrouky",
        "August 3, 2021 at 10:00",
    ],
)
def test_bad_date_line_is_located_with_a_hint(line: str) -> None:
    assert problems_of(f"{line}\n\nA headline\n\nA body paragraph.\n") == [
        f"{PATH}:1:1: error: first line must be the article's date; got '{line}'\n{DATE_HINT}"
    ]


def test_bad_date_line_after_blank_lines_names_its_line() -> None:
    text = "\n\n\nAmerican strikes against pro-Iran militias\n\nA body paragraph.\n"
    assert problems_of(text) == [
        f"{PATH}:4:1: error: first line must be the article's date; "
        f"got 'American strikes against pro-Iran militias'\n{DATE_HINT}"
    ]


def test_bad_date_line_is_quoted_only_in_part_when_long() -> None:
    line = "In response to the increase in drone attacks against US forces stationed in Iraq"
    assert problems_of(f"{line}\n\nA body paragraph.\n") == [
        f"{PATH}:1:1: error: first line must be the article's date; got '{line[:60]}'\n{DATE_HINT}"
    ]


# -- headline ---------------------------------------------------------------------------


def test_headline_is_the_next_non_empty_line() -> None:
    seed = parse("August 3, 2021\n\n\nAmerican strikes in Iraq and Syria\n\nBody.\n")
    assert seed.headline == "American strikes in Iraq and Syria"
    assert seed.headline_line == 4


def test_headline_may_follow_the_date_without_a_blank_line() -> None:
    seed = parse("August 3, 2021\nAmerican strikes in Iraq and Syria\n\nBody.\n")
    assert seed.headline == "American strikes in Iraq and Syria"
    assert seed.headline_line == 2
    assert body(seed) == ["Body."]
    assert seed.paragraphs[0].line == 4


def test_lines_right_after_the_headline_are_the_first_paragraph() -> None:
    seed = parse("August 3, 2021\n\nHeadline\nFirst paragraph,\nwrapped.\n\nSecond.\n")
    assert seed.headline == "Headline"
    assert body(seed) == ["First paragraph, wrapped.", "Second."]
    assert [p.line for p in seed.paragraphs] == [4, 7]


def test_headline_spacing_is_collapsed() -> None:
    seed = parse("August 3, 2021\n\n  US\u00a0strikes   on\tmilitias  \n\nBody.\n")
    assert seed.headline == "US strikes on militias"


def test_headline_keeps_typographic_quotes() -> None:
    seed = parse("August 3, 2021\n\n“A strong message” according to Blinken\n\nBody.\n")
    assert seed.headline == "“A strong message” according to Blinken"


# -- paragraphs -------------------------------------------------------------------------


def test_paragraphs_and_their_lines() -> None:
    text = (
        "August 3, 2021\n"  # 1
        "\n"
        "Headline\n"  # 3
        "\n"
        "First paragraph.\n"  # 5
        "\n"
        "\n"
        "\n"
        "Second paragraph,\n"  # 9
        "on two lines.\n"
        "\n"
        "Third.\n"  # 12
    )
    seed = parse(text)
    assert body(seed) == ["First paragraph.", "Second paragraph, on two lines.", "Third."]
    assert [p.line for p in seed.paragraphs] == [5, 9, 12]


def test_wrapped_paragraph_locates_every_character_in_the_file() -> None:
    text = (
        "August 3, 2021\n"
        "\n"
        "Headline\n"
        "\n"
        "Despite protests from Baghdad\n"  # line 5
        "the US administration has   \n"  # line 6, trailing spaces
        "  shown its firmness.\n"  # line 7, indented
    )
    seed = parse(text)
    [paragraph] = seed.paragraphs
    assert paragraph.text == (
        "Despite protests from Baghdad the US administration has   shown its firmness."
    )
    assert paragraph.line == 5

    def where(words: str) -> tuple[int, int]:
        return paragraph.locate(paragraph.text.index(words))

    assert where("Despite") == (5, 1)
    assert where("Baghdad") == (5, 23)
    assert where("the US") == (6, 1)
    assert where("administration") == (6, 8)
    assert where("shown") == (7, 3)
    assert where("firmness") == (7, 13)
    assert paragraph.locate(len(paragraph.text) - 1) == (7, 21)  # the final period
    # Each located column holds the character in the file.
    lines = text.split("\n")
    for offset, ch in enumerate(paragraph.text):
        line, col = paragraph.locate(offset)
        if ch != " ":
            assert lines[line - 1][col - 1] == ch, (offset, ch, line, col)


def test_paragraph_text_keeps_non_breaking_spaces_and_typography() -> None:
    seed = parse("August 3, 2021\n\nHeadline\n\nA “Flagrant\u00a0violation” – said.\n")
    assert body(seed) == ["A “Flagrant\u00a0violation” – said."]


# -- line ends, BOM, non-breaking spaces -----------------------------------------------

PLAIN = (
    "August 3, 2021\n"
    "\n"
    "American strikes against pro-Iran militias\n"
    "\n"
    "In response to the increase in drone attacks,\n"
    "President Joe Biden ordered strikes.\n"
    "\n"
    "Article reserved for our subscribers Read also Joe Biden draws his red line\n"
    "\n"
    "Since the death of Iranian General Ghassem Soleimani.\n"
    "\n"
    "You have 38.16% of this article to read. The rest is for subscribers only.\n"
)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(PLAIN.replace("\n", "\r\n"), id="crlf"),
        pytest.param(PLAIN.replace("\n", "\r"), id="cr"),
        pytest.param("\ufeff" + PLAIN, id="bom"),
        pytest.param("\ufeff" + PLAIN.replace("\n", "\r\n"), id="bom+crlf"),
        pytest.param(PLAIN.replace("\n\n", "\n \u00a0\t\n"), id="blank-lines-with-nbsp"),
        pytest.param(PLAIN.replace("\n", "  \n"), id="trailing-spaces"),
        pytest.param("\n\n" + PLAIN.replace("\n\n", "\n\n\n") + "\n\n", id="extra-blank-lines"),
    ],
)
def test_line_ends_bom_and_blank_lines_do_not_change_the_seed(variant: str) -> None:
    expected = parse(PLAIN)
    seed = parse(variant)
    assert seed.date == expected.date
    assert seed.headline == expected.headline
    assert body(seed) == body(expected)
    assert seed.related == expected.related
    assert seed.missing_percent == expected.missing_percent


def test_crlf_and_bom_keep_line_numbers() -> None:
    seed = parse("\ufeff" + PLAIN.replace("\n", "\r\n"))
    assert seed.headline_line == 3
    assert [p.line for p in seed.paragraphs] == [5, 10]
    assert seed.paragraphs[0].locate(seed.paragraphs[0].text.index("President")) == (6, 1)


def test_bom_is_not_part_of_the_date_line() -> None:
    assert parse("\ufeff2021-08-03\n\nHeadline\n\nBody.\n").date == AUG_3


# -- publisher boilerplate --------------------------------------------------------------


def test_read_also_becomes_related_reading_and_leaves_the_body() -> None:
    seed = parse(PLAIN)
    assert seed.related == ("Joe Biden draws his red line",)
    assert not any("Read also" in text for text in body(seed))


def test_paywall_notice_marks_the_share_missing_and_leaves_the_body() -> None:
    seed = parse(PLAIN)
    assert seed.missing_percent == "38.16"
    assert body(seed) == [
        "In response to the increase in drone attacks, President Joe Biden ordered strikes.",
        "Since the death of Iranian General Ghassem Soleimani.",
    ]


def test_complete_article_is_not_truncated() -> None:
    seed = parse("August 3, 2021\n\nHeadline\n\nBody.\n")
    assert seed.missing_percent is None
    assert seed.related == ()


@pytest.mark.parametrize(
    ("notice", "missing"),
    [
        ("You have 38.16% of this article to read. The rest is for subscribers only.", "38.16"),
        (
            "You have 38,16 % of this article left to read. The rest is for subscribers only.",
            "38.16",
        ),
        ("You have 62% of this article to read. The rest is for subscribers only", "62"),
    ],
)
def test_paywall_notice_variants(notice: str, missing: str) -> None:
    seed = parse(f"August 3, 2021\n\nHeadline\n\nBody.\n\n{notice}\n")
    assert seed.missing_percent == missing
    assert body(seed) == ["Body."]


RED_LINE = "Biden draws his red line"


@pytest.mark.parametrize(
    "notice",
    [
        f"Article reserved for our subscribers Read also {RED_LINE}",
        f"Read also {RED_LINE}",
        f"Read also: {RED_LINE}",
        "Article reserved for our subscribers\nRead also Biden draws\nhis red line",
    ],
)
def test_read_also_variants(notice: str) -> None:
    seed = parse(f"August 3, 2021\n\nHeadline\n\nBody.\n\n{notice}\n\nMore body.\n")
    assert seed.related == (RED_LINE,)
    assert body(seed) == ["Body.", "More body."]


def test_several_read_also_headlines_keep_their_order() -> None:
    seed = parse(
        "August 3, 2021\n\nHeadline\n\nBody.\n\nRead also First story\n\n"
        "More body.\n\nRead also Second story\n\nEnd.\n"
    )
    assert seed.related == ("First story", "Second story")
    assert body(seed) == ["Body.", "More body.", "End."]


def test_read_also_inside_a_sentence_is_body_text() -> None:
    seed = parse("August 3, 2021\n\nHeadline\n\nWe read also the statement of the Pentagon.\n")
    assert body(seed) == ["We read also the statement of the Pentagon."]
    assert seed.related == ()


def test_config_boilerplate_paragraphs_leave_the_body() -> None:
    text = (
        "August 3, 2021\n\nHeadline\n\nBody.\n\n"
        "Sign up to our newsletter for the best of the news.\n\n"
        "More body.\n\n"
        "© Le Monde 2021\n"
    )
    seed = parse(text, ("^Sign up to our newsletter", r"^© Le Monde \d{4}$"))
    assert body(seed) == ["Body.", "More body."]
    # Without the config, those paragraphs are body text.
    assert len(parse(text).paragraphs) == 4


def test_config_boilerplate_adds_to_the_built_in_patterns() -> None:
    text = PLAIN + "\nSign up to our newsletter\n"
    seed = parse(text, ("^Sign up to our newsletter",))
    assert seed.related == ("Joe Biden draws his red line",)
    assert seed.missing_percent == "38.16"
    assert len(seed.paragraphs) == 2


def test_config_boilerplate_may_capture_related_and_missing() -> None:
    text = (
        "August 3, 2021\n\nHeadline\n\nBody.\n\n"
        "SEE ALSO >> Iran's militias in Iraq\n\n"
        "Subscribe to read the remaining 45% of this story.\n"
    )
    seed = parse(
        text,
        (
            r"^SEE ALSO >> (?P<related>.+)$",
            r"^Subscribe to read the remaining (?P<missing>\d+)% of this story\.$",
        ),
    )
    assert body(seed) == ["Body."]
    assert seed.related == ("Iran's militias in Iraq",)
    assert seed.missing_percent == "45"


# -- seeds that cannot be read ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("\n\n  \n\t\n", id="blank-lines"),
        pytest.param("\ufeff", id="bom-only"),
        pytest.param("\r\n\r\n", id="crlf-only"),
        pytest.param("\u00a0\n", id="nbsp-only"),
    ],
)
def test_empty_seed(text: str) -> None:
    assert problems_of(text) == [EMPTY]


def test_date_without_headline() -> None:
    assert problems_of("\n\nAugust 3, 2021\n\n") == [
        f"{PATH}:3:1: error: seed has a date but no headline"
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("August 3, 2021\n\nHeadline\n", 3, id="headline-only"),
        pytest.param("August 3, 2021\nHeadline\n\n\n", 2, id="headline-under-date"),
        pytest.param(
            "August 3, 2021\n\nHeadline\n\n"
            "Article reserved for our subscribers Read also Another story\n\n"
            "You have 38.16% of this article to read. The rest is for subscribers only.\n",
            3,
            id="only-boilerplate",
        ),
    ],
)
def test_seed_without_body(text: str, line: int) -> None:
    assert problems_of(text) == [
        f"{PATH}:{line}:1: error: seed has no body paragraphs after the headline"
    ]


# -- the example seed -------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Seed:
    text = (REPO / EXAMPLE).read_text(encoding="utf-8")
    seed, problems = parse_seed(EXAMPLE, "us-strikes-iraq-syria", text)
    assert problems == []
    assert seed is not None
    return seed


def test_example_seed_date_and_headline(example: Seed) -> None:
    assert example.path == EXAMPLE
    assert example.slug == "us-strikes-iraq-syria"
    assert example.date == dt.date(2021, 8, 3)
    assert example.headline == (
        "American strikes against pro-Iran militias in Iraq and Syria, "
        "“a strong message” according to Blinken"
    )
    assert example.headline_line == 3


def test_example_seed_body(example: Seed) -> None:
    # Five paragraphs follow the headline; two are Le Monde's boilerplate.
    assert [p.line for p in example.paragraphs] == [5, 7, 11]
    starts = [p.text[:40] for p in example.paragraphs]
    assert starts == [
        "In response to the increase in drone att",
        "Despite protests from Baghdad – Prime Mi",
        "Since the death of Iranian General Ghass",
    ]
    assert example.paragraphs[1].text.endswith(
        "according to the Syrian Observatory for Human Rights (OSDH)."
    )
    for paragraph in example.paragraphs:
        assert "Read also" not in paragraph.text
        assert "subscribers" not in paragraph.text


def test_example_seed_boilerplate(example: Seed) -> None:
    assert example.related == (
        "Joe Biden draws his red line against threats from Iran and Shiite militias",
    )
    assert example.missing_percent == "38.16"


def test_example_seed_locates_words_in_the_file(example: Seed) -> None:
    lines = (REPO / EXAMPLE).read_text(encoding="utf-8").split("\n")
    expected = {
        "Popular Mobilization units": (5, 481),
        "Antony Blinken": (7, 398),
        "Revolutionary Guards": (11, 102),
    }
    for words, (line, col) in expected.items():
        [paragraph] = [p for p in example.paragraphs if words in p.text]
        assert paragraph.locate(paragraph.text.index(words)) == (line, col)
        assert lines[line - 1][col - 1 :].startswith(words)


# -- bytes that are not UTF-8 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b"August 3, 2021\n\nCaf\xe9 headline\n",
            f"{PATH}:3:4: error: not UTF-8 text: byte 0xe9 at offset 19",
            id="latin-1",
        ),
        pytest.param(
            b"\xff\xfeA\x00u\x00",
            f"{PATH}:1:1: error: not UTF-8 text: byte 0xff at offset 0",
            id="utf-16",
        ),
        pytest.param(
            "August 3, 2021\n\n“Café” ".encode() + b"\x93quote\x94\n",
            f"{PATH}:3:8: error: not UTF-8 text: byte 0x93 at offset 28",
            id="columns-count-characters",
        ),
        pytest.param(
            b"August 3, 2021\r\n\r\nHeadline \x96 dash\r\n",
            f"{PATH}:3:10: error: not UTF-8 text: byte 0x96 at offset 27",
            id="crlf",
        ),
        pytest.param(
            b"August 3, 2021\n\nHeadline\n\nBody \xe2\x80",
            f"{PATH}:5:6: error: not UTF-8 text: byte 0xe2 at offset 31",
            id="truncated-sequence",
        ),
        pytest.param(
            b"\xef\xbb\xbfAugust 3, 2021\n\nCaf\xe9\n",
            f"{PATH}:3:4: error: not UTF-8 text: byte 0xe9 at offset 22",
            id="bom-other-line",
        ),
        pytest.param(
            b"\xef\xbb\xbfAo\xfbt 2021\n",
            f"{PATH}:1:3: error: not UTF-8 text: byte 0xfb at offset 5",
            id="bom-same-line",
        ),
    ],
)
def test_decode_names_byte_offset_line_and_column(data: bytes, expected: str) -> None:
    text, problems = decode(PATH, data)
    assert text is None
    assert [p.format() for p in problems] == [f"{expected}\n{UTF8_HINT}"]


def test_decode_accepts_utf8_and_drops_the_bom() -> None:
    text, problems = decode(PATH, "\ufeffAugust 3, 2021\r\n\r\n“Café” – ok\u00a0".encode())
    assert problems == []
    assert text == "August 3, 2021\r\n\r\n“Café” – ok\u00a0"


def test_decoded_example_seed_parses() -> None:
    text, problems = decode(EXAMPLE, (REPO / EXAMPLE).read_bytes())
    assert problems == []
    assert text is not None
    seed, problems = parse_seed(EXAMPLE, "us-strikes-iraq-syria", text)
    assert problems == []
    assert seed is not None
    assert seed.date == dt.date(2021, 8, 3)
