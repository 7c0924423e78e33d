"""Stage 5 of the pipeline: Markdown briefings rendered into the site's HTML pages.

Pages are rendered through Jinja with autoescape on. A site's own `templates/` folder
overrides the built-in theme file by file. Each page goes into the staging folder the
build gives (through `writer.write_file`) as soon as it is rendered, so a site of any
size is never held in memory whole.
"""

from __future__ import annotations

import base64
import concurrent.futures
import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from . import urls
from .cache import HASH_CHARS, Fingerprints, content_hash, digest
from .config import Config
from .errors import BriefgenError, Diagnostic, Location, Severity, error
from .feed import atom_feed, sitemap
from .indexes import Indexes, Slugs, build_indexes, neighbours, newest_first
from .labels import ENGLISH, Labels
from .languages import (
    arrows,
    attributes_html,
    direction,
    in_language,
    isolated,
    quotation_marks,
    unquoted,
)
from .markdown import CITATION_RE, render_summary
from .search import shard_file, shard_payload, shard_script, shards
from .verify import Briefing
from .writer import write_cache, write_file

ASSETS = "assets"
STYLESHEET = "briefgen.css"


def theme_dir() -> Path:
    """The built-in theme: the repository's top-level templates/.

    A wheel installs it inside the package (briefgen/templates/); a source checkout or an
    editable install finds it beside the package.
    """
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


class CheckedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, each file trusted only under the hash written with it.

    A file that does not hash as its header says (a flipped bit, changed letters, cut
    short), or that fails to load for any reason, is a miss: the template is compiled
    again and the file rewritten. Jinja itself checks that a sound file was compiled
    from the template's current source.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.damaged: list[str] = []
        """Files found damaged (and compiled again), in this process."""
        self.compiled_for = ""
        """What compiled code depends on beyond a template's source (see `compile_key`)."""

    def file(self, bucket: jinja2.bccache.Bucket) -> str:
        return f"{self.compiled_for}{bucket.key}.bytecode"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.folder / self.file(bucket)).read_bytes()
        except OSError:
            return
        head, body = data[:HASH_CHARS], data[HASH_CHARS:]
        try:
            if head.decode("ascii") != content_hash(bucket.key.encode(), body):
                raise ValueError("damaged")
            bucket.bytecode_from_string(body)
        except Exception:
            bucket.reset()
            self.damaged.append(self.file(bucket))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        body = bucket.bytecode_to_string()
        head = content_hash(bucket.key.encode(), body).encode("ascii")
        write_cache(self.folder, {self.file(bucket): head + body})

    def clear(self) -> None:
        write_cache(self.folder, {}, [p.name for p in self.folder.glob("*.bytecode")])


@dataclass(frozen=True)
class Theme:
    """The templates and static assets a site renders with."""

    env: jinja2.Environment
    assets: Mapping[str, bytes]
    """Static files by path under assets/: the theme's, overridden by the site's."""
    override_dir: Path | None
    """The site's templates/ folder, when it has one; its files win over the theme's."""
    csp: str
    """The Content-Security-Policy every page carries."""
    digest: str
    """A hash of every template and asset (the no-op check uses it)."""
    template_digests: dict[str, str] = field(default_factory=dict, compare=False)
    """Memo of `template_digest`."""
    template_refs: dict[str, list[str]] = field(default_factory=dict, compare=False)
    """The templates each one extends, includes or imports by name (see `preload`)."""
    labels: Labels = ENGLISH
    """The site's words and dates, which `_()`, `{% trans %}` and the date filters use."""

    def notes(self) -> list[Diagnostic]:
        """Compiled templates found damaged (and compiled again) in this process."""
        cache = self.env.bytecode_cache
        if not isinstance(cache, CheckedBytecodeCache):
            return []
        where = f"{cache.folder.parent.name}/{cache.folder.name}"
        message = "cache file damaged (its content hash does not match); compiled again"
        return [
            Diagnostic(Location(f"{where}/{file}"), message, Severity.NOTE)
            for file in dict.fromkeys(cache.damaged)
        ]

    def preload(self, names: Iterable[str]) -> None:
        """Load these templates, and every one they name, in this process: render
        workers forked afterwards inherit them compiled (and a damaged compiled template
        is found here, where it is reported)."""
        todo, seen = sorted(set(names)), set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                self.env.get_template(name)
            except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
                raise template_error(exc, self) from None
            todo += self.template_refs.get(name, [])

    def template_digest(self, name: str) -> str:
        """A hash of a template and of every template it extends, includes or imports.

        Part of a page's fingerprint, so that editing one template re-renders only the
        pages rendered with it. Asset changes reach every page through the CSP's hash.
        It names templates by name, not by where they are on disk, so a site checked
        out in another folder (or briefgen installed in another place) with its cache
        restored still reuses its pages.
        """
        if name not in self.template_digests:
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
                found = list(
                    jinja2.meta.find_referenced_templates(self.env.parse(source, name, filename))
                )
            except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
                raise template_error(exc, self) from None
            refs = sorted(r for r in found if r)
            self.template_refs[name] = refs
            if None in found:
                # A template named at render time could be any of them: depend on all.
                self.template_digests[name] = digest(name, source, self.digest)
            else:
                parts = (self.template_digest(r) for r in refs)
                self.template_digests[name] = digest(name, source, *parts)
        return self.template_digests[name]


