"""Trustworthy under bad input: hostile strings, hostile files, hostile folders, interrupts.

Everything here goes through the command line (`briefgen -C root build`) on real files,
the way an editor or CI meets briefgen: injection attempts must come out escaped, bad
files must give one located message and exit 1 (never a traceback), output folders that
hold someone else's files are refused, and a build that fails or is interrupted leaves
the previous site/ and content/ byte for byte as they were.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import posixpath
import re
import signal
import subprocess
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.commands.cli import main
from briefgen.output import swap, writer
from briefgen.site.feed import SITEMAP as SITEMAP_NS
from briefgen.site.feed import sitemap, xml_document
from briefgen.stages.config import Config, parse_config
from briefgen.vocabulary import urls

from conftest import MINIMAL_SEED, MINIMAL_SIDECAR, Project, tree, write_files

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LINK_HINT = "  hint: links may be http://, https://, mailto: or relative (not //host)"
UTF8_HINT = "  hint: save the file as UTF-8 (most editors: 'Save with encoding')"
SIDECAR_KEYS = (
    "  hint: expected keys: title, date, draft, summary, key_points, tags, article, sources, "
    "quotes, annotations, timeline"
)


def run(root: Path, *args: str) -> tuple[int, str]:
    """Run `briefgen -C root ARGS`; an exception escaping the CLI shows as its traceback."""
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        output += "".join(traceback.format_exception(*result.exc_info))
    return result.exit_code, output


def lines_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def outputs(root: Path) -> dict[str, bytes]:
    """site/ and content/ together, for before/after comparisons."""
    return {f"site/{k}": v for k, v in tree(root / "site").items()} | {
        f"content/{k}": v for k, v in tree(root / "content").items()
    }


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob(".briefgen-*"))


# ---------------------------------------------------------------------------------------
# Hostile strings everywhere: they must reach HTML, Atom and the sitemap as text.
# ---------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(1)"
CDATA_END = "]]>"
STYLE_END = "</style>"
QUOTES_AMP = "\"double\" & 'single' &amp; &lt;"
EVIL = f"{SCRIPT} {IMG} {JS} {CDATA_END} {STYLE_END} {QUOTES_AMP}"
"""Every hostile fragment at once: what an attacker would put in any string field."""

HOSTILE_SEED = """\
2021-06-28

Headline <script>alert("head")</script> & *bold* [x](javascript:alert(1)) ]]> </style>

<script>alert("seed")</script> The minister said "<img src=x onerror=alert(1)>" in Rome & left.

# Not a heading [link](javascript:alert(1)) <a href="javascript:alert(1)">x</a>
]]> </style> &amp; &lt;

A third paragraph with **markdown**, `code`, <b onclick="alert(1)">bold</b>
and ![i](data:image/png;base64,AAAA).

<iframe src="javascript:alert(1)"></iframe> <style>body{}</style>
<!-- comment --> <svg onload=alert(1)>
"""

HOSTILE_SITE_URL = "https://desk.example.org/b/?x=%22%3E<script>alert(1)</script>&y='1'"
HOSTILE_SOURCE_URL = "https://example.org/?q=\"><script>alert(1)</script>&x='y'"


def hostile_sidecar() -> str:
    data = {
        "title": f"{EVIL} title",
        "summary": f"{EVIL} summary.[^evil]\n\n<b onmouseover=alert(1)>raw</b> {SCRIPT}",
        "key_points": [
            f"{EVIL} point",
            "Allowed links: [web](https://example.org/a?b=1&c=2), [mail](mailto:desk@example.org),"
            " [relative](../../tags/), [fragment](#bottom-line) and <https://example.org/auto>.",
            f"<b onclick=alert(1)>x</b> {IMG}",
        ],
        "tags": [SCRIPT, IMG, JS, CDATA_END, STYLE_END, QUOTES_AMP],
        "article": {
            "publisher": f"{EVIL} publisher",
            "author": f"{IMG} author",
            "url": HOSTILE_SOURCE_URL,
            "reproduce": "full",
        },
        "sources": {
            "evil": {
                "title": f"{EVIL} source title",
                "publisher": f"{EVIL} source publisher",
                "author": SCRIPT,
                "url": HOSTILE_SOURCE_URL,
            }
        },
        "quotes": [
            {
                "text": 'The minister said "<img src=x onerror=alert(1)>" in Rome & left',
                "speaker": f"{SCRIPT} {IMG}",
                "role": f"{EVIL} role",
                "note": f"{EVIL} quote note [^evil]",
            },
            {
                "text": '<script>alert("seed")</script>',
                "speaker": f"{CDATA_END} & {STYLE_END}",
                "role": "<b onclick=alert(1)>",
            },
            {
                "text": f"{EVIL} said elsewhere",
                "speaker": f"{JS} {QUOTES_AMP}",
                "source": "evil",
            },
        ],
        "annotations": [
            {
                "anchor": '<b onclick="alert(1)">bold</b>',
                "note": f"{EVIL} annotation note",
                "sources": ["evil"],
            },
            {
                "anchor": "[link](javascript:alert(1))",
                "note": f"{JS} & 'q' {STYLE_END}",
                "sources": ["article"],
            },
            {
                "anchor": '<iframe src="javascript:alert(1)"></iframe>',
                "note": f"{SCRIPT} note",
                "sources": ["evil"],
            },
        ],
        "timeline": [
            {"date": "2020-01", "event": f"{EVIL} timeline event", "source": "evil"},
        ],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def hostile_config() -> str:
    data = {
        "title": f"{EVIL} site title",
        "description": f"{EVIL} site description",
        "language": "de-CH",  # a markup-breaking language is refused: see below
        "site_url": HOSTILE_SITE_URL,
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


@pytest.mark.parametrize("where", ["config", "sidecar"])
def test_a_language_that_could_break_out_of_its_attribute_is_refused(
    project: Project, where: str
) -> None:
    evil = 'en"><script>alert(1)</script>'
    files = {"seeds/a.txt": MINIMAL_SEED, "seeds/a.yml": MINIMAL_SIDECAR}
    if where == "config":
        files["briefgen.yml"] = yaml.safe_dump({"language": evil})
        expected = "briefgen.yml:1:11: error: language"
    else:
        files["seeds/a.yml"] += yaml.safe_dump({"article": {"language": evil}})
        expected = "seeds/a.yml:9:13: error: article.language"
    root = project(files)
    code, output = run(root, "build")
    assert code == 1, output
    assert f"{expected} '{evil}' is not a language tag" in output
    assert not (root / "site").exists()


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class HtmlDocument:
    elements: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class Collector(HTMLParser):
    """Every element with its attributes, and the text inside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = HtmlDocument()
        self.raw: Element | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.doc.elements.append(element)
        if tag in ("script", "style"):
            self.raw = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.doc.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.raw is not None and tag == self.raw.tag:
            self.raw = None

    def handle_data(self, data: str) -> None:
        if self.raw is not None:
            self.raw.text += data
        else:
            self.doc.text.append(data)


