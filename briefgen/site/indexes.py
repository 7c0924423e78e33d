"""The site's cross-briefing views: tags, people quoted, sources cited, merged timeline.

Pure functions from verified briefings to small records that templates list. Tags,
speakers and publishers are grouped by identity (`names.name_key`), so "Mustafa
Al-Kadhimi" and "mustafa al kadhimi" are one person and "Владимир Путин" and "Сергей
Лавров" are two; a group shows the spelling of its earliest mention, and its slug is
one no other group has (`names.assign_slugs`).
"""

from __future__ import annotations

import dataclasses
import pickle
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import TYPE_CHECKING, Any, TypeVar, overload

from briefgen.stages import register as reg
from briefgen.stages.sidecars import Source, TimelineEntry
from briefgen.stages.verify import Briefing, Mention, QuoteCheck
from briefgen.vocabulary.dates import partial_date_key
from briefgen.vocabulary.names import assign_slugs, name_key, slug_of, sort_name
from briefgen.vocabulary.urls import slugify

Record = TypeVar("Record")
Item = TypeVar("Item", covariant=True)


class Records(Sequence[Item]):
    """Index records made the first time each is read, from where it stands.

    After a small edit (indexlayout.refill) every record of the site is where it was,
    and the pages it reaches read a few hundred of them; made at once, the people's
    60,000 quotes, the 60,000 sources and their rows and the timeline's entries at
    10,000 briefings were a third of a one-sidecar rebuild. A slice is such a sequence
    too (a page's share of a list: `pages.paginated`), made only if that page is.
    Compares and hashes as the tuple of its records, as the tuples it stands for.
    """

    __slots__ = ("_count", "_made", "_make")

    def __init__(self, count: int, make: Callable[[int], Item]) -> None:
        self._count = count
        self._make = make
        self._made: list[Any] = [None] * count

    def __len__(self) -> int:
        return self._count

    @property
    def made(self) -> int:
        """How many of its records have been made (read) so far."""
        return self._count - self._made.count(None)

    @overload
    def __getitem__(self, i: int) -> Item: ...
    @overload
    def __getitem__(self, i: slice) -> Records[Item]: ...
    def __getitem__(self, i: int | slice) -> Item | Records[Item]:
        if isinstance(i, slice):
            span = range(self._count)[i]
            return Records(len(span), lambda j: self[span[j]])
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        made = self._made[i]
        if made is None:
            made = self._made[i] = self._make(i)
        return made  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Item]:
        return (self[i] for i in range(self._count))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Records, tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


def nowhere(record: Record) -> Record:
    """A sidecar record without the positions of its keys (they only serve messages)."""
    return replace(record, where={})  # type: ignore[type-var]


@dataclass(frozen=True)
class BriefingView(Briefing):
    """A briefing as every page but its own sees it (see `index_view`), with its key.

    A type of its own, so a function says which one it holds: index pages, the feed and
    search take views; only a briefing's own page loads the full Briefing. Not slotted:
    Briefing has an instance dictionary anyway, and pickle restores a slotted frozen
    dataclass through a Python `__setstate__` per object (see prepare.Entry).

    Pickled in two parts (`__reduce__`): what every build reads of every briefing, as
    it is (EAGER: its slug, title, date and key, and the fields below, each what a
    method or property of Briefing would read of its sidecar or quotes), and the rest,
    pickled apart and unpickled the first time one of its fields is read
    (`__getattr__`). A one-sidecar rebuild at 10,000 briefings reads back every view,
    and unpickling them all was its largest step (1.25 of 5.5 s); the pages the edit
    reaches read a few thousand. Index records hold places in a view (`Said.at`), not
    its parts, so that making them reads nothing of it.
    """

    key: str = ""
    """The content key of the seed it was made from: what fingerprints it."""
    speakers: tuple[str, ...] = ()
    """Its quotes' speakers, in order (`speaker_names`)."""
    drafted: bool = False
    """Whether it is a draft (`draft`: its sidecar says so)."""
    summary: str = ""
    """Its sidecar's summary: what the build's rendered summaries are found by."""
    used_languages: tuple[str, ...] = ()
    """The languages its words are in (`languages_used`)."""
    tally: tuple[int, int] = (0, 0)
    """Its quotes verified and not (`quote_tally`)."""
    titled_in: str = ""
    """Its title's language (`title_language`)."""

    @property
    def title_language(self) -> str:
        return self.titled_in

    @property
    def draft(self) -> bool:
        return self.drafted

    def speaker_names(self) -> tuple[str, ...]:
        return self.speakers

    def languages_used(self) -> tuple[str, ...]:
        return self.used_languages

    def quote_tally(self) -> tuple[int, int]:
        return self.tally

    def __reduce__(self) -> tuple[object, ...]:
        state = self.__dict__
        rest = state.get(REST)
        if rest is None:
            rest = pickle.dumps(tuple(state[name] for name in LAZY), pickle.HIGHEST_PROTOCOL)
        return (stored_view, (tuple(state[name] for name in EAGER), rest))

    if not TYPE_CHECKING:  # to a type checker, a view has its fields and nothing else

        def __getattr__(self, name: str) -> object:
            """Called only for a name not found: a field of the rest, not yet unpickled."""
            state = self.__dict__
            rest = state.get(REST)
            if rest is None or name not in LAZY:
                raise AttributeError(name)
            state.update(zip(LAZY, pickle.loads(rest), strict=True))
            del state[REST]
            return state[name]


