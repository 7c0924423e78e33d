"""Page planning: every page of the site, its file, its template context and its links.

Pure: from briefing views and the config to a list of `Page`s, in a fixed order. A
page's context is what fingerprints it; a briefing's own page loads its full data only
when it is rendered (`Page.expand`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from briefgen.site.indexes import (
    Entity,
    Indexes,
    Person,
    Slugs,
    Tag,
    build_indexes,
    neighbours,
    newest_first,
)
from briefgen.stages.config import Config
from briefgen.stages.document import LazyDocument, resolve_page_links
from briefgen.stages.markdown import CITATION_RE
from briefgen.stages.register import EMPTY, FOLDERS, HEADINGS, Register
from briefgen.stages.verify import Briefing
from briefgen.vocabulary import urls
from briefgen.vocabulary.labels import ENGLISH, Labels


@dataclass(frozen=True)
class Page:
    """One HTML page to render."""

    file: str
    """Output path under site/, e.g. `briefings/x/index.html`."""
    template: str
    context: Mapping[str, Any]
    title: str = ""
    modified: dt.date | None = None
    """For the sitemap's lastmod."""
    expand: Callable[[], Mapping[str, Any]] | None = None
    """More context, computed only when the page is rendered: a briefing's full data and
    body, loaded from the cache. It derives from `context`, which fingerprints the page."""
    loads: Briefing | None = None
    """The briefing whose full data `expand` loads."""


@dataclass(frozen=True)
class Listed:
    """One line of an index of tags, people or register entries: a name, its page's slug
    and how much of the site is filed under it.

    Only what the briefings' footprints decide (plan.py), and no briefing or record:
    after an edit that keeps every footprint, the tags, people and register indexes
    cannot change, and are neither fingerprinted nor rendered again. When their context
    held each tag's briefings and each person's quotes, those two pages held every
    briefing of the site, and one edit at 10,000 briefings keyed 95,693 records, most of
    them theirs, to show names and counts.
    """

    name: str
    slug: str
    """The page's slug (a register entry's id, for groups, places and events)."""
    initial: str = ""
    """The index letter it is listed under (people and register entries)."""
    roles: tuple[str, ...] = ()
    """A person's roles, most recent first."""
    briefing_count: int = 0
    """The briefings carrying a tag."""
    quote_count: int = 0
    mention_count: int = 0
    """The quotes of a person or entry, and the annotations on them."""


def listed_tag(tag: Tag) -> Listed:
    return Listed(tag.name, tag.slug, briefing_count=len(tag.briefings))


def listed_person(person: Person) -> Listed:
    return Listed(
        person.name,
        person.slug,
        person.initial,
        person.roles,
        quote_count=len(person.quotes),
        mention_count=len(person.mentions),
    )


def listed_entity(entity: Entity) -> Listed:
    name, ident, initial = entity.entry.name, entity.ident, entity.initial
    quotes, mentions = len(entity.quotes), len(entity.mentions)
    return Listed(name, ident, initial, quote_count=quotes, mention_count=mentions)


def briefing_file(slug: str) -> str:
    return urls.page_file(f"briefings/{slug}")


def tag_file(slug: str) -> str:
    return urls.page_file(f"tags/{slug}")


def person_file(slug: str) -> str:
    return urls.page_file(f"people/{slug}")


def entity_file(kind: str, ident: str) -> str:
    """A register entry's page other than a person's: groups/<id>/, places/<id>/, …"""
    return urls.page_file(f"{FOLDERS[kind]}/{ident}")


def kind_heading(kind: str, labels: Labels = ENGLISH) -> str:
    """The title of a kind's index page (`HEADINGS`), in the site's words."""
    headings = {
        "person": labels.gettext("People"),
        "organisation": labels.gettext("Groups"),
        "place": labels.gettext("Places"),
        "event": labels.gettext("Events"),
    }
    return headings.get(kind, HEADINGS.get(kind, kind))


def all_of_kind(kind: str, labels: Labels = ENGLISH) -> str:
    """The link back from an entry's page to its kind's index: `All groups`, …"""
    links = {
        "person": labels.gettext("All people"),
        "organisation": labels.gettext("All groups"),
        "place": labels.gettext("All places"),
        "event": labels.gettext("All events"),
    }
    return links.get(kind, kind)


