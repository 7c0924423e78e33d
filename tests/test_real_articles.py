"""A site built from real articles: Arabic, German and French copy as publishers print it.

The seeds under `tests/fixtures/real/` are trimmed pastes of real pages (SOURCES.md says
where each comes from), with the sidecars a new user wrote for them. These tests assert
what that user would notice: the real date lines read, every quoted passage suggested by
`briefgen new`, every quote verified under `--strict`, the article's language and
quotation marks on the page, and one page per Arabic speaker.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from briefgen.stages.seeds import parse_seed

from conftest import Project
from conftest import run_cli as run

REAL = Path(__file__).parent / "fixtures" / "real"
SLUGS = ["aawsat-erbil", "abendblatt-mangos", "liberation-nepal", "lemonde-renseignement"]

DATES = {
    "aawsat-erbil": dt.date(2015, 7, 21),  # الثلاثاء - 5 شوال 1436 هـ - 21 يوليو 2015 مـ
    "abendblatt-mangos": dt.date(2020, 5, 15),  # Fr, 15.05.2020, 07.11 Uhr
    "liberation-nepal": dt.date(2015, 4, 30),  # 30 avril 2015 à 07:19 (Mis à jour : …)
    "lemonde-renseignement": dt.date(2015, 5, 4),  # 04.05.2015 à 13h36 • Mis à jour le …
}

PASSAGES = {
    "aawsat-erbil": [
        "الشرق الأوسط",  # after لـ, joined by a tatweel
        "عندما زار وزير الخارجية القطري بغداد في مايو الماضي، كان من بين برنامج عمله زيارة "
        "الإقليم، لكن لم تكن هناك فرصة لهذه الزيارة، لذا زيارته إلى الإقليم الآن تأتي تكملة "
        "لزيارته الماضية إلى بغداد",
        "الإقليم جزء من العراق، ومن الطبيعي أن تكون هناك علاقات بين الإقليم ودول الجوار خاصة "
        "البلدان العربية، ونتمنى ألا تكون هناك حساسية في هذا الاتجاه من قبل بغداد، وهذه "
        "الزيارات كانت موجودة سابقة وستستمر",
        "زيارتنا إلى الإقليم جاءت استكمالا لزيارتنا إلى بغداد، للتعاون مع أشقائنا في العراق، "
        "وبحث العلاقات الثنائية بين الجانبين",
        "الزيارة جاءت لتوطيد العلاقات بين إقليم كردستان ودولة قطر، ونتمنى تقدم هذه العلاقات "
        "بين الجانبين لمصلحة الشعبين",
    ],
    "abendblatt-mangos": [
        "eine hervorragende Qualität aus Vietnam",
        "Der Hamburger Großmarkt ist eines der wichtigsten Versorgungsorgane für die "
        "Hansestadt. Unsere Hygienevorschriften gehören zu den strengsten, die es in "
        "Deutschland gibt. Wir haben an alles gedacht, aber das machen wir 365 Tage im Jahr",
        "Dennoch gibt es auch für unsere Händler neue Herausforderungen, denen sie sich "
        "stellen müssen. Angefangen bei höheren Frachtzahlungen, Wartezeiten an den Grenzen "
        "bis hin zu stark schwankenden Nachfragemengen seitens der Konsumenten",
        "Die Luftfrachtkosten sind um das drei- bis Fünffache gestiegen",
        "Statt zwei Fahrern sitzt jetzt wegen der Ansteckungsgefahr nur noch ein Lkw-Fahrer am "
        "Steuer, durch die Ruhevorschriften ergeben sich dadurch längere Lieferzeiten, etwa "
        "für Orangen aus Spanien",
    ],
    "liberation-nepal": [
        "d’encore plus de 200",
        "Pour certains d’entre eux on est très interrogatif",
        "les plus éprouvés",
        "plus vulnérables (blessés, familles avec enfants)",
    ],
    "lemonde-renseignement": [
        "mémorandum argumenté",
        "urgence absolue",
        "détecter une menace terroriste sur la base d’un traitement automatisé",
        "schémas",
    ],
}


def real_files(with_sidecars: bool) -> dict[str, str]:
    files = {"briefgen.yml": "title: Desk\nlanguage: en\n"}
    for slug in SLUGS:
        files[f"seeds/{slug}.txt"] = (REAL / f"{slug}.txt").read_text(encoding="utf-8")
        if with_sidecars:
            files[f"seeds/{slug}.yml"] = (REAL / f"{slug}.yml").read_text(encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real site, built once under --strict: its root and the build's output."""
    root = tmp_path_factory.mktemp("real")
    for rel, text in real_files(with_sidecars=True).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    code, output = run(root, "build", "--strict", "-j", "1")
    assert code == 0, output
    return root, output


def page(root: Path, *parts: str) -> str:
    return root.joinpath("site", *parts, "index.html").read_text(encoding="utf-8")


