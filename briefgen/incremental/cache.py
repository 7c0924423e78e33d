"""The build cache: exact incremental rebuilds, keyed on content hashes.

What is cached, under `.briefgen_cache/` at the site root (never in site/):

- each seed's stages 2-4 (`Prepared`: the full briefing, its Markdown and body HTML),
  keyed by a hash of the seed's and sidecar's text, the settings that affect them and the
  briefgen version; written by whichever process prepared it, read back when its page
  is rendered;
- the last build's `Entry` of every seed (the briefing as index pages see it, its
  warnings) in 32 shard files, so a rebuild knows the whole archive without reading
  10,000 files, and rewrites only the shards whose seeds changed;
- a manifest of the last successful build: a fingerprint of every output file, and the
  stamps (size, mtime) and hashes of every input;
- what the no-op check needs of that build, in one small file (noop.py);
- the page plan of that build (plan.py): what each page was made from, by briefing.

Stamps are only a shortcut: a file whose stamp differs (a fresh checkout gives every
file a new mtime) is read and hashed, and what its hash names is reused.

Every cache file is trusted only under a content hash recorded when it was written: a
prepared seed's in its Entry, an entry shard's and every output file's in the manifest,
the manifest's in its own first line, a compiled template's in its own header
(render.CheckedBytecodeCache). Sizes and mtimes only say what is worth hashing: a file
damaged with its stamp kept (a flipped bit, a hand edit with the mtime put back) hashes
differently, and is then made again, never used and never a failure. `Cache.notes` says
what was found damaged.

An output file carried over is read and hashed unless its identity vouches for it: the
same inode and a ctime recorded once settled (hashing.untouched, Bazel's rule). Any
write through the file system changes the ctime, and nothing sets it back, so the
damage above is still found; at 10,000 briefings, hashing the 33,700 carried files was
a tenth of a one-sidecar rebuild.

A page's fingerprint hashes everything its template can see — the template files, the
config, and its context, where each briefing stands for its content key — so a page is
re-rendered exactly when something it could show has changed, and otherwise its previous
output is linked into the new site/. When in doubt (no manifest, a different version, an
output file touched by hand), everything is rebuilt: an incremental build always gives
the bytes a clean build gives.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import pickle
from collections.abc import Container, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

from briefgen.incremental.keys import CACHE_DIR, FORMAT, code_version, environment_key
from briefgen.incremental.plan import Plan
from briefgen.vocabulary.errors import Diagnostic, Location, Severity
from briefgen.vocabulary.hashing import (
    content_hash,
    file_hash,
    found_stamp,
    output_stamp,
    recorded_stamp,
    stamp_of,
    untouched,
)

MANIFEST = "manifest"
OLD_MANIFEST = "manifest.json"
"""An earlier briefgen's manifest, in JSON: removed by the next build."""
MARSHAL_VERSION = 4
PREPARED = "prepared"
SPARE = "spare"
ENTRIES = "entries"
ENTRY_SHARDS = 32
PLAN = "plan.pickle"

Value = TypeVar("Value")


def entry_shard(key: str) -> str:
    return f"{ENTRIES}/{int(key[:4], 16) % ENTRY_SHARDS:02d}.pickle"


def entry_files(cache_dir: Path) -> list[str]:
    """Every file in the cache's entry folder, as a manifest names its shards."""
    try:
        return sorted(f"{ENTRIES}/{p.name}" for p in (cache_dir / ENTRIES).iterdir())
    except OSError:
        return []


def prepared_file(key: str) -> str:
    """Where a seed's Prepared is kept, relative to the cache folder."""
    return f"{PREPARED}/{key}.pickle"