REST = "_rest"
"""Where a view read back from the cache holds its unread fields, pickled."""
DEFAULTED = tuple(f.name for f in dataclasses.fields(BriefingView) if hasattr(BriefingView, f.name))
EAGER = ("slug", "title", "date", *DEFAULTED)
"""Read back at once: the fields every build reads of every view, and every field with
a default (a class attribute, which `__getattr__` would never be asked for)."""
LAZY = tuple(f.name for f in dataclasses.fields(BriefingView) if f.name not in EAGER)


def stored_view(eager: tuple[object, ...], rest: bytes) -> BriefingView:
    """A view as read back from the cache: its rest is unpickled when first read."""
    view = object.__new__(BriefingView)
    state = view.__dict__
    state.update(zip(EAGER, eager, strict=True))
    state[REST] = rest
    return view


def read_whole(briefing: Briefing) -> bool:
    """Whether a briefing is in memory whole: a full one, or a view made in this build
    or whose rest was read (what `work["views read"]` counts of a build's views)."""
    return REST not in briefing.__dict__


def key_of(briefing: Briefing) -> str:
    """A view's content key; "" for a full briefing (hashed by value, then)."""
    return briefing.key if isinstance(briefing, BriefingView) else ""


def index_view(briefing: Briefing, key: str = "") -> BriefingView:
    """The briefing as every page but its own sees it: no seed text, no positions.

    Index pages, the feed, search and the cross-briefing checks read titles, dates,
    summaries, tags, quotes, timelines and sources; a build keeps this view of every
    briefing in memory (about a fifth of the full one) and loads the full briefing only
    to render its own page. Quotes keep the position of their speaker: the
    speaker-spelling warning points at it.
    """
    sidecar = briefing.sidecar
    sources = {ident: nowhere(source) for ident, source in briefing.sources.items()}
    quotes = {
        id(quote): replace(quote, where={k: v for k, v in quote.where.items() if k == "speaker"})
        for quote in sidecar.quotes
    }
    lean = replace(
        sidecar,
        where={},
        article=nowhere(sidecar.article),
        sources={ident: sources.get(ident, source) for ident, source in sidecar.sources.items()},
        quotes=tuple(quotes[id(quote)] for quote in sidecar.quotes),
        annotations=tuple(nowhere(a) for a in sidecar.annotations),
        timeline=tuple(nowhere(t) for t in sidecar.timeline),
    )
    lean_briefing = replace(
        briefing,
        seed=replace(briefing.seed, paragraphs=()),
        sidecar=lean,
        sources=sources,
        quotes=tuple(
            replace(check, quote=quotes.get(id(check.quote), check.quote), spans=())
            for check in briefing.quotes
        ),
        anchors=(),
    )
    fields = {f.name: getattr(lean_briefing, f.name) for f in dataclasses.fields(Briefing)}
    return BriefingView(
        **fields,
        key=key,
        speakers=briefing.speaker_names(),
        drafted=briefing.draft,
        summary=briefing.sidecar.summary,
        used_languages=briefing.languages_used(),
        tally=briefing.quote_tally(),
        titled_in=briefing.title_language,
    )


