"""The pipeline, top to bottom: gather, parse, verify, generate, render, write.

Every stage before writing is pure and collects diagnostics rather than stopping, so one
run reports every problem of every file. Nothing is written unless all of it succeeded.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import itertools
import logging
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeGuard

from .cache import (
    CACHE_DIR,
    MANIFEST,
    Cache,
    Manifest,
    content_hash,
    digest,
    environment_key,
    file_hash,
    manifest_bytes,
    output_entries,
    part_keys,
    pickled,
    prepared_file,
    seed_key,
    stamp,
)
from .config import (
    CONFIG_FILE,
    Config,
    boilerplate_patterns,
    key_position,
    read_config,
    with_site_url,
)
from .errors import (
    BriefgenError,
    Diagnostic,
    Location,
    Severity,
    diagnostic_from_dict,
    diagnostic_to_dict,
    error,
)
from .generate import briefing_document
from .indexes import index_view
from .inputs import Raw, SeedFiles, gather
from .labels import ENGLISH, LOCALES_DIR, Labels, load_labels
from .lock import WAIT, build_lock
from .markdown import render_markdown, render_summary
from .render import Load, Theme, load_theme, render_site
from .seeds import parse_seed
from .sidecars import advisories, parse_sidecar
from .verify import Briefing, speaker_variants, verify
from .writer import (
    MARKER,
    MARKER_TEXT,
    Staging,
    cache_folder,
    check_output_dir,
    clock,
    finish_swap,
    write_cache,
    write_cache_file,
    write_file,
)

log = logging.getLogger("briefgen")
TEMPLATES_DIR = "templates"


@dataclass
class BuildResult:
    """What a build produced and what it had to say."""

    config: Config
    briefings: list[Briefing]
    """Briefings built (drafts only with drafts=True), as index pages see them."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Warnings (errors raise instead)."""
    rendered: list[str] = field(default_factory=list)
    """site/ pages and search shards rendered anew (the rest were carried over)."""
    seconds: float = 0.0
    counts: tuple[int, int, int] | None = None
    """(briefings, verified, unverified) when known without the briefings (a no-op)."""

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def briefing_count(self) -> int:
        return self.counts[0] if self.counts else len(self.briefings)

    @property
    def quotes_verified(self) -> int:
        if self.counts:
            return self.counts[1]
        return sum(1 for b in self.briefings for q in b.quotes if q.verified)

    @property
    def quotes_unverified(self) -> int:
        if self.counts:
            return self.counts[2]
        return sum(b.unverified for b in self.briefings)

    def to_summary(self) -> dict[str, object]:
        """What a no-op rebuild reports again: counts and warnings."""
        return {
            "counts": [self.briefing_count, self.quotes_verified, self.quotes_unverified],
            "warnings": [diagnostic_to_dict(d) for d in self.warnings],
        }

    @classmethod
    def from_summary(cls, config: Config, summary: dict[str, Any], seconds: float) -> BuildResult:
        warnings = [diagnostic_from_dict(d) for d in summary.get("warnings", [])]
        built, verified, unverified = (int(n) for n in summary.get("counts", [0, 0, 0]))
        return cls(config, [], warnings, seconds=seconds, counts=(built, verified, unverified))

    def summary(self, verb: str = "built") -> str:
        """One line for the terminal: what was built, what was checked, how long it took."""
        n = self.briefing_count
        return (
            f"{verb} {n} briefing{'s' if n != 1 else ''}: {self.quotes_verified} quotes "
            f"verified, {self.quotes_unverified} unverified, {len(self.warnings)} "
            f"warning{'s' if len(self.warnings) != 1 else ''} ({self.seconds:.2f} s)"
        )


