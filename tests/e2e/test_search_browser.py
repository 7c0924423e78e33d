"""Search in a real browser: sites in English, French and Arabic, over http and file://.

The sites are made from real material: the example briefing (with one key point ending
in a citation mark) and the French and Arabic articles of tests/fixtures/real. Each is
built with `directory_urls: false`, so the same build is served over http and opened
from disk, and must give the same results both ways.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_browser
from test_browser import REPO, SCREENSHOTS

from briefgen.build import build
from briefgen.site.searchterms import stemmed, words

pytestmark = pytest.mark.e2e
browser = test_browser.browser
"""The Chromium of the other browser tests, as a fixture of this module too."""
REAL = REPO / "tests" / "fixtures" / "real"
SPANISH = (
    "El Gobierno de España anunció el martes nuevas elecciones generales. Los ministros "
    "reaccionaron con cautela; la oposición pidió explicaciones sobre las negociaciones "
    "con Marruecos y la situación económica de las comunidades autónomas."
)


def write_site(
    root: Path, language: str, slugs: list[str], more: str = "", copies: int = 1
) -> Path:
    """A site of real seeds; `copies` > 1 adds copies of each under other slugs (a
    count of results that needs a plural form), `more` more lines of briefgen.yml."""
    (root / "seeds").mkdir(parents=True)
    for slug in slugs:
        for copy in range(copies):
            for ext in ("txt", "yml"):
                folder = REPO / "seeds" if slug == "us-strikes-iraq-syria" else REAL
                name = f"{slug}-{copy + 1}.{ext}" if copy else f"{slug}.{ext}"
                shutil.copy(folder / f"{slug}.{ext}", root / "seeds" / name)
    if "us-strikes-iraq-syria" in slugs:  # its sidecar's notes are about register entries
        shutil.copy(REPO / "register.yml", root / "register.yml")
    (root / "briefgen.yml").write_text(
        f"title: Desk\nlanguage: {language}\ndirectory_urls: false\n{more}", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("search")
    en = write_site(tmp / "en", "en", ["us-strikes-iraq-syria"])
    sidecar = en / "seeds" / "us-strikes-iraq-syria.yml"
    text = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(
        text.replace("key_points:\n", "key_points:\n  - Tehran's allies reacted.[^article]\n"),
        encoding="utf-8",
    )
    fr = write_site(tmp / "fr", "fr", ["liberation-nepal", "lemonde-renseignement"])
    ar = write_site(tmp / "ar", "ar", ["aawsat-erbil"])
    native = write_site(tmp / "ar-native", "ar", ["aawsat-erbil"], "digits: native\n", 3)
    every = write_site(
        tmp / "all",
        "en",
        ["us-strikes-iraq-syria", "liberation-nepal", "abendblatt-mangos", "aawsat-erbil"],
    )
    for root in (en, fr, ar, native, every):
        build(root)
    return {
        "en": en / "site",
        "fr": fr / "site",
        "ar": ar / "site",
        "ar-native": native / "site",
        "all": every / "site",
    }


@pytest.fixture(scope="module")
def http_root(sites: dict[str, Path]) -> Iterator[str]:
    """The folder holding every site, served on 127.0.0.1."""
    folder = next(iter(sites.values())).parents[1]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["http", "file"])
def open_search(
    request: pytest.FixtureRequest, browser: Any, sites: dict[str, Path]
) -> Iterator[Any]:
    """open_search(site, query) -> the page with the query's results shown."""
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))

    def open_it(name: str, query: str) -> Any:
        if request.param == "http":
            base = request.getfixturevalue("http_root") + f"{name}/site/"
        else:
            base = sites[name].as_uri() + "/"
        page = context.new_page()
        page.goto(base + "search/index.html")
        page.fill("#search-input", query)
        # Done when the status says something other than "searching", in the site's
        # language (the labels come from the page's data-* attributes).
        page.wait_for_function(
            """() => {
              const status = document.getElementById("search-status").textContent;
              const form = document.querySelector("[data-loading]");
              return status !== "" && (!form || status !== form.dataset.loading);
            }"""
        )
        return page

    yield open_it
    own = ("http://127.0.0.1", "file://")
    assert [u for u in requested if not u.startswith(own)] == []
    context.close()


def results(page: Any) -> list[dict[str, Any]]:
    """Title, date, snippet and marked words of each result, once snippets are in."""
    items = page.locator("#search-results li")
    # The count is shown once the results are listed; their snippets follow.
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results li').length === "
        "document.querySelectorAll('#search-results .search-snippet').length"
    )
    return [
        {
            "title": item.locator("h2").inner_text(),
            "title_marked": item.locator("h2 mark").all_inner_texts(),
            "date": item.locator("time").get_attribute("datetime"),
            "shown_date": item.locator("time").inner_text(),
            "snippet": item.locator(".search-snippet").inner_text(),
            "marked": item.locator(".search-snippet mark").all_inner_texts(),
        }
        for item in items.all()
    ]


def test_a_word_before_a_citation_mark_is_found_by_another_form(open_search: Any) -> None:
    found = results(open_search("en", "reacting"))
    assert len(found) == 1
    assert found[0]["title"] == "US strikes on pro-Iran militias in Iraq and Syria"
    assert found[0]["date"] == "2021-08-03"
    assert found[0]["shown_date"] == "3 August 2021"  # as the briefing's page writes it
    assert found[0]["snippet"].startswith("Tehran's allies reacted.")
    assert "[^" not in found[0]["snippet"] and found[0]["marked"] == ["reacted"]


