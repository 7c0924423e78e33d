"""Where the last build's index records stood, by briefing: refilled after a small edit.

build_indexes groups and sorts every quote, source, timeline entry and tag of the site:
at 10,000 briefings (60,000 quotes, 60,000 sources) that was a fifth of a one-sidecar
rebuild. Everything its grouping and order read is in a briefing's footprint (plan.py):
its slug, date and title, tags, speakers, roles and quote dates, mentions, sources'
identities, timeline dates. So when every changed briefing keeps its footprint, every
record stays where it was, and only the objects it holds change. A `Layout` records
where each record stood, by briefing number and place in the briefing (quote i,
source ident, timeline entry i, mention j); `refill` builds the same records from the
current briefings, without grouping or sorting anything. Whatever else changed (the
register, a footprint, a briefing added or removed), the indexes are built in full.

Pure: plan.py keeps a Layout with the page plan; render.py asks for it.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

from briefgen.site.indexes import (
    CitedSource,
    Entity,
    Indexes,
    Mentioned,
    Person,
    Publisher,
    Records,
    Said,
    Tag,
    TimelineItem,
    cited_key,
    indexes_of,
    item_key,
    key_of,
    said_key,
    source_part,
)
from briefgen.stages import register as reg
from briefgen.stages.verify import Briefing
from briefgen.vocabulary.names import name_key

Places: TypeAlias = "array[int]"
"""Briefings by number, or (briefing number, place) pairs flattened: quote i, timeline
entry i or mention j of that briefing. Arrays of C ints, not tuples of Python ints: at
10,000 briefings the layout is 200,000 places, and as tuples it was 25 MB of a cold
build's peak memory."""


Made = TypeVar("Made")


def places(values: Iterable[int]) -> Places:
    return array("i", values)