@dataclass(frozen=True)
class Tag:
    """A tag and the briefings carrying it, newest first."""

    name: str
    slug: str
    briefings: tuple[Briefing, ...]


@dataclass(frozen=True)
class Said:
    """One quote of a person, with the briefing it appears in.

    Fingerprinted by its key alone (the quote's, made from its briefing's): it must
    hold nothing else. Holds the quote's place, not the quote: records are made of
    every briefing after an edit (indexlayout.refill), and only the pages that edit
    reaches read the quotes (a view's quotes are read back only then: BriefingView).
    """

    briefing: Briefing
    at: int
    """Which of its briefing's quotes."""
    key: str = ""

    @property
    def check(self) -> QuoteCheck:
        return self.briefing.quotes[self.at]


@dataclass(frozen=True)
class Mentioned:
    """A register entry annotated in one briefing, as its entity page lists it."""

    briefing: Briefing
    mention: Mention


@dataclass(frozen=True)
class Person:
    """A speaker and every quote of theirs across the site, newest first."""

    name: str
    slug: str
    roles: tuple[str, ...]
    """Distinct roles they were quoted in, most recent first."""
    quotes: Sequence[Said]
    entry: reg.Entry | None = None
    """Their register entry (without positions), when they have one."""
    mentions: Sequence[Mentioned] = ()
    """Annotations on them, newest first."""
    initial: str = ""
    """The index letter they are listed under, in the script of their name."""


@dataclass(frozen=True)
class Entity:
    """A register entry other than a person, and the briefings quoting or annotating it."""

    ident: str
    entry: reg.Entry
    quotes: Sequence[Said]
    mentions: Sequence[Mentioned]
    initial: str


@dataclass(frozen=True)
class CitedSource:
    """One source as cited across briefings (matched by URL, else publisher and title).

    Fingerprinted by its key alone (its parts' keys): it must hold nothing else. Holds
    its first citing briefing and the source's id there, not the source (see Said).
    """

    owner: Briefing
    ident: str
    briefings: tuple[Briefing, ...]
    key: str = ""

    @property
    def source(self) -> Source:
        return self.owner.sources[self.ident]


@dataclass(frozen=True)
class SourceRow:
    """One cited source with its publisher, as the (paginated) sources page lists it.

    Fingerprinted by its key alone (its parts'): it must hold nothing else.
    """

    publisher: str
    """The publisher's name as first written."""
    anchor: str
    """The publisher's slug, the id of its heading."""
    cited: CitedSource
    """Names and slugs rather than the Publisher: a row's fingerprint must not walk every
    other source of its publisher (that made the sources pages quadratic)."""
    key: str = ""


@dataclass(frozen=True)
class Publisher:
    name: str
    slug: str
    sources: Sequence[CitedSource]


@dataclass(frozen=True)
class TimelineItem:
    """A timeline entry of one briefing, placed on the merged timeline.

    Fingerprinted by its key alone (the entry's, made from its briefing's): it must
    hold nothing else. Holds the entry's place, not the entry (see Said).
    """

    briefing: Briefing
    at: int
    """Which of its briefing's timeline entries."""
    key: str = ""

    @property
    def entry(self) -> TimelineEntry:
        return self.briefing.sidecar.timeline[self.at]


@dataclass(frozen=True)
class Indexes:
    """Everything the index pages show."""

    tags: tuple[Tag, ...]
    people: tuple[Person, ...]
    publishers: tuple[Publisher, ...]
    timeline: Sequence[TimelineItem]
    rows: Sequence[SourceRow] = ()
    """Every cited source with its publisher, in the sources page's order."""
    tag_of: dict[str, Tag] = field(default_factory=dict, compare=False)
    """Tag by slug, for links from briefing pages."""
    person_of: dict[str, Person] = field(default_factory=dict, compare=False)
    slugs: Slugs = field(default_factory=lambda: Slugs({}, {}), compare=False)
    """The slug of every tag and person, for links that name them."""
    entities: dict[str, tuple[Entity, ...]] = field(default_factory=dict, compare=False)
    """Register entries other than people, by kind, in index order."""