def parse_html(html: str) -> HtmlDocument:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector.doc


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "srcset", "cite", "data"}
FORBIDDEN_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "img", "svg", "math", "frame", "applet"}


def url_is_dangerous(value: str) -> bool:
    # Browsers ignore leading whitespace and control characters, and case, in a scheme.
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return cleaned.startswith(FORBIDDEN_SCHEMES)


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def check_markup(doc: HtmlDocument, where: str) -> None:
    """No element, attribute or URL a hostile string could have produced."""
    for element in doc.elements:
        assert element.tag not in FORBIDDEN_ELEMENTS, f"{where}: <{element.tag}> {element.attrs}"
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), f"{where}: <{element.tag} {name}={value!r}>"
            if name.lower() in URL_ATTRIBUTES:
                assert not url_is_dangerous(value), f"{where}: <{element.tag} {name}={value!r}>"
        if element.tag == "meta" and element.attrs.get("http-equiv", "").lower() == "refresh":
            raise AssertionError(f"{where}: meta refresh {element.attrs}")


def check_page(site: Path, page_file: str, css: str) -> HtmlDocument:
    """One built HTML page: only the site's own scripts, no handlers, a strict CSP."""
    doc = parse_html((site / page_file).read_text(encoding="utf-8"))
    check_markup(doc, page_file)
    for element in doc.elements:
        if element.tag == "script" and element.attrs.get("type") == "application/ld+json":
            # A data block, never executed: it must be JSON, and cannot close the element.
            json.loads(element.text)
            assert "</" not in element.text, f"{page_file}: '</' inside JSON-LD"
            continue
        if element.tag == "script":
            src = element.attrs.get("src", "")
            assert src, f"{page_file}: inline <script> {element.text[:80]!r}"
            assert not element.text.strip(), f"{page_file}: <script src> with content"
            assert not re.match(r"^([a-z][a-z0-9+.-]*:)?//", src, re.I), f"{page_file}: {src}"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_file), src))
            assert target.startswith(("assets/", "search/")), f"{page_file}: script {src}"
            assert (site / target).is_file(), f"{page_file}: script {src} does not exist"
        if element.tag == "style":
            assert element.text == css, f"{page_file}: <style> is not the theme's stylesheet"
    policies = [
        e.attrs.get("content", "")
        for e in doc.elements
        if e.tag == "meta" and e.attrs.get("http-equiv", "").lower() == "content-security-policy"
    ]
    assert len(policies) == 1, f"{page_file}: {len(policies)} CSP meta tags"
    directives = csp_directives(policies[0])
    assert directives.get("script-src") == ["'self'"], f"{page_file}: {policies[0]}"
    assert directives.get("default-src") == ["'none'"], f"{page_file}: {policies[0]}"
    styles = directives.get("style-src", [])
    assert styles and all(
        s == "'self'" or re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", s) for s in styles
    )
    assert "unsafe" not in policies[0]
    return doc


@pytest.fixture
def hostile_site(project: Project) -> Path:
    plain = MINIMAL_SIDECAR.replace("summary: Ministers met in Rome.", f"summary: {JS} plain")
    root = project(
        {
            "briefgen.yml": hostile_config(),
            "seeds/a.txt": HOSTILE_SEED,
            "seeds/a.yml": hostile_sidecar(),
            # A second briefing whose title is the hostile seed headline.
            "seeds/b.txt": HOSTILE_SEED.replace("2021-06-28", "2021-06-27"),
            "seeds/b.yml": (
                "summary: |\n  Second briefing, [^article] cited.\n"
                'quotes:\n  - text: <script>alert("seed")</script>\n'
                f"    speaker: {json.dumps(IMG)}\n"
            ),
            "seeds/c.txt": MINIMAL_SEED.replace("2021-06-28", "2021-06-26"),
            "seeds/c.yml": plain,
        }
    )
    code, output = run(root, "build")
    assert code == 0, output
    assert "Traceback" not in output
    return root


def test_hostile_strings_never_become_markup_in_any_page(hostile_site: Path) -> None:
    site = hostile_site / "site"
    css = (site / "assets" / "briefgen.css").read_text(encoding="utf-8")
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) >= 15, pages
    for page in pages:
        check_page(site, page, css)
    # The search page is the one that loads scripts: the theme's stemmers and search.js,
    # which loads the index's files itself.
    search = parse_html((site / "search" / "index.html").read_text(encoding="utf-8"))
    scripts = [e.attrs["src"] for e in search.elements if e.tag == "script"]
    assert scripts[-1] == "../assets/search.js"
    assert scripts[:-1] and all(
        re.fullmatch(r"\.\./assets/stem-[a-z]+\.js", s) for s in scripts[:-1]
    )