@dataclass(frozen=True, slots=True)
class Prepared:
    """One seed taken through stages 1-4, as the cache keeps it to render its page."""

    briefing: Briefing
    markdown: str
    """content/<slug>.md."""
    html: str
    """The Markdown rendered: the body of the briefing page."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What a build keeps in memory of one seed, however large the archive grows."""

    briefing: Briefing | None
    """Its index view (indexes.index_view); None when the seed or its sidecar has errors."""
    diagnostics: list[Diagnostic]
    summary_html: str = ""
    """The summary as index pages and the feed show it."""
    stored: int = 0
    """Size of the cached Prepared: a cache file of another size is prepared again."""
    stored_hash: str = ""
    """Content hash of the cached Prepared: it is used only if it still hashes so."""


@dataclass(frozen=True)
class Destinations:
    """Where preparing a seed writes: its cache entry, and its Markdown when published."""

    cache_dir: Path
    content_dir: Path
    """The staging folder of content/."""
    drafts: bool


Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a build advances; the CLI shows it for slow builds."""


def no_progress(stage: str, done: int, total: int) -> None:
    del stage, done, total


def no_say(text: str) -> None:
    del text


PARALLEL_MIN = 16
"""Below this many seeds, starting worker processes costs more than it saves."""


def published(briefing: Briefing | None, drafts: bool) -> TypeGuard[Briefing]:
    """Whether a seed makes a page: it built, and it is no draft (or drafts are built)."""
    return briefing is not None and (drafts or not briefing.draft)


def load_briefing(
    files: SeedFiles, config: Config, raw: tuple[Raw, Raw] | None = None
) -> tuple[Briefing | None, list[Diagnostic]]:
    """Stages 1-3 for one seed: parse seed, parse sidecar, verify one against the other."""
    seed_text, sidecar_text, diagnostics = files.texts(raw or files.raw())
    if seed_text is None or sidecar_text is None:
        return None, diagnostics
    # The sidecar first: its article.language reads an ambiguous date line (03/04/2020).
    sidecar, sidecar_problems = parse_sidecar(files.sidecar_path, sidecar_text)
    language = (sidecar and sidecar.article.language) or config.language
    seed, problems = parse_seed(
        files.seed_path,
        files.slug,
        seed_text,
        boilerplate_patterns(config),
        language=language,
        off=config.boilerplate_off,
    )
    diagnostics += problems + sidecar_problems
    if seed is None or sidecar is None:
        return None, diagnostics
    briefing, problems = verify(
        seed, sidecar, files.sidecar_path, config.reproduce, config.language
    )
    return briefing, diagnostics + problems + advisories(files.sidecar_path, sidecar)


def key_settings(config: Config, labels: Labels = ENGLISH) -> str:
    """The settings that shape stages 1-4, part of every seed's content key (the
    language reads ambiguous date lines; the labels are the Markdown's own words)."""
    settings = (config.boilerplate, config.reproduce, config.language, config.boilerplate_off)
    if labels is ENGLISH:
        return repr(settings)
    return repr((*settings, labels.digest))


def content_key(
    files: SeedFiles, config: Config, raw: tuple[Raw, Raw], labels: Labels = ENGLISH
) -> str:
    settings = key_settings(config, labels)
    return seed_key(files.seed_path, raw[0], files.sidecar_path, raw[1], settings)


def prepare(
    files: SeedFiles, config: Config, where: Destinations, labels: Labels = ENGLISH
) -> tuple[str, Entry]:
    """Stages 1-4 for one seed and its body HTML: the work that parallelises.

    The files are read here, and keyed by what was read (should an editor save one
    while the build runs, the cache still holds what was built from what). The full
    result is written where it belongs (the cache, content/) by the process that made
    it; only the key and the light Entry travel back to the build.
    """
    raw = files.raw()
    key = content_key(files, config, raw, labels)
    briefing, diagnostics = load_briefing(files, config, raw)
    if briefing is None:
        return key, Entry(None, diagnostics)
    markdown, marks = briefing_document(briefing, labels)
    data = pickled(Prepared(briefing, markdown, render_markdown(markdown, marks, labels)))
    write_cache_file(where.cache_dir, prepared_file(key), data)
    if published(briefing, where.drafts):
        write_file(where.content_dir, f"{briefing.slug}.md", markdown.encode("utf-8"))
    summary = render_summary(briefing.sidecar.summary)
    return key, Entry(index_view(briefing), diagnostics, summary, len(data), content_hash(data))


