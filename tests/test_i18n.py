"""The theme in the site's language: catalogs complete and up to date, pages and
Markdown with no English word of the theme, dates in the locale, and the ways a desk
changes a label (`labels:`, its own `locales/<lang>.po`)."""

from __future__ import annotations

import pickle
import re
from html import unescape
from pathlib import Path

import pytest

from briefgen.commands.catalogs import english, extracted, po_bytes, updated
from briefgen.site.theme import load_theme
from briefgen.vocabulary.labels import (
    BUILTIN_DIR,
    PLACEHOLDER,
    builtin,
    english_messages,
    load_labels,
)

from conftest import run_cli as run

LANGUAGES = ["fr", "de", "es", "ar"]
SLUG = "us-strikes-iraq-syria"


def keys_of(catalog: object) -> set[tuple[str | None, str]]:
    return {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog  # type: ignore[attr-defined]
        if m.id
    }


def test_en_po_lists_exactly_the_messages_the_templates_and_code_ask_for() -> None:
    template = extracted()
    assert keys_of(template) == set(english_messages())
    assert len(template) > 60  # the extraction found the theme, not an empty folder
    assert (BUILTIN_DIR / "en.po").read_bytes() == po_bytes(english(template)), (
        "run: python -m briefgen.commands.catalogs"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_translates_every_message(language: str) -> None:
    path = BUILTIN_DIR / f"{language}.po"
    assert path.read_bytes() == po_bytes(updated(path, extracted())), (
        "run: python -m briefgen.commands.catalogs"
    )
    shipped = builtin(language)  # also checks every translation's placeholders
    assert shipped is not None
    messages, _ = shipped
    missing = set(english_messages()) - set(messages)
    assert not missing, f"{language}.po leaves untranslated: {sorted(missing, key=repr)}"
    assert all(all(forms) for forms in messages.values())


def english_phrases() -> set[str]:
    """The theme's English words that a translated page must not show: each message's
    text between its placeholders, where it has at least two words (single words such
    as 'Sources' or 'Pages' are the same in some of the languages)."""
    found = set()
    for forms in english_messages().values():
        for form in forms:
            for piece in PLACEHOLDER.split(form.replace("%%", "%"))[::2]:
                piece = piece.strip(" .:;,()←→")
                if " " in piece and re.search("[a-z]{3}", piece):
                    found.add(piece)
    return found


def page_text(html: str) -> str:
    """What a reader sees or hears: text, the words of aria-labels, and the words a
    script shows from data-* attributes (the search page's status lines), but not the
    search's stop words, which are data."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    said = re.findall(r'(?:aria-label|data-(?!stop-words)[a-z-]+)="([^"]*)"', html)
    labels = " ".join(said)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html) + " " + labels).split())


def built_in(example_site: Path, language: str, extra: str = "") -> Path:
    config = example_site / "briefgen.yml"
    text = re.sub(r"(?m)^language:.*$", f"language: {language}", config.read_text())
    config.write_text(text + extra)
    code, output = run(example_site, "build")
    assert code == 0, output
    return example_site


DATES = {
    "fr": "3 août 2021",
    "de": "3. August 2021",
    "es": "3 de agosto de 2021",
    "ar": "3 أغسطس 2021",
}
HEADINGS = {
    "fr": "## L’essentiel",
    "de": "## Das Wichtigste",
    "es": "## Lo esencial",
    "ar": "## الخلاصة",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_example_site_in_another_language_has_no_english_label(
    example_site: Path, language: str
) -> None:
    root = built_in(example_site, language)
    phrases = english_phrases()
    assert "Skip to content" in phrases and "check it in the original" in phrases
    assert "No briefing matches every word" in phrases and "briefings found" in phrases
    pages = sorted((root / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page_text(page.read_text(encoding="utf-8"))
        shown = sorted(p for p in phrases if p in text)
        assert not shown, f"{page.relative_to(root)} shows English labels: {shown}"
    markdown = (root / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    body = markdown.split("\n---\n", 1)[1]  # front matter is data, in no language
    assert HEADINGS[language] + "\n" in body
    assert not [p for p in phrases if p in body]
    assert not re.search(r"(?m)^## (Bottom line|Key points|Quotes|Timeline|Related reading)$", body)
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert f">{DATES[language]}</time>" in home
    assert DATES[language] in body
    rtl = ' dir="rtl"' if language == "ar" else ""
    assert home.startswith(f'<!DOCTYPE html>\n<html lang="{language}"{rtl}>')


def test_french_labels_follow_french_typography(example_site: Path) -> None:
    root = built_in(example_site, "fr")
    page = (root / "site" / "briefings" / SLUG / "index.html").read_text(encoding="utf-8")
    assert '<span class="label">Mots-clés\u00a0:</span>' in page
    markdown = (root / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "Sources\u00a0: U.S. Department of Defense" in markdown  # a note citing two
    assert "\u202f; Wikipedia, *[Popular Mobilization Forces]" in markdown
    assert "38,16\u202f% de l’article" in markdown  # the decimal comma, then a thin space
    assert "*3 août 2021 · D’après Le Monde, " in markdown
    timeline = (root / "site" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert '<span class="when">juin 2014</span>' in timeline


def test_arabic_dates_and_counts_in_native_digits_when_the_desk_asks(
    example_site: Path,
) -> None:
    root = built_in(example_site, "ar", "digits: native\n")
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert ">٣ أغسطس ٢٠٢١</time>" in home
    people = (root / "site" / "people" / "index.html").read_text(encoding="utf-8")
    assert "(اقتباسان، إشارة واحدة)" in people  # two quotes: Arabic's dual; a note
    assert "(اقتباس واحد)" in people
    tags = (root / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert '<span class="count">(١)</span>' in tags
    page = (root / "site" / "briefings" / SLUG / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="الحاشية ١">١</a></sup>' in page  # a note's marker
    markdown = (root / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "- **يونيو ٢٠١٤** —" in markdown
    assert "٣٨٫١٦٪" in markdown
    assert "نقلًا عن Le Monde، مترجم عن الفرنسية" in markdown


def test_arabic_plural_forms() -> None:
    labels = load_labels(None, "ar")
    one, many = "%(count)s briefing", "%(count)s briefings"
    said = {n: labels.ngettext(one, many, n, count=n) for n in (1, 2, 3, 11, 100)}
    assert said == {
        1: "إحاطة واحدة",
        2: "إحاطتان",
        3: "3 إحاطات",
        11: "11 إحاطةً",
        100: "100 إحاطة",
    }


def test_remembered_messages_are_the_ones_filled_anew() -> None:
    """Labels keeps what it filled (Labels.said): asked again, with other values, in
    another plural form or in a worker it was pickled to, it says what a Labels that
    remembers nothing says."""
    one, many = "%(count)s briefing", "%(count)s briefings"
    labels = load_labels(None, "ar")
    first = [labels.ngettext(one, many, n, count=n) for n in (1, 2, 3, 11, 100, 2, 1)]
    again = [labels.ngettext(one, many, n, count=n) for n in (1, 2, 3, 11, 100, 2, 1)]
    fresh = [
        load_labels(None, "ar").ngettext(one, many, n, count=n) for n in (1, 2, 3, 11, 100, 2, 1)
    ]
    assert first == again == fresh
    assert len(set(first)) == 5
    names = [labels.note_name(n) for n in (1, 2, 1)]
    assert names[0] == names[2] != names[1]
    assert labels.filled  # it did remember
    # The context is part of what decides a message, and each value's type (found by
    # review: True == 1, but the two fill differently).
    french = load_labels(None, "fr")
    assert (french.gettext("Search"), french.pgettext("button", "Search")) == (
        "Recherche",
        "Rechercher",
    )
    assert french.gettext("Note %(n)s", n=True) == "Note True"
    assert french.gettext("Note %(n)s", n=1) == "Note 1"
    assert french.gettext("Note %(n)s", n=True) == "Note True"
    assert french.gettext("Note %(n)s", n=0.0) == "Note 0.0"
    assert french.gettext("Note %(n)s", n=-0.0) == "Note -0.0"
    copy = pickle.loads(pickle.dumps(labels))
    assert "filled" not in copy.__dict__
    assert copy.ngettext(one, many, 11, count=11) == first[3]
    assert copy.digest == labels.digest


def test_templates_say_a_message_by_its_context() -> None:
    """A template's message without placeholders is filled once per theme (theme.py):
    `Search` as a heading and as a button stay two messages."""
    theme = load_theme(None, labels=load_labels(None, "fr"))
    page = theme.env.from_string(
        '{{ _("Search") }}|{{ pgettext("button", "Search") }}|{{ _("Search") }}'
    )
    assert page.render() == "Recherche|Rechercher|Recherche"


def test_one_date_formatter_english_as_babel_writes_d_mmmm_y() -> None:
    """English skips Babel's import but writes what Babel's `d MMMM y` does (the house
    style, not CLDR's American `August 3, 2021`); other locales take their long format."""
    import datetime as dt

    import babel.dates

    from briefgen.vocabulary.dates import long_date, partial_date

    for day in (
        dt.date(2021, 8, 3),
        dt.date(1999, 12, 31),
        *(dt.date(2020, m, 9) for m in range(1, 13)),
    ):
        assert long_date(day, "en") == babel.dates.format_date(day, "d MMMM y", locale="en")
        assert long_date(day, "en_GB") == long_date(day, "en")
        month = babel.dates.format_skeleton("yMMMM", day.replace(day=1), locale="en")
        assert partial_date(f"{day:%Y-%m}", "en") == month
    assert load_labels(None, "en").date(dt.date(2021, 8, 3)) == "3 August 2021"
    assert load_labels(None, "fr").date(dt.date(2021, 8, 3)) == "3 août 2021"
    assert load_labels(None, "de").partial_date("2014-06") == "Juni 2014"
    assert load_labels(None, "ar", digits="native").partial_date("2014") == "٢٠١٤"


def test_a_regional_tag_uses_its_language_s_catalog() -> None:
    labels = load_labels(None, "fr-CA")
    assert labels.gettext("Key points") == "Points clés"
    assert not labels.notes
    assert labels.locale == "fr_CA"


def test_labels_in_briefgen_yml_win_over_the_catalogs(example_site: Path) -> None:
    root = built_in(example_site, "fr", 'labels:\n  Bottom line: "En bref"\n')
    markdown = (root / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "## En bref\n" in markdown
    assert "## Points clés\n" in markdown  # the rest stays the catalog's


def test_labels_override_an_english_site_too(example_site: Path) -> None:
    root = built_in(example_site, "en", 'labels:\n  Key points: "What matters"\n')
    markdown = (root / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "## What matters\n" in markdown
    page = (root / "site" / "briefings" / SLUG / "index.html").read_text(encoding="utf-8")
    assert ">What matters</h2>" in page


def test_an_unknown_label_is_a_located_error_with_a_suggestion(example_site: Path) -> None:
    config = example_site / "briefgen.yml"
    config.write_text(config.read_text() + 'labels:\n  Botom line: "En bref"\n')
    line = config.read_text().splitlines().index('  Botom line: "En bref"') + 1
    code, output = run(example_site, "build")
    assert code == 1
    assert f"briefgen.yml:{line}:3: error: labels: the theme has no label 'Botom line'" in output
    assert "did you mean 'Bottom line'?" in output
    assert not (example_site / "site").exists()


def test_a_label_with_a_placeholder_the_message_lacks_is_an_error(example_site: Path) -> None:
    config = example_site / "briefgen.yml"
    config.write_text(config.read_text() + 'labels:\n  "Tag: %(name)s": "%(title)s"\n')
    code, output = run(example_site, "check")
    assert code == 1
    assert "labels: 'Tag: %(name)s' has a placeholder the label does not fill" in output


ARABIC_QUOTES = """\
labels:
  "%(count)s quote":
    zero: "بلا اقتباس"
    one: "اقتباس فريد"
    two: "اقتباسان اثنان"
    few: "%(count)s اقتباسات"
    other: "%(count)s من الاقتباسات"
"""


def test_a_counted_label_in_labels_takes_a_text_per_plural_category(
    example_site: Path,
) -> None:
    """Arabic's categories name the forms (`two:` for the dual); `many:`, left out,
    takes `other`'s text, as CLDR's `other` is the fallback."""
    root = built_in(example_site, "ar", "digits: native\n" + ARABIC_QUOTES)
    people = (root / "site" / "people" / "index.html").read_text(encoding="utf-8")
    assert "(اقتباسان اثنان، إشارة واحدة)" in people  # two quotes
    assert "(اقتباس فريد)" in people  # one
    from briefgen.stages.config import read_config

    labels = load_labels(None, "ar", read_config(root).labels)
    said = {
        n: labels.ngettext("%(count)s quote", "%(count)s quotes", n, count=n)
        for n in (0, 3, 11, 100)
    }
    assert said == {
        0: "بلا اقتباس",
        3: "3 اقتباسات",
        11: "11 من الاقتباسات",  # many: not given, other's text
        100: "100 من الاقتباسات",
    }


def test_a_plural_category_the_language_lacks_is_a_located_error(example_site: Path) -> None:
    config = example_site / "briefgen.yml"
    extra = (
        'labels:\n  "%(count)s quote":\n    two: "deux citations"\n'
        '    other: "%(count)s citations"\n'
    )
    config.write_text(config.read_text().replace("language: en", "language: fr") + extra)
    line = config.read_text().splitlines().index('    two: "deux citations"') + 1
    code, output = run(example_site, "check")
    assert code == 1
    assert (
        f"briefgen.yml:{line}:10: error: labels: '%(count)s quote': French has no 'two' form"
        in output
    )
    assert "its forms: one, many, other" in output


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('  "%(count)s quote":\n    one: "a quote"\n    othr: "quotes"\n', "did you mean 'other'?"),
        ('  "%(count)s quote":\n    one: "a quote"\n', "is missing required key 'other'"),
        (
            '  "Key points":\n    one: "Point"\n    other: "Points"\n',
            "'Key points' is not a counted label",
        ),
        (
            '  "%(count)s quote":\n    one: "%(name)s"\n    other: "quotes"\n',
            "has a placeholder the label does not fill",
        ),
    ],
)
def test_a_plural_label_s_mistakes_are_errors(
    example_site: Path, entry: str, expected: str
) -> None:
    config = example_site / "briefgen.yml"
    config.write_text(config.read_text() + "labels:\n" + entry)
    code, output = run(example_site, "check")
    assert code == 1, output
    assert expected in output
    assert re.search(r"briefgen\.yml:\d+:\d+: error: ", output)


SITE_CATALOG = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Key points"
msgstr "Les points à retenir"

#, fuzzy
msgid "Quotes"
msgstr "Ce qu'ils ont dit"

msgid "Timeline"
msgstr ""
"""


def test_a_site_catalog_overrides_the_built_in_one_message_by_message(
    example_site: Path,
) -> None:
    (example_site / "locales").mkdir()
    (example_site / "locales" / "fr.po").write_text(SITE_CATALOG, encoding="utf-8")
    root = built_in(example_site, "fr")
    markdown = (root / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "## Les points à retenir\n" in markdown
    assert "## Citations\n" in markdown  # fuzzy: the built-in translation
    assert "## Chronologie\n" in markdown  # empty: the built-in translation
    # Editing the catalog rebuilds what it changes.
    (root / "locales" / "fr.po").write_text(
        SITE_CATALOG.replace("Les points à retenir", "À retenir"), encoding="utf-8"
    )
    assert run(root, "build")[0] == 0
    markdown = (root / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "## À retenir\n" in markdown
    page = (root / "site" / "briefings" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "À retenir</h2>" in page


def test_a_catalog_of_the_site_s_own_adds_a_language_missing_words_in_english(
    example_site: Path,
) -> None:
    (example_site / "locales").mkdir()
    (example_site / "locales" / "it.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Bottom line"\nmsgstr "In sintesi"\n',
        encoding="utf-8",
    )
    config = example_site / "briefgen.yml"
    config.write_text(re.sub(r"(?m)^language:.*$", "language: it", config.read_text()))
    code, output = run(example_site, "build")
    assert code == 0, output
    assert "warning:" not in output
    markdown = (example_site / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "## In sintesi\n" in markdown
    assert "## Key points\n" in markdown  # not translated: English, never empty
    assert "*3 agosto 2021 · " in markdown  # Babel knows Italian dates


def test_a_language_without_a_catalog_builds_in_english_and_warns_once(
    example_site: Path,
) -> None:
    config = example_site / "briefgen.yml"
    config.write_text(re.sub(r"(?m)^language:.*$", "language: tr", config.read_text()))
    line = config.read_text().splitlines().index("language: tr") + 1
    code, output = run(example_site, "build")
    assert code == 0, output
    expected = f"briefgen.yml:{line}:11: warning: no catalog for language 'tr'"
    assert output.count(expected) == 1, output
    markdown = (example_site / "content" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "## Bottom line\n" in markdown and "*3 August 2021 · From Le Monde" in markdown
    home = (example_site / "site" / "index.html").read_text(encoding="utf-8")
    assert home.startswith('<!DOCTYPE html>\n<html lang="tr">')


def test_a_broken_site_catalog_is_a_located_error(example_site: Path) -> None:
    (example_site / "locales").mkdir()
    (example_site / "locales" / "fr.po").write_text(
        'msgid "Key points"\nmsgstr "Points %(x)s"\n', encoding="utf-8"
    )
    config = example_site / "briefgen.yml"
    config.write_text(re.sub(r"(?m)^language:.*$", "language: fr", config.read_text()))
    code, output = run(example_site, "build")
    assert code == 1
    assert "locales/fr.po:1:1: error: the translation of 'Key points' has placeholders" in output


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_section_ids_stay_english_so_links_to_them_still_land(
    example_site: Path, language: str
) -> None:
    root = built_in(example_site, language)
    page = (root / "site" / "briefings" / SLUG / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h2 id="([^"]+)"', page)
    assert ids[:3] == ["bottom-line", "key-points", "quotes"] and "timeline" in ids
    person = (root / "site" / "people" / "john-kirby" / "index.html").read_text("utf-8")
    assert f'href="../../briefings/{SLUG}/#quotes"' in person
    timeline = (root / "site" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert f'href="../briefings/{SLUG}/#timeline"' in timeline
