"""Stage 4 of the pipeline: a verified Briefing written out as portable Markdown.

The page must read the same on GitHub, in MkDocs and in Hugo, so it uses only CommonMark
plus `[^n]` footnotes and YAML front matter. Footnotes are numbered in order of first
appearance (by `document`, which the page's HTML is emitted from too); one source cited
several times keeps one number. Seed text is escaped, so nothing a publisher pasted can
turn into Markdown structure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import yaml

from briefgen.stages.document import (
    Cite,
    Document,
    Emphasis,
    EntityLink,
    Event,
    Footnote,
    Linker,
    Quote,
    build_document,
    markdown_link,
)
from briefgen.stages.markdown import CITATION_RE, Marks
from briefgen.stages.mdsyntax import citation, destination, escape_inline, indent, short_citation
from briefgen.stages.mdsyntax import (
    escape as escape,  # this module's API too (the MkDocs plugin, tests)
)
from briefgen.stages.register import EMPTY, Register
from briefgen.stages.verify import Briefing
from briefgen.vocabulary.labels import ENGLISH, Labels

DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
RESOLVER: Any = yaml.resolver.Resolver()
"""The dumper's own resolver: which plain scalars YAML would read as another type."""
FrontMatter = str | bool | dt.date | list["FrontMatter"] | dict[str, "FrontMatter"]

STR, BOOL, DATE = (f"tag:yaml.org,2002:{t}" for t in ("str", "bool", "timestamp"))


def front_matter_yaml(data: dict[str, FrontMatter]) -> str:
    """`yaml.dump(data, Dumper=CSafeDumper, sort_keys=False, allow_unicode=True,
    width=4096)` with multi-line strings as `|` blocks, for front matter's few types,
    byte for byte (tests/test_generate.py holds it to that).

    The events go straight to libyaml's emitter: PyYAML's representer and serializer,
    in Python, took two thirds of the dump, a sixth of writing a briefing's Markdown."""
    events = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(explicit=False)]
    events += front_matter_events(data)
    events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    dumped: str = yaml.emit(events, Dumper=DUMPER, allow_unicode=True, width=4096)
    return dumped


def front_matter_events(value: FrontMatter, seen: set[int] | None = None) -> list[yaml.Event]:
    """A value's events as the SafeRepresenter and serializer make them, by exact type
    as the representer dispatches; anything else is refused as it refuses it. No
    anchors: front matter is built anew for each page, and a date, list or mapping met
    twice (which yaml.dump would anchor) is refused (found by review)."""
    seen = set() if seen is None else seen
    kind = type(value)
    if kind is str:
        assert isinstance(value, str)
        return [scalar_event(value, STR, "|" if "\n" in value else None)]
    if kind is bool:
        return [scalar_event("true" if value else "false", BOOL)]
    if kind not in (dt.date, list, dict):
        raise yaml.representer.RepresenterError("cannot represent an object", value)
    if id(value) in seen:
        raise yaml.representer.RepresenterError("front matter shares no value", value)
    seen.add(id(value))
    if isinstance(value, dt.date):
        return [scalar_event(value.isoformat(), DATE)]
    if isinstance(value, list):
        events: list[yaml.Event] = [yaml.SequenceStartEvent(None, None, True, flow_style=False)]
        for item in value:
            events += front_matter_events(item, seen)
        return [*events, yaml.SequenceEndEvent()]
    assert isinstance(value, dict)
    events = [yaml.MappingStartEvent(None, None, True, flow_style=False)]
    for key, item in value.items():
        events += front_matter_events(key, seen) + front_matter_events(item, seen)
    return [*events, yaml.MappingEndEvent()]


def scalar_event(value: str, tag: str, style: str | None = None) -> yaml.ScalarEvent:
    """As the serializer writes a scalar: its tag left implicit where YAML would read the
    value back as that type, plain or quoted (`yes` as a string must be quoted)."""
    plain = RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == tag
    quoted = RESOLVER.resolve(yaml.ScalarNode, value, (False, True)) == tag
    return yaml.ScalarEvent(None, tag, (plain, quoted), value, style=style)