def worker_pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor:
    """Worker processes; forked where the platform allows (cheap start, shared imports)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def prepare_all(
    found: list[SeedFiles],
    keys: list[str],
    config: Config,
    jobs: int,
    known: Mapping[str, Any],
    disk: Cache,
    where: Destinations,
    progress: Progress,
    labels: Labels = ENGLISH,
) -> tuple[list[str], list[Entry], set[str]]:
    """`prepare` for every seed, in order: from the cache, inline, or in worker processes.

    `keys` are the seeds' content keys as the build found them (a worker keys what it
    reads itself, should a file change meanwhile). Returns each seed's key, its Entry,
    and the keys prepared anew. Results keep the seeds' order whatever the workers'
    timing, so `-j N` writes the bytes `-j 1` writes.
    """
    keys = list(keys)
    results: dict[int, Entry] = {}
    for i, key in enumerate(keys):
        hit = known.get(key)
        if not isinstance(hit, Entry):
            continue
        size = disk.prepared_size(key)
        if size == hit.stored:
            results[i] = hit  # its hash is checked when it is read (see Store)
        elif size is not None:
            disk.damaged(prepared_file(key), "prepared again")
    todo = [i for i in range(len(found)) if i not in results]
    if jobs > 1 and len(todo) >= PARALLEL_MIN:
        with worker_pool(jobs) as pool:
            chunk = max(1, min(64, len(todo) // (jobs * 8)))
            seeds = [found[i] for i in todo]
            args = (itertools.repeat(config), itertools.repeat(where), itertools.repeat(labels))
            work = pool.map(prepare, seeds, *args, chunksize=chunk)
            for done, (i, (key, entry)) in enumerate(zip(todo, work, strict=True), start=1):
                progress("verifying", done, len(todo))
                keys[i], results[i] = key, entry
    else:
        for done, i in enumerate(todo, start=1):
            progress("verifying", done, len(todo))
            keys[i], results[i] = prepare(found[i], config, where, labels)
    return keys, [results[i] for i in range(len(found))], {keys[i] for i in todo}


@dataclass
class Store:
    """Seeds' cached stages 1-4, read back only if they hash as recorded in their Entry.

    A cache file found damaged is prepared again from its seed (in this process, where
    the Entry is updated and the cache says so); render workers only read what this
    process checked before they started (`check`).
    """

    disk: Cache
    config: Config
    where: Destinations
    found: list[SeedFiles]
    keys: list[str]
    entries: list[Entry]
    fresh: set[str]
    """Keys prepared by this build: their files were just written, and are trusted."""
    labels: Labels = ENGLISH
    """The site's words, for the Markdown of a seed prepared again."""
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {key: i for i, key in enumerate(self.keys)}

    def prepared(self, key: str, slug: str) -> Prepared:
        """A seed's Prepared, read back from the cache, prepared again if damaged."""
        prepared = self.read(key)
        if prepared is None:
            self.repair(key, slug)
            prepared = self.read(key)
        if prepared is None:
            raise self.lost(key, slug)
        return prepared

    def check(self, briefings: Sequence[Briefing], keys: Mapping[int, str]) -> None:
        """Before their pages are rendered: prepare again what is damaged of these."""
        for b in briefings:
            key = keys[id(b)]
            if key not in self.fresh and not self.disk.prepared_sound(key, self.expected(key)):
                self.repair(key, b.slug)

    def read(self, key: str) -> Prepared | None:
        prepared = self.disk.prepared(key, self.expected(key))
        return prepared if isinstance(prepared, Prepared) else None

    def expected(self, key: str) -> str:
        return self.entries[self.index[key]].stored_hash

    def repair(self, key: str, slug: str) -> None:
        i = self.index[key]
        again, entry = prepare(self.found[i], self.config, self.where, self.labels)
        if again != key:  # the seed changed since this build read it
            raise self.lost(key, slug)
        self.entries[i] = entry
        self.fresh.add(key)
        self.disk.damaged(prepared_file(key), "prepared again")

    def lost(self, key: str, slug: str) -> BriefgenError:
        where = f"{self.disk.dir.name}/{prepared_file(key)}"
        message = f"the build cache lost what it held for {slug}"
        return BriefgenError([error(where, 0, 0, message, "run `briefgen build --clean`")])


