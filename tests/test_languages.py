"""The article's language on the page: lang and dir on the seed's words, the language's
own quotation marks, and the page's chrome left in the site's language.

Real briefings are made from Arabic, German and French articles on sites in English (and
the other way round): a screen reader must read a German excerpt as German, and an Arabic
quote must read right to left with its punctuation on the correct side.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefgen.commands import skeleton
from briefgen.stages import matching
from briefgen.vocabulary import languages, quotemarks
from briefgen.vocabulary.languages import direction, html_attributes, quotation_marks, unquoted

from conftest import Project
from conftest import run_cli as run
from htmlcheck import parse


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ar", "rtl"),
        ("he", "rtl"),
        ("fa", "rtl"),
        ("ur", "rtl"),
        ("ckb", "rtl"),
        ("ku-Arab", "rtl"),
        ("ar-Latn", "ltr"),
        ("en", "ltr"),
        ("de-CH", "ltr"),
        ("zh-Hant", "ltr"),
    ],
)
def test_direction_of_a_language(tag: str, expected: str) -> None:
    assert direction(tag) == expected


@pytest.mark.parametrize(
    ("tag", "marks"),
    [
        ("en", ("“", "”")),
        ("en-GB", ("“", "”")),
        ("de", ("„", "“")),
        ("de-CH", ("«", "»")),
        ("fr", ("«\u202f", "\u202f»")),
        ("es", ("«", "»")),
        ("ar", ("”", "“")),
        ("ru", ("«", "»")),
        ("ja", ("「", "」")),
        ("xx", ("“", "”")),  # no convention known: English's
    ],
)
def test_quotation_marks_follow_cldr(tag: str, marks: tuple[str, str]) -> None:
    assert quotation_marks(tag) == marks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("„Wir schaffen das“", "Wir schaffen das"),
        ("« pas de risque »", "pas de risque"),
        ('"a strong message"', "a strong message"),
        ("“El cambio climático”", "El cambio climático"),
        ("»Wir schaffen das«", "Wir schaffen das"),
        ("”دور الاعلام“", "دور الاعلام"),
        ("‘single’", "single"),
        ("’enkel’", "enkel"),  # Swedish single quotes; were kept before one table held them
        ("«Il a dit « non » hier»", "Il a dit « non » hier"),
        # Not one outer pair: left alone.
        ('"A" and "B"', '"A" and "B"'),
        ("“A” and “B”", "“A” and “B”"),
        ("don't stop", "don't stop"),
        ("plain words", "plain words"),
        ("'tis the season", "'tis the season"),
    ],
)
def test_one_outer_pair_of_any_style_is_stripped(text: str, expected: str) -> None:
    assert unquoted(text) == expected


def test_every_quote_mark_list_is_the_one_table() -> None:
    """Matching, `briefgen new` and the page each kept a list of quote marks, and they
    drifted; now each derives its own from vocabulary/quotemarks.py."""
    assert skeleton.OPENERS is quotemarks.OPENERS
    assert languages.OPENING is quotemarks.OPENING
    assert languages.CLOSING is quotemarks.CLOSING
    folded = {c: s for c, s in matching.FOLD.items() if s in "'\""}
    assert folded == quotemarks.FOLDS
    for mark, (folds_to, _, _, _) in quotemarks.MARKS.items():
        assert matching.normalize(f"a{mark}b").text == f"a{folds_to or mark}b"


@pytest.mark.parametrize(
    ("opening", "closing"),
    [(o, c) for o, closers in quotemarks.OPENERS.items() for c in closers],
)
def test_a_pair_briefgen_new_finds_is_a_pair_the_page_strips(opening: str, closing: str) -> None:
    assert unquoted(f"{opening}Wir schaffen das{closing}") == "Wir schaffen das"


def test_attributes_say_only_what_the_page_does_not() -> None:
    assert html_attributes("ar", "en") == {"lang": "ar", "dir": "rtl"}
    assert html_attributes("de", "en") == {"lang": "de"}
    assert html_attributes("en", "ar") == {"lang": "en", "dir": "ltr"}
    assert html_attributes("en", "en") == {}


# -- briefings of Arabic, German and French articles ------------------------------------

ARABIC_SEED = """\
2021-06-28

الكاظمي يدين الضربات الأمريكية

ندد رئيس الوزراء العراقي مصطفى الكاظمي بالضربات، ووصفها بأنها "انتهاك سافر للسيادة العراقية".

وقال المتحدث باسم الحكومة إن "كل الشروط متوفرة" لإجراء الانتخابات في موعدها.

فقرة ثالثة لا تحمل أي ملاحظة.
"""

ARABIC_SIDECAR = """\
summary: Baghdad condemned the strikes.[^article]
tags: [iraq]
article:
  publisher: Assabah
  url: https://assabah.example/strikes
  language: ar
