"""The page emitted from the document says what content/<slug>.md says.

A briefing page's HTML is written from its document model (briefgen.stages.pagehtml), not by
parsing the Markdown briefgen writes next to it. These tests hold the two together: the
page is the very bytes the site's CommonMark renderer gives for content/<slug>.md, over
the example site, the real articles, the hostile-input site, corpus briefings and
generated editor Markdown; and a plain CommonMark renderer reads the same text,
footnotes and links in the Markdown as a reader finds on the page.
"""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from rtlsite import arabic_site
from test_real_articles import real_files
from test_safety import HOSTILE_SEED, hostile_config, hostile_sidecar

from briefgen.stages.config import read_config
from briefgen.stages.document import build_document
from briefgen.stages.generate import briefing_document
from briefgen.stages.inputs import gather
from briefgen.stages.markdown import CITATION_RE, render_markdown, render_summary
from briefgen.stages.pagehtml import Emitter, WholePage, page_html
from briefgen.stages.prepare import load_briefing, site_register
from briefgen.stages.seeds import parse_seed
from briefgen.stages.sidecars import parse_sidecar
from briefgen.stages.verify import Briefing, verify
from briefgen.vocabulary.labels import ENGLISH, Labels, load_labels

from conftest import Project, write_files

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus  # noqa: E402


def briefings(root: Path) -> list[Briefing]:
    config = read_config(root)
    found, _ = gather(root, config.seeds_dir)
    register = site_register(root, config)
    loaded = [load_briefing(files, config, register=register)[0] for files in found]
    return [b for b in loaded if b is not None]


def emitted(briefing: Briefing, labels: Labels = ENGLISH) -> tuple[str | None, str, str]:
    """(the page emitted from the document or None where it needs the whole Markdown,
    the page as briefgen builds it, the Markdown rendered whole), in `labels`' words."""
    document = build_document(briefing, labels)
    markdown, marks = briefing_document(briefing, document)
    try:
        direct: str | None = Emitter(document).page()
    except WholePage:
        direct = None
    whole = render_markdown(markdown, marks, labels)
    return direct, page_html(document, markdown, marks), whole


def test_example_site_page_is_emitted_as_its_markdown_renders() -> None:
    (briefing,) = briefings(REPO)
    direct, page, whole = emitted(briefing)
    assert direct is not None  # the page is not parsed back from its Markdown
    assert page == direct == whole


@pytest.mark.parametrize(
    ("language", "digits", "words"),
    [
        ("fr", "latin", ['<h2 id="quotes">Citations</h2>', "Retour à l’appel de note 1<"]),
        ("ar", "native", ['<h2 id="quotes">اقتباسات</h2>', 'aria-label="الحاشية ١">١<']),
    ],
)
def test_translated_pages_are_emitted_as_their_markdown_renders(
    language: str, digits: str, words: list[str], tmp_path: Path
) -> None:
    """Headings, byline, dates, digits, citations and the notes' links in a French and an
    Arabic (native digits) site's words: the emitted page is still the Markdown's render."""
    labels = load_labels(None, language, digits=digits)
    hostile = project_site(tmp_path / "hostile")
    found = [*briefings(REPO), *briefings(hostile), *briefings(arabic_site(tmp_path / "rtl"))]
    assert len(found) == 4
    for briefing in found:
        direct, page, whole = emitted(briefing, labels)
        assert page == whole, briefing.slug
        assert "Bottom line" not in page and "Back to reference" not in page, briefing.slug
        if briefing.slug == briefings(REPO)[0].slug:
            assert direct is not None  # not parsed back from its Markdown
            assert all(w in page for w in words), page


def project_site(root: Path) -> Path:
    write_files(
        root,
        {
            "briefgen.yml": hostile_config(),
            "seeds/a.txt": HOSTILE_SEED,
            "seeds/a.yml": hostile_sidecar(),
        },
    )
    return root


def test_real_article_pages_are_emitted_as_their_markdown_renders(project: Project) -> None:
    root = project(real_files(with_sidecars=True))
    found = briefings(root)
    assert len(found) == 4
    for briefing in found:
        direct, page, whole = emitted(briefing)
        assert direct is not None, briefing.slug
        assert page == whole, briefing.slug


def test_hostile_pages_are_the_bytes_their_markdown_renders_to(project: Project) -> None:
    root = project(
        {
            "briefgen.yml": hostile_config(),
            "seeds/a.txt": HOSTILE_SEED,
            "seeds/a.yml": hostile_sidecar(),
        }
    )
    (briefing,) = briefings(root)
    _, page, whole = emitted(briefing)
    assert page == whole


def test_right_to_left_pages_are_emitted_as_their_markdown_renders(tmp_path: Path) -> None:
    found = briefings(arabic_site(tmp_path / "site"))
    assert len(found) == 2
    for briefing in found:
        direct, page, whole = emitted(briefing)
        assert direct is not None, briefing.slug
        assert 'dir="auto"' in page  # the other direction's names are isolated
        assert page == whole, briefing.slug


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Briefing]:
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root, 200)
    return briefings(root)