def loader(store: Store, keys: Mapping[int, str]) -> Load:
    """A briefing's full data and body, read back from the cache for its page (in a
    render worker too: what it reads was checked, and is read only if still sound)."""

    def load(briefing: Briefing) -> tuple[Briefing, str]:
        key = keys[id(briefing)]
        prepared = store.read(key)
        if prepared is None:
            raise store.lost(key, briefing.slug)
        return prepared.briefing, prepared.html

    return load


def load_briefings(
    root: Path, config: Config, drafts: bool
) -> tuple[list[Briefing], list[Diagnostic]]:
    """Stages 1-3 for every seed, plus the checks that compare briefings (MkDocs plugin)."""
    found, diagnostics = gather(root, config.seeds_dir, key_position(config, "seeds_dir"))
    briefings: list[Briefing] = []
    for files in found:
        briefing, problems = load_briefing(files, config)
        diagnostics += problems
        if published(briefing, drafts):
            briefings.append(briefing)
    return briefings, diagnostics + speaker_variants(briefings)


def build(
    root: Path,
    *,
    drafts: bool = False,
    write: bool = True,
    strict: bool = False,
    site_url: str | None = None,
    clean: bool = False,
    jobs: int = 1,
    progress: Progress = no_progress,
    wait: float = WAIT,
    say: Callable[[str], None] = no_say,
) -> BuildResult:
    """Build the site under `root`; raises BriefgenError with every problem found.

    With `write`, the build cache (.briefgen_cache/) makes it incremental: seeds whose
    inputs are unchanged are not re-verified, pages whose inputs are unchanged are
    carried over, and a build with no change at all stops after checking the inputs'
    stamps. `clean` reads nothing from the cache (and writes it anew). Without `write`
    (`briefgen check`) everything is built in a scratch folder that is then removed.

    A build that writes holds the cache folder's lock (see lock.py) from before it reads
    the cache until it is done: another build of the folder waits up to `wait` seconds
    for it (telling `say` once), or stops at once with `wait=0`. `check` reads neither
    the cache nor the output, and takes no lock.
    """
    started = time.perf_counter()
    if write:  # before anything else: a killed build's half-made swap is completed
        finish_swap(root / CACHE_DIR)
    config = read_config(root)
    if site_url:
        config = with_site_url(config, site_url)
    outputs = {"site_dir": config.site_dir, "content_dir": config.content_dir}
    # A folder the editor set is checked first, so a clash is blamed on their setting.
    for key, name in sorted(outputs.items(), key=lambda kv: kv[0] not in config.where):
        others = {k: v for k, v in outputs.items() if k != key}
        protected = {"seeds_dir": config.seeds_dir, "templates": TEMPLATES_DIR, **others}
        where = key_position(config, key)
        check_output_dir(root, name, key, protected, clean=clean or not write, where=where)
    with contextlib.ExitStack() as locked:
        if write:
            locked.enter_context(build_lock(root / CACHE_DIR, wait=wait, say=say))
        return built(root, config, drafts, strict, write, clean, jobs, progress, started)


