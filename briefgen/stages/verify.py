"""Stage 3 of the pipeline: check a sidecar against its seed and assemble the Briefing.

Quotes attributed to the article must occur in the seed body; anchors must occur often
enough. What the checks find (which paragraph, which characters) is kept in the Briefing,
so that Markdown generation places footnotes exactly where verification found the words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from briefgen.stages import matching
from briefgen.stages.seeds import Seed
from briefgen.stages.sidecars import ARTICLE, Annotation, Quote, Reproduce, Sidecar, Source
from briefgen.typedyaml.schema import Pos
from briefgen.vocabulary.errors import Diagnostic, Location, Severity, error, warning
from briefgen.vocabulary.languages import unquoted
from briefgen.vocabulary.names import name_key


@dataclass(frozen=True)
class QuoteCheck:
    """A quote and what verification found for it."""

    quote: Quote
    verified: bool
    """True when found in the seed body; False for quotes from other sources."""
    paragraph: int | None = None
    """Index of the paragraph holding it, when verified."""
    spans: tuple[tuple[int, int], ...] = ()
    """Original-text spans of each elided piece within that paragraph."""
    date: dt.date | None = None
    """When it was said: the quote's date, else its source's publication date."""


@dataclass(frozen=True)
class Anchor:
    """An annotation placed on its words in the seed."""

    annotation: Annotation
    paragraph: int
    start: int
    end: int
    """Span of the anchor in the paragraph's original text."""


@dataclass(frozen=True)
class Mention:
    """A register entry annotated in a briefing, as its entity page lists it."""

    entry: str
    """The entry's id."""
    kind: str
    name: str
    """The entry's name, for links from the briefing page."""
    words: str
    """The anchor: the words of the seed that name it."""
    before: str = ""
    after: str = ""
    """The words around them in their paragraph (none when the page reproduces none)."""


@dataclass(frozen=True)
class Briefing:
    """Everything needed to write one briefing page: seed, sidecar and verified places."""

    slug: str
    seed: Seed
    sidecar: Sidecar
    sidecar_path: str
    title: str
    date: dt.date
    reproduce: Reproduce
    sources: Mapping[str, Source]
    """All sources by id, the article first as source `article`."""
    quotes: tuple[QuoteCheck, ...]
    anchors: tuple[Anchor, ...]
    language: str = "en"
    """BCP 47 tag of the seed: `article.language`, else the site's."""
    site_language: str = "en"
    """The site's language: the page around the seed's words."""
    mentions: tuple[Mention, ...] = ()
    """Register entries its annotations are on (see register.apply)."""

    @property
    def draft(self) -> bool:
        return self.sidecar.draft

    @property
    def unverified(self) -> int:
        return sum(1 for q in self.quotes if not q.verified)

    @property
    def original_language(self) -> str:
        """The language of the article at `article.url`: the original's, for a translation."""
        return self.sidecar.article.translated_from or self.language

    @property
    def title_is_headline(self) -> bool:
        """Whether the title is the seed's headline: no `title`, or the headline itself,
        which `briefgen new` writes there."""
        title = self.sidecar.title
        return not title or title.split() == self.seed.headline.split()

    @property
    def title_language(self) -> str:
        """The title's language: the seed's when the title is its headline."""
        return self.language if self.title_is_headline else self.site_language

    def quote_tally(self) -> tuple[int, int]:
        """How many of its quotes are verified against the seed, and how many are not."""
        unverified = self.unverified
        return len(self.quotes) - unverified, unverified

    def speaker_names(self) -> tuple[str, ...]:
        """Its quotes' speakers, in order: what the cross-briefing checks of names read
        of every briefing (an index view holds them apart: indexes.BriefingView)."""
        return tuple(check.quote.speaker for check in self.quotes)

    def languages_used(self) -> tuple[str, ...]:
        """Every language its words are in: the seed's, the title's and each quote's
        (sorted; what search stems in, read of every briefing: see speaker_names)."""
        tags = {self.language, self.title_language}
        tags.update(self.language_of(q) for q in self.quotes if not q.verified)
        return tuple(sorted(tags))

    def language_of(self, check: QuoteCheck) -> str:
        """The language of a quote's words: the seed's when verified against it, else its
        source's (the site's when the editor did not say)."""
        if check.verified:
            return self.language
        return self.sources[check.quote.source].language or self.site_language


def article_source(seed: Seed, sidecar: Sidecar) -> Source:
    """The seed article as a Source, so it is cited like any other."""
    article = sidecar.article
    return Source(
        title=article.title or seed.headline,
        publisher=article.publisher,
        author=article.author,
        url=article.url,
        published=article.published or seed.date,
        language=article.language,
    )