@jinja2.pass_context
def isolated_in_page(context: jinja2.runtime.Context, text: str) -> Markup:
    """`isolated` against the page's own language: which names need a <bdi> depends on
    whether the page reads left to right or right to left."""
    site = context.get("site")
    return isolated(text, site.language if isinstance(site, Config) else "en")


def load_theme(
    site_templates: Path | None,
    root: Path | None = None,
    compiled: Path | None = None,
    labels: Labels = ENGLISH,
) -> Theme:
    """Jinja environment over the site's templates, then the theme's, plus their assets.

    The site's templates must live in the site: a templates folder or file that is a
    symlink out of the site root is refused, so a build never publishes other files.
    `compiled` is a folder for Jinja's bytecode cache (keyed by each template's source
    and the Python version): a rebuild then loads templates instead of compiling them
    (each file checked against its content hash: see CheckedBytecodeCache).
    """
    if site_templates is not None and root is not None and site_templates.exists():
        check_contained(site_templates, root)
    dirs = [d for d in (site_templates, theme_dir()) if d and d.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=CheckedBytecodeCache(compiled) if compiled else None,
        extensions=["jinja2.ext.i18n"],
    )
    install_labels(env, labels)
    if isinstance(env.bytecode_cache, CheckedBytecodeCache):
        env.bytecode_cache.compiled_for = compile_key(env)
    env.filters["markdown"] = lambda text: Markup(render_summary(text))
    env.filters["unquoted"] = unquoted
    env.filters["isolated"] = isolated_in_page
    assets: dict[str, bytes] = {}
    for d in reversed(dirs):
        folder = d / ASSETS
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                inside = path.resolve().is_relative_to(d.resolve())
                if inside and path.is_file() and not path.name.startswith("."):
                    assets[path.relative_to(d).as_posix()] = path.read_bytes()
    override = site_templates if site_templates and site_templates.is_dir() else None
    sources = sorted(
        (f"{i}/{path.relative_to(d).as_posix()}", path.read_bytes())
        for i, d in enumerate(dirs)
        for path in d.rglob("*")
        if path.is_file()
        and path.resolve().is_relative_to(d.resolve())
        and "__pycache__" not in path.parts
    )
    theme_digest = digest(*(part for rel, data in sources for part in (rel, data)), labels.digest)
    csp = content_security_policy(assets)
    return Theme(env, assets, override, csp, theme_digest, labels=labels)


def compile_key(env: jinja2.Environment) -> str:
    """A short hash of what Jinja builds into compiled code besides the template's
    source: its version, the extensions, and how each filter is called (a filter that
    came to take the context is passed it by code compiled since). Without it, a
    template unchanged across a briefgen upgrade would load code calling a filter the
    old way."""
    filters = sorted(
        (name, str(getattr(f, "jinja_pass_arg", ""))) for name, f in env.filters.items()
    )
    parts = [jinja2.__version__, *sorted(env.extensions), *(p for f in filters for p in f)]
    return digest(*parts)[:12] + "-"