def test_corpus_pages_are_emitted_as_their_markdown_renders(corpus: list[Briefing]) -> None:
    assert len(corpus) == 200
    for briefing in corpus:
        direct, page, whole = emitted(briefing)
        assert direct is not None, briefing.slug
        assert page == direct == whole, briefing.slug


# ---------------------------------------------------------------------------------------
# The same things said, as a reader of the Markdown elsewhere would find them.
# ---------------------------------------------------------------------------------------


class Reading(HTMLParser):
    """What a reader gets from a page: its words, its links, its footnotes in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.links: list[str] = []
        self.notes: list[str] = []
        """Each footnote's id, in order."""
        self.refs: list[str] = []
        """Each reference's target, in order."""
        self.hidden = 0
        self.anchors: list[bool] = []
        """For each open link, whether it is a footnote's (its words left out)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li" and (a.get("id") or "").startswith("fn"):
            self.notes.append(a["id"] or "")
        if tag != "a":
            return
        href = a.get("href") or ""
        if href.startswith("#fnref"):
            pass  # a back-link: renderers word them differently
        elif href.startswith("#fn"):
            self.refs.append(href)  # its marker too: 1 here, [1] elsewhere
        else:
            self.links.append(href)
        self.anchors.append(href.startswith("#fn"))
        self.hidden += self.anchors[-1]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.anchors:
            self.hidden -= self.anchors.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.words.append(data)

    def text(self) -> str:
        return " ".join("".join(self.words).split())


def read(html: str) -> Reading:
    reading = Reading()
    reading.feed(html)
    return reading


def commonmark() -> MarkdownIt:
    """A CommonMark renderer as another site would set it up, none of briefgen's rules."""
    return MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)


def test_the_markdown_and_the_page_say_the_same_thing(corpus: list[Briefing]) -> None:
    for briefing in [*briefings(REPO), *corpus[:100]]:
        markdown, marks = briefing_document(briefing)
        page = read(page_html(build_document(briefing), markdown, marks))
        elsewhere = read(commonmark().render(markdown))
        assert page.text() == elsewhere.text(), briefing.slug
        assert page.links == elsewhere.links, briefing.slug
        assert page.notes == elsewhere.notes, briefing.slug
        assert page.refs == elsewhere.refs, briefing.slug
        assert len(page.notes) == len(build_document(briefing).footnotes) > 0


# ---------------------------------------------------------------------------------------
# Editor Markdown of any shape: emitted directly, or rendered whole, the same bytes.
# ---------------------------------------------------------------------------------------

EXAMPLE_SEED = (REPO / "seeds/us-strikes-iraq-syria.txt").read_text(encoding="utf-8")
EXAMPLE_SIDECAR = yaml.safe_load((REPO / "seeds/us-strikes-iraq-syria.yml").read_text())
PIECES = st.sampled_from(
    [
        "word", " ", "  ", "\n", "\n\n", "\n  ", "*", "**", "_", "`", "```", "~~", "[", "]",
        "(", ")", "<", ">", "&", "&amp;", "#", "## H", "- ", "1. ", "1) ", "> ", "|", "---",
        "===", "\\", "![", "]:", "[x]: /y", "[a](https://e.org/)", "[b](javascript:x)",
        "<https://e.org>", "[^article]", "[^pentagon]", "^[n]", "\t", "    ", "é", "«", "\u00a0",
        "Al-Qaim", "!", ".",
    ]
)  # fmt: skip
INLINE_PIECES = st.sampled_from(
    [
        "word", " ", "  ", "\n", "\n\n", "\n  ", "*", "**", "_", "`", "~~", "[", "]", "(", ")",
        "<", ">", "&", "&amp;", "- ", "1. ", "> ", "\\", "![", "[a](https://e.org/)",
        "[b](javascript:x)", "<https://e.org>", "[^article]", "[^pentagon]", "    ", "é", "!",
    ]
)  # fmt: skip
"""Without what reaches across fields, so most pages are emitted directly."""
FIELD = st.one_of(
    st.lists(PIECES, min_size=1, max_size=14).map("".join),
    st.lists(INLINE_PIECES, min_size=1, max_size=10).map("".join),
)


PLAIN_FIELDS = dict.fromkeys(("summary", "point", "quote_note", "note", "event"), "word")


