"""A verified briefing as a document: its sections, quotes, excerpts and notes as data.

Built once per briefing, in reading order, so footnotes are numbered where they are
first referenced; two emitters read it: `generate` writes the portable Markdown
(content/<slug>.md) and `pagehtml` the page's HTML, without parsing that Markdown back.
Themes get it too (`document` in briefing.html), to place notes as sidenotes.

Only the editor's own fields stay Markdown (summary, key points, quote notes, annotation
notes, timeline events), with their `[^source-id]` citations already numbered `[^n]`.
Every word the page adds is the site's `labels.Labels`, said there once; the document
carries them, and holds its dates and numbers already in the site's language and digits.

A quote's speaker and an annotation on a register entry lead to that entity's page
(`EntityLink`). Where that page is depends on the output, so each emitter takes a
`Linker`: the portable Markdown links the MkDocs plugin's pages beside it
(`markdown_link`); the page's HTML, made per seed before the site's slugs are known,
carries placeholders (`page_link`) that the briefing's page resolves when it is rendered
(`resolve_page_links`), relative to it and as `directory_urls` says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from briefgen.stages.markdown import CITATION_RE
from briefgen.stages.mdsyntax import short_citation
from briefgen.stages.register import EMPTY, FOLDERS, Register
from briefgen.stages.sidecars import ARTICLE, Source
from briefgen.stages.verify import Anchor, Briefing, QuoteCheck
from briefgen.vocabulary.dates import partial_date_key
from briefgen.vocabulary.labels import ENGLISH, Labels
from briefgen.vocabulary.languages import quotation_marks, unquoted
from briefgen.vocabulary.names import slug_of


@dataclass(frozen=True, slots=True)
class Cite:
    """A reference to footnote `number` (a number is referenced as often as cited)."""

    number: int


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Where an annotated phrase's emphasis opens or closes in an excerpt."""

    opening: bool


Piece = str | Cite | Emphasis
"""Part of an excerpt paragraph: the seed's plain words, a note's marker, an emphasis."""


@dataclass(frozen=True, slots=True)
class EntityLink:
    """The entity page a name on the briefing leads to."""

    kind: str
    """The register's kind (person for a speaker not in the register)."""
    name: str
    """The name its page is under: a person's page is found by name (`Slugs.person`)."""
    ident: str = ""
    """The register id; empty for a speaker not in the register."""


Linker = Callable[[EntityLink], str]
"""An entity's link destination as one output writes it."""

PAGE_LINK = "#briefgen-page:"
"""How a page link's placeholder starts: a fragment, which the site's link rules allow
and markdown-it keeps as written, and which would lead nowhere if one were left."""
PAGE_LINK_RE = re.compile(r'href="#briefgen-page:([a-z]+)/([A-Za-z0-9%._~-]*)"')


def page_link(link: EntityLink) -> str:
    """The placeholder the page's HTML carries until its page resolves it: the kind and
    the person's name (percent-encoded) or the entry's id."""
    value = link.name if link.kind == "person" else link.ident
    return f"{PAGE_LINK}{link.kind}/{quote(value, safe='')}"


def markdown_link(link: EntityLink) -> str:
    """Where the MkDocs plugin puts the entity, beside the briefing's Markdown: a
    heading of people.md (by the name's slug), groups.md, places.md (by id)."""
    if link.kind == "person":
        return f"people.md#{slug_of({}, link.name)}"
    return f"{FOLDERS[link.kind]}.md#{link.ident}"


def resolve_page_links(html: str, target: Callable[[str, str], str]) -> str:
    """The page's HTML with each placeholder (`page_link`) replaced by `target(kind,
    name or id)`, the URL of that page from the briefing's."""
    if PAGE_LINK not in html:
        return html
    return PAGE_LINK_RE.sub(lambda m: f'href="{target(m[1], unquote(m[2]))}"', html)


@dataclass(frozen=True, slots=True)
class Byline:
    date: str
    """The briefing's date, as a reader reads it."""
    publisher: str | None
    translated_from: str | None
    """The name of the article's original language, when the seed is a translation."""
    partial: bool
    """The seed ended at a paywall."""