def install_labels(env: jinja2.Environment, labels: Labels) -> None:
    """`_()`, `gettext`, `ngettext`, `pgettext` and `{% trans %}` in the site's language,
    and the date and number filters.

    A translation is text, not HTML: it is escaped before its placeholders are filled,
    and a placeholder's value is escaped unless it is markup already (a link made with
    `{% set %}`), as every other value of a template is. Counts are written in the
    site's digits.
    """

    def fill(text: str, variables: Mapping[str, Any]) -> Markup:
        values = {k: labels.number(v) if isinstance(v, int) else v for k, v in variables.items()}
        return Markup.escape(text) % values

    def gettext(msgid: str, /, **variables: Any) -> Markup:
        return fill(labels.template(None, msgid), variables)

    def pgettext(context: str, msgid: str, /, **variables: Any) -> Markup:
        return fill(labels.template(context, msgid), variables)

    def ngettext(singular: str, plural: str, count: int, /, **variables: Any) -> Markup:
        variables.setdefault("num", count)
        return fill(labels.template(None, singular, count, plural), variables)

    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext)
    env.globals["separator"] = Markup.escape(labels.separator)
    env.filters["human_date"] = labels.date
    env.filters["human_partial_date"] = labels.partial_date
    env.filters["number"] = labels.number


def check_contained(folder: Path, root: Path) -> None:
    site_root = root.resolve()
    problems = []
    if not folder.resolve().is_relative_to(site_root):
        problems.append(error(folder.name, 0, 0, "templates folder leads outside the site root"))
    else:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() and not path.resolve().is_relative_to(site_root):
                where = path.relative_to(root).as_posix()
                problems.append(error(where, 0, 0, "symlink to a file outside the site root"))
    if problems:
        raise BriefgenError(problems)


def content_security_policy(assets: Mapping[str, bytes]) -> str:
    """The policy every page declares: only the site's own scripts, styles and images.

    404.html inlines the stylesheet (GitHub serves it at any path), so the policy names
    that exact stylesheet by hash rather than allowing inline styles in general.
    """
    css = assets.get(f"{ASSETS}/{STYLESHEET}", b"")
    digest = base64.b64encode(hashlib.sha256(css).digest()).decode("ascii")
    return (
        "default-src 'none'; script-src 'self'; "
        f"style-src 'self' 'sha256-{digest}'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'"
    )


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
    slugs: Slugs = field(default_factory=lambda: Slugs({}, {}))
    """The site's tag and person slugs, for `tag_url` and `person_url`; every page is
    fingerprinted by the few that are not a name's own (`Slugs.collided`)."""
    loads: Briefing | None = None
    """The briefing whose full data `expand` loads."""


def briefing_file(slug: str) -> str:
    return urls.page_file(f"briefings/{slug}")


def tag_file(slug: str) -> str:
    return urls.page_file(f"tags/{slug}")


def person_file(slug: str) -> str:
    return urls.page_file(f"people/{slug}")


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
    items: Sequence[Any],
    size: int,
    context: Mapping[str, Any],
    title: str,
    key: str = "briefings",
    labels: Labels = ENGLISH,
) -> list[Page]:
    """A long list split into pages of `size`: folder/, folder/page/2/, …

    So the home, tag, timeline and sources pages stay small (and cheap to rebuild)
    however large the archive grows; each page links to its neighbours. The page's
    slice of the list is in its context under `key`.
    """
    chunks = [items[k : k + size] for k in range(0, len(items), size)] or [[]]
    files = [
        urls.page_file(folder if k == 0 else f"{folder}/page/{k + 1}".lstrip("/"))
        for k in range(len(chunks))
    ]
    pages = []
    for k, chunk in enumerate(chunks):
        newer = files[k - 1] if k > 0 else None
        older = files[k + 1] if k + 1 < len(chunks) else None
        pagination = Pagination(k + 1, len(chunks), newer, older)
        page_title = (
            title
            if k == 0
            else labels.gettext("%(title)s (page %(number)s)", title=title, number=k + 1)
        )
        data = {**context, key: list(chunk), "pagination": pagination}
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
    b: Briefing, older: Briefing | None, newer: Briefing | None, config: Config, load: Load
) -> Page:
    """A briefing's own page: fingerprinted by the briefing and its neighbours, rendered
    from the full briefing, which is loaded only then."""

    def expand() -> dict[str, Any]:
        full, body = load(b)
        return {
            "briefing": full,
            "content": Markup(body),
            "speakers": list(dict.fromkeys(q.quote.speaker for q in full.quotes)),
            "structured_data": structured_data(full, config),
        }

    context = {"briefing": b, "older": older, "newer": newer}
    file = briefing_file(b.slug)
    return Page(file, "briefing.html", context, b.title, b.date, expand, loads=b)