@dataclasses.dataclass
class Manifest:
    """What the last successful build read and wrote."""

    options: str = ""
    """Hash of version, config, command options and theme."""
    inputs: dict[str, list[int] | None] = dataclasses.field(default_factory=dict)
    """Input path -> (size, mtime) when it was read."""
    outputs: dict[str, dict[str, list[Any]]] = dataclasses.field(default_factory=dict)
    """Output folder -> file -> [fingerprint, size, mtime, inode, ctime]
    (hashing.output_stamp)."""
    spare: dict[str, dict[str, list[Any]]] = dataclasses.field(default_factory=dict)
    """Output folder -> the files of its previous generation, kept in the cache to be
    updated into the next one (see writer.Staging)."""
    hashes: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    """Output folder -> file -> content hash, for `outputs`: a file is carried over only
    if it still hashes so."""
    spare_hashes: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    """The same for `spare`."""
    shards: dict[str, str] = dataclasses.field(default_factory=dict)
    """Entry shard file -> content hash."""
    shard_stamps: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    """Entry shard file -> [size, mtime, inode, ctime], as hashing.recorded_stamp records
    it (see reuse.CachedReuse.shard_stamps): a shard whose identity is the recorded one
    is not hashed as it is read."""
    plan: str = ""
    """Content hash of the page plan (plan.py) that build made, "" if none."""
    keys: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    """Seed path -> [sidecar path, content key] as that build read them."""
    settings: str = ""
    """The settings those keys were made with."""
    stamped_at: int = 0
    """When that build took the inputs' stamps, by the file system's clock (the mtime of
    a file it wrote just before; see `settled`)."""

    def settled(self, stamp: list[int] | None) -> bool:
        """Whether a file with this stamp is the file the last build read.

        Its stamp was taken before it was read, so a later change shows as a later mtime
        — unless the change fell in the same tick of the file system's clock as the
        stamped one. A file modified no earlier than the stamping is "racily clean", as
        git calls it, and is read again.
        """
        return stamp is not None and stamp[1] < self.stamped_at

    def trusted_keys(self, stamps: Mapping[str, list[int] | None], settings: str) -> dict[str, str]:
        """Content keys that need no reading: the seed's and sidecar's stamps are those
        the last build recorded, and both are settled."""
        if settings != self.settings:
            return {}
        trusted: dict[str, str] = {}
        for seed, (sidecar, key) in self.keys.items():
            then = (self.inputs.get(seed), self.inputs.get(sidecar))
            now = (stamps.get(seed), stamps.get(sidecar))
            if then == now and all(self.settled(stamp) for stamp in now):
                trusted[seed] = key
        return trusted

    def output(self, folder: str, rel: str, path: Path) -> tuple[str, bool] | None:
        """The fingerprint of an output file whose stamp is the one the last build
        recorded, and whether its identity vouches it unwritten since (hashing.untouched);
        None when its stamp differs."""
        entry = self.outputs.get(folder, {}).get(rel)
        found = found_stamp(path)
        if entry is None or found is None or found[:2] != entry[1:3]:
            return None
        return str(entry[0]), untouched(entry[1:], found)


