"""`briefgen import`: saved news pages (tests/fixtures/pages, see SOURCES.md) to seeds."""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from briefgen.commands.cli import main
from briefgen.commands.importer import (
    ArticleMeta,
    body,
    byline,
    fill_article,
    page_slug,
    page_to_seed,
)
from briefgen.stages.seeds import parse_seed

from conftest import Project

PAGES = Path(__file__).parent / "fixtures" / "pages"
BOILERPLATE = [
    "Share",
    "Share This Page",
    "Advertisement",
    "Read more",
    "Continue reading the main story",
    "شارك",
    "إعلان",
    "اقرأ أيضا",
]

CASES = {
    # page: (slug, date, headline start, article fields)
    "bbc-jsonld.html": (
        "obama-admits-us-gun-laws-are-his-biggest-frustration",
        "2015-07-24",
        "Obama admits US gun laws",
        {"publisher": "BBC News", "published": dt.date(2015, 7, 24), "language": "en"},
    ),
    "liberation-opengraph.html": (
        "un-troisieme-francais-mort-dans-le-seisme-au-nepal",
        "2015-04-30",
        "Un troisième Français mort",
        {
            "publisher": "Libération.fr",
            "author": "AFP",
            "url": "http://www.liberation.fr/monde/2015/04/30/"
            "un-troisieme-francais-mort-dans-le-seisme-au-nepal_1278483",
            "published": dt.date(2015, 4, 30),
            "language": "fr",
        },
    ),
    "nytimes-bare.html": (
        "united-states-to-lift-sudan-sanctions",
        "2017-01-13",
        "United States to Lift Sudan Sanctions",
        {"author": "JEFFREY GETTLEMAN", "published": dt.date(2017, 1, 13), "language": "en"},
    ),
    "arabic-handmade.html": (
        "ftth-mktbh-mh-jdydh-fy-wst-lmdynh",
        "2021-08-03",
        "افتتاح مكتبة عامة جديدة",
        {
            "publisher": "صحيفة المثال",
            "author": "سارة الخطيب",
            "url": "https://example.com/ar/news/2021/08/03/library",
            "published": dt.date(2021, 8, 3),
            "language": "ar",
        },
    ),
}


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), "import", *args])