def test_hostile_strings_are_shown_as_text(hostile_site: Path) -> None:
    site = hostile_site / "site"
    page = parse_html((site / "briefings" / "a" / "index.html").read_text(encoding="utf-8"))
    text = " ".join(page.text)
    for fragment in (SCRIPT, IMG, JS, CDATA_END, STYLE_END, "\"double\" & 'single' &amp; &lt;"):
        assert fragment in text, fragment
    # Plain-text fields show the string exactly as the editor typed it ...
    for words in (
        "title",
        "publisher",
        "source title",
        "source publisher",
        "role",
        "site title",
        "site description",
    ):
        assert f"{QUOTES_AMP} {words}" in text, words
    # ... Markdown fields too, except that Markdown reads "&amp;" and "&lt;" as entities.
    decoded = "\"double\" & 'single' & <"
    for words in ("summary.", "point", "quote note", "annotation note", "timeline event"):
        assert f"{SCRIPT} {IMG} {JS} {CDATA_END} {STYLE_END} {decoded} {words}" in text, words
    # The seed's own HTML and Markdown syntax is text too, reproduced in full.
    for fragment in (
        '<script>alert("seed")</script> The minister said',
        "# Not a heading [link](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a> ]]> </style> &amp; &lt;',
        '**markdown**, `code`, <b onclick="alert(1)">bold</b>',
        "![i](data:image/png;base64,AAAA)",
        '<iframe src="javascript:alert(1)"></iframe>',
        "<style>body{}</style> <!-- comment --> <svg onload=alert(1)>",
    ):
        assert fragment in text, fragment
    html = (site / "briefings" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de-CH">' in html  # the config's tag, case-normalised
    # Links an editor may write still work: http(s), mailto, relative, fragment.
    hrefs = {e.attrs.get("href") for e in page.elements if e.tag == "a"}
    assert {
        "https://example.org/a?b=1&c=2",
        "mailto:desk@example.org",
        "../../tags/",
        "#bottom-line",
        "https://example.org/auto",
    } <= hrefs
    b_page = parse_html((site / "briefings" / "b" / "index.html").read_text(encoding="utf-8"))
    headline = 'Headline <script>alert("head")</script> & *bold* [x](javascript:alert(1))'
    assert headline in " ".join(b_page.text)


def test_feed_is_well_formed_and_hostile_strings_are_text(hostile_site: Path) -> None:
    raw = (hostile_site / "site" / "feed.xml").read_bytes()
    for fragment in (b"<script", b"<img", b"<b ", b"]]>", b"</style>", b"<iframe"):
        assert fragment not in raw, fragment
    root = ET.fromstring(raw)
    config = yaml.safe_load(hostile_config())
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == config["language"]
    assert root.findtext(f"{ATOM}title") == config["title"]
    assert root.findtext(f"{ATOM}subtitle") == config["description"]
    assert root.findtext(f"{ATOM}author/{ATOM}name") == config["title"]
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == f"{EVIL} title"
    assert (
        titles[1]
        == 'Headline <script>alert("head")</script> & *bold* [x](javascript:alert(1)) ]]> </style>'
    )
    labels = [c.get("label") for c in entries[0].findall(f"{ATOM}category")]
    assert labels == [SCRIPT, IMG, JS, CDATA_END, STYLE_END, QUOTES_AMP]
    for entry in entries:
        for link in entry.findall(f"{ATOM}link"):
            assert not url_is_dangerous(link.get("href", ""))
            if link.get("rel") != "via":  # the article briefed, on its publisher's site
                assert link.get("href", "").startswith(HOSTILE_SITE_URL)
        summary = entry.find(f"{ATOM}summary")
        assert summary is not None and summary.get("type") == "html"
        # An html summary is markup for the feed reader: it must be as clean as a page.
        doc = parse_html(summary.text or "")
        check_markup(doc, "feed.xml summary")
        assert not [e for e in doc.elements if e.tag in ("script", "style")]
    first = parse_html(entries[0].findtext(f"{ATOM}summary") or "")
    decoded = "\"double\" & 'single' & <"  # Markdown reads &amp; and &lt; as entities
    assert f"{SCRIPT} {IMG} {JS} {CDATA_END} {STYLE_END} {decoded} summary." in " ".join(first.text)


def test_sitemap_is_well_formed_and_escaped(hostile_site: Path) -> None:
    raw = (hostile_site / "site" / "sitemap.xml").read_bytes()
    assert b"<script" not in raw
    locs = [loc.text or "" for loc in ET.fromstring(raw).iter(f"{SITEMAP}loc")]
    assert len(locs) >= 10
    for loc in locs:
        assert loc.startswith(HOSTILE_SITE_URL + "/"), loc


def tree_sitemap(pages: list[tuple[str, dt.date | None]], config: Config) -> bytes:
    """The sitemap as briefgen made it through ElementTree, before it wrote it as text."""
    assert config.site_url
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for file, modified in pages:
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = urls.absolute(
            config.site_url, file, config.directory_urls
        )
        if modified:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = modified.isoformat()
    return xml_document(root)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=12).map(lambda t: f"{t}/index.html"),
            st.none() | st.dates(),
        ),
        max_size=6,
    ),
    st.sampled_from(["https://desk.example/", "https://a.example/x?a=1&b=<2>\x01/"]),
    st.booleans(),
)
def test_sitemap_text_is_the_bytes_elementtree_wrote(
    pages: list[tuple[str, dt.date | None]], site_url: str, directory_urls: bool
) -> None:
    """The sitemap is written as text for speed: every page name, hostile ones (`&`, `<`,
    control characters, other scripts) included, gives ElementTree's bytes."""
    config, _ = parse_config("briefgen.yml", "title: Desk\n", "desk")
    assert config is not None
    config = replace(config, site_url=site_url)
    config = replace(config, directory_urls=directory_urls)
    assert sitemap(pages, config) == tree_sitemap(pages, config)


def test_search_index_carries_hostile_titles_as_string_data(hostile_site: Path) -> None:
    files = sorted((hostile_site / "site" / "search").rglob("*.js"))
    assert files
    script = "".join(f.read_text(encoding="utf-8") for f in files)
    # Loaded by <script src>: "</script" would end nothing, but no string may break out.
    assert "</script" not in script.lower()
    assert '\\"><img src=x onerror=alert(1)>' in script  # the title, as escaped string data
    assert not re.search(r'(?<!\\)"><img', script), "an unescaped quote ends a string early"


# ---------------------------------------------------------------------------------------
# javascript: and data: URLs in a sidecar are located errors.
# ---------------------------------------------------------------------------------------