def built(
    root: Path,
    config: Config,
    drafts: bool,
    strict: bool,
    write: bool,
    clean: bool,
    jobs: int,
    progress: Progress,
    started: float,
) -> BuildResult:
    """`build` once its settings are read, and the lock taken."""
    compiled = cache_folder(root / CACHE_DIR / "templates") if write else None
    labels = load_labels(
        root,
        config.language,
        config.labels,
        digits=config.digits,
        config_file=CONFIG_FILE,
        where=lambda key: key_position(config, key),
    )
    theme = load_theme(root / TEMPLATES_DIR, root, compiled, labels)
    options = digest(environment_key(), repr(config), theme.digest, repr((drafts, strict)))
    stamped_at = clock(root / CACHE_DIR) if write else 0
    stamps = input_stamps(root, config.seeds_dir)
    site_dir, content_dir = root / config.site_dir, root / config.content_dir
    with contextlib.ExitStack() as stack:
        if write:
            disk = Cache(root)
            manifest = Manifest() if clean else disk.manifest()
            if up_to_date(manifest, options, stamps, site_dir, content_dir):
                seconds = time.perf_counter() - started
                return BuildResult.from_summary(config, manifest.summary, seconds)
        else:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="briefgen-")))
            disk, manifest = Cache(scratch), Manifest()
            site_dir, content_dir = scratch / "site", scratch / "content"
        plan = Plan(
            root,
            config,
            theme,
            drafts,
            strict,
            write,
            clean,
            disk,
            manifest,
            options,
            stamps,
            stamped_at,
            site_dir,
            content_dir,
        )
        with collector_paused():
            result = run(plan, jobs, progress)
    result.seconds = time.perf_counter() - started
    return result


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a build allocates.

    A build makes millions of small objects that live until it ends and form no cycles
    worth collecting; the collector's repeated full scans of them cost a sixth of a
    10,000-briefing build. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Plan:
    """What a build was asked to do, settled before any seed is read."""

    root: Path
    config: Config
    theme: Theme
    drafts: bool
    strict: bool
    write: bool
    clean: bool
    """--clean: read nothing from the cache (a fresh one is still written)."""
    disk: Cache
    """The build cache (a scratch one when nothing is written)."""
    manifest: Manifest
    """The last build's manifest (empty without a cache)."""
    options: str
    """Hash of everything besides the inputs that shapes the output."""
    stamps: dict[str, list[int] | None]
    """Every input's stamp, for the next build's no-op check."""
    stamped_at: int
    """When the stamps were taken (ns since the epoch)."""
    site_dir: Path
    content_dir: Path
    """The output folders (scratch ones when nothing is written)."""