def site_pages(
    briefings: Sequence[Briefing],
    config: Config,
    load: Load,
    search_shards: Sequence[str] = (),
    index: Indexes | None = None,
    labels: Labels = ENGLISH,
) -> list[Page]:
    """Every HTML page of the site, in a fixed order."""
    words = labels
    ordered = newest_first(briefings)
    index = index or build_indexes(briefings)
    near = neighbours(briefings)
    size = config.page_size
    pages = paginated("", "home.html", ordered, size, {}, config.title, labels=labels)
    for b in ordered:
        older, newer = near[b.slug]
        pages.append(briefing_page(b, older, newer, config, load))
    pages.append(Page("tags/index.html", "tags.html", {"tags": index.tags}, words.gettext("Tags")))
    for tag in index.tags:
        folder = tag_file(tag.slug).removesuffix("index.html").rstrip("/")
        context = {"tag": tag}
        title = words.gettext("Tag: %(name)s", name=tag.name)
        pages += paginated(folder, "tag.html", tag.briefings, size, context, title, labels=labels)
    people = words.gettext("People quoted")
    pages.append(Page("people/index.html", "people.html", {"people": index.people}, people))
    for person in index.people:
        about = {"person": person}
        pages.append(Page(person_file(person.slug), "person.html", about, person.name))
    long_list = config.page_size * 4  # entries are a line each, briefings a paragraph
    sources, timeline = words.gettext("Sources"), words.gettext("Timeline")
    pages += paginated(
        "sources", "sources.html", index.rows, long_list, {}, sources, "rows", labels
    )
    pages += paginated(
        "timeline", "timeline.html", index.timeline, long_list, {}, timeline, "items", labels
    )
    search = {"search_shards": list(search_shards)}
    pages.append(Page("search/index.html", "search.html", search, words.gettext("Search")))
    pages.append(Page("404.html", "404.html", {}, words.gettext("Page not found")))
    return [dataclasses.replace(page, slugs=index.slugs) for page in pages]


@dataclass
class SiteOutput:
    """What went into site/: each file's fingerprint, and which were made anew."""

    fingerprints: dict[str, str] = field(default_factory=dict)
    """What each file was made from (see cache.fingerprint)."""
    rendered: list[str] = field(default_factory=list)
    """Pages and search shards made anew (the rest were reused)."""


Place = Callable[[str, str], bool]
"""(file, fingerprint) -> True when the output already has the file made from the same
inputs (kept or linked from a previous build), so it need not be made again."""
Check = Callable[[Sequence[Briefing]], None]
"""Told, in this process, the briefings whose pages are about to be rendered, before any
worker starts: makes sure `load` will find their full data sound (see build.Store)."""


def never_placed(file: str, fingerprint: str) -> bool:
    del file, fingerprint
    return False


def no_check(briefings: Sequence[Briefing]) -> None:
    del briefings


