"""Reading built HTML the way a browser would: links, ids and footnotes."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    """(tag, url, attributes) for every href/src."""
    scripts: list[dict[str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        for key in ("href", "src"):
            if key in a:
                self.page.links.append((tag, a[key], a))
        if tag == "script":
            self.page.scripts.append(a)

    def handle_data(self, data: str) -> None:
        self.page.text.append(data)


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    return parser.page


def resolve(site: Path, page_file: str, url: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to; None for external links."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return site / page_file, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_file), unquote(parts.path)))
    path = site / target
    if url.split("#")[0].endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


def check_internal_links(site: Path, page_file: str, html: str) -> int:
    """Assert every internal link of a page reaches a file (and its #fragment); returns
    how many were checked."""
    checked = 0
    for _tag, url, _attrs in parse(html).links:
        target = resolve(site, page_file, url)
        if target is None:
            continue
        path, fragment = target
        assert path.is_file(), f"{page_file}: broken link {url}"
        if fragment:
            assert fragment in parse(path.read_text()).ids, f"{page_file}: no #{fragment} in {url}"
        checked += 1
    return checked
