"""An Arabic desk's site in a real browser: the page reads from the right, quote bars,
bullets and the header sit on the right, nothing overlaps or scrolls sideways, and axe
finds nothing. Screenshots go beside the English ones (test-artifacts/screenshots/).

The site is tests/fixtures/rtl: an Arabic article and an English one, annotated in Arabic.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from rtlsite import arabic_site
from test_browser import AXE, SCREENSHOTS, Page, browser, require

from briefgen.build import build

__all__ = ["browser"]  # the module's Chromium, shared with the English tests

pytestmark = pytest.mark.e2e

ARABIC = "briefings/aawsat-erbil/"
ENGLISH_INSIDE = "briefings/us-strikes-iraq-syria/"
PAGES = ("", ARABIC, ENGLISH_INSIDE, "page/2/", "people/", "people/antony-blinken/", "tags/")
PAGES += ("tags/krg/", "sources/", "timeline/", "search/")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = arabic_site(tmp_path_factory.mktemp("rtl") / "desk")
    build(root)
    site = str(root / "site")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=site)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def phone(browser: Any, served: str) -> Iterator[Page]:
    page = Page(browser, served, viewport={"width": 360, "height": 740})
    yield page
    assert page.foreign_requests() == []
    page.close()


@pytest.fixture
def desktop(browser: Any, served: str) -> Iterator[Page]:
    page = Page(browser, served, viewport={"width": 1280, "height": 900})
    yield page
    assert page.foreign_requests() == []
    page.close()


def test_screenshots_of_an_arabic_briefing_home_and_search(browser: Any, served: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for name, options in (
        ("desktop", {"viewport": {"width": 1280, "height": 900}}),
        ("phone", {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2}),
    ):
        site = Page(browser, served, **options)
        for page_name, path in (("briefing", ARABIC), ("mixed", ENGLISH_INSIDE), ("home", "")):
            shot = SCREENSHOTS / f"rtl-{page_name}-{name}.png"
            site.open(path).screenshot(path=str(shot), full_page=True)
            shots.append(shot)
        page = site.open("search/?q=" + "قطر")
        page.locator("#search-results a").first.wait_for()
        shot = SCREENSHOTS / f"rtl-search-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        shots.append(shot)
        site.close()
    assert all(shot.stat().st_size > 10_000 for shot in shots)


def test_no_horizontal_scroll_at_360_px(phone: Page) -> None:
    for path in PAGES:
        page = phone.open(path)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path or 'home'} scrolls sideways: {width}px"


BOXES = """(selector) => [...document.querySelectorAll(selector)].map(el => {
  const r = el.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
    )


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_quote_bars_sit_on_the_right_beside_their_text(
    viewport: str, request: pytest.FixtureRequest
) -> None:
    site: Page = request.getfixturevalue(viewport)
    for path in (ARABIC, ENGLISH_INSIDE):  # English quotes on an Arabic page: the page's side
        page = site.open(path)
        quotes = page.evaluate(
            """() => [...document.querySelectorAll('.briefing blockquote')].map(q => {
              const s = getComputedStyle(q), r = q.getBoundingClientRect();
              const text = q.querySelector('p').getBoundingClientRect();
              return {bar: parseFloat(s.borderRightWidth), other: parseFloat(s.borderLeftWidth),
                      right: r.right, textRight: text.right, textLeft: text.left, left: r.left};
            })"""
        )
        assert quotes, path
        for quote in quotes:
            assert quote["bar"] == 4 and quote["other"] == 0, (path, quote)
            # The bar is the box's last 4 px on the right; the text stays clear of it.
            assert quote["textRight"] <= quote["right"] - 4, (path, quote)
            assert quote["textLeft"] >= quote["left"], (path, quote)


def test_list_markers_and_indents_are_on_the_right(desktop: Page) -> None:
    page = desktop.open(ARABIC)
    lists = page.evaluate(
        """() => [...document.querySelectorAll('#key-points + ul, #timeline + ul')].map(ul => {
          const s = getComputedStyle(ul), box = ul.getBoundingClientRect();
          const li = ul.querySelector('li').getBoundingClientRect();
          return {right: parseFloat(s.paddingRight), left: parseFloat(s.paddingLeft),
                  gapRight: box.right - li.right, gapLeft: li.left - box.left};
        })"""
    )
    assert len(lists) == 2
    for found in lists:
        # Room for the bullet on the right, none on the left: the marker is drawn there.
        assert found["right"] > 20 and found["left"] == 0, found
        assert found["gapRight"] > 20 and found["gapLeft"] < 1, found
    attribution = page.evaluate(
        """() => { const p = document.querySelector('.briefing blockquote + p');
          return parseFloat(getComputedStyle(p).paddingRight); }"""
    )
    assert attribution == 20  # the quote's attribution is indented from the right


def test_header_starts_on_the_right_and_its_items_do_not_overlap(
    desktop: Page, phone: Page
) -> None:
    for site in (desktop, phone):
        page = site.open(ARABIC)
        nav = page.evaluate(BOXES, ".site-nav")[0]
        items = page.evaluate(BOXES, ".site-nav a")
        assert abs(items[0]["right"] - nav["right"]) < 1  # the site's title, at the start
        assert abs(items[1]["right"] - nav["right"]) < 1  # the first link under it
        assert items[2]["right"] < items[1]["left"]  # then leftwards
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                assert not overlap(a, b), (a, b)


def test_footnote_markers_follow_their_words_without_overlapping(phone: Page) -> None:
    page = phone.open(ARABIC)
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('.briefing .footnote-ref')]
          .filter(sup => !sup.closest('blockquote + p'))  // attributions end in an English date
          .map(sup => {
          let node = sup.previousSibling;
          while (node && !(node.textContent || '').trim()) { node = node.previousSibling; }
          const range = document.createRange();
          const text = node.nodeType === 3 ? node : node.lastChild;
          const end = text.textContent.replace(/\\s+$/, '').length;
          range.setStart(text, end - 1); range.setEnd(text, end);
          const rects = range.getClientRects(), last = rects[rects.length - 1];
          const m = sup.getBoundingClientRect();
          return {word: {left: last.left, right: last.right, top: last.top, bottom: last.bottom},
                  marker: {left: m.left, right: m.right, top: m.top, bottom: m.bottom}};
        })"""
    )
    assert len(pairs) > 5
    for pair in pairs:
        word, marker = pair["word"], pair["marker"]
        assert not overlap(word, marker), pair
        if abs(word["top"] - marker["top"]) < 20:  # same line: the marker comes after, leftwards
            assert marker["right"] <= word["left"] + 1, pair


def test_footnote_preview_opens_leftwards_inside_the_screen(desktop: Page, phone: Page) -> None:
    for site in (desktop, phone):
        page = site.open(ARABIC)
        marker = page.locator(".briefing .footnote-ref a").first
        marker.hover()
        preview = page.locator(".fn-preview")
        assert preview.is_visible()
        box = preview.bounding_box()
        spot = marker.bounding_box()
        width = page.evaluate("document.documentElement.clientWidth")
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["x"] + box["width"] >= spot["x"] + spot["width"]  # from the marker's right
        bar = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.fn-preview')).borderRightWidth)"
        )
        assert bar == 4


def test_arrows_point_the_reading_direction(desktop: Page) -> None:
    page = desktop.open(ENGLISH_INSIDE)
    older = page.locator(".briefing-nav a[rel=prev]")
    assert older.inner_text().startswith("→")
    # The older briefing's link starts the nav, on the right, its arrow at its right end.
    nav = page.evaluate(BOXES, ".briefing-nav")[0]
    link = page.evaluate(BOXES, ".briefing-nav a[rel=prev]")[0]
    arrow = page.evaluate(
        """() => { const range = document.createRange();
          const text = document.querySelector('.briefing-nav a[rel=prev]').firstChild;
          range.setStart(text, 0); range.setEnd(text, 1);
          const r = range.getBoundingClientRect(); return {left: r.left, right: r.right}; }"""
    )
    assert abs(link["right"] - nav["right"]) < 1
    assert abs(arrow["right"] - link["right"]) < 1


@pytest.mark.parametrize("path", [ARABIC, ENGLISH_INSIDE, "", "search/", "people/", "tags/krg/"])
def test_axe_finds_no_accessibility_violations(browser: Any, served: str, path: str) -> None:
    require(AXE.is_file(), "axe-core is not installed")
    site = Page(browser, served, bypass_csp=True)  # the site's CSP rightly blocks injected axe
    page = site.open(path)
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    violations = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]
    assert violations == []
    site.close()


def test_search_finds_arabic_and_english_words(phone: Page) -> None:
    page = phone.open("search/?q=" + "أربيل")
    results = page.locator("#search-results a")
    results.first.wait_for()
    assert "أربيل" in results.first.inner_text()
    page.fill("#search-input", "blinken")
    # "1 briefing found" in the Arabic catalog
    page.locator("#search-status", has_text="عُثر على إحاطة واحدة").wait_for()


def test_native_digits_number_the_notes_in_the_markers_digits(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`digits: native`: the footnote list counts ١، ٢، ٣ as its superscript markers do."""
    root = arabic_site(tmp_path_factory.mktemp("native") / "desk")
    config = root / "briefgen.yml"
    config.write_text(config.read_text(encoding="utf-8") + "digits: native\n", encoding="utf-8")
    build(root)
    page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page.goto((root / "site" / ARABIC / "index.html").as_uri())
    style = page.evaluate("getComputedStyle(document.querySelector('.footnotes ol')).listStyleType")
    assert style == "arabic-indic"
    markers = page.locator(".briefing .footnote-ref a").all_inner_texts()
    assert markers and markers[0] == "١"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".footnotes").screenshot(path=str(SCREENSHOTS / "rtl-notes-native-phone.png"))
    page.close()
