"""Pasted text, cleaned: the built-in boilerplate patterns, cards, and the forgiving top."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefgen.stages.boilerplate import BUILTIN_NAMES
from briefgen.stages.config import parse_config
from briefgen.stages.seeds import Seed, parse_seed

REPO = Path(__file__).resolve().parents[1]
PATH = "seeds/x.txt"
TOP = "August 3, 2021\n\nHeadline of the day\n\nFirst real paragraph of the article.\n\n"
LAST = "\n\nLast real paragraph of the article.\n"


def parse(text: str, off: tuple[str, ...] = (), site: tuple[str, ...] = ()) -> Seed:
    seed, problems = parse_seed(PATH, "x", text, site, off=off)
    assert [p.format() for p in problems] == []
    assert seed is not None
    return seed


def body(seed: Seed) -> list[str]:
    return [p.text for p in seed.paragraphs]


REAL = ["First real paragraph of the article.", "Last real paragraph of the article."]

BOILERPLATE = [
    ("advertising", "Advertisement"),
    ("advertising", "ADVERTISEMENT"),
    ("advertising", "Anzeige"),
    ("advertising", "Publicité"),
    ("advertising", "Publicidad"),
    ("advertising", "إعلان"),
    ("advertising", "Story continues below advertisement"),
    ("share-buttons", "Share on Facebook"),
    ("share-buttons", "Share via Email"),
    ("share-buttons", "Share on Twitter Share on WhatsApp"),
    ("share-buttons", "Partager"),
    ("share-buttons", "Partager sur Facebook"),
    ("share-buttons", "Teilen"),
    ("share-buttons", "Compartir"),
    ("share-buttons", "شارك"),
    ("image-credits", "Image copyright Getty Images"),
    ("image-credits", "Image caption Protesters gathered outside the embassy on Monday"),
    ("image-credits", "Credit…Ahmad Al-Rubaye/Agence France-Presse"),
    ("image-credits", "Photo : AFP"),
    ("image-credits", "Foto: dpa"),
    ("image-credits", "Bild: Reuters"),
    ("image-credits", "Fuente: EFE"),
    ("image-credits", "صورة: رويترز"),
    ("media-playback", "Media playback is unsupported on your device"),
    ("newsletter", "Sign up for our morning newsletter"),
    ("newsletter", "Free Sign Up"),
    ("newsletter", "Abonnez-vous"),
    ("newsletter", "Jetzt abonnieren"),
    ("newsletter", "Suscríbete"),
    ("newsletter", "اشترك"),
    ("continue-reading", "Continue reading the main story"),
    ("read-more", "Read more: Iran's militias in Iraq"),
    ("read-more", "Lire aussi Le projet de loi sur le renseignement"),
    ("read-more", "Mehr zum Thema: Mangos werden teurer"),
    ("read-more", "Lea también: Las milicias de Irak"),
    ("read-more", "اقرأ أيضا: الميليشيات في العراق"),
    ("byline", "By Jane Doe"),
    ("byline", "By Jane Doe and John Smith"),
    ("byline", "Par Jean-Pierre Dupont"),
    ("byline", "Von Anna Schmidt"),
    ("byline", "Por María de la Cruz"),
    ("byline", "بقلم محمد علي"),
    ("share-count", "75,345 shares"),
    ("share-count", "1.2K shares"),
    ("ad-slot", "/3933714/TOI_Desktop/336x280_Middle_1"),
    ("gallery", "Slideshow ( 15 images )"),
    ("gallery", "Picture gallery - related image"),
    ("gallery", "Bildergalerie"),
    ("gallery", "Galería de fotos"),
    ("gallery", "معرض الصور"),
    ("standards", "Our Standards: The Thomson Reuters Trust Principles."),
    ("related-coverage", "Related Coverage"),
    ("related-coverage", "Sur le même sujet"),
]


@pytest.mark.parametrize(("name", "line"), BOILERPLATE, ids=[line for _, line in BOILERPLATE])
def test_each_builtin_family_removes_pasted_boilerplate(name: str, line: str) -> None:
    text = TOP + line + LAST
    assert body(parse(text)) == REAL
    # Switched off by name, the paragraph is body text again.
    assert line in body(parse(text, off=(name,)))


def test_read_more_headlines_become_related_reading() -> None:
    seed = parse(TOP + "Read more: Iran's militias in Iraq" + LAST)
    assert seed.related == ("Iran's militias in Iraq",)


@pytest.mark.parametrize(
    "sentence",
    [
        "The advertisement campaign was launched in May.",
        "He said he would share the data with the inspectors.",
        "Share prices fell by 3 percent on Monday.",
        "By Monday, the talks had collapsed.",
        "Par ailleurs, le gouvernement a annoncé un plan.",
        "Von Montag an gilt die neue Regel.",
        "Por eso, el gobierno decidió actuar.",
        "Photos of the victims were shown in court.",
        "Sign up for the draft began on Monday.",
        "Read more books, doctors say.",
        "Related parties agreed to the deal.",
        "Continue reading the report, the minister said.",
        "Credit card debt rose for the third month.",
        "Teilen ist für viele Menschen wichtig.",
        "Our standards are high, the minister said.",
        "The gallery opened in 1990.",
        "About 75,345 shares changed hands.",
    ],
)
def test_real_sentences_are_kept(sentence: str) -> None:
    assert body(parse(TOP + sentence + LAST)) == [REAL[0], sentence, REAL[1]]


def test_a_two_paragraph_card_becomes_related_reading() -> None:
    text = TOP + "Iran's militias in Iraq\n\nRead more" + LAST
    seed = parse(text)
    assert body(seed) == REAL
    assert seed.related == ("Iran's militias in Iraq",)
    french = parse(TOP + "Le projet de loi sur le renseignement\n\nLire aussi" + LAST)
    assert french.related == ("Le projet de loi sur le renseignement",)


def test_a_card_never_takes_a_long_paragraph() -> None:
    long = "A real paragraph, " * 15 + "as long as any."
    seed = parse(TOP + long + "\n\nRead more" + LAST)
    assert body(seed) == [REAL[0], long, REAL[1]]
    assert seed.related == ()


def test_a_site_pattern_with_a_card_group_takes_the_paragraph_before() -> None:
    text = TOP + "Iran's militias in Iraq\n\nSEE ALSO" + LAST
    seed = parse(text, site=("^(?P<card>SEE ALSO)$",))
    assert body(seed) == REAL
    assert seed.related == ("Iran's militias in Iraq",)
    plain = parse(text, site=("^SEE ALSO$",))
    assert "Iran's militias in Iraq" in body(plain)


def test_the_top_may_hold_a_section_label_and_a_byline_before_the_headline() -> None:
    text = (
        "World\nBy Jane Doe\nAugust 3, 2021\n"
        "American strikes against pro-Iran militias\nShare on Facebook\n\n"
        "In response to drone attacks, strikes were ordered.\n"
    )
    seed = parse(text)
    assert seed.date == dt.date(2021, 8, 3)
    assert seed.headline == "American strikes against pro-Iran militias"
    assert seed.headline_line == 4
    assert body(seed) == ["In response to drone attacks, strikes were ordered."]
    assert seed.paragraphs[0].line == 7


def test_the_date_may_follow_the_byline_and_the_headline() -> None:
    seed = parse("By Jane Doe\nMarch 3, 2021\n\nHeadline\n\nBody.\n")
    assert (seed.date, seed.headline, seed.headline_line) == (dt.date(2021, 3, 3), "Headline", 4)
    later = parse("Middle East\n\nThe headline here\nBy Jane Doe\n3 août 2021\n\nBody.\n")
    assert (later.date, later.headline, body(later)) == (
        dt.date(2021, 8, 3),
        "The headline here",
        ["Body."],
    )


def test_the_strict_top_is_unchanged() -> None:
    # A one-word headline and a body without a full stop: no label is guessed after a date.
    seed = parse("August 3, 2021\nHeadline\nBody text\n")
    assert (seed.headline, body(seed)) == ("Headline", ["Body text"])


def test_no_date_in_the_top_is_the_first_line_error_as_before() -> None:
    seed, problems = parse_seed(PATH, "x", "By Jane Doe\nHeadline\n\nBody, no date.\n")
    assert seed is None
    assert (
        problems[0]
        .format()
        .startswith(f"{PATH}:1:1: error: first line must be the article's date; got 'By Jane Doe'")
    )


def test_every_seed_in_the_repo_parses_as_before() -> None:
    expected = json.loads((REPO / "tests/fixtures/seeds-parsed.json").read_text("utf-8"))
    for name, want in expected.items():
        text = (REPO / name).read_text(encoding="utf-8")
        seed, problems = parse_seed(name, Path(name).stem, text)
        assert seed is not None, problems
        got = [
            seed.headline,
            seed.headline_line,
            str(seed.date),
            [[p.text, p.line] for p in seed.paragraphs],
            list(seed.related),
            seed.missing_percent,
        ]
        assert got == want, name


def test_boilerplate_off_names_are_checked_with_did_you_mean() -> None:
    config, problems = parse_config("briefgen.yml", "boilerplate_off:\n  - bylines\n", "site")
    assert config is None
    assert [p.format() for p in problems] == [
        "briefgen.yml:2:5: error: boilerplate_off: no built-in pattern is called 'bylines'\n"
        "  hint: did you mean 'byline'?"
    ]
    config, problems = parse_config("briefgen.yml", "boilerplate_off: [byline, ad-slot]\n", "s")
    assert problems == [] and config is not None
    assert config.boilerplate_off == ("byline", "ad-slot")
    assert set(config.boilerplate_off) <= set(BUILTIN_NAMES)


def test_the_readme_example_top_reads_as_it_says() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The top of a seed", 1)[1]
    example = section.split("```text\n", 1)[1].split("```", 1)[0]
    seed = parse(example)
    assert seed.date == dt.date(2021, 8, 3)
    assert seed.headline == "American strikes against pro-Iran militias in Iraq and Syria"
    assert body(seed) == ["In response to the increase in drone attacks…"]


def test_a_read_also_line_in_the_top_is_related_reading() -> None:
    seed = parse("August 3, 2021\nRead also: Iran's militias in Iraq\nHeadline\n\nBody.\n")
    assert (seed.headline, seed.related) == ("Headline", ("Iran's militias in Iraq",))