quotes:
  - text: انتهاك سافر للسيادة العراقية
    speaker: مصطفى الكاظمي
    role: رئيس الوزراء
  - text: "\\"كل الشروط متوفرة\\""
    speaker: المتحدث باسم الحكومة
annotations:
  - anchor: مصطفى الكاظمي
    note: Iraq's prime minister since May 2020.
timeline:
  - date: 2021-06-27
    event: U.S. strikes on the Iraq–Syria border.[^article]
    source: article
"""

GERMAN_SEED = """\
2021-06-29

Merkel äußert sich zu den Angriffen

„Wir schaffen das“, sagte die Kanzlerin am Dienstag in Berlin.

Ein zweiter Absatz ohne Anmerkung.
"""

GERMAN_SIDECAR = """\
title: Merkel on the strikes
summary: Berlin spoke.
article:
  publisher: tagesschau
  url: https://tagesschau.example/merkel
  language: de
reproduce: full
quotes:
  - text: „Wir schaffen das“
    speaker: Angela Merkel
  - text: A quote from elsewhere
    speaker: Angela Merkel
    source: faz
sources:
  faz:
    title: Merkel im Interview
    publisher: FAZ
    language: de
"""


def element(html: str, tag: str, containing: str) -> str:
    """The opening tag of the first `tag` element whose content holds `containing`."""
    for m in re.finditer(rf"<{tag}\b[^>]*>", html):
        end = html.find(f"</{tag}>", m.end())
        if containing in html[m.end() : end]:
            return m[0]
    raise AssertionError(f"no <{tag}> containing {containing!r}")


@pytest.fixture
def site(project: Project) -> Path:
    root = project(
        {
            "briefgen.yml": "title: Gulf Desk\nlanguage: en\nsite_url: https://desk.example/\n",
            "seeds/kadhimi.txt": ARABIC_SEED,
            "seeds/kadhimi.yml": ARABIC_SIDECAR,
            "seeds/merkel.txt": GERMAN_SEED,
            "seeds/merkel.yml": GERMAN_SIDECAR.replace("reproduce: full\n", ""),
        }
    )
    code, output = run(root, "build")
    assert code == 0, output
    return root / "site"


def test_arabic_words_read_right_to_left_inside_an_english_page(site: Path) -> None:
    html = (site / "briefings" / "kadhimi" / "index.html").read_text(encoding="utf-8")
    parse(html)  # well-formed
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')  # chrome: the site's
    quote = element(html, "blockquote", "انتهاك سافر")
    assert quote == '<blockquote lang="ar" dir="rtl">'
    # Arabic's own marks (CLDR: ” … “), and the editor's kept pair is not doubled.
    assert "<p>”انتهاك سافر للسيادة العراقية“</p>" in html
    assert "<p>”كل الشروط متوفرة“</p>" in html
    excerpt = element(html, "p", "ندد رئيس الوزراء")
    assert excerpt == '<p lang="ar" dir="rtl">'
    assert element(html, "h1", "الكاظمي يدين") == '<h1 lang="ar" dir="rtl">'  # seed headline
    # The page's own words stay English: headings, the attribution, the elision mark.
    assert element(html, "h2", "Quotes") == '<h2 id="quotes">'
    assert element(html, "p", "[…]") == "<p>"
    # The citation of the article names its headline in Arabic.
    assert '<em lang="ar" dir="rtl"><a href="https://assabah.example/strikes">' in html
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S)[1])  # type: ignore[index]
    assert data["inLanguage"] == "en"
    assert data["isBasedOn"]["inLanguage"] == "ar"


def test_a_german_quote_gets_german_marks_and_lang(site: Path) -> None:
    html = (site / "briefings" / "merkel" / "index.html").read_text(encoding="utf-8")
    assert element(html, "blockquote", "Wir schaffen das") == '<blockquote lang="de">'
    assert "<p>„Wir schaffen das“</p>" in html and "“„" not in html
    # A quote from another source takes that source's language.
    assert element(html, "blockquote", "A quote from elsewhere") == '<blockquote lang="de">'
    assert element(html, "h1", "Merkel on the strikes") == "<h1>"
    markdown = (site.parent / "content" / "merkel.md").read_text(encoding="utf-8")
    assert "> „Wir schaffen das“\n" in markdown


def test_index_pages_feed_and_person_pages_carry_the_language(site: Path) -> None:
    person = next(p for p in (site / "people").glob("*/index.html") if "مصطفى" in p.read_text())
    html = person.read_text(encoding="utf-8")
    assert '<blockquote lang="ar" dir="rtl"><p>”انتهاك سافر للسيادة العراقية“</p>' in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'lang="ar" dir="rtl">الكاظمي يدين الضربات الأمريكية</a>' in home
    assert '">Merkel on the strikes</a>' in home  # the editor's title: the site's language
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert '<title xml:lang="ar">الكاظمي يدين الضربات الأمريكية</title>' in feed
    assert 'href="https://assabah.example/strikes" hreflang="ar"' in feed
    assert 'href="https://tagesschau.example/merkel" hreflang="de"' in feed


def test_an_arabic_site_reads_right_to_left_and_marks_english_words(project: Project) -> None:
    seed = "2021-06-28\n\nTalks in Rome\n\n“We will not be intimidated,” the minister said.\n"
    sidecar = (
        "title: محادثات في روما\nsummary: تحدث الوزير.\narticle:\n  language: en\n"
        "  url: https://news.example/rome\n"
        "quotes:\n  - text: We will not be intimidated\n    speaker: Antony Blinken\n"
    )
    root = project(
        {"briefgen.yml": "language: ar\n", "seeds/rome.txt": seed, "seeds/rome.yml": sidecar}
    )
    assert run(root, "build")[0] == 0
    html = (root / "site" / "briefings" / "rome" / "index.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    assert element(html, "blockquote", "We will not") == '<blockquote lang="en" dir="ltr">'
    assert "<p>“We will not be intimidated”</p>" in html


def test_a_title_that_is_the_seed_headline_keeps_its_language(project: Project) -> None:
    """`briefgen new` writes `title:` with the seed's headline; that title is still the
    article's words (it lost lang and dir, so an Arabic h1 read left to right)."""
    headline = "الكاظمي يدين الضربات الأمريكية"
    root = project(
        {
            "briefgen.yml": "language: en\n",
            "seeds/kadhimi.txt": ARABIC_SEED,
            "seeds/kadhimi.yml": f"title: {headline}\n{ARABIC_SIDECAR}",
        }
    )
    code, output = run(root, "build")
    assert code == 0, output
    html = (root / "site" / "briefings" / "kadhimi" / "index.html").read_text(encoding="utf-8")
    assert element(html, "h1", headline) == '<h1 lang="ar" dir="rtl">'
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert f'lang="ar" dir="rtl">{headline}</a>' in home
    feed = (root / "site" / "feed.xml").read_text(encoding="utf-8")
    assert f'<title xml:lang="ar">{headline}</title>' in feed


