"""Stage 7 of the pipeline: the site's pages and files made, each handed on as made.

Rendering returns values: every file goes to the `write` the pipeline gives (the output
sink), as soon as it is made, so a site of any size is never held in memory whole.
Render workers are forked from the build's one pool (workers.py) once the site is
planned, and inherit it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import jinja2
import jinja2.meta
from markupsafe import Markup

from briefgen.incremental.fingerprints import fingerprint
from briefgen.incremental.plan import (
    Edit,
    Plan,
    canonical_keys,
    depends,
    footprints_of,
    replaced_keys,
    small_edit,
)
from briefgen.site import search
from briefgen.site.feed import atom_feed, sitemap
from briefgen.site.indexes import (
    Indexes,
    Slugs,
    build_indexes,
    key_of,
    newest_first,
    read_whole,
)
from briefgen.site.indexlayout import Layout, Refilled, layout_of, refill, renumbered
from briefgen.site.pages import (
    Load,
    Page,
    briefing_file,
    entity_file,
    feed_linker,
    linker,
    person_file,
    site_pages,
    tag_file,
)
from briefgen.site.template_errors import template_error, template_frame, template_label
from briefgen.site.theme import ASSETS, SUMMARIES, Theme
from briefgen.stages.config import Config
from briefgen.stages.register import EMPTY, Register
from briefgen.stages.verify import Briefing
from briefgen.vocabulary import urls
from briefgen.vocabulary.errors import BriefgenError, error
from briefgen.vocabulary.hashing import content_hash, digest
from briefgen.vocabulary.labels import Labels
from briefgen.vocabulary.languages import (
    arrows,
    attributes_html,
    direction,
    in_language,
    quotation_marks,
)
from briefgen.workers import Progress, can_fork, forked, inherited, no_progress


@dataclass
class SiteOutput:
    """What went into site/: each file's fingerprint, and which were made anew."""

    fingerprints: dict[str, str] = field(default_factory=dict)
    """What each file was made from (see fingerprints.py)."""
    rendered: list[str] = field(default_factory=list)
    """Pages and search shards made anew (the rest were reused)."""
    plan: Plan | None = None
    """What its pages were made from, for the next build (see plan.py)."""
    work: dict[str, int] = field(default_factory=dict)
    """What it took, counted: pages, pages fingerprinted, keyed records they hold, term
    shards made, whether the edit was planned small (1) or in full (0), and views read
    whole in this process (indexes.BriefingView: the rest are never unpickled)."""
    refilled: Refilled | None = None
    """The index records and where they stand, when asked to keep them (`keep`)."""


Place = Callable[[Sequence[tuple[str, str]]], list[bool]]
"""[(file, fingerprint)] -> for each, True when the output already has the file made
from the same inputs (kept or linked from a previous build), so it need not be made
again. Asked of many files at once: a site of 10,000 briefings has 25,000."""
Check = Callable[[Sequence[Briefing]], None]
"""Told, in this process, the briefings whose pages are about to be rendered, before any
worker starts: makes sure `load` will find their full data sound (see preparing.Seeds)."""


def made(data: bytes) -> Callable[[], bytes]:
    """A file's bytes, already made."""
    return lambda: data


def never_placed(files: Sequence[tuple[str, str]]) -> list[bool]:
    return [False] * len(files)


def no_check(briefings: Sequence[Briefing]) -> None:
    del briefings


Recall = Callable[[str], bytes | None]
"""(file) -> the last build's bytes of that site/ file, if it is still as recorded."""

Write = Callable[[str, bytes], None]
"""(file, bytes): one file of site/, handed to the output sink as soon as it is made."""


