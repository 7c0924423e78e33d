"""Atom feed and sitemap: the site as machines read it.

Both are built with ElementTree, which escapes every editor-written string. Timestamps
come from briefing dates, never from the clock, so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from briefgen.stages.config import Config
from briefgen.stages.markdown import render_summary
from briefgen.stages.verify import Briefing
from briefgen.vocabulary import urls

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 does not allow at all (not even escaped)."""


def escape(text: str) -> str:
    """`&`, `<` and `>` as entities, as xml.sax.saxutils.escape writes them: that module
    imports urllib.request, and with it http.client, email and ssl (15 ms of every
    build's start, for a sitemap's addresses)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_document(root: ET.Element) -> bytes:
    """Indented UTF-8 XML with its declaration; characters XML forbids are dropped, so an
    editor's stray control character can never make the feed unreadable."""
    for element in root.iter():
        if element.text:
            element.text = NOT_XML.sub("", element.text)
        for name, value in element.attrib.items():
            element.attrib[name] = NOT_XML.sub("", value)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return DECLARATION.encode() + b"\n" + body + b"\n"


def timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def entry_id(config: Config, file: str) -> str:
    """A permanent id: the absolute URL when known, else a UUID derived from title and path."""
    if config.site_url:
        return urls.absolute(config.site_url, file, config.directory_urls)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"briefgen:{config.title}:{file}").urn


def atom_feed(
    briefings: Sequence[Briefing],
    config: Config,
    link: Callable[[str], str],
    file_of: Callable[[Briefing], str],
) -> bytes:
    """`feed.xml`: newest briefings first, at most `config.feed_limit` of them.

    `link(file)` gives the href of a generated file as seen from feed.xml: absolute with
    `site_url`, relative to the site root otherwise.
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": config.language})
    add = ET.SubElement
    add(feed, f"{{{ATOM}}}title").text = config.title
    if config.description:
        add(feed, f"{{{ATOM}}}subtitle").text = config.description
    add(feed, f"{{{ATOM}}}id").text = entry_id(config, "index.html")
    newest = max((b.date for b in briefings), default=dt.date(1970, 1, 1))
    add(feed, f"{{{ATOM}}}updated").text = timestamp(newest)
    add(
        feed,
        f"{{{ATOM}}}link",
        {"rel": "self", "type": "application/atom+xml", "href": link("feed.xml")},
    )
    add(
        feed,
        f"{{{ATOM}}}link",
        {"rel": "alternate", "type": "text/html", "href": link("index.html")},
    )
    add(feed, f"{{{ATOM}}}author").append(element("name", config.title))
    add(feed, f"{{{ATOM}}}generator").text = "briefgen"
    for briefing in briefings[: config.feed_limit]:
        file = file_of(briefing)
        entry = add(feed, f"{{{ATOM}}}entry")
        title = add(entry, f"{{{ATOM}}}title")
        title.text = briefing.title
        if briefing.title_language != config.language:  # the seed's own headline
            title.set("xml:lang", briefing.title_language)
        add(entry, f"{{{ATOM}}}id").text = entry_id(config, file)
        add(entry, f"{{{ATOM}}}updated").text = timestamp(briefing.date)
        add(entry, f"{{{ATOM}}}published").text = timestamp(briefing.date)
        add(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": link(file)})
        article = briefing.sources["article"]
        if article.url:
            # The article briefed, in its language: Atom's link to where an entry came from.
            via = {"rel": "via", "type": "text/html", "href": article.url}
            add(entry, f"{{{ATOM}}}link", {**via, "hreflang": briefing.original_language})
        summary = render_summary(briefing.sidecar.summary)
        add(entry, f"{{{ATOM}}}summary", {"type": "html"}).text = summary
        for tag in briefing.sidecar.tags:
            add(entry, f"{{{ATOM}}}category", {"term": urls.slugify(tag), "label": tag})
    return xml_document(feed)


def element(name: str, text: str) -> ET.Element:
    node = ET.Element(f"{{{ATOM}}}{name}")
    node.text = text
    return node


def sitemap(pages: Sequence[tuple[str, dt.date | None]], config: Config) -> bytes:
    """`sitemap.xml` for every page (needs `site_url`: sitemaps take absolute URLs only).

    Written as text, not through ElementTree like the feed: it lists every page (11,500
    at 10,000 briefings) and is made again by every build, and a tree of 30,000 elements
    cost a quarter of a second of a one-sidecar edit. The bytes are ElementTree's
    (tests/test_safety.py compares the two)."""
    assert config.site_url
    if not pages:
        return f'{DECLARATION}\n<urlset xmlns="{SITEMAP}" />\n'.encode()
    lines = [DECLARATION, f'<urlset xmlns="{SITEMAP}">']
    for file, modified in pages:
        loc = urls.absolute(config.site_url, file, config.directory_urls)
        lines.append(f"  <url>\n    <loc>{escape(NOT_XML.sub('', loc))}</loc>")
        if modified:
            lines.append(f"    <lastmod>{modified.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")