def verify(
    seed: Seed,
    sidecar: Sidecar,
    sidecar_path: str,
    default_reproduce: Reproduce,
    site_language: str = "en",
) -> tuple[Briefing | None, list[Diagnostic]]:
    """Check every quote and anchor; returns the Briefing only when nothing failed."""
    # Each paragraph once: not remembered, it would push out the quote pieces that are.
    passages = matching.Passages([matching.normalized(p.text) for p in seed.paragraphs])
    sources: dict[str, Source] = {ARTICLE: article_source(seed, sidecar), **sidecar.sources}
    diagnostics: list[Diagnostic] = []
    quotes: list[QuoteCheck] = []
    for quote in sidecar.quotes:
        check, problems = verify_quote(seed, passages, quote, sidecar_path, sources)
        diagnostics += problems
        if check:
            quotes.append(check)
    anchors: list[Anchor] = []
    for annotation in sidecar.annotations:
        anchor, problems = place_anchor(seed, passages, annotation, sidecar_path)
        diagnostics += problems
        if anchor:
            anchors.append(anchor)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return None, diagnostics
    briefing = Briefing(
        slug=seed.slug,
        seed=seed,
        sidecar=sidecar,
        sidecar_path=sidecar_path,
        title=sidecar.title or seed.headline,
        date=sidecar.date or seed.date,
        reproduce=sidecar.article.reproduce or default_reproduce,
        sources=sources,
        quotes=tuple(quotes),
        anchors=tuple(anchors),
        language=sidecar.article.language or site_language,
        site_language=site_language,
    )
    return briefing, diagnostics


def at(path: str, pos: Pos | None) -> tuple[str, int, int]:
    return (path, pos.line, pos.col) if pos else (path, 1, 1)


def verify_quote(
    seed: Seed,
    passages: matching.Passages,
    quote: Quote,
    path: str,
    sources: Mapping[str, Source],
) -> tuple[QuoteCheck | None, list[Diagnostic]]:
    said = quote.date or sources[quote.source].published
    if quote.source != ARTICLE:
        note = warning(
            *at(path, quote.where.get("source")),
            f"quote by {quote.speaker} cites '{quote.source}' and cannot be verified offline",
        )
        return QuoteCheck(quote, verified=False, date=said), [note]
    typed = matching.raw_pieces(quote.text)
    pieces = [matching.fold(p) for p in typed]
    if not pieces:
        return None, [
            error(*at(path, quote.where.get("text")), "quote text is only an elision mark")
        ]
    normalized = passages.paragraphs
    # The quote as typed, then without an outer pair of marks the editor kept from the
    # article: a shortened quote (`„Statt … am Steuer“`) keeps marks the seed has elsewhere.
    bare = unquoted(quote.text)
    tries = [pieces] + (
        [[matching.fold(p) for p in matching.raw_pieces(bare)]] if bare != quote.text else []
    )
    for attempt in tries:
        for index, paragraph in enumerate(normalized):
            spans = matching.match_pieces(paragraph, attempt)
            if spans:
                original = tuple(paragraph.span(s, e) for s, e in spans)
                return QuoteCheck(quote, True, index, original, said), []
    # Report the first piece that occurs nowhere, else the whole quote (order/paragraph).
    missing = next(
        (
            k
            for k, p in enumerate(pieces)
            if not any(matching.find_first(n.text, p, proclitic=True) >= 0 for n in normalized)
        ),
        None,
    )
    if missing is not None and len(pieces) > 1:
        message = (
            f"quote not found in the seed: the words '{typed[missing]}' do not occur in its body"
        )
    elif missing is not None:
        message = "quote not found in the seed body"
    else:
        message = "quote's pieces do not occur in this order within one paragraph of the seed"
    parts = matching.find_parts(normalized, typed)
    if parts:
        notes: tuple[Diagnostic, ...] = (parts_note(seed, parts),)
    else:
        notes = closest_note(
            seed, passages, typed[missing] if missing is not None else " ".join(typed)
        )
    return None, [
        Diagnostic(
            Location(*at(path, quote.where.get("text"))),
            message,
            hint=matching.IGNORED,
            notes=notes,
        )
    ]


def parts_note(seed: Seed, parts: matching.Parts) -> Diagnostic:
    """Where the parts of a quote that left words out occur, and where (…) would go."""
    paragraph = seed.paragraphs[parts.paragraph]
    line, col = paragraph.locate(parts.spans[0][0])
    last, _ = paragraph.locate(parts.spans[-1][1] - 1)
    lines = f"line {line}" if last == line else f"lines {line}–{last}"
    count = "both parts" if len(parts.spans) == 2 else f"all {len(parts.spans)} parts"
    words = [f"'{w}'" for w in parts.after]
    after = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    return Diagnostic(
        Location(seed.path, line, col),
        f"{count} of the quote occur in {lines}; words stand between them: add (…) after {after}",
        Severity.NOTE,
    )