def render_site(
    briefings: Sequence[Briefing],
    config: Config,
    theme: Theme,
    write: Write,
    load: Load,
    *,
    progress: Progress = no_progress,
    place: Place = never_placed,
    summaries: Mapping[str, str] | None = None,
    jobs: int = 1,
    check: Check = no_check,
    register: Register = EMPTY,
    previous: Plan | None = None,
    before: Mapping[str, Briefing] | None = None,
    recall: Recall | None = None,
    kept: Refilled | None = None,
    keep: bool = False,
) -> SiteOutput:
    """Make every file of site/ and hand it to `write`: pages, feed, sitemap, search,
    assets.

    `briefings` are index views; `load` gives a briefing's full data for its own page.
    Each page is fingerprinted from its template context (views and index records by
    the content keys they carry); a page whose fingerprint `place` finds unchanged is
    put in place by the reuse side instead of being rendered.

    With `previous` (the last build's plan, empty when there was none), the build is
    planned for the next (`SiteOutput.plan`), and after a small edit only the pages
    and search shards it reaches are fingerprinted and made (see plan.py); `before`
    holds the last build's views of the briefings that edit removed, `recall` the
    last build's files. `kept`: the last build's index records, whose records the
    refill takes where their briefings are the same objects (indexlayout.Refilled);
    `keep`: whether to return this build's (`SiteOutput.refilled`) for the next.
    """
    site = SiteOutput()
    ordered = newest_first(briefings)
    search_link = linker("search/index.html", config)

    def search_url(b: Briefing) -> str:
        return search_link(briefing_file(b.slug))

    footprints = footprints_of(previous, briefings) if previous is not None else {}
    replaced = replaced_keys(previous, briefings, footprints) if previous is not None else None
    index, layout, refilled = indexes(briefings, register, previous, replaced, kept)
    del kept  # what was not taken goes now
    site.work["index refilled"] = int(refilled)
    if keep and layout is not None:
        by_key = {key_of(b): b for b in briefings}
        site.refilled = Refilled(index, layout, tuple(by_key[key] for key in layout.keys))
    search_page = search.page_context(briefings, config.language)
    pages = site_pages(briefings, config, load, search_page, index, register, theme.labels)
    base = digest(theme.csp, repr(config), repr(index.slugs.collided))
    stable = digest(base, theme.digest, register.digest)  # a register edit: in full
    edit = small_edit(previous, stable, replaced) if previous else None
    if edit and previous and previous.depends.keys() != {page.file for page in pages}:
        edit = None  # not the same pages: planned in full
    plan = site.plan = (
        Plan(stable, footprints=footprints, layout=layout) if previous is not None else None
    )
    canonical = canonical_keys(footprints)
    site.work.update({"pages": len(pages), "small edit": int(edit is not None)})
    fingerprinted = keyed = 0
    for page in pages:
        if plan is not None and previous and edit and page.file not in edit.reached:
            site.fingerprints[page.file] = previous.fingerprints[page.file]
            plan.depends[page.file] = previous.depends[page.file]
            continue
        keys: set[str] | None = set() if plan is not None else None
        template = theme.template_digest(page.template)
        fp = digest(base, template, page.file, fingerprint(page.context, keys))
        site.fingerprints[page.file] = fp
        fingerprinted += 1
        if plan is not None and keys is not None:
            plan.depends[page.file] = depends(keys, canonical)
            keyed += len(keys)
    found = place([(page.file, site.fingerprints[page.file]) for page in pages])
    todo = [i for i, in_place in enumerate(found) if not in_place]
    site.work.update({"pages fingerprinted": fingerprinted, "records keyed": keyed})
    if plan is not None:
        plan.fingerprints.update((page.file, site.fingerprints[page.file]) for page in pages)
    check([page.loads for page in (pages[i] for i in todo) if page.loads is not None])
    theme.preload(pages[i].template for i in todo)
    job = RenderJob(pages, config, theme, write, dict(summaries or {}), index.slugs)
    listed = [(p.file, p.modified) for p in pages if p.file != "404.html"]
    del pages, index  # the job holds what rendering needs
    searched: list[str] = []

    def search_meanwhile() -> None:
        """The search index, made while the render workers render (or after the pages
        when they are rendered here). The job lets go of the pages first: their
        contexts and the indexes go before the search index is made, which then
        reuses their memory (90 MB at 10,000 briefings); the workers were forked from
        a process without it, and have their own copy of the pages."""
        job.let_go()
        searched.extend(
            search_files(
                briefings,
                base,
                place,
                search_url,
                site,
                Changes(previous, edit, before or {}, recall),
                labels=theme.labels,
                write=write,
                progress=progress,
            )
        )

    site.rendered = render_all(job, todo, jobs, progress, meanwhile=search_meanwhile)
    site.rendered += searched
    extras = {file: (digest(data), made(data)) for file, data in theme.assets.items()}
    extras[".nojekyll"] = (digest(b""), made(b""))
    # The feed, by what it shows: its briefings (each by its content key) and the newest
    # date. The sitemap lists every page with its date: after a small edit, the same.
    newest = ordered[0].date.isoformat() if ordered else ""
    feed = fingerprint(ordered[: config.feed_limit])
    extras["feed.xml"] = (
        digest(base, "feed.xml", newest, feed),
        lambda: atom_feed(ordered, config, feed_linker(config), lambda b: briefing_file(b.slug)),
    )
    if config.site_url:
        same = previous.fingerprints.get("sitemap.xml") if previous and edit else None
        if same:
            extras["sitemap.xml"] = (same, lambda: sitemap(listed, config))
        else:
            mapped = sitemap(listed, config)
            extras["sitemap.xml"] = (digest(mapped), made(mapped))
    if config.cname:
        cname = (config.cname.strip() + "\n").encode("utf-8")
        extras["CNAME"] = (digest(cname), made(cname))
    site.fingerprints.update((file, fp) for file, (fp, _) in extras.items())
    if plan is not None:
        plan.fingerprints.update((file, fp) for file, (fp, _) in extras.items())
    found = place([(file, site.fingerprints[file]) for file in extras])
    for (file, (_, make)), in_place in zip(extras.items(), found, strict=True):
        if not in_place:
            write(file, make())
    site.rendered.sort()
    site.work["views read"] = sum(map(read_whole, briefings))  # in this process
    return site