def test_a_timeline_event_citing_its_own_source_has_one_footnote(site: Path) -> None:
    """The event cites [^article] and has `source: article`: one mark, one footnote
    (it rendered `[^1][^1]`, read as footnote "11", before)."""
    markdown = (site.parent / "content" / "kadhimi.md").read_text(encoding="utf-8")
    line = next(x for x in markdown.splitlines() if "U.S. strikes on the Iraq" in x)
    assert re.fullmatch(
        r"- \*\*27 June 2021\*\* — U\.S\. strikes on the Iraq–Syria border\.\[\^\d+\]", line
    )


def test_a_shortened_quote_keeping_the_articles_marks_verifies(project: Project) -> None:
    """The editor kept „…“ around a quote cut short: the seed's closing mark is further on
    (the real-article trial: Hamburger Abendblatt)."""
    seed = "2020-05-15\n\nObst\n\n„Statt Käse nun Mangos, am Steuer, durch die Stadt“, sagt er.\n"
    sidecar = (
        "summary: s\narticle:\n  url: https://e.example/\n  language: de\n"
        "quotes:\n  - text: „Statt Käse nun Mangos, am Steuer“\n    speaker: Er\n"
    )
    root = project({"seeds/x.txt": seed, "seeds/x.yml": sidecar})
    code, output = run(root, "build", "--strict")
    assert code == 0, output
    html = (root / "site" / "briefings" / "x" / "index.html").read_text(encoding="utf-8")
    assert "<p>„Statt Käse nun Mangos, am Steuer“</p>" in html


def test_arabic_names_in_english_lists_are_isolated(site: Path) -> None:
    """An Arabic name followed by ', role (1 quote)' must not pull the punctuation into
    its right-to-left run: names and roles in other scripts sit in <bdi>."""
    people = (site / "people" / "index.html").read_text(encoding="utf-8")
    assert "<bdi>مصطفى الكاظمي</bdi></a>, <bdi>رئيس الوزراء</bdi> <span" in people
    assert ">Angela Merkel</a>" in people  # Latin names are left as they are
    briefing = (site / "briefings" / "kadhimi" / "index.html").read_text(encoding="utf-8")
    assert "><bdi>مصطفى الكاظمي</bdi></a>" in briefing
