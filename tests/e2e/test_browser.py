"""The example site in a real browser: Debian's Chromium, driven by Playwright for Python.

Run with `python -m pytest -m e2e` after `bash tests/e2e/setup.sh` (Chromium from apt,
axe-core / html-validate / lighthouse from npm). Without a browser these tests skip, except
under CI=true, where a missing browser is a failure: CI must test what readers get.
Screenshots are written to test-artifacts/screenshots/ for a reviewer to look at.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import build

REPO = Path(__file__).resolve().parents[2]
E2E = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SLUG = "us-strikes-iraq-syria"
AXE = E2E / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.e2e


def require(condition: bool, reason: str) -> None:
    """Skip without the tool, but fail in CI: there it must be installed."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (run tests/e2e/setup.sh)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    require(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


def make_site(tmp: Path, *, directory_urls: bool) -> Path:
    """The example site, built into a temporary folder."""
    root = tmp / ("served" if directory_urls else "disk")
    root.mkdir(parents=True)
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copy(REPO / "register.yml", root / "register.yml")
    config = (REPO / "briefgen.yml").read_text()
    if not directory_urls:
        config = config.replace("directory_urls: true", "directory_urls: false")
    (root / "briefgen.yml").write_text(config)
    build(root)
    return root / "site"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site served on 127.0.0.1 by a plain file server."""
    site = make_site(tmp_path_factory.mktemp("e2e"), directory_urls=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))

    class Quiet(handler.func):  # type: ignore[name-defined,misc]
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example site built with directory_urls: false, opened from file://."""
    site = make_site(tmp_path_factory.mktemp("e2e"), directory_urls=False)
    return site.as_uri() + "/"


class Page:
    """A browser page that records every request it makes."""

    def __init__(self, browser: Any, base: str, **options: Any) -> None:
        self.base = base
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def foreign_requests(self) -> list[str]:
        own = ("http://127.0.0.1", "file://", "data:", "about:")
        return [url for url in self.requests if not url.startswith(own)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(params=["served", "on_disk"])
def site(request: pytest.FixtureRequest, browser: Any) -> Iterator[Page]:
    base = request.getfixturevalue(request.param)
    page = Page(browser, base)
    page.directory_urls = request.param == "served"  # type: ignore[attr-defined]
    yield page
    assert page.foreign_requests() == [], "a page loaded something from another host"
    page.close()


def briefing_path(site: Page) -> str:
    return f"briefings/{SLUG}/" + ("" if site.directory_urls else "index.html")  # type: ignore[attr-defined]


def test_footnote_jump_and_return(site: Page) -> None:
    page = site.open(briefing_path(site))
    marker = page.locator(".footnote-ref a").nth(2)
    marker_id = marker.get_attribute("id")
    note_id = marker.get_attribute("href")[1:]
    marker.click()
    assert page.evaluate("location.hash") == f"#{note_id}"
    note = page.locator(f"[id='{note_id}']")
    assert note.is_visible() and note.evaluate("el => el.matches(':target')")
    # Its back-link for this very marker returns to it.
    note.locator(f"a.footnote-backref[href='#{marker_id}']").click()
    assert page.evaluate("location.hash") == f"#{marker_id}"
    assert (
        page.locator(f"[id='{marker_id}']").evaluate("el => el.getBoundingClientRect().top") < 200
    )


def test_a_speaker_and_a_register_note_lead_to_their_pages(site: Page) -> None:
    """Served and from file://: the quote's speaker opens the person's page, and a
    note's register link the group's."""
    page = site.open(briefing_path(site))
    page.locator("article blockquote + p strong a", has_text="Antony Blinken").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Antony Blinken"
    page.go_back()
    page.wait_for_load_state()
    note = page.locator(".footnotes a[href*='groups/pmf']", has_text="Popular Mobilization Forces")
    note.first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Popular Mobilization Forces"


def test_repeated_references_each_have_their_own_back_link(site: Page) -> None:
    page = site.open(briefing_path(site))
    refs = page.locator("a[href='#fn1']")
    assert refs.count() >= 2
    ids = [refs.nth(i).get_attribute("id") for i in range(refs.count())]
    backlinks = page.locator("#fn1 a.footnote-backref")
    assert [backlinks.nth(i).get_attribute("href")[1:] for i in range(backlinks.count())] == ids


def test_footnote_preview_on_hover_and_keyboard_focus(site: Page) -> None:
    page = site.open(briefing_path(site))
    marker = page.locator(".footnote-ref a").first
    marker.hover()
    preview = page.locator(".fn-preview")
    assert preview.is_visible()
    assert "Statement by Pentagon Press Secretary" in preview.inner_text()
    assert marker.get_attribute("aria-describedby") == "fn-preview"
    page.mouse.move(0, 0)
    assert preview.count() == 0
    marker.focus()
    assert page.locator(".fn-preview").is_visible()
    page.keyboard.press("Escape")
    assert page.locator(".fn-preview").count() == 0


def test_search_finds_the_example_briefing(site: Page) -> None:
    path = "search/" + ("" if site.directory_urls else "index.html")  # type: ignore[attr-defined]
    page = site.open(path + "?q=kadhimi")
    results = page.locator("#search-results a")
    results.first.wait_for()
    assert "US strikes on pro-Iran militias" in results.first.inner_text()
    page.fill("#search-input", "blinken rome")
    assert page.locator("#search-status").inner_text() == "1 briefing found"
    results.first.click()
    assert SLUG in page.url


def test_no_horizontal_scroll_at_360_px(browser: Any, served: str) -> None:
    site = Page(browser, served, viewport={"width": 360, "height": 740})
    for path in ("", f"briefings/{SLUG}/", "people/", "people/mustafa-al-kadhimi/",
                 "tags/", "sources/", "timeline/", "search/"):  # fmt: skip
        page = site.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path or 'home'} scrolls sideways: {width}px"
    assert site.foreign_requests() == []
    site.close()


