"""Right-to-left sites: an Arabic desk's pages read from the right, with the English
words inside them still readable, and an English site's pages as they were.

The layout itself (which side a quote bar or a bullet is on, no sideways scroll) is
checked in a browser: tests/e2e/test_browser_rtl.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rtlsite import arabic_site

from briefgen.site.theme import theme_dir
from briefgen.vocabulary.languages import arrows, isolated

from conftest import Project
from conftest import run_cli as run

ARABIC_NAME = "مصطفى الكاظمي"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = arabic_site(tmp_path_factory.mktemp("rtl") / "desk")
    code, output = run(root, "build", "--strict")
    assert code == 0, output
    return root / "site"


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_every_page_of_an_arabic_site_reads_right_to_left(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert read(site, str(page.relative_to(site))).startswith(
            '<!DOCTYPE html>\n<html lang="ar" dir="rtl">'
        ), page


@pytest.mark.parametrize(
    ("tag", "back", "forward"),
    [("en", "←", "→"), ("ar", "→", "←"), ("he", "→", "←"), ("fa", "→", "←"), ("ur", "→", "←")],
)
def test_arrows_point_along_the_reading_direction(tag: str, back: str, forward: str) -> None:
    assert arrows(tag) == (back, forward)


def test_previous_and_next_point_the_way_an_arabic_reader_reads(site: Path) -> None:
    newer = read(site, "briefings/us-strikes-iraq-syria/index.html")
    assert re.search(r'<a rel="prev" href="../aawsat-erbil/">→ وزير الخارجية القطري', newer)
    older = read(site, "briefings/aawsat-erbil/index.html")
    assert re.search(
        r'<a rel="next" href="../us-strikes-iraq-syria/">ضربات أمريكية [^<]* ←</a>', older
    )
    # One briefing a page: the home page's pagination, too.
    assert '<a rel="next" href="page/2/">الأقدم ←</a>' in read(site, "index.html")
    assert '<a rel="prev" href="../../">→ الأحدث</a>' in read(site, "page/2/index.html")


def test_a_title_in_another_language_leaves_the_arrow_in_the_pages_direction(
    project: Project,
) -> None:
    """The arrow belongs to the page: an Arabic title beside it on an English page sits in
    its own <span lang dir> (with lang and dir on the link, '←' read right to left and
    pointed into the title)."""
    seed = "2021-06-28\n\nالكاظمي يدين الضربات\n\nندد رئيس الوزراء بالضربات.\n"
    root = project(
        {
            "seeds/a.txt": seed,
            "seeds/a.yml": "summary: s\narticle:\n  language: ar\n",
            "seeds/b.txt": "2021-06-29\n\nTalks in Rome\n\nMinisters met.\n",
            "seeds/b.yml": "summary: s\n",
        }
    )
    assert run(root, "build")[0] == 0
    html = (root / "site" / "briefings" / "b" / "index.html").read_text(encoding="utf-8")
    assert (
        '<a rel="prev" href="../a/">← <span lang="ar" dir="rtl">الكاظمي يدين الضربات</span></a>'
        in html
    )
    html = (root / "site" / "briefings" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<a rel="next" href="../b/">Talks in Rome →</a>' in html


@pytest.mark.parametrize(
    ("text", "page", "expected"),
    [
        ("Antony Blinken", "ar", "<bdi>Antony Blinken</bdi>"),
        ("Antony Blinken", "he", "<bdi>Antony Blinken</bdi>"),
        (ARABIC_NAME, "ar", ARABIC_NAME),
        ("G7", "ar", "<bdi>G7</bdi>"),
        ("2021", "ar", "2021"),  # digits take the direction around them
        ("Antony Blinken", "en", "Antony Blinken"),
        (ARABIC_NAME, "en", f"<bdi>{ARABIC_NAME}</bdi>"),
        ("AT&T", "en", "AT&amp;T"),
        ("AT&T", "ar", "<bdi>AT&amp;T</bdi>"),
    ],
)
def test_names_of_the_other_direction_are_isolated(text: str, page: str, expected: str) -> None:
    assert isolated(text, page) == expected


def test_latin_names_tags_and_publishers_on_an_arabic_page_are_isolated(site: Path) -> None:
    briefing = read(site, "briefings/us-strikes-iraq-syria/index.html")
    # The speaker, before ", role": bold in the Markdown page, so dir=auto in the HTML.
    # The theme's words are Arabic (labels), with the Arabic comma.
    # Linked to the speaker's page, the link inside the isolated bold.
    blinken = '<a href="../../people/antony-blinken/">Antony Blinken</a>'
    assert f'— <strong dir="auto">{blinken}</strong>، وزير الخارجية الأمريكي' in briefing
    assert re.search(
        f'— <strong><a href="../../people/[^"]+/">{ARABIC_NAME}</a></strong>، رئيس الوزراء العراقي',
        briefing,
    )
    assert "><bdi>Antony Blinken</bdi></a>" in briefing  # people quoted
    assert f">{ARABIC_NAME}</a>" in briefing
    erbil = read(site, "briefings/aawsat-erbil/index.html")
    assert '<a class="tag" href="../../tags/krg/"><bdi>KRG</bdi></a>' in erbil
    assert '<a class="tag" href="../../tags/qtr/">قطر</a>' in erbil
    # English sources keep their language on their titles.
    assert (
        '<em lang="en" dir="ltr"><a href="https://en.wikipedia.org/wiki/Kurdistan_Region">' in erbil
    )
    home = read(site, "index.html")
    assert " · نقلًا عن <bdi>Le Monde</bdi> · العراق، سوريا، إيران، الولايات المتحدة</p>" in home
    people = read(site, "people/index.html")
    assert '"><bdi>Antony Blinken</bdi></a>، وزير الخارجية الأمريكي <span' in people
    assert read(site, "tags/krg/index.html").count("<h1>الوسم: <bdi>KRG</bdi></h1>") == 1


def test_english_words_inside_an_arabic_page_carry_their_language(site: Path) -> None:
    html = read(site, "briefings/us-strikes-iraq-syria/index.html")
    assert '<blockquote lang="en" dir="ltr">\n<p>“Flagrant violation of sovereignty”</p>' in html
    assert re.search(r'<p lang="en" dir="ltr">In response to the increase in drone attacks', html)
    assert '<li lang="en" dir="ltr">Joe Biden draws his red line' in html


def test_an_arabic_name_in_bold_on_an_english_page_is_isolated(project: Project) -> None:
    """Before ', role' an Arabic name pulled the comma into its run and showed after
    the role; an English site's own names are left as they were."""
    seed = f'2021-06-28\n\nStrikes\n\n{ARABIC_NAME} called it "a flagrant violation".\n'
    sidecar = (
        "summary: s\nquotes:\n  - text: a flagrant violation\n"
        f"    speaker: {ARABIC_NAME}\n    role: رئيس الوزراء\n"
        "  - text: a flagrant violation\n    speaker: Antony Blinken\n"
    )
    root = project({"seeds/s.txt": seed, "seeds/s.yml": sidecar})
    assert run(root, "build")[0] == 0
    html = (root / "site" / "briefings" / "s" / "index.html").read_text(encoding="utf-8")
    arabic = re.escape(ARABIC_NAME)
    assert re.search(
        f'— <strong dir="auto"><a href="[^"]+">{arabic}</a></strong>, رئيس الوزراء', html
    )
    assert '— <strong><a href="../../people/antony-blinken/">Antony Blinken</a></strong>' in html