def test_dangerous_urls_in_sidecars_are_located_errors(project: Project) -> None:
    article_url = """\
summary: Ministers met in Rome.
article:
  url: javascript:alert(1)
"""
    source_url = """\
summary: Ministers met in Rome.
sources:
  pic:
    title: A picture
    url: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==
"""
    markdown_links = """\
summary: Ministers met in Rome.
annotations:
  - anchor: Popular Mobilization units
    note: See [this](javascript:alert%281%29) now.
quotes:
  - text: We will not be intimidated
    speaker: A. Minister
    note: |
      Context first.
      ![pic](DATA:image/svg+xml;base64,PHN2Zz4=)
key_points:
  - "Read <javascript:alert(1)> first"
timeline:
  - date: 2020-01
    event: |
      Something [happened][r].

      [r]: vbscript:msgbox
"""
    root = project(
        {
            "seeds/one.txt": MINIMAL_SEED,
            "seeds/one.yml": article_url,
            "seeds/two.txt": MINIMAL_SEED,
            "seeds/two.yml": source_url,
            "seeds/three.txt": MINIMAL_SEED,
            "seeds/three.yml": markdown_links,
        }
    )
    code, output = run(root, "build")
    assert code == 1
    assert "Traceback" not in output
    assert lines_of(output) == [
        "seeds/one.yml:3:8: error: article.url must be an http:// or https:// URL; "
        "got 'javascript:alert(1)'",
        "seeds/three.yml:4:22: error: link to 'javascript:alert%281%29' is not allowed",
        LINK_HINT,
        "seeds/three.yml:10:14: error: link to 'DATA:image/svg+xml;base64,PHN2Zz4=' is not allowed",
        LINK_HINT,
        "seeds/three.yml:12:12: error: link to 'javascript:alert(1)' is not allowed",
        LINK_HINT,
        "seeds/three.yml:18:12: error: link to 'vbscript:msgbox' is not allowed",
        LINK_HINT,
        "seeds/two.yml:5:10: error: sources.pic.url must be an http:// or https:// URL; "
        "got 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='",
        "6 errors",
    ]
    assert not (root / "site").exists()
    assert not (root / "content").exists()


def test_javascript_link_with_parentheses_is_located(project: Project) -> None:
    sidecar = MINIMAL_SIDECAR.replace(
        "note: Iraq's state-sanctioned militias.", "note: Click [here](javascript:alert(1))."
    )
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": sidecar})
    code, output = run(root, "build")
    assert code == 1
    first = lines_of(output)[0]
    # "    note: Click [here](" is 23 characters: the target starts in column 24.
    assert first.startswith("seeds/one.yml:7:24: error: link to 'javascript:alert(1")
    assert first.endswith("is not allowed")


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript&#58;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](javascript\\:alert(1))",
        "- [r]: javascript:alert(1)\n\n  [x][r]",
        "> [r]: data:text/html,hi\n>\n> [x][r]",
    ],
    ids=["entity-colon", "entity-letter", "backslash-colon", "list-definition", "quote-definition"],
)
def test_disguised_dangerous_links_are_located_errors(project: Project, markdown: str) -> None:
    note = "    note: |\n" + "".join(
        f"      {line}\n" if line else "\n" for line in markdown.split("\n")
    )
    sidecar = MINIMAL_SIDECAR.replace("    note: Iraq's state-sanctioned militias.\n", note)
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": sidecar})
    code, output = run(root, "build")
    assert "Traceback" not in output
    assert code == 1, output
    # Located on the line of the link (a reference link: where it is used).
    assert re.search(
        r"^seeds/one\.yml:(8|9|10):\d+: error: link to '.*' is not allowed$", output, re.M
    )


# ---------------------------------------------------------------------------------------
# Bad files: one located message each, exit 1, never a traceback.
# ---------------------------------------------------------------------------------------

SEED_OK = {"seeds/one.txt": MINIMAL_SEED}
SIDECAR_OK = {"seeds/one.yml": MINIMAL_SIDECAR}
BIG = "x" * (5 * 2**20)


