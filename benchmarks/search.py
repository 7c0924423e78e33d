"""Search cost in a real browser: bytes fetched and time to the first result.

Builds the synthetic corpus (benchmarks/corpus.py) at each size with
`directory_urls: false`, then opens the search page in Chromium (Playwright, as the
e2e tests drive it) over http (`python -m http.server` in its own process) and from
file://, each query in a fresh browser context (nothing cached), and prints, per query:

- bytes: every file the page loaded, the page itself included (sizes on disk, so http
  and file:// count alike; nothing is compressed);
- of which index: the parts of the search index the query loaded (search/t, d, x);
- first result: ms from the query's submission, on a loaded page, to its first result
  in the list; `?q=` cold: ms from the navigation to the first result of a link
  `search/index.html?q=…` (the page, its scripts and the index parts, all uncached).

    PYTHONPATH=. python benchmarks/search.py --n 1000 10000
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import write_corpus

from briefgen.build import build

CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM", "/usr/bin/chromium")
QUERIES = ["militia", "drone strikes", "council 4217", "governm"]
"""A common word, two words, a rare term (a number in one briefing), a prefix."""

FIRST_RESULT = """async (query) => {
  const list = document.getElementById("search-results");
  list.textContent = "";
  const input = document.getElementById("search-input");
  input.value = query;
  const start = performance.now();
  const status = document.getElementById("search-status");
  const nothing = document.getElementById("search-form").dataset.nothing;
  const found = new Promise((resolve) => {
    const seen = () => (list.querySelector("li") || status.textContent === nothing) &&
      resolve(performance.now() - start);
    new MutationObserver(seen).observe(list, { childList: true });
    new MutationObserver(seen).observe(status, { childList: true, subtree: true });
  });
  document.getElementById("search-form").requestSubmit();
  return await found;
}"""

COLD_RESULT = """async () => {
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const nothing = document.getElementById("search-form").dataset.nothing;
  const done = () => list.querySelector("li") || status.textContent === nothing;
  if (done()) { return performance.now(); }
  return await new Promise((resolve) => {
    const seen = () => done() && resolve(performance.now());
    new MutationObserver(seen).observe(list, { childList: true });
    new MutationObserver(seen).observe(status, { childList: true, subtree: true });
  });
}"""


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """`python -m http.server` in a process of its own: a server thread in this process
    would share the interpreter lock with Playwright's client and time the benchmark's
    own Python, not the page."""
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()  # Serving HTTP on 127.0.0.1 port 41234 (...)
        port = re.search(r"port (\d+)", banner)
        if port is None:
            raise RuntimeError(f"http.server did not start: {banner!r}")
        yield f"http://127.0.0.1:{port[1]}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def size_of(url: str, base: str, site: Path) -> int:
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    prefix = urllib.parse.unquote(urllib.parse.urlsplit(base).path)
    file = site / path[len(prefix) :]
    return file.stat().st_size if file.is_file() else 0


def measure(browser: Any, base: str, site: Path, query: str) -> dict[str, float]:
    figures: dict[str, float] = {}
    for mode in ("submit", "cold"):
        context = browser.new_context()
        page = context.new_page()
        urls: list[str] = []
        page.on("request", lambda request, urls=urls: urls.append(request.url))
        if mode == "submit":
            page.goto(base + "search/index.html", wait_until="load")
            urls.clear()  # the index parts this query loads, after the page
            figures["first_ms"] = page.evaluate(FIRST_RESULT, query)
            page.wait_for_load_state("networkidle")
            index = sum(size_of(u, base, site) for u in urls if "/search/" in u)
            figures["index_bytes"] = index
        else:
            page.goto(base + "search/index.html?q=" + urllib.parse.quote(query))
            figures["cold_ms"] = page.evaluate(COLD_RESULT)
            page.wait_for_load_state("networkidle")
            figures["bytes"] = sum(size_of(u, base, site) for u in dict.fromkeys(urls))
            status = page.locator("#search-status").inner_text()
            figures["results"] = float(status.split()[0]) if status[:1].isdigit() else 0
        context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000], help="site sizes")
    parser.add_argument("--work", type=Path, help="folder for the sites (default: a temp one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        print("| N | over | query | results | bytes | of which index | first result | `?q=` cold |")
        print("|---|---|---|---|---|---|---|---|", flush=True)
        for n in args.n:
            root = work / f"search-{n}"
            if not (root / "site" / "search" / "index.html").exists():
                write_corpus(root, n)
                config = root / "briefgen.yml"
                config.write_text(config.read_text() + "directory_urls: false\n")
                started = time.perf_counter()
                build(root)
                print(f"(built {n} briefings in {time.perf_counter() - started:.1f} s)", flush=True)
            site = root / "site"
            with sync_playwright() as p, serve(site) as http_base:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                for over, base in (("http", http_base), ("file://", site.as_uri() + "/")):
                    for query in QUERIES:
                        f = measure(browser, base, site, query)
                        print(
                            f"| {n:,} | {over} | `{query}` | {f['results']:.0f} "
                            f"| {f['bytes'] / 1024:,.0f} kB | {f['index_bytes'] / 1024:,.0f} kB "
                            f"| {f['first_ms']:.0f} ms | {f['cold_ms']:.0f} ms |",
                            flush=True,
                        )
                browser.close()


if __name__ == "__main__":
    main()
