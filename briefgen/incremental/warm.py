"""What a long-running command keeps of its last build, so the next one does not read
back the cache it wrote itself.

`briefgen serve` rebuilds on every save. A rebuild reads the manifest and every
briefing's entry from the cache (cache.py), most of it making the 2 million objects of
the entries at 10,000 briefings, which the server's last build had in memory already:
taking them from memory instead brought serve's rebuild of a one-sidecar edit there
from 3.54 s to 2.08 s (benchmarks/serve_idle.py, medians of five). `Warm` keeps them (and
the manifest, as a value and as the bytes written), and the next build takes them
instead of reading, but only while the cache still holds, byte for byte, the manifest
this process wrote last: a build run elsewhere (another terminal, a CI checkout) or a
hand edit of the cache makes the next build read it all again.

The manifest names every entry shard by its content hash, and the shards are hashed
again too: they are written before the manifest, so a build stopped in another terminal
between the two (Ctrl-C) leaves the manifest as it was and shards that are not (found
by review: the next manifest then recorded them under their old hashes). Hashing the
37 MB of shards takes a few hundredths of a second; unpickling them, a second.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.incremental.cache import MANIFEST, Cache, Manifest, entry_files
from briefgen.site.indexlayout import Refilled
from briefgen.vocabulary.hashing import file_hash


class EveryKey:
    """The container holding every key: Cache.entries keeps the entries it holds."""

    def __contains__(self, key: object) -> bool:
        return True


EVERY_KEY = EveryKey()


@dataclass
class Warm:
    """The last build's manifest and entries, as that build wrote them; empty at first."""

    written: bytes = b""
    """The manifest file's bytes as they were written (marshal's bytes depend on more
    than the values: only the file's own bytes are compared, never a re-encoding)."""
    manifest: Manifest | None = None
    entries: dict[str, Any] = field(default_factory=dict)
    """Every entry the entry shards hold, by key (what cache.Cache.entries reads)."""
    refilled: Refilled | None = None
    """The index records that build made, and where they stand (its plan's layout):
    the next refill takes each record whose briefings are the same kept views."""

    def manifest_of(self, cache_dir: Path) -> Manifest | None:
        """The manifest kept, if the cache still holds it byte for byte, holds no entry
        shard but those it names, and every one still hashes as it says; else None (and
        nothing is kept any longer: the cache is read).

        Found when a change of code moved an edited seed's entry to a shard the
        server's manifest did not name (see `only_named`): the server took its
        memory, as nothing it named had changed."""
        if self.manifest is None:
            return None
        try:
            found = (cache_dir / MANIFEST).read_bytes()
        except OSError:
            found = b""
        shards = self.manifest.shards
        if (
            found != self.written
            or not only_named(cache_dir, shards)
            or any(file_hash(cache_dir / f) != h for f, h in shards.items())
        ):
            self.forget()
            return None
        return self.manifest

    def entries_of(self, wanted: Container[str]) -> tuple[dict[str, Any], set[str]]:
        """As cache.Cache.entries: the entries of the `wanted` keys, and every key held.

        When most are not wanted (the settings changed: every seed has a new key), the
        rest are let go at once, as a build reading the cache keeps only the wanted:
        held through the build, they would double its memory (found by review)."""
        found = {key: entry for key, entry in self.entries.items() if key in wanted}
        held = set(self.entries)
        if 2 * len(found) < len(held):
            self.forget()
        return found, held

    def load(self, root: Path) -> None:
        """Read the cache as the next build would (its manifest and every entry), and
        keep it: for a server whose first build was a no-op, which kept nothing. Nothing
        is kept if anything read is damaged or missing: the build finds and says it."""
        disk = Cache(root)
        try:
            raw = (disk.dir / MANIFEST).read_bytes()
        except OSError:
            return
        manifest = disk.manifest_of(raw)
        if disk.notes or not manifest.shards:
            return
        if not only_named(disk.dir, manifest.shards):
            return  # as manifest_of (found by review)
        entries, _ = disk.entries(EVERY_KEY, manifest.shards)
        if not disk.notes and disk.shards.keys() == manifest.shards.keys():
            self.keep(raw, manifest, entries)

    def keep(
        self,
        written: bytes,
        manifest: Manifest,
        entries: Mapping[str, Any],
        refilled: Refilled | None = None,
    ) -> None:
        """What a build just wrote to the cache, once it is written."""
        self.written, self.manifest, self.entries = written, manifest, dict(entries)
        self.refilled = refilled

    def forget(self) -> None:
        self.written, self.manifest, self.entries, self.refilled = b"", None, {}, None


def only_named(cache_dir: Path, shards: Mapping[str, str]) -> bool:
    """Whether the cache's entry folder holds the shards `shards` names and no other.
    A build's own shards are exactly those its manifest names (it removes the rest),
    so one more is another process's: a build stopped before its manifest."""
    return set(entry_files(cache_dir)) == shards.keys()