def test_screenshots_desktop_phone_print(browser: Any, served: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, options in (
        ("desktop", {"viewport": {"width": 1280, "height": 900}}),
        ("phone", {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2}),
    ):
        site = Page(browser, served, **options)
        page = site.open(f"briefings/{SLUG}/")
        page.screenshot(path=str(SCREENSHOTS / f"briefing-{name}.png"), full_page=True)
        site.close()
    site = Page(browser, served, viewport={"width": 800, "height": 1100})
    page = site.open(f"briefings/{SLUG}/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    link = "document.querySelector('#sources ~ ul a[href^=\"http\"]')"
    after = page.evaluate(f"getComputedStyle({link}, '::after').content")
    assert "https://" in after  # printed links show their URL
    page.screenshot(path=str(SCREENSHOTS / "briefing-print.png"), full_page=True)
    site.close()
    assert all(
        (SCREENSHOTS / f"briefing-{n}.png").stat().st_size > 10_000
        for n in ("desktop", "phone", "print")
    )


@pytest.mark.parametrize(
    "path", ["", f"briefings/{SLUG}/", "people/", "people/antony-blinken/", "tags/", "tags/iraq/"]
)
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


def test_html_validate_finds_no_errors(tmp_path: Path) -> None:
    cli = E2E / "node_modules" / ".bin" / "html-validate"
    require(cli.is_file(), "html-validate is not installed")
    for directory_urls in (True, False):
        site = make_site(tmp_path / str(directory_urls), directory_urls=directory_urls)
        pages = sorted(str(p) for p in site.rglob("*.html"))
        result = subprocess.run(
            [str(cli), "--config", str(E2E / "htmlvalidate.json"), "--formatter", "text", *pages],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_page_head_for_sharing_and_search_engines(tmp_path: Path) -> None:
    root = tmp_path / "seo"
    root.mkdir()
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copy(REPO / "register.yml", root / "register.yml")
    (root / "briefgen.yml").write_text(
        (REPO / "briefgen.yml").read_text() + "site_url: https://desk.github.io/briefings/\n"
    )
    build(root)
    html = (root / "site" / "briefings" / SLUG / "index.html").read_text()
    url = f"https://desk.github.io/briefings/briefings/{SLUG}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "AnalysisNewsArticle" and data["url"] == url
    assert any(c["name"].startswith("Statement by Pentagon") for c in data["citation"])


def test_lighthouse_scores_the_briefing_page(tmp_path: Path) -> None:
    """Accessibility 1.0, best practices and SEO at least 0.95, measured offline."""
    cli = E2E / "node_modules" / ".bin" / "lighthouse"
    require(cli.is_file() and Path(CHROMIUM).exists(), "lighthouse or Chromium is not installed")
    site = make_site(tmp_path, directory_urls=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    report = tmp_path / "lighthouse.json"
    flags = (
        "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
        "--disable-component-update --disable-sync --no-first-run"
    )
    try:
        subprocess.run(
            [
                str(cli),
                f"http://127.0.0.1:{server.server_address[1]}/briefings/{SLUG}/",
                "--quiet",
                f"--chrome-flags={flags}",
                "--only-categories=accessibility,best-practices,seo",
                "--output=json",
                f"--output-path={report}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
            capture_output=True,
            timeout=240,
        )
    finally:
        server.shutdown()
        server.server_close()
    scores = {k: v["score"] for k, v in json.loads(report.read_text())["categories"].items()}
    print(f"lighthouse: {scores}")
    assert scores["accessibility"] == 1
    assert scores["best-practices"] >= 0.95
    assert scores["seo"] >= 0.95