@pytest.mark.parametrize("page", sorted(CASES))
def test_import_writes_a_seed_and_its_sidecar(project: Project, offline: None, page: str) -> None:
    slug, date, headline, article = CASES[page]
    root = project({"briefgen.yml": "title: Test\n"})
    result = run(root, str(PAGES / page))
    assert result.exit_code == 0, result.output
    assert f"wrote seeds/{slug}.txt" in result.output
    text = (root / "seeds" / f"{slug}.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == date and lines[1] == "" and lines[2].startswith(headline)
    seed, problems = parse_seed(f"seeds/{slug}.txt", slug, text)
    assert seed is not None, problems
    assert seed.date.isoformat() == date and seed.headline == lines[2]
    assert len(seed.paragraphs) >= 3
    for line in lines:
        assert line.strip().rstrip(":") not in BOILERPLATE, line
    sidecar = yaml.safe_load((root / "seeds" / f"{slug}.yml").read_text(encoding="utf-8"))
    assert sidecar["title"] == seed.headline
    found = {k: v for k, v in sidecar["article"].items() if v is not None}
    assert found == article
    assert (root / "sidecar.schema.json").is_file()


def test_imported_quotes_verify(project: Project, offline: None) -> None:
    root = project({"briefgen.yml": "title: Test\n"})
    for page in ("bbc-jsonld.html", "arabic-handmade.html"):
        assert run(root, str(PAGES / page)).exit_code == 0
    quotes = 0
    for path in (root / "seeds").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        quotes += len(yaml.safe_load(text)["quotes"])
        text = re.sub(r"speaker:  # .*", "speaker: Someone", text)  # hint or blank
        path.write_text(text.replace("summary:  #", "summary: Filled. #"), encoding="utf-8")
    assert quotes >= 5
    result = CliRunner().invoke(main, ["-C", str(root), "check"])
    assert result.exit_code == 0, result.output
    assert f"{quotes} quotes verified" in result.output


def test_refuses_to_overwrite_without_force(project: Project, offline: None) -> None:
    root = project({"seeds/sudan.txt": "edited by hand\n"})
    page = str(PAGES / "nytimes-bare.html")
    result = run(root, page, "--slug", "sudan")
    assert result.exit_code == 1
    assert "seeds/sudan.txt: error: already exists; not overwritten" in result.output
    assert "hint: pass --force to replace it" in result.output
    assert "Traceback" not in result.output
    assert (root / "seeds" / "sudan.txt").read_text() == "edited by hand\n"
    assert not (root / "seeds" / "sudan.yml").exists()
    result = run(root, page, "--slug", "sudan", "--force")
    assert result.exit_code == 0, result.output
    assert (root / "seeds" / "sudan.txt").read_text().startswith("2017-01-13\n")
    assert (root / "seeds" / "sudan.yml").is_file()


def test_an_existing_sidecar_also_refuses(project: Project, offline: None) -> None:
    root = project({"seeds/sudan.yaml": "summary: mine\n"})
    result = run(root, str(PAGES / "nytimes-bare.html"), "--slug", "sudan")
    assert result.exit_code == 1
    assert "seeds/sudan.yaml: error: already exists" in result.output
    assert not (root / "seeds" / "sudan.txt").exists()
    assert run(root, str(PAGES / "nytimes-bare.html"), "--slug", "sudan", "--force").exit_code == 0
    assert "title: United States" in (root / "seeds" / "sudan.yaml").read_text()
    assert not (root / "seeds" / "sudan.yml").exists()


def test_a_page_that_is_not_an_article(project: Project, offline: None) -> None:
    root = project({})
    page = PAGES / "mozilla-not-article.html"
    result = run(root, str(page))
    assert result.exit_code == 1
    assert f"{page}: error: no article found in this page\n  hint: save the article" in (
        result.output
    )
    assert not (root / "seeds").exists()


def test_an_empty_page_and_a_bad_slug(project: Project, offline: None) -> None:
    root = project({"empty.html": "", "page.html": "<html><body><p>Hi.</p></body></html>"})
    for name in ("empty.html", "page.html"):
        result = run(root, str(root / name))
        assert result.exit_code == 1
        assert "error: no article found in this page" in result.output
    result = run(root, str(PAGES / "bbc-jsonld.html"), "--slug", "Not A Slug")
    assert result.exit_code == 1
    assert "'Not A Slug' is not a valid slug" in result.output
    assert "hint: for example --slug not-a-slug" in result.output


def test_a_page_without_a_date_takes_date_option(offline: None) -> None:
    html = (PAGES / "nytimes-bare.html").read_text(encoding="utf-8")
    for marker in ('datetime="', "2017/01/13", "2017-01-13", "JAN. 13, 2017", "Jan. 13, 2017"):
        html = html.replace(marker, "x")
    found, problems = page_to_seed(html, "page.html")
    assert found is None
    assert [p.format() for p in problems] == [
        "page.html: error: no publication date found in this page\n  hint: pass --date YYYY-MM-DD"
    ]
    found, problems = page_to_seed(html, "page.html", date=dt.date(2017, 1, 13))
    assert found is not None, problems
    seed, meta = found
    assert seed.text().startswith("2017-01-13\n\nUnited States to Lift Sudan Sanctions\n\n")
    assert meta.published is None  # the page did not say it


def test_slug_is_cut_at_a_hyphen() -> None:
    slug = page_slug("A very long headline " * 6)
    assert len(slug) <= 60 and not slug.endswith("-")
    assert slug == "a-very-long-headline-a-very-long-headline-a-very-long"
    assert page_slug("Владимир Путин") == "vladimir-putin"


def test_body_drops_furniture_and_ends_at_related_links() -> None:
    text = "\n".join(
        [
            "Headline",
            "- 24 July 2015",
            "Share",
            "First paragraph.",
            "Advertisement",
            "Related: Another story entirely",
            "[Read: A Washington Post link in brackets]",
            "Second paragraph.",
            "Read more:",
            "A related headline",
        ]
    )
    assert body(text, "Headline") == ("First paragraph.", "Second paragraph.")
    columns = "Last paragraph.\nOther Opinion Columns\nEditorial A column's teaser"
    assert body(columns, "Headline") == ("Last paragraph.",)
    assert byline("Jane Doe; JANE DOE; Ali Omar") == "Jane Doe, Ali Omar"


def test_fill_article_adds_only_what_the_page_says() -> None:
    skeleton = "article:\n  publisher:\n  url:\n  language:  # BCP 47\nquotes: []\n"
    assert fill_article(skeleton, ArticleMeta()) == skeleton
    filled = fill_article(skeleton, ArticleMeta(author="A. Writer", language="fr"))
    assert (
        filled
        == "article:\n  publisher:\n  author: A. Writer\n  url:\n  language: fr\nquotes: []\n"
    )


def test_trafilatura_is_imported_only_by_import() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefgen", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines()}
    assert "briefgen.commands.cli" in imported
    assert not {"trafilatura", "lxml", "briefgen.commands.importer"} & imported