def placed(flat: Places, make: Callable[[int, int], Made]) -> Records[Made]:
    """The records at these (briefing number, place) pairs, each made when read."""
    return Records(len(flat) // 2, lambda q: make(flat[2 * q], flat[2 * q + 1]))


@dataclass(frozen=True)
class Layout:
    """Where every record of an Indexes stood (see the module's docstring)."""

    keys: tuple[str, ...]
    """The content keys of the briefings, numbered."""
    register: str
    """The register's digest: its entries are the people's and entities' own."""
    tags: tuple[tuple[str, str, Places], ...]
    """(name, slug, its briefings) per tag."""
    people: tuple[tuple[str, str, tuple[str, ...], Places, Places, str], ...]
    """(name, slug, roles, quotes, mentions, initial) per person."""
    publishers: tuple[tuple[str, str, Places, tuple[str, ...]], ...]
    """(name, slug, sources, idents) per publisher. Each source is, flattened, the
    briefing whose source it is, how many briefings cite it, and those briefings; the
    idents say which of its owner's sources each is."""
    timeline: Places
    entities: tuple[tuple[str, tuple[tuple[str, Places, Places, str], ...]], ...]
    """(kind, its entities) per kind; an entity is (ident, quotes, mentions, initial)."""


def layout_of(index: Indexes, briefings: Sequence[Briefing], register: str) -> Layout | None:
    """The layout of an Indexes made from `briefings`; None when a briefing has no key."""
    keys = tuple(key_of(b) for b in briefings)
    if not all(keys):
        return None
    number = {key: n for n, key in enumerate(keys)}

    def said(records: Sequence[Said]) -> Places:
        return places(x for s in records for x in (number[key_of(s.briefing)], s.at))

    def mentioned(records: Sequence[Mentioned]) -> Places:
        return places(x for m in records for x in (number[key_of(m.briefing)], place(m)))

    def sources(cited: Sequence[CitedSource]) -> tuple[Places, tuple[str, ...]]:
        flat = places(())
        idents = []
        for c in cited:
            flat.extend((number[key_of(c.owner)], len(c.briefings)))
            flat.extend(number[key_of(b)] for b in c.briefings)
            idents.append(sys.intern(c.ident))  # a few idents, in every briefing
        return flat, tuple(idents)

    return Layout(
        keys,
        register,
        tuple((t.name, t.slug, places(number[key_of(b)] for b in t.briefings)) for t in index.tags),
        tuple(
            (p.name, p.slug, p.roles, said(p.quotes), mentioned(p.mentions), p.initial)
            for p in index.people
        ),
        tuple((p.name, p.slug, *sources(p.sources)) for p in index.publishers),
        places(x for t in index.timeline for x in (number[key_of(t.briefing)], t.at)),
        tuple(
            (
                kind,
                tuple(
                    (e.ident, said(e.quotes), mentioned(e.mentions), e.initial) for e in entities
                ),
            )
            for kind, entities in index.entities.items()
        ),
    )


def place(m: Mentioned) -> int:
    """Which of its briefing's mentions a record holds (by identity: two may be equal)."""
    return next(j for j, mention in enumerate(m.briefing.mentions) if mention is m.mention)


def renumbered(layout: Layout, replaced: Mapping[str, str]) -> Layout:
    """The same layout with briefings' keys replaced (an edited briefing's old key by its
    new one)."""
    keys = tuple(replaced.get(key, key) for key in layout.keys)
    return Layout(
        keys,
        layout.register,
        layout.tags,
        layout.people,
        layout.publishers,
        layout.timeline,
        layout.entities,
    )


@dataclass(frozen=True)
class Refilled:
    """An Indexes, the layout it stands in and its views by briefing number: what a
    long-running server (serve: incremental/warm.py) keeps of its last build, so that
    its next refill takes the tags, and a full build's records, whose briefings are the
    very same objects (the server's kept entries) rather than make them again. (Made
    at once, the records were 0.4 s of a one-sidecar rebuild at 10,000 briefings; a
    refill's are made when read, and there is little left to take.)"""

    index: Indexes
    layout: Layout
    views: tuple[Briefing, ...]


def refill(
    layout: Layout,
    briefings: Sequence[Briefing],
    register: reg.Register,
    kept: Refilled | None = None,
) -> Indexes | None:
    """The Indexes build_indexes would make of `briefings`, from where the records stood;
    None when the layout is not theirs (other keys, another register). Records are
    made when read (indexes.Records), so a page the edit does not reach costs none.
    `kept`: the last build's, in this very layout (but for keys replaced:
    renumbered): a tag, or a full build's list of quotes or notes, all of whose
    briefings are the objects it holds is taken as it is."""
    by_key = {key_of(b): b for b in briefings}
    if layout.register != register.digest or len(by_key) != len(layout.keys):
        return None
    try:
        views = [by_key[key] for key in layout.keys]
    except KeyError:
        return None
    keys = layout.keys
    taking = kept is not None and len(kept.views) == len(views)
    old = kept.index if kept is not None and taking else None
    same = [v is o for v, o in zip(views, kept.views, strict=True)] if kept and taking else []

    def all_same(at: Places, step: int = 2) -> bool:
        return bool(same) and all(same[n] for n in at[::step])

    # Records are made as pages read them (indexes.Records): a page the edit does not
    # reach reads none. A kept tuple (a full build's) is taken whole where all its
    # briefings are the same objects; a kept Records never is, nor read from: its makers
    # hold their build's views, and a server taking them would keep every build's.
    def said(at: Places, before: Sequence[Said] | None) -> Sequence[Said]:
        if isinstance(before, tuple) and all_same(at):
            return before
        return placed(at, lambda n, i: Said(views[n], i, said_key(keys[n], i)))

    def mentioned(at: Places, before: Sequence[Mentioned] | None) -> Sequence[Mentioned]:
        if isinstance(before, tuple) and all_same(at):
            return before
        return placed(at, lambda n, j: Mentioned(views[n], views[n].mentions[j]))

    def cited(flat: Places, idents: Sequence[str]) -> Sequence[CitedSource]:
        """A publisher's sources: `flat` holds, for each, its owner, how many briefings
        cite it and which."""
        starts = []
        n = 0
        for _ident in idents:
            starts.append(n)
            n += 2 + flat[n + 1]
        if n != len(flat):
            raise ValueError("a publisher's sources and their places disagree")

        def make(s: int) -> CitedSource:
            n = starts[s]
            owner, count = flat[n], flat[n + 1]
            numbers = flat[n + 2 : n + 2 + count]
            ident = idents[s]
            key = cited_key(source_part(keys[owner], ident), [keys[c] for c in numbers])
            return CitedSource(views[owner], ident, tuple(views[c] for c in numbers), key)

        return Records(len(idents), make)

    entries: dict[str, reg.Entry] = {}
    for entry in register.entries.values():  # as collect_people finds a person's entry
        if entry.kind == "person":
            entries[name_key(entry.name)] = reg.bare(entry)
    tags = tuple(
        old.tags[t]
        if old and all_same(members, 1)
        else Tag(name, slug, tuple(views[n] for n in members))
        for t, (name, slug, members) in enumerate(layout.tags)
    )
    people = tuple(
        Person(
            name,
            slug,
            roles,
            said(quotes, old.people[p].quotes if old else None),
            entries.get(name_key(name)),
            mentioned(mentions, old.people[p].mentions if old else None),
            initial,
        )
        for p, (name, slug, roles, quotes, mentions, initial) in enumerate(layout.people)
    )
    publishers = tuple(
        Publisher(name, slug, cited(flat, idents)) for name, slug, flat, idents in layout.publishers
    )
    entities: dict[str, tuple[Entity, ...]] = {}
    for kind, items in layout.entities:
        last = old.entities.get(kind, ()) if old else ()
        entities[kind] = tuple(
            Entity(
                ident,
                reg.bare(register.entries[ident]),
                said(quotes, last[e].quotes if e < len(last) else None),
                mentioned(mentions, last[e].mentions if e < len(last) else None),
                initial,
            )
            for e, (ident, quotes, mentions, initial) in enumerate(items)
        )
    timeline = placed(layout.timeline, lambda n, i: TimelineItem(views[n], i, item_key(keys[n], i)))
    return indexes_of(tags, people, publishers, timeline, entities)
