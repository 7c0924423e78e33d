"""Stages 2-4 for every seed, in order: reused, prepared inline, or in worker processes.

Each seed's result is streamed as it arrives: its full data to the reuse store (until
its page is rendered), its Markdown to the output sink, and only its light Entry is
held. A stored result found damaged later is prepared again here (`Seeds.ensure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefgen.incremental.reuse import Reuse
from briefgen.output.output import CONTENT, DiscardSink
from briefgen.site.indexes import key_of
from briefgen.stages.config import Config
from briefgen.stages.inputs import SeedFiles
from briefgen.stages.prepare import Entry, Made, Prepared, prepare, published
from briefgen.stages.register import EMPTY, Register
from briefgen.stages.verify import Briefing
from briefgen.vocabulary.labels import ENGLISH, Labels
from briefgen.workers import Progress, in_order

PARALLEL_MIN = 16
"""Below this many seeds, starting worker processes costs more than it saves."""


@dataclass
class Seeds:
    """Every seed found, its content key and its Entry, and which were prepared anew."""

    found: list[SeedFiles]
    keys: list[str]
    entries: list[Entry]
    fresh: set[str]
    """Keys prepared by this build: just stored, and trusted."""
    config: Config
    drafts: bool
    reuse: Reuse
    register: Register = EMPTY
    """The site's register (register.py): an input like the seeds."""
    labels: Labels = ENGLISH
    """The site's words, for the Markdown of a seed prepared again."""
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {key: i for i, key in enumerate(self.keys)}

    def published(self) -> list[tuple[str, Briefing]]:
        """(key, index view) of every seed that makes a page, in the seeds' order."""
        pairs = zip(self.keys, self.entries, strict=True)
        return [(key, e.briefing) for key, e in pairs if published(e.briefing, self.drafts)]

    def summaries(self) -> dict[str, str]:
        """Every briefing's summary HTML, rendered with it (in a worker, or cached)."""
        return {e.briefing.summary: e.summary_html for e in self.entries if e.briefing}

    def prepared(self, key: str, slug: str) -> Prepared:
        """A seed's full result, read back, prepared again if damaged."""
        prepared = self.reuse.read(key)
        if prepared is None:
            self.repair(key, slug)
            prepared = self.reuse.read(key)
        if prepared is None:
            raise self.reuse.lost(key, slug)
        return prepared

    def ensure(self, briefings: Sequence[Briefing]) -> None:
        """Before their pages are rendered (by workers, which only read): prepare again
        what is damaged of these."""
        for b in briefings:
            key = key_of(b)
            if key not in self.fresh and not self.reuse.sound(key):
                self.repair(key, b.slug)

    def repair(self, key: str, slug: str) -> None:
        i = self.index[key]
        made = prepare(self.found[i], self.config, self.drafts, self.register, self.labels)
        if made.key != key:  # the seed changed since this build read it
            raise self.reuse.lost(key, slug)
        self.reuse.repaired(key)  # before the new one is stored: it says what was found
        self.reuse.keep(made)
        self.entries[i] = made.entry
        self.fresh.add(key)


def prepare_all(
    found: list[SeedFiles],
    config: Config,
    drafts: bool,
    reuse: Reuse,
    sink: DiscardSink,
    jobs: int,
    progress: Progress,
    register: Register = EMPTY,
    labels: Labels = ENGLISH,
) -> Seeds:
    """`prepare` every seed that `reuse` has no result for; stream what is made."""
    if reuse.may_hold():
        keys = [reuse.key(files, config, register, labels) for files in found]
    else:  # a clean build or a check: each seed is keyed where it is prepared
        keys = [""] * len(found)
    reuse.recall(keys)
    results: dict[int, Entry] = {}
    for i, key in enumerate(keys):
        hit = reuse.result(key)
        if hit is not None:
            results[i] = hit
            reuse.held(key, hit)
    reuse.forget_recalled()
    todo = [i for i in range(len(found)) if i not in results]
    work = in_order(
        prepare,
        [found[i] for i in todo],
        config,
        drafts,
        register,
        labels,
        jobs=jobs,
        minimum=PARALLEL_MIN,
        stage="verifying",
        progress=progress,
    )
    for i, made in zip(todo, work, strict=True):
        keys[i], results[i] = made.key, made.entry
        keep(made, reuse, sink)
    entries = [results[i] for i in range(len(found))]
    fresh = {keys[i] for i in todo}
    return Seeds(found, keys, entries, fresh, config, drafts, reuse, register, labels)


def keep(made: Made, reuse: Reuse, sink: DiscardSink) -> None:
    if made.entry.briefing is None:
        return
    reuse.keep(made)
    if made.markdown is not None and made.entry.briefing is not None:
        sink.write(CONTENT, f"{made.entry.briefing.slug}.md", made.markdown)
