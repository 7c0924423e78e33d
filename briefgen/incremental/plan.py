"""The page plan: which briefings each page of site/ was made from, kept for the next build.

A page's fingerprint hashes its whole template context (fingerprints.py), and at 10,000
briefings walking all 13,000 contexts was most of a one-sidecar rebuild. The plan lets a
build skip that walk for the pages an edit cannot reach, the way Hugo and Zola track
page dependencies: it records, per page, its fingerprint and the content keys of the
briefings its context holds, and per briefing its *footprint*, everything of it that
decides where it is listed (its slug, date and title, tags, speakers, sources, timeline
dates, mentions, languages). An edit that keeps every changed briefing's footprint
changes no list's membership or order, so only the pages that held a changed briefing
can differ; every other page keeps its recorded fingerprint. Anything else (a briefing
added, deleted or moved between lists, a template, config or register edit) is
planned in full, as a clean build is: correct beats clever.

Pure: the cache (cache.py) stores it, render.py makes and reads it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from briefgen.site.indexes import key_of, source_key
from briefgen.site.indexlayout import Layout
from briefgen.stages.verify import Briefing

KEY_RE = re.compile(r"[0-9a-f]{64}")
"""A content key (a SHA-256 digest) inside an index record's key."""

SMALL_EDIT = 64
"""At most this many briefings changed for a build to plan only what they touch: a
larger change (a register or settings edit re-keys many seeds) is planned in full."""


@dataclass
class Plan:
    """What the last build's pages were made from (see the module's docstring)."""

    base: str = ""
    """Hash of what every page depends on (theme, config, slug collisions): a plan made
    under another base is not used."""
    fingerprints: dict[str, str] = field(default_factory=dict)
    """Page or search file -> the fingerprint it was made with."""
    depends: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Page file -> the content keys of the briefings its context holds."""
    footprints: dict[str, str] = field(default_factory=dict)
    """Content key of every briefing of the site -> its footprint."""
    search: str = ""
    """The fingerprint of the search index's whole document set (render.search_files)."""
    layout: Layout | None = None
    """Where that build's index records stood (indexlayout.py)."""


@dataclass(frozen=True)
class Edit:
    """What changed since the plan, when it is small enough to plan only its pages."""

    removed: frozenset[str]
    """The content keys of the last build that are gone (an edited briefing's old key)."""
    added: frozenset[str]
    """The keys new in this build."""
    reached: frozenset[str]
    """The pages that held a removed briefing: the only pages that may differ."""


def footprint(b: Briefing) -> str:
    """Everything of a briefing that decides which lists hold it, where, and under which
    names: two briefings with one footprint stand in the same places of every index."""
    sidecar = b.sidecar
    parts = (
        b.slug,
        b.date.isoformat(),
        b.title,
        b.draft,
        b.language,
        b.title_language,
        b.site_language,
        tuple(sidecar.tags),
        tuple((q.quote.speaker, q.quote.role, repr(q.date), b.language_of(q)) for q in b.quotes),
        tuple(repr(m) for m in b.mentions),
        # In the sidecar's order: the first source of a key is the one listed, and the
        # first spelling of a publisher its name (indexes.collect_sources).
        tuple((ident, source_key(s), s.publisher, s.title) for ident, s in b.sources.items()),
        tuple(repr(t.date) for t in sidecar.timeline),
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def footprints_of(plan: Plan | None, briefings: Sequence[Briefing]) -> dict[str, str]:
    """Every briefing's footprint by content key: carried from the plan by key, made for
    the rest."""
    known = plan.footprints if plan is not None else {}
    return {(key := key_of(b)): known.get(key) or footprint(b) for b in briefings}


def small_edit(plan: Plan, base: str, replaced: Mapping[str, str] | None) -> Edit | None:
    """The edit since `plan` if only pages holding a changed briefing can differ
    (`replaced`: replaced_keys since the plan)."""
    if plan.base != base or replaced is None or len(replaced) > SMALL_EDIT:
        return None  # other settings; a briefing added, deleted, or moved in some list
    removed = frozenset(replaced)
    reached = frozenset(file for file, held in plan.depends.items() if not removed.isdisjoint(held))
    return Edit(removed, frozenset(replaced.values()), reached)


def replaced_keys(
    plan: Plan, briefings: Sequence[Briefing], footprints: Mapping[str, str]
) -> dict[str, str] | None:
    """Old key -> new key of every briefing changed since `plan`, when each kept its
    footprint (a footprint holds the slug: it names one briefing); None when a
    briefing was added or removed, one changed its footprint, or one has no key of its
    own (`footprints`: footprints_of the briefings)."""
    if "" in footprints or len(footprints) != len(briefings):
        return None
    known = plan.footprints
    added = footprints.keys() - known.keys()
    removed = known.keys() - footprints.keys()
    by_print = {known[k]: k for k in removed}
    if len(added) != len(removed) or len(by_print) != len(removed):
        return None
    replaced: dict[str, str] = {}
    for key in added:
        old = by_print.get(footprints[key])
        if old is None:
            return None
        replaced[old] = key
    return replaced


def depends(keys: Iterable[str], canonical: Mapping[str, str]) -> tuple[str, ...]:
    """The content keys of the briefings behind the keyed records a context holds (their
    keys, as fingerprints.fingerprint collects them, embed their briefings' keys), in a
    fixed order; each the one string of `canonical`, so a stored plan holds a key once."""
    found = set(KEY_RE.findall(" ".join(keys)))  # one search: a space is not hex
    return tuple(sorted(canonical.get(k, k) for k in found))


def canonical_keys(keys: Iterable[str]) -> dict[str, str]:
    return {key: key for key in keys}