def entity_pages(index: Indexes, size: int, labels: Labels = ENGLISH) -> list[Page]:
    """The register's groups, places and events: an index per kind and pages each."""
    pages = []
    for kind in ("organisation", "place", "event"):
        entities = index.entities.get(kind, ())
        if not entities and kind == "event":
            continue  # groups/ and places/ are in the navigation; events/ only when used
        folder = FOLDERS[kind]
        heading = kind_heading(kind, labels)
        every = all_of_kind(kind, labels)
        listed = [listed_entity(entity) for entity in entities]
        context = {"entities": listed, "kind": kind, "heading": heading}
        pages.append(Page(f"{folder}/index.html", "entities.html", context, heading))
        for entity in entities:
            about = {
                "entity": listed_entity(entity),
                "entry": entity.entry,
                "heading": heading,
                "folder": folder,
                "all_of_kind": every,
            }
            lists = {"quotes": entity.quotes, "mentions": entity.mentions}
            name = entity.entry.name
            pages += paginated(
                f"{folder}/{entity.ident}", "entity.html", lists, size, about, name, labels
            )
    return pages


@dataclass(frozen=True)
class Pagination:
    """Where a page of a long list stands: its number, and its neighbours' files."""

    number: int
    total: int
    newer: str | None
    """The previous page (newer briefings), or None on the first."""
    older: str | None
    """The next page (older briefings), or None on the last."""