class Cache:
    """Reads the cache; what to write goes back to `writer.write_cache`."""

    def __init__(self, root: Path) -> None:
        self.dir = root / CACHE_DIR
        self.notes: list[Diagnostic] = []
        """What was found damaged, and made again."""
        self.shards: dict[str, str] = {}
        """Entry shards read and found sound, by their content hash (see `entries`)."""
        self.shard_stamps: dict[str, list[int]] = {}
        """The identity of each shard read and found sound, as the read that found it
        so may record it (hashing.recorded_stamp; see `entries`)."""

    def damaged(self, rel: str, remedy: str) -> None:
        """Say that a cache file (relative to the cache folder) did not hash as recorded."""
        where = Location(f"{self.dir.name}/{rel}")
        message = f"cache file damaged (its content hash does not match); {remedy}"
        self.notes.append(Diagnostic(where, message, Severity.NOTE))

    def missing(self, rel: str, remedy: str) -> None:
        """Say that a cache file the manifest records is gone."""
        where = Location(f"{self.dir.name}/{rel}")
        self.notes.append(Diagnostic(where, f"cache file missing; {remedy}", Severity.NOTE))

    def manifest(self) -> Manifest:
        try:
            raw = (self.dir / MANIFEST).read_bytes()
        except OSError:
            return Manifest()
        return self.manifest_of(raw)

    def manifest_of(self, raw: bytes) -> Manifest:
        """The manifest these bytes hold (an empty one if it is not to be trusted)."""
        head, _, body = raw.partition(b"\n")
        try:
            if head.decode("ascii") != content_hash(body):
                raise ValueError("damaged")
            made_by, _, data = body.partition(b"\n")
            if made_by != manifest_maker():
                return Manifest()  # another briefgen's or Python's: not trusted, not damaged
            fields = marshal.loads(data)
            return Manifest(**{f.name: fields[f.name] for f in dataclasses.fields(Manifest)})
        except (ValueError, EOFError, KeyError, TypeError, AttributeError):
            self.damaged(MANIFEST, "everything is built again")
            return Manifest()

    def prepared(self, key: str, expected: str) -> Any:
        """A seed's cached stages 2-4 if the file hashes as `expected`, else None."""
        try:
            data = (self.dir / prepared_file(key)).read_bytes()
        except OSError:
            return None
        return unpickled(data) if content_hash(data) == expected else None

    def prepared_sound(self, key: str, expected: str) -> bool:
        """Whether a seed's cached stages 2-4 hash as `expected` (without unpickling)."""
        return file_hash(self.dir / prepared_file(key)) == expected

    def spare(self, folder: str) -> Path:
        """Where the previous generation of an output folder is kept."""
        return self.dir / SPARE / hashlib.sha256(folder.encode()).hexdigest()[:16]

    def entries(
        self,
        wanted: Container[str],
        hashes: Mapping[str, str],
        stamps: Mapping[str, list[int]] | None = None,
        settled_before: int = 0,
    ) -> tuple[dict[str, Any], set[str]]:
        """The last successful build's entries for the `wanted` keys, and every key the
        cache holds. Only wanted entries are kept: after a change of settings or of
        briefgen itself none are, and holding them all would double a build's memory.
        A shard is read only if it hashes as the manifest recorded (`hashes`), unless
        its identity vouches for it (`stamps`: hashing.untouched, as for output files;
        hashing the 44 MB of shards at 10,000 briefings was 0.023 s of every rebuild);
        one that does not just leaves its seeds to be prepared again. The identity of a
        sound one is kept in `shard_stamps`, as the read that found it sound took it
        (against `settled_before`, the clock read before it: hashing.recorded_stamp):
        stat'ed later, a shard damaged meanwhile would be recorded as sound."""
        found: dict[str, Any] = {}
        held: set[str] = set()
        for path in self.entry_files():
            expected = hashes.get(path)
            if expected is None:
                continue  # not written by the build that wrote the manifest
            recorded = (stamps or {}).get(path)
            read = read_stamped(self.dir / path)
            if read is None:
                continue
            data, stamp = read
            vouched = recorded if recorded is not None and untouched(recorded, stamp) else None
            sound = vouched is not None or content_hash(data) == expected
            shard = unpickled(data) if sound else None
            if not isinstance(shard, dict):
                self.damaged(path, "its seeds are prepared again")
                continue
            self.shards[path] = expected
            self.shard_stamps[path] = vouched or recorded_stamp(stamp, settled_before)
            held.update(shard)
            found.update((key, entry) for key, entry in shard.items() if key in wanted)
        return found, held

    def plan(self, expected: str) -> Plan:
        """The last build's page plan if it hashes as `expected`; else an empty one
        (everything is planned in full)."""
        if not expected:
            return Plan()
        try:
            data = (self.dir / PLAN).read_bytes()
        except OSError:
            return Plan()
        plan = unpickled(data) if content_hash(data) == expected else None
        if not isinstance(plan, Plan):
            self.damaged(PLAN, "every page is fingerprinted again")
            return Plan()
        return plan

    def entry_files(self) -> list[str]:
        return entry_files(self.dir)

    def entry_updates(
        self, current: Mapping[str, Any], previous: Iterable[str], fresh: Container[str]
    ) -> tuple[dict[str, list[str]], list[str], dict[str, str]]:
        """The entry shards to write, each with its keys (those whose seeds changed, or
        were prepared again), the files to remove, and the content hash of every shard
        kept as it is. The caller pickles and writes the shards one by one: held all at
        once they were 38 MB at 10,000 briefings, at the build's peak of memory."""
        new: dict[str, list[str]] = {}
        old: dict[str, list[str]] = {}
        for key in sorted(current):
            new.setdefault(entry_shard(key), []).append(key)
        for key in sorted(previous):
            old.setdefault(entry_shard(key), []).append(key)
        write = {
            file: keys
            for file, keys in new.items()
            if keys != old.get(file) or file not in self.shards or any(k in fresh for k in keys)
        }
        kept = {file: self.shards[file] for file in new if file not in write}
        return write, [file for file in self.entry_files() if file not in new], kept

    def stale_prepared(self, keys: Iterable[str]) -> list[str]:
        """Every file in prepared/ but those of `keys`: results of seeds since edited or
        deleted, and whatever else is there (a crashed build's). Listed by name: a Path
        per file was 0.08 s of a one-sidecar rebuild at 10,000 briefings."""
        kept = {os.path.basename(prepared_file(key)) for key in keys}
        try:
            names = os.listdir(self.dir / PREPARED)
        except OSError:
            return []
        return sorted(f"{PREPARED}/{name}" for name in names if name not in kept)


