"""Stage 4 of the pipeline: a verified Briefing written out as portable Markdown.

The page must read the same on GitHub, in MkDocs and in Hugo, so it uses only CommonMark
plus `[^n]` footnotes and YAML front matter. Footnotes are numbered in order of first
appearance; one source cited several times keeps one number. Seed text is escaped, so
nothing a publisher pasted can turn into Markdown structure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import yaml

from .dates import partial_date_key
from .labels import ENGLISH, Labels
from .languages import quotation_marks, unquoted
from .markdown import CITATION_RE, Marks
from .sidecars import ARTICLE, Source
from .verify import Anchor, Briefing, QuoteCheck

INLINE_SPECIALS = re.compile(r"([\\`*_\[\]>])")
ENTITIES = {"<": "&lt;", "~": "&#126;"}
"""Written as entities, not backslash escapes: Python-Markdown (MkDocs) does not treat
`\\<` or `\\~` as escapes and would show the backslash, and passes raw `<` through as HTML."""
ENTITY_TABLE = str.maketrans(ENTITIES)
LINE_START_SPECIALS = re.compile(r"^(\s*)([#>+-]|\d+(?=[.)]))")
ENTITY = re.compile(r"&(?=#?\w+;)")


def heading(labels: Labels, mode: str) -> str:
    """The excerpts section's heading, which says how much of the article it holds."""
    if mode == "full":
        return labels.gettext("The article, annotated")
    if mode == "none":
        return labels.gettext("Context notes")
    return labels.gettext("Annotated excerpts")


def escape(text: str) -> str:
    """Seed or editor plain text, escaped so Markdown shows it literally."""
    text = escape_inline(text)
    m = LINE_START_SPECIALS.match(text)
    if m:
        if m[2].isdigit():
            end = m.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = text[: m.start(2)] + "\\" + text[m.start(2) :]
    return text


def link(text: str, url: str | None) -> str:
    """`[text](<url>)`, or the escaped text alone without a URL."""
    if not url:
        return escape(text)
    return f"[{escape(text)}](<{destination(url)}>)"


DESTINATION_TABLE = str.maketrans({"<": "%3C", ">": "%3E", " ": "%20", "\\": "%5C"})


def destination(url: str) -> str:
    """A URL as a Markdown link destination `<…>`: the characters that would end it or
    be read as an escape there, percent-encoded (the URL a browser follows is the same)."""
    return url.translate(DESTINATION_TABLE)


def citation(source: Source, labels: Labels = ENGLISH) -> str:
    """A source in one line, as a footnote or sources-list entry shows it."""
    parts = []
    if source.author:
        parts.append(escape(source.author))
    if source.publisher:
        parts.append(escape(source.publisher))
    parts.append(f"*{link(source.title, source.url)}*")
    text = labels.separator.join(parts)
    if source.published:
        text += labels.separator + labels.date(source.published)
    if source.accessed:
        text += " " + labels.gettext("(accessed %(date)s)", date=labels.date(source.accessed))
    return text + labels.pgettext("end of sentence", ".")


def short_citation(source: Source, labels: Labels = ENGLISH) -> str:
    """A source named briefly inside a note; the full entry is in the Sources list."""
    if source.publisher:
        return f"{escape(source.publisher)}{labels.separator}*{link(source.title, source.url)}*"
    return f"*{link(source.title, source.url)}*"


class FrontMatterDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line strings as `|` blocks, so front matter stays readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


FrontMatterDumper.add_representer(str, _represent_str)


def indent(text: str, prefix: str) -> str:
    """Indent continuation lines so multi-line Markdown stays inside its list item or note."""
    lines = text.strip().split("\n")
    return "\n".join([lines[0], *[(prefix + line) if line.strip() else "" for line in lines[1:]]])