def paginated(
    folder: str,
    template: str,
    lists: Mapping[str, Sequence[Any]],
    size: int,
    context: Mapping[str, Any],
    title: str,
    labels: Labels = ENGLISH,
) -> list[Page]:
    """Long lists split into pages of `size`: folder/, folder/page/2/, …

    So the home, tag, person, timeline and sources pages stay small (and cheap to
    rebuild) however large the archive grows; each page links to its neighbours. Each
    page has its slice of each list in its context under the list's name: page k shows
    the k-th `size` items of each, so a person's quotes and the notes on them run side
    by side, and there are as many pages as the longest list needs (one when all are
    empty).
    """
    count = max([-(-len(items) // size) for items in lists.values()] + [1])
    files = [
        urls.page_file(folder if k == 0 else f"{folder}/page/{k + 1}".lstrip("/"))
        for k in range(count)
    ]
    pages = []
    for k in range(count):
        newer = files[k - 1] if k > 0 else None
        older = files[k + 1] if k + 1 < count else None
        pagination = Pagination(k + 1, count, newer, older)
        page_title = (
            title
            if k == 0
            else labels.gettext("%(title)s (page %(number)s)", title=title, number=k + 1)
        )
        chunks = {key: items[k * size : (k + 1) * size] for key, items in lists.items()}
        data = {**context, **chunks, "pagination": pagination}
        pages.append(Page(files[k], template, data, page_title))
    return pages


def structured_data(b: Briefing, config: Config) -> dict[str, Any]:
    """schema.org data for search engines: an analysis of a news article, with its sources."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "AnalysisNewsArticle",
        "headline": b.title,
        "datePublished": b.date.isoformat(),
        "description": " ".join(CITATION_RE.sub("", b.sidecar.summary).split()),
        "inLanguage": config.language,
        "keywords": list(b.sidecar.tags),
        "publisher": {"@type": "Organization", "name": config.title},
        "citation": [
            {
                "@type": "CreativeWork",
                "name": s.title,
                **({"url": s.url} if s.url else {}),
                **(
                    {"publisher": {"@type": "Organization", "name": s.publisher}}
                    if s.publisher
                    else {}
                ),
            }
            for s in b.sources.values()
        ],
    }
    article = b.sources["article"]
    data["isBasedOn"] = {
        "@type": "NewsArticle",
        "headline": article.title,
        "inLanguage": b.original_language,
    }
    if article.url:
        data["isBasedOn"]["url"] = article.url
    if config.site_url:
        data["url"] = urls.absolute(config.site_url, briefing_file(b.slug), config.directory_urls)
    return data


Load = Callable[[Briefing], tuple[Briefing, str]]
"""A briefing's full data and body HTML, from its index view (see indexes.index_view)."""


def briefing_page(
    b: Briefing,
    older: Briefing | None,
    newer: Briefing | None,
    config: Config,
    load: Load,
    labels: Labels = ENGLISH,
    slugs: Slugs | None = None,
    register: Register = EMPTY,
) -> Page:
    """A briefing's own page: fingerprinted by the briefing and its neighbours, rendered
    from the full briefing, which is loaded only then; its links to people's pages go
    where the site's `slugs` put them, and its document's speakers to the `register`'s
    entries."""

    file = briefing_file(b.slug)

    def expand() -> dict[str, Any]:
        full, body = load(b)
        return {
            "briefing": full,
            "content": Markup(resolve_page_links(body, entity_target(file, config, slugs))),
            "document": LazyDocument(full, labels, register),
            "speakers": list(dict.fromkeys(q.quote.speaker for q in full.quotes)),
            "structured_data": structured_data(full, config),
        }

    context = {"briefing": b, "older": older, "newer": newer}
    return Page(file, "briefing.html", context, b.title, b.date, expand, loads=b)


def site_pages(
    briefings: Sequence[Briefing],
    config: Config,
    load: Load,
    search_index: Mapping[str, object] | None = None,
    index: Indexes | None = None,
    register: Register = EMPTY,
    labels: Labels = ENGLISH,
) -> list[Page]:
    """Every HTML page of the site, in a fixed order, titled in the site's words."""
    words = labels
    ordered = newest_first(briefings)
    index = index or build_indexes(briefings, register)
    near = neighbours(briefings)
    size = config.page_size
    pages = paginated("", "home.html", {"briefings": ordered}, size, {}, config.title, labels)
    for b in ordered:
        older, newer = near[b.slug]
        pages.append(briefing_page(b, older, newer, config, load, labels, index.slugs, register))
    tags = {"tags": [listed_tag(tag) for tag in index.tags]}
    pages.append(Page("tags/index.html", "tags.html", tags, words.gettext("Tags")))
    for tag in index.tags:
        folder = tag_file(tag.slug).removesuffix("index.html").rstrip("/")
        context = {"tag": listed_tag(tag)}  # each page shows its slice: `briefings`
        title = words.gettext("Tag: %(name)s", name=tag.name)
        tagged = {"briefings": tag.briefings}
        pages += paginated(folder, "tag.html", tagged, size, context, title, labels)
    people = words.gettext("People")
    lines = [listed_person(person) for person in index.people]
    pages.append(Page("people/index.html", "people.html", {"people": lines}, people))
    for person, line in zip(index.people, lines, strict=True):
        # Each page shows its slices, `quotes` and `mentions`: a page holding every quote
        # of someone quoted 400 times was most of what one edit at 10,000 briefings made.
        about = {"person": line, "entry": person.entry}
        lists = {"quotes": person.quotes, "mentions": person.mentions}
        folder = f"people/{person.slug}"
        pages += paginated(folder, "person.html", lists, size, about, person.name, labels)
    pages += entity_pages(index, size, labels)
    long_list = config.page_size * 4  # entries are a line each, briefings a paragraph
    sources, timeline = words.gettext("Sources"), words.gettext("Timeline")
    rows, items = {"rows": index.rows}, {"items": index.timeline}
    pages += paginated("sources", "sources.html", rows, long_list, {}, sources, labels)
    pages += paginated("timeline", "timeline.html", items, long_list, {}, timeline, labels)
    search_page = {"search_index": dict(search_index or {})}
    search = words.gettext("Search")
    pages.append(Page("search/index.html", "search.html", search_page, search))
    pages.append(Page("404.html", "404.html", {}, words.gettext("Page not found")))
    return pages


def entity_target(page_file: str, config: Config, slugs: Slugs | None) -> Callable[[str, str], str]:
    """The link from a page to an entity's: a person's by name (wherever the site's
    slugs put it), a register entry's by kind and id."""
    url = linker(page_file, config)
    found = slugs or Slugs({}, {})

    def target(kind: str, value: str) -> str:
        if kind == "person":
            return url(person_file(found.person(value)))
        return url(entity_file(kind, value))

    return target


def feed_linker(config: Config) -> Callable[[str], str]:
    """Feed links: absolute under `site_url`; relative to feed.xml (the site root) otherwise."""
    if config.site_url:
        site_url = config.site_url
        return lambda target: urls.absolute(site_url, target, config.directory_urls)
    return lambda target: urls.relative("feed.xml", target, config.directory_urls)


def linker(page_file: str, config: Config) -> Callable[[str], str]:
    """`url(target)` for templates: the link from this page to another generated file.

    404.html is served by GitHub at whatever path was missed, so relative links cannot
    work there: it links absolutely when `site_url` is known, from the root otherwise.
    """
    if page_file == "404.html":
        return feed_linker(config)
    return lambda target: urls.relative(page_file, target, config.directory_urls)