@dataclass(frozen=True, slots=True)
class Quote:
    words: str
    """The quote on one line, in its language's quotation marks."""
    language: str | None
    """Its language, where it is not the page's."""
    speaker: str
    speaker_page: EntityLink
    """Every speaker has a page: the register entry's, or a person's of that name."""
    role: str | None
    date: str | None
    cite: Cite
    original: str | None
    """The article's URL with a text fragment highlighting the quote there."""
    unverified: str | None
    """The publisher it is quoted from, when it cannot be checked offline."""
    note: str | None
    """The editor's note (Markdown)."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A seed paragraph, or None pieces for an elision ([…])."""

    pieces: tuple[Piece, ...] | None
    language: str | None


@dataclass(frozen=True, slots=True)
class ContextNote:
    """An annotation shown alone (reproduce: none): its anchor words and its note."""

    anchor: str
    cite: Cite
    language: str | None


@dataclass(frozen=True, slots=True)
class Event:
    date: str
    event: str
    """The editor's words (Markdown)."""
    cite: Cite | None
    """The entry's source, when the event does not cite it already."""


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote: a source's full citation, or an annotation's note (Markdown)."""

    number: int
    source: Source | None = None
    note: str | None = None
    note_sources: tuple[Source, ...] = ()
    """The sources an annotation names, listed after its note."""
    anchor: str | None = None
    """The annotated words a note explains (for a theme's sidenote)."""
    entry: EntityLink | None = None
    """The register entry the annotated words are, whose page the note links to."""


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    title_language: str | None
    byline: Byline
    summary: str
    """The bottom line (Markdown)."""
    key_points: tuple[str, ...]
    quotes: tuple[Quote, ...]
    excerpts_mode: str
    """article.reproduce: excerpts, full or none."""
    excerpts: tuple[Paragraph, ...]
    context_notes: tuple[ContextNote, ...]
    timeline: tuple[Event, ...]
    related: tuple[str, ...]
    related_publisher: str | None
    related_language: str | None
    missing: str | None
    """The percentage of the article behind a paywall, as the seed gives it."""
    sources: tuple[Source, ...]
    footnotes: tuple[Footnote, ...]
    language: str
    """The page's language."""
    inline_languages: Mapping[str, str] = field(default_factory=dict)
    """A cited title -> its language, where it is not the page's."""
    labels: Labels = ENGLISH
    """The site's words, which both emitters add around the document's."""


class Builder:
    """Walks a briefing in reading order, numbering footnotes by first reference."""

    def __init__(
        self, briefing: Briefing, labels: Labels = ENGLISH, register: Register = EMPTY
    ) -> None:
        self.b = briefing
        self.labels = labels
        self.register = register
        self.numbers: dict[str, int] = {}
        self.footnotes: list[Footnote] = []
        self.entries = {m.words: EntityLink(m.kind, m.name, m.entry) for m in briefing.mentions}
        """Annotated words -> the register entry they are (`register.apply` found them)."""

    def speaker_page(self, speaker: str) -> EntityLink:
        """The speaker's page: a registered organisation speaking has its own; anyone
        else is a person, under the register's name if registered."""
        ident = self.register.resolve(speaker)
        if ident is None:
            return EntityLink("person", speaker)
        entry = self.register.entry(ident)
        return EntityLink(entry.kind, entry.name, ident)

    def other(self, language: str) -> str | None:
        return language if language != self.b.site_language else None

    def ref(self, key: str, make: Callable[[int], Footnote]) -> Cite:
        """The number of footnote `key`, made (as `make(number)`) on its first reference."""
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.footnotes.append(make(self.numbers[key]))
        return Cite(self.numbers[key])

    def cite(self, source_id: str) -> Cite:
        source = self.b.sources[source_id]
        return self.ref(f"source:{source_id}", lambda n: Footnote(n, source=source))

    def markdown(self, text: str, *, in_footnote: bool = False) -> str:
        """Editor Markdown with `[^source-id]` citations turned into numbered footnotes.

        Footnotes cannot nest, so inside a footnote a citation becomes an inline link.
        """

        def replace(m: re.Match[str]) -> str:
            source = self.b.sources[m[1]]
            if in_footnote:
                return f"({short_citation(source, self.labels)})"
            return f"[^{self.cite(m[1]).number}]"

        return CITATION_RE.sub(replace, text.strip())

    def build(self) -> Document:
        b, labels = self.b, self.labels
        summary = self.markdown(b.sidecar.summary)
        key_points = tuple(self.markdown(p) for p in b.sidecar.key_points)
        quotes = tuple(self.quote(q) for q in b.quotes)
        excerpts, notes = self.excerpts()
        timeline = self.timeline()
        article = b.sources[ARTICLE]
        translated = b.sidecar.article.translated_from
        inline = {}
        if b.language != b.site_language:
            inline[article.title] = b.language
        for source in b.sources.values():
            if source.language and source.language != b.site_language:
                inline.setdefault(source.title, source.language)
        return Document(
            title=b.title,
            title_language=self.other(b.language) if b.title_is_headline else None,
            byline=Byline(
                labels.date(b.date),
                article.publisher,
                labels.language_name(translated) if translated else None,
                bool(b.seed.missing_percent),
            ),
            summary=summary,
            key_points=key_points,
            quotes=quotes,
            excerpts_mode=b.reproduce,
            excerpts=excerpts,
            context_notes=notes,
            timeline=timeline,
            related=tuple(b.seed.related),
            related_publisher=article.publisher,
            related_language=self.other(b.language),
            missing=labels.decimal(str(b.seed.missing_percent)) if b.seed.missing_percent else None,
            sources=tuple(b.sources.values()),
            footnotes=tuple(self.footnotes),
            language=b.site_language,
            inline_languages=inline,
            labels=labels,
        )

    def quote(self, check: QuoteCheck) -> Quote:
        q = check.quote
        cite = self.cite(q.source)
        # The marks are the quote's language's; the editor's own pair, if kept, goes.
        language = self.b.language_of(check)
        opening, closing = quotation_marks(language)
        words = " ".join(unquoted(q.text).split())
        unverified = None
        if not check.verified:
            unverified = self.b.sources[q.source].publisher or q.source
        return Quote(
            words=f"{opening}{words}{closing}",
            language=self.other(language),
            speaker=q.speaker,
            speaker_page=self.speaker_page(q.speaker),
            role=q.role or None,
            date=self.labels.date(check.date) if check.date else None,
            cite=cite,
            original=self.original_link(check),
            unverified=unverified,
            note=self.markdown(q.note) if q.note else None,
        )

    def original_link(self, check: QuoteCheck) -> str | None:
        """The article's URL with a text fragment that highlights the quote there.

        Only for a verified quote of an article read in its own language: a translation's
        words are not on the original page.
        """
        article = self.b.sidecar.article
        if not check.verified or not article.url or article.translated_from:
            return None
        if check.paragraph is None or not check.spans:
            return None
        text = self.b.seed.paragraphs[check.paragraph].text
        first = text[check.spans[0][0] : check.spans[0][1]].split()
        last = text[check.spans[-1][0] : check.spans[-1][1]].split()
        if len(check.spans) == 1 and len(first) <= 8:
            directive = fragment_text(" ".join(first))
        else:
            directive = f"{fragment_text(' '.join(first[:4]))},{fragment_text(' '.join(last[-4:]))}"
        return f"{article.url.split('#')[0]}#:~:text={directive}"

    def anchor_note(self, anchor: Anchor) -> Cite:
        annotation = anchor.annotation
        key = f"note:{self.b.anchors.index(anchor)}"
        if key in self.numbers:
            return Cite(self.numbers[key])
        note = self.markdown(annotation.note, in_footnote=True)
        sources = tuple(self.b.sources[s] for s in annotation.sources)
        entry = self.entries.get(annotation.anchor)
        return self.ref(key, lambda n: Footnote(n, None, note, sources, annotation.anchor, entry))

    def paragraph(self, index: int) -> tuple[Piece, ...]:
        """A seed paragraph's words; each anchor's words emphasised, then its footnote.

        Emphasis marks the annotated phrase in any renderer; it is left out where anchors
        overlap or an anchor does not start and end on a letter or digit, since Markdown
        could not open or close it there.
        """
        raw = self.b.seed.paragraphs[index].text
        text = raw.strip()
        offset = len(raw) - len(raw.lstrip())
        here = sorted(
            (a for a in self.b.anchors if a.paragraph == index),
            key=lambda a: (a.end, self.b.anchors.index(a)),
        )
        marks: dict[int, list[Piece]] = {}
        previous_end = -1
        for anchor in sorted(here, key=lambda a: (a.start, a.end)):
            start, end = anchor.start - offset, anchor.end - offset
            words = text[start:end]
            if start >= previous_end and words[:1].isalnum() and words[-1:].isalnum():
                marks.setdefault(start, []).append(Emphasis(True))
                marks.setdefault(end, []).append(Emphasis(False))
            previous_end = max(previous_end, end)
        for anchor in here:
            marks.setdefault(anchor.end - offset, []).append(self.anchor_note(anchor))
        out: list[Piece] = []
        cursor = 0
        for position in sorted(marks):
            out.append(text[cursor:position])
            out.extend(marks[position])
            cursor = position
        out.append(text[cursor:])
        return tuple(out)

    def excerpts(self) -> tuple[tuple[Paragraph, ...], tuple[ContextNote, ...]]:
        mode = self.b.reproduce
        language = self.other(self.b.language)
        if mode == "none":
            notes = tuple(
                ContextNote(" ".join(a.annotation.anchor.split()), self.anchor_note(a), language)
                for a in self.b.anchors
            )
            return (), notes
        count = len(self.b.seed.paragraphs)
        if mode == "full":
            chosen = list(range(count))
        else:
            carrying = {a.paragraph for a in self.b.anchors}
            carrying |= {q.paragraph for q in self.b.quotes if q.paragraph is not None}
            chosen = sorted(carrying)
        if not chosen:
            return (), ()
        blocks: list[Paragraph] = []
        previous = -1
        for index in chosen:
            if index != previous + 1:
                blocks.append(Paragraph(None, None))
            blocks.append(Paragraph(self.paragraph(index), language))
            previous = index
        if previous != count - 1 or self.b.seed.missing_percent:
            blocks.append(Paragraph(None, None))
        return tuple(blocks), ()

    def timeline(self) -> tuple[Event, ...]:
        entries = sorted(self.b.sidecar.timeline, key=lambda e: partial_date_key(e.date))
        events = []
        for entry in entries:
            event = self.markdown(entry.event)
            cite = None
            if entry.source and entry.source not in CITATION_RE.findall(entry.event):
                cite = self.cite(entry.source)  # once: the event may cite it already
            events.append(Event(self.labels.partial_date(entry.date), event, cite))
        return tuple(events)


def fragment_text(words: str) -> str:
    """Percent-encode words for a text fragment, where `-`, `,` and `&` are syntax."""
    return quote(words, safe="").replace("-", "%2D")


def build_document(
    briefing: Briefing, labels: Labels = ENGLISH, register: Register = EMPTY
) -> Document:
    """The briefing as a document in the site's words (`labels`), its footnotes numbered
    in reading order, its speakers' pages found in the `register`."""
    return Builder(briefing, labels, register).build()


class LazyDocument:
    """A briefing's document for its page's template, built only if the template reads
    it: the built-in theme shows `content`, a site's theme may place notes as sidenotes."""

    def __init__(
        self, briefing: Briefing, labels: Labels = ENGLISH, register: Register = EMPTY
    ) -> None:
        self._briefing = briefing
        self._labels = labels
        self._register = register
        self._document: Document | None = None

    def __getattr__(self, name: str) -> object:
        if self._document is None:
            self._document = build_document(self._briefing, self._labels, self._register)
        return getattr(self._document, name)
