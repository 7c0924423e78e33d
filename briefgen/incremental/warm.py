"""What a long-running command keeps of its last build, so the next one does not read
back the cache it wrote itself.

`briefgen serve` rebuilds on every save. A rebuild in a new process reads the manifest
and every briefing's entry from the cache (cache.py); at 10,000 briefings that was 0.8 s
of a 3.4 s one-sidecar rebuild, and most of it makes the 2 million objects of the
entries, which the server's last build had in memory already. `Warm` keeps them (and
the manifest, as a value and as the bytes written), and the next build takes them
instead of reading, but only while the cache still holds, byte for byte, the manifest
this process wrote last: a build run elsewhere (another terminal, a CI checkout) or a
hand edit of the cache makes the next build read it all again.

The entries need no check of their own: the manifest names every entry shard by its
content hash, and a manifest equal to the one written names the shards written with
it, whose entries these are. A shard damaged on disk since is found by the next build
that reads the cache (its seeds are prepared again); this process's copy is the sound
one.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.incremental.cache import MANIFEST, Cache, Manifest


class EveryKey:
    """The container holding every key: Cache.entries keeps the entries it holds."""

    def __contains__(self, key: object) -> bool:
        return True


EVERY_KEY = EveryKey()


@dataclass
class Warm:
    """The last build's manifest and entries, as that build wrote them; empty at first."""

    written: bytes = b""
    """The manifest file's bytes as written (cache.manifest_bytes)."""
    manifest: Manifest | None = None
    entries: dict[str, Any] = field(default_factory=dict)
    """Every entry the entry shards hold, by key (what cache.Cache.entries reads)."""

    def manifest_of(self, cache_dir: Path) -> Manifest | None:
        """The manifest kept, if the cache still holds it byte for byte; else None (and
        nothing is kept any longer: the cache is read)."""
        if self.manifest is None:
            return None
        try:
            found = (cache_dir / MANIFEST).read_bytes()
        except OSError:
            found = b""
        if found != self.written:
            self.forget()
            return None
        return self.manifest

    def entries_of(self, wanted: Container[str]) -> tuple[dict[str, Any], set[str]]:
        """As cache.Cache.entries: the entries of the `wanted` keys, and every key held."""
        found = {key: entry for key, entry in self.entries.items() if key in wanted}
        return found, set(self.entries)

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
        entries, _ = disk.entries(EVERY_KEY, manifest.shards)
        if not disk.notes and disk.shards.keys() == manifest.shards.keys():
            self.keep(raw, manifest, entries)

    def keep(self, written: bytes, manifest: Manifest, entries: Mapping[str, Any]) -> None:
        """What a build just wrote to the cache, once it is written."""
        self.written, self.manifest, self.entries = written, manifest, dict(entries)

    def forget(self) -> None:
        self.written, self.manifest, self.entries = b"", None, {}