def briefing_with(fields: dict[str, str]) -> Briefing | None:
    data = json.loads(json.dumps(EXAMPLE_SIDECAR, default=str))
    data["summary"] = fields["summary"]
    data["key_points"] = [fields["point"], data["key_points"][0]]
    data["quotes"][0]["note"] = fields["quote_note"]
    data["annotations"][0]["note"] = fields["note"]
    data["timeline"][0]["event"] = fields["event"]
    sidecar, _ = parse_sidecar("seeds/x.yml", yaml.safe_dump(data, allow_unicode=True))
    seed, _ = parse_seed("seeds/x.txt", "x", EXAMPLE_SEED)
    if sidecar is None or seed is None:
        return None
    return verify(seed, sidecar, "seeds/x.yml", "excerpts")[0]


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.fixed_dictionaries({k: FIELD for k in ("summary", "point", "quote_note", "note", "event")})
)
# Found with 4000 examples (the flaky failure): a field opening with a citation and a
# blank line was emitted as one paragraph, the citation dropped before judging it prose.
@example(dict(PLAIN_FIELDS, event="[^article]\n\nword"))
@example(dict(PLAIN_FIELDS, point="[^article]\n\nword"))
@example(dict(PLAIN_FIELDS, summary="[^article]\n\nword"))
@example(dict(PLAIN_FIELDS, summary="[^article]: word"))  # a definition, not a reference
# A note opening a list: where its next lines fall depends on the `[^n]: ` before it.
@example(dict(PLAIN_FIELDS, note="-     word\n  word"))
def test_any_editor_markdown_emits_the_bytes_its_markdown_renders_to(
    fields: dict[str, str],
) -> None:
    briefing = briefing_with(fields)
    assume(briefing is not None)
    assert briefing is not None
    direct, page, whole = emitted(briefing)
    assert page == whole
    if direct is not None:
        assert direct == whole


@pytest.mark.parametrize(
    "summary",
    [
        "See [the statement][s].\n\n[s]: https://www.defense.gov/",
        "Code:\n\n```\nunclosed fence",
        "## Quotes\n\nA heading of the editor's, named like the page's own.",
        "A note inline^[with its own text].",
    ],
)
def test_markdown_that_reaches_across_fields_renders_the_whole_page(summary: str) -> None:
    fields = dict.fromkeys(("point", "quote_note", "note", "event"), "Plain words.")
    briefing = briefing_with({**fields, "summary": summary})
    assert briefing is not None
    direct, page, whole = emitted(briefing)
    assert direct is None
    assert page == whole


def test_a_site_template_reads_the_document(tmp_path: Path) -> None:
    template = (
        "{% for q in document.quotes %}<q data-cite='{{ q.cite.number }}'"
        " data-entry='{{ q.speaker_page.kind }}/{{ q.speaker_page.ident }}'>{{ q.speaker }}</q>"
        "{% endfor %}{% for n in document.footnotes if n.anchor %}"
        "<aside id='side{{ n.number }}'>{{ n.anchor }}</aside>{% endfor %}"
    )
    root = write_files(
        tmp_path,
        {
            "seeds/us-strikes-iraq-syria.txt": EXAMPLE_SEED,
            "seeds/us-strikes-iraq-syria.yml": (REPO / "seeds/us-strikes-iraq-syria.yml").read_text(
                encoding="utf-8"
            ),
            "templates/briefing.html": template,
            "register.yml": (REPO / "register.yml").read_text(encoding="utf-8"),
        },
    )
    from conftest import run_cli

    code, output = run_cli(root, "build")
    assert code == 0, output
    html = (root / "site/briefings/us-strikes-iraq-syria/index.html").read_text(encoding="utf-8")
    # the speaker's page is the register's entry (the document a theme reads knows it)
    assert "<q data-cite='2' data-entry='person/kirby'>John Kirby</q>" in html
    assert "<aside id='side3'>President Joe Biden</aside>" in html


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.one_of(
        FIELD, st.text(alphabet=st.sampled_from("abcd  \n\t\u00a0\u2028\x1f*-1.é"), max_size=8)
    )
)
@example("\t1")  # an indented first line is code
@example("    Ministers met.")
@example("1\x1f")  # spaces that are words to markdown-it
@example("Ministers met. \u00a0")
def test_a_prose_summary_is_escaped_as_markdown_it_renders_it(text: str) -> None:
    """(Prose is escaped without a parse, the rest rendered: the same bytes.)"""
    assert render_summary(text) == render_markdown(CITATION_RE.sub("", text))


URL_PIECES = st.sampled_from(
    [
        *"aZ09;/?&=+$,-_.!~*'()#:@%[] ",
        *("//", "?a=b", "#x", "&amp;", "\\", "é", "xn--", "A"),
        *("%20", "%2c", "%E2%80%99", "%4", "%G1", "#:~:text=a%20b,c"),
    ]
)


@settings(max_examples=3000, deadline=None)
@given(
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "//", ""]),
    st.lists(
        st.sampled_from([*"abz09.-", "xn--", "www.", "É", "A", ":8", "@", "a" * 60 + "."]),
        max_size=8,
    ),
    st.lists(URL_PIECES, max_size=14),
)
def test_a_link_target_is_what_markdown_it_writes(
    scheme: str, host: list[str], rest: list[str]
) -> None:
    """pagehtml.href takes a plain web address as its own normal form, without asking
    markdown-it: for every address, plain or not, the href is markdown-it's (a host
    longer than 255 characters included, which mdurl drops)."""
    from markdown_it.common.utils import escapeHtml, unescapeAll

    from briefgen.stages.markdown import fragment_parser
    from briefgen.stages.pagehtml import href

    url = scheme + "".join(host) + "".join(rest)
    parser = fragment_parser()
    target = parser.normalizeLink(unescapeAll(url))
    assert href(url) == (escapeHtml(target) if parser.validateLink(target) else None)