@dataclass(frozen=True)
class Slugs:
    """Page slugs of tags and people, by identity (`names.name_key`).

    Most are the name's own slug; only names whose slugs collide differ from it, and
    `collided` lists those, so a page linking to a tag or person is fingerprinted by
    what can change its links without walking every name of the site.
    """

    tags: dict[str, str]
    people: dict[str, str]
    aliases: dict[str, str] = field(default_factory=dict)
    """Register aliases of people -> their page's slug. Not part of `collided`: a page
    naming an alias depends on its register entry already (its seed's key does, or its
    context holds the entry)."""

    def tag(self, name: str) -> str:
        return slug_of(self.tags, name)

    def person(self, name: str) -> str:
        key = name_key(name)
        return self.people.get(key) or self.aliases.get(key) or slugify(key)

    @property
    def collided(self) -> tuple[tuple[str, str, str], ...]:
        """(kind, key, slug) of every name whose slug is not its own."""
        return tuple(
            (kind, key, slug)
            for kind, table in (("tag", self.tags), ("person", self.people))
            for key, slug in sorted(table.items())
            if slug != slugify(key)
        )


def oldest_first(briefings: Sequence[Briefing]) -> list[Briefing]:
    return sorted(briefings, key=lambda b: (b.date, b.slug))


def newest_first(briefings: Sequence[Briefing]) -> list[Briefing]:
    """The home page's order: newest date first, then title, then slug (deterministic)."""
    if len(briefings) < 2:  # most sources are cited once: no sort to set up
        return list(briefings)
    return sorted(briefings, key=lambda b: (-b.date.toordinal(), b.title.casefold(), b.slug))


def build_indexes(briefings: Sequence[Briefing], register: reg.Register = reg.EMPTY) -> Indexes:
    chronological = oldest_first(briefings)
    tags = collect_tags(chronological)
    people = collect_people(chronological, register)
    publishers = collect_sources(chronological)
    timeline = merged_timeline(chronological)
    entities = collect_entities(chronological, register)
    return indexes_of(tags, people, publishers, timeline, entities)


def indexes_of(
    tags: tuple[Tag, ...],
    people: tuple[Person, ...],
    publishers: tuple[Publisher, ...],
    timeline: Sequence[TimelineItem],
    entities: dict[str, tuple[Entity, ...]],
) -> Indexes:
    """The Indexes of these records, with what derives from them: the sources page's
    rows, tags and people by slug, the slugs by name (indexlayout.refill makes the
    records another way)."""
    aliases = {name_key(alias): p.slug for p in people if p.entry for alias in p.entry.aliases}
    return Indexes(
        tags=tags,
        people=people,
        publishers=publishers,
        rows=source_rows(publishers),
        timeline=timeline,
        tag_of={t.slug: t for t in tags},
        person_of={p.slug: p for p in people},
        slugs=Slugs(
            {name_key(t.name): t.slug for t in tags},
            {name_key(p.name): p.slug for p in people},
            aliases,
        ),
        entities=entities,
    )


def source_rows(publishers: Sequence[Publisher]) -> Records[SourceRow]:
    """The sources page's rows: one per source, publisher by publisher, each made when
    read (its page is made), from its publisher's source of the same place."""
    starts = list(accumulate((len(p.sources) for p in publishers), initial=0))

    def row(r: int) -> SourceRow:
        p = bisect_right(starts, r) - 1
        publisher = publishers[p]
        cited = publisher.sources[r - starts[p]]
        return SourceRow(
            publisher.name, publisher.slug, cited, row_key(publisher.name, publisher.slug, cited)
        )

    return Records(starts[-1], row)


def collect_tags(chronological: Sequence[Briefing]) -> tuple[Tag, ...]:
    names: dict[str, str] = {}
    members: dict[str, dict[str, Briefing]] = {}
    for briefing in chronological:
        for name in briefing.sidecar.tags:
            key = name_key(name)
            names.setdefault(key, name)
            # Keyed by identity: a list membership test would make this quadratic.
            members.setdefault(key, {})[briefing.slug] = briefing
    slugs = assign_slugs(names.items())
    return tuple(
        Tag(names[key], slugs[key], tuple(newest_first(list(members[key].values()))))
        for key in sorted(names, key=lambda k: (names[k].casefold(), slugs[k]))
    )