def closest_note(seed: Seed, passages: matching.Passages, wanted: str) -> tuple[Diagnostic, ...]:
    """Where the seed comes closest to `wanted`, with the differences marked."""
    found = passages.closest(wanted)
    if found is None or found.ratio < 0.3:
        return ()
    paragraph = seed.paragraphs[found.paragraph]
    marked = matching.mark_differences(paragraph.text[found.start : found.end], wanted)
    line, col = paragraph.locate(found.start + marked.start)
    if "[-" in marked.text or "{+" in marked.text:
        what = "closest passage in the seed ([-seed-]{+quote+})"
    else:
        what = "closest passage in the seed (the same words and punctuation, spaced differently)"
    return (Diagnostic(Location(seed.path, line, col), f"{what}: {marked.text}", Severity.NOTE),)


def place_anchor(
    seed: Seed, passages: matching.Passages, annotation: Annotation, path: str
) -> tuple[Anchor | None, list[Diagnostic]]:
    normalized = passages.paragraphs
    wanted = matching.fold(annotation.anchor)
    before, after = matching.fold(annotation.before), matching.fold(annotation.after)
    seen = in_context = before_fits = 0
    for index, paragraph in enumerate(normalized):
        for start in matching.find_all(paragraph.text, wanted):
            seen += 1
            end = start + len(wanted)
            # TextQuoteSelector: the words around the anchor pin it, whatever its count.
            if before and not paragraph.text[:start].rstrip().endswith(before):
                continue
            before_fits += 1
            if after and not paragraph.text[end:].lstrip().startswith(after):
                continue
            in_context += 1
            if in_context == annotation.occurrence:
                s, e = paragraph.span(start, end)
                return Anchor(annotation, index, s, e), []
    where = at(path, annotation.where.get("anchor"))
    if seen and (before or after) and not in_context:
        context = " and ".join(
            f"{key} '{text}'" for key, text in (("before", before), ("after", after)) if text
        )
        key = "after" if after and (before_fits or not before) else "before"
        message = f"anchor '{annotation.anchor}' occurs in the seed, but never with {context}"
        return None, [
            Diagnostic(
                Location(*at(path, annotation.where.get(key))),
                message,
                hint="before/after are the exact words just around the anchor",
                notes=closest_note(seed, passages, f"{before} {annotation.anchor} {after}"),
            )
        ]
    if seen:
        seen = in_context if before or after else seen
        where = at(path, annotation.where.get("occurrence"))
        times = f"{seen} time{'s' if seen > 1 else ''}"
        message = (
            f"anchor '{annotation.anchor}' occurs {times} in the seed, not {annotation.occurrence}"
        )
        return None, [error(*where, message)]
    return None, [
        Diagnostic(
            Location(*where),
            f"anchor '{annotation.anchor}' does not occur in the seed body",
            hint="an anchor is exact words of the seed; case counts",
            notes=closest_note(seed, passages, annotation.anchor),
        )
    ]


def speaker_variants(
    briefings: Sequence[Briefing], register_hint: Callable[[str], str | None] | None = None
) -> list[Diagnostic]:
    """Warn where one person's name is spelled two ways (case, accents, spacing).

    Index pages already group such spellings as one person (`names.name_key`); the
    warning lets the editor make the pages read consistently. The first spelling (oldest
    briefing first) wins. Names that only transliterate alike are different people and
    get no warning. `register_hint(name)` says where to make the spellings one in the
    register, or None for a name the register already resolves (its pages show the
    register's name, whatever the sidecars wrote).
    """

    def speaker_at(b: Briefing, check: QuoteCheck) -> Location:
        return Location(*at(b.sidecar_path, check.quote.where.get("speaker")))

    first: dict[str, tuple[str, Briefing, int]] = {}
    found: list[Diagnostic] = []
    for b in sorted(briefings, key=lambda b: (b.date, b.slug)):
        for i, name in enumerate(b.speaker_names()):  # its quotes read only to warn
            key = name_key(name)
            seen = first.get(key)
            if seen is None:  # located only when warned about: 60,000 quotes a build
                first[key] = (name, b, i)
            elif seen[0] != name:
                original, there = seen[0], speaker_at(seen[1], seen[1].quotes[seen[2]])
                also = register_hint(name) if register_hint else ""
                if also is None:
                    continue
                found.append(
                    Diagnostic(
                        speaker_at(b, b.quotes[i]),
                        f"speaker '{name}' differs from '{original}' ({there}) only by case, "
                        "accents or spacing: likely the same person",
                        Severity.WARNING,
                        hint=f"write '{original}' in both places" + (f", {also}" if also else ""),
                    )
                )
    return found