def indexes(
    briefings: Sequence[Briefing],
    register: Register,
    previous: Plan | None,
    replaced: Mapping[str, str] | None,
    kept: Refilled | None = None,
) -> tuple[Indexes, Layout | None, bool]:
    """The site's index records, where they stand for the next build (when one is
    planned), and whether they were refilled from the last build's layout (when every
    briefing changed since kept its footprint, `replaced`: plan.replaced_keys, and
    indexlayout.py) rather than built; `kept`: the records of the build whose layout
    it is, if this process has them (taken only if their layout is the plan's)."""
    if previous is not None and previous.layout is not None and replaced is not None:
        layout = renumbered(previous.layout, replaced) if replaced else previous.layout
        same = kept if kept is not None and kept.layout == previous.layout else None
        index = refill(layout, briefings, register, same)
        if index is not None:
            return index, layout, True
    index = build_indexes(briefings, register)
    if previous is None:
        return index, None, False
    return index, layout_of(index, briefings, register.digest), False


@dataclass(frozen=True)
class Changes:
    """What the last build left for this one to update rather than make anew."""

    previous: Plan | None = None
    """The last build's plan (None: nothing is planned, as for `briefgen check`)."""
    edit: Edit | None = None
    """The edit since then, when it is small (plan.small_edit)."""
    before: Mapping[str, Briefing] = field(default_factory=dict)
    """The last build's views of the briefings the edit removed, by their keys."""
    recall: Recall | None = None
    """The last build's bytes of a site/ file, if it is still as written."""