def collect_people(
    chronological: Sequence[Briefing], register: reg.Register = reg.EMPTY
) -> tuple[Person, ...]:
    """Every person quoted, and every person of the register: one page each, a
    registered person under the register's name whatever spelling each sidecar used."""
    names: dict[str, str] = {}
    said: dict[str, list[Said]] = {}
    entries: dict[str, reg.Entry] = {}
    for briefing in chronological:
        part = key_of(briefing)
        for i, check in enumerate(briefing.quotes):
            ident = register.resolve(check.quote.speaker)
            if ident is not None and register.entry(ident).kind != "person":
                continue  # an organisation speaking: on its own page
            name = register.entry(ident).name if ident else check.quote.speaker
            key = name_key(name)
            names.setdefault(key, name)
            said.setdefault(key, []).append(Said(briefing, i, said_key(part, i)))
    for entry in register.entries.values():
        if entry.kind == "person":
            key = name_key(entry.name)
            names.setdefault(key, entry.name)
            entries[key] = reg.bare(entry)
    mentions = mentioned(chronological, register)
    slugs = assign_slugs(names.items())
    sort = {
        key: name_key(reg.sort_text(entries[key]) if key in entries else sort_name(names[key]))
        for key in names
    }
    people = []
    for key in sorted(names, key=lambda k: (sort[k], name_key(names[k]), slugs[k])):
        quotes = newest_said(said.get(key, []))
        roles = tuple(dict.fromkeys(s.check.quote.role for s in quotes if s.check.quote.role))
        found = entries.get(key)
        ident = register.resolve(found.name) if found else None
        people.append(
            Person(
                names[key],
                slugs[key],
                roles,
                tuple(quotes),
                found,
                mentions.get(ident or "", ()),
                reg.initial(sort[key]),
            )
        )
    return tuple(people)


def said_key(part: str, i: int) -> str:
    """A quote's key as said by a person or an entity: its briefing's key and its place."""
    return f"said:{part}/quote/{i}" if part else ""


def item_key(part: str, i: int) -> str:
    """A timeline entry's key on the merged timeline: its briefing's key and its place."""
    return f"item:{part}/timeline/{i}" if part else ""


def newest_said(said: Sequence[Said]) -> list[Said]:
    return sorted(
        said, key=lambda s: (-(s.check.date or s.briefing.date).toordinal(), s.briefing.slug)
    )


def mentioned(
    chronological: Sequence[Briefing], register: reg.Register
) -> dict[str, tuple[Mentioned, ...]]:
    """Each entry's annotations across the site, newest briefing first."""
    found: dict[str, list[Mentioned]] = {}
    for briefing in reversed(chronological):
        for mention in briefing.mentions:
            if mention.entry in register.entries:
                found.setdefault(mention.entry, []).append(Mentioned(briefing, mention))
    return {ident: tuple(items) for ident, items in found.items()}


def collect_entities(
    chronological: Sequence[Briefing], register: reg.Register
) -> dict[str, tuple[Entity, ...]]:
    """The register's groups, places and events, each with what quotes or annotates it."""
    said: dict[str, list[Said]] = {}
    for briefing in chronological:
        part = key_of(briefing)
        for i, check in enumerate(briefing.quotes):
            ident = register.resolve(check.quote.speaker)
            if ident is not None and register.entry(ident).kind != "person":
                said.setdefault(ident, []).append(Said(briefing, i, said_key(part, i)))
    mentions = mentioned(chronological, register)
    kinds: dict[str, list[Entity]] = {}
    for ident, entry in register.entries.items():
        if entry.kind == "person":
            continue
        sort = name_key(reg.sort_text(entry))
        entity = Entity(
            ident,
            reg.bare(entry),
            tuple(newest_said(said.get(ident, []))),
            mentions.get(ident, ()),
            reg.initial(sort),
        )
        kinds.setdefault(entry.kind, []).append(entity)
    return {
        kind: tuple(sorted(items, key=lambda e: (name_key(reg.sort_text(e.entry)), e.ident)))
        for kind, items in kinds.items()
    }