def render_site(
    briefings: Sequence[Briefing],
    config: Config,
    theme: Theme,
    out: Path,
    load: Load,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    keys: Mapping[int, str] | None = None,
    place: Place = never_placed,
    summaries: Mapping[str, str] | None = None,
    jobs: int = 1,
    check: Check = no_check,
) -> SiteOutput:
    """Write every file of site/ into `out`: pages, feed, sitemap, search, assets.

    `briefings` are index views; `load` gives a briefing's full data for its own page.
    `keys` (id(briefing) -> content key) lets each page be fingerprinted from its
    template context; a page whose fingerprint matches the previous build's is put in
    place (kept or linked, never copied) instead of being rendered.
    """
    site = SiteOutput()
    if summaries:
        # Summaries were rendered with their briefings (in workers, or cached).
        known = dict(summaries)
        theme.env.filters["markdown"] = lambda text: Markup(
            known[text] if text in known else render_summary(text)
        )
    ordered = newest_first(briefings)
    search_link = linker("search/index.html", config)

    def search_url(b: Briefing) -> str:
        return search_link(briefing_file(b.slug))

    grouped = {shard_file(shard): members for shard, members in shards(briefings).items()}
    index = build_indexes(briefings)
    pages = site_pages(briefings, config, load, sorted(grouped), index, theme.labels)
    base = digest(theme.csp, repr(config), repr(index.slugs.collided))
    fingerprint = Fingerprints({**(keys or {}), **derived_keys(index, keys or {})})
    shard_todo: dict[str, str] = {}
    for file, members in grouped.items():
        # A shard is made from its members and the config: its JSON is built only when
        # it has to be indexed again.
        fp = digest(base, file, fingerprint(members))
        site.fingerprints[file] = fp
        if not place(file, fp):
            shard_todo[file] = shard_payload(members, search_url)
    todo: list[int] = []
    for i, page in enumerate(pages):
        template = theme.template_digest(page.template)
        fp = digest(base, template, page.file, fingerprint(page.context))
        site.fingerprints[page.file] = fp
        if not place(page.file, fp):
            todo.append(i)
    check([page.loads for page in (pages[i] for i in todo) if page.loads is not None])
    theme.preload(pages[i].template for i in todo)
    site.rendered = render_all(pages, todo, shard_todo, config, theme, out, jobs, progress)
    extras: dict[str, bytes] = {
        "feed.xml": atom_feed(
            ordered, config, feed_linker(config), lambda b: briefing_file(b.slug)
        ),
        ".nojekyll": b"",
        **theme.assets,
    }
    if config.site_url:
        listed = [(p.file, p.modified) for p in pages if p.file != "404.html"]
        extras["sitemap.xml"] = sitemap(listed, config)
    if config.cname:
        extras["CNAME"] = (config.cname.strip() + "\n").encode("utf-8")
    for file, data in extras.items():
        site.fingerprints[file] = digest(data)
        if not place(file, site.fingerprints[file]):
            write_file(out, file, data)
    site.rendered.sort()
    return site


def derived_keys(index: Indexes, keys: Mapping[int, str]) -> dict[int, str]:
    """Keys for the index records made only of keyed parts (a quote as said by a person,
    a timeline entry on the merged timeline, a source and the briefings citing it, its
    row on the sources page): built from their parts' keys, so they are exact. At 10,000
    briefings there are over 200,000 of them, and hashing each field by field was most
    of a rebuild."""
    derived: dict[int, str] = {}
    for person in index.people:
        for said in person.quotes:
            part = keys.get(id(said.check))
            if part is not None and keys.get(id(said.briefing)) == part.split("/")[0]:
                derived[id(said)] = "said:" + part
    for item in index.timeline:
        part = keys.get(id(item.entry))
        if part is not None and keys.get(id(item.briefing)) == part.split("/")[0]:
            derived[id(item)] = "item:" + part
    for publisher in index.publishers:
        for cited in publisher.sources:
            objects = (cited.source, *cited.briefings)
            parts = [key for key in (keys.get(id(o)) for o in objects) if key is not None]
            if len(parts) == len(objects):
                # Keys are hex digests and source ids ([a-z0-9-]): a comma cannot occur.
                derived[id(cited)] = "cited:" + ",".join(parts)
    for row in index.rows:
        cited_key = derived.get(id(row.cited))
        if cited_key is not None:
            name = row.publisher  # free text: its length says where it ends
            derived[id(row)] = f"row:{len(name)}:{name}|{row.anchor}|{cited_key}"
    return derived