def run(plan: Plan, jobs: int, progress: Progress) -> BuildResult:
    """The build's work once its settings are known: prepare, check, render, write.

    Both output folders are staged from the start: seeds' Markdown and rendered pages
    go to disk as they are made, and the staging is swapped in only once all of it
    succeeded (removed otherwise).
    """
    config, disk, manifest = plan.config, plan.disk, plan.manifest
    labels = plan.theme.labels
    found, diagnostics = gather(plan.root, config.seeds_dir, key_position(config, "seeds_dir"))
    folders = {plan.content_dir: config.content_dir, plan.site_dir: config.site_dir}
    keep = {path: disk.spare(name) if plan.write else None for path, name in folders.items()}
    spares = {
        path: manifest.spare[name] for path, name in folders.items() if name in manifest.spare
    }
    staging = Staging(keep, spares, disk.dir if plan.write else None)
    carried = {path: Carried() for path in folders}
    try:
        content_out, site_out = staging.folder(plan.content_dir), staging.folder(plan.site_dir)
        for out in (content_out, site_out):
            if file_hash(out / MARKER) != content_hash(MARKER_TEXT):  # a reused one, damaged
                write_file(out, MARKER, MARKER_TEXT)
        where = Destinations(disk.dir, content_out, plan.drafts)
        trusted = manifest.trusted_keys(plan.stamps, key_settings(config, labels))
        keys = [trusted.get(f.seed_path) or content_key(f, config, f.raw(), labels) for f in found]
        known, previous = ({}, set()) if plan.clean else disk.entries(set(keys), manifest.shards)
        keys, entries, fresh = prepare_all(
            found, keys, config, jobs, known, disk, where, progress, labels
        )
        del known  # the hits are in `entries`; nothing else of the old cache stays
        store = Store(disk, config, where, found, keys, entries, fresh, labels)
        kept = [
            (key, e.briefing)
            for key, e in zip(keys, entries, strict=True)
            if published(e.briefing, plan.drafts)
        ]
        briefings = [b for _, b in kept]
        diagnostics += [d for e in entries for d in e.diagnostics] + speaker_variants(briefings)
        diagnostics += labels.notes
        diagnostics = checked(diagnostics, plan.strict)
        place_content = placer(plan, staging, plan.content_dir, carried[plan.content_dir])
        for key, briefing in kept:
            if key not in fresh and not place_content(f"{briefing.slug}.md", key):
                markdown = store.prepared(key, briefing.slug).markdown
                write_file(content_out, f"{briefing.slug}.md", markdown.encode("utf-8"))
        content_keys = {k: v for key, b in kept for k, v in part_keys(b, key).items()}
        summaries: dict[str, str] = {
            e.briefing.sidecar.summary: e.summary_html for e in entries if e.briefing
        }
        site = render_site(
            briefings,
            config,
            plan.theme,
            site_out,
            loader(store, content_keys),
            progress=progress,
            keys=content_keys,
            summaries=summaries,
            jobs=jobs,
            place=placer(plan, staging, plan.site_dir, carried[plan.site_dir]),
            check=lambda about: store.check(about, content_keys),
        )
        content = {f"{b.slug}.md": key for key, b in kept}
        staging.prune(plan.content_dir, content)
        staging.prune(plan.site_dir, site.fingerprints)
        kept_spares = staging.commit() if plan.write else []
    finally:
        staging.abort()
    notes = disk.notes + [note for note in plan.theme.notes() if note not in disk.notes]
    result = BuildResult(config, briefings, diagnostics + notes, site.rendered)
    if plan.write:
        written = {
            folders[path]: output_entries(path, files, carried[path].hashes)
            for path, files in ((plan.site_dir, site.fingerprints), (plan.content_dir, content))
        }
        new_manifest = Manifest(
            options=plan.options,
            inputs=plan.stamps,
            outputs={name: entries for name, (entries, _) in written.items()},
            summary=result.to_summary(),
            spare={
                folders[path]: carried[path].sound(manifest.outputs.get(folders[path], {}))
                for path in kept_spares
            },
            keys={f.seed_path: [f.sidecar_path, key] for f, key in zip(found, keys, strict=True)},
            settings=key_settings(config, labels),
            stamped_at=plan.stamped_at,
            hashes={name: hashes for name, (_, hashes) in written.items()},
            spare_hashes={
                folders[path]: manifest.hashes.get(folders[path], {}) for path in kept_spares
            },
        )
        entries = store.entries  # with the seeds found damaged, and prepared again
        remember(disk, new_manifest, dict(zip(keys, entries, strict=True)), previous, fresh)
    staging.wait()
    return result