def search_files(
    briefings: Sequence[Briefing],
    base: str,
    place: Place,
    link: Callable[[Briefing], str],
    site: SiteOutput,
    changes: Changes = Changes(),
    *,
    labels: Labels,
    write: Write,
    progress: Progress = no_progress,
) -> list[str]:
    """Make the search index's files that are not in place yet, in this process, each
    handed to `write` as it is made (a briefing's text file too: 40 MB of them at
    10,000 briefings were held until the last); returns them. `progress` is told of
    each briefing's text file, fingerprinted once each: the index is a tenth of a cold
    build, and a progress line that stood still through it looked like a hang.

    Term shards and document chunks hold every briefing. When none changed, they keep
    their fingerprints; after a small edit in place (the same slugs, so the same doc
    numbers), only the term shards holding a term of an edited text before or after
    are updated from their last bytes; otherwise all are made, each fingerprinted by
    its bytes. A briefing's text file is made when that briefing changed.
    """
    texts: list[str] = []
    counted = 0
    previous, edit = changes.previous, changes.edit
    recorded = previous.fingerprints if previous is not None else {}
    planned = site.plan.fingerprints if site.plan is not None else {}

    def fingerprinted(b: Briefing) -> str:
        """A briefing's text file, fingerprinted now; "" if it was already (once).
        After a small edit, a briefing the edit did not change keeps the fingerprint
        the plan recorded (its key and slug, and the plan's base, are the same): 10,000
        digests were 0.05 s of an edit."""
        nonlocal counted
        file = search.text_file(b.slug)
        if file in site.fingerprints:
            return ""
        fp = recorded.get(file) if edit is not None and key_of(b) not in edit.added else None
        site.fingerprints[file] = planned[file] = fp or digest(base, file, fingerprint([b]))
        counted += 1
        progress("search index", counted, len(briefings))
        return file

    def text(b: Briefing, found: list[search.Passage] | None = None) -> None:
        """A briefing's text file, made if it is not in place, as soon as its passages
        are found (the index is being made)."""
        if (file := fingerprinted(b)) and not place([(file, site.fingerprints[file])])[0]:
            write(file, search.text_script(b, found))
            texts.append(file)

    whole = digest(base, "search", labels.digest, fingerprint(search.ordered(briefings)))
    files = search.index_files(briefings)
    if site.plan is not None:
        site.plan.search = whole
    made: dict[str, bytes] | None = None
    if previous is not None and previous.search and all(f in recorded for f in files):
        made = {} if previous.search == whole else patched_index(briefings, changes)
    if made is None:
        made = search.make_index(briefings, link, labels.date, text)
    missing = unplaced(files, made, recorded, base, place, site)
    if any(file not in made for file in missing):  # a file to carry is lost: make all
        made = search.make_index(briefings, link, labels.date, text)
        missing = unplaced(missing, made, {}, base, place, site)
    for file in missing:
        write(file, made[file])
    site.work["term shards made"] = sum(1 for file in made if file.startswith("search/t/"))
    del made
    rest = [(b, file) for b in briefings if (file := fingerprinted(b))]
    found = place([(file, site.fingerprints[file]) for _, file in rest])
    for (b, file), in_place in zip(rest, found, strict=True):
        if not in_place:
            write(file, search.text_script(b, None))
            texts.append(file)
    return missing + texts


def unplaced(
    files: Sequence[str],
    made: Mapping[str, bytes],
    recorded: Mapping[str, str],
    base: str,
    place: Place,
    site: SiteOutput,
) -> list[str]:
    """Fingerprint search index files, each by its bytes if made, else as recorded;
    returns those not in place already."""
    for file in files:
        fp = digest(base, file, content_hash(made[file])) if file in made else recorded[file]
        site.fingerprints[file] = fp
        if site.plan is not None:
            site.plan.fingerprints[file] = fp
    found = place([(file, site.fingerprints[file]) for file in files])
    return [file for file, in_place in zip(files, found, strict=True) if not in_place]


def patched_index(briefings: Sequence[Briefing], changes: Changes) -> dict[str, bytes] | None:
    """The term shards an edit in place changes, updated from their last bytes (the
    document chunks hold slugs, titles and dates, which such an edit keeps); None when
    that cannot be done, and the whole index is made instead."""
    edit, recall = changes.edit, changes.recall
    if edit is None or recall is None or not all(k in changes.before for k in edit.removed):
        return None
    docs = search.ordered(briefings)
    old = {changes.before[k].slug: changes.before[k] for k in edit.removed}
    edited = [(n, old[b.slug], b) for n, b in enumerate(docs) if key_of(b) in edit.added]
    if len(edited) != len(edit.added) or len(old) != len(edited):
        return None
    count = search.shard_count(len(docs))
    documents = {n for n, _, _ in edited}
    made: dict[str, bytes] = {}
    for shard, postings in sorted(search.shard_changes(edited, count).items()):
        file = search.term_file(shard)
        data = recall(file)
        last = search.script_data(f"t{shard}", data) if data is not None else None
        if not isinstance(last, dict):
            return None
        made[file] = search.script(f"t{shard}", search.patched_shard(last, documents, postings))
    return made


