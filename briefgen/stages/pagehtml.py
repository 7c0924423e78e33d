"""A briefing page's HTML emitted from its document, not parsed back from its Markdown.

Half of a cold build went to markdown-it re-reading the ~10 kB of Markdown briefgen had
just written. Here every block briefgen writes (headings, quotes, attributions, excerpts,
sources, footnotes) is HTML written directly, as markdown-it would render that Markdown;
only the editor's own Markdown (summary, key points, quote notes, notes, timeline) goes
through the renderer, field by field, sharing one footnote state so numbers and back-
links come out as in one pass. The HTML is the same bytes as rendering content/<slug>.md
whole (tests/test_pagehtml.py holds them to it).

Editor Markdown that reaches across fields — reference or footnote definitions, code
fences that could swallow what follows, headings (whose ids are unique page-wide) —
and text markdown-it would reshape (line breaks, outer spaces) are rare; for those the
page is rendered whole from its Markdown, as before.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll

from briefgen.stages.document import (
    Cite,
    Document,
    Emphasis,
    EntityLink,
    Linker,
    Quote,
    markdown_link,
    page_link,
)
from briefgen.stages.generate import (
    briefing_document,
    byline_text,
    key_points_markdown,
    timeline_markdown,
)
from briefgen.stages.markdown import (
    Marks,
    footnote_anchor_html,
    footnote_ref_html,
    fragment_parser,
    is_prose,
    render_markdown,
)
from briefgen.stages.sidecars import Source
from briefgen.stages.verify import Briefing
from briefgen.vocabulary.labels import ENGLISH
from briefgen.vocabulary.languages import attributes_html, foreign_direction
from briefgen.vocabulary.urls import slugify

ACROSS_FIELDS = re.compile(r"\]:|```|~~~|^[ \t>*+\-\d.)]*(#|=+[ \t]*$|-+[ \t]*$)", re.MULTILINE)
"""Editor Markdown whose meaning depends on the rest of the page: reference and footnote
definitions, inline footnotes (`^[`), fences, ATX and setext headings (in a list item or
a quote too)."""


CITES = re.compile(r"\[\^(\d+)\]")
OPENS_CONTAINER = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)]|>)")
"""A note whose first line opens a list or a quote: in the page's Markdown that line
starts after `[^n]: `, the next ones four spaces in, so which lines stay in the item
depends on where the note is written (rendered alone, they would start level)."""


@functools.lru_cache(maxsize=65536)
def href(url: str) -> str | None:
    """A link destination as markdown-it writes it in `href`; None where it makes no link.

    Cached: a page links its sources several times, and a site the same few hosts. A
    plain web address (`PLAIN_URL`) is its own normal form, which markdown-it's
    normalizeLink (a URL parse, punycode and a percent-encoding pass) took a twentieth
    of a cold build to find, one article URL at a time."""
    parser = fragment_parser()
    target = unescapeAll(url)
    if not PLAIN_URL.fullmatch(target):
        target = parser.normalizeLink(target)
    return escapeHtml(target) if parser.validateLink(target) else None


PLAIN_URL = re.compile(
    r"https?://[a-z0-9.\-]{1,255}(?:[/?#](?:[A-Za-z0-9;/?:&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*)?"
)
"""An http(s) address that markdown-it's normalizeLink gives back unchanged: a lowercase
ASCII host of at most 255 characters (mdurl drops a longer one), no port, no user, no
character it would encode, a percent sign only where it starts an escape (which it
keeps: every "check it in the original" link's text fragment has some).
tests/test_pagehtml.py checks it against normalizeLink."""


class WholePage(Exception):
    """This page needs its Markdown rendered whole (see the module's docstring)."""


SPECIAL = re.compile(r'[&<>"\n\r\0]')
"""What `plain` escapes or refuses: most text has none of it (one search, then)."""


def plain(text: str) -> str:
    """Seed or editor plain text as HTML, as markdown-it shows it once escaped."""
    if SPECIAL.search(text) is None:
        return text
    if "\n" in text or "\r" in text or "\0" in text:
        raise WholePage
    return escapeHtml(text)


def block_text(text: str) -> str:
    """Plain text that starts or ends a block, where markdown-it strips outer spaces."""
    if text != text.strip() or not text:
        raise WholePage
    return plain(text)


class Emitter:
    """Writes one page's HTML from its document, in reading order."""

    def __init__(self, document: Document, link: Linker = markdown_link) -> None:
        self.d = document
        self.entity = link
        """Where an entity's page is, as the Markdown it matches links it (`generate`)."""
        self.labels = document.labels
        """The site's words, as `generate` writes them in the Markdown."""
        self.marks = Marks({}, document.inline_languages, document.language)
        self.refs: dict[str, Any] = {f":{n.number}": -1 for n in document.footnotes}
        self.notes: dict[int, dict[str, Any]] = {}
        self.env: dict[str, Any] = {
            "briefgen_marks": self.marks,
            "footnotes": {"refs": self.refs, "list": self.notes},
            "briefgen_labels": self.labels,
        }
        self.parser: MarkdownIt = fragment_parser()
        self.out: list[str] = []

    def lang(self, language: str | None) -> str:
        return attributes_html(language, self.d.language) if language else ""

    def prose(self, text: str) -> str | None:
        """A field that is prose and citations as inline HTML; None if it is more.

        A citation stands in as a word while the rest is judged: dropped, it would leave
        the blank line after a leading `[^n]` at the field's edge, where `is_prose`
        strips it (`[^n]\n\nword` is two paragraphs); and `[^n]:` starting a field is
        a footnote's definition, not a reference."""
        if not text or text != text.strip() or ACROSS_FIELDS.search(text):
            return None
        if not is_prose(CITES.sub("x", text)):
            return None
        out = []
        cursor = 0
        for m in CITES.finditer(text):
            out.append(escapeHtml(text[cursor : m.start()]))
            out.append(self.ref(Cite(int(m[1]))))
            cursor = m.end()
        out.append(escapeHtml(text[cursor:]))
        return "".join(out)

    def items(self, lines: list[str | None]) -> str | None:
        """A tight list of inline HTML items, or None if one of them is not prose."""
        if any(line is None for line in lines):
            return None
        return "<ul>\n" + "".join(f"<li>{line}</li>\n" for line in lines) + "</ul>\n"

    def markdown(self, text: str) -> str:
        """Editor Markdown rendered with the page's footnote state."""
        inline = self.prose(text)
        if inline is not None:
            return f"<p>{inline}</p>\n"
        if ACROSS_FIELDS.search(text) or any(c in text for c in ("^[", "\t", "\r", "\0")):
            raise WholePage  # a tab's width depends on the column its field starts at
        html: str = self.parser.render(text, self.env)
        return html

    def ref(self, cite: Cite) -> str:
        """A footnote marker, counted as the footnote plugin counts its references."""
        label = f":{cite.number}"
        number = self.refs[label]
        if number < 0:
            number = self.refs[label] = len(self.notes)
            self.notes[number] = {"label": str(cite.number), "count": 0}
        sub = self.notes[number]["count"]
        self.notes[number]["count"] = sub + 1
        return footnote_ref_html({"id": number, "subId": sub}, self.labels)

    def em(self, words: str, html: str) -> str:
        """Emphasis, in its language where it is a cited title in another one."""
        language = self.marks.inline.get(words)
        return f"<em{self.lang(language)}>{html}</em>"

    def strong(self, words: str, html: str | None = None) -> str:
        """Bold plain words (or their `html`); isolated (`dir="auto"`) where they are
        written against the page's direction, as `markdown.isolate_names` does for a
        speaker's name."""
        isolate = ' dir="auto"' if foreign_direction(words, self.d.language) else ""
        return f"<strong{isolate}>{block_text(words) if html is None else html}</strong>"

    def entity_link(self, words: str, entity: EntityLink) -> str:
        """Words linking to an entity's page, as `generate.entity_link` writes them."""
        return self.link(block_text(words), self.entity(entity))

    def link(self, text: str, url: str) -> str:
        target = href(url)
        if target is None:
            raise WholePage  # markdown-it would show the brackets as text
        return f'<a href="{target}">{text}</a>'

    def citation(self, source: Source) -> str:
        """A source in one line, as `mdsyntax.citation` writes it in Markdown."""
        labels = self.labels
        separator = plain(labels.separator)
        parts = []
        if source.author:
            parts.append(block_text(source.author))
        if source.publisher:
            parts.append(block_text(source.publisher))
        title = block_text(source.title)
        if source.url:
            title = self.link(title, source.url)
        parts.append(self.em(source.title, title))
        text = separator.join(parts)
        if source.published:
            text += separator + plain(labels.date(source.published))
        if source.accessed:
            text += plain(labels.accessed(labels.date(source.accessed)))
        return text + plain(labels.end_of_sentence)

    def short_citation(self, source: Source) -> str:
        """A source named briefly, as `mdsyntax.short_citation` writes it in Markdown."""
        title = block_text(source.title)
        if source.url:
            title = self.link(title, source.url)
        title = self.em(source.title, title)
        if not source.publisher:
            return title
        return f"{block_text(source.publisher)}{plain(self.labels.separator)}{title}"

    def heading(self, section: str) -> None:
        """A section heading in the site's words; its id the English heading's, in every
        language (as `markdown.section_ids_rule` sets it)."""
        label = self.labels.headings[section]
        ident = slugify(ENGLISH.headings[section])
        self.out.append(f'<h2 id="{escapeHtml(ident)}">{plain(label)}</h2>\n')

    def page(self) -> str:
        d = self.d
        self.out.append("\n")  # where markdown-it renders the front matter
        self.out.append(f"<h1{self.lang(d.title_language)}>{block_text(d.title)}</h1>\n")
        if d.byline.publisher:
            block_text(d.byline.publisher)
        byline = byline_text(d, str)
        self.out.append(f"<p>{self.em(byline, plain(byline))}</p>\n")
        self.heading("bottom_line")
        self.out.append(self.markdown(d.summary))
        if d.key_points:
            self.heading("key_points")
            self.out.append(self.list_of(d.key_points, key_points_markdown(d)))
        if d.quotes:
            self.heading("quotes")
            for q in d.quotes:
                self.quote(q)
        self.excerpts()
        if d.timeline:
            self.heading("timeline")
            self.out.append(self.timeline())
        self.related()
        if d.missing:
            self.out.append(
                f"<blockquote>\n<p>{self.strong(self.labels.partial_lead)} "
                f"{plain(self.labels.partial_text(d.missing))}</p>\n</blockquote>\n"
            )
        self.heading("sources")
        items = "".join(f"<li>{self.citation(s)}</li>\n" for s in d.sources)
        self.out.append(f"<ul>\n{items}</ul>\n")
        self.footnotes()
        return "".join(self.out)

    def list_of(self, points: tuple[str, ...], markdown: str) -> str:
        """Key points: a tight list when each is prose, else their Markdown rendered.

        Counting footnote references is undone on the way back: the renderer counts them
        again."""
        saved = self.counts()
        items = self.items([self.prose(p) for p in points])
        if items is not None:
            return items
        self.restore(saved)
        return self.markdown(markdown.split("\n\n", 1)[1])

    def timeline(self) -> str:
        saved = self.counts()
        lines: list[str | None] = []
        for e in self.d.timeline:
            event = self.prose(e.event)
            if event is not None:
                event = f"{self.strong(e.date)} \u2014 {event}"
                event += self.ref(e.cite) if e.cite else ""
            lines.append(event)
        items = self.items(lines)
        if items is not None:
            return items
        self.restore(saved)
        return self.markdown(timeline_markdown(self.d).split("\n\n", 1)[1])

    def counts(self) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
        return dict(self.refs), {k: dict(v) for k, v in self.notes.items()}

    def restore(self, saved: tuple[dict[str, Any], dict[int, dict[str, Any]]]) -> None:
        self.refs.clear()
        self.refs.update(saved[0])
        self.notes.clear()
        self.notes.update(saved[1])

    def quote(self, q: Quote) -> None:
        self.out.append(
            f"<blockquote{self.lang(q.language)}>\n<p>{block_text(q.words)}</p>\n</blockquote>\n"
        )
        labels = self.labels
        separator = plain(labels.separator)
        attribution = (
            f"\u2014 {self.strong(q.speaker, self.entity_link(q.speaker, q.speaker_page))}"
        )
        if q.role:
            attribution += separator + block_text(q.role)
        if q.date:
            attribution += separator + plain(q.date)
        attribution += self.ref(q.cite)
        if q.original:
            attribution += " \u00b7 " + self.link(plain(labels.check_original), q.original)
        self.out.append(f"<p>{attribution}</p>\n")
        if q.unverified is not None:
            block_text(q.unverified)
            words = labels.unverified(q.unverified)
            self.out.append(f"<p>{self.em(words, plain(words))}</p>\n")
        if q.note:
            self.out.append(self.markdown(q.note))

    def excerpts(self) -> None:
        d = self.d
        if d.context_notes:
            self.heading(d.excerpts_mode)
            items = "".join(
                f"<li{self.lang(n.language)}>{self.strong(n.anchor)}{self.ref(n.cite)}</li>\n"
                for n in d.context_notes
            )
            self.out.append(f"<ul>\n{items}</ul>\n")
            return
        if not d.excerpts:
            return
        self.heading(d.excerpts_mode)
        for paragraph in d.excerpts:
            if paragraph.pieces is None:
                self.out.append("<p>[…]</p>\n")
                continue
            out: list[str] = []
            words: list[str] | None = None  # the plain words of an open emphasis
            opened = 0  # where its <em> goes, once its words say its language
            previous: object = None
            for piece in paragraph.pieces:
                if isinstance(piece, str):
                    out.append(plain(piece))
                    if words is not None:
                        words.append(piece)
                elif isinstance(piece, Emphasis):
                    if isinstance(previous, Emphasis):
                        raise WholePage  # `**` would be one delimiter run in Markdown
                    if piece.opening:
                        words, opened = [], len(out)
                        out.append("")
                    else:
                        language = self.marks.inline.get("".join(words or ()))
                        out[opened] = f"<em{self.lang(language)}>"
                        out.append("</em>")
                        words = None
                else:
                    out.append(self.ref(piece))
                if not (isinstance(piece, str) and not piece):
                    previous = piece
            text = "".join(out)
            first, last = paragraph.pieces[0], paragraph.pieces[-1]
            if not text or (isinstance(first, str) and first != first.lstrip()):
                raise WholePage
            if isinstance(last, str) and last != last.rstrip():
                raise WholePage
            self.out.append(f"<p{self.lang(paragraph.language)}>{text}</p>\n")

    def related(self) -> None:
        d = self.d
        if not d.related:
            return
        self.heading("related")
        suffix = f" ({block_text(d.related_publisher)})" if d.related_publisher else ""
        lang = self.lang(d.related_language)
        items = "".join(f"<li{lang}>{block_text(h)}{suffix}</li>\n" for h in d.related)
        self.out.append(f"<ul>\n{items}</ul>\n")

    def footnotes(self) -> None:
        if not self.notes:
            return
        bodies = {n.number: n for n in self.d.footnotes}
        out = ['<hr class="footnotes-sep">\n<section class="footnotes">\n']
        out.append('<ol class="footnotes-list">\n')
        for number, data in self.notes.items():
            note = bodies[int(data["label"])]
            if note.source is not None:
                body = f"<p>{self.citation(note.source)}</p>\n"
            else:
                if "\n" in (note.note or "") and OPENS_CONTAINER.match(note.note or ""):
                    raise WholePage
                body = self.markdown(note.note or "")
                if note.note_sources:
                    separator = plain(self.labels.titles_separator)
                    cites = separator.join(self.short_citation(s) for s in note.note_sources)
                    # the sentence's words escaped around the citations' HTML
                    words = self.labels.note_sources(len(note.note_sources), "\0").split("\0")
                    body += f"<p>{cites.join(plain(w) for w in words)}</p>\n"
                if note.entry:
                    entry = self.entity_link(note.entry.name, note.entry)
                    body += f"<p>{plain(self.labels.in_register)} {entry}</p>\n"
            anchors = "".join(
                footnote_anchor_html({"id": number, "subId": j}, self.labels)
                for j in range(max(data["count"], 1))
            )
            if body.endswith("</p>\n"):
                body = body[:-5] + anchors + "</p>\n"
            else:
                body += anchors
            out.append(f'<li id="fn{number + 1}" class="footnote-item">{body}</li>\n')
        out.append("</ol>\n</section>\n")
        self.out.append("".join(out))


def page_html(document: Document, markdown: str, marks: Marks, link: Linker = markdown_link) -> str:
    """The briefing page's body HTML: from the document, or (for the rare page that needs
    it, see `WholePage`) from its Markdown rendered whole — the same bytes either way,
    when the Markdown links entities as `link` does."""
    try:
        return Emitter(document, link).page()
    except WholePage:
        return render_markdown(markdown, marks, document.labels)


def briefing_html(briefing: Briefing, document: Document) -> str:
    """The body HTML the briefing's page shows: entity links as placeholders, which the
    page resolves (`document.resolve_page_links`); its Markdown, with the same links,
    is written only for the rare page rendered whole."""
    try:
        return Emitter(document, page_link).page()
    except WholePage:
        markdown, marks = briefing_document(briefing, document, page_link)
        return render_markdown(markdown, marks, document.labels)