def checked(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    """The diagnostics to report; raises with all of them if any is an error (with
    --strict, warnings are)."""
    if strict:
        diagnostics = [
            replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d
            for d in diagnostics
        ]
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise BriefgenError(diagnostics)
    return diagnostics


def remember(
    disk: Cache,
    manifest: Manifest,
    entries: dict[str, Entry],
    previous: set[str],
    fresh: set[str],
) -> None:
    """Update the cache after a successful build: the manifest, the entry shards whose
    seeds changed, and no prepared seed that is no longer in the site."""
    cached = {key: entry for key, entry in entries.items() if entry.briefing}
    files, stale, manifest.shards = disk.entry_updates(cached, previous, fresh)
    stale += [prepared_file(k) for k in disk.known_keys() - set(entries)]
    write_cache(disk.dir, {**files, MANIFEST: manifest_bytes(manifest)}, stale)


@dataclass
class Carried:
    """What `placer` found of an output folder's previous files."""

    hashes: dict[str, str] = field(default_factory=dict)
    """The files carried over, by content hash."""
    damaged: set[str] = field(default_factory=set)
    """Files found not to hash as recorded: the retired generation may still hold them,
    so the next build is not told they are there."""

    def sound(self, entries: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
        return {rel: entry for rel, entry in entries.items() if rel not in self.damaged}


def placer(
    plan: Plan, staging: Staging, target: Path, carried: Carried
) -> Callable[[str, str], bool]:
    """`place(file, fingerprint)`: make sure the staged output has the file made from
    those inputs, without making it: kept from the spare generation, or linked from the
    live one. False when it has to be made.

    A file is carried over only if it still has the content hash recorded when it was
    written (its stamp may survive damage)."""
    name = plan.config.site_dir if target == plan.site_dir else plan.config.content_dir
    out = staging.folder(target)
    spare_hashes = plan.manifest.spare_hashes.get(name, {})
    live_hashes = plan.manifest.hashes.get(name, {})

    def place(rel: str, fp: str) -> bool:
        damaged = False
        if staging.holds(target, rel, fp):
            found = file_hash(out / rel)
            if found is not None and found == spare_hashes.get(rel):
                carried.hashes[rel] = found
                return True
            damaged = True
            carried.damaged.add(rel)
            spare = plan.disk.spare(name).relative_to(plan.disk.dir).as_posix()
            plan.disk.damaged(f"{spare}/{rel}", "made again")
        previous = previous_output(plan.manifest, name, target, rel, fp)
        if previous is None:
            return False
        found = file_hash(previous)
        if found is None or found != live_hashes.get(rel):
            carried.damaged.add(rel)
            if not damaged:  # the spare's file is often this very file (a hard link)
                where = Location(f"{name}/{rel}")
                message = "changed since it was written, its mtime kept; made again"
                plan.disk.notes.append(Diagnostic(where, message, Severity.NOTE))
            return False
        write_file(out, rel, previous)
        carried.hashes[rel] = found
        return True

    return place


def input_stamps(root: Path, seeds_dir: str) -> dict[str, list[int] | None]:
    """(size, mtime) of every file a build reads: config, seeds and sidecars, templates.

    The no-op check compares them with the last build's, so this runs on every build:
    the seeds folder is scanned once rather than stat'ed path by path. `serve --poll`
    compares them too, to find what changed.
    """
    found: dict[str, list[int] | None] = {}
    if (root / CONFIG_FILE).is_file():
        found[CONFIG_FILE] = stamp(root / CONFIG_FILE)
    seeds = root / seeds_dir
    if seeds.is_dir():
        prefix = seeds.relative_to(root).as_posix()
        with os.scandir(seeds) as scan:
            for entry in scan:
                if entry.is_file():
                    found[f"{prefix}/{entry.name}"] = stamp(entry.path)
    for folder in (root / TEMPLATES_DIR, root / LOCALES_DIR):
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file():
                    found[path.relative_to(root).as_posix()] = stamp(path)
    return dict(sorted(found.items()))


def up_to_date(
    manifest: Manifest,
    options: str,
    stamps: dict[str, list[int] | None],
    site_dir: Path,
    content_dir: Path,
) -> bool:
    """Nothing to do: same options, same settled input stamps, and outputs as last
    written."""
    if not manifest.options or manifest.options != options or manifest.inputs != stamps:
        return False
    if not all(manifest.settled(stamp) for stamp in stamps.values()):
        return False
    for folder, entries in manifest.outputs.items():
        base = site_dir if folder == site_dir.name else content_dir
        if not all(stamp(base / rel) == entry[1:] for rel, entry in entries.items()):
            return False
    return True


def previous_output(
    manifest: Manifest, folder: str, site_dir: Path, file: str, fp: str
) -> Path | None:
    """The last build's file, if it was made from the same inputs and is untouched."""
    path = site_dir / file
    return path if manifest.output(folder, file, path) == fp else None
