"""Every reuse decision a build makes, behind one object passed into the pipeline.

"Do I have this seed's result for this key?" (`result`), "is this output file unchanged
for this fingerprint?" (`unchanged`), and where a seed's full result waits until its
page is rendered (`keep`, `load`). `Reuse` itself answers no to every question and
keeps prepared seeds in a scratch folder: `briefgen check`'s. `CachedReuse` answers
from the build cache (.briefgen_cache/, see cache.py) and, after a successful build,
`remember`s it; with --clean it starts from an empty manifest, so it too answers no,
and writes a fresh cache.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from briefgen.incremental.cache import (
    MANIFEST,
    OLD_MANIFEST,
    PLAN,
    Cache,
    Manifest,
    manifest_bytes,
    output_entries,
    pickled,
    prepared_file,
    shared,
)
from briefgen.incremental.noop import NOOP, Layout, noop_bytes
from briefgen.incremental.plan import SMALL_EDIT, Plan
from briefgen.incremental.warm import Warm
from briefgen.output.output import DiscardSink
from briefgen.output.writer import ctime_clock, write_cache, write_cache_file
from briefgen.site.indexlayout import Refilled
from briefgen.stages.inputs import SeedFiles
from briefgen.stages.prepare import Entry, Made, Prepared, content_key
from briefgen.stages.register import EMPTY, Register
from briefgen.stages.verify import Briefing
from briefgen.vocabulary.errors import BriefgenError, Diagnostic, Location, Severity, error
from briefgen.vocabulary.hashing import (
    content_hash,
    file_hash,
    found_stamp,
    output_stamp,
    recorded_stamp,
    untouched,
)
from briefgen.vocabulary.labels import ENGLISH, Labels


class SeedResults(Protocol):
    """What a build made of its seeds (preparing.Seeds), as `remember` records it."""

    keys: list[str]
    entries: list[Entry]
    fresh: set[str]


class Reuse:
    """No reuse: every seed prepared, every page rendered, nothing remembered."""

    def __init__(self, disk: Cache) -> None:
        self.disk = disk
        self.expected: dict[str, str] = {}
        """Content hash of each kept Prepared, by key (from its Entry)."""

    @classmethod
    def scratch(cls) -> tuple[Reuse, tempfile.TemporaryDirectory[str]]:
        """A Reuse keeping prepared seeds in a scratch folder (removed with it)."""
        folder = tempfile.TemporaryDirectory(prefix="briefgen-")
        return cls(Cache(Path(folder.name))), folder

    @property
    def notes(self) -> list[Diagnostic]:
        """What was found damaged in the cache, and made again."""
        return self.disk.notes

    def key(
        self, files: SeedFiles, settings: Any, register: Register = EMPTY, labels: Labels = ENGLISH
    ) -> str:
        """A seed's content key: hashed from its files and the register entries its
        sidecar names (a cache may know it unread)."""
        return content_key(files, settings, files.raw(), register, labels)

    def may_hold(self) -> bool:
        """Whether any seed's result may be held: if not, no seed is keyed before it is
        prepared (keying reads both files, in the build's one process, and a worker
        reads them again to prepare them)."""
        return False

    def recall(self, keys: Iterable[str]) -> None:
        """Get ready to be asked about these keys (and only these: see `result`)."""
        del keys

    def result(self, key: str) -> Entry | None:
        """This seed's last result for this key, if it is still held and sound."""
        del key
        return None

    def forget_recalled(self) -> None:
        """The hits are the build's now: nothing else of the old results stays."""

    def keep(self, made: Made) -> None:
        """Hold a freshly prepared seed's full result until its page is rendered."""
        write_cache_file(self.disk.dir, prepared_file(made.key), made.data)
        self.expected[made.key] = made.entry.stored_hash

    def held(self, key: str, entry: Entry) -> None:
        """A result carried over from the last build, as `result` gave it."""
        self.expected[key] = entry.stored_hash

    def read(self, key: str) -> Prepared | None:
        """A seed's full result, if it still hashes as recorded (render workers too)."""
        prepared = self.disk.prepared(key, self.expected.get(key, ""))
        return prepared if isinstance(prepared, Prepared) else None

    def sound(self, key: str) -> bool:
        return self.disk.prepared_sound(key, self.expected.get(key, ""))

    def repaired(self, key: str) -> None:
        """Say that a seed's stored result was found damaged or gone, and is prepared
        again (told before the new one is stored)."""
        rel = prepared_file(key)
        if (self.disk.dir / rel).exists():
            self.disk.damaged(rel, "prepared again")
        else:
            self.disk.missing(rel, "prepared again")

    def lost(self, key: str, slug: str) -> BriefgenError:
        where = f"{self.disk.dir.name}/{prepared_file(key)}"
        message = f"the build cache lost what it held for {slug}"
        return BriefgenError([error(where, 0, 0, message, "run `briefgen build --clean`")])

    def unchanged(self, kind: str, rel: str, fingerprint: str) -> bool:
        """Whether the output already has this file as made from these inputs (then it
        is put in place, never copied); False when it has to be made."""
        del kind, rel, fingerprint
        return False

    def unchanged_all(self, kind: str, files: Iterable[tuple[str, str]]) -> list[bool]:
        """`unchanged` of each (file, fingerprint), in order."""
        return [self.unchanged(kind, rel, fingerprint) for rel, fingerprint in files]

    def plan(self) -> Plan | None:
        """The last build's page plan (plan.py), empty when there is none to trust; None
        when this build is not planned (nothing is remembered)."""
        return None

    def before(self) -> dict[str, Briefing]:
        """The last build's views of its briefings whose keys are gone (an edited seed's
        old key), when they are few (plan.SMALL_EDIT), by key."""
        return {}

    def last_output(self, kind: str, rel: str) -> bytes | None:
        """The last build's bytes of an output file, if it still hashes as recorded."""
        del kind, rel
        return None

    def refilled(self) -> Refilled | None:
        """The last build's index records, if this process kept them (warm.py)."""
        return None

    def keeps(self) -> bool:
        """Whether this build's index records are kept for the next (`remember`)."""
        return False

    def spares(self) -> tuple[dict[str, Path | None], dict[str, Any]]:
        """Where each output folder's retired generation is kept, and what it holds."""
        return {}, {}

    def bound(self, sink: DiscardSink) -> DiscardSink:
        """The sink the output goes to: where unchanged files are carried over into."""
        return sink

    def remember(
        self,
        summary: dict[str, Any],
        outputs: Mapping[str, Mapping[str, str]],
        kept_spares: Sequence[str],
        found: Sequence[SeedFiles],
        seeds: SeedResults,
        plan: Plan | None = None,
        cloned: Callable[[], Sequence[str]] = list,
        refilled: Refilled | None = None,
    ) -> None:
        """After a successful build: what the next one may reuse (nothing, here)."""
        del summary, outputs, kept_spares, found, seeds, plan, cloned, refilled

    def unknown_spares(self, kept: Sequence[str]) -> list[str]:
        """The output kinds left with no kept generation known file by file (none was
        kept, or the one kept was not recorded): the sink makes them one (Staging.clone)."""
        del kept
        return []