def test_english_names_by_part_and_words_being_typed(open_search: Any) -> None:
    assert len(results(open_search("en", "kadhimi"))) == 1  # Mustafa Al-Kadhimi
    page = open_search("en", "blinken rome")
    assert page.locator("#search-status").inner_text() == "1 briefing found"
    assert len(results(open_search("en", "soleim"))) == 1  # a prefix: Soleimani
    page = open_search("en", "zanzibar")
    assert page.locator("#search-status").inner_text() == "No briefing matches every word."


def test_french_with_and_without_accents(open_search: Any) -> None:
    for query in ("séisme népal", "seisme nepal", "SEISMES"):
        found = results(open_search("fr", query))
        assert [f["title"] for f in found] == ["Un troisième Français mort dans le séisme au Népal"]
    found = results(open_search("fr", "interrogatifs"))  # a quote, another form
    assert found and "interrogatif" in found[0]["marked"]
    page = open_search("fr", "renseignement")
    found = results(page)
    assert found[0]["date"] == "2015-05-04" and found[0]["shown_date"] == "4 mai 2015"
    assert page.locator("#search-status").inner_text() == "1 synthèse trouvée"
    page = open_search("fr", "français")
    count = len(results(page))
    assert page.locator("#search-status").inner_text() == (
        "1 synthèse trouvée" if count == 1 else f"{count} synthèses trouvées"
    )


def test_arabic_counts_and_dates_in_native_digits_and_plural_forms(open_search: Any) -> None:
    """`digits: native`: the count and each result's date in Arabic-Indic digits, the
    count in the form Arabic gives 3 (the `few` form), as the site's pages write them."""
    page = open_search("ar-native", "أربيل")
    found = results(page)
    assert len(found) == 3
    assert page.locator("#search-status").inner_text() == "عُثر على ٣ إحاطات"
    assert {f["shown_date"] for f in found} == {"٢١ يوليو ٢٠١٥"}
    assert {f["date"] for f in found} == {"2015-07-21"}  # machine-readable stays ISO


def test_arabic_with_and_without_hamza_ta_marbuta_and_harakat(open_search: Any) -> None:
    for query in ("أربيل", "اربيل", "الزيارة", "زياره", "زِيَارَة"):
        found = results(open_search("ar", query))
        assert len(found) == 1, query
        assert found[0]["title"].startswith("وزير الخارجية القطري")
        assert found[0]["title_marked"] or found[0]["marked"], query
    page = open_search("ar", "بغداد")
    assert page.locator("#search-results mark").first.inner_text() == "بغداد"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(SCREENSHOTS / "search-arabic-phone.png"), full_page=True)


def test_python_and_javascript_make_the_same_terms(browser: Any, sites: dict[str, Path]) -> None:
    """Every word of the real articles, in en, fr, de, es and ar, folded and stemmed by
    briefgen/site/searchterms.py and by search.js with the vendored stemmers."""
    site = sites["all"]
    page = browser.new_page()
    page.goto((site / "search" / "index.html").as_uri())
    for language in ("en", "fr", "de", "es", "ar"):
        page.add_script_tag(url=(site / "assets" / f"stem-{language}.js").as_uri())
    texts = {"es": SPANISH}
    for slug, language in (
        ("liberation-nepal", "fr"),
        ("abendblatt-mangos", "de"),
        ("aawsat-erbil", "ar"),
    ):
        texts[language] = (REAL / f"{slug}.txt").read_text(encoding="utf-8")
    texts["fr"] += (REAL / "lemonde-renseignement.txt").read_text(encoding="utf-8")
    texts["en"] = (REPO / "seeds" / "us-strikes-iraq-syria.txt").read_text(encoding="utf-8")
    texts["en"] += " Téhéran Al-Kadhimi Iran's l'armée Straße ٢٠٢١ العـــراق 13h36 a350"
    everything = " ".join(texts.values())
    for language, text in texts.items():
        assert len(list(words(text))) > 25
        # Each language's stemmer over its own words, and over the others' too.
        python = [stemmed(w, language) for w in words(everything)]
        javascript = page.evaluate(
            "([text, language]) => BRIEFGEN_TERMS.words(text)"
            ".map((w) => BRIEFGEN_TERMS.term(w, language))",
            [everything, language],
        )
        assert javascript == python, language
    page.close()


def test_counts_take_the_plural_form_python_gives(browser: Any, sites: dict[str, Path]) -> None:
    """search.js evaluates gettext's Plural-Forms expression itself (the pages' policy
    forbids eval): for every expression Babel knows, the same form as Python's gettext
    for counts 0-1,200 and a few large ones."""
    import gettext

    from babel.messages.plurals import PLURALS

    page = browser.new_page()
    page.goto((sites["ar-native"] / "search" / "index.html").as_uri())
    counts = [*range(1201), 1_000_000, 2_000_000, 1_000_001]
    for expression in sorted({rule for _, rule in PLURALS.values()}):
        javascript = page.evaluate(
            "([e, counts]) => { const rule = BRIEFGEN_COUNT.compile(e);"
            " return rule && counts.map(rule); }",
            [expression, counts],
        )
        assert javascript == [gettext.c2py(expression)(n) for n in counts], expression
    page.close()


def test_search_benchmark_prints_bytes_and_time_to_first_result(browser: Any) -> None:
    """benchmarks/search.py runs and reports per query; its figures are not asserted."""
    import subprocess
    import sys

    del browser  # only here so that the test skips (or fails in CI) without Chromium
    done = subprocess.run(
        [sys.executable, "benchmarks/search.py", "--n", "20"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    assert "| N | over | query | results | bytes | of which index | first result |" in done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("| 20 |")]
    assert len(rows) == 8 and all(" ms |" in row and " kB |" in row for row in rows)