def billion_laughs(indent: str) -> str:
    """Nine levels of nine aliases each: 9**9 "lol"s if anything expanded them."""
    lines = [f"{indent}- &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{indent}- &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def top_level_laughs() -> str:
    lines = ["summary: ok", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def deep_block_mapping(levels: int) -> str:
    return "summary: ok\n" + "".join("  " * i + f"k{i}:\n" for i in range(levels))


@dataclass(frozen=True)
class BadInput:
    id: str
    files: dict[str, str | bytes]
    expected: list[str]
    """The first error, and the lines that follow it, exactly."""


BAD_INPUTS = [
    BadInput(
        "seed-over-4-MiB",
        {"seeds/one.txt": MINIMAL_SEED + BIG, **SIDECAR_OK},
        [
            f"seeds/one.txt: error: file is {len((MINIMAL_SEED + BIG).encode()):,} bytes; "
            "the limit is 4 MiB"
        ],
    ),
    BadInput(
        "sidecar-over-4-MiB",
        {**SEED_OK, "seeds/one.yml": MINIMAL_SIDECAR + "# " + BIG + "\n"},
        [
            f"seeds/one.yml: error: file is {len(MINIMAL_SIDECAR) + len(BIG) + 3:,} bytes; "
            "the limit is 4 MiB"
        ],
    ),
    BadInput(
        "flow-nested-40-deep",
        {**SEED_OK, "seeds/one.yml": "summary: ok\ntags: " + "[" * 40 + "]" * 40 + "\n"},
        # Level 1 is the top mapping; the 32nd "[" (column 7 + 31) is level 33.
        ["seeds/one.yml:2:38: error: YAML nested more than 32 levels deep"],
    ),
    BadInput(
        "block-nested-40-deep",
        {**SEED_OK, "seeds/one.yml": deep_block_mapping(40)},
        # k0 (line 2) is in level 1; k32 on line 34, indented 64 spaces, opens level 33.
        ["seeds/one.yml:34:65: error: YAML nested more than 32 levels deep"],
    ),
    BadInput(
        "billion-laughs-under-tags",
        {**SEED_OK, "seeds/one.yml": "summary: ok\ntags:\n" + billion_laughs("  ")},
        ["seeds/one.yml:3:5: error: tags[1] must be a string, not a list"],
    ),
    BadInput(
        "billion-laughs-at-top-level",
        {**SEED_OK, "seeds/one.yml": top_level_laughs()},
        [
            "seeds/one.yml:2:1: error: unknown key 'a' in sidecar",
            SIDECAR_KEYS.replace("expected keys", "known keys"),
        ],
    ),
    BadInput(
        "billion-laughs-in-config",
        {"briefgen.yml": "boilerplate:\n" + billion_laughs("  "), **SEED_OK, **SIDECAR_OK},
        ["briefgen.yml:2:5: error: boilerplate[1] must be a string, not a list"],
    ),
    BadInput(
        "alias-of-a-valid-value",
        {**SEED_OK, "seeds/one.yml": "summary: ok\ntags: [&a iraq, *a]\n"},
        # Reported where the anchored value is (the alias is that very node once composed).
        [
            "seeds/one.yml:2:8: error: YAML anchors and aliases are not supported",
            "  hint: write the value out",
        ],
    ),
    BadInput(
        "tab-indented-sidecar",
        {
            **SEED_OK,
            "seeds/one.yml": "summary: ok\nquotes:\n\t- text: We will not be intimidated\n",
        },
        [
            "seeds/one.yml:3:1: error: invalid YAML: found character that cannot start any "
            "token (while scanning for the next token)",
            "  hint: indent with spaces; YAML does not allow tabs for indentation",
        ],
    ),
    BadInput(
        "non-utf8-seed",
        {"seeds/one.txt": b"2021-06-28\n\nHeadline\n\nCaf\xe9 society.\n", **SIDECAR_OK},
        ["seeds/one.txt:5:4: error: not UTF-8 text: byte 0xe9 at offset 25", UTF8_HINT],
    ),
    BadInput(
        "non-utf8-sidecar",
        {**SEED_OK, "seeds/one.yml": b"summary: ok\ntags: [caf\xe9]\n"},
        ["seeds/one.yml:2:11: error: not UTF-8 text: byte 0xe9 at offset 22", UTF8_HINT],
    ),
    BadInput(
        "non-utf8-config",
        {"briefgen.yml": b"title: Desk\ndescription: Caf\xe9\n", **SEED_OK, **SIDECAR_OK},
        ["briefgen.yml:2:17: error: not UTF-8 text: byte 0xe9 at offset 28", UTF8_HINT],
    ),
    BadInput(
        "nul-in-seed",
        {"seeds/one.txt": "2021-06-28\n\nHeadline\n\nBody\0text.\n", **SIDECAR_OK},
        ["seeds/one.txt:5:5: error: NUL byte in text (is this a binary file?)"],
    ),
    BadInput(
        "nul-in-sidecar",
        {**SEED_OK, "seeds/one.yml": "summary: ok\ntags: [a\0]\n"},
        ["seeds/one.yml:2:9: error: NUL byte in text (is this a binary file?)"],
    ),
    BadInput(
        "empty-seed",
        {"seeds/one.txt": "", **SIDECAR_OK},
        [
            "seeds/one.txt:1:1: error: seed is empty",
            "  hint: a seed starts with a date line, then the headline",
        ],
    ),
    BadInput(
        "whitespace-seed",
        {"seeds/one.txt": "\n  \n\t\n\u00a0\n", **SIDECAR_OK},
        [
            "seeds/one.txt:1:1: error: seed is empty",
            "  hint: a seed starts with a date line, then the headline",
        ],
    ),
    BadInput(
        "seed-with-only-a-date",
        {"seeds/one.txt": "\n\n2021-06-28\n", **SIDECAR_OK},
        ["seeds/one.txt:3:1: error: seed has a date but no headline"],
    ),
    BadInput(
        "seed-without-body",
        {"seeds/one.txt": "2021-06-28\n\nHeadline\n", **SIDECAR_OK},
        ["seeds/one.txt:3:1: error: seed has no body paragraphs after the headline"],
    ),
    BadInput(
        "empty-sidecar",
        {**SEED_OK, "seeds/one.yml": ""},
        ["seeds/one.yml:1:1: error: file is empty; required: summary"],
    ),
    BadInput(
        "whitespace-sidecar",
        {**SEED_OK, "seeds/one.yml": "  \n\n   \n"},
        ["seeds/one.yml:1:1: error: file is empty; required: summary"],
    ),
    BadInput(
        "comment-only-sidecar",
        {**SEED_OK, "seeds/one.yml": "# to do\n"},
        ["seeds/one.yml:1:1: error: file is empty; required: summary"],
    ),
    BadInput(
        "sidecar-is-a-list",
        {**SEED_OK, "seeds/one.yml": "# notes\n- summary: ok\n- tags: [a]\n"},
        ["seeds/one.yml:2:1: error: sidecar must be a mapping of keys", SIDECAR_KEYS],
    ),
    BadInput(
        "sidecar-is-a-scalar",
        {**SEED_OK, "seeds/one.yml": "\n\n  just a sentence\n"},
        ["seeds/one.yml:3:3: error: sidecar must be a mapping of keys", SIDECAR_KEYS],
    ),
    BadInput(
        "config-is-a-list",
        {"briefgen.yml": "# site\n- title: x\n", **SEED_OK, **SIDECAR_OK},
        ["briefgen.yml:2:1: error: config must be a mapping of keys"],
    ),
    BadInput(
        "sidecar-without-seed",
        {**SEED_OK, **SIDECAR_OK, "seeds/orphan.yml": MINIMAL_SIDECAR},
        [
            "seeds/orphan.yml:1:1: error: sidecar has no seed: seeds/orphan.txt does not exist",
            "  hint: its briefing would silently go unpublished: add the seed or rename the "
            "sidecar",
        ],
    ),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c.id for c in BAD_INPUTS])
def test_bad_input_is_a_located_error(project: Project, case: BadInput) -> None:
    root = project(case.files)
    started = time.perf_counter()
    code, output = run(root, "build")
    assert time.perf_counter() - started < 5
    assert code == 1, output
    assert "Traceback" not in output
    lines = lines_of(output)
    errors = [line for line in lines if ": error: " in line]
    assert errors and errors[0] == case.expected[0], output
    start = lines.index(case.expected[0])
    assert lines[start : start + len(case.expected)] == case.expected, output
    assert re.fullmatch(r"\d+ errors?", lines[-1]), output
    assert not (root / "site").exists() and not (root / "content").exists()


def test_seed_without_sidecar_is_a_warning_and_skipped(project: Project) -> None:
    root = project({**SEED_OK, **SIDECAR_OK, "seeds/lonely.txt": MINIMAL_SEED})
    code, output = run(root, "build")
    assert code == 0, output
    assert "Traceback" not in output
    lines = lines_of(output)
    index = lines.index("seeds/lonely.txt: warning: seed has no sidecar; skipped")
    assert lines[index + 1] == "  hint: write seeds/lonely.yml (briefgen new seeds/lonely.txt)"
    assert (root / "site" / "briefings" / "one" / "index.html").is_file()
    assert not (root / "site" / "briefings" / "lonely").exists()
    code, output = run(root, "build", "--strict")
    assert code == 1


def test_symlinked_seed_outside_the_site_is_not_followed(project: Project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MINIMAL_SEED.replace("Ministers meet in Rome", "SECRET HEADLINE"))
    root = project({**SIDECAR_OK})
    (root / "seeds" / "one.txt").symlink_to(secret)
    code, output = run(root, "build")
    assert code == 1
    assert "Traceback" not in output
    assert (
        "seeds/one.txt: error: symlink to a file outside the site root; not followed"
        in lines_of(output)
    )
    assert "SECRET" not in output
    assert not (root / "site").exists()


def test_symlinked_sidecar_outside_the_site_is_not_followed(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text(MINIMAL_SIDECAR)
    root = project({**SEED_OK})
    (root / "seeds" / "one.yml").symlink_to(outside)
    code, output = run(root, "build")
    assert code == 1
    assert (
        "seeds/one.yml: error: symlink to a file outside the site root; not followed"
        in lines_of(output)
    )


def test_symlinked_seeds_folder_outside_the_site_is_refused(
    project: Project, tmp_path: Path
) -> None:
    outside = write_files(tmp_path / "elsewhere", {**SEED_OK, **SIDECAR_OK})
    root = project({"briefgen.yml": "title: Desk\n"})
    (root / "seeds").symlink_to(outside / "seeds")
    code, output = run(root, "build")
    assert code == 1
    assert lines_of(output)[0] == (
        "briefgen.yml: error: seeds_dir 'seeds' is outside the site root "
        "(through '..' or a symlink)"
    )
    assert not (root / "site").exists()


def test_seeds_dir_outside_through_dotdot_is_refused(project: Project, tmp_path: Path) -> None:
    write_files(tmp_path, {"outside/one.txt": MINIMAL_SEED, "outside/one.yml": MINIMAL_SIDECAR})
    root = project({"briefgen.yml": "seeds_dir: ../outside\n"})
    code, output = run(root, "build")
    assert code == 1
    assert "Traceback" not in output
    assert lines_of(output)[0] == (
        "briefgen.yml:1:12: error: seeds_dir '../outside' is outside the site root"
    )
    assert not (root / "site").exists()


def test_template_symlinked_outside_the_site_is_not_followed_for_assets(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside-asset.css"
    outside.write_text("SECRET")
    root = project({**SEED_OK, **SIDECAR_OK, "templates/assets/own.css": "p{}"})
    (root / "templates" / "assets" / "leak.css").symlink_to(outside)
    code, output = run(root, "build")
    # Refused, not silently skipped: the editor learns why the file is not published.
    assert code == 1, output
    assert lines_of(output)[0] == (
        "templates/assets/leak.css: error: symlink to a file outside the site root"
    )
    assert not (root / "site").exists()


def test_template_file_named_in_no_encoding_is_a_located_error(project: Project) -> None:
    """A file name that is not UTF-8 (bytes from another system's encoding) cannot be
    a URL or a line of a message: refused with its name escaped, never a traceback."""
    root = project({**SEED_OK, **SIDECAR_OK, "templates/assets/own.css": "p{}"})
    folder = os.fsencode(root / "templates" / "assets")
    with open(os.path.join(folder, b"logo-\xff.svg"), "wb") as f:
        f.write(b"<svg/>")
    code, output = run(root, "build")
    assert code == 1, output
    assert lines_of(output)[0] == (
        "templates/assets/logo-\\udcff.svg: error: file name is not valid UTF-8: "
        "it cannot be published"
    )
    assert "Traceback" not in output
    assert not (root / "site").exists()


@pytest.mark.parametrize("how", ["template-file", "templates-folder"])
def test_templates_symlinked_outside_the_site_are_not_followed(
    project: Project, tmp_path: Path, how: str
) -> None:
    outside = write_files(
        tmp_path / "outside",
        {
            "home.html": '{% extends "base.html" %}{% block main %}SECRET{% endblock %}',
            "assets/secret.css": "SECRET",
        },
    )
    root = project({**SEED_OK, **SIDECAR_OK})
    if how == "template-file":
        (root / "templates").mkdir()
        (root / "templates" / "home.html").symlink_to(outside / "home.html")
    else:
        (root / "templates").symlink_to(outside)
    _, output = run(root, "build")
    assert "Traceback" not in output
    published = b"".join(tree(root / "site").values()) if (root / "site").exists() else b""
    assert b"SECRET" not in published


@pytest.mark.parametrize("key", ["site_dir", "content_dir", "seeds_dir"])
def test_nul_in_folder_setting_is_a_located_error(project: Project, key: str) -> None:
    root = project({"briefgen.yml": f'{key}: "out\\0put"\n', **SEED_OK, **SIDECAR_OK})
    code, output = run(root, "build")
    assert "Traceback" not in output
    assert code == 1
    assert lines_of(output)[0].startswith(f"briefgen.yml:1:{len(key) + 3}: error: ")


def test_config_over_4_mib_is_refused(project: Project) -> None:
    config = "title: Desk\n" + "# " + BIG + "\n"
    root = project({"briefgen.yml": config, **SEED_OK, **SIDECAR_OK})
    code, output = run(root, "build")
    assert code == 1
    assert lines_of(output)[0] == (
        f"briefgen.yml: error: file is {len(config):,} bytes; the limit is 4 MiB"
    )


@pytest.mark.parametrize(
    ("name", "text", "location"),
    [
        ("seeds/one.yml", "summary: ok\ntags: [a]\ntitle: bad\x01char\n", "3:11"),
        ("briefgen.yml", "title: ok\ndescription: bad\x7fchar\n", "2:17"),
    ],
)
def test_control_character_in_yaml_is_located(
    project: Project, name: str, text: str, location: str
) -> None:
    root = project({**SEED_OK, **SIDECAR_OK, name: text})
    code, output = run(root, "build")
    assert code == 1
    assert "Traceback" not in output
    lines = lines_of(output)
    assert lines[0].startswith(f"{name}:{location}: error: "), output
    assert lines[1].startswith(("  hint:", "1 error")), output


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separator_in_sidecar_is_located_on_its_line(
    project: Project, separator: str
) -> None:
    sidecar = f"summary: Ministers{separator}met in Rome.\ntags: iraq\n"
    root = project({**SEED_OK, "seeds/one.yml": sidecar})
    code, output = run(root, "build")
    assert code == 1
    assert lines_of(output)[0].startswith("seeds/one.yml:1:"), output


def test_alias_of_an_anchored_key_is_refused(project: Project) -> None:
    sidecar = "&k summary: Ministers met in Rome.\ntitle: *k\n"
    root = project({**SEED_OK, "seeds/one.yml": sidecar})
    code, output = run(root, "build")
    assert code == 1, output
    assert "YAML anchors and aliases are not supported" in output


@pytest.mark.parametrize("where", ["sidecar-title", "seed-headline", "config-title"])
def test_control_characters_never_break_the_feed(project: Project, where: str) -> None:
    files: dict[str, str | bytes] = {
        "briefgen.yml": "site_url: https://desk.example.org/\n",
        **SEED_OK,
        **SIDECAR_OK,
    }
    if where == "sidecar-title":
        files["seeds/one.yml"] = 'title: "vertical\\vtab"\n' + MINIMAL_SIDECAR
    elif where == "seed-headline":
        files["seeds/one.txt"] = MINIMAL_SEED.replace("Ministers meet", "Ministers\x0c meet")
    else:
        files["briefgen.yml"] = 'title: "bell\\a"\nsite_url: https://desk.example.org/\n'
    root = project(files)
    code, output = run(root, "build")
    assert "Traceback" not in output
    if code == 0:
        ET.parse(root / "site" / "feed.xml")
        ET.parse(root / "site" / "sitemap.xml")
    else:
        assert re.match(r"\S+:\d+:\d+: error: ", lines_of(output)[0]), output


def test_many_citations_validate_in_linear_time(project: Project) -> None:
    summary = "summary: |\n  " + "Cited.[^article] " * 30_000 + "\n"
    root = project({**SEED_OK, "seeds/one.yml": summary})

    class TooSlow(Exception):
        pass

    def timeout(signum: int, frame: object) -> None:
        raise TooSlow("validation took more than 30 s")

    # A bound against quadratic time (which took minutes), far above the ~0.5 s it takes:
    # a loaded CI machine must not fail it. Speed itself is the benchmarks' business.
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.setitimer(signal.ITIMER_REAL, 30.0)
    try:
        code, output = run(root, "check")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert "TooSlow" not in output
    assert code == 0, output


# ---------------------------------------------------------------------------------------
# Output folders: never the root, the editor's folders, or someone else's files.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("site_dir: .", "site_dir '.' is the site root or a folder above it"),
        ("site_dir: ..", "site_dir '..' is the site root or a folder above it"),
        ("site_dir: seeds", "site_dir 'seeds' overlaps seeds_dir (seeds)"),
        ("site_dir: templates", "site_dir 'templates' overlaps templates (templates)"),
        ("site_dir: seeds/site", "site_dir 'seeds/site' overlaps seeds_dir (seeds)"),
        ("site_dir: /", "site_dir '/' is the site root or a folder above it"),
        ("content_dir: .", "content_dir '.' is the site root or a folder above it"),
        ("content_dir: templates", "content_dir 'templates' overlaps templates (templates)"),
        ("content_dir: site", "content_dir 'site' overlaps site_dir (site)"),
        (
            "site_dir: ../elsewhere",
            "site_dir '../elsewhere' is outside the site root (through '..' or a symlink)",
        ),
        ("content_dir: briefgen.yml", "content_dir 'briefgen.yml' exists and is not a folder"),
    ],
)
def test_output_folder_that_would_destroy_inputs_is_refused(
    project: Project, config: str, message: str
) -> None:
    root = project(
        {
            "briefgen.yml": config + "\n",
            **SEED_OK,
            **SIDECAR_OK,
            "templates/home.html": '{% extends "base.html" %}',
        }
    )
    before = tree(root.parent)
    code, output = run(root, "build")
    assert code == 1
    assert "Traceback" not in output
    first = lines_of(output)[0]
    # Located at the setting that is refused (line 1, after "key: ").
    assert first.startswith(f"briefgen.yml:1:{config.index(': ') + 3}: error: "), output
    assert message in first, output
    assert first.endswith("; briefgen replaces that folder whole"), output
    assert tree(root.parent) == before
    code, output = run(root, "build", "--clean")
    assert code == 1, "--clean accepts someone else's files, never the editor's folders"
    assert tree(root.parent) == before


@pytest.mark.parametrize(
    "config",
    [
        "title: Desk\nsite_dir: seeds\n",
        "title: Desk\ncontent_dir: ..\n",
        "title: Desk\nseeds_dir: ../x\n",
    ],
)
def test_refused_folder_setting_is_located_at_its_key(project: Project, config: str) -> None:
    root = project({"briefgen.yml": config, **SEED_OK, **SIDECAR_OK})
    code, output = run(root, "build")
    assert code == 1
    column = config.splitlines()[1].index(": ") + 3
    assert lines_of(output)[0].startswith(f"briefgen.yml:2:{column}: error: ")


def test_site_folder_of_someone_elses_files_is_kept_until_clean(project: Project) -> None:
    root = project(
        {**SEED_OK, **SIDECAR_OK, "site/notes.txt": "my notes", "site/img/logo.png": b"\x89PNG"}
    )
    before = tree(root)
    code, output = run(root, "build")
    assert code == 1
    assert lines_of(output)[:2] == [
        "briefgen.yml: error: site_dir 'site' holds files briefgen did not create; "
        "briefgen replaces that folder whole",
        "  hint: move them away, or pass --clean to replace site/ anyway",
    ]
    assert tree(root) == before, "refused build must not write or remove anything"
    assert not (root / "content").exists()
    code, output = run(root, "build", "--clean")
    assert code == 0, output
    assert not (root / "site" / "notes.txt").exists()
    assert (root / "site" / ".briefgen").is_file()
    # Now the folder is briefgen's: an ordinary build replaces it.
    code, output = run(root, "build")
    assert code == 0, output


def test_content_folder_of_someone_elses_files_is_refused(project: Project) -> None:
    root = project({**SEED_OK, **SIDECAR_OK, "content/draft.md": "# my page"})
    code, output = run(root, "build")
    assert code == 1
    assert "content_dir 'content' holds files briefgen did not create" in output
    assert (root / "content" / "draft.md").read_text() == "# my page"
    assert not (root / "site").exists()


def test_site_folder_symlinked_out_of_the_root_is_refused(project: Project, tmp_path: Path) -> None:
    elsewhere = write_files(tmp_path / "elsewhere", {"keep.txt": "keep"})
    root = project({**SEED_OK, **SIDECAR_OK})
    (root / "site").symlink_to(elsewhere)
    code, output = run(root, "build")
    assert code == 1
    assert "site_dir 'site' is outside the site root" in output
    code, output = run(root, "build", "--clean")
    assert code == 1
    assert tree(elsewhere) == {"keep.txt": b"keep"}


# ---------------------------------------------------------------------------------------
# Failed and interrupted builds leave the previous output exactly as it was.
# ---------------------------------------------------------------------------------------

FAILING_FOR_C = """\
{% extends "base.html" %}
{% block main %}
{% if briefing.slug == "c" %}
{{ missing_variable }}
{% endif %}
{{ content }}
{% endblock %}
"""


@pytest.fixture
def three_briefings(project: Project) -> Path:
    files: dict[str, str | bytes] = {}
    # Rendered newest first: a, b, then c.
    for slug, day in (("a", "03"), ("b", "02"), ("c", "01")):
        files[f"seeds/{slug}.txt"] = MINIMAL_SEED.replace("2021-06-28", f"2021-06-{day}")
        files[f"seeds/{slug}.yml"] = MINIMAL_SIDECAR.replace("Rome.", f"Rome ({slug}).")
    root = project(files)
    code, output = run(root, "build")
    assert code == 0, output
    return root


def test_template_failing_on_third_briefing_changes_nothing(three_briefings: Path) -> None:
    root = three_briefings
    before = outputs(root)
    write_files(root, {"templates/briefing.html": FAILING_FOR_C})
    for slug in "abc":
        sidecar = root / "seeds" / f"{slug}.yml"
        sidecar.write_text(sidecar.read_text().replace("Ministers met", "Ministers gathered"))
    code, output = run(root, "build")
    assert code == 1
    assert "Traceback" not in output
    assert lines_of(output) == [
        "templates/briefing.html:4:1: error: while rendering briefings/c/index.html: "
        "UndefinedError: 'missing_variable' is undefined",
        "1 error",
    ]
    assert outputs(root) == before
    assert leftovers(root) == []


def test_sigint_during_build_changes_nothing(three_briefings: Path) -> None:
    root = three_briefings
    before = outputs(root)
    write_files(
        root,
        {
            "templates/home.html": (
                '{% extends "base.html" %}{% block main %}'
                "{% for i in range(1000000000) %}{% endfor %}{% endblock %}"
            )
        },
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "-C", str(root), "build"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        time.sleep(1.5)
        assert proc.poll() is None, "the build finished before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert outputs(root) == before
    assert leftovers(root) == []


@pytest.mark.parametrize(
    "interrupted",
    [
        1,
        2,
        3,
        4,
    ],
    ids=["before-any-rename", "content-retired", "between-folders", "site-retired"],
)
def test_ctrl_c_at_any_rename_leaves_a_whole_output(
    three_briefings: Path, monkeypatch: pytest.MonkeyPatch, interrupted: int
) -> None:
    """Ctrl-C can land between any two renames of the swap: the output stays whole.

    Renames as on a system without an exchanging rename (tests/test_swap.py has the
    exchange); with one, they are the spare's and the cache's, after the swap."""
    root = three_briefings
    old = outputs(root)

    def unsupported(a: Path, b: Path) -> None:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(swap, "exchange", unsupported)
    for slug in "abc":
        sidecar = root / "seeds" / f"{slug}.yml"
        sidecar.write_text(sidecar.read_text().replace("Ministers met", "Ministers gathered"))
    real_replace = os.replace
    calls: list[str] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(src).suffix != ".tmp":  # the swap's renames, not the cache's writes
            calls.append(f"{Path(src).name} -> {Path(dst).name}")
            if len(calls) == interrupted:
                raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, output = run(root, "build")
    monkeypatch.undo()
    assert code != 0 and "Aborted" in output, output
    assert "Traceback" not in output
    assert (root / "site").is_dir() and (root / "content").is_dir(), leftovers(root)
    assert outputs(root) == old
    # The next build recovers and cleans up whatever the interrupted one left.
    code, output = run(root, "build")
    assert code == 0, output
    assert leftovers(root) == []


def test_ctrl_c_while_staging_leaves_no_staging_folder(
    three_briefings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = three_briefings
    old = outputs(root)
    written: list[str] = []

    def counting_open(path: str, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        written.append(path)
        if len(written) == 10:
            raise KeyboardInterrupt
        return open(path, mode, *args, **kwargs)

    # Every staged output file is created through the writer's open().
    monkeypatch.setattr(writer, "open", counting_open, raising=False)
    code, output = run(root, "build", "--clean")  # every file written, none carried over
    monkeypatch.undo()
    assert len(written) == 10 and code != 0 and "Aborted" in output, output
    assert outputs(root) == old
    assert leftovers(root) == []


# ---------------------------------------------------------------------------------------
# Determinism: the order files were created in does not matter.
# ---------------------------------------------------------------------------------------


def test_build_does_not_depend_on_file_creation_order(tmp_path: Path) -> None:
    files = {}
    for slug, day in (("alpha", "03"), ("beta", "03"), ("gamma", "01")):
        files[f"seeds/{slug}.txt"] = MINIMAL_SEED.replace("2021-06-28", f"2021-06-{day}")
        files[f"seeds/{slug}.yml"] = MINIMAL_SIDECAR.replace(
            "summary:", f"tags: [{slug}, shared, Shared]\nsummary:"
        )
    results = []
    for name, order in (("forward", sorted(files)), ("backward", sorted(files, reverse=True))):
        root = tmp_path / name / "site-root"
        root.mkdir(parents=True)
        (root / "briefgen.yml").write_text("title: Desk\n")
        for i, rel in enumerate(order):
            write_files(root, {rel: files[rel]})
            stamp = 1_600_000_000 + (i if name == "forward" else -i) * 1000
            os.utime(root / rel, (stamp, stamp))
        code, output = run(root, "build")
        assert code == 0, output
        results.append(outputs(root))
    assert results[0] == results[1]


def test_seed_that_vanishes_during_a_build_is_a_located_error(tmp_path: Path) -> None:
    """Seeds are read where they are parsed, after the folder was listed: one deleted in
    between is reported at its path, not raised."""
    from briefgen.stages.inputs import SeedFiles

    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.yml").write_text("summary: x\n")
    files = SeedFiles(tmp_path, "a", "seeds/a.txt", "seeds/a.yml")
    seed_text, sidecar_text, problems = files.texts(files.raw())
    assert seed_text is None and sidecar_text == "summary: x\n"
    assert [str(d.location) for d in problems] == ["seeds/a.txt"]
    assert "cannot be read: No such file or directory" in problems[0].message