class Footnotes:
    """Numbers footnotes by first reference; a key referenced again reuses its number."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.texts: dict[int, str] = {}

    def ref(self, key: str, text: Callable[[], str]) -> str:
        if key not in self.numbers:
            number = len(self.numbers) + 1
            self.numbers[key] = number
            self.texts[number] = text()
        return f"[^{self.numbers[key]}]"

    def definitions(self) -> str:
        return "\n".join(
            f"[^{n}]: {indent(text, '    ')}" for n, text in sorted(self.texts.items())
        )


class Writer:
    """Writes one briefing's Markdown, section by section, in reading order.

    Blocks of the seed's words (quotes, excerpts, a headline) are noted with their
    language as they are written, in reading order, so the HTML can say what language
    they are in: Markdown has no syntax for it (see `Marks`).
    """

    def __init__(self, briefing: Briefing, labels: Labels = ENGLISH) -> None:
        self.b = briefing
        self.labels = labels
        """The site's words for headings and the page's own sentences."""
        self.notes = Footnotes()
        self.seed_blocks: list[tuple[str, str]] = []
        """(block as written, its language), in the order they appear."""

    def in_language(self, block: str, language: str) -> str:
        """A block of the page written in `language` (noted only when the page's differs)."""
        if language != self.b.site_language:
            self.seed_blocks.append((block, language))
        return block

    def cite(self, source_id: str) -> str:
        return self.notes.ref(
            f"source:{source_id}", lambda: citation(self.b.sources[source_id], self.labels)
        )

    def markdown(self, text: str, *, in_footnote: bool = False) -> str:
        """Editor Markdown with `[^source-id]` citations turned into numbered footnotes.

        Footnotes cannot nest, so inside a footnote a citation becomes an inline link.
        """

        def replace(m: re.Match[str]) -> str:
            source = self.b.sources[m[1]]
            if in_footnote:
                return f"({short_citation(source, self.labels)})"
            return self.cite(m[1])

        return CITATION_RE.sub(replace, text.strip())

    def document(self) -> str:
        return self.marked_document()[0]

    def marked_document(self) -> tuple[str, Marks]:
        """The Markdown page, and the languages of the seed's blocks by their line."""
        title = f"# {escape(self.b.title)}"
        if self.b.title_is_headline:  # the seed's own words
            title = self.in_language(title, self.b.language)
        sections = [
            self.front_matter(),
            title,
            self.byline(),
            self.bottom_line(),
            self.key_points(),
            self.quotes(),
            self.excerpts(),
            self.timeline(),
            self.related(),
            self.truncation(),
            self.sources(),
            self.notes.definitions(),
        ]
        text = "\n\n".join(s for s in sections if s) + "\n"
        lines: dict[int, str] = {}
        cursor = 0  # blocks were noted in reading order: each is found after the last
        for block, language in self.seed_blocks:
            at = text.find("\n" + block + "\n", cursor)
            if at >= 0:
                lines[text.count("\n", 0, at + 1)] = language
                cursor = at + len(block) + 1
        inline = {}
        article = self.b.sources[ARTICLE]
        if self.b.language != self.b.site_language:
            inline[article.title] = self.b.language
        for source in self.b.sources.values():
            if source.language and source.language != self.b.site_language:
                inline.setdefault(source.title, source.language)
        return text, Marks(lines, inline, self.b.site_language)

    def front_matter(self) -> str:
        b = self.b
        data = {
            "title": b.title,
            "date": b.date,
            "slug": b.slug,
            "tags": list(b.sidecar.tags),
            "summary": CITATION_RE.sub("", b.sidecar.summary).strip(),
            "speakers": list(dict.fromkeys(q.quote.speaker for q in b.quotes)),
            "sources": [
                {k: v for k, v in (("id", i), ("title", s.title), ("publisher", s.publisher),
                                   ("url", s.url)) if v}
                for i, s in b.sources.items()
            ],
        }  # fmt: skip
        if b.draft:
            data["draft"] = True
        dumped = yaml.dump(
            data, Dumper=FrontMatterDumper, sort_keys=False, allow_unicode=True, width=4096
        )
        return f"---\n{dumped}---"

    def byline(self) -> str:
        article = self.b.sources[ARTICLE]
        labels = self.labels
        parts = [labels.date(self.b.date)]
        if article.publisher:
            origin = labels.gettext("From %(publisher)s", publisher=escape(article.publisher))
        else:
            origin = labels.gettext("From the article")
        translated = self.b.sidecar.article.translated_from
        if translated:
            language = escape_inline(labels.language_name(translated))
            origin += labels.separator + labels.gettext(
                "translated from %(language)s", language=language
            )
        parts.append(origin)
        if self.b.seed.missing_percent:
            parts.append(labels.gettext("partial text"))
        return "*" + " · ".join(parts) + "*"

    def bottom_line(self) -> str:
        return self.heading(self.labels.gettext("Bottom line")) + self.markdown(
            self.b.sidecar.summary
        )

    def heading(self, text: str) -> str:
        """A section heading (in the site's language), as it opens its section."""
        return f"## {escape(text)}\n\n"

    def key_points(self) -> str:
        points = self.b.sidecar.key_points
        if not points:
            return ""
        items = [f"- {indent(self.markdown(p), '  ')}" for p in points]
        return self.heading(self.labels.gettext("Key points")) + "\n".join(items)

    def quotes(self) -> str:
        if not self.b.quotes:
            return ""
        return self.heading(self.labels.gettext("Quotes")) + "\n\n".join(
            self.quote(q) for q in self.b.quotes
        )

    def quote(self, check: QuoteCheck) -> str:
        q = check.quote
        labels = self.labels
        attribution = f"\u2014 **{escape(q.speaker)}**"
        if q.role:
            attribution += labels.separator + escape(q.role)
        if check.date:
            attribution += labels.separator + labels.date(check.date)
        attribution += self.cite(q.source)
        original = self.original_link(check)
        if original:
            words = escape_inline(labels.gettext("check it in the original"))
            attribution += f" \u00b7 [{words}](<{destination(original)}>)"
        # The attribution stands outside the blockquote, as HTML recommends; it also keeps
        # consecutive quotes apart in Python-Markdown, which merges adjacent blockquotes.
        # The marks are the quote's language's; the editor's own pair, if kept, goes.
        language = self.b.language_of(check)
        opening, closing = quotation_marks(language)
        words = escape(" ".join(unquoted(q.text).split()))
        quoted = self.in_language(f"> {opening}{words}{closing}", language)
        blocks = [quoted, attribution]
        if not check.verified:
            publisher = self.b.sources[q.source].publisher or q.source
            sentence = labels.gettext(
                "Unverified: quoted from %(publisher)s, which cannot be checked against the "
                "article offline.",
                publisher=escape(publisher),
            )
            blocks.append(f"*{sentence}*")
        if q.note:
            blocks.append(self.markdown(q.note))
        return "\n\n".join(blocks)

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

    def anchor_note(self, anchor: Anchor) -> str:
        annotation = anchor.annotation
        key = f"note:{self.b.anchors.index(anchor)}"

        def text() -> str:
            note = self.markdown(annotation.note, in_footnote=True)
            cites = [short_citation(self.b.sources[s], self.labels) for s in annotation.sources]
            if cites:
                listed = self.labels.pgettext("list of titles", "; ").join(cites)
                note += "\n\n" + self.labels.ngettext(
                    "Source: %(sources)s.", "Sources: %(sources)s.", len(cites), sources=listed
                )
            return note

        return self.notes.ref(key, text)

    def paragraph(self, index: int) -> str:
        """A seed paragraph, escaped; each anchor's words emphasised, then its footnote.

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
        marks: dict[int, list[str]] = {}
        previous_end = -1
        for anchor in sorted(here, key=lambda a: (a.start, a.end)):
            start, end = anchor.start - offset, anchor.end - offset
            words = text[start:end]
            if start >= previous_end and words[:1].isalnum() and words[-1:].isalnum():
                marks.setdefault(start, []).append("*")
                marks.setdefault(end, []).append("*")
            previous_end = max(previous_end, end)
        for anchor in here:
            marks.setdefault(anchor.end - offset, []).append(self.anchor_note(anchor))
        out: list[str] = []
        cursor = 0
        for position in sorted(marks):
            chunk = text[cursor:position]
            out.append(escape(chunk) if cursor == 0 else escape_inline(chunk))
            out.extend(marks[position])
            cursor = position
        rest = text[cursor:]
        out.append(escape(rest) if cursor == 0 else escape_inline(rest))
        return "".join(out)

    def excerpts(self) -> str:
        mode = self.b.reproduce
        if mode == "none":
            if not self.b.anchors:
                return ""
            items = [
                self.in_language(
                    f"- **{escape(' '.join(a.annotation.anchor.split()))}**{self.anchor_note(a)}",
                    self.b.language,
                )
                for a in self.b.anchors
            ]
            return f"## {escape(heading(self.labels, mode))}\n\n" + "\n".join(items)
        count = len(self.b.seed.paragraphs)
        if mode == "full":
            chosen = list(range(count))
        else:
            carrying = {a.paragraph for a in self.b.anchors}
            carrying |= {q.paragraph for q in self.b.quotes if q.paragraph is not None}
            chosen = sorted(carrying)
        if not chosen:
            return ""
        blocks: list[str] = []
        previous = -1
        for index in chosen:
            if index != previous + 1:
                blocks.append("\\[…\\]")
            blocks.append(self.in_language(self.paragraph(index), self.b.language))
            previous = index
        if previous != count - 1 or self.b.seed.missing_percent:
            blocks.append("\\[…\\]")
        return f"## {escape(heading(self.labels, mode))}\n\n" + "\n\n".join(blocks)

    def timeline(self) -> str:
        entries = sorted(self.b.sidecar.timeline, key=lambda e: partial_date_key(e.date))
        if not entries:
            return ""
        items = []
        for entry in entries:
            event = indent(self.markdown(entry.event), "  ")
            line = f"- **{self.labels.partial_date(entry.date)}** \u2014 {event}"
            if entry.source and entry.source not in CITATION_RE.findall(entry.event):
                line += self.cite(entry.source)  # once: the event may cite it already
            items.append(line)
        return self.heading(self.labels.gettext("Timeline")) + "\n".join(items)

    def related(self) -> str:
        if not self.b.seed.related:
            return ""
        publisher = self.b.sources[ARTICLE].publisher
        suffix = f" ({escape(publisher)})" if publisher else ""
        items = [
            self.in_language(f"- {escape(h)}{suffix}", self.b.language) for h in self.b.seed.related
        ]
        return self.heading(self.labels.gettext("Related reading")) + "\n".join(items)

    def truncation(self) -> str:
        missing = self.b.seed.missing_percent
        if not missing:
            return ""
        title = escape_inline(self.labels.gettext("Partial text."))
        text = self.labels.gettext(
            "The publisher's page ended at its paywall: %(missing)s%% of the article was not "
            "available to the editors, and nothing here draws on it.",
            missing=self.labels.decimal(missing),
        )
        return f"> **{title}** {escape_inline(text)}"

    def sources(self) -> str:
        items = [f"- {citation(s, self.labels)}" for s in self.b.sources.values()]
        return self.heading(self.labels.gettext("Sources")) + "\n".join(items)


def escape_inline(text: str) -> str:
    """Escape text that continues a line: line-start rules no longer apply."""
    text = ENTITY.sub("&amp;", text)
    text = INLINE_SPECIALS.sub(r"\\\1", text)
    return text.translate(ENTITY_TABLE)


def fragment_text(words: str) -> str:
    """Percent-encode words for a text fragment, where `-`, `,` and `&` are syntax."""
    return quote(words, safe="").replace("-", "%2D")


def briefing_markdown(briefing: Briefing, labels: Labels = ENGLISH) -> str:
    """The Markdown page for one briefing: `content/<slug>.md`."""
    return Writer(briefing, labels).document()


def briefing_document(briefing: Briefing, labels: Labels = ENGLISH) -> tuple[str, Marks]:
    """The Markdown page, and where its blocks of the seed's words are (for their lang)."""
    return Writer(briefing, labels).marked_document()