NO_SLUGS = Slugs({}, {})

FORK_MIN = 64
"""Below this many pages to render, forking workers costs more than it saves."""


@dataclass
class RenderJob:
    """Everything rendering needs, in memory before workers fork (they inherit it)."""

    pages: list[Page]
    config: Config
    theme: Theme
    write: Write
    summaries: dict[str, str]
    """Summaries' HTML, rendered with their briefings (see summary_filter)."""
    slugs: Slugs
    """The site's tag and person slugs, for every page's `tag_url` and `person_url`."""

    def page(self, i: int) -> None:
        page = self.pages[i]
        html = render_page(page, self.config, self.theme, self.summaries, self.slugs)
        self.write(page.file, html.encode("utf-8"))

    def let_go(self) -> None:
        """Drop the pages and summaries here, once rendered or forked workers hold
        their own copies (`render_all`'s `meanwhile`)."""
        self.pages = []
        self.summaries = {}


def render_chunk(chunk: list[int]) -> int:
    """In a forked worker: render pages of the inherited job; returns how many."""
    job = inherited()
    for i in chunk:
        job.page(i)
    return len(chunk)


def render_all(
    job: RenderJob,
    todo: list[int],
    jobs: int,
    progress: Progress = no_progress,
    meanwhile: Callable[[], None] = lambda: None,
) -> list[str]:
    """Render the pages that changed; returns their files.

    Workers are forked once everything is in memory, so they inherit the site and only
    page numbers cross between processes; each hands the pages it renders to `write`.
    `meanwhile` runs in this process while they render (the search index: this process
    was idle, a core's worth of a cold build); without workers, after the pages.
    """
    made = [job.pages[i].file for i in todo]
    if jobs < 2 or not can_fork() or len(todo) < FORK_MIN:
        for done, i in enumerate(todo, start=1):
            progress("rendering", done, len(todo))
            job.page(i)
        meanwhile()
        return made
    size = max(1, min(64, len(todo) // (jobs * 4)))
    chunks = [todo[k : k + size] for k in range(0, len(todo), size)]
    done = 0
    for count in forked(job, render_chunk, chunks, jobs, meanwhile):
        done += count
        progress("rendering", done, len(todo))
    return made


def render_page(
    page: Page,
    config: Config,
    theme: Theme,
    summaries: Mapping[str, str] | None = None,
    slugs: Slugs = NO_SLUGS,
) -> str:
    """A page's HTML; `slugs`: the site's tag and person slugs (every page is
    fingerprinted by the few that are not a name's own: `Slugs.collided`)."""
    url = linker(page.file, config)
    context = {
        SUMMARIES: summaries,
        "site": config,
        "page": page,
        "url": url,
        "briefing_url": lambda b: url(briefing_file(b.slug)),
        "tag_url": lambda name: url(tag_file(slugs.tag(name))),
        "person_url": lambda name: url(person_file(slugs.person(name))),
        "entity_url": lambda kind, ident, name: url(
            person_file(slugs.person(name)) if kind == "person" else entity_file(kind, ident)
        ),
        "lang": lambda tag: Markup(attributes_html(tag or config.language, config.language)),
        "direction": direction,
        "arrows": arrows(config.language),
        "in_language": lambda text, tag: in_language(text, tag or config.language, config.language),
        "quotation_marks": quotation_marks,
        "inline_asset": lambda name: Markup(theme.assets[f"{ASSETS}/{name}"].decode("utf-8")),
        "csp": theme.csp,
        "canonical": (
            urls.absolute(config.site_url, page.file, config.directory_urls)
            if config.site_url and page.file != "404.html"
            else None
        ),
        **page.context,
        **(page.expand() if page.expand else {}),
    }
    try:
        return theme.env.get_template(page.template).render(context)
    except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
        raise template_error(exc, theme.override_dir) from None
    except Exception as exc:  # a template's runtime error: locate it in the template
        filename, line = template_frame(exc)
        raise BriefgenError(
            [
                error(
                    template_label(filename, theme.override_dir),
                    line,
                    1,
                    f"while rendering {page.file}: {type(exc).__name__}: {exc}",
                )
            ]
        ) from None