def opening_tags(html: str, tag: str, containing: str) -> list[str]:
    """The opening tags of every `tag` element whose content holds `containing`."""
    found = []
    for m in re.finditer(rf"<{tag}\b[^>]*>", html):
        if containing in html[m.end() : html.find(f"</{tag}>", m.end())]:
            found.append(m[0])
    return found


def test_real_sources_are_small_and_named() -> None:
    assert sum(p.stat().st_size for p in REAL.iterdir()) < 20_000
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{slug}.txt`" in sources for slug in SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_real_date_line_is_read(slug: str) -> None:
    text = (REAL / f"{slug}.txt").read_text(encoding="utf-8")
    seed, problems = parse_seed(f"seeds/{slug}.txt", slug, text)
    assert problems == [] and seed is not None
    assert seed.date == DATES[slug]


def test_new_suggests_every_real_quoted_passage(project: Project) -> None:
    root = project(real_files(with_sidecars=False))
    for slug in SLUGS:
        code, output = run(root, "new", f"seeds/{slug}.txt")
        assert code == 0, output
        skeleton = yaml.safe_load((root / "seeds" / f"{slug}.yml").read_text(encoding="utf-8"))
        assert [q["text"] for q in skeleton["quotes"]] == PASSAGES[slug], slug


def test_every_quote_verifies_under_strict(built: tuple[Path, str]) -> None:
    root, output = built
    quotes = sum(
        len(yaml.safe_load((REAL / f"{slug}.yml").read_text(encoding="utf-8"))["quotes"])
        for slug in SLUGS
    )
    assert f"built 4 briefings: {quotes} quotes verified, 0 unverified, 0 warnings" in output
    assert "likely the same person" not in output
    for slug in SLUGS:
        assert f"date: {DATES[slug].isoformat()}\n" in (root / "content" / f"{slug}.md").read_text(
            encoding="utf-8"
        )


def test_arabic_quotes_read_right_to_left_with_arabic_marks(built: tuple[Path, str]) -> None:
    html = page(built[0], "briefings", "aawsat-erbil")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    quotes = re.findall(r"<blockquote\b[^>]*>\s*<p>(.)", html)
    assert len(quotes) == 4 and set(quotes) == {"”"}  # CLDR ar: ” … “
    assert opening_tags(html, "blockquote", "زيارتنا إلى الإقليم") == [
        '<blockquote lang="ar" dir="rtl">'
    ]
    assert set(re.findall(r"<blockquote\b[^>]*>", html)) == {'<blockquote lang="ar" dir="rtl">'}
    assert opening_tags(html, "p", "وقال سفين دزيي") == ['<p lang="ar" dir="rtl">']
    # The title `briefgen new` wrote is the seed's headline: Arabic, right to left.
    assert opening_tags(html, "h1", "وزير الخارجية القطري") == ['<h1 lang="ar" dir="rtl">']


def test_german_excerpts_and_quotes_are_marked_german(built: tuple[Path, str]) -> None:
    html = page(built[0], "briefings", "abendblatt-mangos")
    assert opening_tags(html, "p", "Bunte Kisten mit Obst") == ['<p lang="de">']
    assert opening_tags(html, "blockquote", "Luftfrachtkosten") == ['<blockquote lang="de">']
    assert "<p>„Die Luftfrachtkosten sind um das drei- bis Fünffache gestiegen“</p>" in html
    assert opening_tags(html, "h1", "Warum Mangos") == ['<h1 lang="de">']


def test_french_quotes_get_french_guillemets_once(built: tuple[Path, str]) -> None:
    html = page(built[0], "briefings", "liberation-nepal")
    assert "<p>«\u202fPour certains d’entre eux on est très interrogatif\u202f»</p>" in html
    # The editor kept Le Monde's « … » in `text`: not doubled.
    html = page(built[0], "briefings", "lemonde-renseignement")
    assert "<p>«\u202fmémorandum argumenté\u202f»</p>" in html
    assert opening_tags(html, "blockquote", "mémorandum") == ['<blockquote lang="fr">']


def test_each_arabic_speaker_has_a_page_of_their_own(built: tuple[Path, str]) -> None:
    root = built[0]
    names = {"sfyn-dzyy": "سفين دزيي", "khld-ltyh": "خالد العطية", "krym-snjry": "كريم سنجاري"}
    for slug, name in names.items():
        html = page(root, "people", slug)
        assert f"<h1>{name}</h1>" in html, slug
        others = set(names.values()) - {name}
        assert not any(f"<h1>{other}</h1>" in html for other in others)
    people = page(root, "people")
    assert people.count('href="sfyn-dzyy/"') == 1
    assert "(2 quotes)" in people.split('href="sfyn-dzyy/"')[1].split("</li>")[0]
    tag = page(root, "tags", "iraq")
    assert '<a href="../../briefings/aawsat-erbil/" lang="ar" dir="rtl">' in tag