def read_stamped(path: Path) -> tuple[bytes, list[int]] | None:
    """A cache file's bytes, and its stamp (hashing.found_stamp) taken of the open file
    once they are read: a write before the stamp shows in its ctime. None when it
    cannot be read."""
    try:
        with open(path, "rb") as f:
            data = f.read()
            st = os.fstat(f.fileno())
    except OSError:
        return None
    return data, stamp_of(st)


def manifest_bytes(manifest: Manifest) -> bytes:
    """The manifest: a first line with the content hash of the rest, a line naming the
    briefgen and Python that made it, then its fields in marshal's format. Not JSON: at
    10,000 briefings it is 12 MB, which marshal writes in a twentieth of the time and
    reads in half, with a third less memory at the build's peak."""
    fields = {f.name: getattr(manifest, f.name) for f in dataclasses.fields(Manifest)}
    body = manifest_maker() + b"\n" + marshal.dumps(fields, MARSHAL_VERSION)
    return content_hash(body).encode("ascii") + b"\n" + body


def shared(spare: Mapping[str, Value], new: Mapping[str, Value]) -> dict[str, Value]:
    """`spare` (the retired generation's files) with every file whose entry equals the
    new generation's taking that entry's objects, its name and value: marshal writes an
    object held twice once, then a reference, and reads it back once. The generations
    have nearly every file in common, so at 10,000 briefings the manifest is 8.5 MB
    instead of 11.7, and is read in 0.034 s instead of 0.078."""
    both = {rel: value for rel, value in new.items() if spare.get(rel) == value}
    both.update((rel, value) for rel, value in spare.items() if rel not in both)
    return both


def manifest_maker() -> bytes:
    """Who made a manifest: marshal's format is Python's own, and its fields briefgen's."""
    return f"{FORMAT} {code_version()} {environment_key()} {MARSHAL_VERSION}".encode()


class Known(Protocol):
    """What a build found of the files it carried over (reuse.Carried)."""

    hashes: dict[str, str]
    stamps: dict[str, list[int]]


def output_entries(
    folder: Path, fingerprints: Mapping[str, str], known: Known, settled_before: int
) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """[fingerprint, size, mtime, inode, ctime] and the content hash of every file just
    put in `folder`. `known` holds the hashes and stamps of the files carried over
    (checked as they were, and untouched since); the files made anew are stat'ed and read
    back, the clock `settled_before` read before (hashing.output_stamp)."""
    entries: dict[str, list[Any]] = {}
    hashes: dict[str, str] = {}
    base = str(folder)
    for rel, fp in fingerprints.items():
        st = known.stamps.get(rel)
        found = known.hashes.get(rel)
        if st is None or found is None:
            path = os.path.join(base, rel)
            st, found = output_stamp(path, settled_before), file_hash(path)
        if st is not None and found is not None:
            entries[rel] = [fp, *st]
            hashes[rel] = found
    return entries, hashes


def pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpickled(data: bytes) -> Any:
    """A cache file's value, or None when it cannot be unpickled (then: rebuild). Its
    hash was checked first; any error here (a class renamed since, say) is a miss."""
    try:
        return pickle.loads(data)
    except Exception:
        return None