def ref(cite: Cite) -> str:
    return f"[^{cite.number}]"


class Writer:
    """Writes one briefing's Markdown from its document, section by section.

    Blocks of the seed's words (quotes, excerpts, a headline) are noted with their
    language as they are written, in reading order, so the HTML can say what language
    they are in: Markdown has no syntax for it (see `Marks`).
    """

    def __init__(
        self, briefing: Briefing, document: Document | None = None, link: Linker = markdown_link
    ) -> None:
        self.b = briefing
        self.d = document or build_document(briefing)
        self.link = link
        """Where a speaker's or a register entry's page is, from where this Markdown is."""
        self.labels = self.d.labels
        """The site's words for headings and the page's own sentences."""
        self.seed_blocks: list[tuple[str, str]] = []
        """(block as written, its language), in the order they appear."""

    def in_language(self, block: str, language: str | None) -> str:
        """A block of the page written in `language` (None: the page's)."""
        if language is not None:
            self.seed_blocks.append((block, language))
        return block

    def document(self) -> str:
        return self.marked_document()[0]

    def marked_document(self) -> tuple[str, Marks]:
        """The Markdown page, and the languages of the seed's blocks by their line."""
        title = self.in_language(f"# {escape(self.d.title)}", self.d.title_language)
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
            self.footnotes(),
        ]
        text = "\n\n".join(s for s in sections if s) + "\n"
        lines: dict[int, str] = {}
        cursor = 0  # blocks were noted in reading order: each is found after the last
        for block, language in self.seed_blocks:
            at = text.find("\n" + block + "\n", cursor)
            if at >= 0:
                lines[text.count("\n", 0, at + 1)] = language
                cursor = at + len(block) + 1
        return text, Marks(lines, dict(self.d.inline_languages), self.d.language)

    def front_matter(self) -> str:
        b = self.b
        data: dict[str, FrontMatter] = {
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
        return f"---\n{front_matter_yaml(data)}---"

    def heading(self, section: str) -> str:
        """A section heading (in the site's language), as it opens its section."""
        return heading(self.labels, section)

    def byline(self) -> str:
        return f"*{byline_text(self.d, escape)}*"

    def bottom_line(self) -> str:
        return self.heading("bottom_line") + self.d.summary

    def key_points(self) -> str:
        return key_points_markdown(self.d)

    def quotes(self) -> str:
        if not self.d.quotes:
            return ""
        return self.heading("quotes") + "\n\n".join(self.quote(q) for q in self.d.quotes)

    def quote(self, q: Quote) -> str:
        labels = self.labels
        attribution = f"\u2014 **{entity_link(q.speaker, q.speaker_page, self.link)}**"
        if q.role:
            attribution += labels.separator + escape(q.role)
        if q.date:
            attribution += labels.separator + q.date
        attribution += ref(q.cite)
        if q.original:
            words = escape_inline(labels.check_original)
            attribution += f" \u00b7 [{words}](<{destination(q.original)}>)"
        # The attribution stands outside the blockquote, as HTML recommends; it also keeps
        # consecutive quotes apart in Python-Markdown, which merges adjacent blockquotes.
        quoted = self.in_language(f"> {escape(q.words)}", q.language)
        blocks = [quoted, attribution]
        if q.unverified is not None:
            blocks.append(f"*{labels.unverified(escape(q.unverified))}*")
        if q.note:
            blocks.append(q.note)
        return "\n\n".join(blocks)

    def excerpts(self) -> str:
        d = self.d
        heading = self.heading(d.excerpts_mode)
        if d.context_notes:
            items = [
                self.in_language(f"- **{escape(n.anchor)}**{ref(n.cite)}", n.language)
                for n in d.context_notes
            ]
            return heading + "\n".join(items)
        if not d.excerpts:
            return ""
        blocks = []
        for paragraph in d.excerpts:
            if paragraph.pieces is None:
                blocks.append("\\[…\\]")
                continue
            out = []
            for i, piece in enumerate(paragraph.pieces):
                if isinstance(piece, str):
                    out.append(escape(piece) if i == 0 else escape_inline(piece))
                elif isinstance(piece, Emphasis):
                    out.append("*")
                else:
                    out.append(ref(piece))
            blocks.append(self.in_language("".join(out), paragraph.language))
        return heading + "\n\n".join(blocks)

    def timeline(self) -> str:
        return timeline_markdown(self.d)

    def related(self) -> str:
        d = self.d
        if not d.related:
            return ""
        suffix = f" ({escape(d.related_publisher)})" if d.related_publisher else ""
        items = [self.in_language(f"- {escape(h)}{suffix}", d.related_language) for h in d.related]
        return self.heading("related") + "\n".join(items)

    def truncation(self) -> str:
        if not self.d.missing:
            return ""
        lead = escape_inline(self.labels.partial_lead)
        return f"> **{lead}** {escape_inline(self.labels.partial_text(self.d.missing))}"

    def sources(self) -> str:
        items = [f"- {citation(s, self.labels)}" for s in self.d.sources]
        return self.heading("sources") + "\n".join(items)

    def footnotes(self) -> str:
        return "\n".join(
            f"[^{n.number}]: {indent(footnote_markdown(n, self.labels, self.link), '    ')}"
            for n in self.d.footnotes
        )


def heading(labels: Labels, section: str) -> str:
    """A section heading in the site's words (see `Labels.headings`), with its blank line."""
    return f"## {escape(labels.headings[section])}\n\n"


def footnote_markdown(n: Footnote, labels: Labels = ENGLISH, link: Linker = markdown_link) -> str:
    """A footnote's text: a source's citation, or a note, the sources it names and the
    page of the register entry it is about."""
    if n.source:
        return citation(n.source, labels)
    note = n.note or ""
    if n.note_sources:
        cites = [short_citation(s, labels) for s in n.note_sources]
        note += "\n\n" + labels.note_sources(len(cites), labels.titles_separator.join(cites))
    if n.entry:
        note += f"\n\n{escape(labels.in_register)} {entity_link(n.entry.name, n.entry, link)}"
    return note


def entity_link(words: str, entity: EntityLink, link: Linker) -> str:
    """`words` linking to the entity's page: the name is the link's text."""
    return f"[{escape(words)}](<{destination(link(entity))}>)"


def byline_text(d: Document, escaped: Callable[[str], str]) -> str:
    """The byline's words, the publisher's and the language's names `escaped` for the
    output."""
    labels = d.labels
    origin = labels.origin(escaped(d.byline.publisher) if d.byline.publisher else None)
    if d.byline.translated_from:
        origin += labels.translated(escaped(d.byline.translated_from))
    parts = [d.byline.date, origin]
    if d.byline.partial:
        parts.append(labels.partial)
    return " · ".join(parts)


def key_points_markdown(d: Document) -> str:
    """The key points section: the editor's Markdown, one list item each."""
    if not d.key_points:
        return ""
    items = [f"- {indent(p, '  ')}" for p in d.key_points]
    return heading(d.labels, "key_points") + "\n".join(items)


def timeline_markdown(d: Document) -> str:
    """The timeline section: each date, the editor's event, its source's footnote."""
    if not d.timeline:
        return ""
    return heading(d.labels, "timeline") + "\n".join(event_line(e) for e in d.timeline)


def event_line(e: Event) -> str:
    line = f"- **{e.date}** \u2014 {indent(e.event, '  ')}"
    return line + ref(e.cite) if e.cite else line


def briefing_markdown(
    briefing: Briefing, labels: Labels = ENGLISH, register: Register = EMPTY
) -> str:
    """The Markdown page for one briefing: `content/<slug>.md`, in the site's words, its
    speakers found in the `register`."""
    return Writer(briefing, build_document(briefing, labels, register)).document()


def briefing_document(
    briefing: Briefing, document: Document | None = None, link: Linker = markdown_link
) -> tuple[str, Marks]:
    """The Markdown page, and where its blocks of the seed's words are (for their lang);
    in the words of the document's labels, entity pages linked as `link` says."""
    return Writer(briefing, document, link).marked_document()