def source_key(source: Source) -> str:
    """Sources cited by several briefings are one entry when URL or publisher+title match."""
    if source.url:
        return "url:" + source.url.rstrip("/").lower()
    return f"title:{name_key(source.publisher)}:{name_key(source.title)}"


def collect_sources(chronological: Sequence[Briefing]) -> tuple[Publisher, ...]:
    found: dict[str, Source] = {}
    owners: dict[str, tuple[Briefing, str]] = {}
    parts: dict[str, str] = {}
    citing: dict[str, dict[str, Briefing]] = {}
    for briefing in chronological:
        part = key_of(briefing)
        slug = briefing.slug
        for ident, source in briefing.sources.items():
            key = source_key(source)
            cited = citing.get(key)
            if cited is None:
                found[key] = source
                owners[key] = (briefing, ident)
                parts[key] = source_part(part, ident)
                citing[key] = {slug: briefing}
            else:
                cited[slug] = briefing
    by_publisher: dict[str, list[tuple[str, str]]] = {}
    publisher_names: dict[str, str] = {}
    for key, source in found.items():
        name = source.publisher or "Other sources"
        identity = name_key(name)
        publisher_names.setdefault(identity, name)
        by_publisher.setdefault(identity, []).append((source.title.casefold(), key))
    slugs = assign_slugs(publisher_names.items())
    publishers = []
    for identity in sorted(by_publisher, key=lambda i: (publisher_names[i].casefold(), slugs[i])):
        # Most sources are cited once (60,000 of them at 10,000 briefings): one pass,
        # no call per source.
        entries = []
        for _, k in sorted(by_publisher[identity]):
            cited = citing[k]
            if len(cited) == 1:
                (only,) = cited.values()
                key = cited_key(parts[k], [key_of(only)])
                entries.append(CitedSource(*owners[k], (only,), key))
            else:
                entries.append(cited_source(owners[k], parts[k], newest_first([*cited.values()])))
        publishers.append(Publisher(publisher_names[identity], slugs[identity], tuple(entries)))
    return tuple(publishers)


def cited_source(owner: tuple[Briefing, str], part: str, briefings: list[Briefing]) -> CitedSource:
    """A source (its first citing briefing and its id there) and the briefings citing
    it, keyed by theirs when all of them are keyed."""
    key = cited_key(part, [key_of(b) for b in briefings])
    return CitedSource(*owner, tuple(briefings), key)


def source_part(part: str, ident: str) -> str:
    """A source's key within its briefing: the briefing's key and the source's ident."""
    return f"{part}/source/{ident}" if part else ""


def cited_key(part: str, keys: list[str]) -> str:
    """A cited source's key: its own part (source_part) and its citing briefings' keys;
    "" unless all of them are keyed. Keys are hex digests and source ids ([a-z0-9-]): a
    comma cannot occur, so no two lists of parts join to one key."""
    return "cited:" + ",".join([part, *keys]) if part and all(keys) else ""


def row_key(publisher: str, anchor: str, cited: CitedSource) -> str:
    """A row's key: its names (free text: its length says where it ends) and its source's."""
    return f"row:{len(publisher)}:{publisher}|{anchor}|{cited.key}" if cited.key else ""


def merged_timeline(chronological: Sequence[Briefing]) -> tuple[TimelineItem, ...]:
    items = [
        TimelineItem(b, i, item_key(key_of(b), i))
        for b in chronological
        for i in range(len(b.sidecar.timeline))
    ]
    items.sort(key=lambda i: (partial_date_key(i.entry.date), i.briefing.date, i.briefing.slug))
    return tuple(items)


def neighbours(briefings: Sequence[Briefing]) -> dict[str, tuple[Briefing | None, Briefing | None]]:
    """Each briefing's previous (older) and next (newer) one, by slug, for page navigation."""
    chronological = oldest_first(briefings)
    padded: list[Briefing | None] = [None, *chronological, None]
    return {b.slug: (padded[i], padded[i + 2]) for i, b in enumerate(chronological)}
