"""The pipeline, top to bottom: 1 gather, 2 parse, 3 verify, 4 generate, 5 cross-check,
6 content, 7 render, 8 write (the one numbering of the stages; modules say theirs).

`pipeline` is the list of stages. Each is a function of values; everything a build
decides about reuse is asked of one `Reuse` (reuse.py), and everything it writes goes
to one output sink (output.py), both passed in: `briefgen build` gets the cache-backed
Reuse and the staging sink, `--clean` a Reuse that remembers nothing yet, and `check`
the Reuse that reuses nothing and a sink that discards. Every stage before writing
collects diagnostics rather than stopping, so one run reports every problem of every
file; the output is swapped in only if all of it succeeded.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

from briefgen.incremental.cache import Cache, Manifest
from briefgen.incremental.compiled import CheckedBytecodeCache, compiled_templates
from briefgen.incremental.keys import CACHE_DIR, environment_key
from briefgen.incremental.noop import Layout, Stamped, forget, noop_key
from briefgen.incremental.reuse import CachedReuse, Reuse
from briefgen.incremental.warm import Warm
from briefgen.output.listing import LIST_APART
from briefgen.output.lock import build_lock
from briefgen.output.output import CONTENT, SITE, DiscardSink, StagingSink
from briefgen.output.writer import check_output_dir, clock
from briefgen.preparing import Seeds, prepare_all
from briefgen.result import BuildResult, checked
from briefgen.site.indexes import key_of
from briefgen.site.pages import Load
from briefgen.site.render import render_site
from briefgen.site.theme import Theme, load_theme
from briefgen.stages.config import Config, key_position, read_config, with_site_url
from briefgen.stages.inputs import CONFIG_FILE, TEMPLATES_DIR, gather, input_stamps
from briefgen.stages.prepare import site_register, trust_settings, variants
from briefgen.stages.register import Register
from briefgen.stages.verify import Briefing
from briefgen.vocabulary.errors import BriefgenError, Diagnostic
from briefgen.vocabulary.hashing import digest, stamp
from briefgen.vocabulary.labels import load_labels
from briefgen.workers import Progress, no_progress


def unseen(result: BuildResult) -> None:
    """`live` for a caller with no one to tell before the cache is written."""
    del result


def run(
    root: Path,
    *,
    drafts: bool,
    write: bool,
    strict: bool,
    site_url: str | None,
    clean: bool,
    jobs: int,
    progress: Progress | None,
    wait: float,
    say: Callable[[str], None],
    spent: list[object] | None = None,
    stamped: Stamped | None = None,
    warm: Warm | None = None,
    live: Callable[[BuildResult], None] = unseen,
) -> BuildResult:
    """A build that has work to do (build.build has found it is not a no-op); raises
    BriefgenError with every problem found.

    With `write`, the build cache (.briefgen_cache/) makes it incremental: seeds whose
    inputs are unchanged are not re-verified, pages whose inputs are unchanged are
    carried over. `clean` reads nothing from the cache (and writes it anew). Without
    `write` (`briefgen check`) the same pipeline runs with nothing reused and nothing
    written.

    A build that writes holds the cache folder's lock (see lock.py) from before it reads
    the cache until it is done: another build of the folder waits up to `wait` seconds
    for it (telling `say` once), or stops at once with `wait=0`. `check` reads neither
    the cache nor the output, and takes no lock.

    The inputs' clock is read once the lock is held, before the settings are: a file
    saved while the build reads it is then newer than the stamping, and is read again
    next time, never taken for what this build read (the stamps the no-op check took
    before, `stamped`, are as safe: noop.Stamped). The config is read before (it says
    where the output goes, which is checked before anything is written, and a build
    refused for it writes nothing): its stamp is taken before it is read, and it is
    read again after the clock. If its stamp changed by the stamping, or the second
    reading differs from the first, this build records no no-op. Found by review: a
    second save in the tick of the first (the same size and mtime), just after the
    first reading, looked settled, and the next build was a no-op.

    `warm`: what a long-running caller (serve) keeps of its builds (warm.py); `live`:
    told the result once the new output is swapped in, before the cache is written.
    """
    config_stamp = stamp(root / CONFIG_FILE)
    read = config = read_config(root)
    if site_url:
        config = with_site_url(config, site_url)
    guard_outputs(root, config, clean or not write)
    with contextlib.ExitStack() as stack:
        if write:
            stack.enter_context(build_lock(root / CACHE_DIR, wait=wait, say=say))
            forget(root / CACHE_DIR)  # until this build ends well, none is a no-op
        stamped_at = clock(root / CACHE_DIR) if write else 0
        compiled = compiled_templates(root / CACHE_DIR / "templates") if write else None
        labels = load_labels(
            root,
            config.language,
            config.labels,
            digits=config.digits,
            config_file=CONFIG_FILE,
            where=lambda key: key_position(config, key),
        )
        theme = load_theme(root / TEMPLATES_DIR, root, compiled, labels)
        register = site_register(root, config)
        if write:
            quick: tuple[str, Layout] | None = (
                noop_key(root, drafts, strict, site_url),
                layout_of(config),
            )
            if not same_config(root, read):
                quick = None  # it changed as it was read: no no-op this time
            reuse: Reuse = cached_reuse(
                root,
                config,
                theme,
                drafts,
                strict,
                clean,
                register,
                quick,
                stamped_at,
                config_stamp,
                stamped,
                warm,
            )
        else:
            reuse, scratch = Reuse.scratch()
            stack.enter_context(scratch)
        if spent is not None:  # build.build: left, not freed
            spent.extend((reuse, theme, register))
        with collector_paused(resume=spent is None):
            told = progress or no_progress
            return pipeline(
                root,
                config,
                register,
                theme,
                drafts,
                strict,
                write,
                reuse,
                jobs,
                told,
                spent,
                live,
            )


def pipeline(
    root: Path,
    config: Config,
    register: Register,
    theme: Theme,
    drafts: bool,
    strict: bool,
    write: bool,
    reuse: Reuse,
    jobs: int,
    progress: Progress,
    spent: list[object] | None = None,
    live: Callable[[BuildResult], None] = unseen,
) -> BuildResult:
    """The stages, in order; `reuse` answers every reuse question, the sink takes every
    file as it is made (and `check`'s discards them). The register (register.py) is an
    input like the seeds: speakers and annotations resolve through it. What the stages
    made is left in `spent`, when given (build.build)."""
    with sink_for(root, config, reuse, write, jobs) as sink:
        # 1. gather: which seeds and sidecars there are
        found, diagnostics = gather(root, config.seeds_dir, key_position(config, "seeds_dir"))
        # 2-4. parse, verify, generate each seed (reused, inline or in workers)
        seeds = prepare_all(
            found, config, drafts, reuse, sink, jobs, progress, register, theme.labels
        )
        # 5. cross-check the briefings; stop here, before any output, on an error
        kept = seeds.published()
        briefings = [b for _, b in kept]
        diagnostics += [d for e in seeds.entries for d in e.diagnostics]
        diagnostics += variants(briefings, register) + list(theme.labels.notes)
        diagnostics = checked(diagnostics, strict)
        # 6. content: content/*.md of the seeds that were not prepared anew
        content = place_content(kept, seeds, reuse, sink)
        # 7. render site/, page by page, each page handed to the sink as it is made
        site = render_site(
            briefings,
            config,
            theme,
            lambda file, data: sink.write(SITE, file, data),
            loader(seeds),
            progress=progress,
            summaries=seeds.summaries(),
            jobs=jobs,
            place=lambda files: reuse.unchanged_all(SITE, files),
            check=seeds.ensure,
            register=register,
            previous=reuse.plan(),
            before=reuse.before(),
            recall=lambda file: reuse.last_output(SITE, file),
            kept=reuse.refilled(),
            keep=reuse.keeps(),
        )
        # 8. write: swap site/ and content/ in, together
        sink.prune(CONTENT, content)
        sink.prune(SITE, site.fingerprints)
        kept_spares = sink.commit()
        cloned = sink.clone(reuse.unknown_spares(kept_spares))
    try:  # while the kept generations are copied, if they are
        made = diagnostics + notes(reuse, theme)
        result = BuildResult(config.site_dir, config.site_url, briefings, made, site.rendered)
        result.work = site.work
        outputs = {SITE: site.fingerprints, CONTENT: content}
        summary, plan, refilled = result.to_summary(), site.plan, site.refilled
        try:  # the site is in place: a server's readers need not wait for the cache
            live(result)
        finally:  # written whatever the caller did with the news
            reuse.remember(summary, outputs, kept_spares, found, seeds, plan, cloned, refilled)
    finally:
        cloned()  # the copies are done with, whatever happened
    sink.wait()
    if spent is not None:
        spent.extend((seeds, site, found, kept, content, outputs))
    return result


def same_config(root: Path, read: Config) -> bool:
    """Whether briefgen.yml, read again after the clock, still says what it said."""
    try:
        return read_config(root) == read
    except BriefgenError:
        return False


def guard_outputs(root: Path, config: Config, clean: bool) -> None:
    """Refuse output folders whose replacement would destroy the editor's files. A
    folder the editor set is checked first, so a clash is blamed on their setting."""
    outputs = {SITE: config.site_dir, CONTENT: config.content_dir}
    for key, name in sorted(outputs.items(), key=lambda kv: kv[0] not in config.where):
        others = {k: v for k, v in outputs.items() if k != key}
        protected = {"seeds_dir": config.seeds_dir, "templates": TEMPLATES_DIR, **others}
        where = key_position(config, key)
        check_output_dir(root, name, key, protected, clean=clean, where=where)


def cached_reuse(
    root: Path,
    config: Config,
    theme: Theme,
    drafts: bool,
    strict: bool,
    clean: bool,
    register: Register,
    quick: tuple[str, Layout] | None,
    stamped_at: int,
    config_stamp: list[int] | None,
    stamped: Stamped | None = None,
    warm: Warm | None = None,
) -> CachedReuse:
    """The build cache's Reuse: what the last build remembered (nothing with --clean).
    `quick`: the no-op key and the layout it records (noop.py; None: record none), unless
    the config's stamp is no longer `config_stamp`, taken before it was read (saved
    since: no no-op until a build reads it); `stamped_at`: the file system's clock
    (writer.clock) once the lock was held, before the other settings were read;
    `stamped`: the stamps the no-op check took, used if they cover the folders this
    config reads; `warm`: the manifest and entries this process kept of its last build,
    taken if the cache still holds that manifest (warm.py)."""
    options = digest(environment_key(), repr(config), theme.digest, repr((drafts, strict)))
    if stamped and (stamped.seeds_dir, stamped.register) == (config.seeds_dir, config.register):
        stamps = stamped.stamps
    else:
        stamps = input_stamps(root, config.seeds_dir, config.register)
    disk = Cache(root)
    kept = None if clean or warm is None else warm.manifest_of(disk.dir)
    manifest = Manifest() if clean else kept or disk.manifest()
    folders = {
        SITE: (config.site_dir, root / config.site_dir),
        CONTENT: (config.content_dir, root / config.content_dir),
    }
    settings = trust_settings(config, register, theme.labels)
    recorded = quick if quick and stamps.get(CONFIG_FILE) == config_stamp else None
    return CachedReuse(
        disk, manifest, folders, options, stamps, stamped_at, settings, recorded, warm
    )


def layout_of(config: Config) -> Layout:
    return Layout(
        config.seeds_dir, config.register, config.site_dir, config.content_dir, config.site_url
    )


def sink_for(root: Path, config: Config, reuse: Reuse, write: bool, jobs: int) -> DiscardSink:
    """Where the build's files go: staged beside the output folders, or nowhere. With
    more than one process, a large kept generation is listed for its prune by another
    (output/listing.py)."""
    if not write:
        return DiscardSink()
    targets = {CONTENT: root / config.content_dir, SITE: root / config.site_dir}
    keep, spares = reuse.spares()
    apart = LIST_APART if jobs > 1 else None
    return reuse.bound(StagingSink(targets, keep, spares, reuse.disk.dir, apart))


def place_content(
    kept: list[tuple[str, Briefing]], seeds: Seeds, reuse: Reuse, sink: DiscardSink
) -> dict[str, str]:
    """content/<slug>.md of every published seed: written as it was prepared, carried
    over when unchanged, or written from its stored result. Returns file -> key."""
    files = {f"{b.slug}.md": key for key, b in kept}
    old = [(key, b) for key, b in kept if key not in seeds.fresh]
    found = reuse.unchanged_all(CONTENT, [(f"{b.slug}.md", key) for key, b in old])
    for (key, briefing), in_place in zip(old, found, strict=True):
        if not in_place:
            markdown = seeds.prepared(key, briefing.slug).markdown
            sink.write(CONTENT, f"{briefing.slug}.md", markdown.encode("utf-8"))
    return files


def loader(seeds: Seeds) -> Load:
    """A briefing's full data and body, read back for its page (in a render worker too:
    what it reads was checked, and is read only if still sound)."""

    def load(briefing: Briefing) -> tuple[Briefing, str]:
        key = key_of(briefing)
        prepared = seeds.reuse.read(key)
        if prepared is None:
            raise seeds.reuse.lost(key, briefing.slug)
        return prepared.briefing, prepared.html

    return load


def notes(reuse: Reuse, theme: Theme) -> list[Diagnostic]:
    """What was found damaged in the cache (and made again), each said once."""
    cache = theme.env.bytecode_cache
    compiled = cache.notes() if isinstance(cache, CheckedBytecodeCache) else []
    return reuse.notes + [note for note in compiled if note not in reuse.notes]


@contextlib.contextmanager
def collector_paused(resume: bool = True) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a build allocates.

    A build makes millions of small objects that live until it ends and form no cycles
    worth collecting; the collector's repeated full scans of them cost a sixth of a
    10,000-briefing build. Reference counting still frees everything as usual.

    Resumed, the collector makes up for its pause: the first allocation after it finds
    the millions of objects allocated since and scans them all (0.57 s at the end of a
    one-sidecar rebuild of 10,000 briefings). A process that ends right after the build
    (`resume=False`: build.build's `spent`, the `briefgen` command) leaves it paused.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and resume:
            gc.enable()