PHYSICAL = re.compile(
    r"(?<![\w-])(?:left|right|(?:margin|padding|border)-(?:left|right)(?:-\w+)?)\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
)


def test_the_theme_stylesheet_names_sides_only_logically() -> None:
    """`margin-left` would keep a quote bar or an indent on the left of an Arabic page;
    `margin-inline-start` puts it where the line starts, in either direction."""
    css = (theme_dir() / "assets" / "briefgen.css").read_text(encoding="utf-8")
    without_comments = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert PHYSICAL.findall(without_comments) == []
    assert "border-inline-start: 4px solid var(--accent)" in css
    assert PHYSICAL.search("blockquote { border-left: 4px solid; }")  # the check can fail
    assert PHYSICAL.search(".x { text-align: right }")


def test_native_digits_number_the_notes_as_their_markers(tmp_path: Path) -> None:
    """With `digits: native` the page names its numbering system, and the stylesheet has a
    CSS counter style for every system whose digits briefgen writes (the footnote list's
    numbers would otherwise be 0-9 under ٠-٩ markers; the browser test looks)."""
    from briefgen.vocabulary.labels import ZEROS

    root = arabic_site(tmp_path / "desk")
    config = root / "briefgen.yml"
    config.write_text(config.read_text(encoding="utf-8") + "digits: native\n", encoding="utf-8")
    code, output = run(root, "build", "--strict")
    assert code == 0, output
    page = read(root / "site", "briefings/aawsat-erbil/index.html")
    assert '<html lang="ar" dir="rtl" data-digits="arab">' in page
    assert re.search(r'<sup class="footnote-ref"><a [^>]*>١</a></sup>', page)
    css = (theme_dir() / "assets" / "briefgen.css").read_text(encoding="utf-8")
    styled = set(re.findall(r'\[data-digits="(\w+)"\] \.footnotes ol \{ list-style-type', css))
    assert styled == set(ZEROS)