@dataclass
class Carried:
    """What `unchanged` found of an output folder's previous files."""

    hashes: dict[str, str] = field(default_factory=dict)
    """The files carried over, by content hash."""
    stamps: dict[str, list[int]] = field(default_factory=dict)
    """The stamps of those kept from the spare generation, as checked then (the file
    stays where it was; hashing.output_stamp): the next manifest records them without a
    stat per file."""
    damaged: set[str] = field(default_factory=set)
    """Files found not to hash as recorded: the retired generation may still hold them,
    so the next build is not told they are there."""

    def sound(self, entries: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
        return {rel: entry for rel, entry in entries.items() if rel not in self.damaged}


class CachedReuse(Reuse):
    """Reuse from the build cache: exact, keyed on content hashes (see cache.py)."""

    def __init__(
        self,
        disk: Cache,
        manifest: Manifest,
        folders: Mapping[str, tuple[str, Path]],
        options: str,
        stamps: dict[str, list[int] | None],
        stamped_at: int,
        settings: str,
        quick: tuple[str, Layout] | None = None,
        warm: Warm | None = None,
    ) -> None:
        """`folders`: kind -> (the output folder's name, its path); `options`: a hash of
        everything besides the inputs that shapes the output; `stamps`: every input's
        stamp, taken at `stamped_at`; `settings`: what shapes seeds' keys (the register
        too: prepare.trust_settings); `quick`: the no-op key and layout to record
        (noop.py), None to record none; `warm`: what this process kept of its last
        build (warm.py), whose entries are taken if `manifest` is the one it kept, and
        which is told what this build writes."""
        super().__init__(disk)
        self.manifest = manifest
        self.folders = dict(folders)
        self.options = options
        self.stamps = stamps
        self.stamped_at = stamped_at
        self.checked_at = self.ctime_clock()
        """The clock the files checked during the build are stamped against."""
        self.settings = settings
        self.quick = quick
        self.trusted = manifest.trusted_keys(stamps, settings)
        self.known: dict[str, Any] = {}
        self.previous: set[str] = set()
        self.gone: dict[str, Briefing] = {}
        self.carried = {kind: Carried() for kind in self.folders}
        self.sink: DiscardSink = DiscardSink()
        self.kept: dict[str, tuple[str, Mapping[str, Sequence[Any]]]] = {}
        self.warm = warm

    def ctime_clock(self) -> int:
        return ctime_clock(self.disk.dir, (live for _, live in self.folders.values()))

    def unknown_spares(self, kept: Sequence[str]) -> list[str]:
        return [
            kind
            for kind, (name, _) in self.folders.items()
            if kind not in kept or name not in self.manifest.outputs
        ]

    def spares(self) -> tuple[dict[str, Path | None], dict[str, Any]]:
        keep: dict[str, Path | None] = {
            kind: self.disk.spare(name) for kind, (name, _) in self.folders.items()
        }
        recorded = {
            kind: self.manifest.spare[name]
            for kind, (name, _) in self.folders.items()
            if name in self.manifest.spare
        }
        return keep, recorded

    def key(
        self, files: SeedFiles, settings: Any, register: Register = EMPTY, labels: Labels = ENGLISH
    ) -> str:
        trusted = self.trusted.get(files.seed_path)
        return trusted or super().key(files, settings, register, labels)

    def may_hold(self) -> bool:
        """Only the last build's results are held (none with --clean). After a change of
        settings, a seed's result may still be held: a register edit changes only the
        keys of the seeds that name the entries it changed."""
        return bool(self.manifest.keys)

    def recall(self, keys: Iterable[str]) -> None:
        """Read the last build's entries of these keys (and which keys the cache holds):
        only those, since after a change of settings or of briefgen itself none are
        wanted, and holding them all would double a build's memory."""
        wanted = set(keys)
        gone = {k for _, k in self.manifest.keys.values()} - wanted
        if len(gone) <= SMALL_EDIT:  # their views tell the search index what to drop
            wanted |= gone
        warm = self.warmed()
        if warm is not None:
            self.known, self.previous = warm.entries_of(wanted)
            self.disk.shards = dict(self.manifest.shards)
        else:
            stamps, clock = self.manifest.shard_stamps, self.checked_at
            self.known, self.previous = self.disk.entries(
                wanted, self.manifest.shards, stamps, clock
            )
        self.gone = {
            k: e.briefing
            for k in gone
            if isinstance(e := self.known.get(k), Entry) and e.briefing is not None
        }

    def result(self, key: str) -> Entry | None:
        """The entry alone: its stored Prepared is hashed when it is read, and prepared
        again if damaged or gone (preparing.Seeds), which only a page to render or a
        Markdown file to write needs. A stat of each seed's file to compare its size
        first took 0.13 s of a one-sidecar rebuild at 10,000 briefings."""
        hit = self.known.get(key)
        return hit if isinstance(hit, Entry) else None

    def forget_recalled(self) -> None:
        self.known = {}

    def plan(self) -> Plan:
        if not self.manifest.options or self.manifest.options != self.options:
            return Plan()
        return self.disk.plan(self.manifest.plan)

    def before(self) -> dict[str, Briefing]:
        return self.gone

    def refilled(self) -> Refilled | None:
        """Kept only with the manifest and entries it was made with (their views are
        the objects its records hold). Handed over, not kept on: the records this build
        does not take are freed as soon as its own are made (held through the build,
        they were 25-30 MB more of its peak at 3,000 briefings, found by review)."""
        warm = self.warmed()
        if warm is None:
            return None
        kept, warm.refilled = warm.refilled, None
        return kept

    def warmed(self) -> Warm | None:
        """This process's kept build, if it is the one this build started from (its
        manifest is this build's: Warm.manifest_of found the cache still holds it)."""
        warm = self.warm
        return warm if warm is not None and warm.manifest is self.manifest else None

    def keeps(self) -> bool:
        return self.warm is not None

    def last_output(self, kind: str, rel: str) -> bytes | None:
        name, live = self.folders[kind]
        try:
            data = (live / rel).read_bytes()
        except OSError:
            return None
        recorded = self.manifest.hashes.get(name, {}).get(rel)
        return data if recorded is not None and content_hash(data) == recorded else None

    def unchanged_all(self, kind: str, files: Iterable[tuple[str, str]]) -> list[bool]:
        """`unchanged` of each, with the common case in one loop: a file kept from the
        spare generation, its identity untouched. At 10,000 briefings that is 35,000
        files, and a call per file through `unchanged` spent more than its stat on
        looking up the same folder, entries and hashes again (0.2 s of an edit)."""
        kept = self.kept.get(kind)
        if kept is None:
            return [self.checked(kind, rel, fingerprint) for rel, fingerprint in files]
        folder, entries = kept
        expected = self.manifest.spare_hashes.get(self.folders[kind][0], {})
        carried = self.carried[kind]
        hashes, stamps = carried.hashes, carried.stamps
        prefix = os.path.join(folder, "")
        listed = self.sink.stamps(kind)  # taken on the other core, if they were
        found: list[bool] = []
        for rel, fingerprint in files:
            entry = entries.get(rel)
            if entry is not None and entry[0] == fingerprint:
                recorded = entry[1:]
                hashed = expected.get(rel)
                stamp = listed.get(rel) or found_stamp(prefix + rel)
                if hashed is not None and stamp is not None and untouched(recorded, stamp):
                    hashes[rel] = hashed
                    stamps[rel] = list(recorded)
                    found.append(True)
                    continue
            found.append(self.checked(kind, rel, fingerprint))
        return found

    def unchanged(self, kind: str, rel: str, fingerprint: str) -> bool:
        """Carried over only if the file still has the content hash recorded when it was
        written (its stamp may survive damage; its identity, when it vouches the file
        unwritten since, stands for reading it: hashing.untouched): kept from the spare
        generation, or linked from the live one."""
        return self.unchanged_all(kind, ((rel, fingerprint),))[0]

    def checked(self, kind: str, rel: str, fingerprint: str) -> bool:
        """`unchanged`, every case: a file of the spare generation not vouched for by its
        identity is hashed, and one of the live generation is linked."""
        name, live = self.folders[kind]
        carried = self.carried[kind]
        damaged = False
        staged_stamp = self.sink.holds(kind, rel, fingerprint)
        if staged_stamp is not None:
            recorded = self.manifest.spare[name][rel][1:]
            expected = self.manifest.spare_hashes.get(name, {}).get(rel)
            vouched = untouched(recorded, staged_stamp)
            found = expected if vouched else file_hash(self.sink.staged(kind, rel) or "")
            if found is not None and found == expected:
                carried.hashes[rel] = found
                stamped = recorded if vouched else recorded_stamp(staged_stamp, self.checked_at)
                carried.stamps[rel] = list(stamped)
                return True
            damaged = True
            carried.damaged.add(rel)
            spare = self.disk.spare(name).relative_to(self.disk.dir).as_posix()
            self.disk.damaged(f"{spare}/{rel}", "made again")
        previous = live / rel
        output = self.manifest.output(name, rel, previous)
        if output is None or output[0] != fingerprint:
            return False
        expected = self.manifest.hashes.get(name, {}).get(rel)
        found = expected if output[1] else file_hash(previous)
        if found is None or found != expected:
            carried.damaged.add(rel)
            if not damaged:  # the spare's file is often this very file (a hard link)
                where = Location(f"{name}/{rel}")
                message = "changed since it was written, its mtime kept; made again"
                self.disk.notes.append(Diagnostic(where, message, Severity.NOTE))
            return False
        self.sink.write(kind, rel, previous)  # a link, or a copy across file systems:
        carried.hashes[rel] = found  # stat'ed again for its stamp
        return True

    def shard_stamps(
        self, written: Container[str], hashes: Mapping[str, str], now: int
    ) -> dict[str, list[int]]:
        """The identity to record of each entry shard (Manifest.shard_stamps): of one
        this build wrote, as stamped after the clock `now` and read back with the hash
        it was written with (output_entries' rule); of one it kept, as the read that
        found it sound took it (Cache.entries), none if it read none (a warm build)."""
        found: dict[str, list[int]] = {}
        for file in hashes:
            path = self.disk.dir / file
            if file not in written:
                if file in self.disk.shard_stamps:
                    found[file] = self.disk.shard_stamps[file]
            elif (stamp := output_stamp(path, now)) and file_hash(path) == hashes[file]:
                found[file] = stamp
        return found

    def bound(self, sink: DiscardSink) -> DiscardSink:
        """The sink, and for each kind whose spare generation it reused the staged folder
        and the entries `holds` checks against (`unchanged` checks them itself)."""
        self.sink = sink
        self.kept = {kind: kept for kind in self.folders if (kept := sink.kept_spare(kind))}
        return sink

    def remember(
        self,
        summary: dict[str, Any],
        outputs: Mapping[str, Mapping[str, str]],
        kept_spares: Sequence[str],
        found: Sequence[SeedFiles],
        seeds: SeedResults,
        plan: Plan | None = None,
        cloned: Callable[[], Sequence[str]] = list,
        refilled: Refilled | None = None,
    ) -> None:
        """After a successful build: the manifest, the page plan, the entry shards whose
        seeds changed, and no prepared seed that is no longer in the site. `outputs`:
        kind -> file -> fingerprint of what was just put in place; `refilled`: the
        build's index records, kept with the rest when this process keeps its builds."""
        if self.warm is not None:
            self.warm.forget()  # until the cache holds what it is told (shards first)
        keys, entries, fresh = seeds.keys, seeds.entries, seeds.fresh
        by_key = dict(zip(keys, entries, strict=True))
        cached = {key: entry for key, entry in by_key.items() if entry.briefing}
        shards, stale, shard_hashes = self.disk.entry_updates(cached, self.previous, fresh)
        for file, shard_keys in shards.items():
            data = pickled({key: cached[key] for key in shard_keys})
            shard_hashes[file] = content_hash(data)
            write_cache(self.disk.dir, {file: data})
        stale += self.disk.stale_prepared(by_key)
        stale.append(OLD_MANIFEST)
        plan_hash = ""
        if plan is not None and plan.depends:
            data = pickled(plan)
            plan_hash = content_hash(data)
            write_cache(self.disk.dir, {PLAN: data})
            del data
        else:
            stale.append(PLAN)
        # The copies made meanwhile (Staging.clone), done before any output is stamped:
        # a link changes its file's ctime, which would then vouch for nothing.
        copied = cloned()
        names = {kind: name for kind, (name, _) in self.folders.items()}
        now = self.ctime_clock()  # before any stat: see hashing.output_stamp
        written = {
            names[kind]: output_entries(self.folders[kind][1], files, self.carried[kind], now)
            for kind, files in outputs.items()
        }
        shard_stamps = self.shard_stamps(shards, shard_hashes, now)
        old = self.manifest
        spares = {  # folder -> (its kept generation's entries, their hashes)
            names[kind]: (
                self.carried[kind].sound(old.outputs.get(names[kind], {})),
                old.hashes.get(names[kind], {}),
            )
            for kind in kept_spares
            if kind not in copied
        } | {names[kind]: written[names[kind]] for kind in copied}
        for name, (kept, sums) in spares.items():  # held once where the same
            files_now, sums_now = written.get(name, ({}, {}))
            spares[name] = (shared(kept, files_now), shared(sums, sums_now))
        manifest = Manifest(
            options=self.options,
            inputs=self.stamps,
            outputs={name: files for name, (files, _) in written.items()},
            spare={name: entries for name, (entries, _) in spares.items()},
            hashes={name: hashes for name, (_, hashes) in written.items()},
            spare_hashes={name: hashes for name, (_, hashes) in spares.items()},
            shards=shard_hashes,
            shard_stamps=shard_stamps,
            plan=plan_hash,
            keys={f.seed_path: [f.sidecar_path, k] for f, k in zip(found, keys, strict=True)},
            settings=self.settings,
            stamped_at=self.stamped_at,
        )
        files = {MANIFEST: manifest_bytes(manifest)}
        if self.quick is not None and all(map(manifest.settled, self.stamps.values())):
            key, layout = self.quick  # last: it speaks for the files written before it
            files[NOOP] = noop_bytes(key, layout, self.stamps, manifest.outputs, summary)
        else:  # a racily clean input is read again next time: no no-op until then
            stale.append(NOOP)
        write_cache(self.disk.dir, files, stale)
        if self.warm is not None:
            self.warm.keep(files[MANIFEST], manifest, cached, refilled)