FORK_MIN = 64
"""Below this many pages to render, forking workers costs more than it saves."""
_forked: tuple[list[Page], Config, Theme, Path] | None = None
"""What forked render workers read: set just before the fork, so they inherit it."""


def render_into(out: Path, page: Page, config: Config, theme: Theme) -> None:
    write_file(out, page.file, render_page(page, config, theme).encode("utf-8"))


def render_chunk(indices: list[int]) -> int:
    """In a forked worker: render pages of the inherited site into the staging folder."""
    assert _forked is not None
    pages, config, theme, out = _forked
    for i in indices:
        render_into(out, pages[i], config, theme)
    return len(indices)


def write_shard(out: Path, file: str, payload: str) -> None:
    write_file(out, file, shard_script(payload))


def render_all(
    pages: list[Page],
    todo: list[int],
    shard_payloads: Mapping[str, str],
    config: Config,
    theme: Theme,
    out: Path,
    jobs: int,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[str]:
    """Render the pages and search shards that changed into `out`; returns their files.

    Workers are forked once everything is in memory, so they inherit the site and only
    page numbers cross between processes; each worker writes the pages it renders.
    """
    global _forked
    report = progress or (lambda stage, done, total: None)
    made = [pages[i].file for i in todo] + list(shard_payloads)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs < 2 or not fork or len(todo) + 16 * len(shard_payloads) < FORK_MIN:
        for done, i in enumerate(todo, start=1):
            report("rendering", done, len(todo))
            render_into(out, pages[i], config, theme)
        for file, payload in shard_payloads.items():
            write_shard(out, file, payload)
        return made
    _forked = (pages, config, theme, out)
    try:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
            shard_work = [pool.submit(write_shard, out, f, p) for f, p in shard_payloads.items()]
            size = max(1, min(64, len(todo) // (jobs * 4)))
            chunks = [todo[k : k + size] for k in range(0, len(todo), size)]
            done = 0
            for count in pool.map(render_chunk, chunks):
                done += count
                report("rendering", done, len(todo))
            for future in shard_work:
                future.result()
    finally:
        _forked = None
    return made


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


def render_page(page: Page, config: Config, theme: Theme) -> str:
    url = linker(page.file, config)
    context = {
        "site": config,
        "page": page,
        "url": url,
        "briefing_url": lambda b: url(briefing_file(b.slug)),
        "tag_url": lambda name: url(tag_file(page.slugs.tag(name))),
        "person_url": lambda name: url(person_file(page.slugs.person(name))),
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
        raise template_error(exc, theme) from None
    except Exception as exc:  # a template's runtime error: locate it in the template
        filename, line = template_frame(exc)
        raise BriefgenError(
            [
                error(
                    template_label(filename, theme),
                    line,
                    1,
                    f"while rendering {page.file}: {type(exc).__name__}: {exc}",
                )
            ]
        ) from None


def template_error(
    exc: jinja2.TemplateSyntaxError | jinja2.TemplateNotFound, theme: Theme
) -> BriefgenError:
    """A located error for a template that does not parse or does not exist."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = template_label(exc.filename, theme)
        return BriefgenError([error(where, exc.lineno or 1, 1, f"template syntax: {exc.message}")])
    return BriefgenError([error("templates", 0, 0, f"template not found: {exc.name}")])


def template_frame(exc: BaseException) -> tuple[str | None, int]:
    """The innermost template file and line in a rendering traceback."""
    found: tuple[str | None, int] = (None, 1)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml")):
            found = (frame.filename, frame.lineno or 1)
    return found


def template_label(filename: str | None, theme: Theme) -> str:
    """A template path for messages: `templates/x.html` for the site's, theme path else."""
    if not filename:
        return "templates"
    path = Path(filename)
    if theme.override_dir and path.is_relative_to(theme.override_dir):
        return (Path("templates") / path.relative_to(theme.override_dir)).as_posix()
    return path.as_posix()
